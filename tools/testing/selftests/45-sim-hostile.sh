#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# A hostile host, with the driver under test (HV_NETVSC_DRIVER, see sim.sh):
# values and frames Hyper-V does not send, from the simulated host's fault
# knobs.  Ours must count each (rx_host_errors), say so in the log, drop
# what is wrong and keep working; what the in-tree driver does with the
# same input is asserted as it is (Documentation/networking/hv_netvsc.rst,
# "A hostile host").
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sim.sh"

# The EtherType and lengths of fault_malformed's "runt" and
# "oversized_frame" frames (netvsp_sim.h NVSIM_FRAME_*).
BAD_ETH_P=0x88b5
RUNT_LEN=6
HUGE_LEN=32768

# sniff_start ID: capture, on nicID, the lengths of frames with EtherType
# BAD_ETH_P or shorter than an Ethernet header, into /tmp/hvs-sniff.out,
# until sniff_stop.  Waits until the socket is bound (a Python start takes
# long on the debug kernel: SIM_WAIT x HVNV_TIME_SCALE).
sniff_start() {
	rm -f /tmp/hvs-sniff.out /tmp/hvs-sniff.ready
	# (ip exec directly: $! is then python itself, which sniff_stop kills)
	ip netns exec "hvs$1" python3 -c '
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
s.bind((sys.argv[1], 0))
open("/tmp/hvs-sniff.ready", "w").close()
out = open("/tmp/hvs-sniff.out", "w", buffering=1)
while True:
    f = s.recv(65536)
    if len(f) < 14 or int.from_bytes(f[12:14], "big") == int(sys.argv[2], 16):
        print(len(f), file=out)
' "nic$1" "$BAD_ETH_P" 2>/tmp/hvs-sniff.err &
	echo $! >/tmp/hvs-sniff.pid
	local i pid=$!
	for ((i = 0; i < SIM_WAIT * 10 * ${HVNV_TIME_SCALE:-1}; i++)); do
		[ -e /tmp/hvs-sniff.ready ] && return 0
		kill -0 "$pid" 2>/dev/null || break
		sim_ssleep 0.1
	done
	sim_die "the sniffer on nic$1 did not start: $(cat /tmp/hvs-sniff.err)"
}

# sniff_stop: stop the capture; SNIFFED is the lengths it saw, in a line.
sniff_stop() {
	local pid
	pid=$(</tmp/hvs-sniff.pid)
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	SNIFFED=$(tr '\n' ' ' </tmp/hvs-sniff.out)
	SNIFFED=${SNIFFED% }
	rm -f /tmp/hvs-sniff.*
}

# A host whose OID_GEN_MAXIMUM_FRAME_SIZE (the largest payload, header not
# counted: an MTU) is 1400 gets a guest MTU of 1400 from both drivers.  One
# that says 20, below the smallest MTU IPv4 works with (68): ours keeps
# 1500, counts a host error and says so, and the NIC works; the in-tree
# driver takes 20 as the MTU, which leaves the interface without IPv4.
t_host_max_frame() {
	local dev2 dev3 mtu e
	sim_begin
	sim_nic_new 2 mtu=1400
	dev2=$(sim_nic_wait_dev 2)
	sim_dev_settle "$dev2"
	ktap_expect_eq "MTU with a host maximum frame size of 1400" \
		"$(</sys/class/net/"$dev2"/mtu)" 1400
	sim_nic_new 3 mtu=20
	dev3=$(sim_nic_wait_dev 3)
	sim_dev_settle "$dev3"
	mtu=$(</sys/class/net/"$dev3"/mtu)
	echo "MTU with a host maximum frame size of 20: $mtu"
	if [ "$HV_NETVSC_DRIVER" = intree ]; then
		ktap_expect_eq "in-tree MTU with a host maximum frame size of 20" "$mtu" 20
		return 0
	fi
	ktap_expect_eq "MTU with a host maximum frame size of 20" "$mtu" 1500
	ktap_klog_since "$KTAP_CASE_MARK" | grep -m 1 "maximum frame size 20 is below" ||
		ktap_fail "no message about the maximum frame size of 20"
	sim_nic_to_ns 2 "$dev2"
	sim_nic_to_ns 3 "$dev3"
	e=$(sim_eth_stat 3 rx_host_errors)
	[ "$e" -ge 1 ] || ktap_fail "rx_host_errors is $e after a maximum frame size of 20"
	sim_do_ping 3 "$(sim_nic_ip 2)" 3
}

# bad_frame KIND LEN LOG: the host sends one frame of LEN bytes (a
# fault_malformed KIND) to nic0.  Ours drops it as a host error with a log
# line matching LOG, and completes the receive packet with a failure
# status; the in-tree driver's outcome is asserted by the caller from the
# lengths the sniffer saw (BAD_SEEN) and the failed completions (BAD_FAIL).
bad_frame() {
	local kind=$1 len=$2 log=$3 e0 e1 d0 d1 f0 seen
	sim_pair_setup
	e0=$(sim_eth_stat 0 rx_host_errors)
	d0=$(sim_eth_stat 0 rx_queue_0_drops)
	f0=$(sim_host_stat 0 rx_comp_fail)
	sniff_start 0
	sim_knob 0 fault_malformed "$kind"
	# the frame is behind these in the ring
	sim_do_ping 0 "$(sim_nic_ip 1)" 2 >/dev/null
	sniff_stop
	seen=$SNIFFED
	BAD_FAIL=$(($(sim_host_stat 0 rx_comp_fail) - f0))
	echo "$kind ($len bytes): frames seen on nic0: ${seen:-none}; receive packets completed with a failure: $BAD_FAIL"
	if [ "$HV_NETVSC_DRIVER" = ours ]; then
		e1=$(sim_eth_stat 0 rx_host_errors)
		d1=$(sim_eth_stat 0 rx_queue_0_drops)
		ktap_expect_eq "$kind: frames of it delivered" "${seen:-none}" none
		ktap_expect_eq "$kind: rx_host_errors" "$e1" $((e0 + 1))
		ktap_expect_eq "$kind: rx_queue_0_drops" "$d1" $((d0 + 1))
		ktap_expect_eq "$kind: receive packets completed with a failure" "$BAD_FAIL" 1
		ktap_klog_since "$KTAP_CASE_MARK" | grep -m 1 "host: $log" ||
			ktap_fail "no 'host: $log' in the log"
	fi
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
	BAD_SEEN=$seen
}

