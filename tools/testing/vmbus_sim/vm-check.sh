#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run inside the test guest (tools/testing/vm/run -- sh <this file> [N]):
# load vmbus_sim.ko, run its KUnit suites (N rounds of loading and
# unloading vmbus_sim_kunit.ko, default 1), then load the kernel's own
# hv_netvsc.ko against it and unload everything again.
# Exit status 0 means every step passed.
D=$(cd "$(dirname "$0")" && pwd)
loops=${1:-1}
fail=0
step() { echo "vm-check: $*"; }
bad() { echo "vm-check: FAIL: $*"; fail=1; }

# hv_netvsc depends on hv_vmbus in modules.dep; vmbus_sim replaces it.
mkdir -p /etc/modprobe.d
echo "install hv_vmbus /bin/true" >/etc/modprobe.d/vmbus_sim.conf

# Judge only what happens from here on (the boot log is not ours).
if dmesg | grep -qE 'BUG:|WARNING:'; then
	step "note: the boot log already has BUG/WARNING lines (not ours)"
fi
dmesg -C
[ -e /sys/kernel/debug/kmemleak ] && echo clear >/sys/kernel/debug/kmemleak

step "insmod vmbus_sim.ko"
insmod "$D/vmbus_sim.ko" || { bad "insmod vmbus_sim"; exit 1; }
[ -d /sys/bus/vmbus ] || bad "no /sys/bus/vmbus"

loop=1
while [ $loop -le "$loops" ]; do
	step "insmod vmbus_sim_kunit.ko (KUnit), round $loop of $loops"
	insmod "$D/vmbus_sim_kunit.ko" || bad "insmod vmbus_sim_kunit"
	n=0
	for r in /sys/kernel/debug/kunit/vmbus_sim*/results; do
		[ -f "$r" ] || continue
		n=$((n + 1))
		[ "$loop" = 1 ] && cat "$r"
		grep -q 'not ok' "$r" && { cat "$r"; bad "KUnit failures in $r"; }
	done
	[ $n -ge 4 ] || bad "expected 4 KUnit suites, found $n"
	rmmod vmbus_sim_kunit || bad "rmmod vmbus_sim_kunit"
	loop=$((loop + 1))
done

step "hv_vmbus cannot be loaded next to vmbus_sim"
hv=$(modinfo -n hv_vmbus 2>/dev/null)
if [ -n "$hv" ]; then
	insmod "$hv" 2>/dev/null && bad "hv_vmbus loaded next to vmbus_sim"
fi

step "modprobe hv_netvsc"
modprobe hv_netvsc || bad "modprobe hv_netvsc"
[ -d /sys/bus/vmbus/drivers/hv_netvsc ] || bad "hv_netvsc driver not registered"
dmesg | grep -i 'unknown symbol' && bad "unresolved symbols"
step "rmmod vmbus_sim while hv_netvsc uses it (must fail)"
rmmod vmbus_sim 2>/dev/null && bad "vmbus_sim unloaded under hv_netvsc"
step "rmmod hv_netvsc; rmmod vmbus_sim"
rmmod hv_netvsc || bad "rmmod hv_netvsc"
rmmod vmbus_sim || bad "rmmod vmbus_sim"

step "other order: hv_netvsc needs vmbus_sim first"
modprobe hv_netvsc 2>/dev/null && bad "hv_netvsc loaded without a bus"
insmod "$D/vmbus_sim.ko" && modprobe hv_netvsc || bad "reload"
rmmod hv_netvsc && rmmod vmbus_sim || bad "second unload"

if [ -e /sys/kernel/debug/kmemleak ]; then
	echo scan >/sys/kernel/debug/kmemleak
	sleep 5
	echo scan >/sys/kernel/debug/kmemleak
	if grep -q unreferenced /sys/kernel/debug/kmemleak; then
		cat /sys/kernel/debug/kmemleak
		bad "kmemleak reports"
	else
		step "kmemleak: nothing unreferenced"
	fi
fi
bad_re='WARNING:|BUG:|Oops|possible recursive locking|circular locking|KASAN'
dmesg | grep -E "$bad_re" && bad "kernel warnings"
[ $fail = 0 ] && step "all passed"
exit $fail
