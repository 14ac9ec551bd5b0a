# shellcheck shell=bash
# Shared settings and helpers for lab.sh. Sourced, never executed.
# Many variables here are used by the other lib files or read indirectly
# (T_* through render), hence:
# shellcheck disable=SC2034

# --- fixed identities --------------------------------------------------------
LAB_DOMAIN=lab.test
LAB_HOSTNAME=mail.lab.test
LAB_USER1=alice
LAB_PASSWORD1=Alice-Lab-Pass-1
LAB_USER2=bob
LAB_PASSWORD2=Bob-Lab-Pass-2
# The IMAP and POP3 suites each have an account of their own: the SMTP suite delivers to alice and
# bob while they run, and POP3 cases need a maildrop nobody else touches.
LAB_USER3=carol
LAB_PASSWORD3=Carol-Lab-Pass-3
LAB_USER4=dave
LAB_PASSWORD4=Dave-Lab-Pass-4
# The contact form's recipient (nginx + PHP -> msmtp -> Postfix): no suite but the form's delivers there.
LAB_USER5=erin
LAB_PASSWORD5=Erin-Lab-Pass-5
LAB_USERS=("$LAB_USER1" "$LAB_USER2" "$LAB_USER3" "$LAB_USER4" "$LAB_USER5")
LAB_UNKNOWN_RCPT=nobody@lab.test
LAB_REMOTE_RCPT=someone@remote.example
LAB_MESSAGE_SIZE_LIMIT=10485760
# vsftpd logs in real unix users only (PAM): one system user shared by every run dir, without a
# login shell; each lab's vsftpd chroots it into its own folder ($FTP_ROOT, vsftpd's local_root).
LAB_FTP_USER=facteur-ftp
LAB_FTP_PASSWORD=Ftp-Lab-Pass-6
# PAM service of the lab's vsftpd: /etc/pam.d/$LAB_FTP_PAM_SERVICE (PAM reads no other place).
LAB_FTP_PAM_SERVICE=facteur-lab-ftp
# Passive data ports: a fixed range per vsftpd instance, starting at its *_PASV_PORT.
LAB_PASV_COUNT=50
# The form's own sender address (envelope and From:).
LAB_FORM_FROM=contact-form@lab.test
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
FTP_ROOT=$RUN/ftp
VS_ETC=$RUN/vsftpd-etc
VS_DIR=$RUN/vsftpd
WEB_ETC=$RUN/web-etc
WEB_DIR=$RUN/web
WWW_DIR=$RUN/www

# phase NAME: with FACTEUR_LAB_DEBUG=1, print ms elapsed since the previous phase.
_PHASE_T=${EPOCHREALTIME/./}
phase() {
  [[ ${FACTEUR_LAB_DEBUG:-} == 1 ]] || return 0
  local t=${EPOCHREALTIME/./}
  printf 'lab: [%6d ms] %s\n' $(((t - _PHASE_T) / 1000)) "$1" >&2
  _PHASE_T=$t
}

die()  { printf 'lab: error: %s\n' "$*" >&2; exit 1; }
info() { printf 'lab: %s\n' "$*" >&2; }

