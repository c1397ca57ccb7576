/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netvsp_sim: the checks and parsers of what the guest sends (NVSP
 * messages, RNDIS control requests and their OID information, RNDIS data
 * messages and their per-packet info), free of NIC state, so that they are
 * fuzzed in user space like the driver's (tools/testing/fuzz).
 */
#ifndef _NVSIM_PARSE_H
#define _NVSIM_PARSE_H

#include <linux/types.h>

#include <hv_netvsc/nvsp.h>
#include <hv_netvsc/ppi.h>
#include <hv_netvsc/rndis_ndis.h>

/* Most PPI bytes a data message may carry */
#define NVSIM_TX_PPI_MAX	256

/**
 * struct nvsim_tx_ppi - per-packet info found in one data message
 * @csum: NDIS_PPI_CSUM value
 * @lso: NDIS_PPI_LSO value
 * @vlan: NDIS_PPI_VLAN value
 * @has_csum: @csum present
 * @has_lso: @lso present
 * @has_vlan: @vlan present
 */
struct nvsim_tx_ppi {
	u32 csum;
	u32 lso;
	u32 vlan;
	bool has_csum;
	bool has_lso;
	bool has_vlan;
};

/**
 * struct nvsim_tx_loc - where the parts of a guest data message are
 * @data_off: frame offset from the end of the RNDIS header
 * @data_len: frame length
 * @ppi_off: PPI offset from the end of the RNDIS header
 * @ppi_len: PPI length (0: none)
 */
struct nvsim_tx_loc {
	u32 data_off;
	u32 data_len;
	u32 ppi_off;
	u32 ppi_len;
};

u32 nvsim_nvsp_body_min(u32 type);
bool nvsim_section_ok(u32 idx, u32 used, u32 sections, u32 section_size,
		      u32 room);
u32 nvsim_rndis_min_body(u32 type);
int nvsim_rndis_ctrl_check(const u8 *msg, u32 len, u32 *type, u32 *mlen);
int nvsim_oid_info(const struct rndis_oid_req *req, u32 body, u32 *off,
		   u32 *len);
u32 nvsim_filter_parse(const u8 *in, u32 in_len, u32 mask, u32 *filter);
u32 nvsim_offload_parse(const u8 *in, u32 in_len, bool *rx, bool *rsc4,
			bool *rsc6);
u32 nvsim_rss_parse(const u8 *in, u32 in_len, u16 flags, u32 max_chans,
		    u32 *hash_info, u32 *n, u16 *itab, u8 *key);
u32 nvsim_mac_param_parse(const u8 *in, u32 in_len, u8 *mac);
int nvsim_tx_pkt_check(const struct rndis_pkt *pkt, u32 mlen,
		       struct nvsim_tx_loc *loc);
bool nvsim_tx_parse_ppi(const u8 *p, u32 len, struct nvsim_tx_ppi *out);

#endif /* _NVSIM_PARSE_H */
