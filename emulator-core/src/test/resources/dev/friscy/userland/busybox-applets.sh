# Busybox applets on a deterministic tree. Run by busybox sh on friscy and under qemu; the two
# outputs must be identical. Rules that keep the output deterministic on both:
#  - every file and directory that is listed gets a fixed mtime (touch -d / touch -h -d);
#  - the tree lives in top/w, created here, so "." and ".." are ours too;
#  - directory read order is file-system specific (tmpfs lists newest first), so listings
#    that follow readdir order (find, grep -r, du -a, tar of a directory) go through sort or
#    are given their file list in sorted order;
#  - no atime/ctime/inode/device values (they depend on the moment and the host).
exec 2>&1
export TZ=UTC
umask 022
T='2024-01-02 03:04:05'
mkdir -p top/w/a/b/c && cd top/w || exit 9
printf 'banana\napple\ncherry\napple\nbanana\ndate\n' > fruits.txt
printf 'hello world\nfoo bar\nhello again\n' > a/greet.txt
printf 'x=1\ny=2\n' > a/b/vars.conf
printf '%s\n' one two three > a/b/c/deep.txt
printf 'root:x:0:0\nbin:x:2:2\ndaemon:x:1:1\nnobody:x:65534:65534\n' > a/b/pw
seq 1 300 > nums.txt
chmod 600 a/b/vars.conf; chmod 750 a/b/c; chmod 4755 a/b/pw
ln -s greet.txt a/hello.lnk; ln a/greet.txt a/hard.txt
touch -h -d "$T" a/hello.lnk
touch -d "$T" fruits.txt a/greet.txt a/b/vars.conf a/b/c/deep.txt a/b/pw nums.txt a/b/c a/b a . ..

echo '== ls -la'; ls -la; ls -la a
echo '== ls -lR'; ls -lR a; ls -l --full-time a/b; ls -1F a; ls -lS a; ls -lr a; ls -ls a

echo '== cat'; cat fruits.txt a/greet.txt; cat -n a/b/c/deep.txt; cat a/hello.lnk

echo '== sort'; sort fruits.txt; sort -r fruits.txt; sort -n -r nums.txt | head -3; sort -u fruits.txt
sort -t: -k3,3n a/b/pw; sort -k2 -r a/greet.txt

echo '== uniq'; sort fruits.txt | uniq -c; sort fruits.txt | uniq -d; sort fruits.txt | uniq -u

echo '== sed'; sed -e 's/a/A/g' -e '/cherry/d' fruits.txt; sed -n '2,3p' a/greet.txt; sed -n '$=' nums.txt
sed 's/\(hel*\)o/[\1]/' a/greet.txt
cp fruits.txt f2; sed -i 's/apple/APPLE/' f2; cat f2; rm f2

echo '== awk'; awk '{n[$1]++} END {for (k in n) print k, n[k]}' fruits.txt | sort
awk -F= '{s+=$2} END {print "sum", s}' a/b/vars.conf; awk 'NR%100==0 {printf "%d:%s\n", NR, $0}' nums.txt
awk 'BEGIN {printf "%.6f %.3e %d %s\n", 22/7, 2^40, int(-3.7), substr("abcdef", 2, 3); x = 1/3; printf "%.15g %g %g\n", x, 1e-5 * 3, 0.1 + 0.2; print length("hello"), toupper("abc"), index("hello","ll"); s="a,b,c"; n=split(s, p, ","); print n, p[3]; print 1e300*1e300, -1e300*1e300; printf "%x %o %c\n", 255, 8, 65 }'
awk -F: '$3 > 1 {print $1}' a/b/pw; awk '{ sum += $1 } END { print sum, sum/NR }' nums.txt

echo '== grep'; grep -r hello . | sort; grep -rn -i FOO a | sort; grep -c apple fruits.txt; grep -rl x= . | sort
grep -E 'ba(na)+' fruits.txt; grep -o 'an' fruits.txt | wc -l; grep -v a fruits.txt; grep -w foo a/greet.txt
grep -q nothing fruits.txt; echo st=$?; grep -x '3.' nums.txt | head -3

