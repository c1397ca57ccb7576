// SPDX-License-Identifier: GPL-2.0
/*
 * netvsp_sim transmit path: data frames from the guest into the switch.
 *
 * This file owns the parsing of RNDIS_MSG_PACKET messages (one or a batch
 * per SEND_RNDIS_PKT) and their per-packet info, and what vmswitch does
 * with the offload requests before a frame leaves the port: checksums the
 * guest left out are computed, a large send (LSOv2) becomes a GSO frame
 * that the receiving port segments to the MSS (or coalesces), and the
 * 802.1Q PPI becomes the frame's VLAN tag.
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

#include "netvsp_sim.h"

/**
 * struct nvsim_tx_ppi - per-packet info found in one data message
 * @csum: NDIS_PPI_CSUM value
 * @lso: NDIS_PPI_LSO value
 * @vlan: NDIS_PPI_VLAN value
 * @has_csum: @csum present
 * @has_lso: @lso present
 * @has_vlan: @vlan present
 */
struct nvsim_tx_ppi {
	u32 csum;
	u32 lso;
	u32 vlan;
	bool has_csum;
	bool has_lso;
	bool has_vlan;
};

/* Walk the PPIs of a data message; false if any is malformed */
static bool nvsim_tx_parse_ppi(const u8 *p, u32 len, struct nvsim_tx_ppi *out)
{
	struct rndis_ppi ppi;
	u32 size, off, type;
	__le32 v;

	memset(out, 0, sizeof(*out));
	while (len) {
		if (len < sizeof(ppi))
			return false;
		memcpy(&ppi, p, sizeof(ppi));
		size = le32_to_cpu(ppi.size);
		off = le32_to_cpu(ppi.ppi_offset);
		type = le32_to_cpu(ppi.type);
		if (size < sizeof(ppi) || size > len || off < sizeof(ppi) ||
		    off > size)
			return false;
		if (size - off >= sizeof(v) && !(type & RNDIS_PPI_INTERNAL)) {
			memcpy(&v, p + off, sizeof(v));
			switch (type) {
			case NDIS_PPI_CSUM:
				out->csum = le32_to_cpu(v);
				out->has_csum = true;
				break;
			case NDIS_PPI_LSO:
				out->lso = le32_to_cpu(v);
				out->has_lso = true;
				break;
			case NDIS_PPI_VLAN:
				out->vlan = le32_to_cpu(v);
				out->has_vlan = true;
				break;
			default:
				/* hash value and others: nothing to do */
				break;
			}
		}
		p += size;
		len -= size;
	}
	return true;
}

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

/* Fill in a TCP/UDP checksum from scratch, pseudo header included */
static int nvsim_tx_l4_csum(struct sk_buff *skb, u32 l3off, u32 l4off,
			    bool v6, u8 proto)
{
	u32 coff = proto == IPPROTO_TCP ? offsetof(struct tcphdr, check) :
					  offsetof(struct udphdr, check);
	u32 hmin = proto == IPPROTO_TCP ? sizeof(struct tcphdr) :
					  sizeof(struct udphdr);
	u32 l4len;
	__sum16 *field, res;
	__wsum sum;

	if (l4off < l3off + sizeof(struct iphdr) || l4off > skb->len ||
	    skb->len - l4off < hmin)
		return -EINVAL;
	if (v6 && l4off < l3off + sizeof(struct ipv6hdr))
		return -EINVAL;
	l4len = skb->len - l4off;
	field = (__sum16 *)(skb->data + l4off + coff);
	*field = 0;
	sum = skb_checksum(skb, l4off, l4len, 0);
	if (v6) {
		const struct ipv6hdr *ip6 = (void *)(skb->data + l3off);

		res = csum_ipv6_magic(&ip6->saddr, &ip6->daddr, l4len, proto, sum);
	} else {
		const struct iphdr *ip4 = (void *)(skb->data + l3off);

		res = csum_tcpudp_magic(ip4->saddr, ip4->daddr, l4len, proto, sum);
	}
	if (proto == IPPROTO_UDP && !res)
		res = CSUM_MANGLED_0;
	*field = res;
	return 0;
}

