package dev.friscy.fs;

import dev.friscy.mem.AddressSpace;

/**
 * A description that moves bytes straight between guest memory and itself (pipes, sockets),
 * so read and write need no kernel buffer. Same errors as read/write: EAGAIN to wait, EPIPE,
 * EFAULT.
 */
public interface DirectIo {
    int readTo(AddressSpace as, long addr, int len);

    int writeFrom(AddressSpace as, long addr, int len);
}
