package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a tar archive (ustar, GNU long names and links, PAX extended headers) into a
 * {@link Vfs}. Entries are confined to the VFS root: leading slashes are stripped and an entry
 * whose ".." would climb above the root is skipped. Devices and other objects we cannot
 * represent are skipped with a warning. Written for TeaVM: no library, no java.nio.file.
 */
public final class TarImport {
    private static final int BLOCK = TarHeader.BLOCK;
    /**
     * Longest path or link target accepted. Linux's PATH_MAX is 4096 per call, but tar can nest
     * deeper; this bounds the depth (and so the work) an entry can demand, with room for real trees.
     */
    static final int MAX_PATH = 16384;

    /**
     * Longest PAX or GNU long-name record read into memory: far more than any name needs, small
     * enough that a hostile size cannot make the import allocate much.
     */
    static final int MAX_RECORD = 1 << 20;

    private final Vfs vfs;
    private final TarSource src;
    private final List<String> warnings = new ArrayList<>();
    private final Map<Inode, Long> dirTimes = new IdentityHashMap<>();
    private final FsContext ctx;
    private final byte[] hdr = new byte[BLOCK];

    private TarImport(Vfs vfs, TarSource src) {
        this.vfs = vfs;
        this.src = src;
        this.ctx = new FsContext(vfs.root, vfs.root);
    }

    /** Imports {@code tar} into {@code vfs}; returns the warnings (skipped entries). */
    public static List<String> importInto(Vfs vfs, byte[] tar) throws TarException {
        return importInto(vfs, TarSource.of(tar));
    }

    /**
     * Imports the archive {@code src} into {@code vfs}; returns the warnings (skipped entries).
     * From a {@link TarSource#lazy lazy} source only the headers are read now; each regular
     * file's data stays in the source until it is first used.
     */
    public static List<String> importInto(Vfs vfs, TarSource src) throws TarException {
        TarImport t = new TarImport(vfs, src);
        t.run();
        return t.warnings;
    }

    private static final class Entry {
        String path;
        String link;
        long size;
        long mtimeNs;
        int mode;
        int uid;
        int gid;
        char type;
        long dataOff;
    }

    private void fill(long pos, byte[] b, int len) throws TarException {
        try {
            src.read(pos, b, 0, len);
        } catch (java.io.IOException ex) {
            throw new TarException("cannot read the archive at offset " + pos + ": " + ex.getMessage());
        }
    }

    /** The data of a PAX or long-name entry, which the import needs in memory. */
    private byte[] record(Entry e, long pos, long len) throws TarException {
        if (len > MAX_RECORD) {
            throw new TarException("unsupported tar: a " + len + "-byte extended header at offset " + pos);
        }
        byte[] b = new byte[(int) len];
        fill(e.dataOff, b, b.length);
        return b;
    }