/* Checksum offload request (NDIS_PPI_CSUM): compute what was asked */
static int nvsim_tx_csum(struct sk_buff *skb, u32 info)
{
	bool v4 = info & NDIS_CSUM_TX_IPV4, v6 = info & NDIS_CSUM_TX_IPV6;
	u32 l3off, l4off = FIELD_GET(NDIS_CSUM_TX_TCP_HDR_OFFSET, info);
	struct iphdr *ip4;
	__be16 proto;
	int ret = 0;

	if (!(info & (NDIS_CSUM_TX_TCP | NDIS_CSUM_TX_UDP | NDIS_CSUM_TX_IP_HDR)))
		return 0;
	l3off = nvsim_tx_l3off(skb, &proto);
	if (v4 == v6 || (v4 && proto != htons(ETH_P_IP)) ||
	    (v6 && proto != htons(ETH_P_IPV6)) ||
	    skb->len < l3off + sizeof(struct iphdr))
		return -EINVAL;
	ip4 = (void *)(skb->data + l3off);
	if (!l4off) {
		if (v4 && ip4->ihl >= 5)
			l4off = l3off + ip4->ihl * 4;
		else
			l4off = l3off + sizeof(struct ipv6hdr);
	}
	if (info & NDIS_CSUM_TX_TCP)
		ret = nvsim_tx_l4_csum(skb, l3off, l4off, v6, IPPROTO_TCP);
	else if (info & NDIS_CSUM_TX_UDP)
		ret = nvsim_tx_l4_csum(skb, l3off, l4off, v6, IPPROTO_UDP);
	if (!ret && v4 && (info & NDIS_CSUM_TX_IP_HDR) && ip4->ihl >= 5 &&
	    skb->len >= l3off + ip4->ihl * 4)
		ip_send_check(ip4);
	if (!ret)
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	return ret;
}

/*
 * LSOv2: the guest zeroed the IPv4 total length and put a pseudo-header
 * sum without length in the TCP checksum (the NDIS convention).  Fix the
 * lengths, seed the checksum the way Linux GSO expects, and mark the frame
 * GSO so that each receiving port cuts it to @mss.
 */
static int nvsim_tx_lso(struct sk_buff *skb, u32 info)
{
	u32 mss = FIELD_GET(NDIS_LSO_MSS, info);
	u32 l4off = FIELD_GET(NDIS_LSO_TCP_HDR_OFFSET, info);
	bool v6 = FIELD_GET(NDIS_LSO_IP_VERSION, info);
	u32 l3off, thlen, payload;
	struct ipv6hdr *ip6;
	struct iphdr *ip4;
	struct tcphdr *th;
	__be16 proto;

	l3off = nvsim_tx_l3off(skb, &proto);
	if (FIELD_GET(NDIS_LSO_TYPE, info) != NDIS_LSO_TYPE_V2 || mss < 8 ||
	    proto != htons(v6 ? ETH_P_IPV6 : ETH_P_IP) ||
	    l4off < l3off + (v6 ? sizeof(*ip6) : sizeof(*ip4)) ||
	    l4off > skb->len || skb->len - l4off < sizeof(*th))
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

/* Most PPI bytes a data message may carry */
#define NVSIM_TX_PPI_MAX	256

/* Build the frame of the data message at @off (@mlen bytes) */
static struct sk_buff *nvsim_tx_build(struct nvsim_chan *chan,
				      const struct nvsim_txsrc *src, u32 off,
				      u32 mlen, struct nvsim_tx_ppi *ppi)
{
	u32 body = mlen - RNDIS_HDR_SIZE, doff, dlen, poff, plen;
	u8 pbuf[NVSIM_TX_PPI_MAX];
	struct rndis_pkt pkt;
	struct sk_buff *skb;

	if (nvsim_src_read(src, off + RNDIS_HDR_SIZE, &pkt, sizeof(pkt)))
		return ERR_PTR(-EINVAL);
	doff = le32_to_cpu(pkt.data_offset);
	dlen = le32_to_cpu(pkt.data_len);
	poff = le32_to_cpu(pkt.ppi_offset);
	plen = le32_to_cpu(pkt.ppi_len);
	if (doff > body || dlen > body - doff || dlen < ETH_HLEN ||
	    plen > sizeof(pbuf) ||
	    (plen && (poff < sizeof(pkt) || poff > body || plen > body - poff)))
		return ERR_PTR(-EINVAL);
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
	struct nvsim_tx_ppi ppi;
	struct sk_buff *skb;
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
	}
	if (ppi.has_lso && ppi.lso) {
		ret = nvsim_tx_lso(skb, ppi.lso);
		WRITE_ONCE(chan->tx_lso, chan->tx_lso + 1);
	} else if (ppi.has_csum) {
		ret = nvsim_tx_csum(skb, ppi.csum);
		if (skb->ip_summed == CHECKSUM_UNNECESSARY)
			WRITE_ONCE(chan->tx_csum, chan->tx_csum + 1);
	} else {
		ret = 0;
	}
	if (ret) {
		kfree_skb(skb);
		return ret;
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
