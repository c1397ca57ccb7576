// SPDX-License-Identifier: GPL-2.0
/*
 * Target rsc_seq: receive packets whose ranges carry RNDIS data messages
 * with RSC fragment PPIs, reassembled by netvsc_rsc_add() as
 * netvsc_rx_xfer() does, against a model of the reassembly.
 */
#include "../fuzz.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	if (size > UINT_MAX)
		return 0;
	fuzz_rsc_seq(data, size);
	return 0;
}
