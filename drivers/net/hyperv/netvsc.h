/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Driver state of hv_netvsc: the per-netdev private struct (struct
 * netvsc_priv, one name: "priv"), the per-bring-up device (struct netvsc_dev,
 * "nvdev"), the per-channel queue (struct netvsc_queue, "q") and the control
 * request table.  Wire formats are in include/hv_netvsc/; nothing here is
 * sent to the host as is.
 */
#ifndef _NETVSC_H
#define _NETVSC_H

#include <linux/bits.h>
#include <linux/completion.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/hrtimer.h>
#include <linux/hyperv.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <net/xdp.h>

#include <hv_netvsc/nvsp.h>
#include <hv_netvsc/ppi.h>
#include <hv_netvsc/rndis_ndis.h>

#include "netvsc_compat.h"
#include "netvsc_proto.h"

/**
 * DOC: Locking
 *
 * RTNL serialises every change of device state: probe, remove, suspend,
 * resume, open, stop, MTU, MAC, features, and the link work.  Whoever holds
 * RTNL may attach (netvsc_dev_attach()) or detach (netvsc_dev_detach()) the
 * device; &netvsc_priv.nvdev is only written under RTNL
 * (rtnl_dereference()) and is read by the data path under RCU
 * (rcu_dereference_bh() in ndo_start_xmit, rcu_read_lock() in
 * ndo_get_stats64).  A detached nvdev is freed only after synchronize_net().
 *
 * Each &struct netvsc_queue is owned by its NAPI instance: the receive
 * completion ring, the RSC reassembly state, the iterator position and the
 * rx/tx-completion counters are touched only from that queue's NAPI poll.
 * The send batch and the xmit counters are owned by the TX queue lock
 * (ndo_start_xmit).  Counters written from different contexts live in
 * different u64_stats structs, so no counter has two writers.
 * Send-completion coalescing (netvsc_txc.c) is the one hand-over between
 * the two: the poll writes &netvsc_queue.txc_base and sets txc_held, the
 * send path counts txc_sent; whoever wins napi_schedule_prep() (the send
 * path, the hold's timer, or a host interrupt) starts the next poll, which
 * clears txc_held.  The timer is cancelled after napi_disable().
 *
 * The XDP program (&netvsc_priv.xdp_prog) is replaced under RTNL and read
 * by NAPI under rcu_read_lock(), once per transfer packet, into
 * &netvsc_queue.xdp_prog; the replaced program's reference is put at once
 * (BPF frees it after a grace period).  XDP_TX and ndo_xdp_xmit put their
 * frames into a queue's send batch under that queue's TX lock, as
 * ndo_start_xmit does, so the batch and the xmit counters keep one writer.
 *
 * Send-buffer sections are shared by all queues and taken and given back
 * with atomic bit operations on &netvsc_dev.send_map; the section's
 * &netvsc_section meta data belongs to whoever holds the bit.
 *
 * The control table (&netvsc_dev.ctrl) is protected by its spinlock; a
 * waiter sleeps outside the lock and a late answer to a request that timed
 * out no longer matches the slot's id, so it is dropped (see netvsc_ctrl.c).
 *
 * Subchannel offers reach netvsc_sc_open(), called by VMBus from its own
 * work while netvsc_dev_attach() (RTNL held) waits, bounded, for the
 * offers it asked for.  The callback takes an offer it wants and leaves
 * the open, which waits for the host, to the queue's &netvsc_queue.open_work.
 * One global mutex (netvsc_sc_mutex in netvsc_channel.c) guards the VMBus
 * device's drvdata as the callback reads it, &netvsc_priv.sc_nvdev (the
 * device that may still take offers), &netvsc_dev.sc_limit, and the start
 * of a subchannel's NAPI against &netvsc_dev.sc_closed; it is never held
 * while waiting for the host.  sc_nvdev is cleared when the wait ends, so
 * a late offer finds nothing to open; an open still waiting for the host
 * then ends later, parked.  Neither takes RTNL.  VMBus cannot close one
 * subchannel alone: one the host offered before it answered, beyond what it
 * then granted, stays open (parked) until the device closes, and is never
 * used (&netvsc_dev.num_granted).
 *
 * Lifetime of a bring-up: &netvsc_dev.refs counts its owner (attach, then
 * RTNL until detach), each subchannel open in flight and each host call
 * (netvsc_host_call()).  Every VMBus call that waits for the host without
 * a bound of its own (vmbus_open(), GPADL establish and teardown,
 * vmbus_close()) made under RTNL runs in the host call's work; RTNL waits
 * at most NETVSC_HOST_TIMEOUT_MS.  A call that takes longer is abandoned:
 * the owner turns NAPI off and drops its reference, and the last reference
 * (dropped where the late call ends) closes what is still open and frees the
 * device from &netvsc_dev.release_work.  Until then attach refuses
 * (&netvsc_priv.stuck) and remove waits for it (&netvsc_priv.nvdevs),
 * without RTNL; a device that lost its bring-up that way is attached again
 * once the host answered (&netvsc_priv.recover_work).
 *
 * &netvsc_dev.num_active (written under RTNL, read with READ_ONCE() by the
 * data path) is the number of queues in use; queues from there up to
 * &netvsc_dev.num_queues may be open but parked after a live shrink: the
 * host no longer steers to them and no TX queue maps to them, but their
 * NAPI keeps completing what is left, so nothing in flight is lost.
 *
 * A host RNDIS keepalive is noted by NAPI in &netvsc_dev.ka_pending and
 * answered by &netvsc_dev.ka_work through the control path (process
 * context, a control slot of its own only while the send is in flight);
 * the work is cancelled once NAPI is off and the channel closed, just
 * before the device is freed.
 *
 * Teardown order (netvsc_dev_detach()): packet filter 0 (ndo_stop), RNDIS
 * HALT, mark destroy and wait (bounded) for the host to complete our sends,
 * revoke receive and send buffers, NAPI off, close the channels, tear down
 * the GPADLs, free.  Attach is the exact mirror.
 */

