/* SPDX-License-Identifier: GPL-2.0 */
/* The UAPI header (which <linux/types.h> includes) and offsetof(). */
#include_next <linux/stddef.h>
#include <stddef.h>
