/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmbus_sim - private state shared by the files of vmbus_sim.ko.
 *
 * One &struct vmbus_sim_device per offered device embeds the guest's
 * &struct hv_device; one &struct vmbus_sim_chan per channel embeds the
 * guest's &struct vmbus_channel next to the host-side state (work item,
 * counters, receive copy buffer).  Nothing here is visible to providers.
 */
#ifndef _VMBUS_SIM_INTERNAL_H
#define _VMBUS_SIM_INTERNAL_H

#include <linux/atomic.h>
#include <linux/hyperv.h>
#include <linux/irq_work.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/uio.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "vmbus_sim.h"

/**
 * DOC: Locking
 *
 * Global state (&struct vmbus_sim_bus, one instance ``vmbus_sim``):
 *
 * - ``vmbus_sim.lock`` (mutex) protects the list of offered devices (used
 *   for instance-GUID uniqueness and for the final cleanup at unload).
 * - ``vmbus_sim.gpadls`` (xarray, own spinlock) maps GPADL handles to
 *   &struct vmbus_sim_gpadl; the pin count of a GPADL is only changed under
 *   the xarray lock, so a teardown that sees zero pins erases the entry
 *   before anyone can pin it again.
 * - Offers and rescinds of primary channels run in order on ``bus_wq``
 *   (ordered), subchannel offers and rescinds on ``sc_wq`` (ordered), both
 *   like the VMBus control-message path.  Host channel work runs on
 *   ``host_wq`` (unbound, one work item per channel, so channels are
 *   processed in parallel and one channel never concurrently with itself).
 *
 * Per device:
 *
 * - &vmbus_sim_device.lock (mutex) protects the channel table, the guest's
 *   sc_list, channel state transitions (offer -> open -> opened), kobject
 *   registration and target_cpu changes.  It is never held while waiting
 *   for the host work of a channel.
 * - The embedded &struct device refcount is the lifetime of the device and
 *   of all its channels; every channel kobject holds one reference.
 *
 * Per channel (data path, no global lock):
 *
 * - ``ch.outbound.ring_lock`` (spinlock, irqsave): guest senders into the
 *   guest->host ring.  The host is the only reader of that ring and runs
 *   in the channel work, holding &vmbus_sim_chan.host_lock.
 * - &vmbus_sim_chan.send_lock (spinlock, irqsave): host senders into the
 *   host->guest ring and the ``ring_ready`` flag that says the rings exist.
 *   The guest is the only reader of that ring (its channel callback).
 * - &vmbus_sim_chan.host_lock (mutex): held by the channel work around
 *   every provider callback; vmbus_sim_recv() asserts it.
 * - ``ch.sched_lock`` (spinlock): channel callback pointer versus the
 *   interrupt delivered on the target CPU, as in hv_vmbus.
 * - ``ch.requestor.req_lock``: the request-id table.
 * - ``ch.inbound.ring_buffer_mutex`` / ``ch.outbound.ring_buffer_mutex``:
 *   sysfs readers of the ring headers versus vmbus_close() freeing them.
 *
 * Order: dev->lock -> chan->host_lock is never taken (the work does not
 * take dev->lock); dev->lock -> send_lock / ring_lock / sched_lock is
 * allowed; xarray lock is innermost.
 */

/* Events for the host work of a channel (bits in vmbus_sim_chan.events). */
enum vmbus_sim_event {
	VMBUS_SIM_EV_OPEN,
	VMBUS_SIM_EV_CLOSE,
	VMBUS_SIM_EV_RESCIND,
	VMBUS_SIM_EV_RX,
	VMBUS_SIM_EV_SPACE,
};

/* Atomic counters behind struct vmbus_sim_chan_stats. */
struct vmbus_sim_counters {
	atomic64_t rx_packets;
	atomic64_t rx_bytes;
	atomic64_t tx_packets;
	atomic64_t tx_bytes;
	atomic64_t tx_ring_full;
	atomic64_t guest_signals;
	atomic64_t guest_signals_suppressed;
	atomic64_t guest_interrupts;
	atomic64_t guest_interrupts_suppressed;
	atomic64_t space_signals;
};

