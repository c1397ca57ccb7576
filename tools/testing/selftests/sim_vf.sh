# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The simulated VFs of accelerated networking (vm/run --vf LIST): for NIC id
# N an e1000e "VF" with the NIC's MAC in PCIe hot-plug slot N+1, and its
# "uplink", a virtio-net on the root bus with MAC 02:00:00:00:f0:NN at the
# other end of the same QEMU hub: what the VF sends, the uplink receives,
# and the other way round.  netvsp_sim attaches the uplink to its switch as
# the VF's port.  Sourced by sim.sh and by files that need no simulated NIC.

# sim_vf_ids: the NIC ids the guest has VFs for (vm/run's hvnv.vf=), space
# separated; empty without --vf.
sim_vf_ids() {
	local w
	for w in $(</proc/cmdline); do
		case "$w" in hvnv.vf=*) echo "${w#hvnv.vf=}" | tr ',' ' '; return ;; esac
	done
}

# sim_vf_slot ID: the PCI slot number of NIC ID's VF (the serial the host
# announces with the VF association).
sim_vf_slot() { echo $(($1 + 1)); }

# sim_vf_pci ID: PCI address of NIC ID's VF; fails while the slot is off.
sim_vf_pci() {
	local s=/sys/bus/pci/slots/$(($1 + 1)) a
	[ -r "$s/address" ] || return 1
	read -r a <"$s/address"
	[ -d "/sys/bus/pci/devices/$a.0" ] || return 1
	echo "$a.0"
}

# sim_vf_dev ID: NIC ID's VF netdev (in the initial namespace); fails if none.
sim_vf_dev() {
	local p d
	p=$(sim_vf_pci "$1") || return 1
	for d in /sys/bus/pci/devices/"$p"/net/*; do
		[ -e "$d" ] && { echo "${d##*/}"; return 0; }
	done
	return 1
}

# sim_vf_uplink ID: the netdev at the host end of NIC ID's VF; fails if none.
sim_vf_uplink() {
	local want d a
	want=$(printf '02:00:00:00:f0:%02x' "$1")
	for d in /sys/class/net/*; do
		read -r a <"$d/address" 2>/dev/null || continue
		[ "$a" = "$want" ] && { echo "${d##*/}"; return 0; }
	done
	return 1
}

# sim_vf_host del|add ID: ask the host (vm/run, over the control directory)
# to take NIC ID's VF away or give it back (QEMU device_del / device_add, a
# hot remove or add through the slot, as Hyper-V does it).  A removal
# returns once QEMU saw the guest let the device go.
sim_vf_host() {
	local op=$1 id=$2 seq ack rc msg i
	seq=${EPOCHREALTIME/./}
	echo "$seq $op $id" >/run/vmctl/vf-req.tmp
	mv /run/vmctl/vf-req.tmp /run/vmctl/vf-req
	for ((i = 0; i < 900 * ${HVNV_TIME_SCALE:-1}; i++)); do
		if [ -r /run/vmctl/vf-ack ] && read -r ack rc msg </run/vmctl/vf-ack &&
		   [ "$ack" = "$seq" ]; then
			[ "$rc" = 0 ] && return 0
			echo "host: $op of NIC $id's VF failed: $msg" >&2
			return 1
		fi
		sleep 0.1
	done
	echo "host: no answer to '$op' of NIC $id's VF" >&2
	return 1
}

# sim_vf_hot_del ID: the host takes NIC ID's VF away through its slot (QEMU
# device_del: pciehp's attention button, then the removal); the device is
# gone from QEMU too.
sim_vf_hot_del() {
	sim_vf_host del "$1" || return 1
	! sim_vf_pci "$1" >/dev/null ||
		{ echo "NIC $1: the VF's PCI device is still there" >&2; return 1; }
}

# sim_vf_hot_add ID: the host gives NIC ID's VF back through its slot (QEMU
# device_add); waits until e1000e has it.
sim_vf_hot_add() {
	sim_vf_host add "$1" || return 1
	sim_vf_wait_driver "$1"
}