# find -exec and xargs are left out: busybox runs them by exec'ing /proc/self/exe, which qemu
# (without binfmt) cannot; ShellTest covers them on friscy.
echo '== find'; find . | sort; find . -type f -name '*.txt' | sort; find a -type d | sort; find . -newer a/b/vars.conf | sort
find . -type l; find . -perm -4000; find . -size +1k; find a -maxdepth 1 | sort; find . -mtime +30 -type f | sort | head -3
find . -links 2 -type f | sort; find . -empty

echo '== tar'; tar -cf ../t.tar --no-recursion $(find a fruits.txt | sort); tar -tvf ../t.tar
mkdir x && tar -xf ../t.tar -C x && find x | sort && cat x/a/b/c/deep.txt
stat -c '%n %a %Y %h' x/a/b/vars.conf x/a/b/pw x/a/hard.txt; stat -c '%n %a %h' x/a/b/c; readlink x/a/hello.lnk; rm -r x
tar -czf ../t.tgz --no-recursion $(find a | sort); tar -tzf ../t.tgz | sort; tar -xzf ../t.tgz -O a/b/c/deep.txt
gzip -dc ../t.tgz | tar -t | wc -l

echo '== gzip'; cp nums.txt n2.txt; gzip -9 n2.txt; ls n2*; gzip -t n2.txt.gz; echo t=$?; gunzip n2.txt.gz
cmp nums.txt n2.txt && echo same; gzip -c fruits.txt | gunzip -c | md5sum; seq 1 20000 | gzip | gunzip | md5sum
zcat ../t.tgz | md5sum; gzip -c nums.txt | md5sum; rm n2.txt

echo '== md5sum'; md5sum fruits.txt a/greet.txt nums.txt; md5sum fruits.txt > m5; md5sum -c m5; echo x >> m5
md5sum -c m5; echo st=$?

echo '== sha256sum'; sha256sum fruits.txt a/b/vars.conf; sha256sum nums.txt > sums; sha256sum -c sums
printf '' | sha256sum; head -c 100000 /dev/zero | sha256sum

echo '== bc'; echo '2^64; scale=20; 4*a(1); sqrt(2); 355/113; e(1); l(10); s(1); c(1)' | bc -l
echo '17 % 5; 123456789*987654321; obase=16; 255; 2^100' | bc
printf 'define f(n) { if (n < 2) return n; return f(n-1)+f(n-2); }\nf(20)\n' | bc; echo '-7/2; scale=3; -7/2' | bc

echo '== date'; date -d '2024-02-29 12:34:56'; date -u -d '@1700000000' '+%Y-%m-%d %H:%M:%S %a %j %s %U %V %u'
date -d '2000-01-01 00:00:00' +%s; date -d @0; TZ=EST5EDT,M3.2.0,M11.1.0 date -d @1720000000
TZ=JST-9 date -d @1720000000 +'%F %T %Z %z'; date -d '1999-12-31 23:59:59' -R; date -u -d @2147483648

echo '== stat'; stat -c '%n %s %a %A %F %h %u %g %U %G %Y %y %b %B %o' fruits.txt a a/b/c/deep.txt a/b/pw a/hello.lnk a/hard.txt
stat -L -c '%n %F %s' a/hello.lnk; stat -c '%N' a/hello.lnk; stat -c '%F %a' /dev/null /tmp; stat -t fruits.txt | cut -d' ' -f1-6

# du -a would name whichever of greet.txt/hard.txt it meets first (it counts a file once).
echo '== du'; du -s nums.txt; du -s a; du -a a/b | sort -k2; du -sk .; du -h nums.txt; du -c fruits.txt nums.txt

echo '== wc'; wc fruits.txt a/greet.txt nums.txt; wc -l < nums.txt; wc -c a/b/vars.conf; wc -L a/greet.txt; wc -w fruits.txt

