// SPDX-License-Identifier: GPL-2.0
/*
 * vmbus_sim: a software VMBus for testing VMBus drivers without Hyper-V.
 *
 * This file owns the bus: the "vmbus" bus type and its driver matching
 * by class GUID, the sysfs view of devices and channels that tools such
 * as lsvmbus read, driver registration, the provider-side accessors and
 * module setup.  It replaces hv_vmbus and cannot be loaded next to it
 * (both register the bus "vmbus" and export the same symbols).
 */

#include <linux/cpu.h>
#include <linux/device.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "vmbus_sim_internal.h"

/*
 * The VMBus protocol version the guest "negotiated": Windows Server 2022
 * (5.3), the newest hv_vmbus knows.  Drivers use it to pick features
 * (e.g. hv_netvsc's GPADL teardown order needs >= VERSION_WIN10).
 */
__u32 vmbus_proto_version = VERSION_WIN10_V5_3;
EXPORT_SYMBOL_GPL(vmbus_proto_version);

struct vmbus_sim_bus vmbus_sim;

static struct hv_device *vmbus_sim_hv(struct device *d)
{
	return container_of(d, struct hv_device, device);
}

static ssize_t id_show(struct device *d, struct device_attribute *a,
		       char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  vmbus_sim_hv(d)->channel->offermsg.child_relid);
}
static DEVICE_ATTR_RO(id);

static ssize_t state_show(struct device *d, struct device_attribute *a,
			  char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(vmbus_sim_hv(d)->channel->state));
}
static DEVICE_ATTR_RO(state);

static ssize_t monitor_id_show(struct device *d, struct device_attribute *a,
			       char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  vmbus_sim_hv(d)->channel->offermsg.monitorid);
}
static DEVICE_ATTR_RO(monitor_id);

static ssize_t class_id_show(struct device *d, struct device_attribute *a,
			     char *buf)
{
	return sysfs_emit(buf, "{%pUl}\n", &vmbus_sim_hv(d)->dev_type);
}
static DEVICE_ATTR_RO(class_id);

static ssize_t device_id_show(struct device *d, struct device_attribute *a,
			      char *buf)
{
	return sysfs_emit(buf, "{%pUl}\n", &vmbus_sim_hv(d)->dev_instance);
}
static DEVICE_ATTR_RO(device_id);

static ssize_t modalias_show(struct device *d, struct device_attribute *a,
			     char *buf)
{
	return sysfs_emit(buf, "vmbus:%*phN\n", UUID_SIZE,
			  &vmbus_sim_hv(d)->dev_type);
}
static DEVICE_ATTR_RO(modalias);

static ssize_t vendor_show(struct device *d, struct device_attribute *a,
			   char *buf)
{
	return sysfs_emit(buf, "0x%x\n", vmbus_sim_hv(d)->vendor_id);
}
static DEVICE_ATTR_RO(vendor);

static ssize_t device_show(struct device *d, struct device_attribute *a,
			   char *buf)
{
	return sysfs_emit(buf, "0x%x\n", vmbus_sim_hv(d)->device_id);
}
static DEVICE_ATTR_RO(device);

static ssize_t channel_vp_mapping_show(struct device *d,
				       struct device_attribute *a, char *buf)
{
	struct vmbus_sim_device *dev = to_sim_dev(vmbus_sim_hv(d));
	struct vmbus_channel *primary = dev->hv.channel;
	struct vmbus_channel *sc;
	int n;

	mutex_lock(&dev->lock);
	n = sysfs_emit(buf, "%u:%u\n", primary->offermsg.child_relid,
		       primary->target_cpu);
	list_for_each_entry(sc, &primary->sc_list, sc_list)
		n += sysfs_emit_at(buf, n, "%u:%u\n", sc->offermsg.child_relid,
				   sc->target_cpu);
	mutex_unlock(&dev->lock);
	return n;
}
static DEVICE_ATTR_RO(channel_vp_mapping);

