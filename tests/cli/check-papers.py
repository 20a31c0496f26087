#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Pre-encrypted ballot papers (SPEC §15.8), end to end with the command
line: the credential authority makes the papers once the key is known,
the box imports them, postal and phone papers are cast by identifier and
code (the box never sees a credential code), each bad row is refused with
nothing stored, a tenant votes online, an unreturned paper is opened after
close, the record verifies (ours and the independent checker), and each
tenant finds their paper's code with `papers find`: a clerk who typed the
code of another answer is caught by the tenant's check, at its position."""
import csv
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "vectors",
                                "independent"))
import check_papers  # noqa: E402  the independent checker of §15.8

exe = sys.argv[1]
failures = []


def run(*args, env=None, stdin=None):
    e = dict(os.environ)
    e.pop("TENANTVOTE_PASSPHRASE", None)
    e.update(env or {})
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=300, env=e,
                          input=stdin)


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)
    else:
        print("ok:", what)


def must(what, *args, **kw):
    r = run(*args, **kw)
    if r.returncode != 0:
        print(f"FAIL: {what}: exit {r.returncode}: {r.stderr.strip()}")
        sys.exit(1)
    return r


def board_size(e):
    con = sqlite3.connect(os.path.join(e, "election.db"))
    try:
        return con.execute("SELECT count(*) FROM board").fetchone()[0]
    finally:
        con.close()


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


r = run("papers", "--help")
check(r.returncode == 0 and "Usage: tenantvote papers make" in r.stdout, "papers --help")
r = run("papers")
check(r.returncode == 2, "papers without an action: exit 2")
r = run("papers", "make")
check(r.returncode == 2, "papers make without its arguments: exit 2")

