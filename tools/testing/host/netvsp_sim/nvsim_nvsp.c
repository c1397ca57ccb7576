// SPDX-License-Identifier: GPL-2.0
/*
 * netvsp_sim NVSP layer: the host half of every NVSP message.
 *
 * This file owns version negotiation, NDIS version and config, the receive
 * and send buffers (GPADL pin, section layout, revoke), the routing of
 * SEND_RNDIS_PKT to the RNDIS control or data path after assembling its
 * payload from a send-buffer section and/or GPA-direct page ranges,
 * subchannel allocation and rescind, the send indirection table, the
 * switch-data-path completion, the per-channel NVSP message log, and the
 * malformed-message fault injection.
 */

#include <linux/bitmap.h>
#include <linux/if_vlan.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "netvsp_sim.h"
#include "nvsim_parse.h"

static const struct {
	const char *name;
	u32 ver;
} nvsim_versions[] = {
	{ "1", NVSP_PROTO_VERSION_1 },
	{ "2", NVSP_PROTO_VERSION_2 },
	{ "4", NVSP_PROTO_VERSION_4 },
	{ "5", NVSP_PROTO_VERSION_5 },
	{ "6", NVSP_PROTO_VERSION_6 },
	{ "6.1", NVSP_PROTO_VERSION_61 },
};

static const char * const nvsim_nvsp_names[NVSIM_NVSP_SLOTS] = {
	[0] = "NONE", [1] = "INIT", [2] = "INIT_COMP",
	[3] = "SEND_NDIS_VER", [4] = "SEND_RECV_BUF",
	[5] = "SEND_RECV_BUF_COMP", [6] = "REVOKE_RECV_BUF",
	[7] = "SEND_SEND_BUF", [8] = "SEND_SEND_BUF_COMP",
	[9] = "REVOKE_SEND_BUF", [10] = "SEND_RNDIS_PKT",
	[11] = "SEND_RNDIS_PKT_COMP", [28] = "SEND_NDIS_CONFIG",
	[31] = "SEND_VF_ASSOCIATION", [32] = "SWITCH_DATA_PATH",
	[34] = "OID_QUERY_EX", [36] = "SUBCHANNEL",
	[37] = "SEND_INDIRECTION_TABLE", [38] = "PD_API",
	[39] = "PD_POST_BATCH",
};

/**
 * nvsim_nvsp_slot() - log slot of an NVSP message type
 * @type: enum nvsp_msg_type value
 *
 * Return: slot index, or -1 for a type outside the protocol.
 */
int nvsim_nvsp_slot(u32 type)
{
	if (type <= NVSP_MSG_INIT_COMP)
		return type;
	if (type >= NVSP_MSG_SEND_NDIS_VER && type <= NVSP_MSG_PD_POST_BATCH)
		return type - NVSP_MSG_SEND_NDIS_VER + 3;
	return -1;
}

/**
 * nvsim_nvsp_slot_type() - NVSP message type of a log slot
 * @slot: slot index
 *
 * Return: the message type.
 */
u32 nvsim_nvsp_slot_type(int slot)
{
	return slot < 3 ? slot : slot - 3 + NVSP_MSG_SEND_NDIS_VER;
}

/**
 * nvsim_nvsp_name() - printable name of an NVSP message type
 * @type: enum nvsp_msg_type value
 *
 * Return: the name, "?" for types without one.
 */
const char *nvsim_nvsp_name(u32 type)
{
	int slot = nvsim_nvsp_slot(type);

	if (slot < 0 || !nvsim_nvsp_names[slot])
		return "?";
	return nvsim_nvsp_names[slot];
}

/**
 * nvsim_nvsp_version_parse() - parse "6.1", "6", "5", "4", "2" or "1"
 * @s: string (a trailing newline is allowed)
 * @ver: the NVSP version number
 *
 * Return: 0 or -EINVAL.
 */
int nvsim_nvsp_version_parse(const char *s, u32 *ver)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(nvsim_versions); i++) {
		if (sysfs_streq(s, nvsim_versions[i].name)) {
			*ver = nvsim_versions[i].ver;
			return 0;
		}
	}
	return -EINVAL;
}

/**
 * nvsim_nvsp_version_name() - printable NVSP version
 * @ver: NVSP version number
 *
 * Return: "6.1" etc., "none" for 0.
 */
const char *nvsim_nvsp_version_name(u32 ver)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(nvsim_versions); i++)
		if (nvsim_versions[i].ver == ver)
			return nvsim_versions[i].name;
	return "none";
}

static void nvsim_nvsp_log(struct nvsim_chan *chan, u32 type, bool answered,
			   u32 status)
{
	int slot = nvsim_nvsp_slot(type);
	struct nvsim_msg_count *c;

	if (slot < 0)
		return;
	c = &chan->nvsp[slot];
	if (answered) {
		WRITE_ONCE(c->answered, c->answered + 1);
		WRITE_ONCE(c->status, status);
	} else {
		WRITE_ONCE(c->count, c->count + 1);
	}
}

