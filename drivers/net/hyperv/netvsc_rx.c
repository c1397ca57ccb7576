// SPDX-License-Identifier: GPL-2.0
/*
 * Receive path: transfer-page packets from the host, each carrying one or
 * more RNDIS messages in sections of the shared receive buffer.  Headers
 * and per-packet info are copied out of shared memory before they are
 * parsed; frames are copied into fresh skbs (NAPI, GRO), or into a page
 * for the XDP program when one is attached (netvsc_xdp.c); RSC fragments
 * are reassembled into one frame; receive completions, which give the
 * sections back to the host, are queued per queue and sent in batches.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/netdevice.h>
#include <net/ip.h>

#include "netvsc.h"
#include "netvsc_ctrl.h"
#include "netvsc_nvsp.h"
#include "netvsc_proto.h"
#include "netvsc_rndis.h"
#include "netvsc_rx.h"
#include "netvsc_seq.h"
#include "netvsc_xdp.h"
#include "netvsc_trace.h"

/**
 * netvsc_rxc_full - is the receive-completion ring full?
 * @q: the queue
 *
 * Return: true when no further receive packet may be accepted.
 */
bool netvsc_rxc_full(const struct netvsc_queue *q)
{
	if (!q->rxc_size)
		return false;
	return (q->rxc_head + 1) % q->rxc_size == q->rxc_tail;
}

static void netvsc_rxc_queue(struct netvsc_queue *q, u64 trans_id, bool fail)
{
	if (WARN_ON_ONCE(!q->rxc_size || netvsc_rxc_full(q)))
		return;
	q->rxc_ids[q->rxc_head] = trans_id;
	__assign_bit(q->rxc_head, q->rxc_fail, fail);
	q->rxc_head = (q->rxc_head + 1) % q->rxc_size;
	if ((q->rxc_head + q->rxc_size - q->rxc_tail) % q->rxc_size >=
	    NETVSC_RXC_BATCH)
		netvsc_rxc_flush(q);
}

/**
 * netvsc_rxc_flush - send pending receive completions
 * @q: the queue
 *
 * Return: completions still pending (the ring to the host was full).
 */
int netvsc_rxc_flush(struct netvsc_queue *q)
{
	struct nvsp_msg msg = {
		.type = cpu_to_le32(NVSP_MSG_SEND_RNDIS_PKT_COMP),
	};
	u32 len = NVSP_MSG_HDR_SIZE + sizeof(msg.body.rndis_pkt_comp);
	int ret;

	if (!q->rxc_size)
		return 0;
	while (q->rxc_tail != q->rxc_head) {
		msg.body.rndis_pkt_comp.status =
			cpu_to_le32(test_bit(q->rxc_tail, q->rxc_fail) ?
				    NVSP_STATUS_FAIL : NVSP_STATUS_SUCCESS);
		trace_netvsc_nvsp_send(q->nvdev->ndev, q->index,
				       NVSP_MSG_SEND_RNDIS_PKT_COMP, len);
		ret = vmbus_sendpacket(q->chan, &msg, len,
				       q->rxc_ids[q->rxc_tail], VM_PKT_COMP, 0);
		if (ret == -EAGAIN) {
			netvsc_rx_count(q, &q->poll_stats.comp_busy);
			break;
		}
		/* anything else (rescind) means the host no longer cares */
		q->rxc_tail = (q->rxc_tail + 1) % q->rxc_size;
	}
	return (q->rxc_head + q->rxc_size - q->rxc_tail) % q->rxc_size;
}