#define NETVSC_RING_BYTES	VMBUS_RING_SIZE(NVSP_RING_PAGES_DEFAULT * 4096)

/* How long the host gets to answer a control request. */
#define NETVSC_CTRL_TIMEOUT_MS	10000

/* Bounded waits during teardown. */
#define NETVSC_DRAIN_TIMEOUT_MS	5000

/* TX flow control, in bytes of free ring space. */
#define NETVSC_TX_STOP_BYTES	(NETVSC_RING_BYTES / 10)
#define NETVSC_TX_WAKE_BYTES	(NETVSC_RING_BYTES / 5)

/* Most page ranges in one GPA-direct packet, and most PFNs in all. */
#define NETVSC_TX_RANGES_MAX	MAX_PAGE_BUFFER_COUNT
#define NETVSC_TX_PFNS_MAX	64

/* Receive completions flushed early once this many are pending. */
#define NETVSC_RXC_BATCH	64

/* Link indications are applied at most this often. */
#define NETVSC_LINK_DELAY_MS	2000

/* Channels a new device starts with (as the in-tree driver since 6.x). */
#define NETVSC_CHANNELS_DEFAULT	16

/*
 * XDP runs on a private copy of each frame in a page of its own: the
 * headroom XDP asks for, the frame, and room for the skb_shared_info of an
 * skb built around the page when the program passes the frame on.
 */
#define NETVSC_XDP_FRAME_MAX	(PAGE_SIZE - XDP_PACKET_HEADROOM -	\
				 SKB_DATA_ALIGN(sizeof(struct skb_shared_info)))
#define NETVSC_XDP_MTU_MAX	(NETVSC_XDP_FRAME_MAX - ETH_HLEN)

/* What an XDP burst left to do at the end of a NAPI poll. */
#define NETVSC_XDP_DONE_TX	BIT(0)
#define NETVSC_XDP_DONE_REDIRECT	BIT(1)

