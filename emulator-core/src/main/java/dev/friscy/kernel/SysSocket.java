package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.FileDescription;
import dev.friscy.fs.OpenFlags;
import dev.friscy.fs.UnixSocket;
import dev.friscy.mem.IoBuffer;

/**
 * Sockets. Only connected AF_UNIX pairs (socketpair) exist: socket(2) fails EAFNOSUPPORT for
 * every family, because nothing here can bind, listen or reach a network. The data calls
 * (send/recv and their msg forms, shutdown, the common socket options) work on the pairs.
 */
final class SysSocket {
    static final int AF_UNIX = 1;
    static final int AF_MAX = 46;
    static final int SOCK_TYPE_MASK = 0xf;
    static final int SOCK_NONBLOCK = OpenFlags.O_NONBLOCK;
    static final int SOCK_CLOEXEC = OpenFlags.O_CLOEXEC;
    static final int MSG_OOB = 1, MSG_PEEK = 2, MSG_TRUNC = 0x20, MSG_DONTWAIT = 0x40, MSG_WAITALL = 0x100,
            MSG_NOSIGNAL = 0x4000, MSG_CMSG_CLOEXEC = 0x40000000, MSG_CTRUNC = 8;
    static final int SOL_SOCKET = 1;
    static final int SO_TYPE = 3, SO_ERROR = 4, SO_SNDBUF = 7, SO_RCVBUF = 8, SO_PASSCRED = 16, SO_PEERCRED = 17,
            SO_ACCEPTCONN = 30, SO_SNDBUFFORCE = 32, SO_RCVBUFFORCE = 33, SO_PROTOCOL = 38, SO_DOMAIN = 39;

    private SysSocket() {
    }

    static long sys_socket(Task task, long domain, long type, long proto, long a3, long a4, long a5) {
        return socket(task, (int) domain, (int) type, (int) proto);
    }

    static long sys_socketpair(Task task, long domain, long type, long proto, long sv, long a4, long a5) {
        return socketpair(task, (int) domain, (int) type, (int) proto, sv);
    }

    static long sys_bind(Task task, long fd, long addr, long len, long a3, long a4, long a5) {
        sock(task, (int) fd);
        throw new SyscallError(Errno.EOPNOTSUPP); // no socket files: nothing can be bound
    }

    static long sys_listen(Task task, long fd, long backlog, long a2, long a3, long a4, long a5) {
        UnixSocket s = sock(task, (int) fd);
        // Linux: a dgram socket cannot listen; a stream socket without an address cannot either
        throw new SyscallError(s.type == UnixSocket.SOCK_DGRAM ? Errno.EOPNOTSUPP : Errno.EINVAL);
    }

    static long sys_accept(Task task, long fd, long addr, long len, long a3, long a4, long a5) {
        return accept(task, (int) fd);
    }

    static long sys_accept4(Task task, long fd, long addr, long len, long flags, long a4, long a5) {
        return accept(task, (int) fd);
    }

    static long sys_connect(Task task, long fd, long addr, long len, long a3, long a4, long a5) {
        UnixSocket s = sock(task, (int) fd);
        throw new SyscallError(s.type == UnixSocket.SOCK_DGRAM ? Errno.EOPNOTSUPP : Errno.EISCONN);
    }

    static long sys_getsockname(Task task, long fd, long addr, long len, long a3, long a4, long a5) {
        sock(task, (int) fd);
        return putUnnamed(task, addr, len);
    }

    static long sys_getpeername(Task task, long fd, long addr, long len, long a3, long a4, long a5) {
        sock(task, (int) fd);
        return putUnnamed(task, addr, len);
    }

    static long sys_sendto(Task task, long fd, long buf, long len, long flags, long addr, long alen) {
        return sendto(task, (int) fd, buf, len, (int) flags, addr);
    }

    static long sys_recvfrom(Task task, long fd, long buf, long len, long flags, long addr, long alen) {
        return recvfrom(task, (int) fd, buf, len, (int) flags, addr, alen);
    }

    static long sys_setsockopt(Task task, long fd, long level, long name, long val, long len, long a5) {
        return setsockopt(task, (int) fd, (int) level, (int) name, val, len);
    }

