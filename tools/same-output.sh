#!/bin/sh
# same-output.sh OLD NEW: do two builds of cite print the same bytes (stdout, stderr, exit
# status) for cite check (text, json, sarif; jsonl on a batch of them all) and cite link (text,
# json) on real documents?
# For speed work, where the output must not change. The documents: the JATS manuscripts and
# the seed of ../shared (skipped when absent), bib/examples, and elife-24271's body repeated to
# 1 and 4 MB as tests/bench/check.py builds it. Prints each difference; exits 1 if any.
set -u
old=$1 new=$2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
docs=$(ls ../shared/data/jats/docs/*.txt ../shared/seed/*.txt 2>/dev/null)
[ -n "$docs" ] || echo "same-output: ../shared is absent: only bib/examples and no bench documents"
jats=../shared/data/jats/docs/elife-24271.txt
if [ -f "$jats" ]; then
    python3 - "$jats" "$tmp" <<'PY'
import sys
text = open(sys.argv[1], encoding='utf-8').read()
cut = text.rfind('\nReferences\n')
body, refs = text[:cut], text[cut:]
for mb in (1, 4):
    copies = max(1, int(mb * 1e6 / len(body.encode())))
    with open(f'{sys.argv[2]}/bench{mb}.txt', 'w', encoding='utf-8') as f:
        f.write((body + '\n\n') * copies + '\n' + refs)
PY
    docs="$docs $tmp/bench1.txt $tmp/bench4.txt"
fi
runs=0 diffs=0
compare() { # label, then the arguments of cite
    label=$1
    shift
    "$old" "$@" >"$tmp/o.out" 2>"$tmp/o.err"
    echo "rc $?" >>"$tmp/o.err"
    "$new" "$@" >"$tmp/n.out" 2>"$tmp/n.err"
    echo "rc $?" >>"$tmp/n.err"
    runs=$((runs + 1))
    if ! cmp -s "$tmp/o.out" "$tmp/n.out" || ! cmp -s "$tmp/o.err" "$tmp/n.err"; then
        diffs=$((diffs + 1))
        echo "DIFFERENT: $label"
        diff "$tmp/o.out" "$tmp/n.out" | head -5
        diff "$tmp/o.err" "$tmp/n.err" | head -5
    fi
}
# the same documents as one batch (cite check --format jsonl: many checks in one process)
python3 - "$tmp/batch.jsonl" $docs bib/examples/sahel-brief.txt <<'PY'
import json, sys
with open(sys.argv[1], 'w', encoding='utf-8') as out:
    for path in sys.argv[2:]:
        with open(path, encoding='utf-8', errors='replace') as f:
            out.write(json.dumps({'id': path, 'text': f.read()}) + '\n')
PY
compare "check --format jsonl (batch of all)" check "$tmp/batch.jsonl" --format jsonl
for doc in $docs bib/examples/sahel-brief.txt; do
    compare "check $doc" check "$doc"
    compare "check --format json $doc" check "$doc" --format json
    compare "check --format sarif $doc" check "$doc" --format sarif
    compare "link $doc" link "$doc"
    compare "link --json $doc" link "$doc" --json
done
compare "check --bib sahel.bib" check bib/examples/sahel-brief.txt --bib bib/examples/sahel.bib
compare "check --bib sahel.bib --format json" check bib/examples/sahel-brief.txt --bib \
    bib/examples/sahel.bib --format json
compare "link --bib sahel.bib --json" link bib/examples/sahel-brief.txt --bib bib/examples/sahel.bib --json
echo "same-output: $runs runs, $diffs different"
[ "$diffs" -eq 0 ]