static struct attribute *vmbus_sim_dev_attrs[] = {
	&dev_attr_id.attr,
	&dev_attr_state.attr,
	&dev_attr_monitor_id.attr,
	&dev_attr_class_id.attr,
	&dev_attr_device_id.attr,
	&dev_attr_modalias.attr,
	&dev_attr_vendor.attr,
	&dev_attr_device.attr,
	&dev_attr_channel_vp_mapping.attr,
	NULL
};
ATTRIBUTE_GROUPS(vmbus_sim_dev);

/* Channel directories: /sys/bus/vmbus/devices/<id>/channels/<relid>/ */
struct vmbus_sim_chan_attr {
	struct attribute attr;
	ssize_t (*show)(struct vmbus_sim_chan *chan, char *buf);
	ssize_t (*store)(struct vmbus_sim_chan *chan, const char *buf,
			 size_t count);
};

#define VMBUS_SIM_CHAN_ATTR(_name, _mode, _show, _store)		\
	struct vmbus_sim_chan_attr chan_attr_##_name =			\
		__ATTR(_name, _mode, _show, _store)

static struct vmbus_sim_chan *kobj_to_chan(struct kobject *kobj)
{
	return container_of(kobj, struct vmbus_sim_chan, ch.kobj);
}

static ssize_t vmbus_sim_chan_show(struct kobject *kobj, struct attribute *a,
				   char *buf)
{
	const struct vmbus_sim_chan_attr *attr =
		container_of(a, struct vmbus_sim_chan_attr, attr);

	return attr->show ? attr->show(kobj_to_chan(kobj), buf) : -EIO;
}

static ssize_t vmbus_sim_chan_store(struct kobject *kobj, struct attribute *a,
				    const char *buf, size_t count)
{
	const struct vmbus_sim_chan_attr *attr =
		container_of(a, struct vmbus_sim_chan_attr, attr);

	return attr->store ? attr->store(kobj_to_chan(kobj), buf, count) :
		-EIO;
}

static const struct sysfs_ops vmbus_sim_chan_sysfs_ops = {
	.show = vmbus_sim_chan_show,
	.store = vmbus_sim_chan_store,
};

/* Print one field of a ring header; -EINVAL while the channel is closed. */
static ssize_t vmbus_sim_ring_show(struct hv_ring_buffer_info *rbi,
				   char *buf, int what)
{
	struct hv_ring_buffer_debug_info info;
	u32 val;

	if (hv_ringbuffer_get_debuginfo(rbi, &info))
		return -EINVAL;
	switch (what) {
	case 0:
		val = info.current_interrupt_mask;
		break;
	case 1:
		val = info.bytes_avail_toread;
		break;
	default:
		val = info.bytes_avail_towrite;
		break;
	}
	return sysfs_emit(buf, "%u\n", val);
}

static ssize_t out_mask_show(struct vmbus_sim_chan *c, char *buf)
{
	return vmbus_sim_ring_show(&c->ch.outbound, buf, 0);
}
static VMBUS_SIM_CHAN_ATTR(out_mask, 0444, out_mask_show, NULL);

static ssize_t in_mask_show(struct vmbus_sim_chan *c, char *buf)
{
	return vmbus_sim_ring_show(&c->ch.inbound, buf, 0);
}
static VMBUS_SIM_CHAN_ATTR(in_mask, 0444, in_mask_show, NULL);

static ssize_t read_avail_show(struct vmbus_sim_chan *c, char *buf)
{
	return vmbus_sim_ring_show(&c->ch.inbound, buf, 1);
}
static VMBUS_SIM_CHAN_ATTR(read_avail, 0444, read_avail_show, NULL);

static ssize_t write_avail_show(struct vmbus_sim_chan *c, char *buf)
{
	return vmbus_sim_ring_show(&c->ch.outbound, buf, 2);
}
static VMBUS_SIM_CHAN_ATTR(write_avail, 0444, write_avail_show, NULL);

static ssize_t cpu_show(struct vmbus_sim_chan *c, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(c->ch.target_cpu));
}