/* How long the host gets to offer the subchannels it granted. */
#define NETVSC_SC_TIMEOUT_MS	10000

/* How long RTNL waits for VMBus opens, closes and GPADL calls. */
#define NETVSC_HOST_TIMEOUT_MS	10000

/*
 * A VF is brought to the NIC's state this long after it joined (a udev
 * rename of a new netdev comes first).
 */
#define NETVSC_VF_SETTLE_MS	100

/* Counters of the VF path in ethtool -S (struct netvsc_vf_pcpu) */
#define NETVSC_VF_NSTATS	5

/**
 * struct netvsc_vf_pcpu - counters of the VF path on one CPU
 * @rx_packets: frames received through the VF
 * @rx_bytes: their bytes
 * @tx_packets: frames sent through the VF
 * @tx_bytes: their bytes
 * @tx_dropped: frames the VF refused
 * @syncp: for 32-bit readers
 */
struct netvsc_vf_pcpu {
	u64_stats_t rx_packets;
	u64_stats_t rx_bytes;
	u64_stats_t tx_packets;
	u64_stats_t tx_bytes;
	u64_stats_t tx_dropped;
	struct u64_stats_sync syncp;
};

/**
 * struct netvsc_vf - the SR-IOV VF of accelerated networking (netvsc_vf.c)
 * @dev: the joined VF: written under RTNL, read by the data path under RCU
 * @tracker: our reference on @dev
 * @node: in the list of NICs a VF may join (RTNL)
 * @alloc: the host's last association said it has a VF for us (RTNL)
 * @serial: the slot number it named (RTNL)
 * @path_vf: the host sends our frames through the VF and we send through it
 *	(written under RTNL, read with READ_ONCE())
 * @xdp: the VF runs the NIC's XDP program, given to it (RTNL)
 * @assoc_lock: protects @assoc_alloc and @assoc_serial
 * @assoc_alloc: an association NAPI received, for @assoc_work
 * @assoc_serial: its serial
 * @assoc_work: takes the association over under RTNL
 * @settle_work: brings a joined VF to the NIC's MTU and state
 * @stats: per-CPU counters of the VF path
 */
struct netvsc_vf {
	struct net_device __rcu *dev;
	netdevice_tracker tracker;
	struct list_head node;
	bool alloc;
	u32 serial;
	bool path_vf;
	bool xdp;
	spinlock_t assoc_lock;	/* NAPI writes, the work reads */
	bool assoc_alloc;
	u32 assoc_serial;
	struct work_struct assoc_work;
	struct delayed_work settle_work;
	struct netvsc_vf_pcpu __percpu *stats;
};

/**
 * struct netvsc_ctrl_slot - one outstanding control request
 * @done: completed when the answer has been copied into @resp
 * @resp: answer of the host (NVSP body or RNDIS message), slot-owned
 * @req_page: RNDIS request sent by GPA; stays allocated until the host
 *	completes the send (@req_inflight), even if the waiter gave up
 * @resp_len: bytes valid in @resp
 * @want: the request id (0: free) and the answer it waits for
 * @req_inflight: the host has not completed the send of @req_page yet
 * @req_dma: in an isolated VM, where @req_page is mapped for the host
 *	(a shared bounce buffer) while @req_inflight
 * @req_dma_len: bytes mapped at @req_dma, 0 when nothing is mapped
 */
struct netvsc_ctrl_slot {
	struct completion done;
	u8 *resp;
	void *req_page;
	dma_addr_t req_dma;
	u32 req_dma_len;
	u32 resp_len;
	struct netvsc_ctrl_want want;
	bool req_inflight;
};

/**
 * struct netvsc_ctrl - control requests in flight
 * @lock: protects the slots
 * @gen: generation of the next request id
 * @errors: answers that matched nothing or failed validation
 * @dma_dev: device the request pages are mapped for (isolated VMs), set
 *	by the first mapping
 * @slot: the slots
 */
