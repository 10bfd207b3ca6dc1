package dev.friscy.kernel;

final class SysPoll {
    private SysPoll() {
    }

    static void register(SyscallTable t) {
    }
}
