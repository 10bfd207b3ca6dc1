# git: init, commit, branch, merge, log; tar, gzip and xz through pipes and tar's own
# compressor children, with checksums of everything they write
export GIT_AUTHOR_NAME=Ada GIT_AUTHOR_EMAIL=ada@example.org GIT_COMMITTER_NAME=Ada \
    GIT_COMMITTER_EMAIL=ada@example.org GIT_AUTHOR_DATE=2024-01-02T03:04:05Z \
    GIT_COMMITTER_DATE=2024-01-02T03:04:05Z HOME=$PWD GIT_CONFIG_NOSYSTEM=1
git init -q -b main repo && cd repo || exit 1
printf 'one\ntwo\nthree\n' > a && git add a && git commit -qm first
git checkout -qb feature && printf 'four\n' >> a && git commit -qam second
git checkout -q main && printf 'other\n' > b && git add b && git commit -qm third
git merge -q --no-edit feature && echo merged
git log --graph --format='%h %s' 2>&1
git rev-parse HEAD
git show --stat --format=%s HEAD~1 2>&1
git status --short; git branch
cd .. && echo "git done"
mkdir -p d/sub && printf 'hello\n' > d/a && seq 1 3000 > d/sub/n && ln -s a d/link
tar --mtime=2024-01-01 --owner=0 --group=0 --sort=name -cf t.tar d
gzip -n -k t.tar && xz -T1 -k t.tar
sha256sum t.tar t.tar.gz t.tar.xz
gzip -t t.tar.gz && xz -t t.tar.xz && echo tested
tar -tvzf t.tar.gz
mkdir x && tar -xJf t.tar.xz -C x && diff -r d x/d && echo same
tar -cf - d | xz -T1 -1 | xz -d | tar -tf - | sort
seq 1 20000 | gzip -n -9 | gunzip | md5sum
echo "== end"
