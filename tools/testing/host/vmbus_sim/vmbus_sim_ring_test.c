// SPDX-License-Identifier: GPL-2.0
/*
 * vmbus_sim KUnit tests - ring buffers and request ids: filling, wrapping,
 * signalling rules (interrupt_mask, empty->non-empty, pending_send_sz),
 * packet formats, interrupt delivery and misuse.
 */

#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/slab.h>

#include "vmbus_sim_test.h"

/* 16-byte descriptor + 40-byte payload + 8-byte trailer */
#define VST_PKT40	64
/* With 4 KiB of data, 63 such packets fit (the ring never fills up). */
#define VST_FIT40	(VST_RING_DATA / VST_PKT40 - 1)

static struct vmbus_channel *vst_setup(struct kunit *test,
				       enum hv_callback_mode mode)
{
	struct vst_ctx *ctx = test->priv;

	KUNIT_ASSERT_EQ(test, vst_offer(ctx, NULL), 0);
	KUNIT_ASSERT_EQ(test, vst_open(ctx, ctx->hv->channel, mode), 0);
	return ctx->hv->channel;
}

/* Let the host drain and wait until it has seen @n packets. */
static void vst_drain_host(struct kunit *test, u32 n)
{
	struct vst_ctx *ctx = test->priv;
	int i;

	WRITE_ONCE(ctx->sink, false);
	vmbus_sim_kick(vst_primary(ctx));
	for (i = 0; i < 100 && READ_ONCE(ctx->host_pkts) < n; i++)
		wait_for_completion_timeout(&ctx->host_rx, HZ / 10);
	KUNIT_EXPECT_EQ(test, READ_ONCE(ctx->host_pkts), n);
}

static void vst_ring_fill(struct kunit *test)
{
	struct vst_ctx *ctx = test->priv;
	struct vmbus_sim_chan_stats st;
	struct vmbus_channel *ch;
	u32 i;

	ctx->sink = true;
	ch = vst_setup(test, HV_CALL_ISR);
	for (i = 0; i < VST_FIT40; i++)
		KUNIT_ASSERT_EQ(test, vst_send_seq(ch, i, 40), 0);
	KUNIT_EXPECT_EQ(test, vst_send_seq(ch, i, 40), -EAGAIN);
	KUNIT_EXPECT_EQ(test, ch->out_full_total, 1);
	KUNIT_EXPECT_EQ(test, hv_get_bytes_to_write(&ch->outbound),
			(u32)VST_PKT40);

	/* Only the first write found the ring empty and signalled. */
	vst_stats(ctx, &st);
	KUNIT_EXPECT_EQ(test, st.guest_signals, 1);
	KUNIT_EXPECT_EQ(test, st.guest_signals_suppressed, VST_FIT40 - 1);

	vst_drain_host(test, VST_FIT40);
	KUNIT_EXPECT_EQ(test, ctx->seq_errors, 0);
	KUNIT_EXPECT_EQ(test, ctx->host_err, 0);
	vst_stats(ctx, &st);
	KUNIT_EXPECT_EQ(test, st.rx_packets, VST_FIT40);
	KUNIT_EXPECT_EQ(test, st.rx_bytes, VST_FIT40 * (VST_PKT40 - 8));
	KUNIT_EXPECT_EQ(test, hv_get_bytes_to_write(&ch->outbound),
			(u32)VST_RING_DATA);
	/* Room again, and out_full_flag is reset by the next success. */
	KUNIT_EXPECT_EQ(test, vst_send_seq(ch, i, 40), 0);
	KUNIT_EXPECT_FALSE(test, ch->out_full_flag);
}

