package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.DevPts;
import dev.friscy.fs.Inode;
import dev.friscy.fs.OpenFlags;
import dev.friscy.fs.Poll;
import dev.friscy.tty.Termios;
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
    /** For a pty slave, its pair (the master is the other end of the wire); null for the console. */
    final Pty pty;
    /** Its /dev/pts/N node, which fstat of a description reports too (ttyname compares them). */
    public final Inode node;
    /** Session that has this terminal as its controlling terminal (0 = none). */
    private int sid;
    /** That session's foreground process group. */
    private int fgPgrp;
    /** Hung up (a pty whose master closed): reads give end-of-file, writes and ioctls EIO. */
    private boolean hungUp;
    /** TIOCEXCL: no more opens but root's (EBUSY). */
    private boolean exclusive;
    /** The open descriptions, whose O_ASYNC owners hear SIGIO when input comes. */
    private final java.util.ArrayList<TtyFile> open = new java.util.ArrayList<>();

    /** The console: /dev/pts/0, whose other end is the host (the page's terminal or the command line's). */
    Terminal(Kernel kernel) {
        this(kernel, null, DevPts.slaveNode(0, 0, TTY_GID, kernel.realtimeNs()));
    }

    Terminal(Kernel kernel, Pty pty, Inode node) {
        this.kernel = kernel;
        this.pty = pty;
        this.node = node;
        this.ldisc = new Tty(this);
    }

    /** The tty group's id in Debian, which owns terminals. */
    static final int TTY_GID = 5;

    /** The session this is the controlling terminal of, 0 for none. */
    public int session() {
        return sid;
    }

    /** The foreground process group (0 for none). */
    public int foregroundGroup() {
        return fgPgrp;
    }

    /** /dev/pts/N. */
    public String path() {
        return "/dev/pts/" + (pty == null ? 0 : pty.index);
    }

    /** Makes session {@code sid} (led by init at boot) the owner, with {@code pgid} in the foreground. */
    void attach(int sid, int pgid) {
        this.sid = sid;
        this.fgPgrp = pgid;
    }

    // ------------------------------------------------------------------ Tty.Port

    @Override
    public void screen(byte[] b, int off, int len) {
        if (pty != null) {
            pty.fromSlave(b, off, len);
        } else {
            kernel.host.consoleOutput(b, off, len);
        }
    }

    @Override
    public void signalForeground(int sig, boolean typed) {
        if (fgPgrp > 0) {
            SigInfo i = SigInfo.of(sig, SigInfo.SI_KERNEL);
            // typed by the user at the console: from outside the guest, so it reaches init too
            // (a pty's master is a guest program)
            i.fromOutside = typed && pty == null;
            SignalDelivery.sendToGroup(kernel, fgPgrp, i);
        }
    }

    @Override
    public void flowChanged(boolean stopped) {
        if (pty != null) {
            // TIOCPKT_STOP/START for a master in packet mode, each clearing the other (pty_stop/pty_start)
            pty.packetEvent(stopped ? Pty.PKT_STOP : Pty.PKT_START, stopped ? Pty.PKT_START : Pty.PKT_STOP);
        }
    }

    // ------------------------------------------------------------------ opening

    /** A new description of the terminal for the kernel itself (init's fds 0-2): no controlling-terminal rules. */
    public TtyFile open(int flags) {
        return open(null, flags | OpenFlags.O_NOCTTY);
    }

    /**
     * A new description for {@code t}. Like Linux, opening a terminal without O_NOCTTY makes it
     * the controlling terminal of a session leader that has none, if no session has it.
     */
    public TtyFile open(Task t, int flags) {
        return open(t, flags, null);
    }

    /** As {@link #open(Task, int)}, through {@code alias} (/dev/tty, /dev/console), which fstat then reports. */
    public TtyFile open(Task t, int flags, Inode alias) {
        if (hungUp) {
            throw new SyscallError(Errno.EIO);
        }
        if (exclusive && t != null && t.cred().euid != 0) {
            throw new SyscallError(Errno.EBUSY); // Linux's tty_reopen: CAP_SYS_ADMIN only
        }
        if (t != null && (flags & OpenFlags.O_NOCTTY) == 0 && sid == 0) {
            ThreadGroup g = t.tg;
            if (g.pid == g.sid && kernel.ptys.controlling(g.sid) == null) {
                sid = g.sid;
                fgPgrp = g.pgid;
            }
        }
        if (pty != null) {
            pty.slaveOpened();
        }
        TtyFile f = new TtyFile(this, flags & ~OpenFlags.O_NOCTTY, alias);
        open.add(f);
        return f;
    }

    /** The last fd of a description closed. */
    void released(TtyFile f) {
        open.remove(f);
        if (pty != null) {
            pty.slaveReleased();
        }
    }

    @Override
    public void inputReadable() {
        for (int i = 0; i < open.size(); i++) {
            TtyFile f = open.get(i);
            if ((f.flags & OpenFlags.O_ASYNC) != 0) {
                FileOwner.signal(kernel, f, FileOwner.POLL_IN);
            }
        }
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
        if (hungUp) {
            return 0;
        }
        checkBackground(t, Signals.SIGTTIN);
        int n = ldisc.read(buf, off, len);
        if (pty != null && n > 0) {
            pty.slaveConsumed();
        }
        return n;
    }

    /** Writes what fits: a pty slave waits (EAGAIN) while its master has a full buffer unread. */
    int write(Task t, byte[] buf, int off, int len) {
        if (hungUp) {
            throw new SyscallError(Errno.EIO);
        }
        if (ldisc.stopsBackgroundWriters()) {
            checkBackground(t, Signals.SIGTTOU);
        }
        if (ldisc.outputStopped()) {
            throw new SyscallError(Errno.EAGAIN); // ^S: wait for ^Q
        }
        if (pty != null) {
            int room = pty.slaveRoom();
            if (room <= 0) {
                throw new SyscallError(Errno.EAGAIN);
            }
            len = Math.min(len, room);
        }
        return ldisc.write(buf, off, len);
    }

    int poll() {
        if (hungUp) {
            return Poll.IN | Poll.OUT | Poll.ERR | Poll.HUP | Poll.RDNORM | Poll.WRNORM;
        }
        int r = 0;
        if (!ldisc.outputStopped() && (pty == null || pty.slaveRoom() > 0)) {
            r |= Poll.OUT | Poll.WRNORM; // the console's host takes all output
        }
        if (ldisc.readable()) {
            r |= Poll.IN | Poll.RDNORM;
        }
        return r;
    }

    // ------------------------------------------------------------------ ioctl

    long ioctl(Task t, int cmd, long arg) {
        if (hungUp) {
            throw new SyscallError(cmd == Tty.TIOCSPGRP ? Errno.ENOTTY : Errno.EIO);
        }
        return ioctl(t, cmd, arg, false);
    }

    /**
     * The ioctls of the terminal; {@code fromMaster} for those a pty master passes to its slave
     * (Linux's real_tty), which skip the caller's job-control and own-terminal checks.
     */
    long ioctl(Task t, int cmd, long arg, boolean fromMaster) {
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
                if (!fromMaster) {
                    checkBackground(t, Signals.SIGTTOU);
                }
                boolean flowBefore = flowControl();
                ldisc.setTermios(b, two, cmd == Tty.TCSETSF || cmd == Tty.TCSETSF2);
                boolean flow = flowControl();
                if (pty != null && flow != flowBefore) {
                    pty.packetEvent(flow ? Pty.PKT_DOSTOP : Pty.PKT_NOSTOP, Pty.PKT_DOSTOP | Pty.PKT_NOSTOP);
                }
                return 0;
            }
            case Tty.TIOCGWINSZ:
                UserMemory.write(t, arg, ldisc.winsize());
                return 0;
            case Tty.TIOCSWINSZ:
                ldisc.setWinsize(UserMemory.read(t, arg, 8));
                return 0;
            case Tty.TIOCGPGRP:
                if (!fromMaster && (sid == 0 || t.tg.sid != sid)) {
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
                if (sid == 0 || !fromMaster && t.tg.sid != sid) {
                    throw new SyscallError(Errno.ENOTTY);
                }
                UserMemory.store32(t, arg, sid);
                return 0;
            case Tty.TIOCSCTTY: {
                ThreadGroup g = t.tg;
                if (g.pid == g.sid && g.sid == sid) {
                    return 0; // already ours
                }
                // only a session leader without a controlling terminal may take one
                if (g.pid != g.sid || kernel.ptys.controlling(g.sid) != null) {
                    throw new SyscallError(Errno.EPERM);
                }
                if (sid != 0 && !(arg == 1 && g.cred.euid == 0)) {
                    throw new SyscallError(Errno.EPERM); // another session's, and not stolen by root
                }
                sid = g.sid;
                fgPgrp = g.pgid;
                return 0;
            }
            case Tty.TIOCNOTTY: {
                ThreadGroup g = t.tg;
                if (fromMaster || sid == 0 || g.sid != sid) {
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
                if (pty != null) {
                    pty.packetEvent((arg != 1 ? Pty.PKT_FLUSHREAD : 0) | (arg != 0 ? Pty.PKT_FLUSHWRITE : 0), 0);
                }
                return 0;
            case Tty.TCXONC:
                if (!fromMaster) {
                    checkBackground(t, Signals.SIGTTOU);
                }
                ldisc.flow(arg);
                return 0;
            case Tty.TCSBRK:
                return 0;
            case Tty.TIOCEXCL:
                exclusive = true;
                return 0;
            case Tty.TIOCNXCL:
                exclusive = false;
                return 0;
            case Tty.TIOCGEXCL:
                UserMemory.store32(t, arg, exclusive ? 1 : 0);
                return 0;
            case Tty.TIOCSTI: {
                // as if typed: only on one's controlling terminal, unless root (CAP_SYS_ADMIN)
                if (t.tg.sid != sid && t.cred().euid != 0) {
                    throw new SyscallError(Errno.EPERM);
                }
                byte[] c = UserMemory.read(t, arg, 1);
                ldisc.input(c, 0, 1);
                return 0;
            }
            default:
                throw new SyscallError(Errno.ENOTTY);
        }
    }

    /** Output flow control by ^S/^Q as a pty master in packet mode reports it (TIOCPKT_DOSTOP). */
    private boolean flowControl() {
        return (ldisc.termios.iflag & Termios.IXON) != 0 && ldisc.termios.cc[Termios.VSTOP] == 0x13
                && ldisc.termios.cc[Termios.VSTART] == 0x11;
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

    /**
     * A pty's master closed (Linux's tty_vhangup): the session leader hears SIGHUP and SIGCONT,
     * the session loses the terminal, and every description of it is hung up.
     */
    void hangup() {
        if (hungUp) {
            return;
        }
        hungUp = true;
        int leader = sid;
        sid = 0;
        fgPgrp = 0;
        ThreadGroup g = leader > 0 ? kernel.process(leader) : null;
        if (g != null && !g.isZombie() && g.sid == leader) {
            SignalDelivery.sendToProcess(kernel, g, SigInfo.of(Signals.SIGHUP, SigInfo.SI_KERNEL));
            SignalDelivery.sendToProcess(kernel, g, SigInfo.of(Signals.SIGCONT, SigInfo.SI_KERNEL));
        }
        ldisc.readers.wakeAll();
    }

    /** A session leader's death hangs up its controlling terminal. */
    void processExited(ThreadGroup g) {
        if (sid != 0 && g.pid == sid) {
            disassociate();
        }
    }
}
