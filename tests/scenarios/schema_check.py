#!/usr/bin/python3
"""Checks every shipped scenario and baseline against its JSON Schema (scenarios/schema/).

    schema_check.py SCENARIOS_DIR

Scenarios: every *.json under SCENARIOS_DIR, leaving out folders named "schema", "baselines" and
"fixtures" (as the loader does). Baselines: SCENARIOS_DIR/baselines/*.json. Before that, a self-check
proves the schemas can fail: documents the loader rejects, embedded below, must be rejected too, and
documents using every construct of the format (SMTP, IMAP, POP3) must be accepted. Exit 0 when all is
well, 1 otherwise.
"""

import copy
import json
import pathlib
import re
import sys

from jsonschema import Draft202012Validator

SKIPPED_FOLDERS = {"schema", "baselines", "fixtures"}

# --- self-check data -------------------------------------------------------------------------

MINIMAL = {
    "facteur": 1,
    "id": "smtp/5321/4.1.1.5/rset-clears-transaction",
    "title": "RSET aborts the mail transaction",
    "protocol": "smtp",
    "spec": [{"rfc": "5321", "section": "4.1.1.5", "level": "MUST"}],
    "steps": [{"connect": {}}, {"ehlo": "client.test"}, {"quit": True}],
}

# Every construct of format v1 at least once; the loader accepts this document.
EVERYTHING = {
    "$schema": "../../schema/scenario-v1.schema.json",
    "comment": ["anything", 1],
    "facteur": 1,
    "id": "smtp/3030/2/every_construct-1.0",
    "title": "",
    "description": "d",
    "protocol": "smtp",
    "spec": [{"rfc": 5321, "section": 4, "level": "SHOULD", "comment": None},
             {"rfc": "3030", "section": "2", "level": "MAY"}],
    "tags": "one-tag",
    "requires": ["CHUNKING", "AUTH=PLAIN", "var:rcpt"],
    "vars": {"rcpt": "bob@lab.test", "n": 3},
    "sessions": {"second": "smtps://${host}:465", "plain": "", "num": 7},
    "timeout_ms": 3600000,
    "steps": [
        {"connect": True},
        {"connect": "smtp://${host:-localhost}:${port}", "session": "second"},
        {"connect": {"url": "smtp://h:25", "comment": "c"}, "session": "plain"},
        {"expect": 220},
        {"expect": [{"code": "2xx"}, "+OK", 354], "session": "main", "comment": "x"},
        {"ehlo": True}, {"ehlo": {"domain": "[127.0.0.1]"}},
        {"helo": "client.example", "expect": {"code": ["250"], "multiline": False}},
        {"ehlo": {}, "expect": {"present": ["STARTTLS", "AUTH=PLAIN"], "absent": "CHUNKING",
                                "multiline": True, "text": "^\\S+", "capture": {"greeting": "^(\\S+)"}}},
        {"starttls": True, "expect_220": {"code": 220}},
        {"starttls": {"required": False, "if_offered": True, "pipelined": "NOOP", "comment": 1}},
        {"starttls": {"pipelined": ["NOOP", "RSET"]}, "expect": {"closed": True, "code": [], "capture": {}}},
        {"auth": "PLAIN"},
        {"auth": {"mechanism": "SCRAM-SHA-256", "user": "${user}", "password": "",
                  "initial_response": False, "cancel": True}, "expect": {"code": 501, "enhanced": "5.x.x"}},
        {"mail": "", "expect": {"enhanced": ["2.1.0", "none", "x.x.x", "250.0.999"]}},
        {"mail": {"from": "${user}", "params": "SIZE=1000"}},
        {"mail": {"from": "a@b", "params": ["BODY=8BITMIME", "SMTPUTF8"]}},
        {"rcpt": "${rcpt}"}, {"rcpt": {"to": "${rcpt}", "params": ["NOTIFY=NEVER"]}},
        {"data": True},
        {"data": {"raw": "Subject: x\r\n\r\n.\r\n"}, "expect_354": ["354", "3xx"]},
        {"data": {"message": {"from": "a@b", "to": "${rcpt}", "subject": "s", "message_id": "<m@x>",
                              "date": "Mon, 1 Jan 2024 00:00:00 +0000", "headers": {"X-A": "1"},
                              "body": "b\n", "size": 100000, "eight_bit": True, "utf8_headers": True,
                              "leading_dots": True, "line_length": 998, "seed": 18446744073709551615,
                              "attachments": [{"filename": "a.bin", "content_type": "a/b", "size": 4096}, {}]},
                  "capture_message_id": "mid"}},
        {"data": {"message": {"headers": [["X-A", "1"], ["X-A", "2"]]}, "comment": "c"}},
        {"bdat": True}, {"bdat": {"chunk_size": 1073741824, "message": {}, "capture_message_id": ""}},
        {"pipeline": ["RSET", {"send": "NOOP", "expect": [250, "2xx"]}, {"send": "$${literal} ${@hex:64}"}]},
        {"raw": "NOOP\r\nNOOP\r\n", "replies": 2, "expect": "250"},
        {"raw": "", "replies": 0},
        {"send": "X ${@uuid} ${@date} ${@seq} $ $$ $$${x} ${a:-}"},
        {"silence": 0}, {"sleep": 600000},
        {"set": {"x": "${@uuid}", "y": 2}},
        {"loop": {"count": 0, "steps": [], "comment": "c"}},
        {"loop": {"count": 1000000, "steps": [{"send": "NOOP"}, {"loop": {"count": 2, "steps": [{"close": None}]}}]}},
        {"mailbox": {"match": "${mid}"}},
        {"mailbox": {"maildir": "/tmp/${not checked", "match": "x", "timeout_ms": 600000,
                     "contains": "\n..double\n", "not_contains": ["a", "b"], "comment": "c"}},
        {"close": {}}, {"quit": "anything"},
    ],
}

