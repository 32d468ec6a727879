/* step3-net: a network namespace with loopback and a veth pair to the host.
 *
 * The talk's script:   unshare -n bash step4
 *                      ip link set lo up
 *                      ip link add mybr0 type veth peer name mybr1 netns ...
 *                      ip addr add 192.168.47.11/24 dev mybr0 (and .12 on mybr1), both up
 *
 * A new network namespace has only a loopback device, and it is down
 * (network_namespaces(7)). `ip` does its work over rtnetlink, a socket to
 * the kernel's routing subsystem (rtnetlink(7)); this step sends the same
 * messages itself, with libmnl. A netlink socket belongs to the namespace
 * it was opened in, for its whole life: one opened *before* unshare keeps
 * talking to the host, one opened after talks to the container. With both,
 * one process configures both ends of the pair, and no nsenter is needed.
 *
 * A veth pair is a virtual cable: what goes in one end comes out of the
 * other (veth(4)). Its host end disappears when the container's namespace
 * does, so nothing is left to remove. Before it comes up, step3 closes two
 * ways in that the host's defaults leave open on it (harden_host_end()).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "../common/chain.h"

/* Pairs are mybr0/mybr1, mybr2/mybr3, ...; pair k gets 192.168.(47+k).0/24. */
#define MAX_PAIRS 100

/* GROUPS: the multicast groups whose notifications the socket receives
 * besides the answers to its own requests, as bind(2) takes them: a bit
 * mask, RTMGRP_LINK for the group RTNLGRP_LINK (0: none). */
static struct mnl_socket *
open_rtnetlink(const char *which, unsigned groups)
{
	narrate("socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE): %s", which);
	struct mnl_socket *socket = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (socket == NULL)
		die_errno("socket(AF_NETLINK, NETLINK_ROUTE) for %s", which);
	if (mnl_socket_bind(socket, groups, MNL_SOCKET_AUTOPID) == -1)
		die_errno("bind(netlink socket for %s)", which);
	return socket;
}

static struct nlmsghdr *
new_request(char *buffer, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *header = mnl_nlmsg_put_header(buffer);

	header->nlmsg_type = type;
	/* NLM_F_ACK: the kernel answers every request, with its error if any. */
	header->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	header->nlmsg_seq = (uint32_t)time(NULL);
	return header;
}

/* Send a request and read the kernel's answer; the callback, if any, sees
 * each reply. Returns 0, or -1 with errno set to the kernel's error. */
static int
talk(struct mnl_socket *socket, struct nlmsghdr *request, mnl_cb_t callback, void *data)
{
	char buffer[MNL_SOCKET_BUFFER_SIZE];
	uint32_t port = mnl_socket_get_portid(socket);
	int result;

	if (mnl_socket_sendto(socket, request, request->nlmsg_len) == -1)
		return -1;
	do {
		ssize_t length = mnl_socket_recvfrom(socket, buffer, sizeof(buffer));
		if (length == -1)
			return -1;
		result = mnl_cb_run(buffer, (size_t)length, request->nlmsg_seq, port, callback, data);
	} while (result > 0);
	return result == MNL_CB_ERROR ? -1 : 0;
}

struct link_state {
	int index;
	bool running; /* operational state IF_OPER_UP */
	bool deleted; /* by someone else, while we waited */
};

/* For a reply to RTM_GETLINK, and for notifications about the link that
 * DATA names by index (or any link, if its index is still 0). */
