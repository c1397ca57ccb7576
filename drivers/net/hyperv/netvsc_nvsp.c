// SPDX-License-Identifier: GPL-2.0
/*
 * The NVSP transport: the two ways a message goes to the host through a
 * queue's ring (inband, and GPA-direct with its page-range builder), the
 * reports of what the host got wrong, and the driver's workqueue.  Every
 * layer above sends through here; nothing here calls up.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <linux/workqueue.h>
#include <kunit/visibility.h>

#include "netvsc.h"
#include "netvsc_nvsp.h"
#include "netvsc_trace.h"

/*
 * Host calls, late releases and recovery run here; netvsc_main.c makes it
 * at module load and flushes it before the module goes.
 */
struct workqueue_struct *netvsc_wq;

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

	netvsc_rx_count(q, &q->poll_stats.host_errors);
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
