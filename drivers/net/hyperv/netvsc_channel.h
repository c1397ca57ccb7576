/* SPDX-License-Identifier: GPL-2.0 */
/* What netvsc_channel.c offers the files above it (subchannels, RSS, channel-count changes). */
#ifndef _NETVSC_CHANNEL_H
#define _NETVSC_CHANNEL_H

#include "netvsc.h"

void netvsc_sc_open(struct vmbus_channel *chan);
void netvsc_sc_open_work(struct work_struct *work);
void netvsc_chans_quiesce(struct netvsc_dev *nvdev);
void netvsc_sc_forget(struct hv_device *hdev);
u32 netvsc_chans_max(u32 host_chans);
void netvsc_chans_setup(struct netvsc_dev *nvdev, u32 want);
int netvsc_rss_apply(struct netvsc_dev *nvdev);
int netvsc_chans_set_live(struct netvsc_priv *priv, u32 count);
void netvsc_rss_init(struct netvsc_priv *priv);

#endif /* _NETVSC_CHANNEL_H */
