package dev.friscy.testservers;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports of 127.0.0.1 for the tests of guest networking. */
public final class Ports {
    private Ports() {
    }

    /** A port nobody listens on (one just given up, which a test maps to see ECONNREFUSED). */
    public static int closed() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
