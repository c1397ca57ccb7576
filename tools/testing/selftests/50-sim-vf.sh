#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Accelerated networking on the simulated host: the host announces NIC 8's
# VF (the e1000e of vm/run --vf 8, in slot 9) with SEND_VF_ASSOCIATION, the
# driver pairs it and switches the data path, and frames then go both ways
# through the VF and its uplink, which the host joined to its switch; a
# withdrawal (allocated = 0) waits for the guest to switch back, and the
# host's hot removal takes the VF away.  The in-tree driver is the
# conformance peer: what it does here is what it does on Hyper-V.  Ours
# switches back as soon as the host withdraws the VF, before it is gone;
# the in-tree driver only once the VF goes down, so the host's timeout
# switches for it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sim.sh"

# NIC 8 has the VF (check boots its guests with --vf 8,9: the pair's NICs
# 0 and 1 have none, so the other files run without a VF that could join
# them); nic1 of the pair is its peer.
N=8

# vf_begin: the pair, and NIC 8 in hvs8 with its VF taken away (the cases
# give it back when they need it) and its uplink joined to the switch
vf_begin() {
	sim_begin
	case " $(sim_vf_ids) " in
	*" $N "*) ;;
	*) ktap_skip "guest booted without a VF for NIC $N (vm/run --vf $N)" ;;
	esac
	sim_pair_setup
	if sim_vf_pci $N >/dev/null; then
		sim_vf_unplug $N
	fi
	sim_nic_setup $N
	sim_vf_attach $N
}

# vf_end: no VF left joined, the host's VF state back to its defaults; the
# VF stays away until no driver can take it (vfs_back), or the driver
# would join it again by its MAC.  sim_case_end then deletes NIC 8.
vf_end() {
	if sim_vf_pci $N >/dev/null 2>&1; then
		sim_vf_unplug $N
	fi
	if [ -d "$SIM/nic$N" ]; then
		echo 1000 >"$SIM/nic$N/vf_revoke_timeout_ms"
		echo 0 >"$SIM/nic$N/fault_vf_switch_ignore"
		echo $((N + 1)) >"$SIM/nic$N/vf_serial"
		[ "$(<"$SIM/nic$N/vf")" = 0 ] || echo 0 >"$SIM/nic$N/vf"
		sim_vf_detach $N
	fi
	sim_case_end
}

# host_vf STAT: a VF counter of NIC 8 from the host's stats
host_vf() { sim_host_stat $N "vf_$1"; }

joined_vf() { sim_vf_joined $N; }
data_path_is() { sim_vf_path_is $N "$1"; }
no_vf_joined() { ! joined_vf >/dev/null; }
switch_ignored_above() { [ "$(host_vf switch_ignored)" -gt "$1" ]; }

# the driver's counter NAME from ethtool -S nic8
eth_vf() { sim_nx $N ethtool -S nic$N | awk -v n="$1:" '$1 == n {print $2}'; }

