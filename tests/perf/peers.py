#!/usr/bin/env python3
"""facteur side by side with the peer tools on loopback, alternating A B A B in one sitting.

  tests/perf/peers.py [--rounds N] [--messages N] [--only NAME…] [--facteur PATH]

For each pairing it prints, per round and as the median of the rounds, what each client did:
operations per second (wall clock) and client CPU per operation (user+sys of the client process,
from wait4's rusage, divided by operations completed), peak RSS, and the ratios facteur/peer.
CPU per operation is the figure that shows a better client first: on a 2-core machine the server
shares the CPU with the client and is often the limit of operations per second.

SMTP pairings run against Postfix's smtp-sink (started here on a free port): smtp-source with and
without -d (connection reuse) against facteur's workloads scenarios/workloads/smtp-reuse.json and
smtp-send.json, and smtp-pipelined.json (PIPELINING, which smtp-source lacks) against smtp-source -d.
HTTP pairings (wrk against facteur's http-post-204 workload on the lab's nginx) run when both wrk and
that workload exist. facteur runs with one worker thread (-T 1), as smtp-source and wrk -t1 do.

IMAP has no peer binary here: facteur's imap-mix workload runs against the lab's Dovecot, and its
client CPU per IMAP command is printed beside the figure issue 5 gives for Dovecot's imaptest.
"""
import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WORKLOADS = os.path.join(TOP, "scenarios", "workloads")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=5.0):
    end = time.time() + timeout
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing listens on 127.0.0.1:{port}")


