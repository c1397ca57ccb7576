#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Hibernation on the simulated host, driven through the kernel's PM core:
# vmbus_sim calls each driver's suspend() at freeze and resume() at restore
# (noirq, as hv_vmbus), and between the two plays a host that the guest
# unloaded: it forgets every channel and offers each device again under a
# new relid, with a fresh NetVSP state.  The cycle is /sys/power/pm_test
# "core" + /sys/power/state "disk": every device phase of a real
# hibernation runs (freeze, freeze_late, freeze_noirq, restore_noirq,
# restore_early, restore), only the image write and the power-off are
# skipped: the harness gives the guest no swap device to write an image
# to.  vm_pm_keep.ko keeps the guest's own virtio devices (the 9p root has
# no restore) out of the cycle.  Both drivers run every case, but for the
# in-tree one the case where the host grants fewer subchannels at resume
# (its NAPI leak: sim_skip_intree_napi_leak in sim.sh).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sim.sh"

VMBUS_ROOT=/sys/devices/vmbus_sim
PM_KEEP_KO=$HVNV_TOP/tools/testing/harness/vm/pm_keep/vm_pm_keep.ko

# relid ID: the relid NIC ID's primary channel is offered under now
relid() { cat "/sys/bus/vmbus/devices/$(sim_nic_guid "$1")/id"; }

# host_channels: channels of NIC 0 the guest has open at the host
host_channels() { echo $(($(sim_host_stat 0 subchannels_open) + 1)); }
host_channels_are() { [ "$(host_channels)" = "$1" ]; }

# hibernate: one cycle through the PM core; the host must have been
# unloaded and must have re-offered once, with nothing left behind
hibernate() {
	local u0 r0 l0 rc=0
	sim_mod_loaded vm_pm_keep || insmod "$PM_KEEP_KO" || sim_die "insmod vm_pm_keep.ko failed"
	u0=$(<"$VMBUS_ROOT/pm_unloads")
	r0=$(<"$VMBUS_ROOT/pm_reoffers")
	l0=$(<"$VMBUS_ROOT/pm_leftovers")
	echo core >/sys/power/pm_test
	echo disk >/sys/power/state || rc=$?
	echo none >/sys/power/pm_test
	[ $rc = 0 ] || sim_die "hibernation cycle failed (echo disk: exit status $rc)"
	[ "$(<"$VMBUS_ROOT/pm_unloads")" = $((u0 + 1)) ] &&
		[ "$(<"$VMBUS_ROOT/pm_reoffers")" = $((r0 + 1)) ] ||
		sim_die "the cycle did not reach the host: unloads $u0 -> $(<"$VMBUS_ROOT/pm_unloads"), re-offers $r0 -> $(<"$VMBUS_ROOT/pm_reoffers")"
	[ "$(<"$VMBUS_ROOT/pm_leftovers")" = "$l0" ] ||
		sim_die "the driver left channels or GPADLs open at the unload (see the kernel log)"
}

# Traffic before and after; the host re-offered NIC 0 under a new relid.
t_hibernate_traffic() {
	local r0 r1
	sim_begin
	sim_pair_setup
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
	sim_do_iperf 0 1 "$(sim_nic_ip 1)"
	r0=$(relid 0)
	hibernate
	r1=$(relid 0)
	echo "NIC 0: relid $r0 before, $r1 after"
	[ "$r1" != "$r0" ] || ktap_fail "NIC 0 still has relid $r0 after the cycle"
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
	sim_do_iperf 0 1 "$(sim_nic_ip 1)"
	sim_do_iperf 1 0 "$(sim_nic_ip 0)"
}

# guest_view: what the user set on nic0 and can read back
guest_view() {
	sim_nx 0 ip -o link show nic0 | grep -oE 'mtu [0-9]+|link/ether [0-9a-f:]+|prog/xdp id [0-9]+'
	sim_nx 0 ethtool -l nic0 | sed -n '/^Current/,$p' | grep -E '^Combined'
	sim_nx 0 ethtool -g nic0 | sed -n '/^Current/,$p' | grep -E '^(RX|TX):'
	sim_nx 0 ethtool -x nic0 | grep -vE '^RSS hash function|^ +[a-z]+: (on|off)$'
	sim_nx 0 ethtool -k nic0 | grep -E '^(large-receive-offload|rx-checksumming|tx-checksumming|generic-receive-offload):'
}

