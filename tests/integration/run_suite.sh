#!/usr/bin/env bash
# run_suite.sh FACTEUR URL OUTDIR MIN_CASES SUITE BASELINE [facteur options…]: runs a shipped suite
# (scenarios/SUITE) against the lab with its baseline (scenarios/baselines/BASELINE) and checks the
# verdict and the reports: exit 0, at least MIN_CASES cases, no failure that the baseline does not
# explain, every report written and well formed, no password or AUTH payload in result.json.
set -euo pipefail
facteur=$1 url=$2 out=$3 min=$4 suite=$5 baseline=$6
shift 6
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
lab_dir=${FACTEUR_LAB_DIR:-/tmp/facteur-lab}
rm -rf "$out"
rc=0
"$facteur" run "$top/scenarios/$suite" --target "$url" --vars "$lab_dir/vars.json" \
  --baseline "$top/scenarios/baselines/$baseline" -j 4 -q -o "$out" "$@" || rc=$?
if ((rc != 0)); then
  echo "facteur exited $rc against $url; summary:" >&2
  cat "$out/summary.md" >&2 || true
  exit 1
fi
for f in result.json junit.xml summary.md report.html; do
  [ -s "$out/$f" ] || { echo "missing report $out/$f" >&2; exit 1; }
done
xmllint --noout "$out/junit.xml"
/usr/bin/python3 - "$out/result.json" "$min" "$lab_dir/vars.json" <<'PY'
import base64, json, sys
doc = json.load(open(sys.argv[1]))
lab = json.load(open(sys.argv[3]))
cases, s = doc["cases"], doc["summary"]
assert doc["facteur-result"] == 1, "result version"
ran = len(cases) - s["skipped"]
print(f"{len(cases)} cases: {s['passed']} passed, {s['failed']} failed, {s['errored']} errors, "
      f"{s['skipped']} skipped, {s['baselined']} baselined, {s['warned']} warned")
assert len(cases) >= int(sys.argv[2]), f"only {len(cases)} cases"
assert ran >= len(cases) // 2, f"only {ran} cases ran: the lab is not what the suite expects"
# summary.failed/errored count baselined cases too: only a failure without a baseline reason is unexplained.
unexplained = [c["id"] for c in cases if c["outcome"] in ("fail", "error") and "baseline" not in c]
assert not unexplained, f"unexplained failures: {unexplained}"
# Secrets never reach a report: neither the password nor the base64 of an AUTH PLAIN payload.
raw = open(sys.argv[1]).read()
for key, pw in lab.items():
    if "password" not in key:
        continue
    user = lab.get(key.replace("password", "user"), "")
    plain = base64.b64encode(f"\0{user}\0{pw}".encode()).decode()
    assert pw not in raw and plain not in raw, f"{key} or an AUTH payload with it is in result.json"
PY
