#!/usr/bin/python3
"""Checks every shipped scenario and baseline against its JSON Schema (scenarios/schema/).

    schema_check.py SCENARIOS_DIR

Scenarios: every *.json under SCENARIOS_DIR, leaving out folders named "schema" and "baselines"
(as the loader does). Baselines: SCENARIOS_DIR/baselines/*.json. Before that, a self-check proves
the schemas can fail: documents the loader rejects, embedded below, must be rejected too, and a
document using every construct of the format must be accepted. Exit 0 when all is well, 1 otherwise.
"""

import copy
import json
import pathlib
import re
import sys

from jsonschema import Draft202012Validator

SKIPPED_FOLDERS = {"schema", "baselines"}

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
     lambda d: d.update(protocol="pop3", steps=[{"loop": {"count": 1, "steps": [{"quit": True}]}}])),
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


def describe(error):
    text = f"{json_path(error.absolute_path)}: {error.message}"
    if error.context:
        reason = closest(error)
        text += f" (closest: {json_path(reason.absolute_path)}: {reason.message})"
    return text


def errors_of(validator, document):
    return sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))


def reject_constant(name):
    raise ValueError(f"{name} is not JSON")


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f, parse_constant=reject_constant)


def self_check(scenario_validator, baseline_validator):
    """(checks made, checks failed, a message for every way the schemas fail to tell right from wrong)."""
    messages = []
    failed = 0
    for validator, name, doc in ((scenario_validator, "minimal scenario", MINIMAL),
                                 (scenario_validator, "every-construct scenario", EVERYTHING),
                                 (scenario_validator, "non-SMTP scenario", NON_SMTP),
                                 (baseline_validator, "valid baseline", BASELINE_OK)):
        errors = errors_of(validator, doc)
        failed += bool(errors)
        messages += [f"self-check: the {name} is rejected: {describe(error)}" for error in errors]
    for validator, base, cases in ((scenario_validator, MINIMAL, MUST_REJECT),
                                   (baseline_validator, BASELINE_OK, BASELINE_MUST_REJECT)):
        for name, change in cases:
            if validator.is_valid(with_change(base, change)):
                failed += 1
                messages.append(f"self-check: the schema accepts a document with {name}")
    return 4 + len(MUST_REJECT) + len(BASELINE_MUST_REJECT), failed, messages


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
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    root = pathlib.Path(argv[1]).resolve()
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
