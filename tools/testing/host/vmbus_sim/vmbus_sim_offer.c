// SPDX-License-Identifier: GPL-2.0
/*
 * vmbus_sim offers: creation of devices and channels on behalf of device
 * providers, delivery of offers to the guest (device registration for a
 * primary channel, the driver's sc-create callback for a subchannel),
 * rescinds (hot remove) and the lifetime of devices and channels.
 *
 * Like the VMBus control path, offers and rescinds are asynchronous: the
 * provider's call only queues them; primary channels are handled in order
 * on bus_wq, subchannels on sc_wq, so the driver's callbacks never run in
 * a thread that waits for them.
 */

#include <linux/cpumask.h>
#include <linux/dma-mapping.h>
#include <linux/slab.h>

#include "vmbus_sim_internal.h"

/* Queue @work holding a device reference for it. */
static void vmbus_sim_queue_dev_work(struct vmbus_sim_device *dev,
				     struct workqueue_struct *wq,
				     struct work_struct *work)
{
	get_device(&dev->hv.device);
	if (!queue_work(wq, work))
		put_device(&dev->hv.device);
}

/* The n-th online CPU, wrapping around. */
static u32 vmbus_sim_pick_cpu(unsigned int n)
{
	unsigned int nr = num_online_cpus();
	unsigned int cpu;

	cpu = cpumask_nth(n % nr, cpu_online_mask);
	return cpu < nr_cpu_ids ? cpu : cpumask_first(cpu_online_mask);
}

static void vmbus_sim_sc_work(struct work_struct *work);

/* dev->lock held (or @dev unpublished): create channel @index. */
static struct vmbus_sim_chan *vmbus_sim_chan_create(struct vmbus_sim_device *dev,
						    u16 index)
{
	struct vmbus_sim_chan *chan;
	struct vmbus_channel *ch;
	int relid;

	chan = kzalloc(sizeof(*chan), GFP_KERNEL);
	if (!chan)
		return NULL;
	relid = ida_alloc_range(&vmbus_sim.relids, 1, S32_MAX, GFP_KERNEL);
	if (relid < 0) {
		kfree(chan);
		return NULL;
	}
	chan->dev = dev;
	chan->index = index;
	INIT_WORK(&chan->sc_work, vmbus_sim_sc_work);
	vmbus_sim_chan_init(chan);

	ch = &chan->ch;
	ch->offermsg.offer.if_type = dev->hv.dev_type;
	ch->offermsg.offer.if_instance = dev->hv.dev_instance;
	ch->offermsg.offer.sub_channel_index = index;
	ch->offermsg.child_relid = relid;
	ch->device_id = dev->hv.device_id;
	ch->target_cpu = dev->perf ?
		vmbus_sim_pick_cpu(dev->cpu_base + index) :
		cpumask_first(cpu_online_mask);
	if (index) {
		ch->primary_channel = &dev->chans[0]->ch;
		ch->offermsg.offer.u = dev->chans[0]->ch.offermsg.offer.u;
	} else {
		ch->device_obj = &dev->hv;
	}
	list_add_tail(&chan->node, &dev->all_chans);
	return chan;
}

static void vmbus_sim_free_work(struct work_struct *work)
{
	struct vmbus_sim_device *dev = container_of(work,
						    struct vmbus_sim_device,
						    free_work);
	struct vmbus_sim_chan *chan, *tmp;

	list_for_each_entry_safe(chan, tmp, &dev->all_chans, node) {
		list_del(&chan->node);
		ida_free(&vmbus_sim.relids, chan->ch.offermsg.child_relid);
		if (chan->first_relid)
			ida_free(&vmbus_sim.relids, chan->first_relid);
		vmbus_sim_chan_destroy(chan);
	}
	vmbus_sim_gpadl_drop_dev(dev);
	mutex_destroy(&dev->lock);
	kfree(dev);
}

/*
 * Last reference gone; that may happen in any context, so free from a
 * work item.  Module unload drains bus_wq, so the code stays around.
 */
static void vmbus_sim_dev_release(struct device *d)
{
	struct vmbus_sim_device *dev = to_sim_dev(device_to_hv_device(d));

	INIT_WORK(&dev->free_work, vmbus_sim_free_work);
	queue_work(vmbus_sim.bus_wq, &dev->free_work);
}

