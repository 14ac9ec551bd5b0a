#!/usr/bin/env python3
"""facteur's memory under load: RSS per open session, and RSS growth over a long run.

  tests/perf/rss.py sessions [--sessions 1000]       RSS with N SMTP sessions open at once
  tests/perf/rss.py growth [--minutes 10] [--rate 300]  RSS sampled through a long open-model run

Both run against Postfix's smtp-sink, started here on a free port.

`sessions`: N VUs (one worker thread) each open a session, send EHLO and then hold it with
`silence` steps until every VU is connected; RSS is sampled while they are all open. The figure
per session is (RSS with N open - RSS of the same run with 1 VU) / (N - 1).

`growth`: a constant-arrival-rate run (new connection and one 1 KB message per iteration) for the
given minutes; VmRSS is sampled every 5 s and the growth between minute 2 and the end is printed
(the issue's target: under 1 %).
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except FileNotFoundError:
        return None
    return None


def hold_workload(tmp, hold_ms):
    doc = {
        "facteur": 1, "id": "perf/hold-session", "title": "Open a session and hold it",
        "description": "Connect, EHLO, then stay connected (perf: RSS per open session).",
        "protocol": "smtp", "spec": [{"rfc": "5321", "section": "3.1", "level": "MUST"}],
        "steps": [{"connect": {}}, {"ehlo": "perf.facteur.test"}, {"silence": hold_ms}, {"quit": True}],
    }
    path = os.path.join(tmp, "hold.json")
    json.dump(doc, open(path, "w"))
    return path


def run_sessions(args, facteur, port, tmp):
    hold_ms = 8000
    workload = hold_workload(tmp, hold_ms)
    results = {}
    for n in (1, args.sessions):
        argv = [facteur, "load", workload, "--target", f"smtp://127.0.0.1:{port}", "--executor", "constant-vus",
                "--vus", str(n), "--iterations", str(n), "--duration", "5m", "-T", "1", "-q",
                "--connect-timeout", "20000", "--reply-timeout", str(hold_ms + 20000), "-o", os.path.join(tmp, f"o{n}")]
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        time.sleep(hold_ms / 2000)  # every VU connected by the middle of the hold
        peak = 0
        end = time.time() + hold_ms / 4000
        while time.time() < end:
            peak = max(peak, rss_kib(proc.pid) or 0)
            time.sleep(0.1)
        out, _ = proc.communicate()
        if proc.returncode != 0:
            raise SystemExit(f"facteur exited {proc.returncode}:\n{out[-3000:]}")
        results[n] = peak
        print(f"  {n} session(s) open: RSS {peak / 1024:.1f} MiB")
    per = (results[args.sessions] - results[1]) / (args.sessions - 1)
    print(f"RSS per open session at {args.sessions} sessions: {per:.1f} KiB "
          f"(RSS {results[args.sessions] / 1024:.1f} MiB; one session {results[1] / 1024:.1f} MiB)")


def run_growth(args, facteur, port, tmp):
    workload = os.path.join(TOP, "scenarios", "workloads", "smtp-send.json")
    argv = [facteur, "load", workload, "--target", f"smtp://127.0.0.1:{port}", "--var", "rcpt2=rcpt@sink.test",
            "--executor", "constant-arrival-rate", "--rate", str(args.rate), "--vus", "20", "--max-vus", "200",
            "--duration", f"{args.minutes}m", "-T", "1", "-q", "-o", os.path.join(tmp, "growth")]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    start = time.time()
    samples = []
    while proc.poll() is None:
        r = rss_kib(proc.pid)
        if r:
            samples.append((time.time() - start, r))
        time.sleep(5)
    out = proc.stdout.read()
    if proc.returncode != 0:
        raise SystemExit(f"facteur exited {proc.returncode}:\n{out[-3000:]}")
    for t, r in samples[::12]:
        print(f"  {t / 60:5.1f} min  RSS {r / 1024:.2f} MiB")
    at2 = [r for t, r in samples if t >= 120]
    if len(at2) < 2:
        raise SystemExit("the run was too short to compare minute 2 with its end")
    first, last = at2[0], at2[-1]
    print(f"RSS at minute 2: {first / 1024:.2f} MiB; at minute {samples[-1][0] / 60:.1f}: {last / 1024:.2f} MiB; "
          f"growth {100.0 * (last - first) / first:+.2f} %; peak {max(r for _, r in samples) / 1024:.2f} MiB")
    print(out.strip().splitlines()[-3] if out.strip() else "")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=["sessions", "growth"])
    ap.add_argument("--sessions", type=int, default=1000)
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--rate", type=float, default=300)
    ap.add_argument("--facteur", default=os.path.join(TOP, "build", "release", "harness", "facteur"))
    args = ap.parse_args()
    if not shutil.which("smtp-sink"):
        raise SystemExit("smtp-sink is missing: apt-get install postfix")
    tmp = tempfile.mkdtemp(prefix="facteur-rss-")
    port = free_port()
    sink = subprocess.Popen(["smtp-sink", "-u", "nobody", "-m", str(args.sessions + 100), f"127.0.0.1:{port}", "4096"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.3)
    try:
        print(f"# {time.strftime('%Y-%m-%d %H:%M:%S')}, load average " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
        (run_sessions if args.mode == "sessions" else run_growth)(args, args.facteur, port, tmp)
    finally:
        sink.terminate()
        sink.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
