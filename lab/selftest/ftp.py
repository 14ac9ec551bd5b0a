"""FTP checks of the running lab that curl cannot do, and facts facteur's FTP client relies on.

Run by lab/selftest.sh with Debian's /usr/bin/python3 (standard library only). Reads the lab's
vars.json; prints one "PASS name detail" / "FAIL name detail" line per check; exit status 1 if
any check failed. (curl 7.88.1 cannot do active-mode FTPS, and races its TLS 1.3 uploads.)
"""
import ftplib
import io
import json
import os
import re
import socket
import ssl
import sys
import time
from urllib.parse import urlsplit

V = json.load(open(sys.argv[1]))
CTX = ssl.create_default_context(cafile=V["cacert"])
USER, PASSWORD = V["ftp_user"], V["ftp_password"]
failed = 0


def report(ok, name, detail=""):
    global failed
    failed += 0 if ok else 1
    print(("PASS" if ok else "FAIL"), name, detail)


def addr(url):
    u = urlsplit(url)
    return u.hostname, u.port


def pasv_range(key):
    lo, hi = V[key].split("-")
    return int(lo), int(hi)


class ReusingFTP_TLS(ftplib.FTP_TLS):
    """FTPS whose data connections resume the control connection's TLS session (RFC 4217
    leaves it open; vsftpd's require_ssl_reuse=YES demands it)."""

    reuse = True
    data_tls = None  # TLS version of the last data connection

    def ntransfercmd(self, cmd, rest=None):
        conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)
        if self._prot_p:
            session = self.sock.session if self.reuse else None
            conn = self.context.wrap_socket(conn, server_hostname=self.host, session=session)
            self.data_tls = "%s%s" % (conn.version(), " resumed" if conn.session_reused else "")
        return conn, size


class ImplicitFTP_TLS(ReusingFTP_TLS):
    """FTPS with TLS from the first byte (the "ftps" port)."""

    def connect(self, host, port, timeout=10):
        self.host, self.port, self.timeout = host, port, timeout
        raw = socket.create_connection((host, port), timeout)
        self.af = raw.family
        self.sock = self.context.wrap_socket(raw, server_hostname=host)
        self.file = self.sock.makefile("r", encoding=self.encoding)
        self.welcome = self.getresp()
        return self.welcome


def explicit():
    f = ReusingFTP_TLS(context=CTX, timeout=10)
    f.connect(*addr(V["ftp_url"]))
    f.login(USER, PASSWORD)  # AUTH TLS first
    f.prot_p()
    return f


def retr(f, name):
    buf = io.BytesIO()
    f.retrbinary("RETR " + name, buf.write)
    return buf.getvalue()


