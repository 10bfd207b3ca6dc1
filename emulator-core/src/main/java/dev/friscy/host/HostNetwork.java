package dev.friscy.host;

/**
 * The host's own network, for guest connections to addresses outside the machine (loopback is
 * served inside the kernel). The JVM implements it with java.nio (cli/JvmHostNetwork), the page
 * with the relay of `friscy serve --relay` (web-host's RelayNetwork); without one (a page without
 * a relay, `friscy run --net none` without --net-map or --dns) such connections fail ENETUNREACH at once.
 *
 * Everything happens on the kernel's thread: {@link #connect} only starts a connection, and
 * the host reports progress through the {@link Link} from its own polling (which the command
 * line drives between runs of the kernel).
 */
public interface HostNetwork {
    /**
     * Starts a TCP connection to {@code ip} (16 bytes, IPv4 v4-mapped) port {@code port}, whose
     * events go to {@code link}. Returns 0, or a Linux errno if it cannot even be started
     * (ENETUNREACH for a destination the host will not reach, EACCES for a forbidden one).
     */
    int connect(byte[] ip, int port, Link link);

    /**
     * A UDP endpoint of the host for one guest socket (created on its first datagram to the
     * outside); replies come back through {@code link}. Null if the host refuses.
     */
    default Datagrams openDatagrams(DatagramLink link) {
        return null;
    }

    /** Name servers a guest may send DNS queries to (listed in its /etc/resolv.conf). */
    default java.util.List<String> nameservers() {
        return java.util.Collections.emptyList();
    }

    /** One guest connection as the host sees it: the kernel's side, polled by the host. */
    interface Link {
        /** The connection is established. */
        void connected();

        /** It could not be made, or broke (ECONNREFUSED, ETIMEDOUT, ECONNRESET, ...). */
        void failed(int errno);

        /** Bytes the guest can take now; -1 if it will never read again (incoming data is dropped). */
        int room();

        /** Bytes from the remote end, at most {@link #room()}. */
        void deliver(byte[] b, int off, int len);

        /** The remote end will send no more. */
        void remoteEof();

        /** Moves up to {@code len} bytes the guest wrote into {@code b}; returns the count (0: none now). */
        int take(byte[] b, int off, int len);

        /** The guest has shut down writing and every byte it wrote was taken. */
        boolean outputDone();

        /** The guest closed the socket: the host closes its connection. */
        boolean released();
    }

    /** A guest UDP socket's endpoint on the host. */
    interface Datagrams {
        /** Sends one datagram; returns 0 or a Linux errno (ENETUNREACH for a destination the host will not reach). */
        int send(byte[] ip, int port, byte[] data);

        void close();
    }

    /** The kernel's side of a guest UDP socket, for datagrams from the outside. */
    interface DatagramLink {
        /** One datagram from {@code ip} (16 bytes, IPv4 v4-mapped) port {@code port}. */
        void deliver(byte[] ip, int port, byte[] data);
    }
}
