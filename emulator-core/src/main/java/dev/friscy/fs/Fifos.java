package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.kernel.Kernel;
import dev.friscy.kernel.Task;
import dev.friscy.waiter.WaitQueue;

import java.util.IdentityHashMap;

/**
 * Opening named pipes, with Linux's rendezvous: a reader blocks until some writer has opened
 * the FIFO since (and the other way round), unless O_NONBLOCK (then a writer without readers
 * gets ENXIO). The pipe lives in {@link Inode#fifoPipe} while any end is open.
 */
public final class Fifos implements FifoOpener {
    private final Kernel kernel;

    public Fifos(Kernel kernel) {
        this.kernel = kernel;
    }

    /** Per-FIFO state: the pipe, open counters, and the ends of openers still waiting. */
    private static final class State {
        Pipe pipe;
        long readerOpens;
        long writerOpens;
        final WaitQueue openers = new WaitQueue();
        final IdentityHashMap<Task, Waiting> waiting = new IdentityHashMap<>();
    }

    /** An end opened by a task that is parked until the other side shows up. */
    private static final class Waiting {
        final FileDescription end;
        final boolean reader;
        final long otherOpens;

        Waiting(FileDescription end, boolean reader, long otherOpens) {
            this.end = end;
            this.reader = reader;
            this.otherOpens = otherOpens;
        }
    }

    /** Openers killed while they waited leave their end behind: close it. */
    private static void purgeDead(State s) {
        if (s.waiting.isEmpty()) {
            return;
        }
        for (Task o : new java.util.ArrayList<>(s.waiting.keySet())) {
            if (o.state == Task.DEAD) {
                s.waiting.remove(o).end.decRef();
            }
        }
    }

    @Override
    public FileDescription open(Task t, Inode fifo, String path, int flags) {
        State s = (State) fifo.fifoPipe;
        if (s == null) {
            s = new State();
            fifo.fifoPipe = s;
        }
        purgeDead(s);
        Waiting w = s.waiting.remove(t);
        if (w != null) {
            // a re-run after wake-up: has the other side arrived?
            PipeBuffer b = s.pipe.buffer;
            boolean arrived = w.reader ? (b.writers > 0 || s.writerOpens != w.otherOpens)
                    : (b.readers > 0 || s.readerOpens != w.otherOpens);
            if (arrived) {
                return new FifoFile(w.end, fifo, path);
            }
            s.waiting.put(t, w);
            kernel.block(t, -1, s.openers);
            return null;
        }
        int acc = flags & OpenFlags.O_ACCMODE;
        boolean nonblock = (flags & OpenFlags.O_NONBLOCK) != 0;
        if (acc == 3) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (s.pipe == null || (s.pipe.buffer.readers == 0 && s.pipe.buffer.writers == 0 && s.waiting.isEmpty())) {
            s.pipe = new Pipe(kernel.host.realtimeNanos());
        }
        PipeBuffer b = s.pipe.buffer;
        int status = flags & ~(OpenFlags.O_ACCMODE | OpenFlags.O_CLOEXEC);
        FileDescription end;
        if (acc == OpenFlags.O_RDWR) {
            // both a reader and a writer: never waits, and releases anyone waiting for either side
            end = s.pipe.openBoth(status);
            s.readerOpens++;
            s.writerOpens++;
            s.openers.wakeAll();
            return new FifoFile(end, fifo, path);
        }
        if (acc == OpenFlags.O_RDONLY) {
            end = s.pipe.openRead(status);
            s.readerOpens++;
            s.openers.wakeAll();
            if (nonblock || b.writers > 0) {
                return new FifoFile(end, fifo, path);
            }
            s.waiting.put(t, new Waiting(end, true, s.writerOpens));
        } else {
            if (b.readers == 0 && nonblock) {
                throw new SyscallError(Errno.ENXIO);
            }
            end = s.pipe.openWrite(status);
            s.writerOpens++;
            s.openers.wakeAll();
            if (b.readers > 0) {
                return new FifoFile(end, fifo, path);
            }
            s.waiting.put(t, new Waiting(end, false, s.readerOpens));
        }
        kernel.block(t, -1, s.openers);
        return null;
    }
}
