// SPDX-License-Identifier: GPL-2.0
/*
 * vmbus_sim KUnit tests - GPADL bookkeeping, GPA-direct packets and the
 * offer / subchannel / rescind lifecycle, with the echo provider and the
 * test driver of vmbus_sim_test_util.c.
 */

#include <linux/delay.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "vmbus_sim_test.h"

/* A second device class that the test driver does not bind. */
static const guid_t vst_other_class = GUID_INIT(0x6a0e1f3b, 0x2c4d, 0x4f5e,
						0x8a, 0x9b, 0x0c, 0x1d, 0x2e,
						0x3f, 0x40, 0x51);

static void vst_rx_nop(struct vmbus_sim_chan *chan)
{
}

static const struct vmbus_sim_ops vst_nop_ops = {
	.rx = vst_rx_nop,
};

static struct vmbus_sim_device *vst_offer_other(void)
{
	static const guid_t inst = GUID_INIT(0x11223344, 0x5566, 0x4788, 0x99,
					     0xaa, 0xbb, 0xcc, 0xdd, 0xee,
					     0xff, 0x01);
	struct vmbus_sim_offer_params p = {
		.class_id = &vst_other_class,
		.instance_id = &inst,
		.ops = &vst_nop_ops,
	};

	return vmbus_sim_offer(&p);
}

static void vst_gpadl_vmalloc(struct kunit *test)
{
	const u32 size = 5 * PAGE_SIZE + 100;
	struct vst_ctx *ctx = test->priv;
	struct vmbus_gpadl gpadl = {};
	struct vmbus_sim_gpadl *g;
	u8 in[20], out[20];
	u8 *buf;
	u32 i;

	KUNIT_ASSERT_EQ(test, vst_offer(ctx, NULL), 0);
	buf = vzalloc(size);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, vmbus_establish_gpadl(ctx->hv->channel, buf, size,
						    &gpadl), 0);
	KUNIT_EXPECT_NE(test, gpadl.gpadl_handle, 0);
	KUNIT_EXPECT_PTR_EQ(test, gpadl.buffer, (void *)buf);
	KUNIT_EXPECT_EQ(test, gpadl.size, size);
	KUNIT_EXPECT_FALSE(test, gpadl.decrypted);

	g = vmbus_sim_gpadl_get(ctx->dev, gpadl.gpadl_handle);
	KUNIT_ASSERT_FALSE(test, IS_ERR(g));
	KUNIT_EXPECT_EQ(test, vmbus_sim_gpadl_size(g), size);
	/* Host writes across a page boundary, the guest sees it. */
	for (i = 0; i < sizeof(in); i++)
		in[i] = i + 1;
	KUNIT_EXPECT_EQ(test, vmbus_sim_gpadl_write(g, PAGE_SIZE - 6, in,
						    sizeof(in)), 0);
	KUNIT_EXPECT_EQ(test, memcmp(buf + PAGE_SIZE - 6, in, sizeof(in)), 0);
	/* Guest writes, the host reads. */
	memset(buf + size - sizeof(out), 0x5a, sizeof(out));
	KUNIT_EXPECT_EQ(test, vmbus_sim_gpadl_read(g, size - sizeof(out), out,
						   sizeof(out)), 0);
	KUNIT_EXPECT_EQ(test, out[0], 0x5a);
	KUNIT_EXPECT_EQ(test, out[sizeof(out) - 1], 0x5a);
	KUNIT_EXPECT_PTR_EQ(test, vmbus_sim_gpadl_ptr(g, 10, 10),
			    (void *)(buf + 10));
	/* Out of bounds, including overflowing offsets. */
	KUNIT_EXPECT_EQ(test, vmbus_sim_gpadl_read(g, size - 4, out, 8),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vmbus_sim_gpadl_write(g, U32_MAX, in, 2), -EINVAL);
	KUNIT_EXPECT_NULL(test, vmbus_sim_gpadl_ptr(g, size, 1));

	/* Pinned: the guest may not tear it down. */
	KUNIT_EXPECT_EQ(test, vmbus_teardown_gpadl(ctx->hv->channel, &gpadl),
			-EBUSY);
	KUNIT_EXPECT_NE(test, gpadl.gpadl_handle, 0);
	vmbus_sim_gpadl_put(g);
	i = gpadl.gpadl_handle;
	KUNIT_EXPECT_EQ(test, vmbus_teardown_gpadl(ctx->hv->channel, &gpadl), 0);
	KUNIT_EXPECT_EQ(test, gpadl.gpadl_handle, 0);
	KUNIT_EXPECT_EQ(test, vmbus_teardown_gpadl(ctx->hv->channel, &gpadl),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(vmbus_sim_gpadl_get(ctx->dev, i)),
			-ENOENT);
	vfree(buf);
}

