package dev.friscy.mem;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A process's virtual address space: a set of {@link Vma}s, a radix page table filled on
 * demand, and a small direct-mapped software TLB that the interpreter reads inline.
 *
 * The TLB arrays are public so that the CPU loop can do the common case (an aligned access
 * to a page already in the TLB) without a call. Everything else goes through
 * {@link #load} / {@link #store}, which handle misalignment, page crossings, demand paging,
 * copy-on-write and protection, and report faults through {@link #faultSignal} rather than
 * by throwing.
 */
public final class AddressSpace {
    /** User addresses are below 2^47 (Sv48). */
    public static final int VA_BITS = 47;
    public static final long VA_LIMIT = 1L << VA_BITS;

    public static final int TLB_BITS = 10;
    public static final int TLB_SIZE = 1 << TLB_BITS;
    public static final int TLB_MASK = TLB_SIZE - 1;

    /** Signals a fault reports; the numbers are Linux's. */
    public static final int SIGBUS = 7;
    public static final int SIGSEGV = 11;
    public static final int SEGV_MAPERR = 1;
    public static final int SEGV_ACCERR = 2;

    // --- software TLB (read, write, execute) ---
    public final long[] rTag = new long[TLB_SIZE];
    public final long[][] rData = new long[TLB_SIZE][];
    public final long[] wTag = new long[TLB_SIZE];
    public final long[][] wData = new long[TLB_SIZE][];
    public final long[] xTag = new long[TLB_SIZE];
    public final Page[] xPage = new Page[TLB_SIZE];

    /** Makes every new address space's {@link #mirror}: the Worker sets it, the JVM leaves it null. */
    public static TlbMirror.Factory mirrors;
    /** rData and wData in another interpreter's form (see {@link TlbMirror}), or null. */
    public final TlbMirror mirror = mirrors == null ? null : mirrors.create();

    // --- fault report of the last slow-path access ---
    public int faultSignal;
    public int faultCode;
    public long faultAddr;

    // --- page table: 4 levels over the 35-bit virtual page number, 8 + 9 + 9 + 9 bits ---
    // Nodes of 512 entries, as Sv48's: a small process (text, heap, stack, a few mappings) has a
    // handful of 2 KiB nodes, and fork copies, exit and exec free, only those. With 4096-entry
    // nodes every new address space allocated and fork copied ~100 KB of mostly empty tables,
    // a tenth of a busybox fork+exec+exit's kernel time.
    private static final int NODE_BITS = 9;
    private static final int NODE = 1 << NODE_BITS;
    private static final int NODE_MASK = NODE - 1;
    private static final int S1 = 3 * NODE_BITS;
    private static final int S2 = 2 * NODE_BITS;
    private static final int S3 = NODE_BITS;
    private final Page[][][][] root = new Page[1 << (VA_BITS - Page.SHIFT - S1)][][][];
    private long residentPages;

    private final TreeMap<Long, Vma> vmas = new TreeMap<>();
    /** The VMA the last lookup found: TLB misses mostly land in the same one. Cleared by every change. */
    private Vma lastVma;

    // --- layout ---
    public long brkStart;
    public long brk;
    public long mmapBase = 0x3f_0000_0000L;
    public long stackTop = 0x3f_ffff_f000L;

    /** Tasks using this address space (threads and CLONE_VM children); released at zero. */
    public int users = 1;

    /** Bumped whenever mappings or protections change, so code caches outside can notice. */
    public int generation;

    /**
     * Bumped whenever a TLB entry stops being valid other than by being evicted: a flush, a write
     * entry dropped, a page table entry replaced or removed. A copy of TLB entries kept outside
     * (the Worker's translated code reads one) stays right while this does not move.
     */
    public int tlbEpoch;

    /**
     * A fault report meaning "no memory for this page" (the session's {@link MemoryAccount} is
     * full): not a signal; the kernel runs its OOM killer and the access is retried.
     */
    public static final int SIG_OOM = 0x100;

    /** What this address space's pages are charged to; unlimited until a kernel {@link #attach}es it. */
    private MemoryAccount account = UNCOUNTED;
    private static final MemoryAccount UNCOUNTED = MemoryAccount.unlimited();
    private boolean charged;
    /** Scratch for the kernel's recount of pages in use. */
    public int recountMark;

    public AddressSpace() {
        flushTlb();
    }

    /** Charges this address space's fixed cost to {@code a}, where its pages go from now on; false if full. */
    public boolean attach(MemoryAccount a) {
        if (!a.charge(MemoryAccount.ADDRESS_SPACE_PAGES)) {
            return false;
        }
        account = a;
        charged = true;
        return true;
    }

    public MemoryAccount account() {
        return account;
    }

    /** Counts, once per {@code mark}, the private pages mapped here that no earlier space counted. */
    public long countPages(int mark) {
        long n = 0;
        for (Page[][][] l2 : root) {
            if (l2 == null) {
                continue;
            }
            for (Page[][] l3 : l2) {
                if (l3 == null) {
                    continue;
                }
                for (Page[] l4 : l3) {
                    if (l4 == null) {
                        continue;
                    }
                    for (Page p : l4) {
                        if (p != null && !p.pageCache && p.recountMark != mark) {
                            p.recountMark = mark;
                            n++;
                        }
                    }
                }
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ TLB

    public void flushTlb() {
        java.util.Arrays.fill(rTag, -1);
        java.util.Arrays.fill(rData, null);
        java.util.Arrays.fill(wTag, -1);
        java.util.Arrays.fill(wData, null);
        java.util.Arrays.fill(xTag, -1);
        java.util.Arrays.fill(xPage, null);
        if (mirror != null) {
            mirror.clear(false);
        }
        generation++;
        tlbEpoch++;
    }

    public void flushWriteTlb() {
        tlbEpoch++;
        for (int i = 0; i < TLB_SIZE; i++) {
            wTag[i] = -1;
            wData[i] = null;
        }
        if (mirror != null) {
            mirror.clear(true);
        }
    }

    /** Called by the decoder when it starts caching decodes for a page: stores must take the slow path. */
    public void dropWriteTlb(long vpn) {
        int i = (int) vpn & TLB_MASK;
        if (wTag[i] == vpn) {
            wTag[i] = -1;
            wData[i] = null;
        }
        tlbEpoch++;
    }

    // ------------------------------------------------------------------ page table

    private Page pte(long vpn) {
        Page[][][] l2 = root[(int) (vpn >>> S1)];
        if (l2 == null) {
            return null;
        }
        Page[][] l3 = l2[(int) (vpn >>> S2) & NODE_MASK];
        if (l3 == null) {
            return null;
        }
        Page[] l4 = l3[(int) (vpn >>> S3) & NODE_MASK];
        if (l4 == null) {
            return null;
        }
        return l4[(int) vpn & NODE_MASK];
    }

    private void setPte(long vpn, Page p) {
        int i1 = (int) (vpn >>> S1);
        Page[][][] l2 = root[i1];
        if (l2 == null) {
            if (p == null) {
                return;
            }
            l2 = root[i1] = new Page[NODE][][];
        }
        int i2 = (int) (vpn >>> S2) & NODE_MASK;
        Page[][] l3 = l2[i2];
        if (l3 == null) {
            if (p == null) {
                return;
            }
            l3 = l2[i2] = new Page[NODE][];
        }
        int i3 = (int) (vpn >>> S3) & NODE_MASK;
        Page[] l4 = l3[i3];
        if (l4 == null) {
            if (p == null) {
                return;
            }
            l4 = l3[i3] = new Page[NODE];
        }
        int i4 = (int) vpn & NODE_MASK;
        Page old = l4[i4];
        if (old != null && old != p) {
            tlbEpoch++;
        }
        if (old == null && p != null) {
            residentPages++;
        } else if (old != null && p == null) {
            residentPages--;
        }
        l4[i4] = p;
    }

    /** The page backing {@code addr} if one is resident; never faults or allocates. */
    public Page residentPage(long addr) {
        if (addr < 0 || addr >= VA_LIMIT) {
            return null;
        }
        return pte(addr >>> Page.SHIFT);
    }

    public long residentPages() {
        return residentPages;
    }

    // ------------------------------------------------------------------ VMAs

    public Vma findVma(long addr) {
        Vma last = lastVma;
        if (last != null && addr >= last.start && addr < last.end) {
            return last;
        }
        Map.Entry<Long, Vma> e = vmas.floorEntry(addr);
        if (e == null) {
            return null;
        }
        Vma v = e.getValue();
        if (addr < v.end) {
            lastVma = v;
            return v;
        }
        return null;
    }

    /** After any change to the VMAs: the lookup caches may hold VMAs that changed or went away. */
    private void forgetVmas() {
        lastVma = null;
    }

    /** Mappings in this address space (what vm.max_map_count limits). */
    public int vmaCount() {
        return vmas.size();
    }

    public Iterable<Vma> vmas() {
        return vmas.values();
    }

    /** True if no VMA overlaps [start, end). */
    public boolean isFree(long start, long end) {
        if (start < 0 || end > VA_LIMIT || start >= end) {
            return false;
        }
        Map.Entry<Long, Vma> e = vmas.lowerEntry(end);
        return e == null || e.getValue().end <= start;
    }

    /** Finds a free, page-aligned range of {@code len} bytes, searching down from {@link #mmapBase}. */
    public long findFree(long len) {
        long top = mmapBase;
        while (top - len >= 0x10000) {
            long start = top - len;
            Map.Entry<Long, Vma> e = vmas.lowerEntry(top);
            if (e == null || e.getValue().end <= start) {
                return start;
            }
            top = e.getValue().start;
        }
        return -1;
    }

    /**
     * Maps [start, start+len) replacing whatever was there (like MAP_FIXED). Pages are filled on
     * first touch from the file or with zeros.
     */
    public Vma map(long start, long len, int prot, boolean shared, MappedFile file, long fileOffset, String name) {
        forgetVmas();
        long end = start + len;
        unmap(start, len);
        Vma v = new Vma(start, end, prot, shared, file, fileOffset, name);
        vmas.put(start, v);
        generation++;
        return v;
    }

    /** Moves the start of {@code v} down to {@code newStart} (a MAP_GROWSDOWN area growing; the caller checked the room). */
    public void extendDown(Vma v, long newStart) {
        forgetVmas();
        vmas.remove(v.start);
        v.start = newStart;
        vmas.put(newStart, v);
        generation++;
    }

    /** Removes all mappings in [start, start+len), freeing their pages. */
    public void unmap(long start, long len) {
        forgetVmas();
        long end = start + len;
        splitAt(start);
        splitAt(end);
        List<Vma> gone = new ArrayList<>();
        for (Map.Entry<Long, Vma> e : vmas.subMap(start, true, end, false).entrySet()) {
            gone.add(e.getValue());
        }
        for (Vma v : gone) {
            vmas.remove(v.start);
            dropPages(v.start, v.end);
        }
        // the splits above looked the removed pieces up (see whatAChangeUnmapsFaultsAtOnce)
        forgetVmas();
        if (!gone.isEmpty()) {
            flushTlb();
        }
    }

    private void dropPages(long start, long end) {
        long last = end >>> Page.SHIFT;
        for (long vpn = start >>> Page.SHIFT; vpn < last; ) {
            // walk the tables, not every page: a huge reservation (an ELF's bss, a PROT_NONE
            // arena) of terabytes holds few pages, and exit or munmap must not count them all
            Page[][][] l2 = root[(int) (vpn >>> S1)];
            if (l2 == null) {
                vpn = (vpn | ((1L << S1) - 1)) + 1;
                continue;
            }
            Page[][] l3 = l2[(int) (vpn >>> S2) & NODE_MASK];
            if (l3 == null) {
                vpn = (vpn | ((1L << S2) - 1)) + 1;
                continue;
            }
            Page[] l4 = l3[(int) (vpn >>> S3) & NODE_MASK];
            if (l4 == null) {
                vpn = (vpn | NODE_MASK) + 1;
                continue;
            }
            Page p = l4[(int) vpn & NODE_MASK];
            if (p != null) {
                if (--p.sharers == 0 && !p.pageCache) {
                    account.credit(1);
                }
                setPte(vpn, null);
            }
            vpn++;
        }
    }

    /** Splits the VMA containing {@code addr} so that a VMA starts exactly at {@code addr}. */
    private void splitAt(long addr) {
        forgetVmas();
        Vma v = findVma(addr);
        if (v == null || v.start == addr) {
            return;
        }
        Vma tail = v.slice(addr, v.end);
        v.end = addr;
        vmas.put(addr, tail);
    }

    /** Changes protection of [start, start+len). Returns false if part of the range is unmapped (ENOMEM). */
    public boolean protect(long start, long len, int prot) {
        forgetVmas();
        long end = start + len;
        if (!isMapped(start, end)) {
            return false;
        }
        splitAt(start);
        splitAt(end);
        for (Vma v : vmas.subMap(start, true, end, false).values()) {
            v.prot = prot;
        }
        flushTlb();
        return true;
    }

    /** mlock / munlock: marks the mappings of [start, start+len); false if part of it is unmapped. */
    public boolean setLocked(long start, long len, boolean on) {
        forgetVmas();
        long end = start + len;
        if (!isMapped(start, end)) {
            return false;
        }
        splitAt(start);
        splitAt(end);
        for (Vma v : vmas.subMap(start, true, end, false).values()) {
            v.locked = on;
        }
        return true;
    }

    /** Bytes of locked mappings (VmLck). */
    public long lockedBytes() {
        long n = 0;
        for (Vma v : vmas.values()) {
            if (v.locked) {
                n += v.end - v.start;
            }
        }
        return n;
    }

    /** Zeroes (anonymous) or re-reads (file) the pages of [start, start+len), as MADV_DONTNEED does. */
    public void discard(long start, long len) {
        long end = start + len;
        // by mapping, then by page table: a huge private reservation holds few pages
        for (Vma v : new ArrayList<>(vmas.subMap(vmas.floorKey(start) == null ? start : vmas.floorKey(start), true, end, false).values())) {
            if (!v.shared && v.end > start) {
                dropPages(Math.max(start, v.start), Math.min(end, v.end));
            }
        }
        flushTlb();
    }

    /** Moves the program break; returns the new break (unchanged on failure), as brk(2) does. */
    public long setBrk(long newBrk) {
        forgetVmas();
        if (newBrk < brkStart) {
            return brk;
        }
        long oldTop = (brk + Page.MASK) & ~Page.MASK;
        long newTop = (newBrk + Page.MASK) & ~Page.MASK;
        if (newTop > oldTop) {
            if (!isFree(oldTop, newTop)) {
                return brk;
            }
            Vma heap = oldTop > brkStart ? findVma(oldTop - 1) : null;
            if (heap != null && "[heap]".equals(heap.name) && heap.end == oldTop) {
                heap.end = newTop;
            } else {
                map(oldTop, newTop - oldTop, Prot.READ | Prot.WRITE, false, null, 0, "[heap]");
            }
        } else if (newTop < oldTop) {
            unmap(newTop, oldTop - newTop);
        }
        brk = newBrk;
        return brk;
    }

    /**
     * Moves the mapping [oldStart, oldStart+oldLen) to [newStart, newStart+newLen) (which must be
     * free), pages and all, as mremap's move does: the result is one VMA with the old one's
     * attributes, however much it grew, so a later mremap of the whole range finds it in one
     * piece. The range must lie in one VMA and newLen must be at least oldLen. With
     * {@code keepOld} (MREMAP_DONTUNMAP) the old VMA stays, emptied: it refills from its file or
     * with zeros on the next touch.
     */
    public void remap(long oldStart, long oldLen, long newStart, long newLen, boolean keepOld) {
        forgetVmas();
        splitAt(oldStart);
        splitAt(oldStart + oldLen);
        Vma v = keepOld ? vmas.get(oldStart) : vmas.remove(oldStart);
        for (long off = 0; off < oldLen; off += Page.SIZE) {
            long ovpn = (oldStart + off) >>> Page.SHIFT;
            Page p = pte(ovpn);
            if (p != null) {
                setPte(ovpn, null);
                setPte((newStart + off) >>> Page.SHIFT, p);
            }
        }
        Vma nv = new Vma(newStart, newStart + newLen, v.prot, v.shared, v.file, v.fileOffset, v.name);
        vmas.put(newStart, nv);
        forgetVmas(); // the splits above looked up the VMA just removed
        generation++;
        flushTlb();
    }

    /** Grows the VMA that ends at {@code end} by {@code extra} bytes, if the room is free. */
    public boolean growInPlace(long start, long end, long extra) {
        forgetVmas();
        Vma v = findVma(end - 1);
        if (v == null || v.end != end || v.start > start || !isFree(end, end + extra)) {
            return false;
        }
        if (v.start < start) {
            splitAt(start);
            v = findVma(end - 1);
        }
        v.end = end + extra;
        generation++;
        return true;
    }

    /** True if every byte of [start, end) is mapped. */
    public boolean isMapped(long start, long end) {
        for (long a = start; a < end; ) {
            Vma v = findVma(a);
            if (v == null) {
                return false;
            }
            a = v.end;
        }
        return true;
    }

    // ------------------------------------------------------------------ fork

    /** A copy-on-write copy of this address space, for fork. */
    public AddressSpace fork() {
        AddressSpace c = new AddressSpace();
        if (!c.attach(account)) {
            return null; // the session's memory is full: fork fails ENOMEM
        }
        c.brkStart = brkStart;
        c.brk = brk;
        c.mmapBase = mmapBase;
        c.stackTop = stackTop;
        for (Vma v : vmas.values()) {
            Vma cv = v.slice(v.start, v.end);
            cv.locked = false; // memory locks are not inherited by a fork child
            c.vmas.put(v.start, cv);
        }
        for (int i1 = 0; i1 < root.length; i1++) {
            Page[][][] l2 = root[i1];
            if (l2 == null) {
                continue;
            }
            Page[][][] cl2 = c.root[i1] = new Page[NODE][][];
            for (int i2 = 0; i2 < NODE; i2++) {
                Page[][] l3 = l2[i2];
                if (l3 == null) {
                    continue;
                }
                Page[][] cl3 = cl2[i2] = new Page[NODE][];
                for (int i3 = 0; i3 < NODE; i3++) {
                    Page[] l4 = l3[i3];
                    if (l4 == null) {
                        continue;
                    }
                    Page[] cl4 = cl3[i3] = l4.clone();
                    for (Page p : cl4) {
                        if (p != null) {
                            p.sharers++;
                            c.residentPages++;
                        }
                    }
                }
            }
        }
        flushWriteTlb();
        return c;
    }

    /** Frees every mapping (exit or exec). */
    public void release() {
        forgetVmas();
        for (Vma v : vmas.values()) {
            dropPages(v.start, v.end);
        }
        vmas.clear();
        flushTlb();
        if (charged) {
            charged = false;
            account.credit(MemoryAccount.ADDRESS_SPACE_PAGES);
        }
    }

    // ------------------------------------------------------------------ page resolution

    private boolean fault(int sig, int code, long addr) {
        faultSignal = sig;
        faultCode = code;
        faultAddr = addr;
        return false;
    }

    public void clearFault() {
        faultSignal = 0;
        faultCode = 0;
        faultAddr = 0;
    }

    /** BUS_ADRERR: a file mapping's page that lies wholly past the end of the file. */
    public static final int BUS_ADRERR = 2;

    /** Whether page {@code vpn} of file mapping {@code v} lies wholly past the end of its file. */
    private static boolean pastEndOfFile(Vma v, long vpn) {
        if (v.file == null) {
            return false;
        }
        long size = v.file.mappedBytes();
        long va = vpn << Page.SHIFT;
        return size < Long.MAX_VALUE - Page.MASK && v.fileOffset + (va - v.start) >= ((size + Page.MASK) & ~Page.MASK);
    }

    /** Records why {@link #materialize} gave no page: SIGBUS past the end of the file, else the memory limit. */
    private boolean materializeFault(Vma v, long vpn, long addr) {
        return pastEndOfFile(v, vpn) ? fault(SIGBUS, BUS_ADRERR, addr) : fault(SIG_OOM, 0, addr);
    }

    /** The page at {@code vpn} of {@code v}, made present; null for a file page past EOF (SIGBUS) or when memory is full. */
    private Page materialize(Vma v, long vpn) {
        Page p = pte(vpn);
        if (p != null) {
            return p;
        }
        long va = vpn << Page.SHIFT;
        if (pastEndOfFile(v, vpn)) {
            return null;
        }
        if (v.file == null) {
            if (!account.charge(1)) {
                return null;
            }
            p = new Page();
        } else if (v.shared || ((v.fileOffset + (va - v.start)) & Page.MASK) == 0) {
            // a shared mapping, or a private one mapping the cached page itself (copied on first write)
            try {
                p = v.file.sharedPage((v.fileOffset + (va - v.start)) >>> Page.SHIFT);
            } catch (RuntimeException full) {
                return null; // the file's page could not be charged
            }
            p.sharers++;
        } else {
            if (!account.charge(1)) {
                return null;
            }
            p = new Page();
            v.file.readPage(v.fileOffset + (va - v.start), p.data);
        }
        setPte(vpn, p);
        return p;
    }

    /** The page at {@code vpn} for reading, filling the read TLB; null with a fault report if not readable. */
    public Page pageForRead(long addr) {
        Vma v = findVma(addr);
        if (v == null || addr < 0 || addr >= VA_LIMIT) {
            fault(SIGSEGV, SEGV_MAPERR, addr);
            return null;
        }
        if ((v.prot & Prot.READ) == 0) {
            fault(SIGSEGV, SEGV_ACCERR, addr);
            return null;
        }
        long vpn = addr >>> Page.SHIFT;
        Page p = materialize(v, vpn);
        if (p == null) {
            materializeFault(v, vpn, addr);
            return null;
        }
        int i = (int) vpn & TLB_MASK;
        rTag[i] = vpn;
        rData[i] = p.data;
        if (mirror != null) {
            mirror.fill(i, p.data, false);
        }
        return p;
    }

    private Page breakCow(long vpn, Page p) {
        if (!account.charge(1)) {
            return null;
        }
        Page c = p.copy();
        p.sharers--;
        setPte(vpn, c);
        return c;
    }

    /** The page for writing: breaks copy-on-write and drops decodes, then fills the write TLB. */
    public Page pageForWrite(long addr) {
        Vma v = findVma(addr);
        if (v == null || addr < 0 || addr >= VA_LIMIT) {
            fault(SIGSEGV, SEGV_MAPERR, addr);
            return null;
        }
        if ((v.prot & Prot.WRITE) == 0) {
            fault(SIGSEGV, SEGV_ACCERR, addr);
            return null;
        }
        long vpn = addr >>> Page.SHIFT;
        Page p = materialize(v, vpn);
        if (p == null) {
            materializeFault(v, vpn, addr);
            return null;
        }
        if (!v.shared && (p.sharers > 1 || p.pageCache)) {
            p = breakCow(vpn, p);
            if (p == null) {
                fault(SIG_OOM, 0, addr);
                return null;
            }
        }
        if (p.decodedOps != null) {
            p.invalidateDecode();
        }
        int i = (int) vpn & TLB_MASK;
        wTag[i] = vpn;
        wData[i] = p.data;
        // the read TLB may hold the pre-copy page
        rTag[i] = vpn;
        rData[i] = p.data;
        if (mirror != null) {
            mirror.fill(i, p.data, true);
        }
        return p;
    }

    /** The page for instruction fetch; fills the execute TLB. */
    public Page pageForExec(long addr) {
        Vma v = findVma(addr);
        if (v == null || addr < 0 || addr >= VA_LIMIT) {
            fault(SIGSEGV, SEGV_MAPERR, addr);
            return null;
        }
        if ((v.prot & Prot.EXEC) == 0) {
            fault(SIGSEGV, SEGV_ACCERR, addr);
            return null;
        }
        long vpn = addr >>> Page.SHIFT;
        Page p = materialize(v, vpn);
        if (p == null) {
            materializeFault(v, vpn, addr);
            return null;
        }
        int i = (int) vpn & TLB_MASK;
        xTag[i] = vpn;
        xPage[i] = p;
        return p;
    }

    // ------------------------------------------------------------------ slow-path accesses

    /**
     * Loads {@code size} (1, 2, 4 or 8) bytes, zero-extended. Handles every case; on a fault
     * returns 0 and sets {@link #faultSignal}.
     */
    public long load(long addr, int size) {
        long off = addr & Page.MASK;
        if (off + size <= Page.SIZE) {
            // misaligned loads inside a page (V8's generated code does many) often hit the TLB
            long vpn = addr >>> Page.SHIFT;
            int ti = (int) vpn & TLB_MASK;
            long[] d;
            if (rTag[ti] == vpn && addr >= 0) {
                d = rData[ti];
            } else {
                Page p = pageForRead(addr);
                if (p == null) {
                    return 0;
                }
                d = p.data;
            }
            int o = (int) off;
            long m = size == 8 ? -1L : size == 4 ? 0xffffffffL : size == 2 ? 0xffffL : 0xffL;
            int sh = (o & 7) << 3;
            long lo = d[o >>> 3] >>> sh;
            if ((o & 7) + size <= 8) {
                return lo & m;
            }
            // the value straddles two longs of the page (sh is not 0 here)
            return (lo | d[(o >>> 3) + 1] << (64 - sh)) & m;
        }
        long r = 0;
        for (int k = size - 1; k >= 0; k--) {
            long b = load(addr + k, 1);
            if (faultSignal != 0) {
                return 0;
            }
            r = (r << 8) | b;
        }
        return r;
    }

    /** Stores the low {@code size} bytes of {@code val}; returns false (fault set) on a fault. */
    public boolean store(long addr, int size, long val) {
        long off = addr & Page.MASK;
        if (off + size <= Page.SIZE) {
            Page p = pageForWrite(addr);
            if (p == null) {
                return false;
            }
            int o = (int) off;
            if ((o & (size - 1)) == 0 && size == 8) {
                p.data[o >>> 3] = val;
                return true;
            }
            for (int k = 0; k < size; k++) {
                p.putByte(o + k, (int) (val >>> (k << 3)));
            }
            return true;
        }
        // crossing a page: check both pages first so a fault leaves memory untouched
        if (pageForWrite(addr) == null || pageForWrite(addr + size - 1) == null) {
            return false;
        }
        for (int k = 0; k < size; k++) {
            store(addr + k, 1, val >>> (k << 3));
        }
        return true;
    }

    // ------------------------------------------------------------------ kernel copies

    /** Copies guest memory into {@code dst}; false (fault set) if any byte is unreadable. */
    public boolean read(long addr, byte[] dst, int off, int len) {
        while (len > 0) {
            Page p = pageForRead(addr);
            if (p == null) {
                return false;
            }
            int po = (int) (addr & Page.MASK);
            int n = Math.min(len, Page.SIZE - po);
            p.read(po, dst, off, n);
            addr += n;
            off += n;
            len -= n;
        }
        return true;
    }

    /** Copies {@code src} into guest memory with user write permission; false (fault set) on a fault. */
    public boolean write(long addr, byte[] src, int off, int len) {
        while (len > 0) {
            Page p = pageForWrite(addr);
            if (p == null) {
                return false;
            }
            int po = (int) (addr & Page.MASK);
            int n = Math.min(len, Page.SIZE - po);
            p.write(po, src, off, n);
            addr += n;
            off += n;
            len -= n;
        }
        return true;
    }

    /**
     * Writes into guest memory regardless of protection (the loader filling read-only segments).
     * Breaks copy-on-write like a normal store. Returns false if an address is unmapped.
     */
    public boolean poke(long addr, byte[] src, int off, int len) {
        while (len > 0) {
            Vma v = findVma(addr);
            if (v == null) {
                return fault(SIGSEGV, SEGV_MAPERR, addr);
            }
            long vpn = addr >>> Page.SHIFT;
            Page p = materialize(v, vpn);
            if (p == null) {
                return materializeFault(v, vpn, addr);
            }
            if (!v.shared && (p.sharers > 1 || p.pageCache)) {
                p = breakCow(vpn, p);
                if (p == null) {
                    return fault(SIG_OOM, 0, addr);
                }
            }
            p.invalidateDecode();
            int po = (int) (addr & Page.MASK);
            int n = Math.min(len, Page.SIZE - po);
            p.write(po, src, off, n);
            addr += n;
            off += n;
            len -= n;
        }
        flushTlb();
        return true;
    }

    /** Reads a NUL-terminated string of at most {@code max} bytes; null (fault set, or too long) otherwise. */
    public byte[] readCString(long addr, int max) {
        byte[] buf = new byte[64];
        int n = 0;
        while (true) {
            if (n == max) {
                return null;
            }
            long b = load(addr + n, 1);
            if (faultSignal != 0) {
                return null;
            }
            if (b == 0) {
                break;
            }
            if (n == buf.length) {
                byte[] nb = new byte[buf.length * 2];
                System.arraycopy(buf, 0, nb, 0, n);
                buf = nb;
            }
            buf[n++] = (byte) b;
        }
        byte[] r = new byte[n];
        System.arraycopy(buf, 0, r, 0, n);
        return r;
    }

    /** Zeroes [addr, addr+len) through normal write permission. */
    public boolean zero(long addr, long len) {
        byte[] z = new byte[(int) Math.min(len, Page.SIZE)];
        while (len > 0) {
            int n = (int) Math.min(len, Page.SIZE - (addr & Page.MASK));
            if (!write(addr, z, 0, n)) {
                return false;
            }
            addr += n;
            len -= n;
        }
        return true;
    }

    /** Human-readable mapping list in /proc/pid/maps format. */
    public String describeMaps() {
        StringBuilder sb = new StringBuilder();
        Iterator<Vma> it = vmas.values().iterator();
        while (it.hasNext()) {
            Vma v = it.next();
            sb.append(Long.toHexString(v.start)).append('-').append(Long.toHexString(v.end)).append(' ')
                    .append(Prot.toString(v.prot)).append(v.shared ? 's' : 'p').append(' ')
                    .append(String.format("%08x", v.fileOffset)).append(" 00:00 0");
            String n = v.name != null ? v.name : v.file != null ? v.file.mapName() : null;
            if (n != null) {
                sb.append("                          ").append(n);
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
