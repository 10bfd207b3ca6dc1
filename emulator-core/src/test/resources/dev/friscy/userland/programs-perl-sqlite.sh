# perl: fork, pipes, open "-|", backticks, system; sqlite3: transactions, rollback, a
# recursive query, CSV, .shell and .system, an integrity check
perl -e '
pipe(my $r, my $w) or die "pipe: $!";
my $pid = fork // die "fork: $!";
if ($pid == 0) { close $r; print $w "from the child\n"; close $w; exit 3 }
close $w; print while <$r>; waitpid($pid, 0); print "child status ", $? >> 8, "\n";
open(my $p, "-|", "echo", "from open") or die; print <$p>; close $p;
open(my $o, "|-", "tr a-z A-Z") or die; print $o "to a pipe\n"; close $o;
print `echo backticks`; system("exit 2;"); print "system ", $? >> 8, "\n";
my @s = sort { $a <=> $b } map { $_ * 3 % 7 } 1..10; print "@s\n";
my %h = (x => 1, y => 2); print join(",", map {"$_=$h{$_}"} sort keys %h), "\n";
printf "%.6f\n", atan2(1, 1) * 4;
' 2>&1
echo "perl: $?"
sqlite3 db.sqlite <<'SQL' 2>&1
create table t(id integer primary key, name text, n int);
begin; insert into t(name, n) values ('a', 1), ('b', 2); commit;
begin; insert into t(name, n) values ('c', 3); rollback;
select count(*), sum(n) from t;
create index tn on t(name);
with recursive c(x) as (select 1 union all select x + 1 from c where x < 500)
  insert into t(name, n) select 'r' || x, x * x from c;
select name, n from t where n > 248000 order by n;
select count(*), sum(n) from t;
.mode csv
select * from t where id < 3;
.mode list
.shell echo from .shell
.system echo from .system; exit 5
pragma integrity_check;
SQL
echo "sqlite: $?"
sqlite3 db.sqlite 'select count(*) from t'
echo "== end"
