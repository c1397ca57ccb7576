#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The software VMBus (vmbus_sim.ko) as the in-tree hv_netvsc sees it: the
# kernel's own driver loads against it with every symbol resolved and
# registers on the bus; hv_vmbus cannot be loaded beside it; unloading is
# refused while in use and clean afterwards, in a loop.
. "$(dirname "$0")/lib.sh"

sim=$HVNV_TOP/tools/testing/host/vmbus_sim/vmbus_sim.ko

need_sim() {
	[ -f "$sim" ] || ktap_skip "vmbus_sim.ko not built"
	# modules.dep lists hv_vmbus for hv_netvsc; vmbus_sim stands in for it
	mkdir -p /etc/modprobe.d
	echo "install hv_vmbus /bin/true" >/etc/modprobe.d/vmbus_sim.conf
}

loaded() { grep -q "^$1 " /proc/modules; }

t_bus() {
	need_sim
	insmod "$sim"
	[ -d /sys/bus/vmbus/devices ] || ktap_fail "no /sys/bus/vmbus/devices"
	[ -d /sys/bus/vmbus/drivers ] || ktap_fail "no /sys/bus/vmbus/drivers"
}

t_no_hv_vmbus() {
	need_sim
	local hv
	hv=$(modinfo -n hv_vmbus) || ktap_skip "no hv_vmbus.ko in the test kernel"
	if insmod "$hv" 2>/dev/null; then
		rmmod hv_vmbus
		ktap_fail "hv_vmbus loaded next to vmbus_sim"
	fi
	return 0
}

t_intree_loads() {
	need_sim
	seen=$(dmesg | wc -l)
	modprobe hv_netvsc
	[ -d /sys/bus/vmbus/drivers/hv_netvsc ] || ktap_fail "hv_netvsc not registered on the bus"
	if dmesg | tail -n +$((seen + 1)) | grep -i 'unknown symbol'; then
		ktap_fail "unresolved symbols"
	fi
	return 0
}

t_unload_order() {
	need_sim
	loaded hv_netvsc || ktap_fail "hv_netvsc not loaded (previous case failed?)"
	if rmmod vmbus_sim 2>/dev/null; then
		ktap_fail "vmbus_sim unloaded while hv_netvsc uses it"
	fi
	rmmod hv_netvsc
	rmmod vmbus_sim
	if modprobe hv_netvsc 2>/dev/null; then
		rmmod hv_netvsc
		ktap_fail "hv_netvsc loaded without a bus"
	fi
	return 0
}

t_reload_loop() {
	need_sim
	local i
	seen=$(dmesg | wc -l)
	for i in $(seq 10); do
		insmod "$sim"
		modprobe hv_netvsc
		rmmod hv_netvsc
		rmmod vmbus_sim
	done
	if dmesg | tail -n +$((seen + 1)) | grep -E 'WARNING|BUG|Oops|KASAN|leak'; then
		ktap_fail "kernel complained during the loop"
	fi
	return 0
}

cleanup() {
	loaded hv_netvsc && rmmod hv_netvsc
	loaded vmbus_sim && rmmod vmbus_sim
	rm -f /etc/modprobe.d/vmbus_sim.conf
}

ktap_plan 5
ktap_run bus_registered t_bus
ktap_run hv_vmbus_refused t_no_hv_vmbus
ktap_run intree_hv_netvsc_loads t_intree_loads
ktap_run unload_order t_unload_order
ktap_run reload_loop_x10 t_reload_loop
cleanup
ktap_finish