struct netvsc_ctrl {
	spinlock_t lock;	/* protects slot[] and gen */
	u32 gen;
	struct device *dma_dev;
	u64 errors;
	struct netvsc_ctrl_slot slot[NETVSC_CTRL_SLOTS];
};

/**
 * struct netvsc_section - owner's notes on a send-buffer section in flight
 * @skbs: the frames copied into it, chained by skb->next, freed when the
 *	host gives the section back (so their sockets' send budget, and TCP
 *	small queues, count them until then)
 * @pkts: frames batched into it
 * @bytes: their skb lengths (for BQL and statistics)
 * @queue: queue that sent it
 */
struct netvsc_section {
	struct sk_buff *skbs;
	u32 bytes;
	u16 pkts;
	u16 queue;
};

/* What the poll counts, written by NAPI: receives and send completions. */
struct netvsc_poll_stats {
	u64_stats_t packets;
	u64_stats_t bytes;
	u64_stats_t multicast;
	u64_stats_t drops;
	u64_stats_t csum_ok;
	u64_stats_t rsc_pkts;
	u64_stats_t comp_busy;
	u64_stats_t host_errors;
	u64_stats_t keepalives;
	u64_stats_t keepalives_coalesced;
	u64_stats_t tx_packets;
	u64_stats_t tx_bytes;
	u64_stats_t tx_failed;
	u64_stats_t wakes;
	u64_stats_t xdp_drop;
	u64_stats_t xdp_tx;
	u64_stats_t xdp_redirect;
	u64_stats_t txc_holds;
	struct u64_stats_sync syncp;
};

/* What the send path counts, under the TX queue lock (ndo_start_xmit, XDP sends). */
struct netvsc_xmit_stats {
	u64_stats_t no_memory;
	u64_stats_t too_big;
	u64_stats_t copied;
	u64_stats_t gpa;
	u64_stats_t linearized;
	u64_stats_t drops;
	u64_stats_t no_section;
	u64_stats_t busy;
	u64_stats_t stops;
	u64_stats_t xdp_xmit;
	u64_stats_t dma_errors;
	u64_stats_t txc_kicks;
	struct u64_stats_sync syncp;
};

/**
 * struct netvsc_stat - one counter of a queue
 * @name: ethtool name; per-queue names have a "%u" for the queue number
 * @xmit: in &struct netvsc_xmit_stats, else in &struct netvsc_poll_stats
 * @offset: where in that struct
 */
struct netvsc_stat {
	char name[ETH_GSTRING_LEN];
	bool xmit;
	u16 offset;
};

#define NETVSC_POLL_STAT(n, m) { n, false, offsetof(struct netvsc_poll_stats, m) }
#define NETVSC_XMIT_STAT(n, m) { n, true, offsetof(struct netvsc_xmit_stats, m) }

/**
 * struct netvsc_tx_batch - send-buffer section being filled by xmit_more
 * @section: section index, or NVSP_SEND_SECTION_NONE when empty
 * @used: bytes written (the last frame unpadded)
 * @last: offset of the last message written
 * @pkts: frames in it
 * @bytes: their skb lengths
 * @skbs: the skbs copied in so far (see struct netvsc_section)
 */
struct netvsc_tx_batch {
	struct sk_buff *skbs;
	u32 section;
	u32 used;
	u32 last;
	u32 pkts;
	u32 bytes;
};

