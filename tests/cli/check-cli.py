#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""CLI behaviour a returning officer's script relies on: every verb has
--help and a man page, usage errors exit 2 with a message, and the demo
runs end to end with consistent figures."""
import base64
import csv
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "vectors",
                                "independent"))
import check_vectors as cv  # noqa: E402  the independent checker, from SPEC

exe, man_dir = sys.argv[1], sys.argv[2]
failures = []


def run(*args):
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=300)


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


r = run("--help")
check(r.returncode == 0, "--help exits 0")
verbs = re.findall(r"^  (\S+)\s{2,}", r.stdout.split("Verbs:")[1], re.M)
check(verbs, "--help lists verbs")
for verb in verbs:
    h = run(verb, "--help")
    check(h.returncode == 0 and "Usage: tenantvote " + verb in h.stdout,
          f"'{verb} --help' prints usage and exits 0")
    check(run("help", verb).stdout == h.stdout, f"'help {verb}' equals '{verb} --help'")
    check(os.path.exists(os.path.join(man_dir, f"tenantvote-{verb}.1")),
          f"man page tenantvote-{verb}.1 exists")
check(os.path.exists(os.path.join(man_dir, "tenantvote.1")), "man page tenantvote.1 exists")

r = run()
check(r.returncode == 2 and "Usage" in r.stderr, "no verb: usage on stderr, exit 2")
r = run("no-such-verb")
check(r.returncode == 2 and "no verb 'no-such-verb'" in r.stderr, "unknown verb named, exit 2")
r = run("--version")
check(r.returncode == 0 and re.match(r"tenantvote \d+\.\d+\.\d+", r.stdout), "--version")
for bad in (["--tenants", "0"], ["--tenants", "abc"], ["--tenants", "-3"], ["stray"], ["--bogus"]):
    r = run("demo", *bad)
    check(r.returncode == 2 and "tenantvote" in r.stderr, f"demo {' '.join(bad)}: exit 2 with message")

with tempfile.TemporaryDirectory() as d:
    r = run("demo", "--tenants", "25", "--dir", d, "--json", "--progress", "json")
    demo_progress = r.stderr
    check(r.returncode == 0, f"demo runs (stderr: {r.stderr.strip()[-500:]})")
    if r.returncode == 0:
        out = json.loads(r.stdout)
        res = out["result"]
        votes = sum(o["votes"] for o in res["options"])
        check(res["ballots"] == 25 and res["electorate"] == 25, "demo: every tenant's paper received")
        check(votes + res["blank"] + res["rejected_total"] == 25,
              "demo: votes + blank + rejected = papers received")
        check(out["spoilt"] == res["rejected_total"] == 2, "demo: the spoilt papers declared rejected")
        check(out["replayed_ballots_refused"] == 1 and out["challenged"] == 1,
              "demo refused the replay and handled the challenge")
        check(out["board_entries"] == 27 and sum(out["cast"].values()) == 26,
              "demo: 25 tenants, one revote and one opened ballot on the board")
        v = out["verify"]
        check(v["valid"] is True and v["passed"] == 15 and v["failed"] == 0 and
              v["entries"] == 27 and v["counted"] == 25, f"demo: the record verifies ({v})")
        check({k: out["receipts"].get(k) for k in ("checked", "counting", "superseded")} ==
              {"checked": 26, "counting": 25, "superseded": 1},
              "demo: every receipt checks against the record")
        # a tenant finds the check code of their letter on the published list
        with open(os.path.join(d, "letters.csv"), encoding="utf-8", newline="") as f:
            demo_letters = list(csv.DictReader(f))
        rec = os.path.join(d, "record")
        r = run("credentials", "codes", "--record", rec, "--json")
        listed = json.loads(r.stdout)["check_codes"] if r.returncode == 0 else []
        check(sorted(x["check_code"] for x in demo_letters) == listed,
              "credentials codes: every letter's check code, and only those, listed")
        r = run("credentials", "codes", "--record", rec, "--find",
                demo_letters[3]["check_code"].lower().replace("-", " "))
        check(r.returncode == 0 and "is on the published list" in r.stdout,
              "credentials codes --find: a letter's check code found")
        missing = next(c for c in ("0000-0000", "0000-0001") if c not in listed)
        r = run("credentials", "codes", "--record", rec, "--find", missing)
        check(r.returncode == 1 and "NOT on the published list" in r.stdout,
              "credentials codes --find: a code not on the list, exit 1")
        r = run("credentials", "codes", "--record", rec, "--find", demo_letters[0]["code"])
        check(r.returncode == 2, "credentials codes --find: a whole credential code refused")
        with open(os.path.join(d, "result.json")) as f:
            check(json.load(f) == res, "demo: result.json matches --json output")
        with open(os.path.join(d, "offer.txt"), "rb") as f:
            offer_hex = hashlib.sha256(f.read()).hexdigest()
        with open(os.path.join(d, "declaration.txt"), encoding="utf-8") as f:
            decl = f.read()
        check(f"Offer document (SHA-256): {offer_hex}\n" in decl and
              f"Dogfen y cynnig (SHA-256): {offer_hex}\n" in decl,
              "demo: the declaration names the offer document by its SHA-256, in both languages")
        for name in ("declaration.txt", "tally.json", "decryptions/trustee-1.json",
                     "decryptions/trustee-3.json", "decryptions/trustee-5.json",
                     "record/board.jsonl"):
            check(os.path.exists(os.path.join(d, name)), f"demo wrote {name}")
        r2 = run("verify", out["record"], "--json")
        check(r2.returncode == 0 and json.loads(r2.stdout)["valid"] is True,
              "demo's record verifies with tenantvote verify")
        # the demo keeps the receipts it gave: every one, and tenant 1's alone
        rf = out["receipts"].get("file", "")
        with open(rf) as f:
            kept = [json.loads(x) for x in f]
        check(len(kept) == 26 and len({x["tracking"] for x in kept}) == 26,
              "demo keeps its 26 receipts (25 tenants and the replaced one) in receipts.jsonl")
        r2 = run("receipt", "check", out["receipts"]["tenant_1"], "--record", out["record"])
        check(r2.returncode == 0 and "counts" in r2.stdout,
              f"demo: tenant 1's kept receipt checks against the record ({r2.stdout[-200:]})")
        r2 = run("receipt", "check", "--record", out["record"], rf, "--json")
        check(r2.returncode == 0, f"demo: every kept receipt checks in one pass ({r2.stderr[-200:]})")
        # the offer document's hash in the record's manifest cannot be swapped (SPEC §9.2.2)
        swapped = os.path.join(d, "record-offer-swapped")
        shutil.copytree(out["record"], swapped)
        mpath = os.path.join(swapped, "manifest.json")
        with open(mpath, encoding="utf-8") as f:
            mtext = f.read()
        other = hashlib.sha256(b"a revised offer").hexdigest()
        with open(mpath, "w", encoding="utf-8") as f:
            f.write(re.sub(r'"sha256": "[0-9a-f]{64}"', f'"sha256": "{other}"', mtext, count=1))
        r2 = run("verify", swapped, "--json")
        v2 = json.loads(r2.stdout) if r2.stdout.startswith("{") else {}
        check(r2.returncode == 1 and v2.get("valid") is False and
              any(x.get("check") == 2 for x in v2.get("failures", [])),
              f"verify: a record whose manifest names another offer document fails check 2 "
              f"({r2.stdout[:300]})")
        # --progress json, with any verb: JSON lines on stderr, counts rising to the
        # total; the demo's steps know theirs, verify's streaming read does not (0)
        steps = [json.loads(x) for x in demo_progress.splitlines() if x.startswith("{")]
        known = [x for x in steps if x["total"] > 0]
        check(known and all(a["done"] <= b["done"] for a, b in zip(steps, steps[1:])
                            if a["progress"] == b["progress"]) and
              any(x["done"] == x["total"] for x in known),
              f"demo --progress json: JSON lines, counts rising to the total ({demo_progress[:300]})")
        r2 = run("verify", out["record"], "--json", "--progress", "json")
        lines = [json.loads(x) for x in r2.stderr.splitlines() if x.startswith("{")]
        check(r2.returncode == 0 and json.loads(r2.stdout)["valid"] is True and lines and
              all(x["total"] == 0 and x["done"] > 0 for x in lines),
              f"verify --progress json: the lines read so far, no total ({r2.stderr[:300]})")
        # EML 510 and 520 validate against the OASIS EML 5.0 schemas (SPEC §17.6.3)
        eml_dir = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(man_dir))), "..",
                               "shared", "eml-5.0")
        if os.path.isdir(eml_dir) and shutil.which("xmllint"):
            # the demo is bilingual: each message in English and in Welsh
            for (number, xsd), lang in ((m, lang) for m in (("510", "510-count-v5-0.xsd"),
                                                              ("520", "520-result-v5-0.xsd"))
                                        for lang in ("en", "cy")):
                x = run("declare", "--eml", number, "-d", d, *(["--welsh"] if lang == "cy" else []))
                path = os.path.join(d, f"result-{number}-{lang}.xml")
                with open(path, "w", encoding="utf-8") as f:
                    f.write(x.stdout)
                v = subprocess.run(["xmllint", "--noout", "--schema", os.path.join(eml_dir, xsd), path],
                                   capture_output=True, text=True)
                check(x.returncode == 0 and v.returncode == 0 and
                      f"<MessageLanguage>{lang}</MessageLanguage>" in x.stdout,
                      f"EML {number} ({lang}) validates against the EML 5.0 schema "
                      f"({v.stderr.strip()[-300:]})")
                if lang == "cy":
                    check("<ReferendumOptionIdentifier Id=\"1\">Ydw" in x.stdout,
                          f"EML {number} --welsh carries the Welsh labels")
                # the offer document the demo wrote, as an XML-DSig reference (SPEC §17.6)
                with open(os.path.join(d, "offer.txt"), "rb") as f:
                    offer_digest = hashlib.sha256(f.read()).digest()
                check(f"<ds:DigestValue>{base64.b64encode(offer_digest).decode()}</ds:DigestValue>"
                      in x.stdout, f"EML {number} ({lang}) carries the offer document's SHA-256")
                if number == "520":
                    # an option with no votes leaves Votes out (a positive integer in EML 5.0):
                    # the same message with a Votes element of 0 must fail the schema
                    bad = re.sub(r"(</ReferendumOptionIdentifier>\n)", r"\1          <Votes>0</Votes>\n",
                                 re.sub(r"\s*<Votes>\d+</Votes>", "", x.stdout), count=1)
                    with open(path, "w", encoding="utf-8") as f:
                        f.write(bad)
                    v = subprocess.run(["xmllint", "--noout", "--schema", os.path.join(eml_dir, xsd),
                                        path], capture_output=True, text=True)
                    check(v.returncode != 0, "EML 520 with <Votes>0</Votes> fails the schema")
        else:
            print("skipped: EML schema validation (shared/eml-5.0 or xmllint absent)")
        r2 = run("declare", "--welsh", "-d", d)
        check(r2.returncode == 2 and "--welsh goes with --eml" in r2.stderr,
              "declare --welsh without --eml: exit 2")
        r2 = run("verify", out["record"], "--progress", "loud")
        check(r2.returncode == 2 and "json or terminal" in r2.stderr, "--progress takes json or terminal")
        r2 = run("verify", out["record"], "--json")
        check(r2.stderr == "", "no progress lines when stderr is not a terminal")
    r = run("demo", "--dir", os.path.join(d, "no", "such", "parent"))
    check(r.returncode == 3 and "cannot make the election folder" in r.stderr,
          "demo: unwritable folder, exit 3")


# ---- election set-up, step by step, with the bad input a returning officer meets
def run_env(env, *args):
    e = dict(os.environ)
    e.update(env)
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=300,
                          env=e, stdin=subprocess.DEVNULL)


def vote_env(env, code, choice, *args):
    """tenantvote vote with the code and the choice on standard input, as
    a voting device gives them: never on the command line"""
    e = dict(os.environ)
    e.update(env)
    return subprocess.run([exe, "vote", *args], capture_output=True, text=True, timeout=300,
                          env=e, input=f"{code}\n{choice}\n")


def small_election(e, d, *settings):
    """a one-trustee election at e with two tenants, their credentials
    issued by the box; the codes, in register order"""
    run("init", e, "--council", "C", "--landlord", "L", "--title", "T", "--question", "Q",
        "--option", "Yes", "--option", "No", "--trustees", "1", "--threshold", "1",
        "--opens", "2020-01-01T00:00:00Z", "--closes", "2099-01-01T00:00:00Z", *settings)
    reg = os.path.join(d, "r.csv")
    with open(reg, "w") as f:
        f.write("tenancy_ref,name,address,tenancy_type\nT1,Ann,1 Lane,secure\nT2,Bob,2 Lane,secure\n")
    run("register", "import", reg, "-d", e)
    letters = os.path.join(d, os.path.basename(e) + "-letters.csv")
    run("credentials", "issue", "--letters", letters, "-d", e)
    with open(letters, newline="") as f:
        return [row["code"] for row in csv.DictReader(f)]


def db_counts(path):
    import sqlite3
    con = sqlite3.connect(path)
    try:
        return (con.execute("SELECT count(*) FROM tenant").fetchone()[0],
                con.execute("SELECT count(*) FROM credential").fetchone()[0])
    finally:
        con.close()


with tempfile.TemporaryDirectory() as d:
    e = os.path.join(d, "ballot")
    base = ["--council", "Cyngor Sir Enghraifft / Example County Council",
            "--landlord", "Example Tenants' Mutual",
            "--title", "Stock transfer ballot|Pleidlais trosglwyddo stoc",
            "--question", "Do you support the transfer?|A ydych chi o blaid y trosglwyddo?",
            "--option", "Yes|Ydw", "--option", "No|Nac ydw",
            "--trustees", "3", "--threshold", "2",
            "--opens", "2097-03-01T09:00:00Z", "--closes", "2097-03-22T17:00:00Z"]
    r = run("init", e, *base[:-2], "--closes", "2027-02-30T17:00:00Z")
    check(r.returncode == 2 and "2027-02-30" in r.stderr, "init: impossible date refused, exit 2")
    check(not os.path.exists(e), "init: nothing made on a bad date")
    r = run("init", e, *base[:-4], "--opens", "2020-03-01T09:00:00Z", "--closes", "2020-03-22T17:00:00Z")
    check(r.returncode == 1 and "has passed" in r.stderr and not os.path.exists(e),
          f"init: a voting window already over refused ({r.stderr.strip()})")
    three = [x for x in base if x not in ("--option", "Yes|Ydw", "No|Nac ydw")] + [
        "--option", "Stay with the council|Aros gyda'r cyngor", "--option",
        "Housing association|Cymdeithas dai", "--option", "Community mutual|Cydfuddiannol cymunedol"]
    r = run("init", e, *three)
    check(r.returncode == 2 and "--rule" in r.stderr and not os.path.exists(e),
          f"init: three answers need an explicit --rule ({r.stderr.strip()})")
    r = run("init", e, *three, "--rule", "majority")
    check(r.returncode == 2 and "--transfer-option" in r.stderr and not os.path.exists(e),
          "init: three answers under majority need an explicit --transfer-option")
    # the three-answer community mutual ballot, its settings read back with show
    e3o = os.path.join(d, "three")
    r = run("init", e3o, *three, "--rule", "majority", "--transfer-option", "3",
            "--supermajority", "66.7", "--min-turnout", "25")
    check(r.returncode == 0 and "answer 3 (transfer)  Community mutual" in r.stdout and
          "answer 1 (transfer)" not in r.stdout and "fixed for good" in r.stdout,
          f"init prints every setting, the transfer answer marked ({r.stderr.strip()})")
    r = run("show", "-d", e3o)
    check(r.returncode == 0 and "majority: answer 3 (transfer)" in r.stdout and
          "66.7% of the valid votes" in r.stdout and "25.0% of the electorate" in r.stdout and
          "Pleidlais trosglwyddo stoc" in r.stdout and "2097-03-01T09:00:00Z to" in r.stdout,
          f"show: the rule, thresholds, Welsh and window in words ({r.stdout[-300:]})")
    r = run("show", "-d", e3o, "--json")
    shown = json.loads(r.stdout) if r.returncode == 0 else {}
    check(shown.get("manifest", {}).get("transfer_option") == 3 and len(shown.get("fingerprint", "")) == 64,
          "show --json: the manifest and its fingerprint")
    r = run("show", "--manifest", os.path.join(e3o, "manifest.json"))
    check(r.returncode == 0 and shown.get("fingerprint", "?") in r.stdout,
          "show --manifest: a manifest file before init, the same fingerprint")
    with open(os.path.join(d, "not-a-manifest.json"), "w") as f:
        f.write("{}\n")
    r = run("show", "--manifest", os.path.join(d, "not-a-manifest.json"))
    check(r.returncode == 1 and "manifest" in r.stderr, "show --manifest: not a manifest, exit 1")
    r = run("init", e, *base, "--threshold", "4")
    check(r.returncode == 1 and "threshold" in r.stderr, "init: threshold above trustees refused")
    check(not os.path.exists(os.path.join(e, "election.db")), "init: no box on bad settings")
    r = run("init", e, *base, "--json")
    check(r.returncode == 0 and len(json.loads(r.stdout)["fingerprint"]) == 64, "init works, --json")
    r = run("init", e, *base)
    check(r.returncode == 1 and "already holds an election" in r.stderr, "init twice refused")

    # contact details (SPEC §9.2.1): a format-2 manifest, each detail checked
    ec = os.path.join(d, "with-contact")
    contact = ["--officer", "Returning Officer", "--officer-address", "Civic Centre, Exampletown",
               "--officer-phone", "01234 567890", "--board-url", "https://board.example.org/2027/",
               "--vote-url", "https://vote.example.org/", "--letters", "bilingual"]
    r = run("init", ec, *base, *contact[2:])
    check(r.returncode == 1 and "contact.officer" in r.stderr and not os.path.exists(ec),
          f"init: contact details without the officer refused ({r.stderr.strip()})")
    r = run("init", ec, *base, *contact[:-4], "--board-url", "https://board.example.org/2027")
    check(r.returncode == 1 and "end with '/'" in r.stderr, "init: a board address not a folder refused")
    r = run("init", ec, *base, *contact[:-2], "--letters", "welsh")
    check(r.returncode == 2 and "register or bilingual" in r.stderr, "init: --letters checked")
    r = run("init", ec, "--manifest", os.path.join(e, "manifest.json"), "--officer", "X")
    check(r.returncode == 2 and "--manifest" in r.stderr, "init: --manifest with contact options refused")
    r = run("init", ec, "--manifest", os.path.join(e, "manifest.json"), "--id", "other-id")
    check(r.returncode == 2 and "--manifest" in r.stderr and not os.path.exists(ec),
          "init: --id with --manifest refused, not silently ignored")
    r = run("init", ec, *[x.replace(" / ", "|") for x in base])
    check(r.returncode == 2 and "--council is one name" in r.stderr and not os.path.exists(ec),
          f"init: a council written 'A|B' refused, not printed with its pipe ({r.stderr.strip()})")
    r = run("init", ec, *base, *contact, "--json")
    with open(os.path.join(ec, "manifest.json"), encoding="utf-8") as f:
        mc = json.load(f)
    check(r.returncode == 0 and mc["format"] == "tenantvote-manifest/2" and
          mc["contact"]["board_url"] == "https://board.example.org/2027/" and
          mc["contact"]["email"] == "" and mc["letters"] == "bilingual",
          f"init: contact details in a format-2 manifest ({r.stderr.strip()})")
    with open(os.path.join(e, "manifest.json"), encoding="utf-8") as f:
        check(json.load(f)["format"] == "tenantvote-manifest/1", "init: without them, format 1")

    # the offer document (SPEC §9.2.2): its SHA-256, byte for byte, in a format-3 manifest
    eo = os.path.join(d, "with-offer")
    offer, offer_cy, empty = (os.path.join(d, n) for n in ("offer.pdf", "cynnig.pdf", "empty.pdf"))
    with open(offer, "wb") as f:
        f.write(b"%PDF-1.4 the landlord's offer\r\n\x00\xff")   # hashed as is: CR, NUL and all
    with open(offer_cy, "wb") as f:
        f.write(b"%PDF-1.4 cynnig y landlord\n")
    open(empty, "wb").close()
    sha, sha_cy = (hashlib.sha256(open(p, "rb").read()).hexdigest() for p in (offer, offer_cy))
    r = run("init", eo, *base, "--offer", offer)
    check(r.returncode == 2 and "--offer needs the contact details" in r.stderr and not os.path.exists(eo),
          f"init --offer without contact details refused, exit 2 ({r.stderr.strip()})")
    r = run("init", eo, *base, *contact, "--offer", empty)
    check(r.returncode == 1 and "the file is empty" in r.stderr and not os.path.exists(eo),
          f"init --offer: an empty file refused, exit 1 ({r.stderr.strip()})")
    r = run("init", eo, *base, *contact, "--offer", os.path.join(d, "no-such.pdf"))
    check(r.returncode == 1 and "no-such.pdf" in r.stderr and not os.path.exists(eo),
          f"init --offer: a missing file named, exit 1 ({r.stderr.strip()})")
    r = run("init", eo, *base, *contact, "--offer-url", "https://council.example.org/offer.pdf")
    check(r.returncode == 2 and "go with --offer FILE" in r.stderr, "init --offer-url alone: exit 2")
    r = run("init", eo, "--manifest", os.path.join(e, "manifest.json"), "--offer", offer)
    check(r.returncode == 2 and "--manifest" in r.stderr, "init: --manifest with --offer refused")
    r = run("init", eo, *base, *contact, "--offer", offer, "--offer-url", "ftp://x.example/o.pdf")
    check(r.returncode == 1 and "offer.url: must start with https://" in r.stderr and not os.path.exists(eo),
          "init --offer-url: not a web address, refused")
    r = run("init", eo, *base, *contact, "--offer", offer, "--offer-cy", offer_cy,
            "--offer-url", "https://council.example.org/offer.pdf",
            "--offer-url-cy", "https://council.example.org/cynnig.pdf")
    with open(os.path.join(eo, "manifest.json"), encoding="utf-8") as f:
        mo = json.load(f)
    check(r.returncode == 0 and mo["format"] == "tenantvote-manifest/3" and
          mo["offer"] == {"sha256": sha, "sha256_cy": sha_cy,
                          "url": "https://council.example.org/offer.pdf",
                          "url_cy": "https://council.example.org/cynnig.pdf"},
          f"init --offer: the documents' SHA-256 in a format-3 manifest ({r.stderr.strip()})")
    r = run("show", "-d", eo)
    check(r.returncode == 0 and f"SHA-256 {sha}" in r.stdout and f"SHA-256 {sha_cy}" in r.stdout and
          "https://council.example.org/offer.pdf" in r.stdout,
          f"show: the offer documents' hashes and where to read them ({r.stdout[-400:]})")
    mf = cv.manifest_from_json(mo)
    r = run("show", "-d", eo, "--json")
    check(r.returncode == 0 and json.loads(r.stdout)["fingerprint"] == cv.fingerprint(mf).hex(),
          "init --offer: the independent checker reproduces the fingerprint")
    r = run("show", "-d", ec)
    check(r.returncode == 0 and "not named in the manifest" in r.stdout, "show: no offer document, said so")

    # an answer with an invisible character, or the same answer twice once normalised
    r = run("init", os.path.join(d, "zwsp"), *[x.replace("No|Nac ydw", "Yes\u200b|Ydw") for x in base])
    check(r.returncode == 1 and "U+200B (ZERO WIDTH SPACE)" in r.stderr and
          not os.path.exists(os.path.join(d, "zwsp")),
          f"init: a zero-width space in an answer refused, named ({r.stderr.strip()})")
    r = run("init", os.path.join(d, "nfc"), *[x.replace("Yes|Ydw", "T\u0177|Ydw").replace(
        "No|Nac ydw", "Ty\u0302|Nac ydw") for x in base])
    check(r.returncode == 1 and "the same text as option 1 (once Unicode-normalised, NFC)" in r.stderr,
          f"init: two answers equal under NFC refused ({r.stderr.strip()})")

    reg = os.path.join(d, "register.csv")
    with open(reg, "w", encoding="utf-8", newline="") as f:
        f.write("\ufefftenancy_type,name,tenancy_ref,address\r\n"
                "secure,Siân Ellis,T1,\"1 Heol y Bont,\r\nLlanfair\"\r\n"
                "secure,Gareth Ellis,T1,\"1 Heol y Bont, Llanfair\"\r\n"
                "introductory,Ann Smith,T2,2 Mill Lane\r\n")
    bad = os.path.join(d, "bad.csv")
    with open(bad, "w", encoding="utf-8") as f:
        f.write("tenancy_ref,name,address,tenancy_type\n"
                "T1,Siân Ellis,1 Heol y Bont,secure\n"
                "T2,,2 Mill Lane,secure\n"
                "T3,Bob,3 Mill Lane,lodger\n"
                "T1,siân  ellis,1 Heol y Bont,secure\n")
    r = run("register", "import", bad, "-d", e)
    check(r.returncode == 1, "register: bad file exit 1")
    for needle in ("line 3", "name", "line 4", "lodger", "line 5", "line 2"):
        check(needle in r.stderr, f"register: problem report mentions {needle!r}")
    check(db_counts(os.path.join(e, "election.db"))[0] == 0, "register: bad file stores nothing")
    r = run("register", "import", os.path.join(d, "missing.csv"), "-d", e)
    check(r.returncode == 3 and "missing.csv" in r.stderr, "register: missing file named, exit 3")
    r = run("register", "import", reg, "-d", e, "--json")
    check(r.returncode == 0 and json.loads(r.stdout)["tenants"] == 3, "register: BOM, CRLF, quoted newline")

    letters = os.path.join(d, "letters.csv")
    open(letters, "w").close()
    r = run("credentials", "issue", "--letters", letters, "-d", e)
    check(r.returncode == 1 and "already exists" in r.stderr, "credentials: existing letters file kept")
    check(db_counts(os.path.join(e, "election.db"))[1] == 0, "credentials: none stored after refusal")
    os.unlink(letters)
    r = run("credentials", "issue", "--letters", letters, "-d", e, "--json")
    check(r.returncode == 0 and json.loads(r.stdout)["credentials"] == 3, "credentials issued")
    check(os.stat(letters).st_mode & 0o777 == 0o600, "letters file is mode 0600")
    with open(letters, encoding="utf-8") as f:
        rows = f.read().splitlines()
    check(len(rows) == 4 and "Siân Ellis" in rows[1], "letters: header + 3 rows, Welsh intact")
    check(db_counts(os.path.join(e, "election.db")) == (3, 3), "box: 3 tenants, 3 credentials")
    r = run("register", "import", reg, "-d", e)
    check(r.returncode == 1 and "credentials have been issued" in r.stderr,
          "register: refused after credentials, exit 1")
    r = run("credentials", "issue", "--letters", letters + "2", "-d", e)
    check(r.returncode == 1 and not os.path.exists(letters + "2"), "credentials: second issue refused")

    pw = os.path.join(d, "pw")
    with open(pw, "w") as f:
        f.write("correct horse battery staple\n")
    r = run_env({}, "trustee", "keygen", "--trustee", "1", "-d", e, "--passphrase-file", pw)
    check(r.returncode == 0, "trustee 1 keygen")
    r = run("status", "-d", e, "--json")
    steps = [t["step"] for t in json.loads(r.stdout)["ceremony"]] if r.returncode == 0 else []
    check(steps == ["committed", "not started", "not started"],
          f"status: trustee 1 committed, 2 and 3 not started ({steps})")
    secret = os.path.join(e, "trustees", "trustee-1.secret")
    check(os.stat(secret).st_mode & 0o777 == 0o600, "trustee secret file is mode 0600")
    with open(secret, "rb") as f:
        check(b"correct horse" not in f.read(), "trustee secret file does not hold the passphrase")
    r = run_env({"TENANTVOTE_PASSPHRASE": ""}, "trustee", "share", "--trustee", "1", "-d", e)
    check(r.returncode != 0, "trustee: empty passphrase refused")
    r = run_env({}, "trustee", "share", "--trustee", "1", "-d", e, "--passphrase-file", pw)
    check(r.returncode == 1 and "trustees 2, 3" in r.stderr, "trustee share waits for commits, names them")
    # a new passphrase below the rule of tenantvote(1) is refused, and nothing is made
    for weak in ("pw2", "Short1!", "abcdefghijklmno", "aaaaaaaaaaaaaaaaaaaaaa", "abab-abab-abab-abab"):
        r = run_env({"TENANTVOTE_PASSPHRASE": weak}, "trustee", "keygen", "--trustee", "2", "-d", e)
        check(r.returncode == 1 and "too weak" in r.stderr and "at least 16 characters" in r.stderr
              and not os.path.exists(os.path.join(e, "trustees", "trustee-2.secret")),
              f"trustee keygen: weak passphrase {weak!r} refused ({r.stderr.strip()})")
    r = run_env({"TENANTVOTE_PASSPHRASE": "trustee two passphrase"}, "trustee", "keygen", "--trustee", "2", "-d", e)
    check(r.returncode == 0, "trustee 2 keygen from the environment")
    # a crash between saving the secret and publishing the commit: keygen again publishes it
    os.unlink(os.path.join(e, "ceremony", "commit-2.json"))
    r = run_env({"TENANTVOTE_PASSPHRASE": "trustee two passphrase"}, "trustee", "keygen", "--trustee", "2", "-d", e)
    check(r.returncode == 0 and os.path.exists(os.path.join(e, "ceremony", "commit-2.json")),
          f"trustee keygen republishes a lost commit (stderr: {r.stderr.strip()})")
    r = run_env({"TENANTVOTE_PASSPHRASE": "trustee three passphrase"}, "trustee", "keygen", "--trustee", "3", "-d", e,
                "--json")
    x = json.loads(r.stdout) if r.returncode == 0 else {}
    check(x.get("trustee") == 3 and x.get("step") == "keygen" and
          x.get("published") == os.path.join(e, "ceremony", "commit-3.json") and
          os.path.exists(x["published"]) and len(x.get("ceremony_fingerprint", "")) == 64,
          f"trustee keygen --json: what was published ({x}, {r.stderr.strip()})")
    r = run_env({"TENANTVOTE_PASSPHRASE": "wrong"}, "trustee", "share", "--trustee", "2", "-d", e)
    check(r.returncode == 1 and "wrong passphrase" in r.stderr, "trustee: wrong passphrase, exit 1")
    r = run_env({"TENANTVOTE_PASSPHRASE": "trustee two passphrase"}, "trustee", "keygen", "--trustee", "2", "-d", e)
    check(r.returncode == 1 and "already" in r.stderr, "trustee: keygen twice refused")
    r = run_env({}, "trustee", "share", "--trustee", "4", "-d", e, "--passphrase-file", pw)
    check(r.returncode == 2 and "no trustee 4" in r.stderr, "trustee: unknown trustee, exit 2")
    ok = True
    for i, p in ((1, None), (2, "trustee two passphrase"), (3, "trustee three passphrase")):
        args = ["trustee", "share", "--trustee", str(i), "-d", e]
        r = run_env({"TENANTVOTE_PASSPHRASE": p} if p else {}, *args,
                    *(["--passphrase-file", pw] if p is None else []))
        ok = ok and r.returncode == 0
    check(ok, "trustees 1-3 share")
    r = run("status", "-d", e, "--json")
    steps = [t["step"] for t in json.loads(r.stdout)["ceremony"]] if r.returncode == 0 else []
    check(steps == ["revealed"] * 3, f"status: each trustee's ceremony step ({steps})")
    r = run("status", "-d", e)
    check(r.returncode == 0 and "trustee 2: revealed" in r.stdout, "status shows the ceremony steps")
    # a tampered reveal file is caught and named
    rev2 = os.path.join(e, "ceremony", "reveal-2.json")
    with open(rev2) as f:
        original = f.read()
    doc = json.loads(original)
    doc["trustee"] = 3
    with open(rev2, "w") as f:
        f.write(json.dumps(doc))
    r = run_env({}, "trustee", "combine", "--trustee", "1", "-d", e, "--passphrase-file", pw)
    check(r.returncode == 1, f"trustee combine: tampered reveal refused (stderr: {r.stderr.strip()})")
    with open(rev2, "w") as f:
        f.write(original)
    outs = []
    for i, p in ((1, None), (2, "trustee two passphrase"), (3, "trustee three passphrase")):
        args = ["trustee", "combine", "--trustee", str(i), "-d", e] + (["--json"] if i == 3 else [])
        r = run_env({"TENANTVOTE_PASSPHRASE": p} if p else {}, *args,
                    *(["--passphrase-file", pw] if p is None else []))
        outs.append(r)
    check(all(r.returncode == 0 for r in outs), "trustees 1-3 combine")
    x = json.loads(outs[-1].stdout) if outs[-1].returncode == 0 else {}
    check(x.get("step") == "combine" and x.get("election_key_recorded") is True and
          len(x.get("election_key", "")) == 130, f"last combine records the key, said in JSON ({x})")
    r = run("status", "-d", e, "--json")
    st = json.loads(r.stdout) if r.returncode == 0 else {}
    check(st.get("election_key_ready") is True and st.get("electorate") == 3 and
          st.get("phase") == "setup", "status --json after set-up")
    check([t["step"] for t in st.get("ceremony", [])] == ["done"] * 3,
          f"status: every trustee done once the key is recorded ({st.get('ceremony')})")

    # the one-machine ceremony, with one passphrase file per trustee
    e2 = os.path.join(d, "ballot2")
    run("init", e2, *base)
    # the ceremony is bound to the signed credential list: none before it
    r = run_env({}, "ceremony", "-d", e2, "--passphrase-file", pw, "--passphrase-file", pw,
                "--passphrase-file", pw)
    check(r.returncode == 1 and "no credentials" in r.stderr,
          f"ceremony before the credentials refused (stderr: {r.stderr.strip()})")
    run("register", "import", reg, "-d", e2)
    run("credentials", "issue", "--letters", os.path.join(d, "letters2.csv"), "-d", e2)
    files = []
    for i in range(3):
        files += ["--passphrase-file", pw]
    r = run_env({}, "ceremony", "-d", e2, "--json", *files)
    check(r.returncode == 0 and json.loads(r.stdout)["election_key"].startswith("04"),
          "ceremony with a passphrase file per trustee")
    r = run_env({}, "ceremony", "-d", e2, "--passphrase-file", pw)
    check(r.returncode == 1 and "key ceremony is over" in r.stderr, "ceremony twice refused")
    r = run_env({}, "ceremony", "-d", e2, "--passphrase-file", pw, "--passphrase-file", pw)
    check(r.returncode == 2, "ceremony: two passphrase files for three trustees, exit 2")

    # the credential authority on its own machine (SPEC §11.5): it has only
    # the public manifest and the register; the box imports its signed list
    e3 = os.path.join(d, "ballot3")
    fp = bytes.fromhex(json.loads(run("init", e3, *base, "--json").stdout)["fingerprint"])
    run("register", "import", reg, "-d", e3)
    ca = os.path.join(d, "ca-machine")
    os.mkdir(ca)
    shutil.copy(os.path.join(e3, "manifest.json"), ca)
    shutil.copy(reg, ca)
    out = os.path.join(ca, "made")
    r = run_env({}, "credentials", "make", "--manifest", os.path.join(ca, "manifest.json"),
                "--register", os.path.join(ca, "register.csv"), "--out", out,
                "--passphrase-file", pw, "--json")
    made = json.loads(r.stdout) if r.returncode == 0 else {}
    check(made.get("credentials") == 3, f"credentials make (stderr: {r.stderr.strip()})")
    check(sorted(os.listdir(ca)) == ["made", "manifest.json", "register.csv"],
          "the authority's machine holds no ballot box")
    for name, mode in (("letters.csv", 0o600), ("authority.secret", 0o600),
                       ("credentials-issue.json", 0o644)):
        p = os.path.join(out, name)
        check(os.path.exists(p) and os.stat(p).st_mode & 0o777 == mode, f"{name} mode {mode:o}")
    r = run_env({}, "credentials", "make", "--manifest", os.path.join(ca, "manifest.json"),
                "--register", os.path.join(ca, "register.csv"), "--out", out,
                "--passphrase-file", pw)
    check(r.returncode == 1 and "already exists" in r.stderr, "credentials make never overwrites")
    with open(os.path.join(out, "letters.csv"), encoding="utf-8", newline="") as f:
        letter_rows = list(csv.DictReader(f))
    check(len(letter_rows) == 3 and all(re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}", x["check_code"])
                                       for x in letter_rows), "letters carry check codes")
    # each check code recomputed from SPEC §11.2 and §11.8 by the independent checker
    for row in letter_rows:
        symbols = row["code"].replace("-", "").encode()
        x = next(v for v in (int.from_bytes(cv.H("credential", fp, symbols, cv.u32(i)), "big")
                             for i in range(64)) if 1 <= v < cv.N)
        digest = cv.H("credential-check", cv.base_mul(x))
        bits = int.from_bytes(digest[:5], "big")
        want = "".join("0123456789ABCDEFGHJKMNPQRSTVWXYZ"[(bits >> (35 - 5 * k)) & 31]
                       for k in range(8))
        check(row["check_code"] == want[:4] + "-" + want[4:],
              f"check code of {row['tenancy_ref']} is §11.8's")
    issue = os.path.join(out, "credentials-issue.json")
    with open(issue) as f:
        issued = json.load(f)
    forged = os.path.join(d, "forged-issue.json")
    swapped = dict(issued, credentials=[issued["credentials"][1]] + issued["credentials"][1:])
    with open(forged, "w") as f:
        json.dump(swapped, f)
    r = run("credentials", "import", forged, "-d", e3)
    check(r.returncode == 1 and db_counts(os.path.join(e3, "election.db"))[1] == 0,
          f"import: a list with a credential twice refused, nothing stored ({r.stderr.strip()})")
    with open(forged, "w") as f:
        # flip one bit of the last byte: an edit that always changes the signature
        bad = issued["signature"][:-2] + "%02x" % (int(issued["signature"][-2:], 16) ^ 1)
        json.dump(dict(issued, signature=bad), f)
    r = run("credentials", "import", forged, "-d", e3)
    check(r.returncode == 1 and "signature" in r.stderr and
          db_counts(os.path.join(e3, "election.db"))[1] == 0,
          f"import: a bad authority signature refused ({r.stderr.strip()})")
    r = run("credentials", "import", os.path.join(e3, "manifest.json"), "-d", e3)
    check(r.returncode == 1 and "credential issue file" in r.stderr,
          f"import: not an issue file, named ({r.stderr.strip()})")
    r = run("credentials", "import", issue, "-d", e3, "--json")
    check(r.returncode == 0 and json.loads(r.stdout)["credentials"] == 3 and
          db_counts(os.path.join(e3, "election.db")) == (3, 3), "import: the signed list taken")
    r = run("credentials", "import", issue, "-d", e3)
    check(r.returncode == 1 and "already" in r.stderr, "import: only once")
    r = run_env({}, "ceremony", "-d", e3, "--passphrase-file", pw, "--passphrase-file", pw,
                "--passphrase-file", pw)
    check(r.returncode == 0, f"the ceremony, bound to the imported list ({r.stderr.strip()})")


# ---- voting: open, vote, receipts, revote, close, with the refusals
with tempfile.TemporaryDirectory() as d:
    e = os.path.join(d, "ballot")
    codes = small_election(e, d, "--allow-blank", "--channels", "online,postal")
    box = {"TENANTVOTE_BOX_PASSPHRASE": "box secret passphrase"}
    r = vote_env(box, codes[0], "1", "-d", e)
    check(r.returncode == 1 and "not opened" in r.stderr, "vote before open refused")
    r = run_env(box, "open", "-d", e)
    check(r.returncode == 1 and "key ceremony" in r.stderr, "open before the ceremony refused")
    run_env({"TENANTVOTE_PASSPHRASE": "trustees' passphrase"}, "ceremony", "-d", e)
    r = run_env({"TENANTVOTE_BOX_PASSPHRASE": "box secret"}, "open", "-d", e)
    check(r.returncode == 1 and "too weak" in r.stderr and not os.path.exists(os.path.join(e, "box-key.secret")),
          f"open: a weak box passphrase refused, no key made ({r.stderr.strip()})")
    r = run_env(box, "open", "-d", e)
    check(r.returncode == 0, f"open (stderr: {r.stderr.strip()})")
    check(os.stat(os.path.join(e, "box-key.secret")).st_mode & 0o777 == 0o600, "box key file is 0600")
    r = run_env(box, "open", "-d", e)
    check(r.returncode == 1, "open twice refused")
    r1 = vote_env(box, codes[0], "1", "-d", e, "--json")
    check(r1.returncode == 0 and json.loads(r1.stdout)["position"] == 1, "vote prints a receipt")
    rec1 = os.path.join(d, "r1.json")
    with open(rec1, "w") as f:
        f.write(r1.stdout)
    typo = codes[1][:-1] + ("0" if codes[1][-1] != "0" else "1")
    r = vote_env(box, typo, "1", "-d", e)
    check(r.returncode == 1 and "mistyped" in r.stderr, "vote: mistyped code refused")
    r = vote_env(box, codes[1], "3", "-d", e)
    check(r.returncode == 1 and "no option 3" in r.stderr, "vote: no such option refused")
    r = vote_env(box, codes[1], "1", "--channel", "phone", "-d", e)
    check(r.returncode == 1 and "channel" in r.stderr, "vote: channel not allowed refused")
    r = vote_env({"TENANTVOTE_BOX_PASSPHRASE": "wrong"}, codes[1], "1", "-d", e)
    check(r.returncode == 1 and "wrong passphrase" in r.stderr, "vote: wrong box passphrase refused")
    r2 = vote_env(box, codes[0], "blank", "--channel", "postal", "-d", e, "--json")
    check(r2.returncode == 0 and json.loads(r2.stdout)["position"] == 2, "revote by post")
    # the code and the choice never on the command line (ps, shell history)
    r = run_env(box, "vote", "--code", codes[1], "--choice", "1", "-d", e)
    check(r.returncode == 2 and "command line" in r.stderr and codes[1] not in r.stderr,
          "vote --code/--choice refused, the code not repeated")
    vf = os.path.join(d, "vote.txt")
    with open(vf, "w") as f:
        f.write(f"{codes[1]}\n9\n")
    r = run_env(box, "vote", "--vote-file", vf, "-d", e)
    check(r.returncode == 1 and "no option 9" in r.stderr, "vote --vote-file read (no option 9)")
    with open(vf, "w") as f:
        f.write(f"1\n{codes[1]}\n")
    r = run_env(box, "vote", "--vote-file", vf, "-d", e)
    check(r.returncode == 2 and codes[1] not in r.stderr,
          "code on the choice's line refused without quoting it")
    r = vote_env(box, codes[1], "", "-d", e)
    check(r.returncode == 2, "vote with no choice line refused")
    # while it holds a code, the process makes no core file
    fifo = os.path.join(d, "vote.fifo")
    os.mkfifo(fifo)
    env_box = dict(os.environ)
    env_box.update(box)
    p = subprocess.Popen([exe, "vote", "--vote-file", fifo, "-d", e], env=env_box,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    limits = ""
    for _ in range(200):  # it waits for the fifo's writer, after main() began
        try:
            with open(f"/proc/{p.pid}/limits") as f:
                limits = f.read()
            if re.search(r"Max core file size\s+0\s+0", limits):
                break
        except OSError:
            pass
        import time
        time.sleep(0.01)
    with open(fifo, "w") as f:
        f.write(f"{codes[1]}\n9\n")  # refused: nothing is cast
    p.communicate(timeout=60)
    check(re.search(r"Max core file size\s+0\s+0", limits) is not None,
          "vote: no core file while the code is in memory")
    rec2 = os.path.join(d, "r2.json")
    with open(rec2, "w") as f:
        f.write(r2.stdout)
    r = run("receipt", "check", rec1, "-d", e, "--json")
    check(r.returncode == 0 and json.loads(r.stdout)["counts"] is False, "first receipt checks, no longer counts")
    r = run("receipt", "check", rec2, "-d", e, "--json")
    check(r.returncode == 0 and json.loads(r.stdout)["counts"] is True, "second receipt counts")
    doc = json.loads(open(rec2).read())
    doc["position"] = 1
    bad = os.path.join(d, "bad.json")
    with open(bad, "w") as f:
        f.write(json.dumps(doc))
    r = run("receipt", "check", bad, "-d", e)
    check(r.returncode == 1 and "signature" in r.stderr, "altered receipt refused")
    r = run("status", "-d", e, "--json")
    st = json.loads(r.stdout) if r.returncode == 0 else {}
    check(st.get("cast") == 2 and st.get("voters") == 1 and st.get("turnout_pct") == "50.0" and
          st.get("by_channel", {}).get("postal") == 1, f"status: ballots, voters, turnout ({st})")
    marked = os.path.join(d, "marked.csv")
    r = run("marked-register", "--out", marked, "-d", e)
    check(r.returncode == 2, "marked-register without a purpose, exit 2")
    r = run("marked-register", "--out", marked, "--purpose", "count check", "-d", e)
    check(r.returncode == 0 and os.stat(marked).st_mode & 0o777 == 0o600, "marked register written, 0600")
    with open(marked) as f:
        rows = f.read().splitlines()
    check(len(rows) == 2 and "Ann" in rows[1] and rows[1].endswith(",2,online postal"),
          f"marked register: one voter, two ballots, both channels ({rows})")
    r = run("marked-register", "--out", marked, "--purpose", "again", "-d", e)
    check(r.returncode == 1 and "already exists" in r.stderr, "marked register never overwritten")
    # intake: every row checked before any is cast; a re-run casts nothing twice
    intake = os.path.join(d, "post.csv")
    with open(intake, "w") as f:
        f.write(f"code,choice\n{typo},1\n{codes[1]},3\n{codes[0]},rejected:torn\n")
    out = os.path.join(d, "post-receipts.jsonl")
    r = run_env(box, "intake", intake, "--channel", "postal", "--receipts", out, "-d", e)
    check(r.returncode == 1 and "line 2" in r.stderr and "line 3" in r.stderr and "line 4" in r.stderr
          and "nothing was cast" in r.stderr, f"intake: bad rows listed, nothing cast ({r.stderr})")
    check(not os.path.exists(out), "intake: no receipts file when nothing was cast")
    with open(intake, "w") as f:
        f.write(f"code,choice\n{codes[1]},rejected:identifies-voter\n{codes[0]},2\n")
    r = run_env(box, "intake", intake, "--channel", "phone", "-d", e)
    check(r.returncode == 1 and "channel" in r.stderr, "intake: channel not allowed refused")
    r = run_env(box, "intake", intake, "--channel", "postal", "--receipts", out, "-d", e, "--json")
    res = json.loads(r.stdout) if r.returncode == 0 else {}
    check(res.get("cast") == 2 and res.get("spoilt") == 1 and res.get("receipts_written") == 2,
          f"intake casts a spoilt paper and a revote ({r.stderr.strip()})")
    with open(out) as f:
        lines = f.read().splitlines()
    check(len(lines) == 2 and all(json.loads(x)["channel"] == 4 for x in lines), "intake: a receipt per row")
    # as if the run was cut off while writing the second receipt
    with open(out, "w") as f:
        f.write(lines[0] + "\n" + lines[1][:20])
    r = run_env(box, "intake", intake, "--channel", "postal", "--receipts", out, "-d", e, "--json")
    res = json.loads(r.stdout) if r.returncode == 0 else {}
    check(res.get("cast") == 0 and res.get("already_cast") == 2 and res.get("receipts_written") == 1,
          f"intake run again: nothing cast twice ({res}, {r.stderr.strip()})")
    with open(out) as f:
        check(f.read().splitlines() == lines, "intake run again: the same receipts, each once")
    # a receipts file with a NUL byte, and one another intake holds, are refused untouched
    bad_out = os.path.join(d, "nul-receipts.jsonl")
    with open(bad_out, "wb") as f:
        f.write(lines[0].encode() + b"\n" + lines[1][:9].encode() + b"\0" + lines[1][9:].encode() + b"\n")
    r = run_env(box, "intake", intake, "--channel", "postal", "--receipts", bad_out, "-d", e)
    check(r.returncode == 1 and "NUL byte" in r.stderr, f"intake: a NUL in the receipts file named ({r.stderr.strip()})")
    with open(out, "rb") as f:
        before = f.read()
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        r = run_env(box, "intake", intake, "--channel", "postal", "--receipts", out, "-d", e)
        check(r.returncode == 1 and "another intake" in r.stderr,
              f"intake: a receipts file being written by another intake refused ({r.stderr.strip()})")
    with open(out, "rb") as f:
        check(f.read() == before, "intake: the locked receipts file left as it was")
    rec3 = os.path.join(d, "r3.json")
    with open(rec3, "w") as f:
        f.write(lines[1])
    r = run("receipt", "check", rec3, "-d", e, "--json")
    check(r.returncode == 0 and json.loads(r.stdout)["counts"] is True, "intake receipt checks and counts")
    # SPEC §15.4: before the advertised end, close refuses unless --early with a reason,
    # before it asks for the box key, and changes nothing
    r = run_env(box, "close", "-d", e)
    check(r.returncode == 1 and "advertised to close at 2099-01-01T00:00:00Z" in r.stderr and
          "--early --reason" in r.stderr, f"close before the advertised end refused ({r.stderr.strip()})")
    r = run_env(box, "close", "-d", e, "--early")
    check(r.returncode == 2 and "--reason" in r.stderr, "close --early without a reason, exit 2")
    r = run_env(box, "close", "-d", e, "--early", "--reason", "bad\x07reason")
    check(r.returncode == 2 and "control character" in r.stderr,
          f"close: a reason with a control character refused ({r.stderr.strip()})")
    r = run_env(box, "close", "-d", e, "--early", "--reason", "x" * 501)
    check(r.returncode == 2 and "at most 500" in r.stderr, "close: a reason over 500 bytes refused")
    r = run_env(box, "close", "-d", e, "--early", "--reason", "bad \udcff text")
    check(r.returncode == 1 and "UTF-8" in r.stderr, f"close: a reason not UTF-8 refused ({r.stderr.strip()})")
    r = vote_env(box, codes[1], "1", "-d", e, "--json")
    check(r.returncode == 0, "a refused close changed nothing: voting goes on")
    r = run_env(box, "close", "-d", e, "--json", "--early", "--reason", "The estate office flooded")
    out = json.loads(r.stdout) if r.returncode == 0 else {}
    check(out.get("entries") == 5 and out.get("early") is True and
          out.get("reason") == "The estate office flooded", f"close --early counts the board ({out})")
    import sqlite3
    con = sqlite3.connect(os.path.join(e, "election.db"))
    detail = con.execute("SELECT detail FROM audit_log WHERE event = 'voting-closed'").fetchone()[0]
    con.close()
    check(detail == "5 board entries; closed early; reason: The estate office flooded",
          f"the early close's reason is in the audit log ({detail})")
    r = vote_env(box, codes[1], "1", "-d", e)
    check(r.returncode == 1 and "closed" in r.stderr, "vote after close refused")
    check(db_counts(os.path.join(e, "election.db")) == (2, 2), "register unchanged by voting")


# ---- the three-answer community mutual ballot, end to end: the transfer answer
# is the one the officer chose (3), never answer 1 by default, and the
# declaration and the record say so
with tempfile.TemporaryDirectory() as d:
    e = os.path.join(d, "mutual")
    r = run("init", e, "--council", "Cyngor Enghraifft / Example Council", "--landlord",
            "Llanfair Community Mutual", "--title", "Options ballot|Pleidlais opsiynau",
            "--question", "Who should own your home?|Pwy ddylai fod yn berchen ar eich cartref?",
            "--option", "Stay with the council|Aros gyda'r cyngor",
            "--option", "Housing association|Cymdeithas dai",
            "--option", "Community mutual|Cydfuddiannol cymunedol",
            "--rule", "majority", "--transfer-option", "3", "--min-turnout", "25",
            "--trustees", "1", "--threshold", "1",
            "--opens", "2020-01-01T00:00:00Z", "--closes", "2099-01-01T00:00:00Z")
    check(r.returncode == 0, f"three answers: init ({r.stderr.strip()})")
    reg = os.path.join(d, "r.csv")
    with open(reg, "w") as f:
        f.write("tenancy_ref,name,address,tenancy_type\n" +
                "".join(f"M{i},Tenant {i},{i} Heol y Felin,secure\n" for i in range(1, 9)))
    run("register", "import", reg, "-d", e)
    letters = os.path.join(d, "letters.csv")
    run("credentials", "issue", "--letters", letters, "-d", e)
    with open(letters, newline="") as f:
        codes = [row["code"] for row in csv.DictReader(f)]
    trustee = {"TENANTVOTE_PASSPHRASE": "the mutual ballot's trustee passphrase"}
    box = {"TENANTVOTE_BOX_PASSPHRASE": "the mutual ballot's box passphrase"}
    run_env(trustee, "ceremony", "-d", e)
    run_env(box, "open", "-d", e)
    # 4 for the mutual, 2 to stay, 1 for a housing association, 1 spoilt
    marks = ["3", "3", "1", "3", "2", "1", "3", "rejected:more-than-one-answer"]
    post = os.path.join(d, "post.csv")
    with open(post, "w") as f:
        f.write("code,choice\n" + "".join(f"{c},{m}\n" for c, m in zip(codes, marks)))
    r = run_env(box, "intake", post, "--channel", "postal", "-d", e)
    check(r.returncode == 0, f"three answers: the postal papers cast ({r.stderr.strip()})")
    r = run_env(box, "close", "-d", e, "--early", "--reason", "the test's window ends now")
    check(r.returncode == 0, f"three answers: close ({r.stderr.strip()})")
    run("tally", "-d", e)
    ft = os.path.join(d, "for-trustees")
    run("export", "--record", ft, "--for-trustees", "-d", e)
    run_env(trustee, "trustee", "decrypt", "--trustee", "1", "--record", ft, "-d", e)
    r = run("declare", "-d", e, "--json")
    res = json.loads(r.stdout) if r.returncode == 0 else {}
    check(res.get("transfer_option") == 3 and [o["votes"] for o in res.get("options", [])] == [2, 1, 4]
          and res.get("valid") == 7 and res.get("outcome") == {"decision": "carried", "winner": 3},
          f"three answers: 4 of 7 valid votes carry answer 3, the transfer answer ({res})")
    with open(os.path.join(e, "declaration.txt"), encoding="utf-8") as f:
        text = f.read()
    check("“Community mutual” received more than half of the valid votes" in text and
          "CARRIED" in text and "Stay with the council: 2 votes" in text,
          f"three answers: the declaration names the mutual as carried ({text[-600:]})")
    rec = os.path.join(d, "record")
    run("export", "--record", rec, "-d", e)
    r = run("verify", rec, "--json")
    check(r.returncode == 0 and json.loads(r.stdout).get("valid") is True,
          "three answers: the record verifies")


# ---- outside the voting window, vote and intake say so in words (SPEC §15.2)
with tempfile.TemporaryDirectory() as d:
    e = os.path.join(d, "later")
    run("init", e, "--council", "C", "--landlord", "L", "--title", "T", "--question", "Q",
        "--option", "Yes", "--option", "No", "--trustees", "1", "--threshold", "1",
        "--opens", "2097-03-01T09:00:00Z", "--closes", "2097-03-22T17:00:00Z")
    reg = os.path.join(d, "r.csv")
    with open(reg, "w") as f:
        f.write("tenancy_ref,name,address,tenancy_type\nT1,Ann,1 Lane,secure\n")
    run("register", "import", reg, "-d", e)
    letters = os.path.join(d, "l.csv")
    run("credentials", "issue", "--letters", letters, "-d", e)
    with open(letters, newline="") as f:
        code = next(csv.DictReader(f))["code"]
    run_env({"TENANTVOTE_PASSPHRASE": "trustees' passphrase"}, "ceremony", "-d", e)
    box = {"TENANTVOTE_BOX_PASSPHRASE": "box secret passphrase"}
    r = run_env(box, "open", "-d", e)
    check(r.returncode == 0, f"open before the window (stderr: {r.stderr.strip()})")
    # no box passphrase given: the window is said before the key is asked for
    r = vote_env({"TENANTVOTE_BOX_PASSPHRASE": ""}, code, "1", "-d", e)
    check(r.returncode == 1 and "voting is not open yet: it opens on 2097-03-01T09:00:00Z" in r.stderr
          and "box-key" not in r.stderr, f"vote before the window says when it opens ({r.stderr.strip()})")
    post = os.path.join(d, "post.csv")
    with open(post, "w") as f:
        f.write(f"code,choice\n{code},1\n")
    r = run_env({}, "intake", post, "--channel", "postal", "-d", e)
    check(r.returncode == 1 and "opens on 2097-03-01T09:00:00Z" in r.stderr,
          f"intake before the window says when it opens ({r.stderr.strip()})")

# ---- after the window: vote says it is over, open refuses (SPEC §15.2)
with tempfile.TemporaryDirectory() as d:
    import datetime
    import time
    end = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) + datetime.timedelta(seconds=12)
    end_text = end.strftime("%Y-%m-%dT%H:%M:%SZ")
    box = {"TENANTVOTE_BOX_PASSPHRASE": "box secret passphrase"}
    elections = []
    for name in ("soon-a", "soon-b"):
        e = os.path.join(d, name)
        codes = small_election(e, os.path.join(d), "--opens", "2020-01-01T00:00:00Z", "--closes", end_text)
        run_env({"TENANTVOTE_PASSPHRASE": "trustees' passphrase"}, "ceremony", "-d", e)
        elections.append((e, codes))
    r = run_env(box, "open", "-d", elections[0][0], "--json")
    out = json.loads(r.stdout) if r.returncode == 0 else {}
    check(out.get("window", {}).get("closes") == end_text, f"open says the window ({r.stderr.strip()})")
    while datetime.datetime.now(datetime.timezone.utc) < end + datetime.timedelta(seconds=1):
        time.sleep(0.2)
    r = vote_env(box, elections[0][1][0], "1", "-d", elections[0][0])
    check(r.returncode == 1 and f"voting is over: it closed on {end_text}" in r.stderr,
          f"vote after the window says it is over ({r.stderr.strip()})")
    r = run_env(box, "open", "-d", elections[1][0])
    check(r.returncode == 1 and f"the election's window ended on {end_text}" in r.stderr and
          not os.path.exists(os.path.join(elections[1][0], "box-key.secret")),
          f"open after the window refused ({r.stderr.strip()})")
    r = run_env(box, "close", "-d", elections[0][0], "--early", "--reason", "x")
    check(r.returncode == 2 and "has passed" in r.stderr, "close --early after the advertised end, exit 2")
    r = run_env(box, "close", "-d", elections[0][0], "--json")
    out = json.loads(r.stdout) if r.returncode == 0 else {}
    check(out.get("early") is False and out.get("entries") == 0,
          f"close after the advertised end needs no reason ({r.stderr.strip()})")


# ---- backup while ballots come in, and the audit log (SPEC §14.2, §14.5)
with tempfile.TemporaryDirectory() as d:
    import signal
    import resource
    import threading
    e = os.path.join(d, "ballot")
    codes = small_election(e, d)
    run_env({"TENANTVOTE_PASSPHRASE": "trustees' passphrase"}, "ceremony", "-d", e)
    box = {"TENANTVOTE_BOX_PASSPHRASE": "box secret passphrase"}
    run_env(box, "open", "-d", e)
    # a stream of votes (revotes by the two tenants) in another process
    stop = threading.Event()
    cast_count = [0]

    def voting():
        while not stop.is_set():
            r = vote_env(box, codes[cast_count[0] % 2], "1", "-d", e, "--json")
            if r.returncode == 0:
                cast_count[0] += 1
    voter = threading.Thread(target=voting)
    voter.start()
    import time
    while cast_count[0] < 2:
        time.sleep(0.05)
    copies = []
    for i in range(3):
        out = os.path.join(d, f"copy-{i}.db")
        r = run("backup", "-d", e, out, "--json")
        got = json.loads(r.stdout) if r.returncode == 0 else {}
        copies.append((out, got.get("board_entries")))
        check(r.returncode == 0 and got.get("checked") is True and got.get("board_entries", 0) >= 2,
              f"backup while ballots come in ({r.stderr.strip()})")
        check(os.path.exists(out) and os.stat(out).st_mode & 0o777 == 0o600, "backup is 0600")
    stop.set()
    voter.join()
    check(cast_count[0] >= 2, f"ballots were cast during the backups ({cast_count[0]})")
    # each copy is a ballot box whose board checks, with the entries the backup said
    import sqlite3
    for out, n in copies:
        con = sqlite3.connect(out)
        ok = con.execute("PRAGMA integrity_check").fetchone()[0]
        rows = con.execute("SELECT count(*), max(position) FROM board").fetchone()
        con.close()
        check(ok == "ok" and rows[0] == n and rows[1] == n, f"backup {out}: consistent ({ok}, {rows}, {n})")
        restored = out + ".dir"
        os.mkdir(restored)
        shutil.copy(out, os.path.join(restored, "election.db"))
        r = run("status", "-d", restored, "--json")
        check(r.returncode == 0 and json.loads(r.stdout).get("cast") == n,
              f"a backup opens as the election's box ({r.stderr.strip()})")
    # never over a file; a folder that cannot be written: a message, no file left
    out0 = copies[0][0]
    before = open(out0, "rb").read()
    r = run("backup", "-d", e, out0)
    check(r.returncode == 1 and "already exists" in r.stderr and open(out0, "rb").read() == before,
          "backup never replaces a file")
    r = run("backup", "-d", e, os.path.join(d, "no-such-folder", "copy.db"))
    check(r.returncode == 3 and "cannot make a file there" in r.stderr,
          f"backup into a missing folder: a clear message ({r.stderr.strip()})")
    full = os.path.join(d, "full")
    os.mkdir(full)

    def small_disk():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (49152, 49152))
    r = subprocess.run([exe, "backup", "-d", e, os.path.join(full, "copy.db")],
                       capture_output=True, text=True, timeout=120, preexec_fn=small_disk)
    check(r.returncode == 3 and "nothing was written" in r.stderr and os.listdir(full) == [],
          f"backup that cannot be written whole: a message and no file ({r.stderr.strip()}, {os.listdir(full)})")
    # THREATS: the officer restores an old backup to drop the ballots cast after it:
    # the receipt of a later ballot does not check against the restored box
    r = vote_env(box, codes[0], "2", "-d", e, "--json")
    late = os.path.join(d, "late-receipt.json")
    with open(late, "w") as f:
        f.write(r.stdout)
    restored = copies[-1][0] + ".dir"
    r = run("receipt", "check", late, "-d", e)
    check(r.returncode == 0, "the late receipt checks against the real box")
    r = run("receipt", "check", late, "-d", restored)
    check(r.returncode == 1, f"an old backup restored: a later ballot's receipt fails ({r.stderr.strip()})")
    # the audit log: every step, filtered, as JSON
    r = run("log", "-d", e)
    lines = r.stdout.splitlines()
    check(r.returncode == 0 and [l.split()[2] for l in lines][:5] ==
          ["init", "register-imported", "credentials-issued", "election-key", "voting-opened"],
          f"log lists the steps in order ({lines[:6]})")
    r = run("log", "-d", e, "--json", "--action", "voting-opened")
    rows = [json.loads(l) for l in r.stdout.splitlines()]
    check(r.returncode == 0 and len(rows) == 1 and rows[0]["action"] == "voting-opened" and
          re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", rows[0]["at"]),
          f"log --json --action ({r.stdout.strip()})")
    r = run("log", "-d", e, "--json", "--since", "2099-01-01T00:00:00Z")
    check(r.returncode == 0 and r.stdout == "", "log --since in the future: nothing")
    r = run("log", "-d", e, "--json", "--until", "2000-01-01T00:00:00Z")
    check(r.returncode == 0 and r.stdout == "", "log --until in the past: nothing")
    r = run("log", "-d", e, "--since", "yesterday")
    check(r.returncode == 2 and "--since" in r.stderr, "log --since with a bad time: exit 2")
    run("marked-register", "--out", os.path.join(d, "m.csv"), "--purpose", "turnout check", "-d", e)
    r = run("log", "-d", e, "--action", "marked-register-exported")
    check(r.returncode == 0 and len(r.stdout.splitlines()) == 1 and "turnout check" in r.stdout,
          f"log shows each marked register export with its purpose ({r.stdout!r})")


# ---- a receipt's QR code opens the board's check page (SPEC §15.1.2)
def board_rows(election):
    import sqlite3
    con = sqlite3.connect(os.path.join(election, "election.db"))
    try:
        return con.execute("SELECT count(*) FROM board").fetchone()[0]
    finally:
        con.close()


def text_qr_to_pgm(text, pgm_path, scale=6):
    """the receipt's QR code of half blocks drawn into a PGM (ink is dark)"""
    halves = {" ": (0, 0), "\u2580": (1, 0), "\u2584": (0, 1), "\u2588": (1, 1)}
    rows = []
    for line in text.splitlines():
        if any(ch in line for ch in "\u2580\u2584\u2588"):
            line = re.sub(r"\x1b\[[0-9;]*m", "", line)
            rows += [[halves.get(ch, (0, 0))[0] for ch in line], [halves.get(ch, (0, 0))[1] for ch in line]]
    width = max(len(r) for r in rows)
    with open(pgm_path, "wb") as f:
        f.write(b"P5 %d %d 255\n" % (width * scale, len(rows) * scale))
        for y in range(len(rows) * scale):
            row = rows[y // scale]
            f.write(bytes(0 if x // scale < len(row) and row[x // scale] else 255
                          for x in range(width * scale)))


def svg_to_pgm(svg_path, pgm_path, scale=6):
    """the SVG's squares drawn into a PGM, so zbarimg can read them"""
    with open(svg_path) as f:
        text = f.read()
    side = int(re.search(r'viewBox="0 0 (\d+) \d+"', text).group(1))
    dark = set((int(x), int(y)) for x, y in re.findall(r"M(\d+) (\d+)h1v1h-1z", text))
    rows = []
    for y in range(side * scale):
        rows.append(bytes(0 if (x // scale, y // scale) in dark else 255 for x in range(side * scale)))
    with open(pgm_path, "wb") as f:
        f.write(b"P5 %d %d 255\n" % (side * scale, side * scale) + b"".join(rows))


with tempfile.TemporaryDirectory() as d:
    e = os.path.join(d, "ballot")
    board = "https://board.example.org/llan-2027/"
    codes = small_election(e, d, "--officer", "Returning Officer", "--officer-address", "Town Hall",
                           "--board-url", board)
    box = {"TENANTVOTE_BOX_PASSPHRASE": "box secret passphrase"}
    run_env({"TENANTVOTE_PASSPHRASE": "trustees' passphrase"}, "ceremony", "-d", e)
    r = run_env(box, "open", "-d", e, "--json")
    opened = json.loads(r.stdout) if r.returncode == 0 else {}
    check(opened.get("open") is True and len(opened.get("box_key", "")) == 64 and
          os.path.join(e, "box-key.secret") in opened.get("back_up", []) and
          os.path.join(e, "election.db") in opened.get("back_up", []),
          f"open --json: the box key and what to back up ({r.stderr.strip()})")
    r = vote_env(box, codes[0], "1", "-d", e, "--qr", os.path.join(d, "r.gif"))
    check(r.returncode == 2 and ".png or an .svg" in r.stderr, "vote --qr: only PNG or SVG")
    png = os.path.join(d, "receipt.png")
    r = vote_env(box, codes[0], "1", "-d", e, "--qr", png)
    m = re.search(r"Tracking code:\s+(\S+)", r.stdout)
    want = board + "check.html#" + (m.group(1) if m else "?")
    check(r.returncode == 0 and want in r.stdout and "\u2588" in r.stdout,
          f"the text receipt shows its check address and a QR code ({r.stderr.strip()})")
    check("Yes" not in r.stdout and "choice" not in r.stdout.lower(), "the receipt never shows the vote")
    text_qr_to_pgm(r.stdout, os.path.join(d, "text.pgm"))
    z = subprocess.run(["zbarimg", "--raw", "-q", os.path.join(d, "text.pgm")], capture_output=True,
                       text=True)
    check(z.stdout.strip() == want, f"the text receipt's QR code reads as the check address ({z.stdout.strip()!r})")
    z = subprocess.run(["zbarimg", "--raw", "-q", png], capture_output=True, text=True)
    check(z.returncode == 0 and z.stdout.strip() == want,
          f"the PNG QR code holds exactly the check address ({z.stdout.strip()!r})")
    # the text receipt still checks as vote printed it
    rec = os.path.join(d, "receipt.txt")
    with open(rec, "w") as f:
        f.write(r.stdout)
    r2 = run("receipt", "check", rec, "-d", e)
    check(r2.returncode == 0, f"receipt check reads the receipt with its QR code ({r2.stderr.strip()})")
    r = vote_env(box, codes[1], "2", "-d", e, "--qr", png)
    check(r.returncode == 1 and "already exists" in r.stderr and board_rows(e) == 1,
          "vote --qr: an existing file refused before anything is cast")
    svg = os.path.join(d, "receipt.svg")
    r = vote_env(box, codes[1], "2", "-d", e, "--qr", svg)
    m = re.search(r"Tracking code:\s+(\S+)", r.stdout)
    pgm = os.path.join(d, "receipt.pgm")
    svg_to_pgm(svg, pgm)
    z = subprocess.run(["zbarimg", "--raw", "-q", pgm], capture_output=True, text=True)
    check(r.returncode == 0 and m is not None and z.stdout.strip() == board + "check.html#" + m.group(1),
          f"the SVG QR code holds the check address ({z.stdout.strip()!r})")
    with open(svg) as f:
        check(f.read().startswith("<?xml") and "crispEdges" in open(svg).read(), "the SVG is an SVG")

    # an election without a bulletin board: no QR code, and --qr says why
    e2 = os.path.join(d, "no-board")
    codes2 = small_election(e2, d)
    run_env({"TENANTVOTE_PASSPHRASE": "trustees' passphrase"}, "ceremony", "-d", e2)
    run_env(box, "open", "-d", e2)
    r = vote_env(box, codes2[0], "1", "-d", e2, "--qr", os.path.join(d, "x.png"))
    check(r.returncode == 2 and "--board-url" in r.stderr and board_rows(e2) == 0,
          f"vote --qr without a board: refused before anything is cast ({r.stderr.strip()})")
    r = vote_env(box, codes2[0], "1", "-d", e2)
    check(r.returncode == 0 and "check.html" not in r.stdout and "\u2588" not in r.stdout,
          "without a board, the receipt has no check address or QR code")
    leftovers = [n for n in os.listdir(d) if ".tmp-" in n]
    check(not leftovers, f"vote --qr wrote its files under a temporary name, none left behind ({leftovers})")

# ---- one exit-status table for every verb (tenantvote(1) EXIT STATUS):
# 0 ok, 1 refused or bad input, 2 usage, 3 system or I/O
for verb in verbs:
    r = run(verb, "--no-such-option")
    check(r.returncode == 2, f"{verb} --no-such-option: exit 2 ({r.returncode})")
with tempfile.TemporaryDirectory() as d:
    nowhere = os.path.join(d, "no-such-folder")
    for args in (["status", "-d", nowhere], ["tally", "-d", nowhere], ["close", "-d", nowhere],
                 ["export", "--record", os.path.join(d, "rec"), "-d", nowhere],
                 ["declare", "-d", nowhere], ["verify", nowhere],
                 ["init", os.path.join(d, "e"), "--manifest", os.path.join(d, "none.json")]):
        r = run(*args)
        check(r.returncode == 3 and r.stderr.startswith("tenantvote: "),
              f"{args[0]}: a folder or file that cannot be read, exit 3 ({r.returncode}, {r.stderr.strip()[:200]})")
    # a verify of a record with a file missing is an answer (no), not a failure to work
    r = run("demo", "--tenants", "5", "--dir", os.path.join(d, "demo"), "--json")
    rec = os.path.join(d, "demo", "record")
    if r.returncode == 0:
        os.unlink(os.path.join(rec, "declaration.txt"))
        r = run("verify", rec)
        check(r.returncode == 1 and "does NOT verify" in r.stdout,
              f"verify: a record with a file missing does not verify, exit 1 ({r.returncode})")
    e = os.path.join(d, "demo")
    # export --json: the record and the figures verify reports
    r = run("export", "--record", os.path.join(d, "rec2"), "-d", e, "--json")
    x = json.loads(r.stdout) if r.returncode == 0 else {}
    r2 = run("verify", os.path.join(d, "rec2"), "--json")
    v = json.loads(r2.stdout) if r2.stdout.startswith("{") else {}
    check(x.get("record") == os.path.join(d, "rec2") and x.get("for_trustees") is False and
          x.get("entries") == v.get("entries") and x.get("counted") == v.get("counted") and
          v.get("valid") is True, f"export --json: the figures of verify ({x}, {r.stderr.strip()})")
    r = run("export", "--record", os.path.join(d, "rec2"), "-d", e, "--json")
    check(r.returncode == 1 and r.stdout == "", "export over an existing record: refused, exit 1, no JSON")
    r = run("marked-register", "--out", os.path.join(d, "m.csv"), "--purpose", "check", "-d", e,
            "--json")
    x = json.loads(r.stdout) if r.returncode == 0 else {}
    with open(os.path.join(d, "m.csv")) as f:
        check(x.get("voters") == len(f.read().splitlines()) - 1 == 5 and x.get("purpose") == "check",
              f"marked-register --json: the tenants written ({x})")
    # declare with fewer decryptions than the threshold: refused, exit 1, as its page says
    for name in os.listdir(os.path.join(e, "decryptions")):
        os.unlink(os.path.join(e, "decryptions", name))
    r = run("declare", "-d", e)
    check(r.returncode == 1 and "needed" in r.stderr,
          f"declare with too few decryptions: refused, exit 1 ({r.returncode}, {r.stderr.strip()})")
    with open(os.path.join(man_dir, "tenantvote-declare.1")) as f:
        page = f.read()
    status_part = page[page.index(".SH EXIT STATUS"):page.index(".SH EXAMPLES")]
    check("Fewer than" not in status_part.split(".B 3")[1] and
          "fewer than" in status_part.split(".B 2")[0],
          "tenantvote-declare(1): too few decryptions listed under exit 1, not 3")
    # credentials issue: progress with the register's size as its total
    e3 = os.path.join(d, "small")
    run("init", e3, "--council", "C", "--landlord", "L", "--title", "T", "--question", "Q",
        "--option", "Yes", "--option", "No", "--trustees", "1", "--threshold", "1",
        "--opens", "2020-01-01T00:00:00Z", "--closes", "2099-01-01T00:00:00Z")
    with open(os.path.join(d, "r3.csv"), "w") as f:
        f.write("tenancy_ref,name,address,tenancy_type\nT1,Ann,1 Lane,secure\nT2,Bob,2 Lane,secure\n")
    run("register", "import", os.path.join(d, "r3.csv"), "-d", e3)
    r = run("credentials", "issue", "--letters", os.path.join(d, "l3.csv"), "-d", e3,
            "--progress", "json")
    lines = [json.loads(x) for x in r.stderr.splitlines() if x.startswith("{")]
    check(r.returncode == 0 and lines and lines[-1]["done"] == lines[-1]["total"] == 2,
          f"credentials issue --progress json: counts to the register's size ({r.stderr.strip()[:300]})")
    # tally and verify give the same figures in the same words
    r = run("tally", "-d", e)
    check(r.returncode == 1 and "already exists" in r.stderr, "tally again refused, exit 1")
    with open(os.path.join(e, "tally.json")) as f:
        t = json.load(f)
    tallied = t["ballots"] + sum(t["spoilt"].values())
    r = run("verify", os.path.join(d, "demo", "record"), "--json")
    os.unlink(os.path.join(e, "tally.json"))
    r2 = run("tally", "-d", e, "--progress", "json")
    v = json.loads(r.stdout) if r.stdout.startswith("{") else {}
    steps = [json.loads(x) for x in r2.stderr.splitlines() if x.startswith("{")]
    check(steps and steps[-1]["done"] == steps[-1]["total"] == tallied,
          f"tally --progress json: counts to the entries counted ({r2.stderr.strip()[:300]})")
    m = re.search(r"(\d+) board entries, (\d+) counted \((\d+) ballots and (\d+) spoilt papers\)",
                  r2.stdout)
    check(r2.returncode == 0 and m is not None and int(m.group(1)) == v.get("entries") and
          int(m.group(2)) == v.get("counted") == tallied and
          int(m.group(3)) + int(m.group(4)) == tallied,
          f"tally and verify: the same board entries and counted ({r2.stdout.strip()}, {v.get('entries')}, {v.get('counted')})")


# ---- a full disk, said as such; intake's counts true when it stops half way
def mount_tmpfs(path, size):
    os.makedirs(path, exist_ok=True)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", path],
                       capture_output=True, text=True)
    return r.returncode == 0


def board_count(election):
    """entries on the board, or -1 if the box cannot be read (a check then fails)"""
    import sqlite3
    try:
        con = sqlite3.connect(os.path.join(election, "election.db"))
        try:
            return con.execute("SELECT count(*) FROM board").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error as err:
        print(f"cannot read the board of {election}: {err}")
        return -1


if os.geteuid() != 0 or shutil.which("mount") is None:
    print("skipped: the full-disk tests mount a small tmpfs, which needs root")
else:
    with tempfile.TemporaryDirectory() as d:
        mounts = []
        try:
            e = os.path.join(d, "ballot")
            n = 70
            run("init", e, "--council", "C", "--landlord", "L", "--title", "T", "--question", "Q",
                "--option", "Yes", "--option", "No", "--trustees", "1", "--threshold", "1",
                "--channels", "online,postal", "--opens", "2020-01-01T00:00:00Z",
                "--closes", "2099-01-01T00:00:00Z")
            reg = os.path.join(d, "r.csv")
            with open(reg, "w") as f:
                f.write("tenancy_ref,name,address,tenancy_type\n")
                for i in range(n):
                    f.write(f"T{i},Tenant {i},{i} Lane,secure\n")
            run("register", "import", reg, "-d", e)
            letters = os.path.join(d, "letters.csv")
            run("credentials", "issue", "--letters", letters, "-d", e)
            with open(letters, newline="") as f:
                codes = [row["code"] for row in csv.DictReader(f)]
            box = {"TENANTVOTE_BOX_PASSPHRASE": "the full-disk box passphrase"}
            run_env({"TENANTVOTE_PASSPHRASE": "the full-disk trustee passphrase"}, "ceremony", "-d", e)
            r = run_env(box, "open", "-d", e)
            check(r.returncode == 0 and len(codes) == n, f"full disk: an election of {n} opened")
            post = os.path.join(d, "post.csv")
            with open(post, "w") as f:
                f.write("code,choice\n" + "".join(f"{c},{1 + i % 2}\n" for i, c in enumerate(codes)))

            # the receipts file's disk fills half way through the first batch
            small = os.path.join(d, "small")
            if mount_tmpfs(small, "16k"):
                mounts.append(small)
                out = os.path.join(small, "receipts.jsonl")
                r = run_env(box, "intake", post, "--channel", "postal", "--receipts", out, "-d", e)
                cast = board_count(e)
                m = re.search(r"(\d+) of (\d+) rows are cast", r.stderr)
                check(r.returncode == 3 and "the disk is full" in r.stderr and
                      "Inappropriate ioctl" not in r.stderr,
                      f"intake: a full disk under the receipts said so, exit 3 ({r.returncode}, {r.stderr.strip()})")
                check(m is not None and int(m.group(1)) == cast and int(m.group(2)) == n and
                      0 < cast < n,
                      f"intake stopped half way: its count is the board's ({cast} on the board; {r.stderr.strip()})")
                with open(out) as f:
                    kept = len(f.read().splitlines())
                check(0 < kept < cast, f"intake: some receipts kept before the disk filled ({kept})")
                # the marked register and a record on the full disk: said so, nothing left
                marked = os.path.join(small, "marked.csv")
                r = run("marked-register", "--out", marked, "--purpose", "check", "-d", e)
                check(r.returncode == 3 and "the disk is full" in r.stderr and
                      not os.path.exists(marked),
                      f"marked-register on a full disk: said so, exit 3, no file ({r.returncode}, {r.stderr.strip()})")
                # letters to a full disk: said so, no file left, nothing issued
                e4 = os.path.join(d, "letters-full")
                run("init", e4, "--council", "C", "--landlord", "L", "--title", "T",
                    "--question", "Q", "--option", "Yes", "--option", "No", "--trustees", "1",
                    "--threshold", "1", "--opens", "2020-01-01T00:00:00Z",
                    "--closes", "2099-01-01T00:00:00Z")
                run("register", "import", reg, "-d", e4)
                lf = os.path.join(small, "letters.csv")
                r = run("credentials", "issue", "--letters", lf, "-d", e4)
                st = json.loads(run("status", "-d", e4, "--json").stdout)
                check(r.returncode == 3 and "writing " + lf + ": the disk is full" in r.stderr and
                      not os.path.exists(lf) and st["credentials_issued"] is False,
                      f"credentials issue on a full disk: said so, exit 3, nothing kept ({r.returncode}, {r.stderr.strip()})")
                demo = os.path.join(d, "demo")
                run("demo", "--tenants", "5", "--dir", demo)
                rec = os.path.join(small, "record")
                r = run("export", "--record", rec, "-d", demo)
                check(r.returncode == 3 and "the disk is full" in r.stderr and not os.path.exists(rec),
                      f"export on a full disk: said so, exit 3, no record ({r.returncode}, {r.stderr.strip()})")
                r = run_env(box, "intake", post, "--channel", "postal", "--receipts",
                            os.path.join(d, "rest.jsonl"), "-d", e, "--json")
                res = json.loads(r.stdout) if r.returncode == 0 else {}
                check(res.get("already_cast") == cast and res.get("cast") == n - cast and
                      board_count(e) == n,
                      f"intake run again after the full disk: the rest cast, none twice ({res}, {r.stderr.strip()})")
            else:
                print("skipped: could not mount a tmpfs")

            # the ballot box's own disk fills: SQLite's full disk is said as such
            e2 = os.path.join(d, "tight")
            used = sum(os.path.getsize(os.path.join(e, x)) for x in os.listdir(e)
                       if os.path.isfile(os.path.join(e, x)))
            # the box's folder on a disk with about 64 KiB to spare: not room
            # for another 70 papers
            if mount_tmpfs(e2, str(used + 64 * 1024)):
                mounts.append(e2)
                for x in os.listdir(e):
                    if os.path.isfile(os.path.join(e, x)):
                        shutil.copy2(os.path.join(e, x), os.path.join(e2, x))
                before = board_count(e2)
                # every tenant has voted once: these are revotes, from another file
                post2 = os.path.join(d, "post2.csv")
                with open(post2, "w") as f:
                    f.write("code,choice\n" + "".join(f"{c},2\n" for c in codes))
                r = run_env(box, "intake", post2, "--channel", "postal", "-d", e2)
                after = board_count(e2)
                m = re.search(r"(\d+) of (\d+) rows are cast", r.stderr)
                check(r.returncode == 3 and "the disk is full" in r.stderr and
                      "disk I/O error" not in r.stderr,
                      f"intake: the box's disk full said so, exit 3 ({r.returncode}, {r.stderr.strip()})")
                check((m is None and after == before) or
                      (m is not None and int(m.group(1)) == after - before),
                      f"intake on a full box: its count is the board's ({before} -> {after}; {r.stderr.strip()})")
                r = run("status", "-d", e2, "--json")
                check(r.returncode == 0 and json.loads(r.stdout)["cast"] == after,
                      "the box still opens after its disk filled, with what was stored")
            else:
                print("skipped: could not mount a tmpfs for the box")
        finally:
            for mnt in reversed(mounts):
                subprocess.run(["umount", mnt], capture_output=True)

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