static void vst_gpadl_handles(struct kunit *test)
{
	struct vmbus_gpadl a = {}, b = {}, bogus = { .gpadl_handle = 0x7ffffff0 };
	struct vst_ctx *ctx = test->priv;
	struct vmbus_sim_device *other;
	struct vmbus_channel *och;
	void *ka, *kb;

	KUNIT_ASSERT_EQ(test, vst_offer(ctx, NULL), 0);
	ka = kunit_kzalloc(test, 3000, GFP_KERNEL);
	kb = kunit_kzalloc(test, 100, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ka);
	KUNIT_ASSERT_NOT_NULL(test, kb);
	KUNIT_EXPECT_EQ(test, vmbus_establish_gpadl(ctx->hv->channel, NULL, 10,
						    &a), -EINVAL);
	KUNIT_EXPECT_EQ(test, vmbus_establish_gpadl(ctx->hv->channel, ka, 0,
						    &a), -EINVAL);
	KUNIT_ASSERT_EQ(test, vmbus_establish_gpadl(ctx->hv->channel, ka, 3000,
						    &a), 0);
	KUNIT_ASSERT_EQ(test, vmbus_establish_gpadl(ctx->hv->channel, kb, 100,
						    &b), 0);
	KUNIT_EXPECT_NE(test, a.gpadl_handle, b.gpadl_handle);
	KUNIT_EXPECT_EQ(test, vmbus_teardown_gpadl(ctx->hv->channel, &bogus),
			-EINVAL);

	/* Another device can neither see nor tear down our GPADLs. */
	other = vst_offer_other();
	KUNIT_ASSERT_FALSE(test, IS_ERR(other));
	och = vmbus_sim_device_hv(other)->channel;
	KUNIT_EXPECT_EQ(test, PTR_ERR(vmbus_sim_gpadl_get(other, a.gpadl_handle)),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, vmbus_teardown_gpadl(och, &a), -EINVAL);
	vmbus_sim_device_remove(other);

	KUNIT_EXPECT_EQ(test, vmbus_teardown_gpadl(ctx->hv->channel, &a), 0);
	KUNIT_EXPECT_EQ(test, vmbus_teardown_gpadl(ctx->hv->channel, &b), 0);
}

/*
 * Send a GPA-direct packet with two ranges of @buf: 5000 bytes from offset
 * 100 of page 0 (two pages) and 300 bytes of page 2.  The range count
 * written into the descriptor is @cnt.
 */
static int vst_send_mpb(struct vmbus_channel *ch, u8 *buf, u32 cnt)
{
	u64 raw[8] = {};	/* 32-byte header + 16 + 16 */
	struct vmbus_packet_mpb_array *mpb = (void *)raw;
	struct hv_mpb_array *r1;
	u32 msg = 0xabcd;

	mpb->rangecount = cnt;
	mpb->range.offset = 100;
	mpb->range.len = 5000;
	mpb->range.pfn_array[0] = virt_to_hvpfn(buf);
	mpb->range.pfn_array[1] = virt_to_hvpfn(buf + PAGE_SIZE);
	r1 = (void *)&mpb->range.pfn_array[2];
	r1->offset = 0;
	r1->len = 300;
	r1->pfn_array[0] = virt_to_hvpfn(buf + 2 * PAGE_SIZE);
	return vmbus_sendpacket_mpb_desc(ch, mpb, sizeof(raw), &msg,
					 sizeof(msg), 0x55);
}

