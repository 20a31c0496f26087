#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Changes to the credential list while voting is open (SPEC §11.7), end to
end with the command line: the authority replaces a lost letter and adds a
late tenant on its own machine, the officer applies the signed change
files, the old code is refused and the new codes vote, a revocation that
would void a counted ballot is refused unless the officer says so, and the
record verifies, with the receipts of the voided ballot saying so."""
import csv
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

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


def must(what, *args, **kw):
    r = run(*args, **kw)
    if r.returncode != 0:
        print(f"FAIL: {what}: exit {r.returncode}: {r.stderr.strip()}")
        sys.exit(1)
    return r


def letters(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def board(e):
    con = sqlite3.connect(os.path.join(e, "election.db"))
    try:
        return (con.execute("SELECT count(*) FROM board").fetchone()[0],
                con.execute("SELECT count(*) FROM audit_log").fetchone()[0])
    finally:
        con.close()


for verb in ("replace", "late", "apply"):
    r = run("credentials", verb, "--help")
    check(r.returncode == 0 and "Usage: tenantvote credentials" in r.stdout, f"{verb} --help")
    r = run("credentials", verb)
    check(r.returncode == 2, f"credentials {verb} without its arguments: exit 2")

with tempfile.TemporaryDirectory() as d:
    pw = os.path.join(d, "pw")
    with open(pw, "w") as f:
        f.write("the credential authority passphrase\n")
    os.chmod(pw, 0o600)
    box = {"TENANTVOTE_BOX_PASSPHRASE": "the ballot box passphrase"}
    e = os.path.join(d, "ballot")
    must("init", "init", e, "--council", "C", "--landlord", "L", "--title", "T", "--question", "Q",
         "--option", "Yes", "--option", "No", "--trustees", "1", "--threshold", "1",
         "--opens", "2020-01-01T00:00:00Z", "--closes", "2099-01-01T00:00:00Z")
    reg = os.path.join(d, "r.csv")
    with open(reg, "w") as f:
        f.write("tenancy_ref,name,address,tenancy_type\n"
                "T1,Ann,1 Lane,secure\nT2,Bob,2 Lane,secure\nT3,Cai,3 Lane,secure\n")
    must("register import", "register", "import", reg, "-d", e)
    ca = os.path.join(d, "ca")
    must("credentials make", "credentials", "make", "--manifest", os.path.join(e, "manifest.json"),
         "--register", reg, "--out", ca, "--passphrase-file", pw)
    codes = [row["code"] for row in letters(os.path.join(ca, "letters.csv"))]
    auth = ["--manifest", os.path.join(e, "manifest.json"), "--authority", ca,
            "--passphrase-file", pw]
    must("credentials import", "credentials", "import", os.path.join(ca, "credentials-issue.json"),
         "-d", e)

    # made before voting opens, applied only while it is open
    rep = os.path.join(d, "replace-3")
    r = run("credentials", "replace", "--tenant", "3", "--register", reg, "--out", rep, *auth,
            "--json")
    check(r.returncode == 0 and json.loads(r.stdout)["changes"] == 2,
          f"credentials replace: a letter and two changes ({r.stderr.strip()})")
    for name in ("letters.csv", "change.json"):
        p = os.path.join(rep, name)
        check(os.path.exists(p) and os.stat(p).st_mode & 0o777 == 0o600, f"{name} is 0600")
    new3 = letters(os.path.join(rep, "letters.csv"))
    check(len(new3) == 1 and new3[0]["tenancy_ref"] == "T3" and new3[0]["code"] != codes[2],
          "the replacement letter is tenant 3's, with a new code")
    r = run("credentials", "replace", "--tenant", "3", "--register", reg, "--out", rep, *auth)
    check(r.returncode == 1 and "already exists" in r.stderr, "replace never overwrites")
    r = run("credentials", "replace", "--tenant", "4", "--register", reg, "--out",
            os.path.join(d, "x"), *auth)
    check(r.returncode == 2 and not os.path.exists(os.path.join(d, "x")),
          "replace: a tenant not on the register, exit 2")
    other_reg = os.path.join(d, "other.csv")
    with open(other_reg, "w") as f:
        f.write("tenancy_ref,name,address,tenancy_type\n"
                "T1,Ann,1 Lane,secure\nT3,Cai,3 Lane,secure\nT2,Bob,2 Lane,secure\n")
    r = run("credentials", "replace", "--tenant", "3", "--register", other_reg, "--out",
            os.path.join(d, "y"), *auth)
    check(r.returncode == 1 and "not the register" in r.stderr and
          not os.path.exists(os.path.join(d, "y")),
          f"replace: another register refused, nothing made ({r.stderr.strip()})")
    with open(os.path.join(rep, "change.json")) as f:
        change = json.load(f)
    check(change["format"] == "tenantvote-credential-change/1" and
          [c["op"] for c in change["changes"]] == ["revoked", "added"] and
          change["changes"][1]["tenant"] == 3, "the change file: revoke, then add for tenant 3")

    r = run("credentials", "apply", os.path.join(rep, "change.json"), "-d", e)
    check(r.returncode == 1 and "not opened" in r.stderr, "apply before open refused")

    run("ceremony", "-d", e, env={"TENANTVOTE_PASSPHRASE": "the one trustee passphrase"})
    must("open", "open", "-d", e, env=box)
    r1 = must("vote", "vote", "-d", e, "--json", env=box, stdin=f"{codes[0]}\n1\n")
    rec1 = os.path.join(d, "r1.json")
    with open(rec1, "w") as f:
        f.write(r1.stdout)

    # refused, nothing stored: altered, another election's, not a change file
    before = board(e)
    bad = dict(change)
    sig = change["changes"][0]["entry"]["signature"]
    bad["changes"] = [dict(change["changes"][0],
                           entry=dict(change["changes"][0]["entry"],
                                      signature=sig[:-2] + "%02x" % (int(sig[-2:], 16) ^ 1)))]
    forged = os.path.join(d, "forged.json")
    with open(forged, "w") as f:
        json.dump(bad, f)
    r = run("credentials", "apply", forged, "-d", e)
    check(r.returncode == 1 and "not signed by this election's credential authority" in r.stderr,
          f"apply: an altered signature refused ({r.stderr.strip()})")
    with open(forged, "w") as f:
        json.dump(dict(change, election="00" * 32), f)
    r = run("credentials", "apply", forged, "-d", e)
    check(r.returncode == 1 and "another election" in r.stderr, "apply: another election refused")
    r = run("credentials", "apply", os.path.join(e, "manifest.json"), "-d", e)
    check(r.returncode == 1 and "credential change file" in r.stderr,
          f"apply: not a change file, named ({r.stderr.strip()})")
    check(board(e) == before, "refused changes store nothing, not even an audit row")

    # the lost letter
    r = run("credentials", "apply", os.path.join(rep, "change.json"), "-d", e, "--json")
    out = json.loads(r.stdout) if r.returncode == 0 else {}
    check(out.get("changes") == 2 and out.get("first") == 2 and out.get("electorate") == 3,
          f"apply: the replacement at positions 2 and 3, electorate 3 ({r.stderr.strip()})")
    r = run("credentials", "apply", os.path.join(rep, "change.json"), "-d", e)
    check(r.returncode == 1 and "revoked already" in r.stderr, "apply twice refused")
    r = run("vote", "-d", e, env=box, stdin=f"{codes[2]}\n1\n")
    check(r.returncode == 1 and "revoked" in r.stderr, "the old code is refused")
    must("the new code votes", "vote", "-d", e, env=box, stdin=f"{new3[0]['code']}\n2\n")

    # a late tenant
    late_csv = os.path.join(d, "late.csv")
    with open(late_csv, "w") as f:
        f.write("tenancy_ref,name,address,tenancy_type,language\nL9,Dai Late,9 Lane,secure,cy\n")
    late = os.path.join(d, "late")
    must("credentials late", "credentials", "late", "--late", late_csv, "--out", late, *auth)
    latecode = letters(os.path.join(late, "letters.csv"))[0]["code"]
    must("apply the late tenant", "credentials", "apply", os.path.join(late, "change.json"), "-d", e)
    must("the late tenant votes", "vote", "-d", e, env=box, stdin=f"{latecode}\n1\n")

    # tenant 1's letter reported lost after tenant 1 voted
    rep1 = os.path.join(d, "replace-1")
    must("replace tenant 1", "credentials", "replace", "--tenant", "1", "--register", reg,
         "--out", rep1, *auth)
    before = board(e)
    r = run("credentials", "apply", os.path.join(rep1, "change.json"), "-d", e)
    check(r.returncode == 1 and "counted entry at position 1" in r.stderr and board(e) == before,
          f"a revocation voiding a counted ballot refused, nothing stored ({r.stderr.strip()})")
    r = run("credentials", "apply", os.path.join(rep1, "change.json"), "-d", e,
            "--void-counted-ballot")
    check(r.returncode == 0, f"... and applied with --void-counted-ballot ({r.stderr.strip()})")
    con = sqlite3.connect(os.path.join(e, "election.db"))
    voids = con.execute("SELECT count(*) FROM audit_log WHERE event = 'credential-revoked' "
                        "AND detail LIKE '%VOIDS the counted entry at position 1%'").fetchone()[0]
    con.close()
    check(voids == 1, "the void is in the audit log")
    r = run("receipt", "check", rec1, "-d", e, "--json")
    check(r.returncode == 0 and json.loads(r.stdout)["counts"] is False,
          "the box says tenant 1's voided ballot no longer counts")
    must("marked-register", "marked-register", "--purpose", "test", "-d", e, "--out",
         os.path.join(d, "mr.csv"))
    with open(os.path.join(d, "mr.csv"), encoding="utf-8") as f:
        marked = f.read()
    check("L9" in marked and "T3" in marked and "T1" not in marked,
          f"marked register: the late tenant and the replacement, not the voided tenant ({marked})")

    # a second replacement for tenant 3 names the credential it revokes:
    # tenant 3's new one, which has voted, so the box asks for the flag
    rep3b = os.path.join(d, "replace-3-again")
    r = run("credentials", "replace", "--tenant", "3", "--register", reg, "--out", rep3b,
            "--old-credential", "04" + "zz" * 64, *auth)
    check(r.returncode == 1 and "--old-credential" in r.stderr and not os.path.exists(rep3b),
          f"replace: a bad --old-credential refused, nothing made ({r.stderr.strip()})")
    must("replace tenant 3 again", "credentials", "replace", "--tenant", "3", "--register", reg,
         "--out", rep3b, "--old-credential", change["changes"][1]["entry"]["credential"], *auth)
    before = board(e)
    r = run("credentials", "apply", os.path.join(rep3b, "change.json"), "-d", e)
    check(r.returncode == 1 and "counted entry at position 4" in r.stderr and board(e) == before,
          f"a second replacement revokes the first replacement's credential ({r.stderr.strip()})")

    must("close", "close", "-d", e, "--early", "--reason", "the test ends its window now", env=box)
    r = run("credentials", "apply", os.path.join(rep3b, "change.json"), "-d", e,
            "--void-counted-ballot")
    check(r.returncode == 1 and "closed" in r.stderr, "apply after close refused")
    must("tally", "tally", "-d", e)
    ft = os.path.join(d, "for-trustees")
    must("export --for-trustees", "export", "--record", ft, "--for-trustees", "-d", e)
    must("trustee decrypt", "trustee", "decrypt", "--trustee", "1", "--record", ft, "-d", e,
         env={"TENANTVOTE_PASSPHRASE": "the one trustee passphrase"})
    res = json.loads(must("declare", "declare", "-d", e, "--json").stdout)
    check([o["votes"] for o in res["options"]] == [1, 1],
          f"declared: tenant 3's new ballot and the late tenant's, not the voided one ({res})")
    rec = os.path.join(d, "record")
    must("export", "export", "--record", rec, "-d", e)
    r = run("verify", rec, "--json")
    v = json.loads(r.stdout) if r.stdout else {}
    check(r.returncode == 0 and v.get("valid") is True, f"the record verifies ({r.stderr.strip()})")
    with open(os.path.join(rec, "tally.json")) as f:
        tally = json.load(f)["tally"]
    # 3 issued, + T3's new and L9 and T1's new, - T3's old and T1's old
    check(tally["electorate"] == 4 and tally["ballots"] == 2, f"electorate and ballots ({tally})")
    with open(os.path.join(rec, "board.jsonl")) as f:
        kinds = [json.loads(line)["kind"] for line in f]
    check(kinds.count("credential-added") == 3 and kinds.count("credential-revoked") == 2,
          f"the changes are public lines of the board ({kinds})")
    with open(os.path.join(rec, "credentials.json")) as f:
        check(json.load(f)["electorate"] == 3, "credentials.json stays the signed list")
    # each tenant finds the check code of their letter, the late tenant and
    # the replacement included; a revoked code is no longer on the list
    late_check = letters(os.path.join(late, "letters.csv"))[0]["check_code"]
    old_check = letters(os.path.join(ca, "letters.csv"))[2]["check_code"]
    for code, want, what in ((late_check, 0, "the late tenant's"),
                             (new3[0]["check_code"], 0, "the replacement's"),
                             (old_check, 1, "the revoked")):
        r = run("credentials", "codes", "--record", rec, "--find", code)
        check(r.returncode == want, f"credentials codes --find: {what} check code "
              f"({'found' if want == 0 else 'not found'}) ({r.stdout.strip()})")
    r = run("credentials", "codes", "--record", rec, "--json")
    check(r.returncode == 0 and json.loads(r.stdout)["credentials"] == 4,
          "credentials codes: the list as the board changed it, 4 credentials")
    r = run("receipt", "check", rec1, "--record", rec, "--json")
    check(r.returncode == 0 and json.loads(r.stdout)["counts"] is False,
          f"the record says tenant 1's voided ballot does not count ({r.stdout.strip()})")
    r = run("receipt", "check", rec1, "--record", rec)
    check("revoked" in r.stdout.lower() or "revoked" in r.stderr.lower(),
          f"the tenant's receipt check says revoked ({r.stdout.strip()} {r.stderr.strip()})")

# a box made before credential changes (schema version 6) still opens: it
# is migrated on open (to 7, then to 8: ballot papers), votes go on, and its record verifies
V5_SQL = """
CREATE TABLE credential_v6 (
  tenant_id INTEGER PRIMARY KEY REFERENCES tenant(id),
  public_key BLOB NOT NULL UNIQUE CHECK (length(public_key) = 65));
