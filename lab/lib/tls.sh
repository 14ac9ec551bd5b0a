# shellcheck shell=bash
# Lab certificate authority and server certificate (generated once per run dir).

# tls_ensure: create the CA, server certificate and DH parameters if any is
# missing (sets TLS_GENERATED=1 then).
tls_ensure() {
  local ca=$TLS_DIR/ca.pem cakey=$TLS_DIR/ca.key crt=$TLS_DIR/server.pem key=$TLS_DIR/server.key
  local dh=$TLS_DIR/dh.pem
  install -d -m 0755 "$TLS_DIR"
  if [[ -s $ca && -s $cakey && -s $crt && -s $key && -s $dh ]]; then
    return 0
  fi
  info "generating lab CA and server certificate in $TLS_DIR"
  # shellcheck disable=SC2034  # read by lab.sh
  TLS_GENERATED=1
  local tmp
  tmp=$(mktemp -d "$TLS_DIR/.gen.XXXXXX")
  (
    set -e
    cd "$tmp"
    umask 077
    cat >ca.cnf <<'CNF'
[req]
distinguished_name = dn
prompt = no
x509_extensions = v3_ca
[dn]
O = facteur lab
CN = facteur lab CA
[v3_ca]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
CNF
    cat >server.ext <<'CNF'
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, DNS:lab.test, DNS:mail.lab.test, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
CNF
    openssl req -x509 -new -newkey rsa:2048 -nodes -sha256 -days 3650 \
      -config ca.cnf -keyout ca.key -out ca.pem
    openssl req -new -newkey rsa:2048 -nodes -sha256 \
      -subj "/O=facteur lab/CN=$LAB_HOSTNAME" -keyout server.key -out server.csr
    openssl x509 -req -sha256 -days 825 -in server.csr -CA ca.pem -CAkey ca.key \
      -set_serial "0x$(openssl rand -hex 16)" -extfile server.ext -out server.pem
    # Well-known FFDHE group for Dovecot's ssl_dh (instant, unlike dhparam).
    openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048 -out dh.pem
    openssl verify -CAfile ca.pem server.pem
  ) >"$tmp/openssl.log" 2>&1 || { cat "$tmp/openssl.log" >&2; rm -rf "$tmp"; die "certificate generation failed"; }
  install -m 0644 "$tmp/ca.pem" "$ca"
  install -m 0600 "$tmp/ca.key" "$cakey"
  install -m 0644 "$tmp/server.pem" "$crt"
  install -m 0600 "$tmp/server.key" "$key"
  install -m 0644 "$tmp/dh.pem" "$dh"
  rm -rf "$tmp"
}