def check(name, fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        report(False, name, repr(e))


DATA = os.urandom(300 * 1024)


def feat():
    f = ftplib.FTP(timeout=10)
    greeting = f.connect(*addr(V["ftp_url"]))
    feat = f.sendcmd("FEAT")
    feats = [line.strip() for line in feat.splitlines()[1:-1]]
    f.login(USER, PASSWORD)
    try:
        f.sendcmd("MLSD")
        mlsd = "accepted?"
    except ftplib.error_perm as e:
        mlsd = str(e)
    f.quit()
    want = ["AUTH TLS", "EPRT", "EPSV", "MDTM", "PASV", "PBSZ", "PROT", "REST STREAM", "SIZE", "TVFS", "UTF8"]
    ok = greeting.startswith("220 ") and all(w in feats for w in want) and not any(
        x.startswith("ML") for x in feats) and mlsd.startswith("500")
    report(ok, "ftp FEAT: %s; no MLST/MLSD (MLSD -> %s)" % (", ".join(feats), mlsd))


def pasv_replies():
    f = ftplib.FTP(timeout=10)
    f.connect(*addr(V["ftp_url"]))
    f.login(USER, PASSWORD)
    p227 = f.sendcmd("PASV")
    p229 = f.sendcmd("EPSV")
    try:
        f.sendcmd("EPSV 2")
        e2 = "accepted?"
    except ftplib.error_perm as e:
        e2 = str(e)
    f.quit()
    lo, hi = pasv_range("ftp_pasv_range")
    m = re.fullmatch(r"227 Entering Passive Mode \((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)\.", p227)
    m2 = re.fullmatch(r"229 Entering Extended Passive Mode \(\|\|\|(\d+)\|\)", p229)
    ok = bool(m and m2) and ".".join(m.group(1, 2, 3, 4)) == "127.0.0.1" \
        and lo <= int(m.group(5)) * 256 + int(m.group(6)) <= hi and lo <= int(m2.group(1)) <= hi \
        and e2.startswith("522")
    report(ok, "ftp PASV/EPSV replies, ports in %s" % V["ftp_pasv_range"], "| %s | %s | EPSV 2 -> %s" % (p227, p229, e2))


def reuse_required():
    f = explicit()
    f.reuse = False
    try:
        f.nlst()
        got = "listing without session reuse?"
    except (ftplib.error_reply, ftplib.error_perm, ftplib.error_temp, ssl.SSLError, OSError) as e:
        got = str(e)
    try:
        f.quit()
    except Exception:  # noqa: BLE001  (vsftpd may have closed the session)
        pass
    f = explicit()
    names = f.nlst()
    tls = f.data_tls
    f.quit()
    report(got.startswith("522") and tls and tls.endswith("resumed"),
           "ftp explicit FTPS: data TLS without session reuse refused, with reuse accepted",
           "(%s | %s, %d names)" % (got, tls, len(names)))


def active_ftps():
    f = explicit()
    f.set_pasv(False)
    f.storbinary("STOR active-tls.bin", io.BytesIO(DATA))
    up = f.data_tls
    back = retr(f, "active-tls.bin")
    f.quit()
    report(back == DATA, "ftp explicit FTPS, active mode (PORT): %d KiB up and down" % (len(DATA) // 1024),
           "(data connections: %s)" % up)


def implicit_large():
    f = ImplicitFTP_TLS(context=CTX, timeout=10)
    f.connect(*addr(V["ftps_url"]))
    f.login(USER, PASSWORD)
    f.prot_p()
    t0 = time.monotonic()
    # ftplib ends each TLS data connection with close_notify and reads the server's (unwrap):
    # no unread TLS 1.3 session tickets left behind, so no RST that would cut the upload.
    f.storbinary("STOR implicit-large.bin", io.BytesIO(DATA))
    up = f.data_tls
    back = retr(f, "implicit-large.bin")
    size = f.size("implicit-large.bin")
    f.quit()
    ms = (time.monotonic() - t0) * 1000
    report(back == DATA and size == len(DATA), "ftps implicit: %d KiB up and down, SIZE %s" % (len(DATA) // 1024, size),
           "(%s, %.0f ms)" % (up, ms))


def wrong_password():
    f = ftplib.FTP(timeout=10)
    f.connect(*addr(V["ftp_url"]))
    t0 = time.monotonic()
    try:
        f.login(USER, "wrong-password")
        got = "accepted!"
    except ftplib.error_perm as e:
        got = str(e)
    ms = (time.monotonic() - t0) * 1000
    f.close()
    report(got.startswith("530") and ms < 1000, "ftp wrong password -> 530 in %.0f ms (PAM nodelay)" % ms, got)


def ascii_utf8_mdtm():
    f = ftplib.FTP(timeout=10, encoding="utf-8")
    f.connect(*addr(V["ftp_url"]))
    f.login(USER, PASSWORD)
    utf8 = f.sendcmd("OPTS UTF8 ON")
    name = "r\u00e9sum\u00e9-\u00fc.txt"
    text = b"line 1\nline 2\n"
    f.storbinary("STOR " + name, io.BytesIO(text))
    listed = name in f.nlst()
    f.sendcmd("TYPE A")
    size_a = f.size(name)
    ascii_back = []
    f.retrlines("RETR " + name, ascii_back.append)
    raw = io.BytesIO()
    f.sendcmd("TYPE A")
    # Bytes as sent in TYPE A (retrlines would hide the line ends).
    conn = f.transfercmd("RETR " + name)
    while chunk := conn.recv(8192):
        raw.write(chunk)
    conn.close()
    f.voidresp()
    f.sendcmd("TYPE I")
    size_i = f.size(name)
    mdtm = f.sendcmd("MDTM " + name)
    f.quit()
    on_disk = os.path.getsize(os.path.join(V["ftp_root"], name))
    ok = utf8.startswith("200") and listed and size_i == len(text) == on_disk and raw.getvalue() == text.replace(
        b"\n", b"\r\n") and re.fullmatch(r"213 \d{14}", mdtm)
    report(ok, "ftp UTF-8 name, TYPE A converts LF->CRLF, SIZE, MDTM",
           "(%s | SIZE in TYPE A %s, TYPE I %s, TYPE A download %d bytes | %s)"
           % (utf8, size_a, size_i, len(raw.getvalue()), mdtm))


for name, fn in [("ftp FEAT", feat), ("ftp PASV/EPSV", pasv_replies), ("ftp session reuse", reuse_required),
                 ("ftp active FTPS", active_ftps), ("ftps implicit", implicit_large),
                 ("ftp wrong password", wrong_password), ("ftp UTF8/TYPE A", ascii_utf8_mdtm)]:
    check(name, fn)

sys.exit(1 if failed else 0)
