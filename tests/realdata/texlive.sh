#!/bin/sh
# Real .bib files no one here wrote: every file Debian's texlive-bibtex-extra installs.
# For each: import -> export (biblatex and bibtex) -> import must give identical XML (a fixed
# point), and cite must find as many entries as bibutils' bib2xml. Skipped with a message
# when the package (or bibutils) is absent: `make deps` installs both.
set -u
dir=${TEXLIVE_BIB:-/usr/share/texlive/texmf-dist/bibtex/bib}
cite=${CITE:-build/cite}
if [ ! -d "$dir" ]; then
    echo "realdata: skipped: $dir is absent (apt-get install texlive-bibtex-extra)"
    exit 0
fi
have_bibutils=1
command -v bib2xml >/dev/null 2>&1 || {
    have_bibutils=0
    echo "realdata: bibutils is absent: entry counts are not compared (apt-get install bibutils)"
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
files=0
entries=0
for bib in $(find "$dir" -name '*.bib' | sort); do
    name=${bib#"$dir"/}
    files=$((files + 1))
    "$cite" import "$bib" -o "$tmp/1.xml" 2>"$tmp/err"
    rc=$?
    if [ $rc -gt 1 ] || [ ! -s "$tmp/1.xml" ]; then
        echo "FAIL: $name: import exited $rc"; head -5 "$tmp/err"; fail=$((fail + 1)); continue
    fi
    n=$(grep -c '<entry ' "$tmp/1.xml")
    entries=$((entries + n))
    ok=1
    for dialect in biblatex bibtex; do
        "$cite" export "$tmp/1.xml" --to $dialect -o "$tmp/2.bib" 2>/dev/null &&
            "$cite" import "$tmp/2.bib" -o "$tmp/2.xml" 2>"$tmp/err2"
        if ! cmp -s "$tmp/1.xml" "$tmp/2.xml"; then
            echo "FAIL: $name: import -> export --to $dialect -> import is not a fixed point"
            diff "$tmp/1.xml" "$tmp/2.xml" | head -10
            ok=0
        fi
    done
    if [ $have_bibutils = 1 ]; then
        m=$(bib2xml "$bib" 2>/dev/null | grep -c '<mods ID=')
        if [ "$n" != "$m" ]; then
            echo "FAIL: $name: cite found $n entries, bib2xml $m"
            ok=0
        fi
    fi
    if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "realdata: $files files, $entries entries"
echo "realdata: $pass passed, $fail failed"
[ $fail = 0 ]
