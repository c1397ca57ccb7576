// SPDX-License-Identifier: GPL-2.0
/*
 * The NVSP layer: opening and closing the VMBus channel, NVSP version
 * negotiation, the NDIS config and version messages, the receive and send
 * buffers handed to the host over GPADLs, the two send primitives (inband
 * and GPA-direct), and the NAPI poll that dispatches everything the host
 * puts in the ring: completions of our sends, receive packets in transfer
 * pages, and inband host messages.  netvsc_dev_attach() and
 * netvsc_dev_detach() are the bring-up and its mirrored teardown.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kmemleak.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <kunit/visibility.h>
#include <asm/mshyperv.h>

#include "netvsc.h"
#include "netvsc_trace.h"

static const u32 netvsc_nvsp_versions[] = {
	NVSP_PROTO_VERSION_61, NVSP_PROTO_VERSION_6, NVSP_PROTO_VERSION_5,
	NVSP_PROTO_VERSION_4, NVSP_PROTO_VERSION_2, NVSP_PROTO_VERSION_1,
};

/**
 * netvsc_nvsp_send_inband - send one NVSP message through the ring
 * @q: queue whose channel to use
 * @msg: the message (always sent as the full 40 bytes)
 * @cookie: what the completion will hand back
 * @want_comp: ask the host for a completion
 *
 * A rescind that comes in while the packet is written makes VMBus return
 * -ENODEV with the packet in the ring, and the host may have completed it
 * already: after -ENODEV what was sent belongs to its completion, or to
 * the teardown when none comes, never to the caller.
 *
 * Return: 0, -EAGAIN when the ring is full, -ENODEV when rescinded.
 */
int netvsc_nvsp_send_inband(struct netvsc_queue *q, const struct nvsp_msg *msg,
			    u64 cookie, bool want_comp)
{
	int ret;

	if (unlikely(q->chan->rescind))
		return -ENODEV;

	trace_netvsc_nvsp_send(q->nvdev->ndev, q->index,
			       le32_to_cpu(msg->type), sizeof(*msg));
	if (want_comp)
		atomic_inc(&q->sends);
	ret = vmbus_sendpacket(q->chan, (void *)msg, sizeof(*msg),
			       want_comp ? cookie : VMBUS_RQST_ID_NO_RESPONSE,
			       VM_PKT_DATA_INBAND,
			       want_comp ?
			       VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED : 0);
	/* -ENODEV: it may be in the ring and even completed (see below) */
	if (ret && ret != -ENODEV && want_comp)
		atomic_dec(&q->sends);
	return ret;
}

/**
 * netvsc_gpa_init - start an empty GPA-direct descriptor
 * @g: descriptor under construction
 * @buf: memory for it, 8-byte aligned
 * @size: bytes of @buf
 */
void netvsc_gpa_init(struct netvsc_gpa *g, void *buf, size_t size)
{
	g->desc = buf;
	g->pos = (u8 *)&g->desc->range;
	g->end = (u8 *)buf + size;
	g->ranges = 0;
	g->pfns = 0;
}

/**
 * netvsc_gpa_add_addr - append a range contiguous in the host's view
 * @g: descriptor under construction
 * @addr: guest physical (or, in an isolated VM, DMA) address of the range
 * @len: length in bytes, > 0
 *
 * Return: 0, or -E2BIG when the descriptor is full.
 */
int netvsc_gpa_add_addr(struct netvsc_gpa *g, u64 addr, u32 len)
{
	u64 pfn = addr >> HV_HYP_PAGE_SHIFT;
	u32 poff = addr & (HV_HYP_PAGE_SIZE - 1);
	u32 n = HVPFN_UP(poff + len);
	struct hv_mpb_array *r = (void *)g->pos;
	u32 i;

	if (g->ranges == NETVSC_TX_RANGES_MAX ||
	    g->pfns + n > NETVSC_TX_PFNS_MAX ||
	    g->pos + struct_size(r, pfn_array, n) > g->end)
		return -E2BIG;

	r->offset = poff;
	r->len = len;
	for (i = 0; i < n; i++)
		r->pfn_array[i] = pfn + i;
	g->pos = (u8 *)&r->pfn_array[n];
	g->ranges++;
	g->pfns += n;
	return 0;
}

/**
 * netvsc_gpa_add - append a physically contiguous range
 * @g: descriptor under construction
 * @page: first page of the range
 * @off: offset of the range from the start of @page (may exceed a page)
 * @len: length in bytes, > 0
 *
 * Return: 0, or -E2BIG when the descriptor is full.
 */
int netvsc_gpa_add(struct netvsc_gpa *g, struct page *page, u32 off, u32 len)
{
	return netvsc_gpa_add_addr(g, ((u64)page_to_hvpfn(page) <<
				       HV_HYP_PAGE_SHIFT) + off, len);
}

/**
 * netvsc_nvsp_send_gpa - send an NVSP message with page ranges
 * @q: queue whose channel to use
 * @msg: the NVSP message
 * @g: the page ranges (at least one)
 * @cookie: what the completion will hand back
 *
 * After -ENODEV, as for netvsc_nvsp_send_inband(), what was sent is not
 * the caller's any more.
 *
 * Return: 0, -EAGAIN when the ring is full, -ENODEV when rescinded.
 */
int netvsc_nvsp_send_gpa(struct netvsc_queue *q, const struct nvsp_msg *msg,
			 struct netvsc_gpa *g, u64 cookie)
{
	u32 desc_size = g->pos - (u8 *)g->desc;
	int ret;

	if (unlikely(q->chan->rescind))
		return -ENODEV;

