# shellcheck shell=bash
# Shared settings and helpers for lab.sh. Sourced, never executed.

# --- fixed identities --------------------------------------------------------
LAB_DOMAIN=lab.test
LAB_HOSTNAME=mail.lab.test
LAB_USER1=alice
LAB_PASSWORD1=Alice-Lab-Pass-1
LAB_USER2=bob
LAB_PASSWORD2=Bob-Lab-Pass-2
LAB_UNKNOWN_RCPT=nobody@lab.test
LAB_REMOTE_RCPT=someone@remote.example
LAB_MESSAGE_SIZE_LIMIT=10485760
# Owner of the mailboxes (Dovecot mail_uid/mail_gid): Debian's "mail" user.
LAB_MAIL_UID=8
LAB_MAIL_GID=8

# --- run directory ------------------------------------------------------------
RUN=${FACTEUR_LAB_DIR:-/tmp/facteur-lab}
RUN=${RUN%/}
LOG_DIR=$RUN/log
TLS_DIR=$RUN/tls
MAIL_DIR=$RUN/mail
STATE_FILE=$RUN/ports.env
VARS_FILE=$RUN/vars.json
PF_CONF=$RUN/postfix/etc
PF_QUEUE=$RUN/postfix/queue
PF_DATA=$RUN/postfix/data
PF_LOG=$LOG_DIR/postfix.log
DC_BASE=$RUN/dovecot
DC_CONF=$RUN/dovecot-etc/dovecot.conf
DC_PASSWD=$RUN/dovecot-etc/passwd
DC_LOG=$LOG_DIR/dovecot.log

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

die()  { printf 'lab: error: %s\n' "$*" >&2; exit 1; }
info() { printf 'lab: %s\n' "$*" >&2; }

need_root() {
  [[ $(id -u) -eq 0 ]] || die "'$1' must run as root (Postfix and Dovecot start as root and drop privileges)"
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
    [[ $val =~ ^[0-9]+$ ]] && ((val >= 1 && val <= 65535)) || die "$env: bad port '$val'"
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

# --- templates ------------------------------------------------------------------
# render SRC DST: replace every {{NAME}} by the value of the shell variable T_NAME.
render() {
  local src=$1 dst=$2 text name val
  text=$(<"$src")
  shopt -u patsub_replacement 2>/dev/null || true
  while [[ $text =~ \{\{([A-Z0-9_]+)\}\} ]]; do
    name=${BASH_REMATCH[1]}
    val=T_$name
    [[ -v $val ]] || die "template $src: unknown placeholder {{$name}}"
    text=${text//"{{$name}}"/"${!val}"}
  done
  printf '%s\n' "$text" >"$dst"
}

# Values available to the templates.
template_vars() {
  T_RUN=$RUN
  T_LOG_DIR=$LOG_DIR
  T_TLS_DIR=$TLS_DIR
  T_MAIL_DIR=$MAIL_DIR
  T_DOMAIN=$LAB_DOMAIN
  T_HOSTNAME=$LAB_HOSTNAME
  T_USER1=$LAB_USER1
  T_PASSWORD1=$LAB_PASSWORD1
  T_USER2=$LAB_USER2
  T_PASSWORD2=$LAB_PASSWORD2
  T_MAIL_UID=$LAB_MAIL_UID
  T_MAIL_GID=$LAB_MAIL_GID
  T_MESSAGE_SIZE_LIMIT=$LAB_MESSAGE_SIZE_LIMIT
  T_LISTEN=$LAB_LISTEN
  case $LAB_DELIVERY in
    lmtp) T_DELIVERY_TRANSPORT=lmtp:inet:127.0.0.1:${P_PORT[lmtp]} ;;
    virtual) T_DELIVERY_TRANSPORT=virtual: ;;
  esac
  T_PF_CONF=$PF_CONF
  T_PF_QUEUE=$PF_QUEUE
  T_PF_DATA=$PF_DATA
  T_PF_LOG=$PF_LOG
  T_DC_BASE=$DC_BASE
  T_DC_PASSWD=$DC_PASSWD
  T_DC_LOG=$DC_LOG
  local name
  for name in "${PORT_NAMES[@]}"; do
    printf -v "T_${P_VAR[$name]}_PORT" '%s' "${P_PORT[$name]}"
  done
}

# --- JSON ---------------------------------------------------------------------------
# json_str STRING: JSON string literal of STRING, in $REPLY (no subshell).
json_str() {
  local s=$1
  s=${s//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\n'/\\n}; s=${s//$'\t'/\\t}; s=${s//$'\r'/\\r}
  REPLY="\"$s\""
}

# write_json FILE key value key value ...
write_json() {
  local file=$1; shift
  local sep='' out='{'
  local k
  while (($#)); do
    json_str "$1"; k=$REPLY
    json_str "$2"
    out+="$sep"$'\n  '"$k: $REPLY"
    sep=','
    shift 2
  done
  out+=$'\n}'
  printf '%s\n' "$out" >"$file.tmp"
  mv -f "$file.tmp" "$file"
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
# Implicit-TLS ports are checked with openssl s_client, verifying the lab CA.
probe() {
  local kind=$1 port=$2 line=''
  if [[ $kind == tls-* ]]; then
    line=$(printf '%s\r\n' "$(quit_cmd "$kind")" | timeout 3 openssl s_client -connect "127.0.0.1:$port" -quiet \
             -CAfile "$TLS_DIR/ca.pem" -verify_return_error -verify_hostname "$LAB_HOSTNAME" \
             2>/dev/null | head -n1) || true
  else
    line=$(timeout 2 bash -c '
      exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
      IFS= read -r -t 2 line <&3 || exit 1
      printf "%s\r\n" "$2" >&3
      printf "%s\n" "$line"' probe "$port" "$(quit_cmd "$kind")" 2>/dev/null) || true
  fi
  line=${line%$'\r'}
  greeting_ok "$kind" "$line"
}

# A TCP listener on 127.0.0.1:PORT (anything)?
port_open() {
  timeout 1 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' probe "$1" 2>/dev/null
}

pid_alive() { # pidfile
  local pid
  [[ -r $1 ]] || return 1
  pid=$(tr -dc '0-9' <"$1")
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null
}

pid_of() { tr -dc '0-9' <"$1" 2>/dev/null; }

# wait_gone PIDFILE SECONDS: wait for the process in PIDFILE to exit.
wait_pid_gone() {
  local pid=$1 deadline=$((SECONDS + $2))
  while kill -0 "$pid" 2>/dev/null; do
    ((SECONDS < deadline)) || return 1
    sleep 0.05
  done
}

log_tail() { # file [lines]
  if [[ -s $1 ]]; then
    printf -- '--- last lines of %s ---\n' "$1"
    tail -n "${2:-15}" "$1"
  else
    printf -- '--- %s is empty or missing ---\n' "$1"
  fi
}