/* Register the hv_device: the guest's view of a primary offer. */
static void vmbus_sim_offer_work(struct work_struct *work)
{
	struct vmbus_sim_device *dev = container_of(work,
						    struct vmbus_sim_device,
						    offer_work);
	struct kset *kset;
	unsigned int i;
	int ret;

	mutex_lock(&dev->lock);
	if (dev->rescinded) {
		mutex_unlock(&dev->lock);
		goto out;
	}
	WRITE_ONCE(dev->chans[0]->ch.state, CHANNEL_OPEN_STATE);
	dev->chans[0]->offer_delivered = true;
	mutex_unlock(&dev->lock);

	/* Binding and the driver's probe happen in here. */
	ret = device_add(&dev->hv.device);
	if (ret) {
		pr_err("vmbus_sim: cannot add device %pUl: %d\n",
		       &dev->hv.dev_instance, ret);
		goto out;
	}
	/* While registered, the device holds a reference on itself. */
	get_device(&dev->hv.device);
	kset = kset_create_and_add("channels", NULL, &dev->hv.device.kobj);

	mutex_lock(&dev->lock);
	dev->hv.channels_kset = kset;
	dev->registered = true;
	for (i = 0; kset && i < dev->num_chans; i++)
		if (dev->chans[i] && dev->chans[i]->offer_delivered)
			vmbus_sim_chan_kobj_add(dev->chans[i]);
	mutex_unlock(&dev->lock);
	WRITE_ONCE(dev->chans[0]->ch.probe_done, true);
out:
	put_device(&dev->hv.device);
}

static int vmbus_sim_offer_check(const struct vmbus_sim_offer_params *p)
{
	if (!p || !p->class_id || !p->instance_id || !p->ops || !p->ops->rx)
		return -EINVAL;
	if (p->user_def_len > MAX_USER_DEFINED_BYTES ||
	    (p->user_def_len && !p->user_def))
		return -EINVAL;
	return 0;
}

/* Add @dev to the bus's list unless its instance is already there. */
static int vmbus_sim_publish(struct vmbus_sim_device *dev)
{
	struct vmbus_sim_device *other;
	int ret = 0;

	mutex_lock(&vmbus_sim.lock);
	list_for_each_entry(other, &vmbus_sim.devices, node) {
		if (guid_equal(&other->hv.dev_instance, &dev->hv.dev_instance)) {
			ret = -EEXIST;
			goto unlock;
		}
	}
	list_add_tail(&dev->node, &vmbus_sim.devices);
	dev->listed = true;
unlock:
	mutex_unlock(&vmbus_sim.lock);
	return ret;
}

static void vmbus_sim_unpublish(struct vmbus_sim_device *dev)
{
	mutex_lock(&vmbus_sim.lock);
	if (dev->listed)
		list_del(&dev->node);
	dev->listed = false;
	mutex_unlock(&vmbus_sim.lock);
}

static void vmbus_sim_dev_init(struct vmbus_sim_device *dev,
			       const struct vmbus_sim_offer_params *p)
{
	struct hv_device *hv = &dev->hv;

	mutex_init(&dev->lock);
	INIT_LIST_HEAD(&dev->all_chans);
	INIT_LIST_HEAD(&dev->node);
	init_waitqueue_head(&dev->hold_wq);
	INIT_WORK(&dev->offer_work, vmbus_sim_offer_work);
	dev->ops = p->ops;
	dev->priv = p->priv;
	dev->perf = p->perf_device;
	dev->cpu_base = atomic_inc_return(&vmbus_sim.next_cpu) - 1;

	hv->dev_type = *p->class_id;
	hv->dev_instance = *p->instance_id;
	hv->vendor_id = p->vendor_id;
	hv->device_id = p->device_id;
	device_initialize(&hv->device);
	hv->device.bus = &vmbus_sim_bus_type;
	hv->device.parent = vmbus_sim.root;
	hv->device.release = vmbus_sim_dev_release;
	hv->device.dma_parms = &hv->dma_parms;
	hv->device.dma_mask = &hv->dma_mask;
	hv->dma_mask = DMA_BIT_MASK(64);
	hv->device.coherent_dma_mask = DMA_BIT_MASK(64);
}

