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
 * Lockless queue stop/wake helpers (6.3).  Before that, the same protocol
 * spelled out: stop, full barrier so that the completion side sees the
 * stopped queue before we re-read the free space, re-check, restart.
 */
#ifdef NETVSC_HAVE_NETDEV_QUEUES
#include <net/netdev_queues.h>
#else
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

#define netif_txq_maybe_wake(txq, get_desc, start_thrs)		\
	({								\
		/* pairs with the barrier in maybe_stop */		\
		smp_mb();						\
		if (unlikely((get_desc) >= (start_thrs)) &&		\
		    netif_tx_queue_stopped(txq))			\
			netif_tx_wake_queue(txq);			\
	})
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

#endif /* _NETVSC_COMPAT_H */
