// SPDX-License-Identifier: GPL-2.0
/*
 * vmbus_sim channels: open and close from the guest, the per-channel host
 * work that runs provider callbacks, interrupt delivery on the channel's
 * target CPU and the request-id table.
 *
 * Open and close are handed to the channel's host work and waited for, the
 * way hv_vmbus waits for CHANNELMSG_OPENCHANNEL_RESULT: the provider sees
 * them in the same serialised context as the packets of the channel.
 */

#include <linux/bitmap.h>
#include <linux/interrupt.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "vmbus_sim_internal.h"

/**
 * vmbus_sim_chan_event() - post an event to a channel's host work
 * @chan: channel
 * @ev: event
 *
 * Any context.
 */
void vmbus_sim_chan_event(struct vmbus_sim_chan *chan,
			  enum vmbus_sim_event ev)
{
	set_bit(ev, &chan->events);
	queue_work(vmbus_sim.host_wq, &chan->work);
}

/* host_lock held: stop the provider's session on this channel. */
static void vmbus_sim_host_stop(struct vmbus_sim_chan *chan)
{
	const struct vmbus_sim_ops *ops = chan->dev->ops;
	unsigned long flags;

	lockdep_assert_held(&chan->host_lock);
	if (!chan->host_open)
		return;
	if (ops->close)
		ops->close(chan);
	chan->host_open = false;
	spin_lock_irqsave(&chan->send_lock, flags);
	chan->ring_ready = false;
	spin_unlock_irqrestore(&chan->send_lock, flags);
	wake_up(&chan->space_wq);
}

/* host_lock held: the guest asks to open; ask the provider. */
static void vmbus_sim_host_open(struct vmbus_sim_chan *chan)
{
	const struct vmbus_sim_ops *ops = chan->dev->ops;
	unsigned long flags;
	int ret = 0;

	lockdep_assert_held(&chan->host_lock);
	if (READ_ONCE(chan->ch.rescind)) {
		chan->open_result = -ENODEV;
		return;
	}
	spin_lock_irqsave(&chan->send_lock, flags);
	chan->ring_ready = true;
	spin_unlock_irqrestore(&chan->send_lock, flags);
	chan->host_open = true;
	chan->rx_drained = false;
	chan->read_lagging = false;
	if (ops->open)
		ret = ops->open(chan);
	if (ret) {
		chan->host_open = false;
		spin_lock_irqsave(&chan->send_lock, flags);
		chan->ring_ready = false;
		spin_unlock_irqrestore(&chan->send_lock, flags);
	}
	chan->open_result = ret;
}

/**
 * vmbus_sim_host_work() - the host side of one channel
 * @work: &vmbus_sim_chan.work
 *
 * Handles pending events in a fixed order: open, rescind, close, room in
 * the guest's ring, new guest packets.  Runs on the unbound host work
 * queue; one channel's work never runs concurrently with itself.
 */
void vmbus_sim_host_work(struct work_struct *work)
{
	struct vmbus_sim_chan *chan = container_of(work, struct vmbus_sim_chan,
						   work);
	const struct vmbus_sim_ops *ops = chan->dev->ops;

	mutex_lock(&chan->host_lock);
	if (test_and_clear_bit(VMBUS_SIM_EV_OPEN, &chan->events)) {
		vmbus_sim_host_open(chan);
		complete(&chan->ctl_done);
	}
	if (test_and_clear_bit(VMBUS_SIM_EV_RESCIND, &chan->events))
		vmbus_sim_host_stop(chan);
	if (test_and_clear_bit(VMBUS_SIM_EV_CLOSE, &chan->events)) {
		vmbus_sim_host_stop(chan);
		complete(&chan->ctl_done);
	}
	if (!chan->host_open) {
		clear_bit(VMBUS_SIM_EV_SPACE, &chan->events);
		clear_bit(VMBUS_SIM_EV_RX, &chan->events);
		goto out;
	}
	if (test_and_clear_bit(VMBUS_SIM_EV_SPACE, &chan->events) &&
	    ops->space)
		ops->space(chan);
	if (test_and_clear_bit(VMBUS_SIM_EV_RX, &chan->events))
		vmbus_sim_host_rx(chan);
out:
	mutex_unlock(&chan->host_lock);
}

/*
 * A channel interrupt arriving on the target CPU, in hard-irq context.
 * Its cost is spent first (vmbus_sim_cost.c); then, as hv_vmbus does for a
 * set event flag: call the driver's callback directly (HV_CALL_ISR) or
 * schedule the channel tasklet, masking interrupts first in batched mode.
 */