NON_SMTP = {
    "facteur": 1, "id": "pop3/1939/5/noop", "title": "NOOP", "protocol": "pop3",
    "spec": [{"rfc": "1939", "section": "5", "level": "MUST"}],
    "steps": [{"connect": True}, {"expect": "+OK"}, {"send": "NOOP", "expect": {"code": "+OK"}},
              {"loop": {"count": 2, "steps": [{"raw": "NOOP\r\n"}]}}],
}

# A protocol without its own steps (http): only the protocol-neutral ones, fixture included.
NEUTRAL = {
    "facteur": 1, "id": "http/9110/9.3.1/get", "title": "GET", "protocol": "http",
    "spec": [{"rfc": "9110", "section": "9.3.1", "level": "MUST"}],
    "steps": [{"fixture": {"messages": [], "user": "u", "password": "p"}},
              {"connect": True}, {"send": "NOOP", "expect": 200}, {"close": True}],
}

# Every HTTP construct, and IMAP steps on a named session of an http scenario (the loader accepts it).
HTTP_EVERYTHING = {
    "facteur": 1, "id": "http-form/9110/15.5.6/every-construct", "title": "HTTP", "protocol": "http",
    "spec": [{"rfc": "9110", "section": "15.5.6", "level": "MUST"}],
    "sessions": {"mail": "${imap_url}"},
    "steps": [{"connect": True},
              {"http": "GET /contact.php", "headers": {"Accept": "text/html"}, "query": [["a", "1"], ["a", "2"]],
               "fields": {"t": "csrf_token"}, "expect": {"code": 200, "headers": {"Content-Type": "html"}, "absent_headers": ["X-Powered-By"]}},
              {"http": "POST /contact.php", "form": {"csrf_token": "${t}"}, "chunked": True, "expect_continue": True, "follow": True},
              {"http": "POST /contact.php", "form": [["n", "v"], ["n", "w"]], "content_length": 3, "expect": ["4xx", "303"]},
              {"http": "POST /contact.php", "multipart": [{"name": "a", "value": "b"},
                                                          {"name": "f", "filename": "f.txt", "content_type": "text/plain", "text": "x"},
                                                          {"name": "g", "filename": "g.bin", "seeded": {"seed": 1, "size": "1 MiB"}}]},
              {"http": "PUT /x", "body": "raw", "content_type": "text/plain", "expect": {"code": 405, "headers": {"Allow": "POST"}}},
              {"raw": "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "replies": 1, "expect": {"code": "3xx"}},
              {"expect": {"closed": True}},
              {"session": "mail", "connect": True}, {"session": "mail", "login": True},
              {"session": "mail", "imap": "SEARCH ALL", "expect": {"code": "OK", "untagged": ["* SEARCH"]}}],
}

FTP_MINIMAL = {
    "facteur": 1, "id": "ftp/959/4.1.3/noop", "title": "NOOP", "protocol": "ftp",
    "spec": [{"rfc": "959", "section": "4.1.3", "level": "MUST"}],
    "steps": [{"connect": True}, {"send": "NOOP", "expect": 200}, {"quit": True}],
}

# Every FTP step and data option (s4-format.md).
FTP_EVERYTHING = {
    "facteur": 1, "id": "ftp/959/3.2/everything", "title": "all FTP steps", "protocol": "ftp",
    "spec": [{"rfc": "959", "section": "3.2", "level": "MUST"}],
    "steps": [{"connect": True}, {"starttls": True}, {"starttls": {"protect": False}}, {"login": True},
              {"login": {"user": "u", "password": "p"}}, {"send": "TYPE I", "expect": {"code": "2xx"}},
              {"ftp": "STOR a.bin", "channel": "pasv", "upload": {"seeded": {"seed": 7, "size": "1 GiB"}},
               "expect": {"code": "226"}},
              {"ftp": "APPE a.txt", "channel": "port", "upload": {"text": "line ${x}\n"}},
              {"ftp": "RETR a.bin", "channel": "epsv", "abort_after": 65536,
               "download": {"seeded": {"seed": 7, "size": 1024, "offset": "1 KiB"}, "size": "10 MiB",
                            "sha256": "${h}", "capture_sha256": "h", "lines": ["^x"], "not_lines": "y",
                            "line_count": 3, "contains": "z"},
               "expect_intermediate": {"code": ["125", "150"]}},
              {"ftp": "LIST", "channel": "eprt", "download": True},
              {"loop": {"count": 1, "steps": [{"ftp": "NLST"}]}}, {"quit": True}],
}

IMAP_MINIMAL = {
    "facteur": 1,
    "id": "imap/9051/6.3.2/select-inbox",
    "title": "SELECT INBOX",
    "protocol": "imap",
    "spec": [{"rfc": "9051", "section": "6.3.2", "level": "MUST"}],
    "steps": [{"connect": True}, {"login": True}, {"imap": "SELECT INBOX"}, {"logout": True}],
}

# Every IMAP step, step option and IMAP expectation key at least once; the loader accepts this
# document when it lies two folders under a folder holding fixtures/messages/plain.eml and
# dot-lines.eml (scenarios/imap/9051/x.json).
IMAP_EVERYTHING = {
    "facteur": 1,
    "id": "imap/9051/6.3.12/every_construct",
    "title": "every IMAP construct",
    "protocol": "imap",
    "serial": True,
    "spec": [{"rfc": "9051", "section": "6.3.12", "level": "MUST"}],
    "requires": ["var:imap_url"],
    "steps": [
        {"fixture": {"messages": ["plain.eml", "dot-lines.eml"], "user": "${imap_user}",
                     "password": "${imap_password}", "mailbox": "INBOX", "url": "${imap_url}", "comment": "c"}},
        {"fixture": {"messages": "plain.eml", "user": "u", "password": "p"}},
        {"connect": True, "expect": {"code": ["OK", "PREAUTH"], "untagged": "* OK [CAPABILITY $*]"}},
        {"starttls": True, "expect_220": "OK"},
        {"starttls": {"required": False, "if_offered": True}},
        {"auth": "PLAIN"},
        {"auth": {"mechanism": "SCRAM-SHA-256", "user": "${imap_user}", "cancel": True},
         "expect": [{"code": "BAD"}, "NO"]},
        {"login": True},
        {"login": {"user": "${imap_user}", "password": "${imap_password}", "comment": "c"}},
        {"imap": "SELECT INBOX", "expect": {"code": "OK", "untagged": ["* $n EXISTS", "* OK [UIDVALIDITY $v]"],
                                            "not_untagged": "* BYE", "tagged": "OK [READ-WRITE]"}},
        {"imap": "APPEND INBOX {}", "literals": "Subject: x\r\n\r\nbody ${@uuid}\r\n", "literal_mode": "plus",
         "expect": {"tagged": "OK [APPENDUID ${v} $uid]"}},
        {"imap": "APPEND INBOX (\\Seen) {} ", "literals": ["Subject: y\r\n\r\n"], "literal_mode": "minus"},
        {"imap": "FETCH 1:* (FLAGS)", "tag": "f", "async": True, "literals": [], "literal_mode": "sync"},
        {"await": "f", "expect": {"untagged": ["* $ FETCH (FLAGS ($!unordered $!extra \\Seen))", "* $n EXISTS"],
                                  "ordered": True}},
        {"imap": "NOOP", "tag": "n", "async": False, "literal_mode": "auto"},
        {"append": {"mailbox": "INBOX"}},
        {"append": {"mailbox": "Sent Items", "message": {"subject": "s"}, "flags": ["\\Seen", "$$Forwarded"],
                    "date": "01-Jan-2024 00:00:00 +0000", "literal_mode": "sync"}},
        {"append": {"mailbox": "INBOX", "file": "messages/plain.eml", "flags": "\\Flagged"}},
        {"append": {"mailbox": "INBOX", "raw": "Subject: r\r\n\r\n${@hex:8}\r\n", "literal_mode": "auto", "comment": "c"},
         "expect": {"code": "NO", "tagged": "NO [TRYCREATE]"}},
        {"idle": True, "expect": "+"},
        {"expect": {"untagged": "* $ EXISTS"}, "session": "main"},
        {"done": {}},
        {"idle": {}}, {"done": True, "expect": {"not_untagged": ["* $ EXPUNGE"]}},
        {"send": "a1 NOOP", "expect": {"tagged": "OK"}},
        {"raw": "a2 NOOP\r\n", "replies": 1, "expect": "OK"},
        {"loop": {"count": 2, "steps": [{"imap": "NOOP"}, {"loop": {"count": 1, "steps": [{"login": True}]}}]}},
        {"logout": True, "expect": {"code": "OK", "untagged": "* BYE"}},
        {"logout": {}},
        {"expect": {"code": "BYE"}},
    ],
}

POP3_MINIMAL = {
    "facteur": 1,
    "id": "pop3/1939/5/stat",
    "title": "STAT",
    "protocol": "pop3",
    "spec": [{"rfc": "1939", "section": "5", "level": "MUST"}],
    "steps": [{"connect": True}, {"login": True}, {"pop3": "STAT"}, {"quit": True}],
}

# Every POP3 step, step option and POP3 expectation key at least once (fixtures as for IMAP).
POP3_EVERYTHING = {
    "facteur": 1,
    "id": "pop3/1939/7/every_construct",
    "title": "every POP3 construct",
    "protocol": "pop3",
    "serial": False,
    "spec": [{"rfc": "1939", "section": "7", "level": "MAY"}],
    "steps": [
        {"fixture": {"messages": ["plain.eml", "dot-lines.eml"], "user": "${pop3_user}", "password": "${pop3_password}"}},
        {"connect": True, "expect": "+OK"},
        {"pop3": "CAPA", "expect": {"lines": ["^USER", "^UIDL$"], "not_lines": "^IMPLEMENTATION"}},
        {"starttls": True, "expect_220": "+OK"},
        {"starttls": {"required": False, "if_offered": True}},
        {"auth": "PLAIN"},
        {"auth": {"mechanism": "PLAIN", "user": "${pop3_user}", "cancel": True}, "expect": "-ERR"},
        {"login": True},
        {"login": {"apop": True}},
        {"login": {"user": "u", "password": "p", "apop": False, "comment": "c"}},
        {"pop3": "STAT", "expect": {"code": "+OK", "text": "^\\d+ \\d+", "capture": {"count": "^(\\d+)"}}},
        {"pop3": "LIST", "multiline": True, "expect": {"line_count": 2, "lines": "^1 \\d+$", "not_lines": []}},
        {"pop3": "TOP 1 0", "expect": {"lines": "^Subject:", "line_count": 100000000}},
        {"pop3": "RSET", "multiline": False},
        {"send": "UIDL", "multiline": True, "expect": {"code": "+OK", "line_count": 0}},
        {"raw": "NOOP\r\n", "multiline": False, "replies": 1},
        {"loop": {"count": 1, "steps": [{"pop3": "NOOP"}, {"send": "NOOP", "multiline": False}]}},
        {"quit": True},
        {"expect": {"closed": True}},
    ],
}


def with_change(base, change):
    doc = copy.deepcopy(base)
    change(doc)
    return doc


def set_path(path, value):
    """A change that sets doc[path[0]]...[path[-1]] = value."""
    def change(doc):
        node = doc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return change


def delete_path(path):
    def change(doc):
        node = doc
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
    return change


def step(value):
    return set_path(["steps", 1], value)


# Documents the loader rejects (facteur validate says so): each must fail the schema.
MUST_REJECT = [
    ("unknown step key", step({"ehlo": "c", "expct": 250})),
    ("quit: false (not a skip)", step({"quit": False})),
    ("data: false (not a skip)", step({"data": False})),
    ("bad level", set_path(["spec", 0, "level"], "MUST NOT")),
    ("lower-case level", set_path(["spec", 0, "level"], "must")),
    ("missing id", delete_path(["id"])),
    ("upper-case id", set_path(["id"], "SMTP/5321/x")),
    ("id ending in /", set_path(["id"], "smtp/5321/")),
    ("missing spec", delete_path(["spec"])),
    ("empty spec", set_path(["spec"], [])),
    ("spec entry not an object", set_path(["spec", 0], "5321")),
    ("empty steps", set_path(["steps"], [])),
    ("unknown top-level key", set_path(["step"], [])),
    ("format version 2", set_path(["facteur"], 2)),
    ("unknown protocol", set_path(["protocol"], "lmtp")),
    ("two actions", step({"send": "NOOP", "raw": "NOOP\r\n"})),
    ("no action", step({"session": "main"})),
    ("replies on send", step({"send": "NOOP", "replies": 2})),
    ("expect_354 on mail", step({"mail": "a@b", "expect_354": 354})),
    ("empty session name", step({"send": "NOOP", "session": ""})),
    ("unterminated template", step({"send": "MAIL FROM:<${user>"})),
    ("empty template name", step({"send": "${}"})),
    ("unknown built-in", step({"send": "${@random}"})),
    ("@hex out of range", step({"send": "${@hex:65}"})),
    ("bad code pattern", step({"send": "NOOP", "expect": {"code": "2x5"}})),
    ("code out of range", step({"send": "NOOP", "expect": 600})),
    ("bad enhanced pattern", step({"send": "NOOP", "expect": {"enhanced": "3.1.1"}})),
    ("closed with a code", step({"send": "NOOP", "expect": {"closed": True, "code": 250}})),
    ("empty expect list", step({"send": "NOOP", "expect": []})),
    ("unknown expectation key", step({"send": "NOOP", "expect": {"codes": [250]}})),
    ("loop without count", step({"loop": {"steps": []}})),
    ("sleep out of range", step({"sleep": 600001})),
    ("negative silence", step({"silence": -1})),
    ("data with message and raw", step({"data": {"message": {}, "raw": "x"}})),
    ("raw body in bdat", step({"bdat": {"raw": "x"}})),
    ("unknown message key", step({"data": {"message": {"subjet": "x"}}})),
    ("comment inside message", step({"data": {"message": {"comment": "x"}}})),
    ("bad header name", step({"data": {"message": {"headers": {"X A": "1"}}}})),
    ("negative message size", step({"data": {"message": {"size": -1}}})),
    ("empty pipeline", step({"pipeline": []})),
    ("mail object without from", step({"mail": {"params": ["SIZE=1"]}})),
    ("auth object without mechanism", step({"auth": {"user": "u"}})),
    ("mailbox without match", step({"mailbox": {"contains": "x"}})),
    ("SMTP step in a POP3 scenario", lambda d: d.update(protocol="pop3")),
    ("SMTP step in a loop of a POP3 scenario",
     lambda d: d.update(protocol="pop3", steps=[{"loop": {"count": 1, "steps": [{"data": True}]}}])),
    ("SMTP step in an IMAP scenario", lambda d: d.update(protocol="imap")),
    ("quit in an IMAP scenario", lambda d: d.update(protocol="imap", steps=[{"quit": True}])),
    ("auth in an FTP scenario", lambda d: d.update(protocol="ftp", steps=[{"auth": "PLAIN"}])),
    ("auth in an HTTP scenario", lambda d: d.update(protocol="http", steps=[{"auth": "PLAIN"}])),
    ("http options without http", lambda d: d.update(protocol="http", steps=[{"send": "x", "form": {"a": "b"}}])),
    ("http step in an SMTP scenario", step({"http": "GET /"})),
    ("http step without a target", lambda d: d.update(protocol="http", steps=[{"http": "GET"}])),
    ("multipart file part with value", lambda d: d.update(protocol="http", steps=[{"http": "POST /", "multipart": [{"name": "f", "filename": "x", "value": "v"}]}])),
    ("quit in an http-form scenario", lambda d: d.update(protocol="http-form", steps=[{"quit": True}])),
    ("imap step in an SMTP scenario", step({"imap": "NOOP"})),
    ("login in an SMTP scenario", step({"login": True})),
    ("pop3 step in an SMTP scenario", step({"pop3": "NOOP"})),
    ("IMAP step in a loop of an SMTP scenario", step({"loop": {"count": 1, "steps": [{"logout": True}]}})),
    ("multiline on send in an SMTP scenario", step({"send": "NOOP", "multiline": True})),
    ("imap step in an FTP scenario", lambda d: d.update(protocol="ftp", steps=[{"imap": "NOOP"}])),
    ("ftp step in an SMTP scenario", step({"ftp": "LIST"})),
    ("channel on a send step", step({"send": "NOOP", "channel": "pasv"})),
    ("serial not a boolean", set_path(["serial"], "yes")),
    ("unknown code PREAUTHX", step({"send": "NOOP", "expect": "PREAUTHX"})),
    ("lower-case bye", step({"send": "NOOP", "expect": "bye"})),
]

# Applied to FTP_MINIMAL; step() replaces its second step.
FTP_MUST_REJECT = [
    ("an unknown channel", step({"ftp": "LIST", "channel": "passive"})),
    ("an upload with text and seeded", step({"ftp": "STOR a", "upload": {"text": "x", "seeded": {"seed": 1, "size": 1}}})),
    ("a seeded upload without size", step({"ftp": "STOR a", "upload": {"seeded": {"seed": 1}}})),
    ("a size in furlongs", step({"ftp": "RETR a", "download": {"size": "3 furlongs"}})),
    ("an unknown download key", step({"ftp": "RETR a", "download": {"sha1": "x"}})),
    ("a two-line ftp command", step({"ftp": "RETR a\r\nDELE a"})),
    ("starttls with pipelined keys unknown to FTP", step({"starttls": {"protect": "no"}})),
    ("pop3 step in an FTP scenario", step({"pop3": "STAT"})),
    ("ehlo inside a loop of an FTP scenario", step({"loop": {"count": 1, "steps": [{"ehlo": True}]}})),
    ("abort_after without ftp", step({"send": "RETR a", "abort_after": 10})),
]

# Applied to IMAP_MINIMAL; step() replaces its second step.
IMAP_MUST_REJECT = [
    ("pop3 step in an IMAP scenario", step({"pop3": "STAT"})),
    ("ehlo in an IMAP scenario", step({"ehlo": True})),
    ("multiline on an imap step", step({"imap": "NOOP", "multiline": True})),
    ("multiline on send in an IMAP scenario", step({"send": "a NOOP", "multiline": False})),
    ("pop3 step in a loop of an IMAP scenario", step({"loop": {"count": 1, "steps": [{"pop3": "STAT"}]}})),
    ("async without tag", step({"imap": "NOOP", "async": True})),
    ("async with an empty tag", step({"imap": "NOOP", "async": True, "tag": ""})),
    ("async not a boolean", step({"imap": "NOOP", "async": "yes", "tag": "t"})),
    ("tag on a send step", step({"send": "a NOOP", "tag": "t"})),
    ("literals on an append step", step({"append": {"mailbox": "INBOX"}, "literals": ["x"]})),
    ("literal_mode beside append", step({"append": {"mailbox": "INBOX"}, "literal_mode": "sync"})),
    ("bad literal_mode", step({"imap": "NOOP", "literal_mode": "fast"})),
    ("upper-case literal_mode", step({"imap": "NOOP", "literal_mode": "SYNC"})),
    ("literals without a {} in the command", step({"imap": "APPEND INBOX", "literals": ["x"]})),
    ("a {} in the command without literals", step({"imap": "APPEND INBOX {}"})),
    ("a {} in the command with empty literals", step({"imap": "APPEND INBOX {}", "literals": []})),
    ("literal not a string", step({"imap": "APPEND INBOX {}", "literals": [1]})),
    ("literal with a bad template", step({"imap": "APPEND INBOX {}", "literals": ["${"]})),
    ("imap command with CRLF", step({"imap": "NOOP\r\n"})),
    ("imap command with LF inside", step({"imap": "NOOP\nNOOP"})),
    ("imap command not a string", step({"imap": True})),
    ("imap command with a bad template", step({"imap": "SELECT ${box"})),
    ("await not a string", step({"await": True})),
    ("append with file and raw", step({"append": {"mailbox": "INBOX", "file": "messages/plain.eml", "raw": "x"}})),
    ("append with message and raw", step({"append": {"mailbox": "INBOX", "message": {}, "raw": "x"}})),
    ("append with message and file", step({"append": {"mailbox": "INBOX", "message": {}, "file": "messages/plain.eml"}})),
    ("append without mailbox", step({"append": {"raw": "x"}})),
    ("append: true", step({"append": True})),
    ("append with a bad literal_mode", step({"append": {"mailbox": "INBOX", "literal_mode": "plus!"}})),
    ("append file with ..", step({"append": {"mailbox": "INBOX", "file": "../secret"}})),
    ("append file with an absolute path", step({"append": {"mailbox": "INBOX", "file": "/etc/passwd"}})),
    ("append with an unknown key", step({"append": {"mailbox": "INBOX", "body": "x"}})),
    ("append flags not strings", step({"append": {"mailbox": "INBOX", "flags": [1]}})),
    ("idle: false", step({"idle": False})),
    ("idle with options", step({"idle": {"timeout_ms": 5}})),
    ("idle with a comment inside", step({"idle": {"comment": "c"}})),
    ("done: a string", step({"done": "DONE"})),
    ("logout: false", step({"logout": False})),
    ("login: false", step({"login": False})),
    ("login: a string", step({"login": "alice"})),
    ("login with an unknown key", step({"login": {"user": "u", "mechanism": "PLAIN"}})),
    ("login with a bad template", step({"login": {"user": "${"}})),
    ("untagged not a string", step({"imap": "NOOP", "expect": {"untagged": 5}})),
    ("untagged with a bad template", step({"imap": "NOOP", "expect": {"untagged": ["* ${x"]}})),
    ("not_untagged not strings", step({"imap": "NOOP", "expect": {"not_untagged": [True]}})),
    ("tagged as an array", step({"imap": "NOOP", "expect": {"tagged": ["OK"]}})),
    ("ordered not a boolean", step({"imap": "NOOP", "expect": {"untagged": "* $ EXISTS", "ordered": 1}})),
    ("unknown IMAP expectation key", step({"imap": "NOOP", "expect": {"untagged_ordered": True}})),
]

# Applied to POP3_MINIMAL.
POP3_MUST_REJECT = [
    ("imap step in a POP3 scenario", step({"imap": "NOOP"})),
    ("logout in a POP3 scenario", step({"logout": True})),
    ("await in a POP3 scenario", step({"await": "t"})),
    ("imap step in a loop of a POP3 scenario", step({"loop": {"count": 1, "steps": [{"idle": True}]}})),
    ("negative line_count", step({"pop3": "LIST", "expect": {"line_count": -1}})),
    ("line_count too large", step({"pop3": "LIST", "expect": {"line_count": 100000001}})),
    ("line_count not an integer", step({"pop3": "LIST", "expect": {"line_count": "2"}})),
    ("lines not strings", step({"pop3": "RETR 1", "expect": {"lines": [1]}})),
    ("not_lines an object", step({"pop3": "RETR 1", "expect": {"not_lines": {}}})),
    ("multiline on login", step({"login": True, "multiline": True})),
    ("multiline on an expect step", step({"expect": "+OK", "multiline": True})),
    ("multiline not a boolean", step({"pop3": "LIST", "multiline": "yes"})),
    ("pop3 command with CR", step({"pop3": "STAT\r"})),
    ("pop3 command not a string", step({"pop3": ["STAT"]})),
    ("login with apop not a boolean", step({"login": {"apop": "yes"}})),
    ("fixture without user", step({"fixture": {"messages": ["plain.eml"], "password": "p"}})),
    ("fixture without password", step({"fixture": {"messages": ["plain.eml"], "user": "u"}})),
    ("fixture with an unknown key", step({"fixture": {"user": "u", "password": "p", "file": "plain.eml"}})),
    ("fixture message with ..", step({"fixture": {"user": "u", "password": "p", "messages": ["../../x.eml"]}})),
    ("fixture message with an empty name", step({"fixture": {"user": "u", "password": "p", "messages": [""]}})),
    ("fixture messages not strings", step({"fixture": {"user": "u", "password": "p", "messages": [1]}})),
    ("fixture user with a bad template", step({"fixture": {"user": "${", "password": "p"}})),
    ("fixture: true", step({"fixture": True})),
]

BASELINE_OK = {"facteur-baseline": 1, "description": "lab", "cases": {"smtp/5321/x": "why"}}
BASELINE_MUST_REJECT = [
    ("missing version", delete_path(["facteur-baseline"])),
    ("missing cases", delete_path(["cases"])),
    ("empty reason", set_path(["cases", "smtp/5321/x"], "")),
    ("reason not a string", set_path(["cases", "smtp/5321/x"], True)),
    ("description not a string", set_path(["description"], 1)),
]

# --- checking --------------------------------------------------------------------------------

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def json_path(parts):
    """["steps", 2, "expect"] → $.steps[2].expect (the form the loader prints)."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif IDENTIFIER.match(part):
            out += "." + part
        else:
            out += "[" + json.dumps(part) + "]"
    return out


def closest(error):
    """For an anyOf/oneOf error: the deepest reason among its alternatives, leaving out the
    alternatives whose type did not even match (they say nothing about what was meant)."""
    candidates = [e for e in error.context if e.validator != "type"] or list(error.context)
    deepest = max(candidates, key=lambda e: len(e.absolute_path))
    return closest(deepest) if deepest.context else deepest


def message_of(error):
    """The error's message; for a failed "not" whose schema has a description, that description
    (the schema says what is wrong better than "should not be valid under {...}")."""
    if error.validator == "not" and isinstance(error.validator_value, dict) and "description" in error.validator_value:
        shown = json.dumps(error.instance, ensure_ascii=False)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        return f"{shown}: {error.validator_value['description']}"
    return error.message


def describe(error):
    text = f"{json_path(error.absolute_path)}: {message_of(error)}"
    if error.context:
        reason = closest(error)
        text += f" (closest: {json_path(reason.absolute_path)}: {message_of(reason)})"
    return text


def errors_of(validator, document):
    """The document's errors, sorted by path, each reported once (a step is checked both by the
    generic step schema and by its protocol's, so the same error can come twice)."""
    seen = set()
    unique = []
    for error in validator.iter_errors(document):
        key = (tuple(map(str, error.absolute_path)), describe(error))
        if key not in seen:
            seen.add(key)
            unique.append(error)
    return sorted(unique, key=lambda e: list(map(str, e.absolute_path)))


def reject_constant(name):
    raise ValueError(f"{name} is not JSON")


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f, parse_constant=reject_constant)