static void vst_ring_wrap(struct kunit *test)
{
	u32 i, seq = 0, wraps = 0, last = 0;
	struct vst_ctx *ctx = test->priv;
	struct vmbus_channel *ch;

	ch = vst_setup(test, HV_CALL_ISR);
	/* 120-byte packets (incl. trailer) do not divide 4 KiB: they wrap. */
	for (i = 0; i < 200; i++) {
		u32 before = READ_ONCE(ch->outbound.ring_buffer->write_index);
		int ret = vst_send_seq(ch, seq, 92);

		if (ret == -EAGAIN) {
			wait_for_completion_timeout(&ctx->host_rx, HZ / 10);
			continue;
		}
		KUNIT_ASSERT_EQ(test, ret, 0);
		seq++;
		last = READ_ONCE(ch->outbound.ring_buffer->write_index);
		if (last < before)
			wraps++;
		KUNIT_EXPECT_EQ(test, last % 8, 0);
	}
	KUNIT_EXPECT_GE(test, wraps, 2);
	vst_drain_host(test, seq);
	KUNIT_EXPECT_EQ(test, ctx->seq_errors, 0);
	KUNIT_EXPECT_EQ(test, ctx->host_err, 0);
	/* The payload pattern survived the wrap-around. */
	for (i = 4; i < 92; i++)
		KUNIT_EXPECT_EQ(test, ctx->last_data[i], (u8)(seq - 1 + i));
	KUNIT_EXPECT_EQ(test, READ_ONCE(ch->outbound.ring_buffer->read_index),
			last);
}

static void vst_ring_guest_signal(struct kunit *test)
{
	struct vst_ctx *ctx = test->priv;
	struct vmbus_sim_chan_stats st;
	struct vmbus_channel *ch;

	ctx->sink = true;
	ch = vst_setup(test, HV_CALL_ISR);
	/* The host says "busy, don't signal": the guest must not. */
	WRITE_ONCE(ch->outbound.ring_buffer->interrupt_mask, 1);
	KUNIT_ASSERT_EQ(test, vst_send_seq(ch, 0, 40), 0);
	vst_stats(ctx, &st);
	KUNIT_EXPECT_EQ(test, st.guest_signals, 0);
	KUNIT_EXPECT_EQ(test, st.guest_signals_suppressed, 1);

	/* Unmasked, but the ring is not empty: still no signal. */
	WRITE_ONCE(ch->outbound.ring_buffer->interrupt_mask, 0);
	KUNIT_ASSERT_EQ(test, vst_send_seq(ch, 1, 40), 0);
	vst_stats(ctx, &st);
	KUNIT_EXPECT_EQ(test, st.guest_signals, 0);
	KUNIT_EXPECT_EQ(test, ch->sig_events, 0);

	vst_drain_host(test, 2);
	reinit_completion(&ctx->host_rx);
	/* Empty and unmasked: the next write signals exactly once. */
	KUNIT_ASSERT_EQ(test, vst_send_seq(ch, 2, 40), 0);
	vst_stats(ctx, &st);
	KUNIT_EXPECT_EQ(test, st.guest_signals, 1);
	KUNIT_EXPECT_EQ(test, ch->intr_out_empty, 1);
	KUNIT_EXPECT_TRUE(test, vst_wait(&ctx->host_rx));
	KUNIT_EXPECT_EQ(test, ctx->seq_errors, 0);
}

