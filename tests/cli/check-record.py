#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A whole count through the CLI (intake with a spoilt paper and a revote,
close, tally, 2 of 3 decryptions, declare, export), then the verifier on
the record and on tampered copies of it: each tampering must fail with the
right check number (SPEC §19)."""
import csv, json, os, shutil, subprocess, sys, tempfile

tv = sys.argv[1]
failures = []
env = dict(os.environ, TENANTVOTE_PASSPHRASE="pw", TENANTVOTE_BOX_PASSPHRASE="bx")


def run(*args):
    return subprocess.run([tv, *args], capture_output=True, text=True, env=env)


def must(*args):
    r = run(*args)
    if r.returncode != 0:
        print(f"FAIL: {' '.join(args[:2])}: {r.stderr.strip()}")
        sys.exit(1)
    return r


def check(cond, what):
    if not cond:
        failures.append(what)
        print(f"FAIL: {what}")


with tempfile.TemporaryDirectory() as d:
    e = os.path.join(d, "e")
    must("init", e, "--council", "C", "--landlord", "L", "--title", "T", "--question", "Q",
         "--option", "Yes", "--option", "No", "--allow-blank", "--channels", "online,postal",
         "--trustees", "3", "--threshold", "2",
         "--opens", "2020-01-01T00:00:00Z", "--closes", "2099-01-01T00:00:00Z")
    reg = os.path.join(d, "r.csv")
    with open(reg, "w") as f:
        f.write("tenancy_ref,name,address,tenancy_type\n" +
                "".join(f"T{i},N{i},{i} Lane,secure\n" for i in range(6)))
    must("register", "import", reg, "-d", e)
    letters = os.path.join(d, "l.csv")
    must("credentials", "issue", "--letters", letters, "-d", e)
    with open(letters, newline="") as f:
        codes = [row["code"] for row in csv.DictReader(f)]
    must("ceremony", "-d", e)
    must("open", "-d", e)
    intake = os.path.join(d, "in.csv")
    with open(intake, "w") as f:
        f.write(f"code,choice\n{codes[0]},1\n{codes[1]},1\n{codes[2]},2\n"
                f"{codes[3]},rejected:no-official-mark\n{codes[4]},blank\n")
    must("intake", intake, "--channel", "postal", "-d", e)
    r1 = must("vote", "--code", codes[1], "--choice", "2", "-d", e, "--json")  # a revote
    must("close", "-d", e)
    r = run("declare", "-d", e)
    check(r.returncode == 1 and "tally" in r.stderr, "declare before tally refused")
    must("tally", "-d", e)
    must("trustee", "decrypt", "--trustee", "2", "-d", e)
    r = run("declare", "-d", e)
    check(r.returncode != 0 and "needed" in r.stderr, "declare with 1 of 3 decryptions refused")
    must("trustee", "decrypt", "--trustee", "3", "-d", e)
    res = json.loads(must("declare", "-d", e, "--json").stdout)
    check([o["votes"] for o in res["options"]] == [1, 2] and res["blank"] == 1 and
          res["rejected"]["no-official-mark"] == 1 and res["ballots"] == 5,
          f"declared figures ({res})")
    eml = must("declare", "-d", e, "--eml", "510").stdout
    check(eml.startswith("<?xml") and "510" in eml, "EML 510")
    rec = os.path.join(d, "rec")
    must("export", "--record", rec, "-d", e)
    r = run("export", "--record", rec, "-d", e)
    check(r.returncode == 1 and "already exists" in r.stderr, "export never overwrites")
    r = run("verify", rec, "--json", "--threads", "2")
    out = json.loads(r.stdout) if r.stdout else {}
    check(r.returncode == 0 and out.get("valid") is True and out.get("passed") == 15,
          f"the record verifies ({r.stdout[-300:]})")

    def tampered(name, edit, want, note):
        t = os.path.join(d, "t")
        shutil.rmtree(t, ignore_errors=True)
        shutil.copytree(rec, t)
        path = os.path.join(t, name)
        with open(path) as f:
            text = f.read()
        new = edit(text)
        assert new != text, note
        with open(path, "w") as f:
            f.write(new)
        r = run("verify", t, "--json")
        got = json.loads(r.stdout) if r.stdout.strip() else {}
        checks = sorted({x["check"] for x in got.get("failures", [])})
        check(r.returncode == 1 and want in checks, f"tampered {note}: want check {want}, got {checks}")

    def board_edit(fn):
        def edit(text):
            lines = text.splitlines(True)
            return "".join(fn(lines))
        return edit

    def swap_choice(lines):
        a = json.loads(lines[0])
        b = json.loads(lines[1])
        a["entry"]["selections"] = b["entry"]["selections"]
        lines[0] = json.dumps(a, separators=(",", ":")) + "\n"
        return lines

    tampered("record.json", lambda s: s.replace("tenantvote-record/1", "tenantvote-record/9"), 1,
             "record format")
    tampered("manifest.json", lambda s: s.replace('"Yes"', '"Yes!"', 1), 2, "manifest text")
    tampered("trustees.json", lambda s: s.replace('"trustee":1', '"trustee":2', 1), 3,
             "ceremony transcript")
    tampered("credentials.json", lambda s: s.replace('"electorate":6', '"electorate":7'), 4,
             "electorate")
    tampered("board.jsonl", board_edit(lambda l: l[:-1]), 10, "last entry dropped")
    tampered("board.jsonl", board_edit(lambda l: l + [l[-1]]), 9, "entry duplicated")
    tampered("board.jsonl", board_edit(lambda l: [l[1], l[0]] + l[2:]), 9, "entries reordered")
    tampered("board.jsonl", board_edit(lambda l: l[:-1] + [l[-1][:40] + "\n"]), 5, "entry truncated")
    tampered("board.jsonl", board_edit(swap_choice), 7, "ballot's votes swapped for another's")
    tampered("board.jsonl", board_edit(lambda l: [x.replace('"channel":4', '"channel":1', 1) for x in l]),
             9, "channel changed")
    tampered("close.json", lambda s: s.replace('"signature":"', '"signature":"00', 1).replace('"}', '"}', 1)[:-6] + s[-4:],
             10, "close signature")
    tampered("tally.json", lambda s: s.replace('"ballots":', '"ballots":1', 1), 11, "tally count")
    tampered("tally.json", lambda s: s.replace('"trustee":2', '"trustee":1', 1), 12,
             "decryption claimed by another trustee")
    tampered("result.json", lambda s: s.replace('"votes": 2', '"votes": 3', 1), 14, "result votes")
    tampered("declaration.txt", lambda s: s.replace("NOT CARRIED", "CARRIED", 1), 15,
             "declaration outcome")
    # a ballot inserted without a credential on the list
    tampered("credentials.json",
             lambda s: json.dumps(dict(json.loads(s), electorate=5,
                                       credentials=[c for c in json.loads(s)["credentials"]
                                                    if c not in open(os.path.join(rec, "board.jsonl")).read()][:0] +
                                       [c for c in json.loads(s)["credentials"]
                                        if c != json.loads(open(os.path.join(rec, "board.jsonl")).readline())["entry"]["credential"]]),
                                  separators=(",", ":")) + "\n",
             6, "a credential removed from the list")
    # the receipt of the revote checks against the record
    rcpt = os.path.join(d, "rcpt.json")
    with open(rcpt, "w") as f:
        f.write(r1.stdout)
    r = run("receipt", "check", rcpt, "--record", rec, "--json")
    check(r.returncode == 0 and json.loads(r.stdout)["counts"] is True, f"receipt against the record ({r.stderr})")

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
