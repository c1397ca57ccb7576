# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared setup of the integration tests that run synthetic NICs of the
# simulated Hyper-V host (vmbus_sim.ko + netvsp_sim.ko, control interface in
# Documentation/testing/netvsp_sim-control.draft) under the driver under test:
#
#   HV_NETVSC_DRIVER=intree  (default) the test kernel's own hv_netvsc.ko
#   HV_NETVSC_DRIVER=ours    $HVNV_TOP/drivers/net/hyperv/hv_netvsc.ko
#
# Source it after lib.sh.  A test file calls sim_init after ktap_plan and
# ends with the case "sim_run module_unload sim_fini" before ktap_finish
# (sim_fini removes everything and unloads the modules the file loaded; it
# fails when one of them cannot be unloaded or is still referenced).
# Every case starts with sim_begin: it skips the case, with the reason, when
# the simulated host or the driver is not built; it loads what is missing;
# and it arranges for sim_case_end to run when the case ends, however it
# ends, which kills what the case started, removes every simulated NIC and
# the hvs* namespaces, and resets the host port.
#
# Conventions: NIC ID set up with nic_setup lives in namespace hvsID, is
# renamed nicID there and has address 10.77.0.(ID+1)/24; the host port
# (vsp0) gets 10.77.0.254/24 in the initial namespace.  nx ID CMD runs CMD
# in NIC ID's namespace.

shopt -s inherit_errexit

SIM=/sys/kernel/netvsp_sim
HV_NETVSC_DRIVER=${HV_NETVSC_DRIVER:-intree}
SIM_VMBUS_KO=$HVNV_TOP/tools/testing/host/vmbus_sim/vmbus_sim.ko
SIM_NETVSP_KO=$HVNV_TOP/tools/testing/host/netvsp_sim/netvsp_sim.ko
SIM_OURS_KO=$HVNV_TOP/drivers/net/hyperv/hv_netvsc.ko
SIM_NET=10.77.0
SIM_HOST_IP=$SIM_NET.254
# seconds to wait for the guest to react to something the host did
SIM_WAIT=${SIM_WAIT:-30}

# ssleep SECONDS: sleep without starting a process (a read that times out
# on a FIFO nobody writes to).
ssleep() {
	if [ -z "${SIM_SLEEP_FD:-}" ]; then
		[ -p /run/hvs-sleep ] || mkfifo /run/hvs-sleep
		exec {SIM_SLEEP_FD}<>/run/hvs-sleep
	fi
	read -r -t "$1" -u "$SIM_SLEEP_FD" _ || true
}

# ---- modules -----------------------------------------------------------
#
# Every process started in the TCG guest costs a few hundred milliseconds
# (binaries come over 9p), so the helpers below use shell builtins where
# they can and the files share one pair of NICs between their cases.

# Prints why the simulated host cannot run here and fails, or succeeds.
sim_why_not() {
	[ -f "$SIM_VMBUS_KO" ] || { echo "vmbus_sim.ko not built ($SIM_VMBUS_KO)"; return 1; }
	[ -f "$SIM_NETVSP_KO" ] || { echo "netvsp_sim.ko not built ($SIM_NETVSP_KO)"; return 1; }
	case "$HV_NETVSC_DRIVER" in
	intree|ours) ;;
	*) echo "HV_NETVSC_DRIVER='$HV_NETVSC_DRIVER': want intree or ours"; return 1 ;;
	esac
	[ -n "$SIM_DRIVER_KO" ] && [ -f "$SIM_DRIVER_KO" ] ||
		{ echo "driver under test ($HV_NETVSC_DRIVER) not built: '$SIM_DRIVER_KO'"; return 1; }
	return 0
}

sim_mod_loaded() {
	local m _
	while read -r m _; do
		[ "$m" = "$1" ] && return 0
	done </proc/modules
	return 1
}

# fail, with the message on stderr (for functions whose stdout is captured)
die() {
	echo "$*" >&2
	return 1
}

# Is the hv_netvsc that is loaded the driver under test?  Ours carries a
# version ending in -oot, the in-tree one does not.
sim_driver_is_right() {
	local v=
	[ -r /sys/module/hv_netvsc/version ] && read -r v </sys/module/hv_netvsc/version
	case "$HV_NETVSC_DRIVER:$v" in
	ours:*-oot) return 0 ;;
	ours:*) return 1 ;;
	intree:*-oot) return 1 ;;
	*) return 0 ;;
	esac
}

# Load the driver under test (replacing the other hv_netvsc if that one is
# loaded).  The in-tree module depends on hv_vmbus, which must never be
# loaded (vmbus_sim provides its symbols), so it is insmod'ed by path after
# its other dependencies.
drv_load() {
	local dep
	if sim_mod_loaded hv_netvsc; then
		sim_driver_is_right && return 0
		drv_unload
	fi
	for dep in $SIM_DRIVER_DEPS; do
		case "$dep" in hv_vmbus|vmbus_sim|netvsp_sim) continue ;; esac
		sim_mod_loaded "$dep" || modprobe "$dep"
	done
	insmod "$SIM_DRIVER_KO" || die "insmod $SIM_DRIVER_KO failed"
}

drv_unload() {
	sim_mod_loaded hv_netvsc || return 0
	timeout 120 rmmod hv_netvsc || die "rmmod hv_netvsc failed (rc $?)"
}

# HVNV_ISOLATION=snp|tdx loads vmbus_sim in isolation mode (the guest must
# have booted with swiotlb=force); a vmbus_sim loaded in another mode fails.
sim_load_host() {
	local iso=${HVNV_ISOLATION:-none} have
	sim_mod_loaded vmbus_sim || insmod "$SIM_VMBUS_KO" "isolation=$iso" ||
		die "insmod vmbus_sim.ko isolation=$iso failed"
	read -r have </sys/module/vmbus_sim/parameters/isolation
	[ "$have" = "$iso" ] ||
		die "vmbus_sim is loaded with isolation=$have, this file wants $iso"
	sim_mod_loaded netvsp_sim || insmod "$SIM_NETVSP_KO" ||
		die "insmod netvsp_sim.ko failed"
	[ -w "$SIM/new_nic" ] || die "netvsp_sim loaded but $SIM/new_nic is missing"
}