need_root() {
  [[ $(id -u) -eq 0 ]] || die "'$1' must run as root (the daemons start as root and drop privileges)"
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
  T_USER3=$LAB_USER3
  T_PASSWORD3=$LAB_PASSWORD3
  T_USER4=$LAB_USER4
  T_PASSWORD4=$LAB_PASSWORD4
  T_USER5=$LAB_USER5
  T_PASSWORD5=$LAB_PASSWORD5
  T_MAIL_UID=$LAB_MAIL_UID
  T_MAIL_GID=$LAB_MAIL_GID
  T_MESSAGE_SIZE_LIMIT=$LAB_MESSAGE_SIZE_LIMIT
  T_LISTEN=$LAB_LISTEN
  T_FTP_ROOT=$FTP_ROOT
  T_FTP_PAM_SERVICE=$LAB_FTP_PAM_SERVICE
  # vsftpd's pasv_address must be an IPv4 literal.
  if [[ $LAB_HOST =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
    T_FTP_PASV_ADDRESS=$LAB_HOST
  else
    T_FTP_PASV_ADDRESS=127.0.0.1
  fi
  T_VS_DIR=$VS_DIR
  T_WEB_ETC=$WEB_ETC
  T_WEB_DIR=$WEB_DIR
  T_WWW_DIR=$WWW_DIR
  T_FORM_RCPT=$LAB_USER5@$LAB_DOMAIN
  T_FORM_FROM=$LAB_FORM_FROM
  # Postfix: "0.0.0.0" is no interface; listening everywhere is "all" and a
  # master.cf service name without address.
  if [[ $LAB_LISTEN == 0.0.0.0 ]]; then
    T_PF_INTERFACES=all T_PF_LISTEN_PREFIX=''
  else
    T_PF_INTERFACES=$LAB_LISTEN T_PF_LISTEN_PREFIX=$LAB_LISTEN:
  fi
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

# install_if_changed SRC DST MODE [GROUP]: keep DST (and its mtime) if identical.
install_if_changed() {
  if ! cmp -s "$1" "$2"; then
    install -m "$3" ${4:+-g "$4"} "$1" "$2"
  fi
  chmod "$3" "$2"
  [[ -z ${4:-} ]] || chgrp "$4" "$2"
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

# --- processes ---------------------------------------------------------------------------
# proc_alive PID: the process exists and is not a zombie (a daemon's exited
# master stays a zombie until PID 1 reaps it, which may take a while).
proc_alive() {
  local stat
  kill -0 "$1" 2>/dev/null || return 1
  read -r stat <"/proc/$1/stat" 2>/dev/null || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z ]]
}

# pid_alive PIDFILE [COMM]: the process in PIDFILE is alive (and, if given, its
# command name is COMM: a stale pid file may name an unrelated process).
pid_alive() {
  local pid comm
  [[ -r $1 ]] || return 1
  pid=$(tr -dc '0-9' <"$1")
  [[ -n $pid ]] && proc_alive "$pid" || return 1
  [[ -z ${2:-} ]] && return 0
  read -r comm <"/proc/$pid/comm" 2>/dev/null || return 1
  [[ $comm == "$2" ]]
}

pid_of() { tr -dc '0-9' <"$1" 2>/dev/null; }

# wait_gone PIDFILE SECONDS: wait for the process in PIDFILE to exit.
wait_pid_gone() {
  local pid=$1 deadline=$((SECONDS + $2))
  while proc_alive "$pid"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.05
  done
}

# spawn PIDFILE LOG CMD...: start a daemon that stays in the foreground (vsftpd, nginx with
# "daemon off", php-fpm -F) in a session and process group of its own, detached from lab.sh's
# terminal and output, and record its pid. (lab.sh's background children are no process group
# leaders, so setsid(1) execs in place and $! is the daemon itself.)
spawn() {
  local pidfile=$1 log=$2
  shift 2
  rm -f "$pidfile"
  setsid "$@" </dev/null >"$log" 2>&1 &
  printf '%s\n' "$!" >"$pidfile"
}

# stop_spawned PIDFILE COMM LABEL: SIGTERM the daemon, wait up to 10 s, then SIGKILL.
stop_spawned() {
  local pidfile=$1 comm=$2 label=$3 pid
  pid_alive "$pidfile" "$comm" || { rm -f "$pidfile"; return 0; }
  pid=$(pid_of "$pidfile")
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_pid_gone "$pid" 10; then
    info "$label (pid $pid) did not stop in 10 s, sending KILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_pid_gone "$pid" 5 || die "$label (pid $pid) does not die"
  fi
  rm -f "$pidfile"
}

log_tail() { # file [lines]
  if [[ -s $1 ]]; then
    printf -- '--- last lines of %s ---\n' "$1"
    tail -n "${2:-15}" "$1"
  else
    printf -- '--- %s is empty or missing ---\n' "$1"
  fi
}