/**
 * struct vmbus_sim_chan - one channel, guest and host halves
 * @ch: the guest's channel, handed to drivers
 * @dev: owning device
 * @index: sub_channel_index
 * @work: host work item (on host_wq)
 * @events: pending &enum vmbus_sim_event bits for @work
 * @host_lock: held by @work around provider callbacks
 * @host_open: provider accepted the open and has not been told to close
 * @rx_drained: last vmbus_sim_recv() found the ring empty
 * @open_result: provider's answer to the last open request
 * @ctl_done: completed by @work after an open/close request
 * @send_lock: serialises host senders, protects @ring_ready
 * @ring_ready: both rings are mapped and may be used by the host
 * @space_wq: vmbus_sim_wait_space() sleepers
 * @host_buf: copy of the last guest packet taken by vmbus_sim_recv()
 * @host_buf_size: size of @host_buf
 * @read_lag_ms: see vmbus_sim_chan_set_read_lag() (under @host_lock)
 * @read_lagging: packets were taken and the read index not yet moved
 * @host_read: where the next packet starts while @read_lagging
 * @read_stopped: vmbus_sim_chan_stop_reading() is in force
 * @race_armed: vmbus_sim_chan_arm_rescind_race() waits for a send
 * @race_work: the rescind of vmbus_sim_chan_arm_rescind_race()
 * @read_until: when @read_work is to move the read index (jiffies):
 *	&vmbus_sim_chan.read_lag_ms after the last packet taken
 * @read_work: polls the ring every jiffy while @read_lagging (the guest
 *	rings no doorbell while the read index says the ring is not empty)
 *	and moves the read index at @read_until
 * @irq_work: delivers a guest interrupt raised on the target CPU itself
 * @irq_csd: delivers a guest interrupt to another CPU (IPI)
 * @irq_csd_busy: @irq_csd is queued; bit 0, set by the sender
 * @irq_inflight: IPIs sent and not yet finished
 * @pages: pages of both rings (send ring first), NULL when closed
 * @nr_pages: number of entries in @pages
 * @sc_work: sub-channel offer/rescind work (on sc_wq)
 * @node: entry in &vmbus_sim_device.all_chans
 * @kobj_added: channel kobject exists in sysfs
 * @offer_delivered: the guest has seen the offer
 * @first_relid: after a hibernation's re-offer, the relid the channel was
 *	first offered under (its sysfs directory is named after it, as in
 *	hv_vmbus); kept from reuse until the channel is freed; else 0
 * @rescind_queued: rescind already requested
 * @rescind_delivered: the guest has been told about the rescind
 * @priv: provider private data
 * @cnt: host counters
 */
struct vmbus_sim_chan {
	struct vmbus_channel ch;
	struct vmbus_sim_device *dev;
	u16 index;

	struct work_struct work;
	unsigned long events;
	struct mutex host_lock;	/* see DOC: Locking */
	bool host_open;
	bool rx_drained;
	int open_result;
	struct completion ctl_done;

	spinlock_t send_lock;	/* see DOC: Locking */
	bool ring_ready;
	wait_queue_head_t space_wq;

	void *host_buf;
	u32 host_buf_size;
	u32 read_lag_ms;
	bool read_lagging;
	u32 host_read;
	bool read_stopped;
	bool race_armed;
	struct work_struct race_work;
	unsigned long read_until;
	struct delayed_work read_work;

	struct irq_work irq_work;
	call_single_data_t irq_csd;
	unsigned long irq_csd_busy;
	atomic_t irq_inflight;
	struct page **pages;
	u32 nr_pages;

	struct work_struct sc_work;
	struct list_head node;
	bool kobj_added;
	bool offer_delivered;
	u32 first_relid;
	bool rescind_queued;
	bool rescind_delivered;