def self_check(scenario_validator, baseline_validator):
    """(checks made, checks failed, a message for every way the schemas fail to tell right from wrong)."""
    messages = []
    failed = checks = 0
    must_accept = ((scenario_validator, "minimal scenario", MINIMAL),
                   (scenario_validator, "every-construct scenario", EVERYTHING),
                   (scenario_validator, "non-SMTP scenario", NON_SMTP),
                   (scenario_validator, "protocol-neutral scenario", NEUTRAL),
                   (scenario_validator, "every-HTTP-construct scenario", HTTP_EVERYTHING),
                   (scenario_validator, "minimal IMAP scenario", IMAP_MINIMAL),
                   (scenario_validator, "every-IMAP-construct scenario", IMAP_EVERYTHING),
                   (scenario_validator, "minimal POP3 scenario", POP3_MINIMAL),
                   (scenario_validator, "every-POP3-construct scenario", POP3_EVERYTHING),
                   (scenario_validator, "minimal FTP scenario", FTP_MINIMAL),
                   (scenario_validator, "every-FTP-construct scenario", FTP_EVERYTHING),
                   (baseline_validator, "valid baseline", BASELINE_OK))
    for validator, name, doc in must_accept:
        errors = errors_of(validator, doc)
        checks += 1
        failed += bool(errors)
        messages += [f"self-check: the {name} is rejected: {describe(error)}" for error in errors]
    must_reject = ((scenario_validator, MINIMAL, MUST_REJECT),
                   (scenario_validator, IMAP_MINIMAL, IMAP_MUST_REJECT),
                   (scenario_validator, POP3_MINIMAL, POP3_MUST_REJECT),
                   (scenario_validator, FTP_MINIMAL, FTP_MUST_REJECT),
                   (baseline_validator, BASELINE_OK, BASELINE_MUST_REJECT))
    for validator, base, cases in must_reject:
        for name, change in cases:
            checks += 1
            if validator.is_valid(with_change(base, change)):
                failed += 1
                messages.append(f"self-check: the schema accepts a document with {name}")
    return checks, failed, messages


