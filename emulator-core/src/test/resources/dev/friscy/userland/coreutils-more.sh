# More coreutils on the Debian image, compared with qemu like coreutils-dash.sh (same rules):
# big sorts with temporary files and threads, number formatting, every hash, text tools, sparse
# files, cp --reflink (FICLONE), timeout and signals, identity and terminal queries.
exec 2>&1
export TZ=UTC
umask 022
T='2024-01-02 03:04:05'
cd tmp && rm -rf w && mkdir -p w && cd w || exit 9
seq 1 50000 > big; printf 'b 2\na 1\nc 3\n' > s1; printf 'a x\nc z\nd w\n' > s2
echo "== sort big"; sort -S 64K -T . -r big | md5sum; sort --parallel=2 -S 200K -n -r big | head -2; sort -g <<X
1e3
-2.5
0x10
inf
nan
7
X
echo "== join comm"; join s1 s2; sort s1 > s1s; comm -12 s1s s1s | wc -l
echo "== numbers"; seq 0 0.25 1; seq -w 8 11; printf '%a %e %g %.20f\n' 0.1 123456.789 1e-10 0.1; factor 18446744073709551615 340282366920938463463374607431768211455; expr 9223372036854775807 + 0; expr 2 \* 3000000000000000000 2>&1; numfmt --to=iec 123456789; numfmt --from=si 1.5G
echo "== hashes"; sha1sum big; sha224sum big; sha384sum big; sha512sum big; b2sum big; cksum big; sum big; base64 s1; base64 -d <<X
aGVsbG8K
X
base32 s1
echo "== text"; nl s1; fmt -w 10 s1; pr -t -2 s1; fold -w 2 s1 | head -4; expand <<X
a	b
X
tr -s 'a-z' < s1; rev s1 2>&1 | head -1; shuf --random-source=big -n 3 big; shuf --random-source=big -i 1-10 | tr '\n' ' '; echo; csplit -s big 100 200; wc -l xx*; split -l 20000 big part-; ls part-*; cat part-* | cmp - big && echo split-ok
echo "== files"; truncate -s 10000 sp; stat -c '%s %b' sp; dd if=/dev/zero of=dz bs=4096 count=3 seek=2 status=none; stat -c '%s %b' dz; install -m 751 s1 inst; stat -c '%a' inst; mktemp -p . tmp.XXXXXX | wc -c; chmod -R go-rwx .; stat -c '%a %n' s1 inst; ln -sr s1 rel; readlink rel; ln -s nope loopa; readlink -e loopa; echo e=$?; touch -d '2024-01-02 03:04:05.123456789' ns; stat -c '%y %.3Y' ns; cp --sparse=always sp sp2; stat -c '%s %b' sp2; cp --reflink=auto s1 r1 && cat r1 | head -1; cp --reflink=always s1 r2; echo reflink=$?; tee t1 t2 < s1 > /dev/null; cat t2 | wc -l; shred -n 1 -u t1; ls t1; dd if=big of=dd1 bs=1000 skip=2 count=3 status=none; wc -c dd1; dd if=s1 conv=ucase status=none; du --apparent-size -b sp; du -b sp
echo "== proc"; timeout 1 sleep 5; echo timeout=$?; timeout -s KILL 0.5 sleep 3; echo kill=$?; nice -n 5 nice; nohup true 2>&1; echo nohup=$?; env -i B=2 A=1 env; printenv TZ; sleep 0.1; echo slept; stdbuf -oL echo buffered; nproc >/dev/null && echo nproc; uname -m; uname -s; id; groups; logname 2>&1; whoami; tty; echo tty=$?; stty -a 2>&1 | head -1; test -t 0; echo t0=$?
echo "== misc"; yes abc | head -c 100000 | wc -c; head -c 1000000 /dev/urandom | wc -c; cat /dev/null; echo | md5sum; seq 100000 | tail -n 1; seq 100000 | tac | head -1; tail -c 7 big; head -n -49998 big; printf 'x\n' | paste - - ; echo abc | od -An -tx1; od -An -N4 -tu4 big; pwd | sed 's,.*/tmp/,/tmp/,'; basename "$(pwd)"; ls -la --time-style=+%s . | head -3 | sed 's/ [0-9]\{10\} / T /'
echo "== rm"; cd .. && rm -rf w; echo end
