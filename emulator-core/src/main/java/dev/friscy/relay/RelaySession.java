package dev.friscy.relay;

import dev.friscy.errno.Errno;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.LinkedBlockingQueue;

import org.java_websocket.WebSocket;
import org.java_websocket.framing.CloseFrame;

/**
 * One guest TCP connection through the relay: the page's WebSocket on one side, a socket of
 * this host on the other. The WebSocket library hands over frames on its own threads; the
 * socket gets two of its own (blocking reads towards the page, blocking writes from it), so a
 * slow destination holds up nobody else. Credits bound what either side has in flight.
 *
 * <p>Nothing here calls into the WebSocket (send, close) while holding this session's lock:
 * the library holds its connection's lock while it calls {@link #close()}, so the other order
 * would deadlock the server's one selector thread, and with it every session.
 */
final class RelaySession {
    private static final byte[] SHUT_MARK = new byte[0];

    private final WebSocket ws;
    private final RelayServer server;
    private final LinkedBlockingQueue<byte[]> toHost = new LinkedBlockingQueue<>();

    /** Guarded by this. */
    private boolean connectSeen;
    private boolean shutSeen;
    private boolean closed;
    /** Bytes the page may still send us; bytes we may still send it. */
    private int recvAllowance;
    private int sendCredit;
    private Socket socket;
    /** Non-null once the page asked for a UDP socket (UDP frame). */
    private RelayDatagrams udp;
    private Thread writer;
    private Thread reader;
    /** Counted against the connection limit (released once, on close). */
    boolean counted;

    RelaySession(WebSocket ws, RelayServer server) {
        this.ws = ws;
        this.server = server;
    }

    /** One binary message from the page. Called on one library thread at a time per WebSocket. */
    void frame(byte[] f) {
        String bad = RelayFrames.malformed(f, true);
        if (bad != null) {
            protocolError(bad);
            return;
        }
        switch (f[0]) {
            case RelayFrames.CONNECT -> connect(f);
            case RelayFrames.UDP -> openUdp();
            case RelayFrames.DATAGRAM -> {
                RelayDatagrams u;
                synchronized (this) {
                    u = udp;
                }
                if (u == null) {
                    protocolError("DATAGRAM before UDP");
                } else if (f.length - 19 > RelayFrames.MAX_DATAGRAM) {
                    protocolError("DATAGRAM of " + (f.length - 19) + " bytes");
                } else {
                    u.send(f);
                }
            }
            case RelayFrames.DATA -> {
                int n = f.length - 1;
                synchronized (this) {
                    if (!connectSeen || shutSeen || udp != null) {
                        bad = connectSeen ? "DATA after SHUT or on UDP" : "DATA before CONNECT";
                    } else if (n > recvAllowance) {
                        bad = "DATA of " + n + " bytes beyond the credit of " + recvAllowance;
                    } else {
                        recvAllowance -= n;
                        byte[] b = new byte[n];
                        System.arraycopy(f, 1, b, 0, n);
                        toHost.add(b);
                    }
                }
                if (bad != null) {
                    protocolError(bad);
                }
            }
            case RelayFrames.SHUT -> {
                synchronized (this) {
                    if (!connectSeen || shutSeen || udp != null) {
                        bad = connectSeen ? "second SHUT, or SHUT on UDP" : "SHUT before CONNECT";
                    } else {
                        shutSeen = true;
                        toHost.add(SHUT_MARK);
                    }
                }
                if (bad != null) {
                    protocolError(bad);
                }
            }
            case RelayFrames.CREDIT -> {
                int n = RelayFrames.u32(f, 1);
                synchronized (this) {
                    if (!connectSeen || udp != null) {
                        bad = connectSeen ? "CREDIT on UDP" : "CREDIT before CONNECT";
                    } else if ((long) sendCredit + n > Integer.MAX_VALUE) {
                        bad = "CREDIT beyond 2^31 bytes";
                    } else {
                        sendCredit += n;
                        notifyAll();
                    }
                }
                if (bad != null) {
                    protocolError(bad);
                }
            }
            default -> protocolError("unexpected frame type " + f[0]);
        }
    }

    private void openUdp() {
        boolean again;
        synchronized (this) {
            again = connectSeen;
            connectSeen = true;
        }
        if (again) {
            protocolError("UDP after CONNECT or UDP");
            return;
        }
        RelayDatagrams u;
        try {
            u = new RelayDatagrams(ws, server.policy());
        } catch (IOException e) {
            refuse(IoErrno.of(e, Errno.ENOBUFS), "no UDP socket");
            return;
        }
        synchronized (this) {
            if (closed) {
                u.close();
                return;
            }
            udp = u;
        }
        send(RelayFrames.result(0, 0));
    }

