package dev.friscy.tty;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.waiter.WaitQueue;

import java.util.ArrayDeque;

/**
 * The terminal's line discipline between the host (keyboard in, screen out) and the guest:
 * termios input/output processing, canonical line editing, echo, the signal characters and
 * the window size. It knows nothing of processes or sessions: signals go to "the foreground
 * group" and output to "the screen" through its {@link Port}; which group that is, and who may
 * read or write (job control), is the kernel's business (its Terminal).
 */
public final class Tty {
    // ioctl numbers (asm-generic)
    public static final int TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404, TCSBRK = 0x5409,
            TCXONC = 0x540A, TCFLSH = 0x540B, TIOCSCTTY = 0x540E, TIOCGPGRP = 0x540F, TIOCSPGRP = 0x5410,
            TIOCOUTQ = 0x5411, TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, FIONREAD = 0x541B, FIONBIO = 0x5421,
            TIOCNOTTY = 0x5422, TIOCGSID = 0x5429, TCGETS2 = 0x802c542a, TCSETS2 = 0x402c542b,
            TCSETSW2 = 0x402c542c, TCSETSF2 = 0x402c542d, TIOCGPTN = 0x80045430, TIOCSPTLCK = 0x40045431,
            TIOCPKT = 0x5420, TIOCSIG = 0x40045436, TIOCGPKT = 0x80045438, TIOCGPTLCK = 0x80045439, TIOCGPTPEER = 0x5441,
            TIOCEXCL = 0x540C, TIOCNXCL = 0x540D, TIOCSTI = 0x5412, TIOCGEXCL = 0x80045440;

    /** What the line discipline needs from around it. */
    public interface Port {
        /** Bytes for the host screen, after output processing. */
        void screen(byte[] b, int off, int len);

        /**
         * A signal for the foreground process group, if the terminal has one: {@code typed} for
         * the signal characters the user typed (^C, ^\, ^Z), which come from outside the guest;
         * not for a resize (SIGWINCH).
         */
        void signalForeground(int sig, boolean typed);

        /** Output was stopped (^S) or started again (^Q): a pty master in packet mode hears of it. */
        default void flowChanged(boolean stopped) {
        }

        /** Input came and there is something to read: owners of O_ASYNC descriptions hear SIGIO. */
        default void inputReadable() {
        }
    }

    /** The signals the line discipline raises (Linux numbers). */
    public static final int SIGINT = 2, SIGQUIT = 3, SIGTSTP = 20, SIGWINCH = 28;

    private final Port port;
    public final Termios termios = new Termios();
    public final WaitQueue readers = new WaitQueue();
    public int rows = 24;
    public int cols = 80;
    /** The pixel size fields of struct winsize, which only programs read (TIOCSWINSZ stores them). */
    public int xpixel, ypixel;

    /** Completed input: whole lines in canonical mode (an empty array marks end-of-file). */
    private final ArrayDeque<byte[]> lines = new ArrayDeque<>();
    private int headOffset;
    /** The line being edited (canonical mode) or raw bytes not yet read (non-canonical). */
    private byte[] edit = new byte[256];
    private int editLen;
    private boolean hungUp;
    private boolean literalNext;
    /** Output stopped by the STOP character (IXON): writers wait, echo is held until START. */
    private boolean stopped;
    /** Stopped by tcflow(TCOOFF): only TCOON restarts it, not START, IXANY or IXON off. */
    private boolean tcoStopped;
    /** Echo produced while stopped, shown on START (Linux keeps it in its echo buffer). */
    private byte[] held = new byte[0];

    public Tty(Port port) {
        this.port = port;
    }

    // ------------------------------------------------------------------ host side

    public void resize(int cols, int rows) {
        if (cols <= 0 || rows <= 0 || cols > 10000 || rows > 10000) {
            return;
        }
        boolean changed = cols != this.cols || rows != this.rows;
        this.cols = cols;
        this.rows = rows;
        if (changed) {
            port.signalForeground(SIGWINCH, false);
        }
    }

    /** struct winsize (TIOCGWINSZ). */
    public byte[] winsize() {
        byte[] w = new byte[8];
        int[] v = {rows, cols, xpixel, ypixel};
        for (int i = 0; i < 4; i++) {
            w[2 * i] = (byte) v[i];
            w[2 * i + 1] = (byte) (v[i] >> 8);
        }
        return w;
    }

