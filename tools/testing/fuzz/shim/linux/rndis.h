/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's own <linux/rndis.h> (constants only, no includes), taken
 * from the Debian kernel headers: the Makefile passes its path.
 */
#ifndef FUZZ_KERNEL_RNDIS_H
#error "FUZZ_KERNEL_RNDIS_H (path of the kernel's include/linux/rndis.h) is not set"
#endif
#include FUZZ_KERNEL_RNDIS_H
