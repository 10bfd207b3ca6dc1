package dev.friscy.kernel;

import dev.friscy.cpu.Hart;
import dev.friscy.elf.ElfException;
import dev.friscy.elf.ElfFile;
import dev.friscy.elf.ElfLoader;
import dev.friscy.elf.InitialStack;
import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.Inode;
import dev.friscy.fs.Vfs;
import dev.friscy.mem.AddressSpace;
import dev.friscy.mem.Page;
import dev.friscy.mem.Prot;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;

/**
 * execve and execveat: replace the calling process's image in place (same pid), with #!
 * scripts and PT_INTERP dynamic loading. Everything that can fail is checked before the
 * old image is touched, so a failing exec leaves the caller intact.
 */
final class SysExec {
    static final int AT_FDCWD = -100;
    static final int AT_EMPTY_PATH = 0x1000;
    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    /** Total bytes of argv + envp strings and pointers (Linux: a quarter of the 8 MiB stack). */
    static final int ARG_MAX = 2 * 1024 * 1024;
    static final int MAX_INTERP_DEPTH = 4;
    static final long STACK_SIZE = 8L << 20;

    private SysExec() {
    }

    static long sys_execve(Task task, long path, long argv, long envp, long a3, long a4, long a5) {
        return execve(task, AT_FDCWD, path, argv, envp, 0);
    }

    static long sys_execveat(Task task, long dirfd, long path, long argv, long envp, long flags, long a5) {
        return execve(task, (int) dirfd, path, argv, envp, (int) flags);
    }

