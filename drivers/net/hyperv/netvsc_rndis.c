// SPDX-License-Identifier: GPL-2.0
/*
 * The RNDIS layer over NVSP: initialize and halt, OID queries and sets
 * (frame size, MAC, offload capabilities and parameters, media state, link
 * speed, packet filter, NetworkAddress), and the status indications the
 * host sends (link up/down, network change, speed change), applied to the
 * net device by the link work under RTNL.  Requests go through the control
 * path in netvsc_ctrl.c.
 */
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "netvsc.h"
#include "netvsc_build.h"
#include "netvsc_ctrl.h"
#include "netvsc_nvsp.h"
#include "netvsc_proto.h"
#include "netvsc_rndis.h"
#include "netvsc_seq.h"

/* Information a QUERY may carry in (an NDIS object header at most). */
#define NETVSC_OID_QUERY_IN_MAX	64
/* Information a SET may carry: the RSS parameters are the largest. */
#define NETVSC_OID_SET_MAX	NETVSC_RSS_PARAMS_MAX

/* An OID request with @len bytes of information; kfree() it. */
static struct rndis_oid_req *netvsc_oid_req_alloc(u32 oid, const void *info,
						  u32 len, u32 *req_len)
{
	struct rndis_oid_req *r;

	r = kzalloc(struct_size(r, info_buf, len), GFP_KERNEL);
	if (!r)
		return NULL;
	r->oid = cpu_to_le32(oid);
	r->info_buflen = cpu_to_le32(len);
	r->info_buf_offset = cpu_to_le32(sizeof(*r));
	if (len)
		memcpy(r->info_buf, info, len);
	*req_len = struct_size(r, info_buf, len);
	return r;
}

/**
 * netvsc_rndis_query - query an OID
 * @nvdev: the device
 * @oid: the OID
 * @in: information sent with the query (an NDIS object header), or NULL
 * @in_len: its length
 * @out: where the answer goes
 * @min: fewest bytes of answer that make sense
 * @cap: size of @out
 *
 * Context: process; waits (bounded) for the host.
 * Return: bytes copied to @out or a negative errno (-EPROTO when the host
 * answered with less than @min or more than @cap bytes: counted as a host
 * error).
 */
int netvsc_rndis_query(struct netvsc_dev *nvdev, u32 oid, const void *in,
		       u32 in_len, void *out, u32 min, u32 cap)
{
	struct rndis_oid_req *req;
	u32 len, off, info_len;
	u8 *resp;
	int ret;

	if (WARN_ON_ONCE(in_len > NETVSC_OID_QUERY_IN_MAX))
		return -EINVAL;
	req = netvsc_oid_req_alloc(oid, in, in_len, &len);
	resp = kmalloc(NETVSC_CTRL_RESP_MAX, GFP_KERNEL);
	if (!req || !resp) {
		ret = -ENOMEM;
		goto out;
	}

	ret = netvsc_ctrl_rndis(nvdev, RNDIS_MSG_QUERY, req, len, resp,
				NETVSC_CTRL_RESP_MAX, &len);
	if (ret)
		goto out;
	ret = netvsc_query_info((void *)resp, len, &off, &info_len);
	if (!ret && (info_len < min || info_len > cap)) {
		netvsc_dev_host_error(nvdev->priv,
				      "answer to OID %#x has %u bytes, want %u to %u\n",
				      oid, info_len, min, cap);
		ret = -EPROTO;
	}
	if (ret) {
		netdev_dbg(nvdev->ndev, "query %#x failed: %d\n", oid, ret);
		goto out;
	}
	ret = min(info_len, cap);
	memcpy(out, resp + off, ret);
out:
	kfree(resp);
	kfree(req);
	return ret;
}

/**
 * netvsc_rndis_set - set an OID
 * @nvdev: the device
 * @oid: the OID
 * @data: the information
 * @data_len: its length
 *
 * Context: process; waits (bounded) for the host.
 * Return: 0, -EIO when the host refused, or another negative errno.
 */
int netvsc_rndis_set(struct netvsc_dev *nvdev, u32 oid, const void *data,
		     u32 data_len)
{
	struct rndis_oid_req *req;
	struct rndis_msg resp;
	u32 len;
	int ret;

	if (WARN_ON_ONCE(data_len > NETVSC_OID_SET_MAX))
		return -EINVAL;
	req = netvsc_oid_req_alloc(oid, data, data_len, &len);
	if (!req)
		return -ENOMEM;

	ret = netvsc_ctrl_rndis(nvdev, RNDIS_MSG_SET, req, len, &resp,
				sizeof(resp), &len);
	kfree(req);
	if (ret)
		return ret;
	if (le32_to_cpu(resp.body.set_comp.status) != RNDIS_STATUS_SUCCESS) {
		netdev_dbg(nvdev->ndev, "set %#x refused: %#x\n", oid,
			   le32_to_cpu(resp.body.set_comp.status));
		return -EIO;
	}
	return 0;
}

