/* step3-net: a network namespace with loopback and a veth pair to the host.
 *
 * The talk's script:   unshare -n bash step4
 *                      ip link set lo up
 *                      ip link add mybr0 type veth peer name mybr1 netns ...
 *                      ip addr add 192.168.47.11/24 dev mybr0 (and .12 on mybr1), both up
 *
 * A new network namespace has none of the host's devices, and a loopback
 * device that is down (loopback_net_init() in the kernel's
 * drivers/net/loopback.c). `ip` does its work over rtnetlink, a socket to
 * the kernel's routing subsystem (rtnetlink(7)); this step sends the same
 * messages itself, with libmnl, in the order `ip` would: loopback up, the
 * pair, its ends up, addresses, the route (the sockets, sending a message
 * and reading the kernel's ack are plumbing, in netlink.c). A netlink
 * socket belongs to the namespace it was opened in, for its whole life:
 * one opened *before* unshare keeps talking to the host, one opened after
 * talks to the container. With both, one process configures both ends of
 * the pair, and no nsenter is needed.
 *
 * A veth pair is a virtual cable: what goes in one end comes out of the
 * other (veth(4)). Its host end disappears when the container's namespace
 * does (network_namespaces(7) for the end inside; the kernel's
 * veth_dellink() takes the peer with it), so nothing is left to remove. Before it comes up, step3 closes two
 * ways in that the host's defaults leave open on it (harden_host_end()).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/veth.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../common/chain.h"
#include "netlink.h"

/* Pairs are mybr0/mybr1, mybr2/mybr3, ...; pair k gets 192.168.(47+k).0/24. */
#define MAX_PAIRS 100

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
		die_call();
	return directory;
}

static void
unshare_network_namespace(void)
{
	/* exercise 3.1: give this process a network namespace of its own, with
	 * its own devices, addresses, routes and /proc/sys/net: unshare(2),
	 * network_namespaces(7) */
	narrate("unshare(CLONE_NEWNET)");
	if (unshare(CLONE_NEWNET) == -1)
		die_call();
	/* end of exercise 3.1 */
}

/* ip link set NAME up. No index needed: with ifi_index 0, the kernel's
 * rtnl_newlink() finds the device by its IFLA_IFNAME, one round trip
 * instead of two. */
