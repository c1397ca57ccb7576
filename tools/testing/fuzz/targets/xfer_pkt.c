// SPDX-License-Identifier: GPL-2.0
/*
 * Target xfer_pkt: a VMBus transfer-page packet (descriptor, ranges, NVSP
 * SEND_RNDIS_PKT; len8 * 8 bytes) followed by the receive buffer its
 * ranges point into: every RNDIS message of every range (data with PPIs,
 * control completions, indications, keepalives), as netvsc_rx_xfer().
 */
#include "../fuzz.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	if (size > UINT_MAX)
		return 0;
	fuzz_xfer_pkt(data, size);
	return 0;
}
