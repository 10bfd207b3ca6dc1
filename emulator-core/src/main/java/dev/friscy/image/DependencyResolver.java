package dev.friscy.image;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Picks the packages to install for a list of requested names, following Pre-Depends and
 * Depends (Recommends are not installed, as with {@code --no-install-recommends}).
 *
 * <p>For each dependency group the first alternative already chosen wins; otherwise the first
 * alternative that has a candidate: the newest real package of that name meeting the version
 * constraint, else the first provider (by package name) of a virtual name. Version constraints
 * are honoured when some candidate meets them; when none does, the newest candidate is taken
 * and a warning is reported. Cycles are fine: a package counts as chosen before its own
 * dependencies are visited. The result lists dependencies before the packages needing them.
 */
public final class DependencyResolver {
    public record Result(List<PackageEntry> packages, List<String> warnings) {
    }

    private final PackageIndex index;
    private final Map<String, PackageEntry> chosen = new HashMap<>();
    private final List<PackageEntry> order = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private DependencyResolver(PackageIndex index) {
        this.index = index;
    }

    public static Result resolve(PackageIndex index, List<String> requested) throws ImageException {
        DependencyResolver r = new DependencyResolver(index);
        for (String name : requested) {
            r.visit(r.root(name.trim()));
        }
        return new Result(List.copyOf(r.order), List.copyOf(r.warnings));
    }

    private PackageEntry root(String name) throws ImageException {
        Relation rel = Relation.parseOne(name);
        if (rel == null) {
            throw new ImageException("empty package name");
        }
        List<PackageEntry> real = index.versionsOf(rel.name());
        if (!real.isEmpty()) {
            return real.get(0);
        }
        List<PackageIndex.Provider> providers = index.providersOf(rel.name());
        if (!providers.isEmpty()) {
            return providers.get(0).entry();
        }
        throw new ImageException("package not found in the " + index.architecture() + " index: " + rel.name());
    }

    private void visit(PackageEntry entry) throws ImageException {
        if (chosen.containsKey(entry.name())) {
            return;
        }
        chosen.put(entry.name(), entry);
        for (List<Relation> group : entry.depends()) {
            satisfy(group, entry);
        }
        order.add(entry);
    }

    private void satisfy(List<Relation> group, PackageEntry neededBy) throws ImageException {
        for (Relation alt : group) {
            if (satisfiedByChosen(alt)) {
                return;
            }
        }
        for (Relation alt : group) {
            PackageEntry c = candidate(alt, true);
            if (c != null) {
                visit(c);
                return;
            }
        }
        for (Relation alt : group) {
            PackageEntry already = chosen.get(alt.name());
            if (already != null) {
                warnings.add(neededBy.name() + " wants " + alt + " but " + already + " is installed");
                return;
            }
            PackageEntry c = candidate(alt, false);
            if (c != null) {
                warnings.add(neededBy.name() + " wants " + alt + "; using " + c);
                visit(c);
                return;
            }
        }
        String text = group.stream().map(Relation::toString).collect(Collectors.joining(" | "));
        throw new ImageException("cannot satisfy dependency '" + text + "' of " + neededBy.name() + " " + neededBy.version());
    }

    private boolean satisfiedByChosen(Relation rel) {
        PackageEntry same = chosen.get(rel.name());
        if (same != null && rel.acceptsVersion(same.version())) {
            return true;
        }
        for (PackageIndex.Provider p : index.providersOf(rel.name())) {
            if (chosen.get(p.entry().name()) == p.entry() && providesEnough(rel, p)) {
                return true;
            }
        }
        return false;
    }

    private static boolean providesEnough(Relation rel, PackageIndex.Provider p) {
        return !rel.hasVersion() || rel.acceptsVersion(p.provided().version());
    }

    /** Best package for one alternative, skipping names already chosen at another version. */
    private PackageEntry candidate(Relation rel, boolean strict) {
        for (PackageEntry e : index.versionsOf(rel.name())) {
            if (chosen.containsKey(e.name())) {
                break;
            }
            if (!strict || rel.acceptsVersion(e.version())) {
                return e;
            }
        }
        for (PackageIndex.Provider p : index.providersOf(rel.name())) {
            PackageEntry already = chosen.get(p.entry().name());
            if (already != null && already != p.entry()) {
                continue;
            }
            if (!strict || providesEnough(rel, p)) {
                return p.entry();
            }
        }
        return null;
    }
}
