/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uklwip: lwIP 2.1.3 configuration for a single-CPU cooperative unikernel
 * serving TCP (HTTP) fast. The same file configures the image build, the
 * native unit tests and the fuzz target (which only add UKLWIP_NATIVE).
 * Reasons for every choice: libs/uklwip/README.md and docs/networking.md.
 */
#ifndef UKLWIP_LWIPOPTS_H
#define UKLWIP_LWIPOPTS_H

/* ---- OS integration: threads, core locking ---- */
#define NO_SYS		     0
#define SYS_LIGHTWEIGHT_PROT 1
/* application threads call into the stack directly under the core lock
 * (no message to the tcpip thread), and so does the rx path */
#define LWIP_TCPIP_CORE_LOCKING	      1
#define LWIP_TCPIP_CORE_LOCKING_INPUT 1
#define LOCK_TCPIP_CORE()	      uklwip_core_lock()
#define UNLOCK_TCPIP_CORE()	      uklwip_core_unlock()
#ifdef UKLWIP_NATIVE
/* tests and fuzzing: every core function checks that the lock is held */
#define LWIP_ASSERT_CORE_LOCKED()     \
	LWIP_ASSERT("core lock held", \
		    uklwip_core_locked() || !uklwip_core_lock_checked)
extern int uklwip_core_lock_checked;
#endif
#define TCPIP_THREAD_NAME	    "lwip"
#define TCPIP_THREAD_STACKSIZE	    (64 * 1024)
#define TCPIP_THREAD_PRIO	    1
#define TCPIP_MBOX_SIZE		    512
#define DEFAULT_THREAD_STACKSIZE    (64 * 1024)
#define DEFAULT_RAW_RECVMBOX_SIZE   128
#define DEFAULT_UDP_RECVMBOX_SIZE   128
#define DEFAULT_TCP_RECVMBOX_SIZE   1024
#define DEFAULT_ACCEPTMBOX_SIZE	    1024
#define LWIP_NETCONN_SEM_PER_THREAD 0
#define LWIP_NETCONN_FULLDUPLEX	    0

/* ---- memory: everything from malloc (ukalloc in images) ---- */
#define MEM_LIBC_MALLOC 1
#define MEMP_MEM_MALLOC 1
#define MEM_ALIGNMENT	8
#define MEM_USE_POOLS	0
/* With MEMP_MEM_MALLOC the pools have no fixed size; these numbers are the
 * limits lwIP still enforces itself (sockets table, PCB counts) */
#define MEMP_NUM_TCP_PCB	 1024
#define MEMP_NUM_TCP_PCB_LISTEN	 64
#define MEMP_NUM_TCP_SEG	 16384
#define MEMP_NUM_UDP_PCB	 64
#define MEMP_NUM_RAW_PCB	 16
#define MEMP_NUM_NETCONN	 1024 /* = the number of lwIP sockets */
#define MEMP_NUM_NETBUF		 256
#define MEMP_NUM_TCPIP_MSG_API	 256
#define MEMP_NUM_TCPIP_MSG_INPKT 1024
#define MEMP_NUM_ARP_QUEUE	 256
#define MEMP_NUM_SYS_TIMEOUT	 (LWIP_NUM_SYS_TIMEOUT_INTERNAL + 8)
#define MEMP_NUM_SELECT_CB	 64
#define MEMP_NUM_REASSDATA	 16
#define MEMP_NUM_FRAG_PBUF	 64
#define PBUF_POOL_SIZE		 1024
/* room the tx path keeps before the Ethernet header of every pbuf the stack
 * allocates, so the device's header (virtio-net: 12 bytes) fits without a
 * copy: see netif.c (zero-copy tx) */
#ifndef PBUF_LINK_ENCAPSULATION_HLEN
#define PBUF_LINK_ENCAPSULATION_HLEN 32
#endif
#define ETH_PAD_SIZE 0