# File level: find the driver under test, remember which of our modules
# were loaded before the file.
sim_init() {
	local m
	case "$HV_NETVSC_DRIVER" in
	intree) SIM_DRIVER_KO=$(modinfo -n hv_netvsc 2>/dev/null || true) ;;
	ours) SIM_DRIVER_KO=$SIM_OURS_KO ;;
	*) SIM_DRIVER_KO= ;;
	esac
	SIM_DRIVER_DEPS=
	[ -f "$SIM_DRIVER_KO" ] &&
		SIM_DRIVER_DEPS=$(modinfo -F depends "$SIM_DRIVER_KO" | tr ',' ' ')
	SIM_PRELOADED=
	for m in hv_netvsc netvsp_sim vmbus_sim; do
		sim_mod_loaded $m && SIM_PRELOADED="$SIM_PRELOADED $m"
	done
	rm -f "$SIM_PAIR"
	if [ -d "$SIM" ] && ls -d "$SIM"/nic* >/dev/null 2>&1; then
		echo "# warning: simulated NICs left over from before: $(ls -d "$SIM"/nic*)"
	fi
	return 0
}

# The file's last case: remove everything and unload what the file loaded.
# It fails when the cleanup fails, when hv_netvsc is still referenced once
# its NICs are gone (a leaked reference), or when a module does not unload.
sim_fini() {
	local m ref err=0
	sim_cleanup_all || err=1
	rm -f /run/hvs-sleep
	if sim_mod_loaded hv_netvsc; then
		read -r ref </sys/module/hv_netvsc/refcnt
		[ "$ref" = 0 ] || { echo "hv_netvsc refcnt $ref with no NIC left"; err=1; }
	fi
	for m in hv_netvsc netvsp_sim vmbus_sim; do
		case " $SIM_PRELOADED " in *" $m "*) continue ;; esac
		sim_mod_loaded $m || continue
		timeout 120 rmmod $m || { echo "rmmod $m failed (rc $?)"; err=1; }
		sim_mod_loaded $m && { echo "$m is still loaded"; err=1; }
	done
	[ $err = 0 ] || fail "the file did not end clean"
}

# ---- per case ------------------------------------------------------------
#
# The cases of a file share NICs 0 and 1 (pair_setup).  A case that passes
# must leave them as it found them (it undoes its own changes); a case that
# fails or is skipped after changing things gets everything removed, and the
# next case sets the pair up afresh.  NICs with other IDs, servers with a pid
# file /tmp/hvs-*.pid and the host port are always cleaned up.

SIM_PAIR=/run/hvs-pair

sim_begin() {
	local why
	why=$(sim_why_not) || skip "$why"
	SIM_T0=$EPOCHSECONDS
	trap sim_case_end EXIT
	sim_load_host
	drv_load
	echo "driver under test: $HV_NETVSC_DRIVER ($SIM_DRIVER_KO)"
}

sim_del_all_nics() {
	local d
	for d in "$SIM"/nic*; do
		[ -d "$d" ] || continue
		echo "${d##*/nic}" >"$SIM/del_nic" || echo "cleanup: del_nic ${d##*/nic} failed"
	done
	for d in "$SIM"/nic*; do
		[ -d "$d" ] && return 1
	done
	return 0
}

sim_cleanup_all() {
	local ns err=0
	rm -f "$SIM_PAIR"
	for ns in $(ip netns list | awk '/^hvs/ {print $1}'); do
		ip netns pids "$ns" | xargs -r kill -9 2>/dev/null
	done
	if [ -d "$SIM" ]; then
		sim_del_all_nics || { echo "cleanup: simulated NICs remain"; err=1; }
	fi
	for ns in $(ip netns list | awk '/^hvs/ {print $1}'); do
		ip netns del "$ns" || { echo "cleanup: netns $ns remains"; err=1; }
	done
	return $err
}

# The host port back as it was, if the case configured it (devices on
# top of it, such as VLANs, removed).
sim_case_end_host_port() {
	local hp d
	[ -e /run/hvs-hostport ] || return 0
	rm -f /run/hvs-hostport
	hp=$(<"$SIM/host_port")
	for d in /sys/class/net/"$hp"/upper_*; do
		[ -e "$d" ] && ip link del "${d##*/upper_}"
	done
	ip addr flush dev "$hp"
	ip link set "$hp" down
	ip link set "$hp" mtu 1500 2>/dev/null
}

sim_case_end() {
	local rc=$? f d err=0
	set +e
	for f in /tmp/hvs-*.pid; do
		# (iperf3 -I writes the pid without a newline: no read)
		[ -s "$f" ] && d=$(<"$f") && kill "$d" 2>/dev/null
		rm -f "$f"
	done
	# a case that took a vCPU offline and failed: bring it back
	for f in /sys/devices/system/cpu/cpu*/online; do
		[ "$(cat "$f" 2>/dev/null)" = 0 ] && echo 1 >"$f"
	done
	sim_case_end_host_port
	if [ $rc -ne 0 ]; then
		sim_cleanup_all || err=1
	else
		for d in "$SIM"/nic*; do
			case "${d##*/}" in nic0|nic1|"nic*") continue ;; esac
			echo "${d##*/nic}" >"$SIM/del_nic" || err=1
		done
		for d in /run/netns/hvs*; do
			case "${d##*/}" in hvs0|hvs1|"hvs*") continue ;; esac
			ip netns del "${d##*/}" || err=1
		done
	fi
	rm -f /tmp/hvs-*
	[ $rc -eq "$KSFT_SKIP" ] || echo "($((EPOCHSECONDS - SIM_T0)) s)"
	# the trap's return value is lost: say it to ktap_run
	[ $err -eq 0 ] || ktap_verdict "the case's cleanup failed"
	return $rc
}

# pair_setup: NICs 0 and 1 in hvs0/hvs1 as nic0/nic1, up (see nic_setup);
# reused when an earlier case left them.
pair_setup() {
	if [ -e "$SIM_PAIR" ] && [ -d "$SIM/nic0" ] && [ -d "$SIM/nic1" ]; then
		return 0
	fi
	sim_cleanup_all
	nic_setup 0
	nic_setup 1
	{ pair_state 0; pair_state 1; } >"$SIM_PAIR"
}

