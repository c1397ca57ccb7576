// SPDX-License-Identifier: GPL-2.0
/*
 * The device's configuration (&netvsc_priv.cfg: MTU, channels, buffer
 * sections): what a change asks for is decided here, and only here is the
 * configuration written.  A change the open channels can serve is made
 * live (netvsc_channel.c); any other re-attaches the device with the new
 * configuration, prepared while the old one runs, and rolls back to the
 * old one when the switch fails.  The ndo and ethtool handlers only
 * validate and call in.
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "netvsc.h"
#include "netvsc_attach.h"
#include "netvsc_cfg.h"
#include "netvsc_channel.h"
#include "netvsc_rndis.h"
#include "netvsc_vf.h"

/**
 * netvsc_data_start - start the data path of an attached, running device
 * @priv: the net device's private part
 *
 * Context: process, RTNL held.
 * Return: 0, or the error of the packet filter request.
 */
int netvsc_data_start(struct netvsc_priv *priv)
{
	struct netvsc_dev *nvdev = rtnl_dereference(priv->nvdev);
	struct net_device *ndev = priv->ndev;
	int ret;

	ASSERT_RTNL();
	WRITE_ONCE(nvdev->filter_on, true);
	ret = netvsc_rndis_set_filter(nvdev, netvsc_rx_filter(ndev));
	if (ret) {
		WRITE_ONCE(nvdev->filter_on, false);
		netdev_err(ndev, "cannot set the packet filter: %d\n", ret);
		return ret;
	}
	if (priv->link_up)
		netif_carrier_on(ndev);
	netif_tx_wake_all_queues(ndev);
	return 0;
}

/**
 * netvsc_data_stop - stop the data path: no more frames either way
 * @priv: the net device's private part
 *
 * Context: process, RTNL held.
 */
void netvsc_data_stop(struct netvsc_priv *priv)
{
	struct netvsc_dev *nvdev = rtnl_dereference(priv->nvdev);
	struct net_device *ndev = priv->ndev;

	ASSERT_RTNL();
	/* first: the poll wakes no TX queue once this is false */
	if (nvdev)
		WRITE_ONCE(nvdev->filter_on, false);
	netif_tx_disable(ndev);
	netif_carrier_off(ndev);
	if (!nvdev)
		return;
	cancel_work_sync(&nvdev->rx_mode_work);
	if (netvsc_rndis_set_filter(nvdev, 0))
		netdev_dbg(ndev, "packet filter 0 not acknowledged\n");
}

/**
 * netvsc_cfg_down - stop the data path and detach the running bring-up
 * @priv: the net device's private part
 *
 * Context: process, RTNL held.
 */
void netvsc_cfg_down(struct netvsc_priv *priv)
{
	ASSERT_RTNL();
	if (netif_running(priv->ndev))
		netvsc_data_stop(priv);
	netif_device_detach(priv->ndev);
	netvsc_dev_detach(priv);
}

/*
 * A bring-up is published: the device is back, its data path running, and
 * the data path switched to the VF again where it was (the host starts a
 * new session on the synthetic path).
 */
static int netvsc_cfg_resume_data(struct netvsc_priv *priv)
{
	int ret;

	netif_device_attach(priv->ndev);
	ret = netif_running(priv->ndev) ? netvsc_data_start(priv) : 0;
	netvsc_vf_session(priv);
	return ret;
}

/**
 * netvsc_cfg_up - attach with the configuration, then start the data path
 * @priv: the net device's private part, detached
 *
 * Context: process, RTNL held.
 * Return: 0, the error of the attach (the device stays detached), or that
 * of the packet filter (the device is attached).
 */
int netvsc_cfg_up(struct netvsc_priv *priv)
{
	struct netvsc_dev *nvdev;

	ASSERT_RTNL();
	nvdev = netvsc_dev_attach(priv, &priv->cfg);
	if (IS_ERR(nvdev))
		return PTR_ERR(nvdev);
	return netvsc_cfg_resume_data(priv);
}

/*
 * Bring the device up again with @cfg, prepare then commit: what the new
 * bring-up needs is allocated and shared with the host while the running
 * one goes on (a failure there changes nothing: no gap, no carrier
 * change); only then is the running one detached and the new one
 * committed.  When the commit fails, attach again with the configuration
 * that worked before (twice: the host may have lost a single message), so
 * a failed change leaves a working device.  The net device stays
 * registered either way.  Returns 0, or the error of the change (the old
 * configuration is then in place, unless the rollback failed too).
 */
static int netvsc_cfg_apply(struct netvsc_priv *priv, const struct netvsc_cfg *cfg)
{
	struct net_device *ndev = priv->ndev;
	struct netvsc_dev *nvdev;
	int ret;

	ASSERT_RTNL();
	nvdev = netvsc_dev_prepare(priv, cfg, rtnl_dereference(priv->nvdev));
	if (IS_ERR(nvdev)) {
		netdev_warn(ndev,
			    "cannot prepare the change (%d); the running configuration stays\n",
			    (int)PTR_ERR(nvdev));
		return PTR_ERR(nvdev);
	}
	netvsc_cfg_down(priv);
	nvdev = netvsc_dev_commit(priv, nvdev, cfg);
	if (!IS_ERR(nvdev)) {
		priv->cfg = *cfg;
		return netvsc_cfg_resume_data(priv) ? -EIO : 0;
	}

	ret = PTR_ERR(nvdev);
	netdev_warn(ndev, "re-attach failed (%d), rolling back\n", ret);
	nvdev = netvsc_dev_attach(priv, &priv->cfg);
	if (IS_ERR(nvdev) && PTR_ERR(nvdev) != -ENODEV)
		nvdev = netvsc_dev_attach(priv, &priv->cfg);
	if (IS_ERR(nvdev)) {
		netdev_err(ndev, "rollback failed too: %d; device detached\n",
			   (int)PTR_ERR(nvdev));
		/* attach again once the host answers what it holds */
		priv->lost = atomic_read(&priv->stuck) > 0;
		return ret;
	}
	netvsc_cfg_resume_data(priv);
	return ret;
}

