// SPDX-License-Identifier: GPL-2.0
/*
 * netvsp_sim RNDIS device: the host half of RNDIS control messages.
 *
 * This file owns the simulated RNDIS miniport of a NIC: INITIALIZE, HALT,
 * RESET and KEEPALIVE, QUERY and SET of every OID hv_netvsc uses (unknown
 * OIDs are answered RNDIS_STATUS_NOT_SUPPORTED), the packet filter, task
 * offload and receive-side-scaling settings, the NetworkAddress config
 * parameter, status indications towards the guest, and the RNDIS part of
 * the message log.
 */

#include <linux/etherdevice.h>
#include <linux/hex.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "netvsp_sim.h"
#include "nvsim_parse.h"

/* What hv_netvsc receives as the friendly name: Hyper-V's default. */
static const char nvsim_friendly_name[] = "Network Adapter";

/* Largest info buffer we answer with (the friendly name is the biggest). */
#define NVSIM_INFO_MAX	512

/* Packet filter bits the simulated device implements */
#define NVSIM_FILTER_MASK						\
	(RNDIS_PACKET_TYPE_DIRECTED | RNDIS_PACKET_TYPE_MULTICAST |	\
	 RNDIS_PACKET_TYPE_ALL_MULTICAST | RNDIS_PACKET_TYPE_BROADCAST |	\
	 RNDIS_PACKET_TYPE_PROMISCUOUS)

/**
 * struct nvsim_oid_ctx - one QUERY or SET being answered
 * @nic: NIC
 * @in: the guest's info buffer
 * @in_len: its length
 * @out: reply info buffer (QUERY)
 * @out_len: bytes of @out used
 */
struct nvsim_oid_ctx {
	struct nvsim_nic *nic;
	const u8 *in;
	u32 in_len;
	u8 out[NVSIM_INFO_MAX];
	u32 out_len;
};

/**
 * nvsim_rndis_name() - printable name of an RNDIS message type
 * @type: RNDIS_MSG_*
 *
 * Return: the name or "?".
 */
const char *nvsim_rndis_name(u32 type)
{
	switch (type) {
	case RNDIS_MSG_PACKET: return "PACKET";
	case RNDIS_MSG_INIT: return "INIT";
	case RNDIS_MSG_HALT: return "HALT";
	case RNDIS_MSG_QUERY: return "QUERY";
	case RNDIS_MSG_SET: return "SET";
	case RNDIS_MSG_RESET: return "RESET";
	case RNDIS_MSG_INDICATE: return "INDICATE";
	case RNDIS_MSG_KEEPALIVE: return "KEEPALIVE";
	case RNDIS_MSG_KEEPALIVE_C: return "KEEPALIVE_C";
	default: return "?";
	}
}

static struct nvsim_msg_count *nvsim_rlog_slot(struct nvsim_nic *nic,
					       u32 type, u32 oid)
{
	struct nvsim_rndis_log *l;
	int i;

	lockdep_assert_held(&nic->log_lock);
	for (i = 0; i < NVSIM_RNDIS_SLOTS; i++) {
		l = &nic->rlog[i];
		if (!l->type) {
			l->type = type;
			l->oid = oid;
			return &l->cnt;
		}
		if (l->type == type && l->oid == oid)
			return &l->cnt;
	}
	return NULL;
}

static void nvsim_rlog(struct nvsim_nic *nic, u32 type, u32 oid,
		       bool answered, u32 status)
{
	struct nvsim_msg_count *c;

	spin_lock_bh(&nic->log_lock);
	c = nvsim_rlog_slot(nic, type, oid);
	if (c && answered) {
		c->answered++;
		c->status = status;
	} else if (c) {
		c->count++;
	}
	spin_unlock_bh(&nic->log_lock);
}

/* Send an RNDIS control message to the guest and log it as the answer */
static void nvsim_rndis_reply(struct nvsim_chan *chan, u32 req_type, u32 oid,
			      void *msg, u32 len, u32 status)
{
	struct rndis_hdr *hdr = msg;
	int ret;

	hdr->msg_len = cpu_to_le32(len);
	ret = nvsim_rx_send_msg(chan->nic, &chan->nic->chans[0], msg, len);
	if (ret) {
		pr_warn_ratelimited("netvsp_sim: nic%u: RNDIS reply lost (%d)\n",
				    chan->nic->id, ret);
		return;
	}
	nvsim_rlog(chan->nic, req_type, oid, true, status);
}

