"""Checks of the running lab that swaks cannot do: SCRAM, BDAT, LMTP, IMAP, POP3.

Run by lab/selftest.sh with Debian's /usr/bin/python3 (standard library only).
Reads the lab's vars.json; prints one "PASS name detail" / "FAIL name detail"
line per check; exit status 1 if any check failed.
"""
import base64
import hashlib
import hmac
import imaplib
import json
import os
import poplib
import smtplib
import socket
import ssl
import sys
import time
from urllib.parse import urlsplit

V = json.load(open(sys.argv[1]))
CTX = ssl.create_default_context(cafile=V["cacert"])
HOST = "mail.lab.test"  # certificate name; we connect to the URL's address
failed = 0


def report(ok, name, detail=""):
    global failed
    failed += 0 if ok else 1
    print(("PASS" if ok else "FAIL"), name, detail)


def addr(url):
    u = urlsplit(url)
    return u.hostname, u.port


def b64(b):
    return base64.b64encode(b if isinstance(b, bytes) else b.encode()).decode()


def smtp_tls(url):
    host, port = addr(url)
    s = smtplib.SMTP(host, port, local_hostname="selftest.example", timeout=10)
    s._host = HOST  # name checked by starttls()
    s.ehlo()
    s.starttls(context=CTX)
    s.ehlo()
    return s


def scram(s, mech, user, password):
    """RFC 5802 client over SMTP AUTH; returns (code, text, server_ok)."""
    hname = {"SCRAM-SHA-1": "sha1", "SCRAM-SHA-256": "sha256"}[mech]
    cnonce = b64(os.urandom(18))
    first_bare = "n=%s,r=%s" % (user.replace("=", "=3D").replace(",", "=2C"), cnonce)
    code, resp = s.docmd("AUTH", "%s %s" % (mech, b64("n,," + first_bare)))
    if code != 334:
        return code, resp.decode(), False
    server_first = base64.b64decode(resp).decode()
    attrs = dict(kv.split("=", 1) for kv in server_first.split(","))
    if not attrs["r"].startswith(cnonce):
        return 0, "server nonce does not extend ours", False
    salted = hashlib.pbkdf2_hmac(hname, password.encode(), base64.b64decode(attrs["s"]), int(attrs["i"]))
    client_key = hmac.new(salted, b"Client Key", hname).digest()
    stored_key = hashlib.new(hname, client_key).digest()
    without_proof = "c=biws,r=" + attrs["r"]
    auth_msg = ",".join([first_bare, server_first, without_proof]).encode()
    signature = hmac.new(stored_key, auth_msg, hname).digest()
    proof = bytes(a ^ b for a, b in zip(client_key, signature))
    code, resp = s.docmd(b64(without_proof + ",p=" + b64(proof)))
    server_ok = False
    if code == 334:  # server-final-message as a challenge, answered empty
        server_final = base64.b64decode(resp).decode()
        server_key = hmac.new(salted, b"Server Key", hname).digest()
        expect = "v=" + b64(hmac.new(server_key, auth_msg, hname).digest())
        server_ok = server_final == expect
        code, resp = s.docmd("")
    return code, resp.decode(), server_ok


def count_new(maildir):
    return len(os.listdir(os.path.join(maildir, "new")))


def wait_new(maildir, before, timeout=1.0):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if count_new(maildir) > before:
            return (time.monotonic() - t0) * 1000
        time.sleep(0.005)
    return None


# --- SCRAM on submission and SMTP (after STARTTLS) ---------------------------
for url_key in ("submission_url", "smtp_url"):
    for mech in ("SCRAM-SHA-1", "SCRAM-SHA-256"):
        s = smtp_tls(V[url_key])
        code, text, server_ok = scram(s, mech, V["user"], V["password"])
        report(code == 235 and server_ok, "%s %s good" % (url_key, mech), "%d %s (server signature %s)" % (code, text, "ok" if server_ok else "BAD"))
        s.quit()
        s = smtp_tls(V[url_key])
        t0 = time.monotonic()
        code, text, _ = scram(s, mech, V["user"], "wrong-password")
        ms = (time.monotonic() - t0) * 1000
        report(code == 535 and ms < 1000, "%s %s bad" % (url_key, mech), "%d %s in %.0f ms" % (code, text, ms))
        s.quit()

# --- CHUNKING: BDAT delivery to alice ------------------------------------------
host, port = addr(V["smtp_url"])
s = smtplib.SMTP(host, port, local_hostname="selftest.example", timeout=10)
s.ehlo()
before = count_new(V["maildir"])
s.mail("<sender@example.org>")
s.rcpt("<%s>" % V["rcpt"])
body = b"Subject: BDAT selftest\r\n\r\nsent in two chunks\r\n"
s.send(b"BDAT 20\r\n" + body[:20])
c1, _ = s.getreply()
s.send(b"BDAT %d LAST\r\n" % (len(body) - 20) + body[20:])
c2, t2 = s.getreply()
s.quit()
ms = wait_new(V["maildir"], before)
report(c1 == 250 and c2 == 250 and ms is not None, "smtp BDAT to alice", "%d/%d %s, in Maildir after %s ms" % (c1, c2, t2.decode(), "%.0f" % ms if ms is not None else "NEVER"))

