// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the per-packet info the transmit path builds
 * (netvsc_tx_ppis() in netvsc_tx.c), fed skbs laid out as the stack hands
 * them to ndo_start_xmit: a TCP GSO frame over IPv4 and over IPv6, TCP and
 * UDP frames asking for a checksum, one the host cannot checksum, and one
 * with its 802.1Q tag in the frame.  The
 * expected words are spelt out bit by bit from the NDIS definitions of
 * the LSOv2, checksum and 802.1Q infos, not built with the masks the
 * driver uses, so a wrong mask fails too.
 */
#include <kunit/test.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/module.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>

#include "netvsc.h"
#include "netvsc_tx_info.h"

/* NDIS per-packet info types (NDIS_NET_BUFFER_LIST_INFO) */
#define NETVSC_TEST_PPI_CSUM		0
#define NETVSC_TEST_PPI_LSO		2
#define NETVSC_TEST_PPI_VLAN		6

#define NETVSC_TEST_PAYLOAD		3000

KUNIT_DEFINE_ACTION_WRAPPER(netvsc_tx_test_skb_free, kfree_skb,
			    struct sk_buff *);

/*
 * An Ethernet frame with an IPv4 or IPv6 header, a TCP or UDP header and
 * NETVSC_TEST_PAYLOAD bytes, freed when the test ends.
 */
static struct sk_buff *netvsc_tx_test_skb(struct kunit *test, bool v6,
					  u8 l4proto)
{
	u32 l3len = v6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr);
	u32 l4len = l4proto == IPPROTO_TCP ? sizeof(struct tcphdr) :
					     sizeof(struct udphdr);
	struct sk_buff *skb;
	struct ethhdr *eth;

	skb = alloc_skb(RNDIS_TX_HEADROOM + ETH_HLEN + l3len + l4len +
			NETVSC_TEST_PAYLOAD, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							netvsc_tx_test_skb_free,
							skb), 0);
	skb_reserve(skb, RNDIS_TX_HEADROOM);
	skb_reset_mac_header(skb);
	eth = skb_put_zero(skb, ETH_HLEN);
	eth->h_proto = htons(v6 ? ETH_P_IPV6 : ETH_P_IP);
	skb->protocol = eth->h_proto;

	skb_set_network_header(skb, skb->len);
	if (v6) {
		struct ipv6hdr *ip6h = skb_put_zero(skb, l3len);

		ip6h->version = 6;
		ip6h->nexthdr = l4proto;
		ip6h->hop_limit = 64;
		ip6h->payload_len = htons(l4len + NETVSC_TEST_PAYLOAD);
		ip6h->saddr.s6_addr[15] = 1;
		ip6h->daddr.s6_addr[15] = 2;
	} else {
		struct iphdr *iph = skb_put_zero(skb, l3len);

		iph->version = 4;
		iph->ihl = 5;
		iph->ttl = 64;
		iph->protocol = l4proto;
		iph->tot_len = htons(l3len + l4len + NETVSC_TEST_PAYLOAD);
		iph->saddr = htonl(0x0a000001);
		iph->daddr = htonl(0x0a000002);
	}

	skb_set_transport_header(skb, skb->len);
	if (l4proto == IPPROTO_TCP) {
		struct tcphdr *th = skb_put_zero(skb, l4len);

		th->doff = l4len / 4;
	} else {
		struct udphdr *uh = skb_put_zero(skb, l4len);

		uh->len = htons(l4len + NETVSC_TEST_PAYLOAD);
	}
	memset(skb_put(skb, NETVSC_TEST_PAYLOAD), 0x5a, NETVSC_TEST_PAYLOAD);
	return skb;
}

/* Ask for a checksum of the L4 header and what follows, as the stack does */
static void netvsc_tx_test_partial(struct kunit *test, struct sk_buff *skb,
				   u8 l4proto)
{
	u16 off = l4proto == IPPROTO_TCP ? offsetof(struct tcphdr, check) :
					   offsetof(struct udphdr, check);

	KUNIT_ASSERT_TRUE(test, skb_partial_csum_set(skb,
						     skb_transport_offset(skb),
						     off));
}

/* Make @skb a TCP GSO frame of @mss-byte segments */
static void netvsc_tx_test_gso(struct sk_buff *skb, bool v6, u16 mss)
{
	skb_shinfo(skb)->gso_size = mss;
	skb_shinfo(skb)->gso_type = v6 ? SKB_GSO_TCPV6 : SKB_GSO_TCPV4;
	skb_shinfo(skb)->gso_segs = DIV_ROUND_UP(NETVSC_TEST_PAYLOAD, mss);
}