	void *priv;
	struct vmbus_sim_counters cnt;
};

/**
 * struct vmbus_sim_device - one offered device
 * @hv: the guest's device (its refcount is the device's lifetime)
 * @ops: provider callbacks
 * @priv: provider private data
 * @perf: spread channel CPUs round-robin
 * @lock: see DOC: Locking
 * @chans: live (not rescinded) channels by sub_channel_index
 * @num_chans: 1 + highest subchannel index in use
 * @all_chans: every channel ever created for the device, freed with it
 * @cpu_base: first CPU of the round-robin spread of this device
 * @node: entry in the bus's device list
 * @listed: @node is on the list
 * @registered: hv_device is registered and channels_kset exists
 * @rescinded: the device (primary channel) was rescinded
 * @hold_open: channels whose open the host leaves unanswered, bit N for
 *	sub_channel_index N (vmbus_sim_dev_hold())
 * @hold_gpadl: VMBUS_SIM_HOLD_* GPADL requests left unanswered
 * @refuse_gpadl: buffer GPADLs the host is still to refuse
 *	(vmbus_sim_dev_refuse_gpadl())
 * @hold_wq: held requests wait here for the hold to be lifted
 * @offer_work: registration of the hv_device (on bus_wq)
 * @rescind_work: unregistration of the hv_device (on bus_wq)
 * @free_work: final free, run from a work item so that the last
 *	put_device() may come from any context
 */
struct vmbus_sim_device {
	struct hv_device hv;
	const struct vmbus_sim_ops *ops;
	void *priv;
	bool perf;

	struct mutex lock;	/* see DOC: Locking */
	struct vmbus_sim_chan *chans[VMBUS_SIM_MAX_SUBCHANNELS + 1];
	unsigned int num_chans;
	struct list_head all_chans;
	unsigned int cpu_base;
	struct list_head node;
	bool listed;
	bool registered;
	bool rescinded;
	u32 hold_open;
	u32 hold_gpadl;
	atomic_t refuse_gpadl;
	wait_queue_head_t hold_wq;

	struct work_struct offer_work;
	struct work_struct rescind_work;
	struct work_struct free_work;
};

/**
 * struct vmbus_sim_gpadl - a guest buffer known to the host
 * @handle: the handle given to the guest
 * @dev: device whose channel established it
 * @buffer: guest virtual address of the buffer
 * @size: size in bytes
 * @first_off: offset of @buffer in its first page
 * @pages: pages backing the buffer, one per PAGE_SIZE
 * @nr_pages: entries in @pages
 * @page_refs: @pages hold page references (vmalloc'd buffers)
 * @shared: isolation mode: @pages are registered as readable by the host
 *	(decrypted) until the GPADL is freed
 * @pins: provider pins; protected by the xarray lock
 */
struct vmbus_sim_gpadl {
	u32 handle;
	struct vmbus_sim_device *dev;
	void *buffer;
	u32 size;
	u32 first_off;
	struct page **pages;
	u32 nr_pages;
	bool page_refs;
	bool shared;
	unsigned int pins;
};

/**
 * struct vmbus_sim_bus - global state of the simulated bus
 * @lock: protects @devices
 * @devices: offered, not yet removed devices
 * @root: parent device of all vmbus devices
 * @bus_wq: ordered: primary offers and rescinds
 * @sc_wq: ordered: subchannel offers, rescinds and sc callbacks
 * @host_wq: unbound: per-channel host work
 * @relids: relid allocator
 * @gpadls: handle -> GPADL
 * @next_cpu: round-robin cursor for perf channels
 */
struct vmbus_sim_bus {
	struct mutex lock;	/* see DOC: Locking */
	struct list_head devices;
	struct device *root;
	struct workqueue_struct *bus_wq;
	struct workqueue_struct *sc_wq;
	struct workqueue_struct *host_wq;
	struct ida relids;
	struct xarray gpadls;
	atomic_t next_cpu;
};