/**
 * struct netvsc_queue - one VMBus channel and the queue pair on it
 * @napi: the queue's NAPI instance
 * @nvdev: device this queue belongs to
 * @chan: VMBus channel
 * @desc: next ring packet, when a poll ran out of budget
 * @rx_range: first range of @desc still to handle (0: from the start)
 * @index: queue number (the channel's sub_channel_index)
 * @open: the channel is open and @napi enabled
 * @napi_on: @napi is enabled (under RTNL, or netvsc_sc_mutex for a
 *	subchannel's start)
 * @offered: VMBus offered this subchannel during the bring-up and its
 *	open ended (opened or failed)
 * @sc_chan: the subchannel @open_work opens
 * @gone: bit 0: the host rescinded this queue's subchannel (said once)
 * @open_work: opens a subchannel outside VMBus's offer work
 * @sends: sends to the host not yet completed
 * @inflight: GPA-direct skbs the host still reads from
 * @scratch: private copy of a received control message
 * @rxc_ids: transaction ids of receive packets not yet completed
 * @rxc_head: next free slot in @rxc_ids
 * @rxc_tail: oldest pending id
 * @rxc_size: slots in @rxc_ids
 * @rxc_fail: the slots of @rxc_ids whose packet is completed with
 *	NVSP_STATUS_FAIL (the host sent something we rejected)
 * @rx_bad: a host error was counted in the receive packet being handled
 * @rsc: RSC reassembly state
 * @xdp_prog: XDP program of the transfer packet being processed (NAPI,
 *	under rcu_read_lock()), NULL when none is attached
 * @xdp_done: NETVSC_XDP_DONE_* of this poll
 * @xdp_rxq: XDP's view of this receive queue
 * @poll_stats: what the poll counts (receives, send completions)
 * @batch: send section being filled
 * @sec_hint: where to look for a free section next
 * @gpa_buf: descriptor buffer of the GPA-direct send being built
 * @tx_done_pkts: frames the host completed during this poll, reported to
 *	the stack (BQL, wake-up) once at its end by netvsc_tx_done_flush()
 * @tx_done_bytes: their bytes
 * @txc_timer: ends a hold of send-completion coalescing (netvsc_txc.c)
 * @txc_held: a poll completed with the host's interrupts left masked;
 *	the send path or @txc_timer starts the next one
 * @txc_streak: polls in a row that took send completions only (NAPI)
 * @txc_sent: frames the send path handed over (TX lock; wraps)
 * @txc_base: @txc_sent when the hold began (NAPI)
 * @xmit_stats: what the send path counts (under the TX queue lock)
 */
struct netvsc_queue {
	struct napi_struct napi;
	struct netvsc_dev *nvdev;
	struct vmbus_channel *chan;
	const struct vmpacket_descriptor *desc;
	u32 rx_range;
	u16 index;
	bool open;
	bool napi_on;
	bool offered;
	struct vmbus_channel *sc_chan;
	unsigned long gone;
	struct work_struct open_work;
	atomic_t sends;
	struct sk_buff_head inflight;
	u8 *scratch;

	u64 *rxc_ids;
	u32 rxc_head;
	u32 rxc_tail;
	u32 rxc_size;
	unsigned long *rxc_fail;
	bool rx_bad;
	struct netvsc_rsc *rsc;
	struct bpf_prog *xdp_prog;
	u8 xdp_done;
	struct xdp_rxq_info xdp_rxq;
	struct netvsc_poll_stats poll_stats;

	struct netvsc_tx_batch batch;
	u32 sec_hint;
	void *gpa_buf;
	u32 tx_done_pkts;
	u32 tx_done_bytes;
	struct hrtimer txc_timer;
	bool txc_held;
	u8 txc_streak;
	u32 txc_sent;
	u32 txc_base;
	struct netvsc_xmit_stats xmit_stats;
};

/**
 * struct netvsc_buf - a buffer shared with the host, cut in sections
 * @mem: the buffer (vmalloc)
 * @size: its size in bytes
 * @gpadl: its GPADL: the host maps it by this handle
 * @section_size: bytes per section, as the host answered
 * @sections: whole sections in the buffer, as the host answered
 * @given: handed to the host (it may hold it until we revoke it)
 *
 * A bring-up prepared with a hint (netvsc_dev_prepare()) has @mem shared
 * and @section_size and @sections expected from the hint before the host
 * was asked; the host's answer then confirms or corrects them.
 */
