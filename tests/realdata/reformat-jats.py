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

The same for each article as HTML (a paragraph a line, escaped by Python, as formats.py writes
them): reformatted into HTML, checked before and after as HTML, with its own bound MAX_LOST_HTML
(a citation whose source holds markup is left as written; these have none).

Prints the numbers per article and in total. Skipped with a message when ../shared is absent.
Usage: reformat-jats.py CITE [STYLE]"""
import collections
import glob
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from formats import html_of, paragraphs_of_manuscript  # noqa: E402

DOCS = '../shared/data/jats/docs'
MAX_LOST = 13
MAX_LOST_HTML = 13


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


def reformat_one(cite, style, doc, out, totals):
    """Reformats doc into out and compares; the number of failures."""
    run = subprocess.run([cite, 'reformat', doc, '--style', style, '-o', out],
                         capture_output=True, text=True)
    if run.returncode not in (0, 1) or not os.path.exists(out):
        print(f'FAIL: reformat {doc}: exit {run.returncode}: {run.stderr}')
        return 1
    before, after = check(cite, doc), check(cite, out)
    wb, wa = resolved_works(before), resolved_works(after)
    lost = wb - wa
    nb, na = len(before['references']), len(after['references'])
    name = os.path.basename(out)
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
        return 1
    return 0


def report(kind, style, totals, failures, max_lost):
    """Prints the totals of one kind of input; the number of failures, with the bound's."""
    print(f'reformat-jats ({style}, {kind}): {totals["docs"]} articles; resolved callouts '
          f'{totals["resolved_before"]} before, {totals["resolved_after"]} after; references '
          f'{totals["refs_before"]} before, {totals["refs_after"]} after; '
          f'{totals["left"]} groups left as written; {totals["lost"]} resolved callouts lost '
          f'(at most {max_lost}); {failures} failures')
    if totals['lost'] > max_lost:
        print(f'FAIL: reformat-jats ({kind}): {totals["lost"]} callouts no longer resolve '
              f'(at most {max_lost})')
        return failures + 1
    return failures


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    cite, style = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else 'apa'
    docs = sorted(glob.glob(os.path.join(DOCS, '*.txt')))
    if not docs:
        print(f'skip: reformat-jats: {DOCS} is absent')
        return 0
    text, html = collections.Counter(), collections.Counter()
    text_failures = html_failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for doc in docs:
            base = os.path.basename(doc)[:-4]
            text_failures += reformat_one(cite, style, doc, os.path.join(tmp, base + '.txt'),
                                          text)
            with open(doc, encoding='utf-8') as f:
                paras = paragraphs_of_manuscript(f.read())
            page = os.path.join(tmp, base + '.in.html')
            with open(page, 'w', encoding='utf-8') as f:
                f.write(html_of(paras))
            html_failures += reformat_one(cite, style, page, os.path.join(tmp, base + '.html'),
                                          html)
    failures = report('text', style, text, text_failures, MAX_LOST)
    failures += report('HTML', style, html, html_failures, MAX_LOST_HTML)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
