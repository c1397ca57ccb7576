# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Part of sim.sh (sourced by it, not by test files): the simulated NICs, their
# namespaces and addresses, carrier and the host port; the helpers that parse
# ethtool's output (channels, per-queue counters, RSS key and table) and the
# host's counters.

# ---- NICs ----------------------------------------------------------------

sim_nx() { # sim_nx ID CMD...: run CMD in NIC ID's namespace
	local id=$1
	shift
	ip netns exec "hvs$id" "$@"
}

sim_nic_new() { # sim_nic_new ID [key=value ...]
	echo "$*" >"$SIM/new_nic" || sim_die "new_nic '$*' failed"
	[ -d "$SIM/nic$1" ] || sim_die "new_nic '$*' did not create $SIM/nic$1"
}

sim_nic_del() { # sim_nic_del ID
	echo "$1" >"$SIM/del_nic" || sim_die "del_nic $1 failed"
	[ ! -e "$SIM/nic$1" ] || sim_die "$SIM/nic$1 still there after del_nic"
}

sim_nic_guid() { # VMBus instance GUID of NIC ID, lower case
	local g
	read -r g <"$SIM/nic$1/instance"
	echo "${g,,}"
}

# Name of NIC ID's netdev in the initial namespace, or fail.
sim_nic_find_dev() {
	local guid d
	guid=$(sim_nic_guid "$1")
	for d in /sys/bus/vmbus/devices/"$guid"/net/*; do
		[ -e "$d" ] || continue
		echo "${d##*/}"
		return 0
	done
	return 1
}

# Wait for NIC ID's netdev to appear (in the initial namespace), print it.
sim_nic_wait_dev() {
	local i
	for i in $(seq $((SIM_WAIT * 10))); do
		sim_nic_find_dev "$1" && return 0
		sim_ssleep 0.1
	done
	sim_die "no netdev for nic$1 (instance $(sim_nic_guid "$1")) after ${SIM_WAIT}s;" \
		"vmbus devices: $(ls /sys/bus/vmbus/devices 2>/dev/null | tr '\n' ' ')"
}

# Wait until the netdev's channel setup has settled: ethtool's current
# combined count equals the number of RX queues the stack sees, or is 1 (the
# in-tree driver sets the stack's queue counts only when it opens
# subchannels, so after ethtool -L combined 1 they keep the old value).
# sim_dev_settle DEV [ID-of-namespace]
sim_dev_settle() {
	local dev=$1 ns=${2:-} i out cur q l v
	for i in $(seq $((SIM_WAIT * 2))); do
		out=$(sim_in_ns "$ns" sh -c "ethtool -l $dev; ls /sys/class/net/$dev/queues" 2>/dev/null || true)
		cur=
		q=0
		while read -r l v; do
			case "$l" in Combined:) cur=$v ;; rx-*) q=$((q + 1)) ;; esac
		done <<<"$out"
		[ -n "$cur" ] && { [ "$cur" = "$q" ] || [ "$cur" = 1 ]; } && return 0
		sim_ssleep 0.3
	done
	sim_die "$dev: channels did not settle: ethtool current combined '$cur', rx queues $q"
}

sim_in_ns() { # sim_in_ns ID|'' CMD...: run in NIC ID's namespace or the initial one
	local id=$1
	shift
	if [ -n "$id" ]; then
		ip netns exec "hvs$id" "$@"
	else
		"$@"
	fi
}

# sim_nic_setup ID [new_nic options]: create NIC ID, wait for its netdev, move it
# to namespace hvsID as nicID with 10.77.0.(ID+1)/24, IPv6 off, up, carrier.
sim_nic_setup() {
	local id=$1 dev
	sim_nic_new "$@"
	dev=$(sim_nic_wait_dev "$id")
	sim_dev_settle "$dev"
	sim_nic_to_ns "$id" "$dev"
}

# sim_nic_to_ns ID DEV: move DEV (NIC ID's netdev, initial namespace) into hvsID.
sim_nic_to_ns() {
	local id=$1 dev=$2
	[ -e "/run/netns/hvs$id" ] || ip netns add "hvs$id"
	ip link set "$dev" netns "hvs$id"
	ip netns exec "hvs$id" sh -c "
		sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 &&
		ip link set $dev name nic$id &&
		sysctl -qw net.ipv6.conf.nic$id.disable_ipv6=1 &&
		ip link set lo up &&
		ip addr add $(sim_nic_ip "$id")/24 dev nic$id &&
		ip link set nic$id up" || sim_die "configuring nic$id in hvs$id failed"
	sim_wait_carrier "$id" "nic$id" 1
}

sim_nic_ip() { echo "$SIM_NET.$(($1 + 1))"; }

sim_nic_mac() { # sim_nic_mac ID: the guest's MAC of nicID (in hvsID)
	ip -n "hvs$1" -br link show "nic$1" | awk '{print $3}'
}

# sim_wait_carrier ID|'' DEV 0|1 (the interface is up)
sim_wait_carrier() {
	local id=$1 dev=$2 want=$3 i l c
	# shellcheck disable=SC2034 # (i only counts the tries)
	for i in $(seq $((SIM_WAIT * 4))); do
		l=$(ip ${id:+-n hvs$id} -o link show "$dev" 2>/dev/null || true)
		c=0
		case "$l" in *"<"*LOWER_UP*">"*) c=1 ;; esac
		[ "$c" = "$want" ] && return 0
		sim_ssleep 0.25
	done
	sim_die "$dev: carrier $c after ${SIM_WAIT}s, want $want ($l)"
}

