package dev.friscy.web.jit;

/** WebAssembly opcodes and type codes the translator emits (names as in the spec's text format). */
final class Wasm {
    private Wasm() {
    }

    static final int UNREACHABLE = 0x00;
    static final int BLOCK = 0x02;
    static final int LOOP = 0x03;
    static final int IF = 0x04;
    static final int ELSE = 0x05;
    static final int END = 0x0b;
    static final int BR = 0x0c;
    static final int BR_IF = 0x0d;
    static final int BR_TABLE = 0x0e;
    static final int RETURN = 0x0f;
    static final int CALL = 0x10;
    static final int CALL_INDIRECT = 0x11;
    static final int RETURN_CALL_INDIRECT = 0x13;
    static final int DROP = 0x1a;
    static final int SELECT = 0x1b;
    static final int LOCAL_GET = 0x20;
    static final int LOCAL_SET = 0x21;
    static final int LOCAL_TEE = 0x22;
    static final int I32_LOAD = 0x28;
    static final int I64_LOAD = 0x29;
    static final int I64_STORE = 0x37;
    static final int I32_STORE = 0x36;
    static final int I32_CONST = 0x41;
    static final int I64_CONST = 0x42;
    static final int I32_EQZ = 0x45;
    static final int I32_EQ = 0x46;
    static final int I32_NE = 0x47;
    static final int I32_LT_S = 0x48;
    static final int I32_GE_S = 0x4e;
    static final int I64_EQZ = 0x50;
    static final int I64_EQ = 0x51;
    static final int I64_NE = 0x52;
    static final int I64_LT_S = 0x53;
    static final int I64_LT_U = 0x54;
    static final int I64_GT_S = 0x55;
    static final int I64_GT_U = 0x56;
    static final int I64_LE_S = 0x57;
    static final int I64_GE_S = 0x59;
    static final int I64_GE_U = 0x5a;
    static final int I32_CLZ = 0x67;
    static final int I32_CTZ = 0x68;
    static final int I32_POPCNT = 0x69;
    static final int I32_ADD = 0x6a;
    static final int I32_SUB = 0x6b;
    static final int I32_MUL = 0x6c;
    static final int I32_DIV_S = 0x6d;
    static final int I32_DIV_U = 0x6e;
    static final int I32_REM_S = 0x6f;
    static final int I32_REM_U = 0x70;
    static final int I32_AND = 0x71;
    static final int I32_OR = 0x72;
    static final int I32_SHL = 0x74;
    static final int I32_SHR_S = 0x75;
    static final int I32_SHR_U = 0x76;
    static final int I32_ROTL = 0x77;
    static final int I32_ROTR = 0x78;
    static final int I64_CLZ = 0x79;
    static final int I64_CTZ = 0x7a;
    static final int I64_POPCNT = 0x7b;
    static final int I64_ADD = 0x7c;
    static final int I64_SUB = 0x7d;
    static final int I64_MUL = 0x7e;
    static final int I64_DIV_S = 0x7f;
    static final int I64_DIV_U = 0x80;
    static final int I64_REM_S = 0x81;
    static final int I64_REM_U = 0x82;
    static final int I64_AND = 0x83;
    static final int I64_OR = 0x84;
    static final int I64_XOR = 0x85;
    static final int I64_SHL = 0x86;
    static final int I64_SHR_S = 0x87;
    static final int I64_SHR_U = 0x88;
    static final int I64_ROTL = 0x89;
    static final int I64_ROTR = 0x8a;
    static final int I32_WRAP_I64 = 0xa7;
    static final int I64_EXTEND_I32_S = 0xac;
    static final int I64_EXTEND_I32_U = 0xad;
    static final int I64_EXTEND8_S = 0xc2;
    static final int I64_EXTEND16_S = 0xc3;

    static final int T_I32 = 0x7f;
    static final int T_I64 = 0x7e;
    static final int T_FUNC = 0x60;
    static final int T_FUNCREF = 0x70;
    static final int T_EMPTY = 0x40;

    static final int I64_EXTEND32_S = 0xc4;
    static final int GLOBAL_GET = 0x23;
    static final int GLOBAL_SET = 0x24;
    /** Prefix of the GC instructions; then {@link #ARRAY_GET} or {@link #ARRAY_SET} and a type index. */
    static final int GC_PREFIX = 0xfb;
    static final int ARRAY_GET = 0x0b;
    static final int ARRAY_SET = 0x0e;
    /** An array type (GC): then the element type and its mutability. */
    static final int T_ARRAY = 0x5e;
    /** {@code (ref null $t)}: then the type index. */
    static final int T_REF_NULL = 0x63;
    static final int REF_NULL = 0xd0;
    static final int REF_IS_NULL = 0xd1;

    // floating point (F and D in generated code)
    static final int T_F32 = 0x7d;
    static final int T_F64 = 0x7c;
    static final int I32_XOR = 0x73;
    static final int I32_GT_U = 0x4b;
    static final int I32_LT_U = 0x49;
    static final int I32_GE_U = 0x4f;
    static final int F32_EQ = 0x5b;
    static final int F32_LT = 0x5d;
    static final int F32_LE = 0x5f;
    static final int F64_EQ = 0x61;
    static final int F64_NE = 0x62;
    static final int F64_LT = 0x63;
    static final int F64_GT = 0x64;
    static final int F64_LE = 0x65;
    static final int F64_GE = 0x66;
    static final int F32_SQRT = 0x91;
    static final int F32_ADD = 0x92;
    static final int F32_SUB = 0x93;
    static final int F32_MUL = 0x94;
    static final int F32_DIV = 0x95;
    static final int F64_ABS = 0x99;
    static final int F64_NEAREST = 0x9e;
    static final int F64_SQRT = 0x9f;
    static final int F64_ADD = 0xa0;
    static final int F64_SUB = 0xa1;
    static final int F64_MUL = 0xa2;
    static final int F64_DIV = 0xa3;
    static final int F64_MIN = 0xa4;
    static final int F64_MAX = 0xa5;
    static final int I32_TRUNC_F64_S = 0xaa;
    static final int I64_TRUNC_F64_S = 0xb0;
    static final int I64_TRUNC_F64_U = 0xb1;
    static final int F32_DEMOTE_F64 = 0xb6;
    static final int F64_CONVERT_I32_S = 0xb7;
    static final int F64_CONVERT_I32_U = 0xb8;
    static final int F64_CONVERT_I64_S = 0xb9;
    static final int F64_CONVERT_I64_U = 0xba;
    static final int F64_PROMOTE_F32 = 0xbb;
    static final int I32_REINTERPRET_F32 = 0xbc;
    static final int I64_REINTERPRET_F64 = 0xbd;
    static final int F32_REINTERPRET_I32 = 0xbe;
    static final int F64_REINTERPRET_I64 = 0xbf;

    static final int SEC_CUSTOM = 0;
    static final int SEC_TYPE = 1;
    static final int SEC_GLOBAL = 6;
    static final int SEC_IMPORT = 2;
    static final int SEC_FUNCTION = 3;
    static final int SEC_EXPORT = 7;
    static final int SEC_CODE = 10;
}