    private void run() throws TarException {
        long length = src.length();
        long pos = 0;
        String longName = null;
        String longLink = null;
        Map<String, String> pax = null;
        Map<String, String> globalPax = new java.util.HashMap<>();
        int zeros = 0;
        byte[] h = hdr;
        while (true) {
            if (pos + BLOCK > length) {
                if (pos == length) {
                    break; // a missing end-of-archive marker is tolerated, as GNU tar does
                }
                throw new TarException("truncated tar: partial header at offset " + pos);
            }
            fill(pos, h, BLOCK);
            if (TarHeader.isZero(h, 0)) {
                zeros++;
                pos += BLOCK;
                if (zeros == 2) {
                    break;
                }
                continue;
            }
            zeros = 0;
            if (!TarHeader.checksumOk(h, 0, pos)) {
                throw new TarException("corrupt tar: bad header checksum at offset " + pos);
            }
            Entry e = new Entry();
            String name = TarHeader.str(h, 0, 100);
            String magic = TarHeader.str(h, 257, 6);
            if (magic.startsWith("ustar")) {
                String prefix = TarHeader.str(h, 345, magic.equals("ustar") ? 155 : 0);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
            }
            e.mode = (int) TarHeader.number(h, 100, 8, pos, "mode") & 07777;
            e.uid = (int) TarHeader.number(h, 108, 8, pos, "uid");
            e.gid = (int) TarHeader.number(h, 116, 8, pos, "gid");
            e.size = TarHeader.number(h, 124, 12, pos, "size");
            e.mtimeNs = TarHeader.number(h, 136, 12, pos, "mtime") * 1_000_000_000L;
            e.type = (char) (h[156] & 0xff);
            e.link = TarHeader.str(h, 157, 100);
            e.path = name;
            if (!globalPax.isEmpty() || pax != null) {
                Map<String, String> px = new java.util.HashMap<>(globalPax);
                if (pax != null) {
                    px.putAll(pax);
                }
                applyPax(e, px, pos);
            }
            if (longName != null) {
                e.path = longName;
            }
            if (longLink != null) {
                e.link = longLink;
            }
            if (e.size < 0) {
                throw new TarException("corrupt tar: negative size at offset " + pos);
            }
            long dataOff = pos + BLOCK;
            boolean hasData = e.type != '1' && e.type != '2' && e.type != '3' && e.type != '4' && e.type != '5'
                    && e.type != '6';
            long dataLen = hasData ? e.size : 0;
            // compared without adding: a PAX size near 2^63 must not wrap back into the archive
            if (dataLen > length - dataOff) {
                throw new TarException("truncated tar: entry '" + e.path + "' needs " + dataLen + " bytes at offset "
                        + dataOff + ", archive ends at " + length);
            }
            e.dataOff = dataOff;
            long next = dataOff + ((dataLen + BLOCK - 1) / BLOCK) * BLOCK;
            if (next <= pos) {
                throw new TarException("corrupt tar: no progress at offset " + pos);
            }
            if (e.path.indexOf('\0') >= 0 || e.link.indexOf('\0') >= 0) {
                throw new TarException("corrupt tar: NUL byte in a name at offset " + pos);
            }
            if (e.path.length() > MAX_PATH || e.link.length() > MAX_PATH) {
                throw new TarException("unsupported tar: a name longer than " + MAX_PATH + " bytes at offset " + pos);
            }
            switch (e.type) {
                case 'L': {
                    byte[] r = record(e, pos, dataLen);
                    longName = trimNul(r, 0, r.length);
                    pos = next;
                    continue;
                }
                case 'K': {
                    byte[] r = record(e, pos, dataLen);
                    longLink = trimNul(r, 0, r.length);
                    pos = next;
                    continue;
                }
                case 'x':
                    pax = parsePax(record(e, pos, dataLen), pos);
                    pos = next;
                    continue;
                case 'g':
                    globalPax.putAll(parsePax(record(e, pos, dataLen), pos));
                    pos = next;
                    continue;
                default:
                    break;
            }
            longName = null;
            longLink = null;
            pax = null;
            try {
                add(e);
            } catch (SyscallError err) {
                warnings.add("skipped '" + e.path + "': " + err.getMessage());
            }
            pos = next;
        }
        for (Map.Entry<Inode, Long> d : dirTimes.entrySet()) {
            d.getKey().mtimeNs = d.getValue();
            d.getKey().atimeNs = d.getValue();
            d.getKey().ctimeNs = d.getValue();
        }
    }

    private static String trimNul(byte[] b, int off, int len) {
        int n = 0;
        while (n < len && b[off + n] != 0) {
            n++;
        }
        return new String(b, off, n, StandardCharsets.ISO_8859_1);
    }