static void nvsim_rndis_init(struct nvsim_chan *chan, const u8 *msg, u32 len)
{
	const struct rndis_init_req *req = (const void *)(msg + RNDIS_HDR_SIZE);
	struct {
		struct rndis_hdr hdr;
		struct rndis_init_comp c;
	} r = {};

	r.hdr.msg_type = cpu_to_le32(RNDIS_MSG_INIT_C);
	r.c.req_id = req->req_id;
	r.c.status = cpu_to_le32(RNDIS_STATUS_SUCCESS);
	r.c.major_ver = cpu_to_le32(RNDIS_MAJOR_VERSION);
	r.c.minor_ver = cpu_to_le32(RNDIS_MINOR_VERSION);
	r.c.dev_flags = cpu_to_le32(RNDIS_DF_CONNECTIONLESS);
	r.c.medium = cpu_to_le32(RNDIS_MEDIUM_802_3);
	r.c.max_pkt_per_msg = cpu_to_le32(RNDIS_INIT_MAX_PKTS_DEFAULT);
	r.c.max_xfer_size = cpu_to_le32(NVSIM_TX_SCRATCH_SIZE);
	r.c.pkt_alignment_factor = cpu_to_le32(ilog2(RNDIS_INIT_PKT_ALIGN_DEFAULT));
	WRITE_ONCE(chan->nic->rndis_state, NVSIM_RNDIS_INIT);
	nvsim_rndis_reply(chan, RNDIS_MSG_INIT, 0, &r, sizeof(r),
			  RNDIS_STATUS_SUCCESS);
}

static void nvsim_put_u32(struct nvsim_oid_ctx *ctx, u32 v)
{
	__le32 le = cpu_to_le32(v);

	memcpy(ctx->out, &le, sizeof(le));
	ctx->out_len = sizeof(le);
}

static void nvsim_query_offload(struct nvsim_oid_ctx *ctx)
{
	struct ndis_offload_caps *caps = (void *)ctx->out;
	struct nvsim_nic *nic = ctx->nic;
	u32 v4 = 0, v6 = 0, size = sizeof(*caps);
	u8 rev = NDIS_OFFLOAD_REV_3;

	/* answer with the revision the guest asked for, at most ours */
	if (ctx->in_len >= sizeof(struct ndis_obj_hdr) &&
	    ctx->in[0] == NDIS_OBJ_TYPE_OFFLOAD && ctx->in[1] < rev) {
		rev = ctx->in[1] ? ctx->in[1] : NDIS_OFFLOAD_REV_1;
		size = rev == NDIS_OFFLOAD_REV_2 ? NDIS_OFFLOAD_CAPS_SIZE_6_1 :
						   NDIS_OFFLOAD_CAPS_SIZE_6_0;
	}
	memset(caps, 0, sizeof(*caps));
	caps->hdr.type = NDIS_OBJ_TYPE_OFFLOAD;
	caps->hdr.rev = rev;
	caps->hdr.size = cpu_to_le16(size);
	if (READ_ONCE(nic->off_csum)) {
		v4 = NDIS_CSUM_CAP_IP4OPT | NDIS_CSUM_CAP_TCP4OPT |
		     NDIS_CSUM_CAP_TCP4 | NDIS_CSUM_CAP_IP4;
		v6 = NDIS_CSUM_CAP_IP6EXT | NDIS_CSUM_CAP_TCP6OPT |
		     NDIS_CSUM_CAP_TCP6;
		if (READ_ONCE(nic->off_udp_csum)) {
			v4 |= NDIS_CSUM_CAP_UDP4;
			v6 |= NDIS_CSUM_CAP_UDP6;
		}
		caps->csum.ip4_txenc = cpu_to_le32(NDIS_ENCAP_8023);
		caps->csum.ip4_rxenc = cpu_to_le32(NDIS_ENCAP_8023);
		caps->csum.ip6_txenc = cpu_to_le32(NDIS_ENCAP_8023);
		caps->csum.ip6_rxenc = cpu_to_le32(NDIS_ENCAP_8023);
	}
	caps->csum.ip4_txcsum = cpu_to_le32(v4);
	caps->csum.ip4_rxcsum = cpu_to_le32(v4);
	caps->csum.ip6_txcsum = cpu_to_le32(v6);
	caps->csum.ip6_rxcsum = cpu_to_le32(v6);
	if (READ_ONCE(nic->off_tso)) {
		caps->lsov2.ip4_encap = cpu_to_le32(NDIS_ENCAP_8023);
		caps->lsov2.ip4_max_size = cpu_to_le32(NVSIM_LSO_MAX_SIZE);
		caps->lsov2.ip4_min_segs = cpu_to_le32(NVSIM_LSO_MIN_SEGS);
		caps->lsov2.ip6_encap = cpu_to_le32(NDIS_ENCAP_8023);
		caps->lsov2.ip6_max_size = cpu_to_le32(NVSIM_LSO_MAX_SIZE);
		caps->lsov2.ip6_min_segs = cpu_to_le32(NVSIM_LSO_MIN_SEGS);
		caps->lsov2.ip6_opts = cpu_to_le32(NDIS_LSOV2_CAP_IP6_EXT |
						   NDIS_LSOV2_CAP_IP6_TCPOPT);
	}
	if (rev >= NDIS_OFFLOAD_REV_3 && READ_ONCE(nic->off_rsc)) {
		caps->rsc.ip4 = 1;
		caps->rsc.ip6 = 1;
	}
	ctx->out_len = size;
}

