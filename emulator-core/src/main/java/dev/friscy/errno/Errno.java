package dev.friscy.errno;

/** Linux errno values (asm-generic, as on riscv64). */
public final class Errno {
    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7,
            ENOEXEC = 8, EBADF = 9, ECHILD = 10, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14,
            ENOTBLK = 15, EBUSY = 16, EEXIST = 17, EXDEV = 18, ENODEV = 19, ENOTDIR = 20, EISDIR = 21,
            EINVAL = 22, ENFILE = 23, EMFILE = 24, ENOTTY = 25, ETXTBSY = 26, EFBIG = 27, ENOSPC = 28,
            ESPIPE = 29, EROFS = 30, EMLINK = 31, EPIPE = 32, EDOM = 33, ERANGE = 34, EDEADLK = 35,
            ENAMETOOLONG = 36, ENOLCK = 37, ENOSYS = 38, ENOTEMPTY = 39, ELOOP = 40, ENOMSG = 42, EIDRM = 43,
            ENODATA = 61, ELIBBAD = 80, ETIME = 62, EPROTO = 71, EOVERFLOW = 75, EBADFD = 77, EILSEQ = 84, ENOTSOCK = 88,
            EDESTADDRREQ = 89, EMSGSIZE = 90, EPROTOTYPE = 91, ENOPROTOOPT = 92, EPROTONOSUPPORT = 93,
            EOPNOTSUPP = 95, EAFNOSUPPORT = 97, EADDRINUSE = 98, EADDRNOTAVAIL = 99, ENETUNREACH = 101,
            ECONNABORTED = 103, ECONNRESET = 104, ENOBUFS = 105, EISCONN = 106, ENOTCONN = 107, ETIMEDOUT = 110, ECONNREFUSED = 111,
            EHOSTUNREACH = 113, EALREADY = 114, EINPROGRESS = 115, ECANCELED = 125, EOWNERDEAD = 130;

    /** Internal: restart the call after a signal handler if SA_RESTART, else EINTR. Never seen by guests. */
    public static final int ERESTARTSYS = 512;

    private static final String[] NAMES = new String[600];

    static {
        String[] n = {"", "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG", "ENOEXEC", "EBADF",
            "ECHILD", "EAGAIN", "ENOMEM", "EACCES", "EFAULT", "ENOTBLK", "EBUSY", "EEXIST", "EXDEV", "ENODEV",
            "ENOTDIR", "EISDIR", "EINVAL", "ENFILE", "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG", "ENOSPC", "ESPIPE",
            "EROFS", "EMLINK", "EPIPE", "EDOM", "ERANGE", "EDEADLK", "ENAMETOOLONG", "ENOLCK", "ENOSYS",
            "ENOTEMPTY", "ELOOP"};
        System.arraycopy(n, 0, NAMES, 0, n.length);
        NAMES[ENOMSG] = "ENOMSG";
        NAMES[EIDRM] = "EIDRM";
        NAMES[ENODATA] = "ENODATA";
        NAMES[ELIBBAD] = "ELIBBAD";
        NAMES[ETIME] = "ETIME";
        NAMES[EPROTO] = "EPROTO";
        NAMES[EOVERFLOW] = "EOVERFLOW";
        NAMES[EBADFD] = "EBADFD";
        NAMES[EILSEQ] = "EILSEQ";
        NAMES[ENOTSOCK] = "ENOTSOCK";
        NAMES[EOPNOTSUPP] = "EOPNOTSUPP";
        NAMES[EAFNOSUPPORT] = "EAFNOSUPPORT";
        NAMES[EPROTONOSUPPORT] = "EPROTONOSUPPORT";
        NAMES[ENOTCONN] = "ENOTCONN";
        NAMES[ECONNREFUSED] = "ECONNREFUSED";
        NAMES[ETIMEDOUT] = "ETIMEDOUT";
        NAMES[ECONNRESET] = "ECONNRESET";
        NAMES[EINPROGRESS] = "EINPROGRESS";
        NAMES[ECANCELED] = "ECANCELED";
        NAMES[EDESTADDRREQ] = "EDESTADDRREQ";
        NAMES[EMSGSIZE] = "EMSGSIZE";
        NAMES[EPROTOTYPE] = "EPROTOTYPE";
        NAMES[ENOPROTOOPT] = "ENOPROTOOPT";
        NAMES[EADDRINUSE] = "EADDRINUSE";
        NAMES[EADDRNOTAVAIL] = "EADDRNOTAVAIL";
        NAMES[ENETUNREACH] = "ENETUNREACH";
        NAMES[ECONNABORTED] = "ECONNABORTED";
        NAMES[ENOBUFS] = "ENOBUFS";
        NAMES[EISCONN] = "EISCONN";
        NAMES[EHOSTUNREACH] = "EHOSTUNREACH";
        NAMES[EALREADY] = "EALREADY";
        NAMES[ERESTARTSYS] = "ERESTARTSYS";
    }

    private Errno() {
    }

    public static String name(int errno) {
        String s = errno > 0 && errno < NAMES.length ? NAMES[errno] : null;
        return s != null ? s : "E" + errno;
    }
}