struct netvsc_buf {
	void *mem;
	u32 size;
	struct vmbus_gpadl gpadl;
	u32 section_size;
	u32 sections;
	bool given;
};

/**
 * struct netvsc_dev - one bring-up of the device: channel, buffers, RNDIS
 * @priv: owner
 * @hdev: VMBus device
 * @ndev: net device
 * @rcu: for freeing after readers are gone
 * @nvsp_ver: negotiated NVSP version
 * @ndis_ver: NDIS version we announced
 * @recv: the receive buffer (sections: the host's sub-allocations)
 * @send: the send buffer
 * @send_map: section bitmap, bit set = in use
 * @send_meta: per-section notes
 * @rndis_max_pkts: frames per send section (RNDIS INIT_C)
 * @rndis_align: alignment of batched frames (RNDIS INIT_C)
 * @max_frame: host OID_GEN_MAXIMUM_FRAME_SIZE (an MTU: the header not
 *	counted), 0 if unknown
 * @perm_addr: permanent MAC reported by the host
 * @caps: offloads offered by the host
 * @ctrl: control requests
 * @rx_mode_work: applies the packet filter outside atomic context
 * @ka_work: answers the host's RNDIS keepalive outside NAPI
 * @ka_pending: the keepalive @ka_work is to answer (netvsc_keepalive_note())
 * @filter_on: the device is open and the filter follows the rx mode; the
 *	poll wakes stopped TX queues only while it is set
 * @isolated: the VM is an isolation (SNP/TDX) VM: the host cannot read
 *	our private memory, so what it reads by page number outside the
 *	GPADL buffers is DMA-mapped (bounced through shared memory); fixed
 *	at version negotiation
 * @destroy: teardown started; no new sends
 * @send_table: host's send indirection table
 * @max_chans: channels the host allows, at most 64 (the online CPUs cap
 *	it further: netvsc_chans_max())
 * @itab_size: RSS indirection table entries the host takes
 * @rss_on: the host has our RSS parameters
 * @sc_wait: netvsc_dev_attach() waits here for subchannel opens
 * @sc_limit: highest subchannel index an offer may open: the number asked
 *	for until the host answers, then the number granted (under
 *	netvsc_sc_mutex)
 * @num_granted: channels the host granted at bring-up, the primary
 *	included: the most a live channel change may use
 * @sc_closed: the channels are being closed: no subchannel NAPI starts
 *	any more (under netvsc_sc_mutex)
 * @refs: owner, subchannel opens in flight, host calls (see DOC: Locking)
 * @closed: the channel is not open through this bring-up: never opened
 *	(prepared only: its GPADLs may still be up) or closed, the GPADLs
 *	torn down
 * @straggler: a subchannel opened after the close began: the release
 *	closes the channels once more (under netvsc_sc_mutex)
 * @hc_work: runs @hc_fn, a VMBus call that waits for the host
 * @hc_fn: the call
 * @hc_what: its name, for the log
 * @hc_ret: its result
 * @hc_done: completed when @hc_fn returned, unless it was abandoned
 * @hc_lock: orders @hc_abandoned against @hc_done
 * @hc_abandoned: the caller stopped waiting; the device is left to the
 *	host call (netvsc_host_call())
 * @release_work: closes what is still open and frees the device once the
 *	last reference is gone outside RTNL
 * @num_active: queues in use (see DOC: Locking)
 * @num_queues: queues in @queues (primary + subchannels asked for)
 * @queues: the queues
 */
struct netvsc_dev {
	struct netvsc_priv *priv;
	struct hv_device *hdev;
	struct net_device *ndev;
	struct rcu_head rcu;

	u32 nvsp_ver;
	u32 ndis_ver;

	struct netvsc_buf recv;
	struct netvsc_buf send;
	unsigned long *send_map;
	struct netvsc_section *send_meta;

	u32 rndis_max_pkts;
	u32 rndis_align;
	u32 max_frame;
	u8 perm_addr[ETH_ALEN];
	struct netvsc_hw_caps caps;

