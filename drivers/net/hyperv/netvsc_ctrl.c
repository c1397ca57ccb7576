// SPDX-License-Identifier: GPL-2.0
/*
 * The one control send-and-wait path.  NVSP requests (answered by a VMBus
 * completion) and RNDIS requests (answered by an RNDIS message in the
 * receive buffer) both take a slot, send, and sleep a bounded time for the
 * answer.  The answer is matched by slot id, which carries a generation
 * count, checked for type and length, and copied into slot-owned memory
 * under the table lock; a waiter that gives up invalidates its id under the
 * same lock, so an answer arriving later matches nothing and is dropped.
 * RNDIS requests travel in a slot-owned page that is only reused once the
 * host has completed the send, even if the waiter has long given up.  In an
 * isolated VM the page is DMA-mapped (bounced into memory shared with the
 * host) for as long as the host may read it: until that completion, or
 * the teardown.
 */
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "netvsc.h"
#include "netvsc_ctrl.h"
#include "netvsc_nvsp.h"
#include "netvsc_seq.h"
#include "netvsc_trace.h"

/**
 * netvsc_ctrl_init - initialise an empty control table
 * @ctrl: the table
 */
void netvsc_ctrl_init(struct netvsc_ctrl *ctrl)
{
	int i;

	spin_lock_init(&ctrl->lock);
	ctrl->gen = 1;
	for (i = 0; i < NETVSC_CTRL_SLOTS; i++)
		init_completion(&ctrl->slot[i].done);
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_ctrl_init);

/**
 * netvsc_ctrl_alloc - allocate the memory of every slot
 * @ctrl: the table, initialised
 *
 * Return: 0 or -ENOMEM (netvsc_ctrl_free() cleans up either way).
 */