/**
 * netvsc_cfg_recover_work - attach again after the host's late answer
 * @work: &netvsc_priv.recover_work
 *
 * A re-attach failed because a VMBus call got no answer in time; the host
 * has answered it now (the bring-up it held is freed): attach again with
 * the configuration that worked.
 *
 * Context: process (netvsc_wq); takes RTNL.
 */
void netvsc_cfg_recover_work(struct work_struct *work)
{
	struct netvsc_priv *priv = container_of(work, struct netvsc_priv,
						recover_work);
	struct net_device *ndev = priv->ndev;
	int ret;

	rtnl_lock();
	if (!priv->lost || ndev->reg_state != NETREG_REGISTERED ||
	    rtnl_dereference(priv->nvdev))
		goto out;
	ret = netvsc_cfg_up(priv);
	if (ret && !rtnl_dereference(priv->nvdev)) {
		netdev_err(ndev, "attach after the host's late answer failed: %d\n",
			   ret);
		goto out;
	}
	priv->lost = false;
	netdev_info(ndev, "the host answered; device attached again\n");
out:
	rtnl_unlock();
}

/**
 * netvsc_cfg_defaults - the configuration of a new device
 * @priv: the net device's private part, not attached yet
 */
void netvsc_cfg_defaults(struct netvsc_priv *priv)
{
	priv->cfg = (struct netvsc_cfg) {
		.mtu = ETH_DATA_LEN,
		.chans = NETVSC_CHANNELS_DEFAULT,
		.rx_bufs = NVSP_RECV_SECTIONS_DEFAULT,
		.tx_bufs = NVSP_SEND_SECTIONS_DEFAULT,
	};
}

/**
 * netvsc_cfg_host_mtu - keep the MTU the probe chose from the host's limits
 * @priv: the net device's private part, attached, not registered yet
 */
void netvsc_cfg_host_mtu(struct netvsc_priv *priv)
{
	priv->cfg.mtu = priv->ndev->mtu;
}

/**
 * netvsc_cfg_mtu - change the MTU (ndo_change_mtu)
 * @priv: the net device's private part
 * @mtu: the new MTU, within the limits the core checked
 *
 * A detached device takes it at its next attach.
 *
 * Context: process, RTNL held.
 * Return: 0, or the error of the re-attach (the old MTU then stays).
 */
int netvsc_cfg_mtu(struct netvsc_priv *priv, int mtu)
{
	struct netvsc_cfg cfg = priv->cfg;
	int ret;

	cfg.mtu = mtu;
	if (!rtnl_dereference(priv->nvdev)) {
		priv->cfg = cfg;
		WRITE_ONCE(priv->ndev->mtu, mtu);
		return 0;
	}
	ret = netvsc_cfg_apply(priv, &cfg);
	if (!ret)
		WRITE_ONCE(priv->ndev->mtu, mtu);
	return ret;
}

/**
 * netvsc_cfg_chans - change the channel count (ethtool -L)
 * @priv: the net device's private part, attached
 * @count: channels wanted, 1 up to what the host allows
 *
 * Live when the open channels can serve @count, else a re-attach.
 *
 * Context: process, RTNL held.
 * Return: 0, or the error of the change (the old count then stays).
 */
int netvsc_cfg_chans(struct netvsc_priv *priv, u32 count)
{
	struct netvsc_dev *nvdev = rtnl_dereference(priv->nvdev);
	struct netvsc_cfg cfg;
	int ret;

	if (count == nvdev->num_active)
		return 0;
	ret = netvsc_chans_set_live(priv, count);
	if (!ret)
		priv->cfg.chans = count;
	if (ret != -EAGAIN)
		return ret;

	cfg = priv->cfg;
	cfg.chans = count;
	ret = netvsc_cfg_apply(priv, &cfg);
	nvdev = rtnl_dereference(priv->nvdev);
	if (!ret && nvdev && nvdev->num_active != count)
		netdev_warn(priv->ndev, "asked for %u channels, the host gave %u\n",
			    count, nvdev->num_active);
	return ret;
}

/**
 * netvsc_cfg_sections - change the buffer sections (ethtool -G)
 * @priv: the net device's private part, attached
 * @rx: receive sections wanted, within the limits ethtool reports
 * @tx: send sections wanted, likewise
 *
 * The host keeps its section sizes: the buffers asked for hold as many
 * bytes as @rx and @tx sections of those sizes.
 *
 * Context: process, RTNL held.
 * Return: 0, or the error of the re-attach (the old buffers then stay).
 */
int netvsc_cfg_sections(struct netvsc_priv *priv, u32 rx, u32 tx)
{
	struct netvsc_dev *nvdev = rtnl_dereference(priv->nvdev);
	struct netvsc_cfg cfg = priv->cfg;

	if (rx == nvdev->recv.sections && tx == nvdev->send.sections)
		return 0;
	cfg.rx_bufs = DIV_ROUND_UP(rx * nvdev->recv.section_size,
				   NVSP_RECV_SECTION_SIZE);
	cfg.tx_bufs = DIV_ROUND_UP(tx * nvdev->send.section_size,
				   NVSP_SEND_SECTION_SIZE);
	return netvsc_cfg_apply(priv, &cfg);
}
