package dev.friscy.net;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;
import dev.friscy.kernel.Task;
import dev.friscy.kernel.UserMemory;

/**
 * The SIOCGIF* ioctls any socket answers (ifconfig, if_nametoindex, Python's if_nameindex):
 * the guest's one interface, lo (index 1, 127.0.0.1/8, MTU 65536, up and loopback). Asking
 * about another name is ENODEV; the SIOCSIF* calls that would change it are EPERM, as for an
 * unprivileged Linux process (the configuration is fixed).
 */
final class Interfaces {
    static final int SIOCGIFNAME = 0x8910, SIOCGIFCONF = 0x8912, SIOCGIFFLAGS = 0x8913, SIOCSIFFLAGS = 0x8914,
            SIOCGIFADDR = 0x8915, SIOCSIFADDR = 0x8916, SIOCGIFNETMASK = 0x891b, SIOCGIFMTU = 0x8921,
            SIOCSIFMTU = 0x8922, SIOCGIFHWADDR = 0x8927, SIOCGIFINDEX = 0x8933, SIOCGIFDSTADDR = 0x8917,
            SIOCGIFBRDADDR = 0x8919, SIOCGIFMETRIC = 0x891d, SIOCGIFMAP = 0x8970, SIOCGIFTXQLEN = 0x8942;
    /** sizeof(struct ifreq) on 64-bit Linux: a 16-byte name and a 24-byte union. */
    static final int IFREQ = 40;
    static final int LO_FLAGS = NetlinkSocket.IFF_UP | NetlinkSocket.IFF_LOOPBACK | NetlinkSocket.IFF_RUNNING;

    private Interfaces() {
    }

    /** True if {@code cmd} is one of these ioctls. */
    static boolean handles(int cmd) {
        return cmd >= SIOCGIFNAME && cmd <= SIOCGIFINDEX || cmd == SIOCGIFTXQLEN || cmd == SIOCGIFMAP;
    }

    static long ioctl(Task t, int cmd, long arg) {
        if (cmd == SIOCGIFCONF) {
            return ifconf(t, arg);
        }
        byte[] req = UserMemory.read(t, arg, IFREQ);
        if (cmd == SIOCGIFNAME) {
            if (SockAddr.getInt(req, 16) != 1) {
                throw new SyscallError(Errno.ENODEV);
            }
            byte[] name = new byte[16];
            name[0] = 'l';
            name[1] = 'o';
            UserMemory.write(t, arg, name);
            return 0;
        }
        if (!isLo(req)) {
            throw new SyscallError(Errno.ENODEV);
        }
        byte[] u = new byte[24];
        switch (cmd) {
            case SIOCGIFINDEX:
                SockAddr.putInt(u, 0, 1);
                break;
            case SIOCGIFFLAGS:
                u[0] = (byte) LO_FLAGS;
                u[1] = (byte) (LO_FLAGS >> 8);
                break;
            case SIOCGIFMTU:
                SockAddr.putInt(u, 0, NetlinkSocket.LO_MTU);
                break;
            case SIOCGIFADDR:
                inet(u, 127, 0, 0, 1);
                break;
            case SIOCGIFNETMASK:
                inet(u, 255, 0, 0, 0);
                break;
            case SIOCGIFDSTADDR:
                inet(u, 127, 0, 0, 1); // not point-to-point: Linux gives the address itself
                break;
            case SIOCGIFBRDADDR:
                inet(u, 0, 0, 0, 0);
                break;
            case SIOCGIFMETRIC:
            case SIOCGIFMAP:
                break; // 0, and no hardware map
            case SIOCGIFTXQLEN:
                SockAddr.putInt(u, 0, 1000);
                break;
            case SIOCGIFHWADDR:
                u[0] = (byte) NetlinkSocket.ARPHRD_LOOPBACK; // sa_family: the hardware type; the address is zeros
                u[1] = (byte) (NetlinkSocket.ARPHRD_LOOPBACK >> 8);
                break;
            case SIOCSIFFLAGS:
            case SIOCSIFADDR:
            case SIOCSIFMTU:
                throw new SyscallError(Errno.EPERM);
            default:
                throw new SyscallError(Errno.EINVAL);
        }
        UserMemory.write(t, arg + 16, u);
        return 0;
    }

    private static boolean isLo(byte[] req) {
        return req[0] == 'l' && req[1] == 'o' && req[2] == 0;
    }

    private static void inet(byte[] u, int a, int b, int c, int d) {
        u[0] = SockAddr.AF_INET;
        u[4] = (byte) a;
        u[5] = (byte) b;
        u[6] = (byte) c;
        u[7] = (byte) d;
    }

    /** SIOCGIFCONF: one ifreq (lo, 127.0.0.1) if there is room; with a null buffer, the room needed. */
    private static long ifconf(Task t, long arg) {
        int len = UserMemory.load32(t, arg);
        long buf = UserMemory.load64(t, arg + 8);
        if (buf == 0) {
            UserMemory.store32(t, arg, IFREQ);
            return 0;
        }
        if (len < IFREQ) {
            UserMemory.store32(t, arg, 0);
            return 0;
        }
        byte[] r = new byte[IFREQ];
        r[0] = 'l';
        r[1] = 'o';
        byte[] u = new byte[24];
        inet(u, 127, 0, 0, 1);
        System.arraycopy(u, 0, r, 16, 24);
        UserMemory.write(t, buf, r);
        UserMemory.store32(t, arg, IFREQ);
        return 0;
    }
}