static void vst_gpa_direct(struct kunit *test)
{
	struct vst_ctx *ctx = test->priv;
	u64 bad_pfn = U64_MAX >> 13;
	struct vmbus_channel *ch;
	u8 tmp[8];
	u8 *buf;
	u32 i;

	KUNIT_ASSERT_EQ(test, vst_offer(ctx, NULL), 0);
	ch = ctx->hv->channel;
	KUNIT_ASSERT_EQ(test, vst_open(ctx, ch, HV_CALL_ISR), 0);
	buf = vmalloc(3 * PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < 3 * PAGE_SIZE; i++)
		buf[i] = i * 7;

	KUNIT_ASSERT_EQ(test, vst_send_mpb(ch, buf, 2), 0);
	KUNIT_ASSERT_TRUE(test, vst_wait(&ctx->host_rx));
	KUNIT_EXPECT_EQ(test, ctx->last.type, VM_PKT_DATA_USING_GPA_DIRECT);
	KUNIT_EXPECT_EQ(test, ctx->last.flags,
			VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED);
	KUNIT_EXPECT_EQ(test, ctx->last.trans_id, 0x55);
	KUNIT_EXPECT_EQ(test, ctx->last.range_cnt, 2);
	KUNIT_EXPECT_EQ(test, ctx->last.hdr_len, 64 - 16);
	/* Payloads are padded to 8 bytes on the wire. */
	KUNIT_EXPECT_EQ(test, ctx->last.len, 8);
	KUNIT_EXPECT_EQ(test, *(u32 *)ctx->last_data, 0xabcd);
	KUNIT_EXPECT_EQ(test, ctx->gpa_err, 0);
	KUNIT_EXPECT_EQ(test, ctx->last_gpa_len, 5300);
	KUNIT_EXPECT_EQ(test, ctx->last_range.offset, 100);
	KUNIT_EXPECT_EQ(test, ctx->last_range.pfn_count, 2);
	KUNIT_EXPECT_EQ(test, memcmp(ctx->last_gpa, buf + 100, VST_MAX_DATA), 0);

	/* A range count larger than the array is caught. */
	reinit_completion(&ctx->host_rx);
	KUNIT_ASSERT_EQ(test, vst_send_mpb(ch, buf, 3), 0);
	KUNIT_ASSERT_TRUE(test, vst_wait(&ctx->host_rx));
	KUNIT_EXPECT_EQ(test, ctx->last.range_cnt, 3);
	KUNIT_EXPECT_EQ(test, ctx->gpa_err, -EBADMSG);
	KUNIT_EXPECT_EQ(test, ctx->last_gpa_len, 0);

	/* Page-number reads: bounds and non-RAM page numbers. */
	KUNIT_EXPECT_EQ(test, vmbus_sim_copy_from_pfns(&bad_pfn, 1, 0, tmp, 8),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, vmbus_sim_copy_from_pfns(&bad_pfn, 1,
						       HV_HYP_PAGE_SIZE - 4,
						       tmp, 8), -EINVAL);
	vfree(buf);
}

static struct kunit_case vst_gpadl_cases[] = {
	KUNIT_CASE(vst_gpadl_vmalloc),
	KUNIT_CASE(vst_gpadl_handles),
	KUNIT_CASE(vst_gpa_direct),
	{}
};

static struct kunit_suite vst_gpadl_suite = {
	.name = "vmbus_sim_gpadl",
	.init = vst_init,
	.exit = vst_exit,
	.test_cases = vst_gpadl_cases,
};

