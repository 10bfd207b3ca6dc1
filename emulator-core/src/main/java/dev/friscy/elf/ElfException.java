package dev.friscy.elf;

/** A file that is not a loadable RISC-V 64 ELF; the message says why, in one line. */
public final class ElfException extends Exception {
    public ElfException(String message) {
        super(message, null, false, false);
    }
}