static int netvsc_rndis_init(struct netvsc_dev *nvdev)
{
	struct rndis_init_req req = {
		.major_ver = cpu_to_le32(RNDIS_MAJOR_VERSION),
		.minor_ver = cpu_to_le32(RNDIS_MINOR_VERSION),
		.max_xfer_size = cpu_to_le32(RNDIS_INIT_MAX_XFER_SIZE),
	};
	const struct rndis_init_comp *ic;
	struct rndis_msg resp;
	u32 len, pkts, factor;
	int ret;

	ret = netvsc_ctrl_rndis(nvdev, RNDIS_MSG_INIT, &req, sizeof(req), &resp,
				sizeof(resp), &len);
	if (ret)
		return ret;
	ic = &resp.body.init_comp;
	if (le32_to_cpu(ic->status) != RNDIS_STATUS_SUCCESS) {
		netdev_err(nvdev->ndev, "RNDIS initialize refused: %#x\n",
			   le32_to_cpu(ic->status));
		return -EIO;
	}

	/* bound what the host says: batching only ever shrinks */
	pkts = le32_to_cpu(ic->max_pkt_per_msg);
	factor = le32_to_cpu(ic->pkt_alignment_factor);
	nvdev->rndis_max_pkts = clamp_t(u32, pkts, 1, 64);
	nvdev->rndis_align = factor <= 7 ? 1U << factor : 128;
	nvdev->rndis_align = max_t(u32, nvdev->rndis_align, sizeof(u32));
	return 0;
}

static int netvsc_rndis_offload(struct netvsc_dev *nvdev)
{
	struct ndis_offload_caps hw = {};
	struct ndis_obj_hdr in = { .type = NDIS_OBJ_TYPE_OFFLOAD };
	struct ndis_offload_cfg cfg = {};
	struct netvsc_hw_caps *caps = &nvdev->caps;
	u32 size, cfg_len;
	int ret;

	if (nvdev->nvsp_ver >= NVSP_PROTO_VERSION_5) {
		in.rev = NDIS_OFFLOAD_REV_3;
		size = NDIS_OFFLOAD_CAPS_SIZE_6_30;
	} else if (nvdev->nvsp_ver >= NVSP_PROTO_VERSION_4) {
		in.rev = NDIS_OFFLOAD_REV_2;
		size = NDIS_OFFLOAD_CAPS_SIZE_6_1;
	} else {
		in.rev = NDIS_OFFLOAD_REV_1;
		size = NDIS_OFFLOAD_CAPS_SIZE_6_0;
	}
	in.size = cpu_to_le16(size);

	ret = netvsc_rndis_query(nvdev, NDIS_OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES,
				 &in, sizeof(in), &hw, NDIS_OFFLOAD_CAPS_SIZE_6_0,
				 sizeof(hw));
	if (ret < 0)
		return ret;
	size = le16_to_cpu(hw.hdr.size);
	if (hw.hdr.type != NDIS_OBJ_TYPE_OFFLOAD || !hw.hdr.rev ||
	    size < NDIS_OFFLOAD_CAPS_SIZE_6_0 || size > ret) {
		netdev_warn(nvdev->ndev, "malformed offload capabilities\n");
		return -EPROTO;
	}
	netvsc_caps_parse(&hw, size, caps);
	if (nvdev->nvsp_ver <= NVSP_PROTO_VERSION_4) {
		caps->udp4_csum = false;
		caps->udp6_csum = false;
	}

	cfg.hdr.type = NDIS_OBJ_TYPE_DEFAULT;
	cfg.hdr.rev = NDIS_OFFLOAD_CFG_REV_3;
	cfg_len = nvdev->nvsp_ver <= NVSP_PROTO_VERSION_4 ?
		  NDIS_OFFLOAD_CFG_SIZE_NVSP4 : NDIS_OFFLOAD_CFG_SIZE;
	cfg.hdr.size = cpu_to_le16(cfg_len);
	/* we never ask for the IPv4 header checksum */
	cfg.ip4_csum = NDIS_OFFLOAD_CFG_TX_RX_DISABLED;
	if (caps->csum_tx & NETIF_F_IP_CSUM) {
		cfg.tcp4_csum = NDIS_OFFLOAD_CFG_TX_RX_ENABLED;
		if (caps->udp4_csum)
			cfg.udp4_csum = NDIS_OFFLOAD_CFG_TX_RX_ENABLED;
	}
	if (caps->csum_tx & NETIF_F_IPV6_CSUM) {
		cfg.tcp6_csum = NDIS_OFFLOAD_CFG_TX_RX_ENABLED;
		if (caps->udp6_csum)
			cfg.udp6_csum = NDIS_OFFLOAD_CFG_TX_RX_ENABLED;
	}
	if (caps->tso & NETIF_F_TSO)
		cfg.lsov2_ip4 = NDIS_OFFLOAD_CFG_ENABLED;
	if (caps->tso & NETIF_F_TSO6)
		cfg.lsov2_ip6 = NDIS_OFFLOAD_CFG_ENABLED;
	if (caps->rsc && cfg_len > NDIS_OFFLOAD_CFG_SIZE_NVSP4) {
		/* on at first bring-up; afterwards what the user chose */
		bool lro = !nvdev->ndev->hw_features ||
			   (nvdev->ndev->features & NETIF_F_LRO);
		u8 v = lro ? NDIS_OFFLOAD_CFG_ENABLED :
			     NDIS_OFFLOAD_CFG_DISABLED;

		cfg.rsc_ip4 = v;
		cfg.rsc_ip6 = v;
	}
	ret = netvsc_rndis_set(nvdev, NDIS_OID_TCP_OFFLOAD_PARAMETERS, &cfg,
			       cfg_len);
	if (ret) {
		netdev_warn(nvdev->ndev, "host refused offload parameters: %d\n",
			    ret);
		memset(caps, 0, sizeof(*caps));
	}
	return 0;
}

