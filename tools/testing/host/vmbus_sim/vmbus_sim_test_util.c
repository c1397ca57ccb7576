// SPDX-License-Identifier: GPL-2.0
/*
 * vmbus_sim KUnit tests - the fixture: a test hv_driver (guest side) and
 * an echo device provider (host side) that record what they see.
 */

#include <linux/fs.h>
#include <linux/delay.h>
#include <linux/hardirq.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "vmbus_sim_test.h"

/* A class GUID no real driver matches. */
const guid_t vst_class_guid = GUID_INIT(0xb9d2a6c0, 0x5f3e, 0x4c1a, 0x9e, 0x57,
					0x6d, 0x2f, 0x8a, 0x1c, 0x0b, 0x42);

/* The fixture of the running test (KUnit runs tests one at a time). */
static struct vst_ctx *vst_cur;

static void vst_record_host(struct vst_ctx *ctx, const struct vmbus_sim_pkt *pkt)
{
	u32 seq;

	ctx->last = *pkt;
	memcpy(ctx->last_data, pkt->data, min_t(u32, pkt->len, VST_MAX_DATA));
	ctx->last_gpa_len = vmbus_sim_pkt_gpa_len(pkt);
	ctx->gpa_err = 0;
	if (pkt->range_cnt) {
		ctx->gpa_err = vmbus_sim_pkt_gpa_range(pkt, pkt->range_cnt - 1,
						       &ctx->last_range);
		vmbus_sim_pkt_gpa_range(pkt, 0, &ctx->last_range);
		vmbus_sim_pkt_copy_from_gpa(pkt, 0, ctx->last_gpa,
					    min_t(u32, ctx->last_gpa_len,
						  VST_MAX_DATA));
	}
	/* Inband test payloads start with a sequence number. */
	if (pkt->type == VM_PKT_DATA_INBAND && pkt->len >= sizeof(seq)) {
		memcpy(&seq, pkt->data, sizeof(seq));
		if (seq != ctx->next_seq)
			ctx->seq_errors++;
		ctx->next_seq = seq + 1;
	}
	ctx->host_pkts++;
}

static int vst_echo_one(struct vmbus_sim_chan *chan,
			const struct vmbus_sim_pkt *pkt)
{
	if (pkt->flags & VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED)
		return vmbus_sim_send_comp(chan, pkt->trans_id, pkt->data,
					   pkt->len);
	if (pkt->type == VM_PKT_DATA_INBAND)
		return vmbus_sim_send_inband(chan, pkt->trans_id, false,
					     pkt->data, pkt->len);
	return 0;
}

/* Echo a packet back; if the guest's ring is full, wait for room once. */
static void vst_echo(struct vmbus_sim_chan *chan, const struct vmbus_sim_pkt *pkt)
{
	if (vst_echo_one(chan, pkt) != -EAGAIN)
		return;
	if (!vmbus_sim_wait_space(chan, 16 + pkt->len + 8, VST_TIMEOUT))
		vst_echo_one(chan, pkt);
}

static void vst_host_rx(struct vmbus_sim_chan *chan)
{
	struct vst_ctx *ctx = vmbus_sim_device_priv(vmbus_sim_chan_device(chan));
	struct vmbus_sim_pkt pkt;
	int ret;

	atomic_inc(&ctx->rx_calls);
	while (!READ_ONCE(ctx->sink)) {
		ret = vmbus_sim_recv(chan, &pkt);
		if (ret) {
			if (ret != -EAGAIN && !ctx->host_err)
				ctx->host_err = ret;
			break;
		}
		vst_record_host(ctx, &pkt);
		if (READ_ONCE(ctx->echo))
			vst_echo(chan, &pkt);
	}
	complete(&ctx->host_rx);
}

static int vst_host_open(struct vmbus_sim_chan *chan)
{
	struct vst_ctx *ctx = vmbus_sim_device_priv(vmbus_sim_chan_device(chan));

	atomic_inc(&ctx->opens);
	return READ_ONCE(ctx->refuse_open) ? -EPERM : 0;
}

static void vst_host_close(struct vmbus_sim_chan *chan)
{
	struct vst_ctx *ctx = vmbus_sim_device_priv(vmbus_sim_chan_device(chan));

	atomic_inc(&ctx->closes);
}

static void vst_host_space(struct vmbus_sim_chan *chan)
{
	struct vst_ctx *ctx = vmbus_sim_device_priv(vmbus_sim_chan_device(chan));

	atomic_inc(&ctx->spaces);
	complete(&ctx->space);
}

static const struct vmbus_sim_ops vst_ops = {
	.open = vst_host_open,
	.close = vst_host_close,
	.rx = vst_host_rx,
	.space = vst_host_space,
};

/**
 * vst_guest_drain() - read every host->guest packet like a driver would
 * @ctx: fixture
 * @ch: guest channel
 *
 * A host write racing with the read-index update raises no interrupt
 * (the ring did not look empty to the host), so check again after the
 * iteration is closed, as every VMBus driver does.
 */