INSERT INTO credential_v6 SELECT tenant_id, public_key FROM credential;
DROP TABLE credential;
ALTER TABLE credential_v6 RENAME TO credential;
CREATE TABLE board_v6 (
  position INTEGER PRIMARY KEY CHECK (position >= 1),
  tracking BLOB NOT NULL UNIQUE CHECK (length(tracking) = 32),
  credential BLOB NOT NULL REFERENCES credential(public_key),
  ballot_json TEXT NOT NULL,
  channel INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  prev_head BLOB NOT NULL CHECK (length(prev_head) = 32),
  head BLOB NOT NULL CHECK (length(head) = 32),
  kind INTEGER NOT NULL DEFAULT 1 CHECK (kind IN (1, 2, 3)));
INSERT INTO board_v6 SELECT position, tracking, credential, ballot_json, channel, received_at,
  prev_head, head, kind FROM board;
DROP TABLE board;
ALTER TABLE board_v6 RENAME TO board;
CREATE INDEX board_by_credential ON board(credential, position);
ALTER TABLE tenant DROP COLUMN late;
DROP TABLE paper;
DROP TABLE paper_list;
PRAGMA user_version = 6;
"""

with tempfile.TemporaryDirectory() as d:
    box = {"TENANTVOTE_BOX_PASSPHRASE": "the ballot box passphrase"}
    e = os.path.join(d, "old")
    must("init", "init", e, "--council", "C", "--landlord", "L", "--title", "T", "--question", "Q",
         "--option", "Yes", "--option", "No", "--trustees", "1", "--threshold", "1",
         "--opens", "2020-01-01T00:00:00Z", "--closes", "2099-01-01T00:00:00Z")
    reg = os.path.join(d, "r.csv")
    with open(reg, "w") as f:
        f.write("tenancy_ref,name,address,tenancy_type\nT1,Ann,1 Lane,secure\nT2,Bob,2 Lane,secure\n")
    must("register import", "register", "import", reg, "-d", e)
    lf = os.path.join(d, "letters.csv")
    must("credentials issue", "credentials", "issue", "--letters", lf, "-d", e)
    codes = [row["code"] for row in letters(lf)]
    run("ceremony", "-d", e, env={"TENANTVOTE_PASSPHRASE": "the one trustee passphrase"})
    must("open", "open", "-d", e, env=box)
    must("vote", "vote", "-d", e, env=box, stdin=f"{codes[0]}\n1\n")
    con = sqlite3.connect(os.path.join(e, "election.db"), isolation_level=None)
    con.execute("PRAGMA foreign_keys = OFF")
    con.executescript("BEGIN;" + V5_SQL + "COMMIT;")
    check(con.execute("PRAGMA user_version").fetchone()[0] == 6, "the box is made version 6")
    con.close()
    r = run("status", "-d", e, "--json")
    st = json.loads(r.stdout) if r.returncode == 0 else {}
    con = sqlite3.connect(os.path.join(e, "election.db"))
    version = con.execute("PRAGMA user_version").fetchone()[0]
    late_col = [c[1] for c in con.execute("PRAGMA table_info(tenant)")].count("late")
    con.close()
    check(version == 8 and late_col == 1 and st.get("cast") == 1 and st.get("electorate") == 2,
          f"a version 6 box is migrated on open, its ballot kept ({r.stderr.strip()} {st})")
    must("vote after migration", "vote", "-d", e, env=box, stdin=f"{codes[1]}\n2\n")
    must("close", "close", "-d", e, "--early", "--reason", "the test ends its window now", env=box)
    must("tally", "tally", "-d", e)
    ft = os.path.join(d, "for-trustees")
    must("export --for-trustees", "export", "--record", ft, "--for-trustees", "-d", e)
    must("trustee decrypt", "trustee", "decrypt", "--trustee", "1", "--record", ft, "-d", e,
         env={"TENANTVOTE_PASSPHRASE": "the one trustee passphrase"})
    must("declare", "declare", "-d", e)
    rec = os.path.join(d, "record")
    must("export", "export", "--record", rec, "-d", e)
    r = run("verify", rec, "--json")
    check(r.returncode == 0 and json.loads(r.stdout).get("valid") is True,
          f"the migrated box's record verifies ({r.stderr.strip()})")

if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print("all credential change checks passed")