/* Check the header of the PPI record at @off and return its value */
static u32 netvsc_tx_test_rec(struct kunit *test, const u8 *ppi, u32 off,
			      u32 type)
{
	KUNIT_EXPECT_EQ_MSG(test, get_unaligned_le32(ppi + off), 16,
			    "size of the record at %u", off);
	KUNIT_EXPECT_EQ_MSG(test, get_unaligned_le32(ppi + off + 4), type,
			    "type of the record at %u", off);
	KUNIT_EXPECT_EQ_MSG(test, get_unaligned_le32(ppi + off + 8), 12,
			    "value offset of the record at %u", off);
	return get_unaligned_le32(ppi + off + 12);
}

static struct netvsc_dev *netvsc_tx_test_dev(struct kunit *test, bool udp4,
					     bool udp6)
{
	struct netvsc_dev *nvdev;

	nvdev = kunit_kzalloc(test, sizeof(*nvdev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, nvdev);
	nvdev->caps.udp4_csum = udp4;
	nvdev->caps.udp6_csum = udp6;
	return nvdev;
}

/*
 * LSOv2: MSS in bits 0-19, TCP header offset from the frame start in bits
 * 20-29, bit 30 set for LSOv2, bit 31 set for IPv6.
 */
static void netvsc_tx_ppi_lso_v4(struct kunit *test)
{
	struct netvsc_dev *nvdev = netvsc_tx_test_dev(test, true, true);
	u8 ppi[RNDIS_TX_PPI_SIZE_MAX] = {};
	struct sk_buff *skb;

	skb = netvsc_tx_test_skb(test, false, IPPROTO_TCP);
	netvsc_tx_test_partial(test, skb, IPPROTO_TCP);
	netvsc_tx_test_gso(skb, false, 1448);

	KUNIT_ASSERT_EQ(test, netvsc_tx_ppis(nvdev, skb, ppi), 16);
	KUNIT_EXPECT_EQ(test, netvsc_tx_test_rec(test, ppi, 0,
						 NETVSC_TEST_PPI_LSO),
			1448 | 34 << 20 | BIT(30));
	/* the host fills in each segment's length */
	KUNIT_EXPECT_EQ(test, be16_to_cpu(ip_hdr(skb)->tot_len), 0);
	KUNIT_EXPECT_EQ(test, (__force u16)ip_hdr(skb)->check, 0);
}

static void netvsc_tx_ppi_lso_v6(struct kunit *test)
{
	struct netvsc_dev *nvdev = netvsc_tx_test_dev(test, true, true);
	u8 ppi[RNDIS_TX_PPI_SIZE_MAX] = {};
	struct sk_buff *skb;

	skb = netvsc_tx_test_skb(test, true, IPPROTO_TCP);
	netvsc_tx_test_partial(test, skb, IPPROTO_TCP);
	netvsc_tx_test_gso(skb, true, 1428);
	/* priority 5, VLAN 100: the VLAN record comes first */
	__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q), 5 << 13 | 100);

	KUNIT_ASSERT_EQ(test, netvsc_tx_ppis(nvdev, skb, ppi), 32);
	KUNIT_EXPECT_EQ(test, netvsc_tx_test_rec(test, ppi, 0,
						 NETVSC_TEST_PPI_VLAN),
			5 | 100 << 4);
	KUNIT_EXPECT_EQ(test, netvsc_tx_test_rec(test, ppi, 16,
						 NETVSC_TEST_PPI_LSO),
			1428 | 54 << 20 | BIT(30) | BIT(31));
	KUNIT_EXPECT_EQ(test, be16_to_cpu(ipv6_hdr(skb)->payload_len), 0);
}

/*
 * Checksum request: bit 0 IPv4, bit 1 IPv6, bit 2 TCP, bit 3 UDP, TCP (or
 * UDP) header offset from the frame start in bits 16-25.
 */