# The host-side state of the pair's NICs that a passing case must leave as
# pair_setup made it: the knobs and the negotiated configuration (channels,
# MTU, buffers, RSS key and table, send table, offloads, filter), one
# "nicID NAME VALUE" a line.
# Shell builtins only: it runs after every case.
SIM_STATE_KNOBS="link link_speed mac nvsp_max max_queues mtu_max offload_csum offload_udp_csum offload_tso offload_rsc tx_csum_verify rx_csum_result fault_rx_corrupt_csum fault_fail_oid fault_delay_completion_ms fault_drop_completions fault_subchannel_grant fault_subchannel_extra fault_tx_read_lag_ms rss_itab_size fault_replay_completions fault_fail_completions fault_short_completions fault_stop_reading fault_hold_open fault_hold_gpadl fault_refuse_gpadl send_table nvsp_exact send_section_size"
pair_state() {
	local id=$1 k v
	for k in $SIM_STATE_KNOBS; do
		v=
		[ -r "$SIM/nic$id/$k" ] && read -r v <"$SIM/nic$id/$k"
		echo "nic$id $k $v"
	done
	while read -r k v; do
		case "$k" in
		rx_buf_full_drops) break ;;	# counters from here on
		recv_sections_used) continue ;;
		esac
		echo "nic$id $k $v"
	done <"$SIM/nic$id/stats"
	[ -r "$SIM/nic$id/rss" ] || return 0
	while read -r k v; do
		echo "nic$id rss_$k $v"
	done <"$SIM/nic$id/rss"
}

# Run by ktap_run after a case that ktap_after_case (or the kernel log)
# failed: remove everything, so the next case sets the pair up afresh.
ktap_after_failure() {
	sim_cleanup_all
	sim_case_end_host_port
}

# Run by ktap_run after every case, outside it: what the case left behind.
# Always: background servers, offline vCPUs, a configured host port, NICs
# and namespaces beyond the pair.  While the pair lives: its host-side
# state as pair_setup made it (given a few seconds: the in-tree driver
# opens subchannels from a work item).
ktap_after_case() {
	local f v d i now want hp
	for f in /tmp/hvs-*; do
		[ -e "$f" ] && echo "left behind: $f"
	done
	for f in /sys/devices/system/cpu/cpu*/online; do
		read -r v <"$f"
		[ "$v" = 1 ] || echo "left behind: ${f%/online} offline"
	done
	[ -e /run/hvs-hostport ] && echo "left behind: the host port configured"
	[ -d "$SIM" ] || return 0
	read -r hp <"$SIM/host_port"
	read -r v <"/sys/class/net/$hp/operstate"
	[ "$v" = down ] || echo "left behind: host port $hp $v"
	for d in "$SIM"/nic*; do
		case "${d##*/}" in nic0|nic1|"nic*") ;; *) echo "left behind: simulated ${d##*/}" ;; esac
	done
	for d in /run/netns/hvs*; do
		case "${d##*/}" in hvs0|hvs1|"hvs*") ;; *) echo "left behind: netns ${d##*/}" ;; esac
	done
	[ -s "$SIM_PAIR" ] && [ -d "$SIM/nic0" ] && [ -d "$SIM/nic1" ] || return 0
	want=$(<"$SIM_PAIR")
	for ((i = 0; i < 25 * ${HVNV_TIME_SCALE:-1}; i++)); do
		now=$(pair_state 0; pair_state 1)
		[ "$now" = "$want" ] && return 0
		ssleep 0.2
	done
	diff <(echo "$want") <(echo "$now") | sed -n 's/^> /left changed: /p'
}

# pair_back: after the driver was (re)loaded, the pair's new netdevs into
# their namespaces again.
pair_back() {
	local id dev
	for id in 0 1; do
		dev=$(nic_wait_dev $id)
		dev_settle "$dev"
		nic_to_ns $id "$dev"
	done
}

# knob ID NAME VALUE: write a per-NIC host knob (nicID/NAME)
knob() {
	[ -e "$SIM/nic$1/$2" ] || die "the simulated host has no $2 knob ($SIM/nic$1/$2)"
	echo "$3" >"$SIM/nic$1/$2" || die "writing '$3' to nic$1/$2 failed"
}

# vmbus_wait_channels ID N: the VMBus device of NIC ID has N channels (its
# channel_vp_mapping, what lsvmbus shows), within a few seconds.
vmbus_wait_channels() {
	local f i c
	f="/sys/bus/vmbus/devices/$(nic_guid "$1")/channel_vp_mapping"
	for i in $(seq 50); do
		c=$(wc -l <"$f")
		[ "$c" = "$2" ] && return 0
		ssleep 0.1
	done
	die "nic$1: $c VMBus channels in channel_vp_mapping, want $2: $(tr '\n' ' ' <"$f")"
}

# ---- NICs ----------------------------------------------------------------

nx() { # nx ID CMD...: run CMD in NIC ID's namespace
	local id=$1
	shift
	ip netns exec "hvs$id" "$@"
}

nic_new() { # nic_new ID [key=value ...]
	echo "$*" >"$SIM/new_nic" || die "new_nic '$*' failed"
	[ -d "$SIM/nic$1" ] || die "new_nic '$*' did not create $SIM/nic$1"
}

nic_del() { # nic_del ID
	echo "$1" >"$SIM/del_nic" || die "del_nic $1 failed"
	[ ! -e "$SIM/nic$1" ] || die "$SIM/nic$1 still there after del_nic"
}

nic_guid() { # VMBus instance GUID of NIC ID, lower case
	local g
	read -r g <"$SIM/nic$1/instance"
	echo "${g,,}"
}

# Name of NIC ID's netdev in the initial namespace, or fail.
nic_find_dev() {
	local guid d
	guid=$(nic_guid "$1")
	for d in /sys/bus/vmbus/devices/"$guid"/net/*; do
		[ -e "$d" ] || continue
		echo "${d##*/}"
		return 0
	done
	return 1
}

# Wait for NIC ID's netdev to appear (in the initial namespace), print it.
nic_wait_dev() {
	local i
	for i in $(seq $((SIM_WAIT * 10))); do
		nic_find_dev "$1" && return 0
		ssleep 0.1
	done
	die "no netdev for nic$1 (instance $(nic_guid "$1")) after ${SIM_WAIT}s;" \
		"vmbus devices: $(ls /sys/bus/vmbus/devices 2>/dev/null | tr '\n' ' ')"
}

