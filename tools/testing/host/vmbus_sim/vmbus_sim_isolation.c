// SPDX-License-Identifier: GPL-2.0
/*
 * vmbus_sim isolation mode: the guest behaves as an SEV-SNP or TDX
 * isolation VM on Hyper-V, as far as a VMBus driver can tell.
 *
 * What the platform reports: hv_is_isolation_supported(),
 * hv_isolation_type_snp() and hv_isolation_type_tdx() are functions of the
 * kernel image (arch/x86/hyperv/ivm.c) that say false under QEMU, and the
 * drivers under test (ours and the in-tree hv_netvsc, unmodified) call them
 * through their exports.  While isolation mode is on, a kprobe on the entry
 * of each sends the call to a function of ours with the same prototype,
 * which returns the answer of the chosen mode to the caller: the pre-handler
 * only moves the instruction pointer, as livepatch and the kernel's
 * override_function_with_return() do (neither is usable from a module
 * here).  The mode is chosen at load and cannot change under a live device.
 *
 * What the host can read: only memory the guest shares with it, i.e. the
 * swiotlb bounce buffers (the guest must boot with swiotlb=force, as a CVM
 * bounces all DMA) and the pages of GPADLs, which VMBus decrypts while they
 * are established.  Guest page numbers in GPA-direct packets that name
 * private memory are refused and counted.
 */

#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/swiotlb.h>
#include <linux/sysfs.h>

#include "vmbus_sim_internal.h"

static char *isolation = "none";
module_param(isolation, charp, 0444);
MODULE_PARM_DESC(isolation,
		 "what the guest reports as platform: none (default), snp or tdx (needs swiotlb=force)");

static bool fault_reencrypt;
module_param(fault_reencrypt, bool, 0644);
MODULE_PARM_DESC(fault_reencrypt,
		 "isolation mode: GPADL teardown fails to re-encrypt the pages (gpadl->decrypted stays true)");

enum vmbus_sim_iso_mode { VMBUS_SIM_ISO_NONE, VMBUS_SIM_ISO_SNP, VMBUS_SIM_ISO_TDX };

static enum vmbus_sim_iso_mode vmbus_sim_iso;
static atomic64_t vmbus_sim_private_reads;

/* Shared pages of GPADLs: pfn -> number of GPADLs holding it (a value entry) */
static DEFINE_XARRAY(vmbus_sim_shared);
static DEFINE_MUTEX(vmbus_sim_shared_lock);	/* serialises updates */

static bool vmbus_sim_iso_true(void)
{
	return true;
}

static bool vmbus_sim_iso_false(void)
{
	return false;
}

struct vmbus_sim_override {
	struct kprobe kp;
	bool (*to)(void);
	bool armed;
};

static int vmbus_sim_override_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct vmbus_sim_override *o = container_of(kp, struct vmbus_sim_override,
						    kp);

	/*
	 * At the entry the return address to the caller is on top of the
	 * stack: our function runs instead and returns there.  Non-zero
	 * tells kprobes that the instruction pointer was changed.
	 */
	instruction_pointer_set(regs, (unsigned long)o->to);
	return 1;
}

static struct vmbus_sim_override vmbus_sim_overrides[] = {
	{ .kp.symbol_name = "hv_is_isolation_supported" },
	{ .kp.symbol_name = "hv_isolation_type_snp" },
	{ .kp.symbol_name = "hv_isolation_type_tdx" },
};

/**
 * vmbus_sim_isolated() - isolation mode is on
 *
 * Return: true when the guest plays an SNP or TDX isolation VM.
 */
bool vmbus_sim_isolated(void)
{
	return vmbus_sim_iso != VMBUS_SIM_ISO_NONE;
}

/**
 * vmbus_sim_fault_reencrypt() - GPADL teardown is to leave pages decrypted
 *
 * Return: the fault_reencrypt knob, in isolation mode.
 */
bool vmbus_sim_fault_reencrypt(void)
{
	return vmbus_sim_isolated() && READ_ONCE(fault_reencrypt);
}

/**
 * vmbus_sim_share_pages() - the host may read these GPADL pages now
 * @pages: the pages
 * @nr: how many
 * @share: true at establish (decrypt), false at teardown
 *
 * Context: process.
 * Return: 0 or -ENOMEM (nothing changed then).
 */
int vmbus_sim_share_pages(struct page **pages, u32 nr, bool share)
{
	unsigned long pfn, n;
	void *old;
	u32 i;
	int ret = 0;

	mutex_lock(&vmbus_sim_shared_lock);
	for (i = 0; i < nr; i++) {
		pfn = page_to_pfn(pages[i]);
		old = xa_load(&vmbus_sim_shared, pfn);
		n = old ? xa_to_value(old) : 0;
		if (share)
			ret = xa_err(xa_store(&vmbus_sim_shared, pfn,
					      xa_mk_value(n + 1), GFP_KERNEL));
		else if (n > 1)
			xa_store(&vmbus_sim_shared, pfn, xa_mk_value(n - 1),
				 GFP_KERNEL);
		else
			xa_erase(&vmbus_sim_shared, pfn);
		if (ret)
			break;
	}
	mutex_unlock(&vmbus_sim_shared_lock);
	if (ret)
		vmbus_sim_share_pages(pages, i, false);
	return ret;
}

