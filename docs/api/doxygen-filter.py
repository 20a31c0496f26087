#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Doxygen's input filter for include/tenantvote/*.h.

A plain comment that opens at the start of a line ("/* ..." in column 0)
above a public declaration is taken as that declaration's documentation,
as if it were written "/** ...": a declaration commented in the plain style
is documented, not reported missing. The licence line is left alone.
Indented plain comments (inside an enum or a struct) stay plain. Only the
comment opener changes, so line numbers in warnings stay right.

    doxygen-filter.py FILE   (Doxygen adds the file name)"""
import re
import sys

OPENER = re.compile(r"^/\*(?=[ \t]|$)")

with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        if "SPDX-License-Identifier" not in line:
            line = OPENER.sub("/**", line, count=1)
        sys.stdout.write(line)