static void nvsim_query_rss_caps(struct nvsim_oid_ctx *ctx)
{
	struct ndis_rss_caps *caps = (void *)ctx->out;
	u32 queues = READ_ONCE(ctx->nic->max_queues);

	memset(caps, 0, sizeof(*caps));
	caps->hdr.type = NDIS_OBJ_TYPE_RSS_CAPS;
	caps->hdr.rev = NDIS_RSS_CAPS_REV_2;
	caps->hdr.size = cpu_to_le16(sizeof(*caps));
	caps->cap_flags = cpu_to_le32(NDIS_RSS_CAP_HASH_TYPE_TCP_IPV4 |
				      NDIS_RSS_CAP_HASH_TYPE_TCP_IPV6 |
				      NDIS_RSS_CAP_HASH_TYPE_TCP_IPV6_EX |
				      NDIS_RSS_CAP_MSI |
				      NDIS_RSS_CAP_CLASSIFICATION_AT_ISR);
	caps->num_int_msg = cpu_to_le32(queues);
	caps->num_recv_queues = cpu_to_le32(queues);
	caps->num_indirect_tabent = cpu_to_le16(READ_ONCE(ctx->nic->rss_itab));
	ctx->out_len = sizeof(*caps);
}

static u32 nvsim_query(struct nvsim_oid_ctx *ctx, u32 oid)
{
	struct nvsim_nic *nic = ctx->nic;
	int i;

	switch (oid) {
	case RNDIS_OID_GEN_MAXIMUM_FRAME_SIZE:
		nvsim_put_u32(ctx, READ_ONCE(nic->mtu_max));
		break;
	case RNDIS_OID_GEN_LINK_SPEED:
		nvsim_put_u32(ctx, READ_ONCE(nic->link_speed) * 10000);
		break;
	case RNDIS_OID_GEN_MEDIA_CONNECT_STATUS:
		nvsim_put_u32(ctx, READ_ONCE(nic->link) ? 0 : 1);
		break;
	case RNDIS_OID_GEN_CURRENT_PACKET_FILTER:
		nvsim_put_u32(ctx, READ_ONCE(nic->filter));
		break;
	case RNDIS_OID_802_3_PERMANENT_ADDRESS:
	case RNDIS_OID_802_3_CURRENT_ADDRESS:
		mutex_lock(&nic->knob_lock);
		memcpy(ctx->out, oid == RNDIS_OID_802_3_PERMANENT_ADDRESS ?
		       nic->perm_mac : nic->cur_mac, ETH_ALEN);
		mutex_unlock(&nic->knob_lock);
		ctx->out_len = ETH_ALEN;
		break;
	case RNDIS_OID_GEN_FRIENDLY_NAME:
		/* UCS-2, NUL terminated */
		for (i = 0; i < sizeof(nvsim_friendly_name); i++) {
			ctx->out[2 * i] = nvsim_friendly_name[i];
			ctx->out[2 * i + 1] = 0;
		}
		ctx->out_len = 2 * sizeof(nvsim_friendly_name);
		break;
	case NDIS_OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES:
		nvsim_query_offload(ctx);
		break;
	case NDIS_OID_GEN_RECEIVE_SCALE_CAPABILITIES:
		if (READ_ONCE(nic->nvsp_version) < NVSP_PROTO_VERSION_5)
			return RNDIS_STATUS_NOT_SUPPORTED;
		nvsim_query_rss_caps(ctx);
		break;
	default:
		return RNDIS_STATUS_NOT_SUPPORTED;
	}
	return RNDIS_STATUS_SUCCESS;
}

