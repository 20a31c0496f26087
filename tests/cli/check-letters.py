#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The ballot-pack letters as one PDF (SPEC §11.9), read back as a mailing
house's checker would: pdftotext finds every tenant's code and check code on
a letter in the tenant's language, zbarimg reads the voting page's QR code,
and the large print's words are at least 16 pt high.

Usage: check-letters.py TENANTVOTE
"""
import csv
import hashlib
import os
import re
import statistics
import subprocess
import sys
import tempfile

exe = sys.argv[1]
failures = []

VOTE_URL = "https://vote.example.org/llanfair/"
BOARD_URL = "https://board.example.org/llanfair/"


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(*args, env=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=300, env=e,
                          stdin=subprocess.DEVNULL)


OFFER_URL = "https://enghraifft.example/llanfair/offer.pdf"


def init(folder, letters, contact=True, welsh=True, offer=None):
    args = ["init", folder, "--council", "Cyngor Sir Enghraifft / Example County Council",
            "--landlord", "Tai Llanfair",
            "--title", "Stock transfer ballot|Pleidlais am ddyfodol eich tŷ" if welsh else "Ballot",
            "--question", ("Do you support the transfer?|A ydych chi o blaid trosglwyddo i "
                           "Gymdeithas Dŵr Llanfair?") if welsh else "Do you support it?",
            "--option", "Yes|Ydw" if welsh else "Yes", "--option", "No|Nac ydw" if welsh else "No",
            "--channels", "online,phone,postal", "--trustees", "1", "--threshold", "1",
            "--opens", "2097-03-01T09:00:00Z", "--closes", "2097-03-29T16:00:00Z"]
    if contact:
        args += ["--officer", "Returning Officer", "--officer-address", "Civic Centre, Llanfair LL00 1AA",
                 "--officer-phone", "01234 567890", "--vote-url", VOTE_URL,
                 "--vote-phone", "0800 123 4567", "--board-url", BOARD_URL, "--letters", letters]
    if offer:
        args += ["--offer", offer, "--offer-url", OFFER_URL]
    r = run(*args)
    assert r.returncode == 0, r.stderr


def register(path, tenants):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("tenancy_ref,name,address,tenancy_type,language\n")
        for i in range(tenants):
            lang = "cy" if i % 3 == 0 else "en"
            f.write(f'T{i + 1},Tenant {i + 1},"{i + 1} Heol y Bont, Llanfair",secure,{lang}\n')


def pages(pdf):
    """the text of each page"""
    out = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True)
    return out.stdout.split("\f")


def letters_rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def page_of(texts, code):
    """the first page holding the code: on one line, or its two halves on two"""
    first, second = code[:14], code[15:]
    for i, t in enumerate(texts):
        if code in t or (first in t and second in t):
            return i
    return None


def word_heights(pdf, first, last):
    """the heights of the words on pages first..last (pdftotext -bbox)"""
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(first), "-l", str(last), pdf, "-"],
                         capture_output=True, text=True).stdout
    return [float(b) - float(a) for a, b in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"',
                                                       out)]


with tempfile.TemporaryDirectory() as d:
    reg = os.path.join(d, "register.csv")
    register(reg, 9)

    # ---- credentials make, letters in each tenant's language
    e = os.path.join(d, "llanfair")
    init(e, "register")
    run("register", "import", reg, "-d", e)
    ca = os.path.join(d, "authority")
    pdf = os.path.join(d, "letters.pdf")
    r = run("credentials", "make", "--manifest", os.path.join(e, "manifest.json"), "--register", reg,
            "--out", ca, "--letters-pdf", pdf, env={"TENANTVOTE_PASSPHRASE": "authority pass"})
    check(r.returncode == 0, f"credentials make --letters-pdf ({r.stderr.strip()})")
    check(os.stat(pdf).st_mode & 0o777 == 0o600, "the letters' PDF is readable by its owner only")
    rows = letters_rows(os.path.join(ca, "letters.csv"))
    texts = pages(pdf)
    for row in rows:
        p = page_of(texts, row["code"])
        check(p is not None, f"{row['tenancy_ref']}: its code is in the PDF")
        if p is None:
            continue
        t = texts[p]
        check(row["check_code"] in t, f"{row['tenancy_ref']}: its check code is on its letter")
        check(row["name"] in t, f"{row['tenancy_ref']}: its name is on its letter")
        if row["language"] == "cy":
            check("Eich cod pleidleisio" in t and "Your voting code" not in t and "tŷ" in t and "Dŵr" in t,
                  f"{row['tenancy_ref']}: a Welsh letter, with ŵ and ŷ")
        else:
            check("Your voting code" in t and "Eich cod pleidleisio" not in t,
                  f"{row['tenancy_ref']}: an English letter")
        page = BOARD_URL + ("credential.cy.html" if row["language"] == "cy" else "credential.html")
        check(VOTE_URL in t and "0800 123 4567" in t and "Civic Centre" in t and page in t,
              f"{row['tenancy_ref']}: how to vote, and where to check the check code")
    check(len(texts) - 1 >= len(rows), "one letter (at least a page) per tenant")
    png = os.path.join(d, "page")
    subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", pdf, png], check=True)
    z = subprocess.run(["zbarimg", "--raw", "-q", png + "-1.png"], capture_output=True, text=True)
    check(z.stdout.strip() == VOTE_URL, f"the letter's QR code opens the voting page ({z.stdout.strip()!r})")
    normal = statistics.median(word_heights(pdf, 1, 1))

    # an existing PDF is never overwritten, and then nothing is made
    before = open(pdf, "rb").read()
    r = run("credentials", "make", "--manifest", os.path.join(e, "manifest.json"), "--register", reg,
            "--out", os.path.join(d, "authority2"), "--letters-pdf", pdf,
            env={"TENANTVOTE_PASSPHRASE": "authority pass"})
    check(r.returncode == 1 and "already exists" in r.stderr and open(pdf, "rb").read() == before and
          not os.path.exists(os.path.join(d, "authority2")),
          f"make: an existing PDF refused, nothing made ({r.stderr.strip()})")
    r = run("credentials", "make", "--manifest", os.path.join(e, "manifest.json"), "--register", reg,
            "--out", os.path.join(d, "authority3"), "--large-print")
    check(r.returncode == 2 and "--letters-pdf" in r.stderr, "--large-print alone is a usage error")

    # ---- credentials issue, bilingual and in large print
    e2 = os.path.join(d, "bilingual")
    offer = os.path.join(d, "offer.pdf")
    with open(offer, "wb") as f:
        f.write(b"%PDF-1.4 the offer\n")
    start = hashlib.sha256(b"%PDF-1.4 the offer\n").hexdigest()[:16]
    start = " ".join(start[i:i + 4] for i in range(0, 16, 4))
    init(e2, "bilingual", offer=offer)
    run("register", "import", reg, "-d", e2)
    pdf2 = os.path.join(d, "bilingual.pdf")
    r = run("credentials", "issue", "--letters", os.path.join(d, "bilingual.csv"), "--letters-pdf",
            pdf2, "--large-print", "-d", e2, "--json")
    check(r.returncode == 0, f"credentials issue --letters-pdf --large-print ({r.stderr.strip()})")
    texts = pages(pdf2)
    rows = letters_rows(os.path.join(d, "bilingual.csv"))
    for row in rows:
        p = page_of(texts, row["code"])
        whole = "".join(texts[p:p + 4]) if p is not None else ""
        check(p is not None and "Eich cod pleidleisio" in whole and "Your voting code" in whole,
              f"{row['tenancy_ref']}: a bilingual letter")
        flat = " ".join(whole.split())
        check(flat.count(start) == 2 and "fingerprint (SHA-256) starts" in flat and
              "ôl bys (SHA-256)" in flat and flat.count("offer.pdf") >= 2,
              f"{row['tenancy_ref']}: the offer document's address and SHA-256 start, in each language")
    large = statistics.median(word_heights(pdf2, 1, 2))
    # DejaVu's words stand about 1.16 times their size: 16 pt is 18.5 high
    check(large >= 16 * 1.1 and normal < 16, f"large print's body at least 16 pt ({large:.1f} vs {normal:.1f})")

    # ---- credentials issue, bilingual in normal print: one page a letter, both languages on it
    e4 = os.path.join(d, "side-by-side")
    init(e4, "bilingual", offer=offer)
    run("register", "import", reg, "-d", e4)
    pdf4 = os.path.join(d, "side-by-side.pdf")
    r = run("credentials", "issue", "--letters", os.path.join(d, "side-by-side.csv"), "--letters-pdf",
            pdf4, "-d", e4)
    check(r.returncode == 0, f"credentials issue --letters-pdf, bilingual ({r.stderr.strip()})")
    texts = [t for t in pages(pdf4) if t.strip()]
    rows = letters_rows(os.path.join(d, "side-by-side.csv"))
    check(len(texts) == len(rows), f"bilingual: one page a letter ({len(texts)} pages, {len(rows)} letters)")
    # every letter laid out alike, whatever its codes: a wide check code once
    # took a line more and pushed a letter onto a second page
    check(len({len(t.splitlines()) for t in texts}) == 1,
          f"bilingual: every letter's page has as many lines ({[len(t.splitlines()) for t in texts]})")
    for i, row in enumerate(rows):
        t = texts[i] if i < len(texts) else ""
        check(page_of([t], row["code"]) == 0 and row["check_code"] in t and "Eich cod pleidleisio" in t
              and "Your voting code" in t and "tŷ" in t and "Returning Officer" in t and "Ffôn / Phone" in t,
              f"{row['tenancy_ref']}: Welsh and English side by side on its one page, and the contact details")
        flat = " ".join(t.split())
        check(f"Y cynnig / The offer: {OFFER_URL} SHA-256 {start}\u2026" in flat,
              f"{row['tenancy_ref']}: the offer document's address and SHA-256 start, once across "
              f"the page ({flat[-300:]})")
    # its narrow columns' QR codes are 1.5 pt a module: read as printed, at 300 dpi
    subprocess.run(["pdftoppm", "-r", "300", "-f", "1", "-l", "1", "-png", pdf4, png + "4"], check=True)
    z = subprocess.run(["zbarimg", "--raw", "-q", png + "4-1.png"], capture_output=True, text=True)
    check(z.stdout.strip() == VOTE_URL + "\n" + VOTE_URL or z.stdout.strip() == VOTE_URL,
          f"bilingual: each column's QR code opens the voting page ({z.stdout.strip()!r})")

    # ---- an election without contact details or Welsh: English letters that say so
    e3 = os.path.join(d, "plain")
    init(e3, "register", contact=False, welsh=False)
    run("register", "import", reg, "-d", e3)
    pdf3 = os.path.join(d, "plain.pdf")
    r = run("credentials", "issue", "--letters", os.path.join(d, "plain.csv"), "--letters-pdf", pdf3,
            "-d", e3)
    t = "".join(pages(pdf3))
    check(r.returncode == 0 and "Eich cod" not in t and "will tell you how to vote" in t,
          "no Welsh in the manifest: English letters; no contact details: the officer will say how")
    r = run("credentials", "issue", "--letters", os.path.join(d, "again.csv"), "--letters-pdf", pdf3,
            "-d", e3)
    check(r.returncode == 1 and not os.path.exists(os.path.join(d, "again.csv")),
          "issue: an existing PDF refused, no letters file left")

    leftovers = [n for n in os.listdir(d) if ".tmp-" in n]
    check(not leftovers, f"the PDFs were written under a temporary name, none left behind ({leftovers})")

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