void vst_guest_drain(struct vst_ctx *ctx, struct vmbus_channel *ch)
{
	const struct vmpacket_descriptor *desc;
	unsigned long flags;

	spin_lock_irqsave(&ctx->lock, flags);
	do {
		foreach_vmbus_pkt(desc, ch) {
			ctx->guest_pkts++;
			ctx->guest_type = desc->type;
			ctx->guest_tid = desc->trans_id;
			ctx->guest_len = hv_pkt_datalen(desc);
			memcpy(ctx->guest_data, hv_pkt_data(desc),
			       min_t(u32, ctx->guest_len, VST_MAX_DATA));
		}
	} while (hv_get_bytes_to_read(&ch->inbound));
	spin_unlock_irqrestore(&ctx->lock, flags);
}

static void vst_guest_cb(void *context)
{
	struct vmbus_channel *ch = context;
	struct vst_ctx *ctx = vst_cur;

	if (!ctx)
		return;
	ctx->irq_at = ktime_get();
	ctx->irq_cpu = smp_processor_id();
	ctx->irq_hard = in_hardirq();
	ctx->irq_soft = in_serving_softirq();
	if (READ_ONCE(ctx->guest_drain))
		vst_guest_drain(ctx, ch);
	atomic_inc(&ctx->guest_irqs);
	complete(&ctx->guest_irq);
}

/**
 * vst_open() - open a guest channel with the small test rings
 * @ctx: fixture
 * @ch: channel
 * @mode: callback mode
 *
 * Return: what vmbus_open() returned.
 */
int vst_open(struct vst_ctx *ctx, struct vmbus_channel *ch,
	     enum hv_callback_mode mode)
{
	set_channel_read_mode(ch, mode);
	return vmbus_open(ch, VST_RING_SIZE, VST_RING_SIZE, NULL, 0,
			  vst_guest_cb, ch);
}

/**
 * vst_sc_cb() - sc-create callback of the test driver
 * @sc: the new subchannel
 */
void vst_sc_cb(struct vmbus_channel *sc)
{
	u16 idx = sc->offermsg.offer.sub_channel_index;
	struct vst_ctx *ctx = vst_cur;

	if (!ctx)
		return;
	if (current == ctx->offer_task)
		ctx->sc_in_caller = true;
	if (idx <= VST_MAX_SC)
		ctx->sc[idx] = sc;
	if (ctx->open_subchannels)
		vst_open(ctx, sc, HV_CALL_ISR);
	atomic_inc(&ctx->sc_count);
	complete(&ctx->sc_done);
}

/**
 * vst_rescind_cb() - channel rescind callback of the test driver
 * @ch: the rescinded channel
 */
void vst_rescind_cb(struct vmbus_channel *ch)
{
	struct vst_ctx *ctx = vst_cur;

	if (!ctx)
		return;
	ctx->rescinded = ch;
	complete(&ctx->rescind_done);
}

/**
 * vst_read_sysfs() - read a sysfs file into a NUL-terminated buffer
 * @path: file
 * @buf: destination
 * @len: size of @buf
 *
 * Return: bytes read or a negative errno (-ENOENT if it does not exist).
 */
ssize_t vst_read_sysfs(const char *path, char *buf, size_t len)
{
	struct file *f;
	loff_t pos = 0;
	ssize_t n;

	f = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_read(f, buf, len - 1, &pos);
	filp_close(f, NULL);
	buf[n > 0 ? n : 0] = 0;
	return n;
}

/**
 * vst_write_sysfs() - write a string to a sysfs file
 * @path: absolute path
 * @val: what to write
 *
 * Return: 0, or the open or write error (what the store returned).
 */
