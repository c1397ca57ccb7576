// SPDX-License-Identifier: GPL-2.0
/*
 * netvsp_sim receive path: frames from the switch into the guest.
 *
 * This file owns everything between "the switch hands a frame to a NIC"
 * and "a transfer-page packet sits in the guest's ring": the packet filter,
 * segmentation of large sends or their coalescing into one RSC packet,
 * the Toeplitz hash and the indirection table that pick the channel, the
 * receive-buffer sub-allocations (allocation, the transaction id that names
 * them, release when the guest completes the packet), the RNDIS header and
 * per-packet info (checksum result, hash value, VLAN, fragment id) in front
 * of each frame, and RNDIS control replies, which take the same road.  An
 * 802.1Q tag in a frame becomes the VLAN PPI; the rx_csum_result and
 * fault_rx_corrupt_csum knobs change the checksum result and the checksums
 * the guest gets.
 */

#include <linux/bitmap.h>
#include <linux/unaligned.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/gso.h>
#include <net/ip.h>

#include "netvsp_sim.h"

/**
 * enum nvsim_csum - what the host knows about a frame's checksums
 * @NVSIM_CSUM_UNKNOWN: not verified: no checksum PPI
 * @NVSIM_CSUM_OK: verified or computed by the host
 * @NVSIM_CSUM_STALE: coalesced (RSC): IP checksum right, TCP field stale
 */
enum nvsim_csum {
	NVSIM_CSUM_UNKNOWN,
	NVSIM_CSUM_OK,
	NVSIM_CSUM_STALE,
};

/**
 * struct nvsim_rx_meta - what the host says about one received frame
 * @csum: NDIS_CSUM_RX_* bits, 0 for none
 * @hash: RSS hash value
 * @has_hash: @hash is valid
 * @vlan: NDIS_PPI_VLAN value
 * @has_vlan: @vlan is valid
 * @corrupt_off: offset in the frame of a checksum field to break, 0: none
 * @chan: channel the frame goes to
 */
struct nvsim_rx_meta {
	u32 csum;
	u32 hash;
	bool has_hash;
	u32 vlan;
	bool has_vlan;
	u32 corrupt_off;
	struct nvsim_chan *chan;
};

/**
 * nvsim_toeplitz() - Toeplitz hash as NDIS RSS defines it
 * @key: 40-byte key
 * @data: hash input (addresses, then ports), at most 36 bytes
 * @len: input length
 *
 * Return: the 32-bit hash.
 */
u32 nvsim_toeplitz(const u8 *key, const u8 *data, u32 len)
{
	u32 v = get_unaligned_be32(key);
	u32 hash = 0;
	int i, b;

	for (i = 0; i < len; i++) {
		for (b = 7; b >= 0; b--) {
			if (data[i] & BIT(b))
				hash ^= v;
			v <<= 1;
			if (i + 4 < NDIS_RSS_KEY_SIZE && (key[i + 4] & BIT(b)))
				v |= 1;
		}
	}
	return hash;
}
EXPORT_SYMBOL_GPL(nvsim_toeplitz);

/**
 * nvsim_rx_buf_get() - allocate receive sections for @bytes
 * @nic: NIC
 * @bytes: bytes needed (contiguous)
 * @start: first section
 * @n: number of sections
 *
 * Caller holds rcu_read_lock() and keeps it until the sections are sent
 * or freed.
 *
 * Return: the receive buffer, NULL if there is none or it is full.
 */
struct nvsim_buf *nvsim_rx_buf_get(struct nvsim_nic *nic, u32 bytes,
				   u32 *start, u32 *n)
{
	struct nvsim_buf *buf;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "receive buffer without RCU");
	buf = rcu_dereference(nic->recv_buf);
	if (!buf || !nvsim_rx_buf_alloc(buf, bytes, start, n))
		return NULL;
	return buf;
}

/**
 * nvsim_rx_buf_alloc() - allocate contiguous receive sections
 * @buf: receive buffer
 * @bytes: bytes needed
 * @start: first section
 * @n: number of sections
 *
 * Return: false when the buffer has no room.
 */
