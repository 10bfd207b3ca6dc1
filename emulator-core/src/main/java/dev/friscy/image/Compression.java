package dev.friscy.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdUtils;
import org.tukaani.xz.XZInputStream;

/** Recognises a compressed stream by its first bytes and opens a decompressing reader. */
final class Compression {
    private Compression() {
    }

    /**
     * Most bytes one compressed stream may expand to (system property friscy.maxExpanded, in
     * MiB, to change it): the image tool holds a whole tree in memory.
     */
    static final long MAX_EXPANDED = Long.getLong("friscy.maxExpanded", 2048) << 20;

    /** Wraps {@code raw} in the decompressor its magic bytes call for, capped at {@link #MAX_EXPANDED}; plain data passes through. */
    static InputStream open(InputStream raw, String what) throws ImageException {
        InputStream in = decompressor(raw, what);
        return in == raw || in instanceof BufferedInputStream ? in : new CappedInputStream(in, MAX_EXPANDED, what);
    }

    private static InputStream decompressor(InputStream raw, String what) throws ImageException {
        BufferedInputStream in = raw instanceof BufferedInputStream ? (BufferedInputStream) raw : new BufferedInputStream(raw, 1 << 16);
        byte[] magic = new byte[6];
        int n;
        try {
            in.mark(16);
            n = in.readNBytes(magic, 0, magic.length);
            in.reset();
        } catch (IOException e) {
            throw new ImageException("cannot read " + what + ": " + TarImport.oneLine(e));
        }
        try {
            if (n >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
                return new GZIPInputStream(in, 1 << 16);
            }
            if (n >= 6 && (magic[0] & 0xff) == 0xfd && magic[1] == '7' && magic[2] == 'z' && magic[3] == 'X'
                    && magic[4] == 'Z' && magic[5] == 0) {
                return new XZInputStream(in);
            }
            if (n >= 3 && magic[0] == 'B' && magic[1] == 'Z' && magic[2] == 'h') {
                return new BZip2CompressorInputStream(in, true);
            }
            if (n >= 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5 && (magic[2] & 0xff) == 0x2f
                    && (magic[3] & 0xff) == 0xfd) {
                if (!ZstdUtils.isZstdCompressionAvailable()) {
                    throw new ImageException(what + " is zstd-compressed, which this build cannot read"
                            + " (commons-compress needs zstd-jni for it); only xz, gzip and bzip2 are supported");
                }
                return new ZstdCompressorInputStream(in);
            }
        } catch (IOException e) {
            throw new ImageException("corrupt compressed data in " + what + ": " + TarImport.oneLine(e));
        }
        return in;
    }
}