static void vst_ring_host_irq(struct kunit *test)
{
	struct vst_ctx *ctx = test->priv;
	struct vmbus_sim_chan_stats st;
	struct vmbus_sim_chan *hc;
	struct vmbus_channel *ch;
	u32 val = 0x1234;

	ch = vst_setup(test, HV_CALL_ISR);
	hc = vst_primary(ctx);
	/* Guest masked (e.g. NAPI polling): no interrupt. */
	hv_begin_read(&ch->inbound);
	KUNIT_ASSERT_EQ(test, vmbus_sim_send_inband(hc, 7, false, &val, 4), 0);
	msleep(50);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->guest_irqs), 0);
	/* hv_end_read() reports what is pending, as drivers expect. */
	KUNIT_EXPECT_EQ(test, hv_end_read(&ch->inbound), 24 + 8);
	/* Unmasked but not empty: still no interrupt. */
	KUNIT_ASSERT_EQ(test, vmbus_sim_send_inband(hc, 8, false, &val, 4), 0);
	msleep(50);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->guest_irqs), 0);
	vst_stats(ctx, &st);
	KUNIT_EXPECT_EQ(test, st.guest_interrupts, 0);
	KUNIT_EXPECT_EQ(test, st.guest_interrupts_suppressed, 2);

	vst_guest_drain(ctx, ch);
	KUNIT_EXPECT_EQ(test, ctx->guest_pkts, 2);
	KUNIT_EXPECT_EQ(test, ctx->guest_tid, 8);
	/* Empty and unmasked: one interrupt, delivered to the callback. */
	ctx->guest_drain = true;
	KUNIT_ASSERT_EQ(test, vmbus_sim_send_inband(hc, 9, false, &val, 4), 0);
	KUNIT_EXPECT_TRUE(test, vst_wait(&ctx->guest_irq));
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->guest_irqs), 1);
	KUNIT_EXPECT_EQ(test, ctx->guest_pkts, 3);
	KUNIT_EXPECT_EQ(test, ch->interrupts, 1);
}

static int vst_set_cpu(struct vst_ctx *ctx, u32 cpu)
{
	char path[96], buf[16];

	snprintf(path, sizeof(path), "/sys/bus/vmbus/devices/%pUl/channels/%u/cpu",
		 &ctx->hv->dev_instance, ctx->hv->channel->offermsg.child_relid);
	snprintf(buf, sizeof(buf), "%u\n", cpu);
	return vst_write_sysfs(path, buf);
}

static void vst_irq_context(struct kunit *test)
{
	struct vst_ctx *ctx = test->priv;
	struct vmbus_sim_chan *hc;
	struct hv_ring_buffer *rb;
	struct vmbus_channel *ch;
	u32 val = 1, cpu, i;

	ctx->guest_drain = true;
	ch = vst_setup(test, HV_CALL_ISR);
	hc = vst_primary(ctx);
	KUNIT_EXPECT_EQ(test, vmbus_sim_chan_target_cpu(hc), ch->target_cpu);
	KUNIT_ASSERT_EQ(test, vmbus_sim_send_inband(hc, 1, false, &val, 4), 0);
	KUNIT_ASSERT_TRUE(test, vst_wait(&ctx->guest_irq));
	KUNIT_EXPECT_EQ(test, ctx->irq_cpu, (int)ch->target_cpu);
	KUNIT_EXPECT_TRUE(test, ctx->irq_hard);

	/* Move the interrupt through sysfs, as irqbalance-like tools do. */
	cpu = cpumask_next(ch->target_cpu, cpu_online_mask);
	if (cpu >= nr_cpu_ids)
		cpu = cpumask_first(cpu_online_mask);
	KUNIT_ASSERT_EQ(test, vst_set_cpu(ctx, cpu), 0);
	KUNIT_EXPECT_EQ(test, ch->target_cpu, cpu);
	KUNIT_EXPECT_EQ(test, vst_set_cpu(ctx, nr_cpu_ids), -EINVAL);
	KUNIT_ASSERT_EQ(test, vmbus_sim_send_inband(hc, 2, false, &val, 4), 0);
	KUNIT_ASSERT_TRUE(test, vst_wait(&ctx->guest_irq));
	KUNIT_EXPECT_EQ(test, ctx->irq_cpu, (int)cpu);
	KUNIT_EXPECT_TRUE(test, ctx->irq_hard);

	/* Batched mode: the callback runs from the channel tasklet. */
	vmbus_close(ch);
	KUNIT_ASSERT_EQ(test, vst_open(ctx, ch, HV_CALL_BATCHED), 0);
	rb = ch->inbound.ring_buffer;
	KUNIT_EXPECT_EQ(test, vst_set_cpu(ctx, cpu), 0);
	KUNIT_ASSERT_EQ(test, vmbus_sim_send_inband(hc, 3, false, &val, 4), 0);
	KUNIT_ASSERT_TRUE(test, vst_wait(&ctx->guest_irq));
	KUNIT_EXPECT_EQ(test, ctx->irq_cpu, (int)cpu);
	KUNIT_EXPECT_FALSE(test, ctx->irq_hard);
	KUNIT_EXPECT_TRUE(test, ctx->irq_soft);
	/* After the callback the tasklet unmasks the (empty) ring. */
	for (i = 0; i < 100 && READ_ONCE(rb->interrupt_mask); i++)
		msleep(20);
	KUNIT_EXPECT_EQ(test, READ_ONCE(rb->interrupt_mask), 0);
}

