#!/usr/bin/env python3
"""The JSON Lines batch mode against one process a document: the 20 JATS manuscripts of
../shared/data/jats/docs (and the bundled briefing) as one batch must give, record by record,
exactly what `cite check --format json` and `cite parse --to csljson` give for each file
(apart from the record's id and the document's name). Skipped with a message when ../shared is
absent (the briefing alone is still compared). Usage: batch.py CITE"""
import glob
import json
import os
import subprocess
import sys
import tempfile

DOCS = '../shared/data/jats/docs'
BRIEF = 'bib/examples/sahel-brief.txt'


def one(cite, argv):
    return json.loads(subprocess.run([cite] + argv, capture_output=True, text=True).stdout)


def main():
    cite = sys.argv[1] if len(sys.argv) > 1 else 'build/cite'
    paths = [BRIEF]
    if os.path.isdir(DOCS):
        paths += sorted(glob.glob(os.path.join(DOCS, '*.txt')))
    else:
        print(f'batch: {DOCS} is absent: comparing the briefing alone')
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        batch = os.path.join(tmp, 'batch.jsonl')
        with open(batch, 'w', encoding='utf-8') as f:
            for i, p in enumerate(paths):
                with open(p, encoding='utf-8') as doc:
                    f.write(json.dumps({'id': i, 'name': os.path.basename(p), 'text': doc.read()}) + '\n')
        checks = subprocess.run([cite, 'check', '--format', 'jsonl', batch], capture_output=True,
                                text=True).stdout.splitlines()
        parses = subprocess.run([cite, 'parse', batch, '--to', 'jsonl'], capture_output=True,
                                text=True).stdout.splitlines()
        if len(checks) != len(paths) or len(parses) != len(paths):
            print(f'FAIL: {len(paths)} records gave {len(checks)} check and {len(parses)} parse lines')
            return 1
        citations = 0
        for i, p in enumerate(paths):
            got, want = json.loads(checks[i]), one(cite, ['check', '--format', 'json', p])
            if got.pop('id') != i or got.pop('document') != os.path.basename(p):
                failures += 1
                print(f'FAIL: {p}: the check line has the wrong id or name')
            want.pop('document')
            if got != want:
                failures += 1
                print(f'FAIL: {p}: the batch check differs from cite check --format json')
            citations += len(want['citations'])
            got = json.loads(parses[i])
            want = one(cite, ['parse', p, '--to', 'csljson'])
            if got.get('id') != i or got.get('references') != want:
                failures += 1
                print(f'FAIL: {p}: the batch parse differs from cite parse --to csljson')
    print(f'batch: {len(paths)} documents, {citations} citations: check and parse lines identical'
          f' to one run a file' if not failures else f'batch: {failures} failures')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