static void netvsc_rx_csum(struct sk_buff *skb, const struct netvsc_rx_info *info)
{
	const u32 ok = NDIS_CSUM_RX_TCP_OK | NDIS_CSUM_RX_UDP_OK;
	const u32 bad = NDIS_CSUM_RX_TCP_FAILED | NDIS_CSUM_RX_UDP_FAILED |
			NDIS_CSUM_RX_IP_FAILED;

	if (!info->has_csum || (info->csum & bad))
		return;

	/* coalesced IPv4: the host verified the header but left it stale */
	if ((info->csum & NDIS_CSUM_RX_IP_VALUE_INVALID) &&
	    (info->csum & NDIS_CSUM_RX_IP_OK) &&
	    skb->protocol == htons(ETH_P_IP) &&
	    pskb_may_pull(skb, sizeof(struct iphdr))) {
		struct iphdr *iph = (struct iphdr *)skb->data;

		if (iph->ihl >= 5 && pskb_may_pull(skb, iph->ihl * 4))
			ip_send_check((struct iphdr *)skb->data);
	}
	if (info->csum & ok)
		skb->ip_summed = CHECKSUM_UNNECESSARY;
}

static void netvsc_rx_deliver(struct netvsc_queue *q, struct sk_buff *skb,
			      const struct netvsc_rx_info *info)
{
	struct net_device *ndev = q->nvdev->ndev;
	u32 len = skb->len;

	skb->protocol = eth_type_trans(skb, ndev);
	/* a parked queue is not one the stack knows about */
	if (q->index < READ_ONCE(q->nvdev->num_active))
		skb_record_rx_queue(skb, q->index);

	if (ndev->features & NETIF_F_RXCSUM)
		netvsc_rx_csum(skb, info);
	if ((ndev->features & NETIF_F_RXHASH) && info->has_hash) {
		enum pkt_hash_types t = PKT_HASH_TYPE_L4;

		if (info->has_hash_info &&
		    !(info->hash_info & (NDIS_RSS_HASH_TCP_IPV4 |
					 NDIS_RSS_HASH_TCP_IPV6 |
					 NDIS_RSS_HASH_TCP_IPV6_EX |
					 NDIS_RSS_HASH_UDP_IPV4)))
			t = PKT_HASH_TYPE_L3;
		skb_set_hash(skb, info->hash, t);
	}
	if (info->has_vlan && (ndev->features & NETIF_F_HW_VLAN_CTAG_RX))
		__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q), info->vlan_tci);

	u64_stats_update_begin(&q->poll_stats.syncp);
	u64_stats_inc(&q->poll_stats.packets);
	u64_stats_add(&q->poll_stats.bytes, len);
	if (skb->pkt_type == PACKET_MULTICAST ||
	    skb->pkt_type == PACKET_BROADCAST)
		u64_stats_inc(&q->poll_stats.multicast);
	u64_stats_update_end(&q->poll_stats.syncp);

	napi_gro_receive(&q->napi, skb);
}

/*
 * A frame in @cnt pieces of the receive buffer: through the XDP program
 * when one is attached, else copied into a fresh skb.
 */
static void netvsc_rx_frame(struct netvsc_queue *q, const u32 *off,
			    const u32 *len, u32 cnt, u32 total,
			    const struct netvsc_rx_info *info)
{
	const u8 *rbuf = q->nvdev->recv.mem;
	struct sk_buff *skb;
	u32 i;

	if (q->xdp_prog) {
		skb = netvsc_xdp_rx(q, off, len, cnt, total);
		if (skb)
			netvsc_rx_deliver(q, skb, info);
		return;
	}
	skb = napi_alloc_skb(&q->napi, total);
	if (!skb) {
		netvsc_rx_count(q, &q->poll_stats.drops);
		return;
	}
	for (i = 0; i < cnt; i++)
		skb_put_data(skb, rbuf + off[i], len[i]);
	netvsc_rx_deliver(q, skb, info);
}

/*
 * A frame shorter than its Ethernet header (eth_type_trans() would read
 * past it) is dropped as a host error.
 */
static bool netvsc_rx_runt(struct netvsc_queue *q, u32 len)
{
	if (likely(len >= ETH_HLEN))
		return false;
	netvsc_host_error(q, "runt frame of %u bytes\n", len);
	netvsc_rx_count(q, &q->poll_stats.drops);
	return true;
}