static u32 nvsim_set_filter(struct nvsim_oid_ctx *ctx)
{
	u32 filter, status;

	status = nvsim_filter_parse(ctx->in, ctx->in_len, NVSIM_FILTER_MASK,
				    &filter);
	if (status == RNDIS_STATUS_SUCCESS)
		WRITE_ONCE(ctx->nic->filter, filter);
	return status;
}

static u32 nvsim_set_offload(struct nvsim_oid_ctx *ctx)
{
	struct nvsim_nic *nic = ctx->nic;
	bool rx = READ_ONCE(nic->rx_csum);
	bool r4 = READ_ONCE(nic->rsc_ip4);
	bool r6 = READ_ONCE(nic->rsc_ip6);
	u32 status;

	status = nvsim_offload_parse(ctx->in, ctx->in_len, &rx, &r4, &r6);
	if (status != RNDIS_STATUS_SUCCESS)
		return status;
	WRITE_ONCE(nic->rx_csum, rx);
	WRITE_ONCE(nic->rsc_ip4, r4);
	WRITE_ONCE(nic->rsc_ip6, r6);
	WRITE_ONCE(nic->rsc_on, (r4 || r6) && READ_ONCE(nic->off_rsc) &&
		   READ_ONCE(nic->nvsp_version) >= NVSP_PROTO_VERSION_61 &&
		   (READ_ONCE(nic->ndis_caps) & NVSP_NDIS_CAP_RSC));
	return RNDIS_STATUS_SUCCESS;
}

/* Fill @rss from the guest's RSS parameters; UNCHANGED parts from @old */
static u32 nvsim_rss_fill(struct nvsim_oid_ctx *ctx, struct nvsim_rss *rss,
			  const struct nvsim_rss *old, u16 flags)
{
	if (old) {
		rss->hash_info = old->hash_info;
		rss->n = old->n;
		memcpy(rss->itab, old->itab, sizeof(rss->itab));
		memcpy(rss->key, old->key, sizeof(rss->key));
	} else {
		flags = 0;
	}
	return nvsim_rss_parse(ctx->in, ctx->in_len, flags, NVSIM_MAX_CHANS,
			       &rss->hash_info, &rss->n, rss->itab, rss->key);
}

