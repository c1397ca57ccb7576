// SPDX-License-Identifier: GPL-2.0
/*
 * vmbus_sim guest memory: GPADLs (guest buffers the host may access by
 * handle) and guest page numbers carried in GPA-direct packets.
 *
 * Guest and host share one kernel here, so a GPADL is simply the list of
 * pages behind the guest's buffer.  The host never trusts an offset or a
 * length: every access is bounds-checked against the GPADL or the ranges
 * of the packet, and page numbers must name memory with a struct page.
 */

#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "vmbus_sim_internal.h"

static u32 vmbus_sim_next_gpadl;

static void vmbus_sim_gpadl_free(struct vmbus_sim_gpadl *g)
{
	u32 i;

	if (g->shared)
		vmbus_sim_share_pages(g->pages, g->nr_pages, false);
	for (i = 0; g->page_refs && i < g->nr_pages; i++)
		put_page(g->pages[i]);
	kvfree(g->pages);
	kfree(g);
}

/* Find the pages of a guest buffer; vmalloc'd pages get a reference. */
static int vmbus_sim_gpadl_pages(struct vmbus_sim_gpadl *g)
{
	bool vmalloced = is_vmalloc_addr(g->buffer);
	u8 *start = (u8 *)g->buffer - g->first_off;
	u32 i;

	g->pages = kvcalloc(g->nr_pages, sizeof(*g->pages), GFP_KERNEL);
	if (!g->pages)
		return -ENOMEM;
	g->page_refs = vmalloced;
	for (i = 0; i < g->nr_pages; i++) {
		void *va = start + (size_t)i * PAGE_SIZE;

		if (vmalloced)
			g->pages[i] = vmalloc_to_page(va);
		else if (virt_addr_valid(va))
			g->pages[i] = virt_to_page(va);
		else
			g->pages[i] = NULL;
		if (!g->pages[i])
			goto err;
		if (vmalloced)
			get_page(g->pages[i]);
	}
	return 0;

err:
	g->nr_pages = i;
	return -EINVAL;
}

/**
 * vmbus_establish_gpadl() - make a guest buffer known to the host
 * @channel: channel of the device that will use the buffer
 * @kbuffer: vmalloc'd or directly mapped (kmalloc, page allocator) buffer
 * @size: size in bytes
 * @gpadl: receives handle, buffer and size; decrypted is set in isolation
 *	mode (the pages are host-visible now, as after hv_vmbus's
 *	set_memory_decrypted()), false otherwise
 *
 * The host may hold the answer back (vmbus_sim_dev_hold()).
 *
 * Return: 0, -EINVAL for an empty or unmapped buffer, -ENODEV if the
 * channel was rescinded, -ENOMEM, -ENOSPC when out of handles, -EDQUOT
 * when the host refused it (vmbus_sim_dev_refuse_gpadl()).
 */
int vmbus_establish_gpadl(struct vmbus_channel *channel, void *kbuffer,
			  u32 size, struct vmbus_gpadl *gpadl)
{
	struct vmbus_sim_chan *chan = to_sim_chan(channel);
	struct vmbus_sim_gpadl *g;
	u32 handle;
	int ret;

	if (!kbuffer || !size)
		return -EINVAL;
	if (READ_ONCE(channel->rescind))
		return -ENODEV;
	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return -ENOMEM;
	g->dev = chan->dev;
	g->buffer = kbuffer;
	g->size = size;
	g->first_off = offset_in_page(kbuffer);
	g->nr_pages = DIV_ROUND_UP((u64)g->first_off + size, PAGE_SIZE);
	ret = vmbus_sim_gpadl_pages(g);
	if (ret)
		goto err_free;
	if (vmbus_sim_isolated()) {
		ret = vmbus_sim_share_pages(g->pages, g->nr_pages, true);
		if (ret)
			goto err_free;
		g->shared = true;
	}
	ret = vmbus_sim_hold_wait(chan, &chan->dev->hold_gpadl,
				  VMBUS_SIM_HOLD_ESTABLISH, "GPADL establish");
	if (ret)
		goto err_free;
	if (atomic_dec_if_positive(&chan->dev->refuse_gpadl) >= 0) {
		/* hv_vmbus's line, STATUS_INSUFFICIENT_RESOURCES as status */
		pr_err("Failed to establish GPADL: err = 0x%x\n", 0xc000009a);
		ret = -EDQUOT;
		goto err_free;
	}

	ret = xa_alloc_cyclic_irq(&vmbus_sim.gpadls, &handle, g,
				  XA_LIMIT(1, U32_MAX), &vmbus_sim_next_gpadl,
				  GFP_KERNEL);
	if (ret < 0) {
		ret = ret == -EBUSY ? -ENOSPC : ret;
		goto err_free;
	}
	g->handle = handle;
	gpadl->gpadl_handle = handle;
	gpadl->buffer = kbuffer;
	gpadl->size = size;
	gpadl->decrypted = g->shared;
	return 0;

err_free:
	vmbus_sim_gpadl_free(g);
	return ret;
}
EXPORT_SYMBOL_GPL(vmbus_establish_gpadl);

