/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a sequence of host messages may do (netvsc_seq.c): keepalives
 * coalesced, RSC fragments reassembled, control answers matched.
 */
#ifndef _NETVSC_SEQ_H
#define _NETVSC_SEQ_H

#include "netvsc_proto.h"

bool netvsc_keepalive_note(atomic64_t *pending, u32 req_id);
bool netvsc_keepalive_take(atomic64_t *pending, u32 *req_id);
bool netvsc_rsc_reset(struct netvsc_rsc *rsc);
int netvsc_rsc_add(struct netvsc_rsc *rsc, u32 off, u32 len,
		   const struct netvsc_rx_info *info, bool *dropped);
void netvsc_ctrl_arm(struct netvsc_ctrl_want *want, u32 *gen, u32 slot,
		     u8 kind, u32 expect);
bool netvsc_ctrl_fits(u32 kind, u32 type, u32 len);
bool netvsc_ctrl_claim(struct netvsc_ctrl_want *want, u32 kind, u32 id,
		       u32 type, u32 len);

#endif /* _NETVSC_SEQ_H */