# --- SMTPUTF8 -------------------------------------------------------------------
s = smtplib.SMTP(host, port, local_hostname="selftest.example", timeout=10)
s.ehlo()
s.command_encoding = "utf-8"
before = count_new(V["maildir"])
code, text = s.docmd("MAIL", "FROM:<jürgen@exämple.org> SMTPUTF8")
s.rcpt("<%s>" % V["rcpt"])
c2, t2 = s.data("Subject: =?utf-8?q?gr=C3=BC=C3=9Fe?=\r\n\r\nüñïçødé\r\n".encode())
s.quit()
ms = wait_new(V["maildir"], before)
if os.environ.get("FACTEUR_LAB_DELIVERY", "lmtp") == "lmtp":
    # Dovecot 2.3 LMTP does not offer SMTPUTF8: Postfix accepts, then bounces (5.6.7).
    report(code == 250 and c2 == 250 and ms is None, "smtp SMTPUTF8 accepted (LMTP delivery: bounced, known limit)",
           "MAIL %d, DATA %d, delivered: %s" % (code, c2, "no" if ms is None else "yes"))
else:
    report(code == 250 and c2 == 250 and ms is not None, "smtp SMTPUTF8 to alice (virtual delivery)",
           "MAIL %d, DATA %d, in Maildir after %s ms" % (code, c2, "%.0f" % ms if ms is not None else "NEVER"))

# --- LMTP directly into Dovecot ---------------------------------------------------
with socket.create_connection(("127.0.0.1", int(V["lmtp_port"])), timeout=10) as sock:
    f = sock.makefile("rwb")

    def reply():
        lines = []
        while True:
            line = f.readline().decode().rstrip("\r\n")
            lines.append(line)
            if len(line) < 4 or line[3] != "-":
                return lines

    def cmd(c):
        f.write(c.encode() + b"\r\n")
        f.flush()
        return reply()

    greet = reply()
    lhlo = cmd("LHLO selftest.example")
    m = cmd("MAIL FROM:<sender@example.org>")
    r1 = cmd("RCPT TO:<%s>" % V["rcpt"])
    r2 = cmd("RCPT TO:<%s>" % V["unknown_rcpt"])
    r3 = cmd("RCPT TO:<%s>" % V["rcpt2"])
    d = cmd("DATA")
    f.write(b"Subject: LMTP selftest\r\n\r\nhello\r\n.\r\n")
    f.flush()
    per_rcpt = [reply()[-1], reply()[-1]]  # one reply per accepted recipient
    cmd("QUIT")
ok = (greet[-1].startswith("220") and r1[-1].startswith("250") and r2[-1].startswith("550 5.1.1")
      and r3[-1].startswith("250") and d[-1].startswith("354") and all(x.startswith("250") for x in per_rcpt))
report(ok, "lmtp two recipients + unknown", "unknown: %s | data: %s" % (r2[-1], " / ".join(per_rcpt)))

# --- IMAP / IMAPS / POP3 / POP3S logins ---------------------------------------------
user, pw = V["user"], V["password"]
try:
    h, p = addr(V["imap_url"])
    i = imaplib.IMAP4(h, p)
    caps = i.capabilities
    i.starttls(ssl_context=CTX)
    i.login(user, pw)
    typ, data = i.select("INBOX")
    i.logout()
    report(typ == "OK" and "STARTTLS" in caps, "imap STARTTLS login", "INBOX has %s messages" % data[0].decode())
except Exception as e:  # noqa: BLE001
    report(False, "imap STARTTLS login", repr(e))
try:
    h, p = addr(V["imaps_url"])
    i = imaplib.IMAP4_SSL(h, p, ssl_context=CTX)
    t0 = time.monotonic()
    try:
        i.login(user, "wrong-password")
        bad = "accepted!"
    except imaplib.IMAP4.error as e:
        bad = "rejected in %.0f ms" % ((time.monotonic() - t0) * 1000)
    i.logout()
    i = imaplib.IMAP4_SSL(h, p, ssl_context=CTX)
    typ, _ = i.login(V["user2"], V["password2"])
    i.logout()
    report(typ == "OK" and bad.startswith("rejected"), "imaps login", "good OK, wrong password " + bad)
except Exception as e:  # noqa: BLE001
    report(False, "imaps login", repr(e))
try:
    h, p = addr(V["pop3_url"])
    c = poplib.POP3(h, p, timeout=10)
    c.stls(context=CTX)
    c.user(user)
    c.pass_(pw)
    n, size = c.stat()
    c.quit()
    report(True, "pop3 STLS login", "%d messages" % n)
except Exception as e:  # noqa: BLE001
    report(False, "pop3 STLS login", repr(e))
try:
    h, p = addr(V["pop3s_url"])
    c = poplib.POP3_SSL(h, p, context=CTX, timeout=10)
    c.user(V["user2"])
    c.pass_(V["password2"])
    n, size = c.stat()
    c.quit()
    report(True, "pop3s login", "%d messages" % n)
except Exception as e:  # noqa: BLE001
    report(False, "pop3s login", repr(e))

sys.exit(1 if failed else 0)
