// SPDX-License-Identifier: GPL-2.0
/*
 * What the host is told about each frame we send: the per-packet info
 * (VLAN tag, checksum offload, LSO with the headers the host expects
 * prepared) and the RNDIS data message header in front of the frame.
 */
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip6_checksum.h>
#include <kunit/visibility.h>

#include "netvsc.h"
#include "netvsc_build.h"
#include "netvsc_tx_info.h"

static void netvsc_tx_lso_prep(struct sk_buff *skb)
{
	/* the host wants the pseudo header without the length */
	if (skb_shinfo(skb)->gso_type & SKB_GSO_TCPV4) {
		struct iphdr *iph = ip_hdr(skb);

		iph->tot_len = 0;
		iph->check = 0;
		tcp_hdr(skb)->check = ~csum_tcpudp_magic(iph->saddr, iph->daddr,
							 0, IPPROTO_TCP, 0);
	} else {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		ip6h->payload_len = 0;
		tcp_hdr(skb)->check = ~csum_ipv6_magic(&ip6h->saddr,
						       &ip6h->daddr, 0,
						       IPPROTO_TCP, 0);
	}
}

/* Checksum request, or -1 when the stack must checksum in software. */
static s64 netvsc_tx_csum_value(const struct netvsc_dev *nvdev,
				struct sk_buff *skb)
{
	bool v6 = skb->protocol == htons(ETH_P_IPV6);
	u32 v = FIELD_PREP(NDIS_CSUM_TX_TCP_HDR_OFFSET,
			   skb_transport_offset(skb));

	if (!v6 && skb->protocol != htons(ETH_P_IP))
		return -1;
	v |= v6 ? NDIS_CSUM_TX_IPV6 : NDIS_CSUM_TX_IPV4;
	if (skb->csum_offset == offsetof(struct tcphdr, check))
		return v | NDIS_CSUM_TX_TCP;
	if (skb->csum_offset == offsetof(struct udphdr, check) &&
	    (v6 ? nvdev->caps.udp6_csum : nvdev->caps.udp4_csum))
		return v | NDIS_CSUM_TX_UDP;
	return -1;
}

/**
 * netvsc_tx_ppis - build the per-packet info of one frame
 * @nvdev: the device (its offload capabilities)
 * @skb: the frame; a GSO frame gets its IP length and TCP checksum
 *	fields prepared for the host, a frame the host cannot checksum is
 *	checksummed here, an 802.1Q tag left in the frame (AF_PACKET) is
 *	moved to the VLAN PPI
 * @ppi: room for RNDIS_TX_PPI_MAX records
 *
 * Return: bytes of PPI records written, or a negative errno.
 */
int netvsc_tx_ppis(const struct netvsc_dev *nvdev, struct sk_buff *skb,
		   u8 *ppi)
{
	u32 len = 0;
	s64 csum;
	u16 tci;

	/* AF_PACKET leaves the tag in the frame; the host takes the PPI only */
	if (!skb_vlan_tag_present(skb) && skb->protocol == htons(ETH_P_8021Q)) {
		skb_reset_mac_header(skb);
		if (eth_hdr(skb)->h_proto == htons(ETH_P_8021Q)) {
			if (__skb_vlan_pop(skb, &tci))
				return -EINVAL;
			__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q), tci);
		}
	}

	if (skb_vlan_tag_present(skb)) {
		tci = skb_vlan_tag_get(skb);

		len = netvsc_ppi_append(ppi, len, NDIS_PPI_VLAN,
					FIELD_PREP(NDIS_VLAN_ID, tci & VLAN_VID_MASK) |
					FIELD_PREP(NDIS_VLAN_PRI, tci >> VLAN_PRIO_SHIFT) |
					FIELD_PREP(NDIS_VLAN_CFI, (tci & VLAN_CFI_MASK) >> 12));
	}

	if (skb_is_gso(skb)) {
		bool v6 = skb_shinfo(skb)->gso_type & SKB_GSO_TCPV6;

		if (!(skb_shinfo(skb)->gso_type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6)))
			return -EPROTONOSUPPORT;
		if (skb_cow_head(skb, RNDIS_TX_HEADROOM))
			return -ENOMEM;
		netvsc_tx_lso_prep(skb);
		return netvsc_ppi_append(ppi, len, NDIS_PPI_LSO,
				      FIELD_PREP(NDIS_LSO_MSS,
						 skb_shinfo(skb)->gso_size) |
				      FIELD_PREP(NDIS_LSO_TCP_HDR_OFFSET,
						 skb_transport_offset(skb)) |
				      FIELD_PREP(NDIS_LSO_TYPE, NDIS_LSO_TYPE_V2) |
				      FIELD_PREP(NDIS_LSO_IP_VERSION, v6 ?
						 NDIS_LSO_IP_VERSION_6 :
						 NDIS_LSO_IP_VERSION_4));
	}

	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return len;
	csum = netvsc_tx_csum_value(nvdev, skb);
	if (csum < 0)
		return skb_checksum_help(skb) ? -EIO : len;
	return netvsc_ppi_append(ppi, len, NDIS_PPI_CSUM, csum);
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_tx_ppis);

/**
 * netvsc_tx_write_hdr - the RNDIS data message header in front of a frame
 * @dst: where the header goes, RNDIS_PKT_MSG_SIZE + @ppi_len bytes
 * @ppi: the frame's per-packet info (netvsc_tx_ppis())
 * @ppi_len: its bytes
 * @frame_len: the frame's bytes, which follow the header
 */
void netvsc_tx_write_hdr(u8 *dst, const u8 *ppi, u32 ppi_len, u32 frame_len)
{
	struct rndis_msg *m = (void *)dst;
	u32 body_len = sizeof(struct rndis_pkt) + ppi_len;

	m->hdr.msg_type = cpu_to_le32(RNDIS_MSG_PACKET);
	m->hdr.msg_len = cpu_to_le32(RNDIS_HDR_SIZE + body_len + frame_len);
	memset(&m->body.pkt, 0, sizeof(m->body.pkt));
	m->body.pkt.data_offset = cpu_to_le32(body_len);
	m->body.pkt.data_len = cpu_to_le32(frame_len);
	if (ppi_len) {
		m->body.pkt.ppi_offset = cpu_to_le32(sizeof(struct rndis_pkt));
		m->body.pkt.ppi_len = cpu_to_le32(ppi_len);
		memcpy(dst + RNDIS_PKT_MSG_SIZE, ppi, ppi_len);
	}
}