/**
 * vmbus_teardown_gpadl() - revoke the host's access to a guest buffer
 * @channel: a channel of the device that established it
 * @gpadl: as filled in by vmbus_establish_gpadl(); its handle is cleared
 *
 * In isolation mode a successful teardown re-encrypts the pages and clears
 * @gpadl->decrypted, unless the fault_reencrypt knob makes that fail: the
 * flag then stays set and the caller must leak the buffer, as with
 * hv_vmbus.  A failed teardown leaves the flag as it was.
 *
 * Return: 0; -EINVAL for a handle that is 0 (already torn down), unknown,
 * or belongs to another device; -EBUSY while the host has it pinned (the
 * guest must not free the buffer then).
 */
int vmbus_teardown_gpadl(struct vmbus_channel *channel,
			 struct vmbus_gpadl *gpadl)
{
	struct vmbus_sim_device *dev = to_sim_chan(channel)->dev;
	struct vmbus_sim_gpadl *g;
	unsigned long flags;
	int ret = 0;

	if (!gpadl->gpadl_handle)
		return -EINVAL;
	/* a rescind ends the wait; the teardown then goes on */
	vmbus_sim_hold_wait(to_sim_chan(channel), &dev->hold_gpadl,
			    VMBUS_SIM_HOLD_TEARDOWN, "GPADL teardown");
	xa_lock_irqsave(&vmbus_sim.gpadls, flags);
	g = xa_load(&vmbus_sim.gpadls, gpadl->gpadl_handle);
	if (!g || g->dev != dev)
		ret = -EINVAL;
	else if (g->pins)
		ret = -EBUSY;
	else
		__xa_erase(&vmbus_sim.gpadls, g->handle);
	xa_unlock_irqrestore(&vmbus_sim.gpadls, flags);
	if (ret)
		return ret;
	gpadl->gpadl_handle = 0;
	if (g->shared)
		gpadl->decrypted = vmbus_sim_fault_reencrypt();
	vmbus_sim_gpadl_free(g);
	return 0;
}
EXPORT_SYMBOL_GPL(vmbus_teardown_gpadl);

struct vmbus_sim_gpadl *vmbus_sim_gpadl_get(struct vmbus_sim_device *dev,
					    u32 handle)
{
	struct vmbus_sim_gpadl *g;
	unsigned long flags;

	xa_lock_irqsave(&vmbus_sim.gpadls, flags);
	g = xa_load(&vmbus_sim.gpadls, handle);
	if (g && g->dev == dev)
		g->pins++;
	else
		g = NULL;
	xa_unlock_irqrestore(&vmbus_sim.gpadls, flags);
	return g ?: ERR_PTR(-ENOENT);
}
EXPORT_SYMBOL_GPL(vmbus_sim_gpadl_get);

void vmbus_sim_gpadl_put(struct vmbus_sim_gpadl *gpadl)
{
	unsigned long flags;

	xa_lock_irqsave(&vmbus_sim.gpadls, flags);
	if (!WARN_ON_ONCE(!gpadl->pins))
		gpadl->pins--;
	xa_unlock_irqrestore(&vmbus_sim.gpadls, flags);
}
EXPORT_SYMBOL_GPL(vmbus_sim_gpadl_put);