# The VF comes (hot add after the association), is joined and carries the
# traffic both ways; withdrawn, the host waits for the guest, then it
# removes the VF and the synthetic path carries on.
t_join_and_withdraw() {
	local vf s0 r0 t0
	vf_begin
	trap vf_end EXIT
	s0=$(host_vf assoc_sent)
	echo 1 >"$SIM/nic$N/vf"
	ktap_expect_eq "host: associations sent" "$(host_vf assoc_sent)" $((s0 + 1))
	sim_vf_plug $N
	sim_wait_for 20 joined_vf >/dev/null || ktap_fail "no VF joined to nic$N"
	vf=$(joined_vf)
	echo "joined: $vf"
	sim_wait_for 20 data_path_is vf ||
		ktap_fail "host data path: $(<"$SIM/nic$N/data_path"), want vf"
	# the in-tree driver switches when the VF is up, sends through it
	# once it has carrier (e1000e's link comes some seconds later)
	sim_wait_carrier $N "$vf" 1
	r0=$(host_vf to_guest_packets)
	t0=$(host_vf from_guest_packets)
	sim_do_ping 1 "$(sim_nic_ip $N)" 5
	echo "host: to the guest +$(($(host_vf to_guest_packets) - r0)), from it +$(($(host_vf from_guest_packets) - t0)); driver: vf_rx_packets $(eth_vf vf_rx_packets), vf_tx_packets $(eth_vf vf_tx_packets)"
	ktap_expect_eq "frames to the guest through the VF >= 5" \
		"$(($(host_vf to_guest_packets) - r0 >= 5))" 1
	ktap_expect_eq "frames from the guest through the VF >= 5" \
		"$(($(host_vf from_guest_packets) - t0 >= 5))" 1
	[ "$(eth_vf vf_rx_packets)" -ge 5 ] || ktap_fail "the driver's vf_rx_packets is below 5"
	[ "$(eth_vf vf_tx_packets)" -ge 5 ] || ktap_fail "the driver's vf_tx_packets is below 5"
	# withdrawal: ours switches back at once; the in-tree driver keeps
	# the VF path until the VF goes, and the host's timeout switches
	echo 3000 >"$SIM/nic$N/vf_revoke_timeout_ms"
	t0=$(host_vf revoke_timeouts)
	s0=$(host_vf switch_to_synthetic)
	echo 0 >"$SIM/nic$N/vf"
	ktap_expect_eq "host data path after the withdrawal" "$(<"$SIM/nic$N/data_path")" synthetic
	if [ "$HV_NETVSC_DRIVER" = ours ]; then
		ktap_expect_eq "host revoke timeouts" "$(host_vf revoke_timeouts)" "$t0"
		ktap_expect_eq "switches back to synthetic" "$(host_vf switch_to_synthetic)" $((s0 + 1))
	else
		ktap_expect_eq "host revoke timeouts" "$(host_vf revoke_timeouts)" $((t0 + 1))
	fi
	sim_vf_unplug $N
	sim_wait_for 20 no_vf_joined || ktap_fail "the VF is still joined after the host removed it"
	r0=$(host_vf to_guest_packets)
	sim_do_ping 1 "$(sim_nic_ip $N)" 3
	ktap_expect_eq "frames through the VF once it is gone" "$(host_vf to_guest_packets)" "$r0"
}

# A VF the host never announced: both drivers take it by its MAC (as the
# in-tree driver does for VFs without slot information).  Ours does not
# ask for the VF path without an association, and frames keep the
# synthetic path.  The in-tree driver, once the VF is up, waits for the
# association without a bound, RTNL held (netvsc_vf_changed(): the guest
# hangs), and then asks for the VF path, which the host completes and
# does not carry out.
t_switch_without_vf() {
	local i0 v0
	[ "$HV_NETVSC_DRIVER" != intree ] || [ -n "${HVNV_KNOWN_HANG:-}" ] ||
		ktap_skip "in-tree hv_netvsc waits forever, RTNL held, for an association that never comes once a VF without one is up (HVNV_KNOWN_HANG=1 runs it)"
	vf_begin
	trap vf_end EXIT
	i0=$(host_vf switch_ignored)
	v0=$(host_vf switch_to_vf)
	sim_vf_plug $N
	sim_wait_for 20 joined_vf >/dev/null || ktap_fail "no VF joined to nic$N (MAC fallback)"
	if [ "$HV_NETVSC_DRIVER" = intree ]; then
		sim_wait_for 20 switch_ignored_above "$i0" || ktap_fail "no ignored switch to the VF"
	else
		sleep 2
		ktap_expect_eq "switch requests ignored" "$(host_vf switch_ignored)" "$i0"
	fi
	ktap_expect_eq "switches to the VF" "$(host_vf switch_to_vf)" "$v0"
	ktap_expect_eq "host data path" "$(<"$SIM/nic$N/data_path")" synthetic
	sim_do_ping 1 "$(sim_nic_ip $N)" 3
}