bool nvsim_rx_buf_alloc(struct nvsim_buf *buf, u32 bytes, u32 *start, u32 *n)
{
	unsigned long flags, s;
	u32 cnt;

	cnt = DIV_ROUND_UP(bytes, buf->section_size);
	spin_lock_irqsave(&buf->lock, flags);
	s = bitmap_find_next_zero_area(buf->map, buf->num_sections, buf->hint,
				       cnt, 0);
	if (s >= buf->num_sections)
		s = bitmap_find_next_zero_area(buf->map, buf->num_sections, 0,
					       cnt, 0);
	if (s >= buf->num_sections) {
		spin_unlock_irqrestore(&buf->lock, flags);
		return false;
	}
	bitmap_set(buf->map, s, cnt);
	buf->hint = s + cnt;
	buf->used += cnt;
	spin_unlock_irqrestore(&buf->lock, flags);
	*start = s;
	*n = cnt;
	return true;
}

/**
 * nvsim_rx_buf_free() - give receive sections back
 * @buf: receive buffer
 * @start: first section
 * @n: number of sections
 */
void nvsim_rx_buf_free(struct nvsim_buf *buf, u32 start, u32 n)
{
	unsigned long flags;

	spin_lock_irqsave(&buf->lock, flags);
	bitmap_clear(buf->map, start, n);
	buf->used -= n;
	spin_unlock_irqrestore(&buf->lock, flags);
}

/**
 * nvsim_rx_complete() - the guest completed a receive packet
 * @chan: channel the completion came on
 * @pkt: the VM_PKT_COMP packet
 */
void nvsim_rx_complete(struct nvsim_chan *chan, const struct vmbus_sim_pkt *pkt)
{
	u32 start = lower_32_bits(pkt->trans_id);
	u32 n = (pkt->trans_id >> 32) & 0xffff;
	u8 gen = (pkt->trans_id >> 48) & 0xff;
	struct nvsim_nic *nic = chan->nic;
	struct nvsim_msg_count *c;
	struct nvsim_buf *buf;
	unsigned long flags;
	bool ok = false;
	u32 status;

	if (pkt->len < NVSP_MSG_HDR_SIZE + sizeof(struct nvsp_msg_rndis_pkt_comp) ||
	    get_unaligned_le32(pkt->data) != NVSP_MSG_SEND_RNDIS_PKT_COMP ||
	    (pkt->trans_id >> 56) != NVSIM_XFER_MAGIC || !n) {
		nvsim_bad(nic, "bad completion (%u bytes, id %#llx)\n",
			  pkt->len, pkt->trans_id);
		return;
	}
	rcu_read_lock();
	buf = rcu_dereference(nic->recv_buf);
	if (buf && buf->gen == gen && start < buf->num_sections &&
	    n <= buf->num_sections - start) {
		spin_lock_irqsave(&buf->lock, flags);
		if (find_next_zero_bit(buf->map, start + n, start) >= start + n) {
			bitmap_clear(buf->map, start, n);
			buf->used -= n;
			ok = true;
		}
		spin_unlock_irqrestore(&buf->lock, flags);
	}
	rcu_read_unlock();
	if (!ok) {
		nvsim_bad(nic, "completion of unknown receive id %#llx\n",
			  pkt->trans_id);
		return;
	}
	/* the guest's verdict on the packet: SUCCESS, or FAIL if it rejected it */
	status = get_unaligned_le32(pkt->data + NVSP_MSG_HDR_SIZE);
	if (status != NVSP_STATUS_SUCCESS)
		atomic64_inc(&nic->rx_comp_fail);
	/* log it like a no-reply message: count, accepted, last status */
	c = &chan->nvsp[nvsim_nvsp_slot(NVSP_MSG_SEND_RNDIS_PKT_COMP)];
	WRITE_ONCE(c->count, c->count + 1);
	WRITE_ONCE(c->answered, c->answered + 1);
	WRITE_ONCE(c->status, status);
}

/* Send @cnt RNDIS messages already written at @ranges as one packet */
static int nvsim_rx_xfer(struct nvsim_chan *chan, struct nvsim_buf *buf,
			 u32 start, u32 n,
			 const struct vmtransfer_page_range *ranges, u32 cnt,
			 u32 channel_type)
{
	struct nvsp_msg nv = {};
	int ret;

	nv.type = cpu_to_le32(NVSP_MSG_SEND_RNDIS_PKT);
	nv.body.rndis_pkt.channel_type = cpu_to_le32(channel_type);
	nv.body.rndis_pkt.section_index = cpu_to_le32(NVSP_SEND_SECTION_NONE);
	ret = vmbus_sim_send_xfer(chan->vchan, buf->id,
				  NVSIM_XFER_ID(buf->gen, n, start), ranges, cnt,
				  &nv, NVSP_MSG_HDR_SIZE + sizeof(nv.body.rndis_pkt));
	if (ret) {
		nvsim_rx_buf_free(buf, start, n);
		if (ret == -EAGAIN)
			atomic64_inc(&chan->rx_ring_full);
	}
	return ret;
}

