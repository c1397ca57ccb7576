#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# XDP on a synthetic NIC of the simulated Hyper-V host under the driver
# under test (HV_NETVSC_DRIVER, see sim.sh), in native mode: every action
# (DROP, PASS, TX, ABORTED, REDIRECT and an invalid one) with exact
# per-queue counts (LISA's xdp suites sum rx_queue_N_xdp_drop), the MTU
# limit of a one-page frame (LISA's verify_xdp_with_different_mtu uses
# 1500, 2000 and 3506), LRO while a program runs, the program across
# channel, ring and MTU changes, and attach/detach under load.
#
# Frames come from the host port (initial namespace) to nic0 with static
# neighbour entries on both sides, so nothing but the test's own frames
# reaches the program.  xdp_prog.py loads and attaches the programs.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sim.sh"

XDP_PROG="$(dirname "$0")/xdp_prog.py"
XDP_HP=

# xdp ACTION|off: attach a program to nic0 (native mode) or detach it
xdp() { sim_nx 0 python3 "$XDP_PROG" nic0 "$1"; }

xdp_attached() { ip -n hvs0 link show nic0 | grep -q 'prog/xdp'; }

# xdp_count NAME: the sum over nic0's queues of rx/tx_queue_N_NAME
xdp_count() {
	sim_nx 0 ethtool -S nic0 |
		awk -v n="$1" '$1 ~ ("^[rt]x_queue_[0-9]+_" n ":$") {s += $2; k++}
			       END {if (k) print s; else print "none"}'
}

hp_rx() { cat "/sys/class/net/$XDP_HP/statistics/rx_packets"; }

# The pair, the host port, and neighbour entries host port <-> nic0.  The
# in-tree driver refuses XDP while LRO is on: it is switched off for it.
xdp_setup() {
	sim_pair_setup
	XDP_HP=$(sim_host_port_setup)
	ip neigh replace "$(sim_nic_ip 0)" lladdr "$(sim_nic_mac 0)" dev "$XDP_HP" nud permanent
	ip -n hvs0 neigh replace "$SIM_HOST_IP" \
		lladdr "$(cat "/sys/class/net/$XDP_HP/address")" dev nic0 nud permanent
	: >/tmp/hvs-xdp-neigh
	if [ "$HV_NETVSC_DRIVER" = intree ] && [ "$(lro_state)" = on ]; then
		sim_nx 0 ethtool -K nic0 lro off
		: >/tmp/hvs-xdp-lro
	fi
	echo "nic0 counters: xdp_drop $(xdp_count xdp_drop), xdp_tx $(xdp_count xdp_tx)"
}

# Undo xdp_setup and detach (a passing case; a failing one loses the pair).
xdp_done() {
	xdp off
	xdp_attached && ktap_fail "nic0 still has an XDP program after detach"
	ip -n hvs0 neigh del "$SIM_HOST_IP" dev nic0
	[ -e /tmp/hvs-xdp-lro ] && sim_nx 0 ethtool -K nic0 lro on
	return 0
}

lro_state() { sim_nx 0 ethtool -k nic0 | awk '/^large-receive-offload:/ {print $2}'; }

# host_pings N [ping args]: N pings from the host port to nic0, no
# replies expected; prints how many came back.
host_pings() {
	local n=$1 out tx rx
	shift
	out=$(sim_ping "" -c "$n" -i 0.1 -W 1 -w $((2 + n / 5)) -I "$XDP_HP" "$@" "$(sim_nic_ip 0)" 2>&1) || true
	read -r tx rx <<<"$(sim_ping_counts <<<"$out")"
	[ "$tx" = "$n" ] || sim_die "sent $tx of $n pings: $out"
	echo "$rx"
}

# expect_delta WHAT NAME BEFORE WANT: xdp_count NAME grew by exactly WANT
expect_delta() {
	local now
	now=$(xdp_count "$2")
	[ "$now" != none ] || ktap_fail "ethtool -S nic0 has no rx/tx_queue_N_$2"
	ktap_expect_eq "$1: $2 grew by" $((now - $3)) "$4"
}

