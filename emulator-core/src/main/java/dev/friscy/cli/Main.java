package dev.friscy.cli;

import java.util.Arrays;

/** The `friscy` command line: run, image, serve, bench. */
public final class Main {
    private Main() {
    }

    static final String USAGE = String.join("\n",
            "usage: friscy run [--strace] [--env K=V]... [--image IMAGE.tar] [--add HOST:GUEST]... [--cwd DIR]",
            "                  [--save OUT.tar] [--events FILE] [--max-procs N] [--memory SIZE]",
            "                  [--no-jit | --jit-threshold N] [--profile] [--net host|none] [--net-map IP:PORT=IP:PORT]...",
            "                  [--dns IP[:PORT],...|none]",
            "                  [--] PROGRAM [ARGS...]",
            "       friscy image debian [--suite trixie] PKG... -o OUT.tar",
            "       friscy image oci ARCHIVE -o OUT.tar",
            "       friscy serve [--port 8080]",
            "       friscy bench [cpu|forkexec|bigfork|pipe|tcp|rtt|shell|fp|fpu|mix]...");

    public static void main(String[] args) {
        int st = run(args);
        if (Boolean.getBoolean("friscy.jit.stats")) {
            System.err.printf("friscy: translated %d regions (%d instructions, %d refused, %d bytes) in %.1f ms;"
                    + " %d entries (%d chained) ran %d of %d instructions; %d dropped; %d linked regions, %d busy, %d returns to a caller; %d made again for TLB misses%n",
                    dev.friscy.jit.Jit.regions, dev.friscy.jit.Jit.instructions, dev.friscy.jit.Jit.failed, dev.friscy.jit.Jit.codeBytes,
                    dev.friscy.jit.Jit.nanos / 1e6, dev.friscy.jit.Jit.entries, dev.friscy.jit.Jit.chained, dev.friscy.jit.Jit.executed, RunCommand.lastInstructions, dev.friscy.jit.Jit.dropped,
                    dev.friscy.jit.Jit.linkedRegions, dev.friscy.jit.Jit.busyRegions, dev.friscy.jit.Jit.linkReturns, dev.friscy.jit.Jit.remade);
        }
        System.exit(st);
    }

    public static int run(String[] args) {
        if (args.length == 0) {
            System.err.println(USAGE);
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        // translate hot guest code to bytecode unless -Dfriscy.jit=off (run --no-jit overrides per run)
        dev.friscy.jit.jvm.JvmTranslator.installFromProperty();
        switch (args[0]) {
            case "run":
                return RunCommand.main(rest);
            case "image":
                return ImageCommand.main(rest);
            case "serve":
                return ServeCommand.main(rest);
            case "bench":
                return BenchCommand.main(rest);
            case "-h":
            case "--help":
            case "help":
                System.out.println(USAGE);
                return 0;
            default:
                System.err.println("friscy: unknown command '" + args[0] + "'");
                System.err.println(USAGE);
                return 2;
        }
    }
}