    static long execve(Task t, int dirfd, long pathAddr, long argvAddr, long envpAddr, int flags) {
        if ((flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        String path = UserMemory.path(t, pathAddr);
        int[] budget = {ARG_MAX};
        byte[][] argv = UserMemory.stringArray(t, argvAddr, budget);
        byte[][] envp = UserMemory.stringArray(t, envpAddr, budget);
        Inode base = t.fs.cwd;
        Inode file;
        if (path.isEmpty() && (flags & AT_EMPTY_PATH) != 0) {
            dev.friscy.fs.Inode fi = t.files.get(dirfd).inode();
            if (fi == null) {
                throw new SyscallError(Errno.EACCES);
            }
            file = fi;
            path = "/dev/fd/" + dirfd;
        } else {
            if (dirfd != AT_FDCWD && !path.startsWith("/")) {
                dev.friscy.fs.Inode d = t.files.get(dirfd).inode();
                if (d == null || !d.isDir()) {
                    throw new SyscallError(Errno.ENOTDIR);
                }
                base = d;
            }
            file = null;
        }
        exec(t, base, path, file, argv, envp, (flags & AT_SYMLINK_NOFOLLOW) == 0);
        return SyscallTable.NO_RETURN;
    }

    /** What was found to run, after following #! lines. */
    private static final class Image {
        Inode file;
        ElfFile elf;
        Inode interpFile;
        ElfFile interp;
        byte[][] argv;
        /** The program that runs: the last #! interpreter, or the file itself. */
        String path;
        /** The path given to execve: comm and AT_EXECFN come from it, even for a #! script. */
        String filename;
    }

    private static Inode lookupExecutable(Task t, Inode base, String path, boolean follow) {
        Vfs vfs = t.kernel.vfs;
        Inode f = vfs.resolve(t, t.fs, t.cred(), base, path, follow);
        if (f.isSymlink()) {
            throw new SyscallError(Errno.ELOOP);
        }
        if (!f.isRegular()) {
            throw new SyscallError(Errno.EACCES);
        }
        if (!Vfs.permitted(f, t.cred(), 1)) {
            throw new SyscallError(Errno.EACCES);
        }
        return f;
    }

    private static Image prepare(Task t, Inode base, String path, Inode file, byte[][] argv, boolean follow) {
        Image img = new Image();
        img.argv = argv;
        img.path = path;
        img.filename = path;
        for (int depth = 0; ; depth++) {
            if (file == null) {
                file = lookupExecutable(t, base, img.path, follow);
            }
            byte[] head = new byte[256];
            int n = file.read(0, head, 0, head.length);
            if (n >= 2 && head[0] == '#' && head[1] == '!') {
                if (depth >= MAX_INTERP_DEPTH) {
                    throw new SyscallError(Errno.ELOOP);
                }
                img.argv = shebang(head, n, img.path, img.argv);
                img.path = new String(img.argv[0], StandardCharsets.ISO_8859_1);
                file = null;
                follow = true;
                continue;
            }
            img.file = file;
            try {
                img.elf = ElfFile.parse(new InodeElfSource(file));
            } catch (ElfException e) {
                t.kernel.diagnostic("friscy: exec " + img.path + ": " + e.getMessage());
                throw new SyscallError(Errno.ENOEXEC);
            }
            if (img.elf.interp != null) {
                Inode ifile;
                try {
                    ifile = lookupExecutable(t, t.fs.root, img.elf.interp, true);
                } catch (SyscallError e) {
                    if (e.errno == Errno.ENOENT) {
                        t.kernel.diagnostic("friscy: exec " + img.path + ": interpreter " + img.elf.interp + " not found");
                    }
                    throw e;
                }
                try {
                    img.interp = ElfFile.parse(new InodeElfSource(ifile));
                } catch (ElfException e) {
                    t.kernel.diagnostic("friscy: interpreter " + img.elf.interp + ": " + e.getMessage());
                    throw new SyscallError(Errno.ELIBBAD);
                }
                img.interpFile = ifile;
            }
            return img;
        }
    }

    /** #!interp [arg]: argv becomes interp, [arg], script path, original argv[1..]. */
    private static byte[][] shebang(byte[] head, int n, String path, byte[][] argv) {
        int end = 2;
        while (end < n && head[end] != '\n') {
            end++;
        }
        if (end == n && n == head.length) {
            throw new SyscallError(Errno.ENOEXEC); // line too long
        }
        int i = 2;
        while (i < end && (head[i] == ' ' || head[i] == '\t')) {
            i++;
        }
        int j = end;
        while (j > i && (head[j - 1] == ' ' || head[j - 1] == '\t' || head[j - 1] == '\r')) {
            j--;
        }
        if (i == j) {
            throw new SyscallError(Errno.ENOEXEC);
        }
        int k = i;
        while (k < j && head[k] != ' ' && head[k] != '\t') {
            k++;
        }
        byte[] interp = Arrays.copyOfRange(head, i, k);
        while (k < j && (head[k] == ' ' || head[k] == '\t')) {
            k++;
        }
        ArrayList<byte[]> out = new ArrayList<>();
        out.add(interp);
        if (k < j) {
            out.add(Arrays.copyOfRange(head, k, j));
        }
        out.add(path.getBytes(StandardCharsets.ISO_8859_1));
        for (int a = 1; a < argv.length; a++) {
            out.add(argv[a]);
        }
        return out.toArray(new byte[0][]);
    }

    /** The whole exec: prepare, build the new address space, then commit. */
    static void exec(Task t, Inode base, String path, Inode file, byte[][] argv, byte[][] envp, boolean follow) {
        Kernel k = t.kernel;
        Image img = prepare(t, base, path, file, argv, follow);
        AddressSpace as = new AddressSpace();
        long entry;
        long sp;
        try {
            long bias = img.elf.type == ElfFile.ET_DYN ? ElfLoader.PIE_BASE : 0;
            ElfLoader.Mapped main = ElfLoader.map(as, img.elf, new InodeElfSource(img.file), bias);
            as.brkStart = (main.end + Page.MASK) & ~Page.MASK;
            as.brk = as.brkStart;
            as.map(as.stackTop - STACK_SIZE, STACK_SIZE, Prot.READ | Prot.WRITE, false, null, 0, "[stack]");
            as.map(SignalFrame.TRAMPOLINE, Page.SIZE, Prot.READ | Prot.EXEC, false, Trampoline.INSTANCE, 0, "[vdso]");
            as.mmapBase = as.stackTop - STACK_SIZE - (1L << 24);
            InitialStack.Aux aux = new InitialStack.Aux();
            aux.phdr = main.phdrAddr;
            aux.phnum = img.elf.phnum;
            aux.entry = main.entry;
            entry = main.entry;
            if (img.interp != null) {
                long[] range = img.interp.loadRange();
                long ibase = as.findFree(range[1] - range[0]);
                if (ibase < 0) {
                    throw new SyscallError(Errno.ENOMEM);
                }
                long ibias = img.interp.type == ElfFile.ET_DYN ? ibase - range[0] : 0;
                ElfLoader.Mapped in = ElfLoader.map(as, img.interp, new InodeElfSource(img.interpFile), ibias);
                aux.base = ibias;
                entry = in.entry;
            }
            Credentials c = t.cred();
            aux.uid = c.uid;
            aux.euid = c.euid;
            aux.gid = c.gid;
            aux.egid = c.egid;
            k.host.randomBytes(aux.random, 0, 16);
            aux.execfn = img.filename.getBytes(StandardCharsets.ISO_8859_1);
            sp = InitialStack.build(as, as.stackTop, img.argv, envp, aux);
        } catch (ElfException e) {
            as.release();
            k.diagnostic("friscy: exec " + img.path + ": " + e.getMessage());
            throw new SyscallError(Errno.ENOEXEC);
        }
        commit(t, img, as, entry, sp, envp);
    }

    /** Point of no return: the process now runs the new image. */
    private static void commit(Task t, Image img, AddressSpace as, long entry, long sp, byte[][] envp) {
        Kernel k = t.kernel;
        ThreadGroup g = t.tg;
        for (Task o : new ArrayList<>(g.tasks)) {
            if (o != t && o.state != Task.DEAD) {
                Lifecycle.killThread(k, o);
            }
        }
        if (--t.mm.users == 0) {
            t.mm.release();
        }
        t.mm = as;
        Hart h = t.hart;
        h.as = as;
        Arrays.fill(h.x, 0);
        Arrays.fill(h.f, 0);
        h.fflags = 0;
        h.frm = 0;
        h.reservation = -1;
        h.pc = entry;
        h.x[2] = sp;
        if (t.files.users > 1) {
            t.files.users--;
            t.files = t.files.fork();
        }
        t.files.closeOnExec();
        if (t.sighand != null) {
            SignalActions own = t.sighand.copy();
            own.resetForExec();
            t.sighand = own;
        }
        t.altStackSp = 0;
        t.altStackSize = 0;
        t.altStackFlags = SysSignal.SS_DISABLE;
        t.clearChildTid = 0;
        t.robustList = 0;
        g.timers.onExec(k); // POSIX timers do not survive execve; interval timers do
        g.argv = img.argv;
        g.envp = envp;
        g.exe = img.file;
        g.exePath = img.path.startsWith("/") ? img.path : t.fs.cwd.path() + (t.fs.cwd.path().endsWith("/") ? "" : "/") + img.path;
        g.execed = true;
        // Linux: the base name of the path given to execve, so a script is known by its own name
        String name = img.filename.substring(img.filename.lastIndexOf('/') + 1);
        t.comm = name.length() > 15 ? name.substring(0, 15) : name;
        Lifecycle.releaseVfork(k, t);
        k.events.exec(k.uptimeMs(), g.pid, g.exePath, img.argv, t.comm);
    }
}