static void vst_offer_probe(struct kunit *test)
{
	struct vmbus_sim_offer_params p = {};
	struct vst_ctx *ctx = test->priv;
	struct vmbus_sim_chan *hc;
	char path[128], buf[64];

	KUNIT_ASSERT_EQ(test, vst_offer(ctx, NULL), 0);
	hc = vst_primary(ctx);
	KUNIT_EXPECT_PTR_EQ(test, vmbus_sim_device_hv(ctx->dev), ctx->hv);
	KUNIT_EXPECT_TRUE(test, guid_equal(&ctx->hv->dev_type, &vst_class_guid));
	KUNIT_EXPECT_PTR_EQ(test, vmbus_sim_chan_guest(hc), ctx->hv->channel);
	KUNIT_EXPECT_EQ(test, ctx->hv->channel->offermsg.child_relid,
			vmbus_sim_chan_relid(hc));
	KUNIT_EXPECT_EQ(test, ctx->hv->channel->state, CHANNEL_OPEN_STATE);
	KUNIT_EXPECT_EQ(test, vmbus_sim_chan_index(hc), 0);
	KUNIT_EXPECT_EQ(test, vmbus_sim_device_num_chans(ctx->dev), 1);
	KUNIT_EXPECT_FALSE(test, vmbus_sim_chan_is_open(hc));

	/* What lsvmbus and udev read. */
	snprintf(path, sizeof(path), "/sys/bus/vmbus/devices/%pUl/class_id",
		 &ctx->hv->dev_instance);
	KUNIT_EXPECT_GT(test, vst_read_sysfs(path, buf, sizeof(buf)), 0);
	KUNIT_EXPECT_STREQ(test, buf, "{b9d2a6c0-5f3e-4c1a-9e57-6d2f8a1c0b42}\n");
	snprintf(path, sizeof(path), "/sys/bus/vmbus/devices/%pUl/modalias",
		 &ctx->hv->dev_instance);
	KUNIT_EXPECT_GT(test, vst_read_sysfs(path, buf, sizeof(buf)), 0);
	KUNIT_EXPECT_STREQ(test, buf, "vmbus:c0a6d2b93e5f1a4c9e576d2f8a1c0b42\n");
	snprintf(path, sizeof(path),
		 "/sys/bus/vmbus/devices/%pUl/channels/%u/cpu",
		 &ctx->hv->dev_instance, vmbus_sim_chan_relid(hc));
	KUNIT_EXPECT_GT(test, vst_read_sysfs(path, buf, sizeof(buf)), 0);

	KUNIT_ASSERT_EQ(test, vst_open(ctx, ctx->hv->channel, HV_CALL_ISR), 0);
	KUNIT_EXPECT_TRUE(test, vmbus_sim_chan_is_open(hc));
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->opens), 1);

	/* The same instance cannot be offered twice; bad parameters. */
	p.class_id = &vst_class_guid;
	p.instance_id = &ctx->hv->dev_instance;
	KUNIT_EXPECT_EQ(test, PTR_ERR(vmbus_sim_offer(&p)), -EINVAL);
	p.ops = &vst_nop_ops;
	KUNIT_EXPECT_EQ(test, PTR_ERR(vmbus_sim_offer(&p)), -EEXIST);
}

static void vst_open_refused(struct kunit *test)
{
	struct vst_ctx *ctx = test->priv;
	struct vmbus_channel *ch;

	ctx->refuse_open = true;
	KUNIT_ASSERT_EQ(test, vst_offer(ctx, NULL), 0);
	ch = ctx->hv->channel;
	KUNIT_EXPECT_EQ(test, vst_open(ctx, ch, HV_CALL_ISR), -EAGAIN);
	KUNIT_EXPECT_EQ(test, ch->state, CHANNEL_OPEN_STATE);
	KUNIT_EXPECT_NULL(test, ch->outbound.ring_buffer);
	ctx->refuse_open = false;
	KUNIT_EXPECT_EQ(test, vst_open(ctx, ch, HV_CALL_ISR), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->opens), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->closes), 0);
}

/* Wait until the sc-create callback ran @n times in total. */
static bool vst_wait_sc(struct vst_ctx *ctx, int n)
{
	while (atomic_read(&ctx->sc_count) < n)
		if (!vst_wait(&ctx->sc_done))
			return false;
	return true;
}

static void vst_wait_closes(struct vst_ctx *ctx, int n)
{
	int i;

	for (i = 0; i < 200 && atomic_read(&ctx->closes) < n; i++)
		msleep(20);
}