    /** TIOCSWINSZ: any size, zero included, as Linux takes it; SIGWINCH for the foreground group if it changed. */
    public void setWinsize(byte[] w) {
        int r = (w[0] & 0xff) | (w[1] & 0xff) << 8;
        int c = (w[2] & 0xff) | (w[3] & 0xff) << 8;
        int x = (w[4] & 0xff) | (w[5] & 0xff) << 8;
        int y = (w[6] & 0xff) | (w[7] & 0xff) << 8;
        boolean changed = r != rows || c != cols || x != xpixel || y != ypixel;
        rows = r;
        cols = c;
        xpixel = x;
        ypixel = y;
        if (changed) {
            port.signalForeground(SIGWINCH, false);
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
        if (readable()) {
            port.inputReadable();
        }
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
        if ((iflag & Termios.IXON) != 0 && c != 0 && (c == cc(Termios.VSTART) || c == cc(Termios.VSTOP))) {
            // flow control characters are taken, never queued; START wins when both are the same
            if (c == cc(Termios.VSTART)) {
                startOutput();
            } else {
                stopOutput();
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
            int sig = c == cc(Termios.VINTR) ? SIGINT : c == cc(Termios.VQUIT) ? SIGQUIT
                    : c == cc(Termios.VSUSP) ? SIGTSTP : 0;
            if (sig != 0) {
                if ((iflag & Termios.IXON) != 0) {
                    startOutput(); // as Linux's n_tty_receive_signal_char
                }
                if (!lflag(Termios.NOFLSH)) {
                    lines.clear();
                    headOffset = 0;
                    editLen = 0;
                }
                echoChar(c);
                port.signalForeground(sig, true);
                return;
            }
        }
        if (stopped && (iflag & (Termios.IXON | Termios.IXANY)) == (Termios.IXON | Termios.IXANY)) {
            startOutput(); // IXANY: any other character restarts output, and is input as usual
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

    /** True while output is stopped by the STOP character: writers wait for START. */
    public boolean outputStopped() {
        return stopped;
    }

    private void stopOutput() {
        if (!stopped) {
            stopped = true;
            port.flowChanged(true);
        }
    }

    private void startOutput() {
        if (!stopped || tcoStopped) {
            return;
        }
        stopped = false;
        port.flowChanged(false);
        if (held.length > 0) {
            byte[] h = held;
            held = new byte[0];
            output(h, 0, h.length);
        }
        readers.wakeAll(); // writers wait on the same queue
    }

    /** TCXONC (tcflow): TCOOFF/TCOON stop and restart output; TCIOFF/TCION send STOP/START to the device. */
    public void flow(long action) {
        switch ((int) action) {
            case 0: // TCOOFF
                if (!tcoStopped) {
                    stopOutput();
                    tcoStopped = true;
                }
                break;
            case 1: // TCOON
                if (tcoStopped) {
                    tcoStopped = false;
                    startOutput();
                }
                break;
            case 2: // TCIOFF
            case 3: // TCION
                int c = cc(action == 2 ? Termios.VSTOP : Termios.VSTART);
                if (c != 0) {
                    port.screen(new byte[] {(byte) c}, 0, 1); // as Linux's tty_send_xchar: past a stop, no OPOST
                }
                break;
            default:
                throw new SyscallError(Errno.EINVAL);
        }
    }

    /** Output processing (OPOST/ONLCR) to the host screen (held while output is stopped). */
    public void output(byte[] b, int off, int len) {
        if (stopped) {
            int n = Math.min(len, 4096 - held.length); // echo beyond Linux's 4 KiB echo buffer is lost
            if (n > 0) {
                byte[] h = new byte[held.length + n];
                System.arraycopy(held, 0, h, 0, held.length);
                System.arraycopy(b, off, h, held.length, n);
                held = h;
            }
            return;
        }
        int oflag = termios.oflag;
        if ((oflag & Termios.OPOST) == 0 || (oflag & (Termios.ONLCR | Termios.OCRNL)) == 0) {
            port.screen(b, off, len);
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
        port.screen(out, 0, n);
    }

    // ------------------------------------------------------------------ guest side

    public int available() {
        int n = 0;
        boolean first = true;
        for (byte[] l : lines) {
            n += l.length - (first ? headOffset : 0) + (lflag(Termios.ICANON) && l != null ? 0 : 0);
            first = false;
        }
        return n;
    }

    /** Reads completed input: a line at a time in canonical mode; EAGAIN when the reader has to wait. */
    public int read(byte[] buf, int off, int len) {
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

    public int write(byte[] buf, int off, int len) {
        output(buf, off, len);
        return len;
    }

    /** True when a read would not wait: completed input is queued, or the host hung up. */
    public boolean readable() {
        return !lines.isEmpty() || hungUp;
    }

    /** TOSTOP: background writers are stopped (the kernel's job control asks). */
    public boolean stopsBackgroundWriters() {
        return lflag(Termios.TOSTOP);
    }

    /** TCSETS and friends: new settings from their wire form; {@code flush} drops pending input first (TCSETSF). */
    public void setTermios(byte[] b, boolean two, boolean flush) {
        boolean wasCanon = lflag(Termios.ICANON);
        termios.decode(b, two);
        if (flush) {
            flushInput();
        }
        if (wasCanon && !lflag(Termios.ICANON)) {
            flushRaw();
        }
        if ((termios.iflag & Termios.IXON) == 0) {
            startOutput(); // no flow control any more: nothing can restart it
        }
        readers.wakeAll();
    }

    /** TCFLSH: 0 (input) and 2 (both) drop pending input; 1 (output) has nothing to drop. */
    public void flush(long queue) {
        if (queue == 0 || queue == 2) {
            flushInput();
        } else if (queue != 1) {
            throw new SyscallError(Errno.EINVAL);
        }
    }

    private void flushInput() {
        lines.clear();
        headOffset = 0;
        editLen = 0;
    }
}
