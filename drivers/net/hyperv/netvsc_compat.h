/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernel APIs this driver builds against (Debian's
 * 6.1 and 6.12 and the test kernel).  The Kbuild file probes the headers of
 * the kernel being built against and defines NETVSC_HAVE_* for what it
 * finds; every such test of the driver lives in this file, and the rest of
 * the code uses the names below unconditionally.
 */
#ifndef _NETVSC_COMPAT_H
#define _NETVSC_COMPAT_H

#include <linux/hyperv.h>
#include <linux/netdevice.h>

/* <asm/unaligned.h> moved to <linux/unaligned.h> in 6.12. */
#ifdef NETVSC_HAVE_LINUX_UNALIGNED
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* hv_driver::remove returns void from 6.3 on. */
void netvsc_remove(struct hv_device *hdev);

#ifdef NETVSC_HAVE_VOID_REMOVE
static inline void netvsc_remove_compat(struct hv_device *hdev)
{
	netvsc_remove(hdev);
}
#else
static inline int netvsc_remove_compat(struct hv_device *hdev)
{
	netvsc_remove(hdev);
	return 0;
}
#endif

/*
 * Lockless queue stop/wake helpers: netif_txq_maybe_stop() from 6.3 (and
 * Debian's 6.1), netif_txq_maybe_wake() only in between (6.12 has
 * netif_txq_completed_wake()).  Where missing, the same protocol spelled
 * out: stop, full barrier so that the completion side sees the stopped
 * queue before we re-read the free space, re-check, restart.
 */
#ifdef NETVSC_HAVE_NETDEV_QUEUES
#include <net/netdev_queues.h>
#endif

#ifndef netif_txq_maybe_stop
#define netif_txq_maybe_stop(txq, get_desc, stop_thrs, start_thrs)	\
	({								\
		int _res = 1;						\
									\
		if (unlikely((get_desc) < (stop_thrs))) {		\
			netif_tx_stop_queue(txq);			\
			/* pairs with the barrier in maybe_wake */	\
			smp_mb__after_atomic();				\
			_res = 0;					\
			if (likely((get_desc) >= (start_thrs))) {	\
				netif_tx_start_queue(txq);		\
				_res = -1;				\
			}						\
		}							\
		_res;							\
	})
#endif

#ifndef netif_txq_maybe_wake
#define netif_txq_maybe_wake(txq, get_desc, start_thrs)		\
	do {								\
		/* pairs with the barrier in maybe_stop */		\
		smp_mb();						\
		if (unlikely((get_desc) >= (start_thrs)) &&		\
		    netif_tx_queue_stopped(txq))			\
			netif_tx_wake_queue(txq);			\
	} while (0)
#endif

/*
 * ethtool get_rxfh/set_rxfh take a struct ethtool_rxfh_param from 6.8 on;
 * before, the table, key and hash function one by one.  The driver
 * implements the one-by-one form; this makes the ops of the kernel's form.
 */
#ifdef NETVSC_HAVE_RXFH_PARAM
#define NETVSC_RXFH_OPS(get, set)					\
static int get##_compat(struct net_device *ndev,			\
			struct ethtool_rxfh_param *p)			\
{									\
	return get(ndev, p->indir, p->key, &p->hfunc);			\
}									\
static int set##_compat(struct net_device *ndev,			\
			struct ethtool_rxfh_param *p,			\
			struct netlink_ext_ack *extack)			\
{									\
	return set(ndev, p->indir, p->key, p->hfunc);			\
}
#else
#define NETVSC_RXFH_OPS(get, set)					\
static int get##_compat(struct net_device *ndev, u32 *indir, u8 *key,	\
			u8 *hfunc)					\
{									\
	return get(ndev, indir, key, hfunc);				\
}									\
static int set##_compat(struct net_device *ndev, const u32 *indir,	\
			const u8 *key, const u8 hfunc)			\
{									\
	return set(ndev, indir, key, hfunc);				\
}
#endif

/* Per-queue statistics through netdev-genl (6.10): netvsc_qstats.c. */
#ifdef NETVSC_HAVE_STAT_OPS
extern const struct netdev_stat_ops netvsc_stat_ops;

static inline void netvsc_set_stat_ops(struct net_device *ndev)
{
	ndev->stat_ops = &netvsc_stat_ops;
}
#else
static inline void netvsc_set_stat_ops(struct net_device *ndev)
{
}
#endif

/* ethtool_puts() (6.8). */
#ifndef NETVSC_HAVE_ETHTOOL_PUTS
#include <linux/ethtool.h>

static inline void ethtool_puts(u8 **data, const char *str)
{
	strscpy_pad(*data, str, ETH_GSTRING_LEN);
	*data += ETH_GSTRING_LEN;
}
#endif

/* NAPI <-> queue links for netlink (6.8). */
static inline void netvsc_queue_set_napi(struct net_device *ndev, u32 idx,
					 struct napi_struct *napi)
{
#ifdef NETVSC_HAVE_QUEUE_SET_NAPI
	netif_queue_set_napi(ndev, idx, NETDEV_QUEUE_TYPE_RX, napi);
	netif_queue_set_napi(ndev, idx, NETDEV_QUEUE_TYPE_TX, napi);
#endif
}

/* What XDP can do here, for netlink's netdev family (6.3). */
static inline void netvsc_set_xdp_features(struct net_device *ndev)
{
#ifdef NETVSC_HAVE_XDP_FEATURES
	ndev->xdp_features = NETDEV_XDP_ACT_BASIC | NETDEV_XDP_ACT_REDIRECT |
			     NETDEV_XDP_ACT_NDO_XMIT;
#endif
}

#endif /* _NETVSC_COMPAT_H */