	trace_netvsc_nvsp_send(q->nvdev->ndev, q->index,
			       le32_to_cpu(msg->type), sizeof(*msg));
	g->desc->rangecount = g->ranges;
	atomic_inc(&q->sends);
	ret = vmbus_sendpacket_mpb_desc(q->chan, g->desc, desc_size,
					(void *)msg, sizeof(*msg), cookie);
	if (ret && ret != -ENODEV)
		atomic_dec(&q->sends);
	return ret;
}

/**
 * netvsc_host_error - count and report a protocol violation by the host
 * @q: queue it was seen on
 * @fmt: what was wrong, printf style
 *
 * Context: any; the report is rate limited.
 */
void netvsc_host_error(struct netvsc_queue *q, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	netvsc_rx_count(q, &q->rx_stats.host_errors);
	q->rx_bad = true;
	if (!net_ratelimit())
		return;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	netdev_warn(q->nvdev->ndev, "host: %pV", &vaf);
	va_end(args);
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_host_error);

/**
 * netvsc_dev_host_error - count and report a host protocol violation seen
 *	outside NAPI
 * @priv: the device's private data
 * @fmt: what was wrong, printf style
 *
 * For bring-up and channel requests, which run in process context: the
 * queues' counters have one writer each, their NAPI poll.
 *
 * Context: any; the report is rate limited.
 */
void netvsc_dev_host_error(struct netvsc_priv *priv, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	atomic64_inc(&priv->host_errors);
	if (!net_ratelimit())
		return;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	netdev_warn(priv->ndev, "host: %pV", &vaf);
	va_end(args);
}

/* ---- receive dispatch ---- */

/*
 * Whether the host completed a data send with a failure: it did not send
 * the frames.  A completion too short to say counts as a host error and
 * as done.
 */
static bool netvsc_data_comp_failed(struct netvsc_queue *q, const void *data,
				    u32 len)
{
	if (len < NVSP_MSG_HDR_SIZE + sizeof(struct nvsp_msg_rndis_pkt_comp)) {
		netvsc_host_error(q, "send completion of %u bytes, no status\n",
				  len);
		return false;
	}
	return get_unaligned_le32(data + NVSP_MSG_HDR_SIZE) !=
	       NVSP_STATUS_SUCCESS;
}

static void netvsc_completion(struct netvsc_queue *q,
			      const struct vmpacket_descriptor *desc)
{
	const void *data = hv_pkt_data(desc);
	u32 len = hv_pkt_datalen(desc);
	u32 frames = 0;
	u64 cookie;

	cookie = q->chan->request_addr_callback(q->chan, desc->trans_id);
	if (cookie == VMBUS_RQST_ERROR) {
		netvsc_host_error(q, "completion with unknown id %#llx\n",
				  desc->trans_id);
		return;
	}
	atomic_dec(&q->sends);
	if (len >= NVSP_MSG_HDR_SIZE)
		trace_netvsc_nvsp_recv(q->nvdev->ndev, q->index,
				       get_unaligned_le32(data), len);

	if (netvsc_cookie_is_skb(cookie)) {
		frames = netvsc_tx_done(q, cookie);
		goto data;
	}
	switch (FIELD_GET(NETVSC_COOKIE_KIND, cookie)) {
	case NETVSC_COOKIE_KIND_NVSP:
		netvsc_ctrl_nvsp_done(q, FIELD_GET(NETVSC_COOKIE_VAL, cookie),
				      data, len);
		break;
	case NETVSC_COOKIE_KIND_RNDIS:
		netvsc_ctrl_sent(q, FIELD_GET(NETVSC_COOKIE_VAL, cookie));
		break;
	case NETVSC_COOKIE_KIND_SECTION:
		frames = netvsc_tx_section_done(q, FIELD_GET(NETVSC_COOKIE_VAL,
							     cookie));
		goto data;
	default:
		WARN_ON_ONCE(1);
	}
	return;
data:
	if (unlikely(netvsc_data_comp_failed(q, data, len))) {
		u64_stats_update_begin(&q->rx_stats.syncp);
		u64_stats_add(&q->rx_stats.tx_failed, frames);
		u64_stats_update_end(&q->rx_stats.syncp);
	}
}

static void netvsc_inband(struct netvsc_queue *q,
			  const struct vmpacket_descriptor *desc)
{
	u8 buf[sizeof(struct nvsp_msg) + NVSP_SEND_TABLE_SIZE * sizeof(u32)];
	struct netvsc_dev *nvdev = q->nvdev;
	u32 len = min_t(u32, hv_pkt_datalen(desc), sizeof(buf));
	u32 table[NVSP_SEND_TABLE_SIZE];
	u32 type;
	int i;

	if (len < NVSP_MSG_HDR_SIZE) {
		netvsc_host_error(q, "short inband message (%u bytes)\n", len);
		return;
	}
	memcpy(buf, hv_pkt_data(desc), len);
	type = get_unaligned_le32(buf);
	trace_netvsc_nvsp_recv(nvdev->ndev, q->index, type, len);

	switch (type) {
	case NVSP_MSG_SEND_INDIRECTION_TABLE:
		if (netvsc_send_table_parse(buf, len, nvdev->nvsp_ver, table)) {
			netvsc_host_error(q, "malformed send table\n");
			return;
		}
		for (i = 0; i < NVSP_SEND_TABLE_SIZE; i++)
			WRITE_ONCE(nvdev->send_table[i], table[i]);
		break;
	case NVSP_MSG_SEND_VF_ASSOCIATION:
		netdev_dbg(nvdev->ndev, "VF association ignored\n");
		break;
	default:
		/* also what a truncated message looks like: zero padding */
		netvsc_host_error(q, "unknown inband NVSP message %u (%u bytes)\n",
				  type, len);
	}
}

