#!/usr/bin/env python3
"""RIS and MODS, the interchange formats, on real .bib files no one here wrote (Debian's
texlive-bibtex-extra) and against a peer (bibutils):
  1. every file: cite export --to ris, then cite import of that RIS; per entry, the fields RIS
     carries (title, authors, editors, year, container, volume, issue, pages, publisher,
     place, DOI, URL) must come back as they were (text compared without markup, pages
     without dash differences): 100% of each; name lists with a comma inside a family name
     ("{Weir, Jr.}", RIS's own separator) and types RIS has no word for are counted apart;
  2. bibutils' ris2xml must read as many records from cite's RIS as cite wrote;
  3. bibutils' own RIS of each file (bib2xml | xml2ris) must import into cite with as many
     records as bibutils wrote, each with the title bibutils wrote;
  4. cite export --to mods, read by bibutils (xml2bib) and imported again: every record must
     come back, and each field at least at its floor (MODS_FLOORS, percent of the values).
Skipped with a message when texlive-bibtex-extra or bibutils is absent.
Usage: interchange.py CITE"""
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
# bibutils' reading of cite's MODS, as measured when the writer was made; only rises
MODS_FLOORS = {'title': 99.9, 'author': 99.9, 'editor': 99.9, 'year': 99.9,
               'container-title': 97.9, 'volume': 99.9, 'issue': 99.9, 'page': 99.9,
               'publisher': 99.9, 'publisher-place': 99.9, 'DOI': 99.9, 'URL': 99.9}
TAG = re.compile(r'<[^>]+>')


def plain(v):
    if not isinstance(v, str):
        return v
    return re.sub(r'\s+', ' ', TAG.sub('', v)).strip()


def names(item, var):
    """Family names (particle included); BibTeX's "and others" is no name, and neither RIS
    nor MODS has a way to say it."""
    return [plain(' '.join(filter(None, [n.get('non-dropping-particle'),
                                         n.get('family') or n.get('literal')])))
            for n in item.get(var, []) if n.get('literal') != 'others']


def value(item, field):
    if field in ('author', 'editor'):
        return names(item, field)
    if field == 'year':
        parts = item.get('issued', {}).get('date-parts', [[None]])
        return parts[0][0] if parts and parts[0] else None
    v = plain(item.get(field))
    if field == 'page' and v:
        v = re.sub(r'\s*[-\u2013\u2014]+\s*', '-', v)
    return v or None


def items(cite, argv):
    out = subprocess.run([cite] + argv, capture_output=True, text=True).stdout
    return {i['id']: i for i in json.loads(out)} if out.strip() else {}


class Tally:
    """Per field: values compared and values that came back."""

    def __init__(self, name, skip_tex=False):
        self.name, self.kept, self.total = name, collections.Counter(), collections.Counter()
        self.skip_tex, self.tex, self.organisations = skip_tex, 0, 0
        self.comma_names, self.types, self.shown = collections.Counter(), collections.Counter(), 0

    def compare(self, where, before, after):
        if after['type'] != before['type']:
            self.types[f"{before['type']} -> {after['type']}"] += 1
        for field in FIELDS:
            want = value(before, field)
            if want in (None, []):
                continue
            if field in ('author', 'editor') and any(',' in n for n in want):
                self.comma_names[field] += 1
                continue
            if self.skip_tex and '\\' in str(want):
                self.tex += 1  # LaTeX kept verbatim: bibutils' BibTeX re-reads it as TeX
                continue
            if self.skip_tex and field in ('author', 'editor') and \
                    any('literal' in n for n in before.get(field, [])):
                self.organisations += 1  # xml2bib -nl writes them without their braces
                continue
            self.total[field] += 1
            got = value(after, field)
            if got == want:
                self.kept[field] += 1
            elif self.shown < 8:
                self.shown += 1
                print(f'{self.name}: {where}: {field}: {want!r} came back as {got!r}')

    def percent(self, field):
        return 100.0 * self.kept[field] / self.total[field] if self.total[field] else 100.0

    def report(self):
        print(f'{self.name}: ' + ', '.join(f'{f} {self.kept[f]}/{self.total[f]}' for f in FIELDS))
        if self.comma_names:
            print(f'{self.name}: name lists with a comma inside a family name (not compared): ' +
                  ', '.join(f'{k} {v}' for k, v in self.comma_names.items()))
        if self.tex or self.organisations:
            print(f'{self.name}: not compared, as the way back is through BibTeX: {self.tex} '
                  f'values holding LaTeX kept verbatim (read back as TeX), {self.organisations} '
                  'name lists with an organisation (bibutils writes it without braces)')
        if self.types:
            print(f'{self.name}: types changed: ' +
                  ', '.join(f'{k} ({v})' for k, v in self.types.most_common(6)))