	struct netvsc_ctrl ctrl;
	struct work_struct rx_mode_work;
	struct work_struct ka_work;
	atomic64_t ka_pending;
	bool filter_on;
	bool isolated;
	bool destroy;

	u32 send_table[NVSP_SEND_TABLE_SIZE];
	u32 max_chans;
	u32 itab_size;
	bool rss_on;
	wait_queue_head_t sc_wait;
	u32 sc_limit;
	u32 num_granted;
	bool sc_closed;
	refcount_t refs;
	bool closed;
	bool straggler;
	struct work_struct hc_work;
	int (*hc_fn)(struct netvsc_dev *nvdev);
	const char *hc_what;
	int hc_ret;
	struct completion hc_done;
	spinlock_t hc_lock;	/* orders hc_abandoned and hc_done */
	bool hc_abandoned;
	struct work_struct release_work;
	u32 num_active;
	u32 num_queues;
	struct netvsc_queue queues[];
};

/* Bytes of a descriptor with the most ranges and PFNs we ever send. */
#define NETVSC_GPA_BUF_SIZE	\
	(sizeof(struct vmbus_packet_mpb_array) +			\
	 NETVSC_TX_RANGES_MAX * sizeof(struct hv_mpb_array) +		\
	 NETVSC_TX_PFNS_MAX * sizeof(u64))

/* Room a worst-case GPA packet needs in the ring. */
#define NETVSC_TX_MIN_ROOM	(NETVSC_GPA_BUF_SIZE + 256)

/**
 * struct netvsc_gpa - page ranges of a GPA-direct packet being built
 * @desc: VMBus descriptor with the ranges, at the start of the buffer
 * @pos: where the next range goes
 * @end: end of the buffer
 * @ranges: ranges so far
 * @pfns: PFNs so far
 */
struct netvsc_gpa {
	struct vmbus_packet_mpb_array *desc;
	u8 *pos;
	u8 *end;
	u32 ranges;
	u32 pfns;
};

/**
 * struct netvsc_cfg - what a bring-up asks the host for
 * @mtu: MTU announced in the NDIS config
 * @chans: channels wanted (primary + subchannels)
 * @rx_bufs: receive sections
 * @tx_bufs: send sections
 */
struct netvsc_cfg {
	u32 mtu;
	u32 chans;
	u32 rx_bufs;
	u32 tx_bufs;
};

/* Flows whose TX queue hash covers the ports (ethtool rx-flow-hash). */
#define NETVSC_L4_HASH_TCP4	BIT(0)
#define NETVSC_L4_HASH_TCP6	BIT(1)
#define NETVSC_L4_HASH_UDP4	BIT(2)
#define NETVSC_L4_HASH_UDP6	BIT(3)
#define NETVSC_L4_HASH_ALL	GENMASK(3, 0)

/* Link events noted by NAPI and applied by the link work. */
#define NETVSC_LINK_EV_UP	BIT(0)
#define NETVSC_LINK_EV_DOWN	BIT(1)
#define NETVSC_LINK_EV_CHANGE	BIT(2)

