package dev.friscy.kernel;

import dev.friscy.fs.FileDescription;
import dev.friscy.fs.Inode;
import dev.friscy.mem.AddressSpace;
import dev.friscy.mem.MemoryAccount;
import dev.friscy.mem.Vma;

import java.util.ArrayDeque;

/**
 * What happens when the session's memory is full: the true count of pages in use (so that
 * file pages of forgotten files stop counting), and Linux's OOM killer, which ends the
 * process holding most memory with a message on the console. The emulator itself never dies
 * of it; init is chosen only when nothing else is left, which ends the session.
 */
final class OomKiller implements MemoryAccount.Recount {
    private final Kernel k;
    private int mark;

    OomKiller(Kernel k) {
        this.k = k;
    }

    /** Walks every address space and every file reachable from the tree, a descriptor or a mapping. */
    @Override
    public long pagesInUse() {
        int m = ++mark;
        long pages = 0;
        long filePages = 0;
        ArrayDeque<Inode> dirs = new ArrayDeque<>();
        dirs.add(k.vfs.root);
        while (!dirs.isEmpty()) {
            Inode d = dirs.poll();
            if (d.entries == null) {
                continue; // /proc and /dev directories list what exists, they hold no file data
            }
            for (Inode i : d.entries.values()) {
                if (i.isDir()) {
                    if (i != d && i != d.parent) {
                        dirs.add(i);
                    }
                } else if (i.isRegular()) {
                    filePages += i.countPages(m);
                }
            }
        }
        for (ThreadGroup g : k.processes()) {
            for (Task t : g.tasks) {
                AddressSpace as = t.mm;
                if (as != null && as.recountMark != m) {
                    as.recountMark = m;
                    pages += MemoryAccount.ADDRESS_SPACE_PAGES + as.countPages(m);
                    for (Vma v : as.vmas()) {
                        if (v.file instanceof Inode) {
                            filePages += ((Inode) v.file).countPages(m);
                        }
                    }
                }
                if (t.files != null) {
                    for (int fd = 0; fd < t.files.size(); fd++) {
                        FileDescription f = t.files.getOrNull(fd);
                        Inode i = f == null ? null : f.inode();
                        if (i != null && i.isRegular()) {
                            filePages += i.countPages(m);
                        }
                    }
                }
            }
        }
        k.memory.setFilePages(filePages);
        return pages + filePages;
    }

    /**
     * Kills the process with the most resident memory, as Linux's OOM killer would; {@code t} is
     * the task that found memory full. Returns the victim (null if there was none).
     */
    ThreadGroup kill(Task t) {
        ThreadGroup victim = null;
        long most = -1;
        for (ThreadGroup g : k.processes()) {
            if (g.isZombie() || g.exiting || g == k.init || g.tasks.isEmpty()) {
                continue;
            }
            long rss = rss(g);
            if (rss > most) {
                most = rss;
                victim = g;
            }
        }
        if (victim == null && k.init != null && !k.init.isZombie()) {
            victim = k.init; // nothing else left to free: the session ends, as a Linux box would panic
        }
        if (victim == null) {
            return null;
        }
        Task l = victim.tasks.get(0);
        long vmKb = 0;
        if (l.mm != null) {
            for (Vma v : l.mm.vmas()) {
                vmKb += (v.end - v.start) >> 10;
            }
        }
        k.diagnostic("friscy: Out of memory: Killed process " + victim.pid + " (" + l.comm + ") total-vm:" + vmKb
                + "kB, anon-rss:" + (rss(victim) * 4) + "kB; the session's limit is "
                + (k.memory.limitPages() >> 8) + " MiB (friscy run --memory)");
        Lifecycle.exitGroup(k, victim, Signals.SIGKILL);
        return victim;
    }

    private static long rss(ThreadGroup g) {
        Task l = g.tasks.get(0);
        return l.mm == null ? 0 : l.mm.residentPages();
    }
}
