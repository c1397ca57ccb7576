#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The test guest itself: the right kernel, the host's tools, a writable root,
# the checkout, the test kernel's modules, network namespaces with veth.
. "$(dirname "$0")/lib.sh"

t_kernel() {
	local rel
	rel=$(uname -r)
	[ -f "/lib/modules/$rel/modules.dep" ] || ktap_fail "no modules.dep for $rel"
	zcat /proc/config.gz | grep -qx 'CONFIG_HYPERV=m' || ktap_fail "not the test kernel config"
	zcat /proc/config.gz | grep -q '^CONFIG_MODVERSIONS=y' && ktap_fail "MODVERSIONS is on"
	echo "kernel $rel"
}

t_tools() {
	local t
	for t in ethtool iperf3 ip python3 bash modprobe; do
		command -v "$t" >/dev/null || ktap_fail "$t missing in the guest"
	done
	ethtool --version
	iperf3 --version | head -1
}

t_writable_root() {
	echo probe >/etc/hvnv-probe && rm /etc/hvnv-probe
	echo probe >"$HVNV_TOP/.hvnv-probe" && rm "$HVNV_TOP/.hvnv-probe"
}

t_intree_peer() {
	local f
	f=$(modinfo -n hv_netvsc) || ktap_fail "modinfo hv_netvsc failed"
	case "$f" in */kernel/drivers/net/hyperv/hv_netvsc.ko*) ;; *) ktap_fail "unexpected $f" ;; esac
	grep -q '^hv_vmbus ' /proc/modules && ktap_fail "hv_vmbus must never be loaded"
	echo "$f"
}

t_veth_iperf() {
	ip netns add hvnv-a
	ip netns add hvnv-b
	ip link add va netns hvnv-a type veth peer name vb netns hvnv-b
	ip -n hvnv-a addr add 10.99.0.1/24 dev va
	ip -n hvnv-b addr add 10.99.0.2/24 dev vb
	ip -n hvnv-a link set va up
	ip -n hvnv-b link set vb up
	ip netns exec hvnv-b iperf3 -s -1 -D -B 10.99.0.2
	sleep 0.5
	local bps
	bps=$(ip netns exec hvnv-a iperf3 -c 10.99.0.2 -t 1 -J |
	      python3 -c 'import json,sys; print(int(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]))')
	ip netns del hvnv-a
	ip netns del hvnv-b
	echo "veth: $bps bit/s"
	[ "$bps" -gt 0 ] || ktap_fail "no traffic over veth"
}

# The case verdicts of lib.sh can fail.  Each runs a planted case in a
# nested test file and checks the result line ktap_run gave it.  The planted
# kernel report is shown to the nested file only (its dmesg is wrapped), so
# it does not fail this case too.
nested_result() { # nested_result CASE-BODY [sim]: the nested file's result line
	local f
	f=$(mktemp /tmp/hvnv-nested.XXXXXX)
	cat >"$f" <<-EOF
	f=$f
	. "$HVNV_TOP/tools/testing/selftests/lib.sh"
	${2:+. "$HVNV_TOP/tools/testing/selftests/sim.sh"}
	dmesg() { command dmesg; [ -e $f.report ] && echo "[    1.000000] WARNING: CPU: 0 PID: 1 at planted"; }
	planted() { $1
	}
	ktap_plan 1
	ktap_run planted planted
	EOF
	bash "$f" | grep -E '^(not )?ok '
	rm -f "$f" "$f".*
}

t_verdict_kernel_report() {
	local r
	r=$(nested_result ': >"$f.report"')
	echo "$r"
	case "$r" in "not ok 1 planted # the kernel reported during the case: "*WARNING*) ;;
	*) ktap_fail "a case with a kernel report during it: '$r'" ;; esac
	r=$(nested_result ': >"$f.report"; ktap_skip "planted skip"')
	echo "$r"
	case "$r" in "not ok 1 planted # the kernel reported"*) ;;
	*) ktap_fail "a skipped case with a kernel report during it: '$r'" ;; esac
}

t_verdict_cleanup() {
	local r
	r=$(nested_result 'trap "set +e; ktap_verdict cleanup failed; false" EXIT')
	echo "$r"
	ktap_expect_eq "a case whose cleanup failed" "$r" "not ok 1 planted # cleanup failed"
}

t_verdict_exit_4() {
	local r
	r=$(nested_result 'sh -c "exit 4"')
	echo "$r"
	ktap_expect_eq "a command that exits 4" "$r" "not ok 1 planted # exit status 4"
	r=$(nested_result 'ktap_skip "planted skip"')
	echo "$r"
	ktap_expect_eq "skip" "$r" "ok 1 planted # SKIP planted skip"
}

# sim.sh's check after every case: a file left behind fails the case
t_verdict_left_behind() {
	local r
	r=$(nested_result ': >/tmp/hvs-planted' sim)
	rm -f /tmp/hvs-planted
	echo "$r"
	ktap_expect_eq "a case that left a file" "$r" "not ok 1 planted # left behind: /tmp/hvs-planted"
}

ktap_plan 9
ktap_run kernel t_kernel
ktap_run tools t_tools
ktap_run writable_root t_writable_root
ktap_run intree_peer t_intree_peer
ktap_run veth_iperf3 t_veth_iperf
ktap_run verdict_kernel_report t_verdict_kernel_report
ktap_run verdict_cleanup t_verdict_cleanup
ktap_run verdict_exit_4 t_verdict_exit_4
ktap_run verdict_left_behind t_verdict_left_behind
ktap_finish
