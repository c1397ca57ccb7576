#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# ethtool on a synthetic NIC of the simulated Hyper-V host under the driver
# under test (HV_NETVSC_DRIVER, see sim.sh): channels (vRSS subchannels),
# receive-side scaling (indirection table, key, where frames land),
# rx-flow-hash, rings, LRO.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sim.sh"

ncpu=$(nproc)

min() { [ "$1" -lt "$2" ] && echo "$1" || echo "$2"; }

# ethtool -l: max = min(queues the host offers, vCPUs, 64); a new NIC starts
# with min(max, 16) channels.
t_channels_max() {
	local id q dev want got
	sim_begin
	sim_pair_setup
	for id in 2 3 4; do
		case $id in
		2) sim_nic_new $id; q=$(<"$SIM/nic$id/max_queues") ;;
		3) q=2; sim_nic_new $id queues=$q ;;
		4) q=1; sim_nic_new $id queues=$q ;;
		esac
		dev=$(sim_nic_wait_dev $id)
		sim_dev_settle "$dev"
		want=$(min "$(min "$q" "$ncpu")" 64)
		want="$want $(min "$want" 16)"
		got=$(sim_eth_channels "" "$dev")
		echo "nic$id: host offers $q queues, $ncpu vCPUs: max/current combined $got"
		ktap_expect_eq "nic$id (queues=$q) max/current combined" "$got" "$want"
	done
}

# ethtool -L combined N for every N from 1 to max and back; the stack's queue
# counts, ethtool -S and the host's open subchannels follow; after each
# change the host has the RSS key, every queue in use sends and receives
# (guest counters and host channels) and no other channel carries anything.
#
# The in-tree driver (6.12) loses the key at -L 1 (ethtool -x shows zeros:
# it copies the key of a device that never set one) and gives the host an
# all-zero key at the next grow: every flow then hashes to queue 0 until
# the user sets a key.  That is asserted as such.
t_channels_set_each() {
	local max cur n got rxq sub out key0 hkey zero
	sim_begin
	sim_pair_setup
	key0=$(sim_eth_hkey 0 nic0)
	zero=$(printf '00:%.0s' $(seq 40))
	zero=${zero%:}
	read -r max cur <<<"$(sim_eth_channels 0 nic0)"
	[ "$max" -ge 2 ] || ktap_fail "max combined is $max ($ncpu vCPUs): nothing to change"
	[ "$max" -ge 4 ] || echo "warning: only $max channels, the suite wants a 4-vCPU guest"
	sim_tcp_sink 1 "$(sim_nic_ip 1)" 5002
	for n in $(seq 1 "$max") $(seq $((max - 1)) -1 1) "$max"; do
		sim_nx 0 ethtool -L nic0 combined "$n" || ktap_fail "ethtool -L nic0 combined $n failed"
		sim_dev_settle nic0 0
		out=$(sim_nx 0 sh -c 'ethtool -l nic0; ls /sys/class/net/nic0/queues; ethtool -S nic0')
		got=$(echo "$out" | awk '/^Combined:/ {v[n++]=$2} END {print v[0], v[1]}')
		ktap_expect_eq "after -L combined $n: max/current" "$got" "$max $n"
		if [ "$n" -ge 2 ]; then
			ktap_expect_eq "after -L combined $n: rx queues" "$(echo "$out" | grep -c '^rx-')" "$n"
			ktap_expect_eq "after -L combined $n: tx queues" "$(echo "$out" | grep -c '^tx-')" "$n"
		else
			# the in-tree driver leaves the stack's counts as they were
			echo "combined 1: the stack has $(echo "$out" | grep -c '^rx-') rx and $(echo "$out" | grep -c '^tx-') tx queues"
		fi
		rxq=$(echo "$out" | grep -c 'rx_queue_[0-9]*_packets:')
		ktap_expect_eq "after -L combined $n: rx_queue_N_packets in ethtool -S" "$rxq" "$n"
		# like lsvmbus: the VMBus channels of the device.  Our driver
		# shrinks live and keeps the unused channels open (parked)
		# until the next re-attach, so it may have more.
		if [ "$HV_NETVSC_DRIVER" = ours ]; then
			sub=$(sim_host_stat 0 subchannels_open) ||
				ktap_fail "the host reports no subchannels_open"
			[ "$sub" -ge $((n - 1)) ] && [ "$sub" -le $((max - 1)) ] ||
				ktap_fail "after -L combined $n: host subchannels_open $sub, want $((n - 1))..$((max - 1))"
		else
			if [ -r "/sys/bus/vmbus/devices/$(sim_nic_guid 0)/channel_vp_mapping" ]; then
				sim_vmbus_wait_channels 0 "$n"
			fi
			if sub=$(sim_host_stat 0 subchannels_open); then
				ktap_expect_eq "after -L combined $n: host subchannels_open" "$sub" $((n - 1))
			fi
		fi
		sim_wait_carrier 0 nic0 1
		if [ "$n" = 1 ]; then
			sim_every_queue_busy 0 1 1
		elif hkey=$(sim_host_rss 0 key) && [ "$HV_NETVSC_DRIVER" = intree ] && [ "$hkey" = "$zero" ]; then
			echo "combined $n: the in-tree driver gave the host an all-zero RSS key"
			sim_every_queue_busy 0 1 "$n" rx0
		else
			ktap_expect_eq "combined $n: host RSS key" "$hkey" "$key0"
			sim_every_queue_busy 0 1 "$n"
		fi
		echo "combined $n: ok"
	done
	if sim_nx 0 ethtool -L nic0 combined $((max + 1)) 2>&1; then
		ktap_fail "ethtool -L combined $((max + 1)) (above max $max) succeeded"
	fi
	ktap_expect_eq "after the refused -L: max/current" "$(sim_eth_channels 0 nic0)" "$max $max"
	sim_rss_key_back 0 "$key0"
}

# Refused -L requests change nothing: combined 0, rx/tx/other channels,
# above the maximum.  ethtool prints the kernel's "Invalid argument".
t_channels_invalid() {
	local before out arg
	sim_begin
	sim_pair_setup
	before=$(sim_eth_channels 0 nic0)
	for arg in "combined 0" "rx 1" "tx 1" "other 1" "combined $(( ${before%% *} + 1 ))"; do
		# shellcheck disable=SC2086
		if out=$(sim_nx 0 ethtool -L nic0 $arg 2>&1); then
			ktap_fail "ethtool -L nic0 $arg succeeded: '$out'"
		fi
		echo "-L $arg: $out"
		case "$out" in *"Invalid argument"*) ;; *) ktap_fail "-L $arg: '$out', want 'Invalid argument'" ;; esac
		ktap_expect_eq "max/current after -L $arg" "$(sim_eth_channels 0 nic0)" "$before"
	done
	sim_do_ping 0 "$(sim_nic_ip 1)" 2 >/dev/null
}

