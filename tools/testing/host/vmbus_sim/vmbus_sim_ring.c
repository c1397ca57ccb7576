// SPDX-License-Identifier: GPL-2.0
/*
 * vmbus_sim ring buffers: both ends of the two rings of a channel.
 *
 * Each direction is a &struct hv_ring_buffer header page followed by the
 * data pages, mapped a second time right behind themselves so that a
 * packet crossing the end of the ring is still contiguous in memory (the
 * same trick hv_vmbus uses; the inline helpers of <linux/hyperv.h> and
 * drivers that peek into the ring rely only on the header layout).  The
 * guest writes the "outbound" ring and reads the "inbound" one; the host
 * does the opposite.  Signalling follows the Hyper-V rules: a writer
 * signals only when the ring goes from empty to non-empty and the reader
 * has not set interrupt_mask; a reader signals a blocked writer only when
 * freeing space crosses the writer's pending_send_sz.
 */

#include <linux/highmem.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>

#include "vmbus_sim_internal.h"

/* Every packet is followed by a u64 holding the writer's old index. */
static_assert(sizeof(struct hv_ring_buffer) == PAGE_SIZE);
static_assert(sizeof(struct vmpacket_descriptor) == 16);

static int vmbus_sim_ring_map(struct hv_ring_buffer_info *rbi,
			      struct page **pages, u32 count)
{
	struct page **map;
	u32 i, n;

	/* header page, then the data pages twice */
	n = 2 * count - 1;
	map = kcalloc(n, sizeof(*map), GFP_KERNEL);
	if (!map)
		return -ENOMEM;
	map[0] = pages[0];
	for (i = 1; i < n; i++)
		map[i] = pages[1 + (i - 1) % (count - 1)];

	rbi->ring_buffer = vmap(map, n, VM_MAP, PAGE_KERNEL);
	kfree(map);
	if (!rbi->ring_buffer)
		return -ENOMEM;

	rbi->ring_size = count << PAGE_SHIFT;
	rbi->ring_size_div10_reciprocal = reciprocal_value(rbi->ring_size / 10);
	rbi->ring_datasize = rbi->ring_size - sizeof(struct hv_ring_buffer);
	rbi->priv_read_index = 0;
	/* Both ends implement pending_send_sz flow control. */
	rbi->ring_buffer->feature_bits.value = 1;
	return 0;
}

static void vmbus_sim_ring_unmap(struct hv_ring_buffer_info *rbi)
{
	mutex_lock(&rbi->ring_buffer_mutex);
	if (rbi->ring_buffer)
		vunmap(rbi->ring_buffer);
	rbi->ring_buffer = NULL;
	mutex_unlock(&rbi->ring_buffer_mutex);
	kfree(rbi->pkt_buffer);
	rbi->pkt_buffer = NULL;
	rbi->pkt_buffer_size = 0;
}

/**
 * vmbus_sim_ring_alloc() - allocate and map both rings of a channel
 * @chan: channel being opened (guest side)
 * @send_size: guest->host ring size in bytes, header page included
 * @recv_size: host->guest ring size in bytes, header page included
 *
 * Sizes must be page multiples of at least two pages each, as
 * vmbus_open() gets them from VMBUS_RING_SIZE().
 *
 * Return: 0, -EINVAL for bad sizes, -ENOMEM.
 */
