#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Self-test of ktap_summary.py: every way a run can go wrong is counted as
a failure (a host check of make check).  Exit status 0 when all hold."""
import contextlib
import io
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ktap_summary  # noqa: E402

FILE = """TAP version 13
1..3
ok 1 one
ok 2 two # SKIP not here
not ok 3 three # TODO known
ok 4 four
"""
KUNIT = """KTAP version 1
1..2
    KTAP version 1
    # Subtest: suite
    1..3
    ok 1 c1
        KTAP version 1
        # Subtest: c2
        ok 1 p1
        ok 2 p2
    ok 2 c2
# suite: crashed
not ok 1 suite
ok 2 unload
"""
MANIFEST = """# test manifest
t-ours:one
t-ours:two  skip: allowed here
t-ours:three
t-ours:five
k_kunit:suite.c1
k_kunit:suite.c2.p1
k_kunit:suite.c2.p2
k_kunit:suite.c3  skip@debug: debug only
k_kunit:unload @normal
zz-kernel-log:kernel_log_clean
t-intree:six
"""
WANT = {
    'PASS t-ours:one',
    'SKIP t-ours:two (not here)',
    'FAIL t-ours:three (skipped (known), a skip the manifest does not allow)',
    'FAIL t-ours:four (result 4 beyond the plan 1..3)',
    'FAIL t-ours:five (in the manifest, did not run)',
    'PASS k_kunit:suite.c1',
    'PASS k_kunit:suite.c2.p1',
    'PASS k_kunit:suite.c2.p2',
    'FAIL k_kunit:suite.result 3 of 3 (missing (test died?))',
    'FAIL k_kunit:suite.c3 (in the manifest, did not run)',
    'PASS k_kunit:unload',
    'FAIL zz-kernel-log:kernel_log_clean (in the manifest, did not run)',
    'FAIL dup:a (reported twice)',
    'FAIL dup:a (not in the manifest (pass))',
    'FAIL t-intree:six (in the manifest, did not run)',
    '5 passed, 9 failed, 1 skipped',
}
# with --drivers ours, the in-tree driver's files are not expected
WANT_OURS = (WANT - {'FAIL t-intree:six (in the manifest, did not run)',
                     '5 passed, 9 failed, 1 skipped'}) | {'5 passed, 8 failed, 1 skipped'}


def summary(args):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        rc = ktap_summary.main(args)
    return rc, set(out.getvalue().splitlines())


def differs(what, rc, got, want):
    if rc == 1 and got == want:
        return False
    print(f'{what}: exit status {rc}, want 1')
    for line in sorted(want - got):
        print(f'missing: {line}')
    for line in sorted(got - want):
        print(f'unexpected: {line}')
    return True


def main():
    with tempfile.TemporaryDirectory() as d:
        paths = []
        dup = 'TAP version 13\n1..2\nok 1 a\nok 2 a\n'
        for name, text in (('t-ours', FILE), ('k_kunit', KUNIT), ('dup', dup)):
            paths.append(os.path.join(d, name + '.ktap'))
            with open(paths[-1], 'w') as f:
                f.write(text)
        man = os.path.join(d, 'manifest')
        with open(man, 'w') as f:
            f.write(MANIFEST)
        args = ['-v', '--manifest', man, '--kernel', 'normal']
        bad = differs('both drivers', *summary(args + paths), WANT)
        bad |= differs('--drivers ours',
                       *summary(args + ['--drivers', 'ours'] + paths), WANT_OURS)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
