package dev.friscy.fs;

/** File seals of memfd files (fcntl F_ADD_SEALS / F_GET_SEALS), as Linux numbers them. */
public final class Seals {
    public static final int SEAL = 1, SHRINK = 2, GROW = 4, WRITE = 8, FUTURE_WRITE = 0x10, EXEC = 0x20;
    public static final int ALL = SEAL | SHRINK | GROW | WRITE | FUTURE_WRITE | EXEC;

    private Seals() {
    }
}
