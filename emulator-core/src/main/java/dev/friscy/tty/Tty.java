package dev.friscy.tty;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.kernel.Kernel;
import dev.friscy.kernel.SigInfo;
import dev.friscy.kernel.SignalDelivery;
import dev.friscy.kernel.Signals;
import dev.friscy.kernel.Task;
import dev.friscy.kernel.ThreadGroup;
import dev.friscy.kernel.UserMemory;
import dev.friscy.waiter.WaitQueue;

import java.util.ArrayDeque;

/**
 * The terminal's line discipline between the host (keyboard in, screen out) and the guest:
 * termios input/output processing, canonical line editing, echo, signal characters for the
 * foreground process group, window size, and the controlling-terminal/session rules that
 * job control depends on.
 */
public final class Tty {
    // ioctl numbers (asm-generic)
    public static final int TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404, TCSBRK = 0x5409,
            TCXONC = 0x540A, TCFLSH = 0x540B, TIOCSCTTY = 0x540E, TIOCGPGRP = 0x540F, TIOCSPGRP = 0x5410,
            TIOCOUTQ = 0x5411, TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, FIONREAD = 0x541B, FIONBIO = 0x5421,
            TIOCNOTTY = 0x5422, TIOCGSID = 0x5429, TCGETS2 = 0x802c542a, TCSETS2 = 0x402c542b,
            TCSETSW2 = 0x402c542c, TCSETSF2 = 0x402c542d, TIOCGPTN = 0x80045430, TIOCSPTLCK = 0x40045431;

    private final Kernel kernel;
    public final Termios termios = new Termios();
    public final WaitQueue readers = new WaitQueue();
    public int rows = 24;
    public int cols = 80;

    /** Session that has this terminal as its controlling terminal (0 = none). */
    public int sid;
    /** Foreground process group. */
    public int fgPgrp;

    /** Completed input: whole lines in canonical mode (an empty array marks end-of-file). */
    private final ArrayDeque<byte[]> lines = new ArrayDeque<>();
    private int headOffset;
    /** The line being edited (canonical mode) or raw bytes not yet read (non-canonical). */
    private byte[] edit = new byte[256];
    private int editLen;
    private boolean hungUp;
    private boolean literalNext;

    public Tty(Kernel kernel) {
        this.kernel = kernel;
    }

    // ------------------------------------------------------------------ host side

    public void resize(int cols, int rows) {
        if (cols <= 0 || rows <= 0 || cols > 10000 || rows > 10000) {
            return;
        }
        boolean changed = cols != this.cols || rows != this.rows;
        this.cols = cols;
        this.rows = rows;
        if (changed && fgPgrp > 0) {
            SignalDelivery.sendToGroup(kernel, fgPgrp, SigInfo.of(Signals.SIGWINCH, SigInfo.SI_KERNEL));
        }
    }

    /** End of host input: readers get end-of-file once the queue is empty. */
    public void hangupInput() {
        hungUp = true;
        readers.wakeAll();
    }

    public void input(byte[] data, int off, int len) {
        for (int i = 0; i < len; i++) {
            inputByte(data[off + i] & 0xff);
        }
        readers.wakeAll();
    }

    private boolean lflag(int bit) {
        return (termios.lflag & bit) != 0;
    }

    private int cc(int idx) {
        return termios.cc[idx] & 0xff;
    }