/* Complete a request with a full 40-byte NVSP message, as netvsc reads it */
static void nvsim_nvsp_reply(struct nvsim_chan *chan,
			     const struct vmbus_sim_pkt *pkt, u32 req_type,
			     struct nvsp_msg *reply, u32 status)
{
	if (!(pkt->flags & VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED))
		return;
	if (nvsim_send_comp(chan, pkt->trans_id, reply, sizeof(*reply)) == 0)
		nvsim_nvsp_log(chan, req_type, true, status);
}

/* Reply with message type @type whose body starts with a status word */
static void nvsim_nvsp_status(struct nvsim_chan *chan,
			      const struct vmbus_sim_pkt *pkt, u32 req_type,
			      u32 type, u32 status)
{
	struct nvsp_msg reply = {};

	reply.type = cpu_to_le32(type);
	reply.body.rndis_pkt_comp.status = cpu_to_le32(status);
	nvsim_nvsp_reply(chan, pkt, req_type, &reply, status);
}

/* Mark a no-reply message as handled in the log */
static void nvsim_nvsp_accepted(struct nvsim_chan *chan, u32 type)
{
	nvsim_nvsp_log(chan, type, true, NVSP_STATUS_SUCCESS);
}

static bool nvsim_body_ok(struct nvsim_chan *chan,
			  const struct vmbus_sim_pkt *pkt, u32 type)
{
	u32 size = nvsim_nvsp_body_min(type);

	if (pkt->len >= NVSP_MSG_HDR_SIZE + size)
		return true;
	nvsim_bad(chan->nic, "%s: %u bytes, want %u\n", nvsim_nvsp_name(type),
		  pkt->len, NVSP_MSG_HDR_SIZE + size);
	return false;
}

static void nvsim_nvsp_init(struct nvsim_chan *chan,
			    const struct vmbus_sim_pkt *pkt,
			    const struct nvsp_msg *msg)
{
	u32 exact = READ_ONCE(chan->nic->nvsp_exact);
	u32 max_ok = READ_ONCE(chan->nic->nvsp_max);
	struct nvsp_msg reply = {};
	u32 status, lo, hi, ver = 0;
	int i;

	reply.type = cpu_to_le32(NVSP_MSG_INIT_COMP);
	if (!nvsim_body_ok(chan, pkt, NVSP_MSG_INIT)) {
		status = NVSP_STATUS_FAIL;
		goto out;
	}
	lo = le32_to_cpu(msg->body.init.min_version);
	hi = le32_to_cpu(msg->body.init.max_version);
	for (i = 0; i < ARRAY_SIZE(nvsim_versions); i++) {
		u32 v = nvsim_versions[i].ver;

		if (v >= lo && v <= hi && v <= max_ok)
			ver = v;
	}
	/* older hosts: one exact version per INIT, that one or nothing */
	if (exact != NVSIM_NVSP_EXACT_OFF && (lo != hi || lo != exact))
		ver = 0;
	if (ver) {
		status = NVSP_STATUS_SUCCESS;
		WRITE_ONCE(chan->nic->nvsp_version, ver);
	} else if (exact != NVSIM_NVSP_EXACT_OFF) {
		status = NVSP_STATUS_FAIL;
	} else {
		status = lo > max_ok ? NVSP_STATUS_PROTOCOL_TOO_NEW :
				       NVSP_STATUS_PROTOCOL_TOO_OLD;
	}
	reply.body.init_comp.negotiated_version = cpu_to_le32(ver);
	reply.body.init_comp.max_mdl_chain_len = cpu_to_le32(MAX_PAGE_BUFFER_COUNT);
out:
	reply.body.init_comp.status = cpu_to_le32(status);
	nvsim_nvsp_reply(chan, pkt, NVSP_MSG_INIT, &reply, status);
}

static void nvsim_nvsp_ndis_ver(struct nvsim_chan *chan,
				const struct vmbus_sim_pkt *pkt,
				const struct nvsp_msg *msg)
{
	const struct nvsp_msg_ndis_ver *v = &msg->body.ndis_ver;

	if (!nvsim_body_ok(chan, pkt, NVSP_MSG_SEND_NDIS_VER))
		return;
	WRITE_ONCE(chan->nic->ndis_version,
		   le32_to_cpu(v->major) << 16 | (le32_to_cpu(v->minor) & 0xffff));
	nvsim_nvsp_accepted(chan, NVSP_MSG_SEND_NDIS_VER);
}

static void nvsim_nvsp_ndis_config(struct nvsim_chan *chan,
				   const struct vmbus_sim_pkt *pkt,
				   const struct nvsp_msg *msg)
{
	const struct nvsp_msg_ndis_config *cfg = &msg->body.ndis_config;
	struct nvsim_nic *nic = chan->nic;
	u32 mtu;

	if (!nvsim_body_ok(chan, pkt, NVSP_MSG_SEND_NDIS_CONFIG))
		return;
	if (READ_ONCE(nic->nvsp_version) < NVSP_PROTO_VERSION_2) {
		nvsim_bad(nic, "NDIS_CONFIG before NVSP 2\n");
		return;
	}
	mtu = le32_to_cpu(cfg->mtu);
	if (mtu < ETH_ZLEN || mtu > NVSP_MTU_MAX + ETH_HLEN) {
		nvsim_bad(nic, "NDIS_CONFIG mtu %u\n", mtu);
		return;
	}
	WRITE_ONCE(nic->ndis_mtu, mtu - ETH_HLEN);
	WRITE_ONCE(nic->ndis_caps, le64_to_cpu(cfg->caps));
	nvsim_nvsp_accepted(chan, NVSP_MSG_SEND_NDIS_CONFIG);
	nvsim_vf_session(nic);
}

