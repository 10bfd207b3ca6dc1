package dev.friscy.fs;

import dev.friscy.cli.RunCommand;
import dev.friscy.image.TestImages;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real Debian riscv64 root file systems: imported by TarImport, then used by busybox and coreutils. */
class ImageFsTest {
    private static String run(Path image, String script) throws Exception {
        RunCommand.Options o = new RunCommand.Options();
        o.image = image.toString();
        o.argv.addAll(List.of("/bin/sh", "-c", script));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream ps = new PrintStream(err, true, "UTF-8")) {
            status = RunCommand.execute(o, new ByteArrayInputStream(new byte[0]), out, ps, null);
        }
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, "exit status; stderr:\n" + e + "\nstdout:\n" + out.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8) + e;
    }

    @Test
    void busyboxImageImports() throws Exception {
        Path img = TestImages.busybox();
        Vfs vfs = new Vfs();
        List<String> warnings = TarImport.importInto(vfs, Files.readAllBytes(img));
        assertEquals(List.of(), warnings);
        FsContext ctx = new FsContext(vfs.root, vfs.root);
        Inode bb = vfs.resolve(ctx, vfs.root, "/bin/busybox", true);
        assertTrue(bb.isRegular() && bb.size > 500_000 && (bb.mode & 0111) != 0);
        Inode sh = vfs.resolve(ctx, vfs.root, "/bin/sh", true);
        assertEquals(bb, sh, "/bin/sh leads to busybox");
        assertTrue(vfs.resolve(ctx, vfs.root, "/bin", false).isSymlink(), "usrmerge: /bin is a link");
    }

    @Test
    void busyboxShellWorksOnTheFileSystem() throws Exception {
        String out = run(TestImages.busybox(), String.join("; ",
                "cd /tmp",
                "mkdir -p a/b/c && echo hello > a/b/c/f && ln a/b/c/f a/hard && ln -s b/c/f a/soft",
                "stat -c '%h %s %F' a/hard a/soft",
                "cat a/soft",
                "mv a/b a/m && find a | sort",
                "readlink a/soft; test -e a/soft || echo dangling",
                "cp a/m/c/f copy && cmp copy a/hard && echo same",
                "chmod 4711 copy && stat -c '%a %A' copy",
                "rm -r a copy && ls -A /tmp | wc -l",
                "cd /proc/self && cat comm", // the shell's own directory (cat may even run inside the shell)
                "grep -c '^processor' /proc/cpuinfo",
                "echo $(wc -c < /dev/null) $(head -c 5 /dev/zero | wc -c)",
                "ls /dev/null /dev/zero /dev/urandom /dev/tty"));
        assertEquals(String.join("\n",
                "2 6 regular file",
                "1 5 symbolic link",
                "hello",
                "a",
                "a/hard",
                "a/m",
                "a/m/c",
                "a/m/c/f",
                "a/soft",
                "b/c/f",
                "dangling",
                "same",
                "4711 -rws--x--x",
                "0",
                "sh",
                "1",
                "0 5",
                "/dev/null",
                "/dev/tty",
                "/dev/urandom",
                "/dev/zero",
                ""), out);
    }

    @Test
    void coreutilsWorkOnTheFileSystem() throws Exception {
        String out = run(TestImages.debianShell(), String.join("; ",
                "cd /tmp",
                "mkdir d && touch -d '2001-02-03 04:05:06 UTC' d/f && TZ=UTC ls -l --time-style=+%F.%T d/f | cut -d' ' -f6-",
                "truncate -s 1M sparse && stat -c '%s %b' sparse",
                "printf 'x' | dd of=sparse bs=1 seek=8192 conv=notrunc status=none && stat -c '%s %b' sparse",
                "df --output=fstype,target / /proc | tail -n 2 | tr -s ' '",
                "ls -1a d",
                "ln -s /proc/self/fd/1 out && readlink -f /tmp/out | cut -d/ -f2,4",
                "mkfifo p && stat -c %F p",
                "rm -r d sparse out p && ls -A"));
        assertEquals(String.join("\n",
                "2001-02-03.04:05:06 d/f",
                "1048576 0",
                "1048576 8",
                "tmpfs /",
                "proc /proc",
                ".",
                "..",
                "f",
                "proc/fd", // /proc/<pid>/fd/pipe:[n]: the link's text is not a path
                "fifo",
                ""), out);
    }
}