static void netvsc_tx_ppi_csum_one(struct kunit *test, bool v6, u8 l4proto,
				   u32 want)
{
	struct netvsc_dev *nvdev = netvsc_tx_test_dev(test, true, true);
	u8 ppi[RNDIS_TX_PPI_SIZE_MAX] = {};
	struct sk_buff *skb;

	skb = netvsc_tx_test_skb(test, v6, l4proto);
	netvsc_tx_test_partial(test, skb, l4proto);
	KUNIT_ASSERT_EQ(test, netvsc_tx_ppis(nvdev, skb, ppi), 16);
	KUNIT_EXPECT_EQ_MSG(test, netvsc_tx_test_rec(test, ppi, 0,
						     NETVSC_TEST_PPI_CSUM),
			    want, "IPv%d, %s", v6 ? 6 : 4,
			    l4proto == IPPROTO_TCP ? "TCP" : "UDP");
	/* the host checksums it: nothing done here */
	KUNIT_EXPECT_EQ(test, (u32)skb->ip_summed, CHECKSUM_PARTIAL);
}

static void netvsc_tx_ppi_csum_v4(struct kunit *test)
{
	netvsc_tx_ppi_csum_one(test, false, IPPROTO_TCP,
			       BIT(0) | BIT(2) | 34 << 16);
	netvsc_tx_ppi_csum_one(test, false, IPPROTO_UDP,
			       BIT(0) | BIT(3) | 34 << 16);
}

static void netvsc_tx_ppi_csum_v6(struct kunit *test)
{
	netvsc_tx_ppi_csum_one(test, true, IPPROTO_TCP,
			       BIT(1) | BIT(2) | 54 << 16);
	netvsc_tx_ppi_csum_one(test, true, IPPROTO_UDP,
			       BIT(1) | BIT(3) | 54 << 16);
}

/* UDP over IPv6 on a host without UDPv6 checksum offload */
static void netvsc_tx_ppi_csum_sw(struct kunit *test)
{
	struct netvsc_dev *nvdev = netvsc_tx_test_dev(test, true, false);
	u8 ppi[RNDIS_TX_PPI_SIZE_MAX] = {};
	struct sk_buff *skb;

	skb = netvsc_tx_test_skb(test, true, IPPROTO_UDP);
	netvsc_tx_test_partial(test, skb, IPPROTO_UDP);
	KUNIT_EXPECT_EQ(test, netvsc_tx_ppis(nvdev, skb, ppi), 0);
	KUNIT_EXPECT_EQ(test, (u32)skb->ip_summed, CHECKSUM_NONE);
	KUNIT_EXPECT_NE(test, (__force u16)udp_hdr(skb)->check, 0);
}

/*
 * A frame that carries its 802.1Q tag in the frame (AF_PACKET): the tag
 * leaves the frame and becomes the VLAN record (priority in bits 0-2, VLAN
 * ID in bits 4-15), as the host takes the tag from the record only.
 */
static void netvsc_tx_ppi_vlan_inband(struct kunit *test)
{
	struct netvsc_dev *nvdev = netvsc_tx_test_dev(test, true, true);
	u8 ppi[RNDIS_TX_PPI_SIZE_MAX] = {};
	struct sk_buff *skb;
	u32 len;

	skb = netvsc_tx_test_skb(test, false, IPPROTO_UDP);
	len = skb->len;
	KUNIT_ASSERT_PTR_EQ(test, vlan_insert_tag_set_proto(skb,
							    htons(ETH_P_8021Q),
							    3 << 13 | 200),
			    skb);
	KUNIT_ASSERT_EQ(test, skb->len, len + VLAN_HLEN);

	KUNIT_ASSERT_EQ(test, netvsc_tx_ppis(nvdev, skb, ppi), 16);
	KUNIT_EXPECT_EQ(test, netvsc_tx_test_rec(test, ppi, 0,
						 NETVSC_TEST_PPI_VLAN),
			3 | 200 << 4);
	KUNIT_EXPECT_EQ(test, skb->len, len);
	KUNIT_EXPECT_EQ(test, ntohs(eth_hdr(skb)->h_proto), ETH_P_IP);
	KUNIT_EXPECT_EQ(test, (u32)ip_hdr(skb)->version, 4);
}

static struct kunit_case netvsc_tx_cases[] = {
	KUNIT_CASE(netvsc_tx_ppi_lso_v4),
	KUNIT_CASE(netvsc_tx_ppi_lso_v6),
	KUNIT_CASE(netvsc_tx_ppi_csum_v4),
	KUNIT_CASE(netvsc_tx_ppi_csum_v6),
	KUNIT_CASE(netvsc_tx_ppi_csum_sw),
	KUNIT_CASE(netvsc_tx_ppi_vlan_inband),
	{}
};

static struct kunit_suite netvsc_tx_suite = {
	.name = "hv_netvsc_tx",
	.test_cases = netvsc_tx_cases,
};

kunit_test_suite(netvsc_tx_suite);
