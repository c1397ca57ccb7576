/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RNDIS per-packet info (PPI) wire format.
 *
 * This header owns the records that ride between struct rndis_pkt and the
 * frame in an RNDIS_MSG_PACKET: the PPI header, the NDIS PPI type numbers,
 * the one internal (Hyper-V private) PPI type, and the layout of each 32-bit
 * PPI value netvsc reads or writes: checksum request/result, LSOv2 request,
 * 802.1Q tag, RSS hash value/info, and the RSC fragment id.  Bit fields are
 * GENMASK()/BIT() masks for FIELD_GET()/FIELD_PREP(), never C bitfields, so
 * the layout does not depend on the compiler's bitfield ordering.
 *
 * Endianness: the wire is little-endian.  Every PPI value is a __le32 (or a
 * struct of u8/__le16); convert first, then extract fields, e.g.
 * FIELD_GET(NDIS_VLAN_ID, le32_to_cpu(*vlan)).  The masks are CPU-order.
 *
 * Layout of a guest-built data message: struct rndis_hdr, struct rndis_pkt
 * with ppi_offset = sizeof(struct rndis_pkt), the PPIs back to back, then the
 * frame at data_offset = sizeof(struct rndis_pkt) + ppi_len.  Offsets in
 * received messages come from the host and must be bounds-checked.
 */
#ifndef _HV_NETVSC_PPI_H
#define _HV_NETVSC_PPI_H

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/types.h>

#include <hv_netvsc/rndis_ndis.h>

/* ---- PPI header ---- */

/* rndis_ppi.type: the type number and whether it is a Hyper-V internal one */
#define RNDIS_PPI_TYPE			GENMASK(30, 0)
#define RNDIS_PPI_INTERNAL		BIT(31)

/**
 * struct rndis_ppi - header of one per-packet info record
 * @size: size of the whole record, this header included, in bytes
 * @type: RNDIS_PPI_TYPE (enum ndis_ppi_type or enum rndis_ppi_internal_type)
 *	plus RNDIS_PPI_INTERNAL
 * @ppi_offset: offset of the value from the start of this record
 *
 * The next record starts @size bytes after this one.
 */
struct rndis_ppi {
	__le32 size;
	__le32 type;
	__le32 ppi_offset;
};

static_assert(sizeof(struct rndis_ppi) == 12);

#define RNDIS_PPI_HDR_SIZE		sizeof(struct rndis_ppi)
#define RNDIS_PPI_SIZE(value_len)	(RNDIS_PPI_HDR_SIZE + (value_len))
/* Every PPI Linux sends carries one __le32 value. */
#define RNDIS_PPI_U32_SIZE		RNDIS_PPI_SIZE(sizeof(__le32))

static_assert(RNDIS_PPI_U32_SIZE == 16);

/*
 * Most PPIs one TX packet can carry (hash, VLAN, checksum, LSO), and the
 * headroom that fits the largest RNDIS fixed part plus all of them.
 */
#define RNDIS_TX_PPI_MAX		4
#define RNDIS_TX_PPI_SIZE_MAX		(RNDIS_TX_PPI_MAX * RNDIS_PPI_U32_SIZE)
#define RNDIS_TX_HEADROOM		\
	(sizeof(struct rndis_msg) + RNDIS_TX_PPI_SIZE_MAX)

static_assert(RNDIS_TX_HEADROOM == 116);

/* ---- PPI types (RNDIS_PPI_INTERNAL clear) ---- */

enum ndis_ppi_type {
	NDIS_PPI_CSUM			= 0,	/* TX request, RX result */
	NDIS_PPI_IPSEC			= 1,
	NDIS_PPI_LSO			= 2,	/* TX LSOv2 request */
	NDIS_PPI_CLASSIFICATION_HANDLE	= 3,
	NDIS_PPI_RESERVED		= 4,
	NDIS_PPI_SG_LIST		= 5,
	NDIS_PPI_VLAN			= 6,	/* 802.1Q, TX and RX */
	NDIS_PPI_ORIGINAL		= 7,
	/* NDIS calls it PACKET_CANCEL_ID; Hyper-V puts the RSS hash there */
	NDIS_PPI_HASH_VALUE		= 8,	/* TX and RX */
	/* NDIS calls it ORIGINAL_NET_BUFLIST; hosts put NDIS_RSS_HASH_* there */
	NDIS_PPI_HASH_INFO		= 9,	/* RX */
	NDIS_PPI_CACHED_NET_BUFLIST	= 10,
	NDIS_PPI_SHORT_PKT_PAD		= 11,
};

