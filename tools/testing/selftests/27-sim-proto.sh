#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Protocol corners of the host with the driver under test (HV_NETVSC_DRIVER,
# see sim.sh): a host that accepts an NVSP INIT only for one exact version
# (older Hyper-V), a host that picks its own send section size (good and
# hostile ones), and host RNDIS keepalives and reset indications.  What the
# host sees (its counters and negotiated state) and the traffic are
# asserted; where the drivers differ, each driver's real behaviour is.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sim.sh"

# The NVSP versions both drivers try, highest first (one INIT each).
NVSP_TRY="6.1 6 5 4 2 1"

# wait_stat ID NAME VALUE: host stat NAME of NIC ID becomes VALUE.
wait_stat() {
	local i v
	for ((i = 0; i < SIM_WAIT * 10; i++)); do
		v=$(sim_host_stat "$1" "$2")
		[ "$v" = "$3" ] && return 0
		sim_ssleep 0.1
	done
	sim_die "nic$1: host $2 is '$v' after ${SIM_WAIT}s, want '$3'"
}

# wait_klog TEXT: TEXT in the kernel log since the case began; prints it.
wait_klog() {
	local i l
	for ((i = 0; i < SIM_WAIT * 10; i++)); do
		l=$(ktap_klog_since "$KTAP_CASE_MARK" | grep -m 1 -- "$1") && { echo "$l"; return 0; }
		sim_ssleep 0.1
	done
	sim_die "no '$1' in the kernel log after ${SIM_WAIT}s"
}

# init_msgs ID: "COUNT ANSWERED" of the NVSP INITs the host got from NIC ID.
init_msgs() {
	local l
	l=$(grep '^nvsp INIT count=' "$SIM/nic$1/msg_log") || { echo "0 0"; return 0; }
	l=${l#*count=}
	echo "${l%% *} $(echo "$l" | sed 's/.*answered=\([0-9]*\).*/\1/')"
}

# eth_tx_ring ID DEV: ethtool -g's current TX count.
eth_tx_ring() {
	sim_in_ns "$1" ethtool -g "$2" | awk '/^Current/ {c=1} c && /^TX:/ {print $2; exit}'
}

# probe_refused ID TEXT: NIC ID's probe failed saying TEXT; no netdev is
# left, the device is bound to no driver, and the NIC can be removed.
probe_refused() {
	local id=$1 guid i
	guid=$(sim_nic_guid "$id")
	wait_klog "$2"
	# (the driver may still be unwinding the probe)
	for ((i = 0; i < SIM_WAIT * 10; i++)); do
		[ -e "/sys/bus/vmbus/devices/$guid/driver" ] || break
		sim_ssleep 0.1
	done
	[ ! -e "/sys/bus/vmbus/devices/$guid/driver" ] ||
		ktap_fail "nic$id: still bound to $(readlink "/sys/bus/vmbus/devices/$guid/driver") after a failed probe"
	if sim_nic_find_dev "$id" >/dev/null; then
		ktap_fail "nic$id: netdev $(sim_nic_find_dev "$id") exists after a failed probe"
	fi
	ktap_expect_eq "nic$id: host receive sections after the failed probe" \
		"$(sim_host_stat "$id" recv_sections)" 0
	sim_nic_del "$id"
}

# An older host answers an INIT only for min == max == one exact version:
# for each version the drivers know, they walk down to it (one refused
# INIT for each newer version), announce the NDIS version that goes with
# it, and pass traffic.  Below NVSP 5 there is no vRSS: one channel, and
# ethtool -L combined 2 fails.
t_nvsp_exact_versions() {
	local v n=0 dev want ndis max cur rc out
	sim_begin
	sim_pair_setup
	for v in $NVSP_TRY; do
		n=$((n + 1))
		sim_nic_new 2 "nvsp_exact=$v"
		dev=$(sim_nic_wait_dev 2)
		sim_dev_settle "$dev"
		sim_nic_to_ns 2 "$dev"
		ktap_expect_eq "nvsp_exact $v: host knob" "$(<"$SIM/nic2/nvsp_exact")" "$v"
		ktap_expect_eq "nvsp_exact $v: version negotiated" "$(sim_host_stat 2 nvsp_version)" "$v"
		ktap_expect_eq "nvsp_exact $v: INITs sent/answered" "$(init_msgs 2)" "$n $n"
		case $v in 6.1|6|5) ndis=6.30 ;; *) ndis=6.1 ;; esac
		ktap_expect_eq "nvsp_exact $v: NDIS version" "$(sim_host_stat 2 ndis_version)" "$ndis"
		read -r max cur <<<"$(sim_eth_channels 2 nic2)"
		case $v in
		6.1|6|5)
			want=$(nproc)
			[ "$want" -le 64 ] || want=64
			ktap_expect_eq "nvsp_exact $v: max combined" "$max" "$want"
			;;
		*)
			ktap_expect_eq "nvsp_exact $v: max/current combined" "$max $cur" "1 1"
			rc=0
			out=$(sim_nx 2 ethtool -L nic2 combined 2 2>&1) || rc=$?
			echo "nvsp $v: ethtool -L combined 2: rc $rc: $out"
			[ $rc -ne 0 ] || ktap_fail "nvsp_exact $v: ethtool -L combined 2 succeeded without vRSS"
			# (the core refuses it against max combined 1, for
			# both drivers alike)
			case "$out" in
			*"requested channel count exceeds maximum"*) ;;
			*) ktap_fail "nvsp_exact $v: ethtool -L combined 2 failed with '$out'" ;;
			esac
			ktap_expect_eq "nvsp_exact $v: channels after the refused -L" \
				"$(sim_eth_channels 2 nic2)" "1 1"
			;;
		esac
		sim_do_ping 0 "$(sim_nic_ip 2)" 3 -s 1472
		sim_do_ping 2 "$(sim_nic_ip 0)" 3
		sim_nic_del 2
	done
}