static void nvsim_buf_free(struct nvsim_buf *buf)
{
	vmbus_sim_gpadl_put(buf->gpadl);
	bitmap_free(buf->map);
	kfree_rcu(buf, rcu);
}

/* Pin the guest buffer @handle and cut it into sections of @secsize */
static struct nvsim_buf *nvsim_buf_map(struct nvsim_nic *nic, u32 handle,
				       u32 max, u32 secsize, bool bitmap)
{
	struct vmbus_sim_gpadl *gpadl;
	struct nvsim_buf *buf;
	u32 size;

	gpadl = vmbus_sim_gpadl_get(nic->vdev, handle);
	if (IS_ERR(gpadl)) {
		nvsim_bad(nic, "unknown GPADL %#x\n", handle);
		return NULL;
	}
	size = vmbus_sim_gpadl_size(gpadl);
	/* (a send section size may be hostile: then no section fits) */
	if ((bitmap && size < secsize) || size > max) {
		nvsim_bad(nic, "buffer size %u outside [%u, %u]\n", size,
			  secsize, max);
		goto err_put;
	}
	buf = kzalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		goto err_put;
	buf->gpadl = gpadl;
	buf->size = size;
	buf->section_size = secsize;
	buf->num_sections = secsize ? size / secsize : 0;
	buf->base = vmbus_sim_gpadl_ptr(gpadl, 0, size);
	spin_lock_init(&buf->lock);
	if (bitmap)
		buf->map = bitmap_zalloc(buf->num_sections, GFP_KERNEL);
	if (!buf->base || (bitmap && !buf->map)) {
		bitmap_free(buf->map);
		kfree(buf);
		goto err_put;
	}
	return buf;

err_put:
	vmbus_sim_gpadl_put(gpadl);
	return NULL;
}

/* Receive sub-allocation size: Hyper-V's 1728, or a whole frame pre-6.1 */
static u32 nvsim_recv_section_size(struct nvsim_nic *nic)
{
	u32 frame = READ_ONCE(nic->ndis_mtu) + VLAN_ETH_HLEN + NVSIM_RX_HDR_MAX;

	if (READ_ONCE(nic->nvsp_version) >= NVSP_PROTO_VERSION_61)
		return NVSIM_RECV_SECTION_SIZE;
	return max_t(u32, NVSIM_RECV_SECTION_SIZE, ALIGN(frame, 64));
}

static void nvsim_nvsp_recv_buf(struct nvsim_chan *chan,
				const struct vmbus_sim_pkt *pkt,
				const struct nvsp_msg *msg)
{
	const struct nvsp_msg_buf *req = &msg->body.recv_buf;
	struct nvsim_nic *nic = chan->nic;
	u32 status = NVSP_STATUS_FAIL;
	struct nvsp_msg reply = {};
	struct nvsim_buf *buf;
	u32 max;

	reply.type = cpu_to_le32(NVSP_MSG_SEND_RECV_BUF_COMP);
	if (!nvsim_body_ok(chan, pkt, NVSP_MSG_SEND_RECV_BUF))
		goto out;
	if (!READ_ONCE(nic->nvsp_version) || chan->idx ||
	    rcu_access_pointer(nic->recv_buf)) {
		nvsim_bad(nic, "SEND_RECV_BUF out of sequence\n");
		goto out;
	}
	max = READ_ONCE(nic->nvsp_version) <= NVSP_PROTO_VERSION_2 ?
	      NVSP_RECV_BUF_SIZE_MAX_LEGACY : NVSP_RECV_BUF_SIZE_MAX;
	buf = nvsim_buf_map(nic, le32_to_cpu(req->gpadl_handle), max,
			    nvsim_recv_section_size(nic), true);
	if (!buf)
		goto out;
	buf->id = le16_to_cpu(req->id);
	buf->gen = ++nic->buf_gen;
	rcu_assign_pointer(nic->recv_buf, buf);
	status = NVSP_STATUS_SUCCESS;
	reply.body.recv_buf_comp.num_sections = cpu_to_le32(1);
	reply.body.recv_buf_comp.sections[0].offset = 0;
	reply.body.recv_buf_comp.sections[0].sub_alloc_size =
		cpu_to_le32(buf->section_size);
	reply.body.recv_buf_comp.sections[0].num_sub_allocs =
		cpu_to_le32(buf->num_sections);
	reply.body.recv_buf_comp.sections[0].end_offset =
		cpu_to_le32(buf->num_sections * buf->section_size);
out:
	reply.body.recv_buf_comp.status = cpu_to_le32(status);
	nvsim_nvsp_reply(chan, pkt, NVSP_MSG_SEND_RECV_BUF, &reply, status);
}

