package dev.friscy.jit.jvm;

import dev.friscy.jit.Code;
import dev.friscy.jit.Region;
import dev.friscy.mem.Page;

/** The superclass of generated regions: what they need besides the hart. */
public abstract class JvmCode extends Code {
    /** The region's code page and the decode array it was built from (see Region#pageOps). */
    public Page page;
    public int[] ops;
    /** The next page and its decode array, if the region runs on into it (see Region#page2). */
    public Page page2;
    public int[] ops2;
    /** The region, while it may be translated again (see Jit#missed). */
    Region region;
    /** Whether its accesses leave on a TLB miss. */
    boolean missExits;
}
