#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Lifecycle and host faults with the driver under test (HV_NETVSC_DRIVER, see
# sim.sh) on the simulated Hyper-V host: module reload with NICs present,
# short or refused subchannel grants, failing OIDs.  Only outcomes checked
# against the in-tree driver's source and a run are asserted.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sim.sh"

# 20 reloads of ours; 5 of the in-tree peer, which checks the simulated
# bus's unbind path, not itself (a reload of it takes 6 s here).
if [ "$HV_NETVSC_DRIVER" = ours ]; then
	RELOADS=${HVNV_RELOADS:-20}
else
	RELOADS=${HVNV_RELOADS:-5}
fi

# Unload and load the driver under test RELOADS times with two NICs present
# and receiving: the host port broadcasts UDP to the subnet all along, so
# every unload races frames arriving.  Every time both netdevs go away and
# come back with their MAC and settled channels, and once up they receive
# the broadcasts again; at the end the pair passes traffic.
t_module_reload() {
	local i id dev mac0 mac1 hp rx unloads=0 loads=0
	sim_begin
	sim_pair_setup
	mac0=$(sim_nic_mac 0)
	mac1=$(sim_nic_mac 1)
	hp=$(sim_host_port_setup)
	python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, sys.argv[1].encode())
while True:
    s.sendto(b"x" * 64, (sys.argv[2], 9))
    time.sleep(0.02)' "$hp" "$SIM_NET.255" >/dev/null 2>&1 &
	echo $! >/tmp/hvs-bcast.pid
	for id in 0 1; do
		wait_rx "nic$id" "$id"
	done
	for i in $(seq "$RELOADS"); do
		sim_drv_unload
		unloads=$((unloads + 1))
		sim_mod_loaded hv_netvsc && ktap_fail "reload $i: hv_netvsc still loaded after rmmod"
		for id in 0 1; do
			[ -e "/sys/bus/vmbus/devices/$(sim_nic_guid $id)/driver" ] &&
				ktap_fail "reload $i: nic$id still bound to a driver after rmmod"
			sim_nic_find_dev $id >/dev/null && ktap_fail "reload $i: nic$id's netdev still exists after rmmod"
		done
		if [ $i = 1 ] && ip -n hvs0 link show nic0 >/dev/null 2>&1; then
			ktap_fail "reload $i: nic0 still in hvs0 after rmmod"
		fi
		sim_drv_load
		loads=$((loads + 1))
		for id in 0 1; do
			dev=$(sim_nic_wait_dev $id)
			sim_dev_settle "$dev"
			ktap_expect_eq "reload $i: nic$id MAC" "$(<"/sys/class/net/$dev/address")" \
				"$([ $id = 0 ] && echo "$mac0" || echo "$mac1")"
			ip link set "$dev" up
			rx=$(wait_rx "$dev")
			[ $i -eq 1 ] || [ $i -eq "$RELOADS" ] && echo "reload $i: $dev received $rx"
		done
	done
	ktap_expect_eq "unloads/loads done" "$unloads/$loads" "$RELOADS/$RELOADS"
	sim_pair_back
	sim_do_ping 0 "$(sim_nic_ip 1)" 5
	sim_eth_channels 0 nic0
}

# wait_rx DEV [ID]: DEV (in NIC ID's namespace, else the initial one)
# receives frames within SIM_WAIT seconds; prints its rx_packets.
wait_rx() {
	local dev=$1 id=${2:-} i r0 r
	r0=$(sim_in_ns "$id" cat "/sys/class/net/$dev/statistics/rx_packets")
	for ((i = 0; i < SIM_WAIT * 10; i++)); do
		r=$(sim_in_ns "$id" cat "/sys/class/net/$dev/statistics/rx_packets")
		[ "$r" -gt "$r0" ] && { echo "$r"; return 0; }
		sim_ssleep 0.1
	done
	sim_die "$dev${id:+ (hvs$id)}: rx_packets stayed at $r0 for ${SIM_WAIT}s with broadcasts arriving"
}

