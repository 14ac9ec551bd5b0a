#!/usr/bin/env node
// Reads an HdrHistogram interval log with hdr-histogram-js (an implementation independent of
// facteur's) and prints, per interval, the numbers facteur's hdr_make_log prints for the same log:
// tag, start and end (ms since the epoch), total count, min (non-zero), max, mean, stddev and a few
// percentiles, as a JSON array.
//   node decode.js LOG
"use strict";
const fs = require("fs");
const { HistogramLogReader } = require("hdr-histogram-js");

if (process.argv.length !== 3) {
  process.stderr.write("usage: node decode.js LOG\n");
  process.exit(2);
}
// 64-bit (Float64Array) counts: the default 32-bit ones would wrap on large counts.
const reader = new HistogramLogReader(fs.readFileSync(process.argv[2], "utf8"), 64);
const intervals = [];
for (let h = reader.nextIntervalHistogram(); h !== null; h = reader.nextIntervalHistogram()) {
  const empty = h.totalCount === 0;
  intervals.push({
    tag: h.tag,
    startMs: h.startTimeStampMsec,
    endMs: h.endTimeStampMsec,
    totalCount: h.totalCount,
    min: empty ? null : h.minNonZeroValue,
    max: h.maxValue,
    mean: h.mean,
    stddev: h.stdDeviation,
    p50: h.getValueAtPercentile(50),
    p90: h.getValueAtPercentile(90),
    p99: h.getValueAtPercentile(99),
    "p99.9": h.getValueAtPercentile(99.9),
    p100: h.getValueAtPercentile(100),
  });
}
process.stdout.write(JSON.stringify(intervals, null, 1) + "\n");
