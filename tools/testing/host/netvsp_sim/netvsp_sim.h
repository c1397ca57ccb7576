/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netvsp_sim - private state of the simulated Hyper-V network VSP.
 *
 * This header owns the host-side state of every simulated synthetic NIC
 * (struct nvsim_nic), of each of its VMBus channels (struct nvsim_chan), of
 * the guest buffers the NIC maps (struct nvsim_buf), of the vRSS
 * configuration (struct nvsim_rss) and of the learning switch that joins
 * the NICs and the host port (struct nvsim_switch).  Wire formats come from
 * the hv_netvsc/ wire headers; nothing here is on the wire.
 */
#ifndef _NETVSP_SIM_H
#define _NETVSP_SIM_H

#include <linux/atomic.h>
#include <linux/bitfield.h>
#include <linux/hashtable.h>
#include <linux/if_ether.h>
#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/rcupdate.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/uuid.h>
#include <linux/workqueue.h>

#include <hv_netvsc/nvsp.h>
#include <hv_netvsc/ppi.h>
#include <hv_netvsc/rndis_ndis.h>

#include "../vmbus_sim/vmbus_sim.h"

/**
 * DOC: Locking
 *
 * Contexts.  Every guest->host packet of a channel is handled in that
 * channel's vmbus_sim host work item (process context, serialised per
 * channel, channels in parallel).  Frames reach a NIC from three places:
 * another NIC's channel work, the host port's ndo_start_xmit (softirq) and
 * fault injection from sysfs.  The receive (host->guest) path therefore
 * never sleeps and takes no lock wider than one NIC.
 *
 * Control state (&nvsim_nic.nvsp_version, RNDIS state, offload settings)
 * is written only from the primary channel's work and read everywhere with
 * READ_ONCE(); sysfs knobs are written with WRITE_ONCE() under
 * &nvsim_nic.knob_lock (a mutex, sysfs only) and read with READ_ONCE().
 *
 * Guest buffers: &nvsim_nic.recv_buf and &nvsim_nic.send_buf are RCU
 * pointers, published and retired only from the primary channel's work
 * (NVSP messages, close).  Readers hold rcu_read_lock() for as long as they
 * touch the buffer; the writer unpublishes, waits with synchronize_rcu()
 * and only then unpins the GPADL.  Section allocation in the receive
 * buffer takes &nvsim_buf.lock (per NIC, irqsave because the host port may
 * transmit with interrupts off under netpoll).
 *
 * vRSS: &nvsim_nic.rss is an RCU pointer replaced as a whole on every
 * OID_GEN_RECEIVE_SCALE_PARAMETERS set and freed with kfree_rcu().
 *
 * Switch: the port list and the forwarding table are RCU lists; writers
 * take &nvsim_switch.lock.  A port is unlinked, then synchronize_rcu(),
 * then its owner may be freed.
 *
 * Counters: guest->host counters of a channel are written by that
 * channel's work only (plain u64, WRITE_ONCE); host->guest counters may be
 * written from several contexts and are atomic64_t; sysfs reads them
 * without locks.  The RNDIS message log (&nvsim_nic.log_lock) is touched
 * only on the control path.
 *
 * Teardown order: sysfs del_nic / module exit unlink the switch port,
 * synchronize_rcu(), then vmbus_sim_device_remove() (rescinds all channels,
 * waits for the guest's remove() and for host callbacks to end; @close
 * releases the buffers), then the NIC is freed.
 */

#define NVSIM_MAX_NICS			64
#define NVSIM_MAX_CHANS			64	/* primary + 63 subchannels */
#define NVSIM_DEFAULT_QUEUES		64

/* Section sizes reported to the guest, as Hyper-V does. */
#define NVSIM_RECV_SECTION_SIZE		1728
#define NVSIM_SEND_SECTION_SIZE		6144

/* Largest guest->host RNDIS payload we assemble: section + 64 KiB frame. */
#define NVSIM_TX_SCRATCH_SIZE		(NVSIM_SEND_SECTION_SIZE + SZ_128K)

/* LSOv2 limits reported in the offload capabilities. */
#define NVSIM_LSO_MAX_SIZE		62780
#define NVSIM_LSO_MIN_SEGS		2