# Ours only (the in-tree driver re-attaches on every change): -L within the
# channels already open is live.  No link flap, same subchannels on the
# host, not one ping lost while shrinking to 1 and growing back; setting the
# current count sends nothing to the host.
t_channels_live() {
	local max cur n flaps0 sub0 rss0 tx rx lost out
	sim_begin
	[ "$HV_NETVSC_DRIVER" = ours ] || ktap_skip "in-tree hv_netvsc re-attaches on every channel change"
	sim_pair_setup
	read -r max cur <<<"$(sim_eth_channels 0 nic0)"
	[ "$max" -ge 2 ] || ktap_fail "max combined is $max: nothing to change"
	[ "$cur" = "$max" ] || { sim_nx 0 ethtool -L nic0 combined "$max"; sim_dev_settle nic0 0; }
	flaps0=$(sim_nx 0 cat /sys/class/net/nic0/carrier_changes)
	sub0=$(sim_host_stat 0 subchannels_open)
	rss0=$(sim_msg_count 0 'oid=0x00010204')
	sim_nx 0 ethtool -L nic0 combined "$max" || ktap_fail "-L combined $max (the current count) failed"
	ktap_expect_eq "RSS parameter sets after -L to the current count" \
		"$(sim_msg_count 0 'oid=0x00010204')" "$rss0"
	sim_ping_window_start 1 "$(sim_nic_ip 0)"
	for n in $(seq $((max - 1)) -1 1) $(seq 2 "$max"); do
		sim_nx 0 ethtool -L nic0 combined "$n" || ktap_fail "-L combined $n failed"
		ktap_expect_eq "after -L $n: max/current" "$(sim_eth_channels 0 nic0)" "$max $n"
		ktap_expect_eq "after -L $n: rx queues" "$(sim_nx 0 ls /sys/class/net/nic0/queues | grep -c '^rx-')" "$n"
	done
	out=$(sim_ping_window_stop)
	read -r tx rx lost <<<"$out"
	echo "pings over the changes: $tx sent, $rx answered, $lost lost"
	ktap_expect_eq "pings lost during the live changes (of $tx)" "$lost" 0
	ktap_expect_eq "carrier changes" "$(sim_nx 0 cat /sys/class/net/nic0/carrier_changes)" "$flaps0"
	ktap_expect_eq "host subchannels_open (no re-attach)" "$(sim_host_stat 0 subchannels_open)" "$sub0"
}

# A vCPU goes offline while the channel count changes, then comes back
# and the count grows again; the maximum follows the online vCPUs (a count
# above it is refused meanwhile; the in-tree driver keeps the lower one
# until its next attach), pings keep flowing (ours: none lost, the changes
# are live), every -L reads back, and traffic runs on all channels after.
t_channels_cpu_offline() {
	local max cur cpu on back tx rx lost out
	sim_begin
	sim_pair_setup
	read -r max cur <<<"$(sim_eth_channels 0 nic0)"
	[ "$max" -ge 3 ] || ktap_fail "max combined is $max: want 3"
	cpu=$((ncpu - 1))
	on=/sys/devices/system/cpu/cpu$cpu/online
	[ -w "$on" ] || ktap_fail "cpu$cpu cannot be taken offline"
	[ "$cur" = "$max" ] || { sim_nx 0 ethtool -L nic0 combined "$max"; sim_dev_settle nic0 0; }
	sim_ping_window_start 1 "$(sim_nic_ip 0)"
	echo 0 >"$on" &
	sim_nx 0 ethtool -L nic0 combined $((max - 1)) || ktap_fail "-L $((max - 1)) with cpu$cpu going offline failed"
	wait $! || ktap_fail "cpu$cpu did not go offline"
	sim_dev_settle nic0 0
	# the maximum follows the online vCPUs
	ktap_expect_eq "after -L $((max - 1)), cpu$cpu offline: max/current" \
		"$(sim_eth_channels 0 nic0)" "$((max - 1)) $((max - 1))"
	! sim_nx 0 ethtool -L nic0 combined "$max" 2>/dev/null ||
		ktap_fail "-L $max accepted with $((ncpu - 1)) vCPUs online"
	echo 1 >"$on" || ktap_fail "cpu$cpu did not come back"
	read -r back _ <<<"$(sim_eth_channels 0 nic0)"
	if [ "$HV_NETVSC_DRIVER" = ours ]; then
		ktap_expect_eq "maximum with cpu$cpu back" "$back" "$max"
	else
		echo "in-tree maximum with cpu$cpu back: $back (kept from its last attach)"
	fi
	# a pair left with fewer channels than the vCPUs allow: the next case
	# gets a new one
	[ "$back" = "$max" ] || rm -f "$SIM_PAIR"
	sim_nx 0 ethtool -L nic0 combined "$back" || ktap_fail "-L $back with cpu$cpu back failed"
	sim_dev_settle nic0 0
	ktap_expect_eq "after -L $back, cpu$cpu online: max/current" \
		"$(sim_eth_channels 0 nic0)" "$back $back"
	out=$(sim_ping_window_stop)
	read -r tx rx lost <<<"$out"
	echo "pings lost during the two changes: $lost of $tx"
	if [ "$HV_NETVSC_DRIVER" = ours ]; then
		ktap_expect_eq "pings lost (live changes)" "$lost" 0
	else
		[ "$lost" -lt "$tx" ] || ktap_fail "no ping answered"
	fi
	sim_do_iperf 0 1 "$(sim_nic_ip 1)" -P 8
}

# 64 parallel TCP streams nic0 -> nic1 (LISA's verify_device_statistics):
# every queue of both NICs carries traffic, RX on the receiver, TX on the
# sender, and the per-queue counters add up to the interface totals.
t_streams_64_all_queues() {
	local n q v sum tot stats
	sim_begin
	sim_pair_setup
	n=$(sim_eth_channels 1 nic1 | cut -d' ' -f2)
	[ "$n" -ge 2 ] || ktap_fail "nic1 has $n channel(s)"
	sim_do_iperf 0 1 "$(sim_nic_ip 1)" -P 64
	for q in $(seq 0 $((n - 1))); do
		v=$(sim_nx 1 ethtool -S nic1 | awk -v k="rx_queue_${q}_packets:" '$1 == k {print $2}')
		echo "nic1 rx_queue_${q}_packets $v"
		[ "${v:-0}" -gt 0 ] || ktap_fail "nic1 rx queue $q carried nothing under 64 streams"
		v=$(sim_nx 0 ethtool -S nic0 | awk -v k="tx_queue_${q}_packets:" '$1 == k {print $2}')
		echo "nic0 tx_queue_${q}_packets $v"
		[ "${v:-0}" -gt 0 ] || ktap_fail "nic0 tx queue $q carried nothing under 64 streams"
	done
	stats=$(sim_nx 1 ethtool -S nic1)
	sum=$(echo "$stats" | awk '/^ *rx_queue_[0-9]+_packets:/ {s += $2} END {print s}')
	tot=$(sim_nx 1 cat /sys/class/net/nic1/statistics/rx_packets)
	echo "nic1: per-queue rx sum $sum, rx_packets $tot"
	[ "$sum" -le "$tot" ] || ktap_fail "per-queue rx packets ($sum) above the total ($tot)"
}

