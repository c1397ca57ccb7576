# SPDX-License-Identifier: GPL-2.0
#
# KTAP helpers for the integration tests.  A test file sources this, calls
# ktap_plan N, runs its cases with ktap_run NAME FUNCTION, and ends with
# ktap_finish.  A case passes when its function returns 0, is skipped when it
# calls ktap_skip REASON, and fails otherwise; it also fails, whatever it returned,
# when the kernel reported a problem while it ran, when its cleanup said so
# (ktap_verdict), or when the file's ktap_after_case check finds something it
# left behind.  Each case's output is indented as a KTAP diagnostic so that it
# never looks like a result.

KSFT_SKIP=4
HVNV_TOP=${HVNV_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}
ktap_n=0
ktap_fails=0
# Kernel messages that fail the case during which they were logged: oopses,
# warnings, sanitizer and lockdep reports, RCU stalls, hung tasks.
KTAP_KLOG_BAD='BUG:|WARNING:|KASAN|UBSAN|kernel BUG|Oops|general protection|Call Trace:|possible circular locking|inconsistent lock state|possible recursive locking|suspicious RCU usage|detected stall|soft lockup|hard LOCKUP|blocked for more than|unreferenced object'
# Where a case leaves what it wants to say to ktap_run, which runs it in a
# subshell: its skip reason, and complaints of its cleanup (an EXIT trap's
# return value cannot change the case's exit status; this file can).
KTAP_SKIP_FILE=/run/ktap-skip.$$
KTAP_VERDICT_FILE=/run/ktap-verdict.$$

ktap_plan() {
	echo "TAP version 13"
	echo "1..$1"
}

# ktap_klog_since MARK: the kernel log from the line holding MARK on;
# fails when MARK is no longer in the log (the buffer overflowed).
ktap_klog_since() {
	dmesg | awk -v m="$1" 'f {print} index($0, m) {f = 1} END {exit !f}'
}

# ktap_case_problems MARK: why the case that started at MARK must fail
# although its function succeeded (one line each), or nothing.  Checked
# here, outside the case, so no case can hide them.
ktap_case_problems() {
	local log bad
	if ! log=$(ktap_klog_since "$1"); then
		echo "the case's start ($1) is no longer in the kernel log"
	else
		bad=$(grep -E "$KTAP_KLOG_BAD" <<<"$log" | head -n 20)
		[ -z "$bad" ] || echo "the kernel reported during the case: ${bad//$'\n'/ | }"
	fi
	[ -s "$KTAP_VERDICT_FILE" ] && cat "$KTAP_VERDICT_FILE"
	# a file may add its own check of what a case left behind
	if declare -F ktap_after_case >/dev/null; then
		ktap_after_case
	fi
	return 0
}

# ktap_run NAME FUNCTION [ARGS...]
ktap_run() {
	local name=$1 rc out problems why
	shift
	ktap_n=$((ktap_n + 1))
	out=$(mktemp)
	rm -f "$KTAP_SKIP_FILE" "$KTAP_VERDICT_FILE"
	# the case's start in the kernel log (a case may read its own
	# messages with ktap_klog_since "$KTAP_CASE_MARK")
	KTAP_CASE_MARK="ktap-case ${0##*/} ${HV_NETVSC_DRIVER:-} $ktap_n $name $EPOCHREALTIME"
	echo "$KTAP_CASE_MARK" >/dev/kmsg
	# a bare command that fails ends the case (set -e): say which
	( set -eE
	  # (not for ktap_skip, ktap_fail and sim_die: they said why; not where set +e
	  # turned errexit off, e.g. the case's EXIT trap)
	  trap 'ktap_st=$?; case "$-:$BASH_COMMAND" in *e*:return*|[!e]*) ;; *)
		echo "case ended by: $BASH_COMMAND (status $ktap_st, ${BASH_SOURCE[0]##*/}:$LINENO)" ;; esac' ERR
	  "$@" ) >"$out" 2>&1
	rc=$?
	sed 's/^/# /' "$out"
	problems=$(ktap_case_problems "$KTAP_CASE_MARK")
	if [ -n "$problems" ] ||
	   { [ $rc -ne 0 ] && ! { [ $rc -eq $KSFT_SKIP ] && [ -s "$KTAP_SKIP_FILE" ]; }; }; then
		[ -z "$problems" ] || echo "$problems" | sed 's/^/# /'
		echo "# --- kernel messages during the case"
		ktap_klog_since "$KTAP_CASE_MARK" | tail -n 40 | sed 's/^/# /'
	fi
	if [ -n "$problems" ]; then
		# let the file start the next case from scratch
		if declare -F ktap_after_failure >/dev/null; then
			ktap_after_failure 2>&1 | sed 's/^/# /'
		fi
		why=$(head -n 1 <<<"$problems")
		echo "not ok $ktap_n $name # ${why:0:300}"
		ktap_fails=$((ktap_fails + 1))
	elif [ $rc -eq 0 ]; then
		echo "ok $ktap_n $name"
	elif [ $rc -eq $KSFT_SKIP ] && [ -s "$KTAP_SKIP_FILE" ]; then
		echo "ok $ktap_n $name # SKIP $(head -n 1 "$KTAP_SKIP_FILE")"
	elif [ -n "$ktap_todo_reason" ]; then
		echo "not ok $ktap_n $name # TODO $ktap_todo_reason"
	else
		echo "not ok $ktap_n $name # exit status $rc"
		ktap_fails=$((ktap_fails + 1))
	fi
	ktap_todo_reason=
	rm -f "$out" "$KTAP_SKIP_FILE" "$KTAP_VERDICT_FILE"
}

# ktap_verdict REASON: fail the running case, even from its EXIT trap.
ktap_verdict() {
	echo "$*" >>"$KTAP_VERDICT_FILE"
}

# ktap_todo REASON: the next case is a known failure.  It still runs and
# still asserts; a failure is reported as "not ok ... # TODO REASON" (the
# summary counts it as skipped, not passed), a pass as a plain pass.
ktap_todo_reason=
ktap_todo() {
	ktap_todo_reason=$*
}

ktap_finish() {
	[ $ktap_fails -eq 0 ]
}

# Small assertion helpers: print what was expected on failure.
ktap_expect_eq() { # ktap_expect_eq WHAT GOT WANT
	[ "$2" = "$3" ] && return 0
	echo "$1: got '$2', want '$3'"
	return 1
}

ktap_fail() {
	echo "$*"
	return 1
}

# ktap_skip REASON: the case cannot run here.  Only a skip said this way counts
# as one: a command that happens to exit 4 is a failure.  The summary
# accepts a skip only where the manifest allows it.
ktap_skip() {
	echo "$*"
	echo "$*" >"$KTAP_SKIP_FILE"
	return $KSFT_SKIP
}
