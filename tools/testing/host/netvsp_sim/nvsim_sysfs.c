// SPDX-License-Identifier: GPL-2.0
/*
 * netvsp_sim control interface under /sys/kernel/netvsp_sim/.
 *
 * This file owns the sysfs contract the integration tests use (see
 * Documentation/testing/netvsp_sim.rst): new_nic, del_nic and host_port at
 * the top, and per NIC (nicID/) the identity, the host knobs (MAC, link,
 * speed, queues, NVSP version, MTU limit, offload capabilities), the
 * counters and message log, and the fault injection knobs.  It also keeps
 * the table of NICs by number.
 */

#include <linux/etherdevice.h>
#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "netvsp_sim.h"

static struct kobject *nvsim_root;
static DEFINE_MUTEX(nvsim_nics_lock);
static struct nvsim_nic *nvsim_nics[NVSIM_MAX_NICS];

static const char * const nvsim_malformed_names[NVSIM_BAD_NR] = {
	[NVSIM_BAD_TRUNCATED] = "truncated",
	[NVSIM_BAD_OVERSIZED_LEN] = "oversized_len",
	[NVSIM_BAD_OFFSET] = "bad_offset",
	[NVSIM_BAD_INDEX] = "bad_index",
	[NVSIM_BAD_SEND_TABLE] = "bad_send_table",
	[NVSIM_BAD_RUNT] = "runt",
	[NVSIM_BAD_OVERSIZED_FRAME] = "oversized_frame",
	[NVSIM_BAD_FRAME_BURST] = "frame_burst",
	[NVSIM_BAD_RSC_ORPHAN] = "rsc_orphan",
	[NVSIM_BAD_RSC_NO_LAST] = "rsc_no_last",
	[NVSIM_BAD_RSC_SPAN] = "rsc_span",
	[NVSIM_BAD_RSC_HUGE] = "rsc_huge",
};

static const char * const nvsim_rx_csum_names[NVSIM_RX_CSUM_NR] = {
	[NVSIM_RX_CSUM_AUTO] = "auto",
	[NVSIM_RX_CSUM_NONE] = "none",
	[NVSIM_RX_CSUM_GOOD] = "good",
	[NVSIM_RX_CSUM_FAILED] = "failed",
	[NVSIM_RX_CSUM_IP_INVALID] = "ip_invalid",
};

static const char * const nvsim_rx_corrupt_names[NVSIM_CORRUPT_NR] = {
	[NVSIM_CORRUPT_NONE] = "none",
	[NVSIM_CORRUPT_L4] = "l4",
	[NVSIM_CORRUPT_IP] = "ip",
};

#define to_nic(k) container_of(k, struct nvsim_nic, kobj)

/* ---- NIC creation and removal ---- */

/* "off", "none" or a version name, for nvsp_exact */
static int nvsim_nvsp_exact_parse(const char *s, u32 *ver)
{
	if (sysfs_streq(s, "off")) {
		*ver = NVSIM_NVSP_EXACT_OFF;
		return 0;
	}
	if (sysfs_streq(s, "none")) {
		*ver = NVSIM_NVSP_EXACT_NONE;
		return 0;
	}
	return nvsim_nvsp_version_parse(s, ver);
}

/*
 * Parse "ID [mac=..|fault_mac=..] [queues=N] [nvsp=V] [mtu=N]
 * [nvsp_exact=V] [send_section=N]" and create the NIC
 */
static int nvsim_new_nic(char *args)
{
	u32 id, queues = NVSIM_DEFAULT_QUEUES, nvsp = NVSP_PROTO_VERSION_61;
	u32 mtu = NVSP_MTU_MAX, exact = NVSIM_NVSP_EXACT_OFF;
	u32 ssize = NVSIM_SEND_SECTION_SIZE;
	u8 mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0 };
	struct nvsim_nic *nic;
	char *tok, *val;
	int ret;

	tok = strsep(&args, " \t\n");
	if (!tok || kstrtou32(tok, 10, &id) || id >= NVSIM_MAX_NICS)
		return -EINVAL;
	mac[5] = id;
	while ((tok = strsep(&args, " \t\n"))) {
		if (!*tok)
			continue;
		val = strchr(tok, '=');
		if (!val)
			return -EINVAL;
		*val++ = 0;
		if (!strcmp(tok, "mac"))
			ret = mac_pton(val, mac) && is_valid_ether_addr(mac) ?
			      0 : -EINVAL;
		else if (!strcmp(tok, "fault_mac"))
			/* any MAC: zero, multicast, broadcast */
			ret = mac_pton(val, mac) ? 0 : -EINVAL;
		else if (!strcmp(tok, "queues"))
			ret = kstrtou32(val, 10, &queues) ?:
			      (queues && queues <= NVSIM_MAX_CHANS ? 0 : -EINVAL);
		else if (!strcmp(tok, "nvsp"))
			ret = nvsim_nvsp_version_parse(val, &nvsp);
		else if (!strcmp(tok, "mtu"))
			ret = kstrtou32(val, 10, &mtu) ?:
			      (mtu && mtu <= NVSP_MTU_MAX ? 0 : -EINVAL);
		else if (!strcmp(tok, "nvsp_exact"))
			ret = nvsim_nvsp_exact_parse(val, &exact);
		else if (!strcmp(tok, "send_section"))
			ret = kstrtou32(val, 0, &ssize);
		else
			ret = -EINVAL;
		if (ret)
			return ret;
	}
	mutex_lock(&nvsim_nics_lock);
	if (nvsim_nics[id]) {
		ret = -EEXIST;
		goto out;
	}
	nic = nvsim_nic_create(id, mac, queues, nvsp, mtu, exact, ssize);
	if (IS_ERR(nic)) {
		ret = PTR_ERR(nic);
		goto out;
	}
	nvsim_nics[id] = nic;
	ret = 0;
out:
	mutex_unlock(&nvsim_nics_lock);
	return ret;
}

static ssize_t new_nic_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	char *args = kstrndup(buf, count, GFP_KERNEL);
	int ret;

	if (!args)
		return -ENOMEM;
	ret = nvsim_new_nic(args);
	kfree(args);
	return ret ?: count;
}