#define VST_COST_NS	50000
#define VST_COST_ROUNDS	8

/*
 * The signalling cost knobs: every signal the guest makes and every
 * interrupt it takes costs at least what was set, on the guest's side of
 * the call; nothing above the limit is taken.
 */
static void vst_ring_costs(struct kunit *test)
{
	struct vst_ctx *ctx = test->priv;
	struct vmbus_sim_chan_stats st;
	struct vmbus_sim_chan *hc;
	struct vmbus_channel *ch;
	s64 spent = 0;
	ktime_t t0;
	u32 val = 7;
	int i;

	ch = vst_setup(test, HV_CALL_ISR);
	hc = vst_primary(ctx);
	KUNIT_EXPECT_EQ(test, vst_write_sysfs(VST_PARAMS "signal_cost_ns",
					      "100001"), -EINVAL);
	KUNIT_ASSERT_EQ(test, vst_write_sysfs(VST_PARAMS "signal_cost_ns",
					      __stringify(VST_COST_NS)), 0);
	KUNIT_ASSERT_EQ(test, vst_write_sysfs(VST_PARAMS "interrupt_cost_ns",
					      __stringify(VST_COST_NS)), 0);

	/* Each send finds the ring empty (the host took the last): a signal. */
	for (i = 0; i < VST_COST_ROUNDS; i++) {
		reinit_completion(&ctx->host_rx);
		t0 = ktime_get();
		KUNIT_ASSERT_EQ(test, vst_send_seq(ch, i, 40), 0);
		spent += ktime_to_ns(ktime_sub(ktime_get(), t0));
		KUNIT_ASSERT_TRUE(test, vst_wait(&ctx->host_rx));
	}
	vst_stats(ctx, &st);
	KUNIT_EXPECT_EQ(test, st.guest_signals, VST_COST_ROUNDS);
	KUNIT_EXPECT_GE(test, spent, (s64)VST_COST_ROUNDS * VST_COST_NS);

	/* Each host packet to an empty ring: an interrupt, paid before the callback. */
	ctx->guest_drain = true;
	for (i = 0; i < VST_COST_ROUNDS; i++) {
		reinit_completion(&ctx->guest_irq);
		t0 = ktime_get();
		KUNIT_ASSERT_EQ(test, vmbus_sim_send_inband(hc, i, false, &val, 4), 0);
		KUNIT_ASSERT_TRUE(test, vst_wait(&ctx->guest_irq));
		spent = ktime_to_ns(ktime_sub(READ_ONCE(ctx->irq_at), t0));
		KUNIT_EXPECT_GE(test, spent, (s64)VST_COST_NS);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->guest_irqs), VST_COST_ROUNDS);
	KUNIT_EXPECT_EQ(test, vst_write_sysfs(VST_PARAMS "signal_cost_ns", "0"), 0);
	KUNIT_EXPECT_EQ(test, vst_write_sysfs(VST_PARAMS "interrupt_cost_ns", "0"), 0);
}