int vmbus_sim_ring_alloc(struct vmbus_sim_chan *chan, u32 send_size,
			 u32 recv_size)
{
	int node = cpu_to_node(chan->ch.target_cpu);
	struct vmbus_channel *ch = &chan->ch;
	u32 send_pages, i;
	int ret;

	if (!PAGE_ALIGNED(send_size) || !PAGE_ALIGNED(recv_size) ||
	    send_size < 2 * PAGE_SIZE || recv_size < 2 * PAGE_SIZE)
		return -EINVAL;

	send_pages = send_size >> PAGE_SHIFT;
	chan->nr_pages = send_pages + (recv_size >> PAGE_SHIFT);
	chan->pages = kcalloc(chan->nr_pages, sizeof(*chan->pages), GFP_KERNEL);
	if (!chan->pages)
		return -ENOMEM;
	for (i = 0; i < chan->nr_pages; i++) {
		chan->pages[i] = alloc_pages_node(node, GFP_KERNEL | __GFP_ZERO,
						  0);
		if (!chan->pages[i]) {
			ret = -ENOMEM;
			goto err_free;
		}
	}

	ret = vmbus_sim_ring_map(&ch->outbound, chan->pages, send_pages);
	if (ret)
		goto err_free;
	ret = vmbus_sim_ring_map(&ch->inbound, chan->pages + send_pages,
				 chan->nr_pages - send_pages);
	if (ret)
		goto err_free;

	ch->inbound.pkt_buffer = kzalloc(ch->max_pkt_size, GFP_KERNEL);
	if (!ch->inbound.pkt_buffer) {
		ret = -ENOMEM;
		goto err_free;
	}
	ch->inbound.pkt_buffer_size = ch->max_pkt_size;
	ch->ringbuffer_pagecount = chan->nr_pages;
	ch->ringbuffer_send_offset = send_pages;
	return 0;

err_free:
	vmbus_sim_ring_free(chan);
	return ret;
}

/**
 * vmbus_sim_ring_free() - unmap and free both rings of a channel
 * @chan: channel; the host must no longer use the rings (ring_ready off)
 */
void vmbus_sim_ring_free(struct vmbus_sim_chan *chan)
{
	u32 i;

	vmbus_sim_ring_unmap(&chan->ch.outbound);
	vmbus_sim_ring_unmap(&chan->ch.inbound);
	if (!chan->pages)
		return;
	for (i = 0; i < chan->nr_pages; i++)
		if (chan->pages[i])
			__free_page(chan->pages[i]);
	kfree(chan->pages);
	chan->pages = NULL;
	chan->nr_pages = 0;
	chan->ch.ringbuffer_pagecount = 0;
}

/* Copy @len bytes to the ring data area at @off; returns the next offset. */
static u32 vmbus_sim_ring_put(struct hv_ring_buffer_info *rbi, u32 off,
			      const void *src, u32 len)
{
	/* The data area is mapped twice, a single copy handles wrapping. */
	if (src)
		memcpy(rbi->ring_buffer->buffer + off, src, len);
	else
		memset(rbi->ring_buffer->buffer + off, 0, len);
	return vmbus_sim_advance(off, len, rbi->ring_datasize);
}

/**
 * vmbus_sim_signal_host() - the guest rings the host's doorbell
 * @chan: channel
 * @ev: %VMBUS_SIM_EV_RX (new packets) or %VMBUS_SIM_EV_SPACE (room freed)
 *
 * Models vmbus_setevent(): charges the hypercall's cost to this CPU,
 * counts the event and schedules the channel's host work.  Any context.
 */
void vmbus_sim_signal_host(struct vmbus_sim_chan *chan,
			   enum vmbus_sim_event ev)
{
	vmbus_sim_cost_signal();
	chan->ch.sig_events++;
	if (ev == VMBUS_SIM_EV_RX)
		atomic64_inc(&chan->cnt.guest_signals);
	else
		atomic64_inc(&chan->cnt.space_signals);
	wake_up(&chan->space_wq);
	vmbus_sim_chan_event(chan, ev);
}

/**
 * vmbus_sim_interrupt_guest() - raise the channel interrupt in the guest
 * @chan: channel
 *
 * Runs the channel's interrupt handling in hard-irq context on its target
 * CPU: through a self-IPI (irq_work) when already there, else through a
 * function-call IPI.  An interrupt still pending is not raised again,
 * as with SynIC event flags.  Any context.
 */
void vmbus_sim_interrupt_guest(struct vmbus_sim_chan *chan)
{
	int cpu = READ_ONCE(chan->ch.target_cpu);
	int this_cpu = get_cpu();

	atomic64_inc(&chan->cnt.guest_interrupts);
	if (!cpu_online(cpu))
		cpu = this_cpu;
	if (cpu == this_cpu) {
		irq_work_queue(&chan->irq_work);
		goto out;
	}
	if (test_and_set_bit(0, &chan->irq_csd_busy))
		goto out;
	atomic_inc(&chan->irq_inflight);
	if (smp_call_function_single_async(cpu, &chan->irq_csd)) {
		/* The CPU went away under us: deliver here instead. */
		clear_bit(0, &chan->irq_csd_busy);
		atomic_dec(&chan->irq_inflight);
		irq_work_queue(&chan->irq_work);
	}
out:
	put_cpu();
}

