#!/usr/bin/env python3
"""cite against citeproc-js on real data: the dev oracle set (../shared/csl/oracle/dev/, 401
CSL-JSON items) rendered with Debian's official apa.csl (locale en-US) and
harvard-cite-them-right.csl (locale en-GB), the same files citeproc-js used.

For each style prints the bibliography entries identical to citeproc-js's (as a set, and in
the same position, i.e. sort order too) and the single-item citations identical to
*.cites.tsv (each item cited alone, disambiguated against the whole set). Fails when a figure
falls under its floor in FLOORS, which only ever rise. Skips with a message when ../shared or
the Debian styles and locales are absent.

usage: csl-oracle.py CITE [--diff STYLE]   (--diff prints the differing entries of one style)"""
import os
import subprocess
import sys

SHARED = '../shared'
ORACLE = f'{SHARED}/csl/oracle/dev'
STYLES = '/usr/share/citation-style-language/styles'
LOCALES = '/usr/share/citation-style-language/locales'

# style: (locale, floors {set, order, cites}); raise these as the engine improves, never lower.
CASES = {
    'apa': ('en-US', {'set': 400, 'order': 398, 'cites': 401}),
    'harvard-cite-them-right': ('en-GB', {'set': 399, 'order': 397, 'cites': 401}),
}


def run(cite, style, locale, extra):
    cmd = [cite, 'format', f'{ORACLE}/items.json', '--style', style, '--locale', locale] + extra
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if p.returncode not in (0, 1):
        sys.exit(f'csl-oracle: {style}: cite exited {p.returncode}: {p.stderr.strip()[:300]}')
    return p.stdout.splitlines()


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    cite = sys.argv[1]
    diff = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == '--diff' else None
    if not os.path.isfile(f'{ORACLE}/items.json'):
        print(f'skip: csl-oracle: {ORACLE} is absent')
        return 0
    for name in CASES:
        if not os.path.isfile(f'{STYLES}/{name}.csl'):
            print(f'skip: csl-oracle: {STYLES}/{name}.csl is absent (Debian citation-style-language-styles)')
            return 0
    for locale, _ in CASES.values():
        if not os.path.isfile(f'{LOCALES}/locales-{locale}.xml'):
            print(f'skip: csl-oracle: {LOCALES}/locales-{locale}.xml is absent')
            return 0
    failed = []
    for name, (locale, floors) in CASES.items():
        style = f'{STYLES}/{name}.csl'
        with open(f'{ORACLE}/{name}.bib.txt', encoding='utf-8') as f:
            want = f.read().splitlines()
        got = run(cite, style, locale, [])
        pool = {}
        for line in got:
            pool[line] = pool.get(line, 0) + 1
        same_set = 0
        for line in want:
            if pool.get(line, 0) > 0:
                pool[line] -= 1
                same_set += 1
        same_order = sum(1 for a, b in zip(want, got) if a == b)
        cites = []
        with open(f'{ORACLE}/{name}.cites.tsv', encoding='utf-8') as f:
            for line in f.read().splitlines():
                key, _, text = line.partition('\t')
                cites.append((key, text))
        extra = []
        for key, _ in cites:
            extra += ['--cite', key]
        got_cites = run(cite, style, locale, extra)
        same_cites = sum(1 for (k, t), g in zip(cites, got_cites) if t == g)
        figures = {'set': same_set, 'order': same_order, 'cites': same_cites}
        print(f'csl-oracle: {name} ({locale}): entries {same_set}/{len(want)} as a set, '
              f'{same_order}/{len(want)} in order; citations {same_cites}/{len(cites)}')
        for k, v in figures.items():
            if v < floors[k]:
                failed.append(f'{name}: {k} {v} < floor {floors[k]}')
        if diff == name:
            wantset = set(want)
            gotset = set(got)
            for line in want:
                if line not in gotset:
                    print(f'- {line}')
            for line in got:
                if line not in wantset:
                    print(f'+ {line}')
            for (k, t), g in zip(cites, got_cites):
                if t != g:
                    print(f'cite {k}: want {t!r} got {g!r}')
    for f in failed:
        print(f'csl-oracle: FAIL: {f}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
