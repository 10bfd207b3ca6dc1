package dev.friscy.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * Content negotiation for {@code ./friscy serve}: a request for {@code X.gz} from a browser that
 * accepts the zstd content coding gets {@code X.zst} instead (the site's images are exported both
 * ways, see the web module's ExportImages), sent as {@code X} with {@code Content-Encoding: zstd}.
 * The browser's network process decodes it, faster than the Worker gunzips and on another thread,
 * and the page receives the tar itself; a browser that does not accept zstd, or a static host,
 * gets the gzip file as before. Chromium accepts zstd over HTTPS and from localhost.
 */
public final class ZstdTwin {
    private ZstdTwin() {
    }

    /**
     * The zstd twin of {@code file} to send for a request with this {@code Accept-Encoding}
     * header, or null: not a {@code .gz}, no twin as new as it, or zstd not acceptable.
     */
    static Path choose(Path file, String acceptEncoding) throws IOException {
        String name = file.getFileName().toString();
        if (!name.endsWith(".gz") || !accepts(acceptEncoding, "zstd")) {
            return null;
        }
        Path twin = file.resolveSibling(name.substring(0, name.length() - 3) + ".zst");
        if (!Files.isRegularFile(twin)
                || Files.getLastModifiedTime(twin).compareTo(Files.getLastModifiedTime(file)) < 0) {
            return null; // a twin older than the gzip file may be of an older image
        }
        return twin;
    }

    /** True if the {@code Accept-Encoding} header value accepts {@code coding} (RFC 9110 12.5.3). */
    static boolean accepts(String header, String coding) {
        if (header == null) {
            return false;
        }
        double named = -1;
        double any = -1;
        for (String part : header.split(",")) {
            String[] p = part.split(";");
            String name = p[0].trim().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < p.length; i++) {
                String param = p[i].trim().toLowerCase(Locale.ROOT);
                if (param.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(param.substring(2).trim());
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            if (name.equals(coding)) {
                named = q;
            } else if (name.equals("*")) {
                any = q;
            }
        }
        // a coding named with q=0 is refused even if "*" would take it
        return named >= 0 ? named > 0 : any > 0;
    }

    /**
     * The length of what gzip file {@code gz} decompresses to, from its trailer (ISIZE, modulo
     * 2^32: exact for images, which must fit in at most 4 GiB of guest memory), or -1. The page
     * shows download progress against it, since Content-Length counts encoded bytes.
     */
    public static long gzipLength(Path gz) throws IOException {
        try (FileChannel ch = FileChannel.open(gz, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 18) {
                return -1;
            }
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining()) {
                if (ch.read(b, size - 4 + b.position()) < 0) {
                    return -1;
                }
            }
            return b.getInt(0) & 0xffffffffL;
        }
    }
}
