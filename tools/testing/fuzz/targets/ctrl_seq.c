// SPDX-License-Identifier: GPL-2.0
/*
 * Target ctrl_seq: control requests taking slots, giving them up, and
 * answers (late, replayed, of another generation, kind or type, naming
 * another slot) matched by netvsc_ctrl_claim(), against a model of the
 * slot table.
 */
#include "../fuzz.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	if (size > UINT_MAX)
		return 0;
	fuzz_ctrl_seq(data, size);
	return 0;
}
