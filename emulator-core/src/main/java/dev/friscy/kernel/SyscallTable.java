package dev.friscy.kernel;

import dev.friscy.errno.Errno;
import dev.friscy.errno.SyscallError;

/**
 * The riscv64 system-call table (asm-generic numbering), in one place: every number, its name,
 * and either the handler that implements it (in its family file: {@code sys_read} in
 * {@link SysFile}, {@code sys_clone} in {@link SysProcess}, ...) or the errno it answers on
 * purpose and why. Numbers that riscv64 does not define answer ENOSYS.
 *
 * A handler returns the result (>= 0 or a negative errno), throws
 * {@link dev.friscy.errno.SyscallError}, or returns {@link #BLOCKED} after parking the task
 * (the call re-runs on wake-up), or {@link #NO_RETURN} when it has set the registers itself
 * (execve, rt_sigreturn, exit).
 */
public final class SyscallTable {
    /** Not a possible result: user addresses are below 2^47 and errors above -4096. */
    public static final long BLOCKED = 0x8000_0000_0000_0001L;
    public static final long NO_RETURN = 0x8000_0000_0000_0002L;
    /** From an {@link InterruptHook}: no result of its own, the usual EINTR / SA_RESTART rule applies. */
    public static final long USUAL = 0x8000_0000_0000_0003L;

    /**
     * What a blocked call returns when a signal handler cuts it short, for calls that owe the
     * guest more than EINTR: the bytes a long pipe write already moved, nanosleep's remaining
     * time. Returns a result, or {@link #USUAL}.
     */
    @FunctionalInterface
    public interface InterruptHook {
        long interrupted(Task t);
    }

    public static final int MAX = 512;
    private final Syscall[] handlers = new Syscall[MAX];
    private final String[] names = new String[MAX];
    private final int[] errnos = new int[MAX];
    private final String[] notes = new String[MAX];
    private final InterruptHook[] interruptHooks = new InterruptHook[MAX];

