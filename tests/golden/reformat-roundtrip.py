#!/usr/bin/env python3
"""Round trip of cite reformat: a Harvard document rewritten in APA and back in Harvard must
give back what rewriting it in Harvard directly gives, that is the original up to what the
Harvard style itself normalises ("&" -> "and" in parentheses, a group's line breaks joined,
a name spelt as in the list, entries unwrapped, typographic quotes, "No. 38" -> "38").

Checked: the text before the reference list (every in-text citation) is byte for byte the
same; the list has the same entries (authors and year, as cite check reads them). Entries
whose wording differs are printed: what APA drops and the parser cannot get back (the place
of publication, an access date, a report's series read back as a journal). A document in
../shared is skipped with a message when absent. Usage: reformat-roundtrip.py CITE"""
import json
import os
import subprocess
import sys
import tempfile

DOCS = ['bib/examples/sahel-brief.txt', '../shared/seed/000_853a9e5e9b2efdbe.txt']
HARVARD = ['--style', 'harvard', '--locale', 'en-GB']
APA = ['--style', 'apa']


def reformat(cite, doc, style, out):
    run = subprocess.run([cite, 'reformat', doc, *style, '-o', out], capture_output=True,
                         text=True)
    if run.returncode not in (0, 1):
        raise SystemExit(f'reformat-roundtrip: cite reformat {doc} failed: {run.stderr}')


def entries(cite, doc):
    run = subprocess.run([cite, 'check', doc, '--format', 'json'], capture_output=True, text=True)
    report = json.loads(run.stdout)
    refs = report['references']
    return refs[0]['line'] if refs else 0, sorted((tuple(r['authors']), r['year']) for r in refs)


def main():
    cite = sys.argv[1]
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for doc in DOCS:
            if not os.path.exists(doc):
                print(f'skip: reformat-roundtrip: {doc} is absent')
                continue
            direct, apa, back = (os.path.join(tmp, n) for n in ('direct', 'apa', 'back'))
            reformat(cite, doc, HARVARD, direct)
            reformat(cite, doc, APA, apa)
            reformat(cite, apa, HARVARD, back)
            line_d, list_d = entries(cite, direct)
            line_b, list_b = entries(cite, back)
            text_d = open(direct, encoding='utf-8').read().split('\n')
            text_b = open(back, encoding='utf-8').read().split('\n')
            name = os.path.basename(doc)
            if text_d[:line_d - 1] != text_b[:line_b - 1]:
                print(f'FAIL: {name}: the citations differ after Harvard -> APA -> Harvard')
                failures += 1
            if list_d != list_b:
                print(f'FAIL: {name}: the entries differ: {list_d} vs {list_b}')
                failures += 1
            changed = [b for d, b in zip(text_d[line_d - 1:], text_b[line_b - 1:]) if d != b]
            print(f'{name}: Harvard -> APA -> Harvard: citations identical, {len(list_b)} '
                  f'entries, {len(changed)} worded differently (lost in APA)')
            for line in changed:
                print(f'  {line}')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