# A frame of 6 bytes, shorter than its Ethernet header.  The in-tree driver
# hands it to the stack as it is (eth_type_trans() reads 8 bytes past it).
t_rx_runt() {
	sim_begin
	bad_frame runt $RUNT_LEN "runt frame of $RUNT_LEN bytes"
	[ "$HV_NETVSC_DRIVER" = ours ] || {
		ktap_expect_eq "in-tree: runt frames delivered" "$BAD_SEEN" "$RUNT_LEN"
		ktap_expect_eq "in-tree: failed completions for the runt" "$BAD_FAIL" 0
	}
}

# One frame of 32 KiB in one receive range, though Hyper-V fills one
# receive section (1728 bytes here) per range: ours used to deliver it.
# The in-tree driver drops the range too ("Packet too big", logged
# without a rate limit).
t_rx_oversized_frame() {
	sim_begin
	bad_frame oversized_frame $HUGE_LEN "receive range of [0-9]* bytes, larger than a section"
	[ "$HV_NETVSC_DRIVER" = ours ] || {
		ktap_expect_eq "in-tree: oversized frames delivered" "${BAD_SEEN:-none}" none
		ktap_expect_eq "in-tree: failed completions for the range" "$BAD_FAIL" 1
	}
}

# The host grants one subchannel but offers three, all before its answer.
# Ours opens what came before the answer (VMBus closes a subchannel only
# with its primary) but uses only what was granted: two channels, one host
# error; it used to run on all four.  The in-tree driver counts every open
# against the number granted and waits, with RTNL held, until they are
# equal, which they never are: it hangs (and leaks the NAPI of the
# ungranted queues, see 40-sim-lifecycle); HVNV_KNOWN_HANG=1 runs it.
t_subchannel_ungranted() {
	local max cur e0 e1
	sim_begin
	if [ "$HV_NETVSC_DRIVER" = intree ] && [ -z "${HVNV_KNOWN_HANG:-}" ]; then
		ktap_skip "in-tree hv_netvsc waits forever, RTNL held, for subchannel opens to equal the granted count (HVNV_KNOWN_HANG=1 runs it)"
	fi
	sim_pair_setup
	read -r max cur <<<"$(sim_eth_channels 0 nic0)"
	[ "$max" -ge 4 ] || ktap_skip "needs 4 channels, max is $max ($(nproc) vCPUs)"
	sim_nx 0 ethtool -L nic0 combined 1 || ktap_fail "ethtool -L combined 1 failed"
	sim_re_attach 0
	sim_knob 0 fault_subchannel_grant 1
	sim_knob 0 fault_subchannel_extra 2
	e0=$(sim_eth_stat 0 rx_host_errors)
	sim_nx 0 ethtool -L nic0 combined 4 || ktap_fail "ethtool -L combined 4 failed"
	sim_dev_settle nic0 0
	read -r max cur <<<"$(sim_eth_channels 0 nic0)"
	echo "1 subchannel granted, 3 offered: max $max, current $cur, host granted $(sim_host_stat 0 subchannels_granted), host sees $(sim_host_stat 0 subchannels_open) open"
	ktap_expect_eq "channels in use with 1 subchannel granted" "$cur" 2
	e1=$(sim_eth_stat 0 rx_host_errors)
	ktap_expect_eq "rx_host_errors" "$e1" $((e0 + 1))
	ktap_klog_since "$KTAP_CASE_MARK" | grep -m 1 "host: 2 subchannels offered beyond the 1 granted" ||
		ktap_fail "no message about the subchannels not granted"
	# a live -L may not take the parked ungranted queue: it asks the host
	sim_nx 0 ethtool -L nic0 combined 3 || true
	sim_dev_settle nic0 0
	ktap_expect_eq "channels after -L 3, 1 granted" "$(sim_eth_channels 0 nic0 | cut -d' ' -f2)" 2
	sim_wait_carrier 0 nic0 1
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
	sim_knob 0 fault_subchannel_grant -1
	sim_knob 0 fault_subchannel_extra 0
	sim_nx 0 ethtool -L nic0 combined 1 || ktap_fail "ethtool -L combined 1 failed"
	sim_nx 0 ethtool -L nic0 combined 4 || ktap_fail "ethtool -L combined 4 failed after the fault was cleared"
	sim_dev_settle nic0 0
	ktap_expect_eq "channels with the fault cleared" "$(sim_eth_channels 0 nic0)" "4 4"
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
}

# udp_flood ID DST COUNT: COUNT datagrams of 1000 bytes from nicID to DST's
# discard port, as fast as Python sends them (errors of a full queue
# ignored); a send blocked for a second ends the flood.
udp_flood() {
	sim_nx "$1" timeout $((60 * ${HVNV_TIME_SCALE:-1})) python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1)
for _ in range(int(sys.argv[2])):
    try:
        s.sendto(b"x" * 1000, (sys.argv[1], 9))
    except socket.timeout:
        print("udp_flood: a send blocked for 1 s, flood ended")
        break
    except OSError:
        pass' "$2" "$3"
}

