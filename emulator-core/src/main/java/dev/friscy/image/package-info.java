/**
 * The image tool (JVM only; never reached by the Wasm build): turns Debian packages
 * ({@link dev.friscy.image.DebianImageBuilder}) or container image archives
 * ({@link dev.friscy.image.OciImageBuilder}) into a root file system tar, and builds cached test
 * images ({@link dev.friscy.image.TestImages}).
 *
 * <p>The tars produced (what the VFS's tar import reads):
 * <ul>
 * <li>POSIX ustar; names longer than 100 bytes, non-ASCII names and big numbers use pax
 *     extended headers ('x').</li>
 * <li>Names are relative, without "./"; directories end in "/"; the root itself has no entry.
 *     Entries come depth-first, names sorted within each directory, so a directory always comes
 *     before its contents.</li>
 * <li>Types: regular '0', hard link '1' (link name = the earlier entry's name), symbolic link
 *     '2' (target as stored in the package, often relative), character '3' and block '4'
 *     devices, directory '5', FIFO '6'.</li>
 * <li>The mode field holds permission bits only (07777, including setuid/setgid/sticky); the
 *     object's type is the typeflag. Mode bits, uid and gid come from the packages or layers;
 *     user/group names are "root" for id 0 and empty otherwise; mtime is always
 *     {@link dev.friscy.image.ReproducibleTar#FIXED_MTIME}. The same inputs give the same bytes.</li>
 * <li>Debian images are merged-/usr: {@code bin -> usr/bin}, {@code lib -> usr/lib},
 *     {@code sbin -> usr/sbin}; {@code /lib/ld-linux-riscv64-lp64d.so.1} resolves through the
 *     {@code lib} link. They also hold /etc/passwd, /etc/group, /etc/hostname ("friscy"),
 *     /tmp (1777), /root (700) and empty /dev and /proc.</li>
 * </ul>
 */
package dev.friscy.image;
