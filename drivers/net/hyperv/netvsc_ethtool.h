/* SPDX-License-Identifier: GPL-2.0 */
/* What netvsc_ethtool.c offers the files above it. */
#ifndef _NETVSC_ETHTOOL_H
#define _NETVSC_ETHTOOL_H

#include "netvsc.h"

extern const struct ethtool_ops netvsc_ethtool_ops;

#endif /* _NETVSC_ETHTOOL_H */