    private void connect(byte[] f) {
        boolean again;
        synchronized (this) {
            again = connectSeen;
            if (!again) {
                connectSeen = true;
                sendCredit = RelayFrames.u32(f, 19);
            }
        }
        if (again) {
            protocolError("second CONNECT");
            return;
        }
        RelayPolicy.Decision d = server.policy().decide(RelayFrames.ip(f), RelayFrames.u16(f, 17));
        if (d.errno() != 0) {
            refuse(d.errno(), "destination refused by the relay");
            return;
        }
        Thread t = new Thread(() -> writeLoop(d.target()), "friscy-relay-out");
        t.setDaemon(true);
        synchronized (this) {
            if (closed) {
                return;
            }
            writer = t;
        }
        t.start();
    }

    /** Connects, then writes what the page sends until it shuts down or the session ends. */
    private void writeLoop(InetSocketAddress target) {
        Socket s = new Socket();
        synchronized (this) {
            if (closed) {
                return;
            }
            socket = s;
        }
        try {
            s.setTcpNoDelay(true);
            s.connect(target, server.connectTimeoutMs());
        } catch (IOException e) {
            refuse(IoErrno.of(e, Errno.ECONNREFUSED), "connect failed");
            return;
        }
        Thread r = new Thread(this::readLoop, "friscy-relay-in");
        r.setDaemon(true);
        synchronized (this) {
            if (closed) {
                return;
            }
            recvAllowance = server.window(); // before RESULT: the page may send at once
            reader = r;
        }
        if (!send(RelayFrames.result(0, server.window()))) {
            return;
        }
        r.start();
        try {
            OutputStream out = s.getOutputStream();
            int written = 0;
            while (true) {
                byte[] b = toHost.take();
                if (b == SHUT_MARK) {
                    s.shutdownOutput();
                } else {
                    out.write(b);
                    written += b.length;
                }
                if (written > 0 && (toHost.isEmpty() || written >= server.window() / 4)) {
                    synchronized (this) {
                        recvAllowance += written;
                    }
                    if (!send(RelayFrames.credit(written))) {
                        return;
                    }
                    written = 0;
                }
            }
        } catch (InterruptedException e) {
            // the session closed
        } catch (IOException e) {
            broken(e);
        }
    }

    /** Reads from the destination as far as the page's credit goes. */
    private void readLoop() {
        byte[] buf = new byte[RelayFrames.MAX_DATA];
        try {
            InputStream in = socket.getInputStream();
            while (true) {
                int room;
                synchronized (this) {
                    while (sendCredit == 0 && !closed) {
                        wait();
                    }
                    if (closed) {
                        return;
                    }
                    room = Math.min(sendCredit, buf.length);
                }
                int n = in.read(buf, 0, room);
                if (n < 0) {
                    send(RelayFrames.shut());
                    return;
                }
                synchronized (this) {
                    sendCredit -= n;
                }
                if (!send(RelayFrames.data(buf, 0, n))) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // the session closed
        } catch (IOException e) {
            broken(e);
        }
    }

    private void broken(IOException e) {
        synchronized (this) {
            if (closed) {
                return; // our own close made the socket fail
            }
        }
        send(RelayFrames.error(IoErrno.of(e, Errno.ECONNRESET), "connection broke: " + e.getMessage()));
        ws.close(CloseFrame.NORMAL, "connection broke");
    }

    /** Config.firstFrameWithinMs after the WebSocket opened: a session still without CONNECT or UDP ends. */
    void connectOverdue() {
        synchronized (this) {
            if (connectSeen || closed) {
                return;
            }
        }
        protocolError("no CONNECT or UDP within " + server.firstFrameWithinMs() + " ms");
    }

    /** The connect's outcome is a failure: tell the page and end. */
    void refuse(int errno, String why) {
        send(RelayFrames.result(errno, 0));
        ws.close(CloseFrame.NORMAL, why);
    }

    /** A frame the protocol does not allow: the page learns why, the session ends, the server goes on. */
    void protocolError(String why) {
        send(RelayFrames.error(Errno.EPROTO, why));
        ws.close(CloseFrame.PROTOCOL_ERROR, "bad frame");
    }

    private boolean send(byte[] f) {
        try {
            ws.send(f);
            return true;
        } catch (RuntimeException e) {
            return false; // the WebSocket has closed: the session is ending
        }
    }

    /** The WebSocket closed: the connection goes with it. */
    void close() {
        Socket s;
        Thread w;
        RelayDatagrams u;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            s = socket;
            w = writer;
            u = udp;
            notifyAll();
        }
        if (u != null) {
            u.close();
        }
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        if (w != null) {
            w.interrupt();
        }
    }
}