/* Default link speed, Mb/s; OID_GEN_LINK_SPEED reports 100 bps units. */
#define NVSIM_DEFAULT_SPEED		10000

/* PPIs the host puts in front of a received frame: csum, hash, vlan, id */
#define NVSIM_RX_PPI_MAX		(4 * RNDIS_PPI_U32_SIZE)
#define NVSIM_RX_HDR_MAX		(RNDIS_PKT_MSG_SIZE + NVSIM_RX_PPI_MAX)

/* Transaction ids of host->guest receive packets: magic | gen | n | start */
#define NVSIM_XFER_MAGIC		0x5eULL
#define NVSIM_XFER_ID(gen, n, start)					\
	((NVSIM_XFER_MAGIC << 56) | ((u64)((gen) & 0xff) << 48) |	\
	 ((u64)((n) & 0xffff) << 32) | (u32)(start))

/* RNDIS device state as seen by the host */
enum nvsim_rndis_state {
	NVSIM_RNDIS_UNINIT = 0,
	NVSIM_RNDIS_INIT,
	NVSIM_RNDIS_HALTED,
};

/* fault_subchannel_grant special values */
#define NVSIM_GRANT_NORMAL		(-1)
#define NVSIM_GRANT_REFUSE		(-2)

/* nvsp_exact: off, or accept no version at all */
#define NVSIM_NVSP_EXACT_OFF		0
#define NVSIM_NVSP_EXACT_NONE		U32_MAX

/*
 * Frames of fault_malformed "runt", "oversized_frame" and "frame_burst":
 * their EtherType (IEEE local experimental) and lengths
 */
#define NVSIM_FRAME_ETH_P			0x88b5
#define NVSIM_FRAME_RUNT_LEN		6
#define NVSIM_FRAME_HUGE_LEN		(32 * 1024)

/* fault_malformed kinds */
enum nvsim_malformed {
	NVSIM_BAD_TRUNCATED,
	NVSIM_BAD_OVERSIZED_LEN,
	NVSIM_BAD_OFFSET,
	NVSIM_BAD_INDEX,
	NVSIM_BAD_SEND_TABLE,
	NVSIM_BAD_RUNT,
	NVSIM_BAD_OVERSIZED_FRAME,
	NVSIM_BAD_FRAME_BURST,
	NVSIM_BAD_RSC_ORPHAN,
	NVSIM_BAD_RSC_NO_LAST,
	NVSIM_BAD_RSC_SPAN,
	NVSIM_BAD_RSC_HUGE,
	NVSIM_BAD_NR,
};

/**
 * enum nvsim_rx_csum_mode - checksum result the host reports (rx_csum_result)
 * @NVSIM_RX_CSUM_AUTO: what the host knows (verified, computed, or nothing)
 * @NVSIM_RX_CSUM_NONE: no checksum PPI
 * @NVSIM_RX_CSUM_GOOD: TCP/UDP (and IPv4 header) checksum succeeded
 * @NVSIM_RX_CSUM_FAILED: TCP/UDP checksum failed (IPv4 header succeeded)
 * @NVSIM_RX_CSUM_IP_INVALID: IPv4 header checksum succeeded but the value
 *	in the header is invalid (the guest must recompute it), nothing
 *	about TCP/UDP
 * @NVSIM_RX_CSUM_NR: number of modes
 *
 * The forced modes apply to every frame once the guest enabled receive
 * checksum offload, whatever the frame's checksums really are.
 */
enum nvsim_rx_csum_mode {
	NVSIM_RX_CSUM_AUTO,
	NVSIM_RX_CSUM_NONE,
	NVSIM_RX_CSUM_GOOD,
	NVSIM_RX_CSUM_FAILED,
	NVSIM_RX_CSUM_IP_INVALID,
	NVSIM_RX_CSUM_NR,
};

/**
 * enum nvsim_rx_corrupt - checksum the host breaks in frames to the guest
 * @NVSIM_CORRUPT_NONE: none
 * @NVSIM_CORRUPT_L4: the TCP/UDP checksum field (not of IP fragments)
 * @NVSIM_CORRUPT_IP: the IPv4 header checksum field
 * @NVSIM_CORRUPT_NR: number of kinds
 */