# Ours only (the in-tree driver resets it to all zeros): a table set with
# ethtool -X survives a channel change that it still fits, a ring change and
# an MTU change, and the key with it.
t_rxfh_user_survives() {
	local n table key
	sim_begin
	[ "$HV_NETVSC_DRIVER" = ours ] || ktap_skip "in-tree hv_netvsc resets a user RSS table on re-attach"
	sim_pair_setup
	n=$(sim_eth_channels 0 nic0 | cut -d' ' -f2)
	[ "$n" -ge 3 ] || ktap_fail "nic0 has $n channels, want 3"
	sim_nx 0 ethtool -X nic0 weight 1 2 hkey 0f:1e:2d:3c:4b:5a:69:78:87:96:a5:b4:c3:d2:e1:f0:01:23:45:67:89:ab:cd:ef:fe:dc:ba:98:76:54:32:10:13:57:9b:df:24:68:ac:e0 ||
		ktap_fail "ethtool -X weight 1 2 hkey failed"
	table=$(sim_eth_indir 0 nic0)
	key=$(sim_eth_hkey 0 nic0)
	echo "table: $table"
	[ -z "$(echo "$table" | tr ' ' '\n' | grep -vx '[01]')" ] || ktap_fail "weight 1 2 gave entries other than 0/1"
	sim_nx 0 ethtool -L nic0 combined $((n - 1)) || ktap_fail "-L combined $((n - 1)) failed"
	ktap_expect_eq "table after -L $((n - 1))" "$(sim_eth_indir 0 nic0)" "$table"
	sim_nx 0 ethtool -L nic0 combined "$n"
	ktap_expect_eq "table after -L $n" "$(sim_eth_indir 0 nic0)" "$table"
	sim_nx 0 ethtool -G nic0 rx 4096 || ktap_fail "-G rx 4096 failed"
	sim_dev_settle nic0 0
	ktap_expect_eq "table after -G" "$(sim_eth_indir 0 nic0)" "$table"
	re_mtu() { ip -n hvs0 link set nic0 mtu "$1"; sim_dev_settle nic0 0; }
	re_mtu 1400
	re_mtu 1500
	ktap_expect_eq "table after an MTU change" "$(sim_eth_indir 0 nic0)" "$table"
	ktap_expect_eq "key after all that" "$(sim_eth_hkey 0 nic0)" "$key"
	sim_expect_host_rss 0 nic0 "after -L, -G and an MTU change"
	sim_nx 0 ethtool -G nic0 rx 9709
	sim_dev_settle nic0 0
	sim_nx 0 ethtool -X nic0 default
	sim_nx 0 ethtool -X nic0 hkey 6d:5a:56:da:25:5b:0e:c2:41:67:25:3d:43:a3:8f:b0:d0:ca:2b:cb:ae:7b:30:b4:77:cb:2d:a3:80:30:f2:0c:6a:42:b7:3b:be:ac:01:fa
	sim_wait_carrier 0 nic0 1
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
}

# Frames land on the queue the indirection table names: point the whole
# table at queue k, ping nic1 from nic0 (static neighbours, IPv6 off: no
# other frames), only nic1's rx_queue_k_packets moves.
t_rss_indir_steering() {
	local n k w i before after delta table
	sim_begin
	sim_pair_setup
	sim_static_neigh 0 1
	n=$(sim_eth_channels 1 nic1 | cut -d' ' -f2)
	[ "$n" -ge 2 ] || ktap_fail "nic1 has $n channel(s): nothing to steer"
	for k in $(seq 0 $((n - 1))); do
		w=
		for i in $(seq 0 $((n - 1))); do
			w="$w $([ "$i" = "$k" ] && echo 1 || echo 0)"
		done
		sim_nx 1 ethtool -X nic1 weight $w || ktap_fail "ethtool -X nic1 weight$w failed"
		sim_expect_host_rss 1 nic1 "-X weight$w"
		table=$(sim_eth_indir 1 nic1)
		[ -n "$table" ] || ktap_fail "ethtool -x nic1 shows no indirection table"
		[ -z "$(echo "$table" | tr ' ' '\n' | grep -vx "$k")" ] ||
			ktap_fail "after -X weight$w: table is '$table', want every entry $k"
		before=$(sim_eth_rxq 1 nic1)
		sim_do_ping 0 "$(sim_nic_ip 1)" 10 >/dev/null
		after=$(sim_eth_rxq 1 nic1)
		delta=$(sim_rxq_delta "$before" "$after")
		echo "table -> queue $k: rx_queue deltas $delta"
		sim_expect_only_queue "table all $k" "$delta" "$k" 10
	done
	sim_nx 1 ethtool -X nic1 equal 1 || ktap_fail "ethtool -X nic1 equal 1 failed"
	before=$(sim_eth_rxq 1 nic1)
	sim_do_ping 0 "$(sim_nic_ip 1)" 5 >/dev/null
	delta=$(sim_rxq_delta "$before" "$(sim_eth_rxq 1 nic1)")
	echo "equal 1: rx_queue deltas $delta"
	sim_expect_only_queue "equal 1" "$delta" 0 5
	sim_nx 1 ethtool -X nic1 default
	sim_static_neigh_del 0 1
}

# The host hashes like Hyper-V: Toeplitz over IPv4 addresses (ICMP, UDP: the
# driver enables no UDP hashing) or addresses and ports (TCP), with the
# guest's key, indexing the guest's table.  Checked for the default key and
# a key set with ethtool -X hkey: ICMP and UDP flows from several source
# addresses must move exactly the per-queue counts the hash predicts; every
# TCP connection (several source ports) must land on its predicted queue.
t_rss_toeplitz() {
	local n key key0 table src sport q before delta want round i
	local -a exp
	sim_begin
	sim_pair_setup
	sim_toeplitz_selftest
	n=$(sim_eth_channels 1 nic1 | cut -d' ' -f2)
	[ "$n" -ge 2 ] || ktap_fail "nic1 has $n channel(s): nothing to spread"
	for src in 11 12 13 14 15 16; do
		ip -n hvs0 addr add "$SIM_NET.$src/24" dev nic0
		ip -n hvs1 neigh replace "$SIM_NET.$src" lladdr "$(sim_nic_mac 0)" dev nic1 nud permanent
	done
	sim_static_neigh 0 1
	sim_tcp_sink 1 "$(sim_nic_ip 1)" 5001
	key0=$(sim_eth_hkey 1 nic1)
	for round in 1 2; do
		if [ $round = 2 ]; then
			sim_nx 1 ethtool -X nic1 hkey 01:23:45:67:89:ab:cd:ef:fe:dc:ba:98:76:54:32:10:0f:1e:2d:3c:4b:5a:69:78:87:96:a5:b4:c3:d2:e1:f0:13:57:9b:df:24:68:ac:e0 ||
				ktap_fail "ethtool -X nic1 hkey failed"
		fi
		key=$(sim_eth_hkey 1 nic1)
		table=$(sim_eth_indir 1 nic1)
		echo "round $round: key $key, table of $(echo "$table" | wc -w)"
		# ICMP: 3 echo requests from each of 4 addresses
		exp=()
		for ((i = 0; i < n; i++)); do exp[i]=0; done
		before=$(sim_eth_rxq 1 nic1)
		for src in 11 12 13 14; do
			q=$(sim_rss_queue "$key" "$table" "$SIM_NET.$src" "$(sim_nic_ip 1)")
			exp[q]=$((exp[q] + 3))
			sim_do_ping 0 "$(sim_nic_ip 1)" 3 -I "$SIM_NET.$src" >/dev/null
		done
		delta=$(sim_rxq_wait 1 nic1 "$before" 12)
		echo "icmp: rx_queue deltas $delta, predicted ${exp[*]}"
		ktap_expect_eq "ICMP frames per queue (Toeplitz over the addresses)" "$delta" "${exp[*]}"
		# UDP: 3 datagrams from each of 4 (address, port); ports not hashed
		want=
		for ((i = 0; i < n; i++)); do exp[i]=0; done
		for src in 15:$((4000 + round)) 15:$((4100 + round)) 16:$((4200 + round)) 16:$((4300 + round)); do
			q=$(sim_rss_queue "$key" "$table" "$SIM_NET.${src%:*}" "$(sim_nic_ip 1)")
			exp[q]=$((exp[q] + 3))
			want="$want $SIM_NET.$src"
		done
		before=$(sim_eth_rxq 1 nic1)
		sim_udp_send 0 "$want" "$(sim_nic_ip 1)" 5001
		delta=$(sim_rxq_wait 1 nic1 "$before" 12)
		echo "udp: rx_queue deltas $delta, predicted ${exp[*]}"
		ktap_expect_eq "UDP frames per queue (Toeplitz over the addresses only)" "$delta" "${exp[*]}"
		# TCP: one connection per source port, hashed with the ports
		for sport in 40001 40002 40003 40004 40005; do
			sport=$((sport + 100 * round))
			q=$(sim_rss_queue "$key" "$table" "$(sim_nic_ip 0)" "$(sim_nic_ip 1)" $sport 5001)
			before=$(sim_eth_rxq 1 nic1)
			sim_tcp_send 0 $sport "$(sim_nic_ip 1)" 5001
			delta=$(sim_rxq_wait 1 nic1 "$before" 3)
			echo "tcp $(sim_nic_ip 0):$sport: expect queue $q, deltas $delta"
			sim_expect_only_queue "TCP from port $sport" "$delta" "$q" 3
		done
	done
	sim_nx 1 ethtool -X nic1 hkey "$key0"
	for src in 11 12 13 14 15 16; do
		ip -n hvs0 addr del "$SIM_NET.$src/24" dev nic0
		ip -n hvs1 neigh del "$SIM_NET.$src" dev nic1
	done
	sim_static_neigh_del 0 1
}

