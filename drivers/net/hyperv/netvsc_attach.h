/* SPDX-License-Identifier: GPL-2.0 */
/* What netvsc_attach.c offers the files above it (attach and detach). */
#ifndef _NETVSC_ATTACH_H
#define _NETVSC_ATTACH_H

#include "netvsc.h"

struct netvsc_dev *netvsc_dev_prepare(struct netvsc_priv *priv,
				      const struct netvsc_cfg *cfg,
				      const struct netvsc_dev *hint);
void netvsc_dev_discard(struct netvsc_dev *nvdev);
struct netvsc_dev *netvsc_dev_commit(struct netvsc_priv *priv,
				     struct netvsc_dev *nvdev,
				     const struct netvsc_cfg *cfg);
struct netvsc_dev *netvsc_dev_attach(struct netvsc_priv *priv,
				     const struct netvsc_cfg *cfg);
void netvsc_dev_detach(struct netvsc_priv *priv);
void netvsc_dev_wait_gone(struct netvsc_priv *priv);

#endif /* _NETVSC_ATTACH_H */
