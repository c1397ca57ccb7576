# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Part of sim.sh (sourced by it, not by test files): RSS as the host sees it
# (the key and table it got) and as it applies it (the Toeplitz hash, and the
# receive queue a flow lands on).

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
# bytes (hex, no separators) with KEY (aa:bb:..., 40 bytes).  Computed by
# sim_helpers.py (a process start per call).
toeplitz() {
	python3 "$SIM_PY" toeplitz "$1" "$2"
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