extern struct vmbus_sim_bus vmbus_sim;

/* Every ring packet is followed by a u64 holding the writer's old index. */
#define VMBUS_SIM_TRAILER	sizeof(u64)

/* Ring arithmetic on data offsets; @dsize is the ring's data size. */
static inline u32 vmbus_sim_room(u32 read, u32 write, u32 dsize)
{
	return write >= read ? dsize - (write - read) : read - write;
}

static inline u32 vmbus_sim_used(u32 read, u32 write, u32 dsize)
{
	return write >= read ? write - read : dsize - read + write;
}

static inline u32 vmbus_sim_advance(u32 index, u32 len, u32 dsize)
{
	index += len;
	return index >= dsize ? index - dsize : index;
}

extern const struct bus_type vmbus_sim_bus_type;

static inline struct vmbus_sim_chan *to_sim_chan(struct vmbus_channel *ch)
{
	return container_of(ch, struct vmbus_sim_chan, ch);
}

static inline struct vmbus_sim_device *to_sim_dev(struct hv_device *hv)
{
	return container_of(hv, struct vmbus_sim_device, hv);
}

/* vmbus_sim_main.c */
int vmbus_sim_chan_kobj_add(struct vmbus_sim_chan *chan);
void vmbus_sim_chan_kobj_del(struct vmbus_sim_chan *chan);
int vmbus_sim_hold_wait(struct vmbus_sim_chan *chan, const u32 *mask,
			u32 bit, const char *what);

/* vmbus_sim_ring.c */
int vmbus_sim_ring_alloc(struct vmbus_sim_chan *chan, u32 send_size,
			 u32 recv_size);
void vmbus_sim_ring_free(struct vmbus_sim_chan *chan);
void vmbus_sim_signal_host(struct vmbus_sim_chan *chan,
			   enum vmbus_sim_event ev);
void vmbus_sim_interrupt_guest(struct vmbus_sim_chan *chan);
int vmbus_sim_guest_write(struct vmbus_sim_chan *chan, const struct kvec *kv,
			  unsigned int nkv, u64 requestid, u64 *trans_id);

/* vmbus_sim_host.c */
void vmbus_sim_host_rx(struct vmbus_sim_chan *chan);
void vmbus_sim_read_work(struct work_struct *work);
void vmbus_sim_race_work(struct work_struct *work);

/* vmbus_sim_offer.c */
void vmbus_sim_drop_subchannels(struct vmbus_sim_device *dev);
void vmbus_sim_remove_all(void);

/* vmbus_sim_chan.c */
void vmbus_sim_chan_init(struct vmbus_sim_chan *chan);
void vmbus_sim_chan_destroy(struct vmbus_sim_chan *chan);
void vmbus_sim_host_work(struct work_struct *work);
void vmbus_sim_irq_sync(struct vmbus_sim_chan *chan);
void vmbus_sim_chan_event(struct vmbus_sim_chan *chan,
			  enum vmbus_sim_event ev);

/* vmbus_sim_gpadl.c */
void vmbus_sim_gpadl_drop_dev(struct vmbus_sim_device *dev);
void vmbus_sim_gpadl_exit(void);

/* hibernation (vmbus_sim_pm.c) */
extern const struct dev_pm_ops vmbus_sim_bus_pm;
int vmbus_sim_pm_init(void);
void vmbus_sim_pm_exit(void);

/* signalling cost (vmbus_sim_cost.c) */
void vmbus_sim_cost_signal(void);
void vmbus_sim_cost_interrupt(void);

/* isolation mode (vmbus_sim_isolation.c) */
int vmbus_sim_isolation_init(void);
void vmbus_sim_isolation_exit(void);
bool vmbus_sim_isolated(void);
bool vmbus_sim_fault_reencrypt(void);
int vmbus_sim_share_pages(struct page **pages, u32 nr, bool share);
bool vmbus_sim_host_may_read(phys_addr_t pa);

#endif /* _VMBUS_SIM_INTERNAL_H */
