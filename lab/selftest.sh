#!/usr/bin/env bash
# End-to-end checks of a running lab: swaks + raw SMTP, curl for FTP and the contact form
# (lab/selftest/ftp.sh, form.sh), /usr/bin/python3 for the rest (lab/selftest/extra.py, ftp.py).
# Usage: lab/selftest.sh   (after lab/lab.sh start; needs swaks and curl, /usr/bin/python3 optional)
# Leaves test messages and files behind; ends with lab.sh reset.
set -euo pipefail

LAB_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
LAB=$LAB_HOME/lab.sh
eval "$("$LAB" env)"
VARS=$FACTEUR_LAB_VARS
[[ -r $VARS ]] || { echo "selftest: no $VARS: is the lab started?" >&2; exit 1; }
"$LAB" status >/dev/null || { "$LAB" status; echo "selftest: lab not ready" >&2; exit 1; }
command -v swaks >/dev/null || { echo "selftest: swaks is not installed" >&2; exit 1; }
command -v curl >/dev/null || { echo "selftest: curl is not installed" >&2; exit 1; }

hostport() { local u=${1#*://}; printf '%s' "${u%%/*}"; }
SMTP=$(hostport "$FACTEUR_LAB_SMTP")
SUBM=$(hostport "$FACTEUR_LAB_SUBMISSION")
SMTPS=$(hostport "$FACTEUR_LAB_SMTPS")
CA=$FACTEUR_LAB_CACERT
TLS=(--tls-verify --tls-ca-path "$CA")
U=$FACTEUR_LAB_USER P=$FACTEUR_LAB_PASSWORD
PASS=0 FAIL=0

ok()   { PASS=$((PASS + 1)); printf 'PASS %s %s\n' "$1" "${2:-}"; }
bad()  { FAIL=$((FAIL + 1)); printf 'FAIL %s %s\n' "$1" "${2:-}"; }
now_ms() { local t=${EPOCHREALTIME/./}; printf '%s' $((t / 1000)); }
# check NAME OUTPUT REGEX...: every REGEX (grep -E) must match OUTPUT; "!REGEX" must not.
check() {
  local name=$1 out=$2 re; shift 2
  for re in "$@"; do
    if [[ $re == !* ]]; then
      if grep -qE -- "${re#!}" <<<"$out"; then bad "$name" "unexpected: ${re#!}"; return; fi
    elif ! grep -qE -- "$re" <<<"$out"; then
      bad "$name" "missing: $re"; printf '%s\n' "$out" | sed 's/^/    | /' | tail -n 12; return
    fi
  done
  ok "$name"
}
count_new() { find "$1/new" -type f | wc -l; }
# wait_delivery MAILDIR BEFORE: ms until a new message appears (max 1000), or "never".
wait_delivery() {
  local t0; t0=$(now_ms)
  while (($(now_ms) - t0 < 1000)); do
    (($(count_new "$1") > $2)) && { printf '%s' $(($(now_ms) - t0)); return 0; }
    sleep 0.01
  done
  printf never; return 1
}
sw() { swaks --hide-informational --helo selftest.example "$@" 2>&1 || true; }

"$LAB" reset 2>/dev/null
# var NAME: a string from vars.json.
var() { sed -n "s/.*\"$1\": \"\\(.*\\)\".*/\\1/p" "$VARS"; }
MD=$(var maildir)
MD2=$(var maildir2)

# --- EHLO on the MTA port -----------------------------------------------------------
out=$(sw --server "$SMTP" --quit-after EHLO)
check "smtp EHLO extensions, no AUTH before TLS" "$out" '250-PIPELINING' '250-SIZE 10485760' '250-VRFY' \
  '250-ETRN' '250-STARTTLS' '250-ENHANCEDSTATUSCODES' '250-8BITMIME' '250-DSN' '250-SMTPUTF8' \
  '250 CHUNKING' '!AUTH'
out=$(sw --server "$SMTP" --tls "${TLS[@]}" --quit-after EHLO)
check "smtp STARTTLS (verified) then AUTH offered" "$out" '220 2.0.0 Ready to start TLS' \
  '<~ +250-AUTH PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256' '!<~ +250-STARTTLS'

# --- plain delivery ---------------------------------------------------------------------------
before=$(count_new "$MD")
out=$(sw --server "$SMTP" --from tester@example.org --to "$U" --h-Subject "selftest plain")
ms=$(wait_delivery "$MD" "$before") || true
check "smtp plain to alice: 250" "$out" '<-  250 2.0.0 Ok: queued'
if [[ $ms == never ]]; then bad "alice Maildir delivery" "no new file in $MD/new after 1 s"
else ok "alice Maildir delivery" "(in Maildir after $ms ms)"; fi

# --- AUTH after STARTTLS on 2525 and 2587 --------------------------------------------------------
for hp in "$SMTP" "$SUBM"; do
  for mech in PLAIN LOGIN CRAM-MD5; do
    out=$(sw --server "$hp" --tls "${TLS[@]}" --auth "$mech" --auth-user "$U" --auth-password "$P" \
          --from "$U" --to "$FACTEUR_LAB_USER2" --h-Subject "selftest $mech $hp")
    check "$hp AUTH $mech good" "$out" '235 2.7.0' '250 2.0.0 Ok: queued'
    t0=$(now_ms)
    out=$(sw --server "$hp" --tls "${TLS[@]}" --auth "$mech" --auth-user "$U" --auth-password wrong \
          --quit-after AUTH)
    t=$(($(now_ms) - t0))
    if ((t < 1000)); then
      check "$hp AUTH $mech wrong password -> 535 (whole session ${t} ms)" "$out" '535 5.7.8'
    else
      bad "$hp AUTH $mech wrong password" "took ${t} ms"
    fi
  done
done

# --- submission policy (RFC 6409) -----------------------------------------------------------------
out=$(sw --server "$SUBM" --quit-after EHLO)
check "submission: STARTTLS offered, no AUTH before TLS" "$out" '250-STARTTLS' '!AUTH'
out=$(sw --server "$SUBM" --from tester@example.org --to "$U")
check "submission: MAIL before STARTTLS -> 530" "$out" '530 5.7.0 Must issue a STARTTLS command first'
out=$(sw --server "$SUBM" --tls "${TLS[@]}" --from tester@example.org --to "$U")
check "submission: MAIL without AUTH -> 530 5.7.0" "$out" '530 5.7.0 .*Authentication required'

# --- SMTPS (implicit TLS) ------------------------------------------------------------------------------------
before=$(count_new "$MD2")
out=$(sw --server "$SMTPS" --tlsc "${TLS[@]}" --auth PLAIN --auth-user "$U" --auth-password "$P" \
      --from "$U" --to "$FACTEUR_LAB_USER2" --h-Subject "selftest smtps")
ms=$(wait_delivery "$MD2" "$before") || true
check "smtps: AUTH offered, AUTH+mail to bob (in Maildir after ${ms} ms)" "$out" \
  '250-AUTH PLAIN LOGIN CRAM-MD5' '235 2.7.0' '250 2.0.0 Ok: queued'
before=$(count_new "$MD")
out=$(sw --server "$SMTPS" --tlsc "${TLS[@]}" --from tester@example.org --to "$U" --h-Subject "selftest smtps plain")
ms=$(wait_delivery "$MD" "$before") || true
check "smtps: no AUTH, mail to alice accepted (in Maildir after ${ms} ms)" "$out" '250 2.0.0 Ok: queued'
out=$(sw --server "$SMTPS" --tlsc "${TLS[@]}" --from tester@example.org --to someone@remote.example)
check "smtps: relay without AUTH -> 554 5.7.1" "$out" '554 5.7.1 .*Relay access denied'

# --- relay and recipients ----------------------------------------------------------------------------------------
REMOTE=$(sed -n 's/.*"remote_rcpt": "\(.*\)".*/\1/p' "$VARS")
UNKNOWN=$(sed -n 's/.*"unknown_rcpt": "\(.*\)".*/\1/p' "$VARS")
out=$(sw --server "$SMTP" --from tester@example.org --to "$REMOTE")
check "relay to $REMOTE without AUTH -> 554 5.7.1" "$out" '554 5.7.1 .*Relay access denied'
out=$(sw --server "$SMTP" --tls "${TLS[@]}" --auth PLAIN --auth-user "$U" --auth-password "$P" \
      --from "$U" --to "$REMOTE")
check "relay to $REMOTE with AUTH -> 250 (discarded)" "$out" '250 2.1.5' '250 2.0.0 Ok: queued'
out=$(sw --server "$SMTP" --from tester@example.org --to "$UNKNOWN")
check "RCPT $UNKNOWN -> 550 5.1.1" "$out" '550 5.1.1 '

# --- raw SMTP: ordering and syntax ---------------------------------------------------------------------------------
raw() { # PORT CMD...: print all replies
  local port=${1##*:} l c; shift
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  _reply() { while IFS= read -r -t 5 l <&3; do printf '%s\n' "${l%$'\r'}"; [[ $l == [0-9][0-9][0-9][\ $'\r']* ]] && break; done; }
  _reply
  for c in "$@"; do printf '%s\r\n' "$c" >&3; printf '> %s\n' "$c"; _reply; done
  exec 3>&-
}
out=$(raw "$SMTP" "MAIL FROM:<a@example.org>" QUIT)
check "MAIL before EHLO -> 503 5.5.1" "$out" '^503 5\.5\.1'
# reply_to OUTPUT CMD: the (last line of the) reply that followed "> CMD" in raw's output.
reply_to() { awk -v c="> $2" 'f && /^[0-9][0-9][0-9] / {print; exit} $0 == c {f=1}' <<<"$1"; }
out=$(raw "$SMTP" "EHLO selftest.example" "MAIL FROM:<a@example.org>" "RCPT TO:<Postmaster>" \
      "RCPT TO:<POSTMASTER@${FACTEUR_LAB_DOMAIN}>" QUIT)
check "postmaster accepted (RFC 5321 4.5.1)" \
  "$(reply_to "$out" "RCPT TO:<Postmaster>")|$(reply_to "$out" "RCPT TO:<POSTMASTER@${FACTEUR_LAB_DOMAIN}>")" \
  '^250 2\.1\.5 [^|]*\|250 2\.1\.5 '
out=$(raw "$SMTP" "EHLO selftest.example" "MAIL FROM:a@example.org" "MAIL FROM:<a@example.org>" \
      "RCPT TO:$U" "VRFY $U" "VRFY $UNKNOWN" RSET "MAIL FROM:<a@example.org> SIZE=10485761" QUIT)
check "strict envelopes (501), VRFY (252/550), SIZE (552)" "$(
  for c in "MAIL FROM:a@example.org" "MAIL FROM:<a@example.org>" "RCPT TO:$U" "VRFY $U" "VRFY $UNKNOWN" \
           "MAIL FROM:<a@example.org> SIZE=10485761"; do reply_to "$out" "$c"; done | tr '\n' '|')" \
  "^501 5\\.1\\.7[^|]*\\|250 2\\.1\\.0[^|]*\\|501 5\\.1\\.3[^|]*\\|252 2\\.0\\.0 $U\\|550 5\\.1\\.1[^|]*\\|552 5\\.3\\.4"

# --- FTP and the contact form (curl) -----------------------------------------------------------------------------------
# shellcheck source=selftest/ftp.sh
source "$LAB_HOME/selftest/ftp.sh"
# shellcheck source=selftest/form.sh
source "$LAB_HOME/selftest/form.sh"

# --- SCRAM, BDAT, SMTPUTF8, LMTP, IMAP, POP3; FTP details (python) ----------------------------------------------------
run_py() { # SCRIPT: count its PASS/FAIL lines
  local line
  while IFS= read -r line; do
    case $line in
      PASS*) PASS=$((PASS + 1)); printf '%s\n' "$line" ;;
      FAIL*) FAIL=$((FAIL + 1)); printf '%s\n' "$line" ;;
      *) printf '    %s\n' "$line" ;;
    esac
  done < <(/usr/bin/python3 "$1" "$VARS" 2>&1 || true)
}
if [[ -x /usr/bin/python3 ]]; then
  run_py "$LAB_HOME/selftest/extra.py"
  run_py "$LAB_HOME/selftest/ftp.py"
else
  printf 'SKIP SCRAM/BDAT/LMTP/IMAP/POP3 and FTP detail checks: /usr/bin/python3 not installed\n'
fi

# --- reset --------------------------------------------------------------------------------------------------------------------
"$LAB" reset 2>/dev/null
n=$(find "$MD" "$MD2" "$FORM_MD" -type f | wc -l)
if ((n == 0)) && [[ -d $MD/new && -d $MD/cur && -d $MD2/new && -d $FORM_MD/new ]]; then ok "reset empties the Maildirs"
else bad "reset" "$n files left"; fi
n=$(find "$FTP_ROOT" -mindepth 1 | wc -l)
if ((n == 0)) && [[ -d $FTP_ROOT ]]; then ok "reset empties the FTP folder"; else bad "reset FTP" "$n entries left in $FTP_ROOT"; fi

printf '\n%d passed, %d failed\n' "$PASS" "$FAIL"
((FAIL == 0))