/* ---- protocols ---- */
#define LWIP_IPV4		      1
#define LWIP_IPV6		      0 /* the overlay lists the IPv6 sources: srcs_ipv6 */
#define LWIP_ARP		      1
#define ARP_TABLE_SIZE		      64
#define ARP_QUEUEING		      1
#define ARP_QUEUE_LEN		      16
#define ETHARP_SUPPORT_STATIC_ENTRIES 1
#define LWIP_ETHERNET		      1
#define IP_REASSEMBLY		      1
#define IP_FRAG			      1
#define IP_DEFAULT_TTL		      64
#define LWIP_ICMP		      1
#define LWIP_BROADCAST_PING	      0
#define LWIP_RAW		      1
#define LWIP_UDP		      1
#define LWIP_TCP		      1
#define LWIP_IGMP		      0
#define LWIP_DHCP		      1
#define DHCP_DOES_ARP_CHECK	      0 /* 0.5 s less before the address is ours */
#define LWIP_AUTOIP		      0
#define LWIP_DNS		      1
#define DNS_TABLE_SIZE		      16
#define DNS_MAX_SERVERS		      2
/* the C library has its own h_errno: lwIP's netdb.c gets its own name */
#define h_errno uklwip_h_errno
#define LWIP_DNS_SECURE                                                       \
	(LWIP_DNS_SECURE_RAND_XID | LWIP_DNS_SECURE_NO_MULTIPLE_OUTSTANDING | \
	 LWIP_DNS_SECURE_RAND_SRC_PORT)

/* ---- TCP: throughput and many connections ---- */
#define TCP_MSS		 1460
#define LWIP_WND_SCALE	 1
#define TCP_RCV_SCALE	 2
#define TCP_WND		 (64 * TCP_MSS)
#define TCP_SND_BUF	 (64 * TCP_MSS)
#define TCP_SND_QUEUELEN ((4 * TCP_SND_BUF + TCP_MSS - 1) / TCP_MSS)
/* a socket is writable again once more than one MSS is free: below the
 * smallest send buffer src/tcpmem.c leaves a connection under memory
 * pressure (lwIP's default, half of TCP_SND_BUF, would never be reached
 * there and the socket would stay unwritable) */
#define TCP_SNDLOWAT TCP_MSS
/* src/tcpmem.c: the budget of unacknowledged TCP send data, all
 * connections together: 1/UKLWIP_TCPMEM_HEAP_DIV of the heap at boot, at
 * least UKLWIP_TCPMEM_MIN_BUDGET; each connection may always hold
 * UKLWIP_TCP_SNDBUF_MIN */
#define UKLWIP_TCPMEM_HEAP_DIV	   8
#define UKLWIP_TCPMEM_MIN_BUDGET   (64 * 1024)
#define UKLWIP_TCP_SNDBUF_MIN	   (2 * TCP_MSS)
#define TCP_OVERSIZE		   TCP_MSS
#define TCP_QUEUE_OOSEQ		   1
#define TCP_LISTEN_BACKLOG	   1
#define TCP_DEFAULT_LISTEN_BACKLOG 0xff
#define LWIP_TCP_KEEPALIVE	   1
#define LWIP_TCP_TIMESTAMPS	   0
#define TCP_CALCULATE_EFF_SEND_MSS 1
#define LWIP_TCP_SACK_OUT	   0
/* one pbuf per TCP segment: the tx path hands it to the device as is */
#define LWIP_NETIF_TX_SINGLE_PBUF 1
/* rx frames become custom pbufs over the device's buffers (zero-copy) */
#define LWIP_SUPPORT_CUSTOM_PBUF 1

/* ---- checksums: generated/checked by lwIP unless the netif turns them
 * off (device offload: netif.c, per netif and, for rx, per packet) ---- */
#define LWIP_CHECKSUM_CTRL_PER_NETIF 1
#define CHECKSUM_GEN_IP		     1
#define CHECKSUM_GEN_UDP	     1
#define CHECKSUM_GEN_TCP	     1
#define CHECKSUM_GEN_ICMP	     1
#define CHECKSUM_CHECK_IP	     1
#define CHECKSUM_CHECK_UDP	     1
#define CHECKSUM_CHECK_TCP	     1
#define CHECKSUM_CHECK_ICMP	     1
#define LWIP_CHECKSUM_ON_COPY	     1