static ssize_t del_nic_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	struct nvsim_nic *nic;
	u32 id;

	if (kstrtou32(buf, 10, &id) || id >= NVSIM_MAX_NICS)
		return -EINVAL;
	mutex_lock(&nvsim_nics_lock);
	nic = nvsim_nics[id];
	if (nic) {
		nvsim_nics[id] = NULL;
		nvsim_nic_destroy(nic);
	}
	mutex_unlock(&nvsim_nics_lock);
	return nic ? count : -ENOENT;
}

static ssize_t host_port_show(struct kobject *kobj, struct kobj_attribute *attr,
			      char *buf)
{
	return sysfs_emit(buf, "%s\n", netdev_name(nvsim_sw.host_ndev));
}

static struct kobj_attribute nvsim_attr_new_nic = __ATTR_WO(new_nic);
static struct kobj_attribute nvsim_attr_del_nic = __ATTR_WO(del_nic);
static struct kobj_attribute nvsim_attr_host_port = __ATTR_RO(host_port);

static struct attribute *nvsim_root_attrs[] = {
	&nvsim_attr_new_nic.attr,
	&nvsim_attr_del_nic.attr,
	&nvsim_attr_host_port.attr,
	NULL,
};

static const struct attribute_group nvsim_root_group = {
	.attrs = nvsim_root_attrs,
};

/* ---- per-NIC identity and host knobs ---- */

static ssize_t instance_show(struct kobject *kobj, struct kobj_attribute *a,
			     char *buf)
{
	return sysfs_emit(buf, "%pUl\n", &to_nic(kobj)->instance);
}

static ssize_t mac_show(struct kobject *kobj, struct kobj_attribute *a,
			char *buf)
{
	struct nvsim_nic *nic = to_nic(kobj);
	ssize_t ret;

	mutex_lock(&nic->knob_lock);
	ret = sysfs_emit(buf, "%pM\n", nic->cur_mac);
	mutex_unlock(&nic->knob_lock);
	return ret;
}

static ssize_t mac_store(struct kobject *kobj, struct kobj_attribute *a,
			 const char *buf, size_t count)
{
	struct nvsim_nic *nic = to_nic(kobj);
	u8 mac[ETH_ALEN];

	if (!mac_pton(buf, mac) || !is_valid_ether_addr(mac))
		return -EINVAL;
	mutex_lock(&nic->knob_lock);
	ether_addr_copy(nic->perm_mac, mac);
	ether_addr_copy(nic->cur_mac, mac);
	mutex_unlock(&nic->knob_lock);
	return count;
}

static ssize_t link_show(struct kobject *kobj, struct kobj_attribute *a,
			 char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(to_nic(kobj)->link));
}

static ssize_t link_store(struct kobject *kobj, struct kobj_attribute *a,
			  const char *buf, size_t count)
{
	struct nvsim_nic *nic = to_nic(kobj);
	bool up;

	if (kstrtobool(buf, &up))
		return -EINVAL;
	mutex_lock(&nic->knob_lock);
	WRITE_ONCE(nic->link, up);
	nvsim_rndis_indicate(nic, up ? RNDIS_STATUS_MEDIA_CONNECT :
				  RNDIS_STATUS_MEDIA_DISCONNECT, NULL, 0);
	mutex_unlock(&nic->knob_lock);
	return count;
}

static ssize_t link_speed_show(struct kobject *kobj, struct kobj_attribute *a,
			       char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(to_nic(kobj)->link_speed));
}

static ssize_t link_speed_store(struct kobject *kobj, struct kobj_attribute *a,
				const char *buf, size_t count)
{
	struct nvsim_nic *nic = to_nic(kobj);
	__le32 v;
	u32 mbps;

	if (kstrtou32(buf, 10, &mbps) || !mbps || mbps > U32_MAX / 10000)
		return -EINVAL;
	mutex_lock(&nic->knob_lock);
	WRITE_ONCE(nic->link_speed, mbps);
	v = cpu_to_le32(mbps * 10000);
	nvsim_rndis_indicate(nic, RNDIS_STATUS_LINK_SPEED_CHANGE, &v, sizeof(v));
	mutex_unlock(&nic->knob_lock);
	return count;
}

static ssize_t network_change_store(struct kobject *kobj,
				    struct kobj_attribute *a,
				    const char *buf, size_t count)
{
	struct nvsim_nic *nic = to_nic(kobj);
	int ret;

	if (!sysfs_streq(buf, "1"))
		return -EINVAL;
	mutex_lock(&nic->knob_lock);
	ret = nvsim_rndis_indicate(nic, RNDIS_STATUS_NETWORK_CHANGE, NULL, 0);
	mutex_unlock(&nic->knob_lock);
	return ret ?: count;
}

/**
 * struct nvsim_knob_attr - a plain u32 or bool knob of struct nvsim_nic
 * @attr: the sysfs attribute
 * @off: offset of the field in struct nvsim_nic
 * @min: smallest value accepted (u32 knobs)
 * @max: largest value accepted (u32 knobs)
 * @is_bool: the field is a bool written as 0/1
 */
struct nvsim_knob_attr {
	struct kobj_attribute attr;
	size_t off;
	u32 min;
	u32 max;
	bool is_bool;
};

static ssize_t nvsim_knob_show(struct kobject *kobj, struct kobj_attribute *a,
			       char *buf)
{
	const struct nvsim_knob_attr *k = container_of(a, struct nvsim_knob_attr,
						       attr);
	void *field = (u8 *)to_nic(kobj) + k->off;

	if (k->is_bool)
		return sysfs_emit(buf, "%d\n", READ_ONCE(*(bool *)field));
	return sysfs_emit(buf, "%u\n", READ_ONCE(*(u32 *)field));
}

static ssize_t nvsim_knob_store(struct kobject *kobj, struct kobj_attribute *a,
				const char *buf, size_t count)
{
	const struct nvsim_knob_attr *k = container_of(a, struct nvsim_knob_attr,
						       attr);
	void *field = (u8 *)to_nic(kobj) + k->off;
	bool b;
	u32 v;

	if (k->is_bool) {
		if (kstrtobool(buf, &b))
			return -EINVAL;
		WRITE_ONCE(*(bool *)field, b);
		return count;
	}
	if (kstrtou32(buf, 0, &v) || v < k->min || v > k->max)
		return -EINVAL;
	WRITE_ONCE(*(u32 *)field, v);
	return count;
}

