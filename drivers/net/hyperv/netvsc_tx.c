// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit path.  Each frame becomes an RNDIS data message with per-packet
 * info for VLAN, checksum or LSO.  Frames that fit a send-buffer section
 * are copied into one, several of them per section while the stack says
 * more are coming (xmit_more), and the section is handed over with one
 * NVSP message; larger frames, and any frame when no section is free, go
 * as GPA page ranges pointing at the skb itself, the RNDIS header written
 * into its headroom.  The queue stops before the ring can fill, so
 * NETDEV_TX_BUSY is never the normal answer; since the host may move its
 * read index after its last completion, a stopped queue also asks the host
 * (pending_send_sz) to interrupt us once it frees enough room.  What the
 * host is told about each frame is netvsc_tx_info.c's, the completions
 * netvsc_tx_done.c's.
 */
#include <linux/dma-mapping.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "netvsc.h"
#include "netvsc_build.h"
#include "netvsc_nvsp.h"
#include "netvsc_tx.h"
#include "netvsc_tx_info.h"
#include "netvsc_txc.h"

/**
 * netvsc_tx_room - free bytes in the queue's ring to the host
 * @q: the queue
 *
 * Return: bytes that can be written now.
 */
u32 netvsc_tx_room(const struct netvsc_queue *q)
{
	return hv_get_bytes_to_write(&q->chan->outbound);
}

/**
 * netvsc_tx_skbs_free - free a chain of copied skbs
 * @skbs: the chain (skb->next), may be NULL
 * @sent: the host read them (consumed, in NAPI), or not (dropped, any
 *	context)
 */
void netvsc_tx_skbs_free(struct sk_buff *skbs, bool sent)
{
	struct sk_buff *skb;

	while (skbs) {
		skb = skbs;
		skbs = skb->next;
		skb->next = NULL;
		if (sent)
			napi_consume_skb(skb, 1);
		else
			dev_kfree_skb_any(skb);
	}
}

static void netvsc_tx_batch_drop(struct netvsc_queue *q,
				 struct netdev_queue *txq)
{
	struct netvsc_tx_batch *b = &q->batch;
	struct netvsc_dev *nvdev = q->nvdev;

	netvsc_tx_skbs_free(b->skbs, false);
	netdev_tx_completed_queue(txq, b->pkts, b->bytes);
	u64_stats_update_begin(&q->xmit_stats.syncp);
	u64_stats_add(&q->xmit_stats.drops, b->pkts);
	u64_stats_update_end(&q->xmit_stats.syncp);
	netvsc_section_free(nvdev->send_map, nvdev->send.sections, b->section);
}

/**
 * netvsc_tx_flush - hand the send section being filled to the host
 * @q: the queue
 * @txq: its TX queue, locked by the caller
 *
 * Nothing happens when no section is being filled.  A send the ring
 * refuses drops the batch (counted).
 */
void netvsc_tx_flush(struct netvsc_queue *q, struct netdev_queue *txq)
{
	struct netvsc_tx_batch *b = &q->batch;
	struct netvsc_dev *nvdev = q->nvdev;
	struct nvsp_msg msg = {};
	int ret;

	if (b->section == NVSP_SEND_SECTION_NONE)
		return;

	nvdev->send_meta[b->section] = (struct netvsc_section) {
		.skbs = b->skbs, .bytes = b->bytes, .pkts = b->pkts,
		.queue = q->index,
	};
	msg.type = cpu_to_le32(NVSP_MSG_SEND_RNDIS_PKT);
	msg.body.rndis_pkt.channel_type = cpu_to_le32(NVSP_RNDIS_CHANNEL_DATA);
	msg.body.rndis_pkt.section_index = cpu_to_le32(b->section);
	msg.body.rndis_pkt.section_size = cpu_to_le32(b->used);
	ret = netvsc_nvsp_send_inband(q, &msg,
				      netvsc_cookie(NETVSC_COOKIE_KIND_SECTION,
						    b->section), true);
	/* rescinded: the section is its completion's, or the teardown's */
	if (unlikely(ret && ret != -ENODEV)) {
		if (ret == -EAGAIN)
			netvsc_xmit_count(q, &q->xmit_stats.busy);
		nvdev->send_meta[b->section].skbs = NULL;
		netvsc_tx_batch_drop(q, txq);
	}
	b->skbs = NULL;
	b->section = NVSP_SEND_SECTION_NONE;
}

