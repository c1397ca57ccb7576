#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Smoke test of netvsp_sim with the kernel's own hv_netvsc, run inside the
# test guest: tools/testing/vm/run -- sh <this file> [MODULE_DIR] [STAGE]
# MODULE_DIR holds vmbus_sim/ and netvsp_sim/ with the built modules
# (default: this checkout's tools/testing).  STAGE: basic | full.
D=$(cd "$(dirname "$0")/.." && pwd)
M=${1:-$D}
STAGE=${2:-full}
S=/sys/kernel/netvsp_sim
fail=0
step() { echo "smoke: $*"; }
bad() { echo "smoke: FAIL: $*"; fail=1; }
nic_of() { ip -br link | awk -v m="$1" '$3 == m { print $1 }'; }

mkdir -p /etc/modprobe.d
echo "install hv_vmbus /bin/true" >/etc/modprobe.d/vmbus_sim.conf
insmod "$M/vmbus_sim/vmbus_sim.ko" || { bad insmod vmbus_sim; exit 1; }
insmod "$M/netvsp_sim/netvsp_sim.ko" || { bad insmod netvsp_sim; exit 1; }
echo 1 >$S/new_nic || bad "new_nic 1"
echo 2 >$S/new_nic || bad "new_nic 2"
modprobe hv_netvsc || bad "modprobe hv_netvsc"
sleep 4
ip -br link
e1=$(nic_of 02:00:00:00:00:01)
e2=$(nic_of 02:00:00:00:00:02)
step "nics: $e1 $e2"
[ -n "$e1" ] && [ -n "$e2" ] || { bad "NICs did not come up"; dmesg | tail -60; exit 1; }
ethtool -l "$e1"
cat $S/nic1/stats
cat $S/nic1/msg_log
[ "$STAGE" = basic ] && { dmesg | grep -i -E "netvsp|hv_netvsc|vmbus|warn|bug" | tail -40; exit $fail; }

ip netns add a
ip netns add b
ip link set "$e1" netns a
ip link set "$e2" netns b
ip -n a addr add 10.7.0.1/24 dev "$e1"
ip -n b addr add 10.7.0.2/24 dev "$e2"
ip -n a link set "$e1" up
ip -n b link set "$e2" up
ip link set vsp0 up
ip addr add 10.7.0.254/24 dev vsp0
sleep 2
step "ping NIC1 -> NIC2"
ip netns exec a busybox ping -c 3 -i 0.2 10.7.0.2 || bad "ping nic1->nic2"
step "ping NIC1 -> vsp0"
ip netns exec a busybox ping -c 3 -i 0.2 10.7.0.254 || bad "ping nic1->vsp0"
step "ping vsp0 -> NIC2"
busybox ping -c 3 -i 0.2 10.7.0.2 || bad "ping vsp0->nic2"
ip netns exec b iperf3 -s -D -1 >/dev/null
sleep 1
step "iperf3 NIC1 -> NIC2 -P1"
ip netns exec a iperf3 -c 10.7.0.2 -t 5 | tail -4 || bad "iperf3 P1"
ip netns exec b iperf3 -s -D -1 >/dev/null
sleep 1
step "iperf3 NIC1 -> NIC2 -P8"
ip netns exec a iperf3 -c 10.7.0.2 -t 5 -P 8 | tail -3 || bad "iperf3 P8"
iperf3 -s -D -1 >/dev/null
sleep 1
step "iperf3 NIC2 -> vsp0"
ip netns exec b iperf3 -c 10.7.0.254 -t 5 | tail -4 || bad "iperf3 vsp0"
cat $S/nic1/stats | grep -v "^ch"
cat $S/nic2/stats | grep -v "^ch"
step "veth baseline (same guest)"
ip netns add c
ip netns add d
ip link add vc netns c type veth peer name vd netns d
ip -n c addr add 10.8.0.1/24 dev vc
ip -n d addr add 10.8.0.2/24 dev vd
ip -n c link set vc up
ip -n d link set vd up
sleep 1
ip netns exec d iperf3 -s -D -1 >/dev/null
sleep 1
ip netns exec c iperf3 -c 10.8.0.2 -t 5 | tail -4
ip netns exec d iperf3 -s -D -1 >/dev/null
sleep 1
ip netns exec c iperf3 -c 10.8.0.2 -t 5 -P 8 | tail -3
[ "$STAGE" = extra ] && . "$D/netvsp_sim/vm-extra.sh"
step "ethtool -L combined 2"
ip netns exec a ethtool -L "$e1" combined 2 || bad "ethtool -L 2"
sleep 2
ip netns exec a ethtool -l "$e1"
ip netns exec a busybox ping -c 3 -i 0.2 10.7.0.2 || bad "ping after -L 2"
step "MTU 9000"
ip -n a link set "$e1" mtu 9000 || bad "mtu a"
ip -n b link set "$e2" mtu 9000 || bad "mtu b"
sleep 2
ip netns exec a busybox ping -c 3 -i 0.2 -s 8000 10.7.0.2 || bad "jumbo ping"
cat $S/nic1/stats
cat $S/nic1/msg_log
step "del_nic 2"
echo 2 >$S/del_nic || bad "del_nic"
ip -n b -br link
step "ethtool -k/-S"
ip netns exec a ethtool -k "$e1" | grep -E "segmentation|checksum|large-receive"
ip netns exec a ethtool -S "$e1" | grep -E "queue_[0-9]_(packets|bytes)"
step "unload"
rmmod hv_netvsc || bad "rmmod hv_netvsc"
rmmod netvsp_sim || bad "rmmod netvsp_sim"
rmmod vmbus_sim || bad "rmmod vmbus_sim"
dmesg | grep -i -E "netvsp|hv_netvsc|warn|bug|error" | tail -40
step "result $fail"
exit $fail
