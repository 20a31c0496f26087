#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The ballot papers' PDF (SPEC §15.8) of a manifest with Welsh, read back
with pdftotext: every paper takes as many pages as every other, in order;
every page holds its paper's identifier, no other paper's, and both
languages; a paper's pages hold each of its short codes.

Usage: check-papers-pdf.py TENANTVOTE PAPERS.pdf EXPECTED.json
EXPECTED.json: the papers in order, [{"id": "ABCD-...", "codes": ["K7QD", ...]}, ...]
or [["ABCD-...", ["K7QD", ...]], ...]. TENANTVOTE is the program that made
them (unused until this test makes its own papers).
"""
import json
import re
import subprocess
import sys

_, pdf, expected = sys.argv[1], sys.argv[2], sys.argv[3]
with open(expected, encoding="utf-8") as f:
    papers = [(p["id"], p["codes"]) if isinstance(p, dict) else (p[0], p[1]) for p in json.load(f)]
out = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True)
pages = out.stdout.split("\f")[:-1]  # the text ends with a form feed
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


check(papers and len(pages) % len(papers) == 0,
      f"{len(pages)} pages for {len(papers)} papers, as many each")
per = max(len(pages) // max(len(papers), 1), 1)
ids = {pid for pid, _ in papers}
for n, (pid, codes) in enumerate(papers):
    mine = pages[n * per:(n + 1) * per]
    for i, text in enumerate(mine):
        where = f"paper {n + 1} ({pid}) page {i + 1}"
        check(pid in text, f"{where}: its identifier")
        check(not any(o in text for o in ids - {pid}), f"{where}: no other paper's identifier")
        check("Papur pleidleisio" in text and "Ballot paper" in text, f"{where}: Welsh and English")
    text = "\n".join(mine)
    for code in codes:
        check(re.search(rf"\b{code}\b", text), f"paper {n + 1} ({pid}): code {code}")
    for cy, en in (("Rhowch groes", "Mark one answer"), ("Torrwch yma", "Cut here")):
        check(cy in text and en in text, f"paper {n + 1} ({pid}): '{cy}' and '{en}'")

print(f"{len(papers)} papers, {len(pages)} pages: {len(failures)} failures")
sys.exit(1 if failures else 0)
