#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The test guest itself: the right kernel, the host's tools, a writable root,
# the checkout, the test kernel's modules, network namespaces with veth.
. "$(dirname "$0")/lib.sh"

t_kernel() {
	local rel
	rel=$(uname -r)
	[ -f "/lib/modules/$rel/modules.dep" ] || fail "no modules.dep for $rel"
	zcat /proc/config.gz | grep -qx 'CONFIG_HYPERV=m' || fail "not the test kernel config"
	zcat /proc/config.gz | grep -q '^CONFIG_MODVERSIONS=y' && fail "MODVERSIONS is on"
	echo "kernel $rel"
}

t_tools() {
	local t
	for t in ethtool iperf3 ip python3 bash modprobe; do
		command -v "$t" >/dev/null || fail "$t missing in the guest"
	done
	ethtool --version
	iperf3 --version | head -1
}

t_writable_root() {
	echo probe >/etc/hvnv-probe && rm /etc/hvnv-probe
	echo probe >"$HVNV_TOP/.hvnv-probe" && rm "$HVNV_TOP/.hvnv-probe"
}

t_intree_peer() {
	local f
	f=$(modinfo -n hv_netvsc) || fail "modinfo hv_netvsc failed"
	case "$f" in */kernel/drivers/net/hyperv/hv_netvsc.ko*) ;; *) fail "unexpected $f" ;; esac
	grep -q '^hv_vmbus ' /proc/modules && fail "hv_vmbus must never be loaded"
	echo "$f"
}

t_veth_iperf() {
	ip netns add hvnv-a
	ip netns add hvnv-b
	ip link add va netns hvnv-a type veth peer name vb netns hvnv-b
	ip -n hvnv-a addr add 10.99.0.1/24 dev va
	ip -n hvnv-b addr add 10.99.0.2/24 dev vb
	ip -n hvnv-a link set va up
	ip -n hvnv-b link set vb up
	ip netns exec hvnv-b iperf3 -s -1 -D -B 10.99.0.2
	sleep 0.5
	local bps
	bps=$(ip netns exec hvnv-a iperf3 -c 10.99.0.2 -t 1 -J |
	      python3 -c 'import json,sys; print(int(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]))')
	ip netns del hvnv-a
	ip netns del hvnv-b
	echo "veth: $bps bit/s"
	[ "$bps" -gt 0 ] || fail "no traffic over veth"
}

ktap_plan 5
ktap_run kernel t_kernel
ktap_run tools t_tools
ktap_run writable_root t_writable_root
ktap_run intree_peer t_intree_peer
ktap_run veth_iperf3 t_veth_iperf
ktap_finish