# The host grants at most 2 subchannels: ethtool -L combined 4 ends with 3
# channels (the in-tree driver takes what the host grants and succeeds) or
# with a clear error; either way the NIC passes traffic, and with the
# fault gone -L combined 4 gives 4.
t_fault_subchannel_grant() {
	local max cur out rc sub
	sim_begin
	sim_skip_intree_napi_leak
	sim_pair_setup
	read -r max cur <<<"$(sim_eth_channels 0 nic0)"
	[ "$max" -ge 4 ] || ktap_skip "needs 4 channels, max is $max ($(nproc) vCPUs)"
	sim_knob 0 fault_subchannel_grant 2
	sim_nx 0 ethtool -L nic0 combined 1 || ktap_fail "ethtool -L combined 1 failed"
	# (our driver shrinks live, keeping the channels: re-attach with one)
	sim_re_attach 0
	rc=0
	out=$(sim_nx 0 ethtool -L nic0 combined 4 2>&1) || rc=$?
	sim_dev_settle nic0 0
	read -r max cur <<<"$(sim_eth_channels 0 nic0)"
	echo "-L combined 4 with grant 2: rc $rc '$out', now max $max current $cur"
	if [ $rc -eq 0 ]; then
		ktap_expect_eq "channels after -L 4 with 2 subchannels granted" "$cur" 3
	else
		[ -n "$out" ] || ktap_fail "-L combined 4 failed without an error message"
		[ "$cur" -le 3 ] || ktap_fail "-L failed but $cur channels are in use"
	fi
	if sub=$(sim_host_stat 0 subchannels_open); then
		ktap_expect_eq "host subchannels_open" "$sub" $((cur - 1))
	fi
	sim_wait_carrier 0 nic0 1
	sim_do_ping 0 "$(sim_nic_ip 1)" 5
	sim_do_ping 1 "$(sim_nic_ip 0)" 5
	sim_knob 0 fault_subchannel_grant -1
	sim_nx 0 ethtool -L nic0 combined 1 || ktap_fail "ethtool -L combined 1 failed"
	sim_nx 0 ethtool -L nic0 combined 4 || ktap_fail "ethtool -L combined 4 failed after the fault was cleared"
	sim_dev_settle nic0 0
	ktap_expect_eq "channels with the fault cleared" "$(sim_eth_channels 0 nic0 | cut -d' ' -f2)" 4
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
}

# The host refuses subchannels: the NIC falls back to one channel and keeps
# passing traffic; with the fault gone (after a re-attach, which is what
# brings the in-tree driver's max back) 4 channels work again.
t_fault_subchannel_refuse() {
	local max cur rc out
	sim_begin
	sim_skip_intree_napi_leak
	sim_pair_setup
	read -r max cur <<<"$(sim_eth_channels 0 nic0)"
	[ "$max" -ge 4 ] || ktap_skip "needs 4 channels, max is $max ($(nproc) vCPUs)"
	sim_knob 0 fault_subchannel_grant refuse
	sim_nx 0 ethtool -L nic0 combined 1 || ktap_fail "ethtool -L combined 1 failed"
	sim_re_attach 0
	rc=0
	out=$(sim_nx 0 ethtool -L nic0 combined 4 2>&1) || rc=$?
	sim_dev_settle nic0 0
	read -r max cur <<<"$(sim_eth_channels 0 nic0)"
	echo "-L combined 4 with subchannels refused: rc $rc '$out', now max $max current $cur"
	ktap_expect_eq "channels in use" "$cur" 1
	sim_wait_carrier 0 nic0 1
	sim_do_ping 0 "$(sim_nic_ip 1)" 5
	sim_knob 0 fault_subchannel_grant -1
	[ "$max" -ge 4 ] || sim_re_attach 0
	sim_nx 0 ethtool -L nic0 combined 4 || ktap_fail "ethtool -L combined 4 failed after the fault was cleared"
	sim_dev_settle nic0 0
	ktap_expect_eq "channels with the fault cleared" "$(sim_eth_channels 0 nic0)" "4 4"
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
}

