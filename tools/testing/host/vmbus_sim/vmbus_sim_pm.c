// SPDX-License-Identifier: GPL-2.0
/*
 * vmbus_sim - hibernation, as hv_vmbus and Hyper-V do it.
 *
 * hv_vmbus hands the PM core's hibernation phases to its drivers in the
 * noirq stage: freeze and poweroff call the driver's suspend(), thaw and
 * restore its resume().  Around them the bus itself talks to the host:
 * after every driver has suspended it unloads (the host forgets every
 * channel, GPADL and subchannel of the VM), and before any driver resumes
 * it reconnects and the host offers every device again, each primary
 * channel under a new relid.  Hyper-V does that on thaw too, not only on
 * restore.
 *
 * Here the bus's dev_pm_ops call the drivers; a PM domain on the root
 * device (the parent of every vmbus device, so it is frozen after all of
 * them and restored before any) plays the host's part.  What a driver left
 * behind at the unload (a channel still open, a GPADL still established)
 * is what a real host would silently forget: it is reported and counted
 * (pm_leftovers) so that a test can fail on it.
 */

#include <linux/device.h>
#include <linux/hyperv.h>
#include <linux/pm.h>
#include <linux/pm_domain.h>
#include <linux/sysfs.h>

#include "vmbus_sim_internal.h"

static atomic_t vmbus_sim_pm_unloads = ATOMIC_INIT(0);
static atomic_t vmbus_sim_pm_reoffers = ATOMIC_INIT(0);
static atomic_t vmbus_sim_pm_leftovers = ATOMIC_INIT(0);

/* freeze / poweroff of one vmbus device: its driver's suspend() */
static int vmbus_sim_pm_suspend(struct device *d)
{
	struct hv_driver *drv;

	if (!d->driver)
		return 0;
	drv = drv_to_hv_drv(d->driver);
	if (!drv->suspend)
		return -EOPNOTSUPP;
	return drv->suspend(device_to_hv_device(d));
}

/* thaw / restore of one vmbus device: its driver's resume() */
static int vmbus_sim_pm_resume(struct device *d)
{
	struct hv_driver *drv;

	if (!d->driver)
		return 0;
	drv = drv_to_hv_drv(d->driver);
	if (!drv->resume)
		return -EOPNOTSUPP;
	return drv->resume(device_to_hv_device(d));
}

const struct dev_pm_ops vmbus_sim_bus_pm = {
	.freeze_noirq = vmbus_sim_pm_suspend,
	.thaw_noirq = vmbus_sim_pm_resume,
	.poweroff_noirq = vmbus_sim_pm_suspend,
	.restore_noirq = vmbus_sim_pm_resume,
};

/* dev->lock held: what @dev's driver left for the host to forget. */
static unsigned int vmbus_sim_pm_leftover(struct vmbus_sim_device *dev)
{
	struct vmbus_sim_chan *chan;
	struct vmbus_sim_gpadl *g;
	unsigned long handle;
	unsigned int n = 0;

	list_for_each_entry(chan, &dev->all_chans, node) {
		if (chan->ch.rescind ||
		    READ_ONCE(chan->ch.state) != CHANNEL_OPENED_STATE)
			continue;
		pr_err("vmbus_sim: hibernation: %pUl channel %u (relid %u) still open at the unload\n",
		       &dev->hv.dev_instance, chan->index,
		       chan->ch.offermsg.child_relid);
		n++;
	}
	xa_for_each(&vmbus_sim.gpadls, handle, g) {
		if (g->dev != dev)
			continue;
		pr_err("vmbus_sim: hibernation: %pUl GPADL %lu (%u bytes) still established at the unload\n",
		       &dev->hv.dev_instance, handle, g->size);
		n++;
	}
	return n;
}

/*
 * The guest unloads VMBus: every driver has suspended.  Subchannels were
 * rescinded when their primary closed; wait for that to be done.
 */