enum nvsim_rx_corrupt {
	NVSIM_CORRUPT_NONE,
	NVSIM_CORRUPT_L4,
	NVSIM_CORRUPT_IP,
	NVSIM_CORRUPT_NR,
};

/* Slots of the per-channel NVSP message log (see nvsim_nvsp_slot()). */
#define NVSIM_NVSP_SLOTS		40

/* Slots of the per-NIC RNDIS message log */
#define NVSIM_RNDIS_SLOTS		48

/**
 * struct nvsim_msg_count - how often a message came and was answered
 * @count: messages received
 * @answered: replies (completions or RNDIS responses) sent for them
 * @status: last status sent (NVSP or RNDIS status)
 */
struct nvsim_msg_count {
	u64 count;
	u64 answered;
	u32 status;
};

/**
 * struct nvsim_rndis_log - one line of the RNDIS message log
 * @type: RNDIS message type
 * @oid: OID for QUERY/SET, else 0
 * @cnt: counters
 */
struct nvsim_rndis_log {
	u32 type;
	u32 oid;
	struct nvsim_msg_count cnt;
};

/**
 * struct nvsim_buf - a guest buffer handed over with a GPADL
 * @gpadl: the pinned GPADL
 * @base: the guest mapping (vmbus_sim_gpadl_ptr() of the whole buffer)
 * @size: buffer size in bytes
 * @section_size: sub-allocation / section size
 * @num_sections: number of sections
 * @id: buffer id the guest gave (receive: the xfer_pageset_id)
 * @gen: generation, part of every receive transaction id
 * @lock: protects @map and @hint (receive buffer only)
 * @hint: where the next section search starts
 * @used: sections in use
 * @map: section bitmap (receive buffer only)
 * @rcu: for kfree_rcu()
 */
struct nvsim_buf {
	struct vmbus_sim_gpadl *gpadl;
	u8 *base;
	u32 size;
	u32 section_size;
	u32 num_sections;
	u16 id;
	u8 gen;
	spinlock_t lock;	/* see DOC: Locking */
	u32 hint;
	u32 used;
	unsigned long *map;
	struct rcu_head rcu;
};

/**
 * struct nvsim_rss - receive side scaling set by the guest
 * @hash_info: NDIS_RSS_HASH_* the guest enabled
 * @n: entries in @itab
 * @key: Toeplitz key
 * @itab: channel index per table entry
 * @rcu: for kfree_rcu()
 */
struct nvsim_rss {
	u32 hash_info;
	u32 n;
	u8 key[NDIS_RSS_KEY_SIZE];
	u16 itab[NDIS_RSS_ITAB_MAX];
	struct rcu_head rcu;
};

/**
 * struct nvsim_chan - host state of one VMBus channel of a NIC
 * @nic: owning NIC
 * @vchan: the vmbus_sim channel (NULL until offered)
 * @idx: sub_channel_index
 * @open: guest has the channel open
 * @scratch: guest->host assembly buffer (channel work only)
 * @rx_packets: frames delivered to the guest on this channel
 * @rx_bytes: bytes of those frames
 * @rx_ring_full: frames dropped because this channel's ring was full
 * @tx_packets: frames the guest sent on this channel
 * @tx_bytes: bytes of those frames
 * @tx_lso: large sends (LSOv2) of this channel the host carried out
 * @tx_csum: frames of this channel whose checksum the host computed
 * @tx_csum_misplaced: of those, checksums put where the guest said the
 *	TCP/UDP header is but it is not (a wrong checksum on the wire)
 * @tx_csum_checked: checksums the guest computed that the host verified
 *	(tx_csum_verify)
 * @tx_csum_bad: of those, wrong ones
 * @tx_offload_drops: frames dropped because their offload request
 *	contradicts the frame
 * @tx_vlan: frames whose 802.1Q PPI the host put into the frame as its tag
 * @tx_vlan_inband_drops: frames dropped because they carry an 802.1Q tag
 *	in the frame itself (vmswitch takes the tag from the PPI only)
 * @rsc_packets: coalesced packets delivered on this channel
 * @rx_segmented: large sends cut to MSS for delivery on this NIC
 * @nvsp: per NVSP message type log, channel work only
 * @tx_sect_sends: SEND_RNDIS_PKTs of this channel that used a send section
 * @tx_sect_oob: of those, ones naming a section outside the send buffer or
 *	more bytes than the section size the host announced
 * @tx_sect_max_used: most bytes used in one section
 */
