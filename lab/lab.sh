#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# facteur reference lab: private Postfix + Dovecot, vsftpd, nginx + php-fpm on 127.0.0.1.
# Usage: lab/lab.sh start|stop|restart|status|reset|env|selftest|deps
# Run directory: $FACTEUR_LAB_DIR (default /tmp/facteur-lab). See lab/README.md.
set -euo pipefail

LAB_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
LAB_CONF=$LAB_HOME/conf
source "$LAB_HOME/lib/common.sh"
source "$LAB_HOME/lib/ports.sh"
source "$LAB_HOME/lib/tls.sh"
source "$LAB_HOME/lib/dovecot.sh"
source "$LAB_HOME/lib/postfix.sh"
source "$LAB_HOME/lib/vsftpd.sh"
source "$LAB_HOME/lib/web.sh"

# The lab's daemons. Postfix needs Dovecot's auth socket; the form sends mail to Postfix, so
# stop goes web, vsftpd, postfix, dovecot.
LAB_DAEMONS=(dovecot postfix vsftpd web)

START_TIMEOUT=${FACTEUR_LAB_TIMEOUT:-20}

usage() {
  cat <<USAGE
usage: $(basename "$0") COMMAND

  start    start Postfix, Dovecot, vsftpd, nginx + php-fpm (idempotent), wait until every port answers
  stop     stop them all (no error if not running)
  restart  stop, then start
  status   one line per port; exit 0 only if every port is ready
  reset    empty every test user's mailbox and the FTP folder, drop queued mail
  env      print shell export lines (eval "\$($(basename "$0") env)")
  selftest end-to-end checks of the running lab (swaks, python3); ends with reset
  deps     apt-get install the packages the lab needs (Debian 12)

Run directory: \$FACTEUR_LAB_DIR (now $RUN).
Ports: FACTEUR_LAB_{SMTP,SUBMISSION,SMTPS,LMTP,IMAP,IMAPS,POP3,POP3S,FTP,FTPS,HTTP,HTTPS}_PORT,
passive FTP ranges: FACTEUR_LAB_{FTP,FTPS}_PASV_PORT (first of $LAB_PASV_COUNT).
USAGE
}

# --- outputs ------------------------------------------------------------------------------
write_vars() {
  write_json "$VARS_FILE" \
    smtp_url "${P_URL[smtp]}" \
    submission_url "${P_URL[submission]}" \
    smtps_url "${P_URL[smtps]}" \
    lmtp_port "${P_PORT[lmtp]}" \
    imap_url "${P_URL[imap]}" \
    imaps_url "${P_URL[imaps]}" \
    pop3_url "${P_URL[pop3]}" \
    pop3s_url "${P_URL[pop3s]}" \
    cacert "$TLS_DIR/ca.pem" \
    domain "$LAB_DOMAIN" \
    user "$LAB_USER1@$LAB_DOMAIN" \
    password "$LAB_PASSWORD1" \
    user2 "$LAB_USER2@$LAB_DOMAIN" \
    password2 "$LAB_PASSWORD2" \
    rcpt "$LAB_USER1@$LAB_DOMAIN" \
    rcpt2 "$LAB_USER2@$LAB_DOMAIN" \
    unknown_rcpt "$LAB_UNKNOWN_RCPT" \
    remote_rcpt "$LAB_REMOTE_RCPT" \
    maildir "$MAIL_DIR/$LAB_USER1" \
    maildir2 "$MAIL_DIR/$LAB_USER2" \
    imap_user "$LAB_USER3@$LAB_DOMAIN" \
    imap_password "$LAB_PASSWORD3" \
    pop3_user "$LAB_USER4@$LAB_DOMAIN" \
    pop3_password "$LAB_PASSWORD4" \
    message_size_limit "$LAB_MESSAGE_SIZE_LIMIT" \
    ftp_url "${P_URL[ftp]}" \
    ftps_url "${P_URL[ftps]}" \
    ftp_user "$LAB_FTP_USER" \
    ftp_password "$LAB_FTP_PASSWORD" \
    ftp_root "$FTP_ROOT" \
    ftp_pasv_range "$(pasv_range ftp)" \
    ftps_pasv_range "$(pasv_range ftps)" \
    http_url "${P_URL[http]}" \
    https_url "${P_URL[https]}" \
    form_url "${P_URL[http]}/contact.php" \
    form_https_url "${P_URL[https]}/contact.php" \
    form_rcpt "$LAB_USER5@$LAB_DOMAIN" \
    form_password "$LAB_PASSWORD5" \
    form_maildir "$MAIL_DIR/$LAB_USER5" \
    form_max_body "1048576"
}