/**
 * nvsim_rx_send_msg() - send an RNDIS control message to the guest
 * @nic: NIC
 * @chan: channel to send on (the primary for replies)
 * @msg: the message
 * @len: its length
 *
 * Return: 0, -ENOSPC without receive buffer space, or the send error.
 */
int nvsim_rx_send_msg(struct nvsim_nic *nic, struct nvsim_chan *chan,
		      const void *msg, u32 len)
{
	struct vmtransfer_page_range range;
	struct nvsim_buf *buf;
	u32 start, n;
	int ret;

	rcu_read_lock();
	buf = nvsim_rx_buf_get(nic, len, &start, &n);
	if (!buf) {
		rcu_read_unlock();
		return -ENOSPC;
	}
	memcpy(buf->base + start * buf->section_size, msg, len);
	range.byte_count = len;
	range.byte_offset = start * buf->section_size;
	ret = nvsim_rx_xfer(chan, buf, start, n, &range, 1,
			    NVSP_RNDIS_CHANNEL_CONTROL);
	rcu_read_unlock();
	return ret;
}

static bool nvsim_rx_filter_ok(struct nvsim_nic *nic, const u8 *dst)
{
	u32 f = READ_ONCE(nic->filter);

	if (f & RNDIS_PACKET_TYPE_PROMISCUOUS)
		return true;
	if (is_broadcast_ether_addr(dst))
		return f & RNDIS_PACKET_TYPE_BROADCAST;
	if (is_multicast_ether_addr(dst))
		return f & (RNDIS_PACKET_TYPE_MULTICAST |
			    RNDIS_PACKET_TYPE_ALL_MULTICAST);
	/* cur_mac only changes under knob_lock; a torn read just misfilters */
	return (f & RNDIS_PACKET_TYPE_DIRECTED) &&
	       ether_addr_equal(dst, nic->cur_mac);
}

/**
 * struct nvsim_l3 - the parts of a frame RSS and checksum results look at
 * @v4: IPv4 frame
 * @v6: IPv6 frame
 * @l4: IPPROTO_TCP/UDP/..., 0 for a fragment or when unknown
 * @in: hash input: source and destination address, then the two ports
 * @alen: bytes of addresses in @in
 * @has_ports: the ports follow the addresses in @in
 * @l4off: offset of the TCP/UDP header in the frame, 0 if none
 */
struct nvsim_l3 {
	bool v4;
	bool v6;
	u8 l4;
	u32 l4off;
	u8 in[36];
	u32 alen;
	bool has_ports;
};

static void nvsim_rx_parse(const struct sk_buff *skb, struct nvsim_l3 *l3)
{
	const struct ipv6hdr *ip6;
	const void *ports;
	const struct iphdr *ip4;
	const __be16 *proto;
	u8 tmp[sizeof(*ip6)];
	u32 l4off;

	memset(l3, 0, sizeof(*l3));
	proto = skb_header_pointer(skb, offsetof(struct ethhdr, h_proto),
				   sizeof(*proto), tmp);
	if (proto && *proto == htons(ETH_P_IP)) {
		ip4 = skb_header_pointer(skb, ETH_HLEN, sizeof(*ip4), tmp);
		if (!ip4 || ip4->ihl < 5)
			return;
		l3->v4 = true;
		l3->l4 = ip_is_fragment(ip4) ? 0 : ip4->protocol;
		memcpy(l3->in, &ip4->saddr, 8);
		l3->alen = 8;
		l4off = ETH_HLEN + ip4->ihl * 4;
	} else if (proto && *proto == htons(ETH_P_IPV6)) {
		ip6 = skb_header_pointer(skb, ETH_HLEN, sizeof(*ip6), tmp);
		if (!ip6)
			return;
		l3->v6 = true;
		l3->l4 = ip6->nexthdr;
		memcpy(l3->in, &ip6->saddr, 32);
		l3->alen = 32;
		l4off = ETH_HLEN + sizeof(*ip6);
	} else {
		return;
	}
	if (l3->l4 != IPPROTO_TCP && l3->l4 != IPPROTO_UDP)
		return;
	/* a linear skb gives back a pointer into itself: copy from there */
	ports = skb_header_pointer(skb, l4off, 4, tmp);
	if (ports) {
		memcpy(l3->in + l3->alen, ports, 4);
		l3->has_ports = true;
		l3->l4off = l4off;
	}
}