struct nvsim_chan {
	struct nvsim_nic *nic;
	struct vmbus_sim_chan *vchan;
	u16 idx;
	bool open;
	u8 *scratch;
	atomic64_t rx_packets;
	atomic64_t rx_bytes;
	atomic64_t rx_ring_full;
	u64 tx_packets;
	u64 tx_bytes;
	u64 tx_lso;
	u64 tx_csum;
	u64 tx_csum_misplaced;
	u64 tx_csum_checked;
	u64 tx_csum_bad;
	u64 tx_offload_drops;
	u64 tx_vlan;
	u64 tx_vlan_inband_drops;
	atomic64_t rsc_packets;
	atomic64_t rx_segmented;
	struct nvsim_msg_count nvsp[NVSIM_NVSP_SLOTS];
	u64 tx_sect_sends;
	u64 tx_sect_oob;
	u32 tx_sect_max_used;
};

/**
 * enum nvsim_port_kind - what is behind a switch port
 * @NVSIM_PORT_NIC: a simulated synthetic NIC
 * @NVSIM_PORT_HOST: the host port netdev
 */
enum nvsim_port_kind {
	NVSIM_PORT_NIC,
	NVSIM_PORT_HOST,
};

/**
 * struct nvsim_port - one port of the learning switch
 * @list: in &nvsim_switch.ports
 * @kind: NIC or host port
 * @nic: the NIC, for %NVSIM_PORT_NIC
 * @ndev: the host port netdev, for %NVSIM_PORT_HOST
 * @linked: in the port list (under &nvsim_switch.lock)
 */
struct nvsim_port {
	struct list_head list;
	bool linked;
	enum nvsim_port_kind kind;
	struct nvsim_nic *nic;
	struct net_device *ndev;
};

/**
 * struct nvsim_fdb - one learned MAC address
 * @node: in &nvsim_switch.fdb
 * @addr: the address
 * @port: where it was last seen
 * @rcu: for kfree_rcu()
 */
struct nvsim_fdb {
	struct hlist_node node;
	u8 addr[ETH_ALEN];
	struct nvsim_port __rcu *port;
	struct rcu_head rcu;
};

/**
 * struct nvsim_switch - the learning switch
 * @lock: serialises writers of @ports and @fdb
 * @ports: RCU list of ports
 * @fdb: forwarding table
 * @host: the host port
 * @host_ndev: the host port netdev ("vsp0")
 * @flooded: frames flooded for want of a table entry
 */
struct nvsim_switch {
	spinlock_t lock;	/* see DOC: Locking */
	struct list_head ports;
	DECLARE_HASHTABLE(fdb, 8);
	struct nvsim_port host;
	struct net_device *host_ndev;
	atomic64_t flooded;
};

/**
 * struct nvsim_vf - host side of a NIC's SR-IOV VF (nvsim_vf.c)
 * @uplink: the netdev at the host end of the guest's VF (RCU; written
 *	under RTNL and &nvsim_nic.knob_lock)
 * @tracker: reference on @uplink
 * @serial: slot number the association announces (knob vf_serial)
 * @allocated: the host has a VF for the NIC (knob vf)
 * @data_path: NVSP_DP_* the host delivers unicast frames on (primary
 *	channel work, and a withdrawal that timed out)
 * @revoke_timeout_ms: how long a withdrawal waits for the guest to switch
 *	back (knob vf_revoke_timeout_ms)
 * @switch_ignore: SWITCH_DATA_PATH requests still to ignore (fault)
 * @switched: woken when the data path changes
 * @to_guest_packets: frames the host delivered through the VF
 * @to_guest_bytes: bytes of those
 * @from_guest_packets: frames the guest sent through the VF
 * @from_guest_bytes: bytes of those
 * @out_drops: frames for the VF path the uplink could not take
 * @assoc_sent: SEND_VF_ASSOCIATION messages sent
 * @switch_to_vf: SWITCH_DATA_PATH requests to the VF carried out
 * @switch_to_synthetic: SWITCH_DATA_PATH requests to synthetic carried out
 * @switch_ignored: SWITCH_DATA_PATH requests ignored (fault)
 * @revoke_timeouts: withdrawals after which the host switched back itself
 */
