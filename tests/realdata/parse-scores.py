#!/usr/bin/env python3
"""cite parse against labelled references no one here wrote (../shared/data), scored with the
shared scorer (../shared/tools/score-refs, GROBID's protocol, soft matching).

Tuned on: anystyle core and good. Held out: anystyle bad and ugly, jats printed strings.
Each set has a floor just under the figure of the version that set it, so a change that
makes parsing worse fails here; raise the floors as the parser improves (issue 3 targets:
micro F1 0.96 on author-date, 0.90 on all). Skipped with a message when ../shared is absent.
Usage: parse-scores.py CITE"""
import json
import os
import subprocess
import sys
import tempfile

SHARED = '../shared'
# set name, gold file, floor for soft micro F1 (percent)
SETS = [
    ('anystyle core (tuned)', 'data/anystyle/core.norm.jsonl', 84.2),
    ('anystyle good (tuned)', 'data/anystyle/good.norm.jsonl', 86.9),
    ('anystyle bad (held out)', 'data/anystyle/bad.norm.jsonl', 73.9),
    ('anystyle ugly (held out)', 'data/anystyle/ugly.norm.jsonl', 58.9),
    ('jats printed (held out)', 'data/jats/refs.printed.norm.jsonl', 97.8),
]
FIELDS = ['first_author', 'year', 'title', 'container', 'volume', 'fpage']


def score(cite, gold, tmp):
    lines = subprocess.run([os.path.join(SHARED, 'tools/refs2lines'), gold], check=True,
                           capture_output=True, text=True).stdout
    txt, xml = os.path.join(tmp, 'refs.txt'), os.path.join(tmp, 'refs.xml')
    with open(txt, 'w', encoding='utf-8') as f:
        f.write(lines)
    subprocess.run([cite, 'parse', txt, '-o', xml], check=True, stderr=subprocess.DEVNULL)
    out = subprocess.run([os.path.join(SHARED, 'tools/score-refs'), gold, xml, '--json'],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)['soft']


def main():
    cite = sys.argv[1] if len(sys.argv) > 1 else 'build/cite'
    if not os.path.isdir(os.path.join(SHARED, 'data')):
        print(f'parse-scores: skipped: {SHARED}/data is absent')
        return 0
    passed = failed = 0
    print(f'{"set":<26} {"micro F1":>8} {"instance":>8} ' + ' '.join(f'{f:>12}' for f in FIELDS))
    with tempfile.TemporaryDirectory() as tmp:
        for name, gold, floor in SETS:
            soft = score(cite, os.path.join(SHARED, gold), tmp)
            micro = soft['ALL (micro)']['f1']
            print(f'{name:<26} {micro:>8.2f} {soft["instance_accuracy"]:>7.2f}% ' +
                  ' '.join(f'{soft[f]["f1"]:>12.2f}' for f in FIELDS))
            if micro >= floor:
                passed += 1
            else:
                failed += 1
                print(f'FAIL: {name}: micro F1 {micro:.2f} is under its floor {floor:.2f}')
    print(f'parse-scores: {passed} passed, {failed} failed')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
