# shellcheck shell=bash
# The port table, its overrides and state file, and the greeting probes.
# Sourced by lab.sh after common.sh.
# shellcheck disable=SC2034  # P_URL etc. are read by lab.sh

# Every port, in display order: name | variable | default | URL scheme | kind.
# kind: plain-smtp, tls-smtp, plain-imap, tls-imap, plain-pop3, tls-pop3, lmtp
LAB_PORTS=(
  "smtp|SMTP|2525|smtp|plain-smtp"
  "submission|SUBMISSION|2587|smtp|plain-smtp"
  "smtps|SMTPS|2465|smtps|tls-smtp"
  "lmtp|LMTP|2424|lmtp|lmtp"
  "imap|IMAP|2143|imap|plain-imap"
  "imaps|IMAPS|2993|imaps|tls-imap"
  "pop3|POP3|2110|pop3|plain-pop3"
  "pop3s|POP3S|2995|pop3s|tls-pop3"
)

# Which daemon serves each port (for error messages).
port_daemon() {
  case $1 in
    smtp|submission|smtps) echo postfix ;;
    *) echo dovecot ;;
  esac
}

# Parsed port table: PORT_NAMES in order; per name: P_VAR, P_DEFAULT, P_SCHEME,
# P_KIND, and (after load_ports*) P_PORT and P_URL.
declare -a PORT_NAMES=()
declare -A P_VAR=() P_DEFAULT=() P_SCHEME=() P_KIND=() P_PORT=() P_URL=()
for _entry in "${LAB_PORTS[@]}"; do
  IFS='|' read -r _name _var _def _scheme _kind <<<"$_entry"
  PORT_NAMES+=("$_name")
  P_VAR[$_name]=$_var P_DEFAULT[$_name]=$_def P_SCHEME[$_name]=$_scheme P_KIND[$_name]=$_kind
done
unset _entry _name _var _def _scheme _kind

_set_urls() {
  local name
  for name in "${PORT_NAMES[@]}"; do
    P_URL[$name]="${P_SCHEME[$name]}://$LAB_HOST:${P_PORT[$name]}"
  done
}

# Ports requested by the environment (or defaults): used by `start`.
load_ports_from_env() {
  local name env val
  LAB_LISTEN=${FACTEUR_LAB_LISTEN:-127.0.0.1}
  LAB_HOST=${FACTEUR_LAB_HOST:-127.0.0.1}
  LAB_DELIVERY=${FACTEUR_LAB_DELIVERY:-lmtp}
  [[ $LAB_DELIVERY == lmtp || $LAB_DELIVERY == virtual ]] || die "FACTEUR_LAB_DELIVERY must be lmtp or virtual"
  for name in "${PORT_NAMES[@]}"; do
    env=FACTEUR_LAB_${P_VAR[$name]}_PORT
    val=${!env:-${P_DEFAULT[$name]}}
    if ! [[ $val =~ ^[0-9]+$ ]] || ((val < 1 || val > 65535)); then
      die "$env: bad port '$val'"
    fi
    P_PORT[$name]=$val
  done
  local dup
  dup=$(printf '%s\n' "${P_PORT[@]}" | sort | uniq -d | head -n1)
  [[ -z $dup ]] || die "port $dup is assigned to two services"
  _set_urls
}

# Ports of the lab as last started (falls back to the environment/defaults).
load_ports() {
  load_ports_from_env
  if [[ -r $STATE_FILE ]]; then
    # shellcheck disable=SC1090
    source "$STATE_FILE"
    _set_urls
  fi
}

save_ports() {
  local name
  {
    printf '# written by lab.sh start; read by status/env/reset/stop\n'
    printf 'LAB_LISTEN=%q\nLAB_HOST=%q\nLAB_DELIVERY=%q\n' "$LAB_LISTEN" "$LAB_HOST" "$LAB_DELIVERY"
    for name in "${PORT_NAMES[@]}"; do
      printf 'P_PORT[%s]=%q\n' "$name" "${P_PORT[$name]}"
    done
  } >"$STATE_FILE"
}

# --- probes ---------------------------------------------------------------------------
# Commands that end a session politely, per protocol family.
quit_cmd() {
  case $1 in
    *imap) printf 'a1 LOGOUT' ;;
    *) printf 'QUIT' ;;
  esac
}

greeting_ok() { # kind line
  case $1 in
    *smtp|lmtp) [[ $2 == 220[\ -]* ]] ;;
    *imap) [[ $2 == '* OK'* ]] ;;
    *pop3) [[ $2 == '+OK'* ]] ;;
    *) return 1 ;;
  esac
}

# probe KIND PORT: 0 if the service on PORT answers with its greeting.
# Implicit-TLS ports are checked with openssl s_client, verifying the lab CA
# and the server name. Plain ports use bash's /dev/tcp (a loopback connect
# succeeds or fails at once; the greeting read has a 2 s timeout).
probe() {
  local kind=$1 port=$2 line=''
  if [[ $kind == tls-* ]]; then
    line=$(printf '%s\r\n' "$(quit_cmd "$kind")" | timeout 3 openssl s_client -connect "127.0.0.1:$port" -quiet \
             -CAfile "$TLS_DIR/ca.pem" -verify_return_error -verify_hostname "$LAB_HOSTNAME" \
             2>/dev/null | head -n1) || true
  else
    line=$(
      exec 2>/dev/null
      exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
      IFS= read -r -t 2 line <&3 || exit 1
      printf '%s\r\n' "$(quit_cmd "$kind")" >&3
      printf '%s\n' "$line"
    ) || true
  fi
  line=${line%$'\r'}
  greeting_ok "$kind" "$line"
}

# Anything listening on 127.0.0.1:PORT?
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# --- readiness ------------------------------------------------------------------------
# probe_many NAME...: probe the given ports in parallel; prints the names of
# the ports that did NOT answer (one per line).
probe_many() {
  local name pids=() names=()
  for name in "$@"; do
    probe "${P_KIND[$name]}" "${P_PORT[$name]}" &
    pids+=($!) names+=("$name")
  done
  local i
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || printf '%s\n' "${names[$i]}"
  done
}

# all_ready: 0 if every port answers with its greeting.
all_ready() {
  [[ -z $(probe_many "${PORT_NAMES[@]}") ]]
}

# wait_ready DEADLINE: poll every port until all greet; on failure name the
# ports that did not come up and show the tail of the responsible daemon's log.
wait_ready() {
  local name pending=("${PORT_NAMES[@]}")
  while :; do
    mapfile -t pending < <(probe_many "${pending[@]}")
    ((${#pending[@]} == 0)) && return 0
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