/* Toeplitz over the fields the guest enabled; false: no hash */
static bool nvsim_rx_hash(const struct nvsim_rss *rss,
			  const struct nvsim_l3 *l3, u32 *hash)
{
	u32 hi = rss->hash_info, n = l3->alen;
	bool ports = false;

	if (l3->v4) {
		ports = (l3->l4 == IPPROTO_TCP && (hi & NDIS_RSS_HASH_TCP_IPV4)) ||
			(l3->l4 == IPPROTO_UDP && (hi & NDIS_RSS_HASH_UDP_IPV4));
		if (!ports && !(hi & NDIS_RSS_HASH_IPV4))
			return false;
	} else if (l3->v6) {
		ports = l3->l4 == IPPROTO_TCP && (hi & NDIS_RSS_HASH_TCP_IPV6);
		if (!ports && !(hi & NDIS_RSS_HASH_IPV6))
			return false;
	} else {
		return false;
	}
	if (ports && l3->has_ports)
		n += 4;
	*hash = nvsim_toeplitz(rss->key, l3->in, n);
	return true;
}

/**
 * nvsim_rx_flow_hash() - the RSS hash the host puts on a received frame
 * @rss: the guest's RSS parameters
 * @skb: the frame, data at the Ethernet header
 * @hash: the hash, when there is one
 *
 * The same parse and hash as delivery; for the KUnit suite.
 *
 * Return: false when the enabled hash types do not cover the frame.
 */
bool nvsim_rx_flow_hash(const struct nvsim_rss *rss, const struct sk_buff *skb,
			u32 *hash)
{
	struct nvsim_l3 l3;

	nvsim_rx_parse(skb, &l3);
	return nvsim_rx_hash(rss, &l3, hash);
}
EXPORT_SYMBOL_GPL(nvsim_rx_flow_hash);

/* The checksum result of a rx_csum_result mode other than auto */
static u32 nvsim_rx_csum_forced(u32 mode, const struct nvsim_l3 *l3)
{
	u32 ip = l3->v4 ? NDIS_CSUM_RX_IP_OK : 0;

	switch (mode) {
	case NVSIM_RX_CSUM_GOOD:
		if (l3->l4 == IPPROTO_TCP)
			return ip | NDIS_CSUM_RX_TCP_OK;
		return ip | (l3->l4 == IPPROTO_UDP ? NDIS_CSUM_RX_UDP_OK : 0);
	case NVSIM_RX_CSUM_FAILED:
		if (l3->l4 == IPPROTO_TCP)
			return ip | NDIS_CSUM_RX_TCP_FAILED;
		return ip | (l3->l4 == IPPROTO_UDP ? NDIS_CSUM_RX_UDP_FAILED : 0);
	case NVSIM_RX_CSUM_IP_INVALID:
		return ip ? ip | NDIS_CSUM_RX_IP_VALUE_INVALID : 0;
	default:
		return 0;
	}
}

/* fault_rx_corrupt_csum: where the checksum field to break is, or 0 */
static u32 nvsim_rx_corrupt_off(u32 kind, const struct nvsim_l3 *l3)
{
	if (kind == NVSIM_CORRUPT_IP && l3->v4)
		return ETH_HLEN + offsetof(struct iphdr, check);
	if (kind != NVSIM_CORRUPT_L4 || !l3->l4off)
		return 0;
	if (l3->l4 == IPPROTO_TCP)
		return l3->l4off + offsetof(struct tcphdr, check);
	return l3->l4off + offsetof(struct udphdr, check);
}

static void nvsim_rx_classify(struct nvsim_nic *nic, const struct sk_buff *skb,
			      enum nvsim_csum csum, struct nvsim_rx_meta *meta)
{
	u32 mode = READ_ONCE(nic->rx_csum_mode);

	const struct nvsim_rss *rss;
	struct nvsim_l3 l3;
	u32 q = 0;