    public SyscallTable() {
        unsupported(0, "io_setup", Errno.ENOSYS, "no Linux AIO (glibc's POSIX AIO uses threads)");
        unsupported(1, "io_destroy", Errno.ENOSYS, "no Linux AIO (glibc's POSIX AIO uses threads)");
        unsupported(2, "io_submit", Errno.ENOSYS, "no Linux AIO (glibc's POSIX AIO uses threads)");
        unsupported(3, "io_cancel", Errno.ENOSYS, "no Linux AIO (glibc's POSIX AIO uses threads)");
        unsupported(4, "io_getevents", Errno.ENOSYS, "no Linux AIO (glibc's POSIX AIO uses threads)");
        add(5, "setxattr", (t, path, a1, a2, a3, a4, a5) -> SysAttr.xattrOnPath(t, path, true));
        add(6, "lsetxattr", (t, path, a1, a2, a3, a4, a5) -> SysAttr.xattrOnPath(t, path, false));
        add(7, "fsetxattr", (t, fd, a1, a2, a3, a4, a5) -> SysAttr.xattrOnFd(t, fd));
        add(8, "getxattr", (t, path, a1, a2, a3, a4, a5) -> SysAttr.xattrOnPath(t, path, true));
        add(9, "lgetxattr", (t, path, a1, a2, a3, a4, a5) -> SysAttr.xattrOnPath(t, path, false));
        add(10, "fgetxattr", (t, fd, a1, a2, a3, a4, a5) -> SysAttr.xattrOnFd(t, fd));
        add(11, "listxattr", (t, path, a1, a2, a3, a4, a5) -> SysAttr.xattrOnPath(t, path, false));
        add(12, "llistxattr", (t, path, a1, a2, a3, a4, a5) -> SysAttr.xattrOnPath(t, path, false));
        add(13, "flistxattr", (t, fd, a1, a2, a3, a4, a5) -> SysAttr.xattrOnFd(t, fd));
        add(14, "removexattr", (t, path, a1, a2, a3, a4, a5) -> SysAttr.xattrOnPath(t, path, true));
        add(15, "lremovexattr", (t, path, a1, a2, a3, a4, a5) -> SysAttr.xattrOnPath(t, path, false));
        add(16, "fremovexattr", (t, fd, a1, a2, a3, a4, a5) -> SysAttr.xattrOnFd(t, fd));
        add(17, "getcwd", SysCwd::sys_getcwd);
        unsupported(18, "lookup_dcookie", Errno.ENOSYS, "no profiling support");
        add(19, "eventfd2", SysPipe::sys_eventfd2);
        add(20, "epoll_create1", SysPoll::sys_epoll_create1);
        add(21, "epoll_ctl", SysPoll::sys_epoll_ctl);
        add(22, "epoll_pwait", SysPoll::sys_epoll_pwait);
        add(23, "dup", SysFile::sys_dup);
        add(24, "dup3", SysFile::sys_dup3);
        add(25, "fcntl", SysFile::sys_fcntl);
        unsupported(26, "inotify_init1", Errno.ENOSYS, "no file-change notification");
        unsupported(27, "inotify_add_watch", Errno.ENOSYS, "no file-change notification");
        unsupported(28, "inotify_rm_watch", Errno.ENOSYS, "no file-change notification");
        add(29, "ioctl", SysFile::sys_ioctl);
        unsupported(30, "ioprio_set", Errno.ENOSYS, "no I/O scheduler");
        unsupported(31, "ioprio_get", Errno.ENOSYS, "no I/O scheduler");
        add(32, "flock", SysLock::sys_flock);
        add(33, "mknodat", SysNames::sys_mknodat);
        add(34, "mkdirat", SysNames::sys_mkdirat);
        add(35, "unlinkat", SysNames::sys_unlinkat);
        add(36, "symlinkat", SysNames::sys_symlinkat);
        add(37, "linkat", SysNames::sys_linkat);
        // not in riscv64's table (asm-generic leaves renameat out there, so Linux answers ENOSYS);
        // kept for programs built for the generic numbering
        add(38, "renameat", SysNames::sys_renameat);
        unsupported(39, "umount2", Errno.ENOSYS, "one fixed file-system tree: no mounts");
        unsupported(40, "mount", Errno.ENOSYS, "one fixed file-system tree: no mounts");
        unsupported(41, "pivot_root", Errno.ENOSYS, "one fixed file-system tree: no mounts");
        unsupported(42, "nfsservctl", Errno.ENOSYS, "host administration is not offered to guests");
        add(43, "statfs", SysStat::sys_statfs);
        add(44, "fstatfs", SysStat::sys_fstatfs);
        add(45, "truncate", SysAttr::sys_truncate);
        add(46, "ftruncate", SysAttr::sys_ftruncate);
        add(47, "fallocate", SysAttr::sys_fallocate);
        add(48, "faccessat", SysStat::sys_faccessat);
        add(49, "chdir", SysCwd::sys_chdir);
        add(50, "fchdir", SysCwd::sys_fchdir);
        add(51, "chroot", SysCwd::sys_chroot);
        add(52, "fchmod", SysAttr::sys_fchmod);
        add(53, "fchmodat", SysAttr::sys_fchmodat);
        add(54, "fchownat", SysAttr::sys_fchownat);
        add(55, "fchown", SysAttr::sys_fchown);
        add(56, "openat", SysFs::sys_openat);
        add(57, "close", SysFile::sys_close);
        unsupported(58, "vhangup", Errno.ENOSYS, "host administration is not offered to guests");
        add(59, "pipe2", SysPipe::sys_pipe2);
        unsupported(60, "quotactl", Errno.ENOSYS, "no disk quotas");
        add(61, "getdents64", SysFs::sys_getdents64);
        add(62, "lseek", SysFileIo::sys_lseek);
        add(63, "read", SysFile::sys_read);
        add(64, "write", SysFile::sys_write);
        add(65, "readv", SysFile::sys_readv);
        add(66, "writev", SysFile::sys_writev);
        add(67, "pread64", SysFileIo::sys_pread64);
        add(68, "pwrite64", SysFileIo::sys_pwrite64);
        add(69, "preadv", SysFileIo::sys_preadv);
        add(70, "pwritev", SysFileIo::sys_pwritev);
        add(71, "sendfile", SysFileIo::sys_sendfile);
        add(72, "pselect6", SysPoll::sys_pselect6);
        add(73, "ppoll", SysPoll::sys_ppoll);
        add(74, "signalfd4", SignalFd::sys_signalfd4);
        unsupported(75, "vmsplice", Errno.ENOSYS, "no zero-copy pipe calls; programs fall back to read/write");
        unsupported(76, "splice", Errno.ENOSYS, "no zero-copy pipe calls; programs fall back to read/write");
        unsupported(77, "tee", Errno.ENOSYS, "no zero-copy pipe calls; programs fall back to read/write");
        add(78, "readlinkat", SysStat::sys_readlinkat);
        add(79, "newfstatat", SysStat::sys_newfstatat);
        add(80, "fstat", SysStat::sys_fstat);
        add(81, "sync", SysFileIo::sys_sync);
        add(82, "fsync", SysFileIo::sys_fsync);
        add(83, "fdatasync", SysFileIo::sys_fdatasync);
        add(84, "sync_file_range", SysFileIo::sys_sync_file_range);
        add(85, "timerfd_create", SysTime::sys_timerfd_create);
        add(86, "timerfd_settime", SysTime::sys_timerfd_settime);
        add(87, "timerfd_gettime", SysTime::sys_timerfd_gettime);
        add(88, "utimensat", SysAttr::sys_utimensat);
        unsupported(89, "acct", Errno.ENOSYS, "host administration is not offered to guests");
        add(90, "capget", SysInfo::sys_capget);
        unsupported(91, "capset", Errno.ENOSYS, "capabilities cannot be changed");
        add(92, "personality", SysInfo::sys_personality);
        add(93, "exit", SysProcess::sys_exit);
        add(94, "exit_group", SysProcess::sys_exit_group);
        add(95, "waitid", SysWait::sys_waitid);
        add(96, "set_tid_address", SysProcess::sys_set_tid_address);
        unsupported(97, "unshare", Errno.ENOSYS, "no namespaces");
        add(98, "futex", SysFutex::sys_futex);
        add(99, "set_robust_list", SysProcess::sys_set_robust_list);
        add(100, "get_robust_list", SysProcess::sys_get_robust_list);
        add(101, "nanosleep", SysTime::sys_nanosleep);
        add(102, "getitimer", SysTime::sys_getitimer);
        add(103, "setitimer", SysTime::sys_setitimer);
        unsupported(104, "kexec_load", Errno.ENOSYS, "host administration is not offered to guests");
        unsupported(105, "init_module", Errno.ENOSYS, "host administration is not offered to guests");
        unsupported(106, "delete_module", Errno.ENOSYS, "host administration is not offered to guests");
        add(107, "timer_create", SysTime::sys_timer_create);
        add(108, "timer_gettime", SysTime::sys_timer_gettime);
        add(109, "timer_getoverrun", SysTime::sys_timer_getoverrun);
        add(110, "timer_settime", SysTime::sys_timer_settime);
        add(111, "timer_delete", SysTime::sys_timer_delete);
        add(112, "clock_settime", SysTime::sys_clock_settime);
        add(113, "clock_gettime", SysTime::sys_clock_gettime);
        add(114, "clock_getres", SysTime::sys_clock_getres);
        add(115, "clock_nanosleep", SysTime::sys_clock_nanosleep);
        unsupported(116, "syslog", Errno.ENOSYS, "host administration is not offered to guests");
        unsupported(117, "ptrace", Errno.ENOSYS, "no process tracing or cross-process memory access");
        add(118, "sched_setparam", SysInfo::sys_sched_setparam);
        add(119, "sched_setscheduler", SysInfo::sys_sched_setscheduler);
        add(120, "sched_getscheduler", SysInfo::sys_sched_getscheduler);
        add(121, "sched_getparam", SysInfo::sys_sched_getparam);
        add(122, "sched_setaffinity", SysInfo::sys_sched_setaffinity);
        add(123, "sched_getaffinity", SysInfo::sys_sched_getaffinity);
        add(124, "sched_yield", SysInfo::sys_sched_yield);
        add(125, "sched_get_priority_max", SysInfo::sys_sched_get_priority_max);
        add(126, "sched_get_priority_min", SysInfo::sys_sched_get_priority_min);
        unsupported(127, "sched_rr_get_interval", Errno.ENOSYS, "one CPU, one policy: only the sched_* calls glibc needs");
        unsupported(128, "restart_syscall", Errno.ENOSYS, "restarts happen inside the kernel; guests never need to ask");
        add(129, "kill", SysSignal::sys_kill);
        add(130, "tkill", SysSignal::sys_tkill);
        add(131, "tgkill", SysSignal::sys_tgkill);
        add(132, "sigaltstack", SysSignal::sys_sigaltstack);
        add(133, "rt_sigsuspend", SysSignal::sys_rt_sigsuspend);
        add(134, "rt_sigaction", SysSignal::sys_rt_sigaction);
        add(135, "rt_sigprocmask", SysSignal::sys_rt_sigprocmask);
        add(136, "rt_sigpending", SysSignal::sys_rt_sigpending);
        add(137, "rt_sigtimedwait", SysSignal::sys_rt_sigtimedwait);
        add(138, "rt_sigqueueinfo", SysSignal::sys_rt_sigqueueinfo);
        add(139, "rt_sigreturn", SysSignal::sys_rt_sigreturn);
        add(140, "setpriority", SysIdentity::sys_setpriority);
        add(141, "getpriority", SysIdentity::sys_getpriority);
        unsupported(142, "reboot", Errno.ENOSYS, "host administration is not offered to guests");
        add(143, "setregid", SysIdentity::sys_setregid);
        add(144, "setgid", SysIdentity::sys_setgid);
        add(145, "setreuid", SysIdentity::sys_setreuid);
        add(146, "setuid", SysIdentity::sys_setuid);
        add(147, "setresuid", SysIdentity::sys_setresuid);
        add(148, "getresuid", SysIdentity::sys_getresuid);
        add(149, "setresgid", SysIdentity::sys_setresgid);
        add(150, "getresgid", SysIdentity::sys_getresgid);
        add(151, "setfsuid", SysIdentity::sys_setfsuid);
        add(152, "setfsgid", SysIdentity::sys_setfsgid);
        add(153, "times", SysTime::sys_times);
        add(154, "setpgid", SysIdentity::sys_setpgid);
        add(155, "getpgid", SysIdentity::sys_getpgid);
        add(156, "getsid", SysIdentity::sys_getsid);
        add(157, "setsid", SysIdentity::sys_setsid);
        add(158, "getgroups", SysIdentity::sys_getgroups);
        add(159, "setgroups", SysIdentity::sys_setgroups);
        add(160, "uname", SysInfo::sys_uname);
        add(161, "sethostname", SysInfo::sys_sethostname);
        add(162, "setdomainname", SysInfo::sys_setdomainname);
        add(163, "getrlimit", SysInfo::sys_getrlimit);
        add(164, "setrlimit", SysInfo::sys_setrlimit);
        add(165, "getrusage", SysTime::sys_getrusage);
        add(166, "umask", SysCwd::sys_umask);
        add(167, "prctl", SysIdentity::sys_prctl);
        add(168, "getcpu", SysInfo::sys_getcpu);
        add(169, "gettimeofday", SysTime::sys_gettimeofday);
        add(170, "settimeofday", SysTime::sys_settimeofday);
        unsupported(171, "adjtimex", Errno.ENOSYS, "the guest clock follows the host's; it cannot be steered");
        add(172, "getpid", SysIdentity::sys_getpid);
        add(173, "getppid", SysIdentity::sys_getppid);
        add(174, "getuid", SysIdentity::sys_getuid);
        add(175, "geteuid", SysIdentity::sys_geteuid);
        add(176, "getgid", SysIdentity::sys_getgid);
        add(177, "getegid", SysIdentity::sys_getegid);
        add(178, "gettid", SysIdentity::sys_gettid);
        add(179, "sysinfo", SysInfo::sys_sysinfo);
        unsupported(180, "mq_open", Errno.ENOSYS, "no POSIX message queues");
        unsupported(181, "mq_unlink", Errno.ENOSYS, "no POSIX message queues");
        unsupported(182, "mq_timedsend", Errno.ENOSYS, "no POSIX message queues");
        unsupported(183, "mq_timedreceive", Errno.ENOSYS, "no POSIX message queues");
        unsupported(184, "mq_notify", Errno.ENOSYS, "no POSIX message queues");
        unsupported(185, "mq_getsetattr", Errno.ENOSYS, "no POSIX message queues");
        add(186, "msgget", SysMsg::sys_msgget);
        add(187, "msgctl", SysMsg::sys_msgctl);
        add(188, "msgrcv", SysMsg::sys_msgrcv);
        add(189, "msgsnd", SysMsg::sys_msgsnd);
        add(190, "semget", SysSem::sys_semget);
        add(191, "semctl", SysSem::sys_semctl);
        add(192, "semtimedop", SysSem::sys_semtimedop);
        add(193, "semop", SysSem::sys_semop);
        add(194, "shmget", SysShm::sys_shmget);
        add(195, "shmctl", SysShm::sys_shmctl);
        add(196, "shmat", SysShm::sys_shmat);
        add(197, "shmdt", SysShm::sys_shmdt);
        add(198, "socket", SysSocket::sys_socket);
        add(199, "socketpair", SysSocket::sys_socketpair);
        add(200, "bind", SysSocket::sys_bind);
        add(201, "listen", SysSocket::sys_listen);
        add(202, "accept", SysSocket::sys_accept);
        add(203, "connect", SysSocket::sys_connect);
        add(204, "getsockname", SysSocket::sys_getsockname);
        add(205, "getpeername", SysSocket::sys_getpeername);
        add(206, "sendto", SysSocket::sys_sendto);
        add(207, "recvfrom", SysSocket::sys_recvfrom);
        add(208, "setsockopt", SysSocket::sys_setsockopt);
        add(209, "getsockopt", SysSocket::sys_getsockopt);
        add(210, "shutdown", SysSocket::sys_shutdown);
        add(211, "sendmsg", SysSocket::sys_sendmsg);
        add(212, "recvmsg", SysSocket::sys_recvmsg);
        add(213, "readahead", SysFileIo::sys_readahead);
        add(214, "brk", SysMemory::sys_brk);
        add(215, "munmap", SysMemory::sys_munmap);
        add(216, "mremap", SysMemory::sys_mremap);
        unsupported(217, "add_key", Errno.ENOSYS, "no kernel keyring");
        unsupported(218, "request_key", Errno.ENOSYS, "no kernel keyring");
        unsupported(219, "keyctl", Errno.ENOSYS, "no kernel keyring");
        add(220, "clone", SysProcess::sys_clone);
        add(221, "execve", SysExec::sys_execve);
        add(222, "mmap", SysMemory::sys_mmap);
        add(223, "fadvise64", SysFileIo::sys_fadvise64);
        unsupported(224, "swapon", Errno.ENOSYS, "host administration is not offered to guests");
        unsupported(225, "swapoff", Errno.ENOSYS, "host administration is not offered to guests");
        add(226, "mprotect", SysMemory::sys_mprotect);
        add(227, "msync", SysMemory::sys_msync);
        add(228, "mlock", SysMemory::sys_mlock);
        add(229, "munlock", SysMemory::sys_munlock);
        add(230, "mlockall", SysMemory::sys_mlockall);
        add(231, "munlockall", SysMemory::sys_munlockall);
        add(232, "mincore", SysMemory::sys_mincore);
        add(233, "madvise", SysMemory::sys_madvise);
        unsupported(234, "remap_file_pages", Errno.ENOSYS, "deprecated by Linux; not implemented");
        unsupported(235, "mbind", Errno.ENOSYS, "one memory node: no NUMA policy");
        unsupported(236, "get_mempolicy", Errno.ENOSYS, "one memory node: no NUMA policy");
        unsupported(237, "set_mempolicy", Errno.ENOSYS, "one memory node: no NUMA policy");
        unsupported(238, "migrate_pages", Errno.ENOSYS, "one memory node: no NUMA policy");
        unsupported(239, "move_pages", Errno.ENOSYS, "one memory node: no NUMA policy");
        unsupported(240, "rt_tgsigqueueinfo", Errno.ENOSYS, "not implemented (glibc uses rt_sigqueueinfo)");
        unsupported(241, "perf_event_open", Errno.ENOSYS, "no perf events, BPF, seccomp filters or userfaultfd");
        add(242, "accept4", SysSocket::sys_accept4);
        add(243, "recvmmsg", SysSocket::sys_recvmmsg);
        add(259, "riscv_flush_icache", SysInfo::sys_riscv_flush_icache);
        add(260, "wait4", SysWait::sys_wait4);
        add(261, "prlimit64", SysInfo::sys_prlimit64);
        unsupported(262, "fanotify_init", Errno.ENOSYS, "no file-change notification");
        unsupported(263, "fanotify_mark", Errno.ENOSYS, "no file-change notification");
        unsupported(264, "name_to_handle_at", Errno.ENOSYS, "no file handles");
        unsupported(265, "open_by_handle_at", Errno.ENOSYS, "no file handles");
        unsupported(266, "clock_adjtime", Errno.ENOSYS, "the guest clock follows the host's; it cannot be steered");
        add(267, "syncfs", SysFileIo::sys_syncfs);
        unsupported(268, "setns", Errno.ENOSYS, "no namespaces");
        add(269, "sendmmsg", SysSocket::sys_sendmmsg);
        unsupported(270, "process_vm_readv", Errno.ENOSYS, "no process tracing or cross-process memory access");
        unsupported(271, "process_vm_writev", Errno.ENOSYS, "no process tracing or cross-process memory access");
        unsupported(272, "kcmp", Errno.ENOSYS, "no process tracing or cross-process memory access");
        unsupported(273, "finit_module", Errno.ENOSYS, "host administration is not offered to guests");
        unsupported(274, "sched_setattr", Errno.ENOSYS, "one CPU, one policy: only the sched_* calls glibc needs");
        unsupported(275, "sched_getattr", Errno.ENOSYS, "one CPU, one policy: only the sched_* calls glibc needs");
        add(276, "renameat2", SysNames::sys_renameat2);
        unsupported(277, "seccomp", Errno.ENOSYS, "no perf events, BPF, seccomp filters or userfaultfd");
        add(278, "getrandom", SysInfo::sys_getrandom);
        add(279, "memfd_create", SysFs::sys_memfd_create);
        unsupported(280, "bpf", Errno.ENOSYS, "no perf events, BPF, seccomp filters or userfaultfd");
        add(281, "execveat", SysExec::sys_execveat);
        unsupported(282, "userfaultfd", Errno.ENOSYS, "no perf events, BPF, seccomp filters or userfaultfd");
        add(283, "membarrier", SysInfo::sys_membarrier);
        add(284, "mlock2", SysMemory::sys_mlock2);
        add(285, "copy_file_range", SysFileIo::sys_copy_file_range);
        add(286, "preadv2", SysFileIo::sys_preadv2);
        add(287, "pwritev2", SysFileIo::sys_pwritev2);
        unsupported(288, "pkey_mprotect", Errno.ENOSYS, "no memory protection keys");
        unsupported(289, "pkey_alloc", Errno.ENOSYS, "no memory protection keys");
        unsupported(290, "pkey_free", Errno.ENOSYS, "no memory protection keys");
        add(291, "statx", SysStat::sys_statx);
        unsupported(292, "io_pgetevents", Errno.ENOSYS, "no Linux AIO (glibc's POSIX AIO uses threads)");
        unsupported(293, "rseq", Errno.ENOSYS, "no restartable sequences (glibc carries on without them)");
        unsupported(294, "kexec_file_load", Errno.ENOSYS, "host administration is not offered to guests");
        add(424, "pidfd_send_signal", SysPidfd::sys_pidfd_send_signal);
        unsupported(425, "io_uring_setup", Errno.ENOSYS, "no io_uring: programs fall back to read/write");
        unsupported(426, "io_uring_enter", Errno.ENOSYS, "no io_uring: programs fall back to read/write");
        unsupported(427, "io_uring_register", Errno.ENOSYS, "no io_uring: programs fall back to read/write");
        unsupported(428, "open_tree", Errno.ENOSYS, "one fixed file-system tree: no mounts");
        unsupported(429, "move_mount", Errno.ENOSYS, "one fixed file-system tree: no mounts");
        unsupported(430, "fsopen", Errno.ENOSYS, "one fixed file-system tree: no mounts");
        unsupported(431, "fsconfig", Errno.ENOSYS, "one fixed file-system tree: no mounts");
        unsupported(432, "fsmount", Errno.ENOSYS, "one fixed file-system tree: no mounts");
        unsupported(433, "fspick", Errno.ENOSYS, "one fixed file-system tree: no mounts");
        add(434, "pidfd_open", SysPidfd::sys_pidfd_open);
        add(435, "clone3", SysProcess::sys_clone3);
        add(436, "close_range", SysFs::sys_close_range);
        unsupported(437, "openat2", Errno.ENOSYS, "RESOLVE_* path-walk restrictions are not implemented; callers fall back to openat");
        add(438, "pidfd_getfd", SysPidfd::sys_pidfd_getfd);
        add(439, "faccessat2", SysStat::sys_faccessat2);
        unsupported(440, "process_madvise", Errno.ENOSYS, "no cross-process memory management");
        add(441, "epoll_pwait2", SysPoll::sys_epoll_pwait2);
        unsupported(442, "mount_setattr", Errno.ENOSYS, "one fixed file-system tree: no mounts");
        unsupported(443, "quotactl_fd", Errno.ENOSYS, "no disk quotas");
        unsupported(444, "landlock_create_ruleset", Errno.ENOSYS, "no security modules");
        unsupported(445, "landlock_add_rule", Errno.ENOSYS, "no security modules");
        unsupported(446, "landlock_restrict_self", Errno.ENOSYS, "no security modules");
        unsupported(447, "memfd_secret", Errno.ENOSYS, "no secret memory areas");
        unsupported(448, "process_mrelease", Errno.ENOSYS, "no cross-process memory management");
        add(449, "futex_waitv", SysFutex::sys_futex_waitv);
        unsupported(450, "set_mempolicy_home_node", Errno.ENOSYS, "one memory node: no NUMA policy");
        unsupported(451, "cachestat", Errno.ENOSYS, "not implemented");
        add(452, "fchmodat2", SysAttr::sys_fchmodat2);
        unsupported(453, "map_shadow_stack", Errno.ENOSYS, "not implemented");
        unsupported(454, "futex_wake", Errno.ENOSYS, "the futex2 calls are not implemented; futex and futex_waitv are");
        unsupported(455, "futex_wait", Errno.ENOSYS, "the futex2 calls are not implemented; futex and futex_waitv are");
        unsupported(456, "futex_requeue", Errno.ENOSYS, "the futex2 calls are not implemented; futex and futex_waitv are");
        unsupported(457, "statmount", Errno.ENOSYS, "one fixed file-system tree: no mounts");
        unsupported(458, "listmount", Errno.ENOSYS, "one fixed file-system tree: no mounts");
        unsupported(459, "lsm_get_self_attr", Errno.ENOSYS, "no security modules");
        unsupported(460, "lsm_set_self_attr", Errno.ENOSYS, "no security modules");
        unsupported(461, "lsm_list_modules", Errno.ENOSYS, "no security modules");
        unsupported(462, "mseal", Errno.ENOSYS, "not implemented");
        unsupported(463, "setxattrat", Errno.ENOSYS, "not implemented; the classic xattr calls answer EOPNOTSUPP");
        unsupported(464, "getxattrat", Errno.ENOSYS, "not implemented; the classic xattr calls answer EOPNOTSUPP");
        unsupported(465, "listxattrat", Errno.ENOSYS, "not implemented; the classic xattr calls answer EOPNOTSUPP");
        unsupported(466, "removexattrat", Errno.ENOSYS, "not implemented; the classic xattr calls answer EOPNOTSUPP");

        // calls that owe the guest more than EINTR when a handler cuts them short
        onInterrupt(64, SysPipe::partialTransfer); // write
        onInterrupt(66, SysPipe::partialTransfer); // writev
        onInterrupt(206, SysPipe::partialTransfer); // sendto
        onInterrupt(207, SysPipe::partialTransfer); // recvfrom
        onInterrupt(211, SysPipe::partialTransfer); // sendmsg
        onInterrupt(212, SysPipe::partialTransfer); // recvmsg
        onInterrupt(72, SysPoll::pselect6Interrupted);
        onInterrupt(73, SysPoll::ppollInterrupted);
        onInterrupt(101, SysTime::nanosleepInterrupted);
        onInterrupt(115, SysTime::clockNanosleepInterrupted);
        // System V IPC waits (EINTR only, never restarted): forget what they waited for
        onInterrupt(188, SysvIpc::interrupted);
        onInterrupt(189, SysvIpc::interrupted);
        onInterrupt(192, SysvIpc::interrupted);
        onInterrupt(193, SysvIpc::interrupted);
    }

