#!/usr/bin/env bash
# cli_errors.sh FACTEUR SOURCE_DIR: the documented exit codes and error messages of `facteur run`.
set -uo pipefail
facteur=$1 top=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
lab_dir=${FACTEUR_LAB_DIR:-/tmp/facteur-lab}
failures=0
check() {  # check NAME EXPECTED_EXIT PATTERN -- command…
  local name=$1 want=$2 pattern=$3
  shift 4
  local out rc
  out=$("$@" 2>&1)
  rc=$?
  if [ "$rc" != "$want" ] || ! grep -qE -- "$pattern" <<<"$out"; then
    echo "FAIL $name: exit $rc (want $want), output:"
    echo "$out" | head -20
    failures=$((failures + 1))
  else
    echo "ok   $name"
  fi
}

# A malformed scenario: file, line, column and JSON path; exit 2.
mkdir -p "$work/bad"
cat > "$work/bad/case.json" <<'JSON'
{
  "facteur": 1,
  "id": "smtp/x/bad-level",
  "title": "t",
  "protocol": "smtp",
  "spec": [{"rfc": "5321", "section": "1", "level": "OUGHT"}],
  "steps": [{"connect": {}}]
}
JSON
check bad-scenario 2 'case.json:6:[0-9]+: \$\.spec\[0\]\.level: level must be' -- \
  "$facteur" run "$work/bad" --target smtp://127.0.0.1:2525 -o "$work/out1"
printf '{"facteur": 1, "id": ' > "$work/bad/case.json"
check invalid-json 2 'case.json:1:[0-9]+: \$: invalid JSON' -- \
  "$facteur" run "$work/bad" --target smtp://127.0.0.1:2525 -o "$work/out2"

# Usage errors: exit 2.
check bad-url 2 "unknown scheme 'smtpx'" -- "$facteur" run "$top/scenarios/smtp" --target smtpx://h -o "$work/o3"
check no-target 2 'target' -- "$facteur" run "$top/scenarios/smtp"

# Nothing listens on port 1: every case errors on connect, exit 3, and the reports are still written.
# (No --vars: the lab's vars name its other ports, which the submission cases would reach.)
check unreachable 3 'connect' -- "$facteur" run "$top/scenarios/smtp" --target smtp://127.0.0.1:1 \
  -q -o "$work/out4"
[ -s "$work/out4/junit.xml" ] || { echo "FAIL unreachable: no junit.xml"; failures=$((failures + 1)); }

# Certificate checks are on by default: without the lab CA the TLS handshake fails (error, exit 3).
check tls-verify 3 'certificate verify failed|tls:' -- "$facteur" run "$top/scenarios/smtp" \
  --target smtps://127.0.0.1:2465 --id smtp/5321 -q -o "$work/out5"

# A stale baseline entry (a case listed as failing that passes) fails the run: exit 1.
first=$("$facteur" list "$top/scenarios/smtp" --json | head -1 | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
printf '{"facteur-baseline": 1, "cases": {"%s": "pretend it fails"}}' "$first" > "$work/stale.json"
check stale-baseline 1 'baseline' -- "$facteur" run "$top/scenarios/smtp" --id "$first" \
  --target smtp://127.0.0.1:2525 --vars "$lab_dir/vars.json" --baseline "$work/stale.json" -o "$work/out6"

# SIGINT and SIGTERM during a run: cli_interrupt.py.

echo "$failures failed"
((failures == 0))