def bibutils_ris(cite, bib, ris):
    """bibutils' RIS of bib, imported by cite: (records bibutils wrote, failure or None)."""
    theirs = subprocess.run(f'bib2xml "{bib}" 2>/dev/null | xml2ris 2>/dev/null', shell=True,
                            capture_output=True, text=True).stdout
    with open(ris, 'w') as f:
        f.write(theirs)
    back = list(items(cite, ['import', ris, '--to', 'csljson']).values())
    want = len(re.findall(r'^ER  -', theirs, re.M))
    titles = [plain(t) for t in re.findall(r'^TI  - (.*)$', theirs, re.M)]
    mine = [plain(i['title']) for i in back if i.get('title')]
    if len(back) != want or titles != mine:
        return want, f'bibutils wrote {want} records ({len(titles)} titled), cite read ' \
                     f'{len(back)} ({len(mine)} titled)'
    return want, None


def main():
    cite = sys.argv[1] if len(sys.argv) > 1 else 'build/cite'
    if not os.path.isdir(BIBS):
        print(f'interchange: skipped: {BIBS} is absent (apt-get install texlive-bibtex-extra)')
        return 0
    peer = all(shutil.which(t) for t in ('ris2xml', 'bib2xml', 'xml2ris', 'xml2bib'))
    if not peer:
        print('interchange: bibutils is absent: its checks are skipped (apt-get install bibutils)')
    ris_t, mods_t = Tally('ris'), Tally('mods', skip_tex=True)
    failures = entries = files = peer_records = 0
    with tempfile.TemporaryDirectory() as tmp:
        ris, mods, bib2 = (os.path.join(tmp, n) for n in ('out.ris', 'out.mods', 'back.bib'))
        for bib in sorted(glob.glob(os.path.join(BIBS, '**', '*.bib'), recursive=True)):
            files += 1
            name = os.path.relpath(bib, BIBS)
            before = items(cite, ['export', bib, '--to', 'csljson'])
            entries += len(before)
            with open(ris, 'w') as f:
                subprocess.run([cite, 'export', bib, '--to', 'ris'], stdout=f,
                               stderr=subprocess.DEVNULL)
            after = items(cite, ['import', ris, '--to', 'csljson'])
            if set(before) != set(after):
                failures += 1
                print(f'FAIL: {name}: {len(before)} entries out to RIS, {len(after)} back')
            for key in set(before) & set(after):
                ris_t.compare(f'{name}: {key}', before[key], after[key])
            if not peer:
                continue
            out = subprocess.run(['ris2xml', ris], capture_output=True, text=True).stdout
            if out.count('<mods ') != len(before):
                failures += 1
                print(f'FAIL: {name}: bibutils ris2xml reads {out.count("<mods ")} of '
                      f'{len(before)} records')
            written, why = bibutils_ris(cite, bib, ris)
            peer_records += written
            if why:
                failures += 1
                print(f'FAIL: {name}: {why}')
            with open(mods, 'w') as f:
                subprocess.run([cite, 'export', bib, '--to', 'mods'], stdout=f,
                               stderr=subprocess.DEVNULL)
            with open(bib2, 'w') as f:
                subprocess.run(['xml2bib', '-nl', mods], stdout=f, stderr=subprocess.DEVNULL)
            back = items(cite, ['import', bib2, '--to', 'csljson'])
            if set(back) != set(before):
                failures += 1
                print(f'FAIL: {name}: {len(before)} entries out to MODS, bibutils read '
                      f'{len(back)} back')
            for key in set(before) & set(back):
                mods_t.compare(f'{name}: {key}', before[key], back[key])
    print(f'interchange: {files} texlive .bib files, {entries} entries')
    ris_t.report()
    for f in FIELDS:
        if ris_t.kept[f] != ris_t.total[f]:
            failures += 1
            print(f'FAIL: ris: {f}: {ris_t.total[f] - ris_t.kept[f]} values did not come back')
    if peer:
        print(f'ris: bibutils reads every record cite writes; cite reads all {peer_records} '
              'records bibutils writes, titles identical')
        mods_t.report()
        for f in FIELDS:
            if mods_t.percent(f) < MODS_FLOORS[f]:
                failures += 1
                print(f'FAIL: mods: {f}: {mods_t.percent(f):.2f}% under its floor {MODS_FLOORS[f]}%')
    print(f'interchange: {failures} failures')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