static void vmbus_sim_deliver(struct vmbus_sim_chan *chan)
{
	struct vmbus_channel *ch = &chan->ch;
	void (*cb)(void *context);

	lockdep_assert_irqs_disabled();
	if (READ_ONCE(ch->rescind))
		return;
	vmbus_sim_cost_interrupt();
	spin_lock(&ch->sched_lock);
	cb = ch->onchannel_callback;
	if (!cb)
		goto unlock;
	ch->interrupts++;
	switch (ch->callback_mode) {
	case HV_CALL_ISR:
		cb(ch->channel_callback_context);
		break;
	case HV_CALL_BATCHED:
		hv_begin_read(&ch->inbound);
		fallthrough;
	case HV_CALL_DIRECT:
		tasklet_schedule(&ch->callback_event);
		break;
	}
unlock:
	spin_unlock(&ch->sched_lock);
}

static void vmbus_sim_irq_work(struct irq_work *work)
{
	vmbus_sim_deliver(container_of(work, struct vmbus_sim_chan, irq_work));
}

static void vmbus_sim_irq_ipi(void *info)
{
	struct vmbus_sim_chan *chan = info;

	clear_bit(0, &chan->irq_csd_busy);
	/*
	 * A new interrupt may be sent from here on; order the clear before
	 * the ring reads of the callback so that no interrupt is lost.
	 */
	smp_mb__after_atomic();
	vmbus_sim_deliver(chan);
	atomic_dec(&chan->irq_inflight);
}

/**
 * vmbus_sim_irq_sync() - wait until no channel interrupt is being handled
 * @chan: channel whose callback has been reset
 */
void vmbus_sim_irq_sync(struct vmbus_sim_chan *chan)
{
	irq_work_sync(&chan->irq_work);
	while (atomic_read(&chan->irq_inflight))
		cpu_relax();
}

/* The channel tasklet: batched and direct callback modes. */
static void vmbus_sim_tasklet(struct tasklet_struct *t)
{
	struct vmbus_channel *ch = from_tasklet(ch, t, callback_event);
	void (*cb)(void *context);

	cb = READ_ONCE(ch->onchannel_callback);
	if (!cb)
		return;
	cb(ch->channel_callback_context);
	if (ch->callback_mode != HV_CALL_BATCHED)
		return;
	/* Unmask; if the host wrote meanwhile, go around once more. */
	if (!hv_end_read(&ch->inbound))
		return;
	hv_begin_read(&ch->inbound);
	tasklet_schedule(&ch->callback_event);
}

/**
 * vmbus_sim_chan_init() - initialise a freshly allocated channel
 * @chan: zeroed channel; dev, index and offer fields are set by the caller
 */
void vmbus_sim_chan_init(struct vmbus_sim_chan *chan)
{
	struct vmbus_channel *ch = &chan->ch;

	INIT_LIST_HEAD(&ch->sc_list);
	INIT_LIST_HEAD(&ch->listentry);
	spin_lock_init(&ch->sched_lock);
	spin_lock_init(&ch->outbound.ring_lock);
	spin_lock_init(&ch->inbound.ring_lock);
	mutex_init(&ch->outbound.ring_buffer_mutex);
	mutex_init(&ch->inbound.ring_buffer_mutex);
	init_completion(&ch->rescind_event);
	spin_lock_init(&ch->requestor.req_lock);
	tasklet_setup(&ch->callback_event, vmbus_sim_tasklet);
	ch->callback_mode = HV_CALL_BATCHED;
	ch->state = CHANNEL_OFFER_STATE;

	INIT_WORK(&chan->work, vmbus_sim_host_work);
	INIT_DELAYED_WORK(&chan->read_work, vmbus_sim_read_work);
	INIT_WORK(&chan->race_work, vmbus_sim_race_work);
	mutex_init(&chan->host_lock);
	init_completion(&chan->ctl_done);
	spin_lock_init(&chan->send_lock);
	init_waitqueue_head(&chan->space_wq);
	chan->irq_work = IRQ_WORK_INIT_HARD(vmbus_sim_irq_work);
	INIT_CSD(&chan->irq_csd, vmbus_sim_irq_ipi, chan);
}

/**
 * vmbus_sim_chan_destroy() - free a channel at device release
 * @chan: channel; no work may be queued any more
 */
