# glibc-dynamic programs (dash, coreutils) from the Debian image. Run by dash with the image's
# root as the working directory: "/" on friscy, the extracted image under qemu. Only relative
# paths are used, so both runs see the same files by the same names. Output must be identical.
# Kept deterministic as in busybox-applets.sh: fixed mtimes, sorted readdir-order listings, no
# atime/ctime/inode/device values.
exec 2>&1
export TZ=UTC
umask 022
T='2024-01-02 03:04:05'

echo "== dash"; echo $((6*7)); x=5; while [ $x -gt 0 ]; do printf '%s ' $x; x=$((x-1)); done; echo
case abc in a*) echo glob-ok;; esac; set -- one two three; echo "$# $2 ${3%ee}"
f() { echo "f:$1"; return 3; }; f arg; echo rc=$?; echo "$(echo nested $(echo deeper))"
printf '%5.2f|%-4s|%x\n' 3.14159 ab 255

echo "== ls -l usr/bin"; ls -l usr/bin
echo "== ls -la usr/lib"; ls -la usr/lib | head -20

cd tmp && rm -rf w && mkdir -p w/d/e && cd w || exit 9
printf 'pear 3\napple 10\nfig 2\napple 1\nbanana 7\n' > fruits
seq 1 2000 | sort -R --random-source=fruits > rand
printf 'a\n' > d/e/f; ln -s e/f d/lnk; ln d/e/f d/hard
touch -h -d "$T" d/lnk; touch -d "$T" fruits rand d/e/f d/e d .

echo "== sort"; sort fruits; sort -k2,2n fruits; sort -u -k1,1 fruits; sort -n rand | md5sum; sort -rn rand | head -3
sort -c fruits; echo st=$?; sort -f fruits

echo "== md5sum"; md5sum fruits rand ../../usr/bin/dash ../../usr/bin/ls; md5sum fruits > s; md5sum -c s

echo "== stat"; stat -c '%n %s %a %A %F %h %u %g %U %G %Y %y %b %B %o' fruits d d/e/f d/lnk d/hard
stat -L -c '%N %F' d/lnk; stat -c '%N' d/lnk; stat fruits d/lnk | grep -v -e '^Device' -e '^Access: 2' -e '^Change' -e '^ Birth'
stat -f -c '%T' . ; stat --printf='%s\n' rand

echo "== cp -a"; cp -a d d2; ls -lR d2; stat -c '%n %a %Y %h' d2/e/f d2/hard; [ d2/e/f -ef d2/hard ] && echo hardlink-kept
cp -a fruits fr2; stat -c '%Y %a' fr2; cp --preserve=mode,timestamps rand r2; cmp rand r2 && echo same
cp -r d d3; stat -c '%n %Y' d3/lnk d3/e | sed 's/ 1[7-9][0-9]*$/ recent/'

echo "== date"; date -d '2024-02-29 12:34:56'; date -u -d '@1700000000' '+%Y-%m-%d %H:%M:%S %a %j %s %U %V %u %Z'
date -d '2000-01-01 00:00:00' +%s; date -d @0 -R; date -d '2024-01-31 + 1 month' +%F; date --iso-8601=seconds -d @1234567890
TZ=EST5EDT,M3.2.0,M11.1.0 date -d @1720000000; date -r fruits; date -d 'next day' +%s >/dev/null && echo relative-ok

echo "== ls"; touch -h -d "$T" * . ..; ls -la; ls -lai d | sed 's/^ *[0-9][0-9]* //'; ls -R; ls -lt --full-time
ls -1 --color=never -F d

echo "== misc"; head -c 20 rand | od -An -c; tail -n 2 fruits; wc -l rand; cut -d' ' -f2 fruits | paste -sd+ | tr -d '\n'; echo
printf '%s\n' b a c | tac; basename /x/y/z.txt .txt; dirname /x/y/z.txt; expr 6 \* 7; factor 360; seq -s, 1 5; yes | head -2
id -u; env -i A=1 printenv A; printf 'x\0y' | od -c | head -1; realpath --relative-to=. d/lnk; test -x ../../usr/bin/ls && echo exec-ok
du -s d

echo "== rm"; rm -r d2 d3; rm fr2 r2 s; ls; cd .. && rm -rf w; ls -A w; echo st=$?
echo "== end"
