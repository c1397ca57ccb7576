// SPDX-License-Identifier: GPL-2.0
/*
 * What a sequence of host messages may do, with no device behind it: the
 * keepalive requests coalesced, RSC fragments reassembled, control answers
 * matched to the request waiting for them.  State-free apart from the
 * small records the callers keep and lock; fuzzed with sequences.
 */
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/netdevice.h>
#include <linux/overflow.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "netvsc_compat.h"
#include "netvsc_proto.h"
#include "netvsc_seq.h"
#include "netvsc_validate.h"

/**
 * netvsc_keepalive_note - remember the latest host keepalive to answer
 * @pending: 0, or %NETVSC_KA_PENDING | the id of the one not answered yet
 * @req_id: id of the keepalive that just arrived
 *
 * Only the latest keepalive is answered: a host that sends them faster
 * than we answer gets one answer per run of the answering work.
 *
 * Return: true when an older keepalive was still unanswered (it never
 * will be).
 */
bool netvsc_keepalive_note(atomic64_t *pending, u32 req_id)
{
	return atomic64_xchg(pending, NETVSC_KA_PENDING | req_id) != 0;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_keepalive_note);

/**
 * netvsc_keepalive_take - the keepalive to answer now, if any
 * @pending: see netvsc_keepalive_note(); cleared
 * @req_id: out: its request id
 *
 * Return: true when there is one to answer.
 */
bool netvsc_keepalive_take(atomic64_t *pending, u32 *req_id)
{
	s64 v = atomic64_xchg(pending, 0);

	if (!v)
		return false;
	*req_id = lower_32_bits(v);
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_keepalive_take);

/**
 * netvsc_rsc_reset - forget the fragments of an unfinished RSC packet
 * @rsc: the reassembly state
 *
 * Return: true when there were any (a packet is lost).
 */
bool netvsc_rsc_reset(struct netvsc_rsc *rsc)
{
	bool lost = rsc->cnt;

	rsc->cnt = 0;
	return lost;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_rsc_reset);

/**
 * netvsc_rsc_add - take one fragment of a coalesced receive packet
 * @rsc: the reassembly state
 * @off: where the fragment's bytes are in the receive buffer
 * @len: how many
 * @info: its offload info; @info->pkt_id_flags has RNDIS_PPI_PKT_ID_*
 * @dropped: out: an unfinished packet was dropped by this call
 *
 * A first fragment starts a packet, dropping one left unfinished; a later
 * one is added to it, and a last one completes it.  A packet of more than
 * NVSP_XFER_RANGES_MAX fragments or NETVSC_RSC_MAX_BYTES is dropped.  The
 * fragments of a completed packet are @rsc->off[] and @rsc->len[], their
 * @rsc->total bytes and @rsc->info stay valid until the next call; @rsc is
 * then empty again.
 *
 * Return: 0 when more fragments are expected, the number of fragments of
 * the packet completed, -EPROTO for a fragment with no first one (ignored),
 * -EMSGSIZE for a packet too large (dropped).
 */
int netvsc_rsc_add(struct netvsc_rsc *rsc, u32 off, u32 len,
		   const struct netvsc_rx_info *info, bool *dropped)
{
	u8 flags = info->pkt_id_flags;
	u32 cnt;

	*dropped = false;
	if (flags & RNDIS_PPI_PKT_ID_FIRST_FRAG) {
		*dropped = netvsc_rsc_reset(rsc);
		rsc->info = *info;
		rsc->total = 0;
	} else if (!rsc->cnt) {
		return -EPROTO;
	}
	if (rsc->cnt >= NVSP_XFER_RANGES_MAX ||
	    len > NETVSC_RSC_MAX_BYTES - rsc->total) {
		*dropped |= netvsc_rsc_reset(rsc);
		return -EMSGSIZE;
	}
	rsc->off[rsc->cnt] = off;
	rsc->len[rsc->cnt] = len;
	rsc->cnt++;
	rsc->total += len;
	if (!(flags & RNDIS_PPI_PKT_ID_LAST_FRAG))
		return 0;
	cnt = rsc->cnt;
	rsc->cnt = 0;
	return cnt;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_rsc_add);

/**
 * netvsc_ctrl_arm - give a control slot a fresh request id
 * @want: the slot's state
 * @gen: the table's generation count, advanced here (never 0)
 * @slot: the slot's number, below NETVSC_CTRL_SLOTS
 * @kind: NETVSC_COOKIE_KIND_NVSP or NETVSC_COOKIE_KIND_RNDIS
 * @expect: message type of the answer
 */
void netvsc_ctrl_arm(struct netvsc_ctrl_want *want, u32 *gen, u32 slot,
		     u8 kind, u32 expect)
{
	*gen = (*gen + 1) & FIELD_MAX(NETVSC_CTRL_ID_GEN);
	if (!*gen)
		*gen = 1;
	want->id = FIELD_PREP(NETVSC_CTRL_ID_GEN, *gen) |
		   FIELD_PREP(NETVSC_CTRL_ID_SLOT, slot);
	want->kind = kind;
	want->expect = expect;
	want->answered = false;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_ctrl_arm);

/**
 * netvsc_ctrl_fits - is an answer's length right for its type?
 * @kind: NETVSC_COOKIE_KIND_NVSP (an NVSP completion, type word included)
 *	or NETVSC_COOKIE_KIND_RNDIS (a whole RNDIS message)
 * @type: its message type
 * @len: its length
 *
 * Return: true when the answer holds at least the body of @type and, for
 * RNDIS, no more than NETVSC_CTRL_RESP_MAX bytes.
 */
bool netvsc_ctrl_fits(u32 kind, u32 type, u32 len)
{
	if (kind == NETVSC_COOKIE_KIND_NVSP)
		return len >= NVSP_MSG_HDR_SIZE + netvsc_nvsp_body_min(type);
	return len >= netvsc_rndis_comp_min(type) &&
	       len <= NETVSC_CTRL_RESP_MAX;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_ctrl_fits);

/**
 * netvsc_ctrl_claim - take an answer for the request waiting in a slot
 * @want: the state of the slot netvsc_ctrl_slot_of(@id) names
 * @kind: NETVSC_COOKIE_KIND_* the answer came as
 * @id: request id the answer carries
 * @type: its message type
 * @len: its length
 *
 * The answer is taken when the slot waits for @id (so a late answer to a
 * request given up, or one of an older generation, is not), of @kind and
 * @type, has not been answered yet, and @len fits @type.  A slot that
 * expects NVSP_MSG_NONE takes any NVSP completion of its id, empty or
 * not: the host completes SWITCH_DATA_PATH with an empty payload, which
 * VMBus may pad.
 *
 * Return: true when taken (@want->answered is set); false: no request
 * waits for this answer.
 */
bool netvsc_ctrl_claim(struct netvsc_ctrl_want *want, u32 kind, u32 id,
		       u32 type, u32 len)
{
	if (!id || want->id != id || want->kind != kind || want->answered)
		return false;
	if ((kind != NETVSC_COOKIE_KIND_NVSP || want->expect != NVSP_MSG_NONE) &&
	    (want->expect != type || !netvsc_ctrl_fits(kind, type, len)))
		return false;
	want->answered = true;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(netvsc_ctrl_claim);