# sim_vf_wait_driver ID: until e1000e drives NIC ID's VF (30 s)
sim_vf_wait_driver() {
	local i p
	for ((i = 0; i < 150 * ${HVNV_TIME_SCALE:-1}; i++)); do
		p=$(sim_vf_pci "$1") && [ -e "/sys/bus/pci/devices/$p/driver" ] &&
			return 0
		sleep 0.2
	done
	echo "NIC $1: no VF driver $((30 * ${HVNV_TIME_SCALE:-1})) s after the host added it" >&2
	return 1
}

# sim_vf_unplug ID: the host takes NIC ID's VF away as Hyper-V does it:
# its PCI pass-through channel goes, and the guest's PCI core removes the
# device (pci-hyperv's eject is pci_stop_and_remove_bus_device_locked(),
# which is what the device's sysfs "remove" runs).  Nothing warns the
# driver of the synthetic NIC; whether the host withdrew the VF first
# (allocated = 0) is up to the caller.  The device stays in QEMU, on its
# hub, unused, until sim_vf_plug.  (sim_vf_hot_del goes through pciehp,
# whose removal path has a lockdep report of its own in 6.12.)
sim_vf_unplug() {
	local p
	p=$(sim_vf_pci "$1") || { echo "NIC $1: no VF to take away" >&2; return 1; }
	echo 1 >"/sys/bus/pci/devices/$p/remove"
	! sim_vf_pci "$1" >/dev/null ||
		{ echo "NIC $1: the VF's PCI device is still there" >&2; return 1; }
}

# sim_vf_plug ID: the host gives NIC ID's VF back: the guest finds it on a
# rescan of its slot's bus (pci-hyperv scans a new bus); waits until e1000e
# has it.  Its netdev comes a little later, and may go to another namespace
# at once (a driver that joins the VF moves it to its NIC's):
# sim_vf_wait_dev waits for it in this one.
sim_vf_plug() {
	local a
	read -r a <"/sys/bus/pci/slots/$(sim_vf_slot "$1")/address" ||
		{ echo "NIC $1: no slot $(sim_vf_slot "$1")" >&2; return 1; }
	echo 1 >"/sys/class/pci_bus/${a%:*}/rescan"
	sim_vf_wait_driver "$1"
}

# sim_vf_wait_dev ID: NIC ID's VF netdev, once it is there (30 s)
sim_vf_wait_dev() {
	local i
	for ((i = 0; i < 150 * ${HVNV_TIME_SCALE:-1}; i++)); do
		sim_vf_dev "$1" && return 0
		sleep 0.2
	done
	echo "NIC $1: no VF netdev" >&2
	return 1
}

# sim_vf_attach ID: the simulated host takes NIC ID's uplink as the VF's
# port (nicID/vf_uplink).  The uplink itself says nothing: no IPv6 (its
# router and neighbour solicitations would reach the guest's VF).
sim_vf_attach() {
	local up
	up=$(sim_vf_uplink "$1") || { echo "NIC $1 has no VF uplink (vm/run --vf)" >&2; return 1; }
	echo 1 >"/proc/sys/net/ipv6/conf/$up/disable_ipv6"
	echo "$up" >"$SIM/nic$1/vf_uplink"
}

# sim_vf_detach ID: the host lets NIC ID's uplink go.
sim_vf_detach() {
	echo >"$SIM/nic$1/vf_uplink"
}

# The VF with a simulated NIC (these need sim.sh).

# sim_wait_for SECONDS CMD...: until CMD succeeds (x HVNV_TIME_SCALE)
sim_wait_for() {
	local t=$1 i
	shift
	for ((i = 0; i < t * 5 * ${HVNV_TIME_SCALE:-1}; i++)); do
		"$@" && return 0
		sleep 0.2
	done
	return 1
}

# sim_vf_joined ID: the VF netdev NIC ID's driver joined (nicID's lower
# device, in hvsID); fails if none
sim_vf_joined() {
	local l
	for l in $(sim_nx "$1" ls "/sys/class/net/nic$1/" 2>/dev/null); do
		case "$l" in lower_*) echo "${l#lower_}"; return 0 ;; esac
	done
	return 1
}

