# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Part of sim.sh (sourced by it, not by test files): RSS as the host sees it
# (the key and table it got) and as it applies it (the Toeplitz hash, and the
# receive queue a flow lands on).

# ---- RSS -----------------------------------------------------------------

# sim_host_rss ID key|hash_info|table: the RSS configuration the host got from
# nicID's guest (nothing with RSS off).
sim_host_rss() {
	sed -n "s/^$2 //p" "$SIM/nic$1/rss"
}

# sim_rss_key_back ID KEY: after channel changes nicID's RSS key must still be
# KEY.  Ours keeps it (asserted); the in-tree driver loses it when it goes
# through one channel (see channels_set_each), so it is set again.
sim_rss_key_back() {
	local key
	key=$(sim_eth_hkey "$1" "nic$1")
	[ "$key" = "$2" ] && return 0
	[ "$HV_NETVSC_DRIVER" = intree ] || sim_die "nic$1's RSS key is $key, was $2"
	echo "the in-tree driver lost nic$1's RSS key: set again"
	sim_nx "$1" ethtool -X "nic$1" hkey "$2"
}

# sim_expect_host_rss ID DEV WHAT: the host has the key and table that
# ethtool -x shows for DEV.
sim_expect_host_rss() {
	ktap_expect_eq "$3: host RSS key" "$(sim_host_rss "$1" key)" "$(sim_eth_hkey "$1" "$2")"
	ktap_expect_eq "$3: host RSS table" "$(sim_host_rss "$1" table)" "$(sim_eth_indir "$1" "$2")"
}

# sim_toeplitz KEY HEXBYTES: the NDIS Toeplitz hash (decimal) of the input
# bytes (hex, no separators) with KEY (aa:bb:..., 40 bytes).  Computed by
# sim_helpers.py (a process start per call).
sim_toeplitz() {
	python3 "$SIM_PY" toeplitz "$1" "$2"
}

# sim_ip4hex A.B.C.D, sim_port16hex N
sim_ip4hex() { local IFS=.; set -- $1; printf '%02x%02x%02x%02x' "$1" "$2" "$3" "$4"; }
sim_port16hex() { printf '%04x' "$1"; }

# the examples of Microsoft's "Verifying the RSS Hash Calculation"
sim_toeplitz_selftest() {
	local k=6d:5a:56:da:25:5b:0e:c2:41:67:25:3d:43:a3:8f:b0:d0:ca:2b:cb:ae:7b:30:b4:77:cb:2d:a3:80:30:f2:0c:6a:42:b7:3b:be:ac:01:fa
	local v="$(sim_ip4hex 66.9.149.187)$(sim_ip4hex 161.142.100.80)"
	[ "$(sim_toeplitz $k "$v")" = $((0x323e8fc2)) ] || sim_die "sim_toeplitz self-test (IPv4) failed"
	[ "$(sim_toeplitz $k "$v$(sim_port16hex 2794)$(sim_port16hex 1766)")" = $((0x51ccc178)) ] ||
		sim_die "toeplitz self-test (TCP/IPv4) failed"
}

# sim_rss_queue KEY TABLE SRC DST [SPORT DPORT]: the receive queue a Hyper-V host
# picks for an IPv4 packet SRC->DST (with ports: a TCP segment): Toeplitz
# hash with KEY over the addresses (and ports), its low bits index TABLE
# ("q0 q1 ...", a power of two long).
sim_rss_queue() {
	local -a t=($2)
	local n=${#t[@]} in h
	((n > 0 && (n & (n - 1)) == 0)) || sim_die "indirection table of $n entries is not a power of two"
	in="$(sim_ip4hex "$3")$(sim_ip4hex "$4")"
	[ -n "${5:-}" ] && in="$in$(sim_port16hex "$5")$(sim_port16hex "$6")"
	h=$(sim_toeplitz "$1" "$in")
	echo "${t[h & (n - 1)]}"
}