#define NVSIM_KNOB(_name, _member, _min, _max, _bool)			\
	{								\
		.attr = __ATTR(_name, 0644, nvsim_knob_show,		\
			       nvsim_knob_store),			\
		.off = offsetof(struct nvsim_nic, _member),		\
		.min = _min,						\
		.max = _max,						\
		.is_bool = _bool,					\
	}

static struct nvsim_knob_attr nvsim_knobs[] = {
	NVSIM_KNOB(max_queues, max_queues, 1, NVSIM_MAX_CHANS, false),
	NVSIM_KNOB(mtu_max, mtu_max, 1, NVSP_MTU_MAX, false),
	NVSIM_KNOB(fault_fail_oid, fail_oid, 0, U32_MAX, false),
	NVSIM_KNOB(fault_delay_completion_ms, delay_ms, 0, 10000, false),
	NVSIM_KNOB(offload_csum, off_csum, 0, 1, true),
	NVSIM_KNOB(offload_udp_csum, off_udp_csum, 0, 1, true),
	NVSIM_KNOB(offload_tso, off_tso, 0, 1, true),
	NVSIM_KNOB(offload_rsc, off_rsc, 0, 1, true),
	NVSIM_KNOB(tx_csum_verify, tx_csum_verify, 0, 1, true),
	NVSIM_KNOB(send_section_size, send_section_size, 0, U32_MAX, false),
	NVSIM_KNOB(fault_subchannel_extra, subch_extra, 0, 8, false),
	NVSIM_KNOB(fault_tx_read_lag_ms, read_lag_ms, 0, 10000, false),
	NVSIM_KNOB(rss_itab_size, rss_itab, 0, U16_MAX, false),
	NVSIM_KNOB(vf_serial, vf.serial, 0, U32_MAX, false),
	NVSIM_KNOB(vf_revoke_timeout_ms, vf.revoke_timeout_ms, 0, 600000, false),
};

static ssize_t nvsp_max_show(struct kobject *kobj, struct kobj_attribute *a,
			     char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  nvsim_nvsp_version_name(READ_ONCE(to_nic(kobj)->nvsp_max)));
}

static ssize_t nvsp_max_store(struct kobject *kobj, struct kobj_attribute *a,
			      const char *buf, size_t count)
{
	u32 v;

	if (nvsim_nvsp_version_parse(buf, &v))
		return -EINVAL;
	WRITE_ONCE(to_nic(kobj)->nvsp_max, v);
	return count;
}

static ssize_t rx_csum_result_show(struct kobject *kobj,
				   struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  nvsim_rx_csum_names[READ_ONCE(to_nic(kobj)->rx_csum_mode)]);
}

static ssize_t rx_csum_result_store(struct kobject *kobj,
				    struct kobj_attribute *a,
				    const char *buf, size_t count)
{
	int i = sysfs_match_string(nvsim_rx_csum_names, buf);

	if (i < 0)
		return -EINVAL;
	WRITE_ONCE(to_nic(kobj)->rx_csum_mode, i);
	return count;
}

static ssize_t fault_rx_corrupt_csum_show(struct kobject *kobj,
					  struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  nvsim_rx_corrupt_names[READ_ONCE(to_nic(kobj)->rx_corrupt)]);
}

static ssize_t fault_rx_corrupt_csum_store(struct kobject *kobj,
					   struct kobj_attribute *a,
					   const char *buf, size_t count)
{
	int i = sysfs_match_string(nvsim_rx_corrupt_names, buf);

	if (i < 0)
		return -EINVAL;
	WRITE_ONCE(to_nic(kobj)->rx_corrupt, i);
	return count;
}

static ssize_t nvsp_exact_show(struct kobject *kobj, struct kobj_attribute *a,
			       char *buf)
{
	u32 v = READ_ONCE(to_nic(kobj)->nvsp_exact);

	if (v == NVSIM_NVSP_EXACT_OFF)
		return sysfs_emit(buf, "off\n");
	if (v == NVSIM_NVSP_EXACT_NONE)
		return sysfs_emit(buf, "none\n");
	return sysfs_emit(buf, "%s\n", nvsim_nvsp_version_name(v));
}

static ssize_t nvsp_exact_store(struct kobject *kobj, struct kobj_attribute *a,
				const char *buf, size_t count)
{
	u32 v;

	if (nvsim_nvsp_exact_parse(buf, &v))
		return -EINVAL;
	WRITE_ONCE(to_nic(kobj)->nvsp_exact, v);
	return count;
}

/* Write N (1..1000): N RNDIS KEEPALIVE requests to the guest */
static ssize_t rndis_keepalive_store(struct kobject *kobj,
				     struct kobj_attribute *a,
				     const char *buf, size_t count)
{
	struct nvsim_nic *nic = to_nic(kobj);
	u32 n;
	int ret;

	if (kstrtou32(buf, 0, &n) || !n || n > 1000)
		return -EINVAL;
	mutex_lock(&nic->knob_lock);
	ret = nvsim_rndis_keepalive(nic, n);
	mutex_unlock(&nic->knob_lock);
	return ret ?: count;
}

/* Write 1: the status indications of an adapter reset, start then end */
static ssize_t rndis_reset_store(struct kobject *kobj,
				 struct kobj_attribute *a,
				 const char *buf, size_t count)
{
	struct nvsim_nic *nic = to_nic(kobj);
	int ret;

	if (!sysfs_streq(buf, "1"))
		return -EINVAL;
	mutex_lock(&nic->knob_lock);
	ret = nvsim_rndis_indicate(nic, RNDIS_STATUS_RESET_START, NULL, 0) ?:
	      nvsim_rndis_indicate(nic, RNDIS_STATUS_RESET_END, NULL, 0);
	mutex_unlock(&nic->knob_lock);
	return ret ?: count;
}

/* Knobs that count down: the next N completions get the fault. */
struct nvsim_count_attr {
	struct kobj_attribute attr;
	size_t off;
};

static atomic_t *nvsim_count(struct kobject *kobj, struct kobj_attribute *a)
{
	return (void *)to_nic(kobj) +
	       container_of(a, struct nvsim_count_attr, attr)->off;
}

static ssize_t nvsim_count_show(struct kobject *kobj,
				struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(nvsim_count(kobj, a)));
}

