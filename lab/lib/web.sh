# shellcheck shell=bash
# The contact form: nginx (HTTP, HTTPS) in front of php-fpm (a private pool on a unix socket);
# PHP's mail() goes through msmtp to the lab's Postfix. Both daemons run in the foreground
# under lab.sh's control.

NGINX_PID=$WEB_DIR/nginx.pid
FPM_PID=$WEB_DIR/php-fpm.pid
FPM_BIN=php-fpm8.2
WEB_FILES=(nginx.conf php-fpm.conf php.ini msmtprc)

web_render() { # STAGE_DIR
  install -d -m 0755 "$1/web-etc"
  local f
  for f in "${WEB_FILES[@]}"; do
    render "$LAB_CONF/web/$f" "$1/web-etc/$f"
  done
}

web_install_conf() { # STAGE_DIR
  install -d -m 0755 "$WEB_ETC"
  local f
  for f in "${WEB_FILES[@]}"; do
    install_if_changed "$1/web-etc/$f" "$WEB_ETC/$f" 0644
  done
}

web_running() { pid_alive "$NGINX_PID" nginx && pid_alive "$FPM_PID" "$FPM_BIN"; }
web_any_running() { pid_alive "$NGINX_PID" nginx || pid_alive "$FPM_PID" "$FPM_BIN"; }

# The form's scripts are copied at every start (a running lab serves an edited script at once:
# opcache revalidates on every request).
web_install_www() {
  install -d -m 0755 "$WWW_DIR"
  install -m 0644 "$LAB_CONF"/www/*.php "$WWW_DIR/"
}

web_prepare() {
  install -d -m 0755 "$WEB_DIR" "$WEB_DIR/tmp"
  # nginx's five temp paths, PHP's sessions and uploads: private to www-data.
  install -d -m 0700 -o www-data -g www-data "$WEB_DIR"/tmp/{client_body,fastcgi,proxy,scgi,uwsgi} \
    "$WEB_DIR/sessions" "$WEB_DIR/uploads"
  # Written by the pool's workers (www-data): PHP's error log and msmtp's.
  local log
  for log in "$LOG_DIR/php.log" "$LOG_DIR/msmtp.log"; do
    [[ -e $log ]] || install -m 0640 -o www-data -g www-data /dev/null "$log"
  done
  web_install_www
}

web_start() {
  web_prepare
  rm -f "$WEB_DIR/fpm.sock"
  spawn "$FPM_PID" "$LOG_DIR/php-fpm-start.log" "$FPM_BIN" -F -y "$WEB_ETC/php-fpm.conf" -c "$WEB_ETC/php.ini"
  spawn "$NGINX_PID" "$LOG_DIR/nginx-start.log" nginx -p "$WEB_DIR" -c "$WEB_ETC/nginx.conf" \
    -e "$LOG_DIR/nginx-error.log" -g 'daemon off;'
}

web_stop() {
  # nginx first: no request reaches a php-fpm that is going away.
  stop_spawned "$NGINX_PID" nginx nginx
  stop_spawned "$FPM_PID" "$FPM_BIN" php-fpm
  rm -f "$WEB_DIR/fpm.sock"
}

web_log_tail() {
  log_tail "$LOG_DIR/nginx-start.log" 10
  log_tail "$LOG_DIR/nginx-error.log" 10
  log_tail "$LOG_DIR/php-fpm-start.log" 10
  log_tail "$LOG_DIR/php-fpm.log" 10
  log_tail "$LOG_DIR/php.log" 10
}
