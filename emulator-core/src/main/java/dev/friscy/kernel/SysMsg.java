package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;

import java.util.ArrayList;

/**
 * System V message queues: msgget, msgsnd, msgrcv, msgctl. A full queue parks the sender, an
 * empty one (for the type asked) the receiver; both retry when the queue changes.
 */
final class SysMsg {
    static final int MSG_NOERROR = 010000, MSG_EXCEPT = 020000, MSG_COPY = 040000;
    static final int MSG_STAT = 11, MSG_INFO = 12, MSG_STAT_ANY = 13;
    static final int MSGSSZ = 16;

    /** A queued message. */
    static final class Message {
        final long type;
        final byte[] text;

        Message(long type, byte[] text) {
            this.type = type;
            this.text = text;
        }
    }

    /** A message queue. */
    static final class Queue extends SysvIpc.Obj {
        final ArrayList<Message> messages = new ArrayList<>();
        long cbytes;
        long qbytes;
        int lspid, lrpid;
        long stimeSec, rtimeSec;
    }

    private SysMsg() {
    }

    static long sys_msgget(Task task, long a0, long a1, long a2, long a3, long a4, long a5) {
        return msgget(task, (int) a0, (int) a1);
    }

    static long sys_msgsnd(Task task, long a0, long a1, long a2, long a3, long a4, long a5) {
        return msgsnd(task, (int) a0, a1, a2, (int) a3);
    }

    static long sys_msgrcv(Task task, long a0, long a1, long a2, long a3, long a4, long a5) {
        return msgrcv(task, (int) a0, a1, a2, a3, (int) a4);
    }

    static long sys_msgctl(Task task, long a0, long a1, long a2, long a3, long a4, long a5) {
        return msgctl(task, (int) a0, (int) a1, a2);
    }

    static long msgget(Task t, int key, int flg) {
        SysvIpc ipc = t.kernel.ipc;
        return SysvIpc.get(t, ipc.msg, key, flg, ipc.msgmni, () -> {
            Queue q = new Queue();
            q.qbytes = ipc.msgmnb;
            return q;
        }, o -> { });
    }

    private static Queue resume(Task t) {
        SysvIpc.Parked was = t.restarting ? t.kernel.ipc.resumed(t) : null;
        if (was != null && was.obj.removed) {
            throw new SyscallError(Errno.EIDRM);
        }
        return was == null ? null : (Queue) was.obj;
    }

    static long msgsnd(Task t, int id, long p, long sz, int flg) {
        Kernel k = t.kernel;
        SysvIpc ipc = k.ipc;
        resume(t);
        long type = UserMemory.load64(t, p);
        if (sz > ipc.msgmax || sz < 0 || id < 0 || type < 1) {
            throw new SyscallError(Errno.EINVAL);
        }
        byte[] text = UserMemory.read(t, p + 8, (int) sz);
        Queue q = (Queue) SysvIpc.lookup(ipc.msg, id);
        if (!SysvIpc.permitted(t, q, 2)) {
            throw new SyscallError(Errno.EACCES);
        }
        if (sz + q.cbytes > q.qbytes || 1 + q.messages.size() > q.qbytes) {
            if ((flg & SysvIpc.IPC_NOWAIT) != 0) {
                throw new SyscallError(Errno.EAGAIN);
            }
            return ipc.park(t, q, -1, new SysvIpc.Parked(q));
        }
        q.messages.add(new Message(type, text));
        q.cbytes += sz;
        q.lspid = t.pid();
        q.stimeSec = SysvIpc.nowSec(k);
        q.queue.wakeAll();
        return 0;
    }

