# SPDX-License-Identifier: GPL-2.0
#
# KTAP helpers for the integration tests.  A test file sources this, calls
# ktap_plan N, runs its cases with ktap_run NAME FUNCTION, and ends with
# ktap_finish.  A case passes when its function returns 0, is skipped when it
# returns $KSFT_SKIP (4) after printing why, and fails otherwise.  Each case's
# output is indented as a KTAP diagnostic so that it never looks like a result.

KSFT_SKIP=4
HVNV_TOP=${HVNV_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}
ktap_n=0
ktap_fails=0

ktap_plan() {
	echo "TAP version 13"
	echo "1..$1"
}

# ktap_run NAME FUNCTION [ARGS...]
ktap_run() {
	local name=$1 rc out
	shift
	ktap_n=$((ktap_n + 1))
	out=$(mktemp)
	( set -e; "$@" ) >"$out" 2>&1
	rc=$?
	sed 's/^/# /' "$out"
	if [ $rc -eq 0 ]; then
		echo "ok $ktap_n $name"
	elif [ $rc -eq $KSFT_SKIP ]; then
		echo "ok $ktap_n $name # SKIP $(tail -n 1 "$out")"
	elif [ -n "$ktap_todo_reason" ]; then
		echo "not ok $ktap_n $name # TODO $ktap_todo_reason"
	else
		echo "not ok $ktap_n $name # exit status $rc"
		ktap_fails=$((ktap_fails + 1))
	fi
	ktap_todo_reason=
	rm -f "$out"
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
expect_eq() { # expect_eq WHAT GOT WANT
	[ "$2" = "$3" ] && return 0
	echo "$1: got '$2', want '$3'"
	return 1
}

fail() {
	echo "$*"
	return 1
}

skip() {
	echo "$*"
	return $KSFT_SKIP
}