static void vst_subchannels(struct kunit *test)
{
	struct vmbus_channel *primary, *old1;
	struct vst_ctx *ctx = test->priv;
	struct vmbus_sim_chan *hc2;
	int i;

	ctx->open_subchannels = true;
	ctx->offer_task = current;
	KUNIT_ASSERT_EQ(test, vst_offer(ctx, NULL), 0);
	primary = ctx->hv->channel;
	vmbus_set_sc_create_callback(primary, vst_sc_cb);
	KUNIT_ASSERT_EQ(test, vst_open(ctx, primary, HV_CALL_ISR), 0);

	KUNIT_ASSERT_EQ(test, vmbus_sim_offer_subchannels(ctx->dev, 3), 3);
	KUNIT_EXPECT_EQ(test, vmbus_sim_device_num_chans(ctx->dev), 4);
	KUNIT_ASSERT_TRUE(test, vst_wait_sc(ctx, 3));
	KUNIT_EXPECT_FALSE(test, ctx->sc_in_caller);
	for (i = 1; i <= 3; i++) {
		KUNIT_ASSERT_NOT_NULL(test, ctx->sc[i]);
		KUNIT_EXPECT_EQ(test, ctx->sc[i]->offermsg.offer.sub_channel_index, i);
		KUNIT_EXPECT_PTR_EQ(test, ctx->sc[i]->primary_channel, primary);
		KUNIT_EXPECT_EQ(test, ctx->sc[i]->state, CHANNEL_OPENED_STATE);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->opens), 4);
	if (num_online_cpus() > 1)
		KUNIT_EXPECT_NE(test, ctx->sc[1]->target_cpu, primary->target_cpu);

	/* Rescind subchannel 2: the driver's callback, then -ENODEV. */
	vmbus_set_chn_rescind_callback(ctx->sc[2], vst_rescind_cb);
	hc2 = vmbus_sim_device_chan(ctx->dev, 2);
	KUNIT_ASSERT_NOT_NULL(test, hc2);
	vmbus_sim_rescind(hc2);
	vmbus_sim_rescind(hc2);
	KUNIT_EXPECT_EQ(test, vst_send_seq(ctx->sc[2], 0, 8), -ENODEV);
	KUNIT_EXPECT_EQ(test, vmbus_sim_send_comp(hc2, 1, NULL, 0), -ENODEV);
	KUNIT_ASSERT_TRUE(test, vst_wait(&ctx->rescind_done));
	KUNIT_EXPECT_PTR_EQ(test, ctx->rescinded, ctx->sc[2]);
	KUNIT_EXPECT_NULL(test, vmbus_sim_device_chan(ctx->dev, 2));
	KUNIT_EXPECT_EQ(test, vmbus_sim_device_num_chans(ctx->dev), 4);
	vst_wait_closes(ctx, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->closes), 1);

	/* Closing the primary closes and drops all subchannels. */
	old1 = ctx->sc[1];
	vmbus_close(primary);
	vmbus_sim_flush();
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->closes), 4);
	KUNIT_EXPECT_EQ(test, vmbus_sim_device_num_chans(ctx->dev), 1);
	KUNIT_EXPECT_TRUE(test, list_empty(&primary->sc_list));

	/* A new allocation starts again at index 1. */
	KUNIT_ASSERT_EQ(test, vst_open(ctx, primary, HV_CALL_ISR), 0);
	vmbus_set_sc_create_callback(primary, vst_sc_cb);
	KUNIT_ASSERT_EQ(test, vmbus_sim_offer_subchannels(ctx->dev, 2), 2);
	KUNIT_ASSERT_TRUE(test, vst_wait_sc(ctx, 5));
	KUNIT_EXPECT_PTR_NE(test, ctx->sc[1], old1);
	KUNIT_EXPECT_EQ(test, ctx->sc[1]->offermsg.offer.sub_channel_index, 1);
	KUNIT_EXPECT_EQ(test, ctx->sc[2]->offermsg.offer.sub_channel_index, 2);
	KUNIT_EXPECT_EQ(test, vmbus_sim_device_num_chans(ctx->dev), 3);
}