static int
read_link_state(const struct nlmsghdr *message, void *data)
{
	const struct ifinfomsg *link = mnl_nlmsg_get_payload(message);
	struct link_state *state = data;
	const struct nlattr *attribute;

	if (state->index && link->ifi_index != state->index)
		return MNL_CB_OK;
	if (message->nlmsg_type == RTM_DELLINK)
		state->deleted = true;
	if (message->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	state->index = link->ifi_index;
	mnl_attr_for_each(attribute, message, sizeof(*link)) {
		if (mnl_attr_get_type(attribute) == IFLA_OPERSTATE)
			state->running = mnl_attr_get_u8(attribute) == IF_OPER_UP;
	}
	return MNL_CB_OK;
}

static struct link_state
get_link(struct mnl_socket *socket, const char *name)
{
	char buffer[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *request = new_request(buffer, RTM_GETLINK, 0);
	struct ifinfomsg *link = mnl_nlmsg_put_extra_header(request, sizeof(*link));
	struct link_state state = { 0 };

	link->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(request, IFLA_IFNAME, name);
	narrate("RTM_GETLINK %s", name);
	if (talk(socket, request, read_link_state, &state) == -1 || state.index == 0)
		die_errno("RTM_GETLINK %s", name);
	return state;
}

/* A veth end that is up before its peer has no carrier; when the peer
 * comes up, the kernel's link watch work gives it one, and only then its
 * transmit queue: until then it drops what it sends, and the container's
 * first ARP request would get its answer only from a retry, a second later.
 * Since Linux 6.8 RTM_GETLINK runs that work for the link first; older
 * kernels send an RTM_NEWLINK notification once it has run, and WATCH,
 * subscribed to RTNLGRP_LINK before the peer came up, has it. A link that
 * someone on the host sets down meanwhile never runs: give up when
 * LINK_TIMEOUT seconds pass without a notification, rather than hang. */
#define LINK_TIMEOUT 5

static int
wait_until_running(struct mnl_socket *host, struct mnl_socket *watch, const char *name)
{
	struct link_state state = get_link(host, name);
	/* Notifications about any link on the host arrive here, some larger
	 * than a page. */
	char buffer[16384];
	const struct timeval timeout = { .tv_sec = LINK_TIMEOUT };

	if (state.running)
		return state.index;
	narrate("%s: not running yet, reading link notifications until it is", name);
	if (setsockopt(mnl_socket_get_fd(watch), SOL_SOCKET, SO_RCVTIMEO, &timeout,
		       sizeof(timeout)) == -1)
		die_errno("setsockopt(SO_RCVTIMEO)");
	while (!state.running && !state.deleted) {
		ssize_t length = mnl_socket_recvfrom(watch, buffer, sizeof(buffer));
		if (length == -1 && (errno == ENOBUFS || errno == ENOSPC)) {
			state = get_link(host, name); /* notifications lost or cut: ask */
			continue;
		}
		if (length == -1 && errno == EAGAIN)
			die("%s: not running after %d s (set down on the host?)", name, LINK_TIMEOUT);
		if (length == -1)
			die_errno("recv(RTNLGRP_LINK notifications for %s)", name);
		if (mnl_cb_run(buffer, (size_t)length, 0, 0, read_link_state, &state) == MNL_CB_ERROR)
			die_errno("reading RTNLGRP_LINK notifications for %s", name);
	}
	if (state.deleted)
		die("%s was deleted on the host before it was running", name);
	return state.index;
}

/* No index needed here: with ifi_index 0, the kernel's rtnl_newlink() finds
 * the device by its IFLA_IFNAME, one round trip instead of two. */
static void
bring_up(struct mnl_socket *socket, const char *name)
{
	char buffer[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *request = new_request(buffer, RTM_NEWLINK, 0);
	struct ifinfomsg *link = mnl_nlmsg_put_extra_header(request, sizeof(*link));

	link->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(request, IFLA_IFNAME, name);
	link->ifi_flags = IFF_UP;
	link->ifi_change = IFF_UP;
	narrate("RTM_NEWLINK %s up (ip link set %s up)", name, name);
	if (talk(socket, request, NULL, NULL) == -1)
		die_errno("RTM_NEWLINK %s up", name);
}

/* The peer's settings are a nested ifinfomsg followed by its attributes. */
static int
create_veth_pair(struct mnl_socket *host, const char *host_name, const char *peer_name,
		 int container_namespace)
{
	char buffer[MNL_SOCKET_BUFFER_SIZE];
	/* NLM_F_EXCL: fail with EEXIST if the name is taken. That is the lock
	 * between containers starting at once: the kernel picks the winner. */
	struct nlmsghdr *request = new_request(buffer, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	struct ifinfomsg *link = mnl_nlmsg_put_extra_header(request, sizeof(*link));

	link->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(request, IFLA_IFNAME, host_name);
	struct nlattr *link_info = mnl_attr_nest_start(request, IFLA_LINKINFO);
	mnl_attr_put_strz(request, IFLA_INFO_KIND, "veth");
	struct nlattr *info_data = mnl_attr_nest_start(request, IFLA_INFO_DATA);
	struct nlattr *peer = mnl_attr_nest_start(request, VETH_INFO_PEER);
	struct ifinfomsg *peer_link = mnl_nlmsg_get_payload_tail(request);
	memset(peer_link, 0, sizeof(*peer_link));
	request->nlmsg_len += MNL_ALIGN(sizeof(*peer_link));
	mnl_attr_put_strz(request, IFLA_IFNAME, peer_name);
	mnl_attr_put_u32(request, IFLA_NET_NS_FD, (uint32_t)container_namespace);
	mnl_attr_nest_end(request, peer);
	mnl_attr_nest_end(request, info_data);
	mnl_attr_nest_end(request, link_info);

	narrate("RTM_NEWLINK %s type veth peer %s netns fd %d, NLM_F_CREATE|NLM_F_EXCL", host_name,
		peer_name, container_namespace);
	return talk(host, request, NULL, NULL);
}

static void
add_address(struct mnl_socket *socket, const char *name, int index, const struct cidr *cidr)
{
	char buffer[MNL_SOCKET_BUFFER_SIZE], text[INET_ADDRSTRLEN];
	struct nlmsghdr *request = new_request(buffer, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
	struct ifaddrmsg *address = mnl_nlmsg_put_extra_header(request, sizeof(*address));

	address->ifa_family = AF_INET;
	address->ifa_prefixlen = (unsigned char)cidr->prefix_length;
	address->ifa_index = (unsigned)index;
	mnl_attr_put_u32(request, IFA_LOCAL, cidr->address.s_addr);
	mnl_attr_put_u32(request, IFA_ADDRESS, cidr->address.s_addr);
	inet_ntop(AF_INET, &cidr->address, text, sizeof(text));
	narrate("RTM_NEWADDR %s/%u dev %s", text, cidr->prefix_length, name);
	if (talk(socket, request, NULL, NULL) == -1)
		die_errno("RTM_NEWADDR %s/%u dev %s", text, cidr->prefix_length, name);
}

/* Like Docker: the host end is the container's default gateway. */
static void
add_default_route(struct mnl_socket *socket, const struct cidr *gateway)
{
	char buffer[MNL_SOCKET_BUFFER_SIZE], text[INET_ADDRSTRLEN];
	struct nlmsghdr *request = new_request(buffer, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
	struct rtmsg *route = mnl_nlmsg_put_extra_header(request, sizeof(*route));

	route->rtm_family = AF_INET;
	route->rtm_table = RT_TABLE_MAIN;
	route->rtm_protocol = RTPROT_BOOT;
	route->rtm_scope = RT_SCOPE_UNIVERSE;
	route->rtm_type = RTN_UNICAST;
	mnl_attr_put_u32(request, RTA_GATEWAY, gateway->address.s_addr);
	inet_ntop(AF_INET, &gateway->address, text, sizeof(text));
	narrate("RTM_NEWROUTE default via %s", text);
	if (talk(socket, request, NULL, NULL) == -1)
		die_errno("RTM_NEWROUTE default via %s", text);
}

/* The host end's settings are in /proc/sys/net/ipv4/conf/mybr0/ and
 * ipv6/conf/mybr0/. /proc/sys/net/ipv4 and ipv6 are links the kernel
 * resolves at each lookup, to the namespace of the process looking: after
 * unshare, the container's. The conf directories below them belong to one
 * namespace, so step3 opens them before unshare, as it does socket 1
 * (fs/proc/proc_sysctl.c). A kernel without IPv6 has no ipv6/conf. */
struct conf_directories {
	int ipv4, ipv6; /* -1: none */
};

static int
open_conf_directory(const char *path, bool optional)
{
	narrate("open(\"%s\", O_PATH|O_DIRECTORY|O_CLOEXEC)", path);
	int directory = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (directory == -1 && !(optional && errno == ENOENT))
		die_errno("open(\"%s\")", path);
	return directory;
}

static void
write_conf(int directory, const char *family, const char *name, const char *setting,
	   const char *value)
{
	char path[64];

	snprintf(path, sizeof(path), "%s/%s", name, setting);
	narrate("write(\"/proc/sys/net/%s/conf/%s\", \"%s\")", family, path, value);
	if (write_file_at(directory, path, value) == -1)
		die_errno("write(\"/proc/sys/net/%s/conf/%s\", \"%s\")", family, path, value);
}

/* Two of the host's defaults would let the container act on the host through
 * its end. accept_ra=1: a router advert from the container gives the host
 * an address and a route (CVE-2020-13401; Docker sets accept_ra=0 on
 * docker0). The pair carries no IPv6, so the host end gets none at all
 * (disable_ipv6=1), which also closes what accept_ra=0 and autoconf=0 leave
 * open: IPv6 to the host, which a firewall written for IPv4 does not see.
 * rp_filter=0: the host answers a source forged to be another container's,
 * to that container. rp_filter=1 (strict, RFC 3704) drops what comes in on
 * mybr0 from a source the host does not route back out of it; the kernel
 * applies the larger of conf/all and conf/mybr0, so a host with all=2
 * (loose) keeps mybr0 loose. rtnetlink can set rp_filter (IFLA_INET_CONF)
 * but not IPv6's settings, so both go through /proc/sys, while mybr0 is down. */
static void
harden_host_end(const struct conf_directories *conf, const char *name)
{
	if (conf->ipv6 != -1)
		write_conf(conf->ipv6, "ipv6", name, "disable_ipv6", "1");
	write_conf(conf->ipv4, "ipv4", name, "rp_filter", "1");
}

static void
unshare_network_namespace(void)
{
	narrate("unshare(CLONE_NEWNET)");
	if (unshare(CLONE_NEWNET) == -1)
		die_errno("unshare(CLONE_NEWNET)");
}

/* The first free pair of names wins; without --host-ip/--ip, pair k also
 * gets its own subnet so that containers running at once do not collide. */
static void
connect_to_host(struct mnl_socket *host, struct mnl_socket *watch, struct mnl_socket *container,
		const struct conf_directories *conf, struct options *options)
{
	char host_name[IFNAMSIZ], peer_name[IFNAMSIZ];
	int pair;

	narrate("open(\"/proc/self/ns/net\", O_RDONLY|O_CLOEXEC)");
	int namespace = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (namespace == -1)
		die_errno("open(\"/proc/self/ns/net\")");
	for (pair = 0; pair < MAX_PAIRS; pair++) {
		snprintf(host_name, sizeof(host_name), "mybr%d", 2 * pair);
		snprintf(peer_name, sizeof(peer_name), "mybr%d", 2 * pair + 1);
		if (create_veth_pair(host, host_name, peer_name, namespace) == 0)
			break;
		if (errno != EEXIST)
			die_errno("RTM_NEWLINK %s type veth peer %s", host_name, peer_name);
		narrate("%s exists (another container has it): trying the next pair", host_name);
	}
	if (pair == MAX_PAIRS)
		die("no free veth pair: mybr0 to mybr%d all exist", 2 * MAX_PAIRS - 1);
	close(namespace);
	fault_point("step3-veth");

	if (!options->addresses_given) {
		options->host_ip.address.s_addr = htonl(ntohl(options->host_ip.address.s_addr) + (uint32_t)(pair << 8));
		options->ip.address.s_addr = htonl(ntohl(options->ip.address.s_addr) + (uint32_t)(pair << 8));
	}
	harden_host_end(conf, host_name);
	bring_up(host, host_name);
	bring_up(container, peer_name);
	int host_index = wait_until_running(host, watch, host_name);
	add_address(host, host_name, host_index, &options->host_ip);
	add_address(container, peer_name, get_link(container, peer_name).index, &options->ip);
	add_default_route(container, &options->host_ip);
	fault_point("step3-addresses");
}

int
main(int argc, char **argv)
{
	struct options options;

	step_init(3, "step3-net", argc, argv, &options);
	struct mnl_socket *host = open_rtnetlink("the host's namespace", 0);
	struct mnl_socket *watch = NULL;
	struct conf_directories conf = { -1, -1 };
	if (options.net == NET_VETH) {
		watch = open_rtnetlink("the host's link notifications, RTMGRP_LINK", RTMGRP_LINK);
		conf.ipv4 = open_conf_directory("/proc/sys/net/ipv4/conf", false);
		conf.ipv6 = open_conf_directory("/proc/sys/net/ipv6/conf", true);
	}
	unshare_network_namespace();
	struct mnl_socket *container = open_rtnetlink("the container's namespace", 0);

	bring_up(container, "lo");
	if (options.net == NET_VETH)
		connect_to_host(host, watch, container, &conf, &options);
	/* --sysctl net.*: the same paths that named the host's files before the
	 * unshare name the container's now (the conf directories' trap above,
	 * the other way round). Last, so that mybr1's own conf/ is there. */
	write_own_sysctls(&options);
	/* Every socket and directory here is close-on-exec: the exec closes them. */
	exec_next(&options);
}
