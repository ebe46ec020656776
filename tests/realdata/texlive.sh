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
# Entry counts against bib2xml, key by key. bib2xml has three known defects on these files,
# which are counted and explained rather than matched: it makes a record of each @preamble
# (its ID is the preamble text), it makes an empty record "refN" of stray text between
# entries, and it drops entries whose type starts with "comment" (jurabib's @COMMENTED).
compare_with_bibutils() {
    bib2xml "$1" 2>/dev/null | sed -n 's/.*<mods ID="\([^"]*\)".*/\1/p' | sort >"$tmp/bu.keys"
    sed -n 's/.*<entry id="\([^"]*\)".*/\1/p' "$3" | sort >"$tmp/cite.keys"
    m=$(wc -l <"$tmp/bu.keys")
    bad=0
    for key in $(comm -23 "$tmp/bu.keys" "$tmp/cite.keys" | tr ' ' '\001'); do
        case $key in
        '&quot;'*) bu_preamble=$((bu_preamble + 1)) ;;
        ref[0-9]*) bu_invented=$((bu_invented + 1)) ;;
        *) echo "FAIL: $2: bib2xml has entry '$key', cite does not"; bad=1 ;;
        esac
    done
    for key in $(comm -13 "$tmp/bu.keys" "$tmp/cite.keys"); do
        if grep -qi "^@comment[a-z][a-z]* *{ *$key *," "$1"; then
            bu_dropped=$((bu_dropped + 1))
        else
            echo "FAIL: $2: cite has entry '$key', bib2xml does not"; bad=1
        fi
    done
    bu_total=$((bu_total + m))
    return $bad
}
bu_total=0
bu_preamble=0
bu_invented=0
bu_dropped=0
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
        compare_with_bibutils "$bib" "$name" "$tmp/1.xml" || ok=0
    fi
    if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "realdata: $files files, $entries entries"
[ $have_bibutils = 1 ] && echo "realdata: bib2xml: $bu_total records = cite's entries" \
    "+ $bu_preamble @preamble + $bu_invented invented from stray text - $bu_dropped @COMMENTED it drops"
echo "realdata: $pass passed, $fail failed"
[ $fail = 0 ]
