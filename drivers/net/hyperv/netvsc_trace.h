/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints for every NVSP and RNDIS message hv_netvsc sends or receives,
 * with symbolic message names: tools/perf and trace-cmd show the protocol
 * exchange without a debugger.  (checkpatch --strict reports alignment and
 * "line ends with (" CHECKs on the TRACE_EVENT macros; that is the layout
 * every trace header uses.)
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM hv_netvsc

#if !defined(_NETVSC_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _NETVSC_TRACE_H

#include <linux/netdevice.h>
#include <linux/tracepoint.h>

#include <hv_netvsc/nvsp.h>
#include <hv_netvsc/rndis_ndis.h>

DECLARE_EVENT_CLASS(netvsc_nvsp_class,
	TP_PROTO(const struct net_device *ndev, u16 queue, u32 type, u32 len),
	TP_ARGS(ndev, queue, type, len),
	TP_STRUCT__entry(
		__array(char, name, IFNAMSIZ)
		__field(u16, queue)
		__field(u32, type)
		__field(u32, len)
	),
	TP_fast_assign(
		strscpy(__entry->name, netdev_name(ndev), IFNAMSIZ);
		__entry->queue = queue;
		__entry->type = type;
		__entry->len = len;
	),
	TP_printk("dev=%s q=%u %s (%u) len=%u", __entry->name, __entry->queue,
		  __print_symbolic(__entry->type,
				   { NVSP_MSG_INIT, "INIT" },
				   { NVSP_MSG_INIT_COMP, "INIT_COMP" },
				   { NVSP_MSG_SEND_NDIS_VER, "NDIS_VER" },
				   { NVSP_MSG_SEND_RECV_BUF, "RECV_BUF" },
				   { NVSP_MSG_SEND_RECV_BUF_COMP, "RECV_BUF_COMP" },
				   { NVSP_MSG_REVOKE_RECV_BUF, "REVOKE_RECV_BUF" },
				   { NVSP_MSG_SEND_SEND_BUF, "SEND_BUF" },
				   { NVSP_MSG_SEND_SEND_BUF_COMP, "SEND_BUF_COMP" },
				   { NVSP_MSG_REVOKE_SEND_BUF, "REVOKE_SEND_BUF" },
				   { NVSP_MSG_SEND_RNDIS_PKT, "RNDIS_PKT" },
				   { NVSP_MSG_SEND_RNDIS_PKT_COMP, "RNDIS_PKT_COMP" },
				   { NVSP_MSG_SEND_NDIS_CONFIG, "NDIS_CONFIG" },
				   { NVSP_MSG_SEND_VF_ASSOCIATION, "VF_ASSOCIATION" },
				   { NVSP_MSG_SWITCH_DATA_PATH, "SWITCH_DATA_PATH" },
				   { NVSP_MSG_SUBCHANNEL, "SUBCHANNEL" },
				   { NVSP_MSG_SEND_INDIRECTION_TABLE, "SEND_TABLE" }),
		  __entry->type, __entry->len)
);

DEFINE_EVENT(netvsc_nvsp_class, netvsc_nvsp_send,
	TP_PROTO(const struct net_device *ndev, u16 queue, u32 type, u32 len),
	TP_ARGS(ndev, queue, type, len)
);

DEFINE_EVENT(netvsc_nvsp_class, netvsc_nvsp_recv,
	TP_PROTO(const struct net_device *ndev, u16 queue, u32 type, u32 len),
	TP_ARGS(ndev, queue, type, len)
);

DECLARE_EVENT_CLASS(netvsc_rndis_class,
	TP_PROTO(const struct net_device *ndev, u16 queue, u32 type, u32 len,
		 u32 req_id),
	TP_ARGS(ndev, queue, type, len, req_id),
	TP_STRUCT__entry(
		__array(char, name, IFNAMSIZ)
		__field(u16, queue)
		__field(u32, type)
		__field(u32, len)
		__field(u32, req_id)
	),
	TP_fast_assign(
		strscpy(__entry->name, netdev_name(ndev), IFNAMSIZ);
		__entry->queue = queue;
		__entry->type = type;
		__entry->len = len;
		__entry->req_id = req_id;
	),
	TP_printk("dev=%s q=%u %s (%#x) len=%u id=%#x", __entry->name,
		  __entry->queue,
		  __print_symbolic(__entry->type,
				   { RNDIS_MSG_PACKET, "PACKET" },
				   { RNDIS_MSG_INIT, "INIT" },
				   { RNDIS_MSG_INIT_C, "INIT_C" },
				   { RNDIS_MSG_HALT, "HALT" },
				   { RNDIS_MSG_QUERY, "QUERY" },
				   { RNDIS_MSG_QUERY_C, "QUERY_C" },
				   { RNDIS_MSG_SET, "SET" },
				   { RNDIS_MSG_SET_C, "SET_C" },
				   { RNDIS_MSG_RESET, "RESET" },
				   { RNDIS_MSG_RESET_C, "RESET_C" },
				   { RNDIS_MSG_INDICATE, "INDICATE" },
				   { RNDIS_MSG_KEEPALIVE, "KEEPALIVE" },
				   { RNDIS_MSG_KEEPALIVE_C, "KEEPALIVE_C" }),
		  __entry->type, __entry->len, __entry->req_id)
);

DEFINE_EVENT(netvsc_rndis_class, netvsc_rndis_send,
	TP_PROTO(const struct net_device *ndev, u16 queue, u32 type, u32 len,
		 u32 req_id),
	TP_ARGS(ndev, queue, type, len, req_id)
);

DEFINE_EVENT(netvsc_rndis_class, netvsc_rndis_recv,
	TP_PROTO(const struct net_device *ndev, u16 queue, u32 type, u32 len,
		 u32 req_id),
	TP_ARGS(ndev, queue, type, len, req_id)
);

#endif /* _NETVSC_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE netvsc_trace
#include <trace/define_trace.h>
