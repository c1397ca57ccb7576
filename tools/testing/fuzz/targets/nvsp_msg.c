// SPDX-License-Identifier: GPL-2.0
/*
 * Target nvsp_msg: one NVSP message as the payload of a VMBus packet,
 * taken both as the completion of a control request (body length per type,
 * receive/send buffer and subchannel answers) and as an inband message.
 */
#include "../fuzz.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	if (size > UINT_MAX)
		return 0;
	fuzz_nvsp_comp(data, size);
	fuzz_nvsp_inband(data, size);
	return 0;
}
