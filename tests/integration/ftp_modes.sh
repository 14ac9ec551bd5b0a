#!/usr/bin/env bash
# ftp_modes.sh FACTEUR OUTDIR: the data channel modes (tests/integration/ftp/modes: PASV, EPSV, PORT,
# EPRT, each in clear, under AUTH TLS with PROT P, and over implicit FTPS) against the lab's vsftpd.
set -euo pipefail
facteur=$1 out=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
lab_dir=${FACTEUR_LAB_DIR:-/tmp/facteur-lab}
rm -rf "$out"
rc=0
"$facteur" run "$here/ftp/modes" --target ftp://127.0.0.1:2121 --vars "$lab_dir/vars.json" \
  --cacert "$lab_dir/tls/ca.pem" -j 4 -q -o "$out" || rc=$?
if ((rc != 0)); then
  echo "facteur exited $rc; summary:" >&2
  cat "$out/summary.md" >&2 || true
  exit 1
fi
/usr/bin/python3 - "$out/result.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
s = doc["summary"]
print(f"{len(doc['cases'])} cases: {s['passed']} passed, {s['failed']} failed, {s['errored']} errors, {s['skipped']} skipped")
assert len(doc["cases"]) == 4 and s["passed"] == 4, "every mode must pass"
PY