# ethtool -X key and table read back and reach the host; refused changes
# leave them alone; the key survives a channel change.
t_rxfh_readback() {
	local n key key0 key2 table want i
	sim_begin
	sim_pair_setup
	n=$(sim_eth_channels 0 nic0 | cut -d' ' -f2)
	[ "$n" -ge 2 ] || ktap_fail "nic0 has $n channel(s)"
	key0=6d:5a:56:da:25:5b:0e:c2:41:67:25:3d:43:a3:8f:b0:d0:ca:2b:cb:ae:7b:30:b4:77:cb:2d:a3:80:30:f2:0c:6a:42:b7:3b:be:ac:01:fa
	ktap_expect_eq "default key" "$(sim_eth_hkey 0 nic0)" \
		6d:5a:56:da:25:5b:0e:c2:41:67:25:3d:43:a3:8f:b0:d0:ca:2b:cb:ae:7b:30:b4:77:cb:2d:a3:80:30:f2:0c:6a:42:b7:3b:be:ac:01:fa
	table=$(sim_eth_indir 0 nic0)
	want=$(i=0; for e in $table; do printf '%s ' $((i % n)); i=$((i + 1)); done | sed 's/ $//')
	ktap_expect_eq "default table" "$table" "$want"
	echo "table size $(echo "$table" | wc -w)"
	sim_expect_host_rss 0 nic0 "default"

	key=00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:10:32:54:76:98:ba:dc:fe:01:02:03:04:05:06:07:08:09:0a:0b:0c:0d:0e:0f:10
	sim_nx 0 ethtool -X nic0 hkey $key || ktap_fail "ethtool -X hkey failed"
	ktap_expect_eq "key after -X hkey" "$(sim_eth_hkey 0 nic0)" $key
	ktap_expect_eq "table after -X hkey" "$(sim_eth_indir 0 nic0)" "$want"
	sim_expect_host_rss 0 nic0 "-X hkey"

	sim_nx 0 ethtool -X nic0 equal 2 || ktap_fail "ethtool -X equal 2 failed"
	want=$(i=0; for e in $table; do printf '%s ' $((i % 2)); i=$((i + 1)); done | sed 's/ $//')
	ktap_expect_eq "table after -X equal 2" "$(sim_eth_indir 0 nic0)" "$want"
	ktap_expect_eq "key after -X equal 2" "$(sim_eth_hkey 0 nic0)" $key
	sim_expect_host_rss 0 nic0 "-X equal 2"

	if sim_nx 0 ethtool -X nic0 equal $((n + 1)) 2>&1; then
		ktap_fail "ethtool -X equal $((n + 1)) with $n rings succeeded"
	fi
	ktap_expect_eq "table after a refused -X" "$(sim_eth_indir 0 nic0)" "$want"
	sim_expect_host_rss 0 nic0 "a refused -X"
	if sim_nx 0 ethtool -X nic0 hfunc xor 2>&1; then
		ktap_fail "ethtool -X hfunc xor succeeded (only toeplitz is supported)"
	fi
	sim_nx 0 ethtool -x nic0 | grep -q 'toeplitz: on' || ktap_fail "hash function is not toeplitz"

	key2=ff:ee:dd:cc:bb:aa:99:88:77:66:55:44:33:22:11:00:ef:cd:ab:89:67:45:23:01:10:20:30:40:50:60:70:80:90:a0:b0:c0:d0:e0:f0:00
	sim_nx 0 ethtool -X nic0 hkey $key2 equal 1 || ktap_fail "ethtool -X hkey equal 1 failed"
	ktap_expect_eq "key after -X hkey equal 1" "$(sim_eth_hkey 0 nic0)" $key2
	ktap_expect_eq "table after -X hkey equal 1" "$(sim_eth_indir 0 nic0)" "$(echo "$table" | sed 's/[0-9]\+/0/g')"
	sim_expect_host_rss 0 nic0 "-X hkey equal 1"
	sim_nx 0 ethtool -X nic0 default || ktap_fail "ethtool -X default failed"

	# (with one channel there is no RSS and the key is not kept)
	if [ "$n" -ge 3 ]; then
		sim_nx 0 ethtool -L nic0 combined $((n - 1)) || ktap_fail "ethtool -L combined $((n - 1)) failed"
		sim_dev_settle nic0 0
		ktap_expect_eq "key after -L combined $((n - 1))" "$(sim_eth_hkey 0 nic0)" $key2
		sim_expect_host_rss 0 nic0 "-L combined $((n - 1))"
		sim_nx 0 ethtool -L nic0 combined "$n"
		sim_dev_settle nic0 0
		sim_wait_carrier 0 nic0 1
	fi
	sim_nx 0 ethtool -X nic0 hkey "$key0"
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
}