# XDP_DROP: five pings, none answered, rx_queue_*_xdp_drop +5 exactly;
# detached, pings are answered again and the counter stays.
t_xdp_drop() {
	local d0 got
	sim_begin
	xdp_setup
	sim_do_ping "" "$(sim_nic_ip 0)" 3 -I "$XDP_HP"
	d0=$(xdp_count xdp_drop)
	xdp drop
	xdp_attached || ktap_fail "no prog/xdp in ip link after the attach"
	ip -n hvs0 link show nic0 | grep -o 'prog/xdp.*'
	got=$(host_pings 5)
	ktap_expect_eq "replies with XDP_DROP" "$got" 0
	expect_delta "5 pings under XDP_DROP" xdp_drop "$d0" 5
	xdp off
	sim_do_ping "" "$(sim_nic_ip 0)" 5 -I "$XDP_HP"
	expect_delta "after detach" xdp_drop "$d0" 5
	xdp_done
}

# XDP_ABORTED and an invalid action drop and count like XDP_DROP.
t_xdp_aborted_invalid() {
	local d0 got
	sim_begin
	xdp_setup
	d0=$(xdp_count xdp_drop)
	xdp aborted
	got=$(host_pings 5)
	ktap_expect_eq "replies with XDP_ABORTED" "$got" 0
	expect_delta "5 pings under XDP_ABORTED" xdp_drop "$d0" 5
	xdp invalid
	got=$(host_pings 3)
	ktap_expect_eq "replies with an invalid action" "$got" 0
	expect_delta "3 more pings, invalid action" xdp_drop "$d0" 8
	xdp_done
	sim_do_ping "" "$(sim_nic_ip 0)" 3 -I "$XDP_HP"
}

# XDP_PASS: the stack gets every frame (TCP from nic1 on all queues, and
# pings), nothing counted as dropped.
t_xdp_pass() {
	local d0 rx0 rx1
	sim_begin
	xdp_setup
	d0=$(xdp_count xdp_drop)
	rx0=$(sim_nx 0 cat /sys/class/net/nic0/statistics/rx_packets)
	xdp pass
	sim_do_ping "" "$(sim_nic_ip 0)" 5 -I "$XDP_HP"
	sim_do_iperf 1 0 "$(sim_nic_ip 0)" -P 4
	rx1=$(sim_nx 0 cat /sys/class/net/nic0/statistics/rx_packets)
	[ $((rx1 - rx0)) -gt 100 ] || ktap_fail "nic0 rx_packets grew by $((rx1 - rx0)) under XDP_PASS"
	expect_delta "XDP_PASS" xdp_drop "$d0" 0
	xdp_done
}

# xdp_bounce ACTION "COUNTER...": a program that swaps the MAC addresses
# and sends the frame back; ten pings from the host port come back to it as
# they were sent (so no reply), each counted once in every COUNTER.
xdp_bounce() {
	local c h0 got
	local -A c0
	sim_begin
	xdp_setup
	for c in $2; do c0[$c]=$(xdp_count "$c"); done
	xdp "$1"
	h0=$(hp_rx)
	got=$(host_pings 10)
	ktap_expect_eq "echo replies with XDP $1" "$got" 0
	ktap_expect_eq "frames back at the host port" $(($(hp_rx) - h0)) 10
	for c in $2; do
		expect_delta "10 pings sent back ($1)" "$c" "${c0[$c]}" 10
	done
	xdp_done
	sim_do_ping "" "$(sim_nic_ip 0)" 3 -I "$XDP_HP"
}

# XDP_TX: out on the queue the frame came in on.
t_xdp_tx() { xdp_bounce tx xdp_tx; }

# XDP_REDIRECT to nic0 itself: out through ndo_xdp_xmit.
t_xdp_redirect() { xdp_bounce redirect "xdp_redirect xdp_xmit"; }

