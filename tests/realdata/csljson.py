#!/usr/bin/env python3
"""CSL-JSON no one here wrote, through cite: the oracle's items (../shared/csl/oracle/dev/*.json,
401 items drawn from JATS references plus hand-built ones) and the input of every fixture of
the CSL processor test suite (../shared/csl/test-suite/processor-tests/humans/*.txt, the
>>===== INPUT =====>> sections).

For each input: cite import (CSL-JSON -> XML), cite export --to csljson (XML -> CSL-JSON), and
the two item lists compared with Python's json after normalising what CSL-JSON spells several
ways (numbers or numeric strings, flags as true/1/"true", seasons as "season" or as months
21-24, citeproc-js's span styles with or without blanks). Then the exported JSON is imported
again, which must give the same XML byte for byte (XML -> CSL-JSON -> XML is a fixed point).

Prints the items read, those that came back identical (as written, and after normalising),
and the remaining differences by kind. Fails when cite crashes, loses an item, breaks the
fixed point, or shows a difference of a kind not listed in EXPECTED (each is a documented
loss or repair). Skipped with a message when ../shared is absent."""
import collections
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import time

SHARED = '../shared'
ORACLE = f'{SHARED}/csl/oracle/dev'
SUITE = f'{SHARED}/csl/test-suite/processor-tests/humans'

# Differences cite makes on purpose; anything else fails the check.
EXPECTED = {
    'id generated': 'an item without a usable id gets one (first author + year)',
    'id renamed': 'a duplicate id gets a letter',
    'type added': 'an item without a type becomes a "document" (CSL requires a type)',
    'date raw parsed': '"raw" read as a date is written back as date-parts',
    'date literal for raw': '"raw" that is no date is written back as a literal',
    'name key dropped': 'name keys other than the parts and flags (reported on import)',
    'date repaired': 'a month or day that is no date is dropped (reported on import)',
    'empty date dropped': 'a date with nothing in it ({"date-parts": []}) is left out',
}

NAME_FLAGS = ('comma-suffix', 'static-ordering', 'isInstitution', 'parse-names')


def suite_inputs():
    for path in sorted(glob.glob(f'{SUITE}/*.txt')):
        text = open(path, encoding='utf-8').read()
        m = re.search(r'>>=+ INPUT =+>>\n(.*?)\n<<=+ INPUT =+<<', text, re.S)
        if m:
            yield os.path.basename(path), m.group(1)


def oracle_inputs():
    for path in sorted(glob.glob(f'{ORACLE}/*.json')):
        text = open(path, encoding='utf-8').read()
        data = json.loads(text)
        # clusters.json lists ids, not items
        if isinstance(data, list) and all(isinstance(x, dict) for x in data):
            yield os.path.basename(path), text


def truthy(v):
    if isinstance(v, str):
        return v.lower() in ('true', '1', 'yes')
    return bool(v)


def norm_scalar(v):
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, (int, float)):
        return str(int(v)) if float(v).is_integer() else repr(v)
    return norm_html(v) if isinstance(v, str) else v


def norm_html(s):
    s = s.replace('<sc>', '<span style="font-variant:small-caps;">').replace('</sc>', '</span>')
    s = re.sub(r'<span\s+style=["\']\s*font-variant:\s*small-caps;?\s*["\']\s*>',
               '<span style="font-variant:small-caps;">', s)
    return re.sub(r'<span\s+class=["\']\s*nocase\s*["\']\s*>', '<span class="nocase">', s)


def norm_name(n):
    if not isinstance(n, dict):
        return {'literal': norm_scalar(n)}
    out = {}
    for k, v in n.items():
        if k in NAME_FLAGS:
            if truthy(v) or k == 'parse-names':
                out[k] = truthy(v)
        else:
            out[k] = norm_scalar(v)
    return out


def to_int(v):
    try:
        return int(str(v).strip())
    except ValueError:
        return v


def norm_date(d):
    if not isinstance(d, dict):
        return d
    out = dict(d)
    parts = [[to_int(x) for x in p] for p in d.get('date-parts', []) if isinstance(p, list)]
    for p in parts:  # a month or day given as "", null or 0 is no month or day
        while len(p) > 1 and p[-1] in ('', None, 0):
            p.pop()
    if parts in ([[]], [[0]]):
        parts = []
    season = d.get('season')
    if season is not None and to_int(season) in (1, 2, 3, 4):
        season = to_int(season)
    for p in parts:
        if len(p) >= 2 and isinstance(p[1], int) and (13 <= p[1] <= 16 or 21 <= p[1] <= 24):
            s = p[1] - 12 if p[1] <= 16 else p[1] - 20
            del p[1:]
            if len(parts) == 1:
                season = s
            else:
                p.append(20 + s)
    if parts:
        out['date-parts'] = parts
    else:
        out.pop('date-parts', None)
    if season is not None:
        out['season'] = season
    if 'circa' in out:
        if truthy(out['circa']):
            out['circa'] = True
        else:
            del out['circa']
    return out


def normalise(item):
    out = {}
    for k, v in item.items():
        if isinstance(v, list) and all(isinstance(x, (dict, str)) for x in v) and k not in (
                'categories', 'keyword'):
            out[k] = [norm_name(x) for x in v]
        elif isinstance(v, dict) and ('date-parts' in v or 'raw' in v or 'literal' in v):
            out[k] = norm_date(v)
        else:
            out[k] = norm_scalar(v)
    return out


