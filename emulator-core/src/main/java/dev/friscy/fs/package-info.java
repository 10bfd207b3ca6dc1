/**
 * The virtual file system: an in-memory tree of {@link dev.friscy.fs.Inode}s (tmpfs-like), the
 * path walk ({@link dev.friscy.fs.Vfs}), open file descriptions (regular files, directories,
 * devices, FIFOs, /proc snapshots, O_PATH), fd tables, file locks, the generated /proc and /sys
 * ({@link dev.friscy.fs.ProcFs}), /dev setup ({@link dev.friscy.fs.DevFs}), and tar import and
 * export of whole trees. A file operation ({@link dev.friscy.fs.FileDescription#read}, write,
 * pread, pwrite) gets its calling task and an {@link dev.friscy.mem.IoBuffer} (a kernel array
 * or guest memory) and never blocks: it throws EAGAIN, and the one blocking loop in the
 * syscall layer (SysFile) parks the caller. The system calls over it live in dev.friscy.kernel
 * (listed in SyscallTable: SysFs, SysStat, SysNames, SysAttr, SysCwd, SysLock, SysFile,
 * SysFileIo, ...); their behaviour is checked against Linux by the guest/fs programs
 * (GuestFsTest).
 *
 * Code here is compiled to WebAssembly by TeaVM: no reflection, threads or java.nio.file.
 */
package dev.friscy.fs;