/* Move the channel interrupt, as a MODIFYCHANNEL message would. */
static ssize_t cpu_store(struct vmbus_sim_chan *c, const char *buf,
			 size_t count)
{
	struct vmbus_channel *ch = &c->ch;
	ssize_t ret = count;
	u32 cpu, old;

	if (kstrtou32(buf, 0, &cpu) || cpu >= nr_cpu_ids)
		return -EINVAL;
	cpus_read_lock();
	if (!cpu_online(cpu)) {
		ret = -EINVAL;
		goto unlock_cpus;
	}
	mutex_lock(&c->dev->lock);
	/* Hyper-V ignores the request for a channel that is not open. */
	if (ch->state != CHANNEL_OPENED_STATE) {
		ret = -EIO;
		goto unlock;
	}
	old = ch->target_cpu;
	if (old == cpu)
		goto unlock;
	WRITE_ONCE(ch->target_cpu, cpu);
	if (ch->change_target_cpu_callback)
		ch->change_target_cpu_callback(ch, old, cpu);
unlock:
	mutex_unlock(&c->dev->lock);
unlock_cpus:
	cpus_read_unlock();
	return ret;
}
static VMBUS_SIM_CHAN_ATTR(cpu, 0644, cpu_show, cpu_store);

#define VMBUS_SIM_CHAN_COUNTER(_name, _field)				\
static ssize_t _name##_show(struct vmbus_sim_chan *c, char *buf)	\
{									\
	return sysfs_emit(buf, "%llu\n", (u64)READ_ONCE(c->ch._field));	\
}									\
static VMBUS_SIM_CHAN_ATTR(_name, 0444, _name##_show, NULL)

VMBUS_SIM_CHAN_COUNTER(interrupts, interrupts);
VMBUS_SIM_CHAN_COUNTER(events, sig_events);
VMBUS_SIM_CHAN_COUNTER(intr_in_full, intr_in_full);
VMBUS_SIM_CHAN_COUNTER(intr_out_empty, intr_out_empty);
VMBUS_SIM_CHAN_COUNTER(out_full_first, out_full_first);
VMBUS_SIM_CHAN_COUNTER(out_full_total, out_full_total);
VMBUS_SIM_CHAN_COUNTER(subchannel_id, offermsg.offer.sub_channel_index);

static struct attribute *vmbus_sim_chan_attrs[] = {
	&chan_attr_out_mask.attr,
	&chan_attr_in_mask.attr,
	&chan_attr_read_avail.attr,
	&chan_attr_write_avail.attr,
	&chan_attr_cpu.attr,
	&chan_attr_interrupts.attr,
	&chan_attr_events.attr,
	&chan_attr_intr_in_full.attr,
	&chan_attr_intr_out_empty.attr,
	&chan_attr_out_full_first.attr,
	&chan_attr_out_full_total.attr,
	&chan_attr_subchannel_id.attr,
	NULL
};
ATTRIBUTE_GROUPS(vmbus_sim_chan);

/* A channel directory holds a device reference until it is released. */
static void vmbus_sim_chan_kobj_release(struct kobject *kobj)
{
	put_device(&kobj_to_chan(kobj)->dev->hv.device);
}

static const struct kobj_type vmbus_sim_chan_ktype = {
	.sysfs_ops = &vmbus_sim_chan_sysfs_ops,
	.release = vmbus_sim_chan_kobj_release,
	.default_groups = vmbus_sim_chan_groups,
};

/**
 * vmbus_sim_chan_kobj_add() - create a channel's sysfs directory
 * @chan: channel of a registered device
 *
 * Called with the device lock held, at most once per channel.
 *
 * Return: 0 or the kobject error.
 */
int vmbus_sim_chan_kobj_add(struct vmbus_sim_chan *chan)
{
	struct hv_device *hv = &chan->dev->hv;
	struct kobject *kobj = &chan->ch.kobj;
	int ret;

	lockdep_assert_held(&chan->dev->lock);
	if (chan->kobj_added || !hv->channels_kset)
		return 0;
	get_device(&hv->device);
	kobj->kset = hv->channels_kset;
	ret = kobject_init_and_add(kobj, &vmbus_sim_chan_ktype, NULL, "%u",
				   chan->ch.offermsg.child_relid);
	if (ret) {
		/* The release callback drops the device reference. */
		kobject_put(kobj);
		return ret;
	}
	kobject_uevent(kobj, KOBJ_ADD);
	chan->kobj_added = true;
	return 0;
}

/**
 * vmbus_sim_chan_kobj_del() - remove a channel's sysfs directory
 * @chan: channel; nothing happens if it has none
 *
 * Called without the device lock (sysfs removal waits for readers, and
 * the cpu attribute takes that lock).
 */
void vmbus_sim_chan_kobj_del(struct vmbus_sim_chan *chan)
{
	bool added;

	mutex_lock(&chan->dev->lock);
	added = chan->kobj_added;
	chan->kobj_added = false;
	mutex_unlock(&chan->dev->lock);
	if (!added)
		return;
	kobject_del(&chan->ch.kobj);
	kobject_put(&chan->ch.kobj);
}

static const struct hv_vmbus_device_id *
vmbus_sim_match_id(const struct hv_driver *drv, const guid_t *guid)
{
	const struct hv_vmbus_device_id *id = drv->id_table;

	for (; id && !guid_is_null(&id->guid); id++)
		if (guid_equal(&id->guid, guid))
			return id;
	return NULL;
}

static int vmbus_sim_bus_match(struct device *d,
			       const struct device_driver *driver)
{
	const struct hv_driver *drv = drv_to_hv_drv(driver);
	struct hv_device *hv = vmbus_sim_hv(d);

	if (is_hvsock_channel(hv->channel))
		return drv->hvsock;
	return vmbus_sim_match_id(drv, &hv->dev_type) ? 1 : 0;
}

static int vmbus_sim_bus_uevent(const struct device *d,
				struct kobj_uevent_env *env)
{
	const struct hv_device *hv = container_of_const(d, struct hv_device,
							device);

	return add_uevent_var(env, "MODALIAS=vmbus:%*phN", UUID_SIZE,
			      &hv->dev_type);
}

static int vmbus_sim_bus_probe(struct device *d)
{
	struct hv_driver *drv = drv_to_hv_drv(d->driver);
	struct hv_device *hv = vmbus_sim_hv(d);
	int ret;

	if (!drv->probe)
		return -ENODEV;
	ret = drv->probe(hv, vmbus_sim_match_id(drv, &hv->dev_type));
	if (ret)
		dev_err(d, "probe by %s failed: %d\n", drv->name, ret);
	return ret;
}

static void vmbus_sim_bus_remove(struct device *d)
{
	struct hv_driver *drv = drv_to_hv_drv(d->driver);

	if (drv->remove)
		drv->remove(vmbus_sim_hv(d));
}

static void vmbus_sim_bus_shutdown(struct device *d)
{
	struct hv_driver *drv;

	if (!d->driver)
		return;
	drv = drv_to_hv_drv(d->driver);
	if (drv->shutdown)
		drv->shutdown(vmbus_sim_hv(d));
}

const struct bus_type vmbus_sim_bus_type = {
	.name = "vmbus",
	.match = vmbus_sim_bus_match,
	.uevent = vmbus_sim_bus_uevent,
	.probe = vmbus_sim_bus_probe,
	.remove = vmbus_sim_bus_remove,
	.shutdown = vmbus_sim_bus_shutdown,
	.dev_groups = vmbus_sim_dev_groups,
	.pm = &vmbus_sim_bus_pm,
};

/**
 * __vmbus_driver_register() - register a VMBus driver
 * @hv_driver: driver with name, id_table and callbacks
 * @owner: the driver's module
 * @mod_name: its KBUILD_MODNAME
 *
 * Return: 0 or the error of driver_register().
 */
int __vmbus_driver_register(struct hv_driver *hv_driver, struct module *owner,
			    const char *mod_name)
{
	pr_info("vmbus_sim: registering driver %s\n", hv_driver->name);
	hv_driver->driver.name = hv_driver->name;
	hv_driver->driver.owner = owner;
	hv_driver->driver.mod_name = mod_name;
	hv_driver->driver.bus = &vmbus_sim_bus_type;
	spin_lock_init(&hv_driver->dynids.lock);
	INIT_LIST_HEAD(&hv_driver->dynids.list);
	return driver_register(&hv_driver->driver);
}
EXPORT_SYMBOL_GPL(__vmbus_driver_register);

/**
 * vmbus_driver_unregister() - unregister a VMBus driver
 * @hv_driver: driver registered with vmbus_driver_register()
 *
 * Unbinds it from its devices first (the driver's remove() runs).
 */
void vmbus_driver_unregister(struct hv_driver *hv_driver)
{
	pr_info("vmbus_sim: unregistering driver %s\n", hv_driver->name);
	driver_unregister(&hv_driver->driver);
}
EXPORT_SYMBOL_GPL(vmbus_driver_unregister);

void *vmbus_sim_device_priv(const struct vmbus_sim_device *dev)
{
	return dev->priv;
}
EXPORT_SYMBOL_GPL(vmbus_sim_device_priv);

struct hv_device *vmbus_sim_device_hv(const struct vmbus_sim_device *dev)
{
	return (struct hv_device *)&dev->hv;
}
EXPORT_SYMBOL_GPL(vmbus_sim_device_hv);

struct vmbus_sim_chan *vmbus_sim_device_chan(struct vmbus_sim_device *dev,
					     u16 index)
{
	struct vmbus_sim_chan *chan = NULL;

	mutex_lock(&dev->lock);
	if (index < dev->num_chans)
		chan = dev->chans[index];
	mutex_unlock(&dev->lock);
	return chan;
}
EXPORT_SYMBOL_GPL(vmbus_sim_device_chan);

unsigned int vmbus_sim_device_num_chans(const struct vmbus_sim_device *dev)
{
	return READ_ONCE(dev->num_chans);
}
EXPORT_SYMBOL_GPL(vmbus_sim_device_num_chans);

struct vmbus_sim_device *vmbus_sim_chan_device(const struct vmbus_sim_chan *chan)
{
	return chan->dev;
}
EXPORT_SYMBOL_GPL(vmbus_sim_chan_device);

void vmbus_sim_chan_set_priv(struct vmbus_sim_chan *chan, void *priv)
{
	WRITE_ONCE(chan->priv, priv);
}
EXPORT_SYMBOL_GPL(vmbus_sim_chan_set_priv);

void *vmbus_sim_chan_priv(const struct vmbus_sim_chan *chan)
{
	return READ_ONCE(chan->priv);
}
EXPORT_SYMBOL_GPL(vmbus_sim_chan_priv);

u16 vmbus_sim_chan_index(const struct vmbus_sim_chan *chan)
{
	return chan->index;
}
EXPORT_SYMBOL_GPL(vmbus_sim_chan_index);

u32 vmbus_sim_chan_relid(const struct vmbus_sim_chan *chan)
{
	return chan->ch.offermsg.child_relid;
}
EXPORT_SYMBOL_GPL(vmbus_sim_chan_relid);

u32 vmbus_sim_chan_target_cpu(const struct vmbus_sim_chan *chan)
{
	return READ_ONCE(chan->ch.target_cpu);
}
EXPORT_SYMBOL_GPL(vmbus_sim_chan_target_cpu);

bool vmbus_sim_chan_is_open(const struct vmbus_sim_chan *chan)
{
	return READ_ONCE(chan->ch.state) == CHANNEL_OPENED_STATE &&
		!READ_ONCE(chan->ch.rescind);
}
EXPORT_SYMBOL_GPL(vmbus_sim_chan_is_open);

bool vmbus_sim_chan_is_rescinded(const struct vmbus_sim_chan *chan)
{
	return READ_ONCE(chan->ch.rescind);
}
EXPORT_SYMBOL_GPL(vmbus_sim_chan_is_rescinded);

struct vmbus_channel *vmbus_sim_chan_guest(const struct vmbus_sim_chan *chan)
{
	return (struct vmbus_channel *)&chan->ch;
}
EXPORT_SYMBOL_GPL(vmbus_sim_chan_guest);

void vmbus_sim_chan_get_stats(const struct vmbus_sim_chan *chan,
			      struct vmbus_sim_chan_stats *stats)
{
	const struct vmbus_sim_counters *c = &chan->cnt;

	stats->rx_packets = atomic64_read(&c->rx_packets);
	stats->rx_bytes = atomic64_read(&c->rx_bytes);
	stats->tx_packets = atomic64_read(&c->tx_packets);
	stats->tx_bytes = atomic64_read(&c->tx_bytes);
	stats->tx_ring_full = atomic64_read(&c->tx_ring_full);
	stats->guest_signals = atomic64_read(&c->guest_signals);
	stats->guest_signals_suppressed =
		atomic64_read(&c->guest_signals_suppressed);
	stats->guest_interrupts = atomic64_read(&c->guest_interrupts);
	stats->guest_interrupts_suppressed =
		atomic64_read(&c->guest_interrupts_suppressed);
	stats->space_signals = atomic64_read(&c->space_signals);
}
EXPORT_SYMBOL_GPL(vmbus_sim_chan_get_stats);

static int vmbus_sim_alloc_wqs(void)
{
	vmbus_sim.bus_wq = alloc_ordered_workqueue("vmbus_sim_bus", 0);
	vmbus_sim.sc_wq = alloc_ordered_workqueue("vmbus_sim_sc", 0);
	vmbus_sim.host_wq = alloc_workqueue("vmbus_sim_host", WQ_UNBOUND, 0);
	if (vmbus_sim.bus_wq && vmbus_sim.sc_wq && vmbus_sim.host_wq)
		return 0;
	if (vmbus_sim.bus_wq)
		destroy_workqueue(vmbus_sim.bus_wq);
	if (vmbus_sim.sc_wq)
		destroy_workqueue(vmbus_sim.sc_wq);
	if (vmbus_sim.host_wq)
		destroy_workqueue(vmbus_sim.host_wq);
	return -ENOMEM;
}

static int __init vmbus_sim_init(void)
{
	int ret;

	mutex_init(&vmbus_sim.lock);
	INIT_LIST_HEAD(&vmbus_sim.devices);
	ida_init(&vmbus_sim.relids);
	xa_init_flags(&vmbus_sim.gpadls, XA_FLAGS_ALLOC1 | XA_FLAGS_LOCK_IRQ);
	ret = vmbus_sim_alloc_wqs();
	if (ret)
		return ret;

	ret = bus_register(&vmbus_sim_bus_type);
	if (ret) {
		pr_err("vmbus_sim: cannot register bus \"vmbus\" (%d); is hv_vmbus loaded?\n",
		       ret);
		goto err_wq;
	}
	vmbus_sim.root = root_device_register("vmbus_sim");
	if (IS_ERR(vmbus_sim.root)) {
		ret = PTR_ERR(vmbus_sim.root);
		goto err_bus;
	}
	ret = vmbus_sim_pm_init();
	if (ret)
		goto err_root;
	ret = vmbus_sim_isolation_init();
	if (ret)
		goto err_pm;
	pr_info("vmbus_sim: software VMBus ready, protocol %u.%u\n",
		vmbus_proto_version >> 16, vmbus_proto_version & 0xffff);
	return 0;

err_pm:
	vmbus_sim_pm_exit();
err_root:
	root_device_unregister(vmbus_sim.root);
err_bus:
	bus_unregister(&vmbus_sim_bus_type);
err_wq:
	destroy_workqueue(vmbus_sim.host_wq);
	destroy_workqueue(vmbus_sim.sc_wq);
	destroy_workqueue(vmbus_sim.bus_wq);
	return ret;
}

static void __exit vmbus_sim_exit(void)
{
	vmbus_sim_remove_all();
	flush_workqueue(vmbus_sim.sc_wq);
	/* Draining bus_wq runs the final frees; they use host_wq. */
	destroy_workqueue(vmbus_sim.bus_wq);
	destroy_workqueue(vmbus_sim.sc_wq);
	destroy_workqueue(vmbus_sim.host_wq);
	vmbus_sim_gpadl_exit();
	vmbus_sim_isolation_exit();
	vmbus_sim_pm_exit();
	root_device_unregister(vmbus_sim.root);
	bus_unregister(&vmbus_sim_bus_type);
	ida_destroy(&vmbus_sim.relids);
	mutex_destroy(&vmbus_sim.lock);
}

module_init(vmbus_sim_init);
module_exit(vmbus_sim_exit);

MODULE_DESCRIPTION("Software VMBus for testing Hyper-V drivers without Hyper-V");
MODULE_LICENSE("GPL");