    static long msgrcv(Task t, int id, long p, long sz, long typ, int flg) {
        Kernel k = t.kernel;
        SysvIpc ipc = k.ipc;
        resume(t);
        if (id < 0 || sz < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        boolean copy = (flg & MSG_COPY) != 0;
        if (copy && ((flg & MSG_EXCEPT) != 0 || (flg & SysvIpc.IPC_NOWAIT) == 0)) {
            throw new SyscallError(Errno.EINVAL);
        }
        Queue q = (Queue) SysvIpc.lookup(ipc.msg, id);
        if (!SysvIpc.permitted(t, q, 4)) {
            throw new SyscallError(Errno.EACCES);
        }
        int at = copy ? (typ >= 0 && typ < q.messages.size() ? (int) typ : -1) : find(q, typ, flg);
        if (at < 0) {
            if ((flg & SysvIpc.IPC_NOWAIT) != 0) {
                throw new SyscallError(Errno.ENOMSG);
            }
            return ipc.park(t, q, -1, new SysvIpc.Parked(q));
        }
        Message m = q.messages.get(at);
        if (sz < m.text.length && (flg & MSG_NOERROR) == 0) {
            throw new SyscallError(Errno.E2BIG);
        }
        if (!copy) {
            q.messages.remove(at);
            q.cbytes -= m.text.length;
            q.lrpid = t.pid();
            q.rtimeSec = SysvIpc.nowSec(k);
            q.queue.wakeAll();
        }
        int n = (int) Math.min(sz, m.text.length);
        UserMemory.store64(t, p, m.type);
        UserMemory.write(t, p + 8, m.text, 0, n);
        return n;
    }

    /** The message msgrcv takes for {@code typ}: 0 the first, > 0 the first of (or, MSG_EXCEPT, not of) that type, < 0 the lowest type up to -typ. */
    private static int find(Queue q, long typ, int flg) {
        int best = -1;
        long limit = typ == Long.MIN_VALUE ? Long.MAX_VALUE : -typ;
        for (int i = 0; i < q.messages.size(); i++) {
            long mt = q.messages.get(i).type;
            if (typ == 0) {
                return i;
            }
            if (typ > 0) {
                if ((flg & MSG_EXCEPT) != 0 ? mt != typ : mt == typ) {
                    return i;
                }
            } else if (mt <= limit && (best < 0 || mt < q.messages.get(best).type)) {
                best = i;
            }
        }
        return best;
    }

    static long msgctl(Task t, int id, int cmd, long buf) {
        Kernel k = t.kernel;
        SysvIpc ipc = k.ipc;
        if (cmd < 0 || id < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        switch (cmd) {
            case SysvIpc.IPC_INFO:
            case MSG_INFO: {
                byte[] b = new byte[32];
                boolean info = cmd == MSG_INFO;
                long msgs = 0, bytes = 0;
                for (SysvIpc.Obj o : ipc.msg.all()) {
                    msgs += ((Queue) o).messages.size();
                    bytes += ((Queue) o).cbytes;
                }
                SysvIpc.put32(b, 0, info ? ipc.msg.byIndex.size() : (int) ((long) ipc.msgmni * ipc.msgmnb / 1024));
                SysvIpc.put32(b, 4, info ? (int) msgs : ipc.msgmnb);
                SysvIpc.put32(b, 8, ipc.msgmax);
                SysvIpc.put32(b, 12, ipc.msgmnb);
                SysvIpc.put32(b, 16, ipc.msgmni);
                SysvIpc.put32(b, 20, MSGSSZ);
                SysvIpc.put32(b, 24, info ? (int) bytes : ipc.msgmnb);
                b[28] = (byte) 0xff;
                b[29] = (byte) 0xff;
                UserMemory.write(t, buf, b);
                return ipc.msg.maxIndex();
            }
            case SysvIpc.IPC_STAT:
            case MSG_STAT:
            case MSG_STAT_ANY: {
                Queue q = (Queue) (cmd == SysvIpc.IPC_STAT ? SysvIpc.lookup(ipc.msg, id) : SysvIpc.atIndex(ipc.msg, id));
                if (cmd != MSG_STAT_ANY && !SysvIpc.permitted(t, q, 4)) {
                    throw new SyscallError(Errno.EACCES);
                }
                byte[] b = new byte[120];
                SysvIpc.putPerm(b, q);
                SysvIpc.put64(b, 48, q.stimeSec);
                SysvIpc.put64(b, 56, q.rtimeSec);
                SysvIpc.put64(b, 64, q.ctimeSec);
                SysvIpc.put64(b, 72, q.cbytes);
                SysvIpc.put64(b, 80, q.messages.size());
                SysvIpc.put64(b, 88, q.qbytes);
                SysvIpc.put32(b, 96, q.lspid);
                SysvIpc.put32(b, 100, q.lrpid);
                UserMemory.write(t, buf, b);
                return cmd == SysvIpc.IPC_STAT ? 0 : q.id;
            }
            case SysvIpc.IPC_SET: {
                byte[] b = UserMemory.read(t, buf, 120);
                Queue q = (Queue) SysvIpc.lookup(ipc.msg, id);
                SysvIpc.requireOwner(t, q);
                long qbytes = SysvIpc.get64(b, 88);
                if (Long.compareUnsigned(qbytes, ipc.msgmnb) > 0 && t.cred().euid != 0) {
                    throw new SyscallError(Errno.EPERM);
                }
                SysvIpc.setPerm(t, q, b);
                q.qbytes = qbytes;
                q.queue.wakeAll(); // senders may fit now
                return 0;
            }
            case SysvIpc.IPC_RMID: {
                Queue q = (Queue) SysvIpc.lookup(ipc.msg, id);
                SysvIpc.requireOwner(t, q);
                ipc.msg.remove(q);
                q.queue.wakeAll(); // waiters see EIDRM
                return 0;
            }
            default:
                throw new SyscallError(Errno.EINVAL);
        }
    }
}
