// SPDX-License-Identifier: GPL-2.0
/*
 * vmbus_sim host data path: what a device provider uses to take packets
 * out of the guest->host ring and to put packets into the host->guest
 * ring.  Guest memory is untrusted here: indices and descriptor lengths
 * are validated, and packets are copied into a private host buffer before
 * they are parsed.
 */

#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "vmbus_sim_internal.h"

#define VMBUS_SIM_DESC_SIZE	sizeof(struct vmpacket_descriptor)
/* Largest packet a descriptor can describe (len8 is a u16). */
#define VMBUS_SIM_MAX_PKT	(U16_MAX << 3)
static_assert(sizeof(struct vmtransfer_page_packet_header) == 24);

/* Initial size of the host copy buffer; grown on demand. */
#define VMBUS_SIM_HOST_BUF	8192

/* Throw away everything the guest queued (after a malformed packet). */
static void vmbus_sim_discard(struct vmbus_sim_chan *chan, u32 write)
{
	struct hv_ring_buffer *rb = chan->ch.outbound.ring_buffer;

	pr_warn_ratelimited("vmbus_sim: relid %u: malformed guest packet, ring discarded\n",
			    chan->ch.offermsg.child_relid);
	/* Done with the ring contents before handing the room back. */
	virt_mb();
	WRITE_ONCE(rb->read_index, write);
	chan->read_lagging = false;
}