# kept WHAT BEFORE AFTER: ours must keep it all.  The in-tree driver
# gives the host its default RSS table on resume, not the user's (what it
# does on Hyper-V too): the table's lines may differ for it, and are
# reported; anything else must be kept.
kept() {
	local rss='^ +[0-9]+:( +[0-9]+)+$|^nic[0-9]+ rss_table '
	[ "$2" = "$3" ] && return 0
	echo "$1 not kept across the cycle:"
	diff <(echo "$2") <(echo "$3") | grep '^[<>]'
	if [ "$HV_NETVSC_DRIVER" = intree ] &&
		[ "$(echo "$2" | grep -vE "$rss")" = "$(echo "$3" | grep -vE "$rss")" ]; then
		echo "(in-tree: only the RSS table, as documented)"
		return 0
	fi
	ktap_fail "$1 not kept"
}

# The user's settings, each one the host sees too (MTU, MAC, ring sizes as
# buffer sections, RSS key and table, LRO as RSC), kept across the cycle:
# the guest reads back what it read before, and the host was given the
# same configuration again.
t_settings_kept() {
	local g0 g1 h0 h1 rx tx
	sim_begin
	sim_pair_setup
	read -r rx tx <<<"$(sim_nx 0 ethtool -g nic0 | sed -n '/^Current/,$p' |
		awk '/^RX:/ {r = $2} /^TX:/ {t = $2} END {print r, t}')"
	sim_nx 0 ip link set nic0 mtu 4000
	# (the in-tree driver takes a new MAC only while down)
	sim_nx 0 ip link set nic0 down
	sim_nx 0 ip link set nic0 address 02:00:00:00:5a:00
	sim_nx 0 ip link set nic0 up
	sim_wait_carrier 0 nic0 1
	sim_nx 0 ethtool -G nic0 rx $((rx / 2)) tx $((tx / 2))
	sim_nx 0 ethtool -X nic0 weight 3 1 hkey 0f:1e:2d:3c:4b:5a:69:78:87:96:a5:b4:c3:d2:e1:f0:01:23:45:67:89:ab:cd:ef:fe:dc:ba:98:76:54:32:10:13:57:9b:df:24:68:ac:e0
	sim_nx 0 ethtool -K nic0 lro on
	sim_do_ping 0 "$(sim_nic_ip 1)" 3 -s 3000
	g0=$(guest_view)
	h0=$(sim_pair_state 0)
	echo "$g0"
	hibernate
	g1=$(guest_view)
	h1=$(sim_pair_state 0)
	kept "the guest's settings" "$g0" "$g1"
	kept "the host's configuration" "$h0" "$h1"
	sim_do_ping 0 "$(sim_nic_ip 1)" 3 -s 3000
	sim_do_iperf 1 0 "$(sim_nic_ip 0)"
	sim_cleanup_all
}

# The channel count the user chose, and an XDP program: kept, and the
# program still sees every frame (its drop counter grows by the pings
# it eats).
t_channels_xdp_kept() {
	local n g0 g1 d0 d1
	sim_begin
	sim_pair_setup
	n=$(sim_eth_channels 0 nic0 | cut -d' ' -f2)
	[ "$n" -ge 2 ] || ktap_skip "one channel only"
	sim_nx 0 ethtool -L nic0 combined $((n - 1))
	# (the in-tree driver runs XDP only without LRO)
	sim_nx 0 ethtool -K nic0 lro off
	sim_nx 0 python3 "$SIM_DIR/xdp_prog.py" nic0 drop || ktap_fail "XDP attach failed"
	g0=$(guest_view)
	hibernate
	g1=$(guest_view)
	kept "channels and XDP program" "$g0" "$g1"
	ktap_expect_eq "host: channels open" "$(host_channels)" $((n - 1))
	d0=$(sim_nx 0 ethtool -S nic0 | awk '/_xdp_drop:/ {s += $2} END {print s + 0}')
	# (no answer: the program drops them; no ARP either, so nic1 is told
	# nic0's address)
	ip -n hvs1 neigh replace "$(sim_nic_ip 0)" lladdr "$(sim_nic_mac 0)" dev nic1 nud permanent
	sim_in_ns 1 $SIM_PING -q -c 5 -i 0.2 -w 5 "$(sim_nic_ip 0)" >/dev/null 2>&1 || true
	d1=$(sim_nx 0 ethtool -S nic0 | awk '/_xdp_drop:/ {s += $2} END {print s + 0}')
	echo "XDP drops after the cycle: +$((d1 - d0))"
	if [ "$HV_NETVSC_DRIVER" = ours ] || grep -q prog/xdp <<<"$g1"; then
		[ $((d1 - d0)) -ge 5 ] || ktap_fail "the program dropped $((d1 - d0)) of 5 pings after the cycle"
	fi
	sim_nx 0 python3 "$SIM_DIR/xdp_prog.py" nic0 off
	ip -n hvs1 neigh del "$(sim_nic_ip 0)" dev nic1
	sim_do_ping 1 "$(sim_nic_ip 0)" 3
	sim_cleanup_all
}

