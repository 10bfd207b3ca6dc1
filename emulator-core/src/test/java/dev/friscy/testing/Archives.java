package dev.friscy.testing;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** The tests' one tar writer: builds tar, ar, .deb, gzip and xz bytes, and reads tars back. */
public final class Archives {
    private Archives() {
    }

    /** A tar under construction; entries are written in the order added. */
    public static final class Tar {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final TarArchiveOutputStream out = new TarArchiveOutputStream(bytes, "UTF-8");

        public Tar() {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        }

        public Tar dir(String name, int mode) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR);
            e.setMode(0040000 | mode);
            return put(e, null);
        }

        public Tar file(String name, int mode, String content) throws IOException {
            return file(name, mode, 0, 0, content);
        }

        public Tar file(String name, int mode, long uid, long gid, String content) throws IOException {
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
            e.setMode(0100000 | mode);
            e.setSize(data.length);
            e.setUserId(uid);
            e.setGroupId(gid);
            return put(e, data);
        }

        public Tar symlink(String name, String target) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
            e.setLinkName(target);
            e.setMode(0120777);
            return put(e, null);
        }

        /** A regular file with tar's defaults (mode 0644, owner 0). */
        public Tar file(String name, byte[] data) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(data.length);
            out.putArchiveEntry(e);
            out.write(data);
            out.closeArchiveEntry();
            return this;
        }

        public Tar hardlink(String name, String target) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK);
            e.setLinkName(target);
            e.setMode(0100644);
            return put(e, null);
        }

        private Tar put(TarArchiveEntry e, byte[] data) throws IOException {
            e.setModTime(1_000_000_000_000L);
            out.putArchiveEntry(e);
            if (data != null) {
                out.write(data);
            }
            out.closeArchiveEntry();
            return this;
        }

        public byte[] bytes() throws IOException {
            out.finish();
            out.close();
            return bytes.toByteArray();
        }
    }

    public static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(data);
        }
        return b.toByteArray();
    }

    public static byte[] xz(byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (XZOutputStream x = new XZOutputStream(b, new LZMA2Options(1))) {
            x.write(data);
        }
        return b.toByteArray();
    }

    /** An ar archive (the .deb container) with the members in order. */
    public static byte[] ar(Map<String, byte[]> members) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("!<arch>\n".getBytes(StandardCharsets.US_ASCII));
        for (Map.Entry<String, byte[]> m : members.entrySet()) {
            String header = pad(m.getKey(), 16) + pad("0", 12) + pad("0", 6) + pad("0", 6) + pad("100644", 8)
                    + pad(Integer.toString(m.getValue().length), 10) + "`\n";
            b.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(m.getValue());
            if (m.getValue().length % 2 == 1) {
                b.write('\n');
            }
        }
        return b.toByteArray();
    }

    private static String pad(String s, int width) {
        StringBuilder sb = new StringBuilder(s);
        while (sb.length() < width) {
            sb.append(' ');
        }
        return sb.toString();
    }

    /** A .deb whose data.tar.xz is {@code dataTar}. */
    public static byte[] deb(byte[] dataTar) throws IOException {
        return debWith("data.tar.xz", xz(dataTar));
    }

    public static byte[] debWith(String dataMemberName, byte[] dataMember) throws IOException {
        byte[] control = new Tar().file("./control", 0644, "Package: x\n").bytes();
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII));
        members.put("control.tar.xz", xz(control));
        members.put(dataMemberName, dataMember);
        return ar(members);
    }

    /** One entry read back from a tar. */
    public record Entry(String name, char type, int mode, long uid, long gid, long mtime, String link, byte[] data) {
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    public static Map<String, Entry> read(InputStream tar) throws IOException {
        Map<String, Entry> out = new LinkedHashMap<>();
        for (Entry e : list(tar)) {
            out.put(e.name(), e);
        }
        return out;
    }

    public static List<Entry> list(InputStream tar) throws IOException {
        List<Entry> out = new ArrayList<>();
        TarArchiveInputStream in = new TarArchiveInputStream(tar, "UTF-8");
        TarArchiveEntry e;
        while ((e = in.getNextEntry()) != null) {
            byte[] data = e.isFile() && !e.isLink() && !e.isSymbolicLink() ? in.readAllBytes() : new byte[0];
            out.add(new Entry(e.getName(), (char) e.getLinkFlag(), e.getMode(), e.getLongUserId(),
                    e.getLongGroupId(), e.getModTime().getTime() / 1000, e.getLinkName(), data));
        }
        return out;
    }
}
