// SPDX-License-Identifier: GPL-2.0
/*
 * vmbus_sim - what signalling costs on Hyper-V.
 *
 * On Hyper-V a guest's signal to the host is a hypercall (HvSignalEvent
 * through vmbus_setevent()), and a channel interrupt is a synthetic
 * interrupt injected into the guest's virtual processor: each is a VM exit
 * and entry plus the hypervisor's work, so a driver that signals and takes
 * interrupts less is cheaper there.  Here both are function calls, and a
 * driver would be rewarded for nothing.  These two knobs charge a cost,
 * spent busy on the CPU that pays it on Hyper-V: the signal on the CPU of
 * the guest that signals, the interrupt on the CPU that takes it, before
 * the channel callback runs.  Both default to 0 (no cost); the value the
 * benchmark uses and where it comes from are in
 * Documentation/testing/vmbus_sim.rst, "Signalling cost".
 */

#include <linux/moduleparam.h>
#include <linux/processor.h>
#include <linux/sched/clock.h>

#include "vmbus_sim_internal.h"

/* More than this is no longer a VM exit but a stall. */
#define VMBUS_SIM_COST_MAX_NS	100000

static unsigned int signal_cost_ns;
static unsigned int interrupt_cost_ns;

static int vmbus_sim_cost_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 0, VMBUS_SIM_COST_MAX_NS);
}

static const struct kernel_param_ops vmbus_sim_cost_ops = {
	.set = vmbus_sim_cost_set,
	.get = param_get_uint,
};

module_param_cb(signal_cost_ns, &vmbus_sim_cost_ops, &signal_cost_ns, 0644);
MODULE_PARM_DESC(signal_cost_ns,
		 "ns spent by the guest CPU per signal to the host (0..100000, default 0)");
module_param_cb(interrupt_cost_ns, &vmbus_sim_cost_ops, &interrupt_cost_ns,
		0644);
MODULE_PARM_DESC(interrupt_cost_ns,
		 "ns spent by the guest CPU per channel interrupt (0..100000, default 0)");

static void vmbus_sim_spend(unsigned int ns)
{
	u64 end;

	if (!ns)
		return;
	end = local_clock() + ns;
	while (local_clock() < end)
		cpu_relax();
}

/**
 * vmbus_sim_cost_signal() - charge one guest->host signal to this CPU
 */
void vmbus_sim_cost_signal(void)
{
	vmbus_sim_spend(READ_ONCE(signal_cost_ns));
}

/**
 * vmbus_sim_cost_interrupt() - charge one channel interrupt to this CPU
 */
void vmbus_sim_cost_interrupt(void)
{
	vmbus_sim_spend(READ_ONCE(interrupt_cost_ns));
}
