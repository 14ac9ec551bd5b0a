# shellcheck shell=bash
# The port table, its overrides and state file, and the greeting probes.
# Sourced by lab.sh after common.sh.
# shellcheck disable=SC2034  # P_URL etc. are read by lab.sh

# Every port, in display order: name | variable | default | URL scheme | kind.
# kind: plain-smtp, tls-smtp, plain-imap, tls-imap, plain-pop3, tls-pop3, lmtp, plain-ftp, tls-ftp,
# http, https
LAB_PORTS=(
  "smtp|SMTP|2525|smtp|plain-smtp"
  "submission|SUBMISSION|2587|smtp|plain-smtp"
  "smtps|SMTPS|2465|smtps|tls-smtp"
  "lmtp|LMTP|2424|lmtp|lmtp"
  "imap|IMAP|2143|imap|plain-imap"
  "imaps|IMAPS|2993|imaps|tls-imap"
  "pop3|POP3|2110|pop3|plain-pop3"
  "pop3s|POP3S|2995|pop3s|tls-pop3"
  "ftp|FTP|2121|ftp|plain-ftp"
  "ftps|FTPS|2990|ftps|tls-ftp"
  "http|HTTP|2080|http|http"
  "https|HTTPS|2443|https|https"
)
# Passive data port ranges of the two vsftpd instances: LAB_PASV_COUNT ports from
# FACTEUR_LAB_FTP_PASV_PORT (ftp, explicit FTPS) and FACTEUR_LAB_FTPS_PASV_PORT (implicit FTPS).
LAB_PASV_DEFAULT_FTP=21000
LAB_PASV_DEFAULT_FTPS=21050

# Which daemon serves each port (for error messages).
port_daemon() {
  case $1 in
    smtp|submission|smtps) echo postfix ;;
    ftp|ftps) echo vsftpd ;;
    http|https) echo web ;;
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
  _pasv_from_env FTP "$LAB_PASV_DEFAULT_FTP"; PASV_FTP=$REPLY
  _pasv_from_env FTPS "$LAB_PASV_DEFAULT_FTPS"; PASV_FTPS=$REPLY
  # No port twice (a passive range counts as all its ports); plain bash, start is timed.
  local -A seen=()
  local port min
  for name in "${PORT_NAMES[@]}"; do
    port=${P_PORT[$name]}
    [[ -z ${seen[$port]:-} ]] || die "port $port is assigned to $name and ${seen[$port]}"
    seen[$port]=$name
    for min in "$PASV_FTP" "$PASV_FTPS"; do
      if ((port >= min && port < min + LAB_PASV_COUNT)); then
        die "port $port ($name) lies in a passive FTP range ($PASV_FTP.., $PASV_FTPS.., $LAB_PASV_COUNT ports each)"
      fi
    done
  done
  if ((PASV_FTP < PASV_FTPS + LAB_PASV_COUNT && PASV_FTPS < PASV_FTP + LAB_PASV_COUNT)); then
    die "the passive FTP ranges overlap ($PASV_FTP.., $PASV_FTPS.., $LAB_PASV_COUNT ports each)"
  fi
  _set_urls
}

_pasv_from_env() { # FTP|FTPS DEFAULT: first passive port, checked, in $REPLY
  local env=FACTEUR_LAB_$1_PASV_PORT
  REPLY=${!env:-$2}
  if ! [[ $REPLY =~ ^[0-9]+$ ]] || ((REPLY < 1024 || REPLY + LAB_PASV_COUNT - 1 > 65535)); then
    die "$env: bad first passive port '$REPLY' (1024..$((65536 - LAB_PASV_COUNT)))"
  fi
}

# pasv_range ftp|ftps: "MIN-MAX" of that vsftpd instance's passive ports.
pasv_range() {
  local min=$PASV_FTP
  [[ $1 == ftps ]] && min=$PASV_FTPS
  printf '%s-%s' "$min" $((min + LAB_PASV_COUNT - 1))
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
    printf 'PASV_FTP=%q\nPASV_FTPS=%q\n' "$PASV_FTP" "$PASV_FTPS"
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
    http*) ;;
    *) printf 'QUIT' ;;
  esac
}

greeting_ok() { # kind line
  case $1 in
    *smtp|lmtp|*ftp) [[ $2 == 220[\ -]* ]] ;;
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
  if [[ $kind == http* ]]; then
    # The form itself, through nginx and php-fpm; https verifies the lab CA (IP SAN 127.0.0.1).
    line=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 3 --cacert "$TLS_DIR/ca.pem" \
             "$kind://127.0.0.1:$port/contact.php" 2>/dev/null) || true
    [[ $line == 200 ]]
    return
  elif [[ $kind == tls-* ]]; then
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

# Ports of every listening TCP socket (IPv4 and IPv6) in this network namespace, one per line
# (state 0A is LISTEN).
listening_ports() {
  local line hex
  while read -r line; do
    hex=${line#*:*:}; hex=${hex%% *}
    printf '%d\n' $((16#$hex))
  done < <(grep -h '^ *[0-9]*: [0-9A-F]*:[0-9A-F]* [0-9A-F]*:[0-9A-F]* 0A ' /proc/net/tcp /proc/net/tcp6 2>/dev/null)
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
# ports that did not come up and show the tail of the responsible daemon's logs.
wait_ready() {
  local name pending=("${PORT_NAMES[@]}")
  while :; do
    mapfile -t pending < <(probe_many "${pending[@]}")
    ((${#pending[@]} == 0)) && return 0
    if ((SECONDS >= $1)) || ! all_running; then
      break
    fi
    sleep 0.1
  done
  local daemon bad=' '
  for name in "${pending[@]}"; do
    daemon=$(port_daemon "$name")
    printf 'lab: error: %s port %s (%s) is not ready after %ss\n' \
      "$name" "${P_PORT[$name]}" "$daemon" "$START_TIMEOUT" >&2
    bad+="$daemon "
  done
  for daemon in "${LAB_DAEMONS[@]}"; do
    if ! "${daemon}_running"; then
      printf 'lab: error: %s is not running\n' "$daemon" >&2
      bad+="$daemon "
    fi
    [[ $bad == *" $daemon "* ]] && "${daemon}_log_tail" >&2
  done
  return 1
}

# Refuse to start when another process already listens on one of our ports (one look at the
# kernel's table of listening sockets: no connection attempts, and the passive ranges are 100 ports).
check_ports_free() {
  local name port busy=0
  local -A listening=()
  while read -r port; do listening[$port]=1; done < <(listening_ports)
  for name in "${PORT_NAMES[@]}"; do
    if [[ -n ${listening[${P_PORT[$name]}]:-} ]]; then
      printf 'lab: error: port %s (%s) is already in use by another process\n' "${P_PORT[$name]}" "$name" >&2
      busy=1
    fi
  done
  for port in "${!listening[@]}"; do
    if ((port >= PASV_FTP && port < PASV_FTP + LAB_PASV_COUNT ||
         port >= PASV_FTPS && port < PASV_FTPS + LAB_PASV_COUNT)); then
      printf 'lab: error: passive FTP port %s (ranges %s, %s) is already in use\n' "$port" "$(pasv_range ftp)" \
        "$(pasv_range ftps)" >&2
      busy=1
    fi
  done
  ((busy == 0)) || die "free the ports above or choose others with FACTEUR_LAB_<NAME>_PORT (and _PASV_PORT)"
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
