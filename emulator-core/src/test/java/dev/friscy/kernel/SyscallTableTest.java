package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.testing.Tools;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The one riscv64 system-call table: complete, consistent with Linux's numbering. */
class SyscallTableTest {
    private final SyscallTable table = new SyscallTable();

    @Test
    void everyListedNumberHasAHandlerOrAnExplicitErrno() {
        int listed = 0;
        for (int nr = 0; nr < SyscallTable.MAX; nr++) {
            if (!table.listed(nr)) {
                assertEquals(Errno.ENOSYS, table.errno(nr), "unlisted " + nr);
                continue;
            }
            listed++;
            if (table.get(nr) == null) {
                String note = table.note(nr);
                assertNotNull(note, table.name(nr) + " has neither handler nor reason");
                assertFalse(note.isEmpty(), table.name(nr) + " has an empty reason");
                int e = table.errno(nr);
                assertTrue(e == Errno.ENOSYS || e == Errno.EINVAL || e == Errno.EPERM || e == Errno.EOPNOTSUPP,
                        table.name(nr) + " answers " + Errno.name(e));
            }
        }
        assertTrue(listed > 300, "only " + listed + " calls listed");
    }

    @Test
    void unknownNumbersAreEnosysAndStillNamedForStrace() {
        assertEquals(Errno.ENOSYS, table.errno(1000));
        assertEquals("syscall_1000", table.name(1000));
        assertEquals("io_uring_setup", table.name(425)); // not implemented, but strace names it
        assertEquals("read", table.name(63));
    }

    /** Names and numbers agree with the riscv64 kernel headers of the cross compiler. */
    @Test
    void numbersMatchTheRiscv64Headers() throws Exception {
        Tools.requireOnPath(Tools.GCC);
        ProcessBuilder pb = new ProcessBuilder(Tools.GCC, "-E", "-dM", "-");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().write("#include <asm/unistd.h>\n".getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        String defs;
        try (InputStream in = p.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            defs = out.toString(StandardCharsets.US_ASCII);
        }
        assertEquals(0, p.waitFor(), defs);
        TreeMap<String, String> macros = new TreeMap<>();
        for (String line : defs.split("\n")) {
            String[] w = line.trim().split("\\s+", 3);
            if (w.length == 3 && w[0].equals("#define") && w[1].startsWith("__NR")) {
                macros.put(w[1], w[2]);
            }
        }
        int checked = 0;
        for (String macro : macros.keySet()) {
            if (!macro.startsWith("__NR_") || macro.equals("__NR_syscalls") || macro.equals("__NR_arch_specific_syscall")) {
                continue;
            }
            long nr = evaluate(macros, macros.get(macro));
            String name = macro.substring(5);
            if (!table.listed(nr)) {
                fail(name + " (" + nr + ") is missing from the table");
            }
            assertEquals(name, table.name(nr), "number " + nr);
            checked++;
        }
        assertTrue(checked > 280, "only " + checked + " numbers in the headers");
    }

    /** Evaluates the header's number expressions: literals, other __NR macros, and "+". */
    private static long evaluate(TreeMap<String, String> macros, String expr) {
        long sum = 0;
        for (String term : expr.replace("(", " ").replace(")", " ").split("\\+")) {
            String s = term.trim();
            sum += s.startsWith("__NR") ? evaluate(macros, macros.get(s)) : Long.parseLong(s);
        }
        return sum;
    }
}
