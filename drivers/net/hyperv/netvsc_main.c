// SPDX-License-Identifier: GPL-2.0
/*
 * Module entry points of the out-of-tree hv_netvsc driver.  The VMBus driver,
 * netdev and ethtool operations are registered from here once they exist;
 * for now the module only announces its version.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "netvsc_version.h"

static int __init netvsc_init(void)
{
	pr_info("out-of-tree driver %s loaded\n", NETVSC_DRV_VERSION);
	return 0;
}
module_init(netvsc_init);

static void __exit netvsc_exit(void)
{
}
module_exit(netvsc_exit);

MODULE_DESCRIPTION("Microsoft Hyper-V network driver (out-of-tree)");
MODULE_LICENSE("GPL");
MODULE_VERSION(NETVSC_DRV_VERSION);