static int vmbus_sim_pm_unload(struct device *root)
{
	struct vmbus_sim_device *dev;
	unsigned int n = 0;

	vmbus_sim_flush();
	mutex_lock(&vmbus_sim.lock);
	list_for_each_entry(dev, &vmbus_sim.devices, node) {
		mutex_lock(&dev->lock);
		if (!dev->rescinded)
			n += vmbus_sim_pm_leftover(dev);
		mutex_unlock(&dev->lock);
	}
	mutex_unlock(&vmbus_sim.lock);
	atomic_add(n, &vmbus_sim_pm_leftovers);
	atomic_inc(&vmbus_sim_pm_unloads);
	return 0;
}

/*
 * The guest reconnects: the host offers every device again, each channel
 * that is still offered under a relid it has not had before.
 */
static int vmbus_sim_pm_reoffer(struct device *root)
{
	struct vmbus_sim_device *dev;
	struct vmbus_sim_chan *chan;
	int relid, ret = 0;
	unsigned int i;

	mutex_lock(&vmbus_sim.lock);
	list_for_each_entry(dev, &vmbus_sim.devices, node) {
		mutex_lock(&dev->lock);
		for (i = 0; i < dev->num_chans; i++) {
			chan = dev->chans[i];
			if (!chan)
				continue;
			relid = ida_alloc_range(&vmbus_sim.relids, 1, S32_MAX,
						GFP_KERNEL);
			if (relid < 0) {
				ret = relid;
				continue;
			}
			/* the first one names the channel's sysfs directory */
			if (!chan->first_relid)
				chan->first_relid = chan->ch.offermsg.child_relid;
			else
				ida_free(&vmbus_sim.relids,
					 chan->ch.offermsg.child_relid);
			chan->ch.offermsg.child_relid = relid;
		}
		mutex_unlock(&dev->lock);
	}
	mutex_unlock(&vmbus_sim.lock);
	atomic_inc(&vmbus_sim_pm_reoffers);
	return ret;
}

static struct dev_pm_domain vmbus_sim_pm_host = {
	.ops = {
		.freeze_noirq = vmbus_sim_pm_unload,
		.thaw_noirq = vmbus_sim_pm_reoffer,
		.poweroff_noirq = vmbus_sim_pm_unload,
		.restore_noirq = vmbus_sim_pm_reoffer,
	},
};

static ssize_t pm_unloads_show(struct device *d, struct device_attribute *a,
			       char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&vmbus_sim_pm_unloads));
}
static DEVICE_ATTR_RO(pm_unloads);

static ssize_t pm_reoffers_show(struct device *d, struct device_attribute *a,
				char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&vmbus_sim_pm_reoffers));
}
static DEVICE_ATTR_RO(pm_reoffers);

static ssize_t pm_leftovers_show(struct device *d, struct device_attribute *a,
				 char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&vmbus_sim_pm_leftovers));
}
static DEVICE_ATTR_RO(pm_leftovers);

static struct attribute *vmbus_sim_pm_attrs[] = {
	&dev_attr_pm_unloads.attr,
	&dev_attr_pm_reoffers.attr,
	&dev_attr_pm_leftovers.attr,
	NULL
};

static const struct attribute_group vmbus_sim_pm_group = {
	.attrs = vmbus_sim_pm_attrs,
};

/**
 * vmbus_sim_pm_init() - give the root device the host's part of hibernation
 *
 * Also adds the root device's counters pm_unloads, pm_reoffers and
 * pm_leftovers (Documentation/testing/vmbus_sim.rst).
 *
 * Return: 0 or a negative errno from sysfs.
 */
int vmbus_sim_pm_init(void)
{
	dev_pm_domain_set(vmbus_sim.root, &vmbus_sim_pm_host);
	return sysfs_create_group(&vmbus_sim.root->kobj, &vmbus_sim_pm_group);
}

/**
 * vmbus_sim_pm_exit() - undo vmbus_sim_pm_init()
 */
void vmbus_sim_pm_exit(void)
{
	sysfs_remove_group(&vmbus_sim.root->kobj, &vmbus_sim_pm_group);
	dev_pm_domain_set(vmbus_sim.root, NULL);
}
