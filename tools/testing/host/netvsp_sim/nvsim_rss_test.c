// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the simulated host's receive side scaling: the Toeplitz
 * hash against the examples Microsoft publishes in "Verifying the RSS Hash
 * Calculation" (the key every NDIS driver starts with, five IPv4 and three
 * IPv6 flows, each with the address-only and the address+port hash), then
 * the whole path from a frame to its hash: which header fields go in for
 * each hash type the guest enables.
 */

#include <kunit/test.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <linux/unaligned.h>

#include "netvsp_sim.h"

static const u8 nvsim_rk_key[NDIS_RSS_KEY_SIZE] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
	0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
	0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
	0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
	0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

/**
 * struct nvsim_rk_vec - one published example
 * @v6: IPv6 (else IPv4, in the first four bytes of @src / @dst)
 * @src: source address
 * @dst: destination address
 * @sport: source port
 * @dport: destination port
 * @ip: hash over the addresses
 * @l4: hash over the addresses and the ports
 */
struct nvsim_rk_vec {
	bool v6;
	u8 src[16];
	u8 dst[16];
	u16 sport;
	u16 dport;
	u32 ip;
	u32 l4;
};

static const struct nvsim_rk_vec nvsim_rk_vecs[] = {
	{ false, { 66, 9, 149, 187 }, { 161, 142, 100, 80 }, 2794, 1766,
	  0x323e8fc2, 0x51ccc178 },
	{ false, { 199, 92, 111, 2 }, { 65, 69, 140, 83 }, 14230, 4739,
	  0xd718262a, 0xc626b0ea },
	{ false, { 24, 19, 198, 95 }, { 12, 22, 207, 184 }, 12898, 38024,
	  0xd2d0a5de, 0x5c2b394a },
	{ false, { 38, 27, 205, 30 }, { 209, 142, 163, 6 }, 48228, 2217,
	  0x82989176, 0xafc7327f },
	{ false, { 153, 39, 163, 191 }, { 202, 188, 127, 2 }, 44251, 1303,
	  0x5d1809c5, 0x10e828a2 },
	/* 3ffe:2501:200:1fff::7 -> 3ffe:2501:200:3::1 */
	{ true, { 0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x1f, 0xff,
		  0, 0, 0, 0, 0, 0, 0, 0x07 },
	  { 0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x00, 0x03,
	    0, 0, 0, 0, 0, 0, 0, 0x01 }, 2794, 1766, 0x2cc18cd5, 0x40207d3d },
	/* 3ffe:501:8::260:97ff:fe40:efab -> ff02::1 */
	{ true, { 0x3f, 0xfe, 0x05, 0x01, 0x00, 0x08, 0x00, 0x00,
		  0x02, 0x60, 0x97, 0xff, 0xfe, 0x40, 0xef, 0xab },
	  { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01 },
	  14230, 4739, 0x0f0c461c, 0xdde51bbf },
	/* 3ffe:1900:4545:3:200:f8ff:fe21:67cf -> fe80::200:f8ff:fe21:67cf */
	{ true, { 0x3f, 0xfe, 0x19, 0x00, 0x45, 0x45, 0x00, 0x03,
		  0x02, 0x00, 0xf8, 0xff, 0xfe, 0x21, 0x67, 0xcf },
	  { 0xfe, 0x80, 0, 0, 0, 0, 0, 0,
	    0x02, 0x00, 0xf8, 0xff, 0xfe, 0x21, 0x67, 0xcf },
	  44251, 38024, 0x4b61e985, 0x02d1feef },
};

/* The hash input of a vector: addresses, and the ports when @ports */
static u32 nvsim_rk_input(const struct nvsim_rk_vec *v, bool ports, u8 *in)
{
	u32 alen = v->v6 ? 16 : 4;

	memcpy(in, v->src, alen);
	memcpy(in + alen, v->dst, alen);
	if (!ports)
		return 2 * alen;
	put_unaligned_be16(v->sport, in + 2 * alen);
	put_unaligned_be16(v->dport, in + 2 * alen + 2);
	return 2 * alen + 4;
}

static void nvsim_rk_vectors(struct kunit *test)
{
	const struct nvsim_rk_vec *v;
	u8 in[36];
	u32 i, n;

	for (i = 0; i < ARRAY_SIZE(nvsim_rk_vecs); i++) {
		v = &nvsim_rk_vecs[i];
		n = nvsim_rk_input(v, false, in);
		KUNIT_EXPECT_EQ_MSG(test, nvsim_toeplitz(nvsim_rk_key, in, n),
				    v->ip, "example %u, addresses", i);
		n = nvsim_rk_input(v, true, in);
		KUNIT_EXPECT_EQ_MSG(test, nvsim_toeplitz(nvsim_rk_key, in, n),
				    v->l4, "example %u, addresses and ports", i);
	}
}

