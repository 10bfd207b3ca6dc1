/**
 * Sockets. The system calls are in dev.friscy.kernel.SysSocket (socket, bind, listen, accept4,
 * connect, send/recv and their msg/mmsg forms, shutdown, getsockopt/setsockopt); what they
 * act on is here:
 * <ul>
 * <li>{@link dev.friscy.net.StreamSocket}: SOCK_STREAM and SOCK_SEQPACKET, AF_UNIX and TCP. A
 *     connection is two ring buffers shared by its ends; loopback TCP is the same object as a
 *     Unix stream, with internet names.
 * <li>{@link dev.friscy.net.DgramSocket}: SOCK_DGRAM, AF_UNIX and UDP: a queue of whole messages.
 * <li>{@link dev.friscy.net.NetlinkSocket}: AF_NETLINK/NETLINK_ROUTE link and address dumps
 *     (getifaddrs, node's os.networkInterfaces, ip addr): lo with 127.0.0.1/8 and ::1.
 * <li>{@link dev.friscy.net.Network}: who is bound where (AF_UNIX paths via socket inodes,
 *     abstract names, ports), ephemeral ports, finding the listener or receiver.
 * <li>{@link dev.friscy.net.SockAddr}: sockaddr_un/in/in6 parsed once; {@link
 *     dev.friscy.net.SocketOptions}: getsockopt/setsockopt.
 * <li>{@link dev.friscy.net.HostStream}: a guest TCP connection to the outside, pumped by the
 *     host's {@link dev.friscy.host.HostNetwork} (java.nio on the JVM, the relay's WebSockets in
 *     the browser; DNS to the virtual name server {@link dev.friscy.host.DnsForward#ADDRESS}).
 * <li>{@link dev.friscy.net.HostClient}: a connection the host opens to a port a guest listens
 *     on (the page's preview of guest web servers, dev.friscy.preview): the guest accepts an
 *     ordinary loopback connection.
 * <li>{@link dev.friscy.net.ProcNet} (/proc/net) and {@link dev.friscy.net.NetFiles} (/etc/hosts,
 *     /etc/resolv.conf).
 * </ul>
 * The guest has one interface, loopback (127.0.0.0/8, ::1), served entirely here, so guests can
 * talk to each other everywhere, the browser included. Operations never block: they throw
 * EAGAIN and SysSocket parks the caller on the socket's wait queue (poll and epoll use the same
 * queues). Checked against Linux by guest/net (GuestNetTest, HostNetworkTest, NodeNetTest).
 *
 * Code here is compiled to WebAssembly by TeaVM: no java.nio channels, threads or reflection.
 */
package dev.friscy.net;
