#!/usr/bin/env bash
# ftp_large.sh FACTEUR OUTDIR MAX_RSS_KIB: runs tests/integration/ftp/large (1 GiB over FTPS with
# PROT P against the lab's vsftpd on ftp://127.0.0.1:2121, AUTH TLS) under /usr/bin/time and checks
# the verdict and facteur's peak resident memory (VmHWM, "Maximum resident set size"): a transfer
# held in memory would be 1 GiB; streaming keeps it at a few MiB. Whatever happens, the file is
# removed from the lab's FTP folder afterwards.
set -euo pipefail
facteur=$1 out=$2 max_rss=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
lab_dir=${FACTEUR_LAB_DIR:-/tmp/facteur-lab}
ftp_root=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["ftp_root"])' "$lab_dir/vars.json")
cleanup() { rm -f "$ftp_root"/facteur-large-*.bin; }
trap cleanup EXIT
rm -rf "$out"
mkdir -p "$out"
rc=0
/usr/bin/time -v -o "$out/time.txt" "$facteur" run "$here/ftp/large" --target ftp://127.0.0.1:2121 \
  --vars "$lab_dir/vars.json" --cacert "$lab_dir/tls/ca.pem" --transcripts -q -o "$out" || rc=$?
if ((rc != 0)); then
  echo "facteur exited $rc; summary:" >&2
  cat "$out/summary.md" >&2 || true
  exit 1
fi
rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out/time.txt")
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$out/time.txt")
echo "1 GiB up, 1 GiB down, 256 MiB + 768 MiB resumed: wall $wall, facteur peak RSS $rss KiB (bound $max_rss KiB)"
/usr/bin/python3 - "$out/result.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
notes = [l["text"] for c in doc["cases"] for l in c.get("transcript", []) if l["text"].startswith("data: ")]
for n in notes:
    print(n)
assert len(notes) == 4, f"expected 4 transfers, found {len(notes)}"
assert notes[0].startswith("data: 1073741824 octets"), notes[0]
assert notes[1].startswith("data: 1073741824 octets"), notes[1]
assert notes[3].startswith("data: 805306368 octets"), notes[3]
PY
if ((rss > max_rss)); then
  echo "facteur's peak RSS $rss KiB is above the bound of $max_rss KiB" >&2
  exit 1
fi
if ls "$ftp_root"/facteur-large-*.bin >/dev/null 2>&1; then
  echo "the scenario left its file behind (DELE failed?)" >&2
  exit 1
fi