static u32 nvsim_set_rss(struct nvsim_oid_ctx *ctx)
{
	const struct ndis_rss_params *p = (const void *)ctx->in;
	struct nvsim_nic *nic = ctx->nic;
	struct nvsim_rss *rss, *old;
	u32 status;
	u16 flags;

	if (ctx->in_len < sizeof(*p))
		return RNDIS_STATUS_INVALID_LENGTH;
	if (p->hdr.type != NDIS_OBJ_TYPE_RSS_PARAMS ||
	    READ_ONCE(nic->nvsp_version) < NVSP_PROTO_VERSION_5)
		return RNDIS_STATUS_INVALID_DATA;
	flags = le16_to_cpu(p->flags);
	old = rcu_dereference_protected(nic->rss, true);
	if (flags & NDIS_RSS_PARAM_DISABLE_RSS) {
		rcu_assign_pointer(nic->rss, NULL);
		if (old)
			kfree_rcu(old, rcu);
		return RNDIS_STATUS_SUCCESS;
	}
	rss = kzalloc(sizeof(*rss), GFP_KERNEL);
	if (!rss)
		return RNDIS_STATUS_RESOURCES;
	status = nvsim_rss_fill(ctx, rss, old, flags);
	if (status != RNDIS_STATUS_SUCCESS) {
		kfree(rss);
		return status;
	}
	rcu_assign_pointer(nic->rss, rss);
	if (old)
		kfree_rcu(old, rcu);
	return RNDIS_STATUS_SUCCESS;
}

static u32 nvsim_set_config_param(struct nvsim_oid_ctx *ctx)
{
	struct nvsim_nic *nic = ctx->nic;
	u8 mac[ETH_ALEN];
	u32 status;

	status = nvsim_mac_param_parse(ctx->in, ctx->in_len, mac);
	if (status != RNDIS_STATUS_SUCCESS)
		return status;
	mutex_lock(&nic->knob_lock);
	ether_addr_copy(nic->cur_mac, mac);
	mutex_unlock(&nic->knob_lock);
	return RNDIS_STATUS_SUCCESS;
}

static u32 nvsim_set(struct nvsim_oid_ctx *ctx, u32 oid)
{
	switch (oid) {
	case RNDIS_OID_GEN_CURRENT_PACKET_FILTER:
		return nvsim_set_filter(ctx);
	case NDIS_OID_TCP_OFFLOAD_PARAMETERS:
		return nvsim_set_offload(ctx);
	case NDIS_OID_GEN_RECEIVE_SCALE_PARAMETERS:
		return nvsim_set_rss(ctx);
	case RNDIS_OID_GEN_RNDIS_CONFIG_PARAMETER:
		return nvsim_set_config_param(ctx);
	default:
		return RNDIS_STATUS_NOT_SUPPORTED;
	}
}

/* QUERY and SET share the request layout; answer either */
static u32 nvsim_rndis_oid(struct nvsim_chan *chan, u32 type, const u8 *msg,
			   u32 len)
{
	const struct rndis_oid_req *req = (const void *)(msg + RNDIS_HDR_SIZE);
	u32 body = len - RNDIS_HDR_SIZE, ilen, ioff, oid, status;
	struct nvsim_oid_ctx *ctx;
	struct {
		struct rndis_hdr hdr;
		struct rndis_query_comp c;
	} *r;

	oid = le32_to_cpu(req->oid);
	nvsim_rlog(chan->nic, type, oid, false, 0);
	if (nvsim_oid_info(req, body, &ioff, &ilen)) {
		nvsim_bad(chan->nic, "%s oid %#x: info %u@%u in %u bytes\n",
			  nvsim_rndis_name(type), oid, ilen, ioff, body);
		return NVSP_STATUS_INVALID_RNDIS_PKT;
	}
	ctx = kzalloc(sizeof(*ctx) + sizeof(*r), GFP_KERNEL);
	if (!ctx)
		return NVSP_STATUS_FAIL;
	r = (void *)(ctx + 1);
	ctx->nic = chan->nic;
	ctx->in = ilen ? (const u8 *)req + ioff : NULL;
	ctx->in_len = ilen;
	if (oid && oid == READ_ONCE(chan->nic->fail_oid))
		status = RNDIS_STATUS_FAILURE;
	else if (type == RNDIS_MSG_QUERY)
		status = nvsim_query(ctx, oid);
	else
		status = nvsim_set(ctx, oid);

	r->hdr.msg_type = cpu_to_le32(type | RNDIS_MSG_COMPLETION);
	r->c.req_id = req->req_id;
	r->c.status = cpu_to_le32(status);
	if (type == RNDIS_MSG_SET) {
		nvsim_rndis_reply(chan, type, oid, r, RNDIS_HDR_SIZE +
				  sizeof(struct rndis_status_comp), status);
	} else {
		if (status != RNDIS_STATUS_SUCCESS)
			ctx->out_len = 0;
		r->c.info_buflen = cpu_to_le32(ctx->out_len);
		r->c.info_buf_offset = cpu_to_le32(sizeof(r->c));
		memcpy(r + 1, ctx->out, ctx->out_len);
		nvsim_rndis_reply(chan, type, oid, r,
				  sizeof(*r) + ctx->out_len, status);
	}
	kfree(ctx);
	return NVSP_STATUS_SUCCESS;
}

