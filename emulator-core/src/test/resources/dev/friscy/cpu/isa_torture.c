/*
 * Freestanding guest program for the interpreter's differential test: it exercises integer,
 * multiply/divide, atomics, floating point, compressed code (whatever gcc emits) and prints a
 * line per check. The test runs it on our CPU and on qemu-riscv64 and compares the output.
 * No libc: _start, write and exit are below.
 */
typedef unsigned long u64;
typedef long i64;
typedef unsigned int u32;
typedef int i32;

static long sys3(long n, long a, long b, long c) {
    register long a0 asm("a0") = a;
    register long a1 asm("a1") = b;
    register long a2 asm("a2") = c;
    register long a7 asm("a7") = n;
    asm volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
    return a0;
}

static char buf[8192];
static int blen;

static void flush(void) {
    sys3(64, 1, (long) buf, blen);
    blen = 0;
}

static void putc_(char c) {
    if (blen == sizeof buf) flush();
    buf[blen++] = c;
}

static void puts_(const char *s) {
    while (*s) putc_(*s++);
}

static void hex(u64 v) {
    for (int i = 60; i >= 0; i -= 4) putc_("0123456789abcdef"[(v >> i) & 15]);
}

static void out(const char *name, u64 v) {
    puts_(name);
    putc_('=');
    hex(v);
    putc_('\n');
}

/* keep the compiler from folding constants */
static volatile u64 seed = 0x123456789abcdef1ul;
static u64 rng(void) {
    u64 x = seed;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    seed = x;
    return x;
}