def scenario_files(root):
    files = []
    for path in sorted(root.rglob("*.json")):
        relative = path.relative_to(root)
        if any(part in SKIPPED_FOLDERS for part in relative.parts[:-1]):
            continue
        files.append(path)
    return files


def check_files(files, validator, root):
    """(passed, failed) after printing each error as file: $.path: message."""
    passed = failed = 0
    for path in files:
        shown = path.relative_to(root.parent) if root.parent in path.parents else path
        try:
            document = load_json(path)
        except (ValueError, OSError) as e:  # json.JSONDecodeError is a ValueError
            print(f"{shown}: invalid JSON: {e}")
            failed += 1
            continue
        errors = errors_of(validator, document)
        for error in errors:
            print(f"{shown}: {describe(error)}")
        if errors:
            failed += 1
        else:
            passed += 1
    return passed, failed


def validator_for(schema_path):
    schema = load_json(schema_path)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def main(argv):
    if len(argv) == 2 and argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    root = pathlib.Path(argv[1]).resolve()
    if not (root / "schema" / "scenario-v1.schema.json").is_file():
        print(f"{root}: no schema/scenario-v1.schema.json here; give the scenarios folder", file=sys.stderr)
        return 2
    scenario_validator = validator_for(root / "schema" / "scenario-v1.schema.json")
    baseline_validator = validator_for(root / "schema" / "baseline-v1.schema.json")

    checks, failed_checks, messages = self_check(scenario_validator, baseline_validator)
    for message in messages:
        print(message)

    scenarios = scenario_files(root)
    if not scenarios:
        print(f"no scenario found under {root}")
    baselines = sorted((root / "baselines").glob("*.json"))
    s_passed, s_failed = check_files(scenarios, scenario_validator, root)
    b_passed, b_failed = check_files(baselines, baseline_validator, root)
    print(f"scenarios: {s_passed} passed, {s_failed} failed; baselines: {b_passed} passed, {b_failed} failed; "
          f"self-check: {checks - failed_checks} passed, {failed_checks} failed")
    return 1 if failed_checks or s_failed or b_failed or not scenarios else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