static int vmbus_sim_host_buf_reserve(struct vmbus_sim_chan *chan, u32 len)
{
	void *buf;
	u32 size;

	if (len <= chan->host_buf_size)
		return 0;
	size = max_t(u32, roundup_pow_of_two(len), VMBUS_SIM_HOST_BUF);
	buf = kvmalloc(size, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	kvfree(chan->host_buf);
	chan->host_buf = buf;
	chan->host_buf_size = size;
	return 0;
}

/* After the host consumed packets: wake a guest waiting for room. */
static void vmbus_sim_host_read_done(struct vmbus_sim_chan *chan, u32 start,
				     u32 end)
{
	struct hv_ring_buffer_info *rbi = &chan->ch.outbound;
	struct hv_ring_buffer *rb = rbi->ring_buffer;
	u32 pending, now_free, freed;

	if (!rb->feature_bits.feat_pending_send_sz)
		return;
	/* New read index visible before pending_send_sz is sampled. */
	virt_mb();
	pending = READ_ONCE(rb->pending_send_sz);
	if (!pending)
		return;
	now_free = vmbus_sim_room(end, READ_ONCE(rb->write_index),
				  rbi->ring_datasize);
	freed = vmbus_sim_used(start, end, rbi->ring_datasize);
	if (now_free - freed > pending || now_free <= pending)
		return;
	vmbus_sim_interrupt_guest(chan);
}

static void vmbus_sim_fill_pkt(struct vmbus_sim_chan *chan,
			       struct vmbus_sim_pkt *pkt, u32 len, u32 off)
{
	struct vmpacket_descriptor *desc = chan->host_buf;
	const u32 *words;

	memset(pkt, 0, sizeof(*pkt));
	pkt->type = desc->type;
	pkt->flags = desc->flags;
	pkt->trans_id = desc->trans_id;
	pkt->hdr = (u8 *)desc + VMBUS_SIM_DESC_SIZE;
	pkt->hdr_len = off - VMBUS_SIM_DESC_SIZE;
	pkt->data = (u8 *)desc + off;
	pkt->len = len - off;
	/* GPA direct: u32 reserved, u32 range count, then the ranges */
	if (pkt->type == VM_PKT_DATA_USING_GPA_DIRECT && pkt->hdr_len >= 8) {
		words = pkt->hdr;
		pkt->range_cnt = words[1];
	}
}

int vmbus_sim_recv(struct vmbus_sim_chan *chan, struct vmbus_sim_pkt *pkt)
{
	struct hv_ring_buffer_info *rbi = &chan->ch.outbound;
	u32 read, write, avail, len, off, next;
	struct vmpacket_descriptor desc;
	struct hv_ring_buffer *rb;
	int ret;

	lockdep_assert_held(&chan->host_lock);
	if (!chan->host_open)
		return -ENOTCONN;
	rb = rbi->ring_buffer;
	read = chan->read_lagging ? chan->host_read : rb->read_index;
	/* Pairs with the guest's barrier before it stores write_index. */
	write = virt_load_acquire(&rb->write_index);
	if (read >= rbi->ring_datasize || write >= rbi->ring_datasize) {
		pr_warn_ratelimited("vmbus_sim: relid %u: bad guest indices %u/%u\n",
				    chan->ch.offermsg.child_relid, read, write);
		return -EBADMSG;
	}
	avail = vmbus_sim_used(read, write, rbi->ring_datasize);
	if (!avail) {
		chan->rx_drained = true;
		return -EAGAIN;
	}

	memcpy(&desc, rb->buffer + read, sizeof(desc));
	len = (u32)desc.len8 << 3;
	off = (u32)desc.offset8 << 3;
	if (len < VMBUS_SIM_DESC_SIZE || off < VMBUS_SIM_DESC_SIZE ||
	    off > len || len + VMBUS_SIM_TRAILER > avail) {
		vmbus_sim_discard(chan, write);
		/* empty now: re-check after unmasking like a normal drain */
		chan->rx_drained = true;
		return -EBADMSG;
	}
	ret = vmbus_sim_host_buf_reserve(chan, len);
	if (ret)
		return ret;
	/* Double mapping: one copy even across the end of the ring. */
	memcpy(chan->host_buf, rb->buffer + read, len);
	vmbus_sim_fill_pkt(chan, pkt, len, off);

	next = vmbus_sim_advance(read, len + VMBUS_SIM_TRAILER,
				 rbi->ring_datasize);
	atomic64_inc(&chan->cnt.rx_packets);
	atomic64_add(len, &chan->cnt.rx_bytes);
	if (chan->read_lag_ms) {
		chan->host_read = next;
		chan->read_until = jiffies + msecs_to_jiffies(chan->read_lag_ms);
		if (!chan->read_lagging) {
			chan->read_lagging = true;
			queue_delayed_work(vmbus_sim.host_wq, &chan->read_work,
					   1);
		}
		return 0;
	}
	if (chan->read_lagging) {
		chan->read_lagging = false;
		read = rb->read_index;
	}
	/* The copy must be complete before the guest may reuse the room. */
	virt_mb();
	WRITE_ONCE(rb->read_index, next);
	vmbus_sim_host_read_done(chan, read, next);
	return 0;
}
EXPORT_SYMBOL_GPL(vmbus_sim_recv);

void vmbus_sim_chan_set_read_lag(struct vmbus_sim_chan *chan, u32 ms)
{
	lockdep_assert_held(&chan->host_lock);
	chan->read_lag_ms = ms;
}
EXPORT_SYMBOL_GPL(vmbus_sim_chan_set_read_lag);

/*
 * While the read index lags: take new packets (poll), and once the lag is
 * over hand the room of the packets taken back to the guest.
 */
void vmbus_sim_read_work(struct work_struct *work)
{
	struct vmbus_sim_chan *chan = container_of(to_delayed_work(work),
						   struct vmbus_sim_chan,
						   read_work);
	struct hv_ring_buffer *rb;
	u32 read;

	mutex_lock(&chan->host_lock);
	if (!chan->host_open || !chan->read_lagging)
		goto out;
	if (READ_ONCE(chan->read_stopped) ||
	    (chan->read_lag_ms && time_before(jiffies, chan->read_until))) {
		queue_delayed_work(vmbus_sim.host_wq, &chan->read_work, 1);
	} else {
		rb = chan->ch.outbound.ring_buffer;
		read = rb->read_index;
		chan->read_lagging = false;
		/* done with the packets' contents before the room goes back */
		virt_mb();
		WRITE_ONCE(rb->read_index, chan->host_read);
		vmbus_sim_host_read_done(chan, read, chan->host_read);
	}
	vmbus_sim_chan_event(chan, VMBUS_SIM_EV_RX);
out:
	mutex_unlock(&chan->host_lock);
}

/* Host rx loop, called by the channel work with host_lock held. */
void vmbus_sim_host_rx(struct vmbus_sim_chan *chan)
{
	struct hv_ring_buffer_info *rbi = &chan->ch.outbound;
	struct hv_ring_buffer *rb = rbi->ring_buffer;
	u32 read, write;

	lockdep_assert_held(&chan->host_lock);
	if (READ_ONCE(chan->read_stopped))
		return;
	/* Like a busy host: no doorbells needed while we drain. */
	WRITE_ONCE(rb->interrupt_mask, 1);
	/* Mask visible before the provider looks at the ring. */
	virt_mb();
	chan->rx_drained = false;
	chan->dev->ops->rx(chan);
	WRITE_ONCE(rb->interrupt_mask, 0);
	/* Unmask before re-reading write_index (the guest checks the mask). */
	virt_mb();

	if (!chan->rx_drained || !chan->host_open)
		return;
	/* Packets that came in while masked got no doorbell: go again. */
	read = chan->read_lagging ? chan->host_read : READ_ONCE(rb->read_index);
	write = READ_ONCE(rb->write_index);
	if (read != write)
		vmbus_sim_chan_event(chan, VMBUS_SIM_EV_RX);
}

void vmbus_sim_kick(struct vmbus_sim_chan *chan)
{
	vmbus_sim_chan_event(chan, VMBUS_SIM_EV_RX);
}
EXPORT_SYMBOL_GPL(vmbus_sim_kick);

void vmbus_sim_chan_stop_reading(struct vmbus_sim_chan *chan, bool stop)
{
	WRITE_ONCE(chan->read_stopped, stop);
	if (!stop)
		vmbus_sim_kick(chan);
}
EXPORT_SYMBOL_GPL(vmbus_sim_chan_stop_reading);

/* send_lock held: whether host sends are possible, else the errno. */
static int vmbus_sim_host_can_send(struct vmbus_sim_chan *chan)
{
	lockdep_assert_held(&chan->send_lock);
	if (READ_ONCE(chan->ch.rescind))
		return -ENODEV;
	if (!chan->ring_ready)
		return -ENOTCONN;
	return 0;
}

/*
 * send_lock held: does a packet of @total bytes (trailer included) fit?
 * If not, set pending_send_sz so that the guest tells us when it does.
 */
static int vmbus_sim_host_room(struct vmbus_sim_chan *chan, u32 total,
			       u32 *old_write)
{
	struct hv_ring_buffer_info *rbi = &chan->ch.inbound;
	struct hv_ring_buffer *rb = rbi->ring_buffer;
	u32 read, write;

	lockdep_assert_held(&chan->send_lock);
	if (total >= rbi->ring_datasize)
		return -EMSGSIZE;
	write = rb->write_index;
	read = READ_ONCE(rb->read_index);
	if (read >= rbi->ring_datasize || write >= rbi->ring_datasize)
		return -EIO;
	if (vmbus_sim_room(read, write, rbi->ring_datasize) > total)
		goto fits;

	WRITE_ONCE(rb->pending_send_sz, total);
	/* Re-check: the guest may have freed room before seeing it. */
	virt_mb();
	read = READ_ONCE(rb->read_index);
	if (vmbus_sim_room(read, write, rbi->ring_datasize) <= total)
		return -EAGAIN;
fits:
	if (READ_ONCE(rb->pending_send_sz))
		WRITE_ONCE(rb->pending_send_sz, 0);
	*old_write = write;
	return 0;
}

static u32 vmbus_sim_host_put(struct hv_ring_buffer_info *rbi, u32 off,
			      const void *src, u32 len)
{
	if (!len)
		return off;
	if (src)
		memcpy(rbi->ring_buffer->buffer + off, src, len);
	else
		memset(rbi->ring_buffer->buffer + off, 0, len);
	return vmbus_sim_advance(off, len, rbi->ring_datasize);
}

/* Interrupt the guest if it is listening and the ring was empty. */
static bool vmbus_sim_host_want_irq(struct vmbus_sim_chan *chan,
				    u32 old_write)
{
	struct hv_ring_buffer *rb = chan->ch.inbound.ring_buffer;

	/* write_index published before the guest's mask is sampled. */
	virt_mb();
	if (READ_ONCE(rb->interrupt_mask))
		return false;
	/* Mask read before read_index, as the guest updates them. */
	virt_rmb();
	return READ_ONCE(rb->read_index) == old_write;
}

/*
 * Write one packet: descriptor, header pieces @hv (their total length
 * makes offset8), payload, padding and trailer.
 */
static int vmbus_sim_send_kv(struct vmbus_sim_chan *chan,
			     struct vmpacket_descriptor *desc,
			     const struct kvec *hv, unsigned int nhv,
			     const void *data, u32 len)
{
	struct hv_ring_buffer_info *rbi = &chan->ch.inbound;
	u32 total, old_write, next;
	u64 hdr_len = 0, prev;
	unsigned long flags;
	unsigned int i;
	bool irq;
	int ret;

	for (i = 0; i < nhv; i++)
		hdr_len += hv[i].iov_len;
	if ((VMBUS_SIM_DESC_SIZE + hdr_len) % 8)
		return -EINVAL;
	total = ALIGN(VMBUS_SIM_DESC_SIZE + hdr_len + len, sizeof(u64));
	if (hdr_len + len > VMBUS_SIM_MAX_PKT || total > VMBUS_SIM_MAX_PKT)
		return -EMSGSIZE;
	desc->offset8 = (VMBUS_SIM_DESC_SIZE + hdr_len) >> 3;
	desc->len8 = total >> 3;

	spin_lock_irqsave(&chan->send_lock, flags);
	ret = vmbus_sim_host_can_send(chan);
	if (!ret)
		ret = vmbus_sim_host_room(chan, total + VMBUS_SIM_TRAILER,
					  &old_write);
	if (ret) {
		if (ret == -EAGAIN)
			atomic64_inc(&chan->cnt.tx_ring_full);
		spin_unlock_irqrestore(&chan->send_lock, flags);
		return ret;
	}

	next = vmbus_sim_host_put(rbi, old_write, desc, sizeof(*desc));
	for (i = 0; i < nhv; i++)
		next = vmbus_sim_host_put(rbi, next, hv[i].iov_base,
					  hv[i].iov_len);
	next = vmbus_sim_host_put(rbi, next, data, len);
	next = vmbus_sim_host_put(rbi, next, NULL,
				  total - VMBUS_SIM_DESC_SIZE - hdr_len - len);
	prev = (u64)old_write << 32;
	next = vmbus_sim_host_put(rbi, next, &prev, sizeof(prev));
	/* Packet before index: the guest reads the index with acquire. */
	virt_store_release(&rbi->ring_buffer->write_index, next);
	irq = vmbus_sim_host_want_irq(chan, old_write);
	spin_unlock_irqrestore(&chan->send_lock, flags);

	atomic64_inc(&chan->cnt.tx_packets);
	atomic64_add(total, &chan->cnt.tx_bytes);
	if (irq)
		vmbus_sim_interrupt_guest(chan);
	else
		atomic64_inc(&chan->cnt.guest_interrupts_suppressed);
	return 0;
}

int vmbus_sim_send(struct vmbus_sim_chan *chan, u16 type, u16 flags,
		   u64 trans_id, const void *hdr, u32 hdr_len,
		   const void *data, u32 len)
{
	struct vmpacket_descriptor desc = {
		.type = type,
		.flags = flags,
		.trans_id = trans_id,
	};
	struct kvec kv = { .iov_base = (void *)hdr, .iov_len = hdr_len };

	return vmbus_sim_send_kv(chan, &desc, &kv, 1, data, len);
}
EXPORT_SYMBOL_GPL(vmbus_sim_send);

int vmbus_sim_send_inband(struct vmbus_sim_chan *chan, u64 trans_id,
			  bool want_completion, const void *data, u32 len)
{
	u16 flags = want_completion ?
		VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED : 0;

	return vmbus_sim_send(chan, VM_PKT_DATA_INBAND, flags, trans_id,
			      NULL, 0, data, len);
}
EXPORT_SYMBOL_GPL(vmbus_sim_send_inband);

int vmbus_sim_send_comp(struct vmbus_sim_chan *chan, u64 trans_id,
			const void *data, u32 len)
{
	return vmbus_sim_send(chan, VM_PKT_COMP, 0, trans_id, NULL, 0, data,
			      len);
}
EXPORT_SYMBOL_GPL(vmbus_sim_send_comp);

int vmbus_sim_send_xfer(struct vmbus_sim_chan *chan, u16 pageset_id,
			u64 trans_id,
			const struct vmtransfer_page_range *ranges,
			u32 range_cnt, const void *data, u32 len)
{
	struct vmtransfer_page_packet_header xfer = {
		.d.type = VM_PKT_DATA_USING_XFER_PAGES,
		.d.flags = VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED,
		.d.trans_id = trans_id,
		.xfer_pageset_id = pageset_id,
		.range_cnt = range_cnt,
	};
	struct kvec kv[2];

	if (!range_cnt || range_cnt > VMBUS_SIM_MAX_PKT / sizeof(*ranges))
		return -EINVAL;
	/* The part of the header after the descriptor, then the ranges. */
	kv[0].iov_base = (u8 *)&xfer + VMBUS_SIM_DESC_SIZE;
	kv[0].iov_len = sizeof(xfer) - VMBUS_SIM_DESC_SIZE;
	kv[1].iov_base = (void *)ranges;
	kv[1].iov_len = flex_array_size(&xfer, ranges, range_cnt);
	return vmbus_sim_send_kv(chan, &xfer.d, kv, 2, data, len);
}
EXPORT_SYMBOL_GPL(vmbus_sim_send_xfer);

u32 vmbus_sim_send_space(const struct vmbus_sim_chan *chan)
{
	struct vmbus_sim_chan *c = (struct vmbus_sim_chan *)chan;
	struct hv_ring_buffer_info *rbi = &c->ch.inbound;
	unsigned long flags;
	u32 space = 0;
	u32 read;

	spin_lock_irqsave(&c->send_lock, flags);
	if (!vmbus_sim_host_can_send(c)) {
		read = READ_ONCE(rbi->ring_buffer->read_index);
		if (read < rbi->ring_datasize)
			space = vmbus_sim_room(read,
					       rbi->ring_buffer->write_index,
					       rbi->ring_datasize);
	}
	spin_unlock_irqrestore(&c->send_lock, flags);
	return space > VMBUS_SIM_TRAILER ? space - VMBUS_SIM_TRAILER : 0;
}
EXPORT_SYMBOL_GPL(vmbus_sim_send_space);

/* wait_event condition: true once there is room or waiting is pointless. */
static bool vmbus_sim_space_ready(struct vmbus_sim_chan *chan, u32 bytes,
				  int *err)
{
	unsigned long flags;
	u32 old_write;

	spin_lock_irqsave(&chan->send_lock, flags);
	*err = vmbus_sim_host_can_send(chan);
	if (!*err)
		*err = vmbus_sim_host_room(chan, bytes, &old_write);
	spin_unlock_irqrestore(&chan->send_lock, flags);
	return *err != -EAGAIN;
}

int vmbus_sim_wait_space(struct vmbus_sim_chan *chan, u32 bytes,
			 unsigned long timeout)
{
	long left;
	int err;

	might_sleep();
	left = wait_event_timeout(chan->space_wq,
				  vmbus_sim_space_ready(chan, bytes, &err),
				  timeout);
	if (!left && err == -EAGAIN)
		return -ETIMEDOUT;
	return err;
}
EXPORT_SYMBOL_GPL(vmbus_sim_wait_space);
