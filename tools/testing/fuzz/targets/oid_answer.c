// SPDX-License-Identifier: GPL-2.0
/*
 * Target oid_answer: one RNDIS_MSG_QUERY_C whose information buffer the
 * driver parses: the offload capabilities and the RSS capabilities.
 */
#include "../fuzz.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	if (size > UINT_MAX)
		return 0;
	fuzz_oid_answer(data, size);
	return 0;
}