    private void inputByte(int c) {
        int iflag = termios.iflag;
        if ((iflag & Termios.ISTRIP) != 0) {
            c &= 0x7f;
        }
        if (literalNext) {
            literalNext = false;
            append(c);
            echoChar(c);
            if (!lflag(Termios.ICANON)) {
                flushRaw();
            }
            return;
        }
        if (c == '\r') {
            if ((iflag & Termios.IGNCR) != 0) {
                return;
            }
            if ((iflag & Termios.ICRNL) != 0) {
                c = '\n';
            }
        } else if (c == '\n' && (iflag & Termios.INLCR) != 0) {
            c = '\r';
        }
        if (lflag(Termios.ISIG) && c != 0) {
            int sig = c == cc(Termios.VINTR) ? Signals.SIGINT : c == cc(Termios.VQUIT) ? Signals.SIGQUIT
                    : c == cc(Termios.VSUSP) ? Signals.SIGTSTP : 0;
            if (sig != 0) {
                if (!lflag(Termios.NOFLSH)) {
                    lines.clear();
                    headOffset = 0;
                    editLen = 0;
                }
                echoChar(c);
                if (fgPgrp > 0) {
                    // typed by the user: from outside the guest, so it reaches init too
                    SigInfo i = SigInfo.of(sig, SigInfo.SI_KERNEL);
                    i.fromOutside = true;
                    SignalDelivery.sendToGroup(kernel, fgPgrp, i);
                }
                return;
            }
        }
        if (lflag(Termios.IEXTEN) && c == cc(Termios.VLNEXT) && c != 0) {
            literalNext = true;
            return;
        }
        if (!lflag(Termios.ICANON)) {
            append(c);
            echoChar(c);
            flushRaw();
            return;
        }
        if (c == cc(Termios.VERASE) || c == 8 && cc(Termios.VERASE) == 0x7f) {
            if (editLen > 0) {
                int removed = edit[--editLen] & 0xff;
                if (lflag(Termios.ECHO) && lflag(Termios.ECHOE)) {
                    eraseEcho(removed);
                }
            }
            return;
        }
        if (c == cc(Termios.VWERASE) && lflag(Termios.IEXTEN)) {
            while (editLen > 0 && edit[editLen - 1] == ' ') {
                eraseEcho(edit[--editLen] & 0xff);
            }
            while (editLen > 0 && edit[editLen - 1] != ' ') {
                eraseEcho(edit[--editLen] & 0xff);
            }
            return;
        }
        if (c == cc(Termios.VKILL)) {
            while (editLen > 0) {
                eraseEcho(edit[--editLen] & 0xff);
            }
            return;
        }
        if (c == cc(Termios.VEOF) && c != 0) {
            commitLine();
            return;
        }
        append(c);
        if (c == '\n' || c == cc(Termios.VEOL) && c != 0 || c == cc(Termios.VEOL2) && c != 0) {
            if (lflag(Termios.ECHO) || lflag(Termios.ECHONL) && c == '\n') {
                output(new byte[] {(byte) c}, 0, 1);
            }
            commitLine();
            return;
        }
        echoChar(c);
    }

    private void eraseEcho(int removed) {
        if (!lflag(Termios.ECHO)) {
            return;
        }
        int w = removed < 0x20 && removed != '\t' && lflag(Termios.ECHOCTL) ? 2 : 1;
        for (int i = 0; i < w; i++) {
            output(new byte[] {8, ' ', 8}, 0, 3);
        }
    }

    private void append(int c) {
        if (editLen == edit.length) {
            if (edit.length >= 65536) {
                return; // a full line buffer drops input, as Linux's 4 KiB one does
            }
            byte[] n = new byte[edit.length * 2];
            System.arraycopy(edit, 0, n, 0, editLen);
            edit = n;
        }
        edit[editLen++] = (byte) c;
    }

    private void commitLine() {
        byte[] l = new byte[editLen];
        System.arraycopy(edit, 0, l, 0, editLen);
        lines.addLast(l);
        editLen = 0;
    }

    private void flushRaw() {
        if (editLen > 0) {
            commitLine();
        }
    }

