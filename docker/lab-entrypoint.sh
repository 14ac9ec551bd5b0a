#!/usr/bin/env bash
# Container entrypoint of the lab: start it, follow its logs, stop it cleanly on SIGTERM/SIGINT.
set -euo pipefail
lab=${FACTEUR_LAB_SH:-/opt/facteur/lab/lab.sh}
run=${FACTEUR_LAB_DIR:-/tmp/facteur-lab}

"$lab" start
"$lab" status

stopping=0
shutdown() {
  ((stopping)) && return
  stopping=1
  "$lab" stop || true
  kill "$tail_pid" 2>/dev/null || true
}
trap shutdown TERM INT

tail -n 0 -F "$run/log/postfix.log" "$run/log/dovecot.log" &
tail_pid=$!
# wait returns early when a trapped signal arrives; keep waiting for tail to end.
while kill -0 "$tail_pid" 2>/dev/null; do
  wait "$tail_pid" || true
done
