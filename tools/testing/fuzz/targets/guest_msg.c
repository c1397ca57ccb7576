// SPDX-License-Identifier: GPL-2.0
/*
 * Target guest_msg: what a hostile guest sends the simulated host: an NVSP
 * message and the RNDIS payload of a SEND_RNDIS_PKT (control requests with
 * their OID information, data messages with their per-packet info), as
 * netvsp_sim's nvsim_nvsp.c, nvsim_rndis.c and nvsim_tx.c parse them.
 */
#include "../fuzz.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	if (size > UINT_MAX)
		return 0;
	fuzz_guest_msg(data, size);
	return 0;
}
