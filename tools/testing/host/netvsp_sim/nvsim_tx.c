// SPDX-License-Identifier: GPL-2.0
/*
 * netvsp_sim transmit path: data frames from the guest into the switch.
 *
 * This file owns the parsing of RNDIS_MSG_PACKET messages (one or a batch
 * per SEND_RNDIS_PKT) and their per-packet info, and what vmswitch does
 * with the offload requests before a frame leaves the port: checksums the
 * guest left out are computed at the offsets it gave, a large send (LSOv2)
 * becomes a GSO frame that the receiving port segments to the guest's MSS
 * (or coalesces), and the 802.1Q PPI becomes the frame's VLAN tag (a
 * frame that carries its tag itself is dropped, as vmswitch drops it).
 * With tx_csum_verify it also checks the checksums the guest computed
 * itself.
 */

#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>

#include "netvsp_sim.h"
#include "nvsim_parse.h"

/* Offset of the IP header, behind at most one in-band 802.1Q tag */
static u32 nvsim_tx_l3off(const struct sk_buff *skb, __be16 *proto)
{
	const struct vlan_ethhdr *veth = (const void *)skb->data;

	*proto = veth->h_vlan_proto;
	if (eth_type_vlan(*proto) && skb->len >= VLAN_ETH_HLEN) {
		*proto = veth->h_vlan_encapsulated_proto;
		return VLAN_ETH_HLEN;
	}
	return ETH_HLEN;
}

/**
 * struct nvsim_tx_hdrs - where the headers of a guest frame really are
 * @l3off: offset of the IP header
 * @l4off: offset of the header after the IP header(s), 0 if not found
 * @end: end of the IP packet (bytes past it are link padding)
 * @ihl: IPv4 header length in bytes
 * @ip: 4 or 6, 0 for a frame that is not IP or does not parse
 * @l4proto: the protocol at @l4off
 * @frag: a fragment: a TCP/UDP checksum covers more than this frame
 *
 * The host parses a frame only to check what the guest's per-packet info
 * claims about it; offloads are carried out at the guest's offsets.
 */
struct nvsim_tx_hdrs {
	u32 l3off;
	u32 l4off;
	u32 end;
	u32 ihl;
	u8 ip;
	u8 l4proto;
	bool frag;
};

/*
 * Find the IP and transport headers.  @lso: the guest zeroed the IP length
 * fields (the LSOv2 convention), the packet ends with the frame.
 */
static void nvsim_tx_parse(const struct sk_buff *skb, bool lso,
			   struct nvsim_tx_hdrs *h)
{
	const struct ipv6hdr *ip6;
	const struct iphdr *ip4;
	__be16 proto, fo = 0;
	u32 l3len;
	int off;
	u8 nh;

	memset(h, 0, sizeof(*h));
	h->l3off = nvsim_tx_l3off(skb, &proto);
	l3len = skb->len - h->l3off;
	if (proto == htons(ETH_P_IP) && l3len >= sizeof(*ip4)) {
		ip4 = (const void *)(skb->data + h->l3off);
		h->ihl = ip4->ihl * 4;
		h->end = lso ? skb->len : h->l3off + ntohs(ip4->tot_len);
		if (ip4->version != 4 || h->ihl < sizeof(*ip4) ||
		    h->end < h->l3off + h->ihl || h->end > skb->len)
			return;
		h->ip = 4;
		h->l4proto = ip4->protocol;
		h->l4off = h->l3off + h->ihl;
		h->frag = ip_is_fragment(ip4);
	} else if (proto == htons(ETH_P_IPV6) && l3len >= sizeof(*ip6)) {
		ip6 = (const void *)(skb->data + h->l3off);
		h->end = lso ? skb->len : h->l3off + sizeof(*ip6) +
					  ntohs(ip6->payload_len);
		if (ip6->version != 6 || h->end > skb->len)
			return;
		nh = ip6->nexthdr;
		off = ipv6_skip_exthdr(skb, h->l3off + sizeof(*ip6), &nh, &fo);
		if (off < 0 || off > h->end)
			return;
		h->ip = 6;
		h->l4proto = nh;
		h->l4off = off;
		h->frag = fo != 0;
	}
}

