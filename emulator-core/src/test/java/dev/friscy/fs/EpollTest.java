package dev.friscy.fs;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EpollTest {
    private static int errno(Runnable r) {
        return assertThrows(SyscallError.class, r::run).errno;
    }

    @Test
    void regularFilesAndDirectoriesCannotBeWatched() {
        Vfs vfs = new Vfs();
        Inode file = vfs.newInode(Inode.S_IFREG | 0644);
        FileDescription f = new FileDescription(OpenFlags.O_RDONLY) {
            @Override
            public void stat(Stat st) {
            }

            @Override
            public String describe() {
                return "/f";
            }

            @Override
            public Inode inode() {
                return file;
            }
        };
        Epoll ep = new Epoll(0);
        assertEquals(Errno.EPERM, errno(() -> ep.control(Epoll.EPOLL_CTL_ADD, 3, f, Poll.IN, 0)));
    }

    @Test
    void levelTriggeredItemsTakeTurnsWhenMaxeventsIsSmall() {
        Epoll ep = new Epoll(0);
        EventFd[] e = new EventFd[3];
        for (int i = 0; i < 3; i++) {
            e[i] = new EventFd(1, 0, false);
            ep.control(Epoll.EPOLL_CTL_ADD, 10 + i, e[i], Poll.IN, i);
        }
        int[] ev = new int[1];
        long[] data = new long[1];
        boolean[] seen = new boolean[3];
        for (int round = 0; round < 3; round++) {
            assertEquals(1, ep.harvest(1, ev, data));
            seen[(int) data[0]] = true;
        }
        assertEquals(true, seen[0] && seen[1] && seen[2], "every ready item is reported in turn");
    }

    @Test
    void itemsGoAwayWhenTheirDescriptionIsReleased() {
        Epoll ep = new Epoll(0);
        EventFd e = new EventFd(1, 0, false);
        ep.control(Epoll.EPOLL_CTL_ADD, 4, e, Poll.IN, 0);
        assertEquals(1, ep.size());
        e.decRef();
        assertEquals(0, ep.harvest(4, new int[4], new long[4]));
        assertEquals(0, ep.size());
    }

    @Test
    void nestingIsBoundedAndLoopsRefused() {
        Epoll[] chain = new Epoll[6];
        for (int i = 0; i < chain.length; i++) {
            chain[i] = new Epoll(0);
        }
        for (int i = 0; i < 4; i++) {
            chain[i].control(Epoll.EPOLL_CTL_ADD, 1, chain[i + 1], Poll.IN, 0);
        }
        assertEquals(Errno.ELOOP, errno(() -> chain[4].control(Epoll.EPOLL_CTL_ADD, 1, chain[0], Poll.IN, 0)));
        assertEquals(Errno.EINVAL, errno(() -> chain[5].control(Epoll.EPOLL_CTL_ADD, 1, chain[5], Poll.IN, 0)));
    }
}
