// SPDX-License-Identifier: GPL-2.0
/*
 * Target indicate: one RNDIS_MSG_INDICATE (status indication) as copied
 * out of the receive buffer; its length is the range length.
 */
#include "../fuzz.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	if (size > UINT_MAX)
		return 0;
	fuzz_indicate(data, size);
	return 0;
}
