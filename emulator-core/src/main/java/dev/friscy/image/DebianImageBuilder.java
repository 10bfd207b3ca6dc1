package dev.friscy.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Builds a root file system tar from Debian binary packages: reads the suite's Release and
 * Packages index, resolves dependencies, downloads and verifies the .deb files, unpacks their
 * data into a merged-/usr tree, adds the minimal system files and writes a reproducible tar.
 * With {@code scripts} the image is configured as Debian's bootstrap tools do it: the Essential
 * packages (which no package declares a dependency on, but every maintainer script may use) join
 * the requested ones, dpkg's database is written, and the maintainer scripts run inside the
 * emulator ({@link MaintainerScripts}). Without, the packages are only unpacked.
 */
public final class DebianImageBuilder {
    /** What to build and where to get it. */
    public record Options(String mirror, String suite, String arch, Path cacheDir, List<String> packages,
                          boolean busyboxLinks, boolean noDocs, boolean scripts) {
        public Options(String mirror, String suite, String arch, Path cacheDir, List<String> packages,
                       boolean busyboxLinks) {
            this(mirror, suite, arch, cacheDir, packages, busyboxLinks, false, false);
        }
    }

    /** What was built. */
    public record Result(List<PackageEntry> packages, int entries, long bytes) {
    }

    private final Options options;
    private final PrintStream log;
    private final Fetcher fetcher;

    public DebianImageBuilder(Options options, PrintStream log) {
        this.options = options;
        this.log = log;
        this.fetcher = new Fetcher(options.mirror(), options.cacheDir(), log);
    }

