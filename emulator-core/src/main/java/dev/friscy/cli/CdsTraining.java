package dev.friscy.cli;

import dev.friscy.fs.Inode;
import dev.friscy.fs.TarExport;
import dev.friscy.fs.Vfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The run the build makes its class-data-sharing archive from (java
 * -XX:ArchiveClassesAtExit=friscy.jsa): a `friscy run --image` of a tiny image whose one program
 * loops long enough for the translator to compile it, writes a line and exits. Every class a
 * short run needs (the tar import, the kernel and its system-call table, the ELF loader, the
 * interpreter, the translator) is then loaded, linked and archived, so a later `friscy run`
 * maps them instead of loading and verifying them again. It needs no image, network or cross
 * compiler: the program is made here.
 */
public final class CdsTraining {
    private CdsTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("friscy-cds");
        Path tar = dir.resolve("train.tar");
        try {
            Vfs vfs = new Vfs();
            Inode bin = vfs.mkdirs("/bin", 0755);
            Inode f = vfs.newInode(Inode.S_IFREG | 0755);
            byte[] elf = program();
            f.write(0, elf, 0, elf.length);
            vfs.link(bin, "train", f);
            Files.write(tar, TarExport.export(vfs));
            dev.friscy.jit.jvm.JvmTranslator.installFromProperty();
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            int st = RunCommand.execute(RunCommand.parse(new String[] {"--image", tar.toString(), "--", "/bin/train"}),
                    new java.io.ByteArrayInputStream(new byte[0]), out, System.err, null);
            if (st != 0 || !out.toString().startsWith("friscy: class-data-sharing training run")) {
                throw new IllegalStateException("the training run exited " + st + " and wrote '" + out + "'");
            }
        } finally {
            Files.deleteIfExists(tar);
            Files.deleteIfExists(dir);
        }
    }

    /** A static RISC-V ELF: count down from 1998848, write(1, msg, n), exit_group(0). */
    static byte[] program() {
        String msg = "friscy: class-data-sharing training run\n";
        int[] code = {
            0x001e82b7, // lui   t0, 0x1e8
            0xfff28293, // addi  t0, t0, -1
            0xfe029ee3, // bnez  t0, .-4
            0x04000893, // li    a7, 64 (write)
            0x00100513, // li    a0, 1
            0x00000597, // auipc a1, 0
            0, // addi  a1, a1, msg - (auipc)
            0, // li    a2, len
            0x00000073, // ecall
            0x05e00893, // li    a7, 94 (exit_group)
            0x00000513, // li    a0, 0
            0x00000073, // ecall
        };
        int codeOff = 64 + 56;
        int msgOff = codeOff + code.length * 4;
        int auipcAt = codeOff + 5 * 4;
        code[6] = addi(11, 11, msgOff - auipcAt);
        code[7] = addi(12, 0, msg.length());
        int size = msgOff + msg.length();
        long base = 0x10000;
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        b.putShort((short) 2); // ET_EXEC
        b.putShort((short) 243); // EM_RISCV
        b.putInt(1);
        b.putLong(base + codeOff); // entry
        b.putLong(64); // phoff
        b.putLong(0); // shoff
        b.putInt(0x5); // RVC, double-float ABI
        b.putShort((short) 64).putShort((short) 56).putShort((short) 1);
        b.putShort((short) 64).putShort((short) 0).putShort((short) 0);
        b.putInt(1).putInt(5); // PT_LOAD, R+X
        b.putLong(0).putLong(base).putLong(base).putLong(size).putLong(size).putLong(0x1000);
        for (int c : code) {
            b.putInt(c);
        }
        b.put(msg.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return b.array();
    }

    private static int addi(int rd, int rs1, int imm) {
        return (imm & 0xfff) << 20 | rs1 << 15 | rd << 7 | 0x13;
    }
}
