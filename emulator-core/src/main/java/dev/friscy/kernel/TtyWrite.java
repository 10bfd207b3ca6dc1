package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.OpenFlags;
import dev.friscy.mem.IoBuffer;

/**
 * A write to either end of a terminal, as Linux's tty_write does it: everything is taken in
 * passes unless the file is non-blocking. When the other side's buffer fills part-way, the
 * progress stays in {@code src}'s position while the writer waits, and the restarted call goes
 * on from there; a non-blocking writer gets the part that went (EAGAIN only for none).
 */
final class TtyWrite {
    /** Most bytes one pass hands the line discipline. */
    static final int PASS = 4096;

    /** One pass: takes up to {@code len} bytes, or throws (EAGAIN to wait). */
    interface Pass {
        int write(byte[] b, int off, int len);
    }

    private TtyWrite() {
    }

    static int all(IoBuffer src, int flags, Pass pass) {
        int len = src.length;
        int done = Math.min(Math.max(src.position(), 0), len);
        byte[] b = new byte[Math.min(PASS, Math.max(len - done, 1))];
        while (done < len) {
            int k = Math.min(b.length, len - done);
            src.copyIn(done, b, 0, k);
            int n;
            try {
                n = pass.write(b, 0, k);
            } catch (SyscallError e) {
                if (e.errno == Errno.EAGAIN && done > 0 && (flags & OpenFlags.O_NONBLOCK) != 0) {
                    return done;
                }
                throw e;
            }
            done += n;
            src.position(done);
        }
        return done;
    }
}
