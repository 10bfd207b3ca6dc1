package dev.friscy.kernel;

final class SysWait {
    private SysWait() {
    }

    static void register(SyscallTable t) {
    }
}