/* Guest side: decide whether a write must signal the host. */
static void vmbus_sim_guest_signal_on_write(struct vmbus_sim_chan *chan,
					    u32 old_write)
{
	struct hv_ring_buffer *rb = chan->ch.outbound.ring_buffer;

	/* write_index published before the host's mask is sampled. */
	virt_mb();
	if (READ_ONCE(rb->interrupt_mask))
		goto quiet;
	/* Mask read before read_index. */
	virt_rmb();
	if (old_write != READ_ONCE(rb->read_index))
		goto quiet;
	chan->ch.intr_out_empty++;
	vmbus_sim_signal_host(chan, VMBUS_SIM_EV_RX);
	return;
quiet:
	atomic64_inc(&chan->cnt.guest_signals_suppressed);
}

/* Guest side: allocate the request id, or give back the caller's id. */
static int vmbus_sim_guest_trans_id(struct vmbus_channel *ch, u16 flags,
				    u64 requestid, u64 *trans_id)
{
	*trans_id = requestid;
	if (flags != VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED ||
	    !ch->next_request_id_callback)
		return 0;
	*trans_id = ch->next_request_id_callback(ch, requestid);
	if (*trans_id == VMBUS_RQST_ERROR)
		return -EAGAIN;
	if (*trans_id == VMBUS_NO_RQSTOR)
		*trans_id = requestid;
	return 0;
}

static bool vmbus_sim_guest_ring_full(struct vmbus_channel *ch, u32 free,
				      u32 total)
{
	/* Exactly full would look empty: keep at least one slot free. */
	if (free > total) {
		ch->out_full_flag = false;
		return false;
	}
	ch->out_full_total++;
	if (!ch->out_full_flag) {
		ch->out_full_first++;
		ch->out_full_flag = true;
	}
	return true;
}

static void vmbus_sim_guest_reclaim_id(struct vmbus_channel *ch, u64 id,
				       u64 requestid)
{
	if (id != requestid && ch->request_addr_callback)
		ch->request_addr_callback(ch, id);
}

void vmbus_sim_chan_arm_rescind_race(struct vmbus_sim_chan *chan)
{
	WRITE_ONCE(chan->race_armed, true);
}
EXPORT_SYMBOL_GPL(vmbus_sim_chan_arm_rescind_race);

void vmbus_sim_race_work(struct work_struct *work)
{
	vmbus_sim_rescind(container_of(work, struct vmbus_sim_chan, race_work));
}

/*
 * The guest just wrote request @id: wait, bounded, until the host took it
 * and the guest handled its completion (the request slot is free again),
 * then rescind the channel under the sender's feet.  The sender may be in
 * atomic context (its xmit path): the wait spins.
 */
static void vmbus_sim_rescind_race(struct vmbus_sim_chan *chan, u64 id)
{
	const unsigned long *busy = chan->ch.requestor.req_bitmap;
	u64 end = ktime_get_ns() + 2 * NSEC_PER_SEC;
	bool first;

	for (;;) {
		first = !test_bit(id - 1, busy);
		if (first || ktime_get_ns() >= end)
			break;
		cpu_relax();
	}
	pr_info("vmbus_sim: relid %u: rescind raced a send: %s\n",
		chan->ch.offermsg.child_relid,
		first ? "the guest had handled its completion" :
		"no completion handled within 2 s");
	WRITE_ONCE(chan->ch.rescind, true);
	queue_work(system_wq, &chan->race_work);
}

/**
 * vmbus_sim_guest_write() - write one packet into the guest->host ring
 * @chan: channel
 * @kv: packet pieces; @kv[0] starts with the &struct vmpacket_descriptor
 * @nkv: number of pieces
 * @requestid: the driver's request id (trans_id or its request address)
 * @trans_id: if not NULL, receives the transaction id used
 *
 * Return: 0, -ENODEV if rescinded, -EINVAL if the channel is not open or
 * the packet is too long for a descriptor, -EAGAIN if the ring is full or
 * no request id is free, -EIO if the ring indices are corrupt.
 */