static void nvsim_nvsp_send_buf(struct nvsim_chan *chan,
				const struct vmbus_sim_pkt *pkt,
				const struct nvsp_msg *msg)
{
	const struct nvsp_msg_buf *req = &msg->body.send_buf;
	struct nvsim_nic *nic = chan->nic;
	u32 status = NVSP_STATUS_FAIL;
	struct nvsp_msg reply = {};
	struct nvsim_buf *buf;

	reply.type = cpu_to_le32(NVSP_MSG_SEND_SEND_BUF_COMP);
	if (!nvsim_body_ok(chan, pkt, NVSP_MSG_SEND_SEND_BUF))
		goto out;
	if (!READ_ONCE(nic->nvsp_version) || chan->idx ||
	    rcu_access_pointer(nic->send_buf)) {
		nvsim_bad(nic, "SEND_SEND_BUF out of sequence\n");
		goto out;
	}
	buf = nvsim_buf_map(nic, le32_to_cpu(req->gpadl_handle),
			    NVSP_SEND_BUF_SIZE_MAX,
			    READ_ONCE(nic->send_section_size), false);
	if (!buf)
		goto out;
	buf->id = le16_to_cpu(req->id);
	rcu_assign_pointer(nic->send_buf, buf);
	status = NVSP_STATUS_SUCCESS;
	reply.body.send_buf_comp.section_size = cpu_to_le32(buf->section_size);
out:
	reply.body.send_buf_comp.status = cpu_to_le32(status);
	nvsim_nvsp_reply(chan, pkt, NVSP_MSG_SEND_SEND_BUF, &reply, status);
}

/* Unpublish a buffer, wait for readers, unpin it */
static void nvsim_buf_retire(struct nvsim_buf __rcu **slot)
{
	struct nvsim_buf *buf = rcu_replace_pointer(*slot, NULL, true);

	if (!buf)
		return;
	synchronize_rcu();
	nvsim_buf_free(buf);
}

/**
 * nvsim_nvsp_release_bufs() - drop both guest buffers of a NIC
 * @nic: NIC whose primary channel closed (or that is going away)
 *
 * The guest tears its GPADLs down after closing the channel; they must be
 * unpinned by then.
 */
void nvsim_nvsp_release_bufs(struct nvsim_nic *nic)
{
	nvsim_buf_retire(&nic->recv_buf);
	nvsim_buf_retire(&nic->send_buf);
}

static void nvsim_nvsp_revoke(struct nvsim_chan *chan,
			      const struct vmbus_sim_pkt *pkt,
			      const struct nvsp_msg *msg, u32 type)
{
	struct nvsim_nic *nic = chan->nic;
	struct nvsim_buf __rcu **slot;
	struct nvsim_buf *buf;
	u16 id;

	if (!nvsim_body_ok(chan, pkt, type))
		return;
	slot = type == NVSP_MSG_REVOKE_RECV_BUF ? &nic->recv_buf : &nic->send_buf;
	id = le16_to_cpu(msg->body.revoke_recv_buf.id);
	buf = rcu_dereference_protected(*slot, true);
	if (!buf || buf->id != id) {
		nvsim_bad(nic, "%s of unknown buffer id %#x\n",
			  nvsim_nvsp_name(type), id);
		return;
	}
	nvsim_buf_retire(slot);
	nvsim_nvsp_accepted(chan, type);
}

/*
 * Locate the RNDIS payload of a SEND_RNDIS_PKT: the send-buffer section
 * part is copied to the channel's scratch buffer; the GPA-direct part is
 * copied too for control messages (@whole) and otherwise left in guest
 * memory for the data path to copy straight into the frame.
 */
static int nvsim_nvsp_gather(struct nvsim_chan *chan,
			     const struct vmbus_sim_pkt *pkt,
			     const struct nvsp_msg_rndis_pkt *rp, bool whole,
			     struct nvsim_txsrc *src)
{
	u32 idx = le32_to_cpu(rp->section_index);
	u32 used = le32_to_cpu(rp->section_size);
	struct nvsim_nic *nic = chan->nic;
	struct nvsim_buf *sbuf;
	u32 glen = 0;
	int ret;

	memset(src, 0, sizeof(*src));
	src->head = chan->scratch;
	if (idx != NVSP_SEND_SECTION_NONE) {
		WRITE_ONCE(chan->tx_sect_sends, chan->tx_sect_sends + 1);
		if (used > chan->tx_sect_max_used)
			WRITE_ONCE(chan->tx_sect_max_used, used);
		rcu_read_lock();
		sbuf = rcu_dereference(nic->send_buf);
		if (!sbuf || !nvsim_section_ok(idx, used, sbuf->num_sections,
					       sbuf->section_size,
					       NVSIM_TX_SCRATCH_SIZE)) {
			rcu_read_unlock();
			WRITE_ONCE(chan->tx_sect_oob, chan->tx_sect_oob + 1);
			nvsim_bad(nic, "send section %u size %u invalid\n",
				  idx, used);
			return -EINVAL;
		}
		memcpy(chan->scratch, sbuf->base + idx * sbuf->section_size,
		       used);
		rcu_read_unlock();
		src->head_len = used;
	}
	if (pkt->type == VM_PKT_DATA_USING_GPA_DIRECT) {
		glen = vmbus_sim_pkt_gpa_len(pkt);
		if (!glen || glen > NVSIM_TX_SCRATCH_SIZE - src->head_len) {
			nvsim_bad(nic, "bad GPA ranges (%u bytes)\n", glen);
			return -EINVAL;
		}
		src->pkt = pkt;
	}
	src->len = src->head_len + glen;
	if (!src->len) {
		nvsim_bad(nic, "SEND_RNDIS_PKT without payload\n");
		return -EINVAL;
	}
	if (whole && glen) {
		ret = vmbus_sim_pkt_copy_from_gpa(pkt, 0, chan->scratch +
						  src->head_len, glen);
		if (ret) {
			nvsim_bad(nic, "GPA ranges %s\n", ret == -EACCES ?
				  "name private guest memory (isolation)" :
				  "outside guest memory");
			return -EINVAL;
		}
		src->head_len += glen;
		src->pkt = NULL;
	}
	return 0;
}