struct nvsim_vf {
	struct net_device __rcu *uplink;
	netdevice_tracker tracker;
	u32 serial;
	bool allocated;
	u32 data_path;
	u32 revoke_timeout_ms;
	atomic_t switch_ignore;
	wait_queue_head_t switched;
	atomic64_t to_guest_packets;
	atomic64_t to_guest_bytes;
	atomic64_t from_guest_packets;
	atomic64_t from_guest_bytes;
	atomic64_t out_drops;
	atomic64_t assoc_sent;
	atomic64_t switch_to_vf;
	atomic64_t switch_to_synthetic;
	atomic64_t switch_ignored;
	atomic64_t revoke_timeouts;
};

/**
 * struct nvsim_nic - host state of one simulated synthetic NIC
 * @id: NIC number (0..63), names nicID in sysfs
 * @kobj: the nicID sysfs directory
 * @instance: VMBus instance GUID
 * @vdev: the vmbus_sim device
 * @port: switch port
 * @knob_lock: serialises sysfs writes of knobs and indications
 * @perm_mac: MAC reported as permanent address (knob "mac")
 * @cur_mac: MAC in use (changed by RNDIS NetworkAddress)
 * @link: host link state
 * @link_speed: Mb/s
 * @max_queues: receive queues offered in RSS capabilities
 * @nvsp_max: highest NVSP version accepted
 * @mtu_max: largest MTU allowed
 * @off_csum: checksum offload capability offered
 * @off_udp_csum: UDP checksum offload capability offered
 * @off_tso: LSOv2 capability offered
 * @off_rsc: RSC capability offered
 * @tx_csum_verify: verify the checksums the guest computed itself
 * @rx_csum_mode: enum nvsim_rx_csum_mode
 * @rx_corrupt: enum nvsim_rx_corrupt
 * @fail_oid: OID answered with RNDIS_STATUS_FAILURE (0: none)
 * @drop_completions: completions still to drop
 * @replay_completions: completions still to send twice
 * @fail_completions: data packets still to refuse (FAIL completion)
 * @short_completions: data completions still to send empty
 * @delay_ms: delay before every completion
 * @stop_reading: the host takes nothing from the guest's rings
 * @hold_open: channel opens left unanswered (vmbus_sim_dev_hold())
 * @hold_gpadl: VMBUS_SIM_HOLD_* GPADL calls left unanswered
 * @read_lag_ms: publish the read index of the guest's rings this late
 *	(vmbus_sim_chan_set_read_lag())
 * @subch_grant: %NVSIM_GRANT_NORMAL, %NVSIM_GRANT_REFUSE or a cap
 * @subch_extra: subchannels offered beyond those granted, all delivered
 *	before the answer
 * @rss_itab: indirection table entries the RSS capabilities announce
 * @nvsp_exact: accept an NVSP INIT only with min == max == this version
 *	(%NVSIM_NVSP_EXACT_OFF: any range; %NVSIM_NVSP_EXACT_NONE: none)
 * @send_section_size: section size put in SEND_SEND_BUF_COMPLETE
 * @nvsp_version: negotiated NVSP version (0: none)
 * @ndis_version: NDIS version the guest sent
 * @ndis_mtu: MTU (frame size without FCS) from NDIS_CONFIG
 * @ndis_caps: capability bits from NDIS_CONFIG
 * @rndis_state: enum nvsim_rndis_state
 * @filter: RNDIS packet filter
 * @rx_csum: guest accepts RX checksum results (TCP/UDP over v4/v6)
 * @rsc_on: guest enabled RSC and negotiated it
 * @rsc_ip4: RSC IPv4 enabled in offload parameters
 * @rsc_ip6: RSC IPv6 enabled in offload parameters
 * @subch_granted: subchannels granted by the last allocation
 * @recv_buf: receive buffer
 * @send_buf: send buffer
 * @buf_gen: generation counter for receive buffers
 * @rss: RSS configuration (NULL: RSS off)
 * @send_table: the send indirection table last sent to the guest
 * @rescind_work: rescinds subchannels the guest closed
 * @rescind_pending: bitmap of subchannels waiting for @rescind_work
 * @log_lock: protects @rlog
 * @rlog: RNDIS message log
 * @bad_messages: malformed guest messages
 * @rx_buf_full_drops: frames dropped for want of receive sections
 * @filter_drops: frames dropped by the packet filter or link/state
 * @rx_comp_fail: receive packets the guest completed with a failure status
 * @tx_dropped: guest frames the host could not forward
 * @rx_vlan: frames delivered with an 802.1Q PPI
 * @rx_corrupted: frames delivered with a checksum broken on purpose
 * @ka_last_sent: request id of the last KEEPALIVE the host sent (ids
 *	start at 1; written under &nvsim_nic.knob_lock)
 * @ka_last_answered: highest id answered so far (primary channel work)
 * @ka_sent: RNDIS KEEPALIVE requests sent to the guest
 * @ka_answered: KEEPALIVE_C answers with an id sent and not yet answered
 *	and status success
 * @ka_bad: other KEEPALIVE_C answers (unknown or repeated id, failure)
 * @vf: the NIC's SR-IOV VF, as the host sees it
 * @chans: per channel state, index = sub_channel_index
 */
