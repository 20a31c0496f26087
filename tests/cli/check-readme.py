#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""README.md's returning officer's timeline, run as written.

Every ```sh block of the section "A ballot, step by step" is read from
README.md and every command in it is run, in order, by bash, as the person
the README says types it, each in a home folder of their own (officer,
credential authority, five trustees). Only these things differ from
pasting them on real machines, and each is done here in the open:

- the folder /srv is a scratch folder, and the voting window is moved so
  that it is open now (the README's dates are in the future);
- the files the README says people hand to each other are copied between
  their folders (the register and manifest to the authority, the signed
  list to the officer, the kit and the ceremony's messages between the
  trustees, the trustees' decryptions to the officer);
- the lost letter's old code is tried once after its replacement (it
  must be refused), and the tenant's postal paper carries the new one;
- a command the README shows for trustee 1 is run by each trustee with
  their own number; `vote` is run by several tenants, each typing their
  code and choice on standard input as at a terminal;
- the postal batch, the register and the offer document are made-up files of the format the
  README describes;
- passphrases come from the environment variables the commands read,
  instead of a prompt;
- the window is still open when the README closes it, so `close` is given
  the early-close reason it asks for (`--early --reason`).

A command that exits non-zero fails the test, and so does a README block
this runner does not know how to run (so the README cannot grow a command
nobody has run). At the end the declared figures are checked against the
votes cast.

    check-readme.py path/to/tenantvote path/to/README.md"""
import csv
import datetime
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

tv = os.path.abspath(sys.argv[1])
readme = sys.argv[2]
failures = []
N, K = 5, 3


def check(cond, what):
    if not cond:
        failures.append(what)
        print(f"FAIL: {what}")


def commands():
    """the README's timeline: its sh blocks' commands, continuation lines
    joined, comments and blank lines left out"""
    text = open(readme, encoding="utf-8").read()
    start = text.index("## A ballot, step by step")
    end = text.index("\n## ", start + 3)
    out = []
    for block in re.findall(r"```sh\n(.*?)```", text[start:end], re.S):
        joined = re.sub(r"\\\n\s*", "", block)
        for line in joined.splitlines():
            line = line.split(" #")[0].strip()
            if line and not line.startswith("#"):
                out.append(line)
    return out


def stamp(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


with tempfile.TemporaryDirectory() as root:
    bin_dir = os.path.join(root, "bin")
    os.makedirs(bin_dir)
    os.symlink(tv, os.path.join(bin_dir, "tenantvote"))
    homes = {"officer": os.path.join(root, "officer"), "authority": os.path.join(root, "authority")}
    for i in range(1, N + 1):
        homes[i] = os.path.join(root, f"trustee-{i}")
    for h in homes.values():
        os.makedirs(h)
    srv = os.path.join(root, "srv")
    os.makedirs(srv)
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    window = (stamp(now - datetime.timedelta(minutes=5)), stamp(now + datetime.timedelta(days=7)))
    passphrases = {"officer": "the box passphrase for the README ballot",
                   "authority": "the credential authority's passphrase, for README"}
    for i in range(1, N + 1):
        passphrases[i] = f"trustee {i}'s own passphrase for the README ballot"

    def sh(who, line, stdin=None):
        env = dict(os.environ)
        env.update({"PATH": bin_dir + os.pathsep + env.get("PATH", ""), "HOME": homes[who],
                    "TENANTVOTE_PASSPHRASE": passphrases[who],
                    "TENANTVOTE_BOX_PASSPHRASE": passphrases["officer"]})
        line = line.replace("/srv/", srv + "/")
        r = subprocess.run(["bash", "-c", line], cwd=homes[who], env=env, capture_output=True,
                           text=True, input=stdin, timeout=300)
        check(r.returncode == 0, f"README: `{line}` ({who}) exits 0: exit {r.returncode}: "
                                 f"{r.stderr.strip()[-600:]}")
        return r

    # the council's register: eight tenants, two of them joint tenants of one home
    register = "tenancy_ref,name,address,tenancy_type,language\n" + "".join(
        f"T{min(i, 7)},Tenant {i},{i} Heol y Bryn,secure,{'cy' if i % 3 == 0 else 'en'}\n"
        for i in range(1, 9))
    with open(os.path.join(homes["officer"], "council-register.csv"), "w") as f:
        f.write(register)
    # the landlord's offer document, as published
    offer = b"%PDF-1.4\n% the offer document tenants are sent and vote on\n"
    with open(os.path.join(homes["officer"], "offer.pdf"), "wb") as f:
        f.write(offer)

    letters = []
    voted_online = {}   # tenant (row) -> choice
    cmds = commands()
    check(len(cmds) >= 20, f"README: the timeline has its commands ({len(cmds)})")
    for line in cmds:
        words = line.split()
        if len(words) < 2 or words[0] != "tenantvote":
            check(False, f"README: `{line}` is not a tenantvote command this test can run")
            continue
        verb = words[1]
        sub = words[2] if len(words) > 2 else ""
        if verb == "init":
            line = line.replace("2027-03-01T09:00:00Z", window[0]).replace("2027-03-22T17:00:00Z",
                                                                          window[1])
            sh("officer", line)
        elif verb == "credentials" and sub == "make":
            # the officer hands over the manifest and the same register
            for name in ("council-register.csv",):
                shutil.copy(os.path.join(homes["officer"], name), homes["authority"])
            shutil.copy(os.path.join(srv, "ballot", "manifest.json"), homes["authority"])
            sh("authority", line)
            with open(os.path.join(homes["authority"], "ca", "letters.csv"), newline="") as f:
                letters = list(csv.DictReader(f))
            check(len(letters) == 8 and os.path.getsize(
                os.path.join(homes["authority"], "ca", "letters.pdf")) > 1000,
                "README: the authority made a letter for each of the 8 tenants")
        elif verb == "credentials" and sub == "import":
            os.makedirs(os.path.join(homes["officer"], "ca"), exist_ok=True)
            shutil.copy(os.path.join(homes["authority"], "ca", "credentials-issue.json"),
                        os.path.join(homes["officer"], "ca"))
            check(not os.path.exists(os.path.join(homes["officer"], "ca", "letters.csv")),
                  "README: the officer never holds the letters")
            sh("officer", line)
        elif verb == "credentials" and sub == "replace":
            sh("authority", line)
            out = re.search(r"--out (\S+)", line).group(1)
            row = int(re.search(r"--tenant (\d+)", line).group(1)) - 1
            with open(os.path.join(homes["authority"], out, "letters.csv"), newline="") as f:
                new_letter = list(csv.DictReader(f))
            check(len(new_letter) == 1 and new_letter[0]["code"] != letters[row]["code"],
                  "README: the lost letter's tenant has a new code")
            old_code = letters[row]["code"]
            letters[row] = new_letter[0]
            # the authority gives the officer the signed change, never the letter
            os.makedirs(os.path.join(homes["officer"], out), exist_ok=True)
            shutil.copy(os.path.join(homes["authority"], out, "change.json"),
                        os.path.join(homes["officer"], out))
        elif verb == "credentials" and sub == "apply":
            sh("officer", line)
            r = subprocess.run([tv, "vote", "-d", os.path.join(srv, "ballot")], input=f"{old_code}\n1\n",
                               capture_output=True, text=True,
                               env=dict(os.environ, TENANTVOTE_BOX_PASSPHRASE=passphrases["officer"]))
            check(r.returncode == 1 and "revoked" in r.stderr,
                  f"README: the lost letter's old code is refused ({r.stderr.strip()[-200:]})")
        elif verb == "ceremony" and sub == "kit":
            sh("officer", line)
            for i in range(1, N + 1):
                shutil.copy(os.path.join(homes["officer"], "kit.json"), homes[i])
        elif verb == "trustee" and sub in ("keygen", "share", "combine"):
            for i in range(1, N + 1):
                sh(i, line.replace("--trustee 1", f"--trustee {i}"))
            # the swap the README describes after keygen and share
            kind = {"keygen": "commit", "share": "reveal"}.get(sub)
            if kind:
                for i in range(1, N + 1):
                    src = os.path.join(homes[i], "trustee", "ceremony", f"{kind}-{i}.json")
                    for j in range(1, N + 1):
                        if j != i:
                            shutil.copy(src, os.path.join(homes[j], "trustee", "ceremony"))
            else:
                collected = os.path.join(homes["officer"], "collected")
                os.makedirs(collected, exist_ok=True)
                for i in range(1, N + 1):
                    for kind in ("commit", "reveal", "result"):
                        shutil.copy(os.path.join(homes[i], "trustee", "ceremony", f"{kind}-{i}.json"),
                                    collected)
        elif verb == "trustee" and sub == "decrypt":
            for i in range(1, K + 1):
                sh(i, line.replace("--trustee 1", f"--trustee {i}"))
                dest = os.path.join(srv, "ballot", "decryptions")
                os.makedirs(dest, exist_ok=True)
                shutil.copy(os.path.join(homes[i], "trustee", "decryptions", f"trustee-{i}.json"), dest)
        elif verb == "vote":
            # three tenants at the terminal, one of them twice (the last counts)
            for row, choice in ((0, "1"), (1, "2"), (2, "2"), (2, "1")):
                r = sh("officer", line, stdin=f"{letters[row]['code']}\n{choice}\n")
                check("Tracking code" in r.stdout and "check.html#" in r.stdout,
                      "README: vote prints a receipt with its check address")
                voted_online[row] = choice
        elif verb == "intake":
            # the postal papers of everyone else: four marked, one spoilt
            rows = ["code,choice"]
            marks = ["1", "1", "2", "2", "rejected:more-than-one-answer"]
            for row, mark in zip(range(3, 8), marks):
                rows.append(f"{letters[row]['code']},{mark}")
            with open(os.path.join(homes["officer"], "postal-batch-1.csv"), "w") as f:
                f.write("\n".join(rows) + "\n")
            sh("officer", line)
        elif verb == "close":
            r = subprocess.run([tv, "close", "--help"], capture_output=True, text=True)
            if "--early" in r.stdout:
                line += " --early --reason 'the README test runs its window today'"
            sh("officer", line)
        elif verb in ("init", "show", "register", "credentials", "ceremony", "status", "open",
                      "marked-register", "tally", "export", "declare", "verify", "publish",
                      "receipt", "log", "backup"):
            sh("officer", line)
        else:
            check(False, f"README: `{line}`: this test does not know who runs it")

    # what was declared is what was cast: online 1, 1 (the revote), 2;
    # postal 1, 1, 2, 2, one rejected
    with open(os.path.join(srv, "ballot", "result.json")) as f:
        res = json.load(f)
    check(res.get("electorate") == 8 and res.get("ballots") == 8,
          f"README: 8 tenants, 8 papers received ({res.get('electorate')}, {res.get('ballots')})")
    counts = [o.get("votes") for o in res.get("options", [])]
    check(counts == [4, 3], f"README: the declared votes are the ones cast ({counts})")
    check(os.path.exists(os.path.join(srv, "board", "check.html")),
          "README: the bulletin board was published")
    check(len(glob.glob(os.path.join(srv, "public-record", "*"))) >= 9,
          "README: the public record was written")
    with open(os.path.join(srv, "public-record", "manifest.json")) as f:
        check(hashlib.sha256(offer).hexdigest() in f.read(),
              "README: the record's manifest names the offer document by its SHA-256")
    check(os.path.getsize(os.path.join(srv, "ballot-backup-1.db")) > 0,
          "README: the backup was made")

print(f"{len(failures)} failure(s)" if failures else "ok")
sys.exit(1 if failures else 0)
