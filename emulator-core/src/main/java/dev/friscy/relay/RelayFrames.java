package dev.friscy.relay;

import java.nio.charset.StandardCharsets;

/**
 * The relay's protocol: binary WebSocket messages, one guest TCP connection per WebSocket. The
 * first byte of a message is its type; numbers are big-endian. Shared by the relay server
 * ({@link RelayServer}) and the browser Worker's client (web-host's RelayNetwork), so both read
 * and write exactly the same frames.
 *
 * <pre>
 * page -> relay  CONNECT  1 | ip (16, IPv4 as v4-mapped) | port (2) | window (4)   first, once
 * both ways      DATA     2 | bytes (1..MAX_DATA)          at most the credit the other side gave
 * both ways      SHUT     3                                the sender will send no more (half-close)
 * both ways      CREDIT   4 | n (4)                        the sender took n more bytes: send them
 * relay -> page  RESULT   5 | errno (4) | window (4)       the connect's outcome: 0, or a Linux errno
 * relay -> page  ERROR    6 | errno (4) | message (UTF-8)  the connection broke, or the page's frame
 *                                                          was bad (EPROTO); the relay then closes
 * page -> relay  UDP      7                                first, once, instead of CONNECT: this
 *                                                          WebSocket is a guest's UDP socket (RESULT)
 * both ways      DATAGRAM 8 | ip (16) | port (2) | bytes   one datagram to / from ip:port
 * </pre>
 *
 * Datagrams have no credit: like UDP, either side drops what it has no room for, and the relay
 * drops datagrams to destinations it refuses.
 *
 * Flow control: each side may have at most the window the other announced (CONNECT, RESULT)
 * plus the credit it later returned in flight, so neither needs an unbounded buffer. Closing
 * the WebSocket closes the connection.
 */
public final class RelayFrames {
    public static final int CONNECT = 1;
    public static final int DATA = 2;
    public static final int SHUT = 3;
    public static final int CREDIT = 4;
    public static final int RESULT = 5;
    public static final int ERROR = 6;
    public static final int UDP = 7;
    public static final int DATAGRAM = 8;

    /** Bytes of payload in one DATA frame at most. */
    public static final int MAX_DATA = 64 << 10;
    /** Bytes of payload in one DATAGRAM at most. */
    public static final int MAX_DATAGRAM = MAX_DATA - 18;
    /** The largest frame of any type (an ERROR's message is cut to fit). */
    public static final int MAX_FRAME = MAX_DATA + 1;
    /** The receive window each side announces by default. */
    public static final int WINDOW = 256 << 10;
    private static final int MAX_MESSAGE = 200;

    private RelayFrames() {
    }

    public static byte[] connect(byte[] ip16, int port, int window) {
        byte[] f = new byte[23];
        f[0] = CONNECT;
        System.arraycopy(ip16, 0, f, 1, 16);
        putU16(f, 17, port);
        putU32(f, 19, window);
        return f;
    }

    public static byte[] data(byte[] b, int off, int len) {
        byte[] f = new byte[len + 1];
        f[0] = DATA;
        System.arraycopy(b, off, f, 1, len);
        return f;
    }

    public static byte[] udp() {
        return new byte[] {UDP};
    }

    public static byte[] datagram(byte[] ip16, int port, byte[] b, int off, int len) {
        byte[] f = new byte[19 + len];
        f[0] = DATAGRAM;
        System.arraycopy(ip16, 0, f, 1, 16);
        putU16(f, 17, port);
        System.arraycopy(b, off, f, 19, len);
        return f;
    }

    public static byte[] shut() {
        return new byte[] {SHUT};
    }

    public static byte[] credit(int n) {
        byte[] f = new byte[5];
        f[0] = CREDIT;
        putU32(f, 1, n);
        return f;
    }

    public static byte[] result(int errno, int window) {
        byte[] f = new byte[9];
        f[0] = RESULT;
        putU32(f, 1, errno);
        putU32(f, 5, window);
        return f;
    }

