package dev.friscy.fs;

/** A tar archive in an array: the page's image and stored deltas, and the tests. */
final class ArrayTarSource implements TarSource {
    final byte[] tar;

    ArrayTarSource(byte[] tar) {
        this.tar = tar;
    }

    @Override
    public long length() {
        return tar.length;
    }

    @Override
    public void read(long pos, byte[] dst, int off, int len) {
        System.arraycopy(tar, (int) pos, dst, off, len);
    }

    @Override
    public boolean lazy() {
        return false; // the caller's array may be reused or dropped: copy now
    }
}
