#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# What the driver under test (HV_NETVSC_DRIVER, see sim.sh) puts on the
# wire, over IPv4 and IPv6: the simulated host carries out the guest's
# checksum and LSOv2 requests at the offsets and MSS the guest gave, so a
# wrong value there becomes a wrong frame, which these cases see at the
# receiver (its checksum error counters, the bytes and the segment sizes it
# got) and in the host's counters.  With tx_csum_verify the host also
# checks every checksum the guest computed itself.
#
# The pair's NICs run with IPv6 enabled (sim.sh's sim_nic_to_ns disables it):
# link-local addresses, fd77::(ID+1)/64, duplicate address detection on.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sim.sh"

W_NET6=fd77:
# TCP payload per segment at MTU 1500 with timestamps (12 option bytes):
# 1500 - 20 (IPv4) - 20 (TCP) - 12, and 1500 - 40 (IPv6) - 20 - 12
W_MSS4=1448
W_MSS6=1428
W_PORT=5301
# UDP payload sizes: odd and even lengths up to a full frame (no fragments)
W_UDP4=1,2,3,17,100,511,1000,1471,1472
W_UDP6=1,2,3,17,100,511,1000,1451,1452

# One python run carries a case's traffic: it makes the receiver's sockets
# in hvs1 (TCP listener, UDP socket, optionally an AF_PACKET capture of the
# TCP segments nic1 received), then sends from hvs0 the UDP datagrams and
# the TCP stream, and compares what arrived with what was sent (SHA-256).
# It prints "tcp_sent= tcp_rcvd= tcp_same= udp_sent= udp_rcvd= udp_same="
# and, with a capture, "segs= seg_max= seg_sizes=SIZE:COUNT,..." (the TCP
# payload sizes seen, most frequent first); exits 1 on a socket error.
# usage: SENDER-NS RECEIVER-NS 4|6 DST PORT TCP-BYTES UDP-SIZES CAP-DEV|- SECS
W_PY=$(cat <<'EOF'
import ctypes, hashlib, os, select, socket, struct, sys, threading, time

sns, rns, fam, dst, port, tcp_bytes, udp_sizes, capdev, tmo = sys.argv[1:10]
port, tcp_bytes, tmo = int(port), int(tcp_bytes), float(tmo)
af = socket.AF_INET6 if fam == "6" else socket.AF_INET
sizes = [int(x) for x in udp_sizes.split(",") if x]
libc = ctypes.CDLL(None, use_errno=True)


def netns(name):
    fd = os.open("/run/netns/" + name, os.O_RDONLY)
    try:
        if libc.setns(fd, 0x40000000):
            err = ctypes.get_errno()
            raise OSError(err, "setns %s: %s" % (name, os.strerror(err)))
    finally:
        os.close(fd)


netns(rns)
lsn = socket.socket(af, socket.SOCK_STREAM)
lsn.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
lsn.bind((dst, port))
lsn.listen(1)
usock = socket.socket(af, socket.SOCK_DGRAM)
usock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
usock.bind((dst, port))
cap = None
if capdev != "-":
    eth_p = 0x86DD if af == socket.AF_INET6 else 0x0800
    cap = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(eth_p))
    cap.setsockopt(socket.SOL_SOCKET, 33, 1 << 24)  # SO_RCVBUFFORCE
    cap.bind((capdev, eth_p))
netns(sns)

res = {"tcp_rcvd": 0, "rx_error": ""}
hist = {}
rx_tcp = hashlib.sha256()
rx_udp = []


def tcp_payload(pkt, addr):
    """TCP payload bytes of a received IP packet to our port, else 0"""
    if addr[2] == socket.PACKET_OUTGOING:
        return 0
    if af == socket.AF_INET:
        if len(pkt) < 20 or pkt[9] != 6:
            return 0
        l4, end = (pkt[0] & 15) * 4, struct.unpack_from("!H", pkt, 2)[0]
    else:
        if len(pkt) < 40 or pkt[6] != 6:
            return 0
        l4, end = 40, 40 + struct.unpack_from("!H", pkt, 4)[0]
    if len(pkt) < l4 + 20 or struct.unpack_from("!H", pkt, l4 + 2)[0] != port:
        return 0
    return end - l4 - (pkt[l4 + 12] >> 4) * 4


def count(pkt, addr):
    n = tcp_payload(pkt, addr)
    if n > 0:
        hist[n] = hist.get(n, 0) + 1


def receive():
    conn, tcp_done, late = None, tcp_bytes == 0, None
    socks = [lsn, usock] + ([cap] if cap else [])
    deadline = time.monotonic() + tmo
    try:
        while time.monotonic() < deadline:
            if tcp_done and len(rx_udp) >= len(sizes):
                break
            if tcp_done and late is None:
                late = time.monotonic() + 3  # datagrams still on the way
            if late and time.monotonic() > late:
                break
            r, _, _ = select.select(socks, [], [], 0.2)
            for s in r:
                if s is lsn:
                    conn, _ = lsn.accept()
                    socks.append(conn)
                elif s is usock:
                    rx_udp.append(hashlib.sha256(usock.recv(65536)).hexdigest())
                elif s is cap:
                    count(*cap.recvfrom(65536))
                else:
                    d = conn.recv(1 << 20)
                    if not d:
                        socks.remove(conn)
                        conn.close()
                        tcp_done = True
                    res["tcp_rcvd"] += len(d)
                    rx_tcp.update(d)
        if cap:
            cap.setblocking(False)
            try:
                while True:
                    count(*cap.recvfrom(65536))
            except BlockingIOError:
                pass
    except Exception as e:
        res["rx_error"] = repr(e)