int netvsc_ctrl_alloc(struct netvsc_ctrl *ctrl)
{
	int i;

	for (i = 0; i < NETVSC_CTRL_SLOTS; i++) {
		struct netvsc_ctrl_slot *s = &ctrl->slot[i];

		s->resp = kmalloc(NETVSC_CTRL_RESP_MAX, GFP_KERNEL);
		s->req_page = (void *)get_zeroed_page(GFP_KERNEL);
		if (!s->resp || !s->req_page)
			return -ENOMEM;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_ctrl_alloc);

/* Undo the DMA mapping of @s's request page, if any; the caller owns it. */
static void netvsc_ctrl_unmap(struct device *dev, dma_addr_t addr, u32 len)
{
	if (len)
		dma_unmap_single(dev, addr, len, DMA_TO_DEVICE);
}

/* Take @s's mapping away under the table lock: exactly one caller unmaps. */
static u32 netvsc_ctrl_take_map(struct netvsc_ctrl_slot *s, dma_addr_t *addr)
{
	u32 len = s->req_dma_len;

	*addr = s->req_dma;
	s->req_dma_len = 0;
	return len;
}

/**
 * netvsc_ctrl_free - free the slots' memory
 * @ctrl: the table; the channel is closed, so no answer can arrive
 *
 * Request pages the host never completed are unmapped first.
 */
void netvsc_ctrl_free(struct netvsc_ctrl *ctrl)
{
	dma_addr_t addr;
	u32 len;
	int i;

	for (i = 0; i < NETVSC_CTRL_SLOTS; i++) {
		len = netvsc_ctrl_take_map(&ctrl->slot[i], &addr);
		netvsc_ctrl_unmap(ctrl->dma_dev, addr, len);
		kfree(ctrl->slot[i].resp);
		free_page((unsigned long)ctrl->slot[i].req_page);
	}
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_ctrl_free);

/**
 * netvsc_ctrl_slot_alloc - take a free slot for a new request
 * @ctrl: the table
 * @kind: NETVSC_COOKIE_KIND_NVSP or NETVSC_COOKIE_KIND_RNDIS
 * @expect: message type of the answer
 *
 * Return: the slot with a fresh id, or NULL when all are busy.
 */
VISIBLE_IF_KUNIT struct netvsc_ctrl_slot *
netvsc_ctrl_slot_alloc(struct netvsc_ctrl *ctrl, u8 kind, u32 expect)
{
	struct netvsc_ctrl_slot *s = NULL;
	int i;

	spin_lock_bh(&ctrl->lock);
	for (i = 0; i < NETVSC_CTRL_SLOTS; i++) {
		if (!ctrl->slot[i].want.id && !ctrl->slot[i].req_inflight) {
			s = &ctrl->slot[i];
			break;
		}
	}
	if (s) {
		netvsc_ctrl_arm(&s->want, &ctrl->gen, i, kind, expect);
		s->resp_len = 0;
		reinit_completion(&s->done);
	}
	spin_unlock_bh(&ctrl->lock);
	return s;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_ctrl_slot_alloc);

/**
 * netvsc_ctrl_slot_free - give a slot back; a later answer to its id is dropped
 * @ctrl: the table
 * @s: the slot
 */
VISIBLE_IF_KUNIT void netvsc_ctrl_slot_free(struct netvsc_ctrl *ctrl,
					    struct netvsc_ctrl_slot *s)
{
	spin_lock_bh(&ctrl->lock);
	s->want.id = 0;
	spin_unlock_bh(&ctrl->lock);
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_ctrl_slot_free);

/* Bounded wait; returns early when the channel is rescinded. */
static int netvsc_ctrl_wait(struct netvsc_dev *nvdev,
			    struct netvsc_ctrl_slot *s, const char *what)
{
	unsigned long end = jiffies + msecs_to_jiffies(NETVSC_CTRL_TIMEOUT_MS);
	struct vmbus_channel *chan = nvdev->hdev->channel;

	for (;;) {
		if (wait_for_completion_timeout(&s->done,
						msecs_to_jiffies(100)))
			return 0;
		if (chan->rescind)
			return -ENODEV;
		if (time_after(jiffies, end))
			break;
	}
	netdev_err(nvdev->ndev, "%s: no answer from the host in %u ms\n", what,
		   NETVSC_CTRL_TIMEOUT_MS);
	return -ETIMEDOUT;
}

/* Copy the answer out; the caller's buffer is zero-filled past it. */
static u32 netvsc_ctrl_take(struct netvsc_ctrl *ctrl,
			    struct netvsc_ctrl_slot *s, void *buf, u32 cap)
{
	u32 n;

	spin_lock_bh(&ctrl->lock);
	n = min(s->resp_len, cap);
	memcpy(buf, s->resp, n);
	memset(buf + n, 0, cap - n);
	s->want.id = 0;
	spin_unlock_bh(&ctrl->lock);
	return n;
}

/**
 * netvsc_ctrl_nvsp - send an NVSP request and wait for its completion
 * @nvdev: the device
 * @msg: the request
 * @expect: NVSP message type of the completion
 * @resp: out: the completion, zero-filled past what the host sent; the
 *	host sent at least netvsc_nvsp_body_min(@expect) bytes of body
 *
 * Context: process, may sleep up to NETVSC_CTRL_TIMEOUT_MS.
 * Return: 0, -EBUSY (no slot), -ETIMEDOUT, -ENODEV or a send error.
 */
int netvsc_ctrl_nvsp(struct netvsc_dev *nvdev, struct nvsp_msg *msg,
		     u32 expect, struct nvsp_msg *resp)
{
	struct netvsc_ctrl *ctrl = &nvdev->ctrl;
	struct netvsc_ctrl_slot *s;
	int ret;

	s = netvsc_ctrl_slot_alloc(ctrl, NETVSC_COOKIE_KIND_NVSP, expect);
	if (!s)
		return -EBUSY;

	ret = netvsc_nvsp_send_inband(&nvdev->queues[0], msg,
				      netvsc_cookie(NETVSC_COOKIE_KIND_NVSP,
						    s->want.id), true);
	if (!ret)
		ret = netvsc_ctrl_wait(nvdev, s, "NVSP request");
	if (ret) {
		netvsc_ctrl_slot_free(ctrl, s);
		return ret;
	}
	netvsc_ctrl_take(ctrl, s, resp, sizeof(*resp));
	return 0;
}

/*
 * Hand a completion to the request waiting in its slot (netvsc_ctrl_claim()
 * decides); a completion that matches no waiting request of @kind, is not
 * the length of @type, or arrives twice, is counted as a host error.
 */
static bool netvsc_ctrl_answer(struct netvsc_ctrl *ctrl, u32 kind, u32 id,
			       u32 type, const void *msg, u32 len)
{
	struct netvsc_ctrl_slot *s;
	bool ok = false;

	s = &ctrl->slot[netvsc_ctrl_slot_of(id)];
	spin_lock(&ctrl->lock);
	if (netvsc_ctrl_claim(&s->want, kind, id, type, len)) {
		s->resp_len = min_t(u32, len, NETVSC_CTRL_RESP_MAX);
		memcpy(s->resp, msg, s->resp_len);
		complete(&s->done);
		ok = true;
	} else {
		ctrl->errors++;
	}
	spin_unlock(&ctrl->lock);
	return ok;
}

/**
 * netvsc_ctrl_nvsp_done - an NVSP completion for a control request arrived
 * @q: queue it arrived on
 * @id: control id from the cookie
 * @msg: the completion payload (private copy made by VMBus)
 * @len: its length
 *
 * Context: NAPI.
 */
void netvsc_ctrl_nvsp_done(struct netvsc_queue *q, u32 id, const void *msg,
			   u32 len)
{
	u32 type = len >= NVSP_MSG_HDR_SIZE ? get_unaligned_le32(msg) : 0;
	bool ok;

	ok = netvsc_ctrl_answer(&q->nvdev->ctrl, NETVSC_COOKIE_KIND_NVSP, id,
				type, msg, len);
	if (!ok)
		netvsc_host_error(q, "NVSP completion type %u (%u bytes) matches no request\n",
				  type, len);
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_ctrl_nvsp_done);

/**
 * netvsc_ctrl_sent - the host completed the send of an RNDIS request
 * @q: queue it arrived on
 * @id: control id from the cookie
 *
 * Context: NAPI.
 */
void netvsc_ctrl_sent(struct netvsc_queue *q, u32 id)
{
	struct netvsc_ctrl *ctrl = &q->nvdev->ctrl;
	struct netvsc_ctrl_slot *s;
	dma_addr_t addr;
	u32 len = 0;
	bool ok;

	s = &ctrl->slot[netvsc_ctrl_slot_of(id)];
	spin_lock(&ctrl->lock);
	ok = s->req_inflight;
	s->req_inflight = false;
	if (ok)
		len = netvsc_ctrl_take_map(s, &addr);
	spin_unlock(&ctrl->lock);
	netvsc_ctrl_unmap(ctrl->dma_dev, addr, len);

	if (!ok)
		netvsc_host_error(q, "completion for an RNDIS request not sent\n");
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_ctrl_sent);

static int netvsc_ctrl_rndis_send(struct netvsc_dev *nvdev,
				  struct netvsc_ctrl_slot *s, u32 type,
				  const void *body, u32 body_len, bool set_id)
{
	struct netvsc_queue *q = &nvdev->queues[0];
	struct device *dev = NULL;
	struct rndis_msg *req = s->req_page;
	u32 len = RNDIS_HDR_SIZE + body_len;
	dma_addr_t addr = 0;
	u64 gbuf[8];
	struct netvsc_gpa g;
	struct nvsp_msg msg;
	int ret;

	if (WARN_ON_ONCE(len > PAGE_SIZE || body_len < sizeof(__le32)))
		return -EINVAL;

	memset(req, 0, len);
	req->hdr.msg_type = cpu_to_le32(type);
	req->hdr.msg_len = cpu_to_le32(len);
	memcpy(&req->body, body, body_len);
	/* every request body starts with its request id */
	if (set_id)
		put_unaligned_le32(s->want.id, &req->body);

	memset(&msg, 0, sizeof(msg));
	msg.type = cpu_to_le32(NVSP_MSG_SEND_RNDIS_PKT);
	msg.body.rndis_pkt.channel_type = cpu_to_le32(NVSP_RNDIS_CHANNEL_CONTROL);
	msg.body.rndis_pkt.section_index = cpu_to_le32(NVSP_SEND_SECTION_NONE);

	netvsc_gpa_init(&g, gbuf, sizeof(gbuf));
	if (nvdev->isolated) {
		/* the host cannot read the private page: bounce it */
		dev = &nvdev->hdev->device;
		addr = dma_map_single(dev, req, len, DMA_TO_DEVICE);
		if (dma_mapping_error(dev, addr)) {
			if (net_ratelimit())
				netdev_err(nvdev->ndev,
					   "RNDIS request %#x: no DMA mapping for the host\n",
					   type);
			return -ENOMEM;
		}
		ret = netvsc_gpa_add_addr(&g, addr, len);
	} else {
		ret = netvsc_gpa_add(&g, virt_to_page(req), offset_in_page(req),
				     len);
	}
	if (WARN_ON_ONCE(ret)) {
		netvsc_ctrl_unmap(dev, addr, nvdev->isolated ? len : 0);
		return ret;
	}

	trace_netvsc_rndis_send(nvdev->ndev, q->index, type, len, s->want.id);
	spin_lock_bh(&nvdev->ctrl.lock);
	s->req_inflight = true;
	if (nvdev->isolated) {
		nvdev->ctrl.dma_dev = dev;
		s->req_dma = addr;
		s->req_dma_len = len;
	}
	spin_unlock_bh(&nvdev->ctrl.lock);
	ret = netvsc_nvsp_send_gpa(q, &msg, &g,
				   netvsc_cookie(NETVSC_COOKIE_KIND_RNDIS,
						 s->want.id));
	/* rescinded: the page is its completion's, or the teardown's */
	if (ret && ret != -ENODEV) {
		spin_lock_bh(&nvdev->ctrl.lock);
		s->req_inflight = false;
		len = netvsc_ctrl_take_map(s, &addr);
		spin_unlock_bh(&nvdev->ctrl.lock);
		netvsc_ctrl_unmap(dev, addr, len);
	}
	return ret;
}

/**
 * netvsc_ctrl_rndis - send an RNDIS request and wait for its completion
 * @nvdev: the device
 * @type: RNDIS_MSG_* of the request
 * @body: request body; its first __le32 (the request id) is filled in here
 * @body_len: its length
 * @resp: out: the whole completion message, or NULL to send without
 *	waiting (RNDIS_MSG_HALT)
 * @resp_cap: size of @resp
 * @resp_len: out: bytes of completion copied
 *
 * Context: process, may sleep up to NETVSC_CTRL_TIMEOUT_MS.
 * Return: 0, -EBUSY (no slot), -ETIMEDOUT, -ENODEV or a send error.  The
 * RNDIS status inside the completion is for the caller to check.
 */
int netvsc_ctrl_rndis(struct netvsc_dev *nvdev, u32 type, const void *body,
		      u32 body_len, void *resp, u32 resp_cap, u32 *resp_len)
{
	struct netvsc_ctrl *ctrl = &nvdev->ctrl;
	struct netvsc_ctrl_slot *s;
	int ret;

	s = netvsc_ctrl_slot_alloc(ctrl, NETVSC_COOKIE_KIND_RNDIS,
				   type | RNDIS_MSG_COMPLETION);
	if (!s)
		return -EBUSY;

	ret = netvsc_ctrl_rndis_send(nvdev, s, type, body, body_len, true);
	if (!ret && resp)
		ret = netvsc_ctrl_wait(nvdev, s, "RNDIS request");
	if (ret || !resp) {
		netvsc_ctrl_slot_free(ctrl, s);
		return ret;
	}
	*resp_len = netvsc_ctrl_take(ctrl, s, resp, resp_cap);
	return 0;
}

/**
 * netvsc_ctrl_rndis_answer - send our answer to a host RNDIS request
 * @nvdev: the device
 * @type: RNDIS_MSG_* of the answer (RNDIS_MSG_KEEPALIVE_C)
 * @body: answer body, sent as is (it carries the host's request id)
 * @body_len: its length
 *
 * Nothing comes back but the send's completion, which frees the slot.
 *
 * Context: process.
 * Return: 0, -EBUSY (no slot), -ENODEV or a send error.
 */
int netvsc_ctrl_rndis_answer(struct netvsc_dev *nvdev, u32 type,
			     const void *body, u32 body_len)
{
	struct netvsc_ctrl *ctrl = &nvdev->ctrl;
	struct netvsc_ctrl_slot *s;
	int ret;

	s = netvsc_ctrl_slot_alloc(ctrl, NETVSC_COOKIE_KIND_RNDIS, 0);
	if (!s)
		return -EBUSY;
	ret = netvsc_ctrl_rndis_send(nvdev, s, type, body, body_len, false);
	netvsc_ctrl_slot_free(ctrl, s);
	return ret;
}

/**
 * netvsc_ctrl_rndis_done - an RNDIS completion arrived
 * @q: queue it arrived on
 * @msg: private copy of the whole message (msg_len checked)
 * @len: its length
 *
 * Context: NAPI.
 */
void netvsc_ctrl_rndis_done(struct netvsc_queue *q, const void *msg, u32 len)
{
	const struct rndis_msg *m = msg;
	u32 type = le32_to_cpu(m->hdr.msg_type);
	bool ok;
	u32 id;

	if (len < RNDIS_HDR_SIZE + sizeof(__le32)) {
		netvsc_host_error(q, "short RNDIS completion\n");
		return;
	}
	id = get_unaligned_le32(&m->body);
	ok = netvsc_ctrl_answer(&q->nvdev->ctrl, NETVSC_COOKIE_KIND_RNDIS, id,
				type, msg, len);
	if (!ok)
		netvsc_host_error(q, "RNDIS completion %#x id %#x matches no request\n",
				  type, id);
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_ctrl_rndis_done);
