// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for netvsp_sim: a misbehaving guest.
 *
 * This file owns netvsp_sim_kunit.ko, which plays a broken netvsc guest on
 * a NIC of its own: it opens the NIC's primary channel through the guest
 * side of vmbus_sim and sends truncated messages, unknown types, bad
 * versions, unknown GPADLs, bad send-section indexes, GPA ranges outside
 * guest memory and malformed RNDIS, and checks that each gets the error
 * completion Hyper-V would send and is counted in bad_messages, exactly
 * once.  Load it while no netvsc driver is registered on vmbus_sim (the NIC
 * must stay unbound); a NIC that gets a driver fails the suite.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/hyperv.h>
#include <linux/module.h>
#include <linux/vmalloc.h>

#include "netvsp_sim.h"

#define NVSIM_KT_NIC		63
#define NVSIM_KT_RING		VMBUS_RING_SIZE(64 * 1024)

/**
 * struct nvsim_kt - state of the fake guest
 * @nic: the NIC it plays the guest of
 * @chan: the guest's primary channel
 * @done: a packet came from the host
 * @reply: its payload
 * @len: payload length
 * @bad: bad_messages at the last check
 */
struct nvsim_kt {
	struct nvsim_nic *nic;
	struct vmbus_channel *chan;
	struct completion done;
	u8 reply[256];
	u32 len;
	s64 bad;
};

static void nvsim_kt_cb(void *ctx)
{
	struct nvsim_kt *t = ctx;
	u32 len;
	u64 id;

	while (!vmbus_recvpacket(t->chan, t->reply, sizeof(t->reply), &len,
				 &id) && len) {
		t->len = len;
		complete(&t->done);
	}
}

/*
 * Send @msg inband asking for a completion; return the reply's status.
 * VMBus pads every packet to 8 bytes, so a "2-byte" message arrives as 8.
 */
static u32 nvsim_kt_xact(struct kunit *test, struct nvsim_kt *t,
			 const void *msg, u32 len, u32 want_type)
{
	struct nvsp_msg reply;
	int ret;

	reinit_completion(&t->done);
	ret = vmbus_sendpacket(t->chan, (void *)msg, len, 1, VM_PKT_DATA_INBAND,
			       VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&t->done, 5 * HZ), 0);
	memset(&reply, 0, sizeof(reply));
	memcpy(&reply, t->reply, min_t(u32, t->len, sizeof(reply)));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(reply.type), want_type);
	if (want_type == NVSP_MSG_INIT_COMP)
		return le32_to_cpu(reply.body.init_comp.status);
	return le32_to_cpu(reply.body.rndis_pkt_comp.status);
}

/*
 * The host counts a malformed message before it answers it, so once the
 * answer is in, bad_messages must have grown by exactly @n (0 for a
 * message that is fine, or only refused) since the last check.
 */
static void nvsim_kt_counted(struct kunit *test, struct nvsim_kt *t, u32 n,
			     const char *what)
{
	s64 now = atomic64_read(&t->nic->bad_messages);

	KUNIT_EXPECT_EQ_MSG(test, now - t->bad, n, "bad_messages growth after %s",
			    what);
	t->bad = now;
}

static void nvsim_kt_msg(struct nvsp_msg *m, u32 type)
{
	memset(m, 0, sizeof(*m));
	m->type = cpu_to_le32(type);
}

