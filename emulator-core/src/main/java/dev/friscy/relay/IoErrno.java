package dev.friscy.relay;

import dev.friscy.errno.Errno;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * The Linux errno a guest sees for a host socket's IOException (java.net says less than errno
 * does, partly only in the message). JVM only: the relay and the command line's host network use it.
 */
public final class IoErrno {
    private IoErrno() {
    }

    /** The errno for {@code e}; {@code dflt} when nothing in it tells. */
    public static int of(IOException e, int dflt) {
        String m = String.valueOf(e.getMessage());
        if (e instanceof ConnectException) {
            return m.contains("timed out") ? Errno.ETIMEDOUT
                    : m.contains("unreachable") ? Errno.ENETUNREACH : Errno.ECONNREFUSED;
        }
        if (e instanceof NoRouteToHostException) {
            return Errno.EHOSTUNREACH;
        }
        if (e instanceof SocketTimeoutException) {
            return Errno.ETIMEDOUT;
        }
        if (e instanceof UnknownHostException) {
            return Errno.ENETUNREACH;
        }
        if (m.contains("reset")) {
            return Errno.ECONNRESET;
        }
        if (m.contains("Broken pipe")) {
            return Errno.EPIPE;
        }
        if (m.contains("unreachable")) {
            return Errno.ENETUNREACH;
        }
        return dflt;
    }
}
