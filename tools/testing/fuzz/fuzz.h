/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the libFuzzer targets share: the invariant check, and one walker per
 * kind of host input.  A walker calls the driver's parsers (compiled
 * unmodified from drivers/net/hyperv/) in the order the driver's receive
 * and control paths call them, with the same copies and the same bounds,
 * and checks what each parser promises about what it accepted.  The
 * stateful ones (RSC reassembly, control-answer matching) are driven by
 * sequences and checked against a small model of their state.  The
 * callers themselves (netvsc_rx.c, netvsc_ctrl.c, netvsc_rndis.c,
 * netvsc_nvsp.c) hold device state and are not built here.
 */
#ifndef _FUZZ_H
#define _FUZZ_H

#include <linux/types.h>

#include "../../../drivers/net/hyperv/netvsc_compat.h"
#include "../../../drivers/net/hyperv/netvsc_proto.h"
#include "../../../drivers/net/hyperv/netvsc_seq.h"
#include "../../../drivers/net/hyperv/netvsc_validate.h"

/* Most bytes of a control answer kept (netvsc_proto.h). */
#define FUZZ_CTRL_RESP_MAX	NETVSC_CTRL_RESP_MAX

/* A broken promise of a parser: report it and stop, as a crash would. */
#define FUZZ_ASSERT(cond)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: invariant broken: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			__builtin_trap();				\
		}							\
	} while (0)

extern volatile u8 fuzz_sink;

void *fuzz_dup(const void *data, size_t len);
void fuzz_touch(const void *data, size_t len);

void fuzz_nvsp_comp(const u8 *data, u32 len);
void fuzz_nvsp_inband(const u8 *data, u32 len);
void fuzz_send_table(const u8 *data, u32 len, u32 nvsp_ver);
void fuzz_xfer_pkt(const u8 *data, u32 len);
void fuzz_rndis_range(const u8 *rbuf, u32 rbuf_size, u32 off, u32 len);
void fuzz_rndis_data(const u8 *msg, const struct rndis_msg *hdr);
void fuzz_rndis_ctrl(const u8 *msg, u32 len);
void fuzz_rndis_keepalive(const struct rndis_msg *hdr);
void fuzz_indicate(const u8 *msg, u32 len);
int fuzz_query_info(const u8 *msg, u32 len, void *out, u32 cap);
void fuzz_oid_answer(const u8 *msg, u32 len);
void fuzz_ppi(const u8 *ppi, u32 len);
void fuzz_rsc_seq(const u8 *data, u32 len);
void fuzz_ctrl_seq(const u8 *data, u32 len);
void fuzz_guest_msg(const u8 *data, u32 len);

#endif /* _FUZZ_H */