# A host that accepts no version: the probe fails with a clear error after
# one INIT per version, no netdev appears, nothing stays bound, the NIC can
# be removed, and the pair is untouched.
t_nvsp_exact_none() {
	local n err i
	sim_begin
	sim_pair_setup
	n=$(echo $NVSP_TRY | wc -w)
	sim_nic_new 2 nvsp_exact=none
	wait_stat 2 nvsp_version none
	for ((i = 0; i < SIM_WAIT * 10; i++)); do
		[ "$(init_msgs 2)" = "$n $n" ] && break
		sim_ssleep 0.1
	done
	ktap_expect_eq "INITs sent/answered" "$(init_msgs 2)" "$n $n"
	if [ "$HV_NETVSC_DRIVER" = ours ]; then
		err="host accepts no NVSP version"
	else
		err="unable to add netvsc device (ret -71)"
	fi
	probe_refused 2 "$err"
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
}

# The host chooses the send section size: 4096, 16384 and 4000 (not a
# multiple of 64; the protocol asks only for room for a minimal frame).
# The host checks every send-buffer send against its own layout: section
# index inside the buffer, bytes used within its section size.  Frames of
# the full MTU pass both ways; with MTU 9000 a frame larger than Hyper-V's
# 6144 goes into a 16384-byte section but never into a 4096 one; ethtool
# -g shows the host's section count.
t_send_section_sizes() {
	local size dev hp sends oob used bad0 bad1
	sim_begin
	sim_pair_setup
	hp=$(sim_host_port_setup)
	ip link set "$hp" mtu 9000
	for size in 4096 16384 4000; do
		sim_nic_new 2 "send_section=$size"
		dev=$(sim_nic_wait_dev 2)
		sim_dev_settle "$dev"
		sim_nic_to_ns 2 "$dev"
		bad0=$(sim_host_stat 2 bad_messages)
		ktap_expect_eq "section $size: host send_section_size" "$(sim_host_stat 2 send_section_size)" "$size"
		ktap_expect_eq "section $size: ethtool -g TX vs host sections" \
			"$(eth_tx_ring 2 nic2)" "$(sim_host_stat 2 send_sections)"
		sim_do_ping 0 "$(sim_nic_ip 2)" 5 -s 1472
		sim_do_ping 2 "$(sim_nic_ip 0)" 5 -s 1472
		sim_do_iperf 2 0 "$(sim_nic_ip 0)" >/dev/null
		ip -n hvs2 link set nic2 mtu 9000
		sim_wait_carrier 2 nic2 1
		sim_do_ping 2 "$SIM_HOST_IP" 3 -s 8000
		sends=$(sim_host_stat 2 tx_section_sends)
		oob=$(sim_host_stat 2 tx_section_oob)
		used=$(sim_host_stat 2 tx_section_max_used)
		bad1=$(sim_host_stat 2 bad_messages)
		echo "section $size: $(sim_host_stat 2 send_sections) sections; sends $sends, out of bounds $oob, most bytes used $used; bad messages $bad0 -> $bad1"
		[ "$sends" -gt 0 ] || ktap_fail "section $size: the driver never used the send buffer"
		ktap_expect_eq "section $size: sends outside the host's sections" "$oob" 0
		ktap_expect_eq "section $size: malformed messages" "$bad1" "$bad0"
		[ "$used" -le "$size" ] || ktap_fail "section $size: $used bytes in one section"
		if [ "$size" -gt 8100 ]; then
			[ "$used" -gt 6144 ] ||
				ktap_fail "section $size: no send used more than 6144 bytes of a section ($used)"
		fi
		sim_nic_del 2
	done
}