/*
 * Sum of the TCP/UDP segment at @l4off to the end of the IP packet, with
 * the pseudo header of the frame's own IP header: 0 when the checksum in
 * it is right.
 */
static __sum16 nvsim_tx_l4_sum(const struct sk_buff *skb,
			       const struct nvsim_tx_hdrs *h, u32 l4off,
			       u8 proto)
{
	const struct ipv6hdr *ip6 = (const void *)(skb->data + h->l3off);
	const struct iphdr *ip4 = (const void *)(skb->data + h->l3off);
	u32 len = h->end - l4off;
	__wsum sum = skb_checksum(skb, l4off, len, 0);

	if (h->ip == 6)
		return csum_ipv6_magic(&ip6->saddr, &ip6->daddr, len, proto, sum);
	return csum_tcpudp_magic(ip4->saddr, ip4->daddr, len, proto, sum);
}

static u32 nvsim_tx_l4_hdr_min(u8 proto)
{
	return proto == IPPROTO_TCP ? sizeof(struct tcphdr) :
				      sizeof(struct udphdr);
}

static u32 nvsim_tx_l4_check_off(u8 proto)
{
	return proto == IPPROTO_TCP ? offsetof(struct tcphdr, check) :
				      offsetof(struct udphdr, check);
}

/*
 * Put a TCP/UDP checksum where the guest said the header is (@l4off), over
 * the rest of the IP packet, pseudo header included.  An offset that does
 * not leave room for the header inside the IP packet cannot be acted on.
 */
static int nvsim_tx_l4_csum(struct sk_buff *skb, const struct nvsim_tx_hdrs *h,
			    u32 l4off, u8 proto)
{
	u32 l3min = h->ip == 6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr);
	__sum16 *field, res;

	if (l4off < h->l3off + l3min || l4off > h->end ||
	    h->end - l4off < nvsim_tx_l4_hdr_min(proto))
		return -EINVAL;
	field = (__sum16 *)(skb->data + l4off + nvsim_tx_l4_check_off(proto));
	*field = 0;
	res = nvsim_tx_l4_sum(skb, h, l4off, proto);
	if (proto == IPPROTO_UDP && !res)
		res = CSUM_MANGLED_0;
	*field = res;
	return 0;
}

/*
 * Checksum offload request (NDIS_PPI_CSUM).  Like a NIC, the host puts the
 * checksum at the guest's TcpHeaderOffset (which every Linux guest sends,
 * for TCP and UDP alike) without looking for the header itself.  What it
 * parsed only decides whether it may tell the receiver that the checksum
 * is good: one written anywhere but at the frame's own TCP/UDP header
 * leaves a wrong checksum on the wire (counted in tx_csum_misplaced), and
 * the receiver checks the frame itself.  A request that contradicts the
 * frame (address family, both TCP and UDP, no room for the header) cannot
 * be carried out: the frame is dropped.
 */
static int nvsim_tx_csum(struct nvsim_chan *chan, struct sk_buff *skb,
			 const struct nvsim_tx_hdrs *h, u32 info)
{
	bool tcp = info & NDIS_CSUM_TX_TCP, udp = info & NDIS_CSUM_TX_UDP;
	bool v4 = info & NDIS_CSUM_TX_IPV4, v6 = info & NDIS_CSUM_TX_IPV6;
	u32 l4off = FIELD_GET(NDIS_CSUM_TX_TCP_HDR_OFFSET, info);
	bool iphdr = info & NDIS_CSUM_TX_IP_HDR, good = true;
	u8 proto = tcp ? IPPROTO_TCP : IPPROTO_UDP;

	if (!tcp && !udp && !iphdr)
		return 0;
	if (v4 == v6 || h->ip != (v4 ? 4 : 6) || (tcp && udp) || (iphdr && v6))
		return -EINVAL;
	if (tcp || udp) {
		if (nvsim_tx_l4_csum(skb, h, l4off, proto))
			return -EINVAL;
		good = l4off == h->l4off && proto == h->l4proto && !h->frag;
	}
	if (iphdr)
		ip_send_check((struct iphdr *)(skb->data + h->l3off));
	WRITE_ONCE(chan->tx_csum, chan->tx_csum + 1);
	if (good)
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	else
		WRITE_ONCE(chan->tx_csum_misplaced, chan->tx_csum_misplaced + 1);
	return 0;
}