/* ---- APIs ---- */
#define LWIP_NETCONN			   1
#define LWIP_SOCKET			   1
#define LWIP_COMPAT_SOCKETS		   0 /* posixsocket maps BSD calls to lwip_* */
#define LWIP_POSIX_SOCKETS_IO_NAMES	   0
#define LWIP_SOCKET_OFFSET		   0
#define LWIP_SOCKET_SELECT		   1
#define LWIP_SOCKET_POLL		   1
#define LWIP_SO_SNDTIMEO		   1
#define LWIP_SO_RCVTIMEO		   1
#define LWIP_SO_RCVBUF			   1
#define LWIP_SO_LINGER			   1
#define SO_REUSE			   1
#define SO_REUSE_RXTOALL		   1
#define LWIP_TIMEVAL_PRIVATE		   0 /* the C library's struct timeval */
#define LWIP_NETIF_API			   1
#define LWIP_NETIF_HOSTNAME		   1
#define LWIP_NETIF_STATUS_CALLBACK	   1
#define LWIP_NETIF_LINK_CALLBACK	   1
#define LWIP_NETIF_EXT_STATUS_CALLBACK	   0
#define LWIP_SINGLE_NETIF		   0
#define LWIP_NETIF_LOOPBACK		   1 /* connections to our own address */
#define LWIP_LOOPBACK_MAX_PBUFS		   256
#define LWIP_HAVE_LOOPIF		   1 /* 127.0.0.1 */
#define LWIP_NETIF_LOOPBACK_MULTITHREADING 1

/* lwIP 2.1.3's tcp_receive() takes a segment exactly 2^31 bytes from
 * rcv_nxt for an in-window one (the 32-bit wrap of TCP_SEQ_BETWEEN; found by
 * fuzz_netif: "insane offset!"); images without asserts then accept it as
 * if in sequence. Such segments are dropped before they reach the pcb
 * (src/tcp_hook.c). */
struct tcp_pcb;
struct tcp_hdr;
struct pbuf;
int uklwip_tcp_inpacket(struct tcp_pcb *pcb, struct tcp_hdr *hdr);
#define LWIP_HOOK_TCP_INPACKET_PCB(pcb, hdr, optlen, opt1len, opt2, p) \
	((err_t)uklwip_tcp_inpacket(pcb, hdr))

/* TCP initial sequence numbers after RFC 6528 (src/isn.c): a 4-us clock
 * plus SipHash-2-4 of the 4-tuple under a boot secret from ukrandom.
 * Fuzzing: a fixed one, so that inputs can complete handshakes and
 * reproduce. */
#ifdef UKLWIP_FUZZ
#define LWIP_HOOK_TCP_ISN(lip, lport, rip, rport) ((u32_t)0x10000)
#else
struct ip4_addr;
unsigned int uklwip_tcp_isn(const struct ip4_addr *lip, unsigned short lport,
			    const struct ip4_addr *rip, unsigned short rport);
#define LWIP_HOOK_TCP_ISN(lip, lport, rip, rport) \
	((u32_t)uklwip_tcp_isn(lip, lport, rip, rport))
#endif

/* Ephemeral ports: a random one for every TCP or UDP bind/connect without a
 * port. lwIP 2.1.3 picks a random first port, then counts up from it, so
 * one connection's port gives away the next ones'. Its port search
 * (tcp_new_port/udp_new_port, static in tcp.c/udp.c) compares the next
 * candidate with the range end; the range end here is a call that stores a
 * fresh random port into lwIP's own counter (tcp_port/udp_port, in scope
 * where the macro expands) and yields 0x10000, which no 16-bit port equals:
 * every candidate is random, the search still ends after 0x4000 tries, and
 * lwIP's source stays unmodified. (src/isn.c) */
int uklwip_port_pick(unsigned short *port);
#define TCP_LOCAL_PORT_RANGE_START 0xc000
#define TCP_LOCAL_PORT_RANGE_END   uklwip_port_pick(&tcp_port)
#define TCP_ENSURE_LOCAL_PORT_RANGE(port) \
	((u16_t)(((port) & (u16_t)~0xc000) + 0xc000))
#define UDP_LOCAL_PORT_RANGE_START 0xc000
#define UDP_LOCAL_PORT_RANGE_END   uklwip_port_pick(&udp_port)
#define UDP_ENSURE_LOCAL_PORT_RANGE(port) \
	((u16_t)(((port) & (u16_t)~0xc000) + 0xc000))

/* ---- statistics and debugging ---- */
#define LWIP_STATS	   0
#define LWIP_STATS_DISPLAY 0
/* LWIP_DEBUG stays undefined (lwIP tests #ifdef); assertions: natively
 * (tests, fuzzing) only */
#ifndef UKLWIP_NATIVE
#define LWIP_NOASSERT 1
#endif

#include <arch/sys_arch.h>

#endif /* UKLWIP_LWIPOPTS_H */
