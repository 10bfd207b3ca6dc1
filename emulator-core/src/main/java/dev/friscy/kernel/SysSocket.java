package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.FileDescription;
import dev.friscy.fs.OpenFlags;
import dev.friscy.mem.IoBuffer;
import dev.friscy.net.Ancillary;
import dev.friscy.net.DgramSocket;
import dev.friscy.net.NetlinkSocket;
import dev.friscy.net.SockAddr;
import dev.friscy.net.Socket;
import dev.friscy.net.SocketOptions;
import dev.friscy.net.StreamSocket;
import dev.friscy.waiter.WaitQueue;

/**
 * The socket system calls: socket, socketpair, bind, listen, accept/accept4, connect,
 * getsockname/getpeername, send/recv in all their forms, shutdown, the socket options.
 * This layer reads and writes guest memory (addresses, msghdr, control messages) and does
 * the waiting; the sockets themselves are in dev.friscy.net: {@link StreamSocket} (AF_UNIX
 * streams and seqpackets, TCP), {@link DgramSocket} (AF_UNIX datagrams, UDP), and the names
 * and ports in {@link dev.friscy.net.Network}.
 */
final class SysSocket {
    static final int AF_UNIX = SockAddr.AF_UNIX, AF_INET = SockAddr.AF_INET, AF_INET6 = SockAddr.AF_INET6;
    static final int AF_MAX = 46;
    static final int SOCK_TYPE_MASK = 0xf;
    static final int SOCK_NONBLOCK = OpenFlags.O_NONBLOCK;
    static final int SOCK_CLOEXEC = OpenFlags.O_CLOEXEC;
    static final int ESOCKTNOSUPPORT = 94;
    static final int SOL_SOCKET = SocketOptions.SOL_SOCKET;
    static final int SCM_RIGHTS = 1, SCM_CREDENTIALS = 2;
    /** Linux's limit on descriptions in one SCM_RIGHTS message. */
    static final int SCM_MAX_FD = 253;
    /** sizeof(struct sockaddr_storage): the longest address a call takes. */
    static final int MAX_ADDR = 128;
    static final int MSG_WAITFORONE = 0x10000;

    private SysSocket() {
    }

    static long sys_socket(Task task, long domain, long type, long proto, long a3, long a4, long a5) {
        return socket(task, (int) domain, (int) type, (int) proto);
    }

    static long sys_socketpair(Task task, long domain, long type, long proto, long sv, long a4, long a5) {
        return socketpair(task, (int) domain, (int) type, (int) proto, sv);
    }

    static long sys_bind(Task task, long fd, long addr, long len, long a3, long a4, long a5) {
        Socket s = sock(task, (int) fd);
        s.bind(task, address(task, s, addr, len));
        return 0;
    }

    static long sys_listen(Task task, long fd, long backlog, long a2, long a3, long a4, long a5) {
        Socket s = sock(task, (int) fd);
        boolean was = s.listening();
        s.listen(task, (int) backlog);
        if (!was && s.isInet()) {
            // a process event, so that a page can offer the port (a guest's dev server)
            Kernel k = task.kernel;
            int pid = task.pid();
            String addr = s.local.ipString();
            int port = s.local.port;
            k.events.listen(k.uptimeMs(), pid, addr, port);
            s.onRelease = () -> k.events.unlisten(k.uptimeMs(), pid, addr, port);
        }
        return 0;
    }

    static long sys_accept(Task task, long fd, long addr, long len, long a3, long a4, long a5) {
        return accept(task, (int) fd, addr, len, 0);
    }

    static long sys_accept4(Task task, long fd, long addr, long len, long flags, long a4, long a5) {
        return accept(task, (int) fd, addr, len, (int) flags);
    }

    static long sys_connect(Task task, long fd, long addr, long len, long a3, long a4, long a5) {
        return connect(task, (int) fd, addr, len);
    }

    static long sys_getsockname(Task task, long fd, long addr, long len, long a3, long a4, long a5) {
        Socket s = sock(task, (int) fd);
        return putAddress(task, s.name().as(s.family), addr, len);
    }

