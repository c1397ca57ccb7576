// SPDX-License-Identifier: GPL-2.0
/*
 * Target rndis_ctrl: one RNDIS control completion (INIT_C, QUERY_C, SET_C,
 * KEEPALIVE_C) as copied out of the receive buffer, and the same bytes as
 * the only message of a receive range (so also a host KEEPALIVE).
 */
#include "../fuzz.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	if (size > UINT_MAX)
		return 0;
	fuzz_rndis_ctrl(data, size);
	fuzz_rndis_range(data, size, 0, size);
	return 0;
}