u32 vmbus_sim_gpadl_size(const struct vmbus_sim_gpadl *gpadl)
{
	return gpadl->size;
}
EXPORT_SYMBOL_GPL(vmbus_sim_gpadl_size);

static bool vmbus_sim_span_ok(u32 size, u32 offset, u32 len)
{
	return offset <= size && len <= size - offset;
}

/* Copy between a host buffer and a GPADL, page by page. */
static void vmbus_sim_gpadl_copy(const struct vmbus_sim_gpadl *g, u32 offset,
				 void *host, u32 len, bool to_guest)
{
	u64 pos = (u64)g->first_off + offset;
	u8 *h = host;

	while (len) {
		u32 in_page = offset_in_page(pos);
		u32 chunk = min_t(u32, len, PAGE_SIZE - in_page);
		u8 *va = kmap_local_page(g->pages[pos >> PAGE_SHIFT]);

		if (to_guest)
			memcpy(va + in_page, h, chunk);
		else
			memcpy(h, va + in_page, chunk);
		kunmap_local(va);
		pos += chunk;
		h += chunk;
		len -= chunk;
	}
}

int vmbus_sim_gpadl_read(const struct vmbus_sim_gpadl *gpadl, u32 offset,
			 void *dst, u32 len)
{
	if (!vmbus_sim_span_ok(gpadl->size, offset, len))
		return -EINVAL;
	vmbus_sim_gpadl_copy(gpadl, offset, dst, len, false);
	return 0;
}
EXPORT_SYMBOL_GPL(vmbus_sim_gpadl_read);

int vmbus_sim_gpadl_write(const struct vmbus_sim_gpadl *gpadl, u32 offset,
			  const void *src, u32 len)
{
	if (!vmbus_sim_span_ok(gpadl->size, offset, len))
		return -EINVAL;
	vmbus_sim_gpadl_copy(gpadl, offset, (void *)src, len, true);
	return 0;
}
EXPORT_SYMBOL_GPL(vmbus_sim_gpadl_write);

void *vmbus_sim_gpadl_ptr(const struct vmbus_sim_gpadl *gpadl, u32 offset,
			  u32 len)
{
	if (!vmbus_sim_span_ok(gpadl->size, offset, len))
		return NULL;
	return (u8 *)gpadl->buffer + offset;
}
EXPORT_SYMBOL_GPL(vmbus_sim_gpadl_ptr);