# OID_GEN_RECEIVE_SCALE_CAPABILITIES fails: the driver runs with one channel
# (vRSS off) and passes traffic; the host logged the failed query.
t_fault_oid_rss_caps() {
	local max cur c key0
	sim_begin
	sim_pair_setup
	key0=$(sim_eth_hkey 0 nic0)
	read -r max cur <<<"$(sim_eth_channels 0 nic0)"
	[ "$max" -ge 2 ] || ktap_skip "needs 2 channels, max is $max"
	sim_knob 0 fault_fail_oid 0x00010203
	sim_nx 0 ethtool -L nic0 combined 2 || ktap_fail "ethtool -L combined 2 failed"
	# (a live shrink asks the host nothing: make the driver query again)
	sim_re_attach 0
	ktap_expect_eq "max/current with RSS capabilities failing" "$(sim_eth_channels 0 nic0)" "1 1"
	sim_wait_carrier 0 nic0 1
	sim_do_ping 0 "$(sim_nic_ip 1)" 5
	# the host answered the query with a failure status
	c=$(grep -i 'oid=0x00010203' "$SIM/nic0/msg_log") ||
		ktap_fail "the host's msg_log has no OID_GEN_RECEIVE_SCALE_CAPABILITIES query"
	echo "host: $c"
	case "$c" in *" status=0x00000000"*|*" answered=0 "*) ktap_fail "the query did not fail on the host: $c" ;; esac
	sim_knob 0 fault_fail_oid 0
	sim_re_attach 0
	ktap_expect_eq "max with the fault cleared" "$(sim_eth_channels 0 nic0 | cut -d' ' -f1)" "$max"
	sim_nx 0 ethtool -L nic0 combined "$cur"
	sim_dev_settle nic0 0
	sim_wait_carrier 0 nic0 1
	sim_rss_key_back 0 "$key0"
}

# RNDIS_OID_GEN_RNDIS_CONFIG_PARAMETER (NetworkAddress) fails: the MAC change
# is refused and nothing changes, on either side.
t_fault_oid_mac() {
	local mac hmac
	sim_begin
	sim_pair_setup
	mac=$(sim_nic_mac 0)
	hmac=$(cat "$SIM/nic0/mac")
	sim_knob 0 fault_fail_oid 0x0001021b
	ip -n hvs0 link set nic0 down
	if ip -n hvs0 link set nic0 address 02:aa:bb:cc:dd:02 2>&1; then
		ktap_fail "MAC change succeeded although the host failed NetworkAddress"
	fi
	ktap_expect_eq "guest MAC after the failed change" "$(sim_nic_mac 0)" "$mac"
	ktap_expect_eq "host MAC after the failed change" "$(cat "$SIM/nic0/mac")" "$hmac"
	ip -n hvs0 link set nic0 up
	sim_wait_carrier 0 nic0 1
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
	sim_knob 0 fault_fail_oid 0
	ip -n hvs0 link set nic0 down
	ip -n hvs0 link set nic0 address 02:aa:bb:cc:dd:02
	ip -n hvs0 link set nic0 up
	ktap_expect_eq "guest MAC once the fault is gone" "$(sim_nic_mac 0)" 02:aa:bb:cc:dd:02
	ktap_expect_eq "host MAC once the fault is gone" "$(<"$SIM/nic0/mac")" 02:aa:bb:cc:dd:02
	ip -n hvs0 link set nic0 down
	ip -n hvs0 link set nic0 address "$mac"
	ip -n hvs0 link set nic0 up
	sim_wait_carrier 0 nic0 1
}

# OID_TCP_OFFLOAD_PARAMETERS fails: ethtool -K lro off does not take effect.
t_fault_oid_lro() {
	local l
	sim_begin
	sim_pair_setup
	l=$(sim_nx 0 ethtool -k nic0 | grep '^large-receive-offload:')
	case "$l" in *fixed*) ktap_fail "LRO is fixed ('$l') though the host offers RSC by default" ;; esac
	sim_knob 0 fault_fail_oid 0xfc01020c
	sim_nx 0 ethtool -K nic0 lro off 2>&1 || true
	ktap_expect_eq "LRO after a refused -K lro off" \
		"$(sim_nx 0 ethtool -k nic0 | awk '/^large-receive-offload:/ {print $2}')" on
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
	sim_knob 0 fault_fail_oid 0
	# the refused request stays in wanted_features (off): ask for on, then
	# off again, for the driver to be called
	sim_nx 0 ethtool -K nic0 lro on
	sim_nx 0 ethtool -K nic0 lro off
	ktap_expect_eq "LRO once the fault is gone" \
		"$(sim_nx 0 ethtool -k nic0 | awk '/^large-receive-offload:/ {print $2}')" off
	sim_nx 0 ethtool -K nic0 lro on
}

