# shellcheck shell=bash
# Dovecot: IMAP, IMAPS, POP3, POP3S, LMTP and the SASL socket for Postfix.

DC_PID=$DC_BASE/master.pid
DC_AUTH_SOCKET=$DC_BASE/auth-postfix
DC_START_LOG=$LOG_DIR/dovecot-start.log

dovecot_render() { # STAGE_DIR
  install -d -m 0755 "$1/dovecot-etc"
  render "$LAB_CONF/dovecot/dovecot.conf" "$1/dovecot-etc/dovecot.conf"
  render "$LAB_CONF/dovecot/passwd" "$1/dovecot-etc/passwd"
}

dovecot_install_conf() { # STAGE_DIR
  install -d -m 0755 "$RUN/dovecot-etc"
  install_if_changed "$1/dovecot-etc/dovecot.conf" "$DC_CONF" 0644
  # Read by the auth process, which runs as the "dovecot" user.
  install_if_changed "$1/dovecot-etc/passwd" "$DC_PASSWD" 0640 dovecot
}

dovecot_running() { pid_alive "$DC_PID" dovecot; }

# Empty Maildir skeleton for one user (owned by the mail user).
maildir_create() { # USER
  local root=$MAIL_DIR/$1
  install -d -m 0755 -o "$LAB_MAIL_UID" -g "$LAB_MAIL_GID" "$root" "$root/cur" "$root/new" "$root/tmp"
}

dovecot_prepare() {
  install -d -m 0755 "$DC_BASE" "$DC_BASE/state"
  install -d -m 0755 -o "$LAB_MAIL_UID" -g "$LAB_MAIL_GID" "$MAIL_DIR"
  local u
  for u in "${LAB_USERS[@]}"; do maildir_create "$u"; done
}

dovecot_start() {
  dovecot_prepare
  # Not running (checked by the caller): a leftover master.pid (e.g. a container
  # restarted on the same volume) may name a live unrelated process, which
  # Dovecot would take for itself and refuse to start.
  rm -f "$DC_PID" "$DC_AUTH_SOCKET"
  if ! dovecot -c "$DC_CONF" >"$DC_START_LOG" 2>&1; then
    cat "$DC_START_LOG" >&2
    log_tail "$DC_LOG" >&2
    die "dovecot failed to start (config $DC_CONF)"
  fi
}

# Postfix must not start before Dovecot's auth socket exists.
dovecot_wait_auth() { # DEADLINE (in $SECONDS)
  until [[ -S $DC_AUTH_SOCKET ]]; do
    if ! dovecot_running || ((SECONDS >= $1)); then
      cat "$DC_START_LOG" >&2 2>/dev/null || true
      log_tail "$DC_LOG" >&2
      die "dovecot auth socket $DC_AUTH_SOCKET did not appear"
    fi
    sleep 0.05
  done
}

dovecot_stop() {
  local pid
  dovecot_running || { rm -f "$DC_PID"; return 0; }
  pid=$(pid_of "$DC_PID")
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_pid_gone "$pid" 10; then
    info "dovecot (pid $pid) did not stop in 10 s, sending KILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_pid_gone "$pid" 5 || die "dovecot (pid $pid) does not die"
  fi
  rm -f "$DC_PID"
}

doveadm_lab() { doveadm -c "$DC_CONF" "$@"; }

# Close IMAP/POP3 sessions of USER (no error if there are none).
dovecot_kick() { # USER
  dovecot_running || return 0
  doveadm_lab kick "$1" >/dev/null 2>&1 || true
}

dovecot_log_tail() { log_tail "$DC_LOG" 20; }