    static long sys_getpeername(Task task, long fd, long addr, long len, long a3, long a4, long a5) {
        Socket s = sock(task, (int) fd);
        return putAddress(task, s.peerName(), addr, len);
    }

    static long sys_sendto(Task task, long fd, long buf, long len, long flags, long addr, long alen) {
        return sendto(task, (int) fd, buf, len, (int) flags, addr, alen);
    }

    static long sys_recvfrom(Task task, long fd, long buf, long len, long flags, long addr, long alen) {
        return recvfrom(task, (int) fd, buf, len, (int) flags, addr, alen);
    }

    static long sys_setsockopt(Task task, long fd, long level, long name, long val, long len, long a5) {
        Socket s = sock(task, (int) fd);
        if (len < 0 || len > 4096) {
            throw new SyscallError(Errno.EINVAL);
        }
        SocketOptions.set(s, (int) level, (int) name, UserMemory.read(task, val, (int) len), task.cred().euid == 0);
        return 0;
    }

    static long sys_getsockopt(Task task, long fd, long level, long name, long val, long lenAddr, long a5) {
        Socket s = sock(task, (int) fd);
        int len = UserMemory.load32(task, lenAddr);
        if (len < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        byte[] out = SocketOptions.get(s, (int) level, (int) name);
        int n = Math.min(len, out.length);
        UserMemory.write(task, val, out, 0, n);
        UserMemory.store32(task, lenAddr, n);
        return 0;
    }

    static long sys_shutdown(Task task, long fd, long how, long a2, long a3, long a4, long a5) {
        sock(task, (int) fd).shutdown((int) how);
        return 0;
    }

    static long sys_sendmsg(Task task, long fd, long msg, long flags, long a3, long a4, long a5) {
        return sendmsg(task, sock(task, (int) fd), msg, (int) flags);
    }

    static long sys_recvmsg(Task task, long fd, long msg, long flags, long a3, long a4, long a5) {
        return recvmsg(task, sock(task, (int) fd), msg, (int) flags);
    }

    static long sys_sendmmsg(Task task, long fd, long vec, long vlen, long flags, long a4, long a5) {
        return sendmmsg(task, (int) fd, vec, (int) vlen, (int) flags);
    }

    static long sys_recvmmsg(Task task, long fd, long vec, long vlen, long flags, long timeout, long a5) {
        return recvmmsg(task, (int) fd, vec, (int) vlen, (int) flags, timeout);
    }

    // ------------------------------------------------------------------ creating

    static Socket sock(Task t, int fd) {
        FileDescription f = t.files.get(fd);
        if (!(f instanceof Socket)) {
            throw new SyscallError(Errno.ENOTSOCK);
        }
        return (Socket) f;
    }

    /** The socket type socket(2)/socketpair(2) ask for, checked; SOCK_RAW is a datagram socket for AF_UNIX. */
    private static int kind(int domain, int type, int proto) {
        if ((type & ~(SOCK_TYPE_MASK | SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (domain < 0 || domain >= AF_MAX) {
            throw new SyscallError(Errno.EAFNOSUPPORT);
        }
        int kind = type & SOCK_TYPE_MASK;
        if (domain == AF_UNIX) {
            if (proto != 0 && proto != AF_UNIX) {
                throw new SyscallError(Errno.EPROTONOSUPPORT);
            }
            if (kind == Socket.SOCK_RAW) {
                kind = Socket.SOCK_DGRAM; // Linux treats SOCK_RAW as SOCK_DGRAM for AF_UNIX
            }
            if (kind != Socket.SOCK_STREAM && kind != Socket.SOCK_DGRAM && kind != Socket.SOCK_SEQPACKET) {
                throw new SyscallError(ESOCKTNOSUPPORT);
            }
            return kind;
        }
        if (domain == SockAddr.AF_NETLINK) {
            if (kind != Socket.SOCK_RAW && kind != Socket.SOCK_DGRAM) {
                throw new SyscallError(ESOCKTNOSUPPORT);
            }
            if (proto != NetlinkSocket.NETLINK_ROUTE) {
                throw new SyscallError(Errno.EPROTONOSUPPORT); // only the interface listing is here
            }
            return kind;
        }
        if (domain != AF_INET && domain != AF_INET6) {
            throw new SyscallError(Errno.EAFNOSUPPORT); // packet, bluetooth, ...: not here
        }
        switch (kind) {
            case Socket.SOCK_STREAM:
                if (proto != 0 && proto != Socket.IPPROTO_TCP) {
                    throw new SyscallError(Errno.EPROTONOSUPPORT);
                }
                return kind;
            case Socket.SOCK_DGRAM:
                if (proto == 1 || proto == 58) {
                    throw new SyscallError(Errno.EACCES); // ping sockets: net.ipv4.ping_group_range admits nobody
                }
                if (proto != 0 && proto != Socket.IPPROTO_UDP) {
                    throw new SyscallError(Errno.EPROTONOSUPPORT);
                }
                return kind;
            case Socket.SOCK_RAW:
                throw new SyscallError(Errno.EPROTONOSUPPORT); // no raw packets
            default:
                throw new SyscallError(ESOCKTNOSUPPORT);
        }
    }

    static long socket(Task t, int domain, int type, int proto) {
        int kind = kind(domain, type, proto);
        Socket s = domain == SockAddr.AF_NETLINK ? new NetlinkSocket(t.kernel.net, kind, type & SOCK_NONBLOCK)
                : kind == Socket.SOCK_DGRAM ? new DgramSocket(t.kernel.net, domain, proto, type & SOCK_NONBLOCK)
                : new StreamSocket(t.kernel.net, domain, kind, proto, type & SOCK_NONBLOCK);
        s.setCred(t);
        try {
            return t.files.install(s, 0, (type & SOCK_CLOEXEC) != 0);
        } catch (SyscallError e) {
            s.decRef();
            throw e;
        }
    }

    static long socketpair(Task t, int domain, int type, int proto, long sv) {
        if ((type & ~(SOCK_TYPE_MASK | SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (domain == AF_INET || domain == AF_INET6) {
            kind(domain, type, proto);
            throw new SyscallError(Errno.EOPNOTSUPP); // internet sockets come in pairs only by connecting
        }
        if (domain != AF_UNIX) {
            throw new SyscallError(domain == SockAddr.AF_NETLINK ? Errno.EOPNOTSUPP : Errno.EAFNOSUPPORT);
        }
        int kind = kind(domain, type, proto);
        Socket[] p = kind == Socket.SOCK_DGRAM ? DgramSocket.pair(t.kernel.net, type & SOCK_NONBLOCK, t)
                : StreamSocket.pair(t.kernel.net, kind, type & SOCK_NONBLOCK, t);
        SysPipe.installPair(t, p[0], p[1], (type & SOCK_CLOEXEC) != 0, sv);
        return 0;
    }

    // ------------------------------------------------------------------ addresses

    /** The guest's sockaddr at {@code addr}, parsed for {@code s}'s family. */
    static SockAddr address(Task t, Socket s, long addr, long len) {
        if (len < 0 || len > MAX_ADDR) {
            throw new SyscallError(Errno.EINVAL);
        }
        byte[] b = UserMemory.read(t, addr, (int) len);
        return SockAddr.parse(b, (int) len, s.family);
    }

    /** Stores an address the way Linux does: as much as fits, and the full length in *lenAddr. */
    static long putAddress(Task t, SockAddr a, long addr, long lenAddr) {
        int len = UserMemory.load32(t, lenAddr);
        if (len < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        byte[] b = a.encode();
        UserMemory.write(t, addr, b, 0, Math.min(len, b.length));
        UserMemory.store32(t, lenAddr, b.length);
        return 0;
    }

    // ------------------------------------------------------------------ waiting

    private static boolean nonblock(FileDescription f, int flags) {
        return (flags & Socket.MSG_DONTWAIT) != 0 || (f.flags & OpenFlags.O_NONBLOCK) != 0;
    }

    /**
     * Parks the caller on the socket (and whatever else it waits for), with SO_RCVTIMEO or
     * SO_SNDTIMEO as the deadline; once that passes the call answers EAGAIN, as Linux's does.
     */
    private static long park(Task t, Socket s, boolean send) {
        long timeo = SocketOptions.timeout(s, send);
        long deadline = -1;
        if (timeo > 0) {
            if (!t.restarting || t.restart.timeout == 0) {
                t.restart.timeout = t.kernel.nowNs() + timeo;
            }
            deadline = t.restart.timeout;
            if (t.timedOut || t.kernel.nowNs() >= deadline) {
                return -Errno.EAGAIN;
            }
        }
        WaitQueue other = s.blockedOn();
        return other == null ? t.kernel.block(t, deadline, s.waitQueue())
                : t.kernel.block(t, deadline, s.waitQueue(), other);
    }

    // ------------------------------------------------------------------ connecting

    static long accept(Task t, int fd, long addr, long lenAddr, int flags) {
        if ((flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        Socket s = sock(t, fd);
        Socket c;
        try {
            c = s.accept(t, flags & SOCK_NONBLOCK);
        } catch (SyscallError e) {
            if (e.errno == Errno.EAGAIN && !nonblock(s, 0)) {
                return park(t, s, false);
            }
            throw e;
        }
        int nfd;
        try {
            nfd = t.files.install(c, 0, (flags & SOCK_CLOEXEC) != 0);
        } catch (SyscallError e) {
            c.decRef(); // the connection is lost, as on Linux when the fd table is full
            throw e;
        }
        if (addr != 0) {
            try {
                putAddress(t, c.peerName().as(c.family), addr, lenAddr);
            } catch (SyscallError e) {
                t.files.close(nfd);
                throw e;
            }
        }
        return nfd;
    }

    static long connect(Task t, int fd, long addr, long len) {
        Socket s = sock(t, fd);
        if (len >= 2 && s instanceof DgramSocket) {
            int fam = UserMemory.load32(t, addr) & 0xffff;
            if (fam == SockAddr.AF_UNSPEC) {
                ((DgramSocket) s).disconnect();
                return 0;
            }
        }
        SockAddr a = address(t, s, addr, len);
        try {
            s.connect(t, a, nonblock(s, 0));
            return 0;
        } catch (SyscallError e) {
            if (e.errno == Errno.EAGAIN && !nonblock(s, 0)) {
                long r = park(t, s, true);
                // SO_SNDTIMEO ran out: a TCP connect goes on in the background (Linux: EINPROGRESS)
                return r == -Errno.EAGAIN && s.family != SockAddr.AF_UNIX ? -Errno.EINPROGRESS : r;
            }
            throw e;
        }
    }

    // ------------------------------------------------------------------ sending

    /** Sends {@code src}; waiting, SO_SNDTIMEO and SIGPIPE as for every write. */
    private static long send(Task t, Socket s, IoBuffer src, int flags, SockAddr to, Ancillary anc) {
        boolean urgent = (flags & Socket.MSG_OOB) != 0;
        if (urgent && !s.takesUrgent()) {
            throw new SyscallError(Errno.EOPNOTSUPP); // only TCP has urgent data
        }
        boolean nb = nonblock(s, flags);
        SysFile.resume(t, src);
        try {
            int n = s.send(t, src, flags, to, anc, nb);
            if (urgent) {
                s.sendUrgent(t, n); // the last byte sent is the urgent one
            }
            return n;
        } catch (SyscallError e) {
            if (e.errno == Errno.EAGAIN && !nb) {
                t.restart.transferred = src.position();
                return park(t, s, true);
            }
            if (e.errno == Errno.EAGAIN && src.position() > 0) {
                if (urgent) {
                    s.sendUrgent(t, src.position());
                }
                return src.position();
            }
            if (e.errno == Errno.EPIPE && (flags & Socket.MSG_NOSIGNAL) == 0) {
                SignalDelivery.sendToTask(t.kernel, t, SigInfo.of(Signals.SIGPIPE, SigInfo.SI_USER));
            }
            throw e;
        }
    }

    static long sendto(Task t, int fd, long buf, long len, int flags, long addr, long alen) {
        Socket s = sock(t, fd);
        SockAddr to = addr != 0 && alen != 0 ? address(t, s, addr, alen) : null;
        return send(t, s, IoBuffer.guest(t.mm, buf, UserRange.ioCount(buf, len)), flags, to, null);
    }

    static long sendmsg(Task t, Socket s, long msg, int flags) {
        long name = UserMemory.load64(t, msg);
        int namelen = UserMemory.load32(t, msg + 8);
        long iov = UserMemory.load64(t, msg + 16);
        long iovlen = UserMemory.load64(t, msg + 24);
        long control = UserMemory.load64(t, msg + 32);
        long controllen = UserMemory.load64(t, msg + 40);
        SockAddr to = name != 0 && namelen != 0 ? address(t, s, name, namelen) : null;
        byte[] b = SysFile.gather(t, iov, iovlen);
        // a re-run after a partial blocking send has handed over its control data already
        boolean first = !(t.restarting && t.restart.transferred > 0);
        Ancillary anc = controllen != 0 && first ? control(t, s, control, controllen) : null;
        try {
            return send(t, s, IoBuffer.of(b), flags, to, anc);
        } finally {
            if (anc != null) {
                anc.dropRights(); // not sent: a re-run reads the control data again
            }
        }
    }

    /** The control messages of a sendmsg: SCM_RIGHTS (one reference each) and SCM_CREDENTIALS, checked as Linux does. */
    private static Ancillary control(Task t, Socket s, long control, long controllen) {
        if (controllen < 0 || controllen > 1 << 20) {
            throw new SyscallError(Errno.ENOBUFS);
        }
        byte[] c = UserMemory.read(t, control, (int) controllen);
        java.util.ArrayList<Integer> fds = new java.util.ArrayList<>();
        Ancillary anc = new Ancillary();
        int o = 0;
        while (o + 16 <= c.length) {
            long len = SignalFrame.getLong(c, o);
            int level = SignalFrame.getInt(c, o + 8);
            int type = SignalFrame.getInt(c, o + 12);
            if (len < 16 || len > c.length - o) {
                throw new SyscallError(Errno.EINVAL);
            }
            if (level != SOL_SOCKET || s.isInet()) {
                throw new SyscallError(Errno.EINVAL); // internet sockets take no SOL_SOCKET control data here
            }
            if (type == SCM_RIGHTS) {
                for (int i = 16; i + 4 <= len; i += 4) {
                    fds.add(SignalFrame.getInt(c, o + i));
                }
            } else if (type == SCM_CREDENTIALS) {
                if (len != 28) {
                    throw new SyscallError(Errno.EINVAL);
                }
                int pid = SignalFrame.getInt(c, o + 16);
                int uid = SignalFrame.getInt(c, o + 20);
                int gid = SignalFrame.getInt(c, o + 24);
                Credentials cr = t.cred();
                boolean root = cr.isRoot();
                if (pid != t.pid() && !root
                        || uid != cr.uid && uid != cr.euid && uid != cr.suid && !root
                        || gid != cr.gid && gid != cr.egid && gid != cr.sgid && !root) {
                    throw new SyscallError(Errno.EPERM);
                }
                anc.setCred(pid, uid, gid);
            } else {
                throw new SyscallError(Errno.EINVAL);
            }
            o += (int) ((len + 7) & ~7L);
        }
        if (fds.size() > SCM_MAX_FD) {
            throw new SyscallError(Errno.EINVAL);
        }
        if (!fds.isEmpty()) {
            FileDescription[] files = new FileDescription[fds.size()];
            for (int i = 0; i < files.length; i++) {
                files[i] = t.files.get(fds.get(i));
            }
            for (FileDescription f : files) {
                f.incRef();
            }
            anc.rights = files;
        }
        return anc;
    }

    static long sendmmsg(Task t, int fd, long vec, int vlen, int flags) {
        Socket s = sock(t, fd);
        vlen = Math.min(Math.max(vlen, 0), IoVec.UIO_MAXIOV);
        int sent = 0;
        for (int i = 0; i < vlen; i++) {
            long m = vec + 64L * i;
            long r;
            try {
                // only the first message may wait: a re-run would send the earlier ones again
                r = sendmsg(t, s, m, sent == 0 ? flags : flags | Socket.MSG_DONTWAIT);
            } catch (SyscallError e) {
                if (sent > 0) {
                    return sent;
                }
                throw e;
            }
            if (r == SyscallTable.BLOCKED || r < 0) {
                return sent > 0 ? sent : r;
            }
            UserMemory.store32(t, m + 56, (int) r);
            sent++;
        }
        return sent;
    }

    // ------------------------------------------------------------------ receiving

    /**
     * Receives into a kernel buffer of {@code len} bytes and hands the bytes to {@code sink};
     * with MSG_WAITALL on a stream, keeps going (across blocks) until {@code len} bytes came.
     * Returns the count, or BLOCKED; {@code out} gets the sender and control data.
     */
    private static long receive(Task t, Socket s, int len, int flags, Sink sink, Ancillary out) {
        if ((flags & Socket.MSG_OOB) != 0 && s instanceof DgramSocket && s.family != SockAddr.AF_UNIX) {
            flags &= ~Socket.MSG_OOB; // Linux's UDP receives as if the flag were not there
        }
        if ((flags & Socket.MSG_OOB) != 0) {
            // TCP urgent data: the one marked byte, never waited for (EINVAL when there is none)
            int c = s.receiveUrgent((flags & Socket.MSG_PEEK) != 0);
            out.urgent = true;
            if (len > 0) {
                sink.take(new byte[] {(byte) c}, 1, 0);
                return 1;
            }
            out.fullLength = 1; // MSG_TRUNC
            return 0;
        }
        boolean peek = (flags & Socket.MSG_PEEK) != 0;
        boolean waitAll = (flags & Socket.MSG_WAITALL) != 0 && !peek && s.type == Socket.SOCK_STREAM;
        boolean nb = nonblock(s, flags);
        int done = t.restarting ? Math.max(0, Math.min(t.restart.transferred, len)) : 0;
        byte[] b = new byte[Math.min(len - done, IoBuffer.CHUNK)];
        int n;
        try {
            n = s.receive(t, b, 0, b.length, flags, out);
        } catch (SyscallError e) {
            if (done > 0) {
                return done;
            }
            if (e.errno != Errno.EAGAIN || nb) {
                throw e;
            }
            t.restart.transferred = done;
            return park(t, s, false);
        }
        sink.take(b, n, done);
        done += n;
        if (waitAll && n > 0 && done < len && out.rights == null) {
            t.restart.transferred = done;
            long r = park(t, s, false);
            return r == -Errno.EAGAIN ? done : r;
        }
        if (out.fullLength >= 0 && (flags & Socket.MSG_TRUNC) != 0) {
            return out.fullLength;
        }
        return done;
    }

    /** Where received bytes go: {@code n} bytes of {@code b} belong at offset {@code at}. */
    private interface Sink {
        void take(byte[] b, int n, int at);
    }

    static long recvfrom(Task t, int fd, long buf, long len, int flags, long addr, long alen) {
        Socket s = sock(t, fd);
        if (len < 0) {
            throw new SyscallError(Errno.EINVAL);
        }
        int n = (int) Math.min(len, SysFile.CHUNK);
        Ancillary out = new Ancillary();
        long r;
        try {
            r = receive(t, s, n, flags, (b, k, at) -> UserMemory.write(t, buf + at, b, 0, k), out);
        } finally {
            out.dropRights(); // recv/recvfrom have nowhere to put passed descriptions: Linux closes them
        }
        if (r != SyscallTable.BLOCKED && r >= 0 && addr != 0 && alen != 0) {
            if (out.from != null) {
                putAddress(t, out.from, addr, alen);
            } else {
                UserMemory.store32(t, alen, 0); // a stream's or an unnamed sender: no address
            }
        }
        return r;
    }

    static long recvmsg(Task t, Socket s, long msg, int flags) {
        long name = UserMemory.load64(t, msg);
        long iov = UserMemory.load64(t, msg + 16);
        long iovlen = UserMemory.load64(t, msg + 24);
        long control = UserMemory.load64(t, msg + 32);
        long controllen = UserMemory.load64(t, msg + 40);
        IoVec v = IoVec.read(t, iov, iovlen);
        int n = v.chunk();
        Ancillary out = new Ancillary();
        long r = receive(t, s, n, flags, (b, k, at) -> scatterAt(t, iov, iovlen, b, k, at), out);
        if (r == SyscallTable.BLOCKED || r < 0) {
            out.dropRights();
            return r;
        }
        int msgFlags = (out.fullLength >= 0 ? Socket.MSG_TRUNC : 0) | (out.urgent ? Socket.MSG_OOB : 0);
        java.io.ByteArrayOutputStream cm = new java.io.ByteArrayOutputStream();
        if (out.hasCred) {
            byte[] c = new byte[32];
            SignalFrame.putLong(c, 0, 28);
            SignalFrame.putInt(c, 8, SOL_SOCKET);
            SignalFrame.putInt(c, 12, SCM_CREDENTIALS);
            SignalFrame.putInt(c, 16, out.pid);
            SignalFrame.putInt(c, 20, out.uid);
            SignalFrame.putInt(c, 24, out.gid);
            if (controllen >= 28) {
                cm.write(c, 0, (int) Math.min(32, controllen));
            } else {
                msgFlags |= Socket.MSG_CTRUNC;
            }
        }
        if (out.rights != null) {
            FileDescription[] files = out.rights;
            out.rights = null;
            long room = controllen - cm.size();
            int fit = room >= 16 ? (int) Math.min((room - 16) / 4, files.length) : 0;
            int[] fds = new int[fit];
            int k = 0;
            try {
                for (; k < fit; k++) {
                    fds[k] = t.files.install(files[k], 0, (flags & Socket.MSG_CMSG_CLOEXEC) != 0);
                }
            } catch (SyscallError e) {
                // out of fds: what did not fit is closed, as Linux does
            }
            for (int i = k; i < files.length; i++) {
                files[i].decRef();
            }
            if (k < files.length) {
                msgFlags |= Socket.MSG_CTRUNC;
            }
            if (k > 0) {
                byte[] c = new byte[(16 + 4 * k + 7) & ~7];
                SignalFrame.putLong(c, 0, 16 + 4L * k);
                SignalFrame.putInt(c, 8, SOL_SOCKET);
                SignalFrame.putInt(c, 12, SCM_RIGHTS);
                for (int i = 0; i < k; i++) {
                    SignalFrame.putInt(c, 16 + 4 * i, fds[i]);
                }
                cm.write(c, 0, (int) Math.min(c.length, room));
            }
        }
        byte[] cmsg = cm.toByteArray();
        if (cmsg.length > 0) {
            UserMemory.write(t, control, cmsg);
        }
        int namelen = 0;
        if (name != 0 && out.from != null) {
            byte[] a = out.from.encode();
            int room = Math.max(UserMemory.load32(t, msg + 8), 0);
            UserMemory.write(t, name, a, 0, Math.min(room, a.length));
            namelen = a.length;
        }
        UserMemory.store32(t, msg + 8, namelen);
        UserMemory.store64(t, msg + 40, cmsg.length);
        UserMemory.store32(t, msg + 48, msgFlags);
        return r;
    }

    static long recvmmsg(Task t, int fd, long vec, int vlen, int flags, long timeout) {
        Socket s = sock(t, fd);
        vlen = Math.min(Math.max(vlen, 0), IoVec.UIO_MAXIOV);
        int got = 0;
        for (int i = 0; i < vlen; i++) {
            long m = vec + 64L * i;
            long r;
            try {
                // after the first message only what is already there (a re-run would lose the earlier ones)
                int f = got == 0 ? flags & ~MSG_WAITFORONE : (flags & ~MSG_WAITFORONE) | Socket.MSG_DONTWAIT;
                r = recvmsg(t, s, m, f);
            } catch (SyscallError e) {
                if (got > 0) {
                    return got;
                }
                throw e;
            }
            if (r == SyscallTable.BLOCKED || r < 0) {
                return got > 0 ? got : r;
            }
            UserMemory.store32(t, m + 56, (int) r);
            got++;
        }
        return got;
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
}
