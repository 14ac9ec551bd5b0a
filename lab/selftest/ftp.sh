# shellcheck shell=bash
# FTP checks with curl, sourced by lab/selftest.sh (uses its ok/bad/check/var/now_ms).
# Active-mode FTPS and long TLS 1.3 uploads are checked in ftp.py: curl 7.88.1 (Debian 12) fails
# active FTPS (curl issue 10666) and races its TLS 1.3 uploads (it closes the data connection
# with the server's session tickets unread; the kernel's RST then drops the upload's tail, 426).

FTP_URL=$(var ftp_url)
FTPS_URL=$(var ftps_url)
FTP_ROOT=$(var ftp_root)
FTP_AUTH=$(var ftp_user):$(var ftp_password)
FTP_TMP=$(mktemp -d)
trap 'rm -rf "$FTP_TMP"' EXIT
head -c 200000 /dev/urandom >"$FTP_TMP/data.bin"

# ftp_roundtrip NAME URL [CURL OPTION...]: upload data.bin to URL/NAME, download it again, compare.
ftp_roundtrip() {
  local name=$1 url=$2 t0 ms out
  shift 2
  t0=$(now_ms)
  if ! out=$(curl -sS --max-time 20 --cacert "$CA" --user "$FTP_AUTH" "$@" -T "$FTP_TMP/data.bin" "$url/$name" 2>&1); then
    bad "ftp upload $name ($url $*)" "$out"; return
  fi
  if ! out=$(curl -sS --max-time 20 --cacert "$CA" --user "$FTP_AUTH" "$@" -o "$FTP_TMP/$name" "$url/$name" 2>&1); then
    bad "ftp download $name ($url $*)" "$out"; return
  fi
  ms=$(($(now_ms) - t0))
  if cmp -s "$FTP_TMP/data.bin" "$FTP_TMP/$name" && cmp -s "$FTP_TMP/data.bin" "$FTP_ROOT/$name"; then
    ok "ftp $url $* : 195 KiB up and down, identical on disk (${ms} ms)"
  else
    bad "ftp $url $*" "$name differs after the round trip"
  fi
}

ftp_roundtrip plain-epsv.bin "$FTP_URL"
ftp_roundtrip plain-pasv.bin "$FTP_URL" --disable-epsv
ftp_roundtrip plain-active.bin "$FTP_URL" -P -
ftp_roundtrip explicit.bin "$FTP_URL" --ssl-reqd --tls-max 1.2
ftp_roundtrip implicit.bin "$FTPS_URL" --tls-max 1.2

out=$(curl -sS -v --max-time 20 --cacert "$CA" --user "$FTP_AUTH" --ssl-reqd "$FTP_URL/plain-epsv.bin" -o /dev/null 2>&1 || true)
check "ftp explicit FTPS (TLS 1.3): AUTH TLS, PBSZ/PROT P, download" "$out" '^> AUTH SSL' '^< 234 ' \
  'SSL connection using TLSv1\.3' '^< 200 PROT now Private' '^< 226 Transfer complete'
owner=$(stat -c %U "$FTP_ROOT/plain-epsv.bin" 2>/dev/null || true)
mode=$(stat -c %a "$FTP_ROOT/plain-epsv.bin" 2>/dev/null || true)
if [[ $owner == "$(var ftp_user)" && $mode == 644 ]]; then ok "ftp uploads owned by $owner, mode $mode (local_umask 022)"
else bad "ftp upload owner/mode" "$owner $mode"; fi
out=$(curl -sS --max-time 10 --user "$FTP_AUTH" "$FTP_URL/" -Q 'MKD made-by-selftest' -l 2>&1 || true)
check "ftp MKD and NLST" "$out" '^made-by-selftest$' '^plain-epsv\.bin$'
