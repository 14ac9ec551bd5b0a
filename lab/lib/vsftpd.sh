# shellcheck shell=bash
# T_* variables are read indirectly by render:
# shellcheck disable=SC2034
# vsftpd 3.0.3: "ftp" (plain FTP + explicit FTPS, AUTH TLS) and "ftps" (implicit TLS), two
# instances of one template, in the foreground under lab.sh's control (vsftpd writes no pid file).

VS_INSTANCES=(ftp ftps)
VS_PAM_FILE=/etc/pam.d/$LAB_FTP_PAM_SERVICE

vsftpd_render() { # STAGE_DIR
  install -d -m 0755 "$1/vsftpd-etc"
  local name
  for name in "${VS_INSTANCES[@]}"; do
    T_VS_NAME=$name
    T_VS_CONF=$VS_ETC/$name.conf
    T_VS_PORT=${P_PORT[$name]}
    T_VS_PASV_MIN=${PASV_FTP}
    T_VS_IMPLICIT=NO
    if [[ $name == ftps ]]; then T_VS_PASV_MIN=$PASV_FTPS T_VS_IMPLICIT=YES; fi
    T_VS_PASV_MAX=$((T_VS_PASV_MIN + LAB_PASV_COUNT - 1))
    render "$LAB_CONF/vsftpd/vsftpd.conf" "$1/vsftpd-etc/$name.conf"
  done
}

vsftpd_install_conf() { # STAGE_DIR
  install -d -m 0755 "$VS_ETC"
  local name
  for name in "${VS_INSTANCES[@]}"; do
    install_if_changed "$1/vsftpd-etc/$name.conf" "$VS_ETC/$name.conf" 0644
  done
}

vsftpd_pid_file() { printf '%s/%s.pid' "$VS_DIR" "$1"; }

vsftpd_running() {
  local name
  for name in "${VS_INSTANCES[@]}"; do
    pid_alive "$(vsftpd_pid_file "$name")" vsftpd || return 1
  done
}

vsftpd_any_running() {
  local name
  for name in "${VS_INSTANCES[@]}"; do
    pid_alive "$(vsftpd_pid_file "$name")" vsftpd && return 0
  done
  return 1
}

# The system user and its PAM service (the only things the lab writes outside its run dir).
# Idempotent: a second lab, or a restart, changes nothing.
ftp_user_ensure() {
  local name hash rest salt
  if ! grep -q "^$LAB_FTP_USER:" /etc/passwd; then
    useradd --system --user-group --no-create-home --home-dir / --shell /usr/sbin/nologin \
      --comment 'facteur lab FTP user' "$LAB_FTP_USER" || die "useradd $LAB_FTP_USER failed"
  fi
  # SHA-512 crypt: Debian's default yescrypt costs ~0.3 s of CPU per login, which load tests feel.
  while IFS=: read -r name hash rest; do
    [[ $name == "$LAB_FTP_USER" ]] && break
  done </etc/shadow
  salt=${hash#\$6\$}; salt=${salt%%\$*}
  if [[ $hash != \$6\$* ]] || [[ $(openssl passwd -6 -salt "$salt" "$LAB_FTP_PASSWORD") != "$hash" ]]; then
    printf '%s:%s\n' "$LAB_FTP_USER" "$LAB_FTP_PASSWORD" | chpasswd -c SHA512 || die "chpasswd failed"
  fi
  # Without this file PAM falls back to /etc/pam.d/other: logins still work, failures take ~2 s.
  install_if_changed "$LAB_CONF/vsftpd/pam" "$VS_PAM_FILE" 0644
}

# The FTP user's folder: created here, emptied by reset.
ftp_root_create() {
  install -d -m 0755 -o "$LAB_FTP_USER" -g "$LAB_FTP_USER" "$FTP_ROOT"
}

vsftpd_start() { # (after ftp_user_ensure)
  ftp_root_create
  # secure_chroot_dir: empty, owned by root, not writable by anyone else.
  install -d -m 0755 "$VS_DIR"
  install -d -m 0555 "$VS_DIR/empty"
  local name
  for name in "${VS_INSTANCES[@]}"; do
    spawn "$(vsftpd_pid_file "$name")" "$LOG_DIR/vsftpd-$name-start.log" vsftpd "$VS_ETC/$name.conf"
  done
}

# Pids of this lab's vsftpd processes of instance NAME (listener and sessions): exactly the
# command line "vsftpd $VS_ETC/NAME.conf", which names this run dir.
vsftpd_pids() {
  local file pid comm
  while read -r file; do
    pid=${file#/proc/}; pid=${pid%/cmdline}
    read -r comm 2>/dev/null <"/proc/$pid/comm" || continue  # (grep itself matches, then is gone)
    if [[ $comm == vsftpd ]] && proc_alive "$pid"; then printf '%s\n' "$pid"; fi
  done < <(grep -lzxF "$VS_ETC/$1.conf" /proc/[0-9]*/cmdline 2>/dev/null)
}

vsftpd_stop() {
  local name pid pids=()
  for name in "${VS_INSTANCES[@]}"; do
    stop_spawned "$(vsftpd_pid_file "$name")" vsftpd "vsftpd ($name)"
    # Each session is a session leader of its own (setsid), out of the listener's process group,
    # and outlives the listener: end them too.
    mapfile -t -O "${#pids[@]}" pids < <(vsftpd_pids "$name")
  done
  ((${#pids[@]})) || return 0
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for pid in "${pids[@]}"; do
    wait_pid_gone "$pid" 5 || kill -KILL "$pid" 2>/dev/null || true
  done
}

vsftpd_log_tail() {
  local name
  for name in "${VS_INSTANCES[@]}"; do
    log_tail "$LOG_DIR/vsftpd-$name-start.log" 10
    log_tail "$LOG_DIR/vsftpd-$name.log" 10
  done
}

# Empty the FTP user's folder (reset). Sessions still open keep their chroot (the folder
# itself stays).
ftp_root_reset() {
  [[ -d $FTP_ROOT ]] || { ftp_root_create; return 0; }
  find "$FTP_ROOT" -mindepth 1 -delete
  ftp_root_create
}
