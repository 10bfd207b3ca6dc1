package dev.friscy.image;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** dpkg's database as written for configured images, and the order the maintainer scripts run in. */
class DpkgDatabaseTest {
    private static DpkgDatabase.Installed pkg(String name, String multiArch, Map<String, String> members, String... paths) {
        Map<String, byte[]> control = new TreeMap<>();
        control.put("control", ("Package: " + name + "\nVersion: 1.0-1\nArchitecture: riscv64\n"
                + (multiArch == null ? "" : "Multi-Arch: " + multiArch + "\n") + "Description: test\n test package\n")
                .getBytes(StandardCharsets.UTF_8));
        members.forEach((k, v) -> control.put(k, v.getBytes(StandardCharsets.UTF_8)));
        PackageEntry e = new PackageEntry(name, "1.0-1", "riscv64", List.of(), List.of(), null, 0, null, false);
        return new DpkgDatabase.Installed(e, control, List.of(paths));
    }

    @Test
    void statusListsAndInfoFilesAsDpkgKeepsThem() throws ImageException {
        RootTree tree = new RootTree();
        tree.put("etc/b.conf", Inode.regular(0644, 0, 0, "x\n".getBytes(StandardCharsets.UTF_8)));
        var a = pkg("liba", "same", Map.of("postinst", "#!/bin/sh\n", "md5sums", "abc  usr/lib/a\n"), "/.", "/usr", "/usr/lib/a");
        var b = pkg("b", null, Map.of("conffiles", "/etc/b.conf\n", "preinst", "#!/bin/sh\n"), "/.", "/etc", "/etc/b.conf");
        DpkgDatabase.write(tree, List.of(a, b));
        String status = new String(tree.get("var/lib/dpkg/status", false).data, StandardCharsets.UTF_8);
        // sorted by name; Status right after Package; Conffiles with the file's md5
        assertTrue(status.startsWith("Package: b\nStatus: install ok installed\nVersion: 1.0-1\n"), status);
        assertTrue(status.contains("Conffiles:\n /etc/b.conf 401b30e3b8b5d629635a5c613cdb7919\n"), status);
        assertTrue(status.contains("\n\nPackage: liba\nStatus: install ok installed\n"), status);
        assertTrue(status.contains(" test package\n"), status);
        Inode list = tree.get("var/lib/dpkg/info/liba:riscv64.list", false);
        assertNotNull(list, "Multi-Arch: same packages' info files carry the architecture");
        assertEquals("/.\n/usr\n/usr/lib/a\n", new String(list.data, StandardCharsets.UTF_8));
        assertEquals(0755, tree.get("var/lib/dpkg/info/liba:riscv64.postinst", false).mode);
        assertEquals(0644, tree.get("var/lib/dpkg/info/liba:riscv64.md5sums", false).mode);
        assertNotNull(tree.get("var/lib/dpkg/info/b.conffiles", false));
        assertNotNull(tree.get("var/lib/dpkg/info/b.preinst", false));
        assertFalse(tree.get("var/lib/dpkg/info", false).children.containsKey("b.control"));
        assertNotNull(tree.get("var/lib/dpkg/available", false));
    }

    @Test
    void everyPreinstThenEveryPostinstInDependencyOrder() {
        var dep = pkg("dep", null, Map.of("preinst", "", "postinst", ""));
        var mid = pkg("mid", "same", Map.of("postinst", ""));
        var top = pkg("top", null, Map.of("preinst", ""));
        String s = MaintainerScripts.driver(List.of(dep, mid, top), "1.22.21");
        int p1 = s.indexOf("run dep dep riscv64 preinst install\n");
        int p2 = s.indexOf("run top top riscv64 preinst install\n");
        int c1 = s.indexOf("run dep dep riscv64 postinst configure ''\n");
        int c2 = s.indexOf("run mid mid:riscv64 riscv64 postinst configure ''\n");
        assertTrue(p1 > 0 && p1 < p2 && p2 < c1 && c1 < c2, s);
        assertFalse(s.contains("run top top riscv64 postinst"), "no script, no call");
        assertTrue(s.contains("DPKG_RUNNING_VERSION=1.22.21") && s.contains("/sbin/ldconfig")
                && s.contains("rm -f $log /" + MaintainerScripts.DRIVER), s);
    }
}
