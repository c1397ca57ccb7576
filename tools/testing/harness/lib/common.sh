# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the scripts under tools/testing/: where the cache lives,
# logging, and installing Debian packages on demand.

HVNV_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)
HVNV_CACHE=${HV_NETVSC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hv_netvsc}

hvnv_log() { printf '[%s] %s\n' "${HVNV_TAG:-hv_netvsc}" "$*" >&2; }
hvnv_die() { hvnv_log "error: $*"; exit 1; }

# hvnv_need_pkgs PKG... - install the Debian packages that are missing.
hvnv_need_pkgs() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" -eq 0 ] || hvnv_die "missing packages (run as root to install): ${missing[*]}"
	hvnv_log "installing: ${missing[*]}"
	if [ -z "${HVNV_APT_UPDATED:-}" ]; then
		DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null ||
			hvnv_die "apt-get update failed"
		export HVNV_APT_UPDATED=1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		"${missing[@]}" >/dev/null || hvnv_die "apt-get install ${missing[*]} failed"
}

# Packages each part of the harness needs.
HVNV_PKGS_KERNEL="linux-source-6.12 bc flex bison libelf-dev libssl-dev dwarves xz-utils cpio kmod make gcc python3 rsync"
# clang's libFuzzer and sanitizer runtimes (libclang_rt.fuzzer, .asan,
# .ubsan) are in libclang-rt-14-dev, only a recommendation of clang-14's
# dependencies: name it, since we install without recommends.
HVNV_PKGS_FUZZ="clang-14 libclang-rt-14-dev"
# make deb and its test (debhelper, dh-dkms, lintian), DKMS to install it
HVNV_PKGS_DEB="debhelper dh-dkms dkms lintian"
HVNV_PKGS_VM="qemu-system-x86 busybox-static iproute2 ethtool iperf3 kmod python3 python3-yaml procps"