# MTU 1500, 2000 and 3506 (the most a 4 KiB page holds) under XDP_DROP,
# pings of MTU-28 bytes dropped and counted; attaching at 3507 is refused
# with a message; ours also refuses to raise the MTU past 3506 while the
# program runs.
t_xdp_mtu() {
	local d0 m got err
	sim_begin
	xdp_setup
	[ "$(getconf PAGESIZE)" = 4096 ] || ktap_skip "page size $(getconf PAGESIZE): limits differ"
	xdp drop
	for m in 1500 2000 3506; do
		ip link set "$XDP_HP" mtu "$m"
		ip -n hvs0 link set nic0 mtu "$m" || ktap_fail "MTU $m with XDP attached refused"
		ktap_expect_eq "nic0 mtu" "$(sim_nx 0 cat /sys/class/net/nic0/mtu)" "$m"
		xdp_attached || ktap_fail "XDP program gone after MTU $m"
		d0=$(xdp_count xdp_drop)
		got=$(host_pings 5 -s $((m - 28)))
		ktap_expect_eq "replies at MTU $m" "$got" 0
		expect_delta "5 pings of $((m - 28)) bytes at MTU $m" xdp_drop "$d0" 5
	done
	if [ "$HV_NETVSC_DRIVER" = ours ]; then
		if err=$(ip -n hvs0 link set nic0 mtu 3507 2>&1); then
			ktap_fail "MTU 3507 accepted with XDP attached"
		fi
		echo "MTU 3507 with XDP: $err"
		ktap_expect_eq "nic0 mtu" "$(sim_nx 0 cat /sys/class/net/nic0/mtu)" 3506
	fi
	xdp off
	ip -n hvs0 link set nic0 mtu 3507
	if err=$(xdp drop 2>&1); then
		ktap_fail "XDP attached at MTU 3507"
	fi
	echo "$err"
	case "$err" in *MTU*|*mtu*) ;; *) ktap_fail "no word of the MTU in the refusal: $err" ;; esac
	xdp_attached && ktap_fail "a program is attached after the refusal"
	ip -n hvs0 link set nic0 mtu 1500
	ip link set "$XDP_HP" mtu 1500
	sim_wait_carrier 0 nic0 1
	xdp_done
	sim_do_ping "" "$(sim_nic_ip 0)" 3 -I "$XDP_HP"
}

# LRO and XDP: ours turns LRO off while a program is attached and back on
# after (ethtool -k shows it off, "requested on"); the in-tree driver
# refuses the attach while LRO is on.
t_xdp_lro() {
	local l err r0 r1
	sim_begin
	sim_pair_setup
	l=$(sim_nx 0 ethtool -k nic0 | grep '^large-receive-offload:')
	case "$l" in *fixed*) ktap_fail "LRO is fixed ('$l') though the host offers RSC by default" ;; esac
	ktap_expect_eq "LRO before" "$(lro_state)" on
	if [ "$HV_NETVSC_DRIVER" = intree ]; then
		if err=$(xdp drop 2>&1); then
			xdp off
			ktap_fail "in-tree attached XDP with LRO on"
		fi
		echo "in-tree: $err"
		case "$err" in *"XDP: not support LRO"*) ;; *) ktap_fail "in-tree refused XDP, but not for LRO: $err" ;; esac
		return 0
	fi
	xdp pass
	sim_nx 0 ethtool -k nic0 | grep '^large-receive-offload:'
	ktap_expect_eq "LRO with XDP attached" "$(lro_state)" off
	r0=$(xdp_count rsc_packets)
	sim_do_iperf 1 0 "$(sim_nic_ip 0)"
	expect_delta "TCP under XDP (the host no longer coalesces)" rsc_packets "$r0" 0
	xdp off
	ktap_expect_eq "LRO after detach" "$(lro_state)" on
	r0=$(xdp_count rsc_packets)
	sim_do_iperf 1 0 "$(sim_nic_ip 0)"
	r1=$(xdp_count rsc_packets)
	echo "coalesced packets after detach: $((r1 - r0))"
	[ $((r1 - r0)) -gt 0 ] || ktap_fail "no coalesced packets once LRO is back"
	sim_nx 0 ethtool -K nic0 lro off
	xdp pass
	xdp off
	ktap_expect_eq "LRO after detach (user had it off)" "$(lro_state)" off
	sim_nx 0 ethtool -K nic0 lro on
	ktap_expect_eq "LRO on again" "$(lro_state)" on
}