/* A frame of the vector's flow: Ethernet, IP, then a TCP or UDP header */
static struct sk_buff *nvsim_rk_frame(struct kunit *test,
				      const struct nvsim_rk_vec *v, u8 proto,
				      bool frag)
{
	struct sk_buff *skb = alloc_skb(256, GFP_KERNEL);
	struct ipv6hdr *ip6;
	struct ethhdr *eth;
	struct iphdr *ip4;
	__be16 *ports;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	eth = skb_put_zero(skb, sizeof(*eth));
	eth->h_proto = htons(v->v6 ? ETH_P_IPV6 : ETH_P_IP);
	if (v->v6) {
		ip6 = skb_put_zero(skb, sizeof(*ip6));
		ip6->version = 6;
		ip6->nexthdr = proto;
		memcpy(&ip6->saddr, v->src, 16);
		memcpy(&ip6->daddr, v->dst, 16);
	} else {
		ip4 = skb_put_zero(skb, sizeof(*ip4));
		ip4->version = 4;
		ip4->ihl = 5;
		ip4->protocol = proto;
		if (frag)
			ip4->frag_off = htons(IP_MF);
		memcpy(&ip4->saddr, v->src, 4);
		memcpy(&ip4->daddr, v->dst, 4);
	}
	ports = skb_put_zero(skb, proto == IPPROTO_TCP ? sizeof(struct tcphdr) :
						       sizeof(struct udphdr));
	ports[0] = htons(v->sport);
	ports[1] = htons(v->dport);
	return skb;
}

/* What goes into the hash of a frame for each set of enabled hash types */
static void nvsim_rk_frames(struct kunit *test)
{
	const u32 all = NDIS_RSS_HASH_IPV4 | NDIS_RSS_HASH_TCP_IPV4 |
			NDIS_RSS_HASH_IPV6 | NDIS_RSS_HASH_TCP_IPV6;
	const struct nvsim_rk_vec *v;
	struct nvsim_rss *rss;
	struct sk_buff *skb;
	u32 i, hash;

	rss = kunit_kzalloc(test, sizeof(*rss), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, rss);
	memcpy(rss->key, nvsim_rk_key, sizeof(rss->key));
	rss->n = 1;
	for (i = 0; i < ARRAY_SIZE(nvsim_rk_vecs); i++) {
		v = &nvsim_rk_vecs[i];

		/* TCP with its type enabled: 4-tuple */
		skb = nvsim_rk_frame(test, v, IPPROTO_TCP, false);
		rss->hash_info = all;
		KUNIT_EXPECT_TRUE(test, nvsim_rx_flow_hash(rss, skb, &hash));
		KUNIT_EXPECT_EQ_MSG(test, hash, v->l4, "example %u, TCP", i);
		/* TCP with only the IP type: 2-tuple */
		rss->hash_info = v->v6 ? NDIS_RSS_HASH_IPV6 : NDIS_RSS_HASH_IPV4;
		KUNIT_EXPECT_TRUE(test, nvsim_rx_flow_hash(rss, skb, &hash));
		KUNIT_EXPECT_EQ_MSG(test, hash, v->ip, "example %u, TCP by IP", i);
		/* only the other family enabled: no hash */
		rss->hash_info = v->v6 ? NDIS_RSS_HASH_IPV4 : NDIS_RSS_HASH_IPV6;
		KUNIT_EXPECT_FALSE(test, nvsim_rx_flow_hash(rss, skb, &hash));
		kfree_skb(skb);

		/* UDP: no UDP type enabled, so the addresses only */
		skb = nvsim_rk_frame(test, v, IPPROTO_UDP, false);
		rss->hash_info = all;
		KUNIT_EXPECT_TRUE(test, nvsim_rx_flow_hash(rss, skb, &hash));
		KUNIT_EXPECT_EQ_MSG(test, hash, v->ip, "example %u, UDP", i);
		kfree_skb(skb);

		if (v->v6)
			continue;
		/* an IPv4 fragment has no ports to hash */
		skb = nvsim_rk_frame(test, v, IPPROTO_TCP, true);
		KUNIT_EXPECT_TRUE(test, nvsim_rx_flow_hash(rss, skb, &hash));
		KUNIT_EXPECT_EQ_MSG(test, hash, v->ip, "example %u, fragment", i);
		kfree_skb(skb);
	}
}

static struct kunit_case nvsim_rk_cases[] = {
	KUNIT_CASE(nvsim_rk_vectors),
	KUNIT_CASE(nvsim_rk_frames),
	{}
};

static struct kunit_suite nvsim_rk_suite = {
	.name = "netvsp_sim_rss",
	.test_cases = nvsim_rk_cases,
};

kunit_test_suite(nvsim_rk_suite);