static void netvsc_rndis_link(struct netvsc_dev *nvdev)
{
	struct netvsc_priv *priv = nvdev->priv;
	__le32 v;

	if (netvsc_rndis_query(nvdev, RNDIS_OID_GEN_MEDIA_CONNECT_STATUS, NULL,
			       0, &v, sizeof(v), sizeof(v)) == sizeof(v))
		priv->link_up = le32_to_cpu(v) == 0;
	else
		priv->link_up = true;

	if (nvdev->nvsp_ver >= NVSP_PROTO_VERSION_5 &&
	    netvsc_rndis_query(nvdev, RNDIS_OID_GEN_LINK_SPEED, NULL, 0, &v,
			       sizeof(v), sizeof(v)) == sizeof(v))
		WRITE_ONCE(priv->speed, le32_to_cpu(v) / 10000);
}

/**
 * netvsc_rndis_bringup - RNDIS initialize and the device queries
 * @nvdev: device whose NVSP layer is up
 *
 * Context: process, RTNL held.
 * Return: 0 or a negative errno; optional queries that fail are logged and
 * leave defaults in place.
 */
int netvsc_rndis_bringup(struct netvsc_dev *nvdev)
{
	__le32 v;
	int ret;

	ret = netvsc_rndis_init(nvdev);
	if (ret)
		return ret;

	if (netvsc_rndis_query(nvdev, RNDIS_OID_GEN_MAXIMUM_FRAME_SIZE, NULL, 0,
			       &v, sizeof(v), sizeof(v)) == sizeof(v))
		nvdev->max_frame = le32_to_cpu(v);

	ret = netvsc_rndis_query(nvdev, RNDIS_OID_802_3_PERMANENT_ADDRESS, NULL,
				 0, nvdev->perm_addr, ETH_ALEN, ETH_ALEN);
	if (ret < 0) {
		netdev_err(nvdev->ndev, "cannot read the MAC address: %d\n",
			   ret);
		return ret;
	}

	ret = netvsc_rndis_offload(nvdev);
	if (ret)
		netdev_warn(nvdev->ndev, "no offloads: %d\n", ret);

	netvsc_rndis_link(nvdev);
	return 0;
}

/**
 * netvsc_rndis_halt - tell the host we stop using RNDIS (no answer comes)
 * @nvdev: the device
 */
void netvsc_rndis_halt(struct netvsc_dev *nvdev)
{
	struct rndis_halt_req req = {};

	if (nvdev->hdev->channel->rescind)
		return;
	if (netvsc_ctrl_rndis(nvdev, RNDIS_MSG_HALT, &req, sizeof(req), NULL, 0,
			      NULL))
		netdev_dbg(nvdev->ndev, "RNDIS halt not sent\n");
}

/**
 * netvsc_rndis_set_filter - set the RNDIS packet filter
 * @nvdev: the device
 * @filter: RNDIS_PACKET_TYPE_* bits, 0 to stop receiving
 *
 * Return: 0 or a negative errno.
 */