# The program stays attached and keeps counting through -L, -G and an MTU
# change (each re-attaches or reshapes the device).
t_xdp_survives_reconfig() {
	local max cur rx d0 got step
	sim_begin
	xdp_setup
	read -r max cur <<<"$(sim_eth_channels 0 nic0)"
	rx=$(sim_nx 0 ethtool -g nic0 | awk '/^RX:/ {v[n++]=$2} END {print v[1]}')
	xdp drop
	for step in "ethtool -L nic0 combined $((cur > 1 ? cur - 1 : 1))" \
		    "ethtool -G nic0 rx $((rx / 2))" \
		    "ip link set nic0 mtu 2000" \
		    "ethtool -L nic0 combined $cur" \
		    "ethtool -G nic0 rx $rx" \
		    "ip link set nic0 mtu 1500"; do
		# shellcheck disable=SC2086
		sim_nx 0 $step || ktap_fail "$step failed"
		sim_dev_settle nic0 0
		sim_wait_carrier 0 nic0 1
		xdp_attached || ktap_fail "XDP program gone after '$step'"
		d0=$(xdp_count xdp_drop)
		got=$(host_pings 3)
		ktap_expect_eq "replies after '$step'" "$got" 0
		expect_delta "3 pings after '$step'" xdp_drop "$d0" 3
	done
	ktap_expect_eq "channels back" "$(sim_eth_channels 0 nic0)" "$max $cur"
	xdp_done
	sim_do_ping "" "$(sim_nic_ip 0)" 3 -I "$XDP_HP"
}

# Attach and detach XDP_PASS while iperf3 -P4 runs from nic1: ten times,
# or as many as fit in the first three quarters of the stream.  One
# xdp_prog.py process does all of them, started and ready before the
# stream (a process start costs seconds under TCG, and more on a debug
# kernel, which also gets a longer stream).  The stream survives and
# outlasts the cycles, nothing is dropped by XDP, the kernel stays quiet.
t_xdp_swap_under_load() {
	local d0 out=/tmp/hvs-xdp-iperf.out pid secs=8 n=0 ready='' cyc co ci
	local scale=${HVNV_TIME_SCALE:-1}
	[ "$scale" -gt 1 ] && secs=$((16 * scale))
	sim_begin
	xdp_setup
	d0=$(xdp_count xdp_drop)
	coproc XDP_CYC { sim_nx 0 python3 "$XDP_PROG" nic0 pass 10 $((secs * 3 / 4 - 1)); }
	# bash closes the coprocess's descriptors when it reaps it: copies
	cyc=$XDP_CYC_PID
	exec {co}<&"${XDP_CYC[0]}" {ci}>&"${XDP_CYC[1]}"
	read -r -t $((60 * scale)) ready <&"$co" || true
	[ "$ready" = ready ] || ktap_fail "xdp_prog.py not ready: '$ready'"
	sim_nx 0 iperf3 -s -1 -D -B "$(sim_nic_ip 0)" -I /tmp/hvs-xdp-srv.pid
	sleep 0.5
	sim_nx 1 timeout $((secs + 60)) iperf3 -c "$(sim_nic_ip 0)" -t "$secs" -P 4 >"$out" 2>&1 &
	pid=$!
	sleep 1
	echo go >&"$ci"
	read -r -t $((secs + 60 * scale)) n <&"$co" || true
	exec {co}<&- {ci}>&-
	wait "$cyc" || ktap_fail "attach/detach cycles failed"
	echo "attach/detach cycles under load: $n"
	kill -0 "$pid" 2>/dev/null ||
		ktap_fail "iperf3 ended before the cycles did (not under load)"
	[ "${n:-0}" -ge 1 ] 2>/dev/null || ktap_fail "no attach/detach cycle in ${secs} s of iperf3"
	wait $pid || { cat "$out"; ktap_fail "iperf3 failed while XDP came and went"; }
	grep -E 'SUM.*receiver' "$out"
	expect_delta "XDP_PASS coming and going" xdp_drop "$d0" 0
	xdp_done
}

ktap_plan 10
sim_init
sim_run xdp_drop t_xdp_drop
sim_run xdp_aborted_invalid t_xdp_aborted_invalid
sim_run xdp_pass t_xdp_pass
sim_run xdp_tx t_xdp_tx
sim_run xdp_redirect t_xdp_redirect
sim_run xdp_mtu t_xdp_mtu
sim_run xdp_lro t_xdp_lro
sim_run xdp_survives_reconfig t_xdp_survives_reconfig
sim_run xdp_swap_under_load t_xdp_swap_under_load
ktap_run module_unload sim_fini
ktap_finish