# host_errors ID: the driver's count of host messages that failed
# validation (ours: ethtool -S rx_host_errors; in-tree: none, prints -)
host_errors() { sim_eth_stat "$1" rx_host_errors; }

# Each malformed message the host can send (truncated NVSP message,
# RNDIS data length past the message, range outside the receive buffer,
# completion of an unknown transaction, send table past the message): the
# driver drops it, counts it (ours), says so (rate limited), and the NIC
# keeps passing traffic.
# klog_lines TEXT: kernel log lines with TEXT since the case began
klog_lines() {
	ktap_klog_since "$KTAP_CASE_MARK" | grep -c "$1" || true
}

t_fault_malformed() {
	local kind e0 e1 l0 l1
	sim_begin
	sim_pair_setup
	for kind in truncated oversized_len bad_offset bad_index bad_send_table; do
		e0=$(host_errors 0)
		l0=$(klog_lines hv_netvsc)
		sim_knob 0 fault_malformed "$kind"
		sim_do_ping 0 "$(sim_nic_ip 1)" 2 >/dev/null
		e1=$(host_errors 0)
		l1=$(klog_lines hv_netvsc)
		echo "$kind: host errors $e0 -> $e1, hv_netvsc log lines $l0 -> $l1"
		# (the in-tree driver drops some kinds silently and counts
		# none: for it, the pings above are the outcome)
		if [ "$HV_NETVSC_DRIVER" = ours ]; then
			[ "$e1" -gt "$e0" ] || ktap_fail "$kind: rx_host_errors did not move ($e0 -> $e1)"
			[ "$l1" -gt "$l0" ] || ktap_fail "$kind: the driver said nothing about it"
		fi
	done
	ktap_klog_since "$KTAP_CASE_MARK" | grep hv_netvsc | head -n 8
	sim_do_iperf 0 1 "$(sim_nic_ip 1)"
}

# Ours only: the host drops the completion of the next control request: the
# re-attach of an MTU change gives up on it after the bounded wait, and the
# driver either finishes on the retry or rolls back; either way the NIC
# works and guest and host agree on the MTU.
t_fault_dropped_completion() {
	local rc=0 mtu hmtu t0
	sim_begin
	[ "$HV_NETVSC_DRIVER" = ours ] ||
		ktap_skip "in-tree hv_netvsc waits for a lost completion forever (RTNL held: the guest hangs)"
	sim_pair_setup
	sim_knob 0 fault_drop_completions 1
	t0=$EPOCHSECONDS
	ip -n hvs0 link set nic0 mtu 1400 2>&1 || rc=$?
	mtu=$(sim_nx 0 cat /sys/class/net/nic0/mtu)
	hmtu=$(sim_host_stat 0 ndis_mtu)
	echo "mtu 1400 with a dropped completion: rc $rc after $((EPOCHSECONDS - t0)) s; guest mtu $mtu, host ndis_mtu $hmtu"
	ktap_expect_eq "host NDIS MTU matches the guest MTU" "$hmtu" "$mtu"
	sim_knob 0 fault_drop_completions 0
	sim_wait_carrier 0 nic0 1
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
	ip -n hvs0 link set nic0 mtu 1500
	sim_wait_carrier 0 nic0 1
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
}

# Every completion comes 200 ms late: slower, but traffic and a re-attach
# work (every wait for the host is long enough and bounded).
t_fault_delayed_completions() {
	sim_begin
	sim_pair_setup
	sim_knob 0 fault_delay_completion_ms 200
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
	sim_re_attach 0
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
	sim_knob 0 fault_delay_completion_ms 0
	sim_do_iperf 0 1 "$(sim_nic_ip 1)" >/dev/null
}

# msg_total ID: every NVSP and RNDIS message nicID's guest sent so far.
msg_total() {
	awk '{for (i = 1; i <= NF; i++) if ($i ~ /^count=/) s += substr($i, 7)} END {print s + 0}' \
		"$SIM/nic$1/msg_log"
}