# one_queue_pair: NICs 2 and 3 with one channel each, in hvs2/hvs3 with
# static neighbour entries; PRIMARY is the sysfs directory of nic2's
# (only) channel.
one_queue_pair() {
	local i dev
	for i in 2 3; do
		sim_nic_new $i queues=1
		dev=$(sim_nic_wait_dev $i)
		sim_dev_settle "$dev"
		sim_nic_to_ns $i "$dev"
	done
	sim_static_neigh 2 3
	PRIMARY=$(grep -lx 0 /sys/bus/vmbus/devices/"$(sim_nic_guid 2)"/channels/*/subchannel_id)
	PRIMARY=${PRIMARY%/subchannel_id}
	[ -r "$PRIMARY/write_avail" ] || ktap_fail "no primary channel of nic2: '$PRIMARY'"
}

# The host takes and completes the guest's sends at once but moves its
# read index of the guest's ring only once no packet came for 3 s.  A UDP
# flood stops the TX queue on a full ring, and its last completion comes
# while the ring is still full: no completion is left to wake it.  Ours
# wakes it once nothing is in flight, or at the interrupt the host raises
# when it frees room (pending_send_sz); it used to stay stopped for good.
t_tx_read_lag() {
	local s0 s1
	sim_begin
	one_queue_pair
	sim_knob 2 fault_tx_read_lag_ms 3000
	s0=$(sim_eth_stat 2 stop_queue)
	# one flood: a pause of 3 s (a Python start on the debug kernel) lets
	# the host move its read index
	udp_flood 2 "$(sim_nic_ip 3)" 20000
	s1=$(sim_eth_stat 2 stop_queue)
	echo "stop_queue during the flood: $s0 -> $s1, room in the ring $(<"$PRIMARY/write_avail")"
	[ "$s1" -gt "$s0" ] || ktap_fail "the TX queue never stopped: the lag did not fill the ring"
	sim_knob 2 fault_tx_read_lag_ms 0
	sim_do_ping 2 "$(sim_nic_ip 3)" 3
}

# The guest's ring to the host fills: the host takes and completes what
# the guest sends but does not move its read index (a host that does not
# complete sends cannot have its ring filled: BQL stops the queue first);
# then the host stops reading and sends a flood, and the receive
# completions the full ring refuses stay pending.  Ours sends them at the
# interrupt the host raises once it reads again (pending_send_sz); it used
# to poll again at once, a CPU spinning in softirq for as long as the host
# did not read (rx_comp_busy counts the tries), as the in-tree driver
# does.  Once the host reads again everything flows.
t_rx_comp_stuck() {
	local b0 b1 b2 i st chan room
	sim_begin
	# one ring for the sends and the receive completions; no ARP (nic2's
	# answers would not get out)
	one_queue_pair
	chan=$PRIMARY
	sim_knob 2 fault_tx_read_lag_ms 10000
	for ((i = 0; i < 3; i++)); do
		udp_flood 2 "$(sim_nic_ip 3)" 20000
		[ "$(<"$chan/write_avail")" -lt 60000 ] && break
	done
	sim_knob 2 fault_stop_reading 1
	room=$(<"$chan/write_avail")
	st=$(sim_eth_stat 2 stop_queue)
	b0=$(sim_eth_stat 2 rx_comp_busy)
	udp_flood 3 "$(sim_nic_ip 2)" 9000
	for ((i = 0; i < 50 * ${HVNV_TIME_SCALE:-1}; i++)); do
		[ "$(sim_eth_stat 2 rx_comp_busy)" -gt "$b0" ] && break
		sim_ssleep 0.2
	done
	b1=$(sim_eth_stat 2 rx_comp_busy)
	sim_ssleep 2
	b2=$(sim_eth_stat 2 rx_comp_busy)
	echo "room in the ring $room after the sends, stop_queue $st; host not reading: rx_comp_busy $b0 -> $b1, then $((b2 - b1)) more in 2 s"
	[ "$b1" -gt "$b0" ] || ktap_fail "no receive completion was refused: the ring did not fill"
	if [ "$HV_NETVSC_DRIVER" = ours ]; then
		[ $((b2 - b1)) -le 10 ] ||
			ktap_fail "receive completions tried $((b2 - b1)) times in 2 s while the host did not read: NAPI spins"
	else
		[ $((b2 - b1)) -gt 1000 ] ||
			ktap_fail "in-tree: $((b2 - b1)) tries in 2 s: it used to spin"
	fi
	sim_knob 2 fault_tx_read_lag_ms 0
	sim_knob 2 fault_stop_reading 0
	sim_do_ping 2 "$(sim_nic_ip 3)" 3
	sim_do_ping 3 "$(sim_nic_ip 2)" 3
}

# One receive packet with 562 frames, the most a packet may carry.  NAPI's
# budget (64) counts frames: ours takes the packet in over several polls;
# it used to count the packet as one and take in all 562 frames in one
# poll, as the in-tree driver does (it counts frames, but finishes the
# packet it started).  The frames per poll are counted from the napi_poll and
# napi_gro_receive_entry trace events of nic0.
t_rx_frame_burst() {
	local t=/sys/kernel/tracing r0 r1 i most
	sim_begin
	sim_pair_setup
	[ -e $t/events/napi/napi_poll ] || mount -t tracefs nodev $t 2>/dev/null
	[ -e $t/events/napi/napi_poll ] || ktap_fail "no napi_poll trace event"
	echo 0 >$t/tracing_on
	echo >$t/trace
	echo 1 >$t/events/napi/napi_poll/enable
	echo 1 >$t/events/net/napi_gro_receive_entry/enable
	echo 1 >$t/tracing_on
	r0=$(sim_nx 0 cat /sys/class/net/nic0/statistics/rx_packets)
	sim_knob 0 fault_malformed frame_burst
	for ((i = 0; i < 50 * ${HVNV_TIME_SCALE:-1}; i++)); do
		r1=$(sim_nx 0 cat /sys/class/net/nic0/statistics/rx_packets)
		[ $((r1 - r0)) -ge 562 ] && break
		sim_ssleep 0.2
	done
	echo 0 >$t/tracing_on
	echo 0 >$t/events/napi/napi_poll/enable
	echo 0 >$t/events/net/napi_gro_receive_entry/enable
	most=$(awk '/napi_gro_receive_entry: dev=nic0 / {n++}
		/napi_poll: .* device nic0 / {if (n > m) m = n; n = 0}
		END {if (n > m) m = n; print m + 0}' $t/trace)
	echo >$t/trace
	echo "562 frames in one receive packet: $((r1 - r0)) taken in, at most $most in one poll"
	[ $((r1 - r0)) -ge 562 ] || ktap_fail "only $((r1 - r0)) of the 562 frames arrived"
	if [ "$HV_NETVSC_DRIVER" = ours ]; then
		[ "$most" -le 64 ] || ktap_fail "$most frames taken in by one poll, budget 64"
	else
		ktap_expect_eq "in-tree: frames taken in by one poll" "$most" 562
	fi
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
}

# host_tx_total ID: frames the host took from nicID, all channels.
host_tx_total() {
	sim_host_chans "$1" tx | awk '{for (i = 1; i <= NF; i++) t += $i; print t + 0}'
}

# The host completes sends late (300 ms each, per channel) while an MTU
# change re-attaches the device: the completions come during the drain of
# the detach.  Ours counts them in the totals (tx_packets is what the host
# took); it used to fold the counters before the drain and lose them.  The
# in-tree driver's counters start again from 0 at every attach.
t_stats_drain() {
	local t0 t1 h0 h1 pid
	sim_begin
	sim_pair_setup
	# (nothing but the datagrams on the wire)
	sim_static_neigh 0 1
	t0=$(sim_nx 0 cat /sys/class/net/nic0/statistics/tx_packets)
	h0=$(host_tx_total 0)
	sim_knob 0 fault_delay_completion_ms 300
	# eight flows: most go to subchannels, whose completions come late
	# while the primary channel answers the detach
	sim_udp_send 0 "$(sim_nic_ip 0):5001 $(sim_nic_ip 0):5002 $(sim_nic_ip 0):5003 $(sim_nic_ip 0):5004 $(sim_nic_ip 0):5005 $(sim_nic_ip 0):5006 $(sim_nic_ip 0):5007 $(sim_nic_ip 0):5008" "$(sim_nic_ip 1)" 9
	ip -n hvs0 link set nic0 mtu 1400 &
	pid=$!
	sim_ssleep 0.3
	sim_knob 0 fault_delay_completion_ms 0
	wait $pid || ktap_fail "the MTU change failed"
	ip -n hvs0 link set nic0 mtu 1500
	sim_dev_settle nic0 0
	sim_wait_carrier 0 nic0 1
	t1=$(sim_nx 0 cat /sys/class/net/nic0/statistics/tx_packets)
	h1=$(host_tx_total 0)
	echo "frames sent across the re-attach: guest tx_packets $t0 -> $t1, host took $((h1 - h0))"
	[ $((h1 - h0)) -ge 24 ] || ktap_fail "the host took only $((h1 - h0)) of the 24 datagrams"
	if [ "$HV_NETVSC_DRIVER" = ours ]; then
		ktap_expect_eq "tx_packets across a re-attach with completions late" $((t1 - t0)) $((h1 - h0))
	else
		# its counters start again from 0 with every attach
		[ "$t1" -lt $((t0 + h1 - h0)) ] || ktap_fail "in-tree: tx_packets $t0 -> $t1 kept its total"
	fi
	sim_static_neigh_del 0 1
}

# The host completes a send and then rescinds the device while the send
# call is still in VMBus (hv_ringbuffer_write() returns -ENODEV when a
# rescind came in while it wrote): the completion has freed the frame
# already.  Ours leaves what such a send returns to its completion or the
# teardown; it used to free the frame a second time and report it to BQL
# twice.  The NIC goes away, the guest lives on.
t_rescind_race() {
	local i cpu other
	sim_begin
	if [ "$HV_NETVSC_DRIVER" = intree ] && [ -z "${HVNV_KNOWN_CRASH:-}" ]; then
		ktap_skip "in-tree hv_netvsc frees a frame a second time when a send returns -ENODEV after its completion (HVNV_KNOWN_CRASH=1 runs it)"
	fi
	[ "$(nproc)" -ge 2 ] || ktap_skip "needs 2 vCPUs"
	sim_pair_setup
	one_queue_pair
	cpu=$(<"$PRIMARY/cpu")
	# the sender must not be the CPU whose NAPI takes the completion
	other=$(((cpu + 1) % $(nproc)))
	sim_knob 2 fault_rescind_race 1
	taskset -c $other ip netns exec hvs2 python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"x" * 100, (sys.argv[1], 9))' "$(sim_nic_ip 3)" || ktap_fail "the send failed"
	for ((i = 0; i < 50 * ${HVNV_TIME_SCALE:-1}; i++)); do
		ip -n hvs2 link show nic2 >/dev/null 2>&1 || break
		sim_ssleep 0.2
	done
	ip -n hvs2 link show nic2 >/dev/null 2>&1 && ktap_fail "nic2 still there after its rescind"
	ktap_klog_since "$KTAP_CASE_MARK" | grep -m 1 "rescind raced a send" ||
		ktap_fail "the host did not rescind during a send"
	ktap_klog_since "$KTAP_CASE_MARK" | grep -q "rescind raced a send: the guest had handled its completion" ||
		ktap_fail "the guest had not handled the completion when the send returned: no race"
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
}

# klog_wait MARK TEXT: TEXT (a grep pattern) in the kernel log from the
# line holding MARK on, within SIM_WAIT seconds (x HVNV_TIME_SCALE).
klog_wait() {
	local i n=$((SIM_WAIT * ${HVNV_TIME_SCALE:-1}))
	for ((i = 0; i < n * 5; i++)); do
		ktap_klog_since "$1" | grep -q -- "$2" && return 0
		sim_ssleep 0.2
	done
	sim_die "no '$2' in the kernel log after ${n}s"
}

# rtnl_free: an RTNL request (a link change in the initial namespace) is
# answered within 3 s (x HVNV_TIME_SCALE).  A task waiting for RTNL cannot
# be killed, so the request is left running in the background when it is
# not answered: it ends once RTNL is free.
rtnl_free() {
	local pid i
	ip link set lo up &
	pid=$!
	for ((i = 0; i < 30 * ${HVNV_TIME_SCALE:-1}; i++)); do
		kill -0 $pid 2>/dev/null || { wait $pid; return; }
		sim_ssleep 0.1
	done
	return 1
}

# mtu_of ID: nicID's MTU
mtu_of() {
	ip -n "hvs$1" -o link show "nic$1" | sed -n 's/.* mtu \([0-9]*\) .*/\1/p'
}

# intree_held KNOB PID WHAT: the in-tree driver, its change (PID) waiting
# for a host that holds WHAT back (KNOB): RTNL must be held; then the hold
# is lifted and the change must succeed.
intree_held() {
	sim_ssleep 1
	if rtnl_free; then
		sim_knob 0 "$1" 0
		wait "$2"
		ktap_fail "in-tree: RTNL was free while the host held $3 back"
	fi
	echo "in-tree: RTNL held while the host holds $3 back"
	sim_knob 0 "$1" 0
	wait "$2" || ktap_fail "in-tree: the MTU change failed after the host answered"
}

# ours_held KNOB PID WHAT: ours, its change (PID) with a host that holds
# WHAT back (KNOB): the change must return within 40 s (x HVNV_TIME_SCALE),
# or the hold is lifted and the case fails; CHANGE_RC is its exit status.
ours_held() {
	local i n=$((40 * ${HVNV_TIME_SCALE:-1}))
	for ((i = 0; i < n * 5; i++)); do
		kill -0 "$2" 2>/dev/null || break
		sim_ssleep 0.2
	done
	if kill -0 "$2" 2>/dev/null; then
		sim_knob 0 "$1" 0
		wait "$2"
		ktap_fail "the MTU change did not return within ${n} s while the host held $3 back"
	fi
	CHANGE_RC=0
	wait "$2" || CHANGE_RC=$?
}

# held_mtu KNOB VALUE WHAT CALL: nic0's MTU set to 1400 (a re-attach) while
# the host leaves WHAT (vmbus_sim's name of the call) unanswered (KNOB
# VALUE), inside what ours calls CALL in its log; the hold is lifted once
# the effect on RTNL was checked.
#  ours: the MTU change fails within the host-call timeout (10 s) while
#    WHAT still waits, RTNL is free, rx_host_errors counts it; once the
#    host answers, the device attaches again by itself with MTU 1500.
#  in-tree: the MTU change waits, RTNL held, until the host answers.
held_mtu() {
	local knob=$1 val=$2 what=$3 call=$4 pid e0 e1
	local mark="held_mtu $what $EPOCHREALTIME"
	echo "$mark" >/dev/kmsg
	sim_pair_setup
	sim_wait_carrier 0 nic0 1
	e0=$(sim_eth_stat 0 rx_host_errors)
	sim_knob 0 "$knob" "$val"
	ip -n hvs0 link set nic0 mtu 1400 &
	pid=$!
	klog_wait "$mark" "$what held by the host"
	if [ "$HV_NETVSC_DRIVER" = intree ]; then
		intree_held "$knob" $pid "$what"
		ktap_expect_eq "in-tree: MTU after the host answered" "$(mtu_of 0)" 1400
		ip -n hvs0 link set nic0 mtu 1500
		sim_dev_settle nic0 0
	else
		ours_held "$knob" $pid "$what"
		[ "$CHANGE_RC" -ne 0 ] || ktap_fail "the MTU change succeeded although the host never answered $what"
		ktap_klog_since "$mark" | grep -q "held $what answered" &&
			ktap_fail "the host answered $what before the change returned: nothing was held"
		rtnl_free || ktap_fail "RTNL is not free while the host holds $what back"
		ktap_klog_since "$mark" | grep -m 1 "host: no answer to $call within 10000 ms" ||
			ktap_fail "no message about the unanswered $call"
		sim_knob 0 "$knob" 0
		klog_wait "$mark" "held $what answered"
		klog_wait "$mark" "device attached again"
		sim_dev_settle nic0 0
		# (ethtool answers nothing while the device is detached)
		e1=$(sim_eth_stat 0 rx_host_errors)
		ktap_expect_eq "rx_host_errors" "$e1" $((e0 + 1))
		ktap_expect_eq "MTU after the failed change" "$(mtu_of 0)" 1500
	fi
	sim_wait_carrier 0 nic0 1
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
}

# The host never answers the re-attach's open of the primary channel
# (hv_vmbus waits for that answer as long as the host likes).
t_hold_open() {
	sim_begin
	held_mtu fault_hold_open 1 "open" "the channel open"
}

# The host never answers the first GPADL teardown of the re-attach's close
# (a subchannel's rings in vmbus_close()).  (An unanswered GPADL establish
# waits in the same host call as hold_open's open: the rings' GPADL is
# established inside vmbus_open().)
t_hold_gpadl() {
	sim_begin
	held_mtu fault_hold_gpadl 2 "GPADL teardown" "the channel close"
}

# The host never answers the open of subchannel 2 of 4.  Ours: the re-attach
# goes on after its 10 s wait for offers with the 2 channels below it, RTNL
# free meanwhile (ours used to hold a lock across the open that the attach
# then waited for, RTNL held); the late open ends parked; nothing leaks.
# In-tree: it waits, RTNL held, for every subchannel to open.
t_hold_open_subchannel() {
	local max cur pid
	sim_begin
	sim_pair_setup
	read -r max cur <<<"$(sim_eth_channels 0 nic0)"
	[ "$max" -ge 4 ] || ktap_skip "needs 4 channels, max is $max ($(nproc) vCPUs)"
	[ "$cur" = 4 ] || ktap_skip "needs 4 channels in use, $cur are"
	sim_knob 0 fault_hold_open 4
	ip -n hvs0 link set nic0 mtu 1400 &
	pid=$!
	klog_wait "$KTAP_CASE_MARK" "open held by the host"
	if [ "$HV_NETVSC_DRIVER" = intree ]; then
		intree_held fault_hold_open $pid "a subchannel open"
	else
		ours_held fault_hold_open $pid "a subchannel open"
		ktap_expect_eq "MTU change's exit status" "$CHANGE_RC" 0
		rtnl_free || ktap_fail "RTNL is not free while a subchannel open is held"
		sim_dev_settle nic0 0
		ktap_expect_eq "channels in use with subchannel 2 unanswered" "$(sim_eth_channels 0 nic0 | cut -d' ' -f2)" 2
		sim_knob 0 fault_hold_open 0
		klog_wait "$KTAP_CASE_MARK" "held open answered"
	fi
	sim_wait_carrier 0 nic0 1
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
	ip -n hvs0 link set nic0 mtu 1500
	sim_dev_settle nic0 0
	sim_wait_carrier 0 nic0 1
	ktap_expect_eq "channels after the next re-attach" "$(sim_eth_channels 0 nic0)" "$max 4"
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
}

# sum_but ONE "V0 V1 ...": the sum of the values except the one at ONE.
sum_but() {
	local -a v
	local i t=0
	read -ra v <<<"$2"
	for ((i = 0; i < ${#v[@]}; i++)); do
		[ $i = "$1" ] || t=$((t + v[i]))
	done
	echo $t
}

# The host rescinds subchannel 2 of 4 while the device stays (VMBus calls
# no rescind callback for a subchannel: the driver only sees the channel's
# rescind flag).  Datagrams from 32 source ports, three each, must all reach
# the host on the channels left: ours moves the flows of the rescinded
# queue to queue 0 (they used to go to the rescinded channel, where VMBus
# takes nothing: -ENODEV, lost).
t_sc_rescind() {
	local max cur ports p t0 t1 h0 h1 want=96 sent
	sim_begin
	sim_pair_setup
	read -r max cur <<<"$(sim_eth_channels 0 nic0)"
	[ "$cur" = 4 ] || ktap_skip "needs 4 channels in use, $cur are"
	# (the channel's rescind flag is set when the write returns)
	sim_knob 0 fault_rescind_subchannel 2
	ports=
	for ((p = 20000; p < 20032; p++)); do
		ports="$ports $(sim_nic_ip 0):$p"
	done
	t0=$(sim_eth_txq 0 nic0)
	h0=$(sim_host_chans 0 tx)
	sim_udp_send 0 "$ports" "$(sim_nic_ip 1)" 9
	sim_ssleep 1
	t1=$(sim_eth_txq 0 nic0)
	h1=$(sim_host_chans 0 tx)
	echo "guest tx queues: $(sim_rxq_delta "$t0" "$t1"); host channels 0..3 before: $(cut -d' ' -f1-4 <<<"$h0"), after: $(cut -d' ' -f1-4 <<<"$h1")"
	sent=$(($(sum_but 2 "$h1") - $(sum_but 2 "$h0")))
	if [ "$HV_NETVSC_DRIVER" = intree ]; then
		[ "$sent" -lt "$want" ] ||
			ktap_fail "in-tree: all $sent frames reached the host; the rescinded queue took none"
		echo "in-tree: $sent of $want datagrams reached the host: those hashed to the rescinded queue are lost"
	else
		[ "$sent" -ge "$want" ] ||
			ktap_fail "frames the host got on the channels left: $sent, want >= $want"
		ktap_expect_eq "frames sent on the rescinded queue" "$(cut -d' ' -f3 <<<"$(sim_rxq_delta "$t0" "$t1")")" 0
		ktap_klog_since "$KTAP_CASE_MARK" | grep -m 1 "subchannel 2 rescinded by the host" ||
			ktap_fail "no message about the rescinded subchannel"
	fi
	sim_re_attach 0
	ktap_expect_eq "channels after a re-attach" "$(sim_eth_channels 0 nic0)" "$max 4"
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
}

# Subchannel offers the guest never asked for, arriving while the NIC is
# removed: the offer's callback must not read a net device the remove is
# freeing (ours used to read it before taking any lock).  Ten rounds; the
# kernel log must stay clean (KASAN on the debug kernel) and every NIC go.
t_late_offer_remove() {
	local i guid
	sim_begin
	for ((i = 0; i < 10; i++)); do
		sim_nic_new 2
		sim_nic_wait_dev 2 >/dev/null
		guid=$(sim_nic_guid 2)
		echo 2 >"$SIM/nic2/fault_offer_subchannels" ||
			ktap_fail "the host could not offer subchannels"
		sim_nic_del 2
		[ ! -e "/sys/bus/vmbus/devices/$guid" ] ||
			ktap_fail "round $i: VMBus device $guid still there after its removal"
	done
	echo "10 rounds of stray subchannel offers during a remove"
}

# The host's permanent MAC is multicast, then all zero.  Ours takes a
# random unicast address instead and counts a host error; the in-tree
# driver takes the host's address as it is.
t_bad_mac() {
	local m dev addr e
	sim_begin
	for m in 01:00:5e:00:00:01 00:00:00:00:00:00; do
		sim_nic_new 2 "fault_mac=$m"
		dev=$(sim_nic_wait_dev 2)
		addr=$(<"/sys/class/net/$dev/address")
		echo "host MAC $m: $dev has $addr"
		if [ "$HV_NETVSC_DRIVER" = intree ]; then
			ktap_expect_eq "in-tree: the address with host MAC $m" "$addr" "$m"
		else
			[ "$addr" != "$m" ] || ktap_fail "$dev took the host's MAC $m"
			if [ $((0x${addr%%:*} & 1)) != 0 ] || [ "$addr" = 00:00:00:00:00:00 ]; then
				ktap_fail "$dev has $addr: not a unicast address"
			fi
			ktap_klog_since "$KTAP_CASE_MARK" | grep -m 1 "host: MAC $m is not a unicast address" ||
				ktap_fail "no message about the host's MAC $m"
			e=$(ethtool -S "$dev" | awk '$1 == "rx_host_errors:" {print $2}')
			ktap_expect_eq "$dev rx_host_errors" "$e" 1
		fi
		sim_nic_del 2
	done
}

# The host announces an RSS indirection table of 0 entries: both drivers
# use (and hand the host) a table of 128.  (Ours takes anything above 128
# the same way: KUnit netvsc_test_rss_caps.)
t_rss_itab_size() {
	local n h
	sim_begin
	sim_pair_setup
	sim_knob 0 rss_itab_size 0
	sim_re_attach 0
	n=$(sim_eth_indir 0 nic0 | wc -w)
	h=$(sim_host_rss 0 table | wc -w)
	echo "host table size 0: ethtool -x $n entries, the host got $h"
	ktap_expect_eq "ethtool -x entries with a host table size of 0" "$n" 128
	ktap_expect_eq "entries the host got with a table size of 0" "$h" 128
	sim_knob 0 rss_itab_size 128
	sim_re_attach 0
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
}

# The host sends 200 of its completions twice (the same transaction id
# once more) during a UDP flood.  Both drivers find no request for the
# repeat; ours counts each as a host error (rate-limited message), the
# in-tree driver logs each, unlimited.  Nothing is freed twice.
t_replayed_completions() {
	local e0 e1 left
	sim_begin
	sim_pair_setup
	e0=$(sim_eth_stat 0 rx_host_errors)
	sim_knob 0 fault_replay_completions 200
	udp_flood 0 "$(sim_nic_ip 1)" 3000
	left=$(<"$SIM/nic0/fault_replay_completions")
	ktap_expect_eq "completions still to replay" "$left" 0
	if [ "$HV_NETVSC_DRIVER" = intree ]; then
		ktap_klog_since "$KTAP_CASE_MARK" | grep -m 1 "Invalid transaction ID" ||
			ktap_fail "in-tree: no message about the replayed completions"
	else
		e1=$(sim_eth_stat 0 rx_host_errors)
		echo "rx_host_errors $e0 -> $e1"
		[ "$e1" -gt "$e0" ] || ktap_fail "no host error counted for 200 replayed completions"
		ktap_klog_since "$KTAP_CASE_MARK" | grep -m 1 "host: completion with unknown id" ||
			ktap_fail "no message about the replayed completions"
	fi
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
}

# tx_errors ID: nicID's tx_errors (the stack's counters)
tx_errors() {
	ip netns exec "hvs$1" cat "/sys/class/net/nic$1/statistics/tx_errors"
}

# The host refuses 50 data packets (not sent, completed with
# NVSP_STATUS_FAIL), then sends 20 data completions empty, during UDP
# floods between static neighbours (a refused ARP would stop a flood).
# Ours counts the refused frames (tx_host_failed, tx_errors) and each empty
# completion as a host error, and completes both.  The in-tree driver logs
# the refusals and counts none; it drops an empty completion whole ("Unexpected
# VMBUS completion"), so the frames it covered stay in flight and removing
# the NIC then hangs: that part runs for it only with HVNV_KNOWN_HANG=1.
t_data_completions() {
	local f0 f1 e0 e1 x0 x1 cost
	sim_begin
	sim_pair_setup
	x0=$(tx_errors 0)
	if [ "$HV_NETVSC_DRIVER" != intree ]; then
		f0=$(sim_eth_stat 0 tx_host_failed)
		e0=$(sim_eth_stat 0 rx_host_errors)
	fi
	sim_static_neigh 0 1
	sim_knob 0 fault_fail_completions 50
	udp_flood 0 "$(sim_nic_ip 1)" 1500
	ktap_expect_eq "data packets still to refuse" "$(<"$SIM/nic0/fault_fail_completions")" 0
	x1=$(tx_errors 0)
	if [ "$HV_NETVSC_DRIVER" = intree ]; then
		sim_static_neigh_del 0 1
		echo "in-tree: tx_errors $x0 -> $x1 after 50 refused packets"
		ktap_expect_eq "in-tree: tx_errors after 50 refused packets" "$x1" "$x0"
		ktap_klog_since "$KTAP_CASE_MARK" | grep -m 1 "nvsp_rndis_pkt_complete error status: 2" ||
			ktap_fail "in-tree: no message about the refused packets"
		sim_do_ping 0 "$(sim_nic_ip 1)" 3
		[ -n "${HVNV_KNOWN_HANG:-}" ] || return 0
		sim_knob 0 fault_short_completions 20
		udp_flood 0 "$(sim_nic_ip 1)" 1500
		ktap_klog_since "$KTAP_CASE_MARK" | grep -m 1 "Unexpected VMBUS completion" ||
			ktap_fail "in-tree: no message about the empty completions"
		sim_cleanup_all
		return
	fi
	f1=$(sim_eth_stat 0 tx_host_failed)
	# the refused packets' messages may have used up net_ratelimit()'s
	# burst: the message looked for below must not depend on the timing
	cost=$(sysctl -n net.core.message_cost)
	sysctl -qw net.core.message_cost=0
	sim_knob 0 fault_short_completions 20
	udp_flood 0 "$(sim_nic_ip 1)" 1500
	sysctl -qw net.core.message_cost="$cost"
	sim_static_neigh_del 0 1
	ktap_expect_eq "data completions still to send empty" "$(<"$SIM/nic0/fault_short_completions")" 0
	e1=$(sim_eth_stat 0 rx_host_errors)
	echo "tx_host_failed $f0 -> $f1, tx_errors $x0 -> $x1, rx_host_errors $e0 -> $e1"
	# (a refused packet may carry more than one frame)
	[ $((f1 - f0)) -ge 50 ] || ktap_fail "tx_host_failed +$((f1 - f0)) for 50 refused packets"
	[ $((x1 - x0)) -ge 50 ] || ktap_fail "tx_errors +$((x1 - x0)) for 50 refused packets"
	ktap_expect_eq "rx_host_errors after 20 empty completions" "$e1" $((e0 + 20))
	ktap_klog_since "$KTAP_CASE_MARK" | grep -m 1 "host: send completion of 0 bytes, no status" ||
		ktap_fail "no message about the empty completions"
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
	# nothing was left in flight: the re-attach's drain finds nothing
	sim_re_attach 0
	ktap_klog_since "$KTAP_CASE_MARK" | grep "sends uncompleted" &&
		ktap_fail "sends left in flight after the empty completions"
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
}

# RSC fragment sequences Hyper-V never sends, each fragment a full receive
# section of one frame (EtherType BAD_ETH_P): a last fragment without a
# first (rsc_orphan), a packet that ends after a first and a middle one
# (rsc_no_last), first and last in two receive packets (rsc_span), and
# more than 256 KiB of fragments (rsc_huge).  Ours delivers none of them
# and counts host errors.  The in-tree driver drops the first three too
# (silently) but hands the stack the 431 KB frame of rsc_huge (it limits
# the fragments' count, not their bytes).
t_rx_rsc_bad() {
	local kind log e0 e1 f0 fail
	sim_begin
	sim_pair_setup
	# one capture for the four: only rsc_huge's frame may show up
	sniff_start 0
	for kind in rsc_orphan rsc_no_last rsc_span rsc_huge; do
		case $kind in
		rsc_orphan) log="RSC fragment without a first one" ;;
		rsc_no_last) log="unfinished RSC packet" ;;
		rsc_span) log="unfinished RSC packet" ;;
		rsc_huge) log="RSC packet too large" ;;
		esac
		[ "$HV_NETVSC_DRIVER" = ours ] && e0=$(sim_eth_stat 0 rx_host_errors)
		f0=$(sim_host_stat 0 rx_comp_fail)
		sim_knob 0 fault_malformed $kind
		# the fragments are behind these in the ring
		sim_do_ping 0 "$(sim_nic_ip 1)" 1 >/dev/null
		fail=$(($(sim_host_stat 0 rx_comp_fail) - f0))
		echo "$kind: receive packets completed with a failure: $fail"
		[ "$HV_NETVSC_DRIVER" = ours ] || continue
		e1=$(sim_eth_stat 0 rx_host_errors)
		[ "$e1" -gt "$e0" ] || ktap_fail "$kind: no host error counted"
		[ "$fail" -ge 1 ] || ktap_fail "$kind: no receive packet completed with a failure"
		ktap_klog_since "$KTAP_CASE_MARK" | grep -q "host: $log" ||
			ktap_fail "$kind: no 'host: $log' in the log"
	done
	sniff_stop
	echo "frames of the four seen on nic0: ${SNIFFED:-none}"
	if [ "$HV_NETVSC_DRIVER" = ours ]; then
		ktap_expect_eq "frames of the four delivered" "${SNIFFED:-none}" none
	else
		# (the capture holds 64 KiB of rsc_huge's 431 KB frame)
		ktap_expect_eq "in-tree: frames of the four delivered" "$SNIFFED" 65536
	fi
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
}

ktap_plan 20
sim_init
sim_run host_max_frame t_host_max_frame
sim_run rx_runt t_rx_runt
sim_run rx_oversized_frame t_rx_oversized_frame
sim_run subchannel_ungranted t_subchannel_ungranted
sim_run tx_read_lag t_tx_read_lag
sim_run rx_comp_stuck t_rx_comp_stuck
sim_run rx_frame_burst t_rx_frame_burst
sim_run stats_drain t_stats_drain
sim_run rescind_race t_rescind_race
sim_run hold_open t_hold_open
sim_run hold_gpadl t_hold_gpadl
sim_run hold_open_subchannel t_hold_open_subchannel
sim_run sc_rescind t_sc_rescind
sim_run late_offer_remove t_late_offer_remove
sim_run bad_mac t_bad_mac
sim_run rss_itab_size t_rss_itab_size
sim_run replayed_completions t_replayed_completions
sim_run data_completions t_data_completions
sim_run rx_rsc_bad t_rx_rsc_bad
ktap_run module_unload sim_fini
ktap_finish
