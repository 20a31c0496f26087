#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The library's layers point one way (docs/ARCHITECTURE.md).

    crypto  <-  election  <-  tally  <-  record
                                     <-  box

For each layer's static library, every tv_/tv__ symbol it uses must be
defined in that layer or one below it, and only the box may call SQLite.
For each source file under lib/LAYER/, every quoted #include must name a
header of that layer or one below it, or a public header. And no two files
of cli/ call each other, directly or round a longer circle.

usage: check-layers.py SOURCE_ROOT NM LAYER=ARCHIVE...
"""
import os
import re
import subprocess
import sys

BELOW = {
    "crypto": {"crypto"},
    "election": {"crypto", "election"},
    "tally": {"crypto", "election", "tally"},
    "record": {"crypto", "election", "tally", "record"},
    "box": {"crypto", "election", "tally", "box"},
}
FOREIGN = {  # libraries only some layers may use
    "sqlite3_": {"box"},
    "csv_": {"election", "box"},
}


def symbols(nm, archive):
    out = subprocess.run([nm, "-A", archive], capture_output=True, text=True, check=True).stdout
    defined, undefined = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        kind, name = parts[-2], parts[-1]
        if kind == "U":
            undefined.add(name)
        elif kind in "TDBRCWV" or kind in "tdbrc":
            defined.add(name)
    return defined, undefined


def cli_circles(folder):
    """Circles among cli/*.c: file A calls a cli_ function defined in B."""
    define = re.compile(r"^[a-z][\w \t]*?\**\s*\b(cli_\w+)\s*\(", re.M)
    call = re.compile(r"\b(cli_\w+)\s*\(")
    texts, owner = {}, {}
    for f in sorted(os.listdir(folder)):
        if f.endswith(".c"):
            with open(os.path.join(folder, f), encoding="utf-8") as fh:
                texts[f] = fh.read()
            for name in define.findall(texts[f]):
                owner[name] = f
    calls = {f: {owner[n] for n in call.findall(t) if n in owner and owner[n] != f}
             for f, t in texts.items()}
    problems, state = [], {}

    def visit(f, path):
        state[f] = 1
        for g in sorted(calls[f]):
            if state.get(g) == 1:
                circle = path[path.index(g):] + [g]
                problems.append("cli: files call each other: " + " -> ".join(circle))
            elif g not in state:
                visit(g, path + [g])
        state[f] = 2

    for f in sorted(calls):
        if f not in state:
            visit(f, [f])
    return problems


def main():
    root, nm = sys.argv[1], sys.argv[2]
    archives = dict(a.split("=", 1) for a in sys.argv[3:])
    if set(archives) != set(BELOW):
        print(f"expected the layers {sorted(BELOW)}, got {sorted(archives)}")
        return 1
    defined, undefined = {}, {}
    for layer, archive in archives.items():
        defined[layer], undefined[layer] = symbols(nm, archive)
    problems = []
    for layer in BELOW:
        for name in sorted(undefined[layer]):
            if name.startswith("tv_"):
                owners = [l for l in BELOW if name in defined[l]]
                if not owners:
                    problems.append(f"{layer}: uses {name}, which no layer defines")
                elif not set(owners) & BELOW[layer]:
                    problems.append(f"{layer}: uses {name} from {owners[0]}, a layer above it or beside it")
            for prefix, allowed in FOREIGN.items():
                if name.startswith(prefix) and layer not in allowed:
                    problems.append(f"{layer}: calls {name}; only {sorted(allowed)} may")
    # headers: what each layer's files include
    headers = {}
    for layer in BELOW:
        for f in os.listdir(os.path.join(root, "lib", layer)):
            if f.endswith(".h"):
                headers[f] = layer
    include = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
    for layer in BELOW:
        folder = os.path.join(root, "lib", layer)
        for f in sorted(os.listdir(folder)):
            if not f.endswith((".c", ".h")):
                continue
            with open(os.path.join(folder, f), encoding="utf-8") as fh:
                for name in include.findall(fh.read()):
                    if name.startswith("tenantvote/"):
                        continue
                    base = os.path.basename(name)
                    if "/" in name or base not in headers:
                        problems.append(f"lib/{layer}/{f}: includes \"{name}\", not a header of a layer")
                    elif headers[base] not in BELOW[layer]:
                        problems.append(f"lib/{layer}/{f}: includes {name} from lib/{headers[base]}/")
    problems += cli_circles(os.path.join(root, "cli"))
    for p in problems:
        print("FAIL:", p)
    counted = sum(len(undefined[l]) for l in BELOW)
    print(f"{len(BELOW)} layers, {counted} symbol uses checked: "
          f"{'one direction' if not problems else str(len(problems)) + ' problems'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
