#!/usr/bin/env python3
"""cli_interrupt.py FACTEUR: SIGINT and SIGTERM during `facteur run` (README "Exit codes").

Against a server of its own that greets and then never answers some commands:
- the first signal ends the run: exit 130, the reports written and marked interrupted, the cases
  finished kept as they ended, the cases in flight kept as errors ("interrupted by SIGINT after N ms
  (step K)") with their transcripts so far, the cases not started left out;
- a second signal ends the process at once when the first could not (the reports cannot be written:
  their temporary file is a FIFO nobody reads).
"""
import json
import os
import pathlib
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

FACTEUR = sys.argv[1]
failures = []


def check(name, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + detail))
    if not ok:
        failures.append(name)


class HangingServer:
    """SMTP enough for facteur: answers EHLO, NOOP and QUIT; a line holding HANG is never answered,
    and one holding PARTIAL gets the first line of a multi-line reply and nothing more."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.hanging = 0
        self.lock = threading.Lock()
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            conn, _ = self.listener.accept()
            threading.Thread(target=self.serve, args=(conn,), daemon=True).start()

    def serve(self, conn):
        with conn, conn.makefile("rb") as lines:
            conn.sendall(b"220 hang.test ESMTP\r\n")
            for line in lines:
                if b"HANG" in line:
                    if b"PARTIAL" in line:
                        conn.sendall(b"250-partial\r\n")
                    with self.lock:
                        self.hanging += 1
                elif line.upper().startswith((b"EHLO", b"HELO")):
                    conn.sendall(b"250-hang.test\r\n250 8BITMIME\r\n")
                elif line.upper().startswith(b"QUIT"):
                    conn.sendall(b"221 2.0.0 Bye\r\n")
                    return
                else:
                    conn.sendall(b"250 2.0.0 Ok\r\n")

    def wait_hanging(self, count, timeout=15):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self.lock:
                if self.hanging >= count:
                    return True
            time.sleep(0.05)
        return False


def scenario(folder, name, steps):
    case = {"facteur": 1, "id": "smtp/test/" + name, "title": name, "protocol": "smtp",
            "spec": [{"rfc": "5321", "section": "4.2", "level": "MUST"}], "steps": steps}
    (folder / (name + ".json")).write_text(json.dumps(case))


def start(server, cases, out, *extra):
    return subprocess.Popen([FACTEUR, "run", str(cases), "--target", f"smtp://127.0.0.1:{server.port}",
                             "--reply-timeout", "60000", "--case-timeout", "120000", "-q", "-o", str(out), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def ended(process, within):
    try:
        process.wait(timeout=within)
        return True
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return False


def first_signal_keeps_the_cases_in_flight(server, work):
    cases = work / "cases"
    cases.mkdir()
    hello = [{"connect": {}}, {"ehlo": "client.test"}]
    scenario(cases, "a-quick", hello + [{"quit": True}])
    scenario(cases, "b-hang", hello + [{"send": "NOOP HANG", "expect": 250}])
    scenario(cases, "c-hang-partial", hello + [{"send": "NOOP HANG PARTIAL", "expect": 250}])
    scenario(cases, "d-never-started", hello + [{"quit": True}])
    out = work / "out"
    started = time.monotonic()
    facteur = start(server, cases, out, "-j", "2")
    # -j 2: a-quick and b-hang start, a-quick ends, c-hang-partial starts; both then wait for ever.
    check("both cases hang", server.wait_hanging(2), "the server saw fewer than two HANG commands")
    time.sleep(0.3)
    facteur.send_signal(signal.SIGINT)
    check("sigint ends the run", ended(facteur, 10), "still running 10 s after SIGINT")
    output = facteur.stdout.read().decode()
    check("sigint exit 130", facteur.returncode == 130, f"exit {facteur.returncode}: {output}")
    check("sigint well before the reply timeout", time.monotonic() - started < 30)
    try:
        result = json.loads((out / "result.json").read_text())
    except (OSError, ValueError) as e:
        check("sigint result.json", False, str(e))
        return
    check("sigint junit.xml", (out / "junit.xml").is_file())
    check("result interrupted", result.get("interrupted") is True, str(result.get("interrupted")))
    by_id = {c["id"]: c for c in result["cases"]}
    check("finished case kept", by_id.get("smtp/test/a-quick", {}).get("outcome") == "pass", str(by_id.keys()))
    check("case not started left out", "smtp/test/d-never-started" not in by_id, str(by_id.keys()))
    for name in ("b-hang", "c-hang-partial"):
        case = by_id.get("smtp/test/" + name)
        if case is None:
            check(name + " kept", False, str(by_id.keys()))
            continue
        check(name + " is an error", case["outcome"] == "error", case["outcome"])
        check(name + " message", re.fullmatch(r"interrupted by SIGINT after [0-9]+ ms \(step 2\)", case["message"])
              is not None, case["message"])
        check(name + " step", case.get("step") == 2, str(case.get("step")))
        lines = [(line["dir"], line["text"]) for line in case.get("transcript", [])]
        check(name + " transcript", ("<", "220 hang.test ESMTP") in lines and (">", "NOOP HANG" +
              (" PARTIAL" if "partial" in name else "")) in lines, str(lines))
    partial = by_id.get("smtp/test/c-hang-partial", {}).get("transcript", [])
    check("unparsed octets in the transcript", any(l["dir"] == "<" and l["text"] == "250-partial" for l in partial),
          str(partial))
    summary = result.get("summary", {})
    check("summary counts", (summary.get("total"), summary.get("passed"), summary.get("errored")) == (3, 1, 2),
          str(summary))


def sigterm_is_named(server, work):
    cases = work / "term"
    cases.mkdir()
    scenario(cases, "hang", [{"connect": {}}, {"ehlo": "client.test"}, {"send": "NOOP HANG", "expect": 250}])
    before = server.hanging
    out = work / "out-term"
    facteur = start(server, cases, out)
    check("sigterm case hangs", server.wait_hanging(before + 1), "no HANG command seen")
    facteur.send_signal(signal.SIGTERM)
    check("sigterm ends the run", ended(facteur, 10))
    check("sigterm exit 130", facteur.returncode == 130, str(facteur.returncode))
    try:
        case = json.loads((out / "result.json").read_text())["cases"][0]
        check("sigterm message", case["message"].startswith("interrupted by SIGTERM after "), case["message"])
    except (OSError, ValueError, IndexError, KeyError) as e:
        check("sigterm result.json", False, repr(e))


def second_signal_ends_at_once(server, work):
    cases = work / "second"
    cases.mkdir()
    scenario(cases, "hang", [{"connect": {}}, {"ehlo": "client.test"}, {"send": "NOOP HANG", "expect": 250}])
    out = work / "out-blocked"
    out.mkdir()
    os.mkfifo(out / ".result.json.tmp")  # opening it for writing blocks: the first signal cannot end the run
    before = server.hanging
    facteur = start(server, cases, out)
    check("second: case hangs", server.wait_hanging(before + 1), "no HANG command seen")
    facteur.send_signal(signal.SIGINT)
    time.sleep(1.0)
    check("second: the first signal could not end it", facteur.poll() is None, f"exit {facteur.returncode}")
    sent = time.monotonic()
    facteur.send_signal(signal.SIGINT)
    check("second: the second signal ends it at once", ended(facteur, 5) and time.monotonic() - sent < 2,
          f"{time.monotonic() - sent:.1f} s")
    check("second: killed by SIGINT", facteur.returncode == -signal.SIGINT, str(facteur.returncode))


def main():
    server = HangingServer()
    with tempfile.TemporaryDirectory(prefix="facteur-interrupt-") as tmp:
        work = pathlib.Path(tmp)
        first_signal_keeps_the_cases_in_flight(server, work)
        sigterm_is_named(server, work)
        second_signal_ends_at_once(server, work)
    print(f"{len(failures)} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
