# shellcheck shell=bash
# Postfix: SMTP (2525), submission (2587), SMTPS (2465); delivers over LMTP to Dovecot.

PF_PID=$PF_QUEUE/pid/master.pid
PF_START_LOG=$LOG_DIR/postfix-start.log

postfix_render() { # STAGE_DIR
  install -d -m 0755 "$1/postfix-etc"
  render "$LAB_CONF/postfix/main.cf" "$1/postfix-etc/main.cf"
  render "$LAB_CONF/postfix/master.cf" "$1/postfix-etc/master.cf"
}

postfix_install_conf() { # STAGE_DIR
  install -d -m 0755 "$PF_CONF"
  install_if_changed "$1/postfix-etc/main.cf" "$PF_CONF/main.cf" 0644
  install_if_changed "$1/postfix-etc/master.cf" "$PF_CONF/master.cf" 0644
  # Postfix refuses to read a main.cf modified less than ~2 s ago: it re-reads
  # it every 300 ms until it is "stable" (dict_load_file), which costs every
  # daemon (master, each smtpd) up to 2 s after a fresh render. The files are
  # written whole, so date them back.
  touch -d "@$((EPOCHSECONDS - 10))" "$PF_CONF/main.cf" "$PF_CONF/master.cf"
}

postfix_running() { pid_alive "$PF_PID" master; }

postfix_prepare() {
  # queue_directory must be owned by root; post-install (run by
  # "postfix start") creates the queue subdirectories with their owners.
  install -d -m 0755 "$PF_QUEUE"
  install -d -m 0700 -o postfix -g postfix "$PF_DATA"
  # postlogd runs as "postfix" and appends to this file.
  [[ -e $PF_LOG ]] || install -m 0640 -o postfix -g postfix /dev/null "$PF_LOG"
  chown postfix:postfix "$PF_LOG"
}

postfix_start() {
  postfix_prepare
  # "postfix start" runs postfix-script check-fatal (which also creates the
  # queue directories) and check-warn: ~1-2 s. Once that has passed in this run
  # dir, later starts skip it through Postfix's own "quick-start" flag file.
  if [[ -e $PF_QUEUE/.lab-checked ]]; then
    : >"$PF_QUEUE/quick-start"
  fi
  if ! postfix -c "$PF_CONF" start >"$PF_START_LOG" 2>&1; then
    rm -f "$PF_QUEUE/quick-start" "$PF_QUEUE/.lab-checked"
    postfix_diagnose >>"$PF_START_LOG" 2>&1
    cat "$PF_START_LOG" >&2
    log_tail "$PF_LOG" >&2
    die "postfix failed to start (config $PF_CONF)"
  fi
  : >"$PF_QUEUE/.lab-checked"
}

# Postfix prints early fatal errors (bad main.cf values...) only on a terminal
# and logs nothing yet: rerun its checks under script(1) to show them.
postfix_diagnose() {
  if command -v script >/dev/null; then
    script -qec "postfix -c '$PF_CONF' check" /dev/null | tr -d '\r' || true
  fi
}

postfix_stop() {
  local pid
  postfix_running || return 0
  pid=$(pid_of "$PF_PID")
  # What "postfix stop" does, minus its 1 s polling steps: SIGTERM to the
  # master, which stops its children and exits.
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_pid_gone "$pid" 10; then
    info "postfix master (pid $pid) did not stop in 10 s, sending KILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_pid_gone "$pid" 5 || die "postfix master (pid $pid) does not die"
  fi
}

# Drop every queued message (reset).
postfix_flush_queue() {
  postfix_running || return 0
  postsuper -c "$PF_CONF" -d ALL >/dev/null 2>&1 || true
}

postfix_log_tail() {
  log_tail "$PF_LOG" 20
  [[ ! -s $PF_START_LOG ]] || log_tail "$PF_START_LOG" 10
}
