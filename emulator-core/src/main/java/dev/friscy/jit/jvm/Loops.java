package dev.friscy.jit.jvm;

import dev.friscy.cpu.Op;
import dev.friscy.jit.Region;

/**
 * The loops of a region's blocks, and the way into each entry block through the heads of the
 * loops around it.
 *
 * <p>Why: a region's method is entered at any of its entry blocks (a switch on the block number).
 * When one of them lies inside a loop but is not its head, or inside a loop nested in another,
 * HotSpot's C2 sees a loop with more than one way in (irreducible): it does not optimize it as a
 * loop and estimates its frequencies badly, and its register allocator then spills the inner
 * loop's values to the stack (matmul's inner loop: 56 stack accesses an iteration, 2x slower, or
 * not, depending on which entries C2's profile happened to see). Entered through the heads
 * instead (the method's switch goes to the outermost loop's head, which passes on to the next
 * head inward, and so on to the block), every loop has one way in.
 *
 * <p>Built from the edges the emitter writes (branches, fall-through, jumps inside the region);
 * null from {@link #of} when the loops found do not nest properly or a loop is entered other
 * than at its head (guest code that is irreducible itself): the emitter then enters blocks
 * directly, as before.
 */
final class Loops {
    /** For each block, the head of the innermost loop containing it, -1 if in none. */
    private final int[] inner;
    /** For each loop head, the head of the loop around it, -1 if outermost; -1 for other blocks. */
    private final int[] parent;
    private final boolean[] head;
    private final boolean[][] body;

    private Loops(int[] inner, int[] parent, boolean[] head, boolean[][] body) {
        this.inner = inner;
        this.parent = parent;
        this.head = head;
        this.body = body;
    }

    /** The block control goes to first on its way into entry {@code b}: {@code b} itself if no loop is in the way. */
    int first(int b) {
        int h = inner[b] == b ? parent[b] : inner[b];
        int top = b;
        while (h >= 0) {
            top = h;
            h = parent[h];
        }
        return top;
    }

    /**
     * From the head {@code h} of a loop, the next block on the way into entry {@code b} of that
     * loop: the head of the loop directly inside {@code h}'s that holds {@code b}, or {@code b}.
     */
    int next(int h, int b) {
        int step = b;
        int l = inner[b] == b ? parent[b] : inner[b];
        while (l >= 0 && l != h) {
            step = l;
            l = parent[l];
        }
        return step;
    }

    /** The head of the innermost loop holding block {@code b} if no other loop is inside it, else -1. */
    int innermost(int b) {
        int h = inner[b];
        if (h < 0) {
            return -1;
        }
        for (int c = 0; c < head.length; c++) {
            if (c != h && head[c] && body[h][c]) {
                return -1;
            }
        }
        return h;
    }

    /** True if {@code b} heads a loop that holds block {@code e}, other than itself. */
    boolean holds(int h, int e) {
        return head[h] && e != h && body[h][e];
    }