void vmbus_sim_chan_destroy(struct vmbus_sim_chan *chan)
{
	cancel_work_sync(&chan->work);
	cancel_delayed_work_sync(&chan->read_work);
	cancel_work_sync(&chan->race_work);
	cancel_work_sync(&chan->sc_work);
	vmbus_sim_irq_sync(chan);
	tasklet_kill(&chan->ch.callback_event);
	kfree(chan->ch.requestor.req_arr);
	bitmap_free(chan->ch.requestor.req_bitmap);
	vmbus_sim_ring_free(chan);
	kvfree(chan->host_buf);
	mutex_destroy(&chan->host_lock);
	kfree(chan);
}

static int vmbus_sim_rqstor_alloc(struct vmbus_channel *ch)
{
	struct vmbus_requestor *rq = &ch->requestor;
	u32 i;

	rq->req_arr = kcalloc(ch->rqstor_size, sizeof(u64), GFP_KERNEL);
	rq->req_bitmap = bitmap_zalloc(ch->rqstor_size, GFP_KERNEL);
	if (!rq->req_arr || !rq->req_bitmap) {
		kfree(rq->req_arr);
		bitmap_free(rq->req_bitmap);
		rq->req_arr = NULL;
		rq->req_bitmap = NULL;
		return -ENOMEM;
	}
	/* Free slots form a list threaded through the array itself. */
	for (i = 0; i < ch->rqstor_size; i++)
		rq->req_arr[i] = i + 1;
	rq->req_arr[ch->rqstor_size - 1] = U64_MAX;
	rq->size = ch->rqstor_size;
	rq->next_request_id = 0;
	return 0;
}

static void vmbus_sim_rqstor_free(struct vmbus_channel *ch)
{
	kfree(ch->requestor.req_arr);
	bitmap_free(ch->requestor.req_bitmap);
	ch->requestor.req_arr = NULL;
	ch->requestor.req_bitmap = NULL;
	ch->requestor.size = 0;
}

/* Ask the host work to open or close and wait for its answer. */
static void vmbus_sim_host_request(struct vmbus_sim_chan *chan,
				   enum vmbus_sim_event ev)
{
	reinit_completion(&chan->ctl_done);
	vmbus_sim_chan_event(chan, ev);
	wait_for_completion(&chan->ctl_done);
}

/**
 * vmbus_sim_dev_hold() - see vmbus_sim.h
 * @dev: device
 * @open_mask: channels whose open waits
 * @gpadl: VMBUS_SIM_HOLD_* GPADL calls that wait
 */
void vmbus_sim_dev_hold(struct vmbus_sim_device *dev, u32 open_mask,
			u32 gpadl)
{
	WRITE_ONCE(dev->hold_open, open_mask);
	WRITE_ONCE(dev->hold_gpadl, gpadl);
	wake_up_all(&dev->hold_wq);
}
EXPORT_SYMBOL_GPL(vmbus_sim_dev_hold);

/**
 * vmbus_sim_dev_refuse_gpadl() - see vmbus_sim.h
 * @dev: device
 * @count: buffer GPADLs to refuse
 */
void vmbus_sim_dev_refuse_gpadl(struct vmbus_sim_device *dev, u32 count)
{
	atomic_set(&dev->refuse_gpadl, min_t(u32, count, INT_MAX));
}
EXPORT_SYMBOL_GPL(vmbus_sim_dev_refuse_gpadl);

/**
 * vmbus_sim_dev_gpadl_refusals() - see vmbus_sim.h
 * @dev: device
 *
 * Return: refusals left.
 */
u32 vmbus_sim_dev_gpadl_refusals(struct vmbus_sim_device *dev)
{
	return atomic_read(&dev->refuse_gpadl);
}
EXPORT_SYMBOL_GPL(vmbus_sim_dev_gpadl_refusals);

static bool vmbus_sim_held(const u32 *mask, u32 bit)
{
	return READ_ONCE(*mask) & bit;
}

/**
 * vmbus_sim_hold_wait() - wait while the host holds back an answer
 * @chan: channel the guest's call is on
 * @mask: &vmbus_sim_device.hold_open or .hold_gpadl
 * @bit: the bit of this call in @mask
 * @what: the call, for the log
 *
 * Rescinds are polled: they come from several paths and a real host's
 * rescind wakes every waiter of the channel.
 *
 * Return: 0 when the host answers, -ENODEV when @chan was rescinded.
 */