echo '== od'; od -c a/b/vars.conf; od -A x -t x1 a/greet.txt; printf '\001\377AB' | od -t o1 -t d1; od -x a/b/vars.conf
od -A d -t u4 -N 8 nums.txt; od -t f8 -N 8 /dev/zero; printf 'abc' | od -b

# cp -a does not keep a symlink's own mtime (busybox), so it is reset before listing.
echo '== cp -a'; cp -a a a2; touch -h -d "$T" . a2/hello.lnk; ls -la a2; ls -lR a2
stat -c '%n %a %Y %h' a2 a2/b a2/b/c/deep.txt a2/b/pw a2/b/vars.conf a2/hard.txt a2/greet.txt
[ a2/greet.txt -ef a2/hard.txt ] && echo hardlink-kept; readlink a2/hello.lnk
cp fruits.txt cp1; stat -c '%a %s' cp1; cp -p a/b/pw cp2; stat -c '%a %Y' cp2; cp -r a/b cpd; find cpd | sort; rm -r cp1 cp2 cpd

echo '== mv'; mv a2/greet.txt a2/moved.txt; mv a2/b a2/bb; find a2 | sort; cat a2/moved.txt; mv a2/moved.txt .; ls moved.txt
mv a2/bb/c a2/bb/c2; mv moved.txt a2/bb/c2/; find a2 | sort; stat -c '%Y' a2/bb/c2/moved.txt; mv a2 a2/bb; echo st=$?
echo over > ov; mv ov fruits.txt.bak; mv -f fruits.txt.bak ov2; cat ov2

echo '== ln -s'; ln -s a/greet.txt link1; ln -s ../nowhere dangling; touch -h -d "$T" link1 dangling; ls -l link1 dangling
cat link1; readlink link1; test -e dangling || echo dangling-missing; test -L dangling && echo is-link
ln -s x link1; echo st=$?; ln -sf fruits.txt link1; readlink link1; ln -s /nonexist/abs abs; readlink abs; ls -l abs | cut -c1-10
ln nums.txt hl; stat -c %h nums.txt hl

echo '== touch'; touch -d '2023-05-06 07:08:09' newfile; stat -c '%n %s %Y %X' newfile; touch -r fruits.txt newfile; stat -c '%Y' newfile
touch -c nofile; ls nofile; touch -m -d '2020-01-01 00:00:00' newfile; stat -c '%Y' newfile
touch -a -d '2021-01-01 00:00:00' newfile; stat -c '%Y %X' newfile; touch -t 202212311259.30 newfile; stat -c '%Y' newfile
touch nodir/x; echo st=$?

echo '== mkdir -p'; mkdir -p p/q/r/s; mkdir -p p/q; echo st=$?; find p | sort; mkdir p; echo st=$?
mkdir -m 700 p/m; stat -c '%a' p/m; mkdir -p -m 711 p/n/o; stat -c '%a' p/n p/n/o; mkdir fruits.txt/x; echo st=$?
rmdir p/q; echo st=$?

echo '== rm -r'; rm -r a2 p; ls; rm nonexist; echo st=$?; rm -f nonexist; echo st=$?; mkdir d1; rm d1; echo st=$?; rm -r d1
mkdir -p d2/e/f; touch d2/e/f/g; chmod 500 d2/e; rm -rf d2; echo st=$?; ls -d d2

# cat uses sendfile: a file bigger than the pipe goes through in several partial sendfiles
echo '== big pipes'; cat /usr/bin/busybox | md5sum; md5sum /usr/bin/busybox; cat /usr/bin/busybox | cat | wc -c
mkdir big && cp /usr/bin/busybox big/bb && seq 1 200000 > big/seq && touch -d "$T" big/bb big/seq big
tar -cf - big | tar -tvf - | sort -k6; tar -czf - big | tar -xzOf - big/bb | md5sum; tar -cf - big | wc -c; rm -r big

echo '== errors'; cat nonexist; echo st=$?; cat a; echo st=$?; cd fruits.txt; echo st=$?; echo x > a; echo st=$?
ls -l nonexist; echo st=$?
echo '== end'
