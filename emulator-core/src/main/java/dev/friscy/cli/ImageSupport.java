package dev.friscy.cli;

import dev.friscy.fs.Inode;
import dev.friscy.fs.Vfs;
import dev.friscy.kernel.Kernel;

import java.io.IOException;
import java.io.PrintStream;

/** The glue between the command line and the file system's image import/export. */
final class ImageSupport {
    private ImageSupport() {
    }

    static void importImage(Vfs vfs, String path, PrintStream warnings) throws IOException {
        throw new IOException("--image needs the tar importer, which this build does not have yet");
    }

    static void save(Vfs vfs, String path) throws IOException {
        throw new IOException("--save needs the tar exporter, which this build does not have yet");
    }

    /** The directories every system has. */
    static void populate(Vfs vfs) {
        vfs.mkdirs("/dev", 0755);
        vfs.mkdirs("/proc", 0555);
        Inode tmp = vfs.mkdirs("/tmp", 01777);
        tmp.mode = Inode.S_IFDIR | 01777;
    }

    static void devices(Kernel k) {
    }
}