# Hostile section sizes: 0 (no frame fits) and 16 MiB (more than any send
# buffer).  Ours refuses both with a clear error and the probe fails
# cleanly; the in-tree driver refuses 0 the same way but takes 16 MiB as a
# buffer of no section and sends every frame by GPA (what netvsc_init_buf
# does: it checks only the lower bound).
t_send_section_hostile() {
	local size dev sends
	sim_begin
	sim_pair_setup
	for size in 0 16777216; do
		sim_nic_new 2 "send_section=$size"
		if [ "$HV_NETVSC_DRIVER" = ours ]; then
			probe_refused 2 "host rejected send buffer: status 1, section size $size for a"
		elif [ "$size" = 0 ]; then
			probe_refused 2 "invalid send_section_size 0"
		else
			dev=$(sim_nic_wait_dev 2)
			sim_dev_settle "$dev"
			sim_nic_to_ns 2 "$dev"
			ktap_expect_eq "section $size: host send sections" "$(sim_host_stat 2 send_sections)" 0
			sim_do_ping 0 "$(sim_nic_ip 2)" 3 -s 1472
			sim_do_ping 2 "$(sim_nic_ip 0)" 3
			sends=$(sim_host_stat 2 tx_section_sends)
			echo "in-tree with section $size: ethtool -g TX $(eth_tx_ring 2 nic2), section sends $sends"
			ktap_expect_eq "section $size: sends through a send section" "$sends" 0
			sim_nic_del 2
		fi
	done
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
}

