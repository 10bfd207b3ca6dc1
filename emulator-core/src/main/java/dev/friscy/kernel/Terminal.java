package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.tty.Tty;

/**
 * The terminal as the process model sees it (Linux's tty_struct session fields and job
 * control): the line discipline, the session it is the controlling terminal of, that
 * session's foreground process group, and the rules for who may read, write and change it
 * (SIGTTIN/SIGTTOU for background groups, TIOCSCTTY, TIOCSPGRP, TIOCNOTTY). The line
 * discipline ({@link Tty}) only edits bytes; it reaches the kernel through {@link Tty.Port}.
 */
public final class Terminal implements Tty.Port {
    private final Kernel kernel;
    /** The line discipline. */
    public final Tty ldisc;
    /** Session that has this terminal as its controlling terminal (0 = none). */
    private int sid;
    /** That session's foreground process group. */
    private int fgPgrp;

    Terminal(Kernel kernel) {
        this.kernel = kernel;
        this.ldisc = new Tty(this);
    }

    /** The session this is the controlling terminal of, 0 for none. */
    public int session() {
        return sid;
    }

    /** The foreground process group (0 for none). */
    public int foregroundGroup() {
        return fgPgrp;
    }

    /** Makes session {@code sid} (led by init at boot) the owner, with {@code pgid} in the foreground. */
    void attach(int sid, int pgid) {
        this.sid = sid;
        this.fgPgrp = pgid;
    }

    // ------------------------------------------------------------------ Tty.Port

    @Override
    public void screen(byte[] b, int off, int len) {
        kernel.host.consoleOutput(b, off, len);
    }

    @Override
    public void signalForeground(int sig) {
        if (fgPgrp > 0) {
            // typed by the user: from outside the guest, so it reaches init too
            SigInfo i = SigInfo.of(sig, SigInfo.SI_KERNEL);
            i.fromOutside = true;
            SignalDelivery.sendToGroup(kernel, fgPgrp, i);
        }
    }

    // ------------------------------------------------------------------ opening

    /** A new description of the terminal (fds 0-2 of init, /dev/console, /dev/pts/0). */
    public TtyFile open(int flags) {
        return new TtyFile(this, flags);
    }

    /** /dev/tty: the caller's controlling terminal; ENXIO when its session has none. */
    public TtyFile openControlling(Task t, int flags) {
        if (sid != 0 && sid != t.tg.sid) {
            throw new SyscallError(Errno.ENXIO);
        }
        return open(flags);
    }

    // ------------------------------------------------------------------ job control

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
                || t.sighand.handler[sig] == SignalActions.SIG_IGN;
        if (sig == Signals.SIGTTOU && blockedOrIgnored) {
            return; // output allowed
        }
        if (blockedOrIgnored || Lifecycle.isOrphanedGroup(kernel, t.tg.pgid)) {
            throw new SyscallError(Errno.EIO);
        }
        SignalDelivery.sendToGroup(kernel, t.tg.pgid, SigInfo.of(sig, SigInfo.SI_KERNEL));
        // park; the stop signal interrupts the wait and the call restarts after SIGCONT
        throw new SyscallError(Errno.EAGAIN);
    }

    int read(Task t, byte[] buf, int off, int len) {
        checkBackground(t, Signals.SIGTTIN);
        return ldisc.read(buf, off, len);
    }

    int write(Task t, byte[] buf, int off, int len) {
        if (ldisc.stopsBackgroundWriters()) {
            checkBackground(t, Signals.SIGTTOU);
        }
        return ldisc.write(buf, off, len);
    }

    // ------------------------------------------------------------------ ioctl

    long ioctl(Task t, int cmd, long arg) {
        switch (cmd) {
            case Tty.TCGETS:
                UserMemory.write(t, arg, ldisc.termios.encode(false));
                return 0;
            case Tty.TCGETS2:
                UserMemory.write(t, arg, ldisc.termios.encode(true));
                return 0;
            case Tty.TCSETS: case Tty.TCSETSW: case Tty.TCSETSF: case Tty.TCSETS2: case Tty.TCSETSW2: case Tty.TCSETSF2: {
                boolean two = cmd == Tty.TCSETS2 || cmd == Tty.TCSETSW2 || cmd == Tty.TCSETSF2;
                byte[] b = UserMemory.read(t, arg, two ? 44 : 36);
                checkBackground(t, Signals.SIGTTOU);
                ldisc.setTermios(b, two, cmd == Tty.TCSETSF || cmd == Tty.TCSETSF2);
                return 0;
            }
            case Tty.TIOCGWINSZ: {
                byte[] w = new byte[8];
                w[0] = (byte) ldisc.rows;
                w[1] = (byte) (ldisc.rows >> 8);
                w[2] = (byte) ldisc.cols;
                w[3] = (byte) (ldisc.cols >> 8);
                UserMemory.write(t, arg, w);
                return 0;
            }
            case Tty.TIOCSWINSZ: {
                byte[] w = UserMemory.read(t, arg, 8);
                ldisc.resize((w[2] & 0xff) | (w[3] & 0xff) << 8, (w[0] & 0xff) | (w[1] & 0xff) << 8);
                return 0;
            }
            case Tty.TIOCGPGRP:
                if (sid == 0 || t.tg.sid != sid) {
                    throw new SyscallError(Errno.ENOTTY);
                }
                UserMemory.store32(t, arg, fgPgrp);
                return 0;
            case Tty.TIOCSPGRP: {
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
            case Tty.TIOCGSID:
                if (sid == 0 || t.tg.sid != sid) {
                    throw new SyscallError(Errno.ENOTTY);
                }
                UserMemory.store32(t, arg, sid);
                return 0;
            case Tty.TIOCSCTTY: {
                ThreadGroup g = t.tg;
                if (g.sid == sid && sid != 0) {
                    return 0;
                }
                // only a session leader may take a terminal; with one terminal, its session has none yet
                if (g.pid != g.sid) {
                    throw new SyscallError(Errno.EPERM);
                }
                if (sid != 0 && !(arg == 1 && g.cred.euid == 0)) {
                    throw new SyscallError(Errno.EPERM);
                }
                sid = g.sid;
                fgPgrp = g.pgid;
                return 0;
            }
            case Tty.TIOCNOTTY: {
                ThreadGroup g = t.tg;
                if (sid == 0 || g.sid != sid) {
                    throw new SyscallError(Errno.ENOTTY);
                }
                if (g.pid == g.sid) {
                    disassociate();
                }
                return 0;
            }
            case Tty.FIONREAD:
                UserMemory.store32(t, arg, ldisc.available());
                return 0;
            case Tty.TIOCOUTQ:
                UserMemory.store32(t, arg, 0);
                return 0;
            case Tty.TCFLSH:
                ldisc.flush(arg);
                return 0;
            case Tty.TCXONC:
            case Tty.TCSBRK:
                return 0;
            default:
                throw new SyscallError(Errno.ENOTTY);
        }
    }

    /** The session loses its terminal: its foreground group hears SIGHUP and SIGCONT. */
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
    void processExited(ThreadGroup g) {
        if (sid != 0 && g.pid == sid) {
            disassociate();
        }
    }
}
