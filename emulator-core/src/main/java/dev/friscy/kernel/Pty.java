package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.DevPts;
import dev.friscy.fs.Poll;
import dev.friscy.tty.Termios;
import dev.friscy.waiter.WaitQueue;

/**
 * A pseudo-terminal pair (Linux's pty driver): the slave is a {@link Terminal} with its own
 * line discipline, session and foreground group; the master is the other end of its wire.
 * What the master writes is the slave's keyboard input; what the slave's line discipline puts
 * out (its writes after output processing, and its echo) queues here for the master to read.
 * Closing the master hangs the slave up; closing the last slave makes master reads fail with
 * EIO until a slave is opened again.
 */
public final class Pty {
    /** Most bytes queued in either direction before writers wait (Linux's tty buffers hold 64 KiB). */
    static final int ROOM = 65536;
    /** Echo and output past {@link #ROOM} are dropped beyond this, so a master that never reads costs bounded memory. */
    private static final int HARD_LIMIT = 2 * ROOM;

    // TIOCPKT status bits
    static final int PKT_FLUSHREAD = 1, PKT_FLUSHWRITE = 2, PKT_STOP = 4, PKT_START = 8, PKT_NOSTOP = 16, PKT_DOSTOP = 32;

    final Kernel kernel;
    /** The N of /dev/pts/N. */
    public final int index;
    /** The slave end. */
    public final Terminal slave;
    /** Master readers and writers wait here; woken by slave output, slave reads and slave closes. */
    final WaitQueue masterWait = new WaitQueue();

    /** Slave output not yet read by the master: a ring. */
    private byte[] ring = new byte[4096];
    private int head, count;

    /** TIOCSPTLCK: the slave cannot be opened while locked (a new pair starts locked). */
    boolean locked = true;
    boolean masterOpen = true;
    /** Slave descriptions open now. */
    int slaveOpens;
    /** The last slave closed (Linux's TTY_OTHER_CLOSED on the master): master reads give EIO. */
    boolean slaveClosed;
    /** TIOCPKT: master reads carry a status byte. */
    boolean packet;
    int packetStatus;

    /** A new pair whose /dev/pts/N node belongs to {@code uid}:{@code gid}, as devpts makes it for the opener. */
    Pty(Kernel kernel, int index, int uid, int gid) {
        this.kernel = kernel;
        this.index = index;
        this.slave = new Terminal(kernel, this, DevPts.slaveNode(index, uid, gid, kernel.realtimeNs()));
        // Linux's tty_std_termios, which differs from the console's only in IUTF8 and HUPCL
        slave.ldisc.termios.iflag = Termios.ICRNL | Termios.IXON;
        slave.ldisc.termios.cflag = 017 | 060 | 0200;
        slave.ldisc.rows = 0;
        slave.ldisc.cols = 0;
    }

    // ------------------------------------------------------------------ slave side

    /** The slave's line discipline produced output (writes, echo): queue it for the master. */
    void fromSlave(byte[] b, int off, int len) {
        int n = Math.min(len, HARD_LIMIT - count);
        if (n <= 0) {
            return;
        }
        if (count + n > ring.length) {
            int cap = ring.length;
            while (cap < count + n) {
                cap *= 2;
            }
            byte[] r = new byte[cap];
            for (int i = 0; i < count; i++) {
                r[i] = ring[(head + i) % ring.length];
            }
            ring = r;
            head = 0;
        }
        for (int i = 0; i < n; i++) {
            ring[(head + count + i) % ring.length] = b[off + i];
        }
        count += n;
        masterWait.wakeAll();
    }

    /** Room for slave writes before they wait for the master to read. */
    int slaveRoom() {
        return ROOM - count;
    }

    /** The slave read input: master writers may have room again. */
    void slaveConsumed() {
        masterWait.wakeAll();
    }

    void slaveOpened() {
        slaveOpens++;
        slaveClosed = false;
    }

    void slaveReleased() {
        if (--slaveOpens == 0) {
            slaveClosed = true;
            masterWait.wakeAll();
            if (!masterOpen) {
                kernel.ptys.free(this);
            }
        }
    }

    /** A packet-mode event (TIOCPKT_FLUSHREAD, ...) for the master to read. */
    void packetEvent(int bits, int clear) {
        if (packet) {
            packetStatus = (packetStatus & ~clear) | bits;
            masterWait.wakeAll();
        }
    }

    // ------------------------------------------------------------------ master side

    int masterRead(byte[] buf, int off, int len) {
        if (packet && packetStatus != 0) {
            buf[off] = (byte) packetStatus;
            packetStatus = 0;
            return 1;
        }
        if (count == 0) {
            if (slaveClosed) {
                throw new SyscallError(Errno.EIO);
            }
            throw new SyscallError(Errno.EAGAIN);
        }
        int start = off;
        if (packet) {
            buf[off++] = 0; // TIOCPKT_DATA
            len--;
        }
        int n = Math.min(len, count);
        for (int i = 0; i < n; i++) {
            buf[off + i] = ring[(head + i) % ring.length];
        }
        head = (head + n) % ring.length;
        count -= n;
        if (count == 0) {
            head = 0;
        }
        slave.ldisc.readers.wakeAll(); // slave writers waiting for room
        return off + n - start;
    }

    /** Master writes are the slave's input; they wait while the slave has a full buffer unread. */
    int masterWrite(byte[] buf, int off, int len) {
        int room = ROOM - slave.ldisc.available();
        if (room <= 0) {
            throw new SyscallError(Errno.EAGAIN);
        }
        int n = Math.min(len, room);
        slave.ldisc.input(buf, off, n);
        return n;
    }

    /** Bytes a master read would return (FIONREAD). */
    int masterAvailable() {
        return count;
    }

    /** TCFLSH on the master: drops what the slave wrote (input of the master), or the slave's input. */
    void masterFlush(long queue) {
        if (queue < 0 || queue > 2) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (queue == 0 || queue == 2) {
            head = 0;
            count = 0;
            slave.ldisc.readers.wakeAll();
        }
    }

    int masterPoll() {
        int r = 0;
        if (count > 0 || packet && packetStatus != 0) {
            r |= Poll.IN | Poll.RDNORM;
        }
        if (packet && packetStatus != 0) {
            r |= Poll.PRI;
        }
        if (slaveClosed) {
            r |= Poll.HUP;
        }
        if (slave.ldisc.available() < ROOM) {
            r |= Poll.OUT | Poll.WRNORM;
        }
        return r;
    }

    /** The last master description closed: the slave hangs up and its name goes away. */
    void masterReleased() {
        masterOpen = false;
        kernel.ptys.unlist(this);
        slave.hangup();
        if (slaveOpens == 0) {
            kernel.ptys.free(this);
        }
    }
}