/**
 * netvsc_ring_ask_room - have the host interrupt us when it frees room
 * @q: the queue
 * @bytes: room wanted in the ring to the host
 *
 * Sets the ring's pending_send_sz: the host interrupts the channel when
 * its reading takes the room above @bytes.  The room is looked at again
 * after that, since the host reads pending_send_sz after it moved its
 * read index.
 *
 * Context: the queue's NAPI or its TX lock.
 * Return: true when the room is there already.
 */
bool netvsc_ring_ask_room(struct netvsc_queue *q, u32 bytes)
{
	set_channel_pending_send_size(q->chan, bytes);
	/* pending_send_sz visible before the read index is looked at again */
	virt_mb();
	return netvsc_tx_room(q) > bytes;
}

/* Stop @txq; the poll wakes it when the host says room is back. */
static void netvsc_tx_stop(struct netvsc_queue *q, struct netdev_queue *txq)
{
	netif_tx_stop_queue(txq);
	if (unlikely(netvsc_ring_ask_room(q, NETVSC_TX_WAKE_BYTES))) {
		set_channel_pending_send_size(q->chan, 0);
		netif_tx_start_queue(txq);
	}
}

static void netvsc_tx_maybe_stop(struct netvsc_queue *q,
				 struct netdev_queue *txq)
{
	if (likely(netvsc_tx_room(q) >= NETVSC_TX_STOP_BYTES))
		return;
	netvsc_tx_stop(q, txq);
	netvsc_xmit_count(q, &q->xmit_stats.stops);
}

/* Make room in the batch for @total bytes; false if no section is free. */
static bool netvsc_tx_batch_room(struct netvsc_queue *q,
				 struct netdev_queue *txq, u32 total)
{
	struct netvsc_tx_batch *b = &q->batch;
	struct netvsc_dev *nvdev = q->nvdev;
	int idx;

	if (b->section != NVSP_SEND_SECTION_NONE &&
	    (b->pkts >= nvdev->rndis_max_pkts ||
	     ALIGN(b->used, nvdev->rndis_align) + total >
	     nvdev->send.section_size))
		netvsc_tx_flush(q, txq);
	if (b->section != NVSP_SEND_SECTION_NONE)
		return true;

	idx = netvsc_section_alloc(nvdev->send_map, nvdev->send.sections,
				   &q->sec_hint);
	if (idx < 0)
		return false;
	b->section = idx;
	b->used = 0;
	b->pkts = 0;
	b->bytes = 0;
	return true;
}

/*
 * Append the RNDIS header of a @len-byte frame to the section being
 * filled (padding the previous message), account for the frame, and
 * return where its bytes go.
 */
static u8 *netvsc_tx_append(struct netvsc_queue *q, const u8 *ppi, u32 ppi_len,
			    u32 len)
{
	struct netvsc_tx_batch *b = &q->batch;
	struct netvsc_dev *nvdev = q->nvdev;
	u32 hdr_len = RNDIS_PKT_MSG_SIZE + ppi_len;
	u8 *sec = nvdev->send.mem + b->section * nvdev->send.section_size;
	u32 start = b->used;

	if (b->pkts) {
		/* the host walks by msg_len: pad the previous message */
		u32 pad = ALIGN(start, nvdev->rndis_align) - start;
		struct rndis_msg *prev = (void *)(sec + b->last);

		memset(sec + start, 0, pad);
		le32_add_cpu(&prev->hdr.msg_len, pad);
		start += pad;
	}
	netvsc_tx_write_hdr(sec + start, ppi, ppi_len, len);

	b->last = start;
	b->used = start + hdr_len + len;
	b->pkts++;
	b->bytes += len;
	return sec + start + hdr_len;
}

/*
 * Copy @skb into the current section; consumes @skb, which the section
 * keeps until the host gives it back: a sender then waits for the host,
 * as with a frame sent by reference, instead of outrunning it.
 */
static void netvsc_tx_copy(struct netvsc_queue *q, struct netdev_queue *txq,
			   struct sk_buff *skb, const u8 *ppi, u32 ppi_len)
{
	struct netvsc_dev *nvdev = q->nvdev;
	u32 len = skb->len;

