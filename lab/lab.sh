#!/usr/bin/env bash
# facteur reference lab: private Postfix + Dovecot on 127.0.0.1.
# Usage: lab/lab.sh start|stop|restart|status|reset|env|deps
# Run directory: $FACTEUR_LAB_DIR (default /tmp/facteur-lab). See lab/README.md.
set -euo pipefail

LAB_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
LAB_CONF=$LAB_HOME/conf
# shellcheck source=lib/common.sh
source "$LAB_HOME/lib/common.sh"
# shellcheck source=lib/tls.sh
source "$LAB_HOME/lib/tls.sh"
# shellcheck source=lib/dovecot.sh
source "$LAB_HOME/lib/dovecot.sh"
# shellcheck source=lib/postfix.sh
source "$LAB_HOME/lib/postfix.sh"

START_TIMEOUT=${FACTEUR_LAB_TIMEOUT:-20}

usage() {
  cat <<USAGE
usage: $(basename "$0") COMMAND

  start    start Postfix and Dovecot (idempotent), wait until every port answers
  stop     stop both daemons (no error if not running)
  restart  stop, then start
  status   one line per port; exit 0 only if every port is ready
  reset    empty every test user's mailbox and drop queued mail
  env      print shell export lines (eval "\$($(basename "$0") env)")
  deps     apt-get install the packages the lab needs (Debian 12)

Run directory: \$FACTEUR_LAB_DIR (now $RUN).
Ports: FACTEUR_LAB_{SMTP,SUBMISSION,SMTPS,LMTP,IMAP,IMAPS,POP3,POP3S}_PORT.
USAGE
}

# --- readiness ------------------------------------------------------------------------
# all_ready: 0 if every port answers with its greeting.
all_ready() {
  local name
  for name in "${PORT_NAMES[@]}"; do
    probe "${P_KIND[$name]}" "${P_PORT[$name]}" || return 1
  done
}

# wait_ready DEADLINE: poll every port until all greet; on failure name the
# ports that did not come up and show the tail of the responsible daemon's log.
wait_ready() {
  local name pending=("${PORT_NAMES[@]}") still
  while :; do
    still=()
    for name in "${pending[@]}"; do
      probe "${P_KIND[$name]}" "${P_PORT[$name]}" || still+=("$name")
    done
    ((${#still[@]} == 0)) && return 0
    pending=("${still[@]}")
    if ((SECONDS >= $1)) || ! postfix_running || ! dovecot_running; then
      break
    fi
    sleep 0.1
  done
  local bad_postfix=0 bad_dovecot=0 daemon
  for name in "${pending[@]}"; do
    daemon=$(port_daemon "$name")
    printf 'lab: error: %s port %s (%s) is not ready after %ss\n' \
      "$name" "${P_PORT[$name]}" "$daemon" "$START_TIMEOUT" >&2
    if [[ $daemon == postfix ]]; then bad_postfix=1; else bad_dovecot=1; fi
  done
  postfix_running || { printf 'lab: error: postfix master is not running\n' >&2; bad_postfix=1; }
  dovecot_running || { printf 'lab: error: dovecot master is not running\n' >&2; bad_dovecot=1; }
  if ((bad_postfix)); then
    log_tail "$PF_LOG" 20 >&2
    [[ -s $PF_START_LOG ]] && log_tail "$PF_START_LOG" 10 >&2
  fi
  if ((bad_dovecot)); then
    log_tail "$DC_LOG" 20 >&2
  fi
  return 1
}

# Refuse to start when another process already holds one of our ports.
check_ports_free() {
  local name busy=0
  for name in "${PORT_NAMES[@]}"; do
    if port_open "${P_PORT[$name]}"; then
      printf 'lab: error: port %s (%s) is already in use by another process\n' "${P_PORT[$name]}" "$name" >&2
      busy=1
    fi
  done
  ((busy == 0)) || die "free the ports above or choose others with FACTEUR_LAB_<NAME>_PORT"
}

wait_ports_closed() {
  local name deadline=$((SECONDS + 10))
  for name in "${PORT_NAMES[@]}"; do
    while port_open "${P_PORT[$name]}"; do
      ((SECONDS < deadline)) || { info "port ${P_PORT[$name]} ($name) still open after stop"; return 0; }
      sleep 0.05
    done
  done
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
    message_size_limit "$LAB_MESSAGE_SIZE_LIMIT"
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

  # Render into a staging dir; a running lab with identical config is left alone.
  local stage=$RUN/.stage
  rm -rf "$stage"
  install -d -m 0755 "$stage"
  template_vars
  dovecot_render "$stage"
  postfix_render "$stage"
  local changed=0
  cmp -s "$stage/dovecot-etc/dovecot.conf" "$DC_CONF" || changed=1
  cmp -s "$stage/dovecot-etc/passwd" "$DC_PASSWD" || changed=1
  cmp -s "$stage/postfix-etc/main.cf" "$PF_CONF/main.cf" || changed=1
  cmp -s "$stage/postfix-etc/master.cf" "$PF_CONF/master.cf" || changed=1

  if postfix_running || dovecot_running; then
    if ((changed == 0)) && postfix_running && dovecot_running && all_ready; then
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
  dovecot_install_conf "$stage"
  postfix_install_conf "$stage"
  rm -rf "$stage"
  save_ports

  # From here on, a failure stops whatever was started (logs are kept).
  trap 'start_failed' EXIT
  local deadline=$((SECONDS + START_TIMEOUT))
  dovecot_start
  dovecot_wait_auth "$deadline"
  postfix_start
  wait_ready "$deadline" || die "lab did not come up (logs in $LOG_DIR)"
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
  postfix_stop
  dovecot_stop
  wait_ports_closed
}

cmd_stop() {
  need_root stop
  load_ports
  stop_all
  info "stopped"
}

cmd_status() {
  load_ports
  local name state rc=0
  for name in "${PORT_NAMES[@]}"; do
    if probe "${P_KIND[$name]}" "${P_PORT[$name]}"; then state=ready; else state=down; rc=1; fi
    printf '%-11s %-26s %s\n' "$name" "${P_URL[$name]}" "$state"
  done
  return "$rc"
}

cmd_reset() {
  need_root reset
  load_ports
  [[ -d $RUN ]] || die "no lab in $RUN (run: $0 start)"
  postfix_flush_queue
  local u
  for u in "$LAB_USER1" "$LAB_USER2"; do
    dovecot_kick "$u"
    # Remove the whole Maildir (messages, folders, Dovecot indexes): the next
    # session sees a brand-new mailbox (new UIDVALIDITY, UIDNEXT 1).
    rm -rf "${MAIL_DIR:?}/$u"
  done
  install -d -m 0755 -o "$LAB_MAIL_UID" -g "$LAB_MAIL_GID" "$MAIL_DIR"
  maildir_create "$LAB_USER1"
  maildir_create "$LAB_USER2"
  info "mailboxes of $LAB_USER1 and $LAB_USER2 emptied, queue cleared"
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
}

cmd_deps() {
  need_root deps
  local pkgs
  mapfile -t pkgs < <(grep -v '^\s*#' "$LAB_HOME/packages.txt" | tr -s ' \t' '\n' | grep .)
  # No system MTA configuration: the lab uses its own private config dir.
  echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections
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
    deps) cmd_deps ;;
    -h|--help|help) usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