static void netvsc_rsc_drop(struct netvsc_queue *q)
{
	if (netvsc_rsc_reset(q->rsc))
		netvsc_rx_count(q, &q->poll_stats.drops);
}

/* One fragment of a coalesced packet; see RNDIS_PPI_PKT_ID. */
static void netvsc_rx_rsc(struct netvsc_queue *q, u32 off, u32 len,
			  const struct netvsc_rx_info *info)
{
	struct netvsc_rsc *rsc = q->rsc;
	bool dropped;
	int cnt;

	cnt = netvsc_rsc_add(rsc, off, len, info, &dropped);
	if (cnt == -EPROTO)
		netvsc_host_error(q, "RSC fragment without a first one\n");
	else if (cnt == -EMSGSIZE)
		netvsc_host_error(q, "RSC packet too large\n");
	if (dropped)
		netvsc_rx_count(q, &q->poll_stats.drops);
	if (cnt <= 0 || netvsc_rx_runt(q, rsc->total))
		return;
	netvsc_rx_count(q, &q->poll_stats.rsc_pkts);
	netvsc_rx_frame(q, rsc->off, rsc->len, cnt, rsc->total, &rsc->info);
}

/* An RNDIS data message at @off in the receive buffer. */
static void netvsc_rx_data(struct netvsc_queue *q, u32 off,
			   const struct rndis_msg *hdr)
{
	u8 ppi[NETVSC_RX_PPI_MAX];
	struct netvsc_rx_info info;
	struct netvsc_rx_pkt pkt;
	const u8 *msg = q->nvdev->recv.mem + off;

	if (netvsc_rndis_pkt_check(hdr, &pkt)) {
		netvsc_host_error(q, "malformed RNDIS data message\n");
		netvsc_rx_count(q, &q->poll_stats.drops);
		return;
	}
	memcpy(ppi, msg + pkt.ppi_off, pkt.ppi_len);
	if (netvsc_ppi_parse(ppi, pkt.ppi_len, &info)) {
		netvsc_host_error(q, "malformed per-packet info\n");
		netvsc_rx_count(q, &q->poll_stats.drops);
		return;
	}

	if (info.has_pkt_id &&
	    (info.pkt_id_flags & RNDIS_PPI_PKT_ID_SUBALLOC)) {
		netvsc_rx_rsc(q, off + pkt.data_off, pkt.data_len, &info);
		return;
	}
	netvsc_rsc_drop(q);
	if (netvsc_rx_runt(q, pkt.data_len))
		return;
	off += pkt.data_off;
	netvsc_rx_frame(q, &off, &pkt.data_len, 1, pkt.data_len, &info);
}

/* A control message: copy all of it out before anyone parses it. */
static void netvsc_rx_control(struct netvsc_queue *q, u32 off, u32 avail,
			      u32 type, u32 msg_len)
{
	u32 len = type == RNDIS_MSG_INDICATE ? avail : msg_len;

	len = min_t(u32, len, NETVSC_CTRL_RESP_MAX);
	memcpy(q->scratch, q->nvdev->recv.mem + off, len);
	if (type == RNDIS_MSG_INDICATE)
		netvsc_rndis_indicate(q, q->scratch, len);
	else
		netvsc_ctrl_rndis_done(q, q->scratch, len);
}