/* RESET_C carries a status and addressing_reset; KEEPALIVE_C the id */
static void nvsim_rndis_simple(struct nvsim_chan *chan, u32 type,
			       const u8 *msg)
{
	union {
		struct rndis_status_comp keepalive;
		struct rndis_reset_comp reset;
	} c = {};
	struct {
		struct rndis_hdr hdr;
		u8 body[sizeof(c)];
	} r = {};
	__le32 first;

	memcpy(&first, msg + RNDIS_HDR_SIZE, sizeof(first));
	r.hdr.msg_type = cpu_to_le32(type | RNDIS_MSG_COMPLETION);
	if (type == RNDIS_MSG_RESET) {
		c.reset.status = cpu_to_le32(RNDIS_STATUS_SUCCESS);
		c.reset.addressing_reset = 0;
	} else {
		c.keepalive.req_id = first;
		c.keepalive.status = cpu_to_le32(RNDIS_STATUS_SUCCESS);
	}
	memcpy(r.body, &c, sizeof(c));
	nvsim_rndis_reply(chan, type, 0, &r, sizeof(r), RNDIS_STATUS_SUCCESS);
}

/*
 * The guest's answer to one of our KEEPALIVEs: ids go up by one per
 * request, so a good answer names one sent (up to ka_last_sent) and not yet
 * answered (above the highest answered so far).  Primary channel work.
 */
static void nvsim_rndis_keepalive_c(struct nvsim_nic *nic, const u8 *msg)
{
	const struct rndis_status_comp *c = (const void *)(msg + RNDIS_HDR_SIZE);
	u32 id = le32_to_cpu(c->req_id), last = nic->ka_last_answered;

	nvsim_rlog(nic, RNDIS_MSG_KEEPALIVE_C, 0, false, 0);
	if ((s32)(id - last) > 0 && (s32)(READ_ONCE(nic->ka_last_sent) - id) >= 0 &&
	    le32_to_cpu(c->status) == RNDIS_STATUS_SUCCESS) {
		WRITE_ONCE(nic->ka_last_answered, id);
		atomic64_inc(&nic->ka_answered);
		nvsim_rlog(nic, RNDIS_MSG_KEEPALIVE_C, 0, true,
			   RNDIS_STATUS_SUCCESS);
	} else {
		atomic64_inc(&nic->ka_bad);
		nvsim_bad(nic, "KEEPALIVE_C id %#x status %#x (sent %#x, answered %#x)\n",
			  id, le32_to_cpu(c->status),
			  READ_ONCE(nic->ka_last_sent), last);
	}
}

/**
 * nvsim_rndis_control() - handle one RNDIS control message from the guest
 * @chan: channel it came on
 * @msg: the message (host copy)
 * @len: bytes available at @msg
 *
 * Answers through the receive buffer on the primary channel.  Primary
 * channel work only (the guest sends control messages there).
 *
 * Return: NVSP status for the SEND_RNDIS_PKT completion.
 */
