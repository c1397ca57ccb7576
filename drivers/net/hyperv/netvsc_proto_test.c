// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the checks of what the host sends (netvsc_proto.c), fed
 * mock host messages built in local buffers: good input, truncated input,
 * lengths and offsets that point outside the message, and values chosen to
 * overflow 32-bit arithmetic.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "netvsc_compat.h"
#include "netvsc_build.h"
#include "netvsc_proto.h"

static void netvsc_test_versions(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, netvsc_ndis_version(NVSP_PROTO_VERSION_61),
			NDIS_VERSION_6_30);
	KUNIT_EXPECT_EQ(test, netvsc_ndis_version(NVSP_PROTO_VERSION_5),
			NDIS_VERSION_6_30);
	KUNIT_EXPECT_EQ(test, netvsc_ndis_version(NVSP_PROTO_VERSION_4),
			NDIS_VERSION_6_1);
	KUNIT_EXPECT_EQ(test, netvsc_ndis_version(NVSP_PROTO_VERSION_1),
			NDIS_VERSION_6_1);
	KUNIT_EXPECT_EQ(test, netvsc_nvsp_body_min(NVSP_MSG_INIT_COMP), 12);
	KUNIT_EXPECT_EQ(test, netvsc_nvsp_body_min(NVSP_MSG_NONE), 0);
}

static void netvsc_fill_recv_comp(struct nvsp_msg *m, u32 status, u32 nsec,
				  u32 off, u32 size, u32 cnt)
{
	struct nvsp_msg_recv_buf_comp *c = &m->body.recv_buf_comp;

	memset(m, 0, sizeof(*m));
	c->status = cpu_to_le32(status);
	c->num_sections = cpu_to_le32(nsec);
	c->sections[0].offset = cpu_to_le32(off);
	c->sections[0].sub_alloc_size = cpu_to_le32(size);
	c->sections[0].num_sub_allocs = cpu_to_le32(cnt);
}

static void netvsc_test_recv_buf_comp(struct kunit *test)
{
	const u32 buf = 16 * 1024 * 1024;
	struct nvsp_msg m;
	u32 size, cnt;

	netvsc_fill_recv_comp(&m, NVSP_STATUS_SUCCESS, 1, 0, 1728, 9709);
	KUNIT_EXPECT_EQ(test, netvsc_recv_buf_comp_check(&m.body.recv_buf_comp,
							 36, buf, &size, &cnt), 0);
	KUNIT_EXPECT_EQ(test, size, 1728);
	KUNIT_EXPECT_EQ(test, cnt, 9709);

	/* refused, two sections, offset, tiny sections, too many */
	netvsc_fill_recv_comp(&m, NVSP_STATUS_FAIL, 1, 0, 1728, 9709);
	KUNIT_EXPECT_EQ(test, netvsc_recv_buf_comp_check(&m.body.recv_buf_comp,
							 36, buf, &size, &cnt), -EIO);
	netvsc_fill_recv_comp(&m, NVSP_STATUS_SUCCESS, 2, 0, 1728, 9709);
	KUNIT_EXPECT_EQ(test, netvsc_recv_buf_comp_check(&m.body.recv_buf_comp,
							 36, buf, &size, &cnt), -EPROTO);
	netvsc_fill_recv_comp(&m, NVSP_STATUS_SUCCESS, 1, 64, 1728, 9709);
	KUNIT_EXPECT_EQ(test, netvsc_recv_buf_comp_check(&m.body.recv_buf_comp,
							 36, buf, &size, &cnt), -EPROTO);
	netvsc_fill_recv_comp(&m, NVSP_STATUS_SUCCESS, 1, 0, 67, 9709);
	KUNIT_EXPECT_EQ(test, netvsc_recv_buf_comp_check(&m.body.recv_buf_comp,
							 36, buf, &size, &cnt), -EPROTO);
	netvsc_fill_recv_comp(&m, NVSP_STATUS_SUCCESS, 1, 0, 1728, 9710);
	KUNIT_EXPECT_EQ(test, netvsc_recv_buf_comp_check(&m.body.recv_buf_comp,
							 36, buf, &size, &cnt), -EPROTO);
	/* size * count wraps 32 bits */
	netvsc_fill_recv_comp(&m, NVSP_STATUS_SUCCESS, 1, 0, 0x80000000, 2);
	KUNIT_EXPECT_EQ(test, netvsc_recv_buf_comp_check(&m.body.recv_buf_comp,
							 36, buf, &size, &cnt), -EPROTO);
	netvsc_fill_recv_comp(&m, NVSP_STATUS_SUCCESS, 1, 0, 1728, 0);
	KUNIT_EXPECT_EQ(test, netvsc_recv_buf_comp_check(&m.body.recv_buf_comp,
							 36, buf, &size, &cnt), -EPROTO);
	/* truncated: the section is not there */
	netvsc_fill_recv_comp(&m, NVSP_STATUS_SUCCESS, 1, 0, 1728, 9709);
	KUNIT_EXPECT_EQ(test, netvsc_recv_buf_comp_check(&m.body.recv_buf_comp,
							 8, buf, &size, &cnt), -EPROTO);
}