    /** PAX records "LEN key=value\n"; values are kept as raw bytes (ISO-8859-1 strings). */
    private static Map<String, String> parsePax(byte[] r, long at) throws TarException {
        Map<String, String> m = new java.util.HashMap<>();
        int p = 0;
        int len = r.length;
        int end = len;
        while (p < end) {
            if (r[p] == 0) {
                break;
            }
            int sp = p;
            long n = 0;
            while (sp < end && r[sp] >= '0' && r[sp] <= '9') {
                n = n * 10 + (r[sp] - '0');
                if (n > len) {
                    throw new TarException("corrupt tar: bad PAX record length at offset " + at);
                }
                sp++;
            }
            if (sp >= end || r[sp] != ' ' || n <= sp - p || p + n > end || r[(int) (p + n - 1)] != '\n') {
                throw new TarException("corrupt tar: bad PAX record at offset " + at);
            }
            String rec = new String(r, sp + 1, (int) (p + n - 1 - (sp + 1)), StandardCharsets.ISO_8859_1);
            int eq = rec.indexOf('=');
            if (eq <= 0) {
                throw new TarException("corrupt tar: bad PAX record at offset " + at);
            }
            m.put(rec.substring(0, eq), rec.substring(eq + 1));
            p += (int) n;
        }
        return m;
    }

    private void applyPax(Entry e, Map<String, String> px, long at) throws TarException {
        if (px.isEmpty()) {
            return;
        }
        try {
            if (px.containsKey("path")) {
                e.path = px.get("path");
            }
            if (px.containsKey("linkpath")) {
                e.link = px.get("linkpath");
            }
            if (px.containsKey("size")) {
                e.size = Long.parseLong(px.get("size"));
            }
            if (px.containsKey("uid")) {
                e.uid = (int) Long.parseLong(px.get("uid"));
            }
            if (px.containsKey("gid")) {
                e.gid = (int) Long.parseLong(px.get("gid"));
            }
            if (px.containsKey("mtime")) {
                e.mtimeNs = parseTime(px.get("mtime"));
            }
        } catch (NumberFormatException ex) {
            throw new TarException("corrupt tar: bad PAX number at offset " + at);
        }
        for (String k : px.keySet()) {
            if (k.startsWith("GNU.sparse")) {
                throw new TarException("unsupported tar: GNU sparse file at offset " + at);
            }
        }
    }

    /** "seconds[.fraction]" to nanoseconds. */
    static long parseTime(String s) {
        int dot = s.indexOf('.');
        String sec = dot < 0 ? s : s.substring(0, dot);
        long ns = Long.parseLong(sec) * 1_000_000_000L;
        if (dot >= 0) {
            String f = s.substring(dot + 1);
            long frac = 0;
            for (int i = 0; i < 9; i++) {
                char c = i < f.length() ? f.charAt(i) : '0';
                if (c < '0' || c > '9') {
                    throw new NumberFormatException(s);
                }
                frac = frac * 10 + (c - '0');
            }
            ns += s.startsWith("-") ? -frac : frac;
        }
        return ns;
    }

