#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Count the results in KTAP files and print the suite's summary line.

Every KTAP result line ("ok N name", "not ok N name", "... # SKIP why") is a
test; a result line that closes a block of deeper-indented results is the
parent of those results and is not counted itself, except when it failed
without any failing child (a suite that crashed or timed out).  A block whose
plan ("1..N") promises more results than it delivered counts the missing ones
as failures, so a test script that dies half-way cannot pass.

usage: ktap_summary.py [-v] FILE...
Prints the failed (and with -v all) tests, then "N passed, N failed, N skipped".
Exit status 1 when anything failed or no test ran at all.
"""
import os
import re
import sys

RESULT = re.compile(r'^(\s*)(not ok|ok) (\d+)\s*(?:- )?([^#]*?)\s*(#\s*(\w+)(.*))?$')
PLAN = re.compile(r'^(\s*)1\.\.(\d+)\s*$')


def indent_of(ws):
    return len(ws.expandtabs(8))


def parse(path):
    """Return (name, status, reason) for each leaf test of one KTAP file."""
    try:
        with open(path, errors='replace') as f:
            lines = f.read().splitlines()
    except OSError as e:
        return [(path, 'fail', f'unreadable: {e}')]
    stem = os.path.basename(path).rsplit('.', 1)[0]
    seen = []    # every result so far: (indent, name, status, reason, leaf)
    plans = {}   # indent -> [planned, delivered, name of the block]
    last_subtest = {}

    def close_blocks(deeper_than):
        for k in sorted([k for k in plans if k > deeper_than], reverse=True):
            planned, got = plans.pop(k)
            where = last_subtest.get(k, path)
            for i in range(got, planned):
                seen.append((k, f'{where}: result {i + 1} of {planned}', 'fail',
                             'missing (test died?)', True))

    for line in lines:
        m = re.match(r'^(\s*)# Subtest: (.*)$', line)
        if m:
            last_subtest[indent_of(m.group(1))] = m.group(2).strip()
            continue
        m = PLAN.match(line)
        if m:
            plans[indent_of(m.group(1))] = [int(m.group(2)), 0]
            continue
        m = RESULT.match(line)
        if not m:
            continue
        ind = indent_of(m.group(1))
        name = m.group(4).strip() or f'test {m.group(3)}'
        directive = (m.group(6) or '').upper()
        if m.group(2) == 'ok' and directive != 'SKIP':
            status = 'pass'
        elif directive in ('SKIP', 'TODO'):
            # a known, documented failure is reported, not passed
            status = 'skip'
        else:
            status = 'fail'
        close_blocks(ind)
        if ind in plans:
            plans[ind][1] += 1
        children = []
        for r in reversed(seen):
            if r[0] <= ind:
                break
            children.append(r)
        if not children:
            prefix = last_subtest.get(ind) or (stem if ind == 0 else '')
            full = f'{prefix}.{name}' if prefix else name
            seen.append((ind, full, status, (m.group(7) or '').strip(), True))
        elif status == 'fail' and not any(r[2] == 'fail' and r[4] for r in children):
            seen.append((ind, name, 'fail', 'failed without a failing case', True))
        else:
            seen.append((ind, name, status, '', False))
    close_blocks(-1)
    return [(n, s, r) for _, n, s, r, leaf in seen if leaf]


def main(argv):
    verbose = '-v' in argv
    files = [a for a in argv if a != '-v']
    counts = {'pass': 0, 'fail': 0, 'skip': 0}
    for path in files:
        for name, status, reason in parse(path):
            counts[status] += 1
            if status == 'fail' or verbose:
                label = {'pass': 'PASS', 'fail': 'FAIL', 'skip': 'SKIP'}[status]
                extra = f' ({reason})' if reason else ''
                print(f'{label} {name}{extra}')
    line = f"{counts['pass']} passed, {counts['fail']} failed"
    if counts['skip']:
        line += f", {counts['skip']} skipped"
    print(line)
    return 1 if counts['fail'] or not (counts['pass'] + counts['skip']) else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
