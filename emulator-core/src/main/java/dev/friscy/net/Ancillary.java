package dev.friscy.net;

import dev.friscy.fs.FileDescription;

/**
 * What travels with a message besides its bytes: the sender's address, descriptions passed
 * with SCM_RIGHTS (one reference each, owned by whoever holds this), credentials
 * (SCM_CREDENTIALS), and on receipt the full length of a datagram that was cut short.
 */
public final class Ancillary {
    public SockAddr from;
    public FileDescription[] rights;
    public boolean hasCred;
    public int pid, uid, gid;
    /** Receive: the real length of a datagram longer than the buffer, else -1. */
    public int fullLength = -1;
    /** Receive: the byte is TCP urgent data (msg_flags MSG_OOB). */
    public boolean urgent;

    public void setCred(int pid, int uid, int gid) {
        this.hasCred = true;
        this.pid = pid;
        this.uid = uid;
        this.gid = gid;
    }

    /** Closes passed descriptions nobody will receive. */
    public void dropRights() {
        if (rights != null) {
            for (FileDescription f : rights) {
                f.decRef();
            }
            rights = null;
        }
    }
}