    /**
     * The confined components of a tar path: no leading slash, no "." or empty parts; ".." pops
     * a component, and null means it would climb above the root.
     */
    static List<String> confine(String path) {
        List<String> parts = new ArrayList<>();
        for (String c : path.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (parts.isEmpty()) {
                    return null;
                }
                parts.remove(parts.size() - 1);
                continue;
            }
            parts.add(c);
        }
        return parts;
    }

    /** The directory that will hold the last component, creating missing directories on the way. */
    private Inode parentDir(List<String> parts) {
        Inode cur = vfs.root;
        for (int i = 0; i < parts.size() - 1; i++) {
            String c = parts.get(i);
            Inode next = cur.lookup(c);
            if (next == null) {
                next = vfs.newInode(Inode.S_IFDIR | 0755);
                vfs.link(cur, c, next);
            } else if (next.isSymlink()) {
                // resolved inside the VFS (absolute targets start at its root), so it cannot escape
                next = vfs.resolve(ctx, cur, c, true);
            }
            if (!next.isDir()) {
                throw new SyscallError(dev.friscy.errno.Errno.ENOTDIR);
            }
            cur = next;
        }
        return cur;
    }

    private void add(Entry e) {
        List<String> parts = confine(e.path);
        if (parts == null) {
            warnings.add("skipped '" + e.path + "': it climbs above the root");
            return;
        }
        if (parts.isEmpty()) {
            if (e.type == '5') {
                attrs(vfs.root, e);
                dirTimes.put(vfs.root, e.mtimeNs);
            }
            return;
        }
        switch (e.type) {
            case '0':
            case '\0':
            case '7':
            case '5':
            case 'D':
            case '2':
            case '1':
            case '6':
                break;
            case '3':
            case '4':
                warnings.add("skipped '" + e.path + "': device nodes are not imported");
                return;
            default:
                warnings.add("skipped '" + e.path + "': unsupported tar entry type '" + e.type + "'");
                return;
        }
        Inode dir = parentDir(parts);
        String name = parts.get(parts.size() - 1);
        if (name.length() > Vfs.NAME_MAX) {
            warnings.add("skipped '" + e.path + "': name too long");
            return;
        }
        Inode old = dir.lookup(name);
        boolean isDir = e.type == '5' || e.type == 'D';
        if (old != null) {
            if (isDir && old.isDir()) {
                attrs(old, e);
                dirTimes.put(old, e.mtimeNs);
                return;
            }
            if (old.isDir() && !old.entries.isEmpty()) {
                warnings.add("skipped '" + e.path + "': a non-empty directory is in the way");
                return;
            }
            vfs.unlink(dir, name);
        }
        Inode i;
        switch (e.type) {
            case '5':
            case 'D':
                i = vfs.newInode(Inode.S_IFDIR | e.mode);
                dirTimes.put(i, e.mtimeNs);
                break;
            case '2':
                i = vfs.newInode(Inode.S_IFLNK | 0777);
                i.target = e.link;
                if (e.link.isEmpty()) {
                    warnings.add("skipped '" + e.path + "': empty symlink target");
                    return;
                }
                break;
            case '6':
                i = vfs.newInode(Inode.S_IFIFO | e.mode);
                break;
            case '1': {
                List<String> lp = confine(e.link);
                Inode target = null;
                if (lp != null && !lp.isEmpty()) {
                    try {
                        Inode ld = parentDir(lp);
                        target = ld.lookup(lp.get(lp.size() - 1));
                    } catch (SyscallError err) {
                        target = null;
                    }
                }
                if (target == null || target.isDir()) {
                    warnings.add("skipped hard link '" + e.path + "': target '" + e.link + "' "
                            + (target == null ? "not found" : "is a directory"));
                    return;
                }
                long ctime = target.ctimeNs;
                vfs.link(dir, name, target);
                target.ctimeNs = ctime; // reproducible, as for every other entry
                return;
            }
            default:
                i = vfs.newInode(Inode.S_IFREG | e.mode);
                if (e.size > 0) {
                    data(i, e);
                }
                break;
        }
        vfs.link(dir, name, i);
        attrs(i, e);
    }

    /** A regular file's data: left in a lazy source, else copied in now. */
    private void data(Inode i, Entry e) {
        if (src.lazy()) {
            i.backBy(src, e.dataOff, e.size);
            return;
        }
        if (src instanceof ArrayTarSource) {
            i.write(0, ((ArrayTarSource) src).tar, (int) e.dataOff, (int) e.size);
            return;
        }
        byte[] b = new byte[(int) Math.min(e.size, 1 << 16)];
        for (long done = 0; done < e.size; ) {
            int n = (int) Math.min(b.length, e.size - done);
            try {
                src.read(e.dataOff + done, b, 0, n);
            } catch (java.io.IOException ex) {
                throw new SyscallError(Errno.EIO);
            }
            i.write(done, b, 0, n);
            done += n;
        }
    }

    private void attrs(Inode i, Entry e) {
        i.mode = (i.mode & Inode.S_IFMT) | (i.isSymlink() ? 0777 : e.mode);
        i.uid = e.uid;
        i.gid = e.gid;
        i.mtimeNs = e.mtimeNs;
        i.atimeNs = e.mtimeNs;
        i.ctimeNs = e.mtimeNs; // reproducible: the archive's time, not the import's
        i.btimeNs = e.mtimeNs;
    }
}