static ssize_t nvsim_count_store(struct kobject *kobj,
				 struct kobj_attribute *a,
				 const char *buf, size_t count)
{
	int v;

	if (kstrtoint(buf, 0, &v) || v < 0)
		return -EINVAL;
	atomic_set(nvsim_count(kobj, a), v);
	return count;
}

#define NVSIM_COUNT(_name, _member)					\
	{								\
		.attr = __ATTR(_name, 0644, nvsim_count_show,		\
			       nvsim_count_store),			\
		.off = offsetof(struct nvsim_nic, _member),		\
	}

static struct nvsim_count_attr nvsim_counts[] = {
	NVSIM_COUNT(fault_drop_completions, drop_completions),
	NVSIM_COUNT(fault_replay_completions, replay_completions),
	NVSIM_COUNT(fault_fail_completions, fail_completions),
	NVSIM_COUNT(fault_short_completions, short_completions),
	NVSIM_COUNT(fault_vf_switch_ignore, vf.switch_ignore),
};

static ssize_t fault_subchannel_grant_show(struct kobject *kobj,
					   struct kobj_attribute *a, char *buf)
{
	int v = READ_ONCE(to_nic(kobj)->subch_grant);

	if (v == NVSIM_GRANT_REFUSE)
		return sysfs_emit(buf, "refuse\n");
	return sysfs_emit(buf, "%d\n", v);
}

static ssize_t fault_subchannel_grant_store(struct kobject *kobj,
					    struct kobj_attribute *a,
					    const char *buf, size_t count)
{
	int v;

	if (sysfs_streq(buf, "refuse"))
		v = NVSIM_GRANT_REFUSE;
	else if (kstrtoint(buf, 0, &v) || v < NVSIM_GRANT_NORMAL ||
		 v >= NVSIM_MAX_CHANS)
		return -EINVAL;
	WRITE_ONCE(to_nic(kobj)->subch_grant, v);
	return count;
}

static ssize_t fault_stop_reading_show(struct kobject *kobj,
				       struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(to_nic(kobj)->stop_reading));
}

/* Applies to the channels open now; resuming kicks them. */
static ssize_t fault_stop_reading_store(struct kobject *kobj,
					struct kobj_attribute *a,
					const char *buf, size_t count)
{
	struct nvsim_nic *nic = to_nic(kobj);
	bool stop;
	int i;

	if (kstrtobool(buf, &stop))
		return -EINVAL;
	mutex_lock(&nic->knob_lock);
	WRITE_ONCE(nic->stop_reading, stop);
	for (i = 0; i < NVSIM_MAX_CHANS; i++)
		if (READ_ONCE(nic->chans[i].open))
			vmbus_sim_chan_stop_reading(nic->chans[i].vchan, stop);
	mutex_unlock(&nic->knob_lock);
	return count;
}

/* The primary channel is rescinded under the guest's next send. */
static ssize_t fault_rescind_race_store(struct kobject *kobj,
					struct kobj_attribute *a,
					const char *buf, size_t count)
{
	struct nvsim_nic *nic = to_nic(kobj);
	int ret = 0;

	mutex_lock(&nic->knob_lock);
	if (READ_ONCE(nic->chans[0].open))
		vmbus_sim_chan_arm_rescind_race(nic->chans[0].vchan);
	else
		ret = -ENOTCONN;
	mutex_unlock(&nic->knob_lock);
	return ret ?: count;
}

static ssize_t fault_hold_open_show(struct kobject *kobj,
				    struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%#x\n", READ_ONCE(to_nic(kobj)->hold_open));
}

static ssize_t fault_hold_gpadl_show(struct kobject *kobj,
				     struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(to_nic(kobj)->hold_gpadl));
}

static ssize_t fault_refuse_gpadl_show(struct kobject *kobj,
				       struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  vmbus_sim_dev_gpadl_refusals(to_nic(kobj)->vdev));
}

static ssize_t fault_refuse_gpadl_store(struct kobject *kobj,
					struct kobj_attribute *a,
					const char *buf, size_t count)
{
	u32 v;

	if (kstrtou32(buf, 0, &v))
		return -EINVAL;
	vmbus_sim_dev_refuse_gpadl(to_nic(kobj)->vdev, v);
	return count;
}

/* Both hold knobs set the device's holds together. */
static ssize_t nvsim_hold_store(struct kobject *kobj, const char *buf,
				size_t count, bool open)
{
	struct nvsim_nic *nic = to_nic(kobj);
	u32 v;

	if (kstrtou32(buf, 0, &v) ||
	    (!open && v & ~(VMBUS_SIM_HOLD_ESTABLISH | VMBUS_SIM_HOLD_TEARDOWN)))
		return -EINVAL;
	mutex_lock(&nic->knob_lock);
	if (open)
		WRITE_ONCE(nic->hold_open, v);
	else
		WRITE_ONCE(nic->hold_gpadl, v);
	vmbus_sim_dev_hold(nic->vdev, nic->hold_open, nic->hold_gpadl);
	mutex_unlock(&nic->knob_lock);
	return count;
}

static ssize_t fault_hold_open_store(struct kobject *kobj,
				     struct kobj_attribute *a,
				     const char *buf, size_t count)
{
	return nvsim_hold_store(kobj, buf, count, true);
}

static ssize_t fault_hold_gpadl_store(struct kobject *kobj,
				      struct kobj_attribute *a,
				      const char *buf, size_t count)
{
	return nvsim_hold_store(kobj, buf, count, false);
}

/* N subchannels offered now, unasked (a late or stray offer). */
static ssize_t fault_offer_subchannels_store(struct kobject *kobj,
					     struct kobj_attribute *a,
					     const char *buf, size_t count)
{
	struct nvsim_nic *nic = to_nic(kobj);
	u32 n;
	int ret;

	if (kstrtou32(buf, 0, &n) || !n || n >= NVSIM_MAX_CHANS)
		return -EINVAL;
	mutex_lock(&nic->knob_lock);
	ret = vmbus_sim_offer_subchannels(nic->vdev, n);
	mutex_unlock(&nic->knob_lock);
	return ret < 0 ? ret : count;
}