int vmbus_sim_guest_write(struct vmbus_sim_chan *chan, const struct kvec *kv,
			  unsigned int nkv, u64 requestid, u64 *trans_id)
{
	const struct vmpacket_descriptor *hdr = kv[0].iov_base;
	struct hv_ring_buffer_info *rbi = &chan->ch.outbound;
	struct vmbus_channel *ch = &chan->ch;
	struct vmpacket_descriptor *desc;
	u32 total = VMBUS_SIM_TRAILER;
	u32 read, old_write, next, i;
	unsigned long flags;
	u64 id, prev;
	int ret;

	if (READ_ONCE(ch->rescind))
		return -ENODEV;
	for (i = 0; i < nkv; i++)
		total += kv[i].iov_len;

	spin_lock_irqsave(&rbi->ring_lock, flags);
	if (!rbi->ring_buffer || READ_ONCE(ch->state) != CHANNEL_OPENED_STATE) {
		ret = -EINVAL;
		goto unlock;
	}
	read = READ_ONCE(rbi->ring_buffer->read_index);
	old_write = READ_ONCE(rbi->ring_buffer->write_index);
	if (read >= rbi->ring_datasize || old_write >= rbi->ring_datasize) {
		pr_err_ratelimited("relid %u: bad outbound indices %u/%u\n",
				   ch->offermsg.child_relid, read, old_write);
		ret = -EIO;
		goto unlock;
	}
	if (vmbus_sim_guest_ring_full(ch, vmbus_sim_room(read, old_write,
							 rbi->ring_datasize),
				      total)) {
		ret = -EAGAIN;
		goto unlock;
	}

	next = old_write;
	for (i = 0; i < nkv; i++)
		next = vmbus_sim_ring_put(rbi, next, kv[i].iov_base,
					  kv[i].iov_len);

	/* Only now that the data is in place may a completion find it. */
	ret = vmbus_sim_guest_trans_id(ch, hdr->flags, requestid, &id);
	if (ret)
		goto unlock;
	desc = (struct vmpacket_descriptor *)(rbi->ring_buffer->buffer +
					      old_write);
	WRITE_ONCE(desc->trans_id, id);
	if (trans_id)
		*trans_id = id;

	prev = (u64)old_write << 32;
	next = vmbus_sim_ring_put(rbi, next, &prev, sizeof(prev));
	/* The packet must be visible before the index that covers it. */
	virt_mb();
	WRITE_ONCE(rbi->ring_buffer->write_index, next);
	spin_unlock_irqrestore(&rbi->ring_lock, flags);

	vmbus_sim_guest_signal_on_write(chan, old_write);
	if (unlikely(READ_ONCE(chan->race_armed)) && id != requestid &&
	    id - 1 < ch->requestor.size && xchg(&chan->race_armed, false))
		vmbus_sim_rescind_race(chan, id);
	if (READ_ONCE(ch->rescind)) {
		vmbus_sim_guest_reclaim_id(ch, id, requestid);
		return -ENODEV;
	}
	return 0;

unlock:
	spin_unlock_irqrestore(&rbi->ring_lock, flags);
	return ret;
}

/**
 * vmbus_sendpacket_getid() - send a packet and report its transaction id
 * @channel: open channel
 * @buffer: payload
 * @bufferlen: payload length
 * @requestid: request id or address (see vmbus_next_request_id())
 * @trans_id: receives the transaction id written into the descriptor
 * @type: descriptor type, normally VM_PKT_DATA_INBAND
 * @flags: descriptor flags
 *
 * Return: 0, -EAGAIN when the ring is full or no request id is free,
 * -ENODEV on a rescinded channel, -EINVAL on a closed channel or for a
 * packet longer than a descriptor can describe.
 */
int vmbus_sendpacket_getid(struct vmbus_channel *channel, void *buffer,
			   u32 bufferlen, u64 requestid, u64 *trans_id,
			   enum vmbus_packet_type type, u32 flags)
{
	u32 len = sizeof(struct vmpacket_descriptor) + bufferlen;
	u32 aligned = ALIGN(len, sizeof(u64));
	struct vmpacket_descriptor desc = {};
	struct kvec kv[3];
	u64 pad = 0;