	memset(meta, 0, sizeof(*meta));
	nvsim_rx_parse(skb, &l3);
	rss = rcu_dereference(nic->rss);
	if (rss && nvsim_rx_hash(rss, &l3, &meta->hash)) {
		meta->has_hash = true;
		q = rss->itab[meta->hash % rss->n];
		if (q > READ_ONCE(nic->subch_granted) ||
		    !READ_ONCE(nic->chans[q].open))
			q = 0;
	}
	meta->chan = &nic->chans[q];
	if (skb_vlan_tag_present(skb)) {
		u16 tci = skb_vlan_tag_get(skb);

		meta->has_vlan = true;
		meta->vlan = FIELD_PREP(NDIS_VLAN_ID, tci & VLAN_VID_MASK) |
			     FIELD_PREP(NDIS_VLAN_PRI, tci >> VLAN_PRIO_SHIFT) |
			     ((tci & VLAN_CFI_MASK) ? NDIS_VLAN_CFI : 0);
	}
	meta->corrupt_off = nvsim_rx_corrupt_off(READ_ONCE(nic->rx_corrupt), &l3);
	if (!READ_ONCE(nic->rx_csum))
		return;
	if (mode != NVSIM_RX_CSUM_AUTO) {
		meta->csum = nvsim_rx_csum_forced(mode, &l3);
		return;
	}
	if (csum == NVSIM_CSUM_UNKNOWN)
		return;
	if (l3.v4)
		meta->csum |= NDIS_CSUM_RX_IP_OK;
	if (l3.l4 == IPPROTO_TCP && csum == NVSIM_CSUM_STALE)
		meta->csum |= NDIS_CSUM_RX_TCP_OK | NDIS_CSUM_RX_TCP_VALUE_INVALID;
	else if (l3.l4 == IPPROTO_TCP)
		meta->csum |= NDIS_CSUM_RX_TCP_OK;
	else if (l3.l4 == IPPROTO_UDP)
		meta->csum |= NDIS_CSUM_RX_UDP_OK;
}

static u8 *nvsim_put_ppi(u8 *p, u32 type, u32 value)
{
	struct rndis_ppi ppi = {
		.size = cpu_to_le32(RNDIS_PPI_U32_SIZE),
		.type = cpu_to_le32(type),
		.ppi_offset = cpu_to_le32(RNDIS_PPI_HDR_SIZE),
	};
	__le32 v = cpu_to_le32(value);

	memcpy(p, &ppi, sizeof(ppi));
	memcpy(p + sizeof(ppi), &v, sizeof(v));
	return p + RNDIS_PPI_U32_SIZE;
}

/*
 * Write one RNDIS_MSG_PACKET (header, PPIs, @flen bytes of the frame from
 * @foff) at @dst.  @frag: RNDIS_PPI_PKT_ID flags, 0 for an unfragmented
 * frame; only the first fragment carries checksum, hash and VLAN.
 */
static u32 nvsim_rx_write_msg(u8 *dst, const struct sk_buff *skb, u32 foff,
			      u32 flen, const struct nvsim_rx_meta *m, u8 frag,
			      u16 pkt_id)
{
	u8 hdr[NVSIM_RX_HDR_MAX];
	struct rndis_msg *rm = (void *)hdr;
	u8 *p = hdr + RNDIS_PKT_MSG_SIZE;
	struct rndis_ppi_pkt_id id;
	bool first = !frag || (frag & RNDIS_PPI_PKT_ID_FIRST_FRAG);
	u32 ppi_len, hlen;

	if (first && m->csum)
		p = nvsim_put_ppi(p, NDIS_PPI_CSUM, m->csum);
	if (first && m->has_hash)
		p = nvsim_put_ppi(p, NDIS_PPI_HASH_VALUE, m->hash);
	if (first && m->has_vlan)
		p = nvsim_put_ppi(p, NDIS_PPI_VLAN, m->vlan);
	if (frag) {
		id.ver = RNDIS_PPI_PKT_ID_V1;
		id.flags = frag;
		id.pkt_id = cpu_to_le16(pkt_id);
		p = nvsim_put_ppi(p, RNDIS_PPI_INTERNAL | RNDIS_PPI_PKT_ID,
				  get_unaligned_le32(&id));
	}
	hlen = p - hdr;
	ppi_len = hlen - RNDIS_PKT_MSG_SIZE;
	memset(rm, 0, RNDIS_PKT_MSG_SIZE);
	rm->hdr.msg_type = cpu_to_le32(RNDIS_MSG_PACKET);
	rm->hdr.msg_len = cpu_to_le32(hlen + flen);
	rm->body.pkt.data_offset = cpu_to_le32(sizeof(struct rndis_pkt) + ppi_len);
	rm->body.pkt.data_len = cpu_to_le32(flen);
	rm->body.pkt.ppi_offset = cpu_to_le32(ppi_len ? sizeof(struct rndis_pkt) : 0);
	rm->body.pkt.ppi_len = cpu_to_le32(ppi_len);
	memcpy(dst, hdr, hlen);
	skb_copy_bits(skb, foff, dst + hlen, flen);
	if (m->corrupt_off && m->corrupt_off >= foff &&
	    m->corrupt_off - foff + 2 <= flen) {
		u8 *f = dst + hlen + m->corrupt_off - foff;
		u16 v = get_unaligned_be16(f);

		/* any other value; 0 would mean "no checksum" to UDP/IPv4 */
		put_unaligned_be16(v ^ 1 ? v ^ 1 : v ^ 2, f);
	}
	return hlen + flen;
}

