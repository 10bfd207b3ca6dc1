package dev.friscy.relay;

import dev.friscy.errno.Errno;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;

/**
 * The browser relay ({@code friscy serve --relay}): a WebSocket server through which guests in
 * a page reach TCP destinations (the page's Worker cannot open sockets). Each WebSocket is one
 * guest connection speaking {@link RelayFrames}; {@link RelayPolicy} decides where it may go.
 * Bad frames end their own session, never the server.
 */
public final class RelayServer extends WebSocketServer {
    /**
     * How the relay behaves: where guests may go, how many connections at once, which page
     * origins may use it (null: any), how long a connect may take, the window (bytes a page
     * may send ahead of the relay's credit), and how soon a WebSocket must send its CONNECT or
     * UDP (idle ones would hold the connection limit).
     */
    public record Config(RelayPolicy policy, int maxConnections, Set<String> origins, int connectTimeoutMs,
            int window, int firstFrameWithinMs) {
        public Config(RelayPolicy policy, int maxConnections, Set<String> origins, int connectTimeoutMs) {
            this(policy, maxConnections, origins, connectTimeoutMs, RelayFrames.WINDOW, 10_000);
        }
    }

    private final Config config;
    private final java.util.concurrent.ScheduledExecutorService timers =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "friscy-relay-timer");
                t.setDaemon(true);
                return t;
            });
    private final AtomicInteger open = new AtomicInteger();
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile Exception startError;

    private RelayServer(InetSocketAddress bind, Config config) {
        // one decoder thread: frames are small and sessions do their blocking on their own threads
        super(bind, 1, List.<Draft>of(new Draft_6455(Collections.emptyList(), RelayFrames.MAX_FRAME)));
        this.config = config;
        setReuseAddr(true);
        setTcpNoDelay(true);
        setDaemon(true);
        setConnectionLostTimeout(60);
    }

    /** Starts a relay on {@code bind} (port 0: any free one) and waits until it listens. */
    public static RelayServer start(InetSocketAddress bind, Config config) throws IOException {
        RelayServer s = new RelayServer(bind, config);
        s.start();
        try {
            if (!s.started.await(10, TimeUnit.SECONDS)) {
                throw new IOException("the relay did not start within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the relay");
        }
        if (s.startError != null) {
            throw new IOException(s.startError.getMessage(), s.startError);
        }
        return s;
    }

    RelayPolicy policy() {
        return config.policy();
    }

    int connectTimeoutMs() {
        return config.connectTimeoutMs();
    }

    int window() {
        return config.window();
    }

    int firstFrameWithinMs() {
        return config.firstFrameWithinMs();
    }

    /** Guest connections open now. */
    public int openSessions() {
        return open.get();
    }

    /** Stops listening and closes every session. */
    public void close() {
        timers.shutdownNow();
        try {
            stop(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Pages from other origins may not use the relay: any site a user visits could otherwise. */
    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket conn, Draft draft,
            ClientHandshake request) throws InvalidDataException {
        ServerHandshakeBuilder b = super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
        Set<String> origins = config.origins();
        if (origins != null) {
            String origin = request.getFieldValue("Origin");
            if (!origins.contains(origin)) {
                throw new InvalidDataException(CloseFrame.POLICY_VALIDATION,
                        "origin '" + origin + "' may not use this relay");
            }
        }
        return b;
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        RelaySession s = new RelaySession(conn, this);
        s.counted = true;
        conn.setAttachment(s);
        if (open.incrementAndGet() > config.maxConnections()) {
            s.refuse(Errno.ENOBUFS, "the relay has " + config.maxConnections() + " connections open");
            return;
        }
        timers.schedule(s::connectOverdue, config.firstFrameWithinMs(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        RelaySession s = conn.getAttachment();
        if (s != null) {
            s.close();
            synchronized (s) {
                if (s.counted) {
                    s.counted = false;
                    open.decrementAndGet();
                }
            }
        }
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        RelaySession s = conn.getAttachment();
        if (s != null) {
            s.protocolError("text frame (the relay speaks binary frames)");
        }
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        RelaySession s = conn.getAttachment();
        if (s != null) {
            byte[] f = new byte[message.remaining()];
            message.get(f);
            s.frame(f);
        }
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        if (conn == null) {
            // the server's own socket: failing to bind, at start
            startError = ex;
            started.countDown();
        }
        // a session's error: the library closes that WebSocket, and onClose ends the session
    }

    @Override
    public void onStart() {
        started.countDown();
    }
}
