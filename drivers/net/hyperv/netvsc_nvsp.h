/* SPDX-License-Identifier: GPL-2.0 */
/* What netvsc_nvsp.c offers the files above it (the transport). */
#ifndef _NETVSC_NVSP_H
#define _NETVSC_NVSP_H

#include "netvsc.h"

extern struct workqueue_struct *netvsc_wq;
int netvsc_nvsp_send_inband(struct netvsc_queue *q, const struct nvsp_msg *msg,
			    u64 cookie, bool want_comp);
int netvsc_nvsp_send_gpa(struct netvsc_queue *q, const struct nvsp_msg *msg,
			 struct netvsc_gpa *g, u64 cookie);
void netvsc_gpa_init(struct netvsc_gpa *g, void *buf, size_t size);
int netvsc_gpa_add_addr(struct netvsc_gpa *g, u64 addr, u32 len);
int netvsc_gpa_add(struct netvsc_gpa *g, struct page *page, u32 off, u32 len);

__printf(2, 3) void netvsc_host_error(struct netvsc_queue *q,
				      const char *fmt, ...);
__printf(2, 3) void netvsc_dev_host_error(struct netvsc_priv *priv,
					  const char *fmt, ...);

#endif /* _NETVSC_NVSP_H */