    public static Path defaultCacheDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "friscy", "debs");
    }

    public Result build(Path out) throws ImageException {
        if (options.packages().isEmpty()) {
            throw new ImageException("no packages given");
        }
        PackageIndex index = loadIndex();
        List<String> roots = options.packages();
        if (options.scripts()) {
            roots = new ArrayList<>(index.essentials());
            roots.addAll(options.packages());
        }
        DependencyResolver.Result resolved = DependencyResolver.resolve(index, roots);
        for (String w : resolved.warnings()) {
            log.println("friscy image: warning: " + w);
        }
        log.println("resolved " + resolved.packages().size() + " packages: " + names(resolved.packages()));
        List<Path> debs = new ArrayList<>();
        for (PackageEntry p : resolved.packages()) {
            debs.add(download(p));
        }
        RootTree tree = new RootTree();
        RootfsLayout.mergeUsr(tree);
        List<DpkgDatabase.Installed> installed = new ArrayList<>();
        for (int i = 0; i < debs.size(); i++) {
            PackageEntry p = resolved.packages().get(i);
            byte[] deb;
            try {
                deb = Files.readAllBytes(debs.get(i));
            } catch (IOException e) {
                throw new ImageException("cannot read " + debs.get(i) + ": " + TarImport.oneLine(e));
            }
            String what = p.name() + "_" + p.version() + ".deb";
            DebArchive.unpackInto(tree, deb, what);
            if (options.scripts()) {
                installed.add(new DpkgDatabase.Installed(p, DebArchive.controlMembers(deb, what), DebArchive.dataPaths(deb, what)));
            }
        }
        if (options.noDocs()) {
            RootfsLayout.dropDocs(tree);
        }
        if (options.busyboxLinks()) {
            BusyboxLinks.add(tree);
        }
        RootfsLayout.addBaseFiles(tree, !options.scripts());
        if (options.scripts()) {
            return configure(tree, installed, resolved.packages(), out);
        }
        int entries = ReproducibleTar.writeFile(tree, out);
        long bytes;
        try {
            bytes = Files.size(out);
        } catch (IOException e) {
            bytes = -1;
        }
        return new Result(resolved.packages(), entries, bytes);
    }

    /** Writes the unpacked tree with dpkg's database, then runs the maintainer scripts into {@code out}. */
    private Result configure(RootTree tree, List<DpkgDatabase.Installed> installed, List<PackageEntry> packages, Path out)
            throws ImageException {
        DpkgDatabase.write(tree, installed);
        String dpkgVersion = "";
        for (PackageEntry p : packages) {
            if (p.name().equals("dpkg")) {
                dpkgVersion = p.version();
            }
        }
        tree.put(MaintainerScripts.DRIVER, Inode.regular(0755, 0, 0,
                MaintainerScripts.driver(installed, dpkgVersion).getBytes(StandardCharsets.UTF_8)));
        Path unpacked;
        try {
            Path dir = out.toAbsolutePath().getParent();
            unpacked = Files.createTempFile(dir, ".friscy-unconfigured", ".tar");
        } catch (IOException e) {
            throw new ImageException("cannot create a temporary file next to " + out + ": " + TarImport.oneLine(e));
        }
        try {
            int entries = ReproducibleTar.writeFile(tree, unpacked);
            log.println("running maintainer scripts of " + installed.size() + " packages in the emulator...");
            MaintainerScripts.run(unpacked, out, log);
            return new Result(packages, entries, Files.size(out));
        } catch (IOException e) {
            throw new ImageException("cannot read " + out + ": " + TarImport.oneLine(e));
        } finally {
            try {
                Files.deleteIfExists(unpacked);
            } catch (IOException e) {
                // a leftover temporary file is harmless
            }
        }
    }

    private Path download(PackageEntry p) throws ImageException {
        if (p.filename() == null) {
            throw new ImageException("the index gives no Filename for " + p);
        }
        String base = p.filename().substring(p.filename().lastIndexOf('/') + 1);
        if (base.isEmpty() || base.startsWith(".") || base.contains("\\")) {
            throw new ImageException("bad Filename in the index for " + p + ": " + p.filename());
        }
        return fetcher.fetchVerified(p.filename(), p.sha256(), p.size(), base);
    }

    /**
     * The suite's package index. The Release file names the index files and their checksums;
     * indexes are cached under their checksum, so an unchanged suite is not downloaded again.
     */
    PackageIndex loadIndex() throws ImageException {
        String suite = options.suite();
        String arch = options.arch();
        String releasePath = "dists/" + suite + "/Release";
        String releaseText = new String(fetcher.fetch(releasePath), StandardCharsets.UTF_8);
        List<Map<String, String>> stanzas = ControlStanzas.parse(releaseText);
        if (stanzas.isEmpty()) {
            throw new ImageException("empty or unreadable " + fetcher.url(releasePath));
        }
        Map<String, String> release = stanzas.get(0);
        String archs = release.get("Architectures");
        if (archs != null && !Arrays.asList(archs.trim().split("\\s+")).contains(arch)) {
            throw new ImageException("suite " + suite + " has no architecture " + arch + " (it has: " + archs.trim() + ")");
        }
        Map<String, String[]> files = checksums(release.getOrDefault("SHA256", ""));
        PackageIndex index = new PackageIndex(arch);
        String[] archIndex = pickIndex(files, "main/binary-" + arch + "/Packages");
        if (archIndex == null) {
            throw new ImageException(fetcher.url(releasePath) + " lists no main/binary-" + arch + " package index");
        }
        readIndex(index, suite, archIndex);
        // Since bullseye, binary-<arch> also lists Architecture: all packages unless the Release says otherwise.
        String noAll = release.getOrDefault("No-Support-for-Architecture-all", "");
        String[] allIndex = pickIndex(files, "main/binary-all/Packages");
        if (allIndex != null && !noAll.contains("Packages")) {
            readIndex(index, suite, allIndex);
        }
        log.println("index: " + index.size() + " package names in " + suite + "/" + arch);
        return index;
    }

    private void readIndex(PackageIndex index, String suite, String[] file) throws ImageException {
        String rel = "dists/" + suite + "/" + file[0];
        String cacheName = "Packages-" + file[1] + rel.substring(rel.lastIndexOf('.'));
        long size = Long.parseLong(file[2]);
        Path local = fetcher.fetchVerified(rel, file[1], size, cacheName);
        try (InputStream raw = Files.newInputStream(local);
             InputStream in = Compression.open(raw, rel)) {
            index.addAll(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            throw new ImageException("cannot read package index " + rel + ": " + TarImport.oneLine(e));
        }
    }

    /** path -> {path, sha256, size} from a Release checksum field. */
    private static Map<String, String[]> checksums(String field) {
        Map<String, String[]> out = new java.util.HashMap<>();
        for (String line : field.split("\n")) {
            String[] w = line.trim().split("\\s+");
            if (w.length == 3 && w[1].matches("[0-9]+")) {
                out.put(w[2], new String[] {w[2], w[0].toLowerCase(), w[1]});
            }
        }
        return out;
    }

    private static String[] pickIndex(Map<String, String[]> files, String base) {
        for (String ext : new String[] {".xz", ".gz"}) {
            String[] f = files.get(base + ext);
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    private static String names(List<PackageEntry> packages) {
        StringBuilder sb = new StringBuilder();
        for (PackageEntry p : packages) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(p.name());
        }
        return sb.toString();
    }
}
