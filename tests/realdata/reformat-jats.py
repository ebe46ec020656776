#!/usr/bin/env python3
"""cite reformat on manuscripts no one here wrote: every JATS article of ../shared/data/jats/docs
(author-date and numeric) reformatted to APA, then checked again. Fails unless, for each article:

- the reference list has as many entries after as before;
- every callout `cite check` resolved before still resolves after: the multiset of the works
  the resolved callouts cite (first author, year without its letter) after the rewrite holds
  the one before (numeric callouts become author-date ones, so works, not keys, are compared).
  Reformat checks its own output and puts back as written a group whose new form would not be
  found again; some of those, left numeric in a list that is no longer numbered or keeping a
  year letter the new list no longer has, cannot resolve. They are warned about; their number
  over the whole set must stay at or under MAX_LOST (it only falls).

Prints the numbers per article and in total. Skipped with a message when ../shared is absent.
Usage: reformat-jats.py CITE [STYLE]"""
import collections
import glob
import json
import os
import subprocess
import sys
import tempfile

DOCS = '../shared/data/jats/docs'
MAX_LOST = 17


def check(cite, doc):
    run = subprocess.run([cite, 'check', doc, '--format', 'json'], capture_output=True, text=True)
    if run.returncode not in (0, 1):
        raise SystemExit(f'reformat-jats: cite check {doc} failed ({run.returncode}): {run.stderr}')
    return json.loads(run.stdout)


def resolved_works(report):
    """The works the resolved callouts cite: (first author, year without its letter)."""
    refs = {r['id']: r for r in report['references']}
    works = collections.Counter()
    for c in report['citations']:
        if c['status'] != 'resolved':
            continue
        r = refs[c['reference']]
        first = r['authors'][0] if r['authors'] else ''
        # APA prints typographic apostrophes and capitalises a particle that starts the entry
        works[(first.replace('\u2019', "'").casefold(), r['year'][:4])] += 1
    return works


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    cite, style = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else 'apa'
    docs = sorted(glob.glob(os.path.join(DOCS, '*.txt')))
    if not docs:
        print(f'skip: reformat-jats: {DOCS} is absent')
        return 0
    failures = 0
    totals = collections.Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for doc in docs:
            out = os.path.join(tmp, os.path.basename(doc))
            run = subprocess.run([cite, 'reformat', doc, '--style', style, '-o', out],
                                 capture_output=True, text=True)
            if run.returncode not in (0, 1) or not os.path.exists(out):
                print(f'FAIL: reformat {doc}: exit {run.returncode}: {run.stderr}')
                failures += 1
                continue
            before, after = check(cite, doc), check(cite, out)
            wb, wa = resolved_works(before), resolved_works(after)
            lost = wb - wa
            nb, na = len(before['references']), len(after['references'])
            name = os.path.basename(doc)
            summary = run.stderr.strip().splitlines()[-1].split(': ', 1)[-1]
            print(f'{name}: resolved {sum(wb.values())} -> {sum(wa.values())}, '
                  f'references {nb} -> {na}; {summary}')
            totals.update(docs=1, resolved_before=sum(wb.values()),
                          resolved_after=sum(wa.values()), refs_before=nb, refs_after=na,
                          left=sum(1 for line in run.stderr.splitlines()
                                   if 'citation left as written' in line))
            if lost:
                print(f'{name}: callouts that no longer resolve: {dict(lost)}')
                totals.update(lost=sum(lost.values()))
            if nb != na:
                print(f'FAIL: {name}: the list had {nb} entries and has {na}')
                failures += 1
    print(f'reformat-jats ({style}): {totals["docs"]} articles; resolved callouts '
          f'{totals["resolved_before"]} before, {totals["resolved_after"]} after; references '
          f'{totals["refs_before"]} before, {totals["refs_after"]} after; '
          f'{totals["left"]} groups left as written; {totals["lost"]} resolved callouts lost '
          f'(at most {MAX_LOST}); {failures} failures')
    if totals['lost'] > MAX_LOST:
        print(f'FAIL: reformat-jats: {totals["lost"]} callouts no longer resolve (at most {MAX_LOST})')
        failures += 1
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