/* Handle (part of) one ring packet; returns the work it was, at least 1. */
static u32 netvsc_process(struct netvsc_queue *q,
			  const struct vmpacket_descriptor *desc, u32 budget)
{
	u32 len = hv_pkt_len(desc);

	if (desc->offset8 > desc->len8) {
		netvsc_host_error(q, "bad packet data offset\n");
		return 1;
	}
	switch (desc->type) {
	case VM_PKT_COMP:
		netvsc_completion(q, desc);
		break;
	case VM_PKT_DATA_USING_XFER_PAGES:
		return netvsc_rx_xfer(q, desc, len, budget);
	case VM_PKT_DATA_INBAND:
		netvsc_inband(q, desc);
		break;
	default:
		netvsc_host_error(q, "unknown packet type %u\n", desc->type);
	}
	return 1;
}

/**
 * netvsc_poll - NAPI poll of one queue
 * @napi: the queue's NAPI instance
 * @budget: most frames to take in
 *
 * Processes ring packets until @budget frames were taken in (a packet
 * that carries no frame counts one; a receive packet with more frames than
 * the budget left is finished by the next poll) or the ring is empty,
 * reports the send completions to the stack in one go, sends the receive
 * completions collected, and re-enables host interrupts.  Stops early
 * while the receive-completion ring is full, so a host that does not drain
 * our completions cannot make us lose track of its buffers; completions
 * our full ring to the host refused go at the interrupt the host raises
 * once it frees room.
 *
 * Return: work done.
 */
int netvsc_poll(struct napi_struct *napi, int budget)
{
	struct netvsc_queue *q = container_of(napi, struct netvsc_queue, napi);
	struct vmbus_channel *chan = q->chan;
	int work = 0;
	int pending;

	if (!q->desc)
		q->desc = hv_pkt_iter_first(chan);

	while (q->desc && work < budget) {
		if (netvsc_rxc_full(q) && netvsc_rxc_flush(q) &&
		    netvsc_rxc_full(q))
			break;
		work += netvsc_process(q, q->desc, budget - work);
		/* a packet with more frames than the budget left goes on next */
		if (q->rx_range)
			break;
		q->desc = hv_pkt_iter_next(chan, q->desc);
	}
	netvsc_tx_done_flush(q);
	netvsc_xdp_poll_end(q);

	pending = netvsc_rxc_flush(q);
	/*
	 * Completions the full ring refused wait for the host to read it,
	 * which it tells with an interrupt: polling again at once would spin
	 * for as long as it does not.
	 */
	if (pending && !netvsc_ring_ask_room(q, NETVSC_TX_STOP_BYTES))
		pending = 0;

	if (work < budget && napi_complete_done(napi, work) &&
	    (pending || hv_end_read(&chan->inbound)) &&
	    napi_schedule_prep(napi)) {
		hv_begin_read(&chan->inbound);
		__napi_schedule(napi);
	}
	return min(work, budget);
}

static void netvsc_chan_cb(void *context)
{
	struct netvsc_queue *q = context;

	if (napi_schedule_prep(&q->napi)) {
		/* mask host interrupts until the poll is done */
		hv_begin_read(&q->chan->inbound);
		__napi_schedule_irqoff(&q->napi);
	}
}

/* ---- negotiation and buffers ---- */

static int netvsc_nvsp_negotiate(struct netvsc_dev *nvdev)
{
	struct nvsp_msg msg, resp;
	int i, ret;

	/* the isolation state is the platform's: it cannot change under us */
	nvdev->isolated = hv_is_isolation_supported();
	for (i = 0; i < ARRAY_SIZE(netvsc_nvsp_versions); i++) {
		u32 ver = netvsc_nvsp_versions[i];

		/*
		 * Before 6.1 the host may hand us what an isolated VM must
		 * not take (VF association, a host-chosen layout of shared
		 * memory): older hosts are refused there.
		 */
		if (nvdev->isolated && ver < NVSP_PROTO_VERSION_61)
			break;

		memset(&msg, 0, sizeof(msg));
		msg.type = cpu_to_le32(NVSP_MSG_INIT);
		msg.body.init.min_version = cpu_to_le32(ver);
		msg.body.init.max_version = cpu_to_le32(ver);
		ret = netvsc_ctrl_nvsp(nvdev, &msg, NVSP_MSG_INIT_COMP, &resp);
		if (ret)
			return ret;
		if (le32_to_cpu(resp.body.init_comp.status) ==
		    NVSP_STATUS_SUCCESS) {
			nvdev->nvsp_ver = ver;
			nvdev->ndis_ver = netvsc_ndis_version(ver);
			return 0;
		}
	}
	if (nvdev->isolated)
		netdev_err(nvdev->ndev,
			   "host refuses NVSP 6.1, the oldest version an isolated VM may use\n");
	else
		netdev_err(nvdev->ndev, "host accepts no NVSP version we speak\n");
	return -EPROTO;
}

