package dev.friscy.tty;

/** struct termios as the riscv64 kernel lays it out (asm-generic), plus the bits we use. */
public final class Termios {
    // c_iflag
    public static final int IGNBRK = 01, BRKINT = 02, ISTRIP = 040, INLCR = 0100, IGNCR = 0200, ICRNL = 0400,
            IXON = 02000, IXANY = 04000, IUTF8 = 040000;
    // c_oflag
    public static final int OPOST = 01, ONLCR = 04, OCRNL = 010, ONOCR = 020, ONLRET = 040;
    // c_lflag
    public static final int ISIG = 01, ICANON = 02, ECHO = 010, ECHOE = 020, ECHOK = 040, ECHONL = 0100,
            NOFLSH = 0200, TOSTOP = 0400, ECHOCTL = 01000, ECHOKE = 04000, IEXTEN = 0100000;
    // c_cc indices
    public static final int VINTR = 0, VQUIT = 1, VERASE = 2, VKILL = 3, VEOF = 4, VTIME = 5, VMIN = 6, VSTART = 8,
            VSTOP = 9, VSUSP = 10, VEOL = 11, VREPRINT = 12, VDISCARD = 13, VWERASE = 14, VLNEXT = 15, VEOL2 = 16;
    public static final int NCCS = 19;
    /** B38400 | CS8 | CREAD | HUPCL */
    public static final int DEFAULT_CFLAG = 017 | 060 | 0200 | 02000;

    public int iflag = ICRNL | IXON | IUTF8;
    public int oflag = OPOST | ONLCR;
    public int cflag = DEFAULT_CFLAG;
    public int lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
    public int line;
    public final byte[] cc = new byte[NCCS];
    public int ispeed = 38400;
    public int ospeed = 38400;

    public Termios() {
        cc[VINTR] = 3;
        cc[VQUIT] = 0x1c;
        cc[VERASE] = 0x7f;
        cc[VKILL] = 0x15;
        cc[VEOF] = 4;
        cc[VTIME] = 0;
        cc[VMIN] = 1;
        cc[VSTART] = 0x11;
        cc[VSTOP] = 0x13;
        cc[VSUSP] = 0x1a;
        cc[VREPRINT] = 0x12;
        cc[VDISCARD] = 0x0f;
        cc[VWERASE] = 0x17;
        cc[VLNEXT] = 0x16;
    }

    /** struct termios (36 bytes) or struct termios2 (44 bytes, with speeds). */
    public byte[] encode(boolean two) {
        byte[] b = new byte[two ? 44 : 36];
        putInt(b, 0, iflag);
        putInt(b, 4, oflag);
        putInt(b, 8, cflag);
        putInt(b, 12, lflag);
        b[16] = (byte) line;
        System.arraycopy(cc, 0, b, 17, NCCS);
        if (two) {
            putInt(b, 36, ispeed);
            putInt(b, 40, ospeed);
        }
        return b;
    }

    public void decode(byte[] b, boolean two) {
        iflag = getInt(b, 0);
        oflag = getInt(b, 4);
        cflag = getInt(b, 8);
        lflag = getInt(b, 12);
        line = b[16] & 0xff;
        System.arraycopy(b, 17, cc, 0, NCCS);
        if (two) {
            ispeed = getInt(b, 36);
            ospeed = getInt(b, 40);
        }
    }

    private static void putInt(byte[] b, int o, int v) {
        b[o] = (byte) v;
        b[o + 1] = (byte) (v >> 8);
        b[o + 2] = (byte) (v >> 16);
        b[o + 3] = (byte) (v >> 24);
    }

    private static int getInt(byte[] b, int o) {
        return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8 | (b[o + 2] & 0xff) << 16 | (b[o + 3] & 0xff) << 24;
    }
}