    /** The loops of {@code r}, or null (see the class documentation). */
    static Loops of(Region r) {
        int n = r.starts.length;
        int[][] succ = new int[n][];
        for (int b = 0; b < n; b++) {
            succ[b] = successors(r, b);
        }
        // depth-first from the entries, in address order: a back-edge goes to a block on the stack
        boolean[] head = new boolean[n];
        boolean[][] latchOf = new boolean[n][];
        int[] state = new int[n]; // 0 unseen, 1 on the stack, 2 done
        int[] stack = new int[n];
        int[] edge = new int[n];
        for (int pass = 0; pass < 2; pass++) {
            for (int root = 0; root < n; root++) {
                if (state[root] != 0 || (pass == 0 && !r.isEntry(root))) {
                    continue;
                }
                int sp = 0;
                stack[sp] = root;
                edge[sp++] = 0;
                state[root] = 1;
                while (sp > 0) {
                    int u = stack[sp - 1];
                    if (edge[sp - 1] == succ[u].length) {
                        state[u] = 2;
                        sp--;
                        continue;
                    }
                    int v = succ[u][edge[sp - 1]++];
                    if (state[v] == 1) {
                        head[v] = true;
                        if (latchOf[v] == null) {
                            latchOf[v] = new boolean[n];
                        }
                        latchOf[v][u] = true;
                    } else if (state[v] == 0) {
                        state[v] = 1;
                        stack[sp] = v;
                        edge[sp++] = 0;
                    }
                }
            }
        }
        int[][] pred = predecessors(succ);
        // a loop's body: its head and what reaches one of its latches without passing its head
        boolean[][] body = new boolean[n][];
        int[] work = new int[n];
        for (int h = 0; h < n; h++) {
            if (!head[h]) {
                continue;
            }
            boolean[] in = new boolean[n];
            in[h] = true;
            int nw = 0;
            for (int u = 0; u < n; u++) {
                if (latchOf[h][u] && !in[u]) {
                    in[u] = true;
                    work[nw++] = u;
                }
            }
            while (nw > 0) {
                int u = work[--nw];
                for (int p : pred[u]) {
                    if (!in[p]) {
                        in[p] = true;
                        work[nw++] = p;
                    }
                }
            }
            body[h] = in;
        }
        // loops nest or are apart; the parent is the smallest loop around one
        int[] size = new int[n];
        for (int h = 0; h < n; h++) {
            if (head[h]) {
                for (boolean x : body[h]) {
                    size[h] += x ? 1 : 0;
                }
            }
        }
        int[] parent = new int[n];
        java.util.Arrays.fill(parent, -1);
        for (int a = 0; a < n; a++) {
            if (!head[a]) {
                continue;
            }
            for (int c = 0; c < n; c++) {
                if (c == a || !head[c] || !overlap(body[a], body[c])) {
                    continue;
                }
                boolean aInC = contains(body[c], body[a]);
                boolean cInA = contains(body[a], body[c]);
                if (aInC == cInA) {
                    return null; // overlapping, or the same blocks under two heads
                }
                if (aInC && (parent[a] < 0 || size[c] < size[parent[a]])) {
                    parent[a] = c;
                }
            }
        }
        // every edge into a loop goes to its head
        for (int u = 0; u < n; u++) {
            for (int v : succ[u]) {
                for (int h = 0; h < n; h++) {
                    if (head[h] && body[h][v] && !body[h][u] && v != h) {
                        return null;
                    }
                }
            }
        }
        int[] inner = new int[n];
        for (int b = 0; b < n; b++) {
            int best = -1;
            for (int h = 0; h < n; h++) {
                if (head[h] && body[h][b] && (best < 0 || size[h] < size[best])) {
                    best = h;
                }
            }
            inner[b] = best;
        }
        return new Loops(inner, parent, head, body);
    }

    private static boolean overlap(boolean[] a, boolean[] b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] && b[i]) {
                return true;
            }
        }
        return false;
    }

    /** True if every block of {@code in} is in {@code out}. */
    private static boolean contains(boolean[] out, boolean[] in) {
        for (int i = 0; i < in.length; i++) {
            if (in[i] && !out[i]) {
                return false;
            }
        }
        return true;
    }

    private static int[][] predecessors(int[][] succ) {
        int n = succ.length;
        int[] count = new int[n];
        for (int[] s : succ) {
            for (int v : s) {
                count[v]++;
            }
        }
        int[][] pred = new int[n][];
        for (int v = 0; v < n; v++) {
            pred[v] = new int[count[v]];
            count[v] = 0;
        }
        for (int u = 0; u < n; u++) {
            for (int v : succ[u]) {
                pred[v][count[v]++] = u;
            }
        }
        return pred;
    }

    /** The blocks block {@code b} goes on to inside the region, as the emitter writes its end. */
    private static int[] successors(Region r, int b) {
        int last = r.last(b);
        int w = r.ops[last];
        int op = w & 0xff;
        int target = -1;
        int next = -1;
        if (Region.isBranch(op)) {
            target = blockAt(r, last + r.ops[last + 1]);
            next = blockAt(r, r.ends[b]);
        } else if (op == Op.JAL || op == Op.C_JAL) {
            target = blockAt(r, last + r.ops[last + 1]);
        } else if (op != Op.JALR && op != Op.C_JALR) {
            next = blockAt(r, r.ends[b]);
        }
        if (target >= 0 && next >= 0 && target != next) {
            return new int[] {target, next};
        }
        if (target >= 0) {
            return new int[] {target};
        }
        return next >= 0 ? new int[] {next} : new int[0];
    }

    private static int blockAt(Region r, int t) {
        return t >= 0 && t < r.limit() ? r.blockAt(t) : -1;
    }
}