static void netvsc_test_send_buf_comp(struct kunit *test)
{
	struct nvsp_msg_send_buf_comp c = {
		.status = cpu_to_le32(NVSP_STATUS_SUCCESS),
		.section_size = cpu_to_le32(6144),
	};
	u32 size, cnt;

	KUNIT_EXPECT_EQ(test, netvsc_send_buf_comp_check(&c, SZ_1M, &size,
							 &cnt), 0);
	KUNIT_EXPECT_EQ(test, size, 6144);
	KUNIT_EXPECT_EQ(test, cnt, SZ_1M / 6144);
	c.section_size = cpu_to_le32(0);
	KUNIT_EXPECT_EQ(test, netvsc_send_buf_comp_check(&c, SZ_1M, &size,
							 &cnt), -EPROTO);
	c.section_size = cpu_to_le32(SZ_1M + 1);
	KUNIT_EXPECT_EQ(test, netvsc_send_buf_comp_check(&c, SZ_1M, &size,
							 &cnt), -EPROTO);
	c.section_size = cpu_to_le32(6144);
	c.status = cpu_to_le32(NVSP_STATUS_BUSY);
	KUNIT_EXPECT_EQ(test, netvsc_send_buf_comp_check(&c, SZ_1M, &size,
							 &cnt), -EIO);
}

static void netvsc_test_send_table(struct kunit *test)
{
	u8 buf[sizeof(struct nvsp_msg) + NVSP_SEND_TABLE_SIZE * 4] = {};
	struct nvsp_msg *m = (void *)buf;
	u32 table[NVSP_SEND_TABLE_SIZE];
	int i;

	m->type = cpu_to_le32(NVSP_MSG_SEND_INDIRECTION_TABLE);
	m->body.send_table.count = cpu_to_le32(NVSP_SEND_TABLE_SIZE);
	m->body.send_table.offset = cpu_to_le32(sizeof(*m));
	for (i = 0; i < NVSP_SEND_TABLE_SIZE; i++)
		put_unaligned_le32(i % 3, buf + sizeof(*m) + 4 * i);

	KUNIT_EXPECT_EQ(test, netvsc_send_table_parse(buf, sizeof(buf),
						      NVSP_PROTO_VERSION_61,
						      table), 0);
	KUNIT_EXPECT_EQ(test, table[5], 2);
	/* legacy hosts: offset ignored, table right after the message */
	m->body.send_table.offset = cpu_to_le32(12);
	KUNIT_EXPECT_EQ(test, netvsc_send_table_parse(buf, sizeof(buf),
						      NVSP_PROTO_VERSION_6,
						      table), 0);
	KUNIT_EXPECT_EQ(test, table[15], 0);
	/* offset past the message, wrapping offset, short, wrong count */
	m->body.send_table.offset = cpu_to_le32(sizeof(*m) + 4);
	KUNIT_EXPECT_EQ(test, netvsc_send_table_parse(buf, sizeof(buf),
						      NVSP_PROTO_VERSION_61,
						      table), -EPROTO);
	m->body.send_table.offset = cpu_to_le32(0xfffffff0);
	KUNIT_EXPECT_EQ(test, netvsc_send_table_parse(buf, sizeof(buf),
						      NVSP_PROTO_VERSION_61,
						      table), -EPROTO);
	KUNIT_EXPECT_EQ(test, netvsc_send_table_parse(buf, 8,
						      NVSP_PROTO_VERSION_61,
						      table), -EPROTO);
	m->body.send_table.offset = cpu_to_le32(sizeof(*m));
	m->body.send_table.count = cpu_to_le32(NVSP_SEND_TABLE_SIZE + 1);
	KUNIT_EXPECT_EQ(test, netvsc_send_table_parse(buf, sizeof(buf),
						      NVSP_PROTO_VERSION_61,
						      table), -EPROTO);
}

