package dev.friscy.fs;

import java.io.IOException;

/**
 * Where the bytes of a tar archive come from: an array in memory, or (on the JVM) the image
 * file itself. A source that {@link #lazy} says so stays readable as long as the file system
 * lives, and a regular file imported from it keeps its data there until something first uses
 * it ({@link FilePages}): a run of a short program in a large image then reads the headers
 * and the few files it touches, not the whole archive.
 */
public interface TarSource {
    /** The archive's size in bytes. */
    long length();

    /** Reads exactly {@code len} bytes at {@code pos} (inside {@link #length}). */
    void read(long pos, byte[] dst, int off, int len) throws IOException;

    /** True if file data may be left in the source and read when first used. */
    boolean lazy();

    /** An archive held in memory, copied into the file system as it is imported. */
    static TarSource of(byte[] tar) {
        return new ArrayTarSource(tar);
    }
}