	skb_copy_bits(skb, 0, netvsc_tx_append(q, ppi, ppi_len, len), len);
	skb_tx_timestamp(skb);
	netvsc_xmit_count(q, &q->xmit_stats.copied);
	skb->next = q->batch.skbs;
	q->batch.skbs = skb;

	if (__netdev_tx_sent_queue(txq, len, netdev_xmit_more()) ||
	    q->batch.pkts >= nvdev->rndis_max_pkts)
		netvsc_tx_flush(q, txq);
}

/**
 * netvsc_tx_raw - put a frame given as bytes (XDP) into the send batch
 * @q: the queue
 * @txq: its TX queue, locked by the caller
 * @data: the frame
 * @len: its length
 *
 * The frame is copied, so the caller keeps its buffer.  The batch goes to
 * the host when it is full or at netvsc_tx_flush(), which the caller
 * calls when its burst is done.
 *
 * Return: 0; -ENODEV when the device is going away, -EMSGSIZE for a frame
 * no send section holds, -ENOSPC when the ring or the send buffer is full.
 */
int netvsc_tx_raw(struct netvsc_queue *q, struct netdev_queue *txq,
		  const void *data, u32 len)
{
	u32 total = RNDIS_PKT_MSG_SIZE + len;

	if (unlikely(READ_ONCE(q->nvdev->destroy) || !READ_ONCE(q->open)))
		return -ENODEV;
	if (unlikely(total > q->nvdev->send.section_size))
		return -EMSGSIZE;
	if (unlikely(netvsc_tx_room(q) < NETVSC_TX_MIN_ROOM)) {
		netvsc_xmit_count(q, &q->xmit_stats.busy);
		return -ENOSPC;
	}
	if (unlikely(!netvsc_tx_batch_room(q, txq, total))) {
		netvsc_xmit_count(q, &q->xmit_stats.no_section);
		return -ENOSPC;
	}
	memcpy(netvsc_tx_append(q, NULL, 0, len), data, len);
	netdev_tx_sent_queue(txq, len);
	if (q->batch.pkts >= q->nvdev->rndis_max_pkts)
		netvsc_tx_flush(q, txq);
	return 0;
}

/*
 * In an isolated (SNP/TDX) VM the host can read only memory the guest
 * shares with it: the send and receive buffers (GPADLs), and the swiotlb
 * bounce buffers the DMA API copies into.  A frame sent by reference is
 * therefore DMA-mapped piece by piece and the descriptor names the bounce
 * buffers.  The mappings stay with the skb, in its control block (the
 * driver's from ndo_start_xmit on), until the completion, a failed send or
 * the teardown unmaps them.
 */
struct netvsc_tx_dma {
	u32 count;
	struct {
		dma_addr_t addr;
		u32 len;
	} map[];
};

struct netvsc_tx_cb {
	struct netvsc_tx_dma *dma;
};

static struct netvsc_tx_cb *netvsc_tx_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct netvsc_tx_cb) > sizeof(skb->cb));
	return (struct netvsc_tx_cb *)skb->cb;
}

/**
 * netvsc_tx_dma_unmap - undo the DMA mappings of a GPA-direct frame
 * @q: the queue it was sent on
 * @skb: the frame; nothing to undo outside isolated VMs
 */
void netvsc_tx_dma_unmap(struct netvsc_queue *q, struct sk_buff *skb)
{
	struct netvsc_tx_dma *dma = netvsc_tx_cb(skb)->dma;
	struct device *dev = &q->nvdev->hdev->device;
	u32 i;

	if (!dma)
		return;
	for (i = 0; i < dma->count; i++)
		dma_unmap_page(dev, dma->map[i].addr, dma->map[i].len,
			       DMA_TO_DEVICE);
	kfree(dma);
	netvsc_tx_cb(skb)->dma = NULL;
}

/* Piece @i of a GPA-direct frame: header + linear part, then the frags. */
static void netvsc_tx_piece(struct sk_buff *skb, u8 *hdr, u32 hdr_len, u32 i,
			    struct page **page, u32 *off, u32 *len)
{
	const skb_frag_t *f;