with tempfile.TemporaryDirectory() as d:
    pw = write(os.path.join(d, "pw"), "the credential authority passphrase\n")
    os.chmod(pw, 0o600)
    box = {"TENANTVOTE_BOX_PASSPHRASE": "the ballot box passphrase"}
    trustee = {"TENANTVOTE_PASSPHRASE": "the one trustee passphrase"}
    e = os.path.join(d, "ballot")
    must("init", "init", e, "--council", "C", "--landlord", "L", "--title", "T|Teitl",
         "--question", "Q?|C?", "--option", "Yes|Ydw", "--option", "No|Nac ydw",
         "--allow-blank", "--channels", "online,phone,postal", "--trustees", "1",
         "--threshold", "1", "--opens", "2020-01-01T00:00:00Z", "--closes",
         "2099-01-01T00:00:00Z")
    manifest = os.path.join(e, "manifest.json")
    reg = write(os.path.join(d, "r.csv"), "tenancy_ref,name,address,tenancy_type\n"
                "T1,Ann,1 Lane,secure\nT2,Bob,2 Lane,secure\nT3,Cai,3 Lane,secure\n"
                "T4,Dee,4 Lane,secure\n")
    must("register import", "register", "import", reg, "-d", e)
    ca = os.path.join(d, "ca")
    must("credentials make", "credentials", "make", "--manifest", manifest, "--register", reg,
         "--out", ca, "--passphrase-file", pw)
    with open(os.path.join(ca, "letters.csv"), newline="") as f:
        codes = [row["code"] for row in csv.DictReader(f)]
    must("credentials import", "credentials", "import", os.path.join(ca, "credentials-issue.json"),
         "-d", e)
    key = json.loads(must("ceremony", "ceremony", "-d", e, "--json", env=trustee).stdout)[
        "election_key"]

    # the authority makes the papers
    pdir = os.path.join(d, "papers")
    auth = ["--manifest", manifest, "--authority", ca, "--passphrase-file", pw]
    r = run("papers", "make", *auth, "--election-key", "04" + "00" * 64, "--out", pdir)
    check(r.returncode == 2 and not os.path.exists(pdir),
          f"papers make: a key that is not a point refused, nothing made ({r.stderr.strip()})")
    r = must("papers make", "papers", "make", *auth, "--election-key", key, "--out", pdir,
             "--papers-pdf", os.path.join(d, "papers.pdf"), "--json")
    check(json.loads(r.stdout)["papers"] == 4, "papers make: four papers")
    for name in ("papers.csv", "papers.secret"):
        p = os.path.join(pdir, name)
        check(os.stat(p).st_mode & 0o777 == 0o600, f"{name} is 0600")
    check(os.stat(os.path.join(d, "papers.pdf")).st_mode & 0o777 == 0o600, "the PDF is 0600")
    with open(os.path.join(pdir, "papers.csv"), newline="") as f:
        rows = list(csv.reader(f))
    check(rows[0] == ["number", "paper", "code Yes", "code No", "code blank"],
          f"papers.csv's header ({rows[0]})")
    papers = [{"id": r[1], 1: r[2], 2: r[3], 0: r[4]} for r in rows[1:]]
    check(len(papers) == 4 and all(len(p["id"]) == 24 for p in papers),
          "papers.csv: four identifiers")
    r = run("papers", "make", *auth, "--election-key", key, "--out", pdir)
    check(r.returncode == 1 and "already exists" in r.stderr, "papers make never overwrites")

    # the box takes them once, before voting opens
    boxfile = os.path.join(pdir, "papers-box.jsonl")
    with open(boxfile) as f:
        lines = f.read().splitlines()
    bad_lines = [lines[0]] + lines[2:]
    r = run("papers", "import", write(os.path.join(d, "short.jsonl"),
                                      "\n".join(bad_lines) + "\n"), "-d", e)
    check(r.returncode == 1 and "papers" in r.stderr,
          f"papers import: a file with a paper taken out refused ({r.stderr.strip()})")
    must("papers import", "papers", "import", boxfile, "-d", e)
    r = run("papers", "import", boxfile, "-d", e)
    check(r.returncode == 1 and "already" in r.stderr, "papers import: a second import refused")
    must("open", "open", "-d", e, env=box)

    # bad rows: each its own problem, nothing stored
    before = board_size(e)
    other = next(c for c in (papers[1][1], papers[1][2], papers[1][0])
                 if c not in (papers[0][1], papers[0][2], papers[0][0]))
    typo = papers[0]["id"][:-1] + ("0" if papers[0]["id"][-1] != "0" else "1")
    # the file's own form first: a mistyped identifier, a code that is no code,
    # the same paper twice
    bad = write(os.path.join(d, "bad.csv"),
                "paper,code\n"
                f"{typo},{papers[0][1]}\n"
                f"{papers[1]['id']},YES\n"
                f"{papers[2]['id']},{papers[2][1]}\n"
                f"{papers[2]['id']},{papers[2][2]}\n")
    r = run("intake", bad, "--channel", "postal", "-d", e, env=box)
    check(r.returncode == 1, f"intake of malformed rows: exit 1 ({r.returncode})")
    for what in ("line 2", "paper identifier", "line 3", "code beside a mark"):
        check(what in r.stderr, f"intake names: {what}")
    r = run("intake", write(os.path.join(d, "dup.csv"), "paper,code\n"
                            f"{papers[2]['id']},{papers[2][1]}\n"
                            f"{papers[2]['id'].lower()},{papers[2][2]}\n"),
            "--channel", "postal", "-d", e, env=box)
    check(r.returncode == 1 and "line 3" in r.stderr and "the same paper as line 2" in r.stderr,
          f"intake: the same paper twice ({r.stderr.strip()})")
    # then against the box: a code of another paper, a paper not issued
    fake = check_papers.paper_id(bytes.fromhex(json.loads(open(os.path.join(
        pdir, "papers-box.jsonl")).readline())["election"]), bytes(32))[1]
    r = run("intake", write(os.path.join(d, "box.csv"), "paper,code\n"
                            f"{papers[0]['id']},{other}\n{fake},{papers[0][1]}\n"),
            "--channel", "postal", "-d", e, env=box)
    check(r.returncode == 1 and "line 2" in r.stderr and "is not on paper" in r.stderr and
          "line 3" in r.stderr and "is not one this election issued" in r.stderr,
          f"intake: another paper's code, a paper not issued ({r.stderr.strip()})")
    for c in codes:
        check(c not in r.stderr, "no credential code in intake's messages")
    check(board_size(e) == before, "bad rows: nothing stored")

    # tenant 1 marked Yes; the clerk types the code beside No
    stub = papers[0][1]
    postal = write(os.path.join(d, "postal.csv"),
                   f"paper,code\n{papers[0]['id']},{papers[0][2]}\n"
                   f"{papers[1]['id']},rejected:no-official-mark\n")
    must("intake postal", "intake", postal, "--channel", "postal", "-d", e, env=box)
    # tenant 3 phones: keys in the paper's identifier and the code beside blank
    phone = write(os.path.join(d, "phone.csv"),
                  f"paper,code\n{papers[2]['id'].lower().replace('-', ' ')},{papers[2][0]}\n")
    must("intake phone", "intake", phone, "--channel", "phone", "-d", e, env=box)
    r = run("intake", phone, "--channel", "phone", "-d", e, env=box, stdin=None)
    check(r.returncode == 0, "intake run again: nothing cast twice")
    again = write(os.path.join(d, "again.csv"), f"paper,code\n{papers[2]['id']},{papers[2][1]}\n")
    r = run("intake", again, "--channel", "postal", "-d", e, env=box)
    check(r.returncode == 1 and "cast already" in r.stderr,
          f"a paper phoned, then posted: the post refused ({r.stderr.strip()})")
    # tenant 3 then votes online too: under "last" the later entry counts
    must("vote online after the phone", "vote", "-d", e, env=box, stdin=f"{codes[2]}\n1\n")
    # tenant 4 votes online and keeps their paper: it is audited after close
    must("vote online", "vote", "-d", e, env=box, stdin=f"{codes[3]}\n1\n")
    # then someone phones tenant 4's paper in: a paper never replaces a vote
    late = write(os.path.join(d, "late.csv"), f"paper,code\n{papers[3]['id']},{papers[3][2]}\n")
    before = board_size(e)
    r = run("intake", late, "--channel", "phone", "-d", e, env=box)
    check(r.returncode == 1 and "a paper never replaces a vote" in r.stderr and
          board_size(e) == before,
          f"a paper after its tenant's online vote refused, nothing stored ({r.stderr.strip()})")
    con = sqlite3.connect(os.path.join(e, "election.db"))
    db = b"".join(bytes(str(row), "utf-8") for t in ("board", "paper", "audit_log")
                  for row in con.execute(f"SELECT * FROM {t}"))
    con.close()
    for c in codes[:3]:
        check(c.encode() not in db and c.replace("-", "").encode() not in db,
              "the box holds no paper tenant's credential code")
    must("close", "close", "-d", e, "--early", "--reason", "the test ends its window now",
         env=box)
    r = run("intake", postal, "--channel", "postal", "-d", e, env=box)
    check(r.returncode != 0 and "closed" in r.stderr, "a paper returned after close refused")
    must("tally", "tally", "-d", e)

    # after close: the authority opens the papers not cast as ballots
    board_rec = os.path.join(d, "board-record")
    must("export for the authority", "export", "--record", board_rec, "--for-trustees", "-d", e)
    openings = os.path.join(d, "openings.json")
    r = must("papers open", "papers", "open", *auth, "--papers", pdir, "--election-key", key,
             "--record", board_rec, "--out", openings, "--json")
    check(json.loads(r.stdout)["opened"] == 2, "papers open: the rejected and the unreturned")
    must("papers openings", "papers", "openings", openings, "-d", e)
    r = run("papers", "openings", openings, "-d", e)
    check(r.returncode == 1 and "imported already" in r.stderr, "openings imported once")
    ft = os.path.join(d, "for-trustees")
    must("export --for-trustees", "export", "--record", ft, "--for-trustees", "-d", e)
    must("trustee decrypt", "trustee", "decrypt", "--trustee", "1", "--record", ft, "-d", e,
         env=trustee)
    must("declare", "declare", "-d", e)
    rec = os.path.join(d, "record")
    must("export", "export", "--record", rec, "-d", e)
    r = run("verify", rec, "--json", "--election-key", key)
    check(r.returncode == 0 and json.loads(r.stdout).get("valid") is True,
          f"the record verifies ({r.stderr.strip()})")
    problems = check_papers.check_record_papers(rec)
    check(problems == [], f"the independent checker agrees ({problems[:3]})")
    with open(os.path.join(rec, "result.json")) as f:
        result = json.load(f)
    votes = {o["id"]: o["votes"] for o in result["options"]}
    check(votes == {1: 2, 2: 1} and result["blank"] == 0,
          f"counted as recorded: Yes 2 (online), No 1 (paper 1), the phoned blank replaced "
          f"({votes})")

    # each tenant checks their paper
    r = must("papers find", "papers", "find", papers[0]["id"], "--record", rec, "--json")
    found = json.loads(r.stdout)
    check(found["state"] == "cast" and found["code"] == papers[0][2] and found["counts"],
          "papers find: paper 1 cast with the code the clerk typed, and it counts")
    check(found["code"] != stub,
          f"tenant 1's check catches the clerk: the board shows {found['code']} at position "
          f"{found['position']}, the stub says {stub}")
    r = must("papers find", "papers", "find", papers[2]["id"], "--record", rec, "--json")
    found = json.loads(r.stdout)
    check(found["state"] == "cast" and found["code"] == papers[2][0] and not found["counts"],
          "papers find: the phone vote, replaced by the same tenant's later online vote")
    r = must("papers find", "papers", "find", papers[1]["id"], "--record", rec, "--json")
    found = json.loads(r.stdout)
    check(found["state"] == "rejected" and found["reason"] == "no-official-mark" and
          {c["answer"]: c["code"] for c in found["opened"]} == {1: papers[1][1],
                                                               2: papers[1][2],
                                                               0: papers[1][0]},
          "papers find: the rejected paper, opened: its printed codes")
    r = must("papers find", "papers", "find", papers[3]["id"], "--record", rec, "--json")
    found = json.loads(r.stdout)
    check(found["state"] == "opened" and
          {c["answer"]: c["code"] for c in found["opened"]} == {1: papers[3][1],
                                                               2: papers[3][2],
                                                               0: papers[3][0]},
          "papers find: the kept paper is audited, its codes as printed")
    r = run("papers", "find", typo, "--record", rec)
    check(r.returncode == 1 and "mistyped" in r.stderr, "papers find: a typo refused")

    # the PDF holds each identifier and code, both languages
    pdf_check = os.path.join(os.path.dirname(os.path.abspath(__file__)), "check-papers-pdf.py")
    expected = write(os.path.join(d, "expected.json"), json.dumps(
        [{"id": p["id"], "codes": [p[1], p[2], p[0]]} for p in papers]))
    if subprocess.run(["which", "pdftotext"], capture_output=True).returncode == 0:
        r = subprocess.run([sys.executable, pdf_check, exe, os.path.join(d, "papers.pdf"),
                            expected], capture_output=True, text=True)
        check(r.returncode == 0, f"the papers' PDF reads back ({r.stdout[-300:]}{r.stderr[-300:]})")

if failures:
    print(f"{len(failures)} paper check(s) failed")
    sys.exit(1)
print("all paper checks passed")