static int netvsc_nvsp_config(struct netvsc_dev *nvdev, u32 mtu)
{
	struct netvsc_queue *q = &nvdev->queues[0];
	u64 caps = NVSP_NDIS_CAP_IEEE8021Q;
	struct nvsp_msg msg;
	int ret;

	if (nvdev->nvsp_ver >= NVSP_PROTO_VERSION_2) {
		/* teaming: without it the host sends no link-speed updates */
		if (nvdev->nvsp_ver >= NVSP_PROTO_VERSION_5)
			caps |= NVSP_NDIS_CAP_TEAMING;
		if (nvdev->nvsp_ver >= NVSP_PROTO_VERSION_61)
			caps |= NVSP_NDIS_CAP_RSC;
		memset(&msg, 0, sizeof(msg));
		msg.type = cpu_to_le32(NVSP_MSG_SEND_NDIS_CONFIG);
		msg.body.ndis_config.mtu = cpu_to_le32(mtu + ETH_HLEN);
		msg.body.ndis_config.caps = cpu_to_le64(caps);
		ret = netvsc_nvsp_send_inband(q, &msg, 0, false);
		if (ret)
			return ret;
	}

	memset(&msg, 0, sizeof(msg));
	msg.type = cpu_to_le32(NVSP_MSG_SEND_NDIS_VER);
	msg.body.ndis_ver.major = cpu_to_le32(nvdev->ndis_ver >> 16);
	msg.body.ndis_ver.minor = cpu_to_le32(nvdev->ndis_ver & 0xffff);
	return netvsc_nvsp_send_inband(q, &msg, 0, false);
}

static int netvsc_host_call(struct netvsc_dev *nvdev,
			    int (*fn)(struct netvsc_dev *nvdev),
			    const char *what);

static int netvsc_hc_recv_gpadl(struct netvsc_dev *nvdev)
{
	return vmbus_establish_gpadl(nvdev->hdev->channel, nvdev->recv_buf,
				     nvdev->recv_buf_size, &nvdev->recv_gpadl);
}

static int netvsc_hc_send_gpadl(struct netvsc_dev *nvdev)
{
	return vmbus_establish_gpadl(nvdev->hdev->channel, nvdev->send_buf,
				     nvdev->send_buf_size, &nvdev->send_gpadl);
}

static int netvsc_recv_buf_init(struct netvsc_dev *nvdev, u32 sections)
{
	struct nvsp_msg msg, resp;
	u32 size, max;
	int ret;

	max = nvdev->nvsp_ver <= NVSP_PROTO_VERSION_2 ?
	      NVSP_RECV_BUF_SIZE_MAX_LEGACY : NVSP_RECV_BUF_SIZE_MAX;
	size = PAGE_ALIGN(min_t(u64, (u64)sections *
				NVSP_RECV_SECTION_SIZE, max));
	nvdev->recv_buf = vzalloc(size);
	if (!nvdev->recv_buf)
		return -ENOMEM;
	nvdev->recv_buf_size = size;

	ret = netvsc_host_call(nvdev, netvsc_hc_recv_gpadl,
			       "the receive buffer's GPADL");
	if (ret) {
		netdev_err(nvdev->ndev, "receive buffer GPADL failed: %d\n",
			   ret);
		return ret;
	}

	memset(&msg, 0, sizeof(msg));
	msg.type = cpu_to_le32(NVSP_MSG_SEND_RECV_BUF);
	msg.body.recv_buf.gpadl_handle =
		cpu_to_le32(nvdev->recv_gpadl.gpadl_handle);
	msg.body.recv_buf.id = cpu_to_le16(NVSP_RECV_BUF_ID);
	ret = netvsc_ctrl_nvsp(nvdev, &msg, NVSP_MSG_SEND_RECV_BUF_COMP, &resp);
	if (ret)
		return ret;

	ret = netvsc_recv_buf_comp_check(&resp.body.recv_buf_comp,
					 sizeof(resp.body), size,
					 &nvdev->recv_section_size,
					 &nvdev->recv_sections);
	if (ret) {
		netdev_err(nvdev->ndev, "host rejected receive buffer: %d\n",
			   ret);
		return ret;
	}
	return 0;
}

static int netvsc_send_buf_init(struct netvsc_dev *nvdev, u32 sections)
{
	struct nvsp_msg msg, resp;
	u32 size;
	int ret;

	size = PAGE_ALIGN(min_t(u64, (u64)sections *
				NVSP_SEND_SECTION_SIZE, NVSP_SEND_BUF_SIZE_MAX));
	nvdev->send_buf = vzalloc(size);
	if (!nvdev->send_buf)
		return -ENOMEM;
	nvdev->send_buf_size = size;

	ret = netvsc_host_call(nvdev, netvsc_hc_send_gpadl,
			       "the send buffer's GPADL");
	if (ret) {
		netdev_err(nvdev->ndev, "send buffer GPADL failed: %d\n", ret);
		return ret;
	}

	memset(&msg, 0, sizeof(msg));
	msg.type = cpu_to_le32(NVSP_MSG_SEND_SEND_BUF);
	msg.body.send_buf.gpadl_handle =
		cpu_to_le32(nvdev->send_gpadl.gpadl_handle);
	msg.body.send_buf.id = cpu_to_le16(NVSP_SEND_BUF_ID);
	ret = netvsc_ctrl_nvsp(nvdev, &msg, NVSP_MSG_SEND_SEND_BUF_COMP, &resp);
	if (ret)
		return ret;

	ret = netvsc_send_buf_comp_check(&resp.body.send_buf_comp, size,
					 &nvdev->send_section_size,
					 &nvdev->send_sections);
	if (ret) {
		netdev_err(nvdev->ndev,
			   "host rejected send buffer: status %u, section size %u for a %u-byte buffer: %d\n",
			   le32_to_cpu(resp.body.send_buf_comp.status),
			   le32_to_cpu(resp.body.send_buf_comp.section_size),
			   size, ret);
		return ret;
	}

	nvdev->send_map = bitmap_zalloc(nvdev->send_sections, GFP_KERNEL);
	nvdev->send_meta = kcalloc(nvdev->send_sections,
				   sizeof(*nvdev->send_meta), GFP_KERNEL);
	if (!nvdev->send_map || !nvdev->send_meta)
		return -ENOMEM;
	return 0;
}