static void nvsim_nvsp_rndis_pkt(struct nvsim_chan *chan,
				 const struct vmbus_sim_pkt *pkt,
				 const struct nvsp_msg *msg)
{
	const struct nvsp_msg_rndis_pkt *rp = &msg->body.rndis_pkt;
	u32 len = NVSP_MSG_HDR_SIZE + sizeof(struct nvsp_msg_rndis_pkt_comp);
	struct nvsim_nic *nic = chan->nic;
	u32 status = NVSP_STATUS_FAIL;
	struct nvsp_msg reply = {};
	struct nvsim_txsrc src;
	bool ctl = false;

	if (!nvsim_body_ok(chan, pkt, NVSP_MSG_SEND_RNDIS_PKT))
		goto out;
	if (!READ_ONCE(chan->nic->nvsp_version)) {
		nvsim_bad(chan->nic, "SEND_RNDIS_PKT before INIT\n");
		goto out;
	}
	ctl = le32_to_cpu(rp->channel_type) == NVSP_RNDIS_CHANNEL_CONTROL;
	if (nvsim_nvsp_gather(chan, pkt, rp, ctl, &src))
		goto out;
	if (ctl)
		status = nvsim_rndis_control(chan, src.head, src.len);
	else if (atomic_dec_if_positive(&nic->fail_completions) < 0)
		status = nvsim_tx_data(chan, &src);
	/* else: not sent, and the completion says so */
out:
	if (!(pkt->flags & VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED))
		return;
	reply.type = cpu_to_le32(NVSP_MSG_SEND_RNDIS_PKT_COMP);
	reply.body.rndis_pkt_comp.status = cpu_to_le32(status);
	/*
	 * Data-path completions are short: header + status.  A fault sends
	 * none at all: VMBus pads a packet to 8 bytes, so an empty one is the
	 * only completion too short to hold a status.
	 */
	if (!ctl && atomic_dec_if_positive(&nic->short_completions) >= 0)
		len = 0;
	if (nvsim_send_comp(chan, pkt->trans_id, &reply, len) == 0)
		nvsim_nvsp_log(chan, NVSP_MSG_SEND_RNDIS_PKT, true, status);
}

/**
 * nvsim_nvsp_send_table() - send a send indirection table to the guest
 * @nic: the NIC
 * @table: channel for each of the %NVSP_SEND_TABLE_SIZE hash buckets
 *
 * The table tells the guest which channel to send on; it is remembered for
 * the send_table file.  Context: process.
 * Return: 0 or the error of the send.
 */
int nvsim_nvsp_send_table(struct nvsim_nic *nic, const u32 *table)
{
	struct {
		struct nvsp_msg msg;
		__le32 table[NVSP_SEND_TABLE_SIZE];
	} t = {};
	int i;

	t.msg.type = cpu_to_le32(NVSP_MSG_SEND_INDIRECTION_TABLE);
	t.msg.body.send_table.count = cpu_to_le32(NVSP_SEND_TABLE_SIZE);
	t.msg.body.send_table.offset = cpu_to_le32(sizeof(t.msg));
	for (i = 0; i < NVSP_SEND_TABLE_SIZE; i++) {
		t.table[i] = cpu_to_le32(table[i]);
		WRITE_ONCE(nic->send_table[i], table[i]);
	}
	return vmbus_sim_send_inband(nic->chans[0].vchan, 0, false, &t,
				     sizeof(t));
}

static u32 nvsim_subch_grant(struct nvsim_nic *nic, u32 want, u32 *status)
{
	int fault = READ_ONCE(nic->subch_grant);
	u32 queues = READ_ONCE(nic->max_queues);
	u32 n;

	*status = NVSP_STATUS_SUCCESS;
	if (fault == NVSIM_GRANT_REFUSE) {
		*status = NVSP_STATUS_FAIL;
		return 0;
	}
	n = min3(want, queues ? queues - 1 : 0, (u32)NVSIM_MAX_CHANS - 1);
	if (fault >= 0)
		n = min_t(u32, n, fault);
	return n;
}

