# SPDX-License-Identifier: GPL-2.0
# Sourced by vm-smoke.sh (stage "extra") with NIC1 ($e1) in netns a at
# 10.7.0.1 and NIC2 ($e2) in netns b at 10.7.0.2.
pa() { ip netns exec a busybox ping -c 2 -i 0.2 -W 2 "$@"; }
carrier() { ip netns exec "$1" cat /sys/class/net/"$2"/carrier; }

step "RSS: ethtool -X $e2 weight 0 1 0 0 -> frames land on queue 1"
ip netns exec b ethtool -X "$e2" weight 0 1 0 0 || bad "ethtool -X"
ip netns exec b ethtool -x "$e2" | head -4
qsum() { ip netns exec b ethtool -S "$e2" | awk -v q="$1" '$1 == "rx_queue_" q "_bytes:" {print $2}'; }
b0=$(qsum 0); b1=$(qsum 1); b3=$(qsum 3)
ip netns exec b iperf3 -s -D -1 >/dev/null
sleep 1
ip netns exec a iperf3 -c 10.7.0.2 -t 2 -P 4 | tail -2
d0=$(($(qsum 0) - b0)); d1=$(($(qsum 1) - b1)); d3=$(($(qsum 3) - b3))
echo "rx bytes during the run: queue0 $d0 queue1 $d1 queue3 $d3"
grep -E "^ch[0-9]_rx_packets" $S/nic2/stats
[ "$d1" -gt 1000000 ] && [ "$d0" -lt $((d1 / 10)) ] && [ "$d3" -lt $((d1 / 10)) ] ||
	bad "traffic did not follow the indirection table"
ip netns exec b ethtool -X "$e2" default

step "link down/up from the host"
echo 0 >$S/nic1/link
sleep 3
[ "$(carrier a "$e1")" = 0 ] || bad "carrier still on after link=0"
echo 1 >$S/nic1/link
sleep 3
[ "$(carrier a "$e1")" = 1 ] || bad "carrier off after link=1"
pa 10.7.0.2 >/dev/null || bad "ping after link flap"

step "link speed 25000"
echo 25000 >$S/nic1/link_speed
sleep 3
ip netns exec a ethtool "$e1" | grep Speed
ip netns exec a ethtool "$e1" | grep -q "25000Mb/s" || bad "speed not 25000"

step "network change"
echo 1 >$S/nic1/network_change || bad "network_change"
sleep 5
[ "$(carrier a "$e1")" = 1 ] || bad "carrier off after network change"

step "MAC change through RNDIS"
ip -n a link set "$e1" down
ip -n a link set "$e1" address 02:11:22:33:44:55 || bad "set mac"
ip -n a link set "$e1" up
sleep 3
cat $S/nic1/mac
grep -q 02:11:22:33:44:55 $S/nic1/mac || bad "host did not see new mac"
pa 10.7.0.2 >/dev/null || bad "ping after mac change"

step "fault: delay completions 20 ms"
echo 20 >$S/nic1/fault_delay_completion_ms
pa 10.7.0.2 | tail -1 || bad "ping with delayed completions"
echo 0 >$S/nic1/fault_delay_completion_ms

chans() { ip netns exec a ethtool -l "$e1" | awk '/Combined/ {print $2}' | tr '\n' ' '; }
step "fault: fail RSS caps OID -> max 1 queue"
echo 0x00010203 >$S/nic1/fault_fail_oid
ip netns exec a ethtool -L "$e1" combined 1
echo "max/current: $(chans)"
[ "$(chans)" = "1 1 " ] || bad "failed RSS caps not honoured"
echo 0 >$S/nic1/fault_fail_oid
ip link set dev lo up
ip netns exec a ip link set "$e1" mtu 1400
ip netns exec a ip link set "$e1" mtu 1500
echo "max/current: $(chans)"
pa 10.7.0.2 >/dev/null || bad "ping after fail_oid"

step "fault: malformed messages"
for k in truncated oversized_len bad_offset bad_index bad_send_table; do
	echo $k >$S/nic1/fault_malformed || bad "fault_malformed $k"
	sleep 0.5
done
pa 10.7.0.2 >/dev/null || bad "ping after malformed messages"

step "message log of nic1 so far"
cat $S/nic1/msg_log
step "hot add nic3 (queues=2 nvsp=5), hot remove"
echo "3 queues=2 nvsp=5 mtu=4000" >$S/new_nic || bad "new_nic 3"
sleep 3
e3=$(nic_of 02:00:00:00:00:03)
[ -n "$e3" ] || bad "nic3 missing"
echo "nic3 max/current: $(ethtool -l "$e3" | awk '/Combined/ {print $2}' | tr '\n' ' ')"
grep -E "nvsp_version|recv_section_size" $S/nic3/stats
echo 3 >$S/del_nic || bad "del_nic 3"
[ -z "$(nic_of 02:00:00:00:00:03)" ] || bad "nic3 still there"

step "fault: refused subchannels at probe -> one queue"
echo "4 queues=4" >$S/new_nic || bad "new_nic 4"
echo refuse >$S/nic4/fault_subchannel_grant
sleep 4
e4=$(nic_of 02:00:00:00:00:04)
[ -n "$e4" ] || bad "nic4 missing"
echo "nic4 max/current: $(ethtool -l "$e4" | awk '/Combined/ {print $2}' | tr '\n' ' ')"
echo 4 >$S/del_nic || bad "del_nic 4"

step "netvsp_sim reload x3 with hv_netvsc bound"
for i in 1 2 3; do
	rmmod netvsp_sim || bad "rmmod netvsp_sim $i"
	insmod "$M/netvsp_sim/netvsp_sim.ko" || bad "insmod netvsp_sim $i"
	echo 1 >$S/new_nic || bad "new_nic 1 ($i)"
	sleep 2
done
ip -br link | grep 02:00:00:00:00:01 || bad "nic1 not back"
cat $S/nic1/msg_log
echo 1 >$S/del_nic
ip netns exec b ip -br link
dmesg | grep -c -i -E "netvsp_sim: nic" || true
# Last, because hv_netvsc (6.12) leaks the NAPI contexts of the channels a
# short grant cuts off (rndis_set_subchannel() lowers num_chn without
# netif_napi_del()); removing this NIC afterwards crashes in free_netdev().
echo 1 >$S/new_nic
sleep 4
e1=$(nic_of 02:00:00:00:00:01)
ip link set "$e1" netns a
step "fault: subchannel grant 1 -> ethtool -L combined 3 gives 2"
echo 1 >$S/nic1/fault_subchannel_grant
ip netns exec a ethtool -L "$e1" combined 3
echo "max/current: $(chans)"
[ "$(chans)" = "4 2 " ] || bad "short grant not honoured"
echo -1 >$S/nic1/fault_subchannel_grant
step "result $fail"
exit $fail