/* Subchannel N is rescinded now, open or not; the primary stays. */
static ssize_t fault_rescind_subchannel_store(struct kobject *kobj,
					      struct kobj_attribute *a,
					      const char *buf, size_t count)
{
	struct nvsim_nic *nic = to_nic(kobj);
	struct vmbus_sim_chan *vchan;
	u32 idx;

	if (kstrtou32(buf, 0, &idx) || !idx || idx >= NVSIM_MAX_CHANS)
		return -EINVAL;
	mutex_lock(&nic->knob_lock);
	vchan = vmbus_sim_device_chan(nic->vdev, idx);
	if (vchan)
		vmbus_sim_rescind(vchan);
	mutex_unlock(&nic->knob_lock);
	return vchan ? count : -ENOENT;
}

static ssize_t fault_malformed_store(struct kobject *kobj,
				     struct kobj_attribute *a,
				     const char *buf, size_t count)
{
	struct nvsim_nic *nic = to_nic(kobj);
	int i, ret;

	i = sysfs_match_string(nvsim_malformed_names, buf);
	if (i < 0)
		return -EINVAL;
	mutex_lock(&nic->knob_lock);
	ret = nvsim_malformed(nic, i);
	mutex_unlock(&nic->knob_lock);
	return ret ?: count;
}

/* ---- counters and the message log ---- */

static int nvsim_emit_u64(char *buf, int at, const char *name, u64 v)
{
	return sysfs_emit_at(buf, at, "%s %llu\n", name, v);
}

static int nvsim_stats_chans(struct nvsim_nic *nic, char *buf, int at)
{
	u32 granted = READ_ONCE(nic->subch_granted);
	struct nvsim_chan *c;
	char name[32];
	int i;

	for (i = 0; i < NVSIM_MAX_CHANS; i++) {
		c = &nic->chans[i];
		if (i > granted && !READ_ONCE(c->tx_packets) &&
		    !atomic64_read(&c->rx_packets))
			continue;
		snprintf(name, sizeof(name), "ch%d_rx_packets", i);
		at += nvsim_emit_u64(buf, at, name, atomic64_read(&c->rx_packets));
		snprintf(name, sizeof(name), "ch%d_rx_bytes", i);
		at += nvsim_emit_u64(buf, at, name, atomic64_read(&c->rx_bytes));
		snprintf(name, sizeof(name), "ch%d_tx_packets", i);
		at += nvsim_emit_u64(buf, at, name, READ_ONCE(c->tx_packets));
		snprintf(name, sizeof(name), "ch%d_tx_bytes", i);
		at += nvsim_emit_u64(buf, at, name, READ_ONCE(c->tx_bytes));
		snprintf(name, sizeof(name), "ch%d_rx_ring_full", i);
		at += nvsim_emit_u64(buf, at, name, atomic64_read(&c->rx_ring_full));
	}
	return at;
}

static int nvsim_stats_bufs(struct nvsim_nic *nic, char *buf, int at)
{
	u32 rn = 0, rsz = 0, rused = 0, sn = 0, ssz = 0;
	const struct nvsim_rss *rss;
	struct nvsim_buf *b;
	u32 hi = 0, tsz = 0;

	rcu_read_lock();
	b = rcu_dereference(nic->recv_buf);
	if (b) {
		rn = b->num_sections;
		rsz = b->section_size;
		rused = READ_ONCE(b->used);
	}
	b = rcu_dereference(nic->send_buf);
	if (b) {
		sn = b->num_sections;
		ssz = b->section_size;
	}
	rss = rcu_dereference(nic->rss);
	if (rss) {
		hi = rss->hash_info;
		tsz = rss->n;
	}
	rcu_read_unlock();
	at += sysfs_emit_at(buf, at, "recv_sections %u\nrecv_section_size %u\n"
			    "recv_sections_used %u\nsend_sections %u\n"
			    "send_section_size %u\n", rn, rsz, rused, sn,
			    ssz);
	at += sysfs_emit_at(buf, at, "rss_enabled %d\nrss_hash_info 0x%x\n"
			    "rss_table_size %u\n", tsz != 0, hi, tsz);
	return at;
}

/* NIC totals of the per-channel offload counters */
static int nvsim_stats_sums(struct nvsim_nic *nic, char *buf, int at)
{
	u64 lso = 0, csum = 0, rsc = 0, seg = 0, mis = 0, chk = 0, bad = 0;
	u64 odrop = 0, vlan = 0, vdrop = 0;
	struct nvsim_chan *c;
	int i;

	for (i = 0; i < NVSIM_MAX_CHANS; i++) {
		c = &nic->chans[i];
		lso += READ_ONCE(c->tx_lso);
		csum += READ_ONCE(c->tx_csum);
		mis += READ_ONCE(c->tx_csum_misplaced);
		chk += READ_ONCE(c->tx_csum_checked);
		bad += READ_ONCE(c->tx_csum_bad);
		odrop += READ_ONCE(c->tx_offload_drops);
		vlan += READ_ONCE(c->tx_vlan);
		vdrop += READ_ONCE(c->tx_vlan_inband_drops);
		rsc += atomic64_read(&c->rsc_packets);
		seg += atomic64_read(&c->rx_segmented);
	}
	at += nvsim_emit_u64(buf, at, "rsc_packets", rsc);
	at += nvsim_emit_u64(buf, at, "tx_lso", lso);
	at += nvsim_emit_u64(buf, at, "tx_csum", csum);
	at += nvsim_emit_u64(buf, at, "tx_csum_misplaced", mis);
	at += nvsim_emit_u64(buf, at, "tx_csum_checked", chk);
	at += nvsim_emit_u64(buf, at, "tx_csum_bad", bad);
	at += nvsim_emit_u64(buf, at, "tx_offload_drops", odrop);
	at += nvsim_emit_u64(buf, at, "rx_segmented", seg);
	at += nvsim_emit_u64(buf, at, "tx_vlan", vlan);
	at += nvsim_emit_u64(buf, at, "tx_vlan_inband_drops", vdrop);
	at += nvsim_emit_u64(buf, at, "rx_vlan", atomic64_read(&nic->rx_vlan));
	at += nvsim_emit_u64(buf, at, "rx_corrupted",
			     atomic64_read(&nic->rx_corrupted));
	return at;
}

