package dev.friscy.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.friscy.mem.AddressSpace;
import dev.friscy.mem.Prot;
import org.junit.jupiter.api.Test;

/** Exits, budget, CSRs, fences, self-modifying code, page-crossing and illegal instructions. */
class CpuSystemTest {
    @Test
    void budgetStopsExactly() {
        Machine m = new Machine();
        m.load(new Asm().addi(5, 5, 1).jal(0, -4)); // endless
        assertEquals(Cpu.EXIT_BUDGET, Cpu.run(m.h, 11));
        assertEquals(6, m.x(5));
        assertEquals(Machine.CODE + 4, m.h.pc);
        assertEquals(11, m.h.instret);
        assertEquals(Cpu.EXIT_BUDGET, Cpu.run(m.h, 1));
        assertEquals(Machine.CODE, m.h.pc);
        assertEquals(12, m.h.instret);
        assertEquals(Cpu.EXIT_BUDGET, Cpu.run(m.h, 0));
        assertEquals(12, m.h.instret);
    }

    @Test
    void ecallAndEbreakLeavePcOnTheInstruction() {
        Machine m = new Machine();
        m.load(new Asm().addi(5, 0, 1).ecall().ebreak());
        assertEquals(Cpu.EXIT_ECALL, m.run());
        assertEquals(Machine.CODE + 4, m.h.pc);
        assertEquals(2, m.h.instret);
        m.h.pc += 4; // what the kernel does
        assertEquals(Cpu.EXIT_EBREAK, m.run());
        assertEquals(Machine.CODE + 8, m.h.pc);
        assertEquals(2, m.h.instret);
    }

    @Test
    void illegalInstructions() {
        int[] bad = {
            0xffffffff,               // 48-bit+ formats are not supported
            0x10500073,               // wfi: not in user mode
            0x30200073,               // mret
            0x0000200f,               // misc-mem funct3 2
            Asm.r(0x33, 0, 0x02, 1, 2, 3), // unknown funct7
            Asm.i(0x13, 1, 1, 2, 0x200), // slli with bad funct6
            Asm.i(0x1b, 1, 1, 2, 32),  // slliw shamt[5] set
            Asm.i(0x73, 2, 5, 0, 0x7c0), // csrr of an unknown CSR
            Asm.i(0x73, 1, 0, 5, 0xc00), // csrw cycle: read-only
            Asm.i(0x73, 2, 0, 5, 0xc01), // csrs time with rs1 != 0: a write
            Asm.r(0x53, 5, 0x00, 1, 2, 3), // fadd.s with reserved rm 5
            Asm.r(0x53, 0, 0x02, 1, 2, 3), // fadd.h: no Zfh
            Asm.r(0x53, 3, 0x10, 1, 2, 3), // fsgnj funct3 3
            0x00000063 | (2 << 12),   // branch funct3 2
        };
        for (int inst : bad) {
            Machine m = new Machine();
            m.load(new Asm().addi(5, 0, 1).w32(inst));
            assertEquals(Cpu.EXIT_ILLEGAL, m.run(), Integer.toHexString(inst));
            assertEquals(inst, m.h.badInstruction);
            assertEquals(Machine.CODE + 4, m.h.pc);
            assertEquals(1, m.h.instret);
        }
    }

    @Test
    void csrReadsOfCountersAreAllowed() {
        Machine m = new Machine();
        long saved = Csr.TIME_HZ;
        java.util.function.LongSupplier old = Csr.monotonicNanos;
        try {
            Csr.monotonicNanos = () -> 1_234_567_800L;
            Asm a = new Asm()
                    .addi(0, 0, 0)
                    .addi(0, 0, 0)
                    .csr(2, 5, 0xc02, 0)   // rdinstret: 2 before it
                    .csr(2, 6, 0xc00, 0)   // rdcycle
                    .csr(2, 7, 0xc01, 0)   // rdtime
                    .csr(3, 0, 0xc01, 0)   // csrrc time, x0: no write, legal
                    .ecall();
            m.load(a).runToEcall();
        } finally {
            Csr.monotonicNanos = old;
        }
        assertEquals(2, m.x(5));
        assertEquals(3, m.x(6));
        assertEquals(12_345_678L, m.x(7));
        assertEquals(10_000_000L, saved);
    }

