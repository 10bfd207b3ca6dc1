package dev.friscy.kernel;

/** A process's user and group identities, as the set*id family manages them. */
public final class Credentials {
    public int uid, euid, suid, fsuid;
    public int gid, egid, sgid, fsgid;
    public int[] groups = new int[0];

    public Credentials copy() {
        Credentials c = new Credentials();
        c.uid = uid;
        c.euid = euid;
        c.suid = suid;
        c.fsuid = fsuid;
        c.gid = gid;
        c.egid = egid;
        c.sgid = sgid;
        c.fsgid = fsgid;
        c.groups = groups.clone();
        return c;
    }

    public boolean isRoot() {
        return fsuid == 0;
    }

    public boolean inGroup(int g) {
        if (g == fsgid) {
            return true;
        }
        for (int x : groups) {
            if (x == g) {
                return true;
            }
        }
        return false;
    }
}