/* Send-section use and keepalive answers (counters) */
static int nvsim_stats_proto(struct nvsim_nic *nic, char *buf, int at)
{
	u64 sends = 0, oob = 0;
	u32 used = 0;
	int i;

	for (i = 0; i < NVSIM_MAX_CHANS; i++) {
		sends += READ_ONCE(nic->chans[i].tx_sect_sends);
		oob += READ_ONCE(nic->chans[i].tx_sect_oob);
		used = max(used, READ_ONCE(nic->chans[i].tx_sect_max_used));
	}
	at += nvsim_emit_u64(buf, at, "tx_section_sends", sends);
	at += nvsim_emit_u64(buf, at, "tx_section_oob", oob);
	at += nvsim_emit_u64(buf, at, "tx_section_max_used", used);
	at += nvsim_emit_u64(buf, at, "keepalive_sent",
			     atomic64_read(&nic->ka_sent));
	at += nvsim_emit_u64(buf, at, "keepalive_answered",
			     atomic64_read(&nic->ka_answered));
	at += nvsim_emit_u64(buf, at, "keepalive_bad",
			     atomic64_read(&nic->ka_bad));
	at += nvsim_emit_u64(buf, at, "keepalive_last_sent",
			     READ_ONCE(nic->ka_last_sent));
	at += nvsim_emit_u64(buf, at, "keepalive_last_answered",
			     READ_ONCE(nic->ka_last_answered));
	return at;
}

/* The VF path: frames each way, association and switch requests */
static int nvsim_stats_vf(struct nvsim_nic *nic, char *buf, int at)
{
	static const struct {
		const char *name;
		size_t off;
	} c[] = {
#define NVSIM_VF_STAT(_m) { "vf_" #_m, offsetof(struct nvsim_vf, _m) }
		NVSIM_VF_STAT(to_guest_packets),
		NVSIM_VF_STAT(to_guest_bytes),
		NVSIM_VF_STAT(from_guest_packets),
		NVSIM_VF_STAT(from_guest_bytes),
		NVSIM_VF_STAT(out_drops),
		NVSIM_VF_STAT(assoc_sent),
		NVSIM_VF_STAT(switch_to_vf),
		NVSIM_VF_STAT(switch_to_synthetic),
		NVSIM_VF_STAT(switch_ignored),
		NVSIM_VF_STAT(revoke_timeouts),
#undef NVSIM_VF_STAT
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(c); i++)
		at += nvsim_emit_u64(buf, at, c[i].name,
				     atomic64_read((atomic64_t *)((u8 *)&nic->vf +
								  c[i].off)));
	return at;
}

static ssize_t stats_show(struct kobject *kobj, struct kobj_attribute *a,
			  char *buf)
{
	struct nvsim_nic *nic = to_nic(kobj);
	u32 ndis = READ_ONCE(nic->ndis_version);
	int i, open = 0, at;

	for (i = 1; i < NVSIM_MAX_CHANS; i++)
		open += READ_ONCE(nic->chans[i].open);
	at = sysfs_emit(buf, "nvsp_version %s\nndis_version %u.%u\n"
			"rndis_state %u\npacket_filter 0x%x\nndis_mtu %u\n"
			"ndis_caps 0x%llx\nrx_csum %d\nrsc_enabled %d\n"
			"subchannels_granted %u\nsubchannels_open %d\n",
			nvsim_nvsp_version_name(READ_ONCE(nic->nvsp_version)),
			ndis >> 16, ndis & 0xffff, READ_ONCE(nic->rndis_state),
			READ_ONCE(nic->filter), READ_ONCE(nic->ndis_mtu),
			READ_ONCE(nic->ndis_caps), READ_ONCE(nic->rx_csum),
			READ_ONCE(nic->rsc_on), READ_ONCE(nic->subch_granted),
			open);
	at = nvsim_stats_bufs(nic, buf, at);
	at += nvsim_emit_u64(buf, at, "rx_buf_full_drops",
			     atomic64_read(&nic->rx_buf_full_drops));
	at += nvsim_emit_u64(buf, at, "filter_drops",
			     atomic64_read(&nic->filter_drops));
	at += nvsim_emit_u64(buf, at, "rx_comp_fail",
			     atomic64_read(&nic->rx_comp_fail));
	at += nvsim_emit_u64(buf, at, "bad_messages",
			     atomic64_read(&nic->bad_messages));
	at += nvsim_emit_u64(buf, at, "tx_dropped",
			     atomic64_read(&nic->tx_dropped));
	at = nvsim_stats_sums(nic, buf, at);
	at = nvsim_stats_proto(nic, buf, at);
	at = nvsim_stats_vf(nic, buf, at);
	at = nvsim_stats_chans(nic, buf, at);
	return at;
}

static ssize_t msg_log_show(struct kobject *kobj, struct kobj_attribute *a,
			    char *buf)
{
	struct nvsim_nic *nic = to_nic(kobj);
	struct nvsim_rndis_log *log;
	u64 cnt, ans;
	int s, i, at = 0;
	u32 st;

	for (s = 0; s < NVSIM_NVSP_SLOTS; s++) {
		cnt = 0;
		ans = 0;
		st = 0;
		for (i = 0; i < NVSIM_MAX_CHANS; i++) {
			cnt += READ_ONCE(nic->chans[i].nvsp[s].count);
			ans += READ_ONCE(nic->chans[i].nvsp[s].answered);
			if (READ_ONCE(nic->chans[i].nvsp[s].answered))
				st = READ_ONCE(nic->chans[i].nvsp[s].status);
		}
		if (!cnt)
			continue;
		at += sysfs_emit_at(buf, at, "nvsp %s count=%llu answered=%llu status=%u\n",
				    nvsim_nvsp_name(nvsim_nvsp_slot_type(s)),
				    cnt, ans, st);
	}
	log = kmalloc(sizeof(nic->rlog), GFP_KERNEL);
	if (!log)
		return at;
	spin_lock_bh(&nic->log_lock);
	memcpy(log, nic->rlog, sizeof(nic->rlog));
	spin_unlock_bh(&nic->log_lock);
	for (i = 0; i < NVSIM_RNDIS_SLOTS && log[i].type; i++) {
		at += sysfs_emit_at(buf, at, "rndis %s oid=0x%08x ",
				    nvsim_rndis_name(log[i].type), log[i].oid);
		at += sysfs_emit_at(buf, at, "count=%llu answered=%llu status=0x%08x\n",
				    log[i].cnt.count, log[i].cnt.answered,
				    log[i].cnt.status);
	}
	kfree(log);
	return at;
}

