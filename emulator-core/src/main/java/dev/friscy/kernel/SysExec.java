package dev.friscy.kernel;

final class SysExec {
    private SysExec() {
    }

    static void register(SyscallTable t) {
    }
}