# Wait until the netdev's channel setup has settled: ethtool's current
# combined count equals the number of RX queues the stack sees, or is 1 (the
# in-tree driver sets the stack's queue counts only when it opens
# subchannels, so after ethtool -L combined 1 they keep the old value).
# dev_settle DEV [ID-of-namespace]
dev_settle() {
	local dev=$1 ns=${2:-} i out cur q l v
	for i in $(seq $((SIM_WAIT * 2))); do
		out=$(in_ns "$ns" sh -c "ethtool -l $dev; ls /sys/class/net/$dev/queues" 2>/dev/null || true)
		cur=
		q=0
		while read -r l v; do
			case "$l" in Combined:) cur=$v ;; rx-*) q=$((q + 1)) ;; esac
		done <<<"$out"
		[ -n "$cur" ] && { [ "$cur" = "$q" ] || [ "$cur" = 1 ]; } && return 0
		ssleep 0.3
	done
	die "$dev: channels did not settle: ethtool current combined '$cur', rx queues $q"
}

in_ns() { # in_ns ID|'' CMD...: run in NIC ID's namespace or the initial one
	local id=$1
	shift
	if [ -n "$id" ]; then
		ip netns exec "hvs$id" "$@"
	else
		"$@"
	fi
}

# nic_setup ID [new_nic options]: create NIC ID, wait for its netdev, move it
# to namespace hvsID as nicID with 10.77.0.(ID+1)/24, IPv6 off, up, carrier.
nic_setup() {
	local id=$1 dev
	nic_new "$@"
	dev=$(nic_wait_dev "$id")
	dev_settle "$dev"
	nic_to_ns "$id" "$dev"
}

# nic_to_ns ID DEV: move DEV (NIC ID's netdev, initial namespace) into hvsID.
nic_to_ns() {
	local id=$1 dev=$2
	[ -e "/run/netns/hvs$id" ] || ip netns add "hvs$id"
	ip link set "$dev" netns "hvs$id"
	ip netns exec "hvs$id" sh -c "
		sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 &&
		ip link set $dev name nic$id &&
		sysctl -qw net.ipv6.conf.nic$id.disable_ipv6=1 &&
		ip link set lo up &&
		ip addr add $(nic_ip "$id")/24 dev nic$id &&
		ip link set nic$id up" || die "configuring nic$id in hvs$id failed"
	wait_carrier "$id" "nic$id" 1
}

nic_ip() { echo "$SIM_NET.$(($1 + 1))"; }

nic_mac() { # nic_mac ID: the guest's MAC of nicID (in hvsID)
	ip -n "hvs$1" -br link show "nic$1" | awk '{print $3}'
}

# wait_carrier ID|'' DEV 0|1 (the interface is up)
wait_carrier() {
	local id=$1 dev=$2 want=$3 i l c
	for i in $(seq $((SIM_WAIT * 4))); do
		l=$(ip ${id:+-n hvs$id} -o link show "$dev" 2>/dev/null || true)
		c=0
		case "$l" in *"<"*LOWER_UP*">"*) c=1 ;; esac
		[ "$c" = "$want" ] && return 0
		ssleep 0.25
	done
	die "$dev: carrier $c after ${SIM_WAIT}s, want $want ($l)"
}

# Host port in the initial namespace with 10.77.0.254/24, up.
host_port_setup() {
	local hp
	: >/run/hvs-hostport
	read -r hp <"$SIM/host_port"
	[ -e "/sys/class/net/$hp" ] || die "host port '$hp' ($SIM/host_port) has no netdev"
	sysctl -qw "net.ipv6.conf.$hp.disable_ipv6=1"
	ip addr flush dev "$hp"
	ip addr add "$SIM_HOST_IP/24" dev "$hp"
	ip link set "$hp" up
	echo "$hp"
}

# Static neighbour entries between NICs A and B (no ARP on the wire).
static_neigh() { # static_neigh A B
	ip -n "hvs$1" neigh replace "$(nic_ip "$2")" lladdr "$(nic_mac "$2")" dev "nic$1" nud permanent
	ip -n "hvs$2" neigh replace "$(nic_ip "$1")" lladdr "$(nic_mac "$1")" dev "nic$2" nud permanent
}

static_neigh_del() { # static_neigh_del A B
	ip -n "hvs$1" neigh del "$(nic_ip "$2")" dev "nic$1"
	ip -n "hvs$2" neigh del "$(nic_ip "$1")" dev "nic$2"
}

# ---- traffic -------------------------------------------------------------

# iputils ping where installed, else busybox's (both take the options used
# here: -c -i -w -W -q -s -I)
if ping -V 2>/dev/null | grep -q iputils; then
	SIM_PING=ping
else
	SIM_PING="busybox ping"
fi

# ping_counts: "SENT RECEIVED" from ping's summary on stdin (0 for a
# count that is missing).
ping_counts() {
	local out tx rx
	out=$(cat)
	tx=$(echo "$out" | sed -n 's/^\([0-9]\+\) packets transmitted.*/\1/p')
	rx=$(echo "$out" | sed -n 's/.* \([0-9]\+\) \(packets \)\?received.*/\1/p')
	echo "${tx:-0} ${rx:-0}"
}

# do_ping ID|'' DST [COUNT [extra ping args]]: COUNT replies within 10+ s.
do_ping() {
	local id=$1 dst=$2 n=${3:-5} out got
	shift 3 2>/dev/null || shift $#
	# shellcheck disable=SC2086
	out=$(in_ns "$id" $SIM_PING -q -c "$n" -i 0.2 -w $((10 + n / 2)) "$@" "$dst" 2>&1) || true
	read -r _ got <<<"$(ping_counts <<<"$out")"
	if [ "$got" -lt "$n" ]; then
		echo "$out"
		die "ping ${id:+from hvs}${id:-from init} to $dst $*: $got replies, want $n"
	fi
	echo "$out" | grep -E 'transmitted|rtt|round-trip'
}

