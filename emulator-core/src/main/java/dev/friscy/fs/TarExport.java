package dev.friscy.fs;

import java.io.ByteArrayOutputStream;
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

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Map<Inode, String> seen = new IdentityHashMap<>();

    private TarExport() {
    }

    public static byte[] export(Vfs vfs) {
        TarExport t = new TarExport();
        t.entry("./", vfs.root);
        t.walk(vfs.root, "");
        t.out.write(new byte[2 * BLOCK], 0, 2 * BLOCK);
        return t.out.toByteArray();
    }

    /**
     * The tree under directory {@code dir} as a tar whose entries start with {@code top}/ (the
     * directory's own name, for a download of one directory).
     */
    public static byte[] exportTree(Inode dir, String top) {
        TarExport t = new TarExport();
        t.entry(top + "/", dir);
        t.walk(dir, top + "/");
        t.out.write(new byte[2 * BLOCK], 0, 2 * BLOCK);
        return t.out.toByteArray();
    }

    /**
     * Just the given entries (absolute paths, parents before children, no recursion): the
     * changed files of a file-system delta. A path that no longer resolves is left out.
     */
    public static byte[] exportPaths(Vfs vfs, java.util.List<String> paths) {
        TarExport t = new TarExport();
        for (String p : paths) {
            Inode i = FsChanges.find(vfs, p);
            if (i == null) {
                continue;
            }
            String name = p.equals("/") ? "./" : p.substring(1);
            t.entry(i.isDir() && !p.equals("/") ? name + "/" : name, i);
        }
        t.out.write(new byte[2 * BLOCK], 0, 2 * BLOCK);
        return t.out.toByteArray();
    }

    private void walk(Inode dir, String prefix) {
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

    private void entry(String path, Inode i) {
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
                return; // devices and sockets
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
        if (type == '0' && size > 0) {
            byte[] data = i.readAll();
            out.write(data, 0, data.length);
            pad(data.length);
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

    private void pad(long n) {
        int r = (int) (n % BLOCK);
        if (r != 0) {
            out.write(new byte[BLOCK - r], 0, BLOCK - r);
        }
    }

    private void header(String name, char type, String link, long size, int mode, int uid, int gid, long mtime) {
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
        for (int k = 148; k < 156; k++) {
            h[k] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        TarHeader.putOctal(h, 148, 7, sum);
        h[155] = ' ';
        out.write(h, 0, BLOCK);
    }
}