# Re-attaches with a VF joined.  An MTU change goes to the VF first.  A
# ring change (-G) re-attaches without touching the VF: the host starts the
# new session on the synthetic path, and ours switches to the VF again;
# the in-tree driver keeps its cached data path and does not (the host
# then delivers synthetic while it sends through the VF).
t_reattach_with_vf() {
	local vf v0 r0 rx
	vf_begin
	trap vf_end EXIT
	sim_vf_ready $N 1
	vf=$(joined_vf)
	sim_nx $N ip link set "nic$N" mtu 1400
	ktap_expect_eq "VF MTU" "$(sim_nx $N cat "/sys/class/net/$vf/mtu")" 1400
	ktap_expect_eq "host: the NIC's MTU" "$(sim_host_stat $N ndis_mtu)" 1400
	sim_wait_carrier $N "$vf" 1
	[ "$HV_NETVSC_DRIVER" = intree ] || sim_wait_for 20 data_path_is vf ||
		ktap_fail "host data path after the MTU change: $(<"$SIM/nic$N/data_path"), want vf"
	v0=$(host_vf switch_to_vf)
	rx=$(sim_nx $N ethtool -g "nic$N" | awk '/^Current/ {c = 1} c && /^RX:/ {print $2; exit}')
	sim_nx $N ethtool -G "nic$N" rx $((rx / 2))
	ktap_expect_eq "host: receive sections" "$(sim_host_stat $N recv_sections)" $((rx / 2))
	if [ "$HV_NETVSC_DRIVER" = ours ]; then
		sim_wait_for 20 data_path_is vf ||
			ktap_fail "host data path after -G: $(<"$SIM/nic$N/data_path"), want vf"
		ktap_expect_eq "switches to the VF" "$(host_vf switch_to_vf)" $((v0 + 1))
	else
		sleep 2
		ktap_expect_eq "host data path after -G" "$(<"$SIM/nic$N/data_path")" synthetic
		ktap_expect_eq "switches to the VF" "$(host_vf switch_to_vf)" "$v0"
	fi
	r0=$(host_vf to_guest_packets)
	sim_do_ping 1 "$(sim_nic_ip $N)" 3
	echo "host: to the guest through the VF +$(($(host_vf to_guest_packets) - r0))"
	if [ "$HV_NETVSC_DRIVER" = ours ]; then
		[ $(($(host_vf to_guest_packets) - r0)) -ge 3 ] ||
			ktap_fail "frames to the guest through the VF after -G: $(($(host_vf to_guest_packets) - r0)), want >= 3"
	fi
}

# removal planned|surprise ROUND: the VF taken away under the streams
# (sim_vf_removal); traffic must have taken the VF before, and the
# synthetic path carries it after.
removal() {
	local how=$1 r=$2
	sim_vf_removal $N 1 "$how"
	echo "$how removal, round $r ($SIM_VF_REMOVAL_MS ms): to nic$N $SIM_GOT_AB received, $SIM_LOST_AB lost at the removal ($SIM_LOST_ALL_AB in all), gap $SIM_GAP_AB ms; from nic$N $SIM_GOT_BA received, $SIM_LOST_BA lost at the removal ($SIM_LOST_ALL_BA in all), gap $SIM_GAP_BA ms; the guest switched back $SIM_VF_SWITCHED time(s), the host's timeout $SIM_VF_TIMEOUTS"
	ktap_expect_eq "round $r: host data path after the removal" "$(<"$SIM/nic$N/data_path")" synthetic
	sim_wait_for 20 no_vf_joined || ktap_fail "round $r: the VF is still joined after the host removed it"
	[ "$SIM_AFTER_AB$SIM_AFTER_BA" = 11 ] ||
		ktap_fail "round $r: a stream stopped at the removal (to nic$N: $SIM_AFTER_AB, from it: $SIM_AFTER_BA)"
	# Ours switches back itself, on the withdrawal before the VF goes
	# (planned), or as the VF goes down (surprise).  What the streams lost
	# depends on the machine's load as much as on the driver: the
	# benchmark (make bench, instruction-counted) measures it.
	if [ "$HV_NETVSC_DRIVER" = ours ]; then
		ktap_expect_eq "round $r: switches back the guest asked for" "$SIM_VF_SWITCHED" 1
		ktap_expect_eq "round $r: withdrawals the host's timeout ended" "$SIM_VF_TIMEOUTS" 0
	fi
	sim_vf_plug $N
}