# wait_text FILE TEXT: TEXT shows up in FILE within SIM_WAIT seconds (x
# HVNV_TIME_SCALE)
wait_text() {
	local i n=$((SIM_WAIT * ${HVNV_TIME_SCALE:-1}))
	for ((i = 0; i < n * 10; i++)); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		ssleep 0.1
	done
	die "no '$2' in $1 after ${n}s: $(tail -n 3 "$1" 2>/dev/null)"
}

# ping_window_start ID DST: ICMP echo requests from NIC ID's namespace to
# DST every 20 ms until ping_window_stop.  Returns once the first answer
# came, so the window is open before whatever the caller does next.
ping_window_start() {
	ip netns exec "hvs$1" python3 -c '
import os, select, signal, socket, struct, sys, time

def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    return ~(s + (s >> 16)) & 0xffff

dst, grace = sys.argv[1], float(sys.argv[2])
out = open("/tmp/hvs-window.out", "w", buffering=1)
sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
ident = os.getpid() & 0xffff
stop = []
signal.signal(signal.SIGINT, lambda *a: stop.append(time.monotonic()))
sent, got, due = 0, set(), time.monotonic()
while True:
    now = time.monotonic()
    if stop and (len(got) == sent or now - stop[0] > grace):
        break
    if not stop and now >= due:
        hdr = struct.pack("!BBHHH", 8, 0, 0, ident, sent & 0xffff) + bytes(56)
        sock.sendto(hdr[:2] + struct.pack("!H", csum(hdr)) + hdr[4:], (dst, 0))
        sent += 1
        due = max(due + 0.02, now)
    wait = 0.02 if stop else max(0.0, due - time.monotonic())
    if select.select([sock], [], [], wait)[0]:
        d = sock.recv(2048)
        ic = d[(d[0] & 15) * 4:]
        if len(ic) >= 8 and ic[0] == 0 and struct.unpack("!H", ic[4:6])[0] == ident:
            if not got:
                print("first answer", file=out)
            got.add(struct.unpack("!H", ic[6:8])[0])
print("window: %d %d %d" % (sent, len(got), sent - len(got)), file=out)
' "$2" $((2 * ${HVNV_TIME_SCALE:-1})) >/tmp/hvs-window.err 2>&1 &
	echo $! >/tmp/hvs-window.pid
	wait_text /tmp/hvs-window.out "first answer"
}