/* "key K\nhash_info H\ntable Q Q ...\n" of the guest's RSS, or nothing */
static ssize_t rss_show(struct kobject *kobj, struct kobj_attribute *a,
			char *buf)
{
	struct nvsim_nic *nic = to_nic(kobj);
	const struct nvsim_rss *rss;
	int at = 0;
	u32 i;

	rcu_read_lock();
	rss = rcu_dereference(nic->rss);
	if (rss && rss->n) {
		at = sysfs_emit(buf, "key %*phC\nhash_info 0x%x\ntable",
				NDIS_RSS_KEY_SIZE, rss->key, rss->hash_info);
		for (i = 0; i < rss->n; i++)
			at += sysfs_emit_at(buf, at, " %u", rss->itab[i]);
		at += sysfs_emit_at(buf, at, "\n");
	}
	rcu_read_unlock();
	return at;
}

static ssize_t send_table_show(struct kobject *kobj, struct kobj_attribute *a,
			       char *buf)
{
	struct nvsim_nic *nic = to_nic(kobj);
	int i, at = 0;

	for (i = 0; i < NVSP_SEND_TABLE_SIZE; i++)
		at += sysfs_emit_at(buf, at, "%s%u", i ? " " : "",
				    READ_ONCE(nic->send_table[i]));
	return at + sysfs_emit_at(buf, at, "\n");
}

/*
 * Send the guest a new send indirection table, as Hyper-V does when it
 * moves the guest's traffic between channels: "default" spreads the
 * buckets over the granted channels, otherwise 16 channel numbers.
 */
static ssize_t send_table_store(struct kobject *kobj, struct kobj_attribute *a,
				const char *buf, size_t count)
{
	struct nvsim_nic *nic = to_nic(kobj);
	bool spread = sysfs_streq(buf, "default");
	u32 table[NVSP_SEND_TABLE_SIZE];
	const char *p = buf;
	int i, n, ret;

	for (i = 0; i < NVSP_SEND_TABLE_SIZE; i++) {
		if (spread) {
			table[i] = i % (READ_ONCE(nic->subch_granted) + 1);
			continue;
		}
		if (sscanf(p, "%u%n", &table[i], &n) != 1 ||
		    table[i] >= NVSIM_MAX_CHANS)
			return -EINVAL;
		p += n;
	}
	if (!spread && *skip_spaces(p))
		return -EINVAL;
	mutex_lock(&nic->knob_lock);
	ret = READ_ONCE(nic->chans[0].open) && nic->chans[0].vchan ?
	      nvsim_nvsp_send_table(nic, table) : -ENOTCONN;
	mutex_unlock(&nic->knob_lock);
	return ret ?: count;
}

/* ---- accelerated networking (nvsim_vf.c) ---- */

static ssize_t vf_show(struct kobject *kobj, struct kobj_attribute *a,
		       char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(to_nic(kobj)->vf.allocated));
}

/* 1: announce the VF; 0: withdraw it (waits for the guest, bounded) */
static ssize_t vf_store(struct kobject *kobj, struct kobj_attribute *a,
			const char *buf, size_t count)
{
	struct nvsim_nic *nic = to_nic(kobj);
	bool on;
	int ret;

	if (kstrtobool(buf, &on))
		return -EINVAL;
	mutex_lock(&nic->knob_lock);
	ret = nvsim_vf_set_allocated(nic, on);
	mutex_unlock(&nic->knob_lock);
	return ret ?: count;
}

static ssize_t vf_uplink_show(struct kobject *kobj, struct kobj_attribute *a,
			      char *buf)
{
	char name[IFNAMSIZ];

	nvsim_vf_uplink_name(to_nic(kobj), name);
	return sysfs_emit(buf, "%s\n", name);
}

/* the netdev at the host end of the VF; an empty line detaches it */
static ssize_t vf_uplink_store(struct kobject *kobj, struct kobj_attribute *a,
			       const char *buf, size_t count)
{
	struct nvsim_nic *nic = to_nic(kobj);
	char name[IFNAMSIZ];
	int ret;

	if (strscpy(name, buf, sizeof(name)) < 0)
		return -EINVAL;
	strim(name);
	mutex_lock(&nic->knob_lock);
	ret = nvsim_vf_attach(nic, name);
	mutex_unlock(&nic->knob_lock);
	return ret ?: count;
}

static ssize_t data_path_show(struct kobject *kobj, struct kobj_attribute *a,
			      char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  READ_ONCE(to_nic(kobj)->vf.data_path) == NVSP_DP_VF ?
			  "vf" : "synthetic");
}

static struct kobj_attribute nvsim_attr_instance = __ATTR_RO(instance);
static struct kobj_attribute nvsim_attr_mac = __ATTR_RW(mac);
static struct kobj_attribute nvsim_attr_link = __ATTR_RW(link);
static struct kobj_attribute nvsim_attr_link_speed = __ATTR_RW(link_speed);
static struct kobj_attribute nvsim_attr_network_change = __ATTR_WO(network_change);
static struct kobj_attribute nvsim_attr_nvsp_max = __ATTR_RW(nvsp_max);
static struct kobj_attribute nvsim_attr_stats = __ATTR_RO(stats);
static struct kobj_attribute nvsim_attr_msg_log = __ATTR_RO(msg_log);
static struct kobj_attribute nvsim_attr_rss = __ATTR_RO(rss);
static struct kobj_attribute nvsim_attr_send_table = __ATTR_RW(send_table);
static struct kobj_attribute nvsim_attr_fault_subchannel_grant =
	__ATTR_RW(fault_subchannel_grant);
static struct kobj_attribute nvsim_attr_fault_rescind_race =
	__ATTR_WO(fault_rescind_race);
static struct kobj_attribute nvsim_attr_fault_stop_reading =
	__ATTR_RW(fault_stop_reading);
static struct kobj_attribute nvsim_attr_fault_malformed =
	__ATTR_WO(fault_malformed);
static struct kobj_attribute nvsim_attr_fault_offer_subchannels =
	__ATTR_WO(fault_offer_subchannels);
static struct kobj_attribute nvsim_attr_fault_rescind_subchannel =
	__ATTR_WO(fault_rescind_subchannel);
static struct kobj_attribute nvsim_attr_fault_hold_open =
	__ATTR_RW(fault_hold_open);
