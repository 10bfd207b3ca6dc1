package dev.friscy.fs;

/**
 * What fstat reports for descriptions that have no file behind them (eventfd, timerfd, epoll):
 * Linux gives them all the one anonymous inode file system.
 */
final class AnonInode {
    static final long DEV = Pipe.PIPEFS_DEV + 1;

    private AnonInode() {
    }

    static void stat(Stat st, long ino) {
        st.dev = DEV;
        st.ino = ino;
        st.mode = 0600;
        st.nlink = 1;
        st.blksize = 4096;
    }
}