	if (!i) {
		*page = virt_to_page(hdr);
		*off = offset_in_page(hdr);
		*len = hdr_len + skb_headlen(skb);
		return;
	}
	f = &skb_shinfo(skb)->frags[i - 1];
	*page = skb_frag_page(f);
	*off = skb_frag_off(f);
	*len = skb_frag_size(f);
}

/*
 * Describe header + linear part + frags, DMA-mapped in an isolated VM (the
 * RNDIS header must be written by then: mapping copies it).  Returns
 * -E2BIG if too fragmented, -ENOMEM when a mapping failed.
 */
static int netvsc_tx_gpa_build(struct netvsc_queue *q, struct netvsc_gpa *g,
			       struct sk_buff *skb, u8 *hdr, u32 hdr_len)
{
	struct device *dev = &q->nvdev->hdev->device;
	u32 i, n = 1 + skb_shinfo(skb)->nr_frags;
	struct netvsc_tx_dma *dma = NULL;
	struct page *page;
	dma_addr_t addr;
	u32 off, len;
	int ret = 0;

	netvsc_gpa_init(g, q->gpa_buf, NETVSC_GPA_BUF_SIZE);
	if (q->nvdev->isolated) {
		dma = kmalloc(struct_size(dma, map, n), GFP_ATOMIC);
		if (!dma)
			return -ENOMEM;
		dma->count = 0;
	}
	netvsc_tx_cb(skb)->dma = dma;

	for (i = 0; !ret && i < n; i++) {
		netvsc_tx_piece(skb, hdr, hdr_len, i, &page, &off, &len);
		if (!dma) {
			ret = netvsc_gpa_add(g, page, off, len);
			continue;
		}
		addr = dma_map_page(dev, page, off, len, DMA_TO_DEVICE);
		if (dma_mapping_error(dev, addr)) {
			ret = -ENOMEM;
			break;
		}
		dma->map[i].addr = addr;
		dma->map[i].len = len;
		dma->count = i + 1;
		ret = netvsc_gpa_add_addr(g, addr, len);
	}
	if (ret)
		netvsc_tx_dma_unmap(q, skb);
	return ret;
}

static void netvsc_tx_dma_error(struct netvsc_queue *q, u32 len)
{
	netvsc_xmit_count(q, &q->xmit_stats.dma_errors);
	if (net_ratelimit())
		netdev_warn(q->nvdev->ndev,
			    "queue %u: no DMA mapping for a %u-byte frame: dropped\n",
			    q->index, len);
}

/* Send @skb by reference; consumes @skb. */
static void netvsc_tx_gpa(struct netvsc_queue *q, struct netdev_queue *txq,
			  struct sk_buff *skb, const u8 *ppi, u32 ppi_len)
{
	u32 hdr_len = RNDIS_PKT_MSG_SIZE + ppi_len;
	struct nvsp_msg msg = {};
	struct netvsc_gpa g;
	u8 *hdr;
	int ret;

	netvsc_tx_flush(q, txq);
	if (skb_cow_head(skb, hdr_len))
		goto no_memory;
	hdr = skb->data - hdr_len;
	netvsc_tx_write_hdr(hdr, ppi, ppi_len, skb->len);

	ret = netvsc_tx_gpa_build(q, &g, skb, hdr, hdr_len);
	if (ret == -E2BIG) {
		netvsc_xmit_count(q, &q->xmit_stats.linearized);
		if (skb_linearize(skb) || skb_cow_head(skb, hdr_len))
			goto no_memory;
		hdr = skb->data - hdr_len;
		netvsc_tx_write_hdr(hdr, ppi, ppi_len, skb->len);
		ret = netvsc_tx_gpa_build(q, &g, skb, hdr, hdr_len);
	}
	if (ret == -ENOMEM) {
		netvsc_tx_dma_error(q, skb->len);
		goto drop;
	}
	if (ret) {
		/* more pages than one packet may name, even linear */
		netvsc_xmit_count(q, &q->xmit_stats.too_big);
		goto drop;
	}

	skb_tx_timestamp(skb);
	msg.type = cpu_to_le32(NVSP_MSG_SEND_RNDIS_PKT);
	msg.body.rndis_pkt.channel_type = cpu_to_le32(NVSP_RNDIS_CHANNEL_DATA);
	msg.body.rndis_pkt.section_index = cpu_to_le32(NVSP_SEND_SECTION_NONE);