int vmbus_sim_hold_wait(struct vmbus_sim_chan *chan, const u32 *mask,
			u32 bit, const char *what)
{
	struct vmbus_sim_device *dev = chan->dev;
	u32 relid = chan->ch.offermsg.child_relid;
	bool held = false;

	while (vmbus_sim_held(mask, bit)) {
		if (READ_ONCE(chan->ch.rescind)) {
			pr_info("vmbus_sim: relid %u: held %s ended by a rescind\n",
				relid, what);
			return -ENODEV;
		}
		if (!held)
			pr_info("vmbus_sim: relid %u: %s held by the host\n",
				relid, what);
		held = true;
		wait_event_timeout(dev->hold_wq, !vmbus_sim_held(mask, bit),
				   HZ / 10);
	}
	if (held)
		pr_info("vmbus_sim: relid %u: held %s answered\n", relid, what);
	return 0;
}

static void vmbus_sim_set_state(struct vmbus_sim_chan *chan,
				enum vmbus_channel_state state)
{
	mutex_lock(&chan->dev->lock);
	WRITE_ONCE(chan->ch.state, state);
	mutex_unlock(&chan->dev->lock);
}

/* Undo what vmbus_open() set up on the guest side. */
static void vmbus_sim_guest_teardown(struct vmbus_sim_chan *chan)
{
	struct vmbus_channel *ch = &chan->ch;
	unsigned long flags;

	/* Senders that saw the old state have left the ring lock. */
	spin_lock_irqsave(&ch->outbound.ring_lock, flags);
	spin_unlock_irqrestore(&ch->outbound.ring_lock, flags);
	vmbus_sim_irq_sync(chan);
	vmbus_sim_rqstor_free(ch);
	vmbus_sim_ring_free(chan);
}

/**
 * vmbus_reset_channel_cb() - stop delivering callbacks on a channel
 * @channel: channel
 *
 * After return no new channel callback starts; the sc-create callback is
 * cleared too.
 */
void vmbus_reset_channel_cb(struct vmbus_channel *channel)
{
	unsigned long flags;

	tasklet_disable(&channel->callback_event);
	spin_lock_irqsave(&channel->sched_lock, flags);
	channel->onchannel_callback = NULL;
	spin_unlock_irqrestore(&channel->sched_lock, flags);
	channel->sc_creation_callback = NULL;
	tasklet_enable(&channel->callback_event);
}

static int vmbus_sim_open_begin(struct vmbus_sim_chan *chan)
{
	struct vmbus_channel *ch = &chan->ch;
	int ret = 0;

	mutex_lock(&chan->dev->lock);
	if (ch->state != CHANNEL_OPEN_STATE)
		ret = -EINVAL;
	else if (ch->rescind)
		ret = -ENODEV;
	else
		WRITE_ONCE(ch->state, CHANNEL_OPENING_STATE);
	mutex_unlock(&chan->dev->lock);
	return ret;
}

/**
 * vmbus_open() - open a channel offered to the guest
 * @newchannel: channel (hv_device.channel or a subchannel)
 * @send_ringbuffersize: guest->host ring bytes (page multiple)
 * @recv_ringbuffersize: host->guest ring bytes (page multiple)
 * @userdata: optional data for the host (ignored by providers)
 * @userdatalen: at most MAX_USER_DEFINED_BYTES
 * @onchannelcallback: called on channel interrupts
 * @context: argument of @onchannelcallback
 *
 * Allocates the rings (and the request-id table when rqstor_size is set),
 * then lets the provider accept the open in the channel's host work.
 *
 * Return: 0; -EINVAL for bad sizes or a channel not in the offered state
 * (e.g. already open); -ENOMEM; -ENODEV if rescinded; -EAGAIN if the
 * provider refused.
 */