/**
 * nvsim_rx_rsc_seq() - send RSC fragments flagged as given (fault injection)
 * @nic: NIC
 * @flags: RNDIS_PPI_PKT_ID_FIRST_FRAG and _LAST_FRAG bits of each fragment
 *	(SUBALLOC is added)
 * @cnt: fragments, each one range of a single receive packet on channel 0
 *
 * The fragments are pieces of one frame to the guest's MAC (EtherType
 * NVSIM_FRAME_ETH_P, zero payload), each as large as a receive section
 * holds.  Channel 0 only: the caller sends while the guest's rings stay.
 *
 * Return: 0, -ENOTCONN before the guest's receive buffer, -ENOMEM,
 * -ENOSPC, or the send error.
 */
int nvsim_rx_rsc_seq(struct nvsim_nic *nic, const u8 *flags, u32 cnt)
{
	struct vmtransfer_page_range *ranges;
	struct rndis_ppi_pkt_id id = { .ver = RNDIS_PPI_PKT_ID_V1 };
	u32 start, n, off, i, flen, step, hlen;
	struct rndis_msg rm = {};
	struct ethhdr eth = {};
	struct nvsim_buf *buf;
	u8 *p, *q;
	int ret;

	ranges = kcalloc(cnt, sizeof(*ranges), GFP_KERNEL);
	if (!ranges)
		return -ENOMEM;
	ether_addr_copy(eth.h_dest, nic->cur_mac);
	eth_random_addr(eth.h_source);
	eth.h_proto = htons(NVSIM_FRAME_ETH_P);
	hlen = RNDIS_PKT_MSG_SIZE + RNDIS_PPI_U32_SIZE;
	rcu_read_lock();
	buf = rcu_dereference(nic->recv_buf);
	ret = -ENOTCONN;
	if (!buf)
		goto out;
	step = rounddown(buf->section_size, 8);
	flen = step - hlen;
	ret = -ENOSPC;
	if (!nvsim_rx_buf_alloc(buf, cnt * step, &start, &n))
		goto out;
	rm.hdr.msg_type = cpu_to_le32(RNDIS_MSG_PACKET);
	rm.hdr.msg_len = cpu_to_le32(hlen + flen);
	rm.body.pkt.data_offset = cpu_to_le32(sizeof(struct rndis_pkt) +
					      RNDIS_PPI_U32_SIZE);
	rm.body.pkt.data_len = cpu_to_le32(flen);
	rm.body.pkt.ppi_offset = cpu_to_le32(sizeof(struct rndis_pkt));
	rm.body.pkt.ppi_len = cpu_to_le32(RNDIS_PPI_U32_SIZE);
	for (i = 0; i < cnt; i++) {
		off = start * buf->section_size + i * step;
		p = buf->base + off;
		memcpy(p, &rm, RNDIS_PKT_MSG_SIZE);
		id.flags = flags[i] | RNDIS_PPI_PKT_ID_SUBALLOC;
		id.pkt_id = cpu_to_le16(start);
		q = nvsim_put_ppi(p + RNDIS_PKT_MSG_SIZE,
				  RNDIS_PPI_INTERNAL | RNDIS_PPI_PKT_ID,
				  get_unaligned_le32(&id));
		memset(q, 0, flen);
		if (flags[i] & RNDIS_PPI_PKT_ID_FIRST_FRAG)
			memcpy(q, &eth, sizeof(eth));
		ranges[i].byte_offset = off;
		ranges[i].byte_count = hlen + flen;
	}
	ret = nvsim_rx_xfer(&nic->chans[0], buf, start, n, ranges, cnt,
			    NVSP_RNDIS_CHANNEL_DATA);
out:
	rcu_read_unlock();
	kfree(ranges);
	return ret;
}

