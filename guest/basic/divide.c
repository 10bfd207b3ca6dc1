/*
 * The M extension's divisions and multiplications at their edges: every pair of a table of
 * operands (0, +-1, +-2, the 64- and 32-bit extremes, words whose upper half disagrees with their
 * sign) through div, divu, rem, remu, divw, divuw, remw, remuw, mulh, mulhsu, mulhu and mulw,
 * printed in hex; then the same table run 400 times into one hash, so that the code is hot and
 * translated while it divides MIN by -1. The output is compared with qemu's, not with values
 * written here. RISC-V defines every case (no trap): x / 0 = -1, x % 0 = x, MIN / -1 = MIN,
 * MIN % -1 = 0, where the host's own division (x86's idiv, Wasm's div_s) faults or traps.
 */
#include <stdint.h>
#include <stdio.h>

#define OP(name) \
    static uint64_t name(uint64_t a, uint64_t b) { \
        uint64_t r; \
        __asm__ volatile(#name " %0, %1, %2" : "=r"(r) : "r"(a), "r"(b)); \
        return r; \
    }

OP(div) OP(divu) OP(rem) OP(remu) OP(divw) OP(divuw) OP(remw) OP(remuw)
OP(mulh) OP(mulhsu) OP(mulhu) OP(mulw)

static uint64_t (*const ops[])(uint64_t, uint64_t) = {
    div, divu, rem, remu, divw, divuw, remw, remuw, mulh, mulhsu, mulhu, mulw,
};
static const char *const names[] = {
    "div", "divu", "rem", "remu", "divw", "divuw", "remw", "remuw", "mulh", "mulhsu", "mulhu", "mulw",
};
#define NOPS (sizeof ops / sizeof ops[0])

/* volatile: the compiler must not fold the divisions it can see */
static volatile uint64_t operands[] = {
    0, 1, (uint64_t) -1, 2, (uint64_t) -2, 7, (uint64_t) -7,
    0x8000000000000000ull, 0x7fffffffffffffffull, 0x8000000000000001ull,
    0x80000000ull, 0x7fffffffull, 0xffffffffull, 0xffffffff80000000ull,
    0x00000001ffffffffull, 0x123456789abcdef0ull,
};
#define NOPERANDS (sizeof operands / sizeof operands[0])

int main(void) {
    for (unsigned i = 0; i < NOPERANDS; i++) {
        for (unsigned j = 0; j < NOPERANDS; j++) {
            uint64_t a = operands[i], b = operands[j];
            printf("%016llx %016llx", (unsigned long long) a, (unsigned long long) b);
            for (unsigned k = 0; k < NOPS; k++) {
                printf(" %s=%llx", names[k], (unsigned long long) ops[k](a, b));
            }
            printf("\n");
        }
    }
    uint64_t hash = 0;
    for (int round = 0; round < 400; round++) {
        for (unsigned i = 0; i < NOPERANDS; i++) {
            for (unsigned j = 0; j < NOPERANDS; j++) {
                uint64_t a = operands[i], b = operands[j];
                uint64_t v = div(a, b) ^ rem(a, b) << 1 ^ divw(a, b) << 2 ^ remw(a, b) << 3
                        ^ divu(a, b) << 4 ^ remu(a, b) << 5 ^ divuw(a, b) << 6 ^ remuw(a, b) << 7;
                hash = (hash ^ v) * 0x9e3779b97f4a7c15ull + (uint64_t) round;
            }
        }
    }
    printf("hash %016llx\n", (unsigned long long) hash);
    return 0;
}
