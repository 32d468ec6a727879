/* netlink.c: step3's rtnetlink plumbing, with libmnl.
 *
 * rtnetlink(7) is a request and an answer: a netlink header (its type says
 * what to do, RTM_NEWLINK, RTM_NEWADDR...), an extra header for the kind of
 * object, then attributes, each a type, a length and a value, which may
 * nest. With NLM_F_ACK the kernel answers every request, with its error if
 * any; a request whose ack is not read fails silently. This file holds what
 * every message needs; step3-net.c builds the messages, as `ip` would.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/if.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#include "../common/chain.h"
#include "netlink.h"

/* GROUPS: the multicast groups whose notifications the socket receives
 * besides the answers to its own requests, as bind(2) takes them: a bit
 * mask, RTMGRP_LINK for the group RTNLGRP_LINK (0: none). */
static struct mnl_socket *
open_bound(const char *which, unsigned groups, const char *group_names)
{
	narrate("socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) for %s", which);
	struct mnl_socket *socket = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (socket == NULL)
		die_call();
	narrate("bind(%d, {AF_NETLINK, nl_groups=%s})", mnl_socket_get_fd(socket), group_names);
	if (mnl_socket_bind(socket, groups, MNL_SOCKET_AUTOPID) == -1)
		die_call();
	return socket;
}

struct mnl_socket *
open_rtnetlink(const char *which)
{
	return open_bound(which, 0, "0");
}

struct mnl_socket *
open_link_notifications(void)
{
	return open_bound("the host's link notifications", RTMGRP_LINK, "RTMGRP_LINK");
}

struct nlmsghdr *
new_request(char *buffer, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *header = mnl_nlmsg_put_header(buffer);

	header->nlmsg_type = type;
	header->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	header->nlmsg_seq = (uint32_t)time(NULL);
	return header;
}

struct ifinfomsg *
put_link_header(struct nlmsghdr *request)
{
	struct ifinfomsg *link = mnl_nlmsg_put_extra_header(request, sizeof(*link));

	link->ifi_family = AF_UNSPEC;
	return link;
}

/* libmnl puts an extra header only right after the netlink header; one
 * inside an attribute is put by hand, zeroed and aligned the same way. */
struct ifinfomsg *
put_nested_link_header(struct nlmsghdr *request)
{
	struct ifinfomsg *link = mnl_nlmsg_get_payload_tail(request);

	memset(link, 0, sizeof(*link));
	link->ifi_family = AF_UNSPEC;
	request->nlmsg_len += MNL_ALIGN(sizeof(*link));
	return link;
}

int
send_request(struct mnl_socket *socket, struct nlmsghdr *request, mnl_cb_t callback, void *data)
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
	struct link_state state = { 0 };

	put_link_header(request);
	mnl_attr_put_strz(request, IFLA_IFNAME, name);
	narrate("RTM_GETLINK %s", name);
	if (send_request(socket, request, read_link_state, &state) == -1)
		die_call();
	if (state.index == 0) { /* an answer, but not about NAME */
		errno = ENODEV;
		die_call();
	}
	return state;
}

int
link_index(struct mnl_socket *socket, const char *name)
{
	return get_link(socket, name).index;
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

int
wait_until_running(struct mnl_socket *host, struct mnl_socket *watch, const char *name)
{
	struct link_state state = get_link(host, name);
	/* Notifications about any link on the host arrive here, some larger
	 * than a page. */
	char buffer[16384];
	const struct timeval timeout = { .tv_sec = LINK_TIMEOUT };
	int fd = mnl_socket_get_fd(watch);

	if (state.running)
		return state.index;
	narrate("%s: not running yet, reading link notifications until it is", name);
	narrate("setsockopt(%d, SOL_SOCKET, SO_RCVTIMEO, {%d s})", fd, LINK_TIMEOUT);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)) == -1)
		die_call();
	while (!state.running && !state.deleted) {
		narrate("recv(%d) (RTNLGRP_LINK notifications, until %s is running)", fd, name);
		ssize_t length = mnl_socket_recvfrom(watch, buffer, sizeof(buffer));
		if (length == -1 && (errno == ENOBUFS || errno == ENOSPC)) {
			state = get_link(host, name); /* notifications lost or cut: ask */
			continue;
		}
		if (length == -1 && errno == EAGAIN)
			die("%s: not running after %d s (set down on the host?)", name, LINK_TIMEOUT);
		if (length == -1)
			die_call();
		if (mnl_cb_run(buffer, (size_t)length, 0, 0, read_link_state, &state) == MNL_CB_ERROR)
			die_errno("reading RTNLGRP_LINK notifications for %s", name);
	}
	if (state.deleted)
		die("%s was deleted on the host before it was running", name);
	return state.index;
}