static void vst_ring_host_pending(struct kunit *test)
{
	const struct vmpacket_descriptor *desc;
	struct vst_ctx *ctx = test->priv;
	struct vmbus_sim_chan_stats st;
	struct vmbus_sim_chan *hc;
	struct vmbus_channel *ch;
	u8 buf[40] = {};
	u32 n = 0;

	ch = vst_setup(test, HV_CALL_ISR);
	hc = vst_primary(ctx);
	while (vmbus_sim_send_inband(hc, n, false, buf, sizeof(buf)) == 0)
		n++;
	KUNIT_EXPECT_EQ(test, n, VST_FIT40);
	/* 64 bytes free: a 56-byte packet would still fit. */
	KUNIT_EXPECT_EQ(test, vmbus_sim_send_space(hc), VST_PKT40 - 8);
	/* The host now waits for room: pending_send_sz is its packet size. */
	KUNIT_EXPECT_EQ(test, READ_ONCE(ch->inbound.ring_buffer->pending_send_sz),
			(u32)VST_PKT40);
	KUNIT_EXPECT_EQ(test, vmbus_sim_wait_space(hc, VST_PKT40, HZ / 20),
			-ETIMEDOUT);
	vst_stats(ctx, &st);
	KUNIT_EXPECT_GE(test, st.tx_ring_full, 1);

	/* Reading one packet crosses the threshold: the guest signals. */
	desc = hv_pkt_iter_first(ch);
	KUNIT_ASSERT_NOT_NULL(test, desc);
	KUNIT_EXPECT_EQ(test, hv_pkt_datalen(desc), sizeof(buf));
	__hv_pkt_iter_next(ch, desc);
	hv_pkt_iter_close(ch);
	KUNIT_EXPECT_TRUE(test, vst_wait(&ctx->space));
	KUNIT_EXPECT_EQ(test, ch->intr_in_full, 1);
	KUNIT_EXPECT_EQ(test, vmbus_sim_wait_space(hc, VST_PKT40, HZ), 0);
	KUNIT_EXPECT_EQ(test, vmbus_sim_send_inband(hc, n, false, buf,
						    sizeof(buf)), 0);
	/* Reading more without a waiting host signals nothing more. */
	desc = hv_pkt_iter_first(ch);
	KUNIT_ASSERT_NOT_NULL(test, desc);
	hv_pkt_iter_next(ch, desc);
	vst_stats(ctx, &st);
	KUNIT_EXPECT_EQ(test, st.space_signals, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->spaces), 1);
}

static void vst_ring_guest_pending(struct kunit *test)
{
	struct vst_ctx *ctx = test->priv;
	struct vmbus_channel *ch;
	u32 i;

	ctx->sink = true;
	ch = vst_setup(test, HV_CALL_ISR);
	for (i = 0; i < VST_FIT40; i++)
		KUNIT_ASSERT_EQ(test, vst_send_seq(ch, i, 40), 0);
	KUNIT_ASSERT_EQ(test, vst_send_seq(ch, i, 40), -EAGAIN);
	/* A guest waiting for room (hv_sock style) asks to be told. */
	set_channel_pending_send_size(ch, VST_PKT40);
	KUNIT_EXPECT_EQ(test, ch->out_full_total, 2);
	vst_drain_host(test, VST_FIT40);
	KUNIT_EXPECT_TRUE(test, vst_wait(&ctx->guest_irq));
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->guest_irqs), 1);
	set_channel_pending_send_size(ch, 0);
}