static void netvsc_revoke_bufs(struct netvsc_dev *nvdev)
{
	struct netvsc_queue *q = &nvdev->queues[0];
	struct nvsp_msg msg;

	/* no reply is expected; a rescinded channel needs none */
	if (nvdev->recv_gpadl.gpadl_handle) {
		memset(&msg, 0, sizeof(msg));
		msg.type = cpu_to_le32(NVSP_MSG_REVOKE_RECV_BUF);
		msg.body.revoke_recv_buf.id = cpu_to_le16(NVSP_RECV_BUF_ID);
		netvsc_nvsp_send_inband(q, &msg, 0, false);
	}
	if (nvdev->send_gpadl.gpadl_handle) {
		memset(&msg, 0, sizeof(msg));
		msg.type = cpu_to_le32(NVSP_MSG_REVOKE_SEND_BUF);
		msg.body.revoke_send_buf.id = cpu_to_le16(NVSP_SEND_BUF_ID);
		netvsc_nvsp_send_inband(q, &msg, 0, false);
	}
}

static void netvsc_teardown_gpadls(struct netvsc_dev *nvdev)
{
	struct vmbus_channel *chan = nvdev->hdev->channel;

	if (nvdev->recv_gpadl.gpadl_handle)
		vmbus_teardown_gpadl(chan, &nvdev->recv_gpadl);
	if (nvdev->send_gpadl.gpadl_handle)
		vmbus_teardown_gpadl(chan, &nvdev->send_gpadl);
}

/* ---- queues and channel ---- */

static int netvsc_queue_init(struct netvsc_dev *nvdev, u16 index)
{
	struct netvsc_queue *q = &nvdev->queues[index];

	q->nvdev = nvdev;
	q->index = index;
	atomic_set(&q->sends, 0);
	skb_queue_head_init(&q->inflight);
	u64_stats_init(&q->rx_stats.syncp);
	u64_stats_init(&q->xmit_stats.syncp);
	q->batch.section = NVSP_SEND_SECTION_NONE;
	INIT_WORK(&q->open_work, netvsc_sc_open_work);
	q->scratch = kmalloc(NETVSC_CTRL_RESP_MAX, GFP_KERNEL);
	q->rsc = kzalloc(sizeof(*q->rsc), GFP_KERNEL);
	q->gpa_buf = kmalloc(NETVSC_GPA_BUF_SIZE, GFP_KERNEL);
	if (!q->scratch || !q->rsc || !q->gpa_buf)
		return -ENOMEM;
	netif_napi_add(nvdev->ndev, &q->napi, netvsc_poll);
	return netvsc_xdp_rxq_reg(q);
}

static int netvsc_queue_rxc_alloc(struct netvsc_queue *q)
{
	q->rxc_size = q->nvdev->recv_sections + 1;
	q->rxc_ids = kvcalloc(q->rxc_size, sizeof(*q->rxc_ids), GFP_KERNEL);
	q->rxc_fail = bitmap_zalloc(q->rxc_size, GFP_KERNEL);
	return q->rxc_ids && q->rxc_fail ? 0 : -ENOMEM;
}

static void netvsc_queue_destroy(struct netvsc_queue *q)
{
	netvsc_xdp_rxq_unreg(q);
	if (q->napi.poll)
		netif_napi_del(&q->napi);
	netvsc_tx_inflight_purge(q);
	netvsc_tx_skbs_free(q->batch.skbs, false);
	kvfree(q->rxc_ids);
	bitmap_free(q->rxc_fail);
	kfree(q->gpa_buf);
	kfree(q->rsc);
	kfree(q->scratch);
}

/* ---- bounded host calls ---- */

static void netvsc_dev_finish(struct netvsc_dev *nvdev);

static void netvsc_hc_work(struct work_struct *work)
{
	struct netvsc_dev *nvdev = container_of(work, struct netvsc_dev,
						hc_work);
	bool abandoned;
	int ret;

	ret = nvdev->hc_fn(nvdev);
	spin_lock(&nvdev->hc_lock);
	nvdev->hc_ret = ret;
	abandoned = nvdev->hc_abandoned;
	if (!abandoned)
		complete(&nvdev->hc_done);
	spin_unlock(&nvdev->hc_lock);
	if (abandoned)
		netdev_warn(nvdev->ndev, "host answered %s late (%d)\n",
			    nvdev->hc_what, ret);
	netvsc_dev_put(nvdev);
}

/*
 * Run @fn, a VMBus call that waits for the host as long as the host likes,
 * in the device's host-call work and wait for it at most
 * NETVSC_HOST_TIMEOUT_MS.  On -ETIMEDOUT the call goes on: the device then
 * belongs to it (see DOC: Locking) and the caller may only turn NAPI off
 * and drop its reference.
 */