	if (aligned < len || aligned >> 3 > U16_MAX)
		return -EINVAL;
	desc.type = type;
	desc.flags = flags;
	desc.offset8 = sizeof(desc) >> 3;
	desc.len8 = aligned >> 3;
	desc.trans_id = VMBUS_RQST_ERROR;

	kv[0].iov_base = &desc;
	kv[0].iov_len = sizeof(desc);
	kv[1].iov_base = buffer;
	kv[1].iov_len = bufferlen;
	kv[2].iov_base = &pad;
	kv[2].iov_len = aligned - len;
	return vmbus_sim_guest_write(to_sim_chan(channel), kv, 3, requestid,
				     trans_id);
}
EXPORT_SYMBOL(vmbus_sendpacket_getid);

/**
 * vmbus_sendpacket() - send an inband (or completion) packet
 * @channel: open channel
 * @buffer: payload
 * @bufferlen: payload length
 * @requestid: request id or address
 * @type: descriptor type
 * @flags: descriptor flags
 *
 * Return: as vmbus_sendpacket_getid().
 */
int vmbus_sendpacket(struct vmbus_channel *channel, void *buffer,
		     u32 bufferlen, u64 requestid,
		     enum vmbus_packet_type type, u32 flags)
{
	return vmbus_sendpacket_getid(channel, buffer, bufferlen, requestid,
				      NULL, type, flags);
}
EXPORT_SYMBOL(vmbus_sendpacket);

/**
 * vmbus_sendpacket_mpb_desc() - send a GPA-direct packet
 * @channel: open channel
 * @mpb: descriptor with one or more &struct hv_mpb_array ranges; the
 *	descriptor fields are filled in here
 * @desc_size: bytes of @mpb including all ranges (multiple of 8)
 * @buffer: inband payload following the ranges
 * @bufferlen: payload length
 * @requestid: request id or address
 *
 * Return: as vmbus_sendpacket_getid().
 */
int vmbus_sendpacket_mpb_desc(struct vmbus_channel *channel,
			      struct vmbus_packet_mpb_array *mpb,
			      u32 desc_size, void *buffer, u32 bufferlen,
			      u64 requestid)
{
	u32 len = desc_size + bufferlen;
	struct kvec kv[3];
	u32 aligned;
	u64 pad = 0;

	aligned = ALIGN(len, sizeof(u64));
	if (desc_size < sizeof(*mpb) - sizeof(mpb->range) ||
	    desc_size >> 3 > U16_MAX || aligned < len ||
	    aligned >> 3 > U16_MAX)
		return -EINVAL;
	mpb->type = VM_PKT_DATA_USING_GPA_DIRECT;
	mpb->flags = VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED;
	mpb->dataoffset8 = desc_size >> 3;
	mpb->length8 = aligned >> 3;
	mpb->transactionid = VMBUS_RQST_ERROR;
	mpb->reserved = 0;

	kv[0].iov_base = mpb;
	kv[0].iov_len = desc_size;
	kv[1].iov_base = buffer;
	kv[1].iov_len = bufferlen;
	kv[2].iov_base = &pad;
	kv[2].iov_len = aligned - len;
	return vmbus_sim_guest_write(to_sim_chan(channel), kv, 3, requestid,
				     NULL);
}
EXPORT_SYMBOL_GPL(vmbus_sendpacket_mpb_desc);

/**
 * vmbus_setevent() - signal the host on a channel
 * @channel: channel
 *
 * Unconditionally rings the host's doorbell, as hv_vmbus does for drivers
 * that manage signalling themselves.
 */
void vmbus_setevent(struct vmbus_channel *channel)
{
	vmbus_sim_signal_host(to_sim_chan(channel), VMBUS_SIM_EV_RX);
}
EXPORT_SYMBOL_GPL(vmbus_setevent);

/**
 * vmbus_set_event() - signal the host on a channel (no monitor page)
 * @channel: channel
 */