u32 nvsim_rndis_control(struct nvsim_chan *chan, const u8 *msg, u32 len)
{
	u32 type, mlen;

	if (nvsim_rndis_ctrl_check(msg, len, &type, &mlen))
		goto bad;

	switch (type) {
	case RNDIS_MSG_INIT:
		nvsim_rlog(chan->nic, type, 0, false, 0);
		nvsim_rndis_init(chan, msg, mlen);
		return NVSP_STATUS_SUCCESS;
	case RNDIS_MSG_HALT:
		nvsim_rlog(chan->nic, type, 0, false, 0);
		WRITE_ONCE(chan->nic->filter, 0);
		WRITE_ONCE(chan->nic->rndis_state, NVSIM_RNDIS_HALTED);
		/* no reply; logged as handled */
		nvsim_rlog(chan->nic, type, 0, true, RNDIS_STATUS_SUCCESS);
		return NVSP_STATUS_SUCCESS;
	case RNDIS_MSG_QUERY:
	case RNDIS_MSG_SET:
		return nvsim_rndis_oid(chan, type, msg, mlen);
	case RNDIS_MSG_RESET:
	case RNDIS_MSG_KEEPALIVE:
		nvsim_rlog(chan->nic, type, 0, false, 0);
		nvsim_rndis_simple(chan, type, msg);
		return NVSP_STATUS_SUCCESS;
	case RNDIS_MSG_KEEPALIVE_C:
		nvsim_rndis_keepalive_c(chan->nic, msg);
		return NVSP_STATUS_SUCCESS;
	}
bad:
	nvsim_bad(chan->nic, "bad RNDIS control message (%u bytes)\n", len);
	return NVSP_STATUS_INVALID_RNDIS_PKT;
}

/**
 * nvsim_rndis_indicate() - send an RNDIS status indication to the guest
 * @nic: NIC
 * @status: RNDIS_STATUS_* being indicated
 * @buf: status buffer or NULL
 * @buflen: its length
 *
 * Return: 0, -ENOTCONN if the guest's RNDIS device is not initialized, or
 * the send error.
 */
int nvsim_rndis_indicate(struct nvsim_nic *nic, u32 status,
			 const void *buf, u32 buflen)
{
	struct {
		struct rndis_hdr hdr;
		struct rndis_status_ind ind;
		u8 data[16];
	} m = {};
	u32 len = sizeof(m.hdr) + sizeof(m.ind) + buflen;

	if (buflen > sizeof(m.data))
		return -EINVAL;
	if (READ_ONCE(nic->rndis_state) != NVSIM_RNDIS_INIT ||
	    !READ_ONCE(nic->chans[0].open))
		return -ENOTCONN;
	m.hdr.msg_type = cpu_to_le32(RNDIS_MSG_INDICATE);
	m.hdr.msg_len = cpu_to_le32(len);
	m.ind.status = cpu_to_le32(status);
	m.ind.status_buflen = cpu_to_le32(buflen);
	m.ind.status_buf_offset = cpu_to_le32(buflen ? sizeof(m.ind) : 0);
	if (buflen)
		memcpy(m.data, buf, buflen);
	return nvsim_rx_send_msg(nic, &nic->chans[0], &m, len);
}

/**
 * nvsim_rndis_keepalive() - send RNDIS KEEPALIVE requests to the guest
 * @nic: NIC; caller holds &nvsim_nic.knob_lock
 * @n: how many, back to back, each with the next request id
 *
 * Return: 0, -ENOTCONN if the guest's RNDIS device is not initialized, or
 * the error of the first send that failed.
 */
int nvsim_rndis_keepalive(struct nvsim_nic *nic, u32 n)
{
	struct {
		struct rndis_hdr hdr;
		struct rndis_keepalive_req req;
	} m = {};
	int ret;

	lockdep_assert_held(&nic->knob_lock);
	if (READ_ONCE(nic->rndis_state) != NVSIM_RNDIS_INIT ||
	    !READ_ONCE(nic->chans[0].open))
		return -ENOTCONN;
	m.hdr.msg_type = cpu_to_le32(RNDIS_MSG_KEEPALIVE);
	m.hdr.msg_len = cpu_to_le32(sizeof(m));
	while (n--) {
		/* counted as sent first: the answer may beat the send's return */
		WRITE_ONCE(nic->ka_last_sent, nic->ka_last_sent + 1);
		m.req.req_id = cpu_to_le32(nic->ka_last_sent);
		ret = nvsim_rx_send_msg(nic, &nic->chans[0], &m, sizeof(m));
		if (ret)
			return ret;
		atomic64_inc(&nic->ka_sent);
	}
	return 0;
}