static void vst_hot_remove(struct kunit *test)
{
	struct vst_ctx *ctx = test->priv;
	struct vmbus_sim_device *dev;
	struct vmbus_channel *ch;
	char path[96], buf[8];
	u32 val = 0;

	ctx->open_subchannels = true;
	KUNIT_ASSERT_EQ(test, vst_offer(ctx, NULL), 0);
	ch = ctx->hv->channel;
	vmbus_set_sc_create_callback(ch, vst_sc_cb);
	KUNIT_ASSERT_EQ(test, vst_open(ctx, ch, HV_CALL_ISR), 0);
	KUNIT_ASSERT_EQ(test, vmbus_sim_offer_subchannels(ctx->dev, 1), 1);
	KUNIT_ASSERT_TRUE(test, vst_wait_sc(ctx, 1));
	snprintf(path, sizeof(path), "/sys/bus/vmbus/devices/%pUl/id",
		 &ctx->hv->dev_instance);
	KUNIT_EXPECT_GT(test, vst_read_sysfs(path, buf, sizeof(buf)), 0);

	/* Keep the memory while we poke at the rescinded channel. */
	dev = ctx->dev;
	vmbus_sim_device_get(dev);
	vmbus_sim_rescind(vst_primary(ctx));
	KUNIT_EXPECT_TRUE(test, vmbus_sim_chan_is_rescinded(vst_primary(ctx)));
	KUNIT_EXPECT_EQ(test, vmbus_sendpacket(ch, &val, 4, 0,
					       VM_PKT_DATA_INBAND, 0), -ENODEV);
	KUNIT_EXPECT_EQ(test, vmbus_sim_send_inband(vst_primary(ctx), 0, false,
						    &val, 4), -ENODEV);
	KUNIT_EXPECT_EQ(test, vmbus_sim_offer_subchannels(dev, 1), -ENODEV);
	/* The driver's remove() runs: hot remove. */
	KUNIT_EXPECT_TRUE(test, vst_wait(&ctx->removed));
	vst_remove(ctx);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->closes), 2);
	KUNIT_EXPECT_EQ(test, vst_read_sysfs(path, buf, sizeof(buf)), -ENOENT);
	vmbus_sim_device_put(dev);

	/* The instance is free again. */
	reinit_completion(&ctx->probed);
	KUNIT_EXPECT_EQ(test, vst_offer(ctx, NULL), 0);
}

/* Echo traffic on four channels at once: host works run in parallel. */
static void vst_parallel_echo(struct kunit *test)
{
	struct vst_ctx *ctx = test->priv;
	struct vmbus_sim_chan_stats st;
	u32 i, c, total = 0;
	const u32 n = 100;
	int ret;

	ctx->open_subchannels = true;
	ctx->echo = true;
	ctx->guest_drain = true;
	KUNIT_ASSERT_EQ(test, vst_offer(ctx, NULL), 0);
	ctx->sc[0] = ctx->hv->channel;
	vmbus_set_sc_create_callback(ctx->sc[0], vst_sc_cb);
	KUNIT_ASSERT_EQ(test, vst_open(ctx, ctx->sc[0], HV_CALL_ISR), 0);
	KUNIT_ASSERT_EQ(test, vmbus_sim_offer_subchannels(ctx->dev, 3), 3);
	KUNIT_ASSERT_TRUE(test, vst_wait_sc(ctx, 3));

	for (i = 0; i < n; i++) {
		for (c = 0; c < 4; c++) {
			do {
				ret = vst_send_seq(ctx->sc[c], i, 32);
				if (ret == -EAGAIN)
					usleep_range(100, 200);
			} while (ret == -EAGAIN);
			KUNIT_ASSERT_EQ(test, ret, 0);
		}
	}
	for (i = 0; i < 500 && READ_ONCE(ctx->guest_pkts) < 4 * n; i++)
		msleep(20);
	total = READ_ONCE(ctx->guest_pkts);
	KUNIT_EXPECT_EQ(test, total, 4 * n);
	total = 0;
	for (c = 0; c < 4; c++) {
		vmbus_sim_chan_get_stats(vmbus_sim_device_chan(ctx->dev, c), &st);
		KUNIT_EXPECT_EQ(test, st.rx_packets, n);
		KUNIT_EXPECT_EQ(test, st.tx_packets, n);
		total += ctx->sc[c]->interrupts ? 1 : 0;
	}
	KUNIT_EXPECT_EQ(test, total, 4);
}

static struct kunit_case vst_life_cases[] = {
	KUNIT_CASE(vst_offer_probe),
	KUNIT_CASE(vst_open_refused),
	KUNIT_CASE(vst_subchannels),
	KUNIT_CASE(vst_hot_remove),
	KUNIT_CASE(vst_parallel_echo),
	{}
};

static struct kunit_suite vst_life_suite = {
	.name = "vmbus_sim_lifecycle",
	.init = vst_init,
	.exit = vst_exit,
	.test_cases = vst_life_cases,
};

kunit_test_suites(&vst_gpadl_suite, &vst_life_suite);
