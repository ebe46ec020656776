#!/usr/bin/env python3
"""cite against citeproc-js on real data: the dev oracle set (../shared/csl/oracle/dev/, 401
CSL-JSON items) as citeproc-js renders it with Debian's official apa.csl (locale en-US) and
harvard-cite-them-right.csl (locale en-GB).

Three kinds of case are scored against those same expected outputs:
  * the official styles with Debian's locales, the files citeproc-js used (the engine's
    agreement with citeproc-js);
  * our own styles/apa.csl and styles/harvard.csl with our own styles/locales-*.xml (our
    styles print what the official ones print); these need neither Debian package;
  * the official styles with our locales (what cite falls back to when Debian's locales are
    not installed).

For each case prints the bibliography entries identical to citeproc-js's (as a set, and in
the same position, i.e. sort order too; and in HTML, italics and all, against *.bib.html),
the single-item citations identical to *.cites.tsv
(each item cited alone, disambiguated against the whole set) and the multi-item clusters
identical to *.clusters.tsv. Fails when a figure falls under its floor in CASES, which only
ever rise. Skips with a message what needs ../shared or the Debian styles and locales when
they are absent.

Then, beyond the oracle's 401 items, our styles against the official ones through cite itself
on every item of the CSL test suite's fixtures (../shared/csl/test-suite, some 1,750 items of
every type and oddity, each id prefixed with its fixture's name): entries and single-item
citations that print the same, with floors in SUITE_FLOORS. The known differences are
deliberate: "Vols. 1-3" where the official apa.csl prints "Vol. 1-3" (APA 9.29), one
bracket where it prints "[[...]]" for an untitled review, and our en-GB "trans." where
Debian's has "tran.".

usage: csl-oracle.py CITE [--diff CASE]   (--diff prints the differing entries of one case,
                                            a key of CASES: apa, own-apa, ...)"""
import json
import os
import re
import subprocess
import sys
import tempfile

SHARED = '../shared'
ORACLE = f'{SHARED}/csl/oracle/dev'
STYLES = '/usr/share/citation-style-language/styles'
LOCALES = '/usr/share/citation-style-language/locales'
OWN = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'styles')

# name: (style file, expected outputs, locale, locale dir, floors); of 401 entries and
# citations, 12 clusters. Raise the floors as things improve, never lower them. Our styles'
# floors are at least 99% (397 of 401).
APA_FLOORS = {'set': 401, 'order': 401, 'html': 400, 'cites': 401, 'clusters': 12}
CTR_FLOORS = {'set': 401, 'order': 399, 'html': 400, 'cites': 401, 'clusters': 12}
CASES = {
    'apa': (f'{STYLES}/apa.csl', 'apa', 'en-US', LOCALES, APA_FLOORS),
    'harvard-cite-them-right': (f'{STYLES}/harvard-cite-them-right.csl',
                                'harvard-cite-them-right', 'en-GB', LOCALES, CTR_FLOORS),
    'own-apa': (f'{OWN}/apa.csl', 'apa', 'en-US', OWN, APA_FLOORS),
    'own-harvard': (f'{OWN}/harvard.csl', 'harvard-cite-them-right', 'en-GB', OWN, CTR_FLOORS),
    # the official styles with our locales: what cite falls back to without Debian's locales
    'apa+own-locale': (f'{STYLES}/apa.csl', 'apa', 'en-US', OWN, APA_FLOORS),
    'harvard-cite-them-right+own-locale': (f'{STYLES}/harvard-cite-them-right.csl',
                                           'harvard-cite-them-right', 'en-GB', OWN, CTR_FLOORS),
}


SUITE = f'{SHARED}/csl/test-suite/processor-tests/humans'
# own style: (official style, locale, floors {set, order, cites}) of the suite's items
SUITE_FLOORS = {
    'apa': ('apa', 'en-US', {'set': 1749, 'order': 1749, 'cites': 1748}),
    'harvard': ('harvard-cite-them-right', 'en-GB', {'set': 1749, 'order': 1749, 'cites': 1753}),
}


def run(cite, style, locale, locale_dir, extra, items=f'{ORACLE}/items.json'):
    cmd = [cite, 'format', items, '--style', style, '--locale', locale,
           '--locale-dir', locale_dir] + extra
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if p.returncode not in (0, 1):
        sys.exit(f'csl-oracle: {style}: cite exited {p.returncode}: {p.stderr.strip()[:300]}')
    return p.stdout.splitlines()


def named_entities(html):
    """citeproc-js's numeric references for & < > in cite's spelling."""
    return html.replace('&#38;', '&amp;').replace('&#60;', '&lt;').replace('&#62;', '&gt;')


def read_tsv(path):
    rows = []
    with open(path, encoding='utf-8') as f:
        for line in f.read().splitlines():
            key, _, text = line.partition('\t')
            rows.append((key, text))
    return rows


def missing_files(style, locale, locale_dir):
    """The first file a case needs that is absent, else None."""
    for path in (style, f'{locale_dir}/locales-{locale}.xml'):
        if not os.path.isfile(path):
            return path
    return None