void vmbus_set_event(struct vmbus_channel *channel)
{
	vmbus_setevent(channel);
}
EXPORT_SYMBOL_GPL(vmbus_set_event);

/* Guest side: bytes between the iterator position and the host's write. */
static u32 vmbus_sim_iter_avail(const struct hv_ring_buffer_info *rbi)
{
	/* Packet reads must not be ordered before the index read. */
	u32 write = virt_load_acquire(&rbi->ring_buffer->write_index);

	if (write >= rbi->ring_datasize)
		return 0;
	return vmbus_sim_used(rbi->priv_read_index, write,
				   rbi->ring_datasize);
}

/**
 * hv_pkt_iter_first() - copy out the packet at the iterator position
 * @channel: open channel, called from its callback context
 *
 * The packet is copied into the channel's packet buffer (max_pkt_size
 * bytes); a descriptor with a bogus length or offset is clamped to what
 * is there, so drivers never read outside the copy.
 *
 * Return: the copy, or NULL if the ring is empty.
 */
struct vmpacket_descriptor *hv_pkt_iter_first(struct vmbus_channel *channel)
{
	struct hv_ring_buffer_info *rbi = &channel->inbound;
	struct vmpacket_descriptor *src, *copy;
	u32 avail, len, off;

	if (!rbi->ring_buffer || !rbi->pkt_buffer)
		return NULL;
	avail = vmbus_sim_iter_avail(rbi);
	if (avail < sizeof(*src))
		return NULL;
	avail = min(avail, rbi->pkt_buffer_size);

	src = (void *)(rbi->ring_buffer->buffer + rbi->priv_read_index);
	len = (u32)READ_ONCE(src->len8) << 3;
	off = (u32)READ_ONCE(src->offset8) << 3;
	if (len < sizeof(*src) || len > avail)
		len = avail;
	if (off < sizeof(*src) || off > len)
		off = sizeof(*src);

	copy = rbi->pkt_buffer;
	memcpy(copy, src, len);
	copy->len8 = len >> 3;
	copy->offset8 = off >> 3;
	return copy;
}
EXPORT_SYMBOL_GPL(hv_pkt_iter_first);

/**
 * __hv_pkt_iter_next() - move the iterator past a packet
 * @channel: channel being iterated
 * @pkt: packet returned by hv_pkt_iter_first() or this function
 *
 * The ring's read index is not updated until hv_pkt_iter_close().
 *
 * Return: the next packet, or NULL when the ring is drained.
 */
struct vmpacket_descriptor *
__hv_pkt_iter_next(struct vmbus_channel *channel,
		   const struct vmpacket_descriptor *pkt)
{
	struct hv_ring_buffer_info *rbi = &channel->inbound;

	rbi->priv_read_index =
		vmbus_sim_advance(rbi->priv_read_index,
				  ((u32)pkt->len8 << 3) + VMBUS_SIM_TRAILER,
				  rbi->ring_datasize);
	return hv_pkt_iter_first(channel);
}
EXPORT_SYMBOL_GPL(__hv_pkt_iter_next);

/**
 * hv_pkt_iter_close() - publish the iterator position to the host
 * @channel: channel being iterated
 *
 * Stores the new read index and, if the host is waiting for room
 * (pending_send_sz) and this read made enough, signals the host.
 */
void hv_pkt_iter_close(struct vmbus_channel *channel)
{
	struct hv_ring_buffer_info *rbi = &channel->inbound;
	u32 start, freed, now_free, pending;

	if (!rbi->ring_buffer)
		return;
	/* All packet reads must be done before the host may overwrite. */
	virt_rmb();
	start = rbi->ring_buffer->read_index;
	WRITE_ONCE(rbi->ring_buffer->read_index, rbi->priv_read_index);

	if (!rbi->ring_buffer->feature_bits.feat_pending_send_sz)
		return;
	/* The read index must be visible before pending_send_sz is read. */
	virt_mb();
	pending = READ_ONCE(rbi->ring_buffer->pending_send_sz);
	if (!pending)
		return;
	/* pending_send_sz read before the host's write_index. */
	virt_rmb();
	now_free = hv_get_bytes_to_write(rbi);
	freed = vmbus_sim_used(start, rbi->priv_read_index,
			       rbi->ring_datasize);
	/* Signal only on the transition "too little room" -> "enough". */
	if (now_free - freed > pending || now_free <= pending)
		return;
	channel->intr_in_full++;
	vmbus_sim_signal_host(to_sim_chan(channel), VMBUS_SIM_EV_SPACE);
}
EXPORT_SYMBOL_GPL(hv_pkt_iter_close);