# The host sends RNDIS KEEPALIVE requests.  Ours answers each with
# KEEPALIVE_C, same request id, status success; a flood is answered for the
# latest id at least (coalesced).  The in-tree driver answers none (it
# logs "unhandled rndis message").  Traffic flows throughout.
t_rndis_keepalive() {
	local i s0 a0 b0 s a b last e0 e1 k0 k1 c1 out tx rx lost
	sim_begin
	sim_pair_setup
	s0=$(sim_host_stat 0 keepalive_sent)
	a0=$(sim_host_stat 0 keepalive_answered)
	b0=$(sim_host_stat 0 keepalive_bad)
	e0=$(sim_eth_stat 0 rx_host_errors)
	k0=$(sim_eth_stat 0 rx_keepalives)
	sim_ping_window_start 0 "$(sim_nic_ip 1)"
	for i in 1 2 3 4 5; do
		sim_knob 0 rndis_keepalive 1
		if [ "$HV_NETVSC_DRIVER" = ours ]; then
			wait_stat 0 keepalive_answered $((a0 + i))
			ktap_expect_eq "keepalive $i: answered id" "$(sim_host_stat 0 keepalive_last_answered)" \
				"$(sim_host_stat 0 keepalive_last_sent)"
		fi
	done
	sim_knob 0 rndis_keepalive 200
	last=$(sim_host_stat 0 keepalive_last_sent)
	if [ "$HV_NETVSC_DRIVER" = ours ]; then
		wait_stat 0 keepalive_last_answered "$last"
	else
		wait_klog "unhandled rndis message (type 8 len 12)"
		sim_ssleep 1
	fi
	out=$(sim_ping_window_stop)
	read -r tx rx lost <<<"$out"
	s=$(sim_host_stat 0 keepalive_sent)
	a=$(sim_host_stat 0 keepalive_answered)
	b=$(sim_host_stat 0 keepalive_bad)
	e1=$(sim_eth_stat 0 rx_host_errors)
	k1=$(sim_eth_stat 0 rx_keepalives)
	c1=$(sim_eth_stat 0 rx_keepalives_coalesced)
	echo "host: sent $s0 -> $s, answered $a0 -> $a, bad $b0 -> $b, last sent $last answered $(sim_host_stat 0 keepalive_last_answered)"
	echo "guest: rx_keepalives $k0 -> $k1 (coalesced $c1), rx_host_errors $e0 -> $e1; pings $tx sent, $lost lost"
	grep -E 'drops|dropped|ring_full' "$SIM/nic0/stats" "$SIM/nic1/stats" | grep -v ' 0$' || true
	sim_nx 0 ethtool -S nic0 | grep -E 'drops|busy' | grep -v ' 0$' || true
	sim_nx 1 ethtool -S nic1 | grep -E 'drops|busy' | grep -v ' 0$' || true
	ktap_expect_eq "keepalives sent" $((s - s0)) 205
	ktap_expect_eq "bad keepalive answers" "$b" "$b0"
	ktap_expect_eq "pings lost during the keepalives" "$lost" 0
	if [ "$HV_NETVSC_DRIVER" = ours ]; then
		ktap_expect_eq "rx_keepalives counted" $((k1 - k0)) 205
		ktap_expect_eq "rx_host_errors" "$e1" "$e0"
		[ $((a - a0)) -ge 6 ] && [ $((a - a0)) -le 205 ] ||
			ktap_fail "$((a - a0)) answers to 205 keepalives, want 6..205"
	else
		ktap_expect_eq "keepalives answered by the in-tree driver" "$a" "$a0"
	fi
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
}

# The host indicates an adapter reset (RNDIS_STATUS_RESET_START, then
# _END): both drivers ignore these statuses; the link stays up, traffic
# flows, and ours counts no host error.
t_rndis_reset_indication() {
	local e0 e1
	sim_begin
	sim_pair_setup
	e0=$(sim_eth_stat 0 rx_host_errors)
	sim_knob 0 rndis_reset 1
	sim_ssleep 1
	sim_wait_carrier 0 nic0 1
	sim_do_ping 0 "$(sim_nic_ip 1)" 5
	e1=$(sim_eth_stat 0 rx_host_errors)
	ktap_expect_eq "rx_host_errors after a reset indication" "$e1" "$e0"
	ktap_expect_eq "host link" "$(<"$SIM/nic0/link")" 1
}

ktap_plan 7
sim_init
sim_run nvsp_exact_versions t_nvsp_exact_versions
sim_run nvsp_exact_none t_nvsp_exact_none
sim_run send_section_sizes t_send_section_sizes
sim_run send_section_hostile t_send_section_hostile
sim_run rndis_keepalive t_rndis_keepalive
sim_run rndis_reset_indication t_rndis_reset_indication
ktap_run module_unload sim_fini
ktap_finish