    static long sys_getsockopt(Task task, long fd, long level, long name, long val, long len, long a5) {
        return getsockopt(task, (int) fd, (int) level, (int) name, val, len);
    }

    static long sys_shutdown(Task task, long fd, long how, long a2, long a3, long a4, long a5) {
        sock(task, (int) fd).shutdown((int) how);
        return 0;
    }

    static long sys_sendmsg(Task task, long fd, long msg, long flags, long a3, long a4, long a5) {
        return sendmsg(task, (int) fd, msg, (int) flags);
    }

    static long sys_recvmsg(Task task, long fd, long msg, long flags, long a3, long a4, long a5) {
        return recvmsg(task, (int) fd, msg, (int) flags);
    }

    static UnixSocket sock(Task t, int fd) {
        FileDescription f = t.files.get(fd);
        if (!(f instanceof UnixSocket)) {
            throw new SyscallError(Errno.ENOTSOCK);
        }
        return (UnixSocket) f;
    }

    static long socket(Task t, int domain, int type, int proto) {
        if ((type & ~(SOCK_TYPE_MASK | SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (domain < 0 || domain >= AF_MAX) {
            throw new SyscallError(Errno.EAFNOSUPPORT);
        }
        // no networking, and AF_UNIX sockets can only be made connected, in pairs (socketpair)
        throw new SyscallError(Errno.EAFNOSUPPORT);
    }

    static long socketpair(Task t, int domain, int type, int proto, long sv) {
        if ((type & ~(SOCK_TYPE_MASK | SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (domain != AF_UNIX) {
            throw new SyscallError(Errno.EAFNOSUPPORT);
        }
        if (proto != 0 && proto != AF_UNIX) {
            throw new SyscallError(Errno.EPROTONOSUPPORT);
        }
        int kind = type & SOCK_TYPE_MASK;
        if (kind == 3) {
            kind = UnixSocket.SOCK_DGRAM; // Linux treats SOCK_RAW as SOCK_DGRAM for AF_UNIX
        }
        if (kind != UnixSocket.SOCK_STREAM && kind != UnixSocket.SOCK_DGRAM && kind != UnixSocket.SOCK_SEQPACKET) {
            throw new SyscallError(94); // ESOCKTNOSUPPORT
        }
        UnixSocket[] p = UnixSocket.pair(kind, type & SOCK_NONBLOCK);
        for (UnixSocket s : p) {
            s.credPid = t.pid();
            s.credUid = t.cred().euid;
            s.credGid = t.cred().egid;
        }
        SysPipe.installPair(t, p[0], p[1], (type & SOCK_CLOEXEC) != 0, sv);
        return 0;
    }

    static long accept(Task t, int fd) {
        UnixSocket s = sock(t, fd);
        throw new SyscallError(s.type == UnixSocket.SOCK_DGRAM ? Errno.EOPNOTSUPP : Errno.EINVAL);
    }

    /** An unnamed AF_UNIX address: just the family (Linux reports length 2). */
    static long putUnnamed(Task t, long addr, long lenAddr) {
        int len = UserMemory.load32(t, lenAddr);
        if (len < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        byte[] b = {(byte) AF_UNIX, 0};
        UserMemory.write(t, addr, b, 0, Math.min(len, 2));
        UserMemory.store32(t, lenAddr, 2);
        return 0;
    }

    private static boolean nonblock(FileDescription f, int flags) {
        return (flags & MSG_DONTWAIT) != 0 || (f.flags & OpenFlags.O_NONBLOCK) != 0;
    }

    /** Sends {@code b}; waiting and SIGPIPE as every write ({@link SysFile#writeFailed}). */
    private static long send(Task t, UnixSocket s, byte[] b, int flags) {
        if ((flags & MSG_OOB) != 0) {
            throw new SyscallError(Errno.EOPNOTSUPP);
        }
        boolean nb = nonblock(s, flags);
        IoBuffer src = IoBuffer.of(b);
        SysFile.resume(t, src);
        try {
            return s.send(src, nb);
        } catch (SyscallError e) {
            return SysFile.writeFailed(t, s, src, e, nb, (flags & MSG_NOSIGNAL) == 0);
        }
    }

    static long sendto(Task t, int fd, long buf, long len, int flags, long addr) {
        UnixSocket s = sock(t, fd);
        if (addr != 0) {
            throw new SyscallError(s.type == UnixSocket.SOCK_DGRAM ? Errno.EOPNOTSUPP : Errno.EISCONN);
        }
        if (len < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        byte[] b = UserMemory.read(t, buf, (int) Math.min(len, SysFile.CHUNK));
        return send(t, s, b, flags);
    }

    /**
     * Receives into a kernel buffer of {@code len} bytes and hands the bytes to {@code sink};
     * with MSG_WAITALL on a stream, keeps going (across blocks) until {@code len} bytes came.
     * Returns the count, or BLOCKED. {@code trunc[0]} gets the full length of a cut datagram.
     */
    private static long receive(Task t, UnixSocket s, int len, int flags, Sink sink, int[] trunc) {
        FileDescription[][] got = new FileDescription[1][];
        long r = receive(t, s, len, flags, sink, trunc, got);
        drop(got[0]); // recv/recvfrom have nowhere to put passed descriptions: Linux closes them
        return r;
    }

    private static long receive(Task t, UnixSocket s, int len, int flags, Sink sink, int[] trunc,
            FileDescription[][] got) {
        if ((flags & MSG_OOB) != 0) {
            throw new SyscallError(Errno.EOPNOTSUPP);
        }
        boolean peek = (flags & MSG_PEEK) != 0;
        boolean waitAll = (flags & MSG_WAITALL) != 0 && !peek && s.type == UnixSocket.SOCK_STREAM;
        boolean nb = nonblock(s, flags);
        int done = t.restarting ? Math.max(0, Math.min(t.restart.transferred, len)) : 0;
        byte[] b = new byte[len - done];
        int n;
        int full = -1;
        try {
            full = s.truncatedLength(b.length);
            n = s.receive(b, 0, b.length, peek, got);
        } catch (SyscallError e) {
            if (e.errno != Errno.EAGAIN) {
                if (done > 0) {
                    return done;
                }
                throw e;
            }
            if (nb) {
                if (done > 0) {
                    return done;
                }
                throw e;
            }
            t.restart.transferred = done;
            return t.kernel.block(t, -1, s.waitQueue());
        }
        trunc[0] = full;
        sink.take(b, n, done);
        done += n;
        if (waitAll && n > 0 && done < len && got[0] == null) {
            t.restart.transferred = done;
            return t.kernel.block(t, -1, s.waitQueue());
        }
        if (full >= 0 && (flags & MSG_TRUNC) != 0) {
            return full;
        }
        return done;
    }

    /** Where received bytes go: {@code n} bytes of {@code b} belong at offset {@code at}. */
    private interface Sink {
        void take(byte[] b, int n, int at);
    }

    static long recvfrom(Task t, int fd, long buf, long len, int flags, long addr, long alen) {
        UnixSocket s = sock(t, fd);
        if (len < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        int n = (int) Math.min(len, SysFile.CHUNK);
        long r = receive(t, s, n, flags, (b, k, at) -> UserMemory.write(t, buf + at, b, 0, k), new int[] {-1});
        if (r != SyscallTable.BLOCKED && addr != 0 && alen != 0) {
            UserMemory.store32(t, alen, 0); // the peer is unnamed: no address to report
        }
        return r;
    }

    static final int SCM_RIGHTS = 1, SCM_CREDENTIALS = 2;
    /** Linux's limit on descriptions in one SCM_RIGHTS message. */
    static final int SCM_MAX_FD = 253;

    static long sendmsg(Task t, int fd, long msg, int flags) {
        UnixSocket s = sock(t, fd);
        long name = UserMemory.load64(t, msg);
        long iov = UserMemory.load64(t, msg + 16);
        long iovlen = UserMemory.load64(t, msg + 24);
        long control = UserMemory.load64(t, msg + 32);
        long controllen = UserMemory.load64(t, msg + 40);
        if (name != 0) {
            throw new SyscallError(s.type == UnixSocket.SOCK_DGRAM ? Errno.EOPNOTSUPP : Errno.EISCONN);
        }
        // a re-run after a partial blocking send has attached its descriptions already
        boolean first = !(t.restarting && t.restart.transferred > 0);
        FileDescription[] files = controllen != 0 && first ? rightsFrom(t, control, controllen) : null;
        byte[] b = SysFile.gather(t, iov, iovlen);
        long before = s.out.produced;
        long r;
        try {
            r = send(t, s, b, flags);
        } catch (SyscallError e) {
            drop(files);
            throw e;
        }
        long moved = s.out.produced - before;
        if (files != null) {
            if (moved > 0 || (s.type != UnixSocket.SOCK_STREAM && r >= 0 && r != SyscallTable.BLOCKED)) {
                s.attachRights(before, before + moved, files);
            } else {
                drop(files); // nothing went: a re-run will read the control data again
            }
        }
        return r;
    }

    private static void drop(FileDescription[] files) {
        if (files != null) {
            for (FileDescription f : files) {
                f.decRef();
            }
        }
    }

    /** The descriptions named by SCM_RIGHTS control messages, one reference each; null if none. */
    private static FileDescription[] rightsFrom(Task t, long control, long controllen) {
        if (controllen < 0 || controllen > 1 << 20) {
            throw new SyscallError(Errno.EINVAL);
        }
        byte[] c = UserMemory.read(t, control, (int) controllen);
        java.util.ArrayList<Integer> fds = new java.util.ArrayList<>();
        int o = 0;
        while (o + 16 <= c.length) {
            long len = SignalFrame.getLong(c, o);
            int level = SignalFrame.getInt(c, o + 8);
            int type = SignalFrame.getInt(c, o + 12);
            if (len < 16 || len > c.length - o) {
                throw new SyscallError(Errno.EINVAL);
            }
            if (level != SOL_SOCKET) {
                throw new SyscallError(Errno.EINVAL);
            }
            if (type == SCM_RIGHTS) {
                for (int i = 16; i + 4 <= len; i += 4) {
                    fds.add(SignalFrame.getInt(c, o + i));
                }
            } else if (type == SCM_CREDENTIALS) {
                throw new SyscallError(Errno.EOPNOTSUPP); // credential passing is not implemented
            } else {
                throw new SyscallError(Errno.EINVAL);
            }
            o += (int) ((len + 7) & ~7L);
        }
        if (fds.isEmpty()) {
            return null;
        }
        if (fds.size() > SCM_MAX_FD) {
            throw new SyscallError(Errno.EINVAL);
        }
        FileDescription[] files = new FileDescription[fds.size()];
        for (int i = 0; i < files.length; i++) {
            files[i] = t.files.get(fds.get(i));
        }
        for (FileDescription f : files) {
            f.incRef();
        }
        return files;
    }

    static long recvmsg(Task t, int fd, long msg, int flags) {
        UnixSocket s = sock(t, fd);
        long iov = UserMemory.load64(t, msg + 16);
        long iovlen = UserMemory.load64(t, msg + 24);
        long control = UserMemory.load64(t, msg + 32);
        long controllen = UserMemory.load64(t, msg + 40);
        int n = (int) SysFile.iovTotal(t, iov, iovlen);
        int[] trunc = {-1};
        FileDescription[][] got = new FileDescription[1][];
        long r = receive(t, s, n, flags, (b, k, at) -> scatterAt(t, iov, iovlen, b, k, at), trunc, got);
        if (r == SyscallTable.BLOCKED) {
            return r;
        }
        int msgFlags = trunc[0] >= 0 ? MSG_TRUNC : 0;
        long used = 0;
        if (got[0] != null) {
            FileDescription[] files = got[0];
            int room = controllen >= 16 ? (int) Math.min((controllen - 16) / 4, files.length) : 0;
            int[] fds = new int[room];
            int k = 0;
            try {
                for (; k < room; k++) {
                    fds[k] = t.files.install(files[k], 0, (flags & MSG_CMSG_CLOEXEC) != 0);
                }
            } catch (SyscallError e) {
                // out of fds: what did not fit is closed, as Linux does
            }
            for (int i = k; i < files.length; i++) {
                files[i].decRef();
            }
            if (k < files.length) {
                msgFlags |= MSG_CTRUNC;
            }
            if (k > 0) {
                byte[] c = new byte[16 + 4 * k];
                SignalFrame.putLong(c, 0, 16 + 4L * k);
                SignalFrame.putInt(c, 8, SOL_SOCKET);
                SignalFrame.putInt(c, 12, SCM_RIGHTS);
                for (int i = 0; i < k; i++) {
                    SignalFrame.putInt(c, 16 + 4 * i, fds[i]);
                }
                UserMemory.write(t, control, c);
                used = Math.min((16 + 4L * k + 7) & ~7L, controllen);
            }
        }
        UserMemory.store32(t, msg + 8, 0); // msg_namelen: the peer is unnamed
        UserMemory.store64(t, msg + 40, used);
        UserMemory.store32(t, msg + 48, msgFlags);
        return r;
    }

    /** Scatters {@code n} bytes over the iovecs, starting {@code at} bytes into them. */
    private static void scatterAt(Task t, long iov, long cnt, byte[] b, int n, int at) {
        int off = 0;
        long skip = at;
        for (int i = 0; i < cnt && off < n; i++) {
            long base = UserMemory.load64(t, iov + 16L * i);
            long len = UserMemory.load64(t, iov + 16L * i + 8);
            if (skip >= len) {
                skip -= len;
                continue;
            }
            int k = (int) Math.min(len - skip, n - off);
            UserMemory.write(t, base + skip, b, off, k);
            skip = 0;
            off += k;
        }
    }

    static long setsockopt(Task t, int fd, int level, int name, long val, long len) {
        UnixSocket s = sock(t, fd);
        if (level != SOL_SOCKET) {
            throw new SyscallError(Errno.EOPNOTSUPP);
        }
        if (len < 4) {
            throw new SyscallError(Errno.EINVAL);
        }
        int v = UserMemory.load32(t, val);
        switch (name) {
            case SO_SNDBUF:
            case SO_SNDBUFFORCE:
                s.out.setCapacity(clampBuffer(v), true);
                return 0;
            case SO_RCVBUF:
            case SO_RCVBUFFORCE:
                s.in.setCapacity(clampBuffer(v), true);
                return 0;
            case SO_PASSCRED:
                s.passCred = v != 0;
                return 0;
            default:
                throw new SyscallError(Errno.ENOPROTOOPT);
        }
    }

    /** Linux doubles the asked size and keeps it between its minimum and wmem_max. */
    private static int clampBuffer(int v) {
        long d = Math.max(2L * Math.max(v, 0), 4608);
        return (int) Math.min(d, UnixSocket.DEFAULT_BUFFER);
    }

    static long getsockopt(Task t, int fd, int level, int name, long val, long lenAddr) {
        UnixSocket s = sock(t, fd);
        if (level != SOL_SOCKET) {
            throw new SyscallError(Errno.EOPNOTSUPP);
        }
        int len = UserMemory.load32(t, lenAddr);
        if (len < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        byte[] out;
        switch (name) {
            case SO_PEERCRED: {
                UnixSocket p = s.peer();
                out = new byte[12];
                SignalFrame.putInt(out, 0, p.credPid);
                SignalFrame.putInt(out, 4, p.credUid);
                SignalFrame.putInt(out, 8, p.credGid);
                break;
            }
            default:
                out = new byte[4];
                SignalFrame.putInt(out, 0, intOption(s, name));
        }
        int n = Math.min(len, out.length);
        UserMemory.write(t, val, out, 0, n);
        UserMemory.store32(t, lenAddr, n);
        return 0;
    }

    private static int intOption(UnixSocket s, int name) {
        switch (name) {
            case SO_TYPE:
                return s.type;
            case SO_ERROR:
            case SO_ACCEPTCONN:
            case SO_PROTOCOL:
                return 0;
            case SO_DOMAIN:
                return AF_UNIX;
            case SO_SNDBUF:
                return s.out.capacity();
            case SO_RCVBUF:
                return s.in.capacity();
            case SO_PASSCRED:
                return s.passCred ? 1 : 0;
            default:
                throw new SyscallError(Errno.ENOPROTOOPT);
        }
    }
}
