// SPDX-License-Identifier: GPL-2.0
/*
 * vm_pm_keep - keep the test guest's virtio devices out of system sleep.
 *
 * The test guest's root filesystem is 9p over virtio-pci, and the 9p
 * transport has no freeze/restore: the restore step of a hibernation
 * cycle resets the device under the mounted filesystem, and the guest
 * hangs on its next file access.  The suite drives hibernation through the
 * PM core (/sys/power), so while this module is loaded every virtio PCI
 * device and everything below it is a PM "syscore" device, which the PM
 * core's device phases skip: they run on through the cycle untouched.
 * Nothing else changes: the vmbus devices, the simulated VFs' e1000e and
 * the PCI ports go through every phase.  (On Hyper-V the root disk's
 * driver, storvsc, takes part in hibernation itself.)
 */

#include <linux/device.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/pm.h>

static unsigned int vm_pm_keep_count;

static int vm_pm_keep_tree(struct device *dev, void *data)
{
	bool keep = *(bool *)data;

	dev_pm_syscore_device(dev, keep);
	if (keep)
		vm_pm_keep_count++;
	return device_for_each_child(dev, data, vm_pm_keep_tree);
}

static void vm_pm_keep_all(bool keep)
{
	struct pci_dev *pdev = NULL;

	for_each_pci_dev(pdev)
		if (pdev->vendor == PCI_VENDOR_ID_REDHAT_QUMRANET)
			vm_pm_keep_tree(&pdev->dev, &keep);
}

static int __init vm_pm_keep_init(void)
{
	vm_pm_keep_all(true);
	pr_info("vm_pm_keep: %u virtio device(s) left out of system sleep\n",
		vm_pm_keep_count);
	return 0;
}
module_init(vm_pm_keep_init);

static void __exit vm_pm_keep_exit(void)
{
	vm_pm_keep_all(false);
}
module_exit(vm_pm_keep_exit);

MODULE_DESCRIPTION("Test guest: virtio devices left out of hibernation");
MODULE_LICENSE("GPL");
