/* SPDX-License-Identifier: GPL-2.0 */
/* What netvsc_ctrl.c offers the files above it (the one send-and-wait path). */
#ifndef _NETVSC_CTRL_H
#define _NETVSC_CTRL_H

#include "netvsc.h"

void netvsc_ctrl_init(struct netvsc_ctrl *ctrl);
int netvsc_ctrl_alloc(struct netvsc_ctrl *ctrl);
void netvsc_ctrl_free(struct netvsc_ctrl *ctrl);
int netvsc_ctrl_nvsp(struct netvsc_dev *nvdev, struct nvsp_msg *msg,
		     u32 expect, struct nvsp_msg *resp);
int netvsc_ctrl_rndis(struct netvsc_dev *nvdev, u32 type, const void *body,
		      u32 body_len, void *resp, u32 resp_cap, u32 *resp_len);
int netvsc_ctrl_rndis_answer(struct netvsc_dev *nvdev, u32 type,
			     const void *body, u32 body_len);
void netvsc_ctrl_nvsp_done(struct netvsc_queue *q, u32 id, const void *msg,
			   u32 len);
void netvsc_ctrl_rndis_done(struct netvsc_queue *q, const void *msg, u32 len);
void netvsc_ctrl_sent(struct netvsc_queue *q, u32 id);
#if IS_ENABLED(CONFIG_KUNIT)
struct netvsc_ctrl_slot *netvsc_ctrl_slot_alloc(struct netvsc_ctrl *ctrl, u8 kind,
						u32 expect);
void netvsc_ctrl_slot_free(struct netvsc_ctrl *ctrl, struct netvsc_ctrl_slot *s);
#endif

#endif /* _NETVSC_CTRL_H */