    private void echoChar(int c) {
        if (!lflag(Termios.ECHO)) {
            return;
        }
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && lflag(Termios.ECHOCTL) || c == 0x7f && lflag(Termios.ECHOCTL)) {
            output(new byte[] {'^', (byte) (c ^ 0x40)}, 0, 2);
        } else {
            output(new byte[] {(byte) c}, 0, 1);
        }
    }

    /** Output processing (OPOST/ONLCR) to the host screen. */
    public void output(byte[] b, int off, int len) {
        int oflag = termios.oflag;
        if ((oflag & Termios.OPOST) == 0 || (oflag & (Termios.ONLCR | Termios.OCRNL)) == 0) {
            kernel.host.consoleOutput(b, off, len);
            return;
        }
        byte[] out = new byte[len * 2];
        int n = 0;
        for (int i = 0; i < len; i++) {
            byte c = b[off + i];
            if (c == '\n' && (oflag & Termios.ONLCR) != 0) {
                out[n++] = '\r';
                out[n++] = '\n';
            } else if (c == '\r' && (oflag & Termios.OCRNL) != 0) {
                out[n++] = '\n';
            } else {
                out[n++] = c;
            }
        }
        kernel.host.consoleOutput(out, 0, n);
    }

    // ------------------------------------------------------------------ guest side

    private boolean isForeground(Task t) {
        ThreadGroup g = t.tg;
        return sid == 0 || g.sid != sid || g.pgid == fgPgrp;
    }

    /** Job control for a background reader (SIGTTIN) or writer/setter (SIGTTOU). */
    private void checkBackground(Task t, int sig) {
        if (t == null || isForeground(t)) {
            return;
        }
        boolean blockedOrIgnored = (t.sigmask & Signals.bit(sig)) != 0
                || t.sighand.handler[sig] == dev.friscy.kernel.SignalActions.SIG_IGN;
        if (sig == Signals.SIGTTOU && blockedOrIgnored) {
            return; // output allowed
        }
        if (blockedOrIgnored || kernel.isOrphanedGroup(t.tg.pgid)) {
            throw new SyscallError(Errno.EIO);
        }
        SignalDelivery.sendToGroup(kernel, t.tg.pgid, SigInfo.of(sig, SigInfo.SI_KERNEL));
        // park; the stop signal interrupts the wait and the call restarts after SIGCONT
        throw new SyscallError(Errno.EAGAIN);
    }

    public int available() {
        int n = 0;
        boolean first = true;
        for (byte[] l : lines) {
            n += l.length - (first ? headOffset : 0) + (lflag(Termios.ICANON) && l != null ? 0 : 0);
            first = false;
        }
        return n;
    }

    int read(byte[] buf, int off, int len) {
        checkBackground(kernel.current, Signals.SIGTTIN);
        if (lines.isEmpty()) {
            if (hungUp) {
                return 0;
            }
            if (!lflag(Termios.ICANON) && cc(Termios.VMIN) == 0) {
                return 0;
            }
            throw new SyscallError(Errno.EAGAIN);
        }
        if (lflag(Termios.ICANON)) {
            byte[] l = lines.peekFirst();
            int n = Math.min(len, l.length - headOffset);
            System.arraycopy(l, headOffset, buf, off, n);
            headOffset += n;
            if (headOffset >= l.length) {
                lines.pollFirst();
                headOffset = 0;
            }
            return n;
        }
        int n = 0;
        while (n < len && !lines.isEmpty()) {
            byte[] l = lines.peekFirst();
            int k = Math.min(len - n, l.length - headOffset);
            System.arraycopy(l, headOffset, buf, off + n, k);
            n += k;
            headOffset += k;
            if (headOffset >= l.length) {
                lines.pollFirst();
                headOffset = 0;
            }
        }
        return n;
    }

    int write(byte[] buf, int off, int len) {
        if (lflag(Termios.TOSTOP)) {
            checkBackground(kernel.current, Signals.SIGTTOU);
        }
        output(buf, off, len);
        return len;
    }

    int poll() {
        int r = dev.friscy.fs.Poll.OUT | dev.friscy.fs.Poll.WRNORM;
        if (!lines.isEmpty() || hungUp) {
            r |= dev.friscy.fs.Poll.IN | dev.friscy.fs.Poll.RDNORM;
        }
        return r;
    }

    long ioctl(Task t, TtyFile f, int cmd, long arg) {
        switch (cmd) {
            case TCGETS:
                UserMemory.write(t, arg, termios.encode(false));
                return 0;
            case TCGETS2:
                UserMemory.write(t, arg, termios.encode(true));
                return 0;
            case TCSETS: case TCSETSW: case TCSETSF: case TCSETS2: case TCSETSW2: case TCSETSF2: {
                boolean two = cmd == TCSETS2 || cmd == TCSETSW2 || cmd == TCSETSF2;
                byte[] b = UserMemory.read(t, arg, two ? 44 : 36);
                checkBackground(t, Signals.SIGTTOU);
                boolean wasCanon = lflag(Termios.ICANON);
                termios.decode(b, two);
                if (cmd == TCSETSF || cmd == TCSETSF2) {
                    lines.clear();
                    headOffset = 0;
                    editLen = 0;
                }
                if (wasCanon && !lflag(Termios.ICANON)) {
                    flushRaw();
                }
                readers.wakeAll();
                return 0;
            }
            case TIOCGWINSZ: {
                byte[] w = new byte[8];
                w[0] = (byte) rows;
                w[1] = (byte) (rows >> 8);
                w[2] = (byte) cols;
                w[3] = (byte) (cols >> 8);
                UserMemory.write(t, arg, w);
                return 0;
            }
            case TIOCSWINSZ: {
                byte[] w = UserMemory.read(t, arg, 8);
                resize((w[2] & 0xff) | (w[3] & 0xff) << 8, (w[0] & 0xff) | (w[1] & 0xff) << 8);
                return 0;
            }
            case TIOCGPGRP:
                if (sid == 0 || t.tg.sid != sid) {
                    throw new SyscallError(Errno.ENOTTY);
                }
                UserMemory.store32(t, arg, fgPgrp);
                return 0;
            case TIOCSPGRP: {
                if (sid == 0 || t.tg.sid != sid) {
                    throw new SyscallError(Errno.ENOTTY);
                }
                int pg = UserMemory.load32(t, arg);
                if (pg < 0) {
                    throw new SyscallError(Errno.EINVAL);
                }
                checkBackground(t, Signals.SIGTTOU);
                if (!kernel.groupInSession(pg, sid)) {
                    throw new SyscallError(Errno.EPERM);
                }
                fgPgrp = pg;
                return 0;
            }
            case TIOCGSID:
                if (sid == 0 || t.tg.sid != sid) {
                    throw new SyscallError(Errno.ENOTTY);
                }
                UserMemory.store32(t, arg, sid);
                return 0;
            case TIOCSCTTY: {
                ThreadGroup g = t.tg;
                if (g.sid == sid && sid != 0) {
                    return 0;
                }
                if (g.pid != g.sid || kernel.sessionHasTty(g.sid, this)) {
                    throw new SyscallError(Errno.EPERM);
                }
                if (sid != 0 && !(arg == 1 && g.cred.euid == 0)) {
                    throw new SyscallError(Errno.EPERM);
                }
                sid = g.sid;
                fgPgrp = g.pgid;
                return 0;
            }
            case TIOCNOTTY: {
                ThreadGroup g = t.tg;
                if (sid == 0 || g.sid != sid) {
                    throw new SyscallError(Errno.ENOTTY);
                }
                if (g.pid == g.sid) {
                    disassociate();
                }
                return 0;
            }
            case FIONREAD:
                UserMemory.store32(t, arg, available());
                return 0;
            case TIOCOUTQ:
                UserMemory.store32(t, arg, 0);
                return 0;
            case FIONBIO:
                if (UserMemory.load32(t, arg) != 0) {
                    f.flags |= dev.friscy.fs.OpenFlags.O_NONBLOCK;
                } else {
                    f.flags &= ~dev.friscy.fs.OpenFlags.O_NONBLOCK;
                }
                return 0;
            case TCFLSH:
                if (arg == 0 || arg == 2) {
                    lines.clear();
                    headOffset = 0;
                    editLen = 0;
                } else if (arg != 1) {
                    throw new SyscallError(Errno.EINVAL);
                }
                return 0;
            case TCXONC:
            case TCSBRK:
                return 0;
            default:
                throw new SyscallError(Errno.ENOTTY);
        }
    }

    private void disassociate() {
        int fg = fgPgrp;
        sid = 0;
        fgPgrp = 0;
        if (fg > 0) {
            SignalDelivery.sendToGroup(kernel, fg, SigInfo.of(Signals.SIGHUP, SigInfo.SI_KERNEL));
            SignalDelivery.sendToGroup(kernel, fg, SigInfo.of(Signals.SIGCONT, SigInfo.SI_KERNEL));
        }
    }

    /** A session leader's death hangs up its controlling terminal. */
    public void processExited(ThreadGroup g) {
        if (sid != 0 && g.pid == sid) {
            disassociate();
        }
    }

    /** Opens a new description of this terminal (fds 0-2 of init, /dev/tty, /dev/console). */
    public TtyFile open(int flags) {
        return new TtyFile(this, flags);
    }
}
