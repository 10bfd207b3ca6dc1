package dev.friscy.kernel;

/** One system call's implementation. Arguments are the raw a0..a5 register values. */
@FunctionalInterface
public interface Syscall {
    long call(Task t, long a0, long a1, long a2, long a3, long a4, long a5);
}
