/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NETVSC_VERSION_H
#define _NETVSC_VERSION_H

/* Reported by modinfo and ethtool -i; "-oot" tells it from the in-tree one. */
#define NETVSC_DRV_VERSION "0.1.0-oot"

#endif /* _NETVSC_VERSION_H */
