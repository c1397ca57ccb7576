#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The simulated VFs themselves (vm/run --vf, what check boots its guests
# with), before any driver pairs them: each VF has its NIC's MAC, is driven
# by e1000e and sits in the numbered hot-plug slot the host will announce;
# its uplink is on the root bus; frames cross the QEMU hub between a VF and
# its uplink both ways; the host takes a VF away and gives it back (a hot
# remove and add through the slot) and nothing else changes.  No simulated
# NIC is needed, so this file runs once, not per driver.
. "$(dirname "$0")/lib.sh"
# shellcheck source=sim_vf.sh
. "$(dirname "$0")/sim_vf.sh"

# the namespaces that hold a VF and its uplink apart during a ping (in one
# namespace the kernel would answer itself without a frame on the wire)
VF_NS=hvf-vf
UP_NS=hvf-up
# iputils ping where installed, else busybox's
PING=ping
ping -V 2>/dev/null | grep -q iputils || PING="busybox ping"

need_vfs() {
	[ -n "$(sim_vf_ids)" ] || ktap_skip "guest booted without VFs (vm/run --vf)"
}

t_devices() {
	local id dev up mac slot addr
	need_vfs
	for id in $(sim_vf_ids); do
		dev=$(sim_vf_dev "$id") || ktap_fail "NIC $id: no VF netdev in slot $(sim_vf_slot "$id")"
		up=$(sim_vf_uplink "$id") || ktap_fail "NIC $id: no uplink netdev"
		mac=$(printf '02:00:00:00:00:%02x' "$id")
		ktap_expect_eq "NIC $id: VF $dev MAC" "$(<"/sys/class/net/$dev/address")" "$mac"
		ktap_expect_eq "NIC $id: VF $dev driver" \
			"$(basename "$(readlink -f "/sys/class/net/$dev/device/driver")")" e1000e
		# the slot the in-tree driver reads the serial from (pdev->slot)
		slot=$(sim_vf_slot "$id")
		read -r addr <"/sys/bus/pci/slots/$slot/address"
		ktap_expect_eq "NIC $id: VF's PCI device" "$(sim_vf_pci "$id")" "$addr.0"
		case "$(readlink -f "/sys/class/net/$up/device/..")" in
		*/pci0000:00/0000:00:*) ;;
		*) ktap_fail "NIC $id: uplink $up is not on the root bus" ;;
		esac
		echo "NIC $id: VF $dev ($mac, slot $slot, $addr.0), uplink $up"
	done
}

# carrier_on NS DEV: DEV (up) has its carrier within 10 s
carrier_on() {
	local i c
	for ((i = 0; i < 50 * ${HVNV_TIME_SCALE:-1}; i++)); do
		c=$(ip netns exec "$1" cat "/sys/class/net/$2/carrier" 2>/dev/null)
		[ "$c" = 1 ] && return 0
		sleep 0.2
	done
	ktap_fail "$2 has no carrier 10 s after it went up"
}

# hub_ping ID: VF and uplink of NIC ID in namespaces of their own, pinged
# both ways; the uplink's counters must show the frames.
hub_ping() {
	local id=$1 dev up rx0 rx1
	dev=$(sim_vf_dev "$id") || ktap_fail "NIC $id: no VF netdev"
	up=$(sim_vf_uplink "$id") || ktap_fail "NIC $id: no uplink"
	ip netns add $VF_NS
	ip netns add $UP_NS
	ip link set "$dev" netns $VF_NS
	ip link set "$up" netns $UP_NS
	ip -n $VF_NS addr add "10.78.$id.1/24" dev "$dev"
	ip -n $UP_NS addr add "10.78.$id.2/24" dev "$up"
	ip -n $VF_NS link set "$dev" up
	ip -n $UP_NS link set "$up" up
	carrier_on $VF_NS "$dev"
	carrier_on $UP_NS "$up"
	rx0=$(ip netns exec $UP_NS cat "/sys/class/net/$up/statistics/rx_packets")
	ip netns exec $VF_NS $PING -c 3 -W 10 "10.78.$id.2" >/dev/null ||
		ktap_fail "NIC $id: VF $dev cannot reach uplink $up"
	ip netns exec $UP_NS $PING -c 3 -W 10 "10.78.$id.1" >/dev/null ||
		ktap_fail "NIC $id: uplink $up cannot reach VF $dev"
	rx1=$(ip netns exec $UP_NS cat "/sys/class/net/$up/statistics/rx_packets")
	[ $((rx1 - rx0)) -ge 6 ] ||
		ktap_fail "NIC $id: the uplink received $((rx1 - rx0)) frames, want >= 6"
	echo "NIC $id: $dev <-> $up ok, uplink rx +$((rx1 - rx0))"
	vf_home
}

