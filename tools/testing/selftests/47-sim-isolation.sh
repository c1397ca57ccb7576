#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The driver under test in a Confidential VM, as the simulated host plays
# one (vmbus_sim isolation mode, see Documentation/testing/vmbus_sim.rst):
# hv_is_isolation_supported() says true, GPADL pages are decrypted while
# shared, and the host reads nothing of the guest but bounce buffers and
# GPADLs.  The NIC comes up (RNDIS INIT reaches the host only through a
# mapped page), frames too large for a send section (sent by page ranges)
# arrive intact, NVSP below 6.1 is refused, and buffers the VMBus teardown
# could not re-encrypt are leaked, not freed.  The guest must have booted
# with swiotlb=force (tools/testing/harness/check does so).
HVNV_ISOLATION=${HVNV_ISOLATION:-snp}
[ "$HVNV_ISOLATION" != none ] || HVNV_ISOLATION=snp
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sim.sh"

PRIVATE_READS=/sys/devices/vmbus_sim/private_reads

iso_begin() {
	sim_begin
	grep -qw 'swiotlb=[0-9,]*force' /proc/cmdline ||
		ktap_skip "the guest did not boot with swiotlb=force"
}

# the host never had to refuse a read of private memory since $1
expect_no_private_reads() {
	local now
	read -r now <"$PRIVATE_READS"
	[ "$now" = "$1" ] ||
		ktap_fail "the host was given $((now - $1)) private page(s) to read (vmbus_sim private_reads $1 -> $now)"
}

# frames nic0 sent by page ranges, all queues (our driver's counters)
gpa_sends() {
	sim_nx 0 ethtool -S nic0 | awk '$1 ~ /^tx_queue_[0-9]+_gpa:$/ {s += $2} END {print s + 0}'
}

# NIC up: NVSP 6.1, RNDIS initialized (its request went in a bounce buffer),
# traffic both ways with the host port.
t_up() {
	local pr
	iso_begin
	read -r pr <"$PRIVATE_READS"
	sim_pair_setup
	sim_host_port_setup >/dev/null
	ktap_expect_eq "isolation mode" "$(</sys/module/vmbus_sim/parameters/isolation)" "$HVNV_ISOLATION"
	ktap_expect_eq "host: NVSP version" "$(sim_host_stat 0 nvsp_version)" 6.1
	ktap_expect_eq "host link" "$(<"$SIM/nic0/link")" 1
	sim_do_ping 0 "$SIM_HOST_IP" 3
	expect_no_private_reads "$pr"
}

# Frames above a send section go by page ranges: 9000-byte pings to the
# host port (its kernel answers only an ICMP message whose checksum, over
# every byte, is right) and TCP with 64 KiB TSO frames.
t_large_frames() {
	local hp pr gpa0 gpa out
	iso_begin
	sim_pair_setup
	hp=$(sim_host_port_setup)
	ip link set "$hp" mtu 9000
	ip -n hvs0 link set nic0 mtu 9000
	sim_wait_carrier 0 nic0 1
	read -r pr <"$PRIVATE_READS"
	gpa0=$(gpa_sends)
	out=$(sim_nx 0 $SIM_PING -c 3 -i 0.2 -w 15 -s 8972 -p a5 "$SIM_HOST_IP" 2>&1) || true
	grep -E 'transmitted' <<<"$out" || echo "$out"
	expect_no_private_reads "$pr"
	[ "$(sim_ping_counts <<<"$out")" = "3 3" ] ||
		ktap_fail "9000-byte pings to the host port: not all 3 answered"
	sim_do_iperf 0 "" "$SIM_HOST_IP"
	expect_no_private_reads "$pr"
	if [ "$HV_NETVSC_DRIVER" = ours ]; then
		gpa=$(gpa_sends)
		[ "$gpa" -gt "$gpa0" ] ||
			ktap_fail "no frame went by page ranges (tx_queue_N_gpa $gpa0 -> $gpa)"
		ktap_expect_eq "tx_dma_errors" "$(sim_eth_stat 0 tx_dma_errors)" 0
	fi
	ip -n hvs0 link set nic0 mtu 1500
	sim_wait_carrier 0 nic0 1
}

# The host offers at most NVSP 6: an isolated guest must not take it.
t_nvsp_below_61_refused() {
	local i refused='oldest version an isolated VM|Invalid NVSP version'
	iso_begin
	sim_nic_new 2 nvsp=6
	for i in $(seq $((SIM_WAIT * 2))); do
		ktap_klog_since "$KTAP_CASE_MARK" | grep -qE "$refused" && break
		sim_ssleep 0.5
	done
	ktap_klog_since "$KTAP_CASE_MARK" | grep -E 'hv_netvsc|vmbus' | head -5
	ktap_klog_since "$KTAP_CASE_MARK" | grep -qE "$refused" ||
		ktap_fail "no message that NVSP 6 is refused in an isolated VM"
	! sim_nic_find_dev 2 >/dev/null || ktap_fail "nic2 got a netdev with NVSP 6"
	sim_nic_del 2
}

# kmemleak reports listing hv_netvsc in their backtrace (0 without kmemleak)
kmemleak_netvsc() {
	[ -e /sys/kernel/debug/kmemleak ] || { echo 0; return; }
	grep -A16 'unreferenced object' /sys/kernel/debug/kmemleak | grep -c '\[hv_netvsc\]' || true
}

# VMBus could not re-encrypt the buffers at teardown: they stay shared
# with the host and must be leaked, said once each, and not be reported
# by kmemleak (which reports an object unreferenced in two scans in a row).
t_reencrypt_failure_leaks() {
	local n before
	[ "$HV_NETVSC_DRIVER" = ours ] ||
		ktap_skip "the in-tree driver leaks them without a message (Documentation/networking/hv_netvsc.rst)"
	iso_begin
	before=$(kmemleak_netvsc)
	sim_nic_new 2
	sim_nic_wait_dev 2 >/dev/null
	echo 1 >/sys/module/vmbus_sim/parameters/fault_reencrypt
	sim_nic_del 2
	echo 0 >/sys/module/vmbus_sim/parameters/fault_reencrypt
	ktap_klog_since "$KTAP_CASE_MARK" | grep 'leaked' || true
	n=$(ktap_klog_since "$KTAP_CASE_MARK" | grep -c 'buffer still shared with the host after the GPADL teardown (not re-encrypted)' || true)
	ktap_expect_eq "buffers leaked with a message (send + receive)" "$n" 2
	if [ -e /sys/kernel/debug/kmemleak ]; then
		echo scan >/sys/kernel/debug/kmemleak
		sim_ssleep 5
		echo scan >/sys/kernel/debug/kmemleak
		n=$(kmemleak_netvsc)
		[ "$n" = "$before" ] ||
			ktap_fail "kmemleak reports the leaked buffers: $(grep -B2 -A14 'unreferenced object' /sys/kernel/debug/kmemleak | head -40)"
	fi
}

ktap_plan 5
sim_init
sim_run up t_up
sim_run large_frames t_large_frames
sim_run nvsp_below_61_refused t_nvsp_below_61_refused
sim_run reencrypt_failure_leaks t_reencrypt_failure_leaks
ktap_run module_unload sim_fini
ktap_finish