int netvsc_rndis_set_filter(struct netvsc_dev *nvdev, u32 filter)
{
	__le32 v = cpu_to_le32(filter);

	if (nvdev->hdev->channel->rescind)
		return -ENODEV;
	return netvsc_rndis_set(nvdev, RNDIS_OID_GEN_CURRENT_PACKET_FILTER, &v,
				sizeof(v));
}

/**
 * netvsc_rndis_set_mac - change the MAC address through NetworkAddress
 * @nvdev: the device
 * @mac: new address
 *
 * Return: 0 or a negative errno.
 */
int netvsc_rndis_set_mac(struct netvsc_dev *nvdev, const u8 *mac)
{
	u8 buf[NETVSC_MAC_PARAM_SIZE];
	u32 len = netvsc_mac_param_build(buf, mac);

	return netvsc_rndis_set(nvdev, RNDIS_OID_GEN_RNDIS_CONFIG_PARAMETER, buf,
				len);
}

/**
 * netvsc_rndis_set_rsc - switch host receive segment coalescing
 * @nvdev: the device
 * @on: enable
 *
 * Return: 0, -EOPNOTSUPP if the host has no RSC, or a negative errno.
 */
int netvsc_rndis_set_rsc(struct netvsc_dev *nvdev, bool on)
{
	struct ndis_offload_cfg cfg = {};
	u8 v = on ? NDIS_OFFLOAD_CFG_ENABLED : NDIS_OFFLOAD_CFG_DISABLED;

	if (!nvdev->caps.rsc)
		return -EOPNOTSUPP;
	cfg.hdr.type = NDIS_OBJ_TYPE_DEFAULT;
	cfg.hdr.rev = NDIS_OFFLOAD_CFG_REV_3;
	cfg.hdr.size = cpu_to_le16(NDIS_OFFLOAD_CFG_SIZE);
	cfg.rsc_ip4 = v;
	cfg.rsc_ip6 = v;
	return netvsc_rndis_set(nvdev, NDIS_OID_TCP_OFFLOAD_PARAMETERS, &cfg,
				sizeof(cfg));
}

/**
 * netvsc_rx_filter - RNDIS packet filter for the current rx mode
 * @ndev: the net device
 *
 * Return: RNDIS_PACKET_TYPE_* bits.
 */
u32 netvsc_rx_filter(struct net_device *ndev)
{
	u32 filter = RNDIS_PACKET_TYPE_DIRECTED | RNDIS_PACKET_TYPE_BROADCAST;
	unsigned int flags = READ_ONCE(ndev->flags);

	if (flags & IFF_PROMISC)
		return RNDIS_PACKET_TYPE_PROMISCUOUS;
	/* the host has no multicast list: any group means all of them */
	if ((flags & IFF_ALLMULTI) || !netdev_mc_empty(ndev))
		filter |= RNDIS_PACKET_TYPE_ALL_MULTICAST;
	return filter;
}

/**
 * netvsc_rx_mode_work - apply the rx mode; queued by ndo_set_rx_mode
 * @work: &netvsc_dev.rx_mode_work
 *
 * Runs without RTNL; ndo_stop and the detach cancel it before they change
 * the filter or free the device.
 */
void netvsc_rx_mode_work(struct work_struct *work)
{
	struct netvsc_dev *nvdev = container_of(work, struct netvsc_dev,
						rx_mode_work);
	int ret;

	if (!READ_ONCE(nvdev->filter_on))
		return;
	ret = netvsc_rndis_set_filter(nvdev, netvsc_rx_filter(nvdev->ndev));
	if (ret)
		netdev_warn(nvdev->ndev, "packet filter not set: %d\n", ret);
}

static void netvsc_link_event(struct netvsc_priv *priv, u32 ev,
			      unsigned long delay)
{
	spin_lock(&priv->link_lock);
	/* the latest of up and down wins */
	if (ev & (NETVSC_LINK_EV_UP | NETVSC_LINK_EV_DOWN))
		priv->link_events &= ~(NETVSC_LINK_EV_UP | NETVSC_LINK_EV_DOWN);
	priv->link_events |= ev;
	spin_unlock(&priv->link_lock);
	mod_delayed_work(system_wq, &priv->link_work, delay);
}

/**
 * netvsc_rndis_indicate - handle an RNDIS status indication
 * @q: queue it arrived on
 * @msg: private copy of the message
 * @len: bytes of it
 *
 * Context: NAPI.
 */