/*
 * tx_csum_verify: check, as a receiver would, the checksums the guest
 * computed itself, i.e. those it did not ask the host for: the IPv4 header
 * and TCP/UDP over IPv4 and IPv6.  Large sends are left out (their headers
 * are the host's to finish), so are fragments and IPv4 UDP without a
 * checksum.
 */
static void nvsim_tx_verify(struct nvsim_chan *chan, const struct sk_buff *skb,
			    const struct nvsim_tx_hdrs *h,
			    const struct nvsim_tx_ppi *ppi)
{
	u32 req = ppi->has_csum ? ppi->csum : 0, checked = 0, bad = 0;
	const struct udphdr *uh;
	u8 p = h->l4proto;

	if (ppi->has_lso && ppi->lso)
		return;
	if (h->ip == 4 && !(req & NDIS_CSUM_TX_IP_HDR)) {
		checked++;
		bad += !!ip_fast_csum(skb->data + h->l3off, h->ihl / 4);
	}
	if (!h->ip || h->frag || (p != IPPROTO_TCP && p != IPPROTO_UDP) ||
	    (req & (NDIS_CSUM_TX_TCP | NDIS_CSUM_TX_UDP)))
		goto out;
	checked++;
	if (h->end - h->l4off < nvsim_tx_l4_hdr_min(p)) {
		bad++;
		goto out;
	}
	uh = (const void *)(skb->data + h->l4off);
	if (p == IPPROTO_UDP && h->ip == 4 && !uh->check)
		checked--;
	else if (nvsim_tx_l4_sum(skb, h, h->l4off, p))
		bad++;
out:
	WRITE_ONCE(chan->tx_csum_checked, chan->tx_csum_checked + checked);
	WRITE_ONCE(chan->tx_csum_bad, chan->tx_csum_bad + bad);
}

/*
 * LSOv2: the guest zeroed the IPv4 total length and put a pseudo-header
 * sum without length in the TCP checksum (the NDIS convention).  Fix the
 * lengths, seed the checksum the way Linux GSO expects, and mark the frame
 * GSO so that each receiving port cuts it to the guest's MSS.  A request
 * whose TcpHeaderOffset is not where the frame's TCP header is, or whose
 * IP version is not the frame's, would have a NIC cut garbage: the frame
 * is dropped instead.
 */
