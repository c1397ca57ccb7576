# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Part of sim.sh (sourced by it, not by test files): traffic and what it
# proves: ping, iperf3, the ping and iperf3 windows around a change, UDP and
# TCP flows (python3 "$SIM_PY" ...) and the per-queue counters they move.

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
sim_ping_counts() {
	local out tx rx
	out=$(cat)
	tx=$(echo "$out" | sed -n 's/^\([0-9]\+\) packets transmitted.*/\1/p')
	rx=$(echo "$out" | sed -n 's/.* \([0-9]\+\) \(packets \)\?received.*/\1/p')
	echo "${tx:-0} ${rx:-0}"
}

# sim_do_ping ID|'' DST [COUNT [extra ping args]]: COUNT replies within 10+ s.
sim_do_ping() {
	local id=$1 dst=$2 n=${3:-5} out got
	shift 3 2>/dev/null || shift $#
	# shellcheck disable=SC2086
	out=$(sim_in_ns "$id" $SIM_PING -q -c "$n" -i 0.2 -w $((10 + n / 2)) "$@" "$dst" 2>&1) || true
	read -r _ got <<<"$(sim_ping_counts <<<"$out")"
	if [ "$got" -lt "$n" ]; then
		echo "$out"
		sim_die "ping ${id:+from hvs}${id:-from init} to $dst $*: $got replies, want $n"
	fi
	echo "$out" | grep -E 'transmitted|rtt|round-trip'
}

# sim_wait_text FILE TEXT: TEXT shows up in FILE within SIM_WAIT seconds (x
# HVNV_TIME_SCALE)
sim_wait_text() {
	local i n=$((SIM_WAIT * ${HVNV_TIME_SCALE:-1}))
	for ((i = 0; i < n * 10; i++)); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sim_ssleep 0.1
	done
	sim_die "no '$2' in $1 after ${n}s: $(tail -n 3 "$1" 2>/dev/null)"
}

# sim_ping_window_start ID DST: ICMP echo requests from NIC ID's namespace to
# DST every 20 ms until ping_window_stop.  Returns once the first answer
# came, so the window is open before whatever the caller does next.
sim_ping_window_start() {
	ip netns exec "hvs$1" python3 "$SIM_PY" ping-window "$2" $((2 * ${HVNV_TIME_SCALE:-1})) \
		>/tmp/hvs-window.err 2>&1 &
	echo $! >/tmp/hvs-window.pid
	sim_wait_text /tmp/hvs-window.out "first answer"
}

