#!/usr/bin/env python3
"""cite against citeproc-js on real data: the dev oracle set (../shared/csl/oracle/dev/, 401
CSL-JSON items) as citeproc-js renders it with Debian's official apa.csl (locale en-US) and
harvard-cite-them-right.csl (locale en-GB).

Two kinds of case are scored against those same expected outputs:
  * the official styles with Debian's locales, the files citeproc-js used (the engine's
    agreement with citeproc-js);
  * our own styles/apa.csl and styles/harvard.csl with our own styles/locales-*.xml (our
    styles print what the official ones print); these need neither Debian package.

For each case prints the bibliography entries identical to citeproc-js's (as a set, and in
the same position, i.e. sort order too), the single-item citations identical to *.cites.tsv
(each item cited alone, disambiguated against the whole set) and the multi-item clusters
identical to *.clusters.tsv. Fails when a figure falls under its floor in CASES, which only
ever rise. Skips with a message what needs ../shared or the Debian styles and locales when
they are absent.

usage: csl-oracle.py CITE [--diff CASE]   (--diff prints the differing entries of one case:
                                            apa, harvard-cite-them-right, own-apa, own-harvard)"""
import os
import subprocess
import sys

SHARED = '../shared'
ORACLE = f'{SHARED}/csl/oracle/dev'
STYLES = '/usr/share/citation-style-language/styles'
LOCALES = '/usr/share/citation-style-language/locales'
OWN = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'styles')

# name: (style file, expected outputs, locale, locale dir, floors); of 401 entries and
# citations, 12 clusters. Raise the floors as things improve, never lower them. Our styles'
# floors are at least 99% (397 of 401).
CASES = {
    'apa': (f'{STYLES}/apa.csl', 'apa', 'en-US', LOCALES,
            {'set': 400, 'order': 398, 'cites': 401, 'clusters': 12}),
    'harvard-cite-them-right': (f'{STYLES}/harvard-cite-them-right.csl',
                                'harvard-cite-them-right', 'en-GB', LOCALES,
                                {'set': 399, 'order': 397, 'cites': 401, 'clusters': 12}),
    'own-apa': (f'{OWN}/apa.csl', 'apa', 'en-US', OWN,
                {'set': 400, 'order': 398, 'cites': 401, 'clusters': 12}),
    'own-harvard': (f'{OWN}/harvard.csl', 'harvard-cite-them-right', 'en-GB', OWN,
                    {'set': 399, 'order': 397, 'cites': 401, 'clusters': 12}),
}


def run(cite, style, locale, locale_dir, extra):
    cmd = [cite, 'format', f'{ORACLE}/items.json', '--style', style, '--locale', locale,
           '--locale-dir', locale_dir] + extra
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if p.returncode not in (0, 1):
        sys.exit(f'csl-oracle: {style}: cite exited {p.returncode}: {p.stderr.strip()[:300]}')
    return p.stdout.splitlines()


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
    figures = {'set': same_set, 'order': same_order}
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
          f'{same_order}/{len(want)} in order; citations {figures["cites"]}/{figures["cites/"]}; '
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
    for f in failed:
        print(f'csl-oracle: FAIL: {f}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