static int netvsc_host_call(struct netvsc_dev *nvdev,
			    int (*fn)(struct netvsc_dev *nvdev),
			    const char *what)
{
	unsigned long tmo = msecs_to_jiffies(NETVSC_HOST_TIMEOUT_MS);
	bool abandoned = false;

	if (nvdev->hc_abandoned)
		return -ETIMEDOUT;
	nvdev->hc_fn = fn;
	nvdev->hc_what = what;
	reinit_completion(&nvdev->hc_done);
	refcount_inc(&nvdev->refs);
	queue_work(netvsc_wq, &nvdev->hc_work);
	if (!wait_for_completion_timeout(&nvdev->hc_done, tmo)) {
		spin_lock(&nvdev->hc_lock);
		abandoned = !completion_done(&nvdev->hc_done);
		nvdev->hc_abandoned = abandoned;
		spin_unlock(&nvdev->hc_lock);
	}
	if (!abandoned) {
		/* the work may still be on its way out: nothing of it is left */
		flush_work(&nvdev->hc_work);
		return nvdev->hc_ret;
	}
	atomic_inc(&nvdev->priv->stuck);
	netvsc_dev_host_error(nvdev->priv,
			      "no answer to %s within %u ms; the device waits for it without RTNL\n",
			      what, NETVSC_HOST_TIMEOUT_MS);
	return -ETIMEDOUT;
}

/**
 * netvsc_queue_open - open a VMBus channel for a queue
 * @q: the queue
 * @chan: the primary channel or one of its subchannels
 *
 * Waits for the host's answer as long as VMBus does; NAPI stays off
 * (netvsc_queue_start()).
 *
 * Context: process, without RTNL (a host call or a subchannel's open work).
 * Return: 0 or the vmbus_open() error.
 */
int netvsc_queue_open(struct netvsc_queue *q, struct vmbus_channel *chan)
{
	set_channel_read_mode(chan, HV_CALL_ISR);
	chan->next_request_id_callback = vmbus_next_request_id;
	chan->request_addr_callback = vmbus_request_addr;
	/* one id per packet that fits the ring, at the smallest size */
	chan->rqstor_size = NETVSC_RING_BYTES / 56 + NETVSC_RING_BYTES / 16;
	chan->max_pkt_size = NVSP_MAX_PKT_SIZE;

	q->chan = chan;
	return vmbus_open(chan, NETVSC_RING_BYTES, NETVSC_RING_BYTES, NULL, 0,
			  netvsc_chan_cb, q);
}

/**
 * netvsc_queue_start - turn on the NAPI of a queue whose channel opened
 * @q: the queue
 *
 * The channel callback schedules nothing while NAPI is off, so a poll is
 * run now for whatever the host sent in between.
 *
 * Context: process; RTNL or netvsc_sc_mutex held (see DOC: Locking).
 */
void netvsc_queue_start(struct netvsc_queue *q)
{
	napi_enable(&q->napi);
	q->napi_on = true;
	WRITE_ONCE(q->open, true);
	local_bh_disable();
	napi_schedule(&q->napi);
	local_bh_enable();
}

static int netvsc_hc_open(struct netvsc_dev *nvdev)
{
	return netvsc_queue_open(&nvdev->queues[0], nvdev->hdev->channel);
}

static int netvsc_chan_open(struct netvsc_dev *nvdev)
{
	struct netvsc_queue *q = &nvdev->queues[0];
	int ret;

	ret = netvsc_host_call(nvdev, netvsc_hc_open, "the channel open");
	if (ret) {
		/* unless the open goes on, nothing is open to close */
		nvdev->closed = ret != -ETIMEDOUT;
		netdev_err(nvdev->ndev, "cannot open VMBus channel: %d\n", ret);
		return ret;
	}
	netvsc_queue_start(q);
	netvsc_queue_set_napi(nvdev->ndev, 0, &q->napi);
	return 0;
}

/* Closes the channels and tears the GPADLs down: waits for the host. */
static int netvsc_hc_close(struct netvsc_dev *nvdev)
{
	struct vmbus_channel *primary = nvdev->hdev->channel;
	u32 i;

	/* hosts before Windows 10 want the GPADLs gone before the close */
	if (vmbus_proto_version < VERSION_WIN10)
		netvsc_teardown_gpadls(nvdev);
	/* closes the subchannels too */
	vmbus_close(primary);
	if (vmbus_proto_version >= VERSION_WIN10)
		netvsc_teardown_gpadls(nvdev);
	for (i = 0; i < nvdev->num_queues; i++) {
		nvdev->queues[i].desc = NULL;
		nvdev->queues[i].rx_range = 0;
		WRITE_ONCE(nvdev->queues[i].open, false);
	}
	nvdev->closed = true;
	return 0;
}

/*
 * Stop NAPI and close the channel, the host's part bounded.  Return:
 * false when the close was abandoned (the device then belongs to it).
 */
static bool netvsc_chan_close(struct netvsc_dev *nvdev)
{
	netvsc_chans_quiesce(nvdev);
	return netvsc_host_call(nvdev, netvsc_hc_close,
				"the channel close") != -ETIMEDOUT;
}

static void netvsc_dev_release_work(struct work_struct *work)
{
	struct netvsc_dev *nvdev = container_of(work, struct netvsc_dev,
						release_work);

	/* left open by a call the host answered late, or a late subchannel */
	if (!nvdev->closed) {
		WRITE_ONCE(nvdev->destroy, true);
		netvsc_revoke_bufs(nvdev);
	}
	if (!nvdev->closed || nvdev->straggler)
		netvsc_hc_close(nvdev);
	/* NAPI instances hang on the net device: RTNL orders their removal */
	rtnl_lock();
	netvsc_dev_finish(nvdev);
	rtnl_unlock();
}

/**
 * netvsc_dev_put - drop a reference to a bring-up
 * @nvdev: the device
 *
 * The last one outside the owner's RTNL section frees it from a work
 * item, closing first what a late host answer left open.
 *
 * Context: process.
 */
