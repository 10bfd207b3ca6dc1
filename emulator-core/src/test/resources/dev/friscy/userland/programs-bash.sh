# bash: arrays, associative arrays, traps, process substitution, coprocesses, expansions
bash <<'SH' 2>&1
set -u
arr=(one "two words" three)
echo "${#arr[@]} [${arr[1]}] ${arr[*]:1}"
declare -A map=([b]=2 [a]=1 [c]=3)
for k in $(printf '%s\n' "${!map[@]}" | sort); do echo "$k=${map[$k]}"; done
trap 'echo trapped USR1' USR1
kill -USR1 $$
trap 'echo exit trap' EXIT
diff <(printf 'a\nb\n') <(printf 'a\nc\n'); echo "diff $?"
while read -r l; do echo "read $l"; done < <(seq 3)
f() { local x=$1; echo $((x * 2)); }
echo "f $(f 21)"
coproc UPPER { tr a-z A-Z; }
# bash unsets UPPER_PID as soon as it reaps the coprocess, which may come before the wait
upper_pid=$UPPER_PID
echo "via coproc" >&"${UPPER[1]}"
exec {UPPER[1]}>&-
read -r r <&"${UPPER[0]}"; echo "$r"
wait "$upper_pid"; echo "coproc $?"
(exit 7); echo "subshell $?"
echo $(( $(echo {1..10} | tr ' ' +) ))
x=abcdef; echo "${x^^} ${x:2:3} ${x/cd/XY} ${#x}"
printf -v v '%05d' 42; echo "$v"
mapfile -t lines < <(printf 'l1\nl2\n'); echo "${lines[1]} ${#lines[@]}"
sleep 0.1 & wait $!; echo "waited $?"
set +u; for ((i = 0; i < 3; i++)); do s+=$i; done; echo "loop $s"
[[ "foo.tar.gz" =~ ^(.*)\.tar\.(gz|xz)$ ]] && echo "regex ${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
echo "pipestatus $(false | true; echo "${PIPESTATUS[@]}")"
SH
echo "bash: $?"
echo "== end"
