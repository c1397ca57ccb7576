/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmbus_sim - host-side provider API of the software VMBus.
 *
 * vmbus_sim.ko plays both halves of VMBus inside one kernel: towards guest
 * drivers (hv_netvsc, ...) it exports the ordinary client API declared in
 * <linux/hyperv.h>; towards "device providers" (simulated VSPs such as
 * netvsp_sim.ko) it exports the functions declared here.  A provider offers
 * a device (class GUID + instance GUID), is told when the guest opens and
 * closes its channels, pulls guest->host packets from the channel rings in
 * a per-channel host worker, and writes host->guest packets (inband,
 * completions, transfer-page packets) into the guest's receive rings.
 *
 * Contexts, in short (see Documentation/testing/vmbus_sim.rst):
 *  - every &struct vmbus_sim_ops callback of one channel runs in that
 *    channel's host work item (process context, may sleep); callbacks of
 *    one channel never run concurrently with each other, callbacks of
 *    different channels run in parallel;
 *  - the vmbus_sim_send*() family, vmbus_sim_kick(), the GPADL accessors
 *    and the GPA copy helpers may be called from any context (including
 *    hard/soft irq and the provider's own threads), they never sleep;
 *  - vmbus_sim_recv() may only be called from the channel's @rx callback;
 *  - offer, subchannel offer and rescind requests are asynchronous and are
 *    carried out in order on one "bus" work queue, like the VMBus control
 *    messages they model; vmbus_sim_flush() waits for them.
 */
#ifndef _VMBUS_SIM_H
#define _VMBUS_SIM_H

#include <linux/hyperv.h>
#include <linux/types.h>
#include <linux/uuid.h>

struct vmbus_sim_device;
struct vmbus_sim_chan;
struct vmbus_sim_gpadl;

/* Largest number of subchannels one device may have (indexes 1..64). */
#define VMBUS_SIM_MAX_SUBCHANNELS	64

/**
 * struct vmbus_sim_ops - callbacks of a device provider
 * @open: the guest opened channel @chan (vmbus_open()).  Return 0 to
 *	accept; a negative errno makes the guest's vmbus_open() fail with
 *	-EAGAIN (what hv_vmbus returns for a non-zero open status).
 *	Optional.
 * @close: the guest closed @chan, or @chan was rescinded while open.  No
 *	packet of the closed session is delivered to @rx afterwards and
 *	sends on @chan fail.  Optional.
 * @rx: the guest has written packet(s) on @chan and signalled the host.
 *	Drain them with vmbus_sim_recv() until it returns -EAGAIN; return
 *	early (e.g. on -EAGAIN from a send) after arranging to be called
 *	again with vmbus_sim_kick().  Required.
 * @space: the guest freed ring space after a host send on @chan failed
 *	with -EAGAIN (the host had set pending_send_sz).  Optional; without
 *	it, use vmbus_sim_wait_space().
 *
 * All callbacks run in the per-channel host work item of @chan, in process
 * context, serialised per channel.  They may sleep, but must not wait for
 * the guest (the guest may be waiting for them: vmbus_open() waits for
 * @open, a driver's probe may wait for a reply to a packet), so they must
 * not call vmbus_sim_device_remove(); offering and rescinding channels is
 * fine, and vmbus_sim_flush() only waits for subchannel offers/rescinds
 * when called from here.
 */
struct vmbus_sim_ops {
	int (*open)(struct vmbus_sim_chan *chan);
	void (*close)(struct vmbus_sim_chan *chan);
	void (*rx)(struct vmbus_sim_chan *chan);
	void (*space)(struct vmbus_sim_chan *chan);
};

/**
 * struct vmbus_sim_offer_params - what a provider offers
 * @class_id: device class (if_type), e.g. HV_NIC_GUID; selects the driver
 * @instance_id: device instance (if_instance); names the device in sysfs
 *	and must be unique on the bus
 * @ops: provider callbacks, must stay valid until vmbus_sim_device_put()
 *	dropped the last reference
 * @priv: provider private data, see vmbus_sim_device_priv()
 * @device_id: value of hv_device.device_id (enum vmbus_device_type,
 *	e.g. HV_NIC); shown in sysfs as "id"
 * @vendor_id: value of hv_device.vendor_id (0x1414 on Hyper-V)
 * @perf_device: true for throughput devices (NIC, storage): channel
 *	target CPUs are spread round-robin over online CPUs; false puts all
 *	channels of the device on the first online CPU, as Hyper-V does for
 *	non-performance devices
 * @user_def: optional bytes for offer.u.std.user_def (NULL: zeros)
 * @user_def_len: length of @user_def, at most MAX_USER_DEFINED_BYTES
 */
struct vmbus_sim_offer_params {
	const guid_t *class_id;
	const guid_t *instance_id;
	const struct vmbus_sim_ops *ops;
	void *priv;
	u16 device_id;
	u16 vendor_id;
	bool perf_device;
	const void *user_def;
	u32 user_def_len;
};

/**
 * struct vmbus_sim_chan_stats - per-channel host counters
 * @rx_packets: guest->host packets consumed by the host
 * @rx_bytes: bytes of those packets (full descriptor length)
 * @tx_packets: host->guest packets written by the host
 * @tx_bytes: bytes of those packets (full descriptor length)
 * @tx_ring_full: host sends that failed with -EAGAIN
 * @guest_signals: guest->host signals received (doorbells)
 * @guest_signals_suppressed: guest writes that needed no signal
 * @guest_interrupts: host->guest interrupts raised
 * @guest_interrupts_suppressed: host writes that raised no interrupt
 *	(guest had masked interrupts or the ring was not empty)
 * @space_signals: guest signals that space freed in the host->guest ring
 *
 * Each counter is written by one side only; read with
 * vmbus_sim_chan_get_stats(), which gives a consistent-enough snapshot
 * for tests (no u64_stats sync on 32-bit).
 */
struct vmbus_sim_chan_stats {
	u64 rx_packets;
	u64 rx_bytes;
	u64 tx_packets;
	u64 tx_bytes;
	u64 tx_ring_full;
	u64 guest_signals;
	u64 guest_signals_suppressed;
	u64 guest_interrupts;
	u64 guest_interrupts_suppressed;
	u64 space_signals;
};

/**
 * struct vmbus_sim_gpa_range - one page range of a GPA-direct packet
 * @len: byte count of the range
 * @offset: byte offset into the first page
 * @pfn_count: number of entries in @pfns (HVPFN_UP(@offset + @len))
 * @pfns: guest page numbers (4 KiB Hyper-V pages); points into the
 *	packet copy, valid as long as the &struct vmbus_sim_pkt
 */
struct vmbus_sim_gpa_range {
	u32 len;
	u32 offset;
	u32 pfn_count;
	const u64 *pfns;
};

/**
 * struct vmbus_sim_pkt - one guest->host packet as seen by the host
 * @type: descriptor type (enum vmbus_packet_type): VM_PKT_DATA_INBAND,
 *	VM_PKT_DATA_USING_GPA_DIRECT, VM_PKT_COMP, ...
 * @flags: descriptor flags (VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED)
 * @trans_id: transaction id chosen by the guest; echo it in the completion
 * @data: payload (the bytes after offset8 * 8), a private host copy
 * @len: payload length in bytes, including the padding to a multiple of
 *	8 that the sender added (the wire format has no exact length)
 * @hdr: the bytes between the 16-byte descriptor and @data (e.g. the
 *	range array of a GPA-direct packet)
 * @hdr_len: length of @hdr
 * @range_cnt: number of page ranges (GPA-direct packets only, else 0)
 *
 * Everything points into a per-channel host buffer that stays valid until
 * the next vmbus_sim_recv() on the same channel or the end of the @rx
 * callback, whichever comes first.
 */
struct vmbus_sim_pkt {
	u16 type;
	u16 flags;
	u64 trans_id;
	const void *data;
	u32 len;
	const void *hdr;
	u32 hdr_len;
	u32 range_cnt;
};

/* Offers, lifetime, identity */

/**
 * vmbus_sim_offer() - offer a device (primary channel) to the guest
 * @params: class/instance GUIDs, callbacks and identity of the device
 *
 * Creates the device and its primary channel (index 0) and queues the
 * offer: the &struct hv_device is registered on the vmbus bus from the bus
 * work queue, so a matching driver probes asynchronously (use
 * vmbus_sim_flush() to wait).  The caller owns one reference; drop it with
 * vmbus_sim_device_remove() (hot remove) or, after a rescind, with
 * vmbus_sim_device_put().  May sleep.
 *
 * Return: the device, or ERR_PTR(-EINVAL) for bad parameters,
 * ERR_PTR(-EEXIST) if @params->instance_id is already offered,
 * ERR_PTR(-ENOMEM), ERR_PTR(-ENOSPC) when out of relids.
 */
struct vmbus_sim_device *
vmbus_sim_offer(const struct vmbus_sim_offer_params *params);

/**
 * vmbus_sim_offer_subchannels() - offer more channels of a device
 * @dev: the device
 * @count: how many subchannels to add
 *
 * Creates subchannels with the next free sub_channel_index values (1, 2,
 * ...) and queues their offers.  Each offer links the guest channel into
 * the primary's sc_list and calls the primary's sc_creation_callback (set
 * by the driver with vmbus_set_sc_create_callback()) from a work queue,
 * never from the caller's context.  The new channels are visible to
 * vmbus_sim_device_chan() on return.  Callable from any process context,
 * including the provider's @rx callback.
 *
 * Return: number of subchannels offered (fewer than @count when the limit
 * %VMBUS_SIM_MAX_SUBCHANNELS is reached), -ENOSPC if none could be added,
 * -ENODEV if the device was rescinded, -ENOMEM.
 */
int vmbus_sim_offer_subchannels(struct vmbus_sim_device *dev,
				unsigned int count);

/**
 * vmbus_sim_rescind() - rescind one channel (asynchronously)
 * @chan: channel to rescind; rescinding the primary rescinds the device
 *
 * Marks @chan rescinded at once (host sends and guest vmbus_sendpacket()
 * then fail with -ENODEV), stops host processing (calls @close if the
 * channel was open) and queues the guest side: the channel's rescind
 * callback (vmbus_set_chn_rescind_callback()) if set; for a primary
 * channel the hv_device is unregistered, so the driver's remove() runs
 * (hot remove).  A rescinded subchannel frees its index: the next
 * vmbus_sim_offer_subchannels() reuses the lowest free tail index.
 * Idempotent.  May sleep (takes a mutex, never waits for the guest), so
 * it may be called from ops callbacks, including those of @chan.
 *
 * Note: when the guest closes a primary channel, vmbus_sim rescinds all
 * subchannels of the device by itself, as Hyper-V does; the provider sees
 * @close for each of them.
 */
void vmbus_sim_rescind(struct vmbus_sim_chan *chan);

/**
 * vmbus_sim_device_remove() - hot-remove a device and drop the offer ref
 * @dev: device returned by vmbus_sim_offer()
 *
 * Rescinds every channel of @dev, waits until the driver's remove() has
 * returned and no host callback of @dev is running any more, then drops
 * the reference taken by vmbus_sim_offer().  No ops are called after
 * return.  Sleeps; must not be called from an ops callback of @dev.
 */
void vmbus_sim_device_remove(struct vmbus_sim_device *dev);

/**
 * vmbus_sim_flush() - wait for queued offers, rescinds and sc callbacks
 *
 * Waits until every offer, subchannel offer and rescind queued before the
 * call has been delivered to the guest (driver probe / sc_creation_callback
 * / remove returned).  Sleeps.  Called from a &struct vmbus_sim_ops
 * callback it waits for subchannel offers and rescinds only: a driver's
 * probe or remove may itself be waiting (e.g. for RTNL held by a thread
 * that waits for the callback's reply).  Never call it from anything an
 * sc-create callback may wait for.
 *
 * Not needed for ordering: offers and rescinds of the subchannels of a
 * device reach the guest in the order they were requested, and a
 * subchannel index is free for reuse as soon as vmbus_sim_rescind()
 * returns.
 */
void vmbus_sim_flush(void);

/**
 * vmbus_sim_device_get() - take a reference on a device
 * @dev: device
 *
 * Keeps @dev and all its &struct vmbus_sim_chan valid (not necessarily
 * usable: they may be rescinded) until the matching vmbus_sim_device_put().
 */
void vmbus_sim_device_get(struct vmbus_sim_device *dev);

/**
 * vmbus_sim_device_put() - drop a device reference
 * @dev: device; freed when the last reference is gone
 */
void vmbus_sim_device_put(struct vmbus_sim_device *dev);

/**
 * vmbus_sim_device_priv() - provider private data of a device
 * @dev: device
 *
 * Return: &vmbus_sim_offer_params.priv given at offer time.
 */
void *vmbus_sim_device_priv(const struct vmbus_sim_device *dev);

/**
 * vmbus_sim_device_hv() - the guest's view of a device
 * @dev: device
 *
 * Return: the &struct hv_device registered on the vmbus bus (for tests and
 * diagnostics; the provider must not call guest API on it).
 */
struct hv_device *vmbus_sim_device_hv(const struct vmbus_sim_device *dev);

/**
 * vmbus_sim_device_chan() - channel of a device by sub_channel_index
 * @dev: device
 * @index: 0 for the primary channel, 1.. for subchannels
 *
 * Return: the channel, or NULL if no channel with @index is offered (or
 * it was rescinded).
 */
struct vmbus_sim_chan *vmbus_sim_device_chan(struct vmbus_sim_device *dev,
					     u16 index);

/**
 * vmbus_sim_device_num_chans() - number of channels offered so far
 * @dev: device
 *
 * Return: 1 + the highest sub_channel_index not rescinded (so 1 after a
 * close of the primary channel or before any subchannel offer).
 */
unsigned int vmbus_sim_device_num_chans(const struct vmbus_sim_device *dev);

/**
 * vmbus_sim_chan_device() - device a channel belongs to
 * @chan: channel
 *
 * Return: the device (no reference taken).
 */
struct vmbus_sim_device *vmbus_sim_chan_device(const struct vmbus_sim_chan *chan);

/**
 * vmbus_sim_chan_set_priv() - attach provider data to a channel
 * @chan: channel
 * @priv: provider per-channel data (e.g. set in @open)
 */
void vmbus_sim_chan_set_priv(struct vmbus_sim_chan *chan, void *priv);

/**
 * vmbus_sim_chan_priv() - provider data of a channel
 * @chan: channel
 *
 * Return: the pointer last set with vmbus_sim_chan_set_priv(), or NULL.
 */
void *vmbus_sim_chan_priv(const struct vmbus_sim_chan *chan);

/**
 * vmbus_sim_chan_index() - sub_channel_index of a channel
 * @chan: channel
 *
 * Return: 0 for the primary channel, 1.. for subchannels.
 */
u16 vmbus_sim_chan_index(const struct vmbus_sim_chan *chan);

/**
 * vmbus_sim_chan_relid() - relid (child_relid) of a channel
 * @chan: channel
 *
 * Return: the relid, as shown in /sys/bus/vmbus/devices/<id>/channels/.
 */
u32 vmbus_sim_chan_relid(const struct vmbus_sim_chan *chan);

/**
 * vmbus_sim_chan_target_cpu() - CPU guest interrupts of a channel go to
 * @chan: channel
 *
 * Return: the current target CPU (changeable by the guest through sysfs).
 */
u32 vmbus_sim_chan_target_cpu(const struct vmbus_sim_chan *chan);

/**
 * vmbus_sim_chan_is_open() - whether the guest has the channel open
 * @chan: channel
 *
 * Return: true between a successful vmbus_open() and vmbus_close() or
 * rescind.
 */
bool vmbus_sim_chan_is_open(const struct vmbus_sim_chan *chan);

/**
 * vmbus_sim_chan_is_rescinded() - whether the channel was rescinded
 * @chan: channel
 *
 * Return: true once vmbus_sim_rescind() (or device removal) hit @chan.
 */
bool vmbus_sim_chan_is_rescinded(const struct vmbus_sim_chan *chan);

/**
 * vmbus_sim_chan_get_stats() - snapshot of a channel's host counters
 * @chan: channel
 * @stats: filled with the counters (cumulative over all open sessions)
 */
void vmbus_sim_chan_get_stats(const struct vmbus_sim_chan *chan,
			      struct vmbus_sim_chan_stats *stats);

/**
 * vmbus_sim_chan_guest() - the guest's &struct vmbus_channel of a channel
 * @chan: channel
 *
 * Return: the guest channel (for tests and diagnostics).
 */
struct vmbus_channel *vmbus_sim_chan_guest(const struct vmbus_sim_chan *chan);

/* Guest -> host packets */

/**
 * vmbus_sim_chan_set_read_lag() - publish the read index of the guest's
 *	ring late (fault injection)
 * @chan: channel; called from the provider's rx callback
 * @ms: 0: vmbus_sim_recv() moves the read index at once, as a host does;
 *	otherwise the packets it takes are handed back to the guest (read
 *	index moved, pending_send_sz honoured) only once none was taken for
 *	@ms ms, so their completions reach the guest before the room they
 *	took is free; the ring is polled meanwhile
 */
void vmbus_sim_chan_set_read_lag(struct vmbus_sim_chan *chan, u32 ms);

/**
 * vmbus_sim_chan_stop_reading() - stop or resume taking the guest's
 *	packets (fault injection)
 * @chan: channel
 * @stop: true: the host takes nothing from the guest's ring, whatever the
 *	guest signals; false: it takes what is there now and goes on as usual
 *
 * Any context but hard irq.
 */
void vmbus_sim_chan_stop_reading(struct vmbus_sim_chan *chan, bool stop);

/* What vmbus_sim_dev_hold() may keep unanswered besides opens. */
#define VMBUS_SIM_HOLD_ESTABLISH	BIT(0)
#define VMBUS_SIM_HOLD_TEARDOWN		BIT(1)

/**
 * vmbus_sim_dev_hold() - leave the guest's channel opens or GPADL requests
 *	of a device unanswered (fault injection)
 * @dev: device
 * @open_mask: bit N set: an open of the channel with sub_channel_index N
 *	(0: the primary) waits
 * @gpadl: VMBUS_SIM_HOLD_ESTABLISH, VMBUS_SIM_HOLD_TEARDOWN: those GPADL
 *	calls on the device's channels wait
 *
 * A held call waits as hv_vmbus waits for the host's answer: until the
 * hold is lifted (a later call without its bit; the call then goes on as
 * usual) or its channel is rescinded (the call then fails with -ENODEV; a
 * held teardown completes).  Calls already waiting see a new mask at once.
 * The log says when a call starts waiting and when it goes on.
 *
 * Process context.
 */
void vmbus_sim_dev_hold(struct vmbus_sim_device *dev, u32 open_mask,
			u32 gpadl);

/**
 * vmbus_sim_dev_refuse_gpadl() - refuse the guest's next buffer GPADLs of a
 *	device (fault injection)
 * @dev: device
 * @count: how many vmbus_establish_gpadl() calls to refuse, 0 for none
 *
 * A refused GPADL fails as hv_vmbus fails one the host answered with a
 * non-zero creation status: -EDQUOT.  The rings' GPADLs (inside
 * vmbus_open()) are not counted.
 *
 * Any context.
 */
void vmbus_sim_dev_refuse_gpadl(struct vmbus_sim_device *dev, u32 count);

/**
 * vmbus_sim_dev_gpadl_refusals() - buffer GPADLs still to be refused
 * @dev: device
 *
 * Return: what vmbus_sim_dev_refuse_gpadl() set, less the refusals since.
 */
u32 vmbus_sim_dev_gpadl_refusals(struct vmbus_sim_device *dev);

/**
 * vmbus_sim_chan_arm_rescind_race() - rescind the channel while the guest
 *	sends, after the host completed the send (fault injection)
 * @chan: channel; its device is rescinded if it is the primary
 *
 * The next packet the guest writes that wants a completion is taken and
 * completed by the host while the guest's send call waits (up to 2 s) for
 * the guest to handle that completion; then the channel is rescinded and
 * the send returns -ENODEV, as hv_ringbuffer_write() does when a rescind
 * comes in after the packet was written.  The log says whether the
 * completion was handled first.
 *
 * Any context but hard irq.
 */
void vmbus_sim_chan_arm_rescind_race(struct vmbus_sim_chan *chan);

/**
 * vmbus_sim_recv() - take the next guest->host packet off a channel
 * @chan: channel whose @rx callback is running
 * @pkt: filled with the packet (pointers into a per-channel host copy)
 *
 * Copies the next packet out of the guest's send ring, validates its
 * descriptor, advances the ring's read index and, if the guest had set
 * pending_send_sz and the read freed enough space, interrupts the guest.
 * Only callable from the @rx callback of @chan (asserted with lockdep).
 *
 * Return: 0 on success, -EAGAIN if the ring is empty, -ENOTCONN if the
 * channel is not open, -EBADMSG if the guest wrote a malformed descriptor
 * (the rest of the ring is discarded).
 */
int vmbus_sim_recv(struct vmbus_sim_chan *chan, struct vmbus_sim_pkt *pkt);

/**
 * vmbus_sim_pkt_gpa_range() - one page range of a GPA-direct packet
 * @pkt: packet from vmbus_sim_recv() with type VM_PKT_DATA_USING_GPA_DIRECT
 * @idx: range index, < @pkt->range_cnt
 * @range: filled with the range
 *
 * Return: 0, -EINVAL if @idx is out of range or @pkt has no ranges,
 * -EBADMSG if the range array is malformed.
 */
int vmbus_sim_pkt_gpa_range(const struct vmbus_sim_pkt *pkt, u32 idx,
			    struct vmbus_sim_gpa_range *range);

/**
 * vmbus_sim_pkt_gpa_len() - total byte count of all ranges of a packet
 * @pkt: packet from vmbus_sim_recv()
 *
 * Return: the sum of the range lengths, 0 if none or malformed.
 */
u32 vmbus_sim_pkt_gpa_len(const struct vmbus_sim_pkt *pkt);

/**
 * vmbus_sim_pkt_copy_from_gpa() - read guest memory named by a packet
 * @pkt: GPA-direct packet from vmbus_sim_recv()
 * @offset: byte offset into the concatenation of all ranges
 * @dst: host buffer
 * @len: bytes to copy
 *
 * Return: 0, -EINVAL if [@offset, @offset + @len) is not inside the
 * ranges, -EBADMSG for a malformed range array, -EFAULT if a page number
 * does not name guest RAM.
 */
int vmbus_sim_pkt_copy_from_gpa(const struct vmbus_sim_pkt *pkt, u32 offset,
				void *dst, u32 len);

/**
 * vmbus_sim_copy_from_pfns() - read guest memory by Hyper-V page numbers
 * @pfns: page numbers (4 KiB units, as in hv_page_buffer.pfn)
 * @pfn_count: entries in @pfns
 * @offset: byte offset from the start of the first page
 * @dst: host buffer
 * @len: bytes to copy
 *
 * Return: 0, -EINVAL if the span exceeds @pfn_count pages, -EFAULT if a
 * page number does not name guest RAM.
 */
int vmbus_sim_copy_from_pfns(const u64 *pfns, u32 pfn_count, u32 offset,
			     void *dst, u32 len);

/**
 * vmbus_sim_kick() - run a channel's @rx callback again
 * @chan: channel
 *
 * Schedules the channel's host work as if the guest had signalled.  Any
 * context.  No effect on a closed channel.
 */
void vmbus_sim_kick(struct vmbus_sim_chan *chan);

/* Host -> guest packets */

/**
 * vmbus_sim_send() - write one packet into the guest's receive ring
 * @chan: open channel
 * @type: descriptor type (enum vmbus_packet_type)
 * @flags: descriptor flags
 * @trans_id: transaction id
 * @hdr: bytes placed right after the 16-byte descriptor and counted in
 *	offset8 (e.g. the rest of a vmtransfer_page_packet_header); may be
 *	NULL if @hdr_len is 0
 * @hdr_len: length of @hdr; 16 + @hdr_len must be a multiple of 8
 * @data: payload (what the guest gets from hv_pkt_data())
 * @len: payload length; the packet is padded to 8 bytes
 *
 * Writes descriptor, header, payload, padding and the trailing u64 index
 * in one go and interrupts the guest (on the channel's target CPU) if the
 * ring was empty and the guest has not masked interrupts.  Never sleeps;
 * any context.  Sends on one channel are serialised by a per-channel lock.
 *
 * Return: 0; -EAGAIN if the ring is full (the host sets pending_send_sz;
 * @space or vmbus_sim_wait_space() follow); -EMSGSIZE if the packet can
 * never fit the ring; -EINVAL for a bad @hdr_len; -ENOTCONN if the guest
 * has not opened the channel; -ENODEV if it was rescinded.
 */
int vmbus_sim_send(struct vmbus_sim_chan *chan, u16 type, u16 flags,
		   u64 trans_id, const void *hdr, u32 hdr_len,
		   const void *data, u32 len);

/**
 * vmbus_sim_send_inband() - send a VM_PKT_DATA_INBAND packet
 * @chan: open channel
 * @trans_id: transaction id
 * @want_completion: set VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED
 * @data: payload
 * @len: payload length
 *
 * Return: as vmbus_sim_send().
 */
int vmbus_sim_send_inband(struct vmbus_sim_chan *chan, u64 trans_id,
			  bool want_completion, const void *data, u32 len);

/**
 * vmbus_sim_send_comp() - complete a guest request (VM_PKT_COMP)
 * @chan: open channel
 * @trans_id: the trans_id of the guest packet being completed
 * @data: completion payload, may be NULL if @len is 0
 * @len: payload length
 *
 * Return: as vmbus_sim_send().
 */
int vmbus_sim_send_comp(struct vmbus_sim_chan *chan, u64 trans_id,
			const void *data, u32 len);

/**
 * vmbus_sim_send_xfer() - send a VM_PKT_DATA_USING_XFER_PAGES packet
 * @chan: open channel
 * @pageset_id: xfer_pageset_id (netvsc expects NETVSC_RECEIVE_BUFFER_ID)
 * @trans_id: transaction id; the guest completes the packet with it
 * @ranges: byte ranges inside the transfer page set (guest receive buffer)
 * @range_cnt: number of @ranges (at least 1)
 * @data: payload following the range array (e.g. the NVSP message)
 * @len: payload length
 *
 * The packet carries a &struct vmtransfer_page_packet_header with
 * sender_owns_set 0 and the completion-requested flag set.
 *
 * Return: as vmbus_sim_send(); -EINVAL if @range_cnt is 0.
 */
int vmbus_sim_send_xfer(struct vmbus_sim_chan *chan, u16 pageset_id,
			u64 trans_id,
			const struct vmtransfer_page_range *ranges,
			u32 range_cnt, const void *data, u32 len);

/**
 * vmbus_sim_send_space() - free bytes in the guest's receive ring
 * @chan: channel
 *
 * Return: bytes a packet may use now (trailing index included), 0 if the
 * channel is not open.
 */
u32 vmbus_sim_send_space(const struct vmbus_sim_chan *chan);

/**
 * vmbus_sim_wait_space() - wait until a packet of a given size fits
 * @chan: open channel
 * @bytes: total packet size wanted (descriptor + header + payload padded
 *	to 8, plus the 8-byte trailing index)
 * @timeout: in jiffies
 *
 * Sets pending_send_sz in the guest's receive ring so that the guest
 * signals once it has freed @bytes, then sleeps.  Process context; may be
 * called from the channel's own ops callbacks.
 *
 * Return: 0 when the space is there, -ETIMEDOUT, -EMSGSIZE if @bytes can
 * never fit, -ENODEV if the channel was rescinded, -ENOTCONN if closed.
 */
int vmbus_sim_wait_space(struct vmbus_sim_chan *chan, u32 bytes,
			 unsigned long timeout);

/* Guest buffers (GPADLs) */

/**
 * vmbus_sim_gpadl_get() - look up and pin a guest buffer by GPADL handle
 * @dev: device; the GPADL must have been established on one of its
 *	channels
 * @handle: gpadl_handle the guest sent (e.g. in an NVSP message)
 *
 * While pinned, the guest's vmbus_teardown_gpadl() of it fails with
 * -EBUSY.  For vmalloc'd buffers the pages are referenced, so reads and
 * writes through the pin stay memory-safe even if the guest frees the
 * buffer regardless (hv_netvsc does after a failed teardown).  Any
 * context (the GPADL table lock is irq-safe); the same holds for
 * vmbus_sim_gpadl_put(), _size(), _read(), _write() and _ptr(), which
 * never sleep.
 *
 * Return: the pinned GPADL, ERR_PTR(-ENOENT) if @handle is unknown to
 * @dev or already torn down.
 */
struct vmbus_sim_gpadl *vmbus_sim_gpadl_get(struct vmbus_sim_device *dev,
					    u32 handle);

/**
 * vmbus_sim_gpadl_put() - unpin a GPADL
 * @gpadl: from vmbus_sim_gpadl_get()
 */
void vmbus_sim_gpadl_put(struct vmbus_sim_gpadl *gpadl);

/**
 * vmbus_sim_gpadl_size() - size in bytes of a guest buffer
 * @gpadl: pinned GPADL
 *
 * Return: the size passed to vmbus_establish_gpadl().
 */
u32 vmbus_sim_gpadl_size(const struct vmbus_sim_gpadl *gpadl);

/**
 * vmbus_sim_gpadl_read() - copy from a guest buffer
 * @gpadl: pinned GPADL
 * @offset: byte offset into the buffer
 * @dst: host buffer
 * @len: bytes
 *
 * Return: 0, or -EINVAL if [@offset, @offset + @len) is outside the buffer.
 */
int vmbus_sim_gpadl_read(const struct vmbus_sim_gpadl *gpadl, u32 offset,
			 void *dst, u32 len);

/**
 * vmbus_sim_gpadl_write() - copy into a guest buffer
 * @gpadl: pinned GPADL
 * @offset: byte offset into the buffer
 * @src: host data
 * @len: bytes
 *
 * Return: 0, or -EINVAL if [@offset, @offset + @len) is outside the buffer.
 */
int vmbus_sim_gpadl_write(const struct vmbus_sim_gpadl *gpadl, u32 offset,
			  const void *src, u32 len);

/**
 * vmbus_sim_gpadl_ptr() - direct pointer into a guest buffer
 * @gpadl: pinned GPADL
 * @offset: byte offset into the buffer
 * @len: bytes the caller will access
 *
 * Zero-copy access through the guest's own mapping of the buffer.  Only
 * valid while the guest keeps the buffer allocated (unlike
 * vmbus_sim_gpadl_read()/write(), which go through the pinned pages).
 *
 * Return: the address, or NULL if the span is outside the buffer.
 */
void *vmbus_sim_gpadl_ptr(const struct vmbus_sim_gpadl *gpadl, u32 offset,
			  u32 len);

#endif /* _VMBUS_SIM_H */