static void vst_ring_formats(struct kunit *test)
{
	static const struct vmtransfer_page_range ranges[2] = {
		{ .byte_count = 100, .byte_offset = 0 },
		{ .byte_count = 60, .byte_offset = 4096 },
	};
	const struct vmtransfer_page_packet_header *xfer;
	struct vst_ctx *ctx = test->priv;
	const struct vmpacket_descriptor *desc;
	struct vmbus_sim_chan *hc;
	struct vmbus_channel *ch;
	u64 payload = 0xfeedface;

	ch = vst_setup(test, HV_CALL_ISR);
	hc = vst_primary(ctx);
	KUNIT_ASSERT_EQ(test, vmbus_sim_send_xfer(hc, 0xcafe, 77, ranges, 2,
						  &payload, sizeof(payload)), 0);
	KUNIT_ASSERT_EQ(test, vmbus_sim_send_comp(hc, 78, NULL, 0), 0);

	desc = hv_pkt_iter_first(ch);
	KUNIT_ASSERT_NOT_NULL(test, desc);
	xfer = (const void *)desc;
	KUNIT_EXPECT_EQ(test, desc->type, VM_PKT_DATA_USING_XFER_PAGES);
	KUNIT_EXPECT_EQ(test, desc->flags,
			VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED);
	KUNIT_EXPECT_EQ(test, desc->trans_id, 77);
	KUNIT_EXPECT_EQ(test, desc->offset8 << 3, 24 + 2 * 8);
	KUNIT_EXPECT_EQ(test, hv_pkt_datalen(desc), sizeof(payload));
	KUNIT_EXPECT_EQ(test, *(u64 *)hv_pkt_data(desc), payload);
	KUNIT_EXPECT_EQ(test, xfer->xfer_pageset_id, 0xcafe);
	KUNIT_EXPECT_EQ(test, xfer->range_cnt, 2);
	KUNIT_EXPECT_EQ(test, xfer->ranges[1].byte_count, 60);
	KUNIT_EXPECT_EQ(test, xfer->ranges[1].byte_offset, 4096);

	desc = __hv_pkt_iter_next(ch, desc);
	KUNIT_ASSERT_NOT_NULL(test, desc);
	KUNIT_EXPECT_EQ(test, desc->type, VM_PKT_COMP);
	KUNIT_EXPECT_EQ(test, desc->trans_id, 78);
	KUNIT_EXPECT_EQ(test, hv_pkt_datalen(desc), 0);
	KUNIT_EXPECT_NULL(test, hv_pkt_iter_next(ch, desc));
	KUNIT_EXPECT_EQ(test, hv_get_bytes_to_read(&ch->inbound), 0);
}

