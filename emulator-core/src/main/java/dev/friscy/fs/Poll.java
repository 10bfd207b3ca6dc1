package dev.friscy.fs;

/** poll(2) event bits, as Linux numbers them. */
public final class Poll {
    public static final int IN = 0x1;
    public static final int PRI = 0x2;
    public static final int OUT = 0x4;
    public static final int ERR = 0x8;
    public static final int HUP = 0x10;
    public static final int NVAL = 0x20;
    public static final int RDNORM = 0x40;
    public static final int RDBAND = 0x80;
    public static final int WRNORM = 0x100;
    public static final int WRBAND = 0x200;
    public static final int RDHUP = 0x2000;

    private Poll() {
    }
}
