package dev.friscy.relay;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A test's side of one relay WebSocket (the JDK's client): frames in, frames out, the close code. */
final class RelayClient implements WebSocket.Listener, AutoCloseable {
    final LinkedBlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    final WebSocket ws;

    RelayClient(int port, String origin) {
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (origin != null) {
            b.header("Origin", origin);
        }
        ws = b.buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), this).join();
    }

    void send(byte[] f) {
        ws.sendBinary(ByteBuffer.wrap(f), true).join();
    }

    void sendText(String s) {
        ws.sendText(s, true).join();
    }

    /** The next frame from the relay; fails after 10 s. */
    byte[] next() throws InterruptedException {
        byte[] f = frames.poll(10, TimeUnit.SECONDS);
        if (f == null) {
            throw new AssertionError("no frame from the relay within 10 s (closed: " + closed.getNow(null) + ")");
        }
        return f;
    }

    int closeCode() throws Exception {
        return closed.get(10, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        partial.write(b, 0, b.length);
        if (last) {
            frames.add(partial.toByteArray());
            partial.reset();
        }
        w.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
        closed.complete(code);
        return null;
    }

    @Override
    public void onError(WebSocket w, Throwable error) {
        closed.complete(-1);
    }

    @Override
    public void close() {
        ws.abort();
    }
}