static void vst_ring_misuse(struct kunit *test)
{
	struct vst_ctx *ctx = test->priv;
	struct vmbus_sim_chan *hc;
	struct vmbus_channel *ch;
	u8 *big;

	big = kunit_kzalloc(test, 2 * VST_RING_DATA, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, big);
	KUNIT_ASSERT_EQ(test, vst_offer(ctx, NULL), 0);
	ch = ctx->hv->channel;
	hc = vst_primary(ctx);

	/* Not open yet. */
	KUNIT_EXPECT_EQ(test, vmbus_sendpacket(ch, big, 8, 0,
					       VM_PKT_DATA_INBAND, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmbus_sim_send_inband(hc, 0, false, big, 8),
			-ENOTCONN);
	KUNIT_EXPECT_EQ(test, vmbus_open(ch, PAGE_SIZE + 1, VST_RING_SIZE,
					 NULL, 0, NULL, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmbus_open(ch, VST_RING_SIZE, VST_RING_SIZE,
					 NULL, MAX_USER_DEFINED_BYTES + 1,
					 NULL, NULL), -EINVAL);
	KUNIT_ASSERT_EQ(test, vst_open(ctx, ch, HV_CALL_ISR), 0);
	KUNIT_EXPECT_EQ(test, vst_open(ctx, ch, HV_CALL_ISR), -EINVAL);

	/* Larger than the ring: full forever, as on Hyper-V. */
	KUNIT_EXPECT_EQ(test, vmbus_sendpacket(ch, big, 2 * VST_RING_DATA, 0,
					       VM_PKT_DATA_INBAND, 0), -EAGAIN);
	/* Larger than a descriptor can describe. */
	KUNIT_EXPECT_EQ(test, vmbus_sendpacket(ch, big, 0x80000, 0,
					       VM_PKT_DATA_INBAND, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmbus_sim_send_inband(hc, 0, false, big,
						    2 * VST_RING_DATA),
			-EMSGSIZE);
	KUNIT_EXPECT_EQ(test, vmbus_sim_send(hc, VM_PKT_DATA_INBAND, 0, 0, big,
					     4, NULL, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmbus_sim_send_xfer(hc, 1, 0, NULL, 0, NULL, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vmbus_sim_wait_space(hc, 2 * VST_RING_DATA, 1),
			-EMSGSIZE);

	vmbus_close(ch);
	vmbus_close(ch);
	KUNIT_EXPECT_EQ(test, vmbus_sendpacket(ch, big, 8, 0,
					       VM_PKT_DATA_INBAND, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmbus_sim_send_comp(hc, 0, NULL, 0), -ENOTCONN);
	KUNIT_EXPECT_FALSE(test, vmbus_sim_chan_is_open(hc));
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->opens), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->closes), 1);
}

static void vst_ring_malformed(struct kunit *test)
{
	struct vmpacket_descriptor *desc;
	struct vst_ctx *ctx = test->priv;
	struct hv_ring_buffer *rb;
	struct vmbus_channel *ch;

	ch = vst_setup(test, HV_CALL_ISR);
	rb = ch->outbound.ring_buffer;
	/* A buggy guest: descriptor shorter than itself. */
	desc = (void *)rb->buffer;
	desc->type = VM_PKT_DATA_INBAND;
	desc->offset8 = 2;
	desc->len8 = 1;
	WRITE_ONCE(rb->write_index, 24);
	vmbus_setevent(ch);
	KUNIT_EXPECT_TRUE(test, vst_wait(&ctx->host_rx));
	KUNIT_EXPECT_EQ(test, ctx->host_err, -EBADMSG);
	KUNIT_EXPECT_EQ(test, ctx->host_pkts, 0);
	/* The host discarded the garbage and goes on working. */
	KUNIT_EXPECT_EQ(test, READ_ONCE(rb->read_index), 24);
	KUNIT_EXPECT_EQ(test, vst_send_seq(ch, 0, 40), 0);
	KUNIT_EXPECT_TRUE(test, vst_wait(&ctx->host_rx));
	KUNIT_EXPECT_EQ(test, ctx->host_pkts, 1);
}

static struct kunit_case vst_ring_cases[] = {
	KUNIT_CASE(vst_ring_fill),
	KUNIT_CASE(vst_ring_wrap),
	KUNIT_CASE(vst_ring_guest_signal),
	KUNIT_CASE(vst_ring_host_irq),
	KUNIT_CASE(vst_irq_context),
	KUNIT_CASE(vst_ring_costs),
	KUNIT_CASE(vst_ring_host_pending),
	KUNIT_CASE(vst_ring_guest_pending),
	KUNIT_CASE(vst_ring_formats),
	KUNIT_CASE(vst_ring_misuse),
	KUNIT_CASE(vst_ring_malformed),
	{}
};

static struct kunit_suite vst_ring_suite = {
	.name = "vmbus_sim_ring",
	.init = vst_init,
	.exit = vst_exit,
	.test_cases = vst_ring_cases,
};

static void vst_rqstor_ids(struct kunit *test)
{
	struct vst_ctx *ctx = test->priv;
	struct vmbus_channel *ch;
	u64 a, b, c;

	KUNIT_ASSERT_EQ(test, vst_offer(ctx, NULL), 0);
	ch = ctx->hv->channel;
	/* Without a table the driver's own ids are used. */
	KUNIT_EXPECT_EQ(test, vmbus_next_request_id(ch, 5), VMBUS_NO_RQSTOR);
	KUNIT_EXPECT_EQ(test, vmbus_request_addr(ch, 1), VMBUS_NO_RQSTOR);

	ch->rqstor_size = 2;
	KUNIT_ASSERT_EQ(test, vst_open(ctx, ch, HV_CALL_ISR), 0);
	a = vmbus_next_request_id(ch, 0xa000);
	b = vmbus_next_request_id(ch, 0xb000);
	KUNIT_EXPECT_EQ(test, a, 1);
	KUNIT_EXPECT_EQ(test, b, 2);
	KUNIT_EXPECT_EQ(test, vmbus_next_request_id(ch, 0xc000),
			VMBUS_RQST_ERROR);
	/* 0 is Hyper-V's unsolicited id; unknown and stale ids are errors. */
	KUNIT_EXPECT_EQ(test, vmbus_request_addr(ch, 0), VMBUS_RQST_ERROR);
	KUNIT_EXPECT_EQ(test, vmbus_request_addr(ch, 3), VMBUS_RQST_ERROR);
	KUNIT_EXPECT_EQ(test, vmbus_request_addr_match(ch, a, 0xb000), 0xa000);
	KUNIT_EXPECT_EQ(test, vmbus_request_addr(ch, a), 0xa000);
	KUNIT_EXPECT_EQ(test, vmbus_request_addr(ch, a), VMBUS_RQST_ERROR);
	/* The freed slot is reused first. */
	c = vmbus_next_request_id(ch, 0xc000);
	KUNIT_EXPECT_EQ(test, c, a);
	KUNIT_EXPECT_EQ(test, vmbus_request_addr(ch, b), 0xb000);
	KUNIT_EXPECT_EQ(test, vmbus_request_addr(ch, c), 0xc000);
}

static void vst_rqstor_roundtrip(struct kunit *test)
{
	struct vst_ctx *ctx = test->priv;
	struct vmbus_channel *ch;
	u32 msg = 0;
	u64 tid;

	ctx->echo = true;
	ctx->guest_drain = true;
	KUNIT_ASSERT_EQ(test, vst_offer(ctx, NULL), 0);
	ch = ctx->hv->channel;
	ch->rqstor_size = 16;
	ch->next_request_id_callback = vmbus_next_request_id;
	ch->request_addr_callback = vmbus_request_addr;
	KUNIT_ASSERT_EQ(test, vst_open(ctx, ch, HV_CALL_ISR), 0);

	/* A request: the host sees the allocated id, not the address. */
	KUNIT_ASSERT_EQ(test, vmbus_sendpacket_getid(ch, &msg, sizeof(msg),
						     0xdead0000, &tid,
						     VM_PKT_DATA_INBAND,
						     VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED),
			0);
	KUNIT_EXPECT_EQ(test, tid, 1);
	KUNIT_ASSERT_TRUE(test, vst_wait(&ctx->guest_irq));
	KUNIT_EXPECT_EQ(test, ctx->last.trans_id, 1);
	KUNIT_EXPECT_EQ(test, ctx->guest_type, VM_PKT_COMP);
	KUNIT_EXPECT_EQ(test, ctx->guest_tid, 1);
	KUNIT_EXPECT_EQ(test, vmbus_request_addr(ch, ctx->guest_tid),
			0xdead0000);

	/* No response wanted: the id passes through untouched. */
	reinit_completion(&ctx->host_rx);
	msg = 1;
	KUNIT_ASSERT_EQ(test, vmbus_sendpacket(ch, &msg, sizeof(msg),
					       VMBUS_RQST_ID_NO_RESPONSE,
					       VM_PKT_DATA_INBAND, 0), 0);
	KUNIT_ASSERT_TRUE(test, vst_wait(&ctx->host_rx));
	KUNIT_EXPECT_EQ(test, ctx->last.trans_id, VMBUS_RQST_ID_NO_RESPONSE);
	KUNIT_EXPECT_EQ(test, ctx->last.flags, 0);
	KUNIT_EXPECT_EQ(test, vmbus_next_request_id(ch, 1), 1);
}

static struct kunit_case vst_rqstor_cases[] = {
	KUNIT_CASE(vst_rqstor_ids),
	KUNIT_CASE(vst_rqstor_roundtrip),
	{}
};

static struct kunit_suite vst_rqstor_suite = {
	.name = "vmbus_sim_rqstor",
	.init = vst_init,
	.exit = vst_exit,
	.test_cases = vst_rqstor_cases,
};

kunit_test_suites(&vst_ring_suite, &vst_rqstor_suite);
