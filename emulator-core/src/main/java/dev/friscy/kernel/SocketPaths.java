package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.fs.Inode;
import dev.friscy.fs.Lookup;
import dev.friscy.fs.Vfs;
import dev.friscy.net.Network;
import dev.friscy.net.Socket;

/**
 * AF_UNIX names in the file system: bind makes a socket inode (mode 0777 less the umask, like
 * mknod S_IFSOCK), connect and sendto walk the path and need write permission on it, as Linux
 * checks. The inode outlives its socket (unlink removes it), leading nowhere (ECONNREFUSED).
 */
final class SocketPaths implements Network.Paths {
    SocketPaths() {
    }

    @Override
    public void bind(Task t, String path, Socket s) {
        Lookup l = FsAt.lookup(t, FsAt.AT_FDCWD, path, false);
        if (l.inode != null || l.isDot()) {
            throw new SyscallError(Errno.EADDRINUSE);
        }
        if (l.trailingSlash) {
            throw new SyscallError(Errno.EISDIR);
        }
        if (s.local != null) {
            throw new SyscallError(Errno.EINVAL);
        }
        Inode i = FsAt.create(t, l, Inode.S_IFSOCK | (0777 & ~t.fs.umask));
        i.boundSocket = s;
        s.boundInode = i;
    }

    @Override
    public Socket find(Task t, String path) {
        Inode i = FsAt.resolve(t, FsAt.AT_FDCWD, path, true);
        if (!Vfs.permitted(i, t.cred(), 2)) {
            throw new SyscallError(Errno.EACCES);
        }
        if (i.type() != Inode.S_IFSOCK || !(i.boundSocket instanceof Socket)) {
            throw new SyscallError(Errno.ECONNREFUSED);
        }
        return (Socket) i.boundSocket;
    }

    @Override
    public void unbind(Socket s) {
        Inode i = resolveQuietly(s);
        if (i != null && i.boundSocket == s) {
            i.boundSocket = null;
        }
    }

    /** The inode bound for {@code s}: kept on the socket by bind, so a rename or unlink does not lose it. */
    private Inode resolveQuietly(Socket s) {
        return s.boundInode instanceof Inode ? (Inode) s.boundInode : null;
    }
}