def measure(argv, ops_of):
    """Runs argv; returns wall seconds, CPU seconds (user+sys), peak RSS (KiB) and operations."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{argv[0]} exited {proc.returncode}:\n{out[-3000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_kib": usage.ru_maxrss, "ops": ops_of(out)}


def facteur_ops(report_dir, per_iteration):
    def ops(_out):
        totals = json.load(open(os.path.join(report_dir, "result.json")))["load"]["metrics"]
        if totals["checks"]["failed"]:
            raise SystemExit(f"facteur: {totals['checks']['failed']} iterations failed their checks")
        return totals["iterations"] * per_iteration
    return ops


def variant(src, tmp, name, edit):
    """A copy of a shipped workload with `edit` applied (e.g. no PIPELINING requirement for smtp-sink)."""
    doc = json.load(open(src))
    edit(doc)
    path = os.path.join(tmp, name)
    json.dump(doc, open(path, "w"))
    return path


def smtp_pairings(args, tmp, facteur, port):
    target = f"smtp://127.0.0.1:{port}"
    sink_addr = f"127.0.0.1:{port}"
    m = args.messages
    source = ["smtp-source", "-l", "1024", "-f", "load@facteur.test", "-t", "rcpt@sink.test"]

    def fac(workload, vus, iterations, per_iteration, label):
        out = os.path.join(tmp, "out-" + label)
        argv = [facteur, "load", workload, "--target", target, "--var", "rcpt2=rcpt@sink.test",
                "--executor", "constant-vus", "--vus", str(vus), "--iterations", str(iterations),
                "--duration", "10m", "-T", "1", "-q", "-o", out]
        return argv, facteur_ops(out, per_iteration)

    reuse = os.path.join(WORKLOADS, "smtp-reuse.json")
    send = os.path.join(WORKLOADS, "smtp-send.json")

    # smtp-sink ends its EHLO reply with an empty "250 " line, which does not parse as an ehlo-line
    # (RFC 5321 §4.1.1.1): facteur then sees no PIPELINING. The variant drops the requirement and
    # the check on the EHLO reply; the pipelined replies are still checked one by one.
    def no_pipelining_check(doc):
        doc["requires"] = [r for r in doc["requires"] if r != "PIPELINING"]
        doc["steps"][1] = {"ehlo": "load.facteur.test"}
    pipelined = variant(os.path.join(WORKLOADS, "smtp-pipelined.json"), tmp, "pipelined.json", no_pipelining_check)

    per_session = 100  # messages per iteration of smtp-reuse / smtp-pipelined
    pairings = []
    for sessions in (1, 10, 100):
        msgs = max(m, per_session * sessions)
        iters = msgs // per_session
        pairings.append((f"smtp reuse, {sessions} session(s)",
                         fac(reuse, sessions, iters, per_session, f"reuse{sessions}"),
                         (source + ["-d", "-s", str(sessions), "-m", str(iters * per_session), sink_addr],
                          lambda _o, n=iters * per_session: n)))
    newconn = max(m // 4, 1000)
    pairings.append(("smtp new connection per message, 10 sessions",
                     fac(send, 10, newconn, 1, "newconn"),
                     (source + ["-s", "10", "-m", str(newconn), sink_addr], lambda _o, n=newconn: n)))
    iters = max(m, 1000) // per_session
    pairings.append(("smtp PIPELINING (facteur) vs reuse (smtp-source), 10 sessions",
                     fac(pipelined, 10, iters, per_session, "pipelined"),
                     (source + ["-d", "-s", "10", "-m", str(iters * per_session), sink_addr],
                      lambda _o, n=iters * per_session: n)))
    return pairings


def http_pairings(args, tmp, facteur):
    workload = os.path.join(WORKLOADS, "http-post-204.json")
    wrk = shutil.which("wrk")
    if not wrk or not os.path.exists(workload):
        print(f"(HTTP skipped: {'wrk is not installed' if not wrk else workload + ' does not exist'})")
        return []
    url = "http://127.0.0.1:2080"
    try:
        wait_port(2080, 1.0)
    except SystemExit:
        print("(HTTP skipped: the lab's nginx is not on 127.0.0.1:2080: lab/lab.sh start)")
        return []
    lua = os.path.join(tmp, "post.lua")
    with open(lua, "w") as f:
        f.write('wrk.method = "POST"\nwrk.body = "name=perf&message=hello"\n'
                'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
                'done = function(summary, latency, requests)\n'
                '  io.write(string.format("requests %d\\n", summary.requests))\nend\n')
    pairings = []
    per_iteration = 100
    for conns in (10, 100):
        iters = max(args.messages * 2, per_iteration * conns) // per_iteration
        out = os.path.join(tmp, f"out-http{conns}")
        fac = ([facteur, "load", workload, "--target", url, "--executor", "constant-vus", "--vus", str(conns),
                "--iterations", str(iters), "--duration", "10m", "-T", "1", "-q", "-o", out],
               facteur_ops(out, per_iteration))

        def wrk_ops(o):
            for line in o.splitlines():
                if line.startswith("requests "):
                    return int(line.split()[1])
            raise SystemExit("wrk printed no request count:\n" + o)
        pairings.append((f"http POST → 204, {conns} connections",
                         fac, ([wrk, "-t1", f"-c{conns}", "-d5s", "-s", lua, url + "/204"], wrk_ops)))
    return pairings


# Dovecot's imaptest, client CPU per command as issue 5 measured it (no imaptest binary here).
IMAPTEST_US_PER_COMMAND = "26–42"
# What one imap-mix iteration sends: LOGIN, CREATE, APPEND, SELECT, FETCH, STORE, EXPUNGE, CLOSE,
# DELETE, LOGOUT.
IMAP_MIX_COMMANDS = 10


def imap_runs(args, tmp, facteur):
    """facteur's imap-mix on the lab's Dovecot: (name, run, reference) rows without a peer run."""
    workload = os.path.join(WORKLOADS, "imap-mix.json")
    lab_vars = "/tmp/facteur-lab/vars.json"
    if not os.path.exists(workload):
        print(f"(IMAP skipped: {workload} does not exist)")
        return []
    try:
        if not os.path.exists(lab_vars):
            raise SystemExit
        wait_port(2143, 1.0)
    except SystemExit:
        print("(IMAP skipped: the lab's Dovecot is not on 127.0.0.1:2143 or has no vars.json: lab/lab.sh start)")
        return []
    vus = 4
    iters = max(args.messages // 100, 10 * vus)
    out = os.path.join(tmp, "out-imap")
    argv = [facteur, "load", workload, "--target", "imap://127.0.0.1:2143", "--vars", lab_vars,
            "--executor", "constant-vus", "--vus", str(vus), "--iterations", str(iters), "--duration", "10m",
            "-T", "1", "-q", "-o", out]
    return [(f"imap mix (Dovecot), {vus} sessions", (argv, facteur_ops(out, IMAP_MIX_COMMANDS)),
             f"imaptest {IMAPTEST_US_PER_COMMAND} (issue 5)")]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=2, help="A B rounds per pairing (default 2)")
    ap.add_argument("--messages", type=int, default=20000, help="SMTP messages per run (default 20000)")
    ap.add_argument("--only", nargs="*", default=[], help="pairings whose name contains one of these")
    ap.add_argument("--facteur", default=os.path.join(TOP, "build", "release", "harness", "facteur"))
    args = ap.parse_args()
    for tool in ("smtp-sink", "smtp-source"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing: apt-get install postfix")
    if not os.access(args.facteur, os.X_OK):
        raise SystemExit(f"{args.facteur} is missing: scripts/build release")

    print(f"# {time.strftime('%Y-%m-%d %H:%M:%S')}, {os.cpu_count()} CPUs, load average "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    tmp = tempfile.mkdtemp(prefix="facteur-perf-")
    port = free_port()
    sink = subprocess.Popen(["smtp-sink", "-u", "nobody", "-m", "1000", f"127.0.0.1:{port}", "1000"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(port)
        pairings = smtp_pairings(args, tmp, args.facteur, port) + http_pairings(args, tmp, args.facteur)
        solos = imap_runs(args, tmp, args.facteur)
        if args.only:
            pairings = [p for p in pairings if any(o in p[0] for o in args.only)]
            solos = [p for p in solos if any(o in p[0] for o in args.only)]
        rows = []
        for name, (fa, fops), (pa, pops) in pairings:
            runs = {"facteur": [], pa[0].split("/")[-1]: []}
            peer = pa[0].split("/")[-1]
            for r in range(args.rounds):
                runs["facteur"].append(measure(fa, fops))
                runs[peer].append(measure(pa, pops))
            med = {k: {f: statistics.median(x[f] for x in v) for f in ("wall", "cpu", "rss_kib", "ops")}
                   for k, v in runs.items()}
            for k, v in runs.items():
                for i, x in enumerate(v):
                    print(f"  {name} | {k} round {i + 1}: {x['ops'] / x['wall']:.0f} ops/s, "
                          f"{1e6 * x['cpu'] / x['ops']:.1f} µs CPU/op, RSS {x['rss_kib'] / 1024:.1f} MiB")
            f, p = med["facteur"], med[peer]
            rows.append((name, peer, f, p))
        if rows:
            print()
            print("| pairing | peer | facteur ops/s | peer ops/s | ops/s ratio | facteur µs CPU/op | peer µs CPU/op "
                  "| CPU/op ratio | facteur RSS MiB | peer RSS MiB |")
            print("|---|---|---|---|---|---|---|---|---|---|")
        for name, peer, f, p in rows:
            fr, pr = f["ops"] / f["wall"], p["ops"] / p["wall"]
            fc, pc = 1e6 * f["cpu"] / f["ops"], 1e6 * p["cpu"] / p["ops"]
            print(f"| {name} | {peer} | {fr:.0f} | {pr:.0f} | {fr / pr:.2f} | {fc:.1f} | {pc:.1f} | {fc / pc:.2f} "
                  f"| {f['rss_kib'] / 1024:.1f} | {p['rss_kib'] / 1024:.1f} |")
        solo_rows = []
        for name, (fa, fops), reference in solos:
            runs = [measure(fa, fops) for _ in range(args.rounds)]
            for i, x in enumerate(runs):
                print(f"  {name} | facteur round {i + 1}: {x['ops'] / x['wall']:.0f} ops/s, "
                      f"{1e6 * x['cpu'] / x['ops']:.1f} µs CPU/op, RSS {x['rss_kib'] / 1024:.1f} MiB")
            solo_rows.append((name, reference, {k: statistics.median(x[k] for x in runs)
                                                for k in ("wall", "cpu", "rss_kib", "ops")}))
        if solo_rows:
            print()
            print("| run (no peer binary) | facteur ops/s | facteur µs CPU/op | reference µs CPU/op | facteur RSS MiB |")
            print("|---|---|---|---|---|")
        for name, reference, f in solo_rows:
            print(f"| {name} | {f['ops'] / f['wall']:.0f} | {1e6 * f['cpu'] / f['ops']:.1f} | {reference} "
                  f"| {f['rss_kib'] / 1024:.1f} |")
    finally:
        sink.terminate()
        sink.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