static struct kobj_attribute nvsim_attr_fault_hold_gpadl =
	__ATTR_RW(fault_hold_gpadl);
static struct kobj_attribute nvsim_attr_fault_refuse_gpadl =
	__ATTR_RW(fault_refuse_gpadl);
static struct kobj_attribute nvsim_attr_rx_csum_result =
	__ATTR_RW(rx_csum_result);
static struct kobj_attribute nvsim_attr_fault_rx_corrupt_csum =
	__ATTR_RW(fault_rx_corrupt_csum);
static struct kobj_attribute nvsim_attr_nvsp_exact = __ATTR_RW(nvsp_exact);
static struct kobj_attribute nvsim_attr_rndis_keepalive =
	__ATTR_WO(rndis_keepalive);
static struct kobj_attribute nvsim_attr_rndis_reset = __ATTR_WO(rndis_reset);
static struct kobj_attribute nvsim_attr_vf = __ATTR_RW(vf);
static struct kobj_attribute nvsim_attr_vf_uplink = __ATTR_RW(vf_uplink);
static struct kobj_attribute nvsim_attr_data_path = __ATTR_RO(data_path);

/* nvsim_nic_attrs lists every knob by its index */
static_assert(ARRAY_SIZE(nvsim_knobs) == 15);
static_assert(ARRAY_SIZE(nvsim_counts) == 5);

static struct attribute *nvsim_nic_attrs[] = {
	&nvsim_attr_instance.attr,
	&nvsim_attr_mac.attr,
	&nvsim_attr_link.attr,
	&nvsim_attr_link_speed.attr,
	&nvsim_attr_network_change.attr,
	&nvsim_knobs[0].attr.attr,
	&nvsim_attr_nvsp_max.attr,
	&nvsim_knobs[1].attr.attr,
	&nvsim_knobs[4].attr.attr,
	&nvsim_knobs[5].attr.attr,
	&nvsim_knobs[6].attr.attr,
	&nvsim_knobs[7].attr.attr,
	&nvsim_knobs[8].attr.attr,
	&nvsim_attr_rx_csum_result.attr,
	&nvsim_attr_stats.attr,
	&nvsim_attr_msg_log.attr,
	&nvsim_attr_rss.attr,
	&nvsim_attr_send_table.attr,
	&nvsim_knobs[2].attr.attr,
	&nvsim_counts[0].attr.attr,
	&nvsim_counts[1].attr.attr,
	&nvsim_counts[2].attr.attr,
	&nvsim_counts[3].attr.attr,
	&nvsim_knobs[3].attr.attr,
	&nvsim_attr_fault_subchannel_grant.attr,
	&nvsim_attr_fault_malformed.attr,
	&nvsim_attr_fault_stop_reading.attr,
	&nvsim_attr_fault_rescind_race.attr,
	&nvsim_attr_fault_offer_subchannels.attr,
	&nvsim_attr_fault_rescind_subchannel.attr,
	&nvsim_attr_fault_hold_open.attr,
	&nvsim_attr_fault_hold_gpadl.attr,
	&nvsim_attr_fault_refuse_gpadl.attr,
	&nvsim_attr_fault_rx_corrupt_csum.attr,
	&nvsim_attr_nvsp_exact.attr,
	&nvsim_knobs[9].attr.attr,
	&nvsim_knobs[10].attr.attr,
	&nvsim_knobs[11].attr.attr,
	&nvsim_knobs[12].attr.attr,
	&nvsim_attr_rndis_keepalive.attr,
	&nvsim_attr_rndis_reset.attr,
	&nvsim_attr_vf.attr,
	&nvsim_knobs[13].attr.attr,
	&nvsim_attr_vf_uplink.attr,
	&nvsim_attr_data_path.attr,
	&nvsim_knobs[14].attr.attr,
	&nvsim_counts[4].attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(nvsim_nic);

static void nvsim_nic_release(struct kobject *kobj)
{
	kvfree(to_nic(kobj));
}

static const struct kobj_type nvsim_nic_ktype = {
	.release = nvsim_nic_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = nvsim_nic_groups,
};

/**
 * nvsim_sysfs_add_nic() - create /sys/kernel/netvsp_sim/nicID
 * @nic: NIC; from now on freed by the kobject's release
 *
 * Return: 0, or a negative errno (then @nic has been freed).
 */
int nvsim_sysfs_add_nic(struct nvsim_nic *nic)
{
	int ret;

	ret = kobject_init_and_add(&nic->kobj, &nvsim_nic_ktype, nvsim_root,
				   "nic%u", nic->id);
	if (ret)
		kobject_put(&nic->kobj);
	return ret;
}

/**
 * nvsim_sysfs_unlink_nic() - remove nicID from sysfs
 * @nic: NIC
 *
 * Returns once no attribute callback of @nic runs any more, so that the
 * knobs cannot reach a NIC that is being torn down.
 */
void nvsim_sysfs_unlink_nic(struct nvsim_nic *nic)
{
	kobject_del(&nic->kobj);
}

/**
 * nvsim_sysfs_put_nic() - drop the NIC's last reference (frees it)
 * @nic: NIC
 */
void nvsim_sysfs_put_nic(struct nvsim_nic *nic)
{
	kobject_put(&nic->kobj);
}

/**
 * nvsim_sysfs_init() - create /sys/kernel/netvsp_sim
 *
 * Return: 0 or a negative errno.
 */
int nvsim_sysfs_init(void)
{
	int ret;

	nvsim_root = kobject_create_and_add("netvsp_sim", kernel_kobj);
	if (!nvsim_root)
		return -ENOMEM;
	ret = sysfs_create_group(nvsim_root, &nvsim_root_group);
	if (ret)
		kobject_put(nvsim_root);
	return ret;
}

/**
 * nvsim_sysfs_exit() - remove every NIC (hot remove) and the directory
 */
void nvsim_sysfs_exit(void)
{
	int i;

	sysfs_remove_group(nvsim_root, &nvsim_root_group);
	mutex_lock(&nvsim_nics_lock);
	for (i = 0; i < NVSIM_MAX_NICS; i++) {
		if (!nvsim_nics[i])
			continue;
		nvsim_nic_destroy(nvsim_nics[i]);
		nvsim_nics[i] = NULL;
	}
	mutex_unlock(&nvsim_nics_lock);
	kobject_put(nvsim_root);
}