# sim_vf_path_is ID vf|synthetic: the host's data path of NIC ID is that
sim_vf_path_is() { [ "$(<"$SIM/nic$1/data_path")" = "$2" ]; }

# sim_vf_ready ID PEER: NIC ID's VF announced, there, joined, the data
# path on it with carrier, and PEER's neighbour entry resolved (a ping)
sim_vf_ready() {
	echo 1 >"$SIM/nic$1/vf"
	sim_vf_pci "$1" >/dev/null || sim_vf_plug "$1" || return 1
	sim_wait_for 20 sim_vf_joined "$1" >/dev/null ||
		sim_die "no VF joined to nic$1" || return 1
	sim_wait_for 20 sim_vf_path_is "$1" vf ||
		sim_die "host data path of nic$1: $(<"$SIM/nic$1/data_path"), want vf" || return 1
	sim_wait_carrier "$1" "$(sim_vf_joined "$1")" 1
	sim_do_ping "$2" "$(sim_nic_ip "$1")" 3 >/dev/null
}

# sim_vf_removal ID PEER planned|surprise: NIC ID's VF taken away under
# numbered UDP streams to and from PEER (sim_streams_start PEER ID), 2 s
# into them.  Planned: the host withdraws the VF first (allocated = 0, then
# it waits up to vf_revoke_timeout_ms for the guest to switch back) and
# removes it then; surprise: it removes it with the data path on the VF
# and withdraws it afterwards.  Fails if the streams did not take the VF
# before.  Sets SIM_VF_REMOVAL_MS, SIM_VF_SWITCHED (switches back to
# synthetic the guest asked for: before the removal when planned, by its
# end when not), SIM_VF_TIMEOUTS (withdrawals the host ended itself) and
# the sim_streams_end variables (AB: to the NIC, BA: from it); the VF
# stays away.
# shellcheck disable=SC2034 # its SIM_VF_* variables are for the caller
sim_vf_removal() {
	local id=$1 peer=$2 how=$3 v0 f0 s0 o0 t0 t1 secs=$((60 * ${HVNV_TIME_SCALE:-1}))
	sim_vf_ready "$id" "$peer" || return 1
	v0=$(sim_host_stat "$id" vf_to_guest_packets)
	f0=$(sim_host_stat "$id" vf_from_guest_packets)
	sim_streams_start "$peer" "$id" "$secs" || return 1
	sleep $((2 * ${HVNV_TIME_SCALE:-1}))
	[ $(($(sim_host_stat "$id" vf_to_guest_packets) - v0)) -ge 100 ] ||
		sim_die "the stream to nic$id does not go through the VF" || return 1
	[ $(($(sim_host_stat "$id" vf_from_guest_packets) - f0)) -ge 100 ] ||
		sim_die "the stream from nic$id does not go through the VF" || return 1
	s0=$(sim_host_stat "$id" vf_switch_to_synthetic)
	o0=$(sim_host_stat "$id" vf_revoke_timeouts)
	t0=$(date +%s%N)
	[ "$how" = surprise ] || echo 0 >"$SIM/nic$id/vf"
	# planned: the switches back the guest asked for before the removal
	SIM_VF_SWITCHED=$(($(sim_host_stat "$id" vf_switch_to_synthetic) - s0))
	sim_vf_unplug "$id" || return 1
	t1=$(date +%s%N)
	if [ "$how" = surprise ]; then
		# the ones it asked for as the VF went
		SIM_VF_SWITCHED=$(($(sim_host_stat "$id" vf_switch_to_synthetic) - s0))
		echo 0 >"$SIM/nic$id/vf"
	fi
	SIM_VF_TIMEOUTS=$(($(sim_host_stat "$id" vf_revoke_timeouts) - o0))
	sim_streams_end "$t0" "$t1" || return 1
	SIM_VF_REMOVAL_MS=$(((t1 - t0) / 1000000))
}