# Planned removal, two rounds: ours is on the synthetic path before the
# VF goes.  Both drivers' gaps and losses are printed (make bench measures
# them in three instruction-counted rounds).
t_planned_removal() {
	local r
	vf_begin
	trap 'sim_streams_kill; vf_end' EXIT
	echo 2000 >"$SIM/nic$N/vf_revoke_timeout_ms"
	for r in 1 2; do
		removal planned $r
	done
}

# Surprise removal, two rounds: ours switches back as the VF goes down;
# gaps and losses printed.
t_surprise_removal() {
	local r
	vf_begin
	trap 'sim_streams_kill; vf_end' EXIT
	echo 2000 >"$SIM/nic$N/vf_revoke_timeout_ms"
	for r in 1 2; do
		removal surprise $r
	done
}

# Channel changes and XDP with the VF joined.  -L shrinks and grows the
# channels: ours comes back to the VF path after each change; the in-tree
# driver keeps its cached data path after a re-attach (reattach_with_vf),
# printed only.  e1000e cannot run an XDP program: while one is attached,
# ours keeps the data path synthetic so the program sees every frame, and
# returns to the VF when it is detached; the in-tree driver leaves the
# data path on the VF, whose frames then bypass the program (printed).
t_channels_xdp_with_vf() {
	local ch t0 n
	vf_begin
	trap 'sim_nx $N python3 "$SIM_DIR/xdp_prog.py" nic$N off >/dev/null 2>&1; vf_end' EXIT
	sim_vf_ready $N 1
	read -r _ ch <<<"$(sim_eth_channels $N "nic$N")"
	for n in 1 "$ch"; do
		sim_nx $N ethtool -L "nic$N" combined "$n"
		ktap_expect_eq "channels" "$(sim_eth_channels $N "nic$N" | cut -d' ' -f2)" "$n"
		if [ "$HV_NETVSC_DRIVER" = ours ]; then
			sim_wait_for 20 data_path_is vf ||
				ktap_fail "host data path after -L combined $n: $(<"$SIM/nic$N/data_path"), want vf"
		fi
		echo "-L combined $n: host data path $(<"$SIM/nic$N/data_path")"
		sim_do_ping 1 "$(sim_nic_ip $N)" 3 >/dev/null
	done
	# (the in-tree driver refuses a program while LRO is on)
	[ "$HV_NETVSC_DRIVER" = ours ] || sim_nx $N ethtool -K "nic$N" lro off
	sim_nx $N python3 "$SIM_DIR/xdp_prog.py" "nic$N" pass ||
		ktap_fail "XDP program not attached to nic$N"
	if [ "$HV_NETVSC_DRIVER" = ours ]; then
		sim_wait_for 20 data_path_is synthetic ||
			ktap_fail "host data path with an XDP program the VF cannot run: $(<"$SIM/nic$N/data_path"), want synthetic"
		t0=$(host_vf to_guest_packets)
		sim_do_ping 1 "$(sim_nic_ip $N)" 3 >/dev/null
		ktap_expect_eq "frames to nic$N through the VF with XDP attached" \
			"$(host_vf to_guest_packets)" "$t0"
	else
		sleep 2
		sim_do_ping 1 "$(sim_nic_ip $N)" 3 >/dev/null
	fi
	echo "XDP attached: host data path $(<"$SIM/nic$N/data_path")"
	sim_nx $N python3 "$SIM_DIR/xdp_prog.py" "nic$N" off ||
		ktap_fail "XDP program not detached"
	[ "$HV_NETVSC_DRIVER" != ours ] || sim_wait_for 20 data_path_is vf ||
		ktap_fail "host data path once XDP is detached: $(<"$SIM/nic$N/data_path"), want vf"
	sim_do_ping 1 "$(sim_nic_ip $N)" 3 >/dev/null
}