struct nvsim_nic {
	u32 id;
	struct kobject kobj;
	guid_t instance;
	struct vmbus_sim_device *vdev;
	struct nvsim_port port;

	struct mutex knob_lock;	/* see DOC: Locking */
	u8 perm_mac[ETH_ALEN];
	u8 cur_mac[ETH_ALEN];
	bool link;
	u32 link_speed;
	u32 max_queues;
	u32 nvsp_max;
	u32 mtu_max;
	bool off_csum;
	bool off_udp_csum;
	bool off_tso;
	bool off_rsc;
	bool tx_csum_verify;
	u32 rx_csum_mode;
	u32 rx_corrupt;
	u32 fail_oid;
	atomic_t drop_completions;
	atomic_t replay_completions;
	atomic_t fail_completions;
	atomic_t short_completions;
	u32 delay_ms;
	u32 read_lag_ms;
	bool stop_reading;
	u32 hold_open;
	u32 hold_gpadl;
	int subch_grant;
	u32 subch_extra;
	u32 rss_itab;
	u32 nvsp_exact;
	u32 send_section_size;

	u32 nvsp_version;
	u32 ndis_version;
	u32 ndis_mtu;
	u64 ndis_caps;
	u32 rndis_state;
	u32 filter;
	bool rx_csum;
	bool rsc_on;
	bool rsc_ip4;
	bool rsc_ip6;
	u32 subch_granted;
	struct nvsim_buf __rcu *recv_buf;
	struct nvsim_buf __rcu *send_buf;
	u8 buf_gen;
	struct nvsim_rss __rcu *rss;
	u32 send_table[NVSP_SEND_TABLE_SIZE];

	struct work_struct rescind_work;
	DECLARE_BITMAP(rescind_pending, NVSIM_MAX_CHANS);

	spinlock_t log_lock;	/* see DOC: Locking */
	struct nvsim_rndis_log rlog[NVSIM_RNDIS_SLOTS];

	atomic64_t bad_messages;
	atomic64_t rx_buf_full_drops;
	atomic64_t filter_drops;
	atomic64_t rx_comp_fail;
	atomic64_t tx_dropped;
	atomic64_t rx_vlan;
	atomic64_t rx_corrupted;

	u32 ka_last_sent;
	u32 ka_last_answered;
	atomic64_t ka_sent;
	atomic64_t ka_answered;
	atomic64_t ka_bad;

	struct nvsim_vf vf;

	struct nvsim_chan chans[NVSIM_MAX_CHANS];
};

/* nvsim_main.c */
__printf(2, 3) void nvsim_bad(struct nvsim_nic *nic, const char *fmt, ...);
struct nvsim_nic *nvsim_nic_create(u32 id, const u8 *mac, u32 queues,
				   u32 nvsp_max, u32 mtu_max, u32 nvsp_exact,
				   u32 send_section);
void nvsim_nic_destroy(struct nvsim_nic *nic);
int nvsim_send_comp(struct nvsim_chan *chan, u64 trans_id,
		    const void *data, u32 len);
extern struct nvsim_switch nvsim_sw;