static void nvsim_nvsp_subchannel(struct nvsim_chan *chan,
				  const struct vmbus_sim_pkt *pkt,
				  const struct nvsp_msg *msg)
{
	const struct nvsp_msg_subchan_req *req = &msg->body.subchan_req;
	struct nvsim_nic *nic = chan->nic;
	u32 status = NVSP_STATUS_FAIL;
	struct nvsp_msg reply = {};
	u32 n = 0, extra;
	int ret;

	reply.type = cpu_to_le32(NVSP_MSG_SUBCHANNEL);
	if (!nvsim_body_ok(chan, pkt, NVSP_MSG_SUBCHANNEL))
		goto out;
	if (READ_ONCE(nic->nvsp_version) < NVSP_PROTO_VERSION_5 || chan->idx ||
	    le32_to_cpu(req->op) != NVSP_SUBCHAN_ALLOCATE) {
		nvsim_bad(nic, "SUBCHANNEL op %u invalid here\n",
			  le32_to_cpu(req->op));
		goto out;
	}
	n = nvsim_subch_grant(nic, le32_to_cpu(req->num_subchannels), &status);
	if (status != NVSP_STATUS_SUCCESS || !n)
		goto out;
	/* subchannels of the previous session must be gone first */
	flush_work(&nic->rescind_work);
	vmbus_sim_flush();
	extra = READ_ONCE(nic->subch_extra);
	ret = vmbus_sim_offer_subchannels(nic->vdev, n + extra);
	if (ret < 0) {
		status = NVSP_STATUS_FAIL;
		n = 0;
		goto out;
	}
	/* fault: offers the answer does not grant, all seen before it */
	if (extra)
		vmbus_sim_flush();
	n = min_t(u32, n, ret);
out:
	WRITE_ONCE(nic->subch_granted, n);
	reply.body.subchan_comp.status = cpu_to_le32(status);
	reply.body.subchan_comp.num_subchannels = cpu_to_le32(n);
	nvsim_nvsp_reply(chan, pkt, NVSP_MSG_SUBCHANNEL, &reply, status);
	if (status == NVSP_STATUS_SUCCESS) {
		u32 table[NVSP_SEND_TABLE_SIZE];
		int i;

		/* Hyper-V spreads the buckets over the channels */
		for (i = 0; i < NVSP_SEND_TABLE_SIZE; i++)
			table[i] = i % (n + 1);
		nvsim_nvsp_send_table(nic, table);
	}
}

/**
 * nvsim_nvsp_rescind_work() - rescind subchannels the guest closed
 * @work: &nvsim_nic.rescind_work
 */
void nvsim_nvsp_rescind_work(struct work_struct *work)
{
	struct nvsim_nic *nic = container_of(work, struct nvsim_nic,
					     rescind_work);
	struct vmbus_sim_chan *vchan;
	int i;

	for_each_set_bit(i, nic->rescind_pending, NVSIM_MAX_CHANS) {
		clear_bit(i, nic->rescind_pending);
		vchan = vmbus_sim_device_chan(nic->vdev, i);
		if (vchan && !vmbus_sim_chan_is_rescinded(vchan))
			vmbus_sim_rescind(vchan);
	}
}

static void nvsim_nvsp_switch_dp(struct nvsim_chan *chan,
				 const struct vmbus_sim_pkt *pkt,
				 const struct nvsp_msg *msg)
{
	u32 dp;

	if (!nvsim_body_ok(chan, pkt, NVSP_MSG_SWITCH_DATA_PATH))
		return;
	dp = le32_to_cpu(msg->body.switch_dp.active_datapath);
	if (chan->idx ||
	    READ_ONCE(chan->nic->nvsp_version) < NVSP_PROTO_VERSION_4 ||
	    !nvsim_vf_switch(chan->nic, dp))
		nvsim_bad(chan->nic, "SWITCH_DATA_PATH %u invalid here\n", dp);
	if (!(pkt->flags & VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED))
		return;
	/* Hyper-V completes this one with an empty payload */
	if (nvsim_send_comp(chan, pkt->trans_id, NULL, 0) == 0)
		nvsim_nvsp_log(chan, NVSP_MSG_SWITCH_DATA_PATH, true,
			       NVSP_STATUS_SUCCESS);
}

/**
 * nvsim_nvsp_rx() - handle one guest->host NVSP message
 * @chan: channel it came on
 * @pkt: the VMBus packet (inband or GPA direct)
 */