rx = threading.Thread(target=receive)
rx.start()
err = ""
tx_udp = []
tx_tcp = hashlib.sha256()
try:
    u = socket.socket(af, socket.SOCK_DGRAM)
    for i, n in enumerate(sizes):
        d = bytes((i * 7 + j * 13 + n) & 255 for j in range(n))
        tx_udp.append(hashlib.sha256(d).hexdigest())
        u.sendto(d, (dst, port))
    u.close()
    if tcp_bytes:
        block = os.urandom(1 << 16)
        c = socket.socket(af, socket.SOCK_STREAM)
        c.settimeout(min(tmo, 10))
        c.connect((dst, port))
        c.settimeout(tmo)
        left = tcp_bytes
        while left:
            d = block[: min(left, len(block))]
            c.sendall(d)
            tx_tcp.update(d)
            left -= len(d)
        c.shutdown(socket.SHUT_WR)
        c.close()
except Exception as e:
    err = repr(e)
rx.join()
print("tcp_sent=%d tcp_rcvd=%d tcp_same=%d udp_sent=%d udp_rcvd=%d udp_same=%d"
      % (-1 if err else tcp_bytes, res["tcp_rcvd"],
         int(not tcp_bytes or rx_tcp.digest() == tx_tcp.digest()),
         len(tx_udp), len(rx_udp), int(sorted(rx_udp) == sorted(tx_udp))))
if cap:
    top = sorted(hist.items(), key=lambda kv: -kv[1])[:5]
    print("segs=%d seg_max=%d seg_sizes=%s" % (sum(hist.values()),
          max(hist) if hist else 0, ",".join("%d:%d" % kv for kv in top)))
if err or res["rx_error"]:
    print("error: sender %s, receiver %s" % (err or "-", res["rx_error"] or "-"))
    sys.exit(1)
EOF
)

# w_ip 4|6 ID: NIC ID's address of that family
w_ip() {
	if [ "$1" = 6 ]; then
		echo "$W_NET6:$(($2 + 1))"
	else
		sim_nic_ip "$2"
	fi
}

# w_traffic 4|6 TCP-BYTES UDP-SIZES CAP-DEV|-: nic0 -> nic1 (W_PY), output
# in W_OUT; fails when the run did (the case prints the counters first).
w_traffic() {
	local rc=0
	W_OUT=$(timeout $((60 * ${HVNV_TIME_SCALE:-1})) python3 -c "$W_PY" hvs0 hvs1 \
		"$1" "$(w_ip "$1" 1)" $W_PORT "$2" "$3" "$4" $((30 * ${HVNV_TIME_SCALE:-1}))) ||
		rc=$?
	echo "$W_OUT"
	[ $rc = 0 ] || echo "traffic over IPv$1 from nic0 to nic1 failed (exit status $rc)"
	return $rc
}

