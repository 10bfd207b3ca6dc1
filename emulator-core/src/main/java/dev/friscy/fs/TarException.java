package dev.friscy.fs;

/** A tar archive that cannot be read: the message is one line saying what is wrong and where. */
public final class TarException extends Exception {
    public TarException(String message) {
        super(message);
    }
}