/* A transfer-page packet with @n ranges and the NVSP message after them. */
static u32 netvsc_build_xfer(u8 *buf, u32 n, u16 pageset, u32 type)
{
	struct vmtransfer_page_packet_header *x = (void *)buf;
	u32 data = NVSP_XFER_PKT_SIZE(n);
	struct nvsp_msg *m = (void *)(buf + data);
	u32 i;

	x->d.type = VM_PKT_DATA_USING_XFER_PAGES;
	x->d.offset8 = data >> 3;
	x->d.len8 = (data + sizeof(*m)) >> 3;
	x->xfer_pageset_id = pageset;
	x->range_cnt = n;
	for (i = 0; i < n; i++) {
		x->ranges[i].byte_offset = i * 1728;
		x->ranges[i].byte_count = 100;
	}
	memset(m, 0, sizeof(*m));
	m->type = cpu_to_le32(type);
	return data + sizeof(*m);
}

static void netvsc_test_xfer(struct kunit *test)
{
	const u32 bufsz = 1728 * 4;
	struct vmtransfer_page_packet_header *x;
	u8 *buf;
	u32 len;

	buf = kunit_kzalloc(test, 4096, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	x = (void *)buf;

	len = netvsc_build_xfer(buf, 4, NVSP_RECV_BUF_ID,
				NVSP_MSG_SEND_RNDIS_PKT);
	KUNIT_EXPECT_EQ(test, netvsc_xfer_check(x, len, bufsz, 562), 0);
	/* the NVSP message must hold at least its RNDIS_PKT body */
	KUNIT_EXPECT_EQ(test, netvsc_xfer_check(x, len - 24, bufsz, 562), 0);
	KUNIT_EXPECT_EQ(test, netvsc_xfer_check(x, len - 25, bufsz, 562),
			-EPROTO);
	KUNIT_EXPECT_EQ(test, netvsc_xfer_check(x, len, bufsz, 3), -EPROTO);
	KUNIT_EXPECT_EQ(test, netvsc_xfer_check(x, 16, bufsz, 562), -EPROTO);

	x->ranges[3].byte_offset = bufsz - 99;
	KUNIT_EXPECT_EQ(test, netvsc_xfer_check(x, len, bufsz, 562), -EPROTO);
	x->ranges[3].byte_offset = 0xffffffff;
	x->ranges[3].byte_count = 2;
	KUNIT_EXPECT_EQ(test, netvsc_xfer_check(x, len, bufsz, 562), -EPROTO);
	x->ranges[3].byte_offset = 0;
	x->ranges[3].byte_count = 4;	/* shorter than an RNDIS header */
	KUNIT_EXPECT_EQ(test, netvsc_xfer_check(x, len, bufsz, 562), -EPROTO);

	len = netvsc_build_xfer(buf, 1, 0xbeef, NVSP_MSG_SEND_RNDIS_PKT);
	KUNIT_EXPECT_EQ(test, netvsc_xfer_check(x, len, bufsz, 562), -EPROTO);
	len = netvsc_build_xfer(buf, 1, NVSP_RECV_BUF_ID, NVSP_MSG_INIT);
	KUNIT_EXPECT_EQ(test, netvsc_xfer_check(x, len, bufsz, 562), -EPROTO);
	len = netvsc_build_xfer(buf, 0, NVSP_RECV_BUF_ID,
				NVSP_MSG_SEND_RNDIS_PKT);
	KUNIT_EXPECT_EQ(test, netvsc_xfer_check(x, len, bufsz, 562), -EPROTO);
	/* data offset pointing into the ranges */
	len = netvsc_build_xfer(buf, 2, NVSP_RECV_BUF_ID,
				NVSP_MSG_SEND_RNDIS_PKT);
	x->d.offset8 = NVSP_XFER_HDR_SIZE >> 3;
	KUNIT_EXPECT_EQ(test, netvsc_xfer_check(x, len, bufsz, 562), -EPROTO);
}

static void netvsc_fill_pkt(struct rndis_msg *m, u32 msg_len, u32 doff,
			    u32 dlen, u32 poff, u32 plen)
{
	memset(m, 0, sizeof(*m));
	m->hdr.msg_type = cpu_to_le32(RNDIS_MSG_PACKET);
	m->hdr.msg_len = cpu_to_le32(msg_len);
	m->body.pkt.data_offset = cpu_to_le32(doff);
	m->body.pkt.data_len = cpu_to_le32(dlen);
	m->body.pkt.ppi_offset = cpu_to_le32(poff);
	m->body.pkt.ppi_len = cpu_to_le32(plen);
}

static void netvsc_test_rndis_pkt(struct kunit *test)
{
	struct netvsc_rx_pkt pkt;
	struct rndis_msg m;

	netvsc_fill_pkt(&m, 44 + 32 + 60, 36 + 32, 60, 36, 32);
	KUNIT_EXPECT_EQ(test, netvsc_rndis_msg_check(&m, 200), 0);
	KUNIT_EXPECT_EQ(test, netvsc_rndis_pkt_check(&m, &pkt), 0);
	KUNIT_EXPECT_EQ(test, pkt.data_off, 8 + 36 + 32);
	KUNIT_EXPECT_EQ(test, pkt.data_len, 60);
	KUNIT_EXPECT_EQ(test, pkt.ppi_off, 44);
	KUNIT_EXPECT_EQ(test, pkt.ppi_len, 32);

	/* message longer than the range, or shorter than a header */
	KUNIT_EXPECT_EQ(test, netvsc_rndis_msg_check(&m, 135), -EPROTO);
	m.hdr.msg_len = cpu_to_le32(4);
	KUNIT_EXPECT_EQ(test, netvsc_rndis_msg_check(&m, 200), -EPROTO);
	KUNIT_EXPECT_EQ(test, netvsc_rndis_msg_check(&m, 4), -EPROTO);

	/* frame one byte past the end, wrapping offset, empty frame */
	netvsc_fill_pkt(&m, 136, 36 + 32, 61, 36, 32);
	KUNIT_EXPECT_EQ(test, netvsc_rndis_pkt_check(&m, &pkt), -EPROTO);
	netvsc_fill_pkt(&m, 136, 0xfffffff8, 16, 36, 32);
	KUNIT_EXPECT_EQ(test, netvsc_rndis_pkt_check(&m, &pkt), -EPROTO);
	netvsc_fill_pkt(&m, 136, 68, 0, 36, 32);
	KUNIT_EXPECT_EQ(test, netvsc_rndis_pkt_check(&m, &pkt), -EPROTO);
	/* PPIs outside, or more than we copy */
	netvsc_fill_pkt(&m, 136, 68, 60, 0xffffffff, 32);
	KUNIT_EXPECT_EQ(test, netvsc_rndis_pkt_check(&m, &pkt), -EPROTO);
	netvsc_fill_pkt(&m, 44 + 300 + 60, 36 + 300, 60, 36, 300);
	KUNIT_EXPECT_EQ(test, netvsc_rndis_pkt_check(&m, &pkt), -EPROTO);
	/* too short for a data message */
	netvsc_fill_pkt(&m, 40, 36, 4, 0, 0);
	KUNIT_EXPECT_EQ(test, netvsc_rndis_pkt_check(&m, &pkt), -EPROTO);
	/* PPIs over the packet header's own fields */
	netvsc_fill_pkt(&m, 44 + 32 + 60, 36 + 32, 60, 35, 32);
	KUNIT_EXPECT_EQ(test, netvsc_rndis_pkt_check(&m, &pkt), -EPROTO);
	netvsc_fill_pkt(&m, 44 + 32 + 60, 36 + 32, 60, 0, 32);
	KUNIT_EXPECT_EQ(test, netvsc_rndis_pkt_check(&m, &pkt), -EPROTO);
}

static void netvsc_test_ppi(struct kunit *test)
{
	struct netvsc_rx_info info;
	struct rndis_ppi *rec;
	u8 buf[96] = {};
	u32 len = 0;

	len = netvsc_ppi_append(buf, len, NDIS_PPI_CSUM,
				NDIS_CSUM_RX_TCP_OK | NDIS_CSUM_RX_IP_OK);
	len = netvsc_ppi_append(buf, len, NDIS_PPI_VLAN,
				FIELD_PREP(NDIS_VLAN_ID, 100) |
				FIELD_PREP(NDIS_VLAN_PRI, 5));
	len = netvsc_ppi_append(buf, len, NDIS_PPI_HASH_VALUE, 0xdeadbeef);
	len = netvsc_ppi_append(buf, len, 42, 7);	/* unknown: skipped */
	KUNIT_ASSERT_EQ(test, len, 64);

	/* an internal packet-id record for an RSC fragment */
	rec = (void *)(buf + len);
	rec->size = cpu_to_le32(16);
	rec->type = cpu_to_le32(RNDIS_PPI_INTERNAL | RNDIS_PPI_PKT_ID);
	rec->ppi_offset = cpu_to_le32(12);
	buf[len + 12] = RNDIS_PPI_PKT_ID_V1;
	buf[len + 13] = RNDIS_PPI_PKT_ID_SUBALLOC | RNDIS_PPI_PKT_ID_FIRST_FRAG;
	len += 16;

	KUNIT_EXPECT_EQ(test, netvsc_ppi_parse(buf, len, &info), 0);
	KUNIT_EXPECT_TRUE(test, info.has_csum);
	KUNIT_EXPECT_EQ(test, info.csum,
			NDIS_CSUM_RX_TCP_OK | NDIS_CSUM_RX_IP_OK);
	KUNIT_EXPECT_TRUE(test, info.has_vlan);
	KUNIT_EXPECT_EQ(test, info.vlan_tci, (5 << 13) | 100);
	KUNIT_EXPECT_TRUE(test, info.has_hash);
	KUNIT_EXPECT_EQ(test, info.hash, 0xdeadbeef);
	KUNIT_EXPECT_TRUE(test, info.has_pkt_id);
	KUNIT_EXPECT_EQ(test, info.pkt_id_flags,
			RNDIS_PPI_PKT_ID_SUBALLOC | RNDIS_PPI_PKT_ID_FIRST_FRAG);
	KUNIT_EXPECT_FALSE(test, info.has_hash_info);

	/* truncated area, zero-size record (would loop), value outside */
	KUNIT_EXPECT_EQ(test, netvsc_ppi_parse(buf, len - 1, &info), -EPROTO);
	KUNIT_EXPECT_EQ(test, netvsc_ppi_parse(buf, 8, &info), -EPROTO);
	rec = (void *)buf;
	rec->size = 0;
	KUNIT_EXPECT_EQ(test, netvsc_ppi_parse(buf, len, &info), -EPROTO);
	rec->size = cpu_to_le32(16);
	rec->ppi_offset = cpu_to_le32(13);
	KUNIT_EXPECT_EQ(test, netvsc_ppi_parse(buf, len, &info), -EPROTO);
	rec->ppi_offset = cpu_to_le32(0xfffffffc);
	KUNIT_EXPECT_EQ(test, netvsc_ppi_parse(buf, len, &info), -EPROTO);
	rec->ppi_offset = cpu_to_le32(4);
	KUNIT_EXPECT_EQ(test, netvsc_ppi_parse(buf, len, &info), -EPROTO);
	rec->ppi_offset = cpu_to_le32(12);
	rec->size = cpu_to_le32(0x7ffffff0);
	KUNIT_EXPECT_EQ(test, netvsc_ppi_parse(buf, len, &info), -EPROTO);
	KUNIT_EXPECT_EQ(test, netvsc_ppi_parse(buf, 0, &info), 0);
}

static void netvsc_test_query_info(struct kunit *test)
{
	u8 buf[64] = {};
	struct rndis_msg *m = (void *)buf;
	u32 off, len;

	m->hdr.msg_type = cpu_to_le32(RNDIS_MSG_QUERY_C);
	m->hdr.msg_len = cpu_to_le32(30);
	m->body.query_comp.status = cpu_to_le32(RNDIS_STATUS_SUCCESS);
	m->body.query_comp.info_buf_offset = cpu_to_le32(16);
	m->body.query_comp.info_buflen = cpu_to_le32(6);
	KUNIT_EXPECT_EQ(test, netvsc_query_info(m, 30, &off, &len), 0);
	KUNIT_EXPECT_EQ(test, off, 24);
	KUNIT_EXPECT_EQ(test, len, 6);
	KUNIT_EXPECT_EQ(test, netvsc_query_info(m, 29, &off, &len), -EPROTO);
	KUNIT_EXPECT_EQ(test, netvsc_query_info(m, 20, &off, &len), -EPROTO);
	m->body.query_comp.info_buflen = cpu_to_le32(0xffffffff);
	KUNIT_EXPECT_EQ(test, netvsc_query_info(m, 30, &off, &len), -EPROTO);
	/* information over the status and length fields */
	m->body.query_comp.info_buflen = cpu_to_le32(6);
	m->body.query_comp.info_buf_offset = cpu_to_le32(8);
	KUNIT_EXPECT_EQ(test, netvsc_query_info(m, 30, &off, &len), -EPROTO);
	m->body.query_comp.info_buf_offset = cpu_to_le32(15);
	KUNIT_EXPECT_EQ(test, netvsc_query_info(m, 30, &off, &len), -EPROTO);
	m->body.query_comp.status = cpu_to_le32(RNDIS_STATUS_NOT_SUPPORTED);
	KUNIT_EXPECT_EQ(test, netvsc_query_info(m, 30, &off, &len), -EIO);
	KUNIT_EXPECT_EQ(test, netvsc_rndis_comp_min(RNDIS_MSG_SET_C), 16);
	KUNIT_EXPECT_EQ(test, netvsc_rndis_comp_min(RNDIS_MSG_INIT_C), 52);
}

static void netvsc_test_indicate(struct kunit *test)
{
	u8 buf[64] = {};
	struct rndis_msg *m = (void *)buf;
	u32 status, speed = 0;

	m->hdr.msg_type = cpu_to_le32(RNDIS_MSG_INDICATE);
	m->body.indicate.status = cpu_to_le32(RNDIS_STATUS_LINK_SPEED_CHANGE);
	m->body.indicate.status_buf_offset = cpu_to_le32(12);
	m->body.indicate.status_buflen = cpu_to_le32(4);
	put_unaligned_le32(100000000, buf + 20);	/* 10 Gb/s */
	KUNIT_EXPECT_EQ(test, netvsc_indicate_parse(m, 24, &status, &speed), 0);
	KUNIT_EXPECT_EQ(test, speed, 10000);
	KUNIT_EXPECT_EQ(test, netvsc_indicate_parse(m, 23, &status, &speed),
			-EPROTO);
	m->body.indicate.status_buf_offset = cpu_to_le32(0xfffffffe);
	KUNIT_EXPECT_EQ(test, netvsc_indicate_parse(m, 24, &status, &speed),
			-EPROTO);
	m->body.indicate.status = cpu_to_le32(RNDIS_STATUS_MEDIA_CONNECT);
	/* a status buffer outside the message, whatever the status */
	KUNIT_EXPECT_EQ(test, netvsc_indicate_parse(m, 24, &status, &speed),
			-EPROTO);
	m->body.indicate.status_buf_offset = cpu_to_le32(12);
	KUNIT_EXPECT_EQ(test, netvsc_indicate_parse(m, 23, &status, &speed),
			-EPROTO);
	m->body.indicate.status_buflen = 0;
	KUNIT_EXPECT_EQ(test, netvsc_indicate_parse(m, 20, &status, &speed), 0);
	KUNIT_EXPECT_EQ(test, status, RNDIS_STATUS_MEDIA_CONNECT);
	KUNIT_EXPECT_EQ(test, netvsc_indicate_parse(m, 19, &status, &speed),
			-EPROTO);
}

static void netvsc_test_caps(struct kunit *test)
{
	struct ndis_offload_caps hw = {};
	struct netvsc_hw_caps caps;

	hw.csum.ip4_txcsum = cpu_to_le32(NDIS_CSUM_CAP_TCP4 |
					 NDIS_CSUM_CAP_TCP4OPT |
					 NDIS_CSUM_CAP_UDP4);
	hw.csum.ip6_txcsum = cpu_to_le32(NDIS_CSUM_CAP_TCP6 |
					 NDIS_CSUM_CAP_TCP6OPT |
					 NDIS_CSUM_CAP_IP6EXT);
	hw.lsov2.ip4_encap = cpu_to_le32(NDIS_ENCAP_8023);
	hw.lsov2.ip4_max_size = cpu_to_le32(62780);
	hw.lsov2.ip6_encap = cpu_to_le32(NDIS_ENCAP_8023);
	hw.lsov2.ip6_max_size = cpu_to_le32(65535);
	hw.lsov2.ip6_opts = cpu_to_le32(NDIS_LSOV2_CAP_IP6_EXT |
					NDIS_LSOV2_CAP_IP6_TCPOPT);
	hw.rsc.ip4 = 1;
	hw.rsc.ip6 = 1;

	netvsc_caps_parse(&hw, sizeof(hw), &caps);
	KUNIT_EXPECT_EQ(test, caps.csum_tx, NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM);
	KUNIT_EXPECT_EQ(test, caps.tso, NETIF_F_TSO | NETIF_F_TSO6);
	KUNIT_EXPECT_EQ(test, caps.tso_max, 62780);
	KUNIT_EXPECT_TRUE(test, caps.udp4_csum);
	KUNIT_EXPECT_FALSE(test, caps.udp6_csum);
	KUNIT_EXPECT_TRUE(test, caps.rsc);

	/* RSC is only there in the NDIS 6.30 layout */
	netvsc_caps_parse(&hw, NDIS_OFFLOAD_CAPS_SIZE_6_1, &caps);
	KUNIT_EXPECT_FALSE(test, caps.rsc);

	/* no TCP option checksum: no IPv4 checksum offload, hence no TSO */
	hw.csum.ip4_txcsum = cpu_to_le32(NDIS_CSUM_CAP_TCP4);
	hw.lsov2.ip6_opts = cpu_to_le32(NDIS_LSOV2_CAP_IP6_EXT);
	netvsc_caps_parse(&hw, sizeof(hw), &caps);
	KUNIT_EXPECT_EQ(test, caps.csum_tx, NETIF_F_IPV6_CSUM);
	KUNIT_EXPECT_EQ(test, caps.tso, 0);
	KUNIT_EXPECT_EQ(test, caps.tso_max, 0);
}

static struct kunit_case netvsc_proto_cases[] = {
	KUNIT_CASE(netvsc_test_versions),
	KUNIT_CASE(netvsc_test_recv_buf_comp),
	KUNIT_CASE(netvsc_test_send_buf_comp),
	KUNIT_CASE(netvsc_test_send_table),
	KUNIT_CASE(netvsc_test_xfer),
	KUNIT_CASE(netvsc_test_rndis_pkt),
	KUNIT_CASE(netvsc_test_ppi),
	KUNIT_CASE(netvsc_test_query_info),
	KUNIT_CASE(netvsc_test_indicate),
	KUNIT_CASE(netvsc_test_caps),
	{}
};

static struct kunit_suite netvsc_proto_suite = {
	.name = "hv_netvsc_proto",
	.test_cases = netvsc_proto_cases,
};

kunit_test_suite(netvsc_proto_suite);
