#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Our hv_netvsc.ko as a module: it loads on the (simulated) VMBus, registers
# its driver, tells its version apart from the in-tree driver's, and unloads
# cleanly, repeatedly.
. "$(dirname "$0")/lib.sh"

ko=$HVNV_TOP/drivers/net/hyperv/hv_netvsc.ko
bus=$HVNV_TOP/tools/testing/host/vmbus_sim/vmbus_sim.ko

t_modinfo() {
	local v
	v=$(modinfo -F version "$ko")
	case "$v" in *-oot) ;; *) ktap_fail "version '$v' does not end in -oot" ;; esac
	# one version source: VERSION at the top of the tree
	ktap_expect_eq version "$v" "$(cat "$HVNV_TOP/VERSION")-oot"
	# the checkout it was built from (git describe), and modpost's source hash
	ktap_expect_eq scmversion "$(modinfo -F scmversion "$ko")" \
		"$(GIT_OPTIONAL_LOCKS=0 git -C "$HVNV_TOP" describe --always --dirty 2>/dev/null || echo unknown)"
	[ -n "$(modinfo -F srcversion "$ko")" ] || ktap_fail "no srcversion"
	ktap_expect_eq license "$(modinfo -F license "$ko")" GPL
}

t_load_unload() {
	local i
	[ -f "$bus" ] || ktap_skip "vmbus_sim.ko not built"
	seen=$(dmesg | wc -l)
	insmod "$bus"
	for i in 1 2 3 4 5; do
		insmod "$ko"
		ktap_expect_eq "sysfs version" "$(cat /sys/module/hv_netvsc/version)" \
			"$(modinfo -F version "$ko")"
		[ -d /sys/bus/vmbus/drivers/hv_netvsc ] || ktap_fail "driver not registered"
		rmmod hv_netvsc
	done
	rmmod vmbus_sim
	grep -q '^hv_netvsc ' /proc/modules && ktap_fail "still loaded"
	if dmesg | tail -n +$((seen + 1)) | grep -E 'WARNING|BUG|Oops|leak'; then
		ktap_fail "kernel complained"
	fi
	return 0
}

ktap_plan 2
ktap_run modinfo t_modinfo
ktap_run load_unload t_load_unload
ktap_finish