static int vmbus_sim_recvpacket(struct vmbus_channel *channel, void *buffer,
				u32 bufferlen, u32 *actual, u64 *requestid,
				bool raw)
{
	struct vmpacket_descriptor *desc;
	u32 off, len;

	if (!bufferlen)
		return -EINVAL;
	*actual = 0;
	*requestid = 0;
	desc = hv_pkt_iter_first(channel);
	if (!desc)
		return 0;

	off = raw ? 0 : (u32)desc->offset8 << 3;
	len = ((u32)desc->len8 << 3) - off;
	*actual = len;
	*requestid = desc->trans_id;
	if (len > bufferlen)
		return -ENOBUFS;
	memcpy(buffer, (u8 *)desc + off, len);
	__hv_pkt_iter_next(channel, desc);
	hv_pkt_iter_close(channel);
	return 0;
}

/**
 * vmbus_recvpacket() - receive the payload of the next packet
 * @channel: open channel
 * @buffer: destination
 * @bufferlen: size of @buffer
 * @buffer_actual_len: payload length (0 if the ring was empty)
 * @requestid: the packet's transaction id
 *
 * Return: 0 (also when empty), -ENOBUFS if @buffer is too small (the
 * packet stays in the ring), -EINVAL for a zero @bufferlen.
 */
int vmbus_recvpacket(struct vmbus_channel *channel, void *buffer,
		     u32 bufferlen, u32 *buffer_actual_len, u64 *requestid)
{
	return vmbus_sim_recvpacket(channel, buffer, bufferlen,
				    buffer_actual_len, requestid, false);
}
EXPORT_SYMBOL(vmbus_recvpacket);

/**
 * vmbus_recvpacket_raw() - receive the next packet including descriptor
 * @channel: open channel
 * @buffer: destination
 * @bufferlen: size of @buffer
 * @buffer_actual_len: packet length (0 if the ring was empty)
 * @requestid: the packet's transaction id
 *
 * Return: as vmbus_recvpacket().
 */
int vmbus_recvpacket_raw(struct vmbus_channel *channel, void *buffer,
			 u32 bufferlen, u32 *buffer_actual_len,
			 u64 *requestid)
{
	return vmbus_sim_recvpacket(channel, buffer, bufferlen,
				    buffer_actual_len, requestid, true);
}
EXPORT_SYMBOL_GPL(vmbus_recvpacket_raw);

/**
 * hv_ringbuffer_get_debuginfo() - snapshot of a ring's indices
 * @ring_info: inbound or outbound ring of a channel
 * @debug_info: filled with indices, mask and byte counts
 *
 * Return: 0, or -EINVAL if the ring is not mapped (channel closed).
 */
int hv_ringbuffer_get_debuginfo(struct hv_ring_buffer_info *ring_info,
				struct hv_ring_buffer_debug_info *debug_info)
{
	struct hv_ring_buffer *rb;
	u32 read, write;

	mutex_lock(&ring_info->ring_buffer_mutex);
	rb = ring_info->ring_buffer;
	if (!rb) {
		mutex_unlock(&ring_info->ring_buffer_mutex);
		return -EINVAL;
	}
	read = READ_ONCE(rb->read_index);
	write = READ_ONCE(rb->write_index);
	debug_info->current_read_index = read;
	debug_info->current_write_index = write;
	debug_info->current_interrupt_mask = READ_ONCE(rb->interrupt_mask);
	debug_info->bytes_avail_towrite =
		vmbus_sim_room(read, write, ring_info->ring_datasize);
	debug_info->bytes_avail_toread = ring_info->ring_datasize -
		debug_info->bytes_avail_towrite;
	mutex_unlock(&ring_info->ring_buffer_mutex);
	return 0;
}
EXPORT_SYMBOL_GPL(hv_ringbuffer_get_debuginfo);