static int nvsim_tx_lso(struct sk_buff *skb, const struct nvsim_tx_hdrs *h,
			u32 info)
{
	u32 mss = FIELD_GET(NDIS_LSO_MSS, info);
	u32 l4off = FIELD_GET(NDIS_LSO_TCP_HDR_OFFSET, info);
	bool v6 = FIELD_GET(NDIS_LSO_IP_VERSION, info);
	u32 l3off = h->l3off, thlen, payload;
	struct ipv6hdr *ip6;
	struct iphdr *ip4;
	struct tcphdr *th;

	if (FIELD_GET(NDIS_LSO_TYPE, info) != NDIS_LSO_TYPE_V2 || mss < 8 ||
	    h->ip != (v6 ? 6 : 4) || h->l4proto != IPPROTO_TCP || h->frag ||
	    l4off != h->l4off || skb->len - l4off < sizeof(*th))
		return -EINVAL;
	th = (void *)(skb->data + l4off);
	thlen = th->doff * 4;
	if (thlen < sizeof(*th) || skb->len - l4off < thlen)
		return -EINVAL;
	payload = skb->len - l4off - thlen;
	if (v6) {
		ip6 = (void *)(skb->data + l3off);
		ip6->payload_len = htons(skb->len - l3off - sizeof(*ip6));
		th->check = ~csum_ipv6_magic(&ip6->saddr, &ip6->daddr,
					     skb->len - l4off, IPPROTO_TCP, 0);
	} else {
		ip4 = (void *)(skb->data + l3off);
		ip4->tot_len = htons(skb->len - l3off);
		ip_send_check(ip4);
		th->check = ~csum_tcpudp_magic(ip4->saddr, ip4->daddr,
					       skb->len - l4off, IPPROTO_TCP, 0);
	}
	skb_set_network_header(skb, l3off);
	skb_set_transport_header(skb, l4off);
	skb_reset_mac_len(skb);
	if (!skb_partial_csum_set(skb, l4off, offsetof(struct tcphdr, check)))
		return -EINVAL;
	if (payload <= mss) {
		/* nothing to cut: finish the checksum now */
		if (skb_checksum_help(skb))
			return -EINVAL;
		skb->ip_summed = CHECKSUM_UNNECESSARY;
		return 0;
	}
	skb_shinfo(skb)->gso_size = mss;
	skb_shinfo(skb)->gso_type = (v6 ? SKB_GSO_TCPV6 : SKB_GSO_TCPV4) |
				    SKB_GSO_DODGY;
	skb_shinfo(skb)->gso_segs = DIV_ROUND_UP(payload, mss);
	return 0;
}

/* Read @len payload bytes at @off, from the section copy or guest pages */
static int nvsim_src_read(const struct nvsim_txsrc *src, u32 off, void *dst,
			  u32 len)
{
	u32 n;

	if (off > src->len || len > src->len - off)
		return -EINVAL;
	if (off < src->head_len) {
		n = min(len, src->head_len - off);
		memcpy(dst, src->head + off, n);
		dst += n;
		off += n;
		len -= n;
	}
	if (!len)
		return 0;
	if (!src->pkt)
		return -EINVAL;
	return vmbus_sim_pkt_copy_from_gpa(src->pkt, off - src->head_len, dst,
					   len);
}

/* Build the frame of the data message at @off (@mlen bytes) */
static struct sk_buff *nvsim_tx_build(struct nvsim_chan *chan,
				      const struct nvsim_txsrc *src, u32 off,
				      u32 mlen, struct nvsim_tx_ppi *ppi)
{
	u8 pbuf[NVSIM_TX_PPI_MAX];
	struct nvsim_tx_loc loc;
	struct rndis_pkt pkt;
	struct sk_buff *skb;
	u32 doff, dlen, poff, plen;

	if (nvsim_src_read(src, off + RNDIS_HDR_SIZE, &pkt, sizeof(pkt)))
		return ERR_PTR(-EINVAL);
	if (nvsim_tx_pkt_check(&pkt, mlen, &loc))
		return ERR_PTR(-EINVAL);
	doff = loc.data_off;
	dlen = loc.data_len;
	poff = loc.ppi_off;
	plen = loc.ppi_len;
	if (plen && nvsim_src_read(src, off + RNDIS_HDR_SIZE + poff, pbuf, plen))
		return ERR_PTR(-EINVAL);
	if (!nvsim_tx_parse_ppi(pbuf, plen, ppi))
		return ERR_PTR(-EINVAL);
	if (!ppi->has_lso &&
	    dlen > READ_ONCE(chan->nic->ndis_mtu) + VLAN_ETH_HLEN)
		return NULL;
	skb = alloc_skb(dlen + NET_IP_ALIGN, GFP_KERNEL);
	if (!skb)
		return NULL;
	skb_reserve(skb, NET_IP_ALIGN);
	if (nvsim_src_read(src, off + RNDIS_HDR_SIZE + doff,
			   skb_put(skb, dlen), dlen)) {
		kfree_skb(skb);
		return ERR_PTR(-EINVAL);
	}
	return skb;
}