static void netvsc_rx_range(struct netvsc_queue *q, u32 off, u32 len)
{
	u32 section = q->nvdev->recv.section_size;
	struct rndis_msg hdr = {};
	u32 type, msg_len;

	/* the host fills one receive section per range, never more */
	if (unlikely(len > section)) {
		netvsc_host_error(q, "receive range of %u bytes, larger than a section (%u)\n",
				  len, section);
		netvsc_rsc_drop(q);
		netvsc_rx_count(q, &q->poll_stats.drops);
		return;
	}
	memcpy(&hdr, q->nvdev->recv.mem + off, min_t(u32, len, sizeof(hdr)));
	if (netvsc_rndis_msg_check(&hdr, len)) {
		netvsc_host_error(q, "bad RNDIS message length\n");
		return;
	}
	type = le32_to_cpu(hdr.hdr.msg_type);
	msg_len = le32_to_cpu(hdr.hdr.msg_len);
	trace_netvsc_rndis_recv(q->nvdev->ndev, q->index, type, msg_len,
				type == RNDIS_MSG_PACKET ? 0 :
				le32_to_cpu(hdr.body.init_comp.req_id));

	switch (type) {
	case RNDIS_MSG_PACKET:
		netvsc_rx_data(q, off, &hdr);
		break;
	case RNDIS_MSG_INIT_C:
	case RNDIS_MSG_QUERY_C:
	case RNDIS_MSG_SET_C:
	case RNDIS_MSG_KEEPALIVE_C:
	case RNDIS_MSG_INDICATE:
		netvsc_rx_control(q, off, len, type, msg_len);
		break;
	case RNDIS_MSG_KEEPALIVE:
		netvsc_rndis_keepalive(q, &hdr);
		break;
	default:
		netvsc_host_error(q, "unexpected RNDIS message %#x\n", type);
	}
}

/**
 * netvsc_rx_xfer - handle (part of) one transfer-page packet
 * @q: queue it arrived on
 * @desc: the packet (private copy made by VMBus)
 * @len: its length
 * @budget: most ranges (frames) to handle now, at least 1
 *
 * Every range is checked against the receive buffer before any is read.
 * A packet with more ranges than @budget is handled over several calls:
 * &netvsc_queue.rx_range says where the next call goes on, 0 once it is
 * done.  The packet is always completed, so the host gets its sections
 * back even when we reject what it sent; the completion then says
 * NVSP_STATUS_FAIL.
 *
 * Context: NAPI.
 * Return: ranges handled by this call (1 for a packet rejected whole).
 */
u32 netvsc_rx_xfer(struct netvsc_queue *q,
		   const struct vmpacket_descriptor *desc, u32 len, u32 budget)
{
	const struct vmtransfer_page_packet_header *xfer = (const void *)desc;
	struct netvsc_dev *nvdev = q->nvdev;
	u32 i, n = 1;

	if (unlikely(!q->rxc_size)) {
		netvsc_host_error(q, "receive packet before the receive buffer\n");
		return 1;
	}
	if (!q->rx_range) {
		q->rx_bad = false;
		if (netvsc_xfer_check(xfer, len, nvdev->recv.size,
				      NVSP_XFER_RANGES_MAX)) {
			netvsc_host_error(q, "malformed receive packet\n");
			goto done;
		}
		trace_netvsc_nvsp_recv(nvdev->ndev, q->index,
				       NVSP_MSG_SEND_RNDIS_PKT,
				       hv_pkt_datalen(desc));
	}

	n = min(xfer->range_cnt - q->rx_range, max(budget, 1U));
	rcu_read_lock();
	q->xdp_prog = rcu_dereference(nvdev->priv->xdp_prog);
	for (i = q->rx_range; i < q->rx_range + n; i++)
		netvsc_rx_range(q, xfer->ranges[i].byte_offset,
				xfer->ranges[i].byte_count);
	q->rx_range += n;
	/* RSC fragments never span receive packets */
	if (q->rx_range == xfer->range_cnt && q->rsc->cnt) {
		netvsc_host_error(q, "unfinished RSC packet\n");
		netvsc_rsc_drop(q);
	}
	q->xdp_prog = NULL;
	rcu_read_unlock();
	if (q->rx_range < xfer->range_cnt)
		return n;
	q->rx_range = 0;
done:
	/* the host learns that we rejected (part of) what it sent */
	netvsc_rxc_queue(q, desc->trans_id, q->rx_bad);
	return n;
}
