package dev.friscy.image;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Debian binary package: an ar archive holding debian-binary, control.tar.* and data.tar.*.
 * data.tar is unpacked into the image; control.tar gives the control file, md5sums, conffiles
 * and maintainer scripts for the dpkg database. Compression is recognised by magic bytes.
 */
final class DebArchive {
    private static final byte[] AR_MAGIC = "!<arch>\n".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 60;

    private DebArchive() {
    }

    /** Unpacks the package's files into {@code tree}. {@code what} names it in errors. */
    static void unpackInto(RootTree tree, byte[] deb, String what) throws ImageException {
        int[] member = findMember(deb, what, "data.tar");
        String name = new String(deb, member[2], member[3], StandardCharsets.US_ASCII);
        var raw = new ByteArrayInputStream(deb, member[0], member[1]);
        TarImport.apply(tree, Compression.open(raw, what + " " + name), TarImport.Mode.PACKAGE, what + " " + name);
    }

    /** The files of control.tar (control, md5sums, conffiles, preinst, postinst, ...) by name. */
    static Map<String, byte[]> controlMembers(byte[] deb, String what) throws ImageException {
        int[] member = findMember(deb, what, "control.tar");
        Map<String, byte[]> out = new TreeMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(
                Compression.open(new ByteArrayInputStream(deb, member[0], member[1]), what + " control.tar"))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                String name = TarImport.normalize(e.getName());
                if (e.isFile() && !name.isEmpty() && !name.contains("/")) {
                    out.put(name, in.readAllBytes());
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new ImageException(what + ": cannot read control.tar: " + TarImport.oneLine(e));
        }
        if (!out.containsKey("control")) {
            throw new ImageException(what + ": control.tar has no control file");
        }
        return out;
    }

    /** The paths data.tar holds, in its order, as dpkg lists them ("/." for the root, "/usr/bin/x"). */
    static List<String> dataPaths(byte[] deb, String what) throws ImageException {
        int[] member = findMember(deb, what, "data.tar");
        List<String> out = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(
                Compression.open(new ByteArrayInputStream(deb, member[0], member[1]), what + " data.tar"))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                String name = TarImport.normalize(e.getName());
                out.add(name.isEmpty() ? "/." : "/" + name);
            }
        } catch (IOException | RuntimeException e) {
            throw new ImageException(what + ": cannot read data.tar: " + TarImport.oneLine(e));
        }
        return out;
    }

    /**
     * Finds the first member whose name starts with {@code prefix}; returns {offset, length,
     * nameOffset, nameLength}. Checks the ar structure and the debian-binary format version.
     */
    static int[] findMember(byte[] deb, String what, String prefix) throws ImageException {
        if (deb.length < AR_MAGIC.length || !startsWith(deb, 0, AR_MAGIC)) {
            throw new ImageException(what + " is not a Debian package (no ar archive header)");
        }
        int pos = AR_MAGIC.length;
        boolean first = true;
        while (pos < deb.length) {
            if (pos + HEADER > deb.length) {
                throw new ImageException(what + " is truncated (incomplete ar member header)");
            }
            if (deb[pos + 58] != '`' || deb[pos + 59] != '\n') {
                throw new ImageException(what + " is corrupt (bad ar member header at byte " + pos + ")");
            }
            int nameLen = 16;
            while (nameLen > 0 && (deb[pos + nameLen - 1] == ' ' || deb[pos + nameLen - 1] == '/')) {
                nameLen--;
            }
            String name = new String(deb, pos, nameLen, StandardCharsets.US_ASCII);
            long size;
            try {
                size = Long.parseLong(new String(deb, pos + 48, 10, StandardCharsets.US_ASCII).trim());
            } catch (NumberFormatException e) {
                throw new ImageException(what + " is corrupt (bad ar member size for " + name + ")");
            }
            int data = pos + HEADER;
            if (size < 0 || data + size > deb.length) {
                throw new ImageException(what + " is truncated (member " + name + " needs " + size + " bytes, "
                        + Math.max(0, deb.length - data) + " present)");
            }
            if (first) {
                String version = new String(deb, data, (int) Math.min(size, 16), StandardCharsets.US_ASCII);
                if (!name.equals("debian-binary") || !version.startsWith("2.")) {
                    throw new ImageException(what + " is not a Debian binary package (format " + name + " " + version.trim() + ")");
                }
                first = false;
            } else if (name.startsWith(prefix)) {
                return new int[] {data, (int) size, pos, nameLen};
            }
            pos = data + (int) size + (int) (size & 1);
        }
        throw new ImageException(what + " has no " + prefix + " member");
    }

    private static boolean startsWith(byte[] b, int off, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (b[off + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