/* nvsim_nvsp.c */
void nvsim_nvsp_rx(struct nvsim_chan *chan, const struct vmbus_sim_pkt *pkt);
void nvsim_nvsp_release_bufs(struct nvsim_nic *nic);
void nvsim_nvsp_rescind_work(struct work_struct *work);
int nvsim_nvsp_version_parse(const char *s, u32 *ver);
const char *nvsim_nvsp_version_name(u32 ver);
int nvsim_nvsp_slot(u32 type);
u32 nvsim_nvsp_slot_type(int slot);
const char *nvsim_nvsp_name(u32 type);
int nvsim_malformed(struct nvsim_nic *nic, enum nvsim_malformed kind);
int nvsim_nvsp_send_table(struct nvsim_nic *nic, const u32 *table);

/* nvsim_rndis.c */
u32 nvsim_rndis_control(struct nvsim_chan *chan, const u8 *msg, u32 len);
int nvsim_rndis_indicate(struct nvsim_nic *nic, u32 status,
			 const void *buf, u32 buflen);
int nvsim_rndis_keepalive(struct nvsim_nic *nic, u32 n);
const char *nvsim_rndis_name(u32 type);

/**
 * struct nvsim_txsrc - where the RNDIS payload of a SEND_RNDIS_PKT lies
 * @head: host copy of the send-buffer section part
 * @head_len: bytes at @head
 * @pkt: the VMBus packet whose GPA ranges hold the rest, or NULL
 * @len: total payload bytes (@head_len + GPA range bytes)
 */
struct nvsim_txsrc {
	const u8 *head;
	u32 head_len;
	const struct vmbus_sim_pkt *pkt;
	u32 len;
};

/* nvsim_tx.c */
u32 nvsim_tx_data(struct nvsim_chan *chan, const struct nvsim_txsrc *src);

/* nvsim_rx.c */
int nvsim_rx_send_msg(struct nvsim_nic *nic, struct nvsim_chan *chan,
		      const void *msg, u32 len);
void nvsim_rx_deliver(struct nvsim_nic *nic, struct sk_buff *skb);
void nvsim_rx_complete(struct nvsim_chan *chan, const struct vmbus_sim_pkt *pkt);
struct nvsim_buf *nvsim_rx_buf_get(struct nvsim_nic *nic, u32 bytes,
				   u32 *start, u32 *n);
bool nvsim_rx_buf_alloc(struct nvsim_buf *buf, u32 bytes, u32 *start, u32 *n);
int nvsim_rx_rsc_seq(struct nvsim_nic *nic, const u8 *flags, u32 cnt);
void nvsim_rx_buf_free(struct nvsim_buf *buf, u32 start, u32 n);
u32 nvsim_toeplitz(const u8 *key, const u8 *data, u32 len);
bool nvsim_rx_flow_hash(const struct nvsim_rss *rss, const struct sk_buff *skb,
			u32 *hash);

/* nvsim_switch.c */
int nvsim_switch_init(void);
void nvsim_switch_exit(void);
void nvsim_switch_add_port(struct nvsim_port *port);
void nvsim_switch_del_port(struct nvsim_port *port);
void nvsim_switch_forward(struct nvsim_port *in, struct sk_buff *skb);

/* nvsim_vf.c */
void nvsim_vf_init(struct nvsim_nic *nic);
bool nvsim_vf_out(struct nvsim_nic *nic, struct sk_buff *skb);
void nvsim_vf_session(struct nvsim_nic *nic);
void nvsim_vf_reset(struct nvsim_nic *nic);
bool nvsim_vf_switch(struct nvsim_nic *nic, u32 dp);
int nvsim_vf_set_allocated(struct nvsim_nic *nic, bool allocated);
int nvsim_vf_attach(struct nvsim_nic *nic, const char *name);
void nvsim_vf_detach_locked(struct nvsim_nic *nic);
void nvsim_vf_uplink_name(struct nvsim_nic *nic, char *buf);
int nvsim_vf_module_init(void);
void nvsim_vf_module_exit(void);

/* nvsim_sysfs.c */
int nvsim_sysfs_init(void);
void nvsim_sysfs_exit(void);
int nvsim_sysfs_add_nic(struct nvsim_nic *nic);
void nvsim_sysfs_unlink_nic(struct nvsim_nic *nic);
void nvsim_sysfs_put_nic(struct nvsim_nic *nic);

#endif /* _NETVSP_SIM_H */