# ping_window_stop: stop sending, wait up to 2 s (x HVNV_TIME_SCALE) for
# the answers still on their way, and print "SENT ANSWERED LOST" (call it
# as out=$(ping_window_stop), so that its failure fails).
ping_window_stop() {
	local pid l
	pid=$(</tmp/hvs-window.pid)
	rm -f /tmp/hvs-window.pid
	kill -0 "$pid" 2>/dev/null ||
		die "the pings ended before the window closed: $(tail -n 3 /tmp/hvs-window.out /tmp/hvs-window.err)"
	kill -INT "$pid"
	# (not a child of this subshell: wait for its summary instead)
	wait_text /tmp/hvs-window.out "^window: "
	l=$(grep '^window: ' /tmp/hvs-window.out)
	l=${l#window: }
	[ "${l%% *}" -gt 0 ] || die "no pings sent: $(tail -n 3 /tmp/hvs-window.out)"
	echo "$l"
}

# sim_ping ID|'' ARGS...: the ping command, nothing checked.
sim_ping() {
	local id=$1
	shift
	# shellcheck disable=SC2086
	in_ns "$id" $SIM_PING "$@"
}

# iperf_server ID|'' IP PIDFILE: a one-off iperf3 server on IP in NIC ID's
# namespace (or the initial one), returning once it listens on port 5201.
iperf_server() {
	local i
	in_ns "$1" iperf3 -s -1 -D -B "$2" -I "$3" || die "iperf3 -s on $2 failed"
	for ((i = 0; i < 100 * ${HVNV_TIME_SCALE:-1}; i++)); do
		[ -n "$(in_ns "$1" ss -Hltn "sport = :5201")" ] && return 0
		ssleep 0.1
	done
	die "the iperf3 server on $2 is not listening after $((i / 10))s"
}

# do_iperf ID|'' SERVER-ID|'' SERVER-IP [iperf3 client args]: a 2-second
# run; prints "iperf3 ...: MBIT Mbit/s (BYTES bytes)", fails unless data
# arrived. The client is killed after 30 s (x HVNV_TIME_SCALE: on the debug
# kernel 64 streams take longer than that to connect and tear down).  One
# try: the server listens before the client starts, so a refused
# connection is a failure.
do_iperf() {
	local cid=$1 sid=$2 sip=$3 pidf json r bytes bps
	shift 3
	pidf=/tmp/hvs-iperf.$BASHPID.pid
	iperf_server "$sid" "$sip" "$pidf"
	json=$(in_ns "$cid" timeout $((30 * ${HVNV_TIME_SCALE:-1})) iperf3 -c "$sip" -t 2 -J "$@")
	json=${json//[[:space:]]/}
	case "$json" in *'"error":'*|'') echo "$json" | tail -c 400; die "iperf3 to $sip $* failed" ;; esac
	r=${json#*\"end\":}
	case "$r" in *'"sum_received":'*) r=${r#*\"sum_received\":} ;; *) r=${r#*\"sum\":} ;; esac
	bytes=${r#*\"bytes\":}
	bytes=${bytes%%[,\}]*}
	bps=${r#*\"bits_per_second\":}
	bps=${bps%%[,.\}]*}
	echo "iperf3 ${cid:+hvs}${cid:-init} -> $sip $*: $((bps / 1000000)) Mbit/s ($bytes bytes)"
	[ "$bytes" -gt 0 ] || die "iperf3: no data received"
}

# iperf_window_start CLIENT-ID SERVER-ID SERVER-IP [iperf3 args]: an
# iperf3 run in the background (JSON into /tmp/hvs-window.json), returning
# once its server listens; then the caller changes something and calls
# iperf_window_end, which decides when the run ends: the window lasts as
# long as the change takes (up to SIM_WINDOW_MAX seconds x HVNV_TIME_SCALE,
# default 300), so a slow machine makes the case slower, not wrong.
iperf_window_start() {
	local cid=$1 sid=$2 sip=$3 secs
	shift 3
	secs=$((${SIM_WINDOW_MAX:-300} * ${HVNV_TIME_SCALE:-1}))
	iperf_server "$sid" "$sip" /tmp/hvs-iperfw.pid
	in_ns "$cid" timeout $((secs + 30 * ${HVNV_TIME_SCALE:-1})) \
		iperf3 -c "$sip" -t "$secs" -J "$@" >/tmp/hvs-window.json 2>/tmp/hvs-iperfw.err &
	echo $! >/tmp/hvs-iperfc.pid
	SIM_IPERF_T0=$EPOCHREALTIME
}

# iperf_window_end [GRACE]: the caller's change is done; the run of
# iperf_window_start goes on for GRACE + 5 x HVNV_TIME_SCALE seconds more,
# then is interrupted (iperf3 reports what it measured so far). It must
# have been running until now, and from GRACE seconds after the change on
# it must have carried data, with no stall longer than GRACE seconds
# (default 2 x HVNV_TIME_SCALE: TCP's retransmission timer on a slow
# kernel). Prints what it saw.
iperf_window_end() {
	local scale=${HVNV_TIME_SCALE:-1} grace pid t rc=0
	grace=${1:-$((2 * scale))}
	t=$(awk -v a="$SIM_IPERF_T0" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.2f", b - a}')
	read -r pid </tmp/hvs-iperfc.pid
	rm -f /tmp/hvs-iperfc.pid
	kill -0 "$pid" 2>/dev/null || die "iperf3 ended before the change was done (${t}s in): $(tail -c 300 /tmp/hvs-window.json /tmp/hvs-iperfw.err)"
	ssleep $((grace + 5 * scale))
	# SIGINT to iperf3 itself: a background job of this shell ignores it
	pkill -INT -f "^iperf3 -c .* -t $((${SIM_WINDOW_MAX:-300} * scale)) -J" ||
		die "iperf3 ended before the window did (${t}s + $((grace + 5 * scale))s): $(tail -c 300 /tmp/hvs-window.json /tmp/hvs-iperfw.err)"
	wait "$pid" || rc=$?
	python3 - "$t" "$grace" /tmp/hvs-window.json "$rc" <<-'EOF'
	import json, sys
	done_at, grace = float(sys.argv[1]), float(sys.argv[2])
	try:
	    t = open(sys.argv[3]).read()
	    r = json.JSONDecoder().raw_decode(t[t.index('{'):])[0]
	except ValueError as e:
	    t = open(sys.argv[3]).read()
	    sys.exit(f"iperf3 (status {sys.argv[4]}) wrote no JSON ({e}): "
	             + t[:200] + ' ... ' + t[-200:])
	# the interrupt that ends the window is the only error expected
	if not r.get('error', 'interrupt').startswith('interrupt'):
	    sys.exit(f"iperf3: {r['error']}")
	iv = [(i['sum']['start'], i['sum']['end'], i['sum']['bytes']) for i in r['intervals']]
	late = [(s, e, b) for s, e, b in iv if s >= done_at + grace]
	print(f"change done {done_at:.1f}s into the run; bytes per second: "
	      + ' '.join(f'{b // 1000}k' for _, _, b in iv))
	if not late:
	    sys.exit(f"no interval after {done_at + grace:.1f}s: the run ended too soon")
	if not sum(b for _, _, b in late):
	    sys.exit(f"no data after {done_at + grace:.1f}s")
	stall = since = 0
	for s, e, b in late:
	    since = since + (e - s) if b == 0 else 0
	    stall = max(stall, since)
	if stall > grace:
	    sys.exit(f"a stall of {stall:.0f}s after the change, more than {grace:.0f}s")
	EOF
}

# ---- ethtool -------------------------------------------------------------

# re_attach ID: make the driver re-open the device (MTU there and back).
re_attach() {
	ip -n "hvs$1" link set "nic$1" mtu 1400
	ip -n "hvs$1" link set "nic$1" mtu 1500
	dev_settle "nic$1" "$1"
	wait_carrier "$1" "nic$1" 1
}

# eth_channels ID|'' DEV: prints "MAX CURRENT" combined channels.
eth_channels() {
	in_ns "$1" ethtool -l "$2" | awk '/^Combined:/ {v[n++]=$2} END {print v[0], v[1]}'
}

# eth_qstat ID|'' DEV rx|tx packets|bytes: prints the {rx,tx}_queue_N_*
# values of ethtool -S, in queue order.
eth_qstat() {
	in_ns "$1" ethtool -S "$2" |
		awk -F: -v k="^ *$3_queue_[0-9]+_$4:" '$0 ~ k {gsub(/[^0-9]/, "", $1); v[$1]=$2+0; if ($1+1>n) n=$1+1}
			 END {for (i=0; i<n; i++) printf "%s%d", (i ? " " : ""), v[i]; print ""}'
}

# eth_stat ID NAME: a counter from ethtool -S of nicID ('-' if none).
eth_stat() {
	nx "$1" ethtool -S "nic$1" | awk -v n="$2:" '$1 == n {print $2; f=1} END {if (!f) print "-"}'
}

# eth_rxq / eth_txq ID|'' DEV: prints {rx,tx}_queue_N_packets values.
eth_rxq() { eth_qstat "$1" "$2" rx packets; }
eth_txq() { eth_qstat "$1" "$2" tx packets; }

# host_chans ID rx|tx: the host's per-channel frame counters of nicID,
# channels 0..63 (frames the host delivered to the guest on the channel:
# rx; frames the guest sent on it: tx).
host_chans() {
	awk -v d="$2" 'BEGIN {for (i = 0; i < 64; i++) v[i] = 0}
		$1 ~ "^ch[0-9]+_" d "_packets$" {c = $1; sub(/^ch/, "", c); sub(/_.*/, "", c); v[c] = $2}
		END {for (i = 0; i < 64; i++) printf "%s%s", (i ? " " : ""), v[i]; print ""}' "$SIM/nic$1/stats"
}

# eth_indir ID|'' DEV: the RSS indirection table, one line, space separated.
eth_indir() {
	in_ns "$1" ethtool -x "$2" |
		awk '/^ *[0-9]+:/ {for (i=2; i<=NF; i++) printf "%s ", $i} END {print ""}' | sed 's/ $//'
}

# eth_hkey ID|'' DEV: the RSS key as ethtool prints it (aa:bb:...).
eth_hkey() {
	in_ns "$1" ethtool -x "$2" | awk 'k {print; exit} /^RSS hash key:/ {k=1}'
}

# send_table ID: nicID's send indirection table as its driver shows it
# (ethtool -d: 16 u32 channel numbers), one line.
send_table() {
	nx "$1" ethtool -d "nic$1" raw on | od -An -tu4 -v | xargs
}

# msg_count ID PATTERN: count= of the msg_log line matching PATTERN (0 if
# none), fails when the simulator has no msg_log.
msg_count() {
	local f="$SIM/nic$1/msg_log" l
	[ -r "$f" ] || return 1
	l=$(grep -i -- "$2" "$f" | head -n 1)
	l=${l##*count=}
	echo "${l%% *}" | grep -E '^[0-9]+$' || echo 0
}

# host_stat ID NAME: a value from nicID/stats (fails if absent).
host_stat() {
	awk -v n="$2" '$1 == n {print $2; found=1} END {exit !found}' "$SIM/nic$1/stats"
}

# ---- RSS -----------------------------------------------------------------

# host_rss ID key|hash_info|table: the RSS configuration the host got from
# nicID's guest (nothing with RSS off).
host_rss() {
	sed -n "s/^$2 //p" "$SIM/nic$1/rss"
}

# rss_key_back ID KEY: after channel changes nicID's RSS key must still be
# KEY.  Ours keeps it (asserted); the in-tree driver loses it when it goes
# through one channel (see channels_set_each), so it is set again.
rss_key_back() {
	local key
	key=$(eth_hkey "$1" "nic$1")
	[ "$key" = "$2" ] && return 0
	[ "$HV_NETVSC_DRIVER" = intree ] || die "nic$1's RSS key is $key, was $2"
	echo "the in-tree driver lost nic$1's RSS key: set again"
	nx "$1" ethtool -X "nic$1" hkey "$2"
}

# expect_host_rss ID DEV WHAT: the host has the key and table that
# ethtool -x shows for DEV.
expect_host_rss() {
	expect_eq "$3: host RSS key" "$(host_rss "$1" key)" "$(eth_hkey "$1" "$2")"
	expect_eq "$3: host RSS table" "$(host_rss "$1" table)" "$(eth_indir "$1" "$2")"
}

# toeplitz KEY HEXBYTES: the NDIS Toeplitz hash (decimal) of the input
# bytes (hex, no separators) with KEY (aa:bb:..., 40 bytes).
toeplitz() {
	local key=${1//:/} data=$2 h=0 win i b byte kbit
	win=$((16#${key:0:8}))
	kbit=32
	for ((i = 0; i < ${#data}; i += 2)); do
		byte=$((16#${data:i:2}))
		for ((b = 7; b >= 0; b--)); do
			((byte >> b & 1)) && h=$((h ^ win))
			win=$(((win << 1 | (16#${key:kbit / 4:1} >> (3 - kbit % 4) & 1)) & 0xffffffff))
			kbit=$((kbit + 1))
		done
	done
	echo $h
}

# ip4hex A.B.C.D, port16hex N
ip4hex() { local IFS=.; set -- $1; printf '%02x%02x%02x%02x' "$1" "$2" "$3" "$4"; }
port16hex() { printf '%04x' "$1"; }

# the examples of Microsoft's "Verifying the RSS Hash Calculation"
toeplitz_selftest() {
	local k=6d:5a:56:da:25:5b:0e:c2:41:67:25:3d:43:a3:8f:b0:d0:ca:2b:cb:ae:7b:30:b4:77:cb:2d:a3:80:30:f2:0c:6a:42:b7:3b:be:ac:01:fa
	local v="$(ip4hex 66.9.149.187)$(ip4hex 161.142.100.80)"
	[ "$(toeplitz $k "$v")" = $((0x323e8fc2)) ] || die "toeplitz self-test (IPv4) failed"
	[ "$(toeplitz $k "$v$(port16hex 2794)$(port16hex 1766)")" = $((0x51ccc178)) ] ||
		die "toeplitz self-test (TCP/IPv4) failed"
}

# rss_queue KEY TABLE SRC DST [SPORT DPORT]: the receive queue a Hyper-V host
# picks for an IPv4 packet SRC->DST (with ports: a TCP segment): Toeplitz
# hash with KEY over the addresses (and ports), its low bits index TABLE
# ("q0 q1 ...", a power of two long).
rss_queue() {
	local -a t=($2)
	local n=${#t[@]} in h
	((n > 0 && (n & (n - 1)) == 0)) || die "indirection table of $n entries is not a power of two"
	in="$(ip4hex "$3")$(ip4hex "$4")"
	[ -n "${5:-}" ] && in="$in$(port16hex "$5")$(port16hex "$6")"
	h=$(toeplitz "$1" "$in")
	echo "${t[h & (n - 1)]}"
}

# udp_send ID "SRC:SPORT ..." DST DPORT: three datagrams from each source
# (one python run for all of them).
udp_send() {
	nx "$1" timeout 30 python3 -c '
import socket, sys
for f in sys.argv[1].split():
    src, sport = f.split(":")
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, int(sport)))
    for _ in range(3):
        s.sendto(b"x" * 100, (sys.argv[2], int(sys.argv[3])))
    s.close()' "$2" "$3" "$4" || die "sending UDP from $2 failed"
}

# tcp_send ID SPORT DST DPORT: one short TCP connection from NIC ID's
# primary address and source port SPORT (the peer runs tcp_sink).  Python
# binds the port itself: busybox nc connects from an ephemeral port
# whatever -p says.
tcp_send() {
	nx "$1" timeout 10 python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("", int(sys.argv[1])))
s.settimeout(5)
s.connect((sys.argv[2], int(sys.argv[3])))
s.sendall(b"hello\n")
s.shutdown(socket.SHUT_WR)
try:
    s.recv(64)
except OSError:
    pass  # the sink closes without reading: a reset is fine
s.close()' "$2" "$3" "$4" || die "TCP connection from port $2 to $3:$4 failed"
}

# tcp_sink ID IP PORT: accept connections in NIC ID's namespace (background,
# killed by the case's cleanup).
tcp_sink() {
	ip netns exec "hvs$1" busybox nc -ll -p "$3" -e /bin/true >/dev/null 2>&1 &
	echo $! >/tmp/hvs-sink.pid
	sleep 1
}

# rxq_delta BEFORE AFTER: per-queue differences, space separated.
rxq_delta() {
	local -a b=($1) a=($2)
	local i out=
	[ ${#a[@]} = ${#b[@]} ] || die "queue count changed: ($1) -> ($2)"
	for ((i = 0; i < ${#a[@]}; i++)); do
		out="$out${out:+ }$((a[i] - b[i]))"
	done
	echo "$out"
}

# rxq_wait ID DEV BEFORE MIN: the per-queue deltas (rxq_delta) of DEV's
# receive counters since BEFORE (eth_rxq), once they add up to MIN or more
# and stay the same for two reads in a row (the frames of a flow that
# come after the ones counted on); polls for 5 s (x HVNV_TIME_SCALE) at
# most, then prints them as they are.
rxq_wait() {
	local i d prev=
	for ((i = 0; i < 50 * ${HVNV_TIME_SCALE:-1}; i++)); do
		d=$(rxq_delta "$3" "$(eth_rxq "$1" "$2")")
		[ $((${d// /+})) -ge "$4" ] && [ "$d" = "$prev" ] && break
		prev=$d
		ssleep 0.1
	done
	echo "$d"
}

# tcp_burst ID DST PORT N: N short TCP connections (3000 bytes each, from
# ephemeral ports) from NIC ID to DST:PORT, where tcp_sink listens.
tcp_burst() {
	nx "$1" timeout $((60 * ${HVNV_TIME_SCALE:-1})) python3 -c '
import socket, sys
for _ in range(int(sys.argv[3])):
    s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5)
    try:
        s.sendall(b"x" * 3000)
    except OSError:
        pass  # the sink closes at once: a reset is fine
    s.close()' "$2" "$3" "$4" || die "TCP connections to $2:$3 failed"
}

# every_queue_busy ID PEER N [rx0]: short TCP connections from nicID to
# nicPEER (a tcp_sink on port 5002 there), 16 at a time and 64 at most,
# until each of nicID's queues 0..N-1 has sent and received frames, in the
# guest's counters (ethtool -S) and on the host's channels; channels from N
# on must carry nothing meanwhile.  With rx0 the host must deliver
# everything on queue 0 (an all-zero RSS key hashes every flow to 0).
# Fails otherwise; prints the deltas.
every_queue_busy() {
	local id=$1 peer=$2 n=$3 rx0 tx0 hr0 ht0 rx tx hr ht round q rxn=$3
	local -a a b c d
	[ "${4:-}" = rx0 ] && rxn=1
	rx0=$(eth_rxq "$id" "nic$id")
	tx0=$(eth_txq "$id" "nic$id")
	hr0=$(host_chans "$id" rx)
	ht0=$(host_chans "$id" tx)
	for round in 1 2 3 4; do
		tcp_burst "$id" "$(nic_ip "$peer")" 5002 16
		rx=$(rxq_delta "$rx0" "$(eth_rxq "$id" "nic$id")")
		tx=$(rxq_delta "$tx0" "$(eth_txq "$id" "nic$id")")
		hr=$(rxq_delta "$hr0" "$(host_chans "$id" rx)")
		ht=$(rxq_delta "$ht0" "$(host_chans "$id" tx)")
		read -ra a <<<"$rx"
		read -ra b <<<"$tx"
		read -ra c <<<"$hr"
		read -ra d <<<"$ht"
		for ((q = 0; q < n; q++)); do
			[ "${b[q]:-0}" -gt 0 ] && [ "${d[q]}" -gt 0 ] || break
			[ $q -ge $rxn ] || { [ "${a[q]:-0}" -gt 0 ] && [ "${c[q]}" -gt 0 ]; } || break
		done
		[ $q = "$n" ] && break
	done
	echo "nic$id, $n queues, $((round * 16)) connections: rx $rx; tx $tx; host rx ${c[*]:0:n+1}; host tx ${d[*]:0:n+1} (channels 0..$n)"
	for ((q = 0; q < n; q++)); do
		[ "${b[q]:-0}" -gt 0 ] || die "nic$id tx queue $q sent nothing (tx_queue deltas: $tx)"
		[ "${d[q]}" -gt 0 ] || die "the host got nothing from nic$id on channel $q"
		[ $q -lt $rxn ] || continue
		[ "${a[q]:-0}" -gt 0 ] || die "nic$id rx queue $q received nothing (rx_queue deltas: $rx)"
		[ "${c[q]}" -gt 0 ] || die "the host delivered nothing to nic$id on channel $q"
	done
	for ((q = rxn; q < n; q++)); do
		[ "${a[q]:-0}" = 0 ] || die "nic$id rx queue $q received ${a[q]} frames, want all on queue 0"
	done
	for ((q = rxn; q < 64; q++)); do
		[ "${c[q]}" = 0 ] || die "the host delivered ${c[q]} frames to nic$id on channel $q (queues 0..$((rxn - 1)) expected)"
	done
	for ((q = n; q < 64; q++)); do
		[ "${d[q]}" = 0 ] || die "nic$id sent ${d[q]} frames on channel $q (only $n in use)"
	done
}

# expect_only_queue WHAT DELTAS Q MIN: queue Q moved by at least MIN and no
# other queue moved.
expect_only_queue() {
	local what=$1 q=$3 min=$4 i=0 d
	for d in $2; do
		if [ $i -eq "$q" ]; then
			[ "$d" -ge "$min" ] || die "$what: rx_queue_${q}_packets +$d, want >= $min (all queues: $2)"
		else
			[ "$d" -eq 0 ] || die "$what: rx_queue_${i}_packets +$d, want +0: every frame on queue $q (all queues: $2)"
		fi
		i=$((i + 1))
	done
	[ "$q" -lt $i ] || die "$what: no rx_queue_${q}_packets (queues: $2)"
}

# sim_run NAME FUNCTION: ktap_run, unless HVNV_CASES (an extended regular
# expression, for running a few cases while debugging) leaves NAME out.
sim_run() {
	if [ -n "${HVNV_CASES:-}" ] && ! echo "$1" | grep -qE "$HVNV_CASES"; then
		ktap_run "$1" skip "not selected by HVNV_CASES='$HVNV_CASES'"
		return 0
	fi
	ktap_run "$@"
}
