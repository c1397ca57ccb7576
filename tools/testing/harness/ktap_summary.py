#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Count the results in KTAP files and print the suite's summary line.

Every KTAP result line ("ok N name", "not ok N name", "... # SKIP why") is a
test, named FILE:PATH (FILE the file name without .ktap, PATH the enclosing
"# Subtest:" names and the result's own, joined by dots).  A result line that
closes a block of deeper-indented results is the parent of those results and
is not counted itself, except when it failed without any failing child (a
suite that crashed or timed out).  A block whose plan ("1..N") promises more
results than it delivered counts the missing ones as failures, a result
beyond the plan fails, and so does a name seen twice.

With --manifest, the manifest is the list of every test that must run: a
test missing from the results, or a result missing from the manifest, fails;
a skip (or TODO) fails unless its manifest line allows it.  Manifest lines:
    NAME [@normal|@debug] [skip[@normal|@debug]: REASON]
"@KERNEL" after the name: the test runs only on that kernel; "skip: REASON"
allows the test to be skipped, "skip@KERNEL: REASON" only on that kernel.
--filter GLOB keeps the manifest lines whose FILE matches GLOB (as
guest-check picks what to run), plus host-checks and zz-kernel-log, which
always run.  --drivers LIST (comma or space separated, "intree,ours" by
default) keeps the lines of the files run once per driver (FILE ending in
-intree or -ours) for the drivers listed only.

usage: ktap_summary.py [-v] [--names] [--manifest FILE --kernel K
                       [--filter GLOB] [--drivers LIST]] FILE...
Prints the failed (and with -v all) tests, then "N passed, N failed, N skipped".
--names prints the manifest lines the results would need instead.
Exit status 1 when anything failed or no test ran at all.
"""
import fnmatch
import os
import re
import sys

RESULT = re.compile(r'^(\s*)(not ok|ok) (\d+)\s*(?:- )?([^#]*?)\s*(#\s*(\w+)(.*))?$')
PLAN = re.compile(r'^(\s*)1\.\.(\d+)\s*$')
SUBTEST = re.compile(r'^(\s*)# Subtest: (.*)$')
ALWAYS_RUN = ('host-checks', 'zz-kernel-log')
DRIVERS = ('intree', 'ours')


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
    plans = {}   # indent -> [planned, delivered]
    subtests = {}  # indent -> name of the block open at that indent

    def full(ind, name):
        path = [subtests[k] for k in sorted(subtests) if k <= ind]
        return f"{stem}:{'.'.join(path + [name])}"

    def close_blocks(deeper_than):
        for k in sorted([k for k in plans if k > deeper_than], reverse=True):
            planned, got = plans.pop(k)
            for i in range(got, planned):
                seen.append((k, full(k, f'result {i + 1} of {planned}'),
                             'fail', 'missing (test died?)', True))
        for k in [k for k in subtests if k > deeper_than]:
            del subtests[k]

    for line in lines:
        m = SUBTEST.match(line)
        if m:
            subtests[indent_of(m.group(1))] = m.group(2).strip()
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
        # a skip's reason follows its directive; a failure's is all of it
        reason = (m.group(7) if directive in ('SKIP', 'TODO')
                  else (m.group(5) or '').lstrip('#')).strip()
        if m.group(2) == 'ok' and directive != 'SKIP':
            status = 'pass'
        elif directive in ('SKIP', 'TODO'):
            # a known, documented failure is reported, not passed
            status = 'skip'
        else:
            status = 'fail'
        close_blocks(ind)
        beyond = None
        if ind in plans:
            plans[ind][1] += 1
            if plans[ind][1] > plans[ind][0]:
                beyond = f'result {plans[ind][1]} beyond the plan 1..{plans[ind][0]}'
        elif ind == 0:
            beyond = 'no plan'
        children = []
        for r in reversed(seen):
            if r[0] <= ind:
                break
            children.append(r)
        if beyond:
            seen.append((ind, full(ind, name), 'fail', beyond, True))
        elif not children:
            seen.append((ind, full(ind, name), status, reason, True))
        elif status == 'fail' and not any(r[2] == 'fail' and r[4] for r in children):
            seen.append((ind, full(ind, name), 'fail',
                         'failed without a failing case', True))
        else:
            seen.append((ind, full(ind, name), status, '', False))
        # the block this result closed is done with
        for k in [k for k in subtests if k > ind]:
            del subtests[k]
    close_blocks(-1)
    return [(n, s, r) for _, n, s, r, leaf in seen if leaf]


def read_manifest(path, kernel, glob, drivers=DRIVERS):
    """Return {name: skip reason or None} of the tests that must run here."""
    want = {}
    for d in drivers:
        if d not in DRIVERS:
            raise SystemExit(f'unknown driver "{d}" (not one of {", ".join(DRIVERS)})')
    with open(path) as f:
        for no, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            m = re.match(r'^(\S+)(?:\s+@(normal|debug))?'
                         r'(?:\s+skip(?:@(normal|debug))?:\s*(.+))?$', line)
            if not m:
                raise SystemExit(f'{path}:{no}: cannot read "{line}"')
            name, only, skip_on, why = m.groups()
            if only and only != kernel:
                continue
            unit = name.split(':', 1)[0]
            if unit not in ALWAYS_RUN and not fnmatch.fnmatchcase(unit, glob):
                continue
            drv = unit.rsplit('-', 1)[-1]
            if drv in DRIVERS and drv not in drivers:
                continue
            if name in want:
                raise SystemExit(f'{path}:{no}: {name} listed twice')
            want[name] = why if why and (not skip_on or skip_on == kernel) else None
    return want


def main(argv):
    args = list(argv)
    opts = {'--manifest': None, '--kernel': 'normal', '--filter': '*',
            '--drivers': ','.join(DRIVERS)}
    for o in opts:
        if o in args:
            i = args.index(o)
            opts[o] = args[i + 1]
            del args[i:i + 2]
    verbose = '-v' in args
    names = '--names' in args
    files = [a for a in args if a not in ('-v', '--names')]
    want = None
    if opts['--manifest']:
        want = read_manifest(opts['--manifest'], opts['--kernel'], opts['--filter'],
                             opts['--drivers'].replace(',', ' ').split())
    counts = {'pass': 0, 'fail': 0, 'skip': 0}
    seen = set()
    for path in files:
        for name, status, reason in parse(path):
            if names:
                print(name + (f'  skip: {reason}' if status == 'skip' else ''))
                continue
            if name in seen:
                status, reason = 'fail', 'reported twice'
            seen.add(name)
            if want is not None and status != 'fail':
                if name not in want:
                    status, reason = 'fail', f'not in the manifest ({status})'
                elif status == 'skip' and not want[name]:
                    status, reason = 'fail', f'skipped ({reason}), a skip the manifest does not allow'
            counts[status] += 1
            if status == 'fail' or verbose:
                label = {'pass': 'PASS', 'fail': 'FAIL', 'skip': 'SKIP'}[status]
                extra = f' ({reason})' if reason else ''
                print(f'{label} {name}{extra}')
    if names:
        return 0
    for name in sorted(set(want or ()) - seen):
        counts['fail'] += 1
        print(f'FAIL {name} (in the manifest, did not run)')
    line = f"{counts['pass']} passed, {counts['fail']} failed"
    if counts['skip']:
        line += f", {counts['skip']} skipped"
    print(line)
    return 1 if counts['fail'] or not (counts['pass'] + counts['skip']) else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