void netvsc_dev_put(struct netvsc_dev *nvdev)
{
	if (refcount_dec_and_test(&nvdev->refs))
		queue_work(netvsc_wq, &nvdev->release_work);
}

/*
 * Free a buffer that was shared with the host, unless it still is: in an
 * isolated VM its pages were made host-visible (decrypted) for the GPADL,
 * and VMBus clears gpadl->decrypted only once the teardown re-encrypted
 * them.  Pages still decrypted, or still in a GPADL the teardown could not
 * remove, must never go back to the page allocator: they are leaked, and
 * kmemleak is told to ignore them (it would report them at every scan, the
 * line logged here says it once; ignored rather than marked not-a-leak, as
 * they hold packet bytes, never kernel pointers, and need no scanning).
 */
static void netvsc_buf_free(struct netvsc_dev *nvdev, void *buf, u32 size,
			    const struct vmbus_gpadl *gpadl, const char *what)
{
	if (!buf)
		return;
	if (!gpadl->decrypted && !gpadl->gpadl_handle) {
		vfree(buf);
		return;
	}
	netdev_warn(nvdev->ndev,
		    "%s buffer still shared with the host after the GPADL teardown (%s): %u bytes leaked\n",
		    what, gpadl->decrypted ? "not re-encrypted" : "not torn down",
		    size);
	kmemleak_ignore(buf);
}

static void netvsc_dev_free(struct netvsc_dev *nvdev)
{
	u32 i;

	/* NAPI is off and the channel closed: nothing queues it again */
	cancel_work_sync(&nvdev->ka_work);
	for (i = 0; i < nvdev->num_queues; i++)
		netvsc_queue_destroy(&nvdev->queues[i]);
	netvsc_ctrl_free(&nvdev->ctrl);
	/* sections the host never gave back */
	for (i = 0; nvdev->send_meta && i < nvdev->send_sections; i++)
		netvsc_tx_skbs_free(nvdev->send_meta[i].skbs, false);
	kfree(nvdev->send_meta);
	bitmap_free(nvdev->send_map);
	netvsc_buf_free(nvdev, nvdev->send_buf, nvdev->send_buf_size,
			&nvdev->send_gpadl, "send");
	netvsc_buf_free(nvdev, nvdev->recv_buf, nvdev->recv_buf_size,
			&nvdev->recv_gpadl, "receive");
	kfree(nvdev);
}

/* Free a bring-up nobody uses any more and tell who waits for that. */
static void netvsc_dev_finish(struct netvsc_dev *nvdev)
{
	struct netvsc_priv *priv = nvdev->priv;
	bool stuck = nvdev->hc_abandoned;

	ASSERT_RTNL();
	netvsc_dev_free(nvdev);
	if (stuck && atomic_dec_and_test(&priv->stuck) && priv->lost)
		queue_work(netvsc_wq, &priv->recover_work);
	/* the waiter takes RTNL after it saw 0: priv outlives this */
	if (atomic_dec_and_test(&priv->nvdevs))
		wake_up(&priv->nvdev_wq);
}

/* The owner's reference, RTNL held: frees at once when it is the last. */
static void netvsc_dev_put_owner(struct netvsc_dev *nvdev)
{
	if (!refcount_dec_and_test(&nvdev->refs))
		return;
	if (nvdev->closed && !nvdev->straggler)
		netvsc_dev_finish(nvdev);
	else
		queue_work(netvsc_wq, &nvdev->release_work);
}

static struct netvsc_dev *netvsc_dev_alloc(struct netvsc_priv *priv,
					   u32 nqueues)
{
	struct netvsc_dev *nvdev;
	u32 i;

	nvdev = kzalloc(struct_size(nvdev, queues, nqueues), GFP_KERNEL);
	if (!nvdev)
		return NULL;
	nvdev->priv = priv;
	nvdev->hdev = priv->hdev;
	nvdev->ndev = priv->ndev;
	nvdev->num_active = 1;
	nvdev->num_granted = 1;
	nvdev->max_chans = 1;
	nvdev->rndis_max_pkts = RNDIS_INIT_MAX_PKTS_DEFAULT;
	nvdev->rndis_align = RNDIS_INIT_PKT_ALIGN_DEFAULT;
	init_waitqueue_head(&nvdev->sc_wait);
	refcount_set(&nvdev->refs, 1);
	INIT_WORK(&nvdev->hc_work, netvsc_hc_work);
	init_completion(&nvdev->hc_done);
	spin_lock_init(&nvdev->hc_lock);
	INIT_WORK(&nvdev->release_work, netvsc_dev_release_work);
	netvsc_ctrl_init(&nvdev->ctrl);
	INIT_WORK(&nvdev->rx_mode_work, netvsc_rx_mode_work);
	INIT_WORK(&nvdev->ka_work, netvsc_keepalive_work);
	if (netvsc_ctrl_alloc(&nvdev->ctrl))
		goto err;
	for (i = 0; i < nqueues; i++) {
		/* num_queues counts initialised queues, for netvsc_dev_free() */
		nvdev->num_queues = i + 1;
		if (netvsc_queue_init(nvdev, i))
			goto err;
	}
	atomic_inc(&priv->nvdevs);
	return nvdev;
err:
	netvsc_dev_free(nvdev);
	return NULL;
}

