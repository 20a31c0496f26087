#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""ABI checks for libtenantvote, run by meson test (tests/abi/meson.build).

  check-exports.py exports --nm NM --library LIB --map MAP --include-dir DIR
      The symbols the shared library defines, the global names of the version
      script and the functions the public headers mark TV_API must be the same
      set, and every name must be tv_<something> (never the internal tv__).

  check-exports.py soname --readelf READELF --library LIB --expect SONAME
      The library's DT_SONAME must be SONAME.
"""

import argparse
import glob
import os
import re
import subprocess
import sys

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


def library_symbols(nm, library):
    """Dynamic symbols defined by the library: {name: type}, plus the names
    of absolute symbols (version nodes such as TENANTVOTE_0.1)."""
    out = subprocess.run([nm, "-D", "--defined-only", library], check=True,
                         capture_output=True, text=True).stdout
    symbols, absolute = {}, set()
    for line in out.splitlines():
        fields = line.split()
        if len(fields) < 2:
            continue
        # "ADDR TYPE NAME[@[@]VERSION]" (ADDR can be missing for some types)
        kind, name = fields[-2], fields[-1]
        name = name.split("@", 1)[0]
        if kind == "A":
            absolute.add(name)
        else:
            symbols[name] = kind
    return symbols, absolute


def strip_c_comments(text):
    return re.sub(r"/\*.*?\*/", " ", text, flags=re.S)


def map_globals(path):
    """Global names of a GNU ld version script: ({name: node}, nodes, problems)."""
    with open(path, encoding="utf-8") as fh:
        text = strip_c_comments(fh.read())
    text = re.sub(r"#[^\n]*", " ", text)
    text = re.sub(r"//[^\n]*", " ", text)
    names, nodes, problems = {}, [], []
    for m in re.finditer(r"(\S+)\s*\{(.*?)\}\s*([^;]*);", text, flags=re.S):
        node, body = m.group(1), m.group(2)
        nodes.append(node)
        scope = None
        for tok in re.findall(r"[^\s;:]+:|[^\s;]+;", body.replace(";", "; ")):
            if tok.endswith(":"):
                scope = tok[:-1].strip()
                continue
            name = tok[:-1].strip()
            if not name:
                continue
            if scope == "global":
                if any(c in name for c in "*?[]"):
                    problems.append(f"{path}: node {node}: wildcard "
                                    f"'{name}' in global: (list names one by one)")
                elif name in names:
                    problems.append(f"{path}: '{name}' listed twice "
                                    f"(nodes {names[name]} and {node})")
                else:
                    names[name] = node
            elif scope is None:
                problems.append(f"{path}: node {node}: '{name}' outside "
                                f"global:/local:")
    if not nodes:
        problems.append(f"{path}: no version node found")
    return names, nodes, problems


def header_api(include_dir):
    """Functions declared with TV_API in include_dir/*.h: ({name: file}, problems)."""
    names, problems = {}, []
    headers = sorted(glob.glob(os.path.join(include_dir, "*.h")))
    if not headers:
        problems.append(f"{include_dir}: no headers found")
    for path in headers:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        text = strip_c_comments(text)
        text = re.sub(r"//[^\n]*", " ", text)
        # drop preprocessor lines (with continuations): "#define TV_API ..."
        text = re.sub(r"^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", " ", text, flags=re.M)
        base = os.path.basename(path)
        for m in re.finditer(r"\bTV_API\b", text):
            end = len(text)
            for stop in (";", "{"):
                i = text.find(stop, m.end())
                if i != -1:
                    end = min(end, i)
            decl = text[m.end():end]
            paren = decl.find("(")
            if paren == -1:
                found = re.findall(IDENT, decl)
                problems.append(f"{base}: TV_API on something that is not a "
                                f"function: '{' '.join(decl.split())}'")
                if not found:
                    continue
                name = found[-1]
            else:
                found = re.findall(r"(" + IDENT + r")\s*$", decl[:paren])
                if not found:
                    problems.append(f"{base}: cannot read the name in "
                                    f"'{' '.join(decl.split())}'")
                    continue
                name = found[0]
            if name in names:
                problems.append(f"{base}: {name} declared TV_API twice "
                                f"(also in {names[name]})")
            names[name] = base
    return names, problems


def check_exports(args):
    symbols, absolute = library_symbols(args.nm, args.library)
    mapped, nodes, problems = map_globals(args.map)
    declared, header_problems = header_api(args.include_dir)
    problems += header_problems

    # The version nodes show up as absolute symbols; they are not API.
    for name in sorted(absolute - set(nodes)):
        problems.append(f"library: unexpected absolute symbol {name}")
    for name, kind in sorted(symbols.items()):
        if kind not in "TtWiu":
            problems.append(f"library: {name} is exported as data "
                            f"(nm type {kind}); export functions only")

    lib_set, map_set, hdr_set = set(symbols), set(mapped), set(declared)
    diffs = [
        ("exported by the library but not in the map", lib_set - map_set),
        ("in the map but not exported by the library", map_set - lib_set),
        ("exported by the library but not declared TV_API", lib_set - hdr_set),
        ("declared TV_API but not exported by the library", hdr_set - lib_set),
        ("in the map but not declared TV_API in a header", map_set - hdr_set),
        ("declared TV_API but missing from the map", hdr_set - map_set),
    ]
    for what, names in diffs:
        if names:
            problems.append(what + ":\n" +
                            "\n".join(f"    {n}" for n in sorted(names)))
    for name in sorted(lib_set | map_set | hdr_set):
        if name.startswith("tv__"):
            problems.append(f"{name}: tv__ names are internal and must not "
                            "be exported or declared TV_API")
        elif not name.startswith("tv_"):
            problems.append(f"{name}: public names start with tv_")

    print(f"library {args.library}: {len(lib_set)} exported functions")
    print(f"map {args.map}: {len(map_set)} global names in {', '.join(nodes)}")
    print(f"headers {args.include_dir}: {len(hdr_set)} TV_API declarations")
    if problems:
        print("\nABI export check FAILED:", file=sys.stderr)
        for p in problems:
            print("  - " + p, file=sys.stderr)
        return 1
    print("the three sets agree")
    return 0


def check_soname(args):
    out = subprocess.run([args.readelf, "-d", "--wide", args.library],
                         check=True, capture_output=True, text=True).stdout
    sonames = re.findall(r"\(SONAME\)\s+Library soname: \[([^\]]*)\]", out)
    if sonames != [args.expect]:
        print(f"{args.library}: SONAME is {sonames or 'missing'}, "
              f"expected {args.expect}", file=sys.stderr)
        return 1
    print(f"{args.library}: SONAME {args.expect}")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("exports")
    ex.add_argument("--nm", required=True)
    ex.add_argument("--library", required=True)
    ex.add_argument("--map", required=True)
    ex.add_argument("--include-dir", required=True)
    so = sub.add_parser("soname")
    so.add_argument("--readelf", required=True)
    so.add_argument("--library", required=True)
    so.add_argument("--expect", required=True)
    args = ap.parse_args()
    if args.command == "exports":
        return check_exports(args)
    return check_soname(args)


if __name__ == "__main__":
    sys.exit(main())