struct vmbus_sim_device *
vmbus_sim_offer(const struct vmbus_sim_offer_params *params)
{
	struct vmbus_sim_chan *primary;
	struct vmbus_sim_device *dev;
	int ret;

	might_sleep();
	ret = vmbus_sim_offer_check(params);
	if (ret)
		return ERR_PTR(ret);
	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	vmbus_sim_dev_init(dev, params);
	/* From here on, put_device() frees everything. */
	ret = dev_set_name(&dev->hv.device, "%pUl", params->instance_id);
	if (ret)
		goto err_put;

	primary = vmbus_sim_chan_create(dev, 0);
	if (!primary) {
		ret = -ENOSPC;
		goto err_put;
	}
	if (params->user_def_len)
		memcpy(primary->ch.offermsg.offer.u.std.user_def,
		       params->user_def, params->user_def_len);
	dev->chans[0] = primary;
	dev->num_chans = 1;
	dev->hv.channel = &primary->ch;

	ret = vmbus_sim_publish(dev);
	if (ret)
		goto err_put;
	vmbus_sim_queue_dev_work(dev, vmbus_sim.bus_wq, &dev->offer_work);
	return dev;

err_put:
	put_device(&dev->hv.device);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(vmbus_sim_offer);

int vmbus_sim_offer_subchannels(struct vmbus_sim_device *dev,
				unsigned int count)
{
	struct vmbus_sim_chan *chan;
	int done = 0;

	mutex_lock(&dev->lock);
	if (dev->rescinded) {
		done = -ENODEV;
		goto unlock;
	}
	while (done < count && dev->num_chans <= VMBUS_SIM_MAX_SUBCHANNELS) {
		chan = vmbus_sim_chan_create(dev, dev->num_chans);
		if (!chan)
			break;
		dev->chans[dev->num_chans++] = chan;
		vmbus_sim_queue_dev_work(dev, vmbus_sim.sc_wq, &chan->sc_work);
		done++;
	}
	if (!done && count)
		done = dev->num_chans > VMBUS_SIM_MAX_SUBCHANNELS ? -ENOSPC :
			-ENOMEM;
unlock:
	mutex_unlock(&dev->lock);
	return done;
}
EXPORT_SYMBOL_GPL(vmbus_sim_offer_subchannels);

/* dev->lock held: forget a subchannel's index slot. */
static void vmbus_sim_sc_unslot(struct vmbus_sim_chan *chan)
{
	struct vmbus_sim_device *dev = chan->dev;

	lockdep_assert_held(&dev->lock);
	if (dev->chans[chan->index] == chan)
		dev->chans[chan->index] = NULL;
	while (dev->num_chans > 1 && !dev->chans[dev->num_chans - 1])
		dev->num_chans--;
}

/* dev->lock held: deliver a subchannel offer, return the sc callback. */
static void vmbus_sim_sc_offer(struct vmbus_sim_chan *chan,
			       void (**cb)(struct vmbus_channel *new_sc))
{
	struct vmbus_sim_device *dev = chan->dev;
	struct vmbus_channel *primary;

	lockdep_assert_held(&dev->lock);
	primary = &dev->chans[0]->ch;
	chan->offer_delivered = true;
	if (chan->ch.rescind)
		return;
	WRITE_ONCE(chan->ch.state, CHANNEL_OPEN_STATE);
	list_add_tail(&chan->ch.sc_list, &primary->sc_list);
	if (dev->registered)
		vmbus_sim_chan_kobj_add(chan);
	*cb = primary->sc_creation_callback;
}

/* dev->lock held: is @chan's rescind to be told to the guest now? */
static bool vmbus_sim_sc_rescind(struct vmbus_sim_chan *chan,
				 void (**cb)(struct vmbus_channel *ch),
				 bool *unlink)
{
	enum vmbus_channel_state state = chan->ch.state;

	lockdep_assert_held(&chan->dev->lock);
	if (!chan->ch.rescind || chan->rescind_delivered)
		return false;
	chan->rescind_delivered = true;
	*cb = chan->ch.chn_rescind_callback;
	/* An open channel goes away when the driver closes it. */
	*unlink = state != CHANNEL_OPENED_STATE &&
		  state != CHANNEL_OPENING_STATE;
	if (*unlink)
		list_del_init(&chan->ch.sc_list);
	return true;
}

/* Subchannel offer and rescind, in the guest's order (on sc_wq). */
static void vmbus_sim_sc_work(struct work_struct *work)
{
	struct vmbus_sim_chan *chan = container_of(work, struct vmbus_sim_chan,
						   sc_work);
	void (*rescind_cb)(struct vmbus_channel *ch) = NULL;
	void (*offer_cb)(struct vmbus_channel *ch) = NULL;
	struct vmbus_sim_device *dev = chan->dev;
	bool rescind = false, unlink = false;

	mutex_lock(&dev->lock);
	if (!chan->offer_delivered)
		vmbus_sim_sc_offer(chan, &offer_cb);
	rescind = vmbus_sim_sc_rescind(chan, &rescind_cb, &unlink);
	mutex_unlock(&dev->lock);

	if (offer_cb)
		offer_cb(&chan->ch);
	WRITE_ONCE(chan->ch.probe_done, true);
	if (rescind) {
		complete(&chan->ch.rescind_event);
		if (rescind_cb)
			rescind_cb(&chan->ch);
	}
	if (unlink)
		vmbus_sim_chan_kobj_del(chan);
	put_device(&dev->hv.device);
}

/* Unregister the hv_device (driver remove) and its channel directories. */
static void vmbus_sim_rescind_work(struct work_struct *work)
{
	struct vmbus_sim_device *dev = container_of(work,
						    struct vmbus_sim_device,
						    rescind_work);
	struct vmbus_sim_chan *chan;
	struct kset *kset;
	bool registered;

	mutex_lock(&dev->lock);
	registered = dev->registered;
	mutex_unlock(&dev->lock);
	/* The driver's remove() runs in here. */
	if (registered) {
		device_del(&dev->hv.device);
		put_device(&dev->hv.device);
	}

	mutex_lock(&dev->lock);
	dev->registered = false;
	kset = dev->hv.channels_kset;
	dev->hv.channels_kset = NULL;
	mutex_unlock(&dev->lock);
	/* No channel is added once the device is rescinded. */
	list_for_each_entry(chan, &dev->all_chans, node)
		vmbus_sim_chan_kobj_del(chan);
	kset_unregister(kset);
	put_device(&dev->hv.device);
}

static void vmbus_sim_rescind_device(struct vmbus_sim_device *dev)
{
	struct vmbus_sim_chan *chan;

	mutex_lock(&dev->lock);
	if (dev->rescinded) {
		mutex_unlock(&dev->lock);
		return;
	}
	dev->rescinded = true;
	list_for_each_entry(chan, &dev->all_chans, node) {
		chan->rescind_queued = true;
		chan->rescind_delivered = true;
		WRITE_ONCE(chan->ch.rescind, true);
		vmbus_sim_chan_event(chan, VMBUS_SIM_EV_RESCIND);
		wake_up(&chan->space_wq);
		complete(&chan->ch.rescind_event);
	}
	mutex_unlock(&dev->lock);

	vmbus_sim_unpublish(dev);
	INIT_WORK(&dev->rescind_work, vmbus_sim_rescind_work);
	vmbus_sim_queue_dev_work(dev, vmbus_sim.bus_wq, &dev->rescind_work);
}

void vmbus_sim_rescind(struct vmbus_sim_chan *chan)
{
	struct vmbus_sim_device *dev = chan->dev;

	might_sleep();
	if (!chan->index) {
		vmbus_sim_rescind_device(dev);
		return;
	}
	mutex_lock(&dev->lock);
	if (chan->rescind_queued) {
		mutex_unlock(&dev->lock);
		return;
	}
	chan->rescind_queued = true;
	WRITE_ONCE(chan->ch.rescind, true);
	vmbus_sim_sc_unslot(chan);
	mutex_unlock(&dev->lock);

	vmbus_sim_chan_event(chan, VMBUS_SIM_EV_RESCIND);
	wake_up(&chan->space_wq);
	vmbus_sim_queue_dev_work(dev, vmbus_sim.sc_wq, &chan->sc_work);
}
EXPORT_SYMBOL_GPL(vmbus_sim_rescind);

/**
 * vmbus_sim_drop_subchannels() - the host's reaction to a primary close
 * @dev: device whose primary channel the guest has just closed
 *
 * Hyper-V rescinds the subchannels of a device when its primary channel
 * is closed; a later subchannel request gets fresh channels (indexes
 * restart at 1).
 */
void vmbus_sim_drop_subchannels(struct vmbus_sim_device *dev)
{
	struct vmbus_sim_chan *chan;
	unsigned int i;

	for (i = 1; ; i++) {
		mutex_lock(&dev->lock);
		if (i >= dev->num_chans) {
			mutex_unlock(&dev->lock);
			break;
		}
		chan = dev->chans[i];
		mutex_unlock(&dev->lock);
		if (chan)
			vmbus_sim_rescind(chan);
	}
}

void vmbus_sim_flush(void)
{
	struct work_struct *work = current_work();
	bool in_host;

	in_host = work && work->func == vmbus_sim_host_work;
	/*
	 * A probe or remove on bus_wq may wait (e.g. for RTNL) on a guest
	 * thread that waits for this very callback: from a provider callback
	 * only subchannel offers and rescinds are waited for.
	 */
	if (!in_host)
		flush_workqueue(vmbus_sim.bus_wq);
	flush_workqueue(vmbus_sim.sc_wq);
	if (!in_host)
		flush_workqueue(vmbus_sim.bus_wq);
}
EXPORT_SYMBOL_GPL(vmbus_sim_flush);

void vmbus_sim_device_remove(struct vmbus_sim_device *dev)
{
	struct vmbus_sim_chan *chan;

	might_sleep();
	vmbus_sim_rescind_device(dev);
	vmbus_sim_flush();
	/* Every channel's host work has seen the rescind: no more ops. */
	list_for_each_entry(chan, &dev->all_chans, node)
		flush_work(&chan->work);
	put_device(&dev->hv.device);
}
EXPORT_SYMBOL_GPL(vmbus_sim_device_remove);

/**
 * vmbus_sim_remove_all() - hot-remove devices left behind at unload
 *
 * Providers remove their devices before they unload, so this only finds
 * devices of a provider that leaked them.
 */
void vmbus_sim_remove_all(void)
{
	struct vmbus_sim_device *dev;

	for (;;) {
		mutex_lock(&vmbus_sim.lock);
		dev = list_first_entry_or_null(&vmbus_sim.devices,
					       struct vmbus_sim_device, node);
		if (dev)
			get_device(&dev->hv.device);
		mutex_unlock(&vmbus_sim.lock);
		if (!dev)
			return;
		pr_warn("vmbus_sim: removing leftover device %pUl\n",
			&dev->hv.dev_instance);
		vmbus_sim_device_remove(dev);
	}
}

void vmbus_sim_device_get(struct vmbus_sim_device *dev)
{
	get_device(&dev->hv.device);
}
EXPORT_SYMBOL_GPL(vmbus_sim_device_get);

void vmbus_sim_device_put(struct vmbus_sim_device *dev)
{
	put_device(&dev->hv.device);
}
EXPORT_SYMBOL_GPL(vmbus_sim_device_put);

/**
 * vmbus_set_sc_create_callback() - set the subchannel-offer callback
 * @primary_channel: primary channel of the device
 * @sc_cr_cb: called (from a work queue) for each new subchannel offer
 */
void vmbus_set_sc_create_callback(struct vmbus_channel *primary_channel,
				  void (*sc_cr_cb)(struct vmbus_channel *new_sc))
{
	struct vmbus_sim_device *dev = to_sim_chan(primary_channel)->dev;

	mutex_lock(&dev->lock);
	primary_channel->sc_creation_callback = sc_cr_cb;
	mutex_unlock(&dev->lock);
}
EXPORT_SYMBOL_GPL(vmbus_set_sc_create_callback);

/**
 * vmbus_set_chn_rescind_callback() - set the channel-rescind callback
 * @channel: channel
 * @chn_rescind_cb: called (from a work queue) when @channel is rescinded;
 *	for a primary channel the device is unregistered instead
 */
void vmbus_set_chn_rescind_callback(struct vmbus_channel *channel,
				    void (*chn_rescind_cb)(struct vmbus_channel *))
{
	struct vmbus_sim_device *dev = to_sim_chan(channel)->dev;

	mutex_lock(&dev->lock);
	channel->chn_rescind_callback = chn_rescind_cb;
	mutex_unlock(&dev->lock);
}
EXPORT_SYMBOL_GPL(vmbus_set_chn_rescind_callback);