static void
bring_up(struct mnl_socket *socket, const char *name)
{
	/* exercise 3.2: ask the kernel, over SOCKET, to set the flag IFF_UP of
	 * the link NAME and leave its other flags as they are: an RTM_NEWLINK
	 * request (new_request(), put_link_header() and send_request() in
	 * netlink.h): rtnetlink(7), netdevice(7) */
	char buffer[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *request = new_request(buffer, RTM_NEWLINK, 0);
	struct ifinfomsg *link = put_link_header(request);

	mnl_attr_put_strz(request, IFLA_IFNAME, name);
	link->ifi_flags = IFF_UP;
	link->ifi_change = IFF_UP;
	narrate("RTM_NEWLINK %s up (ip link set %s up)", name, name);
	if (send_request(socket, request, NULL, NULL) == -1)
		die_call();
	/* end of exercise 3.2 */
}

/* ip link add HOST_NAME type veth peer name PEER_NAME netns ...: the peer's
 * settings are a nested link header followed by its attributes, and
 * IFLA_NET_NS_FD puts the peer in the container's namespace at once.
 * Returns -1 with errno EEXIST when HOST_NAME is taken. */
static int
create_veth_pair(struct mnl_socket *host, const char *host_name, const char *peer_name,
		 int container_namespace)
{
	/* exercise 3.3: the RTM_NEWLINK request that creates the pair: a link
	 * HOST_NAME of kind "veth", its peer PEER_NAME created at once in the
	 * namespace whose descriptor is CONTAINER_NAMESPACE, and EEXIST rather
	 * than a change when HOST_NAME exists; return send_request()'s result:
	 * rtnetlink(7), veth(4), linux/if_link.h and linux/veth.h */
	char buffer[MNL_SOCKET_BUFFER_SIZE];
	/* NLM_F_EXCL: fail with EEXIST if the name is taken. That is the lock
	 * between containers starting at once: the kernel picks the winner. */
	struct nlmsghdr *request = new_request(buffer, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);

	put_link_header(request);
	mnl_attr_put_strz(request, IFLA_IFNAME, host_name);
	struct nlattr *link_info = mnl_attr_nest_start(request, IFLA_LINKINFO);
	mnl_attr_put_strz(request, IFLA_INFO_KIND, "veth");
	struct nlattr *info_data = mnl_attr_nest_start(request, IFLA_INFO_DATA);
	struct nlattr *peer = mnl_attr_nest_start(request, VETH_INFO_PEER);
	put_nested_link_header(request);
	mnl_attr_put_strz(request, IFLA_IFNAME, peer_name);
	mnl_attr_put_u32(request, IFLA_NET_NS_FD, (uint32_t)container_namespace);
	mnl_attr_nest_end(request, peer);
	mnl_attr_nest_end(request, info_data);
	mnl_attr_nest_end(request, link_info);

	narrate("RTM_NEWLINK %s type veth peer %s netns fd %d, NLM_F_CREATE|NLM_F_EXCL", host_name,
		peer_name, container_namespace);
	return send_request(host, request, NULL, NULL);
	/* end of exercise 3.3 */
}

static void
write_conf(int directory, const char *family, const char *name, const char *setting,
	   const char *value)
{
	char path[64];

	snprintf(path, sizeof(path), "%s/%s", name, setting);
	narrate("write(\"/proc/sys/net/%s/conf/%s\", \"%s\")", family, path, value);
	if (write_file_at(directory, path, value) == -1)
		die_call();
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

/* ip addr add ADDRESS/PREFIX dev NAME */
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
	if (send_request(socket, request, NULL, NULL) == -1)
		die_call();
}

/* ip route add default via GATEWAY: the host end is the container's default
 * gateway. Docker's route goes to the host as well, but to its bridge
 * docker0's address; the host ends of its veths have none (moby,
 * libnetwork/drivers/bridge, Join()). */
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
	if (send_request(socket, request, NULL, NULL) == -1)
		die_call();
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
		die_call();
	for (pair = 0; pair < MAX_PAIRS; pair++) {
		snprintf(host_name, sizeof(host_name), "mybr%d", 2 * pair);
		snprintf(peer_name, sizeof(peer_name), "mybr%d", 2 * pair + 1);
		if (create_veth_pair(host, host_name, peer_name, namespace) == 0)
			break;
		if (errno != EEXIST)
			die_call();
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
	add_address(container, peer_name, link_index(container, peer_name), &options->ip);
	add_default_route(container, &options->host_ip);
	fault_point("step3-addresses");
}

/* --net host keeps the caller's network namespace, as the talk's container
 * before step3; --net container:NAME joins the running container NAME's,
 * as Docker's --network container:NAME, and as the containers of a
 * Kubernetes pod share one: the same interfaces and addresses, and one
 * loopback to talk over. No veth pair: NAME has one already. */
static void
share_network_namespace(const struct options *options)
{
	if (options->net == NET_HOST) {
		narrate("--net host: the host's network namespace, no unshare(CLONE_NEWNET)");
		return;
	}
	join_registered_namespace("--net", options->net_container, "net", CLONE_NEWNET,
				  "CLONE_NEWNET");
}

/* --net pasta (in a user namespace, where no veth pair can be made):
 * pasta(1) runs outside the container, started by step2 (supervisor/pasta.c).
 * Send it this network namespace and a pipe (SCM_RIGHTS, unix(7)) over the
 * socket step2 handed down; pasta writes its pid into the pipe once it has
 * set up the namespace, and closes it if it fails. */
static void
ask_for_pasta(void)
{
	int fd = getenv_fd("CHAIN_PASTA_FD"), ready[2], sent[2];
	char pid[32];

	if (fd == -1)
		die("--net pasta: no CHAIN_PASTA_FD from step2");
	narrate("open(\"/proc/self/ns/net\", O_RDONLY|O_CLOEXEC)");
	sent[0] = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (sent[0] == -1)
		die_call();
	narrate("pipe2(ready, O_CLOEXEC): for pasta's pid, once it has set up the namespace");
	if (pipe2(ready, O_CLOEXEC) == -1)
		die_call();
	sent[1] = ready[1];
	union {
		char buffer[CMSG_SPACE(sizeof(sent))];
		struct cmsghdr align;
	} control = { .buffer = { 0 } };
	struct iovec data = { "n", 1 };
	struct msghdr message = { .msg_iov = &data, .msg_iovlen = 1, .msg_control = control.buffer,
				  .msg_controllen = sizeof(control.buffer) };
	struct cmsghdr *header = CMSG_FIRSTHDR(&message);
	header->cmsg_level = SOL_SOCKET;
	header->cmsg_type = SCM_RIGHTS;
	header->cmsg_len = CMSG_LEN(sizeof(sent));
	memcpy(CMSG_DATA(header), sent, sizeof(sent));
	narrate("sendmsg(%d<pasta>, {SCM_RIGHTS [%d<net namespace>, %d<pipe>]}, MSG_NOSIGNAL)", fd,
		sent[0], sent[1]);
	if (sendmsg(fd, &message, MSG_NOSIGNAL) != 1)
		die_call(); /* EPIPE: pasta's process has ended (it says why above) */
	close(sent[0]);
	close(ready[1]);
	close(fd);
	narrate("read(%d<pipe>, pid, %zu): pasta is ready", ready[0], sizeof(pid) - 1);
	ssize_t got = read(ready[0], pid, sizeof(pid) - 1);
	if (got == -1)
		die_call();
	if (got == 0)
		die("--net pasta: pasta did not set up the network namespace (it says why above)");
	close(ready[0]);
	if (unsetenv("CHAIN_PASTA_FD") == -1)
		die_errno("unsetenv(CHAIN_PASTA_FD)");
}

int
main(int argc, char **argv)
{
	struct options options;

	step_init(3, "step3-net", argc, argv, &options);
	if (options.net == NET_HOST || options.net == NET_CONTAINER) {
		share_network_namespace(&options);
		exec_next(&options);
	}
	struct mnl_socket *host = open_rtnetlink("the host's namespace");
	struct mnl_socket *watch = NULL;
	struct conf_directories conf = { -1, -1 };
	if (options.net == NET_VETH) {
		watch = open_link_notifications();
		conf.ipv4 = open_conf_directory("/proc/sys/net/ipv4/conf", false);
		conf.ipv6 = open_conf_directory("/proc/sys/net/ipv6/conf", true);
	}
	unshare_network_namespace();
	struct mnl_socket *container = open_rtnetlink("the container's namespace");

	bring_up(container, "lo");
	if (options.net == NET_VETH)
		connect_to_host(host, watch, container, &conf, &options);
	if (options.net == NET_PASTA)
		ask_for_pasta();
	/* --sysctl net.*: the same paths that named the host's files before the
	 * unshare name the container's now (the conf directories' trap above,
	 * the other way round). Last, so that mybr1's own conf/ is there. */
	write_own_sysctls(&options);
	/* Every socket and directory here is close-on-exec: the exec closes them. */
	exec_next(&options);
}