/* Bytes of frame per fragment so that each RNDIS message fits a section */
static u32 nvsim_rx_frag_max(const struct nvsim_buf *buf)
{
	return ALIGN_DOWN(buf->section_size - NVSIM_RX_HDR_MAX, 8);
}

static int nvsim_rx_frags(struct nvsim_nic *nic, const struct sk_buff *skb,
			  const struct nvsim_rx_meta *m, struct nvsim_buf *buf,
			  u32 nfrag, u32 fmax)
{
	struct vmtransfer_page_range *ranges;
	u32 start, n, i, off, foff = 0;
	u8 fl;
	int ret;

	ranges = kmalloc_array(nfrag, sizeof(*ranges), GFP_ATOMIC);
	if (!ranges)
		return -ENOMEM;
	if (!nvsim_rx_buf_alloc(buf, nfrag * ALIGN(NVSIM_RX_HDR_MAX + fmax, 8),
				&start, &n)) {
		kfree(ranges);
		return -ENOSPC;
	}
	off = start * buf->section_size;
	for (i = 0; i < nfrag; i++) {
		u32 flen = min(fmax, skb->len - foff);

		fl = RNDIS_PPI_PKT_ID_SUBALLOC;
		if (!i)
			fl |= RNDIS_PPI_PKT_ID_FIRST_FRAG;
		if (i == nfrag - 1)
			fl |= RNDIS_PPI_PKT_ID_LAST_FRAG;
		ranges[i].byte_offset = off;
		ranges[i].byte_count = nvsim_rx_write_msg(buf->base + off, skb,
							  foff, flen, m, fl, start);
		off += ALIGN(ranges[i].byte_count, 8);
		foff += flen;
	}
	ret = nvsim_rx_xfer(m->chan, buf, start, n, ranges, nfrag,
			    NVSP_RNDIS_CHANNEL_DATA);
	kfree(ranges);
	return ret;
}

/* Put one frame (not GSO) into the guest; caller holds rcu_read_lock() */
static void nvsim_rx_one(struct nvsim_nic *nic, const struct sk_buff *skb,
			 enum nvsim_csum csum)
{
	struct vmtransfer_page_range range;
	struct nvsim_rx_meta m;
	struct nvsim_buf *buf;
	u32 start, n, nfrag, fmax;
	int ret;

	buf = rcu_dereference(nic->recv_buf);
	if (!buf) {
		atomic64_inc(&nic->filter_drops);
		return;
	}
	nvsim_rx_classify(nic, skb, csum, &m);
	if (skb->len + NVSIM_RX_HDR_MAX <= buf->section_size) {
		if (!nvsim_rx_buf_alloc(buf, NVSIM_RX_HDR_MAX + skb->len,
					&start, &n)) {
			ret = -ENOSPC;
			goto out;
		}
		range.byte_offset = start * buf->section_size;
		range.byte_count = nvsim_rx_write_msg(buf->base + range.byte_offset,
						      skb, 0, skb->len, &m, 0, 0);
		ret = nvsim_rx_xfer(m.chan, buf, start, n, &range, 1,
				    NVSP_RNDIS_CHANNEL_DATA);
	} else {
		fmax = nvsim_rx_frag_max(buf);
		nfrag = DIV_ROUND_UP(skb->len, fmax);
		/* fragments are a NVSP 6.1 (RSC) feature */
		if (READ_ONCE(nic->nvsp_version) < NVSP_PROTO_VERSION_61 ||
		    nfrag > NVSP_XFER_RANGES_MAX) {
			atomic64_inc(&nic->filter_drops);
			return;
		}
		ret = nvsim_rx_frags(nic, skb, &m, buf, nfrag, fmax);
	}
out:
	if (ret == -ENOSPC)
		atomic64_inc(&nic->rx_buf_full_drops);
	if (ret)
		return;
	atomic64_inc(&m.chan->rx_packets);
	atomic64_add(skb->len, &m.chan->rx_bytes);
	if (csum == NVSIM_CSUM_STALE)
		atomic64_inc(&m.chan->rsc_packets);
	if (m.has_vlan)
		atomic64_inc(&nic->rx_vlan);
	if (m.corrupt_off)
		atomic64_inc(&nic->rx_corrupted);
}