/**
 * struct netvsc_priv - private part of the net device
 * @hdev: VMBus device
 * @ndev: net device
 * @nvdev: current bring-up, NULL while detached (RCU, written under RTNL)
 * @msg_enable: netif_msg bits
 * @speed: link speed in Mb/s, SPEED_UNKNOWN until the host says
 * @link_lock: protects @link_events
 * @link_events: NETVSC_LINK_EV_* not yet applied
 * @link_up: host link state as last applied
 * @link_work: applies link events under RTNL
 * @cfg: what the next attach asks the host for (RTNL)
 * @max_chans: channel maximum seen at the last attach that could tell
 * @sc_nvdev: device taking subchannel offers now, or NULL (under
 *	netvsc_sc_mutex)
 * @nvdevs: bring-ups not yet freed; remove waits for 0
 * @nvdev_wq: where remove waits
 * @stuck: bring-ups with a host call abandoned; attach refuses while set
 * @lost: a re-attach failed on a host call that never ended; attach again
 *	once the host answered (@recover_work)
 * @recover_work: attaches again after @lost, under RTNL
 * @rss_key: Toeplitz key (survives re-attach)
 * @rss_table: indirection table (survives re-attach)
 * @l4_hash: NETVSC_L4_HASH_* flows whose TX queue hash includes ports
 * @xdp_prog: attached XDP program (RCU, written under RTNL); survives
 *	re-attach
 * @txc_usecs: ethtool tx-usecs: longest hold of send completions, 0 off
 *	(RTNL; read locklessly)
 * @txc_frames: ethtool tx-frames: sends that end a hold
 * @max_mtu: largest MTU the host takes (max_mtu is lower while XDP is on)
 * @base: counters of earlier bring-ups (RTNL, and @stats_seq for
 *	netvsc_get_stats64())
 * @stats_nvdev: the device whose queue counters count on top of @base:
 *	the attached one, and during its detach until its counters are
 *	folded into @base (NAPI off), so that nothing counted while it
 *	drains is lost (RCU, written under RTNL)
 * @stats_seq: readers without RTNL see @base and @stats_nvdev both from
 *	before or both from after a fold
 * @host_errors: host protocol violations seen outside the queues' NAPI
 *	(bring-up, channel requests); added to rx_host_errors
 * @vf: the SR-IOV VF of accelerated networking (netvsc_vf.c)
 */
struct netvsc_priv {
	struct hv_device *hdev;
	struct net_device *ndev;
	struct netvsc_dev __rcu *nvdev;
	u32 msg_enable;
	u32 speed;

	spinlock_t link_lock;	/* protects link_events */
	u32 link_events;
	bool link_up;
	struct delayed_work link_work;

	struct netvsc_cfg cfg;
	u32 max_chans;
	struct netvsc_dev *sc_nvdev;
	atomic_t nvdevs;
	wait_queue_head_t nvdev_wq;
	atomic_t stuck;
	bool lost;
	struct work_struct recover_work;
	u8 rss_key[NDIS_RSS_KEY_SIZE];
	u16 rss_table[NDIS_RSS_ITAB_MAX];
	u32 l4_hash;
	struct bpf_prog __rcu *xdp_prog;
	u32 txc_usecs;
	u32 txc_frames;
	u32 max_mtu;
	struct rtnl_link_stats64 base;
	struct netvsc_dev __rcu *stats_nvdev;
	seqcount_t stats_seq;
	atomic64_t host_errors;
	struct netvsc_vf vf;
};

/**
 * netvsc_vf_assoc_post - hand a VF association from the host to process
 *	context
 * @priv: the NIC
 * @alloc: the host has a VF for it (or took it back)
 * @serial: the VF's slot number
 *
 * Context: NAPI.
 */
static inline void netvsc_vf_assoc_post(struct netvsc_priv *priv, bool alloc,
					u32 serial)
{
	spin_lock(&priv->vf.assoc_lock);
	priv->vf.assoc_alloc = alloc;
	priv->vf.assoc_serial = serial;
	spin_unlock(&priv->vf.assoc_lock);
	schedule_work(&priv->vf.assoc_work);
}

/* counters */
static inline void netvsc_rx_count(struct netvsc_queue *q, u64_stats_t *ctr)
{
	u64_stats_update_begin(&q->poll_stats.syncp);
	u64_stats_inc(ctr);
	u64_stats_update_end(&q->poll_stats.syncp);
}

static inline void netvsc_xmit_count(struct netvsc_queue *q, u64_stats_t *ctr)
{
	u64_stats_update_begin(&q->xmit_stats.syncp);
	u64_stats_inc(ctr);
	u64_stats_update_end(&q->xmit_stats.syncp);
}

#endif /* _NETVSC_H */