def score(cite, name, case, diff):
    style, expected, locale, locale_dir, floors = case
    with open(f'{ORACLE}/{expected}.bib.txt', encoding='utf-8') as f:
        want = f.read().splitlines()
    got = run(cite, style, locale, locale_dir, [])
    pool = {}
    for line in got:
        pool[line] = pool.get(line, 0) + 1
    same_set = 0
    for line in want:
        if pool.get(line, 0) > 0:
            pool[line] -= 1
            same_set += 1
    same_order = sum(1 for a, b in zip(want, got) if a == b)
    with open(f'{ORACLE}/{expected}.bib.html', encoding='utf-8') as f:
        # citeproc-js spells & < > as &#38; &#60; &#62;, cite as &amp; &lt; &gt;: same HTML
        want_html = [named_entities(line.strip()) for line in f.read().splitlines()]
    got_html = {line.strip() for line in run(cite, style, locale, locale_dir, ['--to', 'html'])}
    figures = {'set': same_set, 'order': same_order,
               'html': sum(1 for line in want_html if line in got_html)}
    differing = []
    for kind in ('cites', 'clusters'):
        rows = read_tsv(f'{ORACLE}/{expected}.{kind}.tsv')
        extra = []
        for keys, _ in rows:
            extra += ['--cite', keys]
        got_rows = run(cite, style, locale, locale_dir, extra)
        figures[kind] = sum(1 for (k, t), g in zip(rows, got_rows) if t == g)
        differing += [(kind, k, t, g) for (k, t), g in zip(rows, got_rows) if t != g]
        figures[kind + '/'] = len(rows)
    print(f'csl-oracle: {name} ({locale}): entries {same_set}/{len(want)} as a set, '
          f'{same_order}/{len(want)} in order, {figures["html"]}/{len(want_html)} in HTML; '
          f'citations {figures["cites"]}/{figures["cites/"]}; '
          f'clusters {figures["clusters"]}/{figures["clusters/"]}')
    if diff == name:
        wantset, gotset = set(want), set(got)
        for line in want:
            if line not in gotset:
                print(f'- {line}')
        for line in got:
            if line not in wantset:
                print(f'+ {line}')
        for kind, k, t, g in differing:
            print(f'{kind} {k}: want {t!r} got {g!r}')
    return [f'{name}: {k} {figures[k]} < floor {v}' for k, v in floors.items() if figures[k] < v]


def suite_items(path):
    """Writes the INPUT items of every suite fixture to path as one CSL-JSON array, ids
    prefixed with the fixture's name; returns their ids."""
    items = []
    for name in sorted(os.listdir(SUITE)):
        if not name.endswith('.txt'):
            continue
        with open(f'{SUITE}/{name}', encoding='utf-8') as f:
            text = f.read()
        m = re.search(r'>>=+ *INPUT *=+>>(.*?)<<=+ *INPUT *=+<<', text, re.S)
        if not m:
            continue
        try:
            data = json.loads(m.group(1))
        except ValueError:
            continue
        for it in data if isinstance(data, list) else []:
            if isinstance(it, dict) and 'id' in it:
                items.append(dict(it, id=f'{name[:-4]}/{it["id"]}'))
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(items, f, ensure_ascii=False)
    return [it['id'] for it in items]


def compare_on_suite(cite):
    """Our styles against the official ones on the suite's items; failures to report."""
    failed = []
    with tempfile.TemporaryDirectory() as tmp:
        path = f'{tmp}/suite-items.json'
        ids = suite_items(path)
        extra = []
        for i in ids:
            extra += ['--cite', i]
        for own, (official, locale, floors) in SUITE_FLOORS.items():
            theirs = f'{STYLES}/{official}.csl'
            outputs = {}
            for label, style, ldir in (('own', f'{OWN}/{own}.csl', OWN),
                                       ('official', theirs, LOCALES)):
                outputs[label] = (run(cite, style, locale, ldir, [], path),
                                  run(cite, style, locale, ldir, extra, path))
            (ob, oc), (tb, tc) = outputs['own'], outputs['official']
            pool = {}
            for line in tb:
                pool[line] = pool.get(line, 0) + 1
            same_set = 0
            for line in ob:
                if pool.get(line, 0) > 0:
                    pool[line] -= 1
                    same_set += 1
            figures = {'set': same_set, 'order': sum(1 for a, b in zip(ob, tb) if a == b),
                       'cites': sum(1 for a, b in zip(oc, tc) if a == b)}
            print(f'csl-oracle: own {own} vs official {official} on {len(ids)} CSL suite '
                  f'items: entries {figures["set"]}/{len(tb)} as a set, '
                  f'{figures["order"]}/{len(tb)} in order; citations '
                  f'{figures["cites"]}/{len(tc)}')
            failed += [f'suite {own}: {k} {figures[k]} < floor {v}'
                       for k, v in floors.items() if figures[k] < v]
    return failed


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    cite = sys.argv[1]
    diff = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == '--diff' else None
    if not os.path.isfile(f'{ORACLE}/items.json'):
        print(f'skip: csl-oracle: {ORACLE} is absent')
        return 0
    failed = []
    for name, case in CASES.items():
        absent = missing_files(case[0], case[2], case[3])
        if absent:
            print(f'skip: csl-oracle: {name}: {absent} is absent '
                  '(Debian citation-style-language-styles and -locales)')
            continue
        failed += score(cite, name, case, diff)
    if not os.path.isdir(SUITE):
        print(f'skip: csl-oracle: {SUITE} is absent')
    elif missing_files(f'{STYLES}/apa.csl', 'en-US', LOCALES) or \
            missing_files(f'{STYLES}/harvard-cite-them-right.csl', 'en-GB', LOCALES):
        print('skip: csl-oracle: own vs official on the CSL suite: Debian styles or locales absent')
    else:
        failed += compare_on_suite(cite)
    for f in failed:
        print(f'csl-oracle: FAIL: {f}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
