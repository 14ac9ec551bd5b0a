#!/usr/bin/env bash
# ftp_large.sh FACTEUR OUTDIR MAX_RSS_KIB: runs a scenario of tests/integration/ftp/large (256 MiB,
# or 1 GiB with FACTEUR_FTP_LARGE=1gib, over FTPS with PROT P against the lab's vsftpd on
# ftp://127.0.0.1:2121 with AUTH TLS) under /usr/bin/time and checks the verdict and facteur's peak
# resident memory (VmHWM, "Maximum resident set size"): a transfer held in memory would be the
# file's size; streaming keeps it at a few MiB. Whatever happens, the file is removed from the lab's
# FTP folder afterwards. (1 GiB takes about a minute on two shared cores with the dev build.)
set -euo pipefail
facteur=$1 out=$2 max_rss=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
lab_dir=${FACTEUR_LAB_DIR:-/tmp/facteur-lab}
ftp_root=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["ftp_root"])' "$lab_dir/vars.json")
cleanup() { rm -f "$ftp_root"/facteur-large-*.bin; }
trap cleanup EXIT
case ${FACTEUR_FTP_LARGE:-256mib} in
  1gib) scenario=ftps-1gib.json size=1073741824 interrupted=268435456 ;;
  256mib) scenario=ftps-256mib.json size=268435456 interrupted=67108864 ;;
  *) echo "FACTEUR_FTP_LARGE is 256mib (default) or 1gib" >&2; exit 2 ;;
esac
rm -rf "$out"
mkdir -p "$out"
rc=0
/usr/bin/time -v -o "$out/time.txt" "$facteur" run "$here/ftp/large/$scenario" --target ftp://127.0.0.1:2121 \
  --vars "$lab_dir/vars.json" --cacert "$lab_dir/tls/ca.pem" --transcripts -q -o "$out" || rc=$?
if ((rc != 0)); then
  echo "facteur exited $rc; summary:" >&2
  cat "$out/summary.md" >&2 || true
  exit 1
fi
rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out/time.txt")
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$out/time.txt")
echo "$scenario: $size octets up, down, and down again interrupted at $interrupted then resumed with REST:" \
  "wall $wall, facteur peak RSS $rss KiB (bound $max_rss KiB)"
/usr/bin/python3 - "$out/result.json" "$size" "$interrupted" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
size, cut = int(sys.argv[2]), int(sys.argv[3])
notes = [l["text"] for c in doc["cases"] for l in c.get("transcript", []) if l["text"].startswith("data: ")]
for n in notes:
    print(n)
assert len(notes) == 4, f"expected 4 transfers, found {len(notes)}"
assert notes[0].startswith(f"data: {size} octets"), notes[0]
assert notes[1].startswith(f"data: {size} octets"), notes[1]
assert notes[2].startswith(f"data: {cut} octets") and "aborted with ABOR" in notes[2], notes[2]
assert notes[3].startswith(f"data: {size - cut} octets"), notes[3]
PY
if ((rss > max_rss)); then
  echo "facteur's peak RSS $rss KiB is above the bound of $max_rss KiB" >&2
  exit 1
fi
if ls "$ftp_root"/facteur-large-*.bin >/dev/null 2>&1; then
  echo "the scenario left its file behind (DELE failed?)" >&2
  exit 1
fi
