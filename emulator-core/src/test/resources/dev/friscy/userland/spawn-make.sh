# GNU make spawns its recipes with posix_spawn (clone3 with CLONE_VFORK in trixie's glibc)
mkdir -p src
for n in alpha beta gamma delta; do printf '%s\nline two of %s\n' "$n" "$n" > src/$n.in; done
cat > Makefile <<'MK'
SRCS := $(wildcard src/*.in)
OUTS := $(patsubst src/%.in,out/%.up,$(SRCS))
all: out/summary
out/%.up: src/%.in | out
	tr a-z A-Z < $< > $@
out/summary: $(OUTS)
	cat $(sort $^) > $@
	wc -l < $@ >> $@
out:
	mkdir -p out
clean:
	rm -rf out
.PHONY: all clean
MK
make -s -j2 2>&1
echo "make: $?"
cat out/summary
make -s -j2 2>&1; echo "again: $?"
make -s clean; ls
make -s -j2 out/beta.up && cat out/beta.up
make -s nosuch 2>&1; echo "missing target: $?"
echo "== end"