# ping_window_stop: stop sending, wait up to 2 s (x HVNV_TIME_SCALE) for
# the answers still on their way, and print "SENT ANSWERED LOST" (call it
# as out=$(sim_ping_window_stop), so that its failure fails).
sim_ping_window_stop() {
	local pid l
	pid=$(</tmp/hvs-window.pid)
	rm -f /tmp/hvs-window.pid
	kill -0 "$pid" 2>/dev/null ||
		sim_die "the pings ended before the window closed: $(tail -n 3 /tmp/hvs-window.out /tmp/hvs-window.err)"
	kill -INT "$pid"
	# (not a child of this subshell: wait for its summary instead)
	sim_wait_text /tmp/hvs-window.out "^window: "
	l=$(grep '^window: ' /tmp/hvs-window.out)
	l=${l#window: }
	[ "${l%% *}" -gt 0 ] || sim_die "no pings sent: $(tail -n 3 /tmp/hvs-window.out)"
	echo "$l"
}

# sim_ping ID|'' ARGS...: the ping command, nothing checked.
sim_ping() {
	local id=$1
	shift
	# shellcheck disable=SC2086
	sim_in_ns "$id" $SIM_PING "$@"
}

# sim_iperf_server ID|'' IP PIDFILE: a one-off iperf3 server on IP in NIC ID's
# namespace (or the initial one), returning once it listens on port 5201.
sim_iperf_server() {
	local i
	sim_in_ns "$1" iperf3 -s -1 -D -B "$2" -I "$3" || sim_die "iperf3 -s on $2 failed"
	for ((i = 0; i < 100 * ${HVNV_TIME_SCALE:-1}; i++)); do
		[ -n "$(sim_in_ns "$1" ss -Hltn "sport = :5201")" ] && return 0
		sim_ssleep 0.1
	done
	sim_die "the iperf3 server on $2 is not listening after $((i / 10))s"
}

# sim_do_iperf ID|'' SERVER-ID|'' SERVER-IP [iperf3 client args]: a 2-second
# run; prints "iperf3 ...: MBIT Mbit/s (BYTES bytes)", fails unless data
# arrived. The client is killed after 30 s (x HVNV_TIME_SCALE: on the debug
# kernel 64 streams take longer than that to connect and tear down).  One
# try: the server listens before the client starts, so a refused
# connection is a failure.
sim_do_iperf() {
	local cid=$1 sid=$2 sip=$3 pidf json r bytes bps
	shift 3
	pidf=/tmp/hvs-iperf.$BASHPID.pid
	sim_iperf_server "$sid" "$sip" "$pidf"
	json=$(sim_in_ns "$cid" timeout $((30 * ${HVNV_TIME_SCALE:-1})) iperf3 -c "$sip" -t 2 -J "$@")
	json=${json//[[:space:]]/}
	case "$json" in *'"error":'*|'') echo "$json" | tail -c 400; sim_die "iperf3 to $sip $* failed" ;; esac
	r=${json#*\"end\":}
	case "$r" in *'"sum_received":'*) r=${r#*\"sum_received\":} ;; *) r=${r#*\"sum\":} ;; esac
	bytes=${r#*\"bytes\":}
	bytes=${bytes%%[,\}]*}
	bps=${r#*\"bits_per_second\":}
	bps=${bps%%[,.\}]*}
	echo "iperf3 ${cid:+hvs}${cid:-init} -> $sip $*: $((bps / 1000000)) Mbit/s ($bytes bytes)"
	[ "$bytes" -gt 0 ] || sim_die "iperf3: no data received"
}

# sim_iperf_window_start CLIENT-ID SERVER-ID SERVER-IP [iperf3 args]: an
# iperf3 run in the background (JSON into /tmp/hvs-window.json), returning
# once its server listens; then the caller changes something and calls
# sim_iperf_window_end, which decides when the run ends: the window lasts as
# long as the change takes (up to SIM_WINDOW_MAX seconds x HVNV_TIME_SCALE,
# default 300), so a slow machine makes the case slower, not wrong.
sim_iperf_window_start() {
	local cid=$1 sid=$2 sip=$3 secs
	shift 3
	secs=$((${SIM_WINDOW_MAX:-300} * ${HVNV_TIME_SCALE:-1}))
	sim_iperf_server "$sid" "$sip" /tmp/hvs-iperfw.pid
	sim_in_ns "$cid" timeout $((secs + 30 * ${HVNV_TIME_SCALE:-1})) \
		iperf3 -c "$sip" -t "$secs" -J "$@" >/tmp/hvs-window.json 2>/tmp/hvs-iperfw.err &
	echo $! >/tmp/hvs-iperfc.pid
	SIM_IPERF_T0=$EPOCHREALTIME
}

# sim_iperf_window_end [GRACE]: the caller's change is done; the run of
# sim_iperf_window_start goes on for GRACE + 5 x HVNV_TIME_SCALE seconds more,
# then is interrupted (iperf3 reports what it measured so far). It must
# have been running until now, and from GRACE seconds after the change on
# it must have carried data, with no stall longer than GRACE seconds
# (default 2 x HVNV_TIME_SCALE: TCP's retransmission timer on a slow
# kernel). Prints what it saw.
sim_iperf_window_end() {
	local scale=${HVNV_TIME_SCALE:-1} grace pid t rc=0
	grace=${1:-$((2 * scale))}
	t=$(awk -v a="$SIM_IPERF_T0" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.2f", b - a}')
	read -r pid </tmp/hvs-iperfc.pid
	rm -f /tmp/hvs-iperfc.pid
	kill -0 "$pid" 2>/dev/null || sim_die "iperf3 ended before the change was done (${t}s in): $(tail -c 300 /tmp/hvs-window.json /tmp/hvs-iperfw.err)"
	sim_ssleep $((grace + 5 * scale))
	# SIGINT to iperf3 itself: a background job of this shell ignores it
	pkill -INT -f "^iperf3 -c .* -t $((${SIM_WINDOW_MAX:-300} * scale)) -J" ||
		sim_die "iperf3 ended before the window did (${t}s + $((grace + 5 * scale))s): $(tail -c 300 /tmp/hvs-window.json /tmp/hvs-iperfw.err)"
	wait "$pid" || rc=$?
	python3 "$SIM_PY" iperf-window-check "$t" "$grace" /tmp/hvs-window.json "$rc"
}

# ---- flows and per-queue counters ----------------------------------------

# sim_udp_send ID "SRC:SPORT ..." DST DPORT: three datagrams from each source
# (one python run for all of them).
sim_udp_send() {
	sim_nx "$1" timeout 30 python3 "$SIM_PY" udp-send "$2" "$3" "$4" ||
		sim_die "sending UDP from $2 failed"
}

# sim_tcp_send ID SPORT DST DPORT: one short TCP connection from NIC ID's
# primary address and source port SPORT (the peer runs sim_tcp_sink).  Python
# binds the port itself: busybox nc connects from an ephemeral port
# whatever -p says.
sim_tcp_send() {
	sim_nx "$1" timeout 10 python3 "$SIM_PY" tcp-send "$2" "$3" "$4" ||
		sim_die "TCP connection from port $2 to $3:$4 failed"
}

# sim_tcp_sink ID IP PORT: accept connections in NIC ID's namespace (background,
# killed by the case's cleanup).
sim_tcp_sink() {
	ip netns exec "hvs$1" busybox nc -ll -p "$3" -e /bin/true >/dev/null 2>&1 &
	echo $! >/tmp/hvs-sink.pid
	sleep 1
}

# sim_rxq_delta BEFORE AFTER: per-queue differences, space separated.
sim_rxq_delta() {
	local -a b=($1) a=($2)
	local i out=
	[ ${#a[@]} = ${#b[@]} ] || sim_die "queue count changed: ($1) -> ($2)"
	for ((i = 0; i < ${#a[@]}; i++)); do
		out="$out${out:+ }$((a[i] - b[i]))"
	done
	echo "$out"
}

# sim_rxq_wait ID DEV BEFORE MIN: the per-queue deltas (sim_rxq_delta) of DEV's
# receive counters since BEFORE (sim_eth_rxq), once they add up to MIN or more
# and stay the same for two reads in a row (the frames of a flow that
# come after the ones counted on); polls for 5 s (x HVNV_TIME_SCALE) at
# most, then prints them as they are.
sim_rxq_wait() {
	local i d prev=
	for ((i = 0; i < 50 * ${HVNV_TIME_SCALE:-1}; i++)); do
		d=$(sim_rxq_delta "$3" "$(sim_eth_rxq "$1" "$2")")
		[ $((${d// /+})) -ge "$4" ] && [ "$d" = "$prev" ] && break
		prev=$d
		sim_ssleep 0.1
	done
	echo "$d"
}

# sim_tcp_burst ID DST PORT N: N short TCP connections (3000 bytes each, from
# ephemeral ports) from NIC ID to DST:PORT, where sim_tcp_sink listens.
sim_tcp_burst() {
	sim_nx "$1" timeout $((60 * ${HVNV_TIME_SCALE:-1})) python3 "$SIM_PY" tcp-burst "$2" "$3" "$4" ||
		sim_die "TCP connections to $2:$3 failed"
}

# sim_every_queue_busy ID PEER N [rx0]: short TCP connections from nicID to
# nicPEER (a sim_tcp_sink on port 5002 there), 16 at a time and 64 at most,
# until each of nicID's queues 0..N-1 has sent and received frames, in the
# guest's counters (ethtool -S) and on the host's channels; channels from N
# on must carry nothing meanwhile.  With rx0 the host must deliver
# everything on queue 0 (an all-zero RSS key hashes every flow to 0).
# Fails otherwise; prints the deltas.
sim_every_queue_busy() {
	local id=$1 peer=$2 n=$3 rx0 tx0 hr0 ht0 rx tx hr ht round q rxn=$3
	local -a a b c d
	[ "${4:-}" = rx0 ] && rxn=1
	rx0=$(sim_eth_rxq "$id" "nic$id")
	tx0=$(sim_eth_txq "$id" "nic$id")
	hr0=$(sim_host_chans "$id" rx)
	ht0=$(sim_host_chans "$id" tx)
	for round in 1 2 3 4; do
		sim_tcp_burst "$id" "$(sim_nic_ip "$peer")" 5002 16
		rx=$(sim_rxq_delta "$rx0" "$(sim_eth_rxq "$id" "nic$id")")
		tx=$(sim_rxq_delta "$tx0" "$(sim_eth_txq "$id" "nic$id")")
		hr=$(sim_rxq_delta "$hr0" "$(sim_host_chans "$id" rx)")
		ht=$(sim_rxq_delta "$ht0" "$(sim_host_chans "$id" tx)")
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
		[ "${b[q]:-0}" -gt 0 ] || sim_die "nic$id tx queue $q sent nothing (tx_queue deltas: $tx)"
		[ "${d[q]}" -gt 0 ] || sim_die "the host got nothing from nic$id on channel $q"
		[ $q -lt $rxn ] || continue
		[ "${a[q]:-0}" -gt 0 ] || sim_die "nic$id rx queue $q received nothing (rx_queue deltas: $rx)"
		[ "${c[q]}" -gt 0 ] || sim_die "the host delivered nothing to nic$id on channel $q"
	done
	for ((q = rxn; q < n; q++)); do
		[ "${a[q]:-0}" = 0 ] || sim_die "nic$id rx queue $q received ${a[q]} frames, want all on queue 0"
	done
	for ((q = rxn; q < 64; q++)); do
		[ "${c[q]}" = 0 ] || sim_die "the host delivered ${c[q]} frames to nic$id on channel $q (queues 0..$((rxn - 1)) expected)"
	done
	for ((q = n; q < 64; q++)); do
		[ "${d[q]}" = 0 ] || sim_die "nic$id sent ${d[q]} frames on channel $q (only $n in use)"
	done
}

# sim_expect_only_queue WHAT DELTAS Q MIN: queue Q moved by at least MIN and no
# other queue moved.
sim_expect_only_queue() {
	local what=$1 q=$3 min=$4 i=0 d
	for d in $2; do
		if [ $i -eq "$q" ]; then
			[ "$d" -ge "$min" ] || sim_die "$what: rx_queue_${q}_packets +$d, want >= $min (all queues: $2)"
		else
			[ "$d" -eq 0 ] || sim_die "$what: rx_queue_${i}_packets +$d, want +0: every frame on queue $q (all queues: $2)"
		fi
		i=$((i + 1))
	done
	[ "$q" -lt $i ] || sim_die "$what: no rx_queue_${q}_packets (queues: $2)"
}

# ---- numbered UDP streams --------------------------------------------------

# sim_streams_start A B SECONDS: numbered UDP streams (udpstream.py) of 1000
# datagrams/s for at most SECONDS, from nicA to nicB ("ab") and back
# ("ba"); returns once both are sending.  sim_streams_end stops and
# collects them.
SIM_STREAM=/tmp/hvs-stream
SIM_STREAM_PIDS=
sim_streams_start() {
	local from=$1 to=$2 secs=$3
	rm -f $SIM_STREAM-*
	SIM_STREAM_PIDS=
	export UDPSTREAM_STOP=$SIM_STREAM-stop
	sim_nx "$to" python3 "$SIM_UDPSTREAM" recv "$(sim_nic_ip "$to")" 6100 $((secs + 4)) \
		$SIM_STREAM-ab-ready >$SIM_STREAM-ab.json &
	SIM_STREAM_PIDS+=" $!"
	sim_nx "$from" python3 "$SIM_UDPSTREAM" recv "$(sim_nic_ip "$from")" 6101 $((secs + 4)) \
		$SIM_STREAM-ba-ready >$SIM_STREAM-ba.json &
	SIM_STREAM_PIDS+=" $!"
	sim_streams_wait ready || return 1
	sim_nx "$from" python3 "$SIM_UDPSTREAM" send "$(sim_nic_ip "$to")" 6100 1000 "$secs" \
		$SIM_STREAM-ab-sending >/dev/null &
	SIM_STREAM_PIDS+=" $!"
	sim_nx "$to" python3 "$SIM_UDPSTREAM" send "$(sim_nic_ip "$from")" 6101 1000 "$secs" \
		$SIM_STREAM-ba-sending >/dev/null &
	SIM_STREAM_PIDS+=" $!"
	sim_streams_wait sending
}

# sim_streams_wait ready|sending: both ends there (30 s)
sim_streams_wait() {
	sim_wait_file "$SIM_STREAM-ab-$1" && sim_wait_file "$SIM_STREAM-ba-$1"
}

# sim_streams_end T0 T1: let the streams run 2 s more, stop them and set,
# for D = AB and BA,
# SIM_GOT_D (datagrams received), SIM_LOST_D and SIM_GAP_D (datagrams lost,
# and the longest pause in ms, that overlap the change from T0 to T1,
# date +%s%N), SIM_LOST_ALL_D (lost over the whole stream: a loaded
# machine loses some whatever the change does) and SIM_AFTER_D (1 if
# datagrams still came after T1).
sim_streams_end() {
	local d r
	# 2 s of the streams after the change, then they stop
	sleep $((2 * ${HVNV_TIME_SCALE:-1}))
	: >"$UDPSTREAM_STOP"
	# shellcheck disable=SC2086
	wait $SIM_STREAM_PIDS
	SIM_STREAM_PIDS=
	for d in ab ba; do
		r=$(python3 "$SIM_UDPSTREAM" change "$1" "$2" \
			received change_lost change_gap_ms lost after <$SIM_STREAM-$d.json) ||
			sim_die "stream $d gave no result: $(cat $SIM_STREAM-$d.json)" || return 1
		read -r "SIM_GOT_${d^^}" "SIM_LOST_${d^^}" "SIM_GAP_${d^^}" \
			"SIM_LOST_ALL_${d^^}" "SIM_AFTER_${d^^}" <<<"$r"
	done
}

# sim_streams_kill: stop streams a failed case left running
sim_streams_kill() {
	# shellcheck disable=SC2086
	[ -z "$SIM_STREAM_PIDS" ] || kill $SIM_STREAM_PIDS 2>/dev/null
	SIM_STREAM_PIDS=
	return 0
}
