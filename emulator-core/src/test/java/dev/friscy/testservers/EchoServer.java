package dev.friscy.testservers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A TCP echo server on 127.0.0.1 for the tests of guest networking (the JVM's host network,
 * the page's relay): each client on a thread of its own. Either it echoes bytes as they come
 * and shuts down its side when the client does, or it answers a prefix and everything the
 * client sent once the client has shut down writing (a test then sees the whole exchange).
 */
public final class EchoServer implements AutoCloseable {
    private final ServerSocket socket;
    /** null: echo as it comes. */
    private final byte[] prefix;

    private EchoServer(byte[] prefix) throws IOException {
        this.prefix = prefix;
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::accept, "echo-server");
        t.setDaemon(true);
        t.start();
    }

    /** Echoes bytes as they come; shuts down its output when the client does. */
    public static EchoServer streaming() throws IOException {
        return new EchoServer(null);
    }

    /** Answers {@code prefix} and all the client sent, once the client shuts down writing. */
    public static EchoServer afterEof(String prefix) throws IOException {
        return new EchoServer(prefix.getBytes(StandardCharsets.ISO_8859_1));
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void accept() {
        while (true) {
            Socket s;
            try {
                s = socket.accept();
            } catch (IOException e) {
                return; // closed
            }
            Thread t = new Thread(() -> serve(s), "echo-client");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            if (prefix == null) {
                in.transferTo(out);
            } else {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                in.transferTo(all);
                out.write(prefix);
                all.writeTo(out);
            }
            s.shutdownOutput();
        } catch (IOException e) {
            // the client went away
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