all_running() {
  local d
  for d in "${LAB_DAEMONS[@]}"; do "${d}_running" || return 1; done
}

any_running() {
  postfix_running || dovecot_running || vsftpd_any_running || web_any_running
}

# config_changed STAGE_DIR: 0 if a rendered file differs from the installed one (or is missing).
config_changed() {
  local pair
  for pair in "dovecot-etc:$RUN/dovecot-etc" "postfix-etc:$PF_CONF" "vsftpd-etc:$VS_ETC" "web-etc:$WEB_ETC"; do
    diff -rq "$1/${pair%%:*}" "${pair#*:}" >/dev/null 2>&1 || return 0
  done
  return 1
}

# --- commands -----------------------------------------------------------------------------------
cmd_start() {
  need_root start
  load_ports_from_env
  local t0=${EPOCHREALTIME/./}
  # Unix socket paths (Postfix queue sockets, Dovecot base_dir) must fit in 108 bytes.
  ((${#RUN} <= 60)) || die "FACTEUR_LAB_DIR '$RUN' is too long (max 60 characters: unix socket paths)"
  [[ $RUN == /* ]] || die "FACTEUR_LAB_DIR must be an absolute path"
  install -d -m 0755 "$RUN" "$LOG_DIR"
  tls_ensure
  ftp_user_ensure

  # Render into a staging dir; a running lab with identical config is left alone.
  local stage=$RUN/.stage
  rm -rf "$stage"
  install -d -m 0755 "$stage"
  template_vars
  dovecot_render "$stage"
  postfix_render "$stage"
  vsftpd_render "$stage"
  web_render "$stage"
  local changed=${TLS_GENERATED:-0}
  config_changed "$stage" && changed=1

  if any_running; then
    if ((changed == 0)) && all_running && all_ready; then
      web_install_www
      write_vars
      rm -rf "$stage"
      info "already running and ready ($RUN)"
      return 0
    fi
    if ((changed)); then
      info "configuration changed: restarting"
    else
      info "lab partly running or not ready: restarting"
    fi
    # Stop with the ports of the running instance, then switch to the new ones.
    load_ports
    stop_all
    load_ports_from_env
  fi

  check_ports_free
  if ((changed)); then
    dovecot_install_conf "$stage"
    postfix_install_conf "$stage"
    vsftpd_install_conf "$stage"
    web_install_conf "$stage"
  fi
  rm -rf "$stage"
  save_ports

  # From here on, a failure stops whatever was started (logs are kept).
  trap 'start_failed' EXIT
  local deadline=$((SECONDS + START_TIMEOUT))
  phase "prepared (tls, config, port checks)"
  dovecot_start
  phase "dovecot started"
  # vsftpd, nginx and php-fpm need nobody else: they start while Dovecot comes up.
  vsftpd_start
  phase "vsftpd started"
  web_start
  phase "nginx and php-fpm started"
  dovecot_wait_auth "$deadline"
  phase "dovecot auth socket ready"
  postfix_start
  phase "postfix started"
  wait_ready "$deadline" || die "lab did not come up (logs in $LOG_DIR)"
  phase "all ports answered"
  trap - EXIT
  write_vars
  local ms=$(( (${EPOCHREALTIME/./} - t0) / 1000 ))
  info "ready in ${ms} ms; vars: $VARS_FILE"
}

start_failed() {
  local rc=$?
  trap - EXIT
  set +e
  info "start failed: stopping what was started"
  stop_all >/dev/null 2>&1
  exit "$rc"
}

stop_all() {
  web_stop
  phase "nginx and php-fpm stopped"
  vsftpd_stop
  phase "vsftpd stopped"
  postfix_stop
  phase "postfix stopped"
  dovecot_stop
  phase "dovecot stopped"
  wait_ports_closed
}

cmd_stop() {
  need_root stop
  load_ports
  stop_all
  phase "stopped"
  info "stopped"
}

cmd_status() {
  load_ports
  local name state rc=0 down
  down=" $(probe_many "${PORT_NAMES[@]}" | tr '\n' ' ') "
  for name in "${PORT_NAMES[@]}"; do
    if [[ $down == *" $name "* ]]; then state=down; rc=1; else state=ready; fi
    printf '%-11s %-26s %s\n' "$name" "${P_URL[$name]}" "$state"
  done
  printf '%-11s %-26s %s\n' ftp-pasv "$(pasv_range ftp)" "(ftp data ports)" ftps-pasv "$(pasv_range ftps)" \
    "(ftps data ports)"
  return "$rc"
}

cmd_reset() {
  need_root reset
  load_ports
  [[ -d $RUN ]] || die "no lab in $RUN (run: $0 start)"
  postfix_flush_queue
  local u
  for u in "${LAB_USERS[@]}"; do
    dovecot_kick "$u"
    # Remove the whole Maildir (messages, folders, Dovecot indexes): the next
    # session sees a brand-new mailbox (new UIDVALIDITY, UIDNEXT 1).
    rm -rf "${MAIL_DIR:?}/$u"
  done
  install -d -m 0755 -o "$LAB_MAIL_UID" -g "$LAB_MAIL_GID" "$MAIL_DIR"
  for u in "${LAB_USERS[@]}"; do maildir_create "$u"; done
  ftp_root_reset
  info "mailboxes of ${LAB_USERS[*]} and $FTP_ROOT emptied, queue cleared"
}

cmd_env() {
  load_ports
  local q
  emit() { printf -v q '%q' "$2"; printf 'export %s=%s\n' "$1" "$q"; }
  emit FACTEUR_LAB_DIR "$RUN"
  emit FACTEUR_LAB_VARS "$VARS_FILE"
  emit FACTEUR_LAB_CACERT "$TLS_DIR/ca.pem"
  emit FACTEUR_LAB_SMTP "${P_URL[smtp]}"
  emit FACTEUR_LAB_SUBMISSION "${P_URL[submission]}"
  emit FACTEUR_LAB_SMTPS "${P_URL[smtps]}"
  emit FACTEUR_LAB_LMTP "${P_URL[lmtp]}"
  emit FACTEUR_LAB_IMAP "${P_URL[imap]}"
  emit FACTEUR_LAB_IMAPS "${P_URL[imaps]}"
  emit FACTEUR_LAB_POP3 "${P_URL[pop3]}"
  emit FACTEUR_LAB_POP3S "${P_URL[pop3s]}"
  emit FACTEUR_LAB_DELIVERY "$LAB_DELIVERY"
  emit FACTEUR_LAB_DOMAIN "$LAB_DOMAIN"
  emit FACTEUR_LAB_USER "$LAB_USER1@$LAB_DOMAIN"
  emit FACTEUR_LAB_PASSWORD "$LAB_PASSWORD1"
  emit FACTEUR_LAB_USER2 "$LAB_USER2@$LAB_DOMAIN"
  emit FACTEUR_LAB_PASSWORD2 "$LAB_PASSWORD2"
  emit FACTEUR_LAB_MAILDIR "$MAIL_DIR/$LAB_USER1"
  emit FACTEUR_LAB_MAILDIR2 "$MAIL_DIR/$LAB_USER2"
  emit FACTEUR_LAB_FTP "${P_URL[ftp]}"
  emit FACTEUR_LAB_FTPS "${P_URL[ftps]}"
  emit FACTEUR_LAB_FTP_USER "$LAB_FTP_USER"
  emit FACTEUR_LAB_FTP_PASSWORD "$LAB_FTP_PASSWORD"
  emit FACTEUR_LAB_FTP_ROOT "$FTP_ROOT"
  emit FACTEUR_LAB_HTTP "${P_URL[http]}"
  emit FACTEUR_LAB_HTTPS "${P_URL[https]}"
  emit FACTEUR_LAB_FORM_URL "${P_URL[http]}/contact.php"
  emit FACTEUR_LAB_FORM_RCPT "$LAB_USER5@$LAB_DOMAIN"
  emit FACTEUR_LAB_FORM_PASSWORD "$LAB_PASSWORD5"
  emit FACTEUR_LAB_FORM_MAILDIR "$MAIL_DIR/$LAB_USER5"
}

cmd_deps() {
  need_root deps
  local pkgs
  mapfile -t pkgs < <(grep -v '^\s*#' "$LAB_HOME/packages.txt" | tr -s ' \t' '\n' | grep .)
  # No system MTA configuration: the lab uses its own private config dir.
  echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections
  # A fresh machine or image has no package lists yet.
  apt-cache show postfix >/dev/null 2>&1 || apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${pkgs[@]}"
}

main() {
  local cmd=${1:-}
  case $cmd in
    start) cmd_start ;;
    stop) cmd_stop ;;
    restart) need_root restart; load_ports; stop_all; cmd_start ;;
    status) cmd_status ;;
    reset) cmd_reset ;;
    env) cmd_env ;;
    selftest) exec "$LAB_HOME/selftest.sh" ;;
    deps) cmd_deps ;;
    -h|--help|help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