# a feature's state ("on"/"off") in ethtool -k DEV (in hvs8)
feature_of() {
	sim_nx $N ethtool -k "$1" | awk -v f="$2:" '$1 == f {print $2; exit}'
}

# Offload settings and link settings with the VF joined (both drivers):
# ethtool -K on the NIC reaches the VF, and ethtool shows the VF's link.
t_features_link_with_vf() {
	local vf s
	vf_begin
	trap 'sim_nx $N ethtool -K nic$N tso on >/dev/null 2>&1; vf_end' EXIT
	sim_vf_ready $N 1
	vf=$(joined_vf)
	s=$(sim_nx $N ethtool "$vf" | awk '/Speed:/ {print $2}')
	ktap_expect_eq "nic$N's speed is the VF's" \
		"$(sim_nx $N ethtool "nic$N" | awk '/Speed:/ {print $2}')" "$s"
	ktap_expect_eq "VF TSO before" "$(feature_of "$vf" tcp-segmentation-offload)" on
	sim_nx $N ethtool -K "nic$N" tso off
	ktap_expect_eq "VF TSO after tso off on nic$N" "$(feature_of "$vf" tcp-segmentation-offload)" off
	sim_nx $N ethtool -K "nic$N" tso on
	ktap_expect_eq "VF TSO after tso on on nic$N" "$(feature_of "$vf" tcp-segmentation-offload)" on
	echo "nic$N: speed $s (the VF's), TSO followed off and on"
}

# A switch to the VF the host completes and does not carry out
# (fault_vf_switch_ignore): the guest cannot tell (the completion carries
# no status), sends through the VF while the host still delivers
# synthetic, and nothing is lost either way.
t_switch_refused() {
	local i0 t0 r0
	vf_begin
	trap vf_end EXIT
	i0=$(host_vf switch_ignored)
	echo 1 >"$SIM/nic$N/fault_vf_switch_ignore"
	echo 1 >"$SIM/nic$N/vf"
	sim_vf_plug $N
	sim_wait_for 20 joined_vf >/dev/null || ktap_fail "no VF joined to nic$N"
	sim_wait_for 20 switch_ignored_above "$i0" || ktap_fail "no switch to the VF reached the host"
	sim_wait_carrier $N "$(joined_vf)" 1
	ktap_expect_eq "host data path" "$(<"$SIM/nic$N/data_path")" synthetic
	t0=$(host_vf from_guest_packets)
	r0=$(host_vf to_guest_packets)
	sim_do_ping 1 "$(sim_nic_ip $N)" 5
	ktap_expect_eq "frames to the guest through the VF" "$(host_vf to_guest_packets)" "$r0"
	echo "host: from the guest through the VF +$(($(host_vf from_guest_packets) - t0))"
}

# An association that names a slot with no device (vf_serial): nothing
# joins, the data path stays synthetic; the VF that then comes in its own
# slot joins by its MAC and takes the data path.
t_empty_slot() {
	local v0
	vf_begin
	trap vf_end EXIT
	echo 20 >"$SIM/nic$N/vf_serial"
	v0=$(host_vf switch_to_vf)
	echo 1 >"$SIM/nic$N/vf"
	sleep 2
	no_vf_joined || ktap_fail "a VF joined for an empty slot"
	ktap_expect_eq "switches to the VF with no VF" "$(host_vf switch_to_vf)" "$v0"
	sim_do_ping 1 "$(sim_nic_ip $N)" 3
	sim_vf_plug $N
	sim_wait_for 20 joined_vf >/dev/null || ktap_fail "the VF in slot 9 did not join by its MAC"
	sim_wait_for 20 data_path_is vf ||
		ktap_fail "host data path: $(<"$SIM/nic$N/data_path"), want vf"
	sim_wait_carrier $N "$(joined_vf)" 1
	sim_do_ping 1 "$(sim_nic_ip $N)" 3
}

