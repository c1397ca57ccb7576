/* SPDX-License-Identifier: GPL-2.0 */
/* What netvsc_cfg.c offers the files above it (the configuration, decided and written). */
#ifndef _NETVSC_CFG_H
#define _NETVSC_CFG_H

#include "netvsc.h"

int netvsc_data_start(struct netvsc_priv *priv);
void netvsc_data_stop(struct netvsc_priv *priv);
void netvsc_cfg_down(struct netvsc_priv *priv);
int netvsc_cfg_up(struct netvsc_priv *priv);
void netvsc_cfg_recover_work(struct work_struct *work);
void netvsc_cfg_defaults(struct netvsc_priv *priv);
void netvsc_cfg_host_mtu(struct netvsc_priv *priv);
int netvsc_cfg_mtu(struct netvsc_priv *priv, int mtu);
int netvsc_cfg_chans(struct netvsc_priv *priv, u32 count);
int netvsc_cfg_sections(struct netvsc_priv *priv, u32 rx, u32 tx);

#endif /* _NETVSC_CFG_H */
