package dev.friscy.image;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Writes dpkg's database for the unpacked packages, as dpkg itself leaves it after installing
 * them: /var/lib/dpkg/status (each package's control stanza with "Status: install ok installed"
 * and its Conffiles), and /var/lib/dpkg/info/PKG.{list,md5sums,conffiles,preinst,postinst,...}.
 * With it, `dpkg -L` and `dpkg -s` work in the image, which maintainer scripts rely on (Python's
 * byte-compiling postinst lists its files with `dpkg -L`), and apt/dpkg can manage the image later.
 */
final class DpkgDatabase {
    static final String ADMIN = "var/lib/dpkg";

    /** An unpacked package: its index entry, control.tar members and data.tar paths. */
    record Installed(PackageEntry entry, Map<String, byte[]> control, List<String> paths) {
        /** dpkg's name for the info files: "libc6:riscv64" for Multi-Arch: same packages. */
        String infoName() {
            return multiArchSame() ? entry.name() + ":" + entry.architecture() : entry.name();
        }

        boolean multiArchSame() {
            return "same".equals(field("Multi-Arch"));
        }

        String field(String name) {
            for (String line : controlText().split("\n")) {
                if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                    return line.substring(name.length() + 1).trim();
                }
            }
            return null;
        }

        String controlText() {
            return new String(control.get("control"), StandardCharsets.UTF_8);
        }

        boolean hasScript(String name) {
            return control.containsKey(name);
        }
    }

    private static final List<String> SCRIPTS = List.of("preinst", "postinst", "prerm", "postrm", "config");

    private DpkgDatabase() {
    }

    static void write(RootTree tree, List<Installed> packages) throws ImageException {
        for (String dir : List.of("var", "var/lib", ADMIN, ADMIN + "/info", ADMIN + "/updates", ADMIN + "/triggers",
                ADMIN + "/alternatives", ADMIN + "/parts")) {
            tree.putDirectory(dir, 0755, 0, 0, true);
        }
        for (String empty : List.of("available", "diversions", "statoverride")) {
            file(tree, ADMIN + "/" + empty, "", 0644);
        }
        List<Installed> sorted = new ArrayList<>(packages);
        sorted.sort(Comparator.comparing((Installed i) -> i.entry().name()).thenComparing(i -> i.entry().architecture()));
        StringBuilder status = new StringBuilder();
        for (Installed p : sorted) {
            status.append(stanza(tree, p)).append('\n');
            String base = ADMIN + "/info/" + p.infoName() + ".";
            StringBuilder list = new StringBuilder();
            for (String path : p.paths()) {
                list.append(path).append('\n');
            }
            file(tree, base + "list", list.toString(), 0644);
            for (Map.Entry<String, byte[]> m : p.control().entrySet()) {
                if (!m.getKey().equals("control")) {
                    tree.put(base + m.getKey(), Inode.regular(SCRIPTS.contains(m.getKey()) ? 0755 : 0644, 0, 0, m.getValue()));
                }
            }
        }
        file(tree, ADMIN + "/status", status.toString(), 0644);
    }

    /** The control stanza as dpkg keeps it in status: Status after Package, Conffiles at the end. */
    private static String stanza(RootTree tree, Installed p) throws ImageException {
        StringBuilder sb = new StringBuilder();
        for (String line : p.controlText().split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            sb.append(line).append('\n');
            if (line.startsWith("Package:")) {
                sb.append("Status: install ok installed\n");
            }
        }
        byte[] conffiles = p.control().get("conffiles");
        if (conffiles != null) {
            StringBuilder cf = new StringBuilder();
            for (String line : new String(conffiles, StandardCharsets.UTF_8).split("\n")) {
                String[] w = line.trim().split("\\s+");
                String path = w[w.length - 1];
                if (path.isEmpty()) {
                    continue;
                }
                Inode f = tree.get(path, false);
                String md5 = f != null && f.data != null ? md5(f.data) : "newconffile";
                cf.append(' ').append(path).append(' ').append(md5);
                if (w.length > 1) {
                    cf.append(' ').append(w[0]); // remove-on-upgrade
                }
                cf.append('\n');
            }
            if (cf.length() > 0) {
                sb.append("Conffiles:\n").append(cf);
            }
        }
        return sb.toString();
    }

    private static void file(RootTree tree, String path, String text, int mode) throws ImageException {
        tree.put(path, Inode.regular(mode, 0, 0, text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String md5(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