# IFF_SLAVE of netdev DEV in NIC 8's namespace: 1 or 0
vf_is_slave() {
	local f
	f=$(sim_nx $N cat "/sys/class/net/$1/flags") || return 1
	echo $(((f & 0x800) != 0))
}

# The driver goes and comes back with the VF joined: the VF stays, on its
# own; the new NIC finds the VF already there (present at probe, in the
# initial namespace), joins it again and switches the data path to it.
t_reload_with_vf() {
	local vf dev
	vf_begin
	trap vf_end EXIT
	sim_vf_ready $N 1
	vf=$(joined_vf)
	sim_drv_unload
	sim_nx $N test -e "/sys/class/net/$vf" ||
		ktap_fail "VF $vf is not in hvs$N after the driver went"
	sim_nx $N test -e "/sys/class/net/$vf/master" &&
		ktap_fail "VF $vf still has a master after the driver went"
	ktap_expect_eq "host data path without a driver" "$(<"$SIM/nic$N/data_path")" synthetic
	# where a VF is when the driver loads at boot: the initial namespace
	# (the in-tree driver looks for one only in its NIC's namespace)
	sim_nx $N ip link set "$vf" netns 1
	sim_drv_load
	dev=$(sim_nic_wait_dev $N)
	sim_dev_settle "$dev"
	sim_nic_to_ns $N "$dev"
	sim_pair_back
	sim_wait_for 20 joined_vf >/dev/null || ktap_fail "the VF present at probe was not joined"
	# (a VF that moved between namespaces has a new name)
	vf=$(joined_vf)
	ktap_expect_eq "the PCI device of the VF joined after the reload" \
		"$(basename "$(sim_nx $N readlink -f "/sys/class/net/$vf/device")")" "$(sim_vf_pci $N)"
	sim_wait_for 20 data_path_is vf ||
		ktap_fail "host data path after the reload: $(<"$SIM/nic$N/data_path"), want vf"
	sim_wait_carrier $N "$vf" 1
	sim_do_ping 1 "$(sim_nic_ip $N)" 3
}

# The host removes the NIC while its VF is joined: the VF is let go (no
# longer a slave, no master) and stays in the NIC's namespace.  The
# in-tree driver leaves IFF_SLAVE set on the VF it lets go (its
# netvsc_unregister_vf() unlinks it and clears nothing else): a known
# failure.
t_nic_remove_with_vf() {
	local vf
	vf_begin
	trap vf_end EXIT
	sim_vf_ready $N 1
	vf=$(joined_vf)
	sim_nic_del $N
	sim_nx $N test -e "/sys/class/net/$vf" ||
		ktap_fail "VF $vf is gone with its NIC"
	ktap_expect_eq "VF $vf a slave once its NIC is gone" "$(vf_is_slave "$vf")" 0
	sim_nx $N test -e "/sys/class/net/$vf/master" &&
		ktap_fail "VF $vf still has a master"
	return 0
}

# The VFs come back once no driver can take them.
t_vfs_back() {
	local id
	for id in $(sim_vf_ids); do
		sim_vf_pci "$id" >/dev/null || sim_vf_plug "$id"
	done
}

ktap_plan 13
sim_init
sim_run join_and_withdraw t_join_and_withdraw
sim_run switch_without_vf t_switch_without_vf
sim_run reattach_with_vf t_reattach_with_vf
sim_run planned_removal t_planned_removal
sim_run surprise_removal t_surprise_removal
sim_run channels_xdp_with_vf t_channels_xdp_with_vf
sim_run features_link_with_vf t_features_link_with_vf
sim_run switch_refused t_switch_refused
sim_run empty_slot t_empty_slot
sim_run reload_with_vf t_reload_with_vf
[ "$HV_NETVSC_DRIVER" != intree ] ||
	ktap_todo "in-tree hv_netvsc leaves IFF_SLAVE set on a VF it lets go"
sim_run nic_remove_with_vf t_nic_remove_with_vf
ktap_run module_unload sim_fini
ktap_run vfs_back t_vfs_back
ktap_finish
