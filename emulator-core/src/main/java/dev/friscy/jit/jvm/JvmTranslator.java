package dev.friscy.jit.jvm;

import dev.friscy.jit.Code;
import dev.friscy.jit.Jit;
import dev.friscy.jit.Region;
import dev.friscy.jit.Translator;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The JVM back end: each region becomes a hidden class (unloaded with its last reference, i.e.
 * when its page's decodes are dropped) whose one method runs the region with guest registers in
 * JVM locals.
 */
public final class JvmTranslator implements Translator {
    /** Regions stay well below HotSpot's huge-method limit (8000 bytes of bytecode are never compiled). */
    static final int MAX_CODE_BYTES = 7900;

    /** Regions call out to the code they leave for (see Dispatch#link); -Dfriscy.jit.link=false to compare. */
    static final boolean link = !"false".equals(System.getProperty("friscy.jit.link"));

    /**
     * Page entries that make a page hot at the default threshold (see Jit#countEntries): 20 times
     * the threshold's backward branches, so that an entry weighs a twentieth of a loop.
     */
    static final int HOT_ENTRIES = 20 * Jit.DEFAULT_THRESHOLD;

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

    /** Whether this back end's regions call out (tests model the Worker's back end with false). */
    private final boolean linking;

    public JvmTranslator() {
        this(link);
    }

    public JvmTranslator(boolean linking) {
        this.linking = linking;
    }

    @Override
    public Code translate(Region r) {
        return translate(r, missExits);
    }

    @Override
    public Code withoutMissExits(Code c) {
        if (!(c instanceof JvmCode) || !((JvmCode) c).missExits) {
            return null;
        }
        return translate(((JvmCode) c).region, false);
    }

    private Code translate(Region r, boolean missExits) {
        byte[] cls = RegionEmitter.emit(r, MAX_CODE_BYTES, linking, missExits, loopRegisters);
        if (cls == null && (missExits || loopRegisters)) {
            // both add code (an exit per access, register moves between loops): a region that
            // fits only without them is better whole than cut in half (libgcc's frame walk in
            // busybox's start-up: cut, fork+exec+wait took 1.8 ms instead of 0.75 ms)
            missExits = false;
            cls = RegionEmitter.emit(r, MAX_CODE_BYTES, linking, false, false);
        }
        if (cls == null) {
            return null;
        }
        Jit.codeBytes += cls.length;
        try {
            MethodHandles.Lookup l = LOOKUP.defineHiddenClass(cls, true);
            JvmCode c = (JvmCode) l.findConstructor(l.lookupClass(), MethodType.methodType(void.class)).invoke();
            c.page = r.page;
            c.ops = r.pageOps;
            c.page2 = r.page2;
            c.ops2 = r.pageOps2;
            c.linking = linking;
            c.missExits = missExits;
            c.region = missExits ? r : null;
            return c;
        } catch (Throwable e) {
            // a verifier error here is a translator bug: say so once per region, keep interpreting
            throw new IllegalStateException("translator produced an invalid class: " + e, e);
        }
    }

    /** Code called from translated code: its function, mostly; a comparator is a few instructions. */
    @Override
    public int maxLinked() {
        return 100;
    }

    @Override
    public boolean linksCalls() {
        return linking;
    }

    /**
     * Regions are entered only where code comes in by nature (see Region#keepEntries);
     * -Dfriscy.jit.entries=all enters them at every block, to compare.
     */
    static boolean fewEntries = !"all".equals(System.getProperty("friscy.jit.entries"));

    /**
     * Regions are entered through the heads of the loops around the entry block (see Loops);
     * -Dfriscy.jit.heads=false enters blocks directly, to compare.
     */
    static boolean throughHeads = !"false".equals(System.getProperty("friscy.jit.heads"));

    /**
     * Inside a loop that holds no other loop only the registers it uses live in locals (see
     * RegionEmitter#ctx); -Dfriscy.jit.loopregs=false keeps them all in locals, to compare.
     */
    static boolean loopRegisters = !"false".equals(System.getProperty("friscy.jit.loopregs"));

    /**
     * A loop that holds no other loop and makes no call is compiled as its own method (see
     * RegionEmitter#inMethod); -Dfriscy.jit.loopmethods=false keeps it in the region's, to compare.
     */
    static boolean loopMethods = !"false".equals(System.getProperty("friscy.jit.loopmethods"));
    /** How many loop methods have been written (for tests and statistics). */
    public static long loopMethodsMade;

    /**
     * Memory accesses the TLB does not hold leave the region (see RegionEmitter#missExits);
     * -Dfriscy.jit.missexits=false calls the slow path in line, to compare.
     */
    static boolean missExits = !"false".equals(System.getProperty("friscy.jit.missexits"));

    @Override
    public boolean fewEntries() {
        return fewEntries;
    }

    /** Loops may run on into the next page; -Dfriscy.jit.span=false to compare. */
    static boolean spansPages = !"false".equals(System.getProperty("friscy.jit.span"));

    @Override
    public boolean spansPages() {
        return spansPages;
    }

    @Override
    public int maxInstructions() {
        return 400;
    }

    /**
     * Installs this back end as the system property {@code friscy.jit} says: {@code off} (or
     * {@code false}) runs the interpreter only, a number is the threshold (0 translates at first
     * sight), anything else or unset the default threshold.
     */
    public static void installFromProperty() {
        Jit.trace = Boolean.getBoolean("friscy.jit.trace");
        Jit.followExits = !"false".equals(System.getProperty("friscy.jit.follow"));
        String p = System.getProperty("friscy.jit", "");
        install(p);
        // name=value,...: policy knobs, for measuring (see Jit#tune)
        for (String kv : System.getProperty("friscy.jit.tune", "").split(",")) {
            int eq = kv.indexOf('=');
            if (kv.isEmpty()) {
                continue;
            }
            if (eq < 0 || !Jit.tune(kv.substring(0, eq), Integer.parseInt(kv.substring(eq + 1)))) {
                throw new IllegalArgumentException("-Dfriscy.jit.tune: not a knob=number: " + kv);
            }
        }
    }

    /** As {@link #installFromProperty()}, for a given setting. */
    public static void install(String setting) {
        String s = setting == null ? "" : setting.trim();
        if (s.equals("off") || s.equals("false") || s.equals("no")) {
            Jit.install(null, Jit.DEFAULT_THRESHOLD);
        } else if (!s.isEmpty() && !s.equals("on") && !s.equals("default")) {
            Jit.install(new JvmTranslator(), Integer.parseInt(s));
        } else {
            Jit.install(new JvmTranslator(), Jit.DEFAULT_THRESHOLD);
            Jit.countEntries(HOT_ENTRIES);
        }
    }
}