# tx_spread ID PEER [iperf3 args]: an 8-stream iperf3 run from nicID to
# nicPEER; prints "N PCT": how many of nicID's TX queues carried more than
# 5 % of the bytes it sent, and the share of the busiest one.
tx_spread() {
	local id=$1 peer=$2 b0
	shift 2
	b0=$(sim_eth_qstat "$id" "nic$id" tx bytes)
	sim_do_iperf "$id" "$peer" "$(sim_nic_ip "$peer")" -P 8 "$@" >/dev/null
	sim_rxq_delta "$b0" "$(sim_eth_qstat "$id" "nic$id" tx bytes)" |
		awk '{for (i = 1; i <= NF; i++) {s += $i; if ($i > m) m = $i}
		      for (i = 1; i <= NF; i++) if ($i * 20 > s) k++
		      printf "%d %d\n", k, s ? m * 100 / s : 0}'
}

# rx-flow-hash: tcp4/udp4 switch between sd and sdfn and read back; other
# field sets are refused.  The setting picks the TX queue of a flow: with
# sd every flow between two addresses leaves on one queue, with sdfn eight
# flows spread over the queues.
t_rx_flow_hash() {
	local flow out k pct args
	sim_begin
	sim_pair_setup
	[ "$(sim_eth_channels 0 nic0 | cut -d' ' -f2)" -ge 2 ] || ktap_fail "nic0 has one channel"
	for flow in tcp4 udp4 tcp6 udp6; do
		sim_nx 0 ethtool -n nic0 rx-flow-hash $flow | grep -q 'L4 bytes 0 & 1' ||
			ktap_fail "$flow: default is not sdfn: $(sim_nx 0 ethtool -n nic0 rx-flow-hash $flow)"
	done
	for flow in tcp4 udp4; do
		args=
		[ $flow = udp4 ] && args="-u -b 5M"
		sim_nx 0 ethtool -N nic0 rx-flow-hash $flow sd || ktap_fail "-N rx-flow-hash $flow sd failed"
		sim_nx 0 ethtool -n nic0 rx-flow-hash $flow | grep -q 'L4 bytes' &&
			ktap_fail "$flow after sd still hashes L4: $(sim_nx 0 ethtool -n nic0 rx-flow-hash $flow)"
		sim_nx 0 ethtool -n nic0 rx-flow-hash $flow | grep -q 'IP DA' ||
			ktap_fail "$flow after sd does not hash IP DA"
		# shellcheck disable=SC2086
		read -r k pct <<<"$(tx_spread 0 1 $args)"
		echo "$flow sd: 8 flows, $k TX queues over 5 %, the busiest $pct %"
		[ "$pct" -ge 95 ] || ktap_fail "$flow sd: the busiest TX queue sent $pct % of the bytes, want one queue for all flows"
		sim_nx 0 ethtool -N nic0 rx-flow-hash $flow sdfn || ktap_fail "-N rx-flow-hash $flow sdfn failed"
		sim_nx 0 ethtool -n nic0 rx-flow-hash $flow | grep -q 'L4 bytes 2 & 3' ||
			ktap_fail "$flow after sdfn does not hash L4: $(sim_nx 0 ethtool -n nic0 rx-flow-hash $flow)"
		# shellcheck disable=SC2086
		read -r k pct <<<"$(tx_spread 0 1 $args)"
		echo "$flow sdfn: 8 flows, $k TX queues over 5 %, the busiest $pct %"
		[ "$k" -ge 2 ] || ktap_fail "$flow sdfn: 8 flows left on $k TX queue(s), want them spread"
		# (ethtool 6.1 -N exits 0 when the kernel refuses; look at its words)
		out=$(sim_nx 0 ethtool -N nic0 rx-flow-hash $flow s 2>&1) && [ -z "$out" ] &&
			ktap_fail "-N rx-flow-hash $flow s (source address only) succeeded"
		echo "-N rx-flow-hash $flow s: $out"
		sim_nx 0 ethtool -n nic0 rx-flow-hash $flow | grep -q 'L4 bytes 2 & 3' ||
			ktap_fail "$flow changed by a refused -N"
	done
}

# The host moves the guest's sends at run time (a new send indirection
# table): ethtool -d shows the table, and new flows leave on the channel
# it names (guest TX queue and host channel); "default" brings it back.
t_send_table_runtime() {
	local n k i t tab b0 d q
	local -a a
	sim_begin
	sim_pair_setup
	n=$(sim_eth_channels 0 nic0 | cut -d' ' -f2)
	[ "$n" -ge 2 ] || ktap_fail "nic0 has $n channel(s)"
	ktap_expect_eq "send table at start" "$(sim_send_table 0)" "$(<"$SIM/nic0/send_table")"
	for k in $((n - 1)) 0; do
		t=
		for i in $(seq 16); do t="$t $k"; done
		sim_knob 0 send_table "${t# }"
		for i in $(seq 50); do
			tab=$(sim_send_table 0)
			[ "$tab" = "${t# }" ] && break
			sim_ssleep 0.1
		done
		ktap_expect_eq "ethtool -d after the host's table of all $k" "$tab" "${t# }"
		b0=$(sim_host_chans 0 tx)
		sim_do_iperf 0 1 "$(sim_nic_ip 1)" -P 4 >/dev/null
		d=$(sim_rxq_delta "$b0" "$(sim_host_chans 0 tx)")
		read -ra a <<<"$d"
		echo "host table all $k: frames per channel from nic0 ${a[*]:0:n}"
		for ((q = 0; q < n; q++)); do
			if [ $q = "$k" ]; then
				[ "${a[q]}" -gt 100 ] || ktap_fail "channel $k carried ${a[q]} frames of 4 streams"
			else
				# a few frames of flows from before the change
				[ "${a[q]}" -lt $((a[k] / 20)) ] ||
					ktap_fail "channel $q carried ${a[q]} frames (channel $k: ${a[k]}), the host's table says $k"
			fi
		done
	done
	sim_knob 0 send_table default
	ktap_expect_eq "ethtool -d after the host's default table" "$(sim_send_table 0)" "$(<"$SIM/nic0/send_table")"
}

# ethtool -G: rx/tx sections read back exactly for sizes that are whole
# pages (rx multiple of 64 x 1728 B, tx even x 6144 B); traffic flows;
# the original values come back.
t_ring_params() {
	local rxmax txmax rx0 tx0 rx tx
	sim_begin
	sim_pair_setup
	read -r rxmax txmax rx0 tx0 <<<"$(sim_nx 0 ethtool -g nic0 |
		awk '/^RX:/ {r[nr++]=$2} /^TX:/ {t[nt++]=$2} END {print r[0], t[0], r[1], t[1]}')"
	echo "max rx $rxmax tx $txmax, current rx $rx0 tx $tx0"
	rx=4096
	tx=128
	[ "$rxmax" -ge $rx ] || rx=$(( rxmax / 128 * 64 ))
	[ "$txmax" -ge $tx ] || tx=$(( txmax / 4 * 2 ))
	sim_nx 0 ethtool -G nic0 rx $rx tx $tx || ktap_fail "ethtool -G rx $rx tx $tx failed"
	sim_dev_settle nic0 0
	ktap_expect_eq "rx/tx after -G rx $rx tx $tx" \
		"$(sim_nx 0 ethtool -g nic0 | awk '/^RX:/ {r=$2} /^TX:/ {t=$2} END {print r, t}')" "$rx $tx"
	ktap_expect_eq "host recv/send sections after -G rx $rx tx $tx" \
		"$(sim_host_stat 0 recv_sections) $(sim_host_stat 0 send_sections)" "$rx $tx"
	sim_wait_carrier 0 nic0 1
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
	sim_do_iperf 0 1 "$(sim_nic_ip 1)"
	if sim_nx 0 ethtool -G nic0 rx $((rxmax + 1)) 2>&1; then
		ktap_fail "ethtool -G rx $((rxmax + 1)) (above max) succeeded"
	fi
	sim_nx 0 ethtool -G nic0 rx "$rx0" tx "$tx0" || ktap_fail "ethtool -G back to rx $rx0 tx $tx0 failed"
	sim_dev_settle nic0 0
	ktap_expect_eq "rx/tx after restoring" \
		"$(sim_nx 0 ethtool -g nic0 | awk '/^RX:/ {r=$2} /^TX:/ {t=$2} END {print r, t}')" "$rx0 $tx0"
	sim_wait_carrier 0 nic0 1
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
}