    public static byte[] error(int errno, String message) {
        byte[] m = message.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(m.length, MAX_MESSAGE);
        byte[] f = new byte[5 + n];
        f[0] = ERROR;
        putU32(f, 1, errno);
        System.arraycopy(m, 0, f, 5, n);
        return f;
    }

    /** The message of an ERROR frame (bad UTF-8 comes out replaced, never throws). */
    public static String errorMessage(byte[] f) {
        return f.length <= 5 ? "" : new String(f, 5, f.length - 5, StandardCharsets.UTF_8);
    }

    /**
     * Why {@code f} is not a well-formed frame for a receiver that is the relay
     * ({@code toRelay}) or the page; null if it is one. Type and length only: whether it may
     * come now (state, credit) is the receiver's business.
     */
    public static String malformed(byte[] f, boolean toRelay) {
        if (f.length == 0) {
            return "empty frame";
        }
        if (f.length > MAX_FRAME) {
            return "frame of " + f.length + " bytes (at most " + MAX_FRAME + ")";
        }
        int type = f[0] & 0xff;
        switch (type) {
            case DATA:
                return f.length >= 2 ? null : "DATA without bytes";
            case SHUT:
                return f.length == 1 ? null : "SHUT of " + f.length + " bytes";
            case CREDIT:
                if (f.length != 5) {
                    return "CREDIT of " + f.length + " bytes";
                }
                return u32(f, 1) > 0 ? null : "CREDIT of " + u32(f, 1);
            case CONNECT:
                if (!toRelay) {
                    return "CONNECT sent to the page";
                }
                if (f.length != 23) {
                    return "CONNECT of " + f.length + " bytes";
                }
                if (u16(f, 17) == 0) {
                    return "CONNECT to port 0";
                }
                return u32(f, 19) > 0 ? null : "CONNECT with window " + u32(f, 19);
            case RESULT:
                if (toRelay) {
                    return "RESULT sent to the relay";
                }
                if (f.length != 9) {
                    return "RESULT of " + f.length + " bytes";
                }
                return u32(f, 1) >= 0 && u32(f, 5) >= 0 ? null : "RESULT with a negative number";
            case ERROR:
                if (toRelay) {
                    return "ERROR sent to the relay";
                }
                return f.length >= 5 && u32(f, 1) > 0 ? null : "ERROR without an errno";
            case UDP:
                if (!toRelay) {
                    return "UDP sent to the page";
                }
                return f.length == 1 ? null : "UDP of " + f.length + " bytes";
            case DATAGRAM:
                if (f.length < 19) {
                    return "DATAGRAM of " + f.length + " bytes";
                }
                return u16(f, 17) != 0 ? null : "DATAGRAM for port 0";
            default:
                return "unknown frame type " + type;
        }
    }

    public static int u16(byte[] f, int at) {
        return (f[at] & 0xff) << 8 | (f[at + 1] & 0xff);
    }

    /** A 4-byte number; values past 2^31 come out negative, which {@link #malformed} refuses. */
    public static int u32(byte[] f, int at) {
        return (f[at] & 0xff) << 24 | (f[at + 1] & 0xff) << 16 | (f[at + 2] & 0xff) << 8 | (f[at + 3] & 0xff);
    }

    /** The address of a CONNECT or DATAGRAM (16 bytes). */
    public static byte[] ip(byte[] f) {
        byte[] ip = new byte[16];
        System.arraycopy(f, 1, ip, 0, 16);
        return ip;
    }

    private static void putU16(byte[] f, int at, int v) {
        f[at] = (byte) (v >>> 8);
        f[at + 1] = (byte) v;
    }

    private static void putU32(byte[] f, int at, int v) {
        f[at] = (byte) (v >>> 24);
        f[at + 1] = (byte) (v >>> 16);
        f[at + 2] = (byte) (v >>> 8);
        f[at + 3] = (byte) v;
    }
}
