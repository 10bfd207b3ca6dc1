# gawk's system(), "cmd" | getline and print | "cmd"
gawk 'BEGIN {
  system("echo from system"); r = system("exit 3"); print "status", r
  cmd = "echo a; echo b"; while ((cmd | getline line) > 0) print "got", line; close(cmd)
  print "z\ny\nx" | "sort"; close("sort")
  for (i = 0; i < 30; i++) n += (system("true") == 0); print "spawned", n
  print "done" }' 2>&1
echo "gawk: $?"
busybox awk 'BEGIN { "echo busybox" | getline l; print l }'
echo "== end"