/* ---- Internal PPI types (RNDIS_PPI_INTERNAL set) ---- */

enum rndis_ppi_internal_type {
	RNDIS_PPI_PKT_ID		= 1,	/* RX RSC fragments */
};

/* ---- NDIS_PPI_CSUM value (__le32) ---- */

/* Guest -> host: what to checksum. */
#define NDIS_CSUM_TX_IPV4		BIT(0)
#define NDIS_CSUM_TX_IPV6		BIT(1)
#define NDIS_CSUM_TX_TCP		BIT(2)
#define NDIS_CSUM_TX_UDP		BIT(3)
#define NDIS_CSUM_TX_IP_HDR		BIT(4)
#define NDIS_CSUM_TX_TCP_HDR_OFFSET	GENMASK(25, 16)	/* from frame start */

/* Host -> guest: what the host verified. */
#define NDIS_CSUM_RX_TCP_FAILED		BIT(0)
#define NDIS_CSUM_RX_UDP_FAILED		BIT(1)
#define NDIS_CSUM_RX_IP_FAILED		BIT(2)
#define NDIS_CSUM_RX_TCP_OK		BIT(3)
#define NDIS_CSUM_RX_UDP_OK		BIT(4)
#define NDIS_CSUM_RX_IP_OK		BIT(5)
#define NDIS_CSUM_RX_LOOPBACK		BIT(6)
/* checksum verified but the field in the packet is stale: recompute it */
#define NDIS_CSUM_RX_TCP_VALUE_INVALID	BIT(7)
#define NDIS_CSUM_RX_IP_VALUE_INVALID	BIT(8)

/* ---- NDIS_PPI_LSO value (__le32), guest -> host ---- */

#define NDIS_LSO_MSS			GENMASK(19, 0)
#define NDIS_LSO_TCP_HDR_OFFSET		GENMASK(29, 20)	/* from frame start */
#define NDIS_LSO_TYPE			BIT(30)
#define NDIS_LSO_IP_VERSION		BIT(31)		/* LSOv2 only */

/* NDIS_LSO_TYPE values */
#define NDIS_LSO_TYPE_V1		0
#define NDIS_LSO_TYPE_V2		1	/* the only one Linux sends */

/* NDIS_LSO_IP_VERSION values */
#define NDIS_LSO_IP_VERSION_4		0
#define NDIS_LSO_IP_VERSION_6		1

/* ---- NDIS_PPI_VLAN value (__le32), both directions ---- */

#define NDIS_VLAN_PRI			GENMASK(2, 0)
#define NDIS_VLAN_CFI			BIT(3)
#define NDIS_VLAN_ID			GENMASK(15, 4)

/*
 * ---- NDIS_PPI_HASH_VALUE / NDIS_PPI_HASH_INFO values (__le32) ----
 *
 * The hash value is the 32-bit Toeplitz result; the hash info uses the
 * NDIS_RSS_HASH_FUNC_* and NDIS_RSS_HASH_* bits from rndis_ndis.h.
 */

/* ---- RNDIS_PPI_PKT_ID value, host -> guest ---- */

#define RNDIS_PPI_PKT_ID_V1		1

/* rndis_ppi_pkt_id.flags */
#define RNDIS_PPI_PKT_ID_SUBALLOC	BIT(0)	/* one of several fragments */
#define RNDIS_PPI_PKT_ID_FIRST_FRAG	BIT(1)
#define RNDIS_PPI_PKT_ID_LAST_FRAG	BIT(2)

/**
 * struct rndis_ppi_pkt_id - identifies the RSC fragments of one packet
 * @ver: RNDIS_PPI_PKT_ID_V1
 * @flags: RNDIS_PPI_PKT_ID_*
 * @pkt_id: same for all fragments of one coalesced packet
 */
struct rndis_ppi_pkt_id {
	u8 ver;
	u8 flags;
	__le16 pkt_id;
};

static_assert(sizeof(struct rndis_ppi_pkt_id) == 4);

#endif /* _HV_NETVSC_PPI_H */