void nvsim_nvsp_rx(struct nvsim_chan *chan, const struct vmbus_sim_pkt *pkt)
{
	struct nvsp_msg msg = {};
	u32 type;

	if (pkt->len < NVSP_MSG_HDR_SIZE) {
		nvsim_bad(chan->nic, "NVSP message of %u bytes\n", pkt->len);
		nvsim_nvsp_status(chan, pkt, NVSP_MSG_NONE, NVSP_MSG_NONE,
				  NVSP_STATUS_FAIL);
		return;
	}
	memcpy(&msg, pkt->data, min_t(u32, pkt->len, sizeof(msg)));
	type = le32_to_cpu(msg.type);
	nvsim_nvsp_log(chan, type, false, 0);

	switch (type) {
	case NVSP_MSG_INIT:
		nvsim_nvsp_init(chan, pkt, &msg);
		break;
	case NVSP_MSG_SEND_NDIS_VER:
		nvsim_nvsp_ndis_ver(chan, pkt, &msg);
		break;
	case NVSP_MSG_SEND_NDIS_CONFIG:
		nvsim_nvsp_ndis_config(chan, pkt, &msg);
		break;
	case NVSP_MSG_SEND_RECV_BUF:
		nvsim_nvsp_recv_buf(chan, pkt, &msg);
		break;
	case NVSP_MSG_SEND_SEND_BUF:
		nvsim_nvsp_send_buf(chan, pkt, &msg);
		break;
	case NVSP_MSG_REVOKE_RECV_BUF:
	case NVSP_MSG_REVOKE_SEND_BUF:
		nvsim_nvsp_revoke(chan, pkt, &msg, type);
		break;
	case NVSP_MSG_SEND_RNDIS_PKT:
		nvsim_nvsp_rndis_pkt(chan, pkt, &msg);
		break;
	case NVSP_MSG_SUBCHANNEL:
		nvsim_nvsp_subchannel(chan, pkt, &msg);
		break;
	case NVSP_MSG_SWITCH_DATA_PATH:
		nvsim_nvsp_switch_dp(chan, pkt, &msg);
		break;
	default:
		nvsim_bad(chan->nic, "unsupported NVSP message %u\n", type);
		nvsim_nvsp_status(chan, pkt, type, type,
				  NVSP_STATUS_PROTOCOL_UNSUPPORTED);
		break;
	}
}

/*
 * Send @cnt ranges (in sections @start..@start+@n of @buf) as one receive
 * packet on the primary channel; the sections are freed if the send fails.
 * Caller holds rcu_read_lock().
 */
static int nvsim_bad_send(struct nvsim_nic *nic, struct nvsim_buf *buf,
			  u32 start, u32 n,
			  const struct vmtransfer_page_range *range, u32 cnt)
{
	struct nvsp_msg nv = {};
	int ret;

	nv.type = cpu_to_le32(NVSP_MSG_SEND_RNDIS_PKT);
	nv.body.rndis_pkt.section_index = cpu_to_le32(NVSP_SEND_SECTION_NONE);
	ret = vmbus_sim_send_xfer(nic->chans[0].vchan, buf->id,
				  NVSIM_XFER_ID(buf->gen, n, start), range, cnt,
				  &nv, sizeof(nv));
	if (ret)
		nvsim_rx_buf_free(buf, start, n);
	return ret;
}

/* A receive packet whose RNDIS message or range is wrong on purpose */
static int nvsim_bad_xfer(struct nvsim_nic *nic, bool bad_offset)
{
	struct vmtransfer_page_range range;
	struct rndis_msg rm = {};
	struct nvsim_buf *buf;
	u32 start, n;
	int ret;

	rcu_read_lock();
	buf = nvsim_rx_buf_get(nic, sizeof(rm), &start, &n);
	if (!buf) {
		rcu_read_unlock();
		return -ENOSPC;
	}
	rm.hdr.msg_type = cpu_to_le32(RNDIS_MSG_PACKET);
	rm.hdr.msg_len = cpu_to_le32(RNDIS_PKT_MSG_SIZE);
	rm.body.pkt.data_offset = cpu_to_le32(sizeof(struct rndis_pkt));
	rm.body.pkt.data_len = cpu_to_le32(buf->section_size * 4);
	memcpy(buf->base + start * buf->section_size, &rm, RNDIS_PKT_MSG_SIZE);
	range.byte_count = RNDIS_PKT_MSG_SIZE;
	range.byte_offset = bad_offset ? buf->size : start * buf->section_size;
	ret = nvsim_bad_send(nic, buf, start, n, &range, 1);
	rcu_read_unlock();
	return ret;
}

/*
 * A well-formed receive packet carrying @cnt frames of @len bytes, one a
 * section, to the guest's MAC (EtherType NVSIM_FRAME_ETH_P, zero payload):
 * a runt when @len is below the Ethernet header, a frame far above the
 * guest's MTU, or as many frames as a packet may carry.
 */
static int nvsim_bad_frames(struct nvsim_nic *nic, u32 len, u32 cnt)
{
	u32 total = RNDIS_PKT_MSG_SIZE + len, start, n, off, step, i;
	struct vmtransfer_page_range *ranges;
	struct rndis_msg rm = {};
	struct ethhdr eth = {};
	struct nvsim_buf *buf;
	u8 *p;
	int ret;

	ranges = kcalloc(cnt, sizeof(*ranges), GFP_KERNEL);
	if (!ranges)
		return -ENOMEM;
	rcu_read_lock();
	buf = rcu_dereference(nic->recv_buf);
	step = buf ? ALIGN(total, buf->section_size) : 0;
	if (!buf || !nvsim_rx_buf_alloc(buf, step * cnt, &start, &n)) {
		rcu_read_unlock();
		kfree(ranges);
		return -ENOSPC;
	}
	rm.hdr.msg_type = cpu_to_le32(RNDIS_MSG_PACKET);
	rm.hdr.msg_len = cpu_to_le32(total);
	rm.body.pkt.data_offset = cpu_to_le32(sizeof(struct rndis_pkt));
	rm.body.pkt.data_len = cpu_to_le32(len);
	ether_addr_copy(eth.h_dest, nic->cur_mac);
	eth_random_addr(eth.h_source);
	eth.h_proto = htons(NVSIM_FRAME_ETH_P);
	for (i = 0; i < cnt; i++) {
		off = start * buf->section_size + i * step;
		p = buf->base + off;
		memcpy(p, &rm, RNDIS_PKT_MSG_SIZE);
		memset(p + RNDIS_PKT_MSG_SIZE, 0, len);
		memcpy(p + RNDIS_PKT_MSG_SIZE, &eth,
		       min_t(u32, len, sizeof(eth)));
		ranges[i].byte_count = total;
		ranges[i].byte_offset = off;
	}
	ret = nvsim_bad_send(nic, buf, start, n, ranges, cnt);
	rcu_read_unlock();
	kfree(ranges);
	return ret;
}

