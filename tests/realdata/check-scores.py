#!/usr/bin/env python3
"""cite check against manuscripts no one here wrote: the 20 JATS articles of ../shared/data/jats
rendered as text, with the publishers' own citation links as gold, scored with the shared
scorer (../shared/tools/score-links). Also the client's seed document: its expected outcome.

Prints, per kind of callout (author-date, numeric) summed over the articles: callouts found
(detection recall), false citations (share of predicted ones), and links right (share of gold
callouts linked to the gold reference). Fails when a figure falls under its floor, set just
under the version that set it (issue 4 targets: 99% found and linked, under 0.5% false).
Skipped with a message when ../shared is absent. Usage: check-scores.py CITE"""
import glob
import json
import os
import subprocess
import sys
import tempfile

SHARED = '../shared'
DOCS = os.path.join(SHARED, 'data/jats/docs')
SEED = os.path.join(SHARED, 'seed/000_853a9e5e9b2efdbe.txt')
# kind: (floor found %, ceiling false %, floor correct %)
FLOORS = {'author-date': (99.9, 0.45, 98.9), 'numeric': (99.9, 0.1, 99.9)}
# The seed's expected outcome (issue 4): these and nothing else go wrong.
SEED_EXPECTED = {
    ('unresolved', 'Finabel'), ('unresolved', 'Bertrand'),
    ('near-miss', 'United Nations'), ('uncited', 'Boeke & de Valk (2019)'),
}


def check_json(cite, doc):
    run = subprocess.run([cite, 'check', doc, '--format', 'json'], capture_output=True, text=True)
    if run.returncode not in (0, 1):
        raise SystemExit(f'check-scores: cite check {doc} failed ({run.returncode}): {run.stderr}')
    return run.stdout


def score_articles(cite, tmp):
    totals = {}
    for doc in sorted(glob.glob(os.path.join(DOCS, '*.txt'))):
        base = doc[:-4]
        out = os.path.join(tmp, os.path.basename(base) + '.json')
        with open(out, 'w', encoding='utf-8') as f:
            f.write(check_json(cite, doc))
        scored = subprocess.run([os.path.join(SHARED, 'tools/score-links'), base + '.gold.tsv',
                                 out, '--json'], check=True, capture_output=True, text=True)
        for kind, s in json.loads(scored.stdout)['scores'].items():
            if kind not in FLOORS:
                continue
            t = totals.setdefault(kind, {'gold': 0, 'found': 0, 'predicted': 0, 'false': 0,
                                         'correct': 0, 'articles': 0})
            t['gold'] += s['gold']
            t['found'] += s['found']
            t['predicted'] += s.get('predicted', 0)
            t['false'] += s.get('false_citations', 0)
            t['correct'] += s['correct']
            t['articles'] += 1
    return totals


def seed_outcome(cite):
    """What went wrong on the seed, as (flag, name) pairs."""
    report = json.loads(check_json(cite, SEED))
    got = set()
    for c in report['citations']:
        if c['status'] != 'resolved':
            got.add((c['status'], c['authors'][0] if c['authors'] else c['text']))
    for d in report['diagnostics']:
        if d['flag'] == 'uncited':
            got.add(('uncited', d['message'].split("'")[1]))
    return got


def main():
    cite = sys.argv[1] if len(sys.argv) > 1 else 'build/cite'
    if not os.path.isdir(DOCS):
        print(f'check-scores: skipped: {DOCS} is absent')
        return 0
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        totals = score_articles(cite, tmp)
    print(f'{"callouts":<12} {"articles":>8} {"gold":>6} {"found":>8} {"false":>7} {"linked":>8}')
    for kind, t in totals.items():
        found = 100.0 * t['found'] / t['gold']
        false = 100.0 * t['false'] / max(t['predicted'], 1)
        correct = 100.0 * t['correct'] / t['gold']
        print(f'{kind:<12} {t["articles"]:>8} {t["gold"]:>6} {found:>7.2f}% {false:>6.2f}% '
              f'{correct:>7.2f}%')
        low_found, high_false, low_correct = FLOORS[kind]
        if found < low_found or false > high_false or correct < low_correct:
            failed += 1
            print(f'FAIL: {kind}: under its floors (found {low_found}%, false under '
                  f'{high_false}%, linked {low_correct}%)')
    if os.path.exists(SEED):
        got = seed_outcome(cite)
        if got == SEED_EXPECTED:
            print('seed: the expected outcome (Finabel, Bertrand unresolved; United Nations a '
                  'near miss; Boeke & de Valk never cited)')
        else:
            failed += 1
            print(f'FAIL: seed: got {sorted(got)}, want {sorted(SEED_EXPECTED)}')
    print(f'check-scores: {"failed" if failed else "passed"}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
