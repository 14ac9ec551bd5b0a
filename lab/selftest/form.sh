# shellcheck shell=bash
# Contact form checks with curl (nginx -> php-fpm -> msmtp -> Postfix -> Dovecot), sourced by
# lab/selftest.sh (uses its ok/bad/check/var/now_ms/count_new).

FORM_URL=$(var form_url)
FORM_HTTPS_URL=$(var form_https_url)
HTTP_URL=$(var http_url)
FORM_MD=$(var form_maildir)
FORM_IMAP=$(var imaps_url)
FORM_LOGIN=$(var form_rcpt):$(var form_password)
JAR=$FTP_TMP/cookies

# form_token: GET the form with a fresh cookie jar; prints the CSRF token.
form_token() {
  rm -f "$JAR"
  curl -sS --max-time 10 -c "$JAR" "$FORM_URL" | sed -n 's/.*name="csrf_token" value="\([0-9a-f]*\)".*/\1/p'
}

# wait_form_mail BEFORE T0: ms from T0 until the form's Maildir holds more than BEFORE messages.
wait_form_mail() {
  while (($(now_ms) - $2 < 5000)); do
    (($(count_new "$FORM_MD") > $1)) && { printf '%s' $(($(now_ms) - $2)); return 0; }
    sleep 0.005
  done
  printf never; return 1
}

# post FIELD=VALUE...: POST the form (urlencoded) with the session cookie; prints status and headers.
post() {
  local args=() kv
  for kv in "$@"; do args+=(--data-urlencode "$kv"); done
  curl -sS --max-time 10 -b "$JAR" -D - -o "$FTP_TMP/body" "${args[@]}" "$FORM_URL"
  cat "$FTP_TMP/body"
}

out=$(curl -sS --max-time 10 -D - "$FORM_URL")
check "form GET: 200, session cookie, CSRF token, fields" "$out" '^HTTP/1\.1 200' '^Set-Cookie: PHPSESSID=.*HttpOnly' \
  'name="csrf_token" value="[0-9a-f]{64}"' 'name="name"' 'name="email"' 'name="subject"' 'name="message"' \
  'enctype="multipart/form-data"'
out=$(curl -sS --max-time 10 -D - -o /dev/null --cacert "$CA" "$FORM_HTTPS_URL")
check "form GET over HTTPS (lab CA): 200, Secure cookie" "$out" '^HTTP/1\.1 200' '^Set-Cookie: PHPSESSID=.*secure'

# --- a message through the form, found again over IMAP ---------------------------------------------
token=$(form_token)
ref=selftest-$RANDOM$RANDOM
subject='Grüße vom Selbsttest — ça marche'
before=$(count_new "$FORM_MD")
t0=$(now_ms)
out=$(curl -sS --max-time 10 -b "$JAR" -D - -L -o "$FTP_TMP/body" --data-urlencode "csrf_token=$token" \
  --data-urlencode "ref=$ref" --data-urlencode 'name=Zoë Selftest' --data-urlencode 'email=zoe@example.org' \
  --data-urlencode "subject=$subject" --data-urlencode $'message=Hello from the selftest.\nSecond line: é.' "$FORM_URL")
post_ms=$(($(now_ms) - t0))
ms=$(wait_form_mail "$before" "$t0") || true
check "form POST: 303 See Other -> /thanks.php -> 200 (${post_ms} ms with the redirect)" "$out" \
  '^HTTP/1\.1 303 See Other' '^Location: /thanks\.php' '^X-Facteur-Message-Id: <form\.[0-9a-f]+@lab\.test>' \
  '^HTTP/1\.1 200 OK'
if [[ $ms == never ]]; then bad "form mail delivered to $(var form_rcpt)" "nothing in $FORM_MD/new after 5 s"
else ok "form mail in $(var form_rcpt)'s Maildir ${ms} ms after the POST started"; fi
mid=$(sed -n 's/^X-Facteur-Message-Id: \(<[^>]*>\).*/\1/p' <<<"$out" | tr -d '\r')
uid=$(curl -sS --max-time 10 --cacert "$CA" --user "$FORM_LOGIN" "$FORM_IMAP/INBOX" \
        -X "UID SEARCH HEADER X-Facteur-Form-Id $ref" 2>&1 | sed -n 's/^\* SEARCH \([0-9]*\).*/\1/p' | tr -d '\r')
mail=$(curl -sS --max-time 10 --cacert "$CA" --user "$FORM_LOGIN" "$FORM_IMAP/INBOX;UID=${uid:-0}" 2>&1 || true)
check "form mail over IMAPS (UID SEARCH HEADER X-Facteur-Form-Id): RFC 2047 subject, ids, no header injection" \
  "$mail" "^X-Facteur-Form-Id: $ref" "^Message-ID: ${mid:-none}" '^Subject: =\?UTF-8\?B\?' \
  '^Reply-To: =\?UTF-8\?B\?[^ ]+\?= <zoe@example\.org>' '^From: "facteur lab contact form" <contact-form@lab\.test>' \
  '^Content-Transfer-Encoding: quoted-printable' '^Second line: =C3=A9'
decoded=$(/usr/bin/python3 -c 'import email.header,sys; print(str(email.header.make_header(email.header.decode_header(sys.argv[1]))))' \
  "$(sed -n 's/^Subject: \(.*\)/\1/p' <<<"$mail" | tr -d '\r')" 2>/dev/null || true)
if [[ $decoded == "$subject" ]]; then ok "form subject decodes back to '$subject'"
else bad "form subject decoding" "got '$decoded'"; fi

