#!/usr/bin/env bash
# facteur load against the lab's real servers: every landed protocol under all four executors with
# checks on; the HdrHistogram interval log; thresholds that fail with exit 99; an exact merge of two
# runs; SIGINT that still writes the reports.
#   load_lab.sh FACTEUR SOURCE_DIR OUT_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lab_script.sh"

check() {  # result.json → at least one iteration, no failed check, an interval log
  /usr/bin/python3 - "$1/result.json" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
m = r["load"]["metrics"]
assert r["command"] == "load", r["command"]
assert m["iterations"] > 0, m["iterations"]
assert m["checks"]["failed"] == 0, (m["checks"], [c["message"] for c in r["cases"]][:3])
it = m["metrics"]["iteration"]
print(f'{sys.argv[2]}: {m["iterations"]} iterations, p50 {it["corrected"]["p50_ms"]:.2f} ms, '
      f'p99 {it["corrected"]["p99_ms"]:.2f} ms (uncorrected {it["uncorrected"]["p99_ms"]:.2f} ms), '
      f'{len(m["metrics"])} metrics, errors {m.get("errors", {})}')
PY
  [ -s "$1/latency.hlog" ] || fail "$2: no latency.hlog"
}

run() {  # name url scenario executor-options…
  local name=$1 url=$2 scen=$3
  shift 3
  local rc=0
  "$facteur" load "$src/scenarios/workloads/$scen" --target "$url" --vars "$vars" -q -o "$out/$name" "$@" \
    >"$out/$name.log" 2>&1 || rc=$?
  ((rc == 0)) || { cat "$out/$name.log"; fail "$name: exit $rc"; }
  check "$out/$name" "$name"
}

for p in "smtp smtp://127.0.0.1:2525 smtp-send.json" "smtps smtps://127.0.0.1:2465 smtp-send.json" \
         "imap imap://127.0.0.1:2143 imap-mix.json" "pop3 pop3://127.0.0.1:2110 pop3-read.json" \
         "ftp ftp://127.0.0.1:2121 ftp-transfer.json" "http http://127.0.0.1:2080 http-form.json" \
         "https https://127.0.0.1:2443 http-form.json"; do
  set -- $p
  run "$1-constant-vus" "$2" "$3" --executor constant-vus --vus 3 --duration 2s
  run "$1-ramping-vus" "$2" "$3" --executor ramping-vus --stages 1s:3,1s:0
  run "$1-constant-arrival-rate" "$2" "$3" --executor constant-arrival-rate --rate 20 --duration 2s --vus 2 --max-vus 6
  run "$1-ramping-arrival-rate" "$2" "$3" --executor ramping-arrival-rate --stages 1s:20,1s:5 --vus 2 --max-vus 6
done

# The interval log decodes with an independent reader (hdr-histogram-js, installed by the interop test
# tests/interop/hdr/check.sh): per tag, the counts it reads add up to the run's.
interop=$src/tests/interop/hdr
if command -v node >/dev/null && [ -d "$interop/node_modules/hdr-histogram-js" ]; then
  timeout 120 node --single-threaded "$interop/decode.js" "$out/smtp-constant-vus/latency.hlog" >"$out/hlog.json"
  /usr/bin/python3 - "$out/hlog.json" "$out/smtp-constant-vus/result.json" <<'PY'
import json, sys
intervals = json.load(open(sys.argv[1]))
metrics = json.load(open(sys.argv[2]))["load"]["metrics"]["metrics"]
for tag in ("iteration", "smtp.data"):
    read = sum(i["totalCount"] for i in intervals if i["tag"] == tag)
    assert read == metrics[tag]["corrected"]["count"], (tag, read, metrics[tag]["corrected"]["count"])
print(f'hdr-histogram-js read {len(intervals)} interval histograms; counts agree')
PY
else
  echo "hdr-histogram-js not installed (tests/interop/hdr/check.sh installs it): log not cross-read"
fi

# A threshold that cannot hold: exit 99, and the report says which.
rc=0
"$facteur" load "$src/scenarios/workloads/smtp-send.json" --target smtp://127.0.0.1:2525 --vars "$vars" -q \
  --executor constant-vus --vus 1 --iterations 5 --threshold 'iteration:p(99)<1us' -o "$out/breach" \
  >"$out/breach.log" 2>&1 || rc=$?
((rc == 99)) || { cat "$out/breach.log"; fail "breached threshold: exit $rc, expected 99"; }
grep -q "FAIL iteration p(99)<1us" "$out/breach.log" || fail "breach not reported"

# Two runs merged: counts add, histograms add (never percentiles averaged).
"$facteur" report merge "$out/smtp-constant-vus/result.json" "$out/smtps-constant-vus/result.json" -o "$out/merged" \
  >"$out/merge.log" 2>&1 || true
/usr/bin/python3 - "$out" <<'PY'
import json, sys
d = sys.argv[1]
a, b, m = (json.load(open(f"{d}/{n}/result.json"))["load"]["metrics"] for n in ("smtp-constant-vus", "smtps-constant-vus", "merged"))
assert m["iterations"] == a["iterations"] + b["iterations"], (m["iterations"], a["iterations"], b["iterations"])
for name in ("iteration", "smtp.data"):
    c = lambda x: x["metrics"][name]["corrected"]
    assert c(m)["count"] == c(a)["count"] + c(b)["count"], (name, c(m)["count"], c(a)["count"], c(b)["count"])
    assert c(m)["max_ms"] == max(c(a)["max_ms"], c(b)["max_ms"]), name
print(f'merged: {m["iterations"]} iterations = {a["iterations"]} + {b["iterations"]}')
PY

# SIGINT during a run: exit 130, the reports hold what was measured.
"$facteur" load "$src/scenarios/workloads/smtp-send.json" --target smtp://127.0.0.1:2525 --vars "$vars" -q \
  --executor constant-vus --vus 2 --duration 60s -o "$out/interrupted" >"$out/interrupted.log" 2>&1 &
pid=$!
sleep 2
kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
((rc == 130)) || { cat "$out/interrupted.log"; fail "SIGINT: exit $rc, expected 130"; }
/usr/bin/python3 - "$out/interrupted/result.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["interrupted"] is True and r["load"]["metrics"]["iterations"] > 0, r["load"]["metrics"]["iterations"]
print(f'interrupted: {r["load"]["metrics"]["iterations"]} iterations kept, {r["duration_ms"]:.0f} ms')
PY