/* One RNDIS data message at @off of @src (@mlen bytes, header checked) */
static int nvsim_tx_one(struct nvsim_chan *chan, const struct nvsim_txsrc *src,
			u32 off, u32 mlen)
{
	struct nvsim_nic *nic = chan->nic;
	struct nvsim_tx_hdrs h;
	struct nvsim_tx_ppi ppi;
	struct sk_buff *skb;
	bool lso;
	u32 tci;
	int ret;

	skb = nvsim_tx_build(chan, src, off, mlen, &ppi);
	if (IS_ERR(skb))
		return PTR_ERR(skb);
	if (!skb) {
		atomic64_inc(&nic->tx_dropped);
		return 0;
	}
	skb_reset_mac_header(skb);
	skb->protocol = eth_hdr(skb)->h_proto;
	skb->dev = nvsim_sw.host_ndev;
	if (ppi.has_vlan) {
		tci = FIELD_GET(NDIS_VLAN_ID, ppi.vlan) |
		      FIELD_GET(NDIS_VLAN_PRI, ppi.vlan) << VLAN_PRIO_SHIFT |
		      (ppi.vlan & NDIS_VLAN_CFI ? VLAN_CFI_MASK : 0);
		__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q), tci);
		WRITE_ONCE(chan->tx_vlan, chan->tx_vlan + 1);
	} else if (eth_hdr(skb)->h_proto == htons(ETH_P_8021Q)) {
		/* the host takes the tag from the PPI only */
		WRITE_ONCE(chan->tx_vlan_inband_drops,
			   chan->tx_vlan_inband_drops + 1);
		kfree_skb(skb);
		return 0;
	}
	lso = ppi.has_lso && ppi.lso;
	nvsim_tx_parse(skb, lso, &h);
	if (READ_ONCE(nic->tx_csum_verify))
		nvsim_tx_verify(chan, skb, &h, &ppi);
	if (lso) {
		ret = nvsim_tx_lso(skb, &h, ppi.lso);
		if (!ret)
			WRITE_ONCE(chan->tx_lso, chan->tx_lso + 1);
	} else if (ppi.has_csum) {
		ret = nvsim_tx_csum(chan, skb, &h, ppi.csum);
	} else {
		ret = 0;
	}
	if (ret) {
		/* an offload request that contradicts the frame */
		WRITE_ONCE(chan->tx_offload_drops, chan->tx_offload_drops + 1);
		kfree_skb(skb);
		return 0;
	}
	WRITE_ONCE(chan->tx_packets, chan->tx_packets + 1);
	WRITE_ONCE(chan->tx_bytes, chan->tx_bytes + skb->len);
	rcu_read_lock();
	nvsim_switch_forward(&nic->port, skb);
	rcu_read_unlock();
	return 0;
}

/**
 * nvsim_tx_data() - handle the data messages of one SEND_RNDIS_PKT
 * @chan: channel they came on
 * @src: the payload: one or more RNDIS_MSG_PACKET, each padded to the
 *	alignment the host announced
 *
 * Return: NVSP status for the completion.
 */
u32 nvsim_tx_data(struct nvsim_chan *chan, const struct nvsim_txsrc *src)
{
	u32 off = 0, type, mlen, n = 0;
	struct rndis_hdr hdr;

	while (src->len - off >= RNDIS_PKT_MSG_SIZE) {
		if (nvsim_src_read(src, off, &hdr, sizeof(hdr)))
			break;
		type = le32_to_cpu(hdr.msg_type);
		mlen = le32_to_cpu(hdr.msg_len);
		if (type != RNDIS_MSG_PACKET || mlen < RNDIS_PKT_MSG_SIZE ||
		    mlen > src->len - off)
			break;
		if (nvsim_tx_one(chan, src, off, mlen))
			break;
		off += mlen;
		n++;
	}
	if (!n || (off != src->len && src->len - off >= RNDIS_HDR_SIZE)) {
		nvsim_bad(chan->nic, "bad RNDIS data message at %u of %u\n",
			  off, src->len);
		return NVSP_STATUS_INVALID_RNDIS_PKT;
	}
	return NVSP_STATUS_SUCCESS;
}
