// SPDX-License-Identifier: GPL-2.0
/*
 * Target ppi: the per-packet-info area of a received data message.
 */
#include "../fuzz.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	if (size > UINT_MAX)
		return 0;
	fuzz_ppi(data, size);
	return 0;
}