# The host grants fewer subchannels after the cycle (one channel in all):
# the NIC comes back with what it got, traffic flows, ethtool -l says so;
# once the host grants again, the user gets the channels back.
t_fewer_subchannels() {
	local n
	sim_begin
	sim_skip_intree_napi_leak
	sim_pair_setup
	n=$(sim_eth_channels 0 nic0 | cut -d' ' -f2)
	[ "$n" -ge 2 ] || ktap_skip "one channel only"
	echo 0 >"$SIM/nic0/fault_subchannel_grant"
	hibernate
	sim_wait_for 10 host_channels_are 1 || true
	ktap_expect_eq "host: channels open" "$(host_channels)" 1
	ktap_expect_eq "ethtool -l combined" "$(sim_eth_channels 0 nic0 | cut -d' ' -f2)" 1
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
	sim_do_iperf 1 0 "$(sim_nic_ip 0)"
	echo -1 >"$SIM/nic0/fault_subchannel_grant"
	sim_nx 0 ethtool -L nic0 combined "$n" || ktap_fail "ethtool -L combined $n failed"
	sim_wait_for 10 host_channels_are "$n" || true
	ktap_expect_eq "host: channels open again" "$(host_channels)" "$n"
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
}

# The host refuses NVSP INIT after the cycle: resume fails with a clear
# error, the device stays (no traffic), and removing it is clean.
t_resume_refused() {
	local seen
	sim_begin
	sim_pair_setup
	seen=$(dmesg | wc -l)
	echo none >"$SIM/nic0/nvsp_exact"
	hibernate
	dmesg | tail -n +$((seen + 1)) | grep -E 'hv_netvsc|PM: .*hv_netvsc|vmbus' | head -20
	dmesg | tail -n +$((seen + 1)) | grep -qiE 'resume|restore' ||
		ktap_fail "no error in the kernel log for the failed resume"
	sim_in_ns 0 $SIM_PING -q -c 2 -i 0.2 -w 3 "$(sim_nic_ip 1)" >/dev/null 2>&1 &&
		ktap_fail "traffic through a NIC whose host refused it"
	echo off >"$SIM/nic0/nvsp_exact"
	echo 0 >"$SIM/del_nic" || ktap_fail "removing the NIC failed"
	sim_cleanup_all
}

# Five cycles in a row, traffic after each.
t_five_cycles() {
	local i
	sim_begin
	sim_pair_setup
	for i in 1 2 3 4 5; do
		hibernate
		sim_do_ping 0 "$(sim_nic_ip 1)" 3 >/dev/null
	done
	sim_do_iperf 0 1 "$(sim_nic_ip 1)"
}

t_pm_keep_unload() {
	sim_mod_loaded vm_pm_keep || return 0
	rmmod vm_pm_keep || ktap_fail "rmmod vm_pm_keep failed"
}

ktap_plan 8
sim_init
sim_run hibernate_traffic t_hibernate_traffic
sim_run settings_kept t_settings_kept
sim_run channels_xdp_kept t_channels_xdp_kept
sim_run fewer_subchannels t_fewer_subchannels
sim_run resume_refused t_resume_refused
sim_run five_cycles t_five_cycles
ktap_run module_unload sim_fini
ktap_run pm_keep_unload t_pm_keep_unload
ktap_finish