# --- timing: sequential POSTs, each until its message is in the Maildir --------------------------------------
times=()
for i in 1 2 3 4 5 6 7 8 9 10; do
  before=$(count_new "$FORM_MD")
  t0=$(now_ms)
  post csrf_token="$token" name=Timer email=timer@example.org message="timing $i" ref="timing-$i" >/dev/null
  ms=$(wait_form_mail "$before" "$t0") || true
  times+=("$ms")
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n | tr '\n' ' ')
if [[ $sorted != *never* ]]; then ok "form POST -> Maildir, 10 sequential posts (ms, sorted): $sorted"
else bad "form POST timing" "$sorted"; fi

# --- multipart with an attachment --------------------------------------------------------------------------
before=$(count_new "$FORM_MD")
head -c 50000 /dev/urandom >"$FTP_TMP/attach.bin"
out=$(curl -sS --max-time 10 -b "$JAR" -D - -o /dev/null -F "csrf_token=$token" -F name=Multi -F email=multi@example.org \
  -F 'message=see attachment' -F "attachment=@$FTP_TMP/attach.bin;filename=données.bin" "$FORM_URL")
ms=$(wait_form_mail "$before" "$(now_ms)") || true
f=$(find "$FORM_MD/new" -type f -newer "$FTP_TMP/attach.bin" | head -n1)
sum=$(/usr/bin/python3 - "$f" <<'PY' 2>/dev/null || true
import email, hashlib, sys
msg = email.message_from_binary_file(open(sys.argv[1], "rb"))
for part in msg.walk():
    if part.get_filename():
        print(part.get_filename(), hashlib.sha256(part.get_payload(decode=True)).hexdigest())
PY
)
check "form multipart POST with a 49 KiB attachment: 303, attachment intact in the mail" \
  "$out"$'\n'"$sum" '^HTTP/1\.1 303' "^données\\.bin $(sha256sum "$FTP_TMP/attach.bin" | cut -d' ' -f1)\$"

# --- refusals -----------------------------------------------------------------------------------------------
before=$(count_new "$FORM_MD")
out=$(post csrf_token="$token" name=Mallory email=m@example.org message=hi $'subject=hi\r\nBcc: victim@example.org')
check "form header injection (CR LF in subject) -> 400" "$out" '^HTTP/1\.1 400' 'field subject: CR, LF or NUL'
out=$(post csrf_token="$token" $'name=Mallory\nBcc: victim@example.org' email=m@example.org message=hi)
check "form header injection (LF in name) -> 400" "$out" '^HTTP/1\.1 400' 'field name: CR, LF or NUL'
out=$(post csrf_token="$token" name=Mallory $'email=m@example.org\r\nCc: victim@example.org' message=hi)
check "form header injection (CR LF in email) -> 400" "$out" '^HTTP/1\.1 400' 'field email: CR, LF or NUL'
out=$(post csrf_token="$token" name=Nobody email=n@example.org)
check "form without message -> 400 naming the field" "$out" '^HTTP/1\.1 400' 'field message: required'
out=$(post csrf_token="$token" name=Nobody email=not-an-address message=hi)
check "form with a bad email -> 400" "$out" '^HTTP/1\.1 400' 'field email: not a valid address'
out=$(post csrf_token=0000 name=Nobody email=n@example.org message=hi)
check "form with a wrong CSRF token -> 403" "$out" '^HTTP/1\.1 403' 'csrf_token'
out=$(curl -sS --max-time 10 -D - --data-urlencode "csrf_token=$token" -d name=x -d email=n@example.org -d message=hi "$FORM_URL")
check "form without the session cookie -> 403" "$out" '^HTTP/1\.1 403'
out=$(curl -sS --max-time 10 -b "$JAR" -D - -H 'Content-Type: application/json' -d '{"name":"x"}' "$FORM_URL")
check "form POST as application/json -> 415" "$out" '^HTTP/1\.1 415' '^Accept-Post: application/x-www-form-urlencoded, multipart/form-data'
out=$(curl -sS --max-time 10 -D - -X PUT -d x "$FORM_URL")
check "form PUT -> 405 with Allow" "$out" '^HTTP/1\.1 405' '^Allow: GET, HEAD, POST'
out=$(curl -sS --max-time 10 -D - -X TRACE "$FORM_URL")
check "form TRACE (refused by nginx itself) -> 405 with Allow" "$out" '^HTTP/1\.1 405' '^Allow: GET, HEAD, POST'
head -c $(($(var form_max_body) + 1)) /dev/zero >"$FTP_TMP/big"
out=$(curl -sS --max-time 10 -b "$JAR" -D - -o /dev/null -H 'Content-Type: application/x-www-form-urlencoded' \
  --data-binary "@$FTP_TMP/big" "$FORM_URL" 2>&1 || true)
check "form body of $(var form_max_body)+1 bytes -> 413 (nginx)" "$out" '^HTTP/1\.1 413'
sleep 0.3
n=$(($(count_new "$FORM_MD") - before))
if ((n == 0)); then ok "no mail from any refused POST"; else bad "refused POSTs" "$n messages delivered"; fi

# --- the other endpoints ----------------------------------------------------------------------------------------
out=$(curl -sS --max-time 10 -D - "$HTTP_URL/204")
check "GET /204 -> 204" "$out" '^HTTP/1\.1 204'
out=$(curl -sS --max-time 10 -H 'X-Selftest: yes' -F 'field=välue' -F "file=@$FTP_TMP/attach.bin" "$HTTP_URL/echo.php?q=1")
check "echo.php: method, headers, query, form and files as JSON" "$out" '"method": "POST"' '"X-Selftest": "yes"' \
  '"q": "1"' '"field": "välue"' "\"sha256\": \"$(sha256sum "$FTP_TMP/attach.bin" | cut -d' ' -f1)\""
