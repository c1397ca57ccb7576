/* SPDX-License-Identifier: GPL-2.0 */
/* What netvsc_vf.c offers the files above it (accelerated networking). */
#ifndef _NETVSC_VF_H
#define _NETVSC_VF_H

#include "netvsc.h"

int netvsc_vf_init(struct netvsc_priv *priv);
void netvsc_vf_add_nic(struct netvsc_priv *priv);
void netvsc_vf_del_nic(struct netvsc_priv *priv);
void netvsc_vf_fini(struct netvsc_priv *priv);
bool netvsc_vf_xmit(struct netvsc_priv *priv, struct sk_buff *skb);
void netvsc_vf_update(struct netvsc_priv *priv);
void netvsc_vf_start(struct netvsc_priv *priv);
void netvsc_vf_session(struct netvsc_priv *priv);
void netvsc_vf_xdp(struct netvsc_priv *priv);
void netvsc_vf_features(struct netvsc_priv *priv, netdev_features_t features);
int netvsc_vf_link_get(struct netvsc_priv *priv,
		       struct ethtool_link_ksettings *cmd);
int netvsc_vf_link_set(struct netvsc_priv *priv,
		       const struct ethtool_link_ksettings *cmd);
void netvsc_vf_release(struct netvsc_priv *priv);
int netvsc_vf_module_init(void);
void netvsc_vf_module_exit(void);

#endif /* _NETVSC_VF_H */
