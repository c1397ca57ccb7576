#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The simulated VFs themselves (vm/run --vf, what check boots its guests
# with), before any driver pairs them: each VF has its NIC's MAC, is driven
# by e1000e and sits in the numbered hot-plug slot the host will announce;
# its uplink is on the root bus.  No simulated NIC is needed, so this file
# runs once, not per driver.
. "$(dirname "$0")/lib.sh"
# shellcheck source=sim_vf.sh
. "$(dirname "$0")/sim_vf.sh"

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

ktap_plan 1
ktap_run devices t_devices
ktap_finish