int vmbus_open(struct vmbus_channel *newchannel,
	       u32 send_ringbuffersize, u32 recv_ringbuffersize,
	       void *userdata, u32 userdatalen,
	       void (*onchannelcallback)(void *context), void *context)
{
	struct vmbus_sim_chan *chan = to_sim_chan(newchannel);
	struct vmbus_channel *ch = newchannel;
	unsigned long flags;
	int ret;

	if (!PAGE_ALIGNED(send_ringbuffersize) ||
	    !PAGE_ALIGNED(recv_ringbuffersize) ||
	    userdatalen > MAX_USER_DEFINED_BYTES)
		return -EINVAL;
	ret = vmbus_sim_open_begin(chan);
	if (ret)
		return ret;

	if (!ch->max_pkt_size)
		ch->max_pkt_size = VMBUS_DEFAULT_MAX_PKT_SIZE;
	ret = vmbus_sim_ring_alloc(chan, send_ringbuffersize,
				   recv_ringbuffersize);
	if (ret)
		goto err_state;
	if (ch->rqstor_size) {
		ret = vmbus_sim_rqstor_alloc(ch);
		if (ret)
			goto err_ring;
	}
	spin_lock_irqsave(&ch->sched_lock, flags);
	ch->onchannel_callback = onchannelcallback;
	ch->channel_callback_context = context;
	spin_unlock_irqrestore(&ch->sched_lock, flags);

	/* hv_vmbus establishes the rings' GPADL first and waits for it */
	ret = vmbus_sim_hold_wait(chan, &chan->dev->hold_gpadl,
				  VMBUS_SIM_HOLD_ESTABLISH, "GPADL establish");
	if (!ret)
		ret = vmbus_sim_hold_wait(chan, &chan->dev->hold_open,
					  chan->index < 32 ?
					  BIT(chan->index) : 0, "open");
	if (ret)
		goto err_host;
	vmbus_sim_host_request(chan, VMBUS_SIM_EV_OPEN);
	if (READ_ONCE(ch->rescind))
		ret = -ENODEV;
	else if (chan->open_result)
		ret = -EAGAIN;
	if (ret)
		goto err_host;
	vmbus_sim_set_state(chan, CHANNEL_OPENED_STATE);
	return 0;

err_host:
	vmbus_sim_host_request(chan, VMBUS_SIM_EV_CLOSE);
	vmbus_reset_channel_cb(ch);
err_ring:
	vmbus_sim_guest_teardown(chan);
err_state:
	vmbus_sim_set_state(chan, CHANNEL_OPEN_STATE);
	return ret;
}
EXPORT_SYMBOL_GPL(vmbus_open);

/* Close one channel; -EINVAL if it was not open. */
static int vmbus_sim_close_one(struct vmbus_sim_chan *chan)
{
	struct vmbus_channel *ch = &chan->ch;
	int ret = 0;

	vmbus_reset_channel_cb(ch);
	mutex_lock(&chan->dev->lock);
	if (ch->state != CHANNEL_OPENED_STATE)
		ret = -EINVAL;
	else
		WRITE_ONCE(ch->state, CHANNEL_OPEN_STATE);
	mutex_unlock(&chan->dev->lock);
	if (ret)
		return ret;

	vmbus_sim_host_request(chan, VMBUS_SIM_EV_CLOSE);
	/* hv_vmbus tears the ring's GPADL down here and waits for it */
	vmbus_sim_hold_wait(chan, &chan->dev->hold_gpadl,
			    VMBUS_SIM_HOLD_TEARDOWN, "GPADL teardown");
	vmbus_sim_guest_teardown(chan);
	return 0;
}

/**
 * vmbus_close() - close a primary channel and all its subchannels
 * @channel: primary channel; for a subchannel this does nothing, as in
 *	hv_vmbus (subchannels are closed with their primary)
 *
 * Subchannels that were rescinded are dropped from the primary's sc_list
 * once closed.
 */
void vmbus_close(struct vmbus_channel *channel)
{
	struct vmbus_sim_chan *chan = to_sim_chan(channel);
	struct vmbus_sim_device *dev = chan->dev;
	struct vmbus_sim_chan *sc;
	bool gone;

	if (channel->primary_channel)
		return;
	/*
	 * Channels stay on all_chans until the device is freed, so the
	 * cursor remains valid while the lock is dropped.
	 */
	mutex_lock(&dev->lock);
	list_for_each_entry(sc, &dev->all_chans, node) {
		if (!sc->index || sc->ch.state != CHANNEL_OPENED_STATE)
			continue;
		mutex_unlock(&dev->lock);
		vmbus_sim_close_one(sc);
		mutex_lock(&dev->lock);
		gone = READ_ONCE(sc->ch.rescind);
		if (gone)
			list_del_init(&sc->ch.sc_list);
		mutex_unlock(&dev->lock);
		if (gone)
			vmbus_sim_chan_kobj_del(sc);
		mutex_lock(&dev->lock);
	}
	mutex_unlock(&dev->lock);
	/* Hyper-V rescinds the subchannels once the primary is closed. */
	if (!vmbus_sim_close_one(chan))
		vmbus_sim_drop_subchannels(dev);
}
EXPORT_SYMBOL_GPL(vmbus_close);