int vmbus_sim_copy_from_pfns(const u64 *pfns, u32 pfn_count, u32 offset,
			     void *dst, u32 len)
{
	u64 pos = offset;
	u8 *d = dst;

	if ((u64)offset + len > (u64)pfn_count * HV_HYP_PAGE_SIZE)
		return -EINVAL;
	while (len) {
		u64 idx = pos >> HV_HYP_PAGE_SHIFT;
		u32 in_hvpage = pos & (HV_HYP_PAGE_SIZE - 1);
		u32 chunk = min_t(u32, len, HV_HYP_PAGE_SIZE - in_hvpage);
		phys_addr_t pa = ((phys_addr_t)pfns[idx] << HV_HYP_PAGE_SHIFT) +
				 in_hvpage;
		unsigned long pfn = PHYS_PFN(pa);
		u8 *va;

		if (pfns[idx] >> (63 - HV_HYP_PAGE_SHIFT) || !pfn_valid(pfn))
			return -EFAULT;
		if (!vmbus_sim_host_may_read(pa))
			return -EACCES;
		va = kmap_local_page(pfn_to_page(pfn));
		memcpy(d, va + offset_in_page(pa), chunk);
		kunmap_local(va);
		pos += chunk;
		d += chunk;
		len -= chunk;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(vmbus_sim_copy_from_pfns);

/*
 * Walk the range array of a GPA-direct packet: [u32 reserved][u32 count]
 * then per range {u32 len, u32 offset, u64 pfn[HVPFN_UP(offset + len)]}.
 * Fills @range with range @idx; -EBADMSG if the array does not fit.
 */
static int vmbus_sim_walk_ranges(const struct vmbus_sim_pkt *pkt, u32 idx,
				 struct vmbus_sim_gpa_range *range)
{
	const u8 *end = (const u8 *)pkt->hdr + pkt->hdr_len;
	const u8 *p = (const u8 *)pkt->hdr + 8;
	u32 i;

	if (pkt->type != VM_PKT_DATA_USING_GPA_DIRECT || idx >= pkt->range_cnt)
		return -EINVAL;
	for (i = 0; i <= idx; i++) {
		const u32 *words = (const u32 *)p;
		u64 count;

		if (end - p < 8)
			return -EBADMSG;
		range->len = words[0];
		range->offset = words[1];
		count = HVPFN_UP((u64)range->offset + range->len);
		if (!count || count > (u64)(end - p - 8) / sizeof(u64))
			return -EBADMSG;
		range->pfn_count = count;
		range->pfns = (const u64 *)(p + 8);
		p += 8 + count * sizeof(u64);
	}
	return 0;
}

int vmbus_sim_pkt_gpa_range(const struct vmbus_sim_pkt *pkt, u32 idx,
			    struct vmbus_sim_gpa_range *range)
{
	return vmbus_sim_walk_ranges(pkt, idx, range);
}
EXPORT_SYMBOL_GPL(vmbus_sim_pkt_gpa_range);

u32 vmbus_sim_pkt_gpa_len(const struct vmbus_sim_pkt *pkt)
{
	struct vmbus_sim_gpa_range r;
	u64 total = 0;
	u32 i;

	for (i = 0; i < pkt->range_cnt; i++) {
		if (vmbus_sim_walk_ranges(pkt, i, &r))
			return 0;
		total += r.len;
	}
	return min_t(u64, total, U32_MAX);
}
EXPORT_SYMBOL_GPL(vmbus_sim_pkt_gpa_len);

int vmbus_sim_pkt_copy_from_gpa(const struct vmbus_sim_pkt *pkt, u32 offset,
				void *dst, u32 len)
{
	struct vmbus_sim_gpa_range r;
	u32 i, chunk;
	u8 *d = dst;
	int ret;

	for (i = 0; len && i < pkt->range_cnt; i++) {
		ret = vmbus_sim_walk_ranges(pkt, i, &r);
		if (ret)
			return ret;
		if (offset >= r.len) {
			offset -= r.len;
			continue;
		}
		chunk = min(len, r.len - offset);
		ret = vmbus_sim_copy_from_pfns(r.pfns, r.pfn_count,
					       r.offset + offset, d, chunk);
		if (ret)
			return ret;
		d += chunk;
		len -= chunk;
		offset = 0;
	}
	return len ? -EINVAL : 0;
}
EXPORT_SYMBOL_GPL(vmbus_sim_pkt_copy_from_gpa);

/**
 * vmbus_sim_gpadl_drop_dev() - forget the GPADLs of a freed device
 * @dev: device being freed
 *
 * A driver that never tore its buffers down leaves entries behind; they
 * must not outlive the device they point to.
 */
void vmbus_sim_gpadl_drop_dev(struct vmbus_sim_device *dev)
{
	struct vmbus_sim_gpadl *g;
	unsigned long handle;

	xa_for_each(&vmbus_sim.gpadls, handle, g) {
		if (g->dev != dev)
			continue;
		WARN_ON_ONCE(g->pins);
		xa_erase_irq(&vmbus_sim.gpadls, handle);
		vmbus_sim_gpadl_free(g);
	}
}

/**
 * vmbus_sim_gpadl_exit() - free what is left at module unload
 */
void vmbus_sim_gpadl_exit(void)
{
	struct vmbus_sim_gpadl *g;
	unsigned long handle;

	xa_for_each(&vmbus_sim.gpadls, handle, g) {
		xa_erase_irq(&vmbus_sim.gpadls, handle);
		vmbus_sim_gpadl_free(g);
	}
	xa_destroy(&vmbus_sim.gpadls);
}