# w_out NAME: a NAME=VALUE of W_OUT
w_out() {
	local v=" ${W_OUT//$'\n'/ } "
	v=${v#* "$1="}
	echo "${v%% *}"
}

# w_pick WHAT NAME...: the values of NAME... in the "NAME VALUE" lines on
# stdin, space separated (fails, naming WHAT, if one is missing)
w_pick() {
	local what=$1 n v out=""
	local -A s
	shift
	while read -r n v _; do
		s[$n]=$v
	done
	for n; do
		[ -n "${s[$n]+x}" ] || sim_die "$what has no $n"
		out+="${out:+ }${s[$n]}"
	done
	echo "$out"
}

# w_host ID NAME...: values of nicID/stats of the simulated host
w_host() {
	local id=$1
	shift
	w_pick "the simulated host's nic$id/stats" "$@" <"$SIM/nic$id/stats"
}

# w_nstat ID NAME...: the namespace's SNMP counters
w_nstat() {
	local id=$1 all
	shift
	all=$(sim_nx "$id" nstat -asz)
	w_pick "nstat in hvs$id" "$@" <<<"$all"
}

# w_feature ID NAME: on/off of an ethtool -k feature of nicID
w_feature() {
	local l
	l=$(sim_nx "$1" ethtool -k "nic$1" | grep -m1 -E "^\s*$2:") || sim_die "nic$1 has no feature $2"
	l=${l#*: }
	echo "${l%% *}"
}

# w_v6_ready ID: nicID has a link-local and its fd77:: address, neither
# tentative nor failed
w_v6_ready() {
	local a
	a=$(ip -n "hvs$1" -6 -o addr show dev "nic$1")
	[[ $a == *" $(w_ip 6 "$1")/64 "* ]] && [[ $a == *" fe80::"* ]] &&
		[[ $a != *tentative* ]] && [[ $a != *dadfailed* ]]
}

# w_v6_setup [fresh]: IPv6 on the pair's NICs, link-local and fd77::(ID+1)
# addresses, duplicate address detection done.  Kept between cases (the
# pair is); "fresh" starts over from IPv6 off.
w_v6_setup() {
	local id
	for id in 0 1; do
		if [ "${1:-}" != fresh ] && w_v6_ready $id; then
			continue
		fi
		# "all" passes its value on to every device: nic last
		sim_nx $id sysctl -qw net.ipv6.conf.nic$id.disable_ipv6=1 \
			net.ipv6.conf.nic$id.accept_dad=1 \
			net.ipv6.conf.nic$id.dad_transmits=1 \
			net.ipv6.conf.all.disable_ipv6=0 \
			net.ipv6.conf.default.disable_ipv6=0 \
			net.ipv6.conf.nic$id.disable_ipv6=0
		ip -n "hvs$id" addr add "$(w_ip 6 $id)/64" dev "nic$id"
	done
	for _ in $(seq $((SIM_WAIT * 5))); do
		w_v6_ready 0 && w_v6_ready 1 && return 0
		sim_ssleep 0.2
	done
	ip -n hvs0 -6 addr show dev nic0
	ip -n hvs1 -6 addr show dev nic1
	sim_die "IPv6 addresses not ready (duplicate address detection) after ${SIM_WAIT}s"
}

t_ipv6_link_local_dad() {
	local id ns0 ns1 ll t0
	sim_begin
	sim_pair_setup
	ns0=$(w_nstat 0 Icmp6OutNeighborSolicits)
	ns1=$(w_nstat 1 Icmp6OutNeighborSolicits)
	t0=${EPOCHREALTIME/./}
	w_v6_setup fresh
	echo "addresses usable after $(((${EPOCHREALTIME/./} - t0) / 1000)) ms:"
	for id in 0 1; do
		ip -n "hvs$id" -6 -br addr show dev "nic$id"
	done
	# each NIC probed for its two addresses: the DAD probes went out
	ns0=$(($(w_nstat 0 Icmp6OutNeighborSolicits) - ns0))
	ns1=$(($(w_nstat 1 Icmp6OutNeighborSolicits) - ns1))
	echo "neighbour solicitations sent: nic0 $ns0, nic1 $ns1"
	if [ "$ns0" -lt 2 ] || [ "$ns1" -lt 2 ]; then
		ktap_fail "DAD probes: nic0 sent $ns0, nic1 $ns1 solicitations, want >= 2 each"
	fi
	sim_do_ping 0 "$(w_ip 6 1)" 3
	sim_do_ping 1 "$(w_ip 6 0)" 3
	ll=$(ip -n hvs1 -6 -o addr show dev nic1 scope link)
	ll=${ll#* inet6 }
	ll=${ll%%/*}
	sim_do_ping 0 "$ll" 3 -I nic0
}

# w_csum_case 4|6 on|off: TCP and UDP from nic0 to nic1 with nic0's TX
# checksum offload on (TSO off, so that every TCP segment carries the
# checksum PPI) or off (the guest computes every checksum); the host
# verifies the checksums the guest computed.
w_csum_case() {
	local fam=$1 mode=$2 feats feats1 mss sizes nudp tcp=1000000 nseg s0 s1 e0 e1 tso4 tso6
	local csum chk bad mis drop ecsum echk ebad emis edrop trc=0
	local errs=(TcpInCsumErrors UdpInCsumErrors Udp6InCsumErrors IpExtInCsumErrors)
	sim_begin
	sim_pair_setup
	w_v6_setup
	feats=$(sim_nx 0 ethtool -k nic0)
	if [ "$fam" = 6 ]; then mss=$W_MSS6 sizes=$W_UDP6; else mss=$W_MSS4 sizes=$W_UDP4; fi
	nudp=${sizes//[^,]/}
	nudp=$((${#nudp} + 1))
	nseg=$(((tcp + mss - 1) / mss))
	if [ "$mode" = on ]; then
		[ "$(w_feature 0 tx-checksum-ipv"$fam")" = on ] ||
			[ "$(w_feature 0 tx-checksum-ip-generic)" = on ] ||
			ktap_skip "nic0 has no IPv$fam TX checksum offload"
		tso4=$(w_feature 0 tx-tcp-segmentation)
		tso6=$(w_feature 0 tx-tcp6-segmentation)
		sim_nx 0 ethtool -K nic0 tx-tcp-segmentation off tx-tcp6-segmentation off >/dev/null
	else
		sim_nx 0 ethtool -K nic0 tx off >/dev/null
	fi
	sim_knob 0 tx_csum_verify 1
	s0=$(w_host 0 tx_csum tx_csum_checked tx_csum_bad tx_csum_misplaced tx_offload_drops)
	e0=$(w_nstat 1 "${errs[@]}")
	w_traffic "$fam" $tcp $sizes - || trc=$?
	s1=$(w_host 0 tx_csum tx_csum_checked tx_csum_bad tx_csum_misplaced tx_offload_drops)
	e1=$(w_nstat 1 "${errs[@]}")
	sim_knob 0 tx_csum_verify 0
	if [ "$mode" = on ]; then
		sim_nx 0 ethtool -K nic0 tx-tcp-segmentation "$tso4" tx-tcp6-segmentation "$tso6" >/dev/null
	else
		sim_nx 0 ethtool -K nic0 tx on >/dev/null
	fi
	feats1=$(sim_nx 0 ethtool -k nic0)
	[ "$feats1" = "$feats" ] || {
		diff <(echo "$feats") <(echo "$feats1")
		ktap_fail "nic0's offload features differ after restoring them"
	}
	read -r csum chk bad mis drop <<<"$s1"
	read -r ecsum echk ebad emis edrop <<<"$s0"
	csum=$((csum - ecsum)) chk=$((chk - echk)) bad=$((bad - ebad))
	mis=$((mis - emis)) drop=$((drop - edrop))
	echo "host, nic0: tx_csum +$csum tx_csum_checked +$chk tx_csum_bad +$bad" \
		"tx_csum_misplaced +$mis tx_offload_drops +$drop;" \
		"nic1: tx_csum_misplaced $(w_host 1 tx_csum_misplaced)"
	echo "receiver (${errs[*]}): $e0 -> $e1"
	ktap_expect_eq "traffic exit status" "$trc" 0
	ktap_expect_eq "host tx_csum_bad" $bad 0
	ktap_expect_eq "receiver's checksum error counters (${errs[*]})" "$e1" "$e0"
	ktap_expect_eq "TCP bytes received" "$(w_out tcp_rcvd)" $tcp
	ktap_expect_eq "TCP stream intact (SHA-256 equal)" "$(w_out tcp_same)" 1
	ktap_expect_eq "UDP datagrams received" "$(w_out udp_rcvd)" "$nudp"
	ktap_expect_eq "UDP datagrams intact" "$(w_out udp_same)" 1
	ktap_expect_eq "host tx_csum_misplaced" $mis 0
	ktap_expect_eq "host tx_offload_drops" $drop 0
	if [ "$mode" = on ]; then
		# every TCP data segment and every datagram asked for offload
		[ $csum -ge $((nseg + nudp)) ] ||
			ktap_fail "host computed $csum checksums, want >= $((nseg + nudp))" \
				"($nseg TCP segments of <= $mss bytes, $nudp datagrams)"
	else
		ktap_expect_eq "host tx_csum (no offload asked)" $csum 0
		[ $chk -ge $((nseg + nudp)) ] ||
			ktap_fail "host verified $chk checksums, want >= $((nseg + nudp))" \
				"($nseg TCP segments of <= $mss bytes, $nudp datagrams)"
	fi
}

t_csum_offload_on_v4() { w_csum_case 4 on; }
t_csum_offload_on_v6() { w_csum_case 6 on; }
t_csum_offload_off_v4() { w_csum_case 4 off; }
t_csum_offload_off_v6() { w_csum_case 6 off; }

# w_tso_case 4|6: a bulk TCP transfer with TSO on; nic1's receive
# coalescing off (GRO, LRO/RSC) so that the capture on nic1 sees each
# segment the host cut from nic0's large sends.
w_tso_case() {
	local fam=$1 mss=$W_MSS4 tso=tx-tcp-segmentation tcp=4000000 gro lro
	local s0 s1 seg0 seg1 lso drop segs full max trc=0
	sim_begin
	sim_pair_setup
	w_v6_setup
	[ "$fam" = 6 ] && mss=$W_MSS6 tso=tx-tcp6-segmentation
	[ "$(w_feature 0 $tso)" = on ] || ktap_skip "nic0 has no TSO for IPv$fam ($tso off)"
	gro=$(w_feature 1 generic-receive-offload)
	lro=$(w_feature 1 large-receive-offload)
	sim_nx 1 ethtool -K nic1 gro off >/dev/null
	[ "$lro" = on ] && sim_nx 1 ethtool -K nic1 lro off >/dev/null
	s0=$(w_host 0 tx_lso tx_offload_drops)
	seg0=$(w_host 1 rx_segmented rsc_packets)
	w_traffic "$fam" $tcp "" nic1 || trc=$?
	s1=$(w_host 0 tx_lso tx_offload_drops)
	seg1=$(w_host 1 rx_segmented rsc_packets)
	sim_nx 1 ethtool -K nic1 gro "$gro" >/dev/null
	[ "$lro" = on ] && sim_nx 1 ethtool -K nic1 lro on >/dev/null
	ktap_expect_eq "nic1 GRO restored" "$(w_feature 1 generic-receive-offload)" "$gro"
	ktap_expect_eq "nic1 LRO restored" "$(w_feature 1 large-receive-offload)" "$lro"
	read -r lso drop <<<"$s1"
	lso=$((lso - ${s0% *})) drop=$((drop - ${s0#* }))
	echo "host: nic0 tx_lso +$lso tx_offload_drops +$drop; nic1 rx_segmented,rsc_packets $seg0 -> $seg1"
	ktap_expect_eq "traffic exit status" "$trc" 0
	ktap_expect_eq "TCP bytes received" "$(w_out tcp_rcvd)" $tcp
	ktap_expect_eq "TCP stream intact (SHA-256 equal)" "$(w_out tcp_same)" 1
	[ $lso -gt 0 ] || ktap_fail "the host saw no large send from nic0"
	ktap_expect_eq "host tx_offload_drops" $drop 0
	[ "${seg1% *}" -gt "${seg0% *}" ] || ktap_fail "the host cut no large send for nic1"
	segs=$(w_out segs) max=$(w_out seg_max)
	full=$(w_out seg_sizes)
	full=",$full"
	full=${full#*,"$mss":}
	if [[ $full == [0-9]* ]]; then full=${full%%,*}; else full=0; fi
	echo "segments nic1 received: $segs, largest $max bytes, $full of $mss (MSS)"
	[ "$max" -le $mss ] || ktap_fail "a segment of $max bytes reached nic1, MSS is $mss"
	ktap_expect_eq "largest segment" "$max" $mss
	[ $((full * 4)) -ge $((segs * 3)) ] ||
		ktap_fail "only $full of $segs segments carry the full MSS ($mss), want >= 3/4"
}

t_tso_v4() { w_tso_case 4; }
t_tso_v6() { w_tso_case 6; }

# ---- VLAN, receive checksum results, packet filter ----------------------
#
# One python run per step: it opens, in namespace RNS, a UDP socket bound
# to RCV:PORT for each flow (RCV "-": none) and an AF_PACKET capture on
# CAP (PACKET_AUXDATA: the VLAN tag the stack got with the frame; "-":
# none), then, in namespace SNS, sends N datagrams per flow, either
# through a UDP socket ("udp/DST/PORT") or as whole frames through an
# AF_PACKET socket on DEV ("raw/DEV/DST-MAC/SRC-IP/DST-IP/PORT/TCI", TCI
# "-" for an untagged frame, else an 802.1Q tag in the frame).  It waits
# until every flow arrived in full or WAIT seconds passed and prints, per
# flow, "sent_PORT= rcvd_PORT= cap_PORT= tags_PORT=VID/PCP:COUNT,..."
# (the tags of the captured frames: "-" for none, "inband" for a tag the
# stack left in the frame).  Namespace "-" is the initial one.
# usage: SNS RNS RCV CAP N WAIT FLOW...
W_FPY=$(cat <<'EOF'
import ctypes, os, select, socket, struct, sys, time

sns, rns, rcv, capdev, n, wait = sys.argv[1:7]
n, wait = int(n), float(wait)
flows = [f.split("/") for f in sys.argv[7:]]
libc = ctypes.CDLL(None, use_errno=True)
SOL_PACKET, PACKET_AUXDATA, TP_STATUS_VLAN_VALID = 263, 8, 0x10


def netns(name):
    fd = os.open("/proc/1/ns/net" if name == "-" else "/run/netns/" + name,
                 os.O_RDONLY)
    try:
        if libc.setns(fd, 0x40000000):
            err = ctypes.get_errno()
            raise OSError(err, "setns %s: %s" % (name, os.strerror(err)))
    finally:
        os.close(fd)


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def frame(smac, dmac, sip, dip, port, tci, i):
    data = b"hvs-frame %d" % i
    src, dst = socket.inet_aton(sip), socket.inet_aton(dip)
    udp = struct.pack("!HHHH", 40000 + i, port, 8 + len(data), 0) + data
    c = csum(src + dst + struct.pack("!BBH", 0, 17, len(udp)) + udp) or 0xFFFF
    udp = udp[:6] + struct.pack("!H", c) + udp[8:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i, 0x4000, 64,
                     17, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    eth = bytes.fromhex(dmac.replace(":", "")) + smac
    if tci != "-":
        eth += struct.pack("!HH", 0x8100, int(tci))
    return eth + struct.pack("!H", 0x0800) + ip + udp


def udp_port(pkt):
    """(destination port, tag left in the frame) of an IPv4/UDP frame"""
    off, inband = 12, False
    if pkt[off:off + 2] == b"\x81\x00":
        off, inband = off + 4, True
    ip = off + 2
    if pkt[off:ip] != b"\x08\x00" or len(pkt) < ip + 28 or pkt[ip + 9] != 17:
        return None, inband
    l4 = ip + (pkt[ip] & 15) * 4
    return struct.unpack_from("!H", pkt, l4 + 2)[0], inband


netns(rns)
ports = [int(f[2] if f[0] == "udp" else f[5]) for f in flows]
res = {p: {"sent": 0, "rcvd": 0, "cap": 0, "tags": {}} for p in ports}
socks = {}
if rcv != "-":
    for p in ports:
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        u.bind((rcv, p))
        socks[u] = p
cap = None
if capdev != "-":
    cap = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
    cap.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    cap.setsockopt(socket.SOL_SOCKET, 33, 1 << 22)  # SO_RCVBUFFORCE
    cap.bind((capdev, 3))
netns(sns)
for f in flows:
    if f[0] == "udp":
        dst, port = f[1], int(f[2])
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for i in range(n):
            s.sendto(b"hvs-udp %d" % i, (dst, port))
    else:
        dev, dmac, sip, dip, port, tci = f[1], f[2], f[3], f[4], int(f[5]), f[6]
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
        s.bind((dev, 0))
        smac = s.getsockname()[4]
        proto = 0x8100 if tci != "-" else 0x0800
        for i in range(n):
            s.sendto(frame(smac, dmac, sip, dip, port, tci, i), (dev, proto))
    s.close()
    res[port]["sent"] = n


def done():
    for r in res.values():
        if (socks and r["rcvd"] < n) or (cap and r["cap"] < n):
            return False
    return True


deadline = time.monotonic() + wait
rd = list(socks) + ([cap] if cap else [])
while rd and not done() and time.monotonic() < deadline:
    r, _, _ = select.select(rd, [], [], 0.1)
    for s in r:
        if s is not cap:
            s.recv(65536)
            res[socks[s]]["rcvd"] += 1
            continue
        pkt, anc, _, addr = cap.recvmsg(65536, socket.CMSG_SPACE(20))
        port, inband = udp_port(pkt)
        if addr[2] == socket.PACKET_OUTGOING or port not in res:
            continue
        res[port]["cap"] += 1
        tag = "-"
        for lvl, typ, d in anc:
            if lvl == SOL_PACKET and typ == PACKET_AUXDATA:
                st, _, _, _, _, tci, _ = struct.unpack("IIIHHHH", d[:20])
                if st & TP_STATUS_VLAN_VALID:
                    tag = "%d/%d" % (tci & 0xFFF, tci >> 13)
        if inband:
            tag = "inband"
        res[port]["tags"][tag] = res[port]["tags"].get(tag, 0) + 1
for p, r in res.items():
    tags = ",".join("%s:%d" % kv for kv in sorted(r["tags"].items())) or "-"
    print("sent_%d=%d rcvd_%d=%d cap_%d=%d tags_%d=%s" % (
        p, r["sent"], p, r["rcvd"], p, r["cap"], p, tags))
EOF
)

W_N=20
W_VNET=10.78.100
W_VID=100

# w_frames SNS RNS RCV CAP WAIT-FULL(0|1) FLOW...: W_FPY with W_N frames a
# flow, output in W_OUT (and printed).  WAIT-FULL 1: some flows must not
# arrive, so the run waits its whole time (2 s x HVNV_TIME_SCALE).
w_frames() {
	local wait=$((10 * ${HVNV_TIME_SCALE:-1}))
	[ "$5" = 1 ] && wait=$((2 * ${HVNV_TIME_SCALE:-1}))
	W_OUT=$(timeout $((wait + 30 * ${HVNV_TIME_SCALE:-1})) \
		python3 -c "$W_FPY" "$1" "$2" "$3" "$4" $W_N $wait "${@:6}") ||
		sim_die "sending the frames failed: $W_OUT"
	echo "$W_OUT"
}

# w_hdelta ID NAME BEFORE: how much host counter NAME of nicID grew
w_hdelta() {
	echo $(($(w_host "$1" "$2") - $3))
}

# w_vlan_setup: nic0's LRO state in W_LRO (a VLAN device on top turns
# it off); on the host port, VLAN W_VID (hp.W_VID, W_VNET.254,
# priority 0 sent as PCP 3), on nic0 nic0.W_VID (W_VNET.1, priority 0
# sent as PCP 5); IPv6 off on both, static neighbours.  sim_case_end
# removes the host port's VLAN device; nic0's goes with nic0 or with
# w_vlan_cleanup.
w_vlan_setup() {
	local hp
	sim_mod_loaded 8021q || modprobe 8021q
	W_LRO=$(w_feature 0 large-receive-offload)
	hp=$(sim_host_port_setup)
	ip link add link "$hp" name "$hp.$W_VID" type vlan id $W_VID egress-qos-map 0:3
	sysctl -qw "net.ipv6.conf.$hp/$W_VID.disable_ipv6=1"
	ip addr add "$W_VNET.254/24" dev "$hp.$W_VID"
	ip link set "$hp.$W_VID" up
	ip -n hvs0 link add link nic0 name nic0.$W_VID type vlan id $W_VID egress-qos-map 0:5
	sim_nx 0 sysctl -qw "net.ipv6.conf.nic0/$W_VID.disable_ipv6=1"
	ip -n hvs0 addr add "$W_VNET.1/24" dev nic0.$W_VID
	ip -n hvs0 link set nic0.$W_VID up
	ip -n hvs0 neigh replace "$W_VNET.254" lladdr "$(<"/sys/class/net/$hp/address")" \
		dev nic0.$W_VID nud permanent
	ip neigh replace "$W_VNET.1" lladdr "$(sim_nic_mac 0)" dev "$hp.$W_VID" nud permanent
}

# w_vlan_cleanup HOST-PORT: the VLAN devices gone, nic0's LRO back
w_vlan_cleanup() {
	ip -n hvs0 link del nic0.$W_VID
	ip link del "$1.$W_VID"
	[ "$W_LRO" != on ] || sim_nx 0 ethtool -K nic0 lro on
	ktap_expect_eq "nic0 LRO restored" "$(w_feature 0 large-receive-offload)" "$W_LRO"
}

# w_expect_flow WHAT PORT RCVD CAP [TAGS]: the counts of W_OUT's flow PORT
w_expect_flow() {
	local what=$1 p=$2 err=0
	ktap_expect_eq "$what: datagrams received" "$(w_out "rcvd_$p")" "$3" || err=1
	ktap_expect_eq "$what: frames captured" "$(w_out "cap_$p")" "$4" || err=1
	if [ -n "${5:-}" ]; then
		ktap_expect_eq "$what: tags of the captured frames" "$(w_out "tags_$p")" "$5" || err=1
	fi
	return $err
}

# VLAN W_VID both ways between nic0.W_VID and the host port's VLAN
# device.  The driver sends nic0.W_VID's tag as the 802.1Q PPI, which the
# host puts on the frame: the host port's capture sees VID and PCP 5.  The
# frames of the host port's VLAN device carry their tag in the frame (the
# host port has no VLAN offload); the host turns it into the PPI, which
# the driver must hand to the stack as the frame's tag, or nic0.W_VID
# never gets them.
t_vlan_ppi() {
	local hp tx0 rx0 drop0 err=0
	sim_begin
	sim_pair_setup
	w_vlan_setup
	hp=$(<"$SIM/host_port")
	read -r tx0 rx0 drop0 <<<"$(w_host 0 tx_vlan rx_vlan tx_vlan_inband_drops)"
	echo "nic0.$W_VID -> $hp.$W_VID:"
	w_frames hvs0 - "$W_VNET.254" "$hp" 0 "udp/$W_VNET.254/5401"
	w_expect_flow "at $hp.$W_VID" 5401 $W_N $W_N "$W_VID/5:$W_N" || err=1
	echo "$hp.$W_VID -> nic0.$W_VID:"
	w_frames - hvs0 "$W_VNET.1" nic0 0 "udp/$W_VNET.1/5402"
	w_expect_flow "at nic0.$W_VID" 5402 $W_N $W_N "$W_VID/3:$W_N" || err=1
	tx0=$(w_hdelta 0 tx_vlan "$tx0")
	rx0=$(w_hdelta 0 rx_vlan "$rx0")
	drop0=$(w_hdelta 0 tx_vlan_inband_drops "$drop0")
	echo "host, nic0: tx_vlan +$tx0 rx_vlan +$rx0 tx_vlan_inband_drops +$drop0"
	[ "$tx0" -ge $W_N ] || ktap_fail "host applied $tx0 VLAN PPIs of nic0, want >= $W_N" || err=1
	[ "$rx0" -ge $W_N ] || ktap_fail "host sent nic0 $rx0 VLAN PPIs, want >= $W_N" || err=1
	ktap_expect_eq "host tx_vlan_inband_drops of nic0" "$drop0" 0 || err=1
	w_vlan_cleanup "$hp"
	return $err
}

# Frames an AF_PACKET socket sends on nic0 with an 802.1Q tag in the
# frame: the host takes the tag from the PPI only and drops frames that
# carry it themselves, so the driver moves the tag into the PPI (the
# in-tree driver has done so since Linux 5.14).
t_vlan_af_packet() {
	local hp tx0 drop0 err=0
	sim_begin
	sim_pair_setup
	w_vlan_setup
	hp=$(<"$SIM/host_port")
	read -r tx0 drop0 <<<"$(w_host 0 tx_vlan tx_vlan_inband_drops)"
	w_frames hvs0 - "$W_VNET.254" "$hp" 0 \
		"raw/nic0/$(<"/sys/class/net/$hp/address")/$W_VNET.1/$W_VNET.254/5403/$((6 << 13 | W_VID))"
	w_expect_flow "at $hp.$W_VID" 5403 $W_N $W_N "$W_VID/6:$W_N" || err=1
	tx0=$(w_hdelta 0 tx_vlan "$tx0")
	drop0=$(w_hdelta 0 tx_vlan_inband_drops "$drop0")
	echo "host, nic0: tx_vlan +$tx0 tx_vlan_inband_drops +$drop0"
	[ "$tx0" -ge $W_N ] || ktap_fail "host applied $tx0 VLAN PPIs of nic0, want >= $W_N" || err=1
	ktap_expect_eq "host tx_vlan_inband_drops of nic0" "$drop0" 0 || err=1
	w_vlan_cleanup "$hp"
	return $err
}

# w_csum_run CORRUPT: W_N datagrams nic1 -> nic0, the host breaking the
# CORRUPT (none, l4, ip) checksum of the frames to nic0; prints
# "DELIVERED UDP-CSUM-ERRORS IP-CSUM-ERRORS BROKEN" (nic0's stack, the
# host's rx_corrupted, all deltas).
w_csum_run() {
	local e0 e1 c0 out rc=0
	sim_knob 0 fault_rx_corrupt_csum "$1"
	e0=$(w_nstat 0 UdpInCsumErrors IpExtInCsumErrors)
	c0=$(w_host 0 rx_corrupted)
	out=$(w_frames hvs1 hvs0 "$(sim_nic_ip 0)" - 1 "udp/$(sim_nic_ip 0)/5404") || rc=1
	sim_knob 0 fault_rx_corrupt_csum none
	[ $rc = 0 ] || sim_die "$out"
	e1=$(w_nstat 0 UdpInCsumErrors IpExtInCsumErrors)
	W_OUT=$out
	echo "$(w_out rcvd_5404) $((${e1% *} - ${e0% *})) $((${e1#* } - ${e0#* }))" \
		"$(w_hdelta 0 rx_corrupted "$c0")"
}

# w_rx_csum_case RESULT CORRUPT:DELIVERED:UDP-ERRORS:IP-ERRORS...: with the
# host reporting RESULT (rx_csum_result) for the frames to nic0, for each
# CORRUPT kind the datagrams nic0's stack delivered and the checksum
# errors it counted.
w_rx_csum_case() {
	local mode=$1 step c want got broken err=0
	shift
	sim_begin
	sim_pair_setup
	sim_static_neigh 0 1
	sim_knob 0 rx_csum_result "$mode"
	for step; do
		c=${step%%:*} want=${step#*:}
		got=$(w_csum_run "$c") || { err=1; break; }
		broken=${got##* } got=${got% *}
		echo "rx_csum_result=$mode fault_rx_corrupt_csum=$c: delivered," \
			"UdpInCsumErrors, IpExtInCsumErrors +$got (host broke $broken checksums)"
		if [ "$c" != none ]; then
			ktap_expect_eq "checksums ($c) the host broke" "$broken" $W_N || err=1
		fi
		ktap_expect_eq "$c broken: datagrams delivered, UDP and IP checksum errors" \
			"$got" "${want//:/ }" || err=1
	done
	sim_knob 0 rx_csum_result auto
	sim_static_neigh_del 0 1
	return $err
}

# The host says the checksums are good: the driver hands the datagrams up
# as CHECKSUM_UNNECESSARY, so even broken ones are delivered; the stack
# always checks an IPv4 header checksum itself.
t_rx_csum_good() {
	w_rx_csum_case good none:$W_N:0:0 l4:$W_N:0:0 ip:0:0:$W_N
}

# The host says the UDP checksum failed: the driver leaves the check to
# the stack, which delivers good datagrams and counts broken ones.
t_rx_csum_failed() {
	w_rx_csum_case failed none:$W_N:0:0 l4:0:$W_N:0
}

# No checksum PPI: the stack checks.
t_rx_csum_none() {
	w_rx_csum_case none none:$W_N:0:0 l4:0:$W_N:0
}

# The IPv4 header checksum verified by the host but its value invalid (as
# after coalescing): the driver recomputes it and the datagrams are
# delivered; the UDP checksum is still the stack's to check.
t_rx_csum_ip_invalid() {
	w_rx_csum_case ip_invalid ip:$W_N:0:0 l4:0:$W_N:0
}

# w_filter_wait WANT: nic0's host-side packet filter becomes WANT (the
# drivers set it from a work item)
w_filter_wait() {
	local f i
	for ((i = 0; i < 50 * ${HVNV_TIME_SCALE:-1}; i++)); do
		f=$(w_host 0 packet_filter)
		[ "$f" = "$1" ] && return 0
		sim_ssleep 0.1
	done
	sim_die "nic0's host-side packet filter is $f, want $1"
}

# w_filter_send HOST-PORT: from the host port, W_N frames each to a
# unicast MAC that is not nic0's (port 5411), to group 239.255.1.2, which
# nic0 did not join (5412), and to nic0's MAC (5413), captured on nic0;
# W_FDROPS: how much the host's filter_drops of nic0 grew.
w_filter_send() {
	local hp=$1 d0
	d0=$(w_host 0 filter_drops)
	w_frames - hvs0 - nic0 1 \
		"raw/$hp/02:aa:bb:cc:dd:ee/$SIM_HOST_IP/$(sim_nic_ip 0)/5411/-" \
		"raw/$hp/01:00:5e:7f:01:02/$SIM_HOST_IP/239.255.1.2/5412/-" \
		"raw/$hp/$(sim_nic_mac 0)/$SIM_HOST_IP/$(sim_nic_ip 0)/5413/-" >/dev/null
	W_FDROPS=$(w_hdelta 0 filter_drops "$d0")
	echo "$W_OUT"
	echo "host, nic0: filter_drops +$W_FDROPS"
}

# The RNDIS packet filter the driver sets for each rx mode, and what the
# host delivers with it.  Both drivers ask for DIRECTED | ALL_MULTICAST |
# BROADCAST (0xd: the host has no multicast list, and nic0 is always in
# IPv4's all-hosts group), for PROMISCUOUS (0x20) alone in promiscuous
# mode; allmulticast and joining a group leave 0xd.  A unicast frame to
# another MAC reaches nic0 only in promiscuous mode (else the host drops
# it: filter_drops); a multicast frame to a group nic0 did not join
# always does.
t_rx_filter() {
	local hp base=0xd err=0
	sim_begin
	sim_pair_setup
	hp=$(sim_host_port_setup)
	ip -n hvs0 maddr show dev nic0
	w_filter_wait $base
	echo "filter $base:"
	w_filter_send "$hp"
	w_expect_flow "foreign unicast, filter $base" 5411 0 0 || err=1
	w_expect_flow "multicast, filter $base" 5412 0 $W_N || err=1
	w_expect_flow "nic0's MAC, filter $base" 5413 0 $W_N || err=1
	[ "$W_FDROPS" -ge $W_N ] ||
		ktap_fail "host filter_drops of nic0 +$W_FDROPS, want >= $W_N" || err=1

	ip -n hvs0 link set nic0 promisc on
	w_filter_wait 0x20
	echo "promiscuous, filter 0x20:"
	w_filter_send "$hp"
	w_expect_flow "foreign unicast, promiscuous" 5411 0 $W_N || err=1
	w_expect_flow "multicast, promiscuous" 5412 0 $W_N || err=1
	w_expect_flow "nic0's MAC, promiscuous" 5413 0 $W_N || err=1
	ktap_expect_eq "host filter_drops of nic0, promiscuous" "$W_FDROPS" 0 || err=1
	ip -n hvs0 link set nic0 promisc off
	w_filter_wait $base

	ip -n hvs0 link set nic0 allmulticast on
	w_filter_wait $base
	echo "allmulticast, filter $base:"
	w_filter_send "$hp"
	w_expect_flow "foreign unicast, allmulticast" 5411 0 0 || err=1
	w_expect_flow "multicast, allmulticast" 5412 0 $W_N || err=1
	w_expect_flow "nic0's MAC, allmulticast" 5413 0 $W_N || err=1
	ip -n hvs0 link set nic0 allmulticast off
	w_filter_wait $base
	ip -n hvs0 maddr add 01:00:5e:7f:01:02 dev nic0
	w_filter_wait $base
	ip -n hvs0 maddr del 01:00:5e:7f:01:02 dev nic0
	w_filter_wait $base
	return $err
}

ktap_plan 15
sim_init
sim_run ipv6_link_local_dad t_ipv6_link_local_dad
sim_run csum_offload_on_v4 t_csum_offload_on_v4
sim_run csum_offload_on_v6 t_csum_offload_on_v6
sim_run csum_offload_off_v4 t_csum_offload_off_v4
sim_run csum_offload_off_v6 t_csum_offload_off_v6
sim_run tso_v4 t_tso_v4
sim_run tso_v6 t_tso_v6
sim_run vlan_ppi t_vlan_ppi
sim_run vlan_af_packet t_vlan_af_packet
sim_run rx_csum_good t_rx_csum_good
sim_run rx_csum_failed t_rx_csum_failed
sim_run rx_csum_none t_rx_csum_none
sim_run rx_csum_ip_invalid t_rx_csum_ip_invalid
sim_run rx_filter t_rx_filter
ktap_run module_unload sim_fini
ktap_finish