static int netvsc_nvsp_connect(struct netvsc_dev *nvdev,
			       const struct netvsc_cfg *cfg)
{
	u32 i;
	int ret;

	ret = netvsc_nvsp_negotiate(nvdev);
	if (ret)
		return ret;
	ret = netvsc_nvsp_config(nvdev, cfg->mtu);
	if (ret)
		return ret;
	ret = netvsc_recv_buf_init(nvdev, cfg->rx_bufs);
	if (ret)
		return ret;
	for (i = 0; i < nvdev->num_queues; i++) {
		ret = netvsc_queue_rxc_alloc(&nvdev->queues[i]);
		if (ret)
			return ret;
	}
	return netvsc_send_buf_init(nvdev, cfg->tx_bufs);
}

/**
 * netvsc_dev_attach - bring the device up: channels, NVSP, buffers, RNDIS
 * @priv: the net device's private part
 * @cfg: MTU, channels and buffer sections to ask the host for
 *
 * Every step that waits for the host is bounded.  The host may grant fewer
 * channels than @cfg asks for; the device then runs with what it got.  On
 * success the new device is published in @priv->nvdev.
 *
 * Context: process, RTNL held.
 * Return: the device or an ERR_PTR(): -ETIMEDOUT when a VMBus call got no
 * answer in time (it goes on without RTNL), -EBUSY while such a call of an
 * earlier bring-up still waits.
 */
struct netvsc_dev *netvsc_dev_attach(struct netvsc_priv *priv,
				     const struct netvsc_cfg *cfg)
{
	struct netvsc_dev *nvdev;
	int ret;

	ASSERT_RTNL();
	/* a late host answer still owns the channel */
	if (atomic_read(&priv->stuck)) {
		netdev_err(priv->ndev,
			   "bring-up refused: an earlier VMBus request is still waiting for the host\n");
		return ERR_PTR(-EBUSY);
	}
	/* never more queues than the channel maximum can allow */
	nvdev = netvsc_dev_alloc(priv, netvsc_chans_max(cfg->chans));
	if (!nvdev)
		return ERR_PTR(-ENOMEM);

	ret = netvsc_chan_open(nvdev);
	if (ret)
		goto err_put;
	ret = netvsc_nvsp_connect(nvdev, cfg);
	if (ret)
		goto err_close;
	ret = netvsc_rndis_bringup(nvdev);
	if (ret)
		goto err_close;
	netvsc_chans_setup(nvdev, cfg->chans);

	rcu_assign_pointer(priv->stats_nvdev, nvdev);
	rcu_assign_pointer(priv->nvdev, nvdev);
	return nvdev;

err_close:
	WRITE_ONCE(nvdev->destroy, true);
	if (!nvdev->hc_abandoned)
		netvsc_revoke_bufs(nvdev);
	netvsc_chan_close(nvdev);
err_put:
	netvsc_dev_put_owner(nvdev);
	netdev_err(priv->ndev, "bring-up failed: %d\n", ret);
	return ERR_PTR(ret);
}

static void netvsc_drain(struct netvsc_dev *nvdev)
{
	unsigned long end = jiffies + msecs_to_jiffies(NETVSC_DRAIN_TIMEOUT_MS);
	u32 i;

	for (i = 0; i < nvdev->num_queues; i++) {
		struct netvsc_queue *q = &nvdev->queues[i];

		while (q->open && atomic_read(&q->sends) > 0 &&
		       !q->chan->rescind) {
			if (time_after(jiffies, end)) {
				netdev_warn(nvdev->ndev,
					    "queue %u: host left %d sends uncompleted\n",
					    i, atomic_read(&q->sends));
				break;
			}
			usleep_range(1000, 2000);
		}
	}
}

/**
 * netvsc_dev_detach - tear the device down, mirroring netvsc_dev_attach()
 * @priv: the net device's private part
 *
 * The caller has stopped the data path (packet filter 0, TX disabled).
 * When the host does not answer the close in time, the device is freed
 * once it does (see DOC: Locking); netvsc_dev_wait_gone() waits for that.
 *
 * Context: process, RTNL held.
 */
void netvsc_dev_detach(struct netvsc_priv *priv)
{
	struct netvsc_dev *nvdev = rtnl_dereference(priv->nvdev);
	u32 i;

	ASSERT_RTNL();
	if (!nvdev)
		return;

	RCU_INIT_POINTER(priv->nvdev, NULL);
	synchronize_net();
	cancel_work_sync(&nvdev->rx_mode_work);

	netvsc_rndis_halt(nvdev);
	WRITE_ONCE(nvdev->destroy, true);
	netvsc_drain(nvdev);
	netvsc_revoke_bufs(nvdev);
	netvsc_chan_close(nvdev);

	for (i = 0; i < nvdev->num_queues; i++)
		netdev_tx_reset_queue(netdev_get_tx_queue(priv->ndev, i));
	/* NAPI is off: what the drain counted is in the totals */
	netvsc_stats_fold(priv, nvdev);
	synchronize_net();
	netvsc_dev_put_owner(nvdev);
}

/**
 * netvsc_dev_wait_gone - wait until every bring-up of @priv is freed
 * @priv: the net device's private part
 *
 * Before the net device is freed: a bring-up left to a VMBus call the host
 * has not answered yet is freed only when it does (or rescinds).
 *
 * Context: process, without RTNL.
 */
void netvsc_dev_wait_gone(struct netvsc_priv *priv)
{
	if (atomic_read(&priv->nvdevs))
		netdev_warn(priv->ndev,
			    "waiting for the host to answer a VMBus request before the device goes\n");
	wait_event(priv->nvdev_wq, !atomic_read(&priv->nvdevs));
	/* the last free ran under RTNL: once RTNL is ours it has left priv */
	rtnl_lock();
	rtnl_unlock();
	cancel_work_sync(&priv->recover_work);
}
