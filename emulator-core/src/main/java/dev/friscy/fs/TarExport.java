package dev.friscy.fs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Writes a {@link Vfs} tree as a POSIX (ustar + PAX) tar: entries in sorted depth-first order,
 * names and link targets too long for ustar (or sizes and ids too large) carried by PAX
 * headers, second and later names of a file as hard links. /proc is written as an empty
 * directory and device nodes are left out: both are recreated at boot ({@link DevFs}).
 */
public final class TarExport {
    private static final int BLOCK = TarHeader.BLOCK;

    private final OutputStream out;
    private final Map<Inode, String> seen = new IdentityHashMap<>();
    private final byte[] buf = new byte[1 << 16];

    private TarExport(OutputStream out) {
        this.out = out;
    }

    /** The whole tree as one tar in memory (small trees and tests; see {@link #export(Vfs, OutputStream)}). */
    public static byte[] export(Vfs vfs) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            export(vfs, b);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return b.toByteArray();
    }

    /** Streams the tree as a tar to {@code os}: file data goes through a small buffer, never whole. */
    public static void export(Vfs vfs, OutputStream os) throws IOException {
        TarExport t = new TarExport(os);
        t.entry("./", vfs.root);
        t.walk(vfs.root, "");
        os.write(new byte[2 * BLOCK], 0, 2 * BLOCK);
        os.flush();
    }

    /**
     * The tree under directory {@code dir} as a tar whose entries start with {@code top}/ (the
     * directory's own name, for a download of one directory).
     */
    public static byte[] exportTree(Inode dir, String top) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        TarExport t = new TarExport(b);
        try {
            t.entry(top + "/", dir);
            t.walk(dir, top + "/");
            b.write(new byte[2 * BLOCK], 0, 2 * BLOCK);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return b.toByteArray();
    }

    /** Just the given entries (absolute paths, parents before children, no recursion); see {@link Stream}. */
    public static byte[] exportPaths(Vfs vfs, java.util.List<String> paths) {
        return new Stream(vfs, paths).readAll();
    }

    private void walk(Inode dir, String prefix) throws IOException {
        for (String name : dir.childNames()) {
            Inode i = dir.lookup(name);
            if (i == null) {
                continue;
            }
            String path = prefix + name;
            if (i.isDir()) {
                entry(path + "/", i);
                if (!(i instanceof ProcFs.Dir)) {
                    walk(i, path + "/");
                }
            } else {
                entry(path, i);
            }
        }
    }

    private void entry(String path, Inode i) throws IOException {
        long size = header(path, i);
        for (long pos = 0; pos < size; ) {
            int n = i.read(pos, buf, 0, (int) Math.min(buf.length, size - pos));
            if (n <= 0) {
                // cannot happen (size is the file's own), but a short file must not loop
                java.util.Arrays.fill(buf, (byte) 0);
                n = (int) Math.min(buf.length, size - pos);
            }
            out.write(buf, 0, n);
            pos += n;
        }
        pad(size);
    }

    /**
     * Writes the header blocks of one entry to {@link #out}; returns the size of the data that
     * must follow (a regular file's content), 0 for none or when the entry is left out.
     */
    private long header(String path, Inode i) throws IOException {
        char type;
        String link = "";
        long size = 0;
        switch (i.type()) {
            case Inode.S_IFDIR:
                type = '5';
                break;
            case Inode.S_IFLNK:
                type = '2';
                link = i.target;
                break;
            case Inode.S_IFIFO:
                type = '6';
                break;
            case Inode.S_IFREG:
                String first = seen.get(i);
                if (first != null) {
                    type = '1';
                    link = first;
                } else {
                    type = '0';
                    size = i.size;
                    if (i.nlink > 1) {
                        seen.put(i, path);
                    }
                }
                break;
            default:
                return 0; // devices and sockets
        }
        int mode = i instanceof ProcFs.Dir ? 0555 : i.mode & 07777;
        long mtime = Math.floorDiv(i.mtimeNs, 1_000_000_000L);
        StringBuilder pax = new StringBuilder();
        if (path.getBytes(StandardCharsets.ISO_8859_1).length > 100) {
            record(pax, "path", path);
        }
        if (link.length() > 100) {
            record(pax, "linkpath", link);
        }
        if (!TarHeader.fitsOctal(size, 12)) {
            record(pax, "size", Long.toString(size));
        }
        if (!TarHeader.fitsOctal(mtime, 12)) {
            record(pax, "mtime", Long.toString(mtime));
        }
        if (!TarHeader.fitsOctal(i.uid & 0xffffffffL, 8)) {
            record(pax, "uid", Long.toString(i.uid & 0xffffffffL));
        }
        if (!TarHeader.fitsOctal(i.gid & 0xffffffffL, 8)) {
            record(pax, "gid", Long.toString(i.gid & 0xffffffffL));
        }
        if (pax.length() > 0) {
            byte[] data = pax.toString().getBytes(StandardCharsets.ISO_8859_1);
            String pname = "PaxHeaders/" + tail(path, 80);
            header(pname, 'x', "", data.length, 0644, 0, 0, mtime);
            out.write(data, 0, data.length);
            pad(data.length);
        }
        header(path, type, link, size, mode, i.uid, i.gid, mtime);
        return type == '0' ? size : 0;
    }

    /**
     * A tar of the given entries (absolute paths, parents before children), produced a piece at
     * a time by {@link #read}: a host copies a large archive out in slices while the guest runs
     * in between. Each entry is taken as it is when its header is made: a file that shrinks
     * afterwards is padded with zeros to the size its header gives, one that grows is cut there.
     */
    public static final class Stream {
        private final Vfs vfs;
        private final java.util.List<String> paths;
        private final ByteArrayOutputStream heads = new ByteArrayOutputStream();
        private final TarExport t = new TarExport(heads);
        private int next;
        private byte[] head = new byte[0];
        private int headPos;
        private Inode data;
        private long dataPos;
        private long dataLen;
        private int padding;
        private int trailer = 2 * BLOCK;

        public Stream(Vfs vfs, java.util.List<String> paths) {
            this.vfs = vfs;
            this.paths = paths;
        }

        /** Fills up to {@code len} bytes; returns how many, 0 once the archive has ended. */
        public int read(byte[] buf, int off, int len) {
            int done = 0;
            while (done < len) {
                if (headPos < head.length) {
                    int k = Math.min(len - done, head.length - headPos);
                    System.arraycopy(head, headPos, buf, off + done, k);
                    headPos += k;
                    done += k;
                } else if (dataPos < dataLen) {
                    int k = (int) Math.min(len - done, dataLen - dataPos);
                    int n = data.read(dataPos, buf, off + done, k);
                    for (int z = Math.max(n, 0); z < k; z++) {
                        buf[off + done + z] = 0; // the file shrank since its header
                    }
                    dataPos += k;
                    done += k;
                } else if (padding > 0) {
                    int k = Math.min(len - done, padding);
                    java.util.Arrays.fill(buf, off + done, off + done + k, (byte) 0);
                    padding -= k;
                    done += k;
                } else if (next < paths.size()) {
                    nextEntry(paths.get(next++));
                } else if (trailer > 0) {
                    int k = Math.min(len - done, trailer);
                    java.util.Arrays.fill(buf, off + done, off + done + k, (byte) 0);
                    trailer -= k;
                    done += k;
                } else {
                    break;
                }
            }
            return done;
        }

        private void nextEntry(String p) {
            head = new byte[0];
            headPos = 0;
            data = null;
            dataPos = 0;
            dataLen = 0;
            padding = 0;
            Inode i = FsChanges.find(vfs, p);
            if (i == null) {
                return; // gone since the scan: the next delta records that
            }
            String name = p.equals("/") ? "./" : p.substring(1);
            heads.reset();
            long size;
            try {
                size = t.header(i.isDir() && !p.equals("/") ? name + "/" : name, i);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
            }
            head = heads.toByteArray();
            if (size > 0) {
                data = i;
                dataLen = size;
                int r = (int) (size % BLOCK);
                padding = r == 0 ? 0 : BLOCK - r;
            }
        }

        /** The whole archive at once (tests, small deltas). */
        public byte[] readAll() {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = read(buf, 0, buf.length)) > 0;) {
                all.write(buf, 0, n);
            }
            return all.toByteArray();
        }
    }

    private static String tail(String path, int max) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return p.length() <= max ? p : p.substring(p.length() - max);
    }

    /** Appends "LEN key=value\n", where LEN counts the whole record including itself. */
    static void record(StringBuilder sb, String key, String value) {
        int body = key.length() + value.length() + 3; // ' ', '=', '\n'
        int len = body + 1;
        while (Integer.toString(len).length() + body != len) {
            len = Integer.toString(len).length() + body;
        }
        sb.append(len).append(' ').append(key).append('=').append(value).append('\n');
    }

    private void pad(long n) throws IOException {
        int r = (int) (n % BLOCK);
        if (r != 0) {
            out.write(new byte[BLOCK - r], 0, BLOCK - r);
        }
    }

    private void header(String name, char type, String link, long size, int mode, int uid, int gid, long mtime)
            throws IOException {
        byte[] h = new byte[BLOCK];
        TarHeader.putString(h, 0, 100, name);
        TarHeader.putOctal(h, 100, 8, mode);
        TarHeader.putOctal(h, 108, 8, TarHeader.fitsOctal(uid & 0xffffffffL, 8) ? uid & 0xffffffffL : 0);
        TarHeader.putOctal(h, 116, 8, TarHeader.fitsOctal(gid & 0xffffffffL, 8) ? gid & 0xffffffffL : 0);
        TarHeader.putOctal(h, 124, 12, TarHeader.fitsOctal(size, 12) ? size : 0);
        TarHeader.putOctal(h, 136, 12, TarHeader.fitsOctal(mtime, 12) ? mtime : 0);
        h[156] = (byte) type;
        TarHeader.putString(h, 157, 100, link);
        TarHeader.putString(h, 257, 6, "ustar");
        h[263] = '0';
        h[264] = '0';
        TarHeader.putString(h, 265, 32, uid == 0 ? "root" : "");
        TarHeader.putString(h, 297, 32, gid == 0 ? "root" : "");
        TarHeader.putChecksum(h);
        out.write(h, 0, BLOCK);
    }
}
