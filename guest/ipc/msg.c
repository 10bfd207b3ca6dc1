/* System V message queues: msgget/msgsnd/msgrcv/msgctl, type selection, blocking both ways, EIDRM. */
#include "ipc.h"
#include <sys/msg.h>

struct m { long type; char text[64]; };

static int send(int id, long type, const char *s, int flg) {
    struct m b = {type, ""};
    strcpy(b.text, s);
    return msgsnd(id, &b, strlen(s) + 1, flg);
}

int main(int argc, char **argv) {
    check_init(argc, argv);
    pid_t me = getpid();
    int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    CHECK(id >= 0, "msgget");
    struct msqid_ds ds;
    CHECK(msgctl(id, IPC_STAT, &ds) == 0 && ds.msg_qnum == 0 && ds.msg_qbytes == (unsigned long)proc_long("/proc/sys/kernel/msgmnb"),
          "IPC_STAT: empty, msg_qbytes is msgmnb");
    CHECK(send(id, 3, "three", 0) == 0 && send(id, 1, "one", 0) == 0 && send(id, 2, "two", 0) == 0, "msgsnd x3");
    CHECK(msgctl(id, IPC_STAT, &ds) == 0 && ds.msg_qnum == 3 && ds.msg_cbytes == 6 + 4 + 4 && ds.msg_lspid == me
          && ds.msg_stime != 0, "IPC_STAT: qnum, cbytes, lspid, stime");
    char *line = ipc_line("/proc/sysvipc/msg", id);
    CHECK(line != NULL, "/proc/sysvipc/msg lists the queue");
    if (line) {
        long key, lid, cbytes, qnum;
        unsigned perms;
        CHECK(sscanf(line, "%ld %ld %o %ld %ld", &key, &lid, &perms, &cbytes, &qnum) == 5 && perms == 0600
              && cbytes == 14 && qnum == 3, "its line: perms, cbytes, qnum");
    }
    struct m b;
    CHECK(msgrcv(id, &b, sizeof b.text, -2, 0) == 4 && b.type == 1 && strcmp(b.text, "one") == 0,
          "msgtyp -2: the lowest type up to 2");
    CHECK(msgrcv(id, &b, sizeof b.text, 2, MSG_EXCEPT) == 6 && b.type == 3, "MSG_EXCEPT: the first of another type");
    CHECK(msgrcv(id, &b, 2, 0, 0) == -1 && errno == E2BIG, "too long for the buffer: E2BIG");
    CHECK(msgctl(id, IPC_STAT, &ds) == 0 && ds.msg_qnum == 1, "and the message stays");
    CHECK(msgrcv(id, &b, 2, 0, MSG_NOERROR) == 2 && b.type == 2 && memcmp(b.text, "tw", 2) == 0, "MSG_NOERROR truncates");
    CHECK(msgrcv(id, &b, sizeof b.text, 0, IPC_NOWAIT) == -1 && errno == ENOMSG, "empty with IPC_NOWAIT: ENOMSG");
    msgctl(id, IPC_STAT, &ds);
    CHECK(ds.msg_cbytes == 0 && ds.msg_rtime != 0, "cbytes back to 0, rtime set");
    if (reference && ds.msg_lrpid == 0)
        SKIP("msg_lrpid is the receiver", "qemu-user's msqid_ds conversion drops it");
    else
        CHECK(ds.msg_lrpid == me, "msg_lrpid is the receiver");
    CHECK(send(id, 0, "x", 0) == -1 && errno == EINVAL, "mtype 0: EINVAL");
    static struct { long type; char text[70000]; } huge = {1, ""};
    CHECK(msgsnd(id, &huge, proc_long("/proc/sys/kernel/msgmax") + 1, 0) == -1 && errno == EINVAL, "over msgmax: EINVAL");
    CHECK(msgsnd(id, (void *)8, 4, 0) == -1 && errno == EFAULT, "bad msgp: EFAULT");

    /* a receiver blocks until a message of its type comes */
    pid_t c = fork();
    if (c == 0) {
        struct m r;
        _exit(msgrcv(id, &r, sizeof r.text, 7, 0) == 6 && strcmp(r.text, "seven") == 0 ? 0 : 1);
    }
    nap(50);
    send(id, 5, "five", 0);
    nap(20);
    CHECK(msgctl(id, IPC_STAT, &ds) == 0 && ds.msg_qnum == 1, "a message of another type does not wake it");
    send(id, 7, "seven", 0);
    int st;
    waitpid(c, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the blocked receiver gets its type");
    msgrcv(id, &b, sizeof b.text, 5, 0);

    /* a full queue blocks the sender */
    ds.msg_qbytes = 10;
    CHECK(msgctl(id, IPC_SET, &ds) == 0 && msgctl(id, IPC_STAT, &ds) == 0 && ds.msg_qbytes == 10, "IPC_SET lowers msg_qbytes");
    CHECK(send(id, 1, "12345678", 0) == 0, "a message that fits");
    CHECK(send(id, 1, "abc", IPC_NOWAIT) == -1 && errno == EAGAIN, "one that does not, IPC_NOWAIT: EAGAIN");
    c = fork();
    if (c == 0) _exit(send(id, 1, "abc", 0) == 0 ? 0 : 1);
    nap(50);
    CHECK(msgctl(id, IPC_STAT, &ds) == 0 && ds.msg_qnum == 1, "without: the sender waits");
    msgrcv(id, &b, sizeof b.text, 0, 0);
    waitpid(c, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0 && msgctl(id, IPC_STAT, &ds) == 0 && ds.msg_qnum == 1,
          "a receive makes room and the sender goes on");

    c = fork();
    if (c == 0) {
        struct m r;
        msgrcv(id, &r, sizeof r.text, 0, 0);
        int rr = msgrcv(id, &r, sizeof r.text, 0, 0);
        _exit(rr == -1 && errno == EIDRM ? 0 : 1);
    }
    nap(50);
    CHECK(msgctl(id, IPC_RMID, NULL) == 0, "IPC_RMID");
    waitpid(c, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a blocked receiver gets EIDRM");
    CHECK(msgsnd(id, &b, 1, 0) == -1 && errno == EINVAL, "the id is gone: EINVAL");

    key_t key = 0x46540000 | (me & 0xffff);
    int k1 = msgget(key, IPC_CREAT | IPC_EXCL | 0600);
    CHECK(k1 >= 0 && msgget(key, 0) == k1, "a key finds its queue");
    CHECK(msgget(key, IPC_CREAT | IPC_EXCL) == -1 && errno == EEXIST, "IPC_EXCL: EEXIST");
    c = fork();
    if (c == 0) {
        if (setuid(65534) != 0) _exit(9);
        struct msqid_ds d;
        int a = msgctl(k1, IPC_STAT, &d) == -1 && errno == EACCES;
        int e = send(k1, 1, "x", 0) == -1 && errno == EACCES;
        _exit(a && e ? 0 : 1);
    }
    waitpid(c, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "another user: EACCES");
    msgctl(k1, IPC_RMID, NULL);
    CHECK(msgget(key, 0) == -1 && errno == ENOENT, "removed: ENOENT");
    struct msginfo mi;
    CHECK(msgctl(0, IPC_INFO, (struct msqid_ds *)&mi) >= 0 && mi.msgmax == proc_long("/proc/sys/kernel/msgmax")
          && mi.msgmnb == proc_long("/proc/sys/kernel/msgmnb") && mi.msgmni == proc_long("/proc/sys/kernel/msgmni"),
          "IPC_INFO agrees with /proc/sys/kernel/msg*");
    CHECK(msgctl(0, 1234, NULL) == -1 && errno == EINVAL, "unknown command: EINVAL");

    printf(failures ? "FAILED %d\n" : "ALL PASSED\n", failures);
    return failures;
}
