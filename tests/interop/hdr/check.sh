#!/usr/bin/env bash
# Independent reader check for facteur's HdrHistogram interval logs: hdr_make_log writes a log and
# prints facteur's numbers for it; hdr-histogram-js (npm, pinned in package-lock.json) reads the
# same log back (decode.js); every interval's count, min, max, percentiles, mean and stddev must agree.
#   check.sh PATH/TO/hdr_make_log
# Exit 0 when they agree, 1 when not, 77 (ctest SKIP_RETURN_CODE) when node or npm is missing.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
make_log=${1:?usage: check.sh PATH/TO/hdr_make_log}

for tool in node npm; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: $tool not found (Debian package nodejs/npm)"
    exit 77
  fi
done

# Node 20 can deadlock at exit (nodejs/node#54918: the main thread drains platform tasks while a
# background compile job waits for a main-thread GC); about one run in twenty hung here. V8's
# --single-threaded runs no background tasks, so no such cycle can form. Each step is also bounded
# so that a hang fails with its name rather than at ctest's timeout.
js() { timeout 120 node --single-threaded "$@"; }
step() {
  local name=$1
  shift
  "$@" || { echo "FAIL: $name (exit $?)"; exit 1; }
}

# node_modules is git-ignored: install the locked versions when missing or not the pinned one.
pinned=$(js -p "require('$here/package.json').dependencies['hdr-histogram-js']")
installed=$(js -p "try { require('$here/node_modules/hdr-histogram-js/package.json').version } catch (e) { '' }")
if [ "$installed" != "$pinned" ]; then
  echo "installing hdr-histogram-js $pinned (npm ci)"
  npm_cli=$(readlink -f "$(command -v npm)")  # npm is a node script: run it single-threaded too
  (cd "$here" && step "npm ci" timeout 300 node --single-threaded "$npm_cli" ci --no-audit --no-fund --loglevel=error)
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
trap 'exit 143' TERM INT
step "hdr_make_log" timeout 60 "$make_log" "$work/intervals.log" >"$work/facteur.json"
step "decode.js" js "$here/decode.js" "$work/intervals.log" >"$work/js.json"

js - "$work/facteur.json" "$work/js.json" <<'JS'
"use strict";
const fs = require("fs");
const [facteur, js] = process.argv.slice(2).map((f) => JSON.parse(fs.readFileSync(f, "utf8")));
// Integers must match exactly; mean and stddev are sums of doubles: 1e-9 relative.
const close = (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
let passed = 0;
let failed = 0;
if (facteur.length !== js.length) {
  console.log(`FAIL interval count: facteur ${facteur.length}, hdr-histogram-js ${js.length}`);
  failed++;
}
for (let i = 0; i < Math.min(facteur.length, js.length); i++) {
  for (const key of Object.keys(facteur[i])) {
    const [want, got] = [facteur[i][key], js[i][key]];
    const ok = key === "mean" || key === "stddev" ? close(want, got) : want === got;
    if (ok) passed++;
    else {
      failed++;
      console.log(`FAIL interval ${i} (${facteur[i].tag}) ${key}: facteur ${want}, hdr-histogram-js ${got}`);
    }
  }
  const f = facteur[i];
  console.log(`interval ${i} ${f.tag}: count ${f.totalCount} p50 ${f.p50} p99 ${f.p99} p99.9 ${f["p99.9"]} max ${f.max}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
JS
