/* netlink.h: step3's rtnetlink plumbing (netlink.c): the sockets, sending a
 * request and reading the kernel's ack, and waiting for a link to run. The
 * messages themselves, what `ip` sends, are in step3-net.c. */
#ifndef NETLINK_H
#define NETLINK_H

#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <stdint.h>

/* A NETLINK_ROUTE socket of the namespace this process is in now; WHICH
 * says which one, for -v and errors ("the host's namespace"). */
struct mnl_socket *open_rtnetlink(const char *which);
/* The same, also subscribed to RTNLGRP_LINK: the kernel's notifications
 * about every link of this namespace, for wait_until_running(). */
struct mnl_socket *open_link_notifications(void);

/* A request of TYPE in BUFFER (MNL_SOCKET_BUFFER_SIZE bytes), with
 * NLM_F_REQUEST|NLM_F_ACK and FLAGS, for the caller to add to. */
struct nlmsghdr *new_request(char *buffer, uint16_t type, uint16_t flags);
/* The link header of a request about a link (RTM_NEWLINK, RTM_GETLINK),
 * family AF_UNSPEC, and a second one nested in an attribute (a veth's peer). */
struct ifinfomsg *put_link_header(struct nlmsghdr *request);
struct ifinfomsg *put_nested_link_header(struct nlmsghdr *request);

/* Send REQUEST and read the kernel's answer; CALLBACK, if any, sees each
 * reply. Returns 0, or -1 with errno set to the kernel's error. */
int send_request(struct mnl_socket *socket, struct nlmsghdr *request, mnl_cb_t callback,
		 void *data);

/* RTM_GETLINK NAME: its index (exits if there is no such link). */
int link_index(struct mnl_socket *socket, const char *name);
/* Return NAME's index once it is running (IF_OPER_UP): its carrier and
 * transmit queue given. WATCH: open_link_notifications(), opened before
 * the peer came up. Exits if that does not happen within a few seconds. */
int wait_until_running(struct mnl_socket *host, struct mnl_socket *watch, const char *name);

#endif