    private void add(int nr, String name, Syscall s) {
        if (names[nr] != null) {
            throw new IllegalStateException("system call " + nr + " listed twice (" + names[nr] + ", " + name + ")");
        }
        handlers[nr] = s;
        names[nr] = name;
    }

    /** A call riscv64 Linux has that this kernel answers with {@code errno} on purpose, for the reason {@code note}. */
    private void unsupported(int nr, String name, int errno, String note) {
        add(nr, name, null);
        errnos[nr] = errno;
        notes[nr] = note;
    }

    private void onInterrupt(int nr, InterruptHook h) {
        if (interruptHooks[nr] != null) {
            throw new IllegalStateException("interrupt hook for " + nr + " listed twice");
        }
        interruptHooks[nr] = h;
    }

    /** Called by signal delivery before it ends a blocked call {@code nr} with EINTR or restarts it. */
    long interrupted(Task t, long nr) {
        InterruptHook h = nr >= 0 && nr < MAX ? interruptHooks[(int) nr] : null;
        return h == null ? USUAL : h.interrupted(t);
    }

    /** The handler of {@code nr}, or null if the call is unsupported or unknown (see {@link #errno}). */
    public Syscall get(long nr) {
        return nr >= 0 && nr < MAX ? handlers[(int) nr] : null;
    }

    /** The errno a call without a handler answers: its listed one, ENOSYS for numbers riscv64 does not have. */
    public int errno(long nr) {
        int e = nr >= 0 && nr < MAX ? errnos[(int) nr] : 0;
        return e != 0 ? e : Errno.ENOSYS;
    }

    /** Why an unsupported call answers its errno, or null. */
    public String note(long nr) {
        return nr >= 0 && nr < MAX ? notes[(int) nr] : null;
    }

    /** True if {@code nr} is listed: implemented or answered on purpose. */
    public boolean listed(long nr) {
        return nr >= 0 && nr < MAX && names[(int) nr] != null;
    }

    public String name(long nr) {
        String n = nr >= 0 && nr < MAX ? names[(int) nr] : null;
        return n != null ? n : "syscall_" + nr;
    }
}