void netvsc_rndis_indicate(struct netvsc_queue *q, const void *msg, u32 len)
{
	struct netvsc_priv *priv = q->nvdev->priv;
	u32 status, speed = 0;

	if (netvsc_indicate_parse(msg, len, &status, &speed)) {
		netvsc_host_error(q, "malformed status indication\n");
		return;
	}

	switch (status) {
	case RNDIS_STATUS_MEDIA_CONNECT:
		netvsc_link_event(priv, NETVSC_LINK_EV_UP, 0);
		break;
	case RNDIS_STATUS_MEDIA_DISCONNECT:
		netvsc_link_event(priv, NETVSC_LINK_EV_DOWN, 0);
		break;
	case RNDIS_STATUS_NETWORK_CHANGE:
		netvsc_link_event(priv, NETVSC_LINK_EV_CHANGE, 0);
		break;
	case RNDIS_STATUS_LINK_SPEED_CHANGE:
		WRITE_ONCE(priv->speed, speed);
		break;
	default:
		netdev_dbg(priv->ndev, "status %#x ignored\n", status);
	}
}

/**
 * netvsc_rndis_keepalive - the host asks whether we are alive
 * @q: queue it arrived on
 * @msg: private copy of the message (msg_len checked)
 *
 * The answer, RNDIS_MSG_KEEPALIVE_C with the same request id, takes a
 * control slot and may find the ring full, so it is sent from a work item;
 * keepalives arriving faster than that are answered only for the latest.
 *
 * Context: NAPI.
 */
void netvsc_rndis_keepalive(struct netvsc_queue *q, const struct rndis_msg *msg)
{
	struct netvsc_dev *nvdev = q->nvdev;
	u32 id;

	if (netvsc_keepalive_parse(msg, &id)) {
		netvsc_host_error(q, "short RNDIS keepalive\n");
		return;
	}
	netvsc_rx_count(q, &q->poll_stats.keepalives);
	if (netvsc_keepalive_note(&nvdev->ka_pending, id))
		netvsc_rx_count(q, &q->poll_stats.keepalives_coalesced);
	if (!READ_ONCE(nvdev->destroy))
		schedule_work(&nvdev->ka_work);
}

/**
 * netvsc_keepalive_work - answer the latest host keepalive
 * @work: &netvsc_dev.ka_work
 */
void netvsc_keepalive_work(struct work_struct *work)
{
	struct netvsc_dev *nvdev = container_of(work, struct netvsc_dev,
						ka_work);
	struct rndis_status_comp c = {
		.status = cpu_to_le32(RNDIS_STATUS_SUCCESS),
	};
	u32 id;
	int ret;

	if (READ_ONCE(nvdev->destroy) ||
	    !netvsc_keepalive_take(&nvdev->ka_pending, &id))
		return;
	c.req_id = cpu_to_le32(id);
	ret = netvsc_ctrl_rndis_answer(nvdev, RNDIS_MSG_KEEPALIVE_C, &c,
				       sizeof(c));
	if (ret)
		netdev_dbg(nvdev->ndev, "keepalive %#x not answered: %d\n", id,
			   ret);
}

/**
 * netvsc_link_work - apply link events to the carrier
 * @work: &netvsc_priv.link_work
 *
 * A network change is shown as a short link down, so that DHCP clients and
 * neighbours notice, followed by link up after NETVSC_LINK_DELAY_MS.
 */
void netvsc_link_work(struct work_struct *work)
{
	struct netvsc_priv *priv = container_of(to_delayed_work(work),
						struct netvsc_priv, link_work);
	struct net_device *ndev = priv->ndev;
	u32 ev;

	spin_lock_bh(&priv->link_lock);
	ev = priv->link_events;
	priv->link_events = 0;
	spin_unlock_bh(&priv->link_lock);

	rtnl_lock();
	if (!rtnl_dereference(priv->nvdev))
		goto out;

	if (ev & NETVSC_LINK_EV_CHANGE) {
		netif_carrier_off(ndev);
		priv->link_up = true;
		spin_lock_bh(&priv->link_lock);
		priv->link_events |= NETVSC_LINK_EV_UP;
		spin_unlock_bh(&priv->link_lock);
		schedule_delayed_work(&priv->link_work,
				      msecs_to_jiffies(NETVSC_LINK_DELAY_MS));
		goto out;
	}
	if (ev & NETVSC_LINK_EV_DOWN) {
		priv->link_up = false;
		netif_carrier_off(ndev);
	}
	if (ev & NETVSC_LINK_EV_UP) {
		priv->link_up = true;
		if (!netif_running(ndev))
			goto out;
		if (netif_carrier_ok(ndev))
			__netdev_notify_peers(ndev);
		else
			netif_carrier_on(ndev);
	}
out:
	rtnl_unlock();
}