# ring_now ID: the current "RX TX" of ethtool -g nicID.
ring_now() {
	sim_nx "$1" ethtool -g "nic$1" | awk '/^RX:/ {r=$2} /^TX:/ {t=$2} END {print r, t}'
}

# A change that re-attaches, -G and -L above the channels open, while the
# host refuses the new bring-up's buffer GPADL (fault_refuse_gpadl 1).
# Ours prepares the new bring-up before it touches the running one: each
# change fails with the host's error and the running configuration goes on
# as it was: no NVSP INIT (no re-attach), the host's sections and
# subchannels as before, no carrier change, not one ping lost.  In-tree:
# it detaches first and attaches the old configuration again; its gap is
# printed, and the old configuration must work after.  Then the same
# changes go through once the host takes buffers again.  (Planted fault:
# ours before prepare-then-commit fails here: "NVSP INITs (re-attaches)",
# "carrier changes".)
t_change_refused_runs_on() {
	local max cur rx0 tx0 rx tx init0 flaps0 sec0 sub0 out sent got lost key0
	sim_begin
	sim_pair_setup
	read -r max cur <<<"$(sim_eth_channels 0 nic0)"
	[ "$max" -ge 2 ] || ktap_fail "max combined is $max: no grow to try"
	key0=$(sim_eth_hkey 0 nic0)
	# one channel open: -L max must then re-attach, for ours too
	sim_nx 0 ethtool -L nic0 combined 1
	sim_re_attach 0
	read -r rx0 tx0 <<<"$(ring_now 0)"
	rx=$((rx0 / 128 * 64))
	tx=$((tx0 / 4 * 2))
	init0=$(sim_msg_count 0 'nvsp INIT ')
	flaps0=$(sim_nx 0 cat /sys/class/net/nic0/carrier_changes)
	sec0="$(sim_host_stat 0 recv_sections) $(sim_host_stat 0 send_sections)"
	sub0=$(sim_host_stat 0 subchannels_open)
	sim_ping_window_start 1 "$(sim_nic_ip 0)"
	sim_knob 0 fault_refuse_gpadl 1
	if sim_nx 0 ethtool -G nic0 rx $rx tx $tx; then
		ktap_fail "-G rx $rx tx $tx succeeded although the host refused its buffer"
	fi
	ktap_expect_eq "GPADL refusals left after -G" "$(cat "$SIM/nic0/fault_refuse_gpadl")" 0
	sim_dev_settle nic0 0
	sim_knob 0 fault_refuse_gpadl 1
	if sim_nx 0 ethtool -L nic0 combined "$max"; then
		ktap_fail "-L combined $max succeeded although the host refused its buffer"
	fi
	ktap_expect_eq "GPADL refusals left after -L" "$(cat "$SIM/nic0/fault_refuse_gpadl")" 0
	sim_dev_settle nic0 0
	sim_wait_carrier 0 nic0 1
	out=$(sim_ping_window_stop)
	read -r sent got lost <<<"$out"
	echo "pings over the refused changes: $sent sent, $got answered, $lost lost"
	ktap_expect_eq "rx/tx after the refused changes" "$(ring_now 0)" "$rx0 $tx0"
	ktap_expect_eq "channels after the refused changes" "$(sim_eth_channels 0 nic0)" "$max 1"
	if [ "$HV_NETVSC_DRIVER" = ours ]; then
		ktap_expect_eq "NVSP INITs (re-attaches)" "$(sim_msg_count 0 'nvsp INIT ')" "$init0"
		ktap_expect_eq "carrier changes" "$(sim_nx 0 cat /sys/class/net/nic0/carrier_changes)" "$flaps0"
		ktap_expect_eq "pings lost (of $sent)" "$lost" 0
		ktap_expect_eq "host recv/send sections" \
			"$(sim_host_stat 0 recv_sections) $(sim_host_stat 0 send_sections)" "$sec0"
		ktap_expect_eq "host subchannels_open" "$(sim_host_stat 0 subchannels_open)" "$sub0"
	fi
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
	sim_nx 0 ethtool -G nic0 rx $rx tx $tx || ktap_fail "-G rx $rx tx $tx failed with the host taking buffers"
	sim_dev_settle nic0 0
	ktap_expect_eq "host recv/send sections after -G" \
		"$(sim_host_stat 0 recv_sections) $(sim_host_stat 0 send_sections)" "$rx $tx"
	sim_nx 0 ethtool -L nic0 combined "$max" || ktap_fail "-L combined $max failed with the host taking buffers"
	sim_dev_settle nic0 0
	ktap_expect_eq "channels after -L" "$(sim_eth_channels 0 nic0)" "$max $max"
	sim_wait_carrier 0 nic0 1
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
	sim_nx 0 ethtool -G nic0 rx "$rx0" tx "$tx0" || ktap_fail "-G back to rx $rx0 tx $tx0 failed"
	sim_dev_settle nic0 0
	sim_rss_key_back 0 "$key0"
}