# msg_above ID first|TEXT N: nicID's guest sent more than N messages in all
# (first), or more than N of the msg_log line containing TEXT.  Shell
# builtins only, no process: a poll that forks falls behind a change on a
# loaded machine.
msg_above() {
	local l n sum=0
	while IFS= read -r l; do
		[ "$2" = first ] || [[ $l == *"$2"* ]] || continue
		n=${l##*count=}
		sum=$((sum + ${n%% *}))
	done <"$SIM/nic$1/msg_log"
	[ "$sum" -gt "$3" ]
}

# The host removes a NIC while ethtool -L grows its channel count from 1 to
# the maximum with no subchannel open (the in-tree driver re-attaches, ours
# asks the host for subchannels and opens them).
# Every NVSP completion comes 1 s late, and the removal starts, with
# ethtool still running, once the host has seen the change's first message
# (first round) or its subchannel request (second round): -L ends (done or
# refused) and the removal is done within 60 s (x HVNV_TIME_SCALE), the NIC
# is gone, and a new one passes traffic with every channel.  Ours only: the
# in-tree driver hangs (see the skip).
t_rescind_during_channels() {
	local max cur dev m0 s0 pid rc t0 i out at
	sim_begin
	[ "$HV_NETVSC_DRIVER" = ours ] ||
		ktap_skip "in-tree hv_netvsc waits without bound for the subchannels of a grow (rndis_set_subchannel) with RTNL held, and the removal waits for RTNL: the guest hangs"
	sim_pair_setup
	for at in first SUBCHANNEL; do
		sim_nic_new 2
		dev=$(sim_nic_wait_dev 2)
		sim_dev_settle "$dev"
		sim_nic_to_ns 2 "$dev"
		read -r max cur <<<"$(sim_eth_channels 2 nic2)"
		[ "$max" -ge 2 ] || ktap_fail "nic2 has $max channel(s)"
		sim_nx 2 ethtool -L nic2 combined 1 || ktap_fail "-L combined 1 failed"
		sim_dev_settle nic2 2
		# (ours keeps shrunk channels open until the next re-attach)
		sim_re_attach 2
		ktap_expect_eq "host subchannels_open before the grow" "$(sim_host_stat 2 subchannels_open)" 0
		sim_knob 2 fault_delay_completion_ms 1000
		m0=$(msg_total 2)
		s0=$(sim_msg_count 2 'nvsp SUBCHANNEL')
		t0=$EPOCHSECONDS
		(trap - ERR; sim_nx 2 timeout $((120 * ${HVNV_TIME_SCALE:-1})) ethtool -L nic2 combined "$max") \
			>/tmp/hvs-L.out 2>&1 &
		pid=$!
		for ((i = 0; i < SIM_WAIT * 100; i++)); do
			if [ $at = first ]; then
				msg_above 2 first "$m0" && break
			else
				msg_above 2 'nvsp SUBCHANNEL' "$s0" && break
			fi
			sim_ssleep 0.01
		done
		[ "$(msg_total 2)" -gt "$m0" ] || ktap_fail "the host saw nothing of -L combined $max"
		kill -0 "$pid" 2>/dev/null ||
			ktap_fail "at $at: -L combined $max ended before the removal (SUBCHANNEL requests $s0 -> $(sim_msg_count 2 'nvsp SUBCHANNEL')): $(cat /tmp/hvs-L.out)"
		sim_nic_del 2
		rc=0
		wait "$pid" || rc=$?
		out=$(tr '\n' ' ' </tmp/hvs-L.out)
		echo "removal at the $at message of -L combined 1 -> $max: -L rc $rc '$out', $((EPOCHSECONDS - t0)) s in all"
		[ $rc -ne 124 ] || ktap_fail "-L combined $max still running 120 s after the removal"
		[ $((EPOCHSECONDS - t0)) -lt $((60 * ${HVNV_TIME_SCALE:-1})) ] ||
			ktap_fail "-L and the removal took $((EPOCHSECONDS - t0)) s"
		ip -n hvs2 link show nic2 >/dev/null 2>&1 && ktap_fail "nic2 still exists after del_nic"
	done
	sim_nic_new 2
	dev=$(sim_nic_wait_dev 2)
	sim_dev_settle "$dev"
	sim_nic_to_ns 2 "$dev"
	ktap_expect_eq "channels of a new NIC after the removals" "$(sim_eth_channels 2 nic2)" "$max $max"
	sim_do_ping 0 "$(sim_nic_ip 2)" 3
	sim_nic_del 2
}

feature_line() { sim_nx "$1" ethtool -k "nic$1" | sed -n "s/^[[:space:]]*$2: //p"; }

# The offloads the host offers decide the netdev features: NIC 2 offers no
# LSO and no RSC (TSO and LRO off [fixed]), NIC 3 no checksum offload
# (tx-checksumming and TSO off [fixed]); the driver probes them with those
# knobs set, and traffic between them flows both ways (the guest does the
# work itself).
t_host_offload_caps() {
	local id dev
	sim_begin
	sim_pair_setup
	sim_drv_unload
	sim_nic_new 2
	sim_nic_new 3
	sim_knob 2 offload_tso 0
	sim_knob 2 offload_rsc 0
	sim_knob 3 offload_csum 0
	sim_drv_load
	for id in 2 3; do
		dev=$(sim_nic_wait_dev $id)
		sim_dev_settle "$dev"
		sim_nic_to_ns $id "$dev"
	done
	ktap_expect_eq "nic2: TSO without host LSO" "$(feature_line 2 tx-tcp-segmentation)" "off [fixed]"
	ktap_expect_eq "nic2: LRO without host RSC" "$(feature_line 2 large-receive-offload)" "off [fixed]"
	ktap_expect_eq "nic2: tx-checksumming" "$(feature_line 2 tx-checksumming)" on
	sim_nx 3 ethtool -k nic3 | grep -E 'tx-checksum|segmentation' | tr -s '\t\n' ' '
	echo
	ktap_expect_eq "nic3: tx-checksum-ipv4 without host checksum offload" \
		"$(feature_line 3 tx-checksum-ipv4)" "off [fixed]"
	ktap_expect_eq "nic3: TSO without host checksum offload" \
		"$(feature_line 3 tx-tcp-segmentation)" "off [fixed]"
	sim_do_iperf 2 3 "$(sim_nic_ip 3)"
	sim_do_iperf 3 2 "$(sim_nic_ip 2)"
	sim_do_ping 2 "$(sim_nic_ip 3)" 3 -s 4000
	sim_pair_back
}

# NVSP versions the host accepts at most: vRSS (channels) needs 5, an MTU
# above 1500 needs 2; the NIC passes traffic with each.
t_host_nvsp_versions() {
	local v dev max want rc
	sim_begin
	sim_pair_setup
	for v in 5 4 2 1; do
		sim_nic_new 2 "nvsp=$v"
		dev=$(sim_nic_wait_dev 2)
		sim_dev_settle "$dev"
		sim_nic_to_ns 2 "$dev"
		max=$(sim_eth_channels 2 nic2 | cut -d' ' -f1)
		case $v in 6.1|6|5) want=$(nproc); [ "$want" -le 64 ] || want=64 ;; *) want=1 ;; esac
		echo "nvsp $v: max combined $max, host $(sim_host_stat 2 nvsp_version)"
		ktap_expect_eq "nvsp $v: max combined" "$max" "$want"
		ktap_expect_eq "nvsp $v: version the host negotiated" "$(sim_host_stat 2 nvsp_version)" "$v"
		rc=0
		ip -n hvs2 link set nic2 mtu 9000 2>&1 || rc=$?
		if [ "$v" = 1 ]; then
			[ $rc -ne 0 ] || ktap_fail "nvsp 1: MTU 9000 accepted (NVSP 1 allows 1500 at most)"
		else
			[ $rc -eq 0 ] || ktap_fail "nvsp $v: MTU 9000 refused"
			ip -n hvs2 link set nic2 mtu 1500
		fi
		sim_wait_carrier 2 nic2 1
		sim_do_ping 0 "$(sim_nic_ip 2)" 3
		sim_nic_del 2
	done
}

ktap_plan 13
sim_init
sim_run module_reload_x$RELOADS t_module_reload
sim_run fault_subchannel_grant t_fault_subchannel_grant
sim_run fault_subchannel_refuse t_fault_subchannel_refuse
sim_run fault_oid_rss_caps t_fault_oid_rss_caps
sim_run fault_oid_mac t_fault_oid_mac
sim_run fault_oid_lro t_fault_oid_lro
sim_run fault_malformed t_fault_malformed
sim_run fault_dropped_completion t_fault_dropped_completion
sim_run fault_delayed_completions t_fault_delayed_completions
sim_run rescind_during_channels t_rescind_during_channels
sim_run host_offload_caps t_host_offload_caps
sim_run host_nvsp_versions t_host_nvsp_versions
ktap_run module_unload sim_fini
ktap_finish