# Host port in the initial namespace with 10.77.0.254/24, up.
sim_host_port_setup() {
	local hp
	: >/run/hvs-hostport
	read -r hp <"$SIM/host_port"
	[ -e "/sys/class/net/$hp" ] || sim_die "host port '$hp' ($SIM/host_port) has no netdev"
	sysctl -qw "net.ipv6.conf.$hp.disable_ipv6=1"
	ip addr flush dev "$hp"
	ip addr add "$SIM_HOST_IP/24" dev "$hp"
	ip link set "$hp" up
	echo "$hp"
}

# Static neighbour entries between NICs A and B (no ARP on the wire).
sim_static_neigh() { # sim_static_neigh A B
	ip -n "hvs$1" neigh replace "$(sim_nic_ip "$2")" lladdr "$(sim_nic_mac "$2")" dev "nic$1" nud permanent
	ip -n "hvs$2" neigh replace "$(sim_nic_ip "$1")" lladdr "$(sim_nic_mac "$1")" dev "nic$2" nud permanent
}

sim_static_neigh_del() { # sim_static_neigh_del A B
	ip -n "hvs$1" neigh del "$(sim_nic_ip "$2")" dev "nic$1"
	ip -n "hvs$2" neigh del "$(sim_nic_ip "$1")" dev "nic$2"
}

# ---- ethtool -------------------------------------------------------------

# sim_re_attach ID: make the driver re-open the device (MTU there and back).
sim_re_attach() {
	ip -n "hvs$1" link set "nic$1" mtu 1400
	ip -n "hvs$1" link set "nic$1" mtu 1500
	sim_dev_settle "nic$1" "$1"
	sim_wait_carrier "$1" "nic$1" 1
}

# sim_eth_channels ID|'' DEV: prints "MAX CURRENT" combined channels.
sim_eth_channels() {
	sim_in_ns "$1" ethtool -l "$2" | awk '/^Combined:/ {v[n++]=$2} END {print v[0], v[1]}'
}

# sim_eth_qstat ID|'' DEV rx|tx packets|bytes: prints the {rx,tx}_queue_N_*
# values of ethtool -S, in queue order.
sim_eth_qstat() {
	sim_in_ns "$1" ethtool -S "$2" |
		awk -F: -v k="^ *$3_queue_[0-9]+_$4:" '$0 ~ k {gsub(/[^0-9]/, "", $1); v[$1]=$2+0; if ($1+1>n) n=$1+1}
			 END {for (i=0; i<n; i++) printf "%s%d", (i ? " " : ""), v[i]; print ""}'
}

# sim_eth_stat ID NAME: a counter from ethtool -S of nicID ('-' if none).
sim_eth_stat() {
	sim_nx "$1" ethtool -S "nic$1" | awk -v n="$2:" '$1 == n {print $2; f=1} END {if (!f) print "-"}'
}

# sim_eth_rxq / sim_eth_txq ID|'' DEV: prints {rx,tx}_queue_N_packets values.
sim_eth_rxq() { sim_eth_qstat "$1" "$2" rx packets; }
sim_eth_txq() { sim_eth_qstat "$1" "$2" tx packets; }

# sim_host_chans ID rx|tx: the host's per-channel frame counters of nicID,
# channels 0..63 (frames the host delivered to the guest on the channel:
# rx; frames the guest sent on it: tx).
sim_host_chans() {
	awk -v d="$2" 'BEGIN {for (i = 0; i < 64; i++) v[i] = 0}
		$1 ~ "^ch[0-9]+_" d "_packets$" {c = $1; sub(/^ch/, "", c); sub(/_.*/, "", c); v[c] = $2}
		END {for (i = 0; i < 64; i++) printf "%s%s", (i ? " " : ""), v[i]; print ""}' "$SIM/nic$1/stats"
}

# sim_eth_indir ID|'' DEV: the RSS indirection table, one line, space separated.
sim_eth_indir() {
	sim_in_ns "$1" ethtool -x "$2" |
		awk '/^ *[0-9]+:/ {for (i=2; i<=NF; i++) printf "%s ", $i} END {print ""}' | sed 's/ $//'
}

# sim_eth_hkey ID|'' DEV: the RSS key as ethtool prints it (aa:bb:...).
sim_eth_hkey() {
	sim_in_ns "$1" ethtool -x "$2" | awk 'k {print; exit} /^RSS hash key:/ {k=1}'
}

# sim_send_table ID: nicID's send indirection table as its driver shows it
# (ethtool -d: 16 u32 channel numbers), one line.
sim_send_table() {
	sim_nx "$1" ethtool -d "nic$1" raw on | od -An -tu4 -v | xargs
}

# sim_msg_count ID PATTERN: count= of the msg_log line matching PATTERN (0 if
# none), fails when the simulator has no msg_log.
sim_msg_count() {
	local f="$SIM/nic$1/msg_log" l
	[ -r "$f" ] || return 1
	l=$(grep -i -- "$2" "$f" | head -n 1)
	l=${l##*count=}
	echo "${l%% *}" | grep -E '^[0-9]+$' || echo 0
}

# sim_host_stat ID NAME: a value from nicID/stats (fails if absent).
sim_host_stat() {
	awk -v n="$2" '$1 == n {print $2; found=1} END {exit !found}' "$SIM/nic$1/stats"
}