/**
 * vmbus_next_request_id() - allocate a transaction id for a request
 * @channel: channel with a request-id table (rqstor_size set before open)
 * @rqst_addr: value to remember (usually the request's address)
 *
 * Return: the id (never 0, which Hyper-V uses for unsolicited packets),
 * VMBUS_NO_RQSTOR if the channel has no table, VMBUS_RQST_ERROR if full.
 */
u64 vmbus_next_request_id(struct vmbus_channel *channel, u64 rqst_addr)
{
	struct vmbus_requestor *rq = &channel->requestor;
	unsigned long flags;
	u64 slot;

	if (!channel->rqstor_size)
		return VMBUS_NO_RQSTOR;
	spin_lock_irqsave(&rq->req_lock, flags);
	slot = rq->next_request_id;
	if (!rq->req_arr || slot >= rq->size) {
		spin_unlock_irqrestore(&rq->req_lock, flags);
		return VMBUS_RQST_ERROR;
	}
	rq->next_request_id = rq->req_arr[slot];
	rq->req_arr[slot] = rqst_addr;
	__set_bit(slot, rq->req_bitmap);
	spin_unlock_irqrestore(&rq->req_lock, flags);
	return slot + 1;
}
EXPORT_SYMBOL_GPL(vmbus_next_request_id);

/**
 * __vmbus_request_addr_match() - look up and maybe release a request id
 * @channel: channel
 * @trans_id: id from vmbus_next_request_id()
 * @rqst_addr: release only if the stored value equals this, or
 *	VMBUS_RQST_ADDR_ANY
 *
 * Caller holds the requestor lock.
 *
 * Return: the stored value, VMBUS_NO_RQSTOR without a table,
 * VMBUS_RQST_ERROR for an id that is not allocated (or 0).
 */
u64 __vmbus_request_addr_match(struct vmbus_channel *channel, u64 trans_id,
			       u64 rqst_addr)
{
	struct vmbus_requestor *rq = &channel->requestor;
	u64 slot, stored;

	lockdep_assert_held(&rq->req_lock);
	if (!channel->rqstor_size)
		return VMBUS_NO_RQSTOR;
	if (!trans_id || !rq->req_arr)
		return VMBUS_RQST_ERROR;
	slot = trans_id - 1;
	if (slot >= rq->size || !test_bit(slot, rq->req_bitmap))
		return VMBUS_RQST_ERROR;
	stored = rq->req_arr[slot];
	if (rqst_addr == VMBUS_RQST_ADDR_ANY || rqst_addr == stored) {
		rq->req_arr[slot] = rq->next_request_id;
		rq->next_request_id = slot;
		__clear_bit(slot, rq->req_bitmap);
	}
	return stored;
}
EXPORT_SYMBOL_GPL(__vmbus_request_addr_match);

/**
 * vmbus_request_addr_match() - __vmbus_request_addr_match() with locking
 * @channel: channel
 * @trans_id: id from vmbus_next_request_id()
 * @rqst_addr: expected stored value or VMBUS_RQST_ADDR_ANY
 *
 * Return: as __vmbus_request_addr_match().
 */
u64 vmbus_request_addr_match(struct vmbus_channel *channel, u64 trans_id,
			     u64 rqst_addr)
{
	unsigned long flags;
	u64 ret;

	if (!channel->rqstor_size)
		return VMBUS_NO_RQSTOR;
	spin_lock_irqsave(&channel->requestor.req_lock, flags);
	ret = __vmbus_request_addr_match(channel, trans_id, rqst_addr);
	spin_unlock_irqrestore(&channel->requestor.req_lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(vmbus_request_addr_match);

/**
 * vmbus_request_addr() - release a request id and return its value
 * @channel: channel
 * @trans_id: id echoed by the host in a completion
 *
 * Return: the value given to vmbus_next_request_id(), VMBUS_NO_RQSTOR
 * without a table, VMBUS_RQST_ERROR for an unknown id.
 */
u64 vmbus_request_addr(struct vmbus_channel *channel, u64 trans_id)
{
	return vmbus_request_addr_match(channel, trans_id,
					VMBUS_RQST_ADDR_ANY);
}
EXPORT_SYMBOL_GPL(vmbus_request_addr);