static u64 fib(u64 n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static int cmp_u64(const void *a, const void *b) {
    u64 x = *(const u64 *) a, y = *(const u64 *) b;
    return x < y ? -1 : x > y;
}

static void sort(u64 *a, int n, int (*cmp)(const void *, const void *)) {
    for (int i = 1; i < n; i++) {
        u64 v = a[i];
        int j = i - 1;
        while (j >= 0 && cmp(&a[j], &v) > 0) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static u32 crc32(const unsigned char *p, int n) {
    u32 c = 0xffffffffu;
    for (int i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xedb88320u & -(c & 1));
    }
    return ~c;
}

static int classify(int k) {
    switch (k) {  /* a jump table */
    case 0: return 11;
    case 1: return 23;
    case 2: return 37;
    case 3: return 41;
    case 4: return 59;
    case 5: return 61;
    case 6: return 79;
    default: return -1;
    }
}

struct __attribute__((packed)) packed { char c; u64 v; u32 w; short s; };

static void integer(void) {
    u64 acc = 0;
    for (int i = 0; i < 200; i++) {
        u64 a = rng(), b = rng() | 1;
        i64 sa = (i64) a, sb = (i64) b;
        acc = acc * 31 + a * b;
        acc ^= (u64) ((__int128) sa * sb >> 64);
        acc += (u64) ((unsigned __int128) a * b >> 64);
        acc ^= a / b + a % b;
        acc += (u64) (sa / sb) ^ (u64) (sa % sb);
        acc ^= (u64) (i64) ((i32) a / (i32) (b | 0x10000));
        acc += (u32) a / (u32) b + (u32) a % (u32) b;
        acc ^= (u64) (i64) ((i32) a << (b & 31)) + ((u32) a >> (b & 31)) + (u64) ((i32) a >> (b & 31));
        acc += (a << (b & 63)) ^ (a >> (b & 63)) ^ (u64) (sa >> (b & 63));
        acc ^= (sa < sb) + 2 * (a < b) + 4 * (sa < -5) + 8 * (a < 12345);
        acc += __builtin_clzl(a | 1) + __builtin_ctzl(b) + __builtin_popcountl(a);
        acc ^= __builtin_bswap64(a) + ((a << 7) | (a >> 57));
        acc += (u64) (i64) (signed char) a + (u64) (i64) (short) b + (unsigned short) a;
        acc ^= (a > b ? a : b) + (sa < sb ? sa : sb);
    }
    out("integer", acc);
    out("fib", fib(24));
    /* division corner cases */
    volatile i64 z = 0, m1 = -1, mn = (i64) 1 << 63;
    volatile i32 z32 = 0, m132 = -1, mn32 = (i32) 0x80000000;
    i64 r1, r2, r3, r4;
    asm("div %0, %1, %2" : "=r"(r1) : "r"(mn), "r"(m1));
    asm("rem %0, %1, %2" : "=r"(r2) : "r"(mn), "r"(m1));
    asm("divu %0, %1, %2" : "=r"(r3) : "r"(mn), "r"(z));
    asm("remw %0, %1, %2" : "=r"(r4) : "r"((i64) mn32), "r"((i64) z32));
    out("divcorner", r1 ^ (r2 << 1) ^ (r3 >> 3) ^ (u64) r4 ^ (u64) (i64) m132);
    u64 arr[64];
    for (int i = 0; i < 64; i++) arr[i] = rng() % 1000;
    sort(arr, 64, cmp_u64);
    u64 h = 0;
    for (int i = 0; i < 64; i++) h = h * 1000003 + arr[i];
    out("sort", h);
    unsigned char bytes[1000];
    for (int i = 0; i < 1000; i++) bytes[i] = (unsigned char) rng();
    out("crc", crc32(bytes, 1000));
    out("crc_odd", crc32(bytes + 3, 777));
    int t = 0;
    for (int i = -2; i < 10; i++) t = t * 3 + classify(i);
    out("switch", (u64) (i64) t);
    struct packed p[4];
    for (int i = 0; i < 4; i++) { p[i].c = (char) i; p[i].v = rng(); p[i].w = (u32) rng(); p[i].s = (short) rng(); }
    u64 ph = 0;
    for (int i = 0; i < 4; i++) ph = ph * 7 + p[i].v + p[i].w + (u64) (i64) p[i].s + (u64) p[i].c;
    out("packed", ph);
}

static void atomics(void) {
    static volatile u64 c64;
    static volatile u32 c32;
    c64 = 5;
    c32 = 0xfffffff0u;
    u64 o1 = __atomic_fetch_add(&c64, 7, __ATOMIC_SEQ_CST);
    u32 o2 = __atomic_fetch_add(&c32, 0x20, __ATOMIC_SEQ_CST);
    u64 o3 = __atomic_exchange_n(&c64, 99, __ATOMIC_ACQ_REL);
    u64 o4 = __atomic_fetch_or(&c64, 0x100, __ATOMIC_RELAXED);
    u64 o5 = __atomic_fetch_and(&c64, 0x1f0, __ATOMIC_RELAXED);
    u64 o6 = __atomic_fetch_xor(&c64, 0xff, __ATOMIC_RELAXED);
    u64 expected = c64;
    int ok = __atomic_compare_exchange_n(&c64, &expected, 1234, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    u64 e2 = 1;
    int bad = __atomic_compare_exchange_n(&c64, &e2, 777, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    static volatile i64 m = -5;
    static volatile u32 mu = 5;
    i64 o7, o8;
    u64 o9, o10;
    asm volatile("amomin.d.aqrl %0, %1, (%2)" : "=r"(o7) : "r"(-9l), "r"(&m) : "memory");
    asm volatile("amomax.d %0, %1, (%2)" : "=r"(o8) : "r"(3l), "r"(&m) : "memory");
    asm volatile("amomaxu.w %0, %1, (%2)" : "=r"(o9) : "r"(0x80000000l), "r"(&mu) : "memory");
    asm volatile("amominu.w %0, %1, (%2)" : "=r"(o10) : "r"(7l), "r"(&mu) : "memory");
    out("atomics", o1 + (o2 << 4) + (o3 << 8) + (o4 << 12) + (o5 << 16) + (o6 << 20) + ok + 2 * bad + c64 + c32);
    out("atomics_minmax", o7 ^ (o8 << 8) ^ (o9 << 16) ^ (o10 << 24) ^ (u64) m ^ mu);
}

static double fmin_(double a, double b) { double r; asm("fmin.d %0, %1, %2" : "=f"(r) : "f"(a), "f"(b)); return r; }
static float fmax_(float a, float b) { float r; asm("fmax.s %0, %1, %2" : "=f"(r) : "f"(a), "f"(b)); return r; }

static u64 dbits(double d) { union { double d; u64 u; } x = {d}; return x.u; }
static u64 fbits(float f) { union { float f; u32 u; } x = {f}; return x.u; }

static void fp(void) {
    volatile double a = 1.0 / 3.0, b = -2.5e10, c = 1e-300, zero = 0.0;
    volatile float fa = 1.0f / 3.0f, fb = -7.25f, fc = 3.4e38f;
    u64 h = 0;
    h = h * 31 + dbits(a + b);
    h = h * 31 + dbits(a * b - c);
    h = h * 31 + dbits(b / a);
    h = h * 31 + dbits(__builtin_sqrt(a));
    h = h * 31 + dbits(__builtin_fma(a, b, c));
    h = h * 31 + dbits(c * c);           /* underflow */
    h = h * 31 + dbits(1.0 / zero);      /* inf */
    h = h * 31 + dbits(zero / zero);     /* NaN */
    h = h * 31 + fbits(fa * fb + fc);
    h = h * 31 + fbits(fc * 10.0f);      /* overflow */
    h = h * 31 + fbits(__builtin_sqrtf(fa));
    h = h * 31 + fbits((float) a);
    h = h * 31 + dbits((double) fb);
    h = h * 31 + (u64) (i64) b + (u64) (i32) fb + (u64) (long) (a * 1e18);
    h = h * 31 + (u64) (unsigned) (fa * 1e9f);
    h = h * 31 + dbits((double) (i64) -123456789012345) + fbits((float) (u64) 0xffffffffffffffffull);
    h = h * 31 + (a < b) + 2 * (a <= a) + 4 * (b == b) + 8 * (zero / zero == zero / zero);
    h = h * 31 + dbits(fmin_(a, b)) + fbits(fmax_(fa, fb)) + dbits(fmin_(zero / zero, a));
    h = h * 31 + dbits(__builtin_copysign(a, b)) + fbits(__builtin_fabsf(fb));
    double s = 0;
    for (int i = 1; i <= 1000; i++) s += 1.0 / ((double) i * i);
    h = h * 31 + dbits(s);
    u64 fl;
    asm volatile("frflags %0" : "=r"(fl));
    out("fp", h);
    out("fflags", fl);
}

static void __attribute__((noinline)) run(void) {
    integer();
    atomics();
    fp();
    flush();
}

void __attribute__((noreturn, used)) cmain(void) {
    run();
    sys3(93, 0, 0, 0);
    for (;;) ;
}

asm(".globl _start\n_start:\n"
    "  .option push\n  .option norelax\n  la gp, __global_pointer$\n  .option pop\n"
    "  andi sp, sp, -16\n  call cmain\n");
