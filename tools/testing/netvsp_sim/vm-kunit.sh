#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run netvsp_sim's KUnit suite (a misbehaving guest) inside the test guest:
# tools/testing/vm/run -- sh <this file> [MODULE_DIR]
D=$(cd "$(dirname "$0")/.." && pwd)
M=${1:-$D}
insmod "$M/vmbus_sim/vmbus_sim.ko" || exit 1
insmod "$M/netvsp_sim/netvsp_sim.ko" || exit 1
insmod "$M/netvsp_sim/netvsp_sim_kunit.ko" || exit 1
r=/sys/kernel/debug/kunit/netvsp_sim_bad_guest/results
mount -t debugfs none /sys/kernel/debug 2>/dev/null
cat $r
grep -q "^not ok" $r && rc=1 || rc=0
dmesg | grep -E "netvsp_sim|BUG|WARNING|KASAN|lockdep|circular" | tail -30
rmmod netvsp_sim_kunit && rmmod netvsp_sim && rmmod vmbus_sim || rc=1
echo "kunit rc=$rc"
exit $rc