static void nvsim_kt_bad_nvsp(struct kunit *test, struct nvsim_kt *t)
{
	struct nvsp_msg m;
	__le16 stub = 0;

	/* truncated: a zero type once padded */
	KUNIT_EXPECT_NE(test, nvsim_kt_xact(test, t, &stub, sizeof(stub),
					    NVSP_MSG_NONE), NVSP_STATUS_SUCCESS);
	nvsim_kt_counted(test, t, 1, "truncated message");
	/* unknown type */
	nvsim_kt_msg(&m, 999);
	KUNIT_EXPECT_EQ(test, nvsim_kt_xact(test, t, &m, sizeof(m), 999),
			NVSP_STATUS_PROTOCOL_UNSUPPORTED);
	nvsim_kt_counted(test, t, 1, "unknown type");
	/* INIT without its body */
	nvsim_kt_msg(&m, NVSP_MSG_INIT);
	KUNIT_EXPECT_EQ(test, nvsim_kt_xact(test, t, &m, 6, NVSP_MSG_INIT_COMP),
			NVSP_STATUS_FAIL);
	nvsim_kt_counted(test, t, 1, "INIT without body");
	/* INIT with a version nobody speaks */
	m.body.init.min_version = cpu_to_le32(0x00070000);
	m.body.init.max_version = cpu_to_le32(0x00070000);
	KUNIT_EXPECT_NE(test, nvsim_kt_xact(test, t, &m, sizeof(m),
					    NVSP_MSG_INIT_COMP),
			NVSP_STATUS_SUCCESS);
	/* well formed: refused, but not counted */
	nvsim_kt_counted(test, t, 0, "INIT with an unknown version");
	/* a good INIT, so that the rest is checked past the version gate */
	m.body.init.min_version = cpu_to_le32(NVSP_PROTO_VERSION_61);
	m.body.init.max_version = cpu_to_le32(NVSP_PROTO_VERSION_61);
	KUNIT_EXPECT_EQ(test, nvsim_kt_xact(test, t, &m, sizeof(m),
					    NVSP_MSG_INIT_COMP),
			NVSP_STATUS_SUCCESS);
	nvsim_kt_counted(test, t, 0, "good INIT");
	/* receive buffer with a GPADL handle that was never established */
	nvsim_kt_msg(&m, NVSP_MSG_SEND_RECV_BUF);
	m.body.recv_buf.gpadl_handle = cpu_to_le32(0xdead);
	m.body.recv_buf.id = cpu_to_le16(NVSP_RECV_BUF_ID);
	KUNIT_EXPECT_EQ(test, nvsim_kt_xact(test, t, &m, sizeof(m),
					    NVSP_MSG_SEND_RECV_BUF_COMP),
			NVSP_STATUS_FAIL);
	nvsim_kt_counted(test, t, 1, "unknown GPADL");
	/* subchannel request with an unknown operation */
	nvsim_kt_msg(&m, NVSP_MSG_SUBCHANNEL);
	m.body.subchan_req.op = cpu_to_le32(7);
	KUNIT_EXPECT_EQ(test, nvsim_kt_xact(test, t, &m, sizeof(m),
					    NVSP_MSG_SUBCHANNEL),
			NVSP_STATUS_FAIL);
	nvsim_kt_counted(test, t, 1, "unknown subchannel operation");
}

static void nvsim_kt_bad_rndis(struct kunit *test, struct nvsim_kt *t)
{
	struct nvsp_msg m;

	/* send-buffer section index without a send buffer */
	nvsim_kt_msg(&m, NVSP_MSG_SEND_RNDIS_PKT);
	m.body.rndis_pkt.section_index = cpu_to_le32(7);
	m.body.rndis_pkt.section_size = cpu_to_le32(100);
	KUNIT_EXPECT_EQ(test, nvsim_kt_xact(test, t, &m, sizeof(m),
					    NVSP_MSG_SEND_RNDIS_PKT_COMP),
			NVSP_STATUS_FAIL);
	nvsim_kt_counted(test, t, 1, "section without send buffer");
	/* neither a section nor page ranges: no payload at all */
	m.body.rndis_pkt.section_index = cpu_to_le32(NVSP_SEND_SECTION_NONE);
	m.body.rndis_pkt.section_size = 0;
	KUNIT_EXPECT_EQ(test, nvsim_kt_xact(test, t, &m, sizeof(m),
					    NVSP_MSG_SEND_RNDIS_PKT_COMP),
			NVSP_STATUS_FAIL);
	nvsim_kt_counted(test, t, 1, "RNDIS packet without payload");
}

/* A GPA-direct RNDIS packet whose page is not guest memory */
static void nvsim_kt_bad_gpa(struct kunit *test, struct nvsim_kt *t)
{
	struct {
		struct vmbus_packet_mpb_array d;
		u64 pfn;
	} __packed desc = {};
	struct nvsp_msg m, reply = {};
	int ret;

	nvsim_kt_msg(&m, NVSP_MSG_SEND_RNDIS_PKT);
	m.body.rndis_pkt.channel_type = cpu_to_le32(NVSP_RNDIS_CHANNEL_CONTROL);
	m.body.rndis_pkt.section_index = cpu_to_le32(NVSP_SEND_SECTION_NONE);
	desc.d.rangecount = 1;
	desc.d.range.len = 64;
	desc.d.range.offset = 0;
	desc.d.range.pfn_array[0] = 0xfffffffffULL;
	reinit_completion(&t->done);
	/*
	 * The guest side checks the descriptor's size, ring space and the
	 * channel's state, never where the ranges point (a real guest cannot
	 * know what the host will map either): the send must go through, and
	 * refusing the ranges is the host's job.
	 */
	ret = vmbus_sendpacket_mpb_desc(t->chan, &desc.d, sizeof(desc), &m,
					sizeof(m), 2);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&t->done, 5 * HZ), 0);
	memcpy(&reply, t->reply, min_t(u32, t->len, sizeof(reply)));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(reply.type),
			NVSP_MSG_SEND_RNDIS_PKT_COMP);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(reply.body.rndis_pkt_comp.status),
			NVSP_STATUS_FAIL);
	nvsim_kt_counted(test, t, 1, "GPA range outside guest memory");
}

