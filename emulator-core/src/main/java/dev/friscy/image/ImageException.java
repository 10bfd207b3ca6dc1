package dev.friscy.image;

/**
 * A failure the user can act on (bad input, missing package, checksum mismatch, network error).
 * The message is one line and is printed as is by the command line, without a stack trace.
 */
public final class ImageException extends Exception {
    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