# Offloads on by default when the host offers them (LISA's
# verify_device_enabled_features); GRO toggles; msglvl reads back.
t_features() {
	local f want v l
	sim_begin
	sim_pair_setup
	sim_nx 0 ethtool -k nic0 | grep -E '^(rx-checksumming|tx-checksumming|tcp-segmentation-offload|scatter-gather|large-receive-offload|generic-receive-offload):'
	for f in rx-checksumming scatter-gather generic-receive-offload; do
		ktap_expect_eq "$f" "$(feature 0 $f)" on
	done
	want=on
	[ "$(cat "$SIM/nic0/offload_csum")" = 1 ] || want=off
	ktap_expect_eq "tx-checksumming (host offload_csum=$(cat "$SIM/nic0/offload_csum"))" \
		"$(feature 0 tx-checksumming)" $want
	[ "$(cat "$SIM/nic0/offload_tso")" = 1 ] || want=off
	ktap_expect_eq "tcp-segmentation-offload (host offload_tso=$(cat "$SIM/nic0/offload_tso"))" \
		"$(feature 0 tcp-segmentation-offload)" $want
	sim_nx 0 ethtool -K nic0 gro off
	ktap_expect_eq "GRO after -K gro off" "$(feature 0 generic-receive-offload)" off
	sim_do_iperf 1 0 "$(sim_nic_ip 0)"
	sim_nx 0 ethtool -K nic0 gro on
	ktap_expect_eq "GRO after -K gro on" "$(feature 0 generic-receive-offload)" on
	v=$(sim_nx 0 ethtool nic0 | awk '/Current message level:/ {print $4}')
	sim_nx 0 ethtool -s nic0 msglvl probe on tx_done on
	sim_nx 0 ethtool nic0 | grep -A1 'Current message level:'
	sim_nx 0 ethtool nic0 | grep -A1 'Current message level:' | tail -n 1 | grep -qw tx_done ||
		ktap_fail "msglvl tx_done on did not read back"
	sim_nx 0 ethtool -s nic0 msglvl tx_done off
	sim_nx 0 ethtool nic0 | grep -A1 'Current message level:' | tail -n 1 | grep -qw tx_done &&
		ktap_fail "msglvl tx_done off did not read back"
	sim_nx 0 ethtool -s nic0 msglvl "$v"
	ktap_expect_eq "msglvl restored" "$(sim_nx 0 ethtool nic0 | awk '/Current message level:/ {print $4}')" "$v"
	v=$(sim_nx 0 ethtool -i nic0)
	ktap_expect_eq "ethtool -i driver" "$(awk '/^driver:/ {print $2}' <<<"$v")" hv_netvsc
	# ours: the version of the tree (VERSION) marked -oot, as modinfo says
	l=$(awk '/^version:/ {print $2}' <<<"$v")
	if [ "$HV_NETVSC_DRIVER" = ours ]; then
		ktap_expect_eq "ethtool -i version" "$l" "$(cat "$HVNV_TOP/VERSION")-oot"
	else
		case "$l" in *-oot) ktap_fail "in-tree driver reports version $l" ;; esac
	fi
	# (the VMBus device's name, cut to ethtool's 32-byte field)
	l=$(sim_nic_guid 0)
	ktap_expect_eq "ethtool -i bus-info" "$(awk '/^bus-info:/ {print $2}' <<<"$v")" "${l:0:31}"
	# software timestamps (ethtool_op_get_ts_info), as the in-tree driver
	v=$(sim_nx 0 ethtool -T nic0)
	for l in software-transmit software-receive software-system-clock; do
		grep -q "$l" <<<"$v" || ktap_fail "ethtool -T: no $l in: $v"
	done
}

# netdev-genl, read with the kernel's own YNL library over netlink: every
# RX and TX queue of nic0 is listed, one per channel, each linked to a NAPI
# instance that the NAPI dump lists for nic0.  Ours also reports per-queue
# statistics (qstats) equal to ethtool -S once traffic has stopped; the
# in-tree driver has no qstats.
t_netdev_genl() {
	local src n
	sim_begin
	sim_pair_setup
	src=/lib/modules/$(uname -r)/build/source
	[ -f "$src/tools/net/ynl/lib/ynl.py" ] || ktap_fail "no YNL library under $src/tools/net/ynl"
	n=$(sim_eth_channels 0 nic0 | cut -d' ' -f2)
	sim_do_iperf 1 0 "$(sim_nic_ip 0)" -P 16
	sim_nx 0 /usr/bin/python3 - "$src" "$n" "$HV_NETVSC_DRIVER" <<-'EOF'
	import subprocess, sys, time
	src, n, drv = sys.argv[1], int(sys.argv[2]), sys.argv[3]
	sys.path.insert(0, src + '/tools/net/ynl')
	from lib import YnlFamily
	nl = YnlFamily(src + '/Documentation/netlink/specs/netdev.yaml', schema='')
	ifindex = int(open('/sys/class/net/nic0/ifindex').read())
	queues = [q for q in nl.dump('queue-get', {'ifindex': ifindex})]
	napis = {a['id'] for a in nl.dump('napi-get', {'ifindex': ifindex})}
	for kind in ('rx', 'tx'):
	    ids = sorted(q['id'] for q in queues if q['type'] == kind)
	    print(f'{kind} queues {ids}, napi ids',
	          sorted(q.get('napi-id', 0) for q in queues if q['type'] == kind))
	    if ids != list(range(n)):
	        sys.exit(f'{kind} queues {ids}, want 0..{n - 1}')
	    bad = [q['id'] for q in queues if q['type'] == kind and q.get('napi-id') not in napis]
	    if bad:
	        sys.exit(f'{kind} queues {bad} not linked to a NAPI of nic0 ({sorted(napis)})')
	if len(napis) != n:
	    sys.exit(f'{len(napis)} NAPI instances, want {n}')
	if drv != 'ours':
	    sys.exit(0)
	def ethtool():
	    out = subprocess.run(['ethtool', '-S', 'nic0'], capture_output=True, text=True).stdout
	    return {k.strip(): int(v) for k, v in (l.split(':') for l in out.splitlines()[1:])}
	for attempt in range(5):
	    st = {(q['queue-type'], q['queue-id']): q
	          for q in nl.dump('qstats-get', {'ifindex': ifindex, 'scope': 'queue'})}
	    es = ethtool()
	    diff = []
	    for q in range(n):
	        for kind in ('rx', 'tx'):
	            for what in ('packets', 'bytes'):
	                a = st.get((kind, q), {}).get(f'{kind}-{what}')
	                b = es.get(f'{kind}_queue_{q}_{what}')
	                if a != b or b is None:
	                    diff.append(f'{kind} queue {q} {what}: qstats {a}, ethtool -S {b}')
	    busy = [q for q in range(n) if es.get(f'rx_queue_{q}_packets')]
	    if len(busy) < min(n, 2):
	        sys.exit(f'traffic reached rx queues {busy} only: nothing to compare')
	    if not diff:
	        print(f'qstats of {n} queues equal ethtool -S, e.g. rx queue 0:', st[('rx', 0)])
	        sys.exit(0)
	    time.sleep(0.5)
	sys.exit('; '.join(diff))
	EOF
}

feature() { sim_nx "$1" ethtool -k "nic$1" | awk -v f="$2:" '$1 == f {print $2}'; }

lro_state() { sim_nx 0 ethtool -k nic0 | awk '/^large-receive-offload:/ {print $2}'; }