/* Put an RNDIS data message with the given fields in send section 0 */
static u32 nvsim_kt_data(struct kunit *test, struct nvsim_kt *t, u8 *sbuf,
			 u32 doff, u32 dlen, u32 mlen, u32 ppi_len, u32 used)
{
	struct rndis_msg *rm = (void *)sbuf;
	struct nvsp_msg m;

	memset(sbuf, 0, NVSIM_SEND_SECTION_SIZE);
	rm->hdr.msg_type = cpu_to_le32(RNDIS_MSG_PACKET);
	rm->hdr.msg_len = cpu_to_le32(mlen);
	rm->body.pkt.data_offset = cpu_to_le32(doff);
	rm->body.pkt.data_len = cpu_to_le32(dlen);
	rm->body.pkt.ppi_offset = cpu_to_le32(ppi_len ? sizeof(rm->body.pkt) : 0);
	rm->body.pkt.ppi_len = cpu_to_le32(ppi_len);
	/* a broadcast frame, if it gets that far */
	memset(sbuf + RNDIS_HDR_SIZE + doff, 0xff, min_t(u32, dlen, 12));
	nvsim_kt_msg(&m, NVSP_MSG_SEND_RNDIS_PKT);
	m.body.rndis_pkt.section_index = 0;
	m.body.rndis_pkt.section_size = cpu_to_le32(used);
	return nvsim_kt_xact(test, t, &m, sizeof(m),
			     NVSP_MSG_SEND_RNDIS_PKT_COMP);
}

/* Malformed RNDIS data messages in a real send buffer, then revoke it */
static void nvsim_kt_bad_data(struct kunit *test, struct nvsim_kt *t)
{
	u32 size = 2 * NVSIM_SEND_SECTION_SIZE, ok = RNDIS_PKT_MSG_SIZE + 60;
	const u32 pkt = sizeof(struct rndis_pkt);
	struct vmbus_gpadl gpadl = {};
	struct nvsp_msg m;
	u8 *sbuf;

	sbuf = vzalloc(size);
	KUNIT_ASSERT_NOT_NULL(test, sbuf);
	if (vmbus_establish_gpadl(t->chan, sbuf, size, &gpadl)) {
		vfree(sbuf);
		KUNIT_FAIL(test, "vmbus_establish_gpadl failed");
		return;
	}
	nvsim_kt_msg(&m, NVSP_MSG_SEND_SEND_BUF);
	m.body.send_buf.gpadl_handle = cpu_to_le32(gpadl.gpadl_handle);
	KUNIT_EXPECT_EQ(test, nvsim_kt_xact(test, t, &m, sizeof(m),
					    NVSP_MSG_SEND_SEND_BUF_COMP),
			NVSP_STATUS_SUCCESS);
	nvsim_kt_counted(test, t, 0, "good send buffer");
	/* a good frame first */
	KUNIT_EXPECT_EQ(test, nvsim_kt_data(test, t, sbuf, pkt, 60, ok, 0, ok),
			NVSP_STATUS_SUCCESS);
	nvsim_kt_counted(test, t, 0, "good frame");
	/* data offset beyond the message */
	KUNIT_EXPECT_EQ(test, nvsim_kt_data(test, t, sbuf, 4000, 60, ok, 0, ok),
			NVSP_STATUS_INVALID_RNDIS_PKT);
	nvsim_kt_counted(test, t, 1, "data offset beyond the message");
	/* msg_len beyond the bytes sent */
	KUNIT_EXPECT_EQ(test, nvsim_kt_data(test, t, sbuf, pkt, 60, 3000, 0, ok),
			NVSP_STATUS_INVALID_RNDIS_PKT);
	nvsim_kt_counted(test, t, 1, "msg_len beyond the bytes sent");
	/* per-packet info of size 0 */
	KUNIT_EXPECT_EQ(test, nvsim_kt_data(test, t, sbuf, pkt + 16, 60,
					    ok + 16, 16, ok + 16),
			NVSP_STATUS_INVALID_RNDIS_PKT);
	nvsim_kt_counted(test, t, 1, "zero-size PPI");
	/* more bytes used than a section holds */
	KUNIT_EXPECT_EQ(test, nvsim_kt_data(test, t, sbuf, pkt, 60, ok, 0,
					    NVSIM_SEND_SECTION_SIZE + 8),
			NVSP_STATUS_FAIL);
	nvsim_kt_counted(test, t, 1, "section overrun");
	/* revoke an id we never gave, then the right one (no replies) */
	nvsim_kt_msg(&m, NVSP_MSG_REVOKE_SEND_BUF);
	m.body.revoke_send_buf.id = cpu_to_le16(0x1234);
	KUNIT_EXPECT_EQ(test, vmbus_sendpacket(t->chan, &m, sizeof(m), 3,
					       VM_PKT_DATA_INBAND, 0), 0);
	m.body.revoke_send_buf.id = cpu_to_le16(NVSP_SEND_BUF_ID);
	KUNIT_EXPECT_EQ(test, vmbus_sendpacket(t->chan, &m, sizeof(m), 4,
					       VM_PKT_DATA_INBAND, 0), 0);
	/* an answered message orders us after the revokes */
	nvsim_kt_msg(&m, 998);
	KUNIT_EXPECT_EQ(test, nvsim_kt_xact(test, t, &m, sizeof(m), 998),
			NVSP_STATUS_PROTOCOL_UNSUPPORTED);
	/* the unknown revoke and type 998; the good revoke is not counted */
	nvsim_kt_counted(test, t, 2, "revokes and unknown type");
	/* unpinned: the GPADL can go */
	KUNIT_EXPECT_EQ(test, vmbus_teardown_gpadl(t->chan, &gpadl), 0);
	vfree(sbuf);
}