# vf_home: the VFs and uplinks go back to the initial namespace (at once:
# a deleted namespace gives its devices back only from a work item later),
# then the namespaces go.
vf_home() {
	local ns d
	for ns in $VF_NS $UP_NS; do
		[ -e "/run/netns/$ns" ] || continue
		for d in $(ip netns exec $ns sh -c 'ls /sys/class/net'); do
			case "$(ip netns exec $ns readlink -f "/sys/class/net/$d/device/driver")" in
			*/e1000e|*/virtio_net) ;;
			*) continue ;;
			esac
			ip -n $ns link set "$d" down
			ip -n $ns link set "$d" netns 1
		done
		ip netns del $ns
	done
	return 0
}

t_traffic() {
	local id
	need_vfs
	trap vf_home EXIT
	for id in $(sim_vf_ids); do
		hub_ping "$id"
	done
}

# away_and_back ID DEL ADD: NIC ID's VF taken away with DEL and given back
# with ADD; only the VF's netdev goes and comes, with its MAC, and it
# reaches its uplink again.
away_and_back() {
	local id=$1 del=$2 add=$3 ups before dev
	before=$(ls /sys/class/net | wc -l)
	ups=$(sim_vf_uplink "$id")
	$del "$id" || ktap_fail "NIC $id: $del failed"
	sim_vf_dev "$id" >/dev/null && ktap_fail "NIC $id: VF still there after the host took it"
	ktap_expect_eq "NIC $id: netdevs without the VF" "$(ls /sys/class/net | wc -l)" $((before - 1))
	ktap_expect_eq "NIC $id: uplink without the VF" "$(sim_vf_uplink "$id")" "$ups"
	$add "$id" || ktap_fail "NIC $id: $add failed"
	dev=$(sim_vf_wait_dev "$id") || ktap_fail "NIC $id: no VF netdev once given back"
	ktap_expect_eq "NIC $id: VF MAC once given back" \
		"$(<"/sys/class/net/$dev/address")" "$(printf '02:00:00:00:00:%02x' "$id")"
	hub_ping "$id"
}

# The removal the VF cases use: the guest's PCI core lets the device go
# (as pci-hyperv's eject does), a rescan finds it again.
t_eject_rescan() {
	local id
	need_vfs
	trap 'vf_home; for i in $(sim_vf_ids); do sim_vf_pci $i >/dev/null || sim_vf_plug $i; done' EXIT
	for id in $(sim_vf_ids); do
		away_and_back "$id" sim_vf_unplug sim_vf_plug
	done
}

# A hot remove and add through the slot (QEMU device_del / device_add,
# pciehp).  Not on a lockdep kernel: pciehp_unconfigure_device() retakes
# the slot's reset_lock under pci_rescan_remove_lock, lockdep reports it
# as a circular dependency (a report of the kernel's, not of ours) and
# then checks no other lock for the rest of the boot.
t_unplug_plug() {
	local id
	need_vfs
	[ ! -e /proc/lockdep ] ||
		ktap_skip "lockdep kernel: pciehp's removal has a lockdep report of its own (reset_lock under pci_rescan_remove_lock) that would turn lockdep off"
	trap 'vf_home; for i in $(sim_vf_ids); do sim_vf_pci $i >/dev/null || sim_vf_hot_add $i; done' EXIT
	for id in $(sim_vf_ids); do
		away_and_back "$id" sim_vf_hot_del sim_vf_hot_add
	done
}

ktap_plan 4
ktap_run devices t_devices
ktap_run traffic t_traffic
ktap_run eject_rescan t_eject_rescan
ktap_run unplug_plug t_unplug_plug
ktap_finish
