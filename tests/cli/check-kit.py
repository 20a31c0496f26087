#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The key ceremony across machines (SPEC §12.12): a whole ballot whose five
trustees (any three can decrypt) each work in a folder of their own that
never holds, and cannot reach, the election folder: the officer hands out
the public ceremony kit, the trustees make, share and combine keys from it
and copy each other's message files, the officer imports the collected
transcript, and three trustees later decrypt from the public record alone.
No file a trustee ever holds carries anything from the tenant register
(docs/THREATS.md: "a trustee never receives tenant data").

Then the officer's import refuses a tampered, a missing and a misnamed
message, naming the file, and leaves the box without a key.

    check-kit.py path/to/tenantvote"""
import csv
import json
import re
import os
import shutil
import subprocess
import sys
import tempfile

tv = os.path.abspath(sys.argv[1])
failures = []
N, K = 5, 3
TENANTS = [  # every field here is tenant data no trustee may ever hold
    ("LLAN-TENANCY-1", "Bethan Prydderch", "11 Heol Gwenallt, Llanymddyfri", "bethan.prydderch@example.org",
     "01550 720111"),
    ("LLAN-TENANCY-2", "Iolo Tregaron-Hughes", "12 Stryd y Felin, Llanymddyfri", "iolo.th@example.org",
     "01550 720222"),
    ("LLAN-TENANCY-3", "Mererid Cadwaladr", "13 Lôn Brynhyfryd, Llanymddyfri", "mererid.c@example.org",
     "01550 720333"),
    ("LLAN-TENANCY-4", "Osian Pennant-Rhys", "14 Ffordd y Castell, Llanymddyfri", "osian.pr@example.org",
     "01550 720444"),
]
SECRET_NEEDLES = [v for t in TENANTS for v in t]


def check(cond, what):
    if not cond:
        failures.append(what)
        print(f"FAIL: {what}")


def run(args, cwd=None, env_extra=None, stdin=None):
    env = dict(os.environ)
    env.pop("TENANTVOTE_PASSPHRASE", None)
    env.update(env_extra or {})
    return subprocess.run([tv, *args], capture_output=True, text=True, cwd=cwd, env=env,
                          input=stdin, timeout=300)


def must(args, what, **kw):
    r = run(args, **kw)
    if r.returncode != 0:
        print(f"FAIL: {what}: exit {r.returncode}: {r.stderr.strip()}")
        sys.exit(1)
    return r


def tree(root):
    """every file under root, as relative paths"""
    out = []
    for base, _, names in os.walk(root):
        out += [os.path.relpath(os.path.join(base, n), root) for n in names]
    return sorted(out)


def clean_of_tenants(root, when):
    """no election.db, and no tenant's name, address, email or phone anywhere"""
    files = tree(root)
    check(not any(os.path.basename(f) in ("election.db", "election.db-wal", "election.db-shm")
                  or f.endswith(".csv") for f in files),
          f"{when}: {root} holds no box or register ({files})")
    for f in files:
        with open(os.path.join(root, f), "rb") as fh:
            data = fh.read()
        for needle in SECRET_NEEDLES:
            check(needle.encode() not in data, f"{when}: {f} in {root} holds {needle!r}")