int vst_write_sysfs(const char *path, const char *val)
{
	struct file *f;
	loff_t pos = 0;
	ssize_t n;

	f = filp_open(path, O_WRONLY, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_write(f, val, strlen(val), &pos);
	filp_close(f, NULL);
	return n < 0 ? n : 0;
}

static int vst_probe(struct hv_device *hv, const struct hv_vmbus_device_id *id)
{
	struct vst_ctx *ctx = vst_cur;

	if (!ctx || !id)
		return -ENODEV;
	hv_set_drvdata(hv, ctx);
	ctx->hv = hv;
	complete(&ctx->probed);
	return 0;
}

static void vst_remove_cb(struct hv_device *hv)
{
	struct vst_ctx *ctx = hv_get_drvdata(hv);

	vmbus_close(hv->channel);
	complete(&ctx->removed);
}

static const struct hv_vmbus_device_id vst_id_table[] = {
	{ .guid = GUID_INIT(0xb9d2a6c0, 0x5f3e, 0x4c1a, 0x9e, 0x57,
			    0x6d, 0x2f, 0x8a, 0x1c, 0x0b, 0x42) },
	{ },
};

static struct hv_driver vst_driver = {
	.name = "vmbus_sim_test",
	.id_table = vst_id_table,
	.probe = vst_probe,
	.remove = vst_remove_cb,
};

/**
 * vst_init() - per-test setup: fixture and test driver
 * @test: test
 *
 * Return: 0 or the error of driver registration.
 */
int vst_init(struct kunit *test)
{
	struct vst_ctx *ctx;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->test = test;
	init_completion(&ctx->probed);
	init_completion(&ctx->removed);
	init_completion(&ctx->guest_irq);
	init_completion(&ctx->host_rx);
	init_completion(&ctx->space);
	init_completion(&ctx->sc_done);
	init_completion(&ctx->rescind_done);
	spin_lock_init(&ctx->lock);
	ctx->irq_cpu = -1;
	test->priv = ctx;
	WRITE_ONCE(vst_cur, ctx);
	return vmbus_driver_register(&vst_driver);
}

/**
 * vst_exit() - per-test teardown: hot-remove the device, drop the driver
 * @test: test
 */
void vst_exit(struct kunit *test)
{
	struct vst_ctx *ctx = test->priv;

	vst_remove(ctx);
	vmbus_driver_unregister(&vst_driver);
	/* a test that set a signalling cost may have failed before resetting it */
	vst_write_sysfs(VST_PARAMS "signal_cost_ns", "0");
	vst_write_sysfs(VST_PARAMS "interrupt_cost_ns", "0");
	WRITE_ONCE(vst_cur, NULL);
}

/**
 * vst_wait() - wait for a completion with the test timeout
 * @c: completion
 *
 * Return: true if it completed.
 */
bool vst_wait(struct completion *c)
{
	return wait_for_completion_timeout(c, VST_TIMEOUT) != 0;
}

/**
 * vst_offer() - offer a test device and wait for the driver's probe
 * @ctx: fixture
 * @instance: instance GUID, NULL for a fixed one
 *
 * Return: 0, the offer's error, or -ETIMEDOUT if probe did not happen.
 */
int vst_offer(struct vst_ctx *ctx, const guid_t *instance)
{
	static const guid_t def = GUID_INIT(0x3c1f0e2a, 0x7d4b, 0x4e61, 0x8a,
					    0x90, 0x15, 0x26, 0x37, 0x48,
					    0x59, 0x6a);
	struct vmbus_sim_offer_params p = {
		.class_id = &vst_class_guid,
		.instance_id = instance ?: &def,
		.ops = &vst_ops,
		.priv = ctx,
		.device_id = HV_UNKNOWN,
		.vendor_id = 0x1414,
		.perf_device = true,
	};
	struct vmbus_sim_device *dev;
	int i;

	dev = vmbus_sim_offer(&p);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	ctx->dev = dev;
	if (!vst_wait(&ctx->probed))
		return -ETIMEDOUT;
	/*
	 * The bus adds the channel directories after the probe returned, as
	 * hv_vmbus does, and says so with probe_done; wait for that too.
	 */
	for (i = 0; i < 250 && !READ_ONCE(ctx->hv->channel->probe_done); i++)
		msleep(20);
	return READ_ONCE(ctx->hv->channel->probe_done) ? 0 : -ETIMEDOUT;
}

/**
 * vst_remove() - hot-remove the test device if it is still there
 * @ctx: fixture
 */
void vst_remove(struct vst_ctx *ctx)
{
	if (!ctx->dev)
		return;
	vmbus_sim_device_remove(ctx->dev);
	ctx->dev = NULL;
	ctx->hv = NULL;
}

/**
 * vst_primary() - host handle of the primary channel
 * @ctx: fixture with an offered device
 *
 * Return: the channel.
 */
struct vmbus_sim_chan *vst_primary(struct vst_ctx *ctx)
{
	return vmbus_sim_device_chan(ctx->dev, 0);
}

/**
 * vst_stats() - host counters of the primary channel
 * @ctx: fixture
 * @st: filled in
 */
void vst_stats(struct vst_ctx *ctx, struct vmbus_sim_chan_stats *st)
{
	vmbus_sim_chan_get_stats(vst_primary(ctx), st);
}

/**
 * vst_send_seq() - guest sends an inband packet carrying a sequence number
 * @ch: channel
 * @seq: sequence number (first 4 bytes), rest is a pattern
 * @len: payload length, at least 4 and at most %VST_MAX_DATA
 *
 * Return: what vmbus_sendpacket() returned.
 */
int vst_send_seq(struct vmbus_channel *ch, u32 seq, u32 len)
{
	u8 buf[VST_MAX_DATA];
	u32 i;

	memcpy(buf, &seq, sizeof(seq));
	for (i = sizeof(seq); i < len; i++)
		buf[i] = (u8)(seq + i);
	return vmbus_sendpacket(ch, buf, len, seq, VM_PKT_DATA_INBAND, 0);
}

MODULE_DESCRIPTION("KUnit tests for the vmbus_sim software VMBus");
MODULE_LICENSE("GPL");