	netdev_tx_sent_queue(txq, skb->len);
	skb_queue_tail(&q->inflight, skb);
	ret = netvsc_nvsp_send_gpa(q, &msg, &g, (uintptr_t)skb);
	/* rescinded: the skb is its completion's, or the teardown's */
	if (unlikely(ret == -ENODEV))
		return;
	if (unlikely(ret)) {
		skb_unlink(skb, &q->inflight);
		netvsc_tx_dma_unmap(q, skb);
		netdev_tx_completed_queue(txq, 1, skb->len);
		if (ret == -EAGAIN)
			netvsc_xmit_count(q, &q->xmit_stats.busy);
		goto drop;
	}
	netvsc_xmit_count(q, &q->xmit_stats.gpa);
	return;

no_memory:
	netvsc_xmit_count(q, &q->xmit_stats.no_memory);
drop:
	netvsc_xmit_count(q, &q->xmit_stats.drops);
	dev_kfree_skb_any(skb);
}

/**
 * netvsc_tx_inflight_purge - drop the GPA-direct frames never completed
 * @q: the queue; its channel is closed, so no completion can come
 *
 * Their DMA mappings (isolated VMs) are undone first.
 */
void netvsc_tx_inflight_purge(struct netvsc_queue *q)
{
	struct sk_buff *skb;

	while ((skb = skb_dequeue(&q->inflight))) {
		netvsc_tx_dma_unmap(q, skb);
		dev_kfree_skb_any(skb);
	}
}

/**
 * netvsc_start_xmit - ndo_start_xmit
 * @skb: frame to send
 * @ndev: the net device
 *
 * Return: NETDEV_TX_OK, or NETDEV_TX_BUSY only when the ring is full
 * despite flow control (counted as tx_busy).
 */
netdev_tx_t netvsc_start_xmit(struct sk_buff *skb, struct net_device *ndev)
{
	struct netvsc_priv *priv = netdev_priv(ndev);
	u8 ppi[RNDIS_TX_PPI_SIZE_MAX];
	struct netvsc_dev *nvdev;
	struct netdev_queue *txq;
	struct netvsc_queue *q;
	bool stopped;
	u16 qi;
	int len;

	nvdev = rcu_dereference_bh(priv->nvdev);
	if (unlikely(!nvdev || READ_ONCE(nvdev->destroy))) {
		dev_core_stats_tx_dropped_inc(ndev);
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	/*
	 * A parked queue (after a live shrink) is still open and usable; a
	 * rescinded one takes nothing (netvsc_select_queue() moves its flows).
	 */
	qi = skb_get_queue_mapping(skb);
	if (unlikely(qi >= nvdev->num_queues ||
		     !READ_ONCE(nvdev->queues[qi].open) ||
		     READ_ONCE(nvdev->queues[qi].chan->rescind))) {
		dev_core_stats_tx_dropped_inc(ndev);
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	q = &nvdev->queues[qi];
	txq = netdev_get_tx_queue(ndev, qi);

	if (unlikely(netvsc_tx_room(q) < NETVSC_TX_MIN_ROOM)) {
		netvsc_tx_flush(q, txq);
		netvsc_tx_stop(q, txq);
		netvsc_xmit_count(q, &q->xmit_stats.busy);
		return NETDEV_TX_BUSY;
	}

	len = netvsc_tx_ppis(nvdev, skb, ppi);
	if (unlikely(len < 0)) {
		netvsc_xmit_count(q, &q->xmit_stats.drops);
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}

	if (RNDIS_PKT_MSG_SIZE + len + skb->len <= nvdev->send.section_size &&
	    netvsc_tx_batch_room(q, txq, RNDIS_PKT_MSG_SIZE + len + skb->len)) {
		netvsc_tx_copy(q, txq, skb, ppi, len);
	} else {
		if (RNDIS_PKT_MSG_SIZE + len + skb->len <=
		    nvdev->send.section_size)
			netvsc_xmit_count(q, &q->xmit_stats.no_section);
		netvsc_tx_gpa(q, txq, skb, ppi, len);
	}

	netvsc_tx_maybe_stop(q, txq);
	stopped = netif_xmit_stopped(txq);
	if (stopped)
		netvsc_tx_flush(q, txq);
	netvsc_txc_sent(q, stopped);
	return NETDEV_TX_OK;
}