    @Test
    void fpCsrs() {
        Machine m = new Machine();
        m.h.x[5] = 0xff;
        Asm a = new Asm()
                .csr(1, 6, 0x003, 5)      // fcsr = 0xff: frm=7, fflags=0x1f; x6 = old (0)
                .csr(2, 7, 0x001, 0)      // read fflags
                .csr(2, 28, 0x002, 0)     // read frm
                .csr(7, 29, 0x001, 3)     // csrrci fflags, 3 (uimm)
                .csr(6, 30, 0x002, 1)     // csrrsi frm, 1 ... frm stays 7
                .csr(5, 0, 0x002, 2)      // csrwi frm, 2
                .csr(2, 31, 0x003, 0)     // read fcsr
                .ecall();
        m.load(a).runToEcall();
        assertEquals(0, m.x(6));
        assertEquals(0x1f, m.x(7));
        assertEquals(7, m.x(28));
        assertEquals(0x1f, m.x(29));
        assertEquals(7, m.x(30));
        assertEquals((2 << 5) | 0x1c, m.x(31));
        assertEquals(2, m.h.frm);
        assertEquals(0x1c, m.h.fflags);
    }

    @Test
    void dynamicRoundingModeReservedIsIllegal() {
        Machine m = new Machine();
        m.h.frm = 5;
        int fadd = Asm.r(0x53, 7, 0x01, 1, 2, 3); // fadd.d f1, f2, f3, dyn
        m.load(new Asm().w32(fadd));
        assertEquals(Cpu.EXIT_ILLEGAL, m.run());
        assertEquals(fadd, m.h.badInstruction);
        m.h.frm = 7;
        assertEquals(Cpu.EXIT_ILLEGAL, m.run());
    }

    @Test
    void fenceIsANop() {
        Machine m = new Machine();
        m.load(new Asm().fence().w32(0x8330000f /* fence.tso */).w32(0x0100000f /* pause */).addi(5, 0, 3).ecall())
                .runToEcall();
        assertEquals(3, m.x(5));
    }

    /** An rwx page holding code that rewrites its own instruction, then fence.i. */
    @Test
    void selfModifyingCodeWithFenceI() {
        Machine m = new Machine();
        long code = 0x80000;
        m.as.map(code, 0x1000, Prot.READ | Prot.WRITE | Prot.EXEC, false, null, 0, "jit");
        int newInst = Asm.i(0x13, 0, 6, 6, 100); // addi x6, x6, 100
        m.h.x[7] = newInst;
        Asm a = new Asm()
                .addi(28, 0, 2)       // 0: two rounds
                .addi(6, 6, 1)        // 4: patched to addi x6, x6, 100
                .auipc(29, 0)         // 8
                .sw(7, 29, -4)        // 12: overwrite the instruction at 4
                .fenceI()             // 16
                .addi(28, 28, -1)     // 20
                .jal(0, 8)            // 24 -> 32
                .ecall()
                .bne(28, 0, -28)      // 32 -> 4
                .ecall();
        m.load(code, a).runToEcall();
        assertEquals(101, m.x(6));
    }

    @Test
    void storeToCurrentPageIsSeenWithoutFenceI() {
        // not required by the ISA, but our stores drop decodes immediately: the next instruction sees it
        Machine m = new Machine();
        long code = 0x80000;
        m.as.map(code, 0x1000, Prot.READ | Prot.WRITE | Prot.EXEC, false, null, 0, "jit");
        m.h.x[7] = Asm.i(0x13, 0, 6, 0, 55); // addi x6, x0, 55
        Asm a = new Asm()
                .auipc(29, 0)
                .sw(7, 29, 8)
                .addi(6, 0, 1)        // replaced before it runs
                .ecall();
        m.load(code, a).runToEcall();
        assertEquals(55, m.x(6));
    }

    @Test
    void flushIcacheDropsStaleDecodes() {
        Machine m = new Machine();
        m.load(new Asm().addi(5, 0, 1).ecall()).runToEcall();
        assertEquals(1, m.x(5));
        // write behind the decoder's back, as through an alias mapping of the same memory
        long[] data = m.as.residentPage(Machine.CODE).data;
        data[0] = (data[0] & ~0xffffffffL) | (Asm.i(0x13, 0, 5, 0, 2) & 0xffffffffL);
        m.h.pc = Machine.CODE;
        m.runToEcall();
        assertEquals(1, m.x(5), "stale decode still used");
        Cpu.flushIcache(m.as, Machine.CODE, Machine.CODE + 4);
        m.h.pc = Machine.CODE;
        m.runToEcall();
        assertEquals(2, m.x(5));
        data[0] = (data[0] & ~0xffffffffL) | (Asm.i(0x13, 0, 5, 0, 3) & 0xffffffffL);
        Cpu.flushAllDecodes();
        m.h.pc = Machine.CODE;
        m.runToEcall();
        assertEquals(3, m.x(5));
    }

