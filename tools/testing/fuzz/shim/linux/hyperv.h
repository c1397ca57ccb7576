/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMBus packet layout the NVSP wire header uses from <linux/hyperv.h>:
 * the packet descriptor and the transfer-page packet header.  These are
 * wire formats (include/hv_netvsc/nvsp.h asserts their sizes and offsets);
 * nothing else of the VMBus API is needed by the parsers.
 */
#ifndef _FUZZ_LINUX_HYPERV_H
#define _FUZZ_LINUX_HYPERV_H

#include "../fuzz_shim.h"

enum vmbus_packet_type {
	VM_PKT_DATA_INBAND		= 0x6,
	VM_PKT_DATA_USING_XFER_PAGES	= 0x7,
	VM_PKT_COMP			= 0xb,
};

#define VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED	1

struct vmpacket_descriptor {
	u16 type;
	u16 offset8;
	u16 len8;
	u16 flags;
	u64 trans_id;
} __packed;

struct vmtransfer_page_range {
	u32 byte_count;
	u32 byte_offset;
} __packed;

struct vmtransfer_page_packet_header {
	struct vmpacket_descriptor d;
	u16 xfer_pageset_id;
	u8  sender_owns_set;
	u8 reserved;
	u32 range_cnt;
	struct vmtransfer_page_range ranges[];
} __packed;

struct hv_device;

#endif /* _FUZZ_LINUX_HYPERV_H */
