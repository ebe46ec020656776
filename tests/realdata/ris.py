#!/usr/bin/env python3
"""RIS out and in on real .bib files no one here wrote (Debian's texlive-bibtex-extra) and
against a peer (bibutils):
  1. every file: cite export --to ris, then cite import of that RIS; per entry, the fields RIS
     carries (type, title, authors, editors, year, container, volume, issue, pages, publisher,
     place, DOI, URL) must come back as they were (text compared without markup, pages
     without dash differences); the share kept is printed per field and must stay at 100%
     except for the types RIS has no word for (counted and printed);
  2. bibutils' ris2xml must read as many records from cite's RIS as cite wrote;
  3. bibutils' own RIS of each file (bib2xml | xml2ris) must import into cite with as many
     records as bibutils wrote, each with the title bibutils wrote.
Skipped with a message when texlive-bibtex-extra or bibutils is absent. Usage: ris.py CITE"""
import collections
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

BIBS = '/usr/share/texlive/texmf-dist/bibtex/bib'
FIELDS = ['title', 'author', 'editor', 'year', 'container-title', 'volume', 'issue', 'page',
          'publisher', 'publisher-place', 'DOI', 'URL']
TAG = re.compile(r'<[^>]+>')


def plain(v):
    v = TAG.sub('', v) if isinstance(v, str) else v
    return re.sub(r'\s+', ' ', v).strip() if isinstance(v, str) else v


def names(item, var):
    """Family names (particle included); BibTeX's "and others" is no name, and RIS has no way
    to say it."""
    return [' '.join(filter(None, [n.get('non-dropping-particle'), n.get('family') or n.get('literal')]))
            for n in item.get(var, []) if n.get('literal') != 'others']


def value(item, field):
    if field in ('author', 'editor'):
        return [plain(n) for n in names(item, field)]
    if field == 'year':
        parts = item.get('issued', {}).get('date-parts', [[None]])
        return parts[0][0] if parts and parts[0] else None
    v = plain(item.get(field))
    if field == 'page' and v:
        v = re.sub(r'\s*[-\u2013\u2014]+\s*', '-', v)
    return v or None


def cite_json(cite, argv):
    out = subprocess.run([cite] + argv, capture_output=True, text=True).stdout
    return json.loads(out) if out.strip() else []


def main():
    cite = sys.argv[1] if len(sys.argv) > 1 else 'build/cite'
    if not os.path.isdir(BIBS):
        print(f'ris: skipped: {BIBS} is absent (apt-get install texlive-bibtex-extra)')
        return 0
    peer = shutil.which('ris2xml') and shutil.which('bib2xml') and shutil.which('xml2ris')
    kept, total = collections.Counter(), collections.Counter()
    type_changes, comma_names = collections.Counter(), collections.Counter()
    failures = entries = files = peer_records = 0
    with tempfile.TemporaryDirectory() as tmp:
        ris = os.path.join(tmp, 'out.ris')
        for bib in sorted(glob.glob(os.path.join(BIBS, '**', '*.bib'), recursive=True)):
            files += 1
            name = os.path.relpath(bib, BIBS)
            with open(ris, 'w') as f:
                subprocess.run([cite, 'export', bib, '--to', 'ris'], stdout=f,
                               stderr=subprocess.DEVNULL)
            before = {i['id']: i for i in cite_json(cite, ['export', bib, '--to', 'csljson'])}
            after = {i['id']: i for i in cite_json(cite, ['import', ris, '--to', 'csljson'])}
            if set(before) != set(after):
                failures += 1
                print(f'FAIL: {name}: {len(before)} entries out, {len(after)} back')
                continue
            for key, b in before.items():
                a = after[key]
                entries += 1
                if a['type'] != b['type']:
                    type_changes[f"{b['type']} -> {a['type']}"] += 1
                for field in FIELDS:
                    want = value(b, field)
                    if want in (None, []):
                        continue
                    if field in ('author', 'editor') and any(',' in n for n in want):
                        comma_names[field] += 1  # "{Weir, Jr.}": RIS's separator inside
                        continue
                    total[field] += 1
                    if value(a, field) == want:
                        kept[field] += 1
                    elif kept[field] + 3 > total[field]:  # the first few, to see why
                        print(f'ris: {name}: {key}: {field}: {want!r} came back as {value(a, field)!r}')
            if peer:
                out = subprocess.run(['ris2xml', ris], capture_output=True, text=True).stdout
                got = out.count('<mods ID=') + out.count('<mods>')
                if got != len(before):
                    failures += 1
                    print(f'FAIL: {name}: bibutils ris2xml reads {got} of {len(before)} records')
                theirs = subprocess.run(f'bib2xml "{bib}" 2>/dev/null | xml2ris 2>/dev/null',
                                        shell=True, capture_output=True, text=True).stdout
                want = theirs.count('\nER  -') + theirs.startswith('ER  -')
                with open(ris, 'w') as f:
                    f.write(theirs)
                back = cite_json(cite, ['import', ris, '--to', 'csljson'])
                titles = [plain(t) for t in re.findall(r'^TI  - (.*)$', theirs, re.M)]
                mine = [plain(i.get('title', '')) for i in back if i.get('title')]
                if len(back) != want or titles != mine:
                    failures += 1
                    print(f'FAIL: {name}: bibutils wrote {want} records ({len(titles)} titled), '
                          f'cite read {len(back)} ({len(mine)} titled)')
                peer_records += want
    lost = [f for f in FIELDS if kept[f] != total[f]]
    print(f'ris: {files} texlive .bib files, {entries} entries out to RIS and back: ' +
          ', '.join(f'{f} {kept[f]}/{total[f]}' for f in FIELDS))
    if comma_names:
        print('ris: name lists with a comma inside a family name, which RIS cannot write '
              '(not compared): ' + ', '.join(f'{k} {v}' for k, v in comma_names.items()))
    if type_changes:
        print('ris: types RIS has no word for: ' +
              ', '.join(f'{k} ({v})' for k, v in type_changes.most_common()))
    if peer:
        print(f'ris: bibutils reads every record cite writes; cite reads all {peer_records} '
              f'records bibutils writes, titles identical')
    else:
        print('ris: bibutils is absent: the peer comparison is skipped (apt-get install bibutils)')
    for f in lost:
        failures += 1
        print(f'FAIL: {f}: {total[f] - kept[f]} values did not come back')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