/**
 * vmbus_sim_host_may_read() - the host can read guest physical address @pa
 * @pa: the address
 *
 * Outside isolation mode every page is readable.  In it, only swiotlb
 * bounce buffers and pages of established GPADLs are; a private page is
 * refused, counted and reported (rate-limited).
 *
 * Return: true when readable.
 */
bool vmbus_sim_host_may_read(phys_addr_t pa)
{
	if (!vmbus_sim_isolated())
		return true;
	if (swiotlb_find_pool(vmbus_sim.root, pa) ||
	    xa_load(&vmbus_sim_shared, PHYS_PFN(pa)))
		return true;
	atomic64_inc(&vmbus_sim_private_reads);
	pr_warn_ratelimited("vmbus_sim: isolation: the host cannot read private guest memory at %pa (not a bounce buffer, not in a GPADL)\n",
			    &pa);
	return false;
}

static ssize_t private_reads_show(struct device *d, struct device_attribute *a,
				  char *buf)
{
	return sysfs_emit(buf, "%lld\n", atomic64_read(&vmbus_sim_private_reads));
}
static DEVICE_ATTR_RO(private_reads);

static int vmbus_sim_override_arm(void)
{
	bool snp = vmbus_sim_iso == VMBUS_SIM_ISO_SNP;
	struct vmbus_sim_override *o;
	int i, ret;

	vmbus_sim_overrides[0].to = vmbus_sim_iso_true;
	vmbus_sim_overrides[1].to = snp ? vmbus_sim_iso_true : vmbus_sim_iso_false;
	vmbus_sim_overrides[2].to = snp ? vmbus_sim_iso_false : vmbus_sim_iso_true;
	for (i = 0; i < ARRAY_SIZE(vmbus_sim_overrides); i++) {
		o = &vmbus_sim_overrides[i];
		o->kp.pre_handler = vmbus_sim_override_pre;
		ret = register_kprobe(&o->kp);
		if (ret) {
			pr_err("vmbus_sim: isolation: cannot override %s (%d)\n",
			       o->kp.symbol_name, ret);
			return ret;
		}
		o->armed = true;
	}
	return 0;
}

static void vmbus_sim_override_disarm(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(vmbus_sim_overrides); i++) {
		if (vmbus_sim_overrides[i].armed)
			unregister_kprobe(&vmbus_sim_overrides[i].kp);
		vmbus_sim_overrides[i].armed = false;
	}
}

/**
 * vmbus_sim_isolation_init() - parse the isolation parameter and arm it
 *
 * Called once the root device exists.
 *
 * Return: 0, -EINVAL for an unknown mode or a guest booted without
 * swiotlb=force, or the kprobe error.
 */
int vmbus_sim_isolation_init(void)
{
	int ret;

	if (sysfs_streq(isolation, "none")) {
		vmbus_sim_iso = VMBUS_SIM_ISO_NONE;
	} else if (sysfs_streq(isolation, "snp")) {
		vmbus_sim_iso = VMBUS_SIM_ISO_SNP;
	} else if (sysfs_streq(isolation, "tdx")) {
		vmbus_sim_iso = VMBUS_SIM_ISO_TDX;
	} else {
		pr_err("vmbus_sim: isolation=%s: none, snp or tdx\n", isolation);
		return -EINVAL;
	}
	ret = device_create_file(vmbus_sim.root, &dev_attr_private_reads);
	if (ret || !vmbus_sim_isolated())
		return ret;

	/* a CVM bounces all DMA: without it nothing would be shared */
	if (!is_swiotlb_force_bounce(vmbus_sim.root)) {
		pr_err("vmbus_sim: isolation=%s needs the guest booted with swiotlb=force\n",
		       isolation);
		ret = -EINVAL;
		goto err;
	}
	ret = vmbus_sim_override_arm();
	if (ret)
		goto err;
	pr_info("vmbus_sim: isolation mode %s: the host reads only bounce buffers and GPADLs\n",
		isolation);
	return 0;

err:
	vmbus_sim_override_disarm();
	vmbus_sim_iso = VMBUS_SIM_ISO_NONE;
	device_remove_file(vmbus_sim.root, &dev_attr_private_reads);
	return ret;
}

/**
 * vmbus_sim_isolation_exit() - undo vmbus_sim_isolation_init()
 *
 * Called after every device is gone (no GPADL is left).
 */
void vmbus_sim_isolation_exit(void)
{
	vmbus_sim_override_disarm();
	device_remove_file(vmbus_sim.root, &dev_attr_private_reads);
	WARN_ON_ONCE(!xa_empty(&vmbus_sim_shared));
	xa_destroy(&vmbus_sim_shared);
}
