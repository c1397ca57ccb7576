/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmbus_sim KUnit tests - shared fixture.
 *
 * Each test gets a &struct vst_ctx: a tiny echo device provider on the host
 * side and a tiny hv_driver on the guest side, both recording what they
 * see so that tests can check ring, signalling and lifecycle behaviour
 * through the public APIs only (<linux/hyperv.h> and vmbus_sim.h).
 */
#ifndef _VMBUS_SIM_TEST_H
#define _VMBUS_SIM_TEST_H

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/hyperv.h>
#include <linux/spinlock.h>

#include "vmbus_sim.h"

/* Two pages per ring: one header page, 4 KiB of data. */
#define VST_RING_SIZE		(2 * PAGE_SIZE)
#define VST_RING_DATA		(PAGE_SIZE)
#define VST_MAX_DATA		256
#define VST_TIMEOUT		(10 * HZ)
#define VST_MAX_SC		8
#define VST_PARAMS		"/sys/module/vmbus_sim/parameters/"

/**
 * struct vst_ctx - fixture of one test
 * @test: the running test
 * @dev: offered device (host handle), NULL once removed
 * @hv: the guest device, set by the test driver's probe
 * @probed: completed by probe
 * @removed: completed by remove
 * @guest_irq: completed by every guest channel callback
 * @host_rx: completed after every provider @rx call
 * @space: completed by the provider's @space callback
 * @sc_done: completed by the sc-create callback
 * @rescind_done: completed by the channel rescind callback
 * @lock: protects the recorded packets
 * @sink: provider leaves guest packets in the ring
 * @echo: provider completes requests / echoes inband packets
 * @refuse_open: provider refuses opens
 * @open_subchannels: sc-create callback opens the new channel
 * @guest_drain: guest callback drains the host->guest ring
 * @opens: provider @open calls
 * @closes: provider @close calls
 * @rx_calls: provider @rx calls
 * @spaces: provider @space calls
 * @guest_irqs: guest channel callbacks
 * @irq_at: when the last guest callback began
 * @irq_cpu: CPU of the last guest callback
 * @irq_hard: last guest callback ran in hard-irq context
 * @irq_soft: last guest callback ran in softirq context
 * @host_pkts: packets the provider took
 * @host_err: first error vmbus_sim_recv() reported (other than -EAGAIN)
 * @seq_errors: guest->host payloads out of sequence
 * @next_seq: expected sequence number of the next packet
 * @last: descriptor fields of the last guest->host packet
 * @last_data: its payload (truncated to %VST_MAX_DATA)
 * @last_gpa: bytes named by its GPA ranges (truncated)
 * @last_gpa_len: total length of its GPA ranges
 * @last_range: first GPA range of it
 * @gpa_err: result of looking up its last GPA range
 * @guest_pkts: packets the guest callback drained
 * @guest_type: type of the last drained packet
 * @guest_tid: trans_id of the last drained packet
 * @guest_data: payload of the last drained packet
 * @guest_len: its length
 * @sc: subchannels seen by the sc-create callback, by index
 * @sc_count: sc-create callback calls
 * @sc_in_caller: an sc-create callback ran in the offering thread
 * @offer_task: the thread that offered subchannels
 * @rescinded: channel passed to the rescind callback
 */
struct vst_ctx {
	struct kunit *test;
	struct vmbus_sim_device *dev;
	struct hv_device *hv;
	struct completion probed;
	struct completion removed;
	struct completion guest_irq;
	struct completion host_rx;
	struct completion space;
	struct completion sc_done;
	struct completion rescind_done;
	spinlock_t lock;	/* recorded packets */

	bool sink;
	bool echo;
	bool refuse_open;
	bool open_subchannels;
	bool guest_drain;

	atomic_t opens;
	atomic_t closes;
	atomic_t rx_calls;
	atomic_t spaces;
	atomic_t guest_irqs;
	ktime_t irq_at;
	int irq_cpu;
	bool irq_hard;
	bool irq_soft;

	u32 host_pkts;
	int host_err;
	u32 seq_errors;
	u32 next_seq;
	struct vmbus_sim_pkt last;
	u8 last_data[VST_MAX_DATA];
	u8 last_gpa[VST_MAX_DATA];
	u32 last_gpa_len;
	struct vmbus_sim_gpa_range last_range;
	int gpa_err;

	u32 guest_pkts;
	u16 guest_type;
	u64 guest_tid;
	u8 guest_data[VST_MAX_DATA];
	u32 guest_len;

	struct vmbus_channel *sc[VST_MAX_SC + 1];
	atomic_t sc_count;
	bool sc_in_caller;
	struct task_struct *offer_task;
	struct vmbus_channel *rescinded;
};

extern const guid_t vst_class_guid;

int vst_init(struct kunit *test);
void vst_exit(struct kunit *test);
int vst_offer(struct vst_ctx *ctx, const guid_t *instance);
int vst_open(struct vst_ctx *ctx, struct vmbus_channel *ch,
	     enum hv_callback_mode mode);
void vst_remove(struct vst_ctx *ctx);
bool vst_wait(struct completion *c);
struct vmbus_sim_chan *vst_primary(struct vst_ctx *ctx);
void vst_stats(struct vst_ctx *ctx, struct vmbus_sim_chan_stats *st);
int vst_send_seq(struct vmbus_channel *ch, u32 seq, u32 len);
void vst_guest_drain(struct vst_ctx *ctx, struct vmbus_channel *ch);
void vst_sc_cb(struct vmbus_channel *sc);
void vst_rescind_cb(struct vmbus_channel *ch);
ssize_t vst_read_sysfs(const char *path, char *buf, size_t len);
int vst_write_sysfs(const char *path, const char *val);

#endif /* _VMBUS_SIM_TEST_H */