/* RSC sequences Hyper-V never sends (frames of one section each). */
static int nvsim_bad_rsc(struct nvsim_nic *nic, enum nvsim_malformed kind)
{
	/* 256 KiB of fragments and two more, whatever the section size */
	u32 huge = SZ_256K / 1024 + 2;
	u8 *f;
	int ret;

	f = kzalloc(NVSP_XFER_RANGES_MAX, GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	switch (kind) {
	case NVSIM_BAD_RSC_ORPHAN:
		/* a last fragment without a first */
		f[0] = RNDIS_PPI_PKT_ID_LAST_FRAG;
		ret = nvsim_rx_rsc_seq(nic, f, 1);
		break;
	case NVSIM_BAD_RSC_NO_LAST:
		/* the packet ends after a first and a middle fragment */
		f[0] = RNDIS_PPI_PKT_ID_FIRST_FRAG;
		ret = nvsim_rx_rsc_seq(nic, f, 2);
		break;
	case NVSIM_BAD_RSC_SPAN:
		/* first and last in two receive packets */
		f[0] = RNDIS_PPI_PKT_ID_FIRST_FRAG;
		ret = nvsim_rx_rsc_seq(nic, f, 1);
		f[0] = RNDIS_PPI_PKT_ID_LAST_FRAG;
		if (!ret)
			ret = nvsim_rx_rsc_seq(nic, f, 1);
		break;
	default:
		/* more than 256 KiB: sections are at least 1 KiB */
		f[0] = RNDIS_PPI_PKT_ID_FIRST_FRAG;
		f[huge - 1] = RNDIS_PPI_PKT_ID_LAST_FRAG;
		ret = nvsim_rx_rsc_seq(nic, f, huge);
		break;
	}
	kfree(f);
	return ret;
}

/**
 * nvsim_malformed() - send one malformed message to the guest
 * @nic: NIC
 * @kind: which kind
 *
 * Return: 0, -ENOTCONN if the guest has not set the NIC up, or the send
 * error.
 */
int nvsim_malformed(struct nvsim_nic *nic, enum nvsim_malformed kind)
{
	struct vmbus_sim_chan *vchan = nic->chans[0].vchan;
	struct nvsp_msg nv = {};
	__le16 stub = 0;

	if (!READ_ONCE(nic->chans[0].open) || !vchan)
		return -ENOTCONN;
	switch (kind) {
	case NVSIM_BAD_TRUNCATED:
		return vmbus_sim_send_inband(vchan, 0, false, &stub,
					     sizeof(stub));
	case NVSIM_BAD_OVERSIZED_LEN:
		return nvsim_bad_xfer(nic, false);
	case NVSIM_BAD_OFFSET:
		return nvsim_bad_xfer(nic, true);
	case NVSIM_BAD_INDEX:
		nv.type = cpu_to_le32(NVSP_MSG_SEND_RNDIS_PKT_COMP);
		nv.body.rndis_pkt_comp.status = cpu_to_le32(NVSP_STATUS_SUCCESS);
		return vmbus_sim_send_comp(vchan, 0x0bad0000deadbeefULL, &nv,
					   sizeof(nv));
	case NVSIM_BAD_SEND_TABLE:
		nv.type = cpu_to_le32(NVSP_MSG_SEND_INDIRECTION_TABLE);
		nv.body.send_table.count = cpu_to_le32(NVSP_SEND_TABLE_SIZE);
		nv.body.send_table.offset = cpu_to_le32(0xfff0);
		return vmbus_sim_send_inband(vchan, 0, false, &nv,
					     NVSP_MSG_HDR_SIZE +
					     sizeof(nv.body.send_table));
	case NVSIM_BAD_RUNT:
		return nvsim_bad_frames(nic, NVSIM_FRAME_RUNT_LEN, 1);
	case NVSIM_BAD_OVERSIZED_FRAME:
		return nvsim_bad_frames(nic, NVSIM_FRAME_HUGE_LEN, 1);
	case NVSIM_BAD_FRAME_BURST:
		return nvsim_bad_frames(nic, ETH_ZLEN, NVSP_XFER_RANGES_MAX);
	case NVSIM_BAD_RSC_ORPHAN:
	case NVSIM_BAD_RSC_NO_LAST:
	case NVSIM_BAD_RSC_SPAN:
	case NVSIM_BAD_RSC_HUGE:
		return nvsim_bad_rsc(nic, kind);
	default:
		return -EINVAL;
	}
}