/* Can the segments of this TSO frame be handed over as one RSC packet? */
static bool nvsim_rx_rsc_ok(struct nvsim_nic *nic, const struct sk_buff *skb)
{
	const struct tcphdr *th;
	struct tcphdr tmp;

	if (!READ_ONCE(nic->rsc_on) || !READ_ONCE(nic->rx_csum))
		return false;
	if (skb_shinfo(skb)->gso_type & SKB_GSO_TCPV4) {
		if (!READ_ONCE(nic->rsc_ip4))
			return false;
	} else if (skb_shinfo(skb)->gso_type & SKB_GSO_TCPV6) {
		if (!READ_ONCE(nic->rsc_ip6))
			return false;
	} else {
		return false;
	}
	th = skb_header_pointer(skb, skb_transport_offset(skb), sizeof(tmp), &tmp);
	return th && !th->syn && !th->fin && !th->rst && !th->urg;
}

/*
 * A copy of @skb whose 802.1Q tag (of @veth) moved out of the frame into
 * the skb's VLAN tag, which the guest gets as the VLAN PPI; NULL without
 * memory.
 */
static struct sk_buff *nvsim_rx_untag(const struct sk_buff *skb,
				      const struct vlan_ethhdr *veth)
{
	struct sk_buff *n;

	n = skb_copy(skb, GFP_ATOMIC);
	if (!n)
		return NULL;
	memmove(n->data + VLAN_HLEN, n->data, 2 * ETH_ALEN);
	__skb_pull(n, VLAN_HLEN);
	skb_reset_mac_header(n);
	n->protocol = veth->h_vlan_encapsulated_proto;
	if (skb_is_gso(n))
		skb_reset_mac_len(n);
	__vlan_hwaccel_put_tag(n, htons(ETH_P_8021Q), ntohs(veth->h_vlan_TCI));
	return n;
}

/* nvsim_rx_deliver() past the filter, of a frame without an in-band tag */
static void nvsim_rx_deliver_untagged(struct nvsim_nic *nic,
				      struct sk_buff *skb)
{
	struct sk_buff *segs, *seg, *next;

	if (!skb_is_gso(skb)) {
		nvsim_rx_one(nic, skb, skb->ip_summed == CHECKSUM_UNNECESSARY ?
				       NVSIM_CSUM_OK : NVSIM_CSUM_UNKNOWN);
		return;
	}
	if (nvsim_rx_rsc_ok(nic, skb)) {
		/*
		 * The segments reach the guest as one coalesced packet whose
		 * IP header is right but whose TCP checksum field is stale,
		 * flagged as such, as vmswitch's RSC does.
		 */
		nvsim_rx_one(nic, skb, NVSIM_CSUM_STALE);
		return;
	}
	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs)) {
		atomic64_inc(&nic->filter_drops);
		return;
	}
	atomic64_inc(&nic->chans[0].rx_segmented);
	skb_list_walk_safe(segs, seg, next) {
		nvsim_rx_one(nic, seg, NVSIM_CSUM_OK);
		consume_skb(seg);
	}
}

/**
 * nvsim_rx_deliver() - the switch hands a frame to a NIC
 * @nic: destination NIC
 * @skb: the frame, data at the Ethernet header; may be GSO (then
 *	CHECKSUM_PARTIAL); otherwise CHECKSUM_UNNECESSARY when the host
 *	knows the checksums are right.  Not consumed, not modified.
 *
 * Caller holds rcu_read_lock().  Never sleeps.
 */
void nvsim_rx_deliver(struct nvsim_nic *nic, struct sk_buff *skb)
{
	struct vlan_ethhdr vtmp;
	const struct vlan_ethhdr *veth;
	struct sk_buff *untagged;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "delivery without RCU");
	if (!READ_ONCE(nic->link) || !READ_ONCE(nic->chans[0].open) ||
	    READ_ONCE(nic->rndis_state) != NVSIM_RNDIS_INIT ||
	    skb->len < ETH_HLEN || !nvsim_rx_filter_ok(nic, skb->data)) {
		atomic64_inc(&nic->filter_drops);
		return;
	}
	veth = skb_header_pointer(skb, 0, sizeof(vtmp), &vtmp);
	if (skb_vlan_tag_present(skb) || !veth ||
	    veth->h_vlan_proto != htons(ETH_P_8021Q)) {
		nvsim_rx_deliver_untagged(nic, skb);
		return;
	}
	/* the guest gets the tag as the VLAN PPI, not in the frame */
	untagged = nvsim_rx_untag(skb, veth);
	if (!untagged) {
		atomic64_inc(&nic->rx_buf_full_drops);
		return;
	}
	nvsim_rx_deliver_untagged(nic, untagged);
	consume_skb(untagged);
}
