#!/usr/bin/env bash
# facteur fuzz against the lab's real servers: bounded runs for SMTP (plain and implicit TLS), IMAP
# and POP3 that write their reports; the same seed gives the same findings; and a finding (Postfix
# takes a bare LF for a line end, RFC 5321 §2.3.8) replays with `facteur run` and fails the same way.
#   fuzz_lab.sh FACTEUR SOURCE_DIR OUT_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lab_script.sh"

fuzz() {  # name url suite inputs [options…]
  local name=$1 url=$2 suite=$3 n=$4
  shift 4
  local rc=0
  "$facteur" fuzz "$src/scenarios/$suite" --target "$url" --vars "$vars" -n "$n" --rate 200 --seed 7 -q \
    --findings "$out/$name/findings" -o "$out/$name/report" "$@" >"$out/$name.log" 2>&1 || rc=$?
  # 0: no finding, 1: findings; anything else (usage, unreachable, crash of facteur) is a failure.
  ((rc == 0 || rc == 1)) || { cat "$out/$name.log"; fail "$name: facteur fuzz exited $rc"; }
  /usr/bin/python3 - "$out/$name/report/result.json" "$n" "$name" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
env = r["environment"]
assert r["command"] == "fuzz", r["command"]
assert int(env["fuzz.inputs"]) == int(sys.argv[2]), env
assert int(env["fuzz.setup_failures"]) * 10 <= int(env["fuzz.inputs"]), env
print(f'{sys.argv[3]}: {env["fuzz.inputs"]} inputs, {env["fuzz.findings"]} findings, '
      f'{env["fuzz.setup_failures"]} setup failures; {env["fuzz.mutations"]}')
PY
}

fuzz smtp smtp://127.0.0.1:2525 smtp/5321 80
fuzz smtps smtps://127.0.0.1:2465 smtp/5321 20
fuzz imap imap://127.0.0.1:2143 imap/9051 40
fuzz pop3 pop3://127.0.0.1:2110 pop3/1939 40

# Reproducible: the same seed finds the same thing, written the same way.
fuzz lf1 smtp://127.0.0.1:2525 smtp/5321 6 --mutations bare-lf-inside --id smtp/5321/4.1.1.1
fuzz lf2 smtp://127.0.0.1:2525 smtp/5321 6 --mutations bare-lf-inside --id smtp/5321/4.1.1.1
finding=$(ls "$out/lf1/findings"/*.json | head -1)
[ -n "$finding" ] || fail "no bare-LF finding against Postfix"
diff -r "$out/lf1/findings" "$out/lf2/findings" || fail "the same seed wrote different findings"

# The finding replays as an ordinary scenario and fails for the same reason.
rc=0
"$facteur" run "$finding" --target smtp://127.0.0.1:2525 --vars "$vars" -o "$out/replay" >"$out/replay.log" 2>&1 || rc=$?
((rc == 1)) || { cat "$out/replay.log"; fail "replaying $finding exited $rc, expected 1"; }
grep -q "replies where at most 2 were expected" "$out/replay.log" || { cat "$out/replay.log"; fail "replay: other reason"; }
echo "finding replayed: $(basename "$finding")"