    @Test
    void instructionCrossingPageBoundary() {
        Machine m = new Machine();
        Asm a = new Asm();
        a.addi(5, 0, 0);
        while (a.size() < 0xffe) {
            a.w16(0x0285); // c.addi t0, 1
        }
        a.addi(6, 5, 7);       // at 0xffe: straddles into the next page
        a.lui(7, 1);           // back on a normal page
        a.jal(0, -8);          // to the straddling instruction again, from the second page
        m.load(a);
        assertEquals(Cpu.EXIT_BUDGET, Cpu.run(m.h, 1 + (0xffe - 4) / 2 + 2 + 1 + 1));
        long adds = (0xffe - 4) / 2;
        assertEquals(adds + 7, m.x(6));
        assertEquals(0x1000, m.x(7));
        assertEquals(Machine.CODE + 0xffe + 4, m.h.pc);
        // and a jump straight to it
        m.h.x[6] = 0;
        m.h.pc = Machine.CODE + 0xffe;
        assertEquals(Cpu.EXIT_BUDGET, Cpu.run(m.h, 1));
        assertEquals(adds + 7, m.x(6));
    }

    @Test
    void instructionCrossingIntoNonExecutablePageFaults() {
        Machine m = new Machine();
        m.as.map(0x90000, 0x1000, Prot.READ | Prot.EXEC, false, null, 0, "x");
        m.as.map(0x91000, 0x1000, Prot.READ, false, null, 0, "r");
        m.load(0x90ffc, new Asm().w16(0x0285).w16(0x0513)); // c.addi t0, 1; low half of "addi a0, ..." at 0x90ffe
        assertEquals(Cpu.EXIT_FAULT, m.run());
        assertEquals(0x90ffeL, m.h.pc);
        assertEquals(0x91000L, m.as.faultAddr);
        assertEquals(AddressSpace.SEGV_ACCERR, m.as.faultCode);
        assertEquals(1, m.x(5));
    }

    @Test
    void fallingOffTheEndOfAPageContinuesOnTheNext() {
        Machine m = new Machine();
        Asm a = new Asm();
        while (a.size() < 0x1000) {
            a.addi(5, 5, 1);
        }
        a.ecall();
        m.load(a).runToEcall();
        assertEquals(0x400, m.x(5));
        assertTrue(m.h.instret == 0x401);
    }

    @Test
    void oddPcIsAMisalignedFetch() {
        Machine m = new Machine();
        m.load(new Asm().addi(5, 0, 1).ecall());
        m.h.pc = Machine.CODE + 1;
        assertEquals(Cpu.EXIT_FAULT, m.run());
        assertEquals(AddressSpace.SIGBUS, m.as.faultSignal);
        assertEquals(Machine.CODE + 1, m.as.faultAddr);
        assertEquals(0, m.h.instret);
    }

    /**
     * Page B is written (warming the write TLB), then executed, then rewritten by plain stores:
     * the second call must run the new code even without fence.i, because attaching decodes to
     * B took it out of the write TLB.
     */
    @Test
    void codeWrittenThroughAWarmWriteTlbIsRedecoded() {
        Machine m = new Machine();
        long b = 0x81000;
        m.as.map(b, 0x1000, Prot.READ | Prot.WRITE | Prot.EXEC, false, null, 0, "jit");
        int v1 = Asm.i(0x13, 0, 6, 0, 11);   // addi x6, x0, 11
        int v2 = Asm.i(0x13, 0, 6, 0, 22);   // addi x6, x0, 22
        int ret = Asm.i(0x67, 0, 0, 1, 0);   // jalr x0, 0(x1)
        m.h.x[10] = b;
        m.h.x[11] = v1;
        m.h.x[12] = ret;
        m.h.x[13] = v2;
        Asm a = new Asm()
                .sw(11, 10, 0)        // B: addi x6, 11
                .sw(12, 10, 4)        // B: ret
                .jalr(1, 10, 0)       // call B
                .add(7, 6, 0)         // x7 = first result
                .sw(13, 10, 0)        // rewrite B's first instruction
                .jalr(1, 10, 0)       // call B again
                .ecall();
        m.load(a).runToEcall();
        assertEquals(11, m.x(7));
        assertEquals(22, m.x(6));
    }
}