# ethtool -K lro off/on reads back and reaches the host
# (OID_TCP_OFFLOAD_PARAMETERS, 0xfc01020c).
t_lro_toggle() {
	local l c0 c1 r0 r1
	sim_begin
	sim_pair_setup
	l=$(sim_nx 0 ethtool -k nic0 | grep '^large-receive-offload:')
	echo "$l"
	case "$l" in *fixed*) ktap_fail "LRO is fixed ('$l') though the host offers RSC by default" ;; esac
	ktap_expect_eq "LRO by default" "$(lro_state)" on
	ktap_expect_eq "host rsc_enabled by default" "$(sim_host_stat 0 rsc_enabled)" 1
	c0=$(sim_msg_count 0 'oid=0xfc01020c')
	sim_nx 0 ethtool -K nic0 lro off
	ktap_expect_eq "LRO after -K lro off" "$(lro_state)" off
	ktap_expect_eq "host rsc_enabled after -K lro off" "$(sim_host_stat 0 rsc_enabled)" 0
	r0=$(sim_host_stat 0 rsc_packets)
	sim_do_iperf 1 0 "$(sim_nic_ip 0)"
	r1=$(sim_host_stat 0 rsc_packets)
	ktap_expect_eq "frames the host coalesced for nic0 with LRO off" $((r1 - r0)) 0
	sim_nx 0 ethtool -K nic0 lro on
	ktap_expect_eq "LRO after -K lro on" "$(lro_state)" on
	ktap_expect_eq "host rsc_enabled after -K lro on" "$(sim_host_stat 0 rsc_enabled)" 1
	r0=$(sim_host_stat 0 rsc_packets)
	sim_do_iperf 1 0 "$(sim_nic_ip 0)"
	r1=$(sim_host_stat 0 rsc_packets)
	echo "frames the host coalesced for nic0 with LRO on: $((r1 - r0))"
	[ $((r1 - r0)) -gt 0 ] || ktap_fail "the host coalesced nothing for nic0 with LRO on"
	c1=$(sim_msg_count 0 'oid=0xfc01020c')
	ktap_expect_eq "host: OID_TCP_OFFLOAD_PARAMETERS sets during the toggle" $((c1 - c0)) 2
}

# txc_now: nic0's "tx-usecs tx-frames" (ethtool -c).
txc_now() {
	sim_nx 0 ethtool -c nic0 | awk '/^tx-usecs:/ {u=$2} /^tx-frames:/ {f=$2} END {print u, f}'
}

# txc_counts: "IRQS DONE TAKEN" of nic0: VMBus interrupts of its channels,
# frames the driver saw completed (tx_queue_*_packets), frames the host
# took from it (ch*_tx_packets).
txc_counts() {
	local irqs d=0 t=0 v
	irqs=$(sim_nx 0 sh -c 'n=0; for f in /sys/class/net/nic0/device/channels/*/interrupts; do n=$((n + $(cat "$f"))); done; echo $n')
	for v in $(sim_eth_txq 0 nic0); do d=$((d + v)); done
	for v in $(sim_host_chans 0 tx); do t=$((t + v)); done
	echo "$irqs $d $t"
}

# txc_settled: wait (up to 2 s x HVNV_TIME_SCALE) until the driver saw
# every frame the host took from nic0 completed; prints "IRQS DONE TAKEN".
txc_settled() {
	local i c
	for i in $(seq $((20 * ${HVNV_TIME_SCALE:-1}))); do
		c=$(txc_counts)
		set -- $c
		[ "$2" = "$3" ] && break
		sleep 0.1
	done
	echo "$c"
}

# ethtool -C tx-usecs / tx-frames, send-completion coalescing (ours; the
# in-tree driver has no -C): off by default (0 us, 32 frames); values out
# of range and fields it does not have are refused and the setting kept.
# A UDP 64 B flood nic0 -> nic1 then runs with it off and on (2000 us, 16
# frames): on, nic0 takes at most half the VMBus interrupts per frame it
# took off, and some polls held the interrupts masked (tx_coalesce_holds);
# after each flood every frame the host took from nic0 is seen completed
# by the driver, the last ones by the hold's timer since nothing is sent
# after them.  (Planted faults: the timer not armed: "frames completed"
# stays behind the host's count; holding never allowed: the interrupt and
# hold checks fail.)
t_tx_coalesce() {
	local bad mode i0 d0 t0 i1 d1 t1 h0 h1 r off on
	sim_begin
	[ "$HV_NETVSC_DRIVER" = ours ] || ktap_skip "in-tree hv_netvsc has no ethtool -C"
	sim_pair_setup
	ktap_expect_eq "tx-usecs tx-frames by default" "$(txc_now)" "0 32"
	for bad in "tx-usecs 10001" "tx-frames 0" "tx-frames 1025" "rx-usecs 8"; do
		# shellcheck disable=SC2086
		if sim_nx 0 ethtool -C nic0 $bad 2>&1; then
			ktap_fail "ethtool -C nic0 $bad succeeded"
		fi
	done
	ktap_expect_eq "tx-usecs tx-frames after the refused changes" "$(txc_now)" "0 32"
	for mode in off on; do
		if [ $mode = on ]; then
			sim_nx 0 ethtool -C nic0 tx-usecs 2000 tx-frames 16 ||
				ktap_fail "ethtool -C nic0 tx-usecs 2000 tx-frames 16 failed"
			ktap_expect_eq "tx-usecs tx-frames after -C" "$(txc_now)" "2000 16"
		fi
		h0=$(sim_eth_stat 0 tx_coalesce_holds)
		read -r i0 d0 t0 <<<"$(txc_settled)"
		sim_do_iperf 0 1 "$(sim_nic_ip 1)" -u -l 64 -b 0
		read -r i1 d1 t1 <<<"$(txc_settled)"
		h1=$(sim_eth_stat 0 tx_coalesce_holds)
		echo "coalescing $mode: $((t1 - t0)) frames, $((i1 - i0)) interrupts, $((h1 - h0)) holds"
		ktap_expect_eq "coalescing $mode: frames completed (driver) = frames taken (host)" \
			"$((d1 - d0))" "$((t1 - t0))"
		# the debug kernel sends about 650 in the 2 s
		[ $((t1 - t0)) -ge 200 ] || ktap_fail "coalescing $mode: only $((t1 - t0)) frames sent"
		r=$(((i1 - i0) * 1000 / (t1 - t0)))
		if [ $mode = off ]; then
			off=$r
			ktap_expect_eq "holds with coalescing off" $((h1 - h0)) 0
		else
			on=$r
			[ $((h1 - h0)) -gt 0 ] || ktap_fail "no poll held the interrupts with coalescing on"
		fi
	done
	echo "nic0 interrupts per 1000 frames: $off off, $on on"
	[ $((on * 2)) -le "$off" ] ||
		ktap_fail "coalescing on: $on interrupts per 1000 frames, more than half of $off (off)"
	sim_nx 0 ethtool -C nic0 tx-usecs 0 tx-frames 32
	ktap_expect_eq "tx-usecs tx-frames restored" "$(txc_now)" "0 32"
	sim_do_ping 0 "$(sim_nic_ip 1)" 3
}

ktap_plan 19
sim_init
sim_run channels_max t_channels_max
sim_run channels_set_each t_channels_set_each
sim_run channels_invalid t_channels_invalid
sim_run channels_live t_channels_live
sim_run channels_cpu_offline t_channels_cpu_offline
sim_run streams_64_all_queues t_streams_64_all_queues
sim_run rxfh_user_survives t_rxfh_user_survives
sim_run rss_indir_steering t_rss_indir_steering
sim_run rss_toeplitz t_rss_toeplitz
sim_run rxfh_readback t_rxfh_readback
sim_run rx_flow_hash t_rx_flow_hash
sim_run send_table_runtime t_send_table_runtime
sim_run ring_params t_ring_params
sim_run change_refused_runs_on t_change_refused_runs_on
sim_run lro_toggle t_lro_toggle
sim_run tx_coalesce t_tx_coalesce
sim_run features t_features
sim_run netdev_genl t_netdev_genl
ktap_run module_unload sim_fini
ktap_finish
