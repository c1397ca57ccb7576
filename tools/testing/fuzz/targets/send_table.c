// SPDX-License-Identifier: GPL-2.0
/*
 * Target send_table: an NVSP_MSG_SEND_INDIRECTION_TABLE message, whole,
 * read as a host of NVSP <= 6.0 (fixed offset) and of 6.1 (its offset),
 * and the TX queue picks made with the table.
 */
#include "../fuzz.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	if (size > UINT_MAX)
		return 0;
	fuzz_send_table(data, size, NVSP_PROTO_VERSION_6);
	fuzz_send_table(data, size, NVSP_PROTO_VERSION_61);
	return 0;
}
