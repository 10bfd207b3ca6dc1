package dev.friscy.net;

import dev.friscy.fs.Inode;
import dev.friscy.fs.Vfs;

/**
 * The name-service files a container runtime provides (Docker writes them at start): /etc/hosts
 * naming the loopback addresses and the host name, and /etc/resolv.conf with the name servers
 * guests can reach. An image's own files are kept.
 */
public final class NetFiles {
    private NetFiles() {
    }

    public static String hosts(String hostname) {
        return "127.0.0.1\tlocalhost\n"
                + "127.0.1.1\t" + hostname + "\n"
                + "::1\tlocalhost ip6-localhost ip6-loopback\n"
                + "ff02::1\tip6-allnodes\n"
                + "ff02::2\tip6-allrouters\n";
    }

    /** {@code nameservers}: addresses a guest can send DNS queries to (none without host networking). */
    public static String resolvConf(java.util.List<String> nameservers) {
        if (nameservers.isEmpty()) {
            return "# friscy: no name server (friscy run --net none without --dns, or a page without a relay)\n";
        }
        StringBuilder sb = new StringBuilder("# friscy: the host forwards DNS sent here to its resolvers\n");
        for (String ns : nameservers) {
            sb.append("nameserver ").append(ns).append('\n');
        }
        return sb.toString();
    }

    /** Writes /etc/hosts and /etc/resolv.conf where /etc exists and they do not. */
    public static void populate(Vfs vfs, String hostname, java.util.List<String> nameservers) {
        Inode etc = vfs.root.entries == null ? null : vfs.root.entries.get("etc");
        if (etc == null || !etc.isDir()) {
            return;
        }
        add(vfs, etc, "hosts", hosts(hostname));
        add(vfs, etc, "resolv.conf", resolvConf(nameservers));
    }

    private static void add(Vfs vfs, Inode etc, String name, String text) {
        if (etc.entries.containsKey(name)) {
            return; // a symlink (systemd's resolv.conf) or the image's own file
        }
        Inode f = vfs.newInode(Inode.S_IFREG | 0644);
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        f.write(0, b, 0, b.length);
        vfs.link(etc, name, f);
    }
}