officer_root = tempfile.mkdtemp(prefix="tv-officer-")
ca_root = tempfile.mkdtemp(prefix="tv-authority-")
trustee_root = tempfile.mkdtemp(prefix="tv-trustees-")
try:
    e = os.path.join(officer_root, "election")
    must(["init", e, "--council", "Cyngor Sir Gâr / Carmarthenshire County Council",
          "--landlord", "Cartrefi Tywi", "--title", "Transfer ballot", "--question", "Transfer?",
          "--option", "Yes", "--option", "No", "--channels", "online",
          "--trustees", str(N), "--threshold", str(K),
          "--opens", "2020-01-01T00:00:00Z", "--closes", "2099-01-01T00:00:00Z"], "init")
    reg = os.path.join(officer_root, "register.csv")
    with open(reg, "w", encoding="utf-8") as f:
        f.write("tenancy_ref,name,address,tenancy_type,email,phone\n")
        for ref, name, addr, email, phone in TENANTS:
            f.write(f'{ref},{name},"{addr}",secure,{email},{phone}\n')
    must(["register", "import", reg, "-d", e], "register import")
    # ---- the credential authority, in a folder of its own: the public
    # manifest and the register, never the box (SPEC §11.5)
    shutil.copy(os.path.join(e, "manifest.json"), ca_root)
    shutil.copy(reg, ca_root)
    ca_out = os.path.join(ca_root, "made")
    # the authority's key file is sealed under a passphrase that meets the rule
    r = run(["credentials", "make", "--manifest", os.path.join(ca_root, "manifest.json"),
             "--register", os.path.join(ca_root, "register.csv"), "--out", ca_out],
            env_extra={"TENANTVOTE_PASSPHRASE": "authority"})
    check(r.returncode == 1 and "too weak" in r.stderr and not os.path.exists(ca_out),
          f"credentials make: a weak passphrase refused, nothing made ({r.stderr.strip()})")
    r = must(["credentials", "make", "--manifest", os.path.join(ca_root, "manifest.json"),
              "--register", os.path.join(ca_root, "register.csv"), "--out", ca_out,
              "--json"], "credentials make",
             env_extra={"TENANTVOTE_PASSPHRASE": "authority pass"})
    made = json.loads(r.stdout)
    authority = made["authority"]
    letters = os.path.join(ca_out, "letters.csv")
    with open(letters, newline="", encoding="utf-8") as f:
        codes = [row["code"] for row in csv.DictReader(f)]
    must(["credentials", "import", os.path.join(ca_out, "credentials-issue.json"), "-d", e],
         "credentials import")
    check(not any(n.endswith(".db") for n in os.listdir(ca_root)),
          "the credential authority's folder holds no ballot box")

    # ---- the officer makes the kit: public things only
    kit = os.path.join(officer_root, "kit.json")
    r = must(["ceremony", "kit", "--out", kit, "-d", e], "ceremony kit")
    with open(kit, encoding="utf-8") as f:
        doc = json.load(f)
    check(doc.get("format") == "tenantvote-ceremony-kit/1" and doc.get("trustees") == N and
          doc.get("threshold") == K and
          doc.get("credentials", {}).get("authority") == authority and
          doc["credentials"].get("electorate") == len(TENANTS) and
          len(doc.get("ceremony", "")) == 64 and doc["ceremony"] in r.stdout,
          f"kit: format, n, k, the authority's key, ceremony fingerprint printed ({r.stdout})")
    check(doc["ceremony"] == made["ceremony_fingerprint"] and
          doc["credentials"]["list_digest"] == made["list_digest"],
          "the kit's ceremony fingerprint and list digest are the ones the authority published")
    check(sorted(doc) == ["ceremony", "credentials", "election", "format", "manifest",
                          "threshold", "trustees"], f"kit: exactly its members ({sorted(doc)})")
    r = run(["ceremony", "kit", "--out", kit, "-d", e])
    check(r.returncode == 1 and "already exists" in r.stderr, "kit: never overwritten")
    r = run(["ceremony", "kit", "-d", e])
    check(r.returncode == 2, "kit without --out: exit 2")

    # ---- five trustees, each in a folder of its own, with a copy of the kit
    tdirs = [os.path.join(trustee_root, f"trustee-{i}") for i in range(1, N + 1)]
    for t in tdirs:
        os.mkdir(t)
        shutil.copy(kit, os.path.join(t, "kit.json"))
        clean_of_tenants(t, "given the kit")

    def trustee(i, *args):
        t = tdirs[i - 1]
        # cwd is the trustee's folder: "." is never the election folder
        return run(["trustee", *args, "--trustee", str(i), "--kit", "kit.json", "-d", "."],
                   cwd=t, env_extra={"TENANTVOTE_PASSPHRASE": f"trustee {i} pass"})

    def exchange(kind):
        """each trustee copies every other trustee's KIND file into its ceremony/"""
        for i in range(1, N + 1):
            src = os.path.join(tdirs[i - 1], "ceremony", f"{kind}-{i}.json")
            for j in range(1, N + 1):
                if j != i:
                    shutil.copy(src, os.path.join(tdirs[j - 1], "ceremony"))

    # a kit that is not well formed, or is bound to another fingerprint, is refused
    bad_kit = os.path.join(tdirs[0], "bad-kit.json")
    with open(bad_kit, "w", encoding="utf-8") as f:
        json.dump(dict(doc, ceremony="00" * 32), f)
    r = run(["trustee", "keygen", "--trustee", "1", "--kit", "bad-kit.json", "-d", "."],
            cwd=tdirs[0], env_extra={"TENANTVOTE_PASSPHRASE": "a trustee passphrase"})
    check(r.returncode == 1 and "ceremony kit" in r.stderr and "ceremony:" in r.stderr and
          not os.path.exists(os.path.join(tdirs[0], "trustees")),
          f"keygen refuses a kit with the wrong fingerprint ({r.stderr.strip()})")
    os.unlink(bad_kit)

    # the officer's own list: the same election, credentials made on the box
    # (another authority key). A trustee who made keys with that kit and is
    # then handed the real one is refused, not quietly kept on the first
    other = os.path.join(officer_root, "other")
    must(["init", other, "--manifest", os.path.join(e, "manifest.json")], "init other")
    must(["register", "import", reg, "-d", other], "register other")
    must(["credentials", "issue", "--letters", os.path.join(officer_root, "l2.csv"), "-d", other],
         "credentials issue other")
    other_kit = os.path.join(officer_root, "other-kit.json")
    must(["ceremony", "kit", "--out", other_kit, "-d", other], "other kit")
    tx = os.path.join(trustee_root, "fooled")
    os.mkdir(tx)
    shutil.copy(other_kit, os.path.join(tx, "first.json"))
    shutil.copy(kit, os.path.join(tx, "kit.json"))
    fooled = {"TENANTVOTE_PASSPHRASE": "fooled trustee passphrase"}
    must(["trustee", "keygen", "--trustee", "1", "--kit", "first.json", "-d", "."],
         "keygen with the officer's kit", cwd=tx, env_extra=fooled)
    os.unlink(os.path.join(tx, "ceremony", "commit-1.json"))
    r = run(["trustee", "keygen", "--trustee", "1", "--kit", "kit.json", "-d", "."], cwd=tx,
            env_extra=fooled)
    check(r.returncode == 1 and "another ceremony" in r.stderr and
          not os.path.exists(os.path.join(tx, "ceremony", "commit-1.json")),
          f"keygen refuses to publish keys made for another kit ({r.stderr.strip()})")
    r = run(["trustee", "share", "--trustee", "1", "--kit", "kit.json", "-d", "."], cwd=tx,
            env_extra=fooled)
    check(r.returncode == 1 and "another ceremony" in r.stderr,
          f"share refuses keys made for another kit ({r.stderr.strip()})")
    shutil.rmtree(tx)

    for i in range(1, N + 1):
        r = trustee(i, "keygen")
        check(r.returncode == 0 and doc["ceremony"] in r.stdout,
              f"trustee {i} keygen from the kit ({r.stderr.strip()})")
        secret = os.path.join(tdirs[i - 1], "trustees", f"trustee-{i}.secret")
        check(os.path.exists(secret) and os.stat(secret).st_mode & 0o777 == 0o600,
              f"trustee {i}: sealed secret, mode 0600, in its own folder")
    r = trustee(1, "share")
    check(r.returncode == 1 and "2, 3, 4, 5" in r.stderr, "share names the missing commits")
    exchange("commit")
    for i in range(1, N + 1):
        r = trustee(i, "share")
        check(r.returncode == 0, f"trustee {i} share ({r.stderr.strip()})")
    exchange("reveal")
    announced = set()
    for i in range(1, N + 1):
        r = trustee(i, "combine")
        check(r.returncode == 0 and "returning officer" in r.stdout,
              f"trustee {i} combine ({r.stderr.strip()})")
        m = re.search(r"Election key \(announce it[^\n]*\n([0-9a-f]{130})", r.stdout)
        announced.add(m.group(1) if m else None)
    check(len(announced) == 1 and None not in announced,
          f"every trustee announces the same election key ({announced})")
    election_key = next(iter(announced))
    for t in tdirs:
        clean_of_tenants(t, "after the ceremony")
        check(not os.path.exists(os.path.join(t, "election.db")), f"{t}: no election.db")

    # ---- the officer collects the messages
    collected = os.path.join(officer_root, "collected")
    os.mkdir(collected)
    for i in range(1, N + 1):
        for kind in ("commit", "reveal", "result"):
            shutil.copy(os.path.join(tdirs[i - 1], "ceremony", f"{kind}-{i}.json"), collected)

    def status():
        return json.loads(must(["status", "-d", e, "--json"], "status").stdout)

    # a tampered message: named, exit 1, no key
    tampered = os.path.join(officer_root, "tampered")
    shutil.copytree(collected, tampered)
    p = os.path.join(tampered, "reveal-3.json")
    with open(p) as f:
        m = json.load(f)
    resp = m["signature"]["response"]
    m["signature"]["response"] = resp[:-1] + ("0" if resp[-1] != "0" else "1")
    with open(p, "w") as f:
        json.dump(m, f)
    r = run(["ceremony", "import", "--from", tampered, "-d", e])
    check(r.returncode == 1 and "reveal-3.json" in r.stderr and "trustee 3" in r.stderr and
          "Nothing was recorded" in r.stderr,
          f"import: a tampered reveal is named, exit 1 ({r.stderr.strip()})")
    check(status()["election_key_ready"] is False, "import: a tampered message leaves no key")
    r = run(["open", "-d", e], env_extra={"TENANTVOTE_BOX_PASSPHRASE": "box passphrase 2027"})
    check(r.returncode == 1, "open refused while the box has no key")

    # a result altered in a way only the transcript check sees
    shutil.copy(os.path.join(collected, "reveal-3.json"), tampered)
    p = os.path.join(tampered, "result-2.json")
    with open(p) as f:
        m = json.load(f)
    m["verification_key"] = json.load(open(os.path.join(collected, "result-4.json")))["verification_key"]
    with open(p, "w") as f:
        json.dump(m, f)
    r = run(["ceremony", "import", "--from", tampered, "-d", e])
    check(r.returncode == 1 and "result-2.json" in r.stderr and "verification_key" in r.stderr,
          f"import: a result with another's verification key is named ({r.stderr.strip()})")

    # a missing message, and a file that is another trustee's message
    shutil.copy(os.path.join(collected, "result-2.json"), tampered)
    os.unlink(os.path.join(tampered, "result-4.json"))
    r = run(["ceremony", "import", "--from", tampered, "-d", e])
    check(r.returncode == 1 and "result" in r.stderr and "trustee 4" in r.stderr and
          "result-4.json" in r.stderr, f"import: a missing result is named ({r.stderr.strip()})")
    shutil.copy(os.path.join(collected, "result-4.json"), tampered)
    shutil.copy(os.path.join(collected, "commit-1.json"), os.path.join(tampered, "commit-2.json"))
    r = run(["ceremony", "import", "--from", tampered, "-d", e])
    check(r.returncode == 1 and "commit-2.json" in r.stderr and "from trustee 1" in r.stderr,
          f"import: a file holding another trustee's message is named ({r.stderr.strip()})")
    check(status()["election_key_ready"] is False, "import: no key after any refusal")

    # ---- the real import
    r = run(["ceremony", "import", "--from", collected, "-d", e, "--json"])
    out = json.loads(r.stdout) if r.returncode == 0 else {}
    check(out.get("trustees") == N and out.get("threshold") == K and
          len(out.get("election_key", "")) == 130, f"import records the key ({r.stderr.strip()})")
    check(status()["election_key_ready"] is True, "the box has the key")
    r = run(["ceremony", "import", "--from", collected, "-d", e])
    check(r.returncode == 1 and "over" in r.stderr, "import twice refused")
    r = run(["ceremony", "kit", "--out", kit + "2", "-d", e])
    check(r.returncode == 1 and not os.path.exists(kit + "2"), "no kit once the key is recorded")

    # ---- the ballot
    box_env = {"TENANTVOTE_BOX_PASSPHRASE": "box passphrase 2027"}
    must(["open", "-d", e], "open", env_extra=box_env)
    for code, choice in zip(codes, ["1", "1", "2", "1"]):
        must(["vote", "-d", e], "vote", env_extra=box_env, stdin=f"{code}\n{choice}\n")
    must(["close", "-d", e, "--early", "--reason", "Test ballot: every tenant has voted"], "close", env_extra=box_env)
    must(["tally", "-d", e], "tally")
    for_trustees = os.path.join(officer_root, "for-trustees")
    must(["export", "--record", for_trustees, "--for-trustees", "-d", e], "export --for-trustees")

    # three of the five decrypt, each in its own folder, from a copy of the record
    for i in (1, 3, 5):
        t = tdirs[i - 1]
        shutil.copytree(for_trustees, os.path.join(t, "record"))
        r = run(["trustee", "decrypt", "--trustee", str(i), "--record", "record", "-d", "."],
                cwd=t, env_extra={"TENANTVOTE_PASSPHRASE": f"trustee {i} pass"})
        check(r.returncode == 0, f"trustee {i} decrypts in its own folder ({r.stderr.strip()})")
        os.makedirs(os.path.join(e, "decryptions"), exist_ok=True)
        shutil.copy(os.path.join(t, "decryptions", f"trustee-{i}.json"),
                    os.path.join(e, "decryptions"))
    for t in tdirs:
        clean_of_tenants(t, "at the end")
        allowed = ("trustees/", "ceremony/", "decryptions/", "record/")
        check(all(x == "kit.json" or x.startswith(allowed) for x in tree(t)),
              f"{t}: only the kit, its secret, messages, decryption and record ({tree(t)})")

    res = json.loads(must(["declare", "-d", e, "--json"], "declare").stdout)
    check([o["votes"] for o in res["options"]] == [3, 1], f"declared figures ({res})")
    rec = os.path.join(officer_root, "record")
    must(["export", "--record", rec, "-d", e], "export")
    r = run(["verify", rec, "--json"])
    v = json.loads(r.stdout) if r.stdout else {}
    check(r.returncode == 0 and v.get("valid") is True, f"the record verifies ({r.stderr.strip()})")
    # an observer checks the record holds the trustees' ceremony (SPEC §16.3)
    r = run(["verify", rec, "--election-key", election_key, "--json"])
    v = json.loads(r.stdout) if r.stdout else {}
    check(r.returncode == 0 and v.get("announced_election_key") is True,
          f"verify --election-key: the announced key ({r.stderr.strip()})")
    with open(os.path.join(rec, "trustees.json")) as f:
        other_point = json.load(f)["commits"][0]["transport_key"]
    r = run(["verify", rec, "--election-key", other_point])
    check(r.returncode == 1 and "NOT the one the trustees announced" in r.stdout,
          f"verify --election-key: another key fails ({r.stdout[-200:]})")
    r = run(["verify", rec, "--election-key", "04zz"])
    check(r.returncode == 2, "verify --election-key: not a key, exit 2")
finally:
    shutil.rmtree(officer_root, ignore_errors=True)
    shutil.rmtree(trustee_root, ignore_errors=True)
    shutil.rmtree(ca_root, ignore_errors=True)

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