def date_invalid(d):
    """True when date-parts hold a month or day no reader can take (normalised date)."""
    for p in d.get('date-parts', []):
        m = p[1] if len(p) > 1 else 0
        day = p[2] if len(p) > 2 else 0
        if not isinstance(m, int) or not isinstance(day, int) or len(p) > 3:
            return True
        if not (0 <= m <= 12 or 13 <= m <= 16 or 21 <= m <= 24) or not 0 <= day <= 31:
            return True
        if day and not 1 <= m <= 12:
            return True
    return False


def classify(a, b):
    """The kinds of difference between original item a and round-tripped item b (both
    normalised)."""
    kinds = []
    for k in sorted(set(a) | set(b)):
        if a.get(k) == b.get(k):
            continue
        if k == 'id':
            kinds.append('id generated' if not isinstance(a.get('id'), str) or not a.get('id')
                         else 'id renamed')
        elif k == 'type' and k not in a:
            kinds.append('type added')
        elif isinstance(a.get(k), dict) and k not in b and not a[k].get('date-parts') and \
                not a[k].get('literal') and not a[k].get('raw'):
            kinds.append('empty date dropped')
        elif isinstance(a.get(k), dict) and date_invalid(a[k]) and 'raw' not in a[k]:
            kinds.append('date repaired')
        elif isinstance(a.get(k), dict) and 'raw' in a[k] and 'raw' not in b.get(k, {}):
            kinds.append('date literal for raw' if 'literal' in b.get(k, {})
                         else 'date raw parsed')
        elif isinstance(a.get(k), list) and isinstance(b.get(k), list) and \
                len(a[k]) == len(b[k]) and all(
                    {p: v for p, v in x.items() if p in y} == y
                    for x, y in zip(a[k], b[k]) if isinstance(x, dict)):
            kinds.append('name key dropped')
        elif k not in b:
            kinds.append(f'key lost: {k}')
        elif k not in a:
            kinds.append(f'key added: {k}')
        else:
            kinds.append(f'value changed: {k}')
    return kinds


def run(cite, args):
    p = subprocess.run([cite] + args, capture_output=True)
    return p.returncode, p.stderr.decode('utf-8', 'replace')


def check(cite, name, text, tmp, stats, failures):
    src, xml1, back, xml2 = (f'{tmp}/in.json', f'{tmp}/1.xml', f'{tmp}/back.json',
                             f'{tmp}/2.xml')
    open(src, 'w', encoding='utf-8').write(text)
    original = [x for x in json.loads(text) if isinstance(x, dict)]
    rc, err = run(cite, ['import', src, '-o', xml1])
    if rc > 1 or not os.path.exists(xml1):
        failures.append(f'{name}: import exited {rc}: {err.strip()[:200]}')
        return
    rc, err = run(cite, ['export', xml1, '--to', 'csljson', '-o', back])
    if rc != 0:
        failures.append(f'{name}: export exited {rc}: {err.strip()[:200]}')
        return
    result = json.load(open(back, encoding='utf-8'))
    stats['items'] += len(original)
    if len(result) != len(original):
        failures.append(f'{name}: {len(original)} items in, {len(result)} out')
        return
    for a, b in zip(original, result):
        if a == b:
            stats['identical'] += 1
        kinds = classify(normalise(a), normalise(b))
        if not kinds:
            stats['normalised'] += 1
        for k in kinds:
            stats['kinds'][k] += 1
            if k not in EXPECTED:
                failures.append(f'{name}: item {a.get("id")!r}: {k}')
    rc, err = run(cite, ['import', back, '-o', xml2])
    if rc > 1 or open(xml1, 'rb').read() != open(xml2, 'rb').read():
        failures.append(f'{name}: XML -> CSL-JSON -> XML is not a fixed point')
    else:
        stats['fixed'] += 1


def timing(cite, tmp):
    """Seconds to import the oracle's items, and a generated file of 25 times as many."""
    items = json.load(open(f'{ORACLE}/items.json', encoding='utf-8'))
    big = [dict(it, id=f'{it["id"]}-{i}') for i in range(25) for it in items]
    path = f'{tmp}/big.json'
    json.dump(big, open(path, 'w', encoding='utf-8'), ensure_ascii=False, indent=1)
    out = []
    for src, n in ((f'{ORACLE}/items.json', len(items)), (path, len(big))):
        t = time.perf_counter()
        run(cite, ['import', src, '-o', f'{tmp}/t.xml'])
        out.append((n, time.perf_counter() - t, os.path.getsize(src)))
    return out


def main():
    cite = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else 'build/cite')
    if not os.path.isdir(ORACLE) or not os.path.isdir(SUITE):
        print(f'csljson: skipped: {ORACLE} or {SUITE} is absent')
        return 0
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, inputs in (('oracle', oracle_inputs()), ('suite', suite_inputs())):
            stats = {'inputs': 0, 'items': 0, 'identical': 0, 'normalised': 0, 'fixed': 0,
                     'kinds': collections.Counter()}
            for name, text in inputs:
                stats['inputs'] += 1
                check(cite, f'{label}/{name}', text, tmp, stats, failures)
            print(f'csljson: {label}: {stats["inputs"]} inputs, {stats["items"]} items read; '
                  f'{stats["identical"]} round-tripped identical, {stats["normalised"]} after '
                  f'normalising; XML fixed point {stats["fixed"]}/{stats["inputs"]}')
            for kind, n in sorted(stats['kinds'].items(), key=lambda x: -x[1]):
                why = EXPECTED.get(kind, 'UNEXPECTED')
                print(f'csljson:   {n:5d} {kind} ({why})')
        for n, secs, size in timing(cite, tmp):
            print(f'csljson: import of {n} items ({size / 1e6:.1f} MB): {secs:.3f} s')
    for f in failures[:30]:
        print(f'FAIL: {f}')
    print(f'csljson: {"ok" if not failures else f"{len(failures)} failures"}')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
