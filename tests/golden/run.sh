#!/bin/sh
# Golden CLI tests: each case is a folder tests/golden/SUITE/CASE/ holding `args` (the
# arguments of one cite invocation, shell-split), its input files, and expected.out,
# expected.err and expected.rc. The command runs inside the case folder with standard input
# from the file `stdin` when present. A case whose file `needs` lists a path (relative to the
# case folder) that is absent, such as the client's document in ../shared, is skipped with a
# message. UPDATE=1 rewrites the expectations.
set -u
here=$(cd "$(dirname "$0")" && pwd)
cite=$(cd "$(dirname "${CITE:-build/cite}")" && pwd)/$(basename "${CITE:-build/cite}")
pass=0
fail=0
skipped=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for case in "$here"/*/*/; do
    case=${case%/}
    name=${case#"$here"/}
    [ -f "$case/args" ] || continue
    if [ -f "$case/needs" ]; then
        missing=$(cd "$case" && while read -r p; do [ -e "$p" ] || echo "$p"; done <needs)
        if [ -n "$missing" ]; then
            echo "skip: golden/$name: $missing is absent"
            skipped=$((skipped + 1))
            continue
        fi
    fi
    stdin=/dev/null
    [ -f "$case/stdin" ] && stdin=$case/stdin
    (cd "$case" && eval "set -- $(cat args)" && "$cite" "$@" <"$stdin" >"$tmp/out" 2>"$tmp/err")
    echo $? >"$tmp/rc"
    if [ "${UPDATE:-0}" = 1 ]; then
        cp "$tmp/out" "$case/expected.out"
        cp "$tmp/err" "$case/expected.err"
        cp "$tmp/rc" "$case/expected.rc"
    fi
    ok=1
    for f in out err rc; do
        if ! diff -u --label "$name/expected.$f" --label "$name/actual.$f" \
            "$case/expected.$f" "$tmp/$f" >"$tmp/diff"; then
            ok=0
            cat "$tmp/diff"
        fi
    done
    if [ $ok = 1 ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: golden/$name"
    fi
done
echo "golden: $pass passed, $fail failed, $skipped skipped"
[ $fail = 0 ]