KUNIT_DEFINE_ACTION_WRAPPER(nvsim_kt_nic_destroy, nvsim_nic_destroy,
			    struct nvsim_nic *);
KUNIT_DEFINE_ACTION_WRAPPER(nvsim_kt_close, vmbus_close,
			    struct vmbus_channel *);

static void nvsim_kt_garbage(struct kunit *test)
{
	u8 mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, NVSIM_KT_NIC };
	const struct device_driver *drv;
	struct hv_device *hv;
	struct nvsim_nic *nic;
	struct nvsim_kt *t;
	int ret;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	init_completion(&t->done);
	/*
	 * The suite makes its own NIC (id 63, which the selftests never use)
	 * and plays its guest.  Being unable to, or finding a driver bound
	 * to it, is a failure: skipping would let a broken setup pass.  The
	 * channel is closed and the NIC destroyed when the case ends, also
	 * when an assertion ends it early.
	 */
	nic = nvsim_nic_create(NVSIM_KT_NIC, mac, 4, NVSP_PROTO_VERSION_61,
			       NVSP_MTU_MAX, NVSIM_NVSP_EXACT_OFF,
			       NVSIM_SEND_SECTION_SIZE);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(nic), "cannot create nic%d: %ld",
			       NVSIM_KT_NIC, PTR_ERR(nic));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							nvsim_kt_nic_destroy,
							nic), 0);
	vmbus_sim_flush();
	hv = vmbus_sim_device_hv(nic->vdev);
	KUNIT_ASSERT_NOT_NULL_MSG(test, hv, "nic%d has no VMBus device",
				  NVSIM_KT_NIC);
	drv = READ_ONCE(hv->device.driver);
	KUNIT_ASSERT_NULL_MSG(test, drv,
			      "nic%d got bound by %s: load this suite with no netvsc driver registered",
			      NVSIM_KT_NIC, drv ? drv->name : "");
	t->nic = nic;
	t->chan = hv->channel;
	ret = vmbus_open(t->chan, NVSIM_KT_RING, NVSIM_KT_RING, NULL, 0,
			 nvsim_kt_cb, t);
	KUNIT_ASSERT_EQ_MSG(test, ret, 0, "vmbus_open");
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, nvsim_kt_close,
							t->chan), 0);
	/* a new NIC has seen nothing malformed */
	nvsim_kt_counted(test, t, 0, "vmbus_open");
	nvsim_kt_bad_nvsp(test, t);
	nvsim_kt_bad_rndis(test, t);
	nvsim_kt_bad_gpa(test, t);
	nvsim_kt_bad_data(test, t);
	/*
	 * Each malformed message counts once: 5 NVSP messages, 2 RNDIS
	 * packets without a payload, 1 GPA range, 4 bad data messages, the
	 * revoke of an unknown buffer and message type 998.
	 */
	KUNIT_EXPECT_EQ(test, atomic64_read(&nic->bad_messages), 14);
}

static struct kunit_case nvsim_kt_cases[] = {
	KUNIT_CASE(nvsim_kt_garbage),
	{}
};

static struct kunit_suite nvsim_kt_suite = {
	.name = "netvsp_sim_bad_guest",
	.test_cases = nvsim_kt_cases,
};

kunit_test_suite(nvsim_kt_suite);

MODULE_DESCRIPTION("KUnit tests of netvsp_sim with a misbehaving guest");
MODULE_LICENSE("GPL");
