#!/usr/bin/env python3
"""CSL formatting speed and peak memory: cite format against citeproc-js (node) and
pandoc --citeproc, in the same run, on 5,000 generated items with the official APA style
(Debian's apa.csl, locale en-US). Issue 5's target: cite at least 20x faster than citeproc-js,
peak memory under 50 MB.

The timing is ../shared/csl/oracle/bench.sh (GNU time, whole process: start-up, style and
locale loading, rendering, output to a file), run from a copy of that folder in BUILD_DIR
where `npm ci` installs citeproc-js (../shared is never written). Two modes, as bench.sh
times its peers:
  bib-only   the sorted reference list
  bib+cites  the reference list and each item cited alone, in one process (cite: 5,000
             --cite options and --bibliography)
It prints bench.sh's medians, then cite's ratios to each peer (wall and CPU time) and whether
the targets hold, judged on CPU time (user + sys: on a shared machine wall time measures the
other jobs too), and how many of cite's entries are identical to citeproc-js's.

Usage: format.py CITE [BUILD_DIR]   (env: FORMAT_BENCH_REPS, default 3; FORMAT_BENCH_N, 5000)
Skips with a message when ../shared, node/npm, GNU time or the Debian styles are absent."""
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys

ORACLE = '../shared/csl/oracle'
STYLE = '/usr/share/citation-style-language/styles/apa.csl'
LOCALE = '/usr/share/citation-style-language/locales/locales-en-US.xml'
COPY = ('package.json', 'package-lock.json', 'render.js', 'bench.sh', 'gen.py',
        'pandoc-render.sh')
TARGET_RATIO = 20.0
TARGET_PEAK_MB = 50.0


def skip(why):
    print(f'format bench: skipped: {why}')
    sys.exit(0)


def prepare(work):
    """A copy of the oracle's scripts in work with citeproc-js installed by npm ci."""
    os.makedirs(work, exist_ok=True)
    for name in COPY:
        shutil.copy2(os.path.join(ORACLE, name), os.path.join(work, name))
    if not os.path.isdir(os.path.join(work, 'node_modules', 'citeproc')):
        proc = subprocess.run(['npm', 'ci', '--no-audit', '--no-fund'], cwd=work,
                              capture_output=True, text=True)
        if proc.returncode != 0:
            skip(f'npm ci failed in {work}: {proc.stderr.strip()[-300:]}')


def cite_commands(cite, work, items):
    """bench.sh --tool commands for cite's two modes. The citations need 5,000 arguments,
    written into a script so that one process gets them all (xargs could split them)."""
    fmt = f'"{cite}" format "$ITEMS" --style "$STYLE" --locale en-US --to text'
    with open(items, encoding='utf-8') as f:
        ids = [item['id'] for item in json.load(f)]
    script = os.path.join(work, 'cite-cites.sh')
    with open(script, 'w', encoding='utf-8') as f:
        f.write(fmt + ' ' + ' '.join(f"--cite '{i}'" for i in ids) + ' --bibliography\n')
    return [f'cite-bib={fmt}', f'cite-cites=bash "{script}"']


def medians(results):
    rows = list(csv.DictReader(open(results, encoding='utf-8'), delimiter='\t'))
    out = {}
    for key in {(r['tool'], r['mode']) for r in rows}:
        rs = [r for r in rows if (r['tool'], r['mode']) == key]
        out[key] = {
            'wall': statistics.median(float(r['wall_s']) for r in rs),
            'cpu': statistics.median(float(r['user_s']) + float(r['sys_s']) for r in rs),
            'peak': max(int(r['maxrss_kb']) for r in rs) / 1024,
        }
    return out


def bib_lines(path, skip_header):
    with open(path, encoding='utf-8') as f:
        lines = f.read().splitlines()
    if skip_header:
        n = int(lines[0].split('(')[1].split()[0])
        return lines[1:1 + n]
    return lines


def report(m, out):
    cite_modes = {'bib-only': ('cite-bib', 'tool'), 'bib+cites': ('cite-cites', 'tool')}
    ok = True
    print('\nratios (peer / cite; wall time and CPU time = user + sys):')
    for mode, ckey in cite_modes.items():
        c = m[ckey]
        for peer in ('citeproc-js', 'pandoc'):
            p = m.get((peer, mode))
            if not p:
                continue
            wall, cpu = p['wall'] / c['wall'], p['cpu'] / max(c['cpu'], 0.001)
            print(f'  {mode:9s} {peer:11s} {p["wall"]:7.2f} s vs {c["wall"]:5.2f} s: '
                  f'{wall:6.1f}x wall, {cpu:6.1f}x cpu; peak {p["peak"]:6.1f} vs '
                  f'{c["peak"]:5.1f} MiB')
            # the target is judged on CPU time: wall time on the shared 2-core machine
            # measures the other jobs as much as the tools
            if peer == 'citeproc-js' and cpu < TARGET_RATIO:
                ok = False
        if c['peak'] >= TARGET_PEAK_MB:
            ok = False
    ours = bib_lines(os.path.join(out, 'out.cite-bib.tool.txt'), False)
    theirs = bib_lines(os.path.join(out, 'out.citeproc-js.bib-only.txt'), True)
    same = sum(a == b for a, b in zip(ours, theirs))
    print(f'  bibliography entries identical to citeproc-js: {same} / {len(theirs)}')
    print(f'format bench: targets (>= {TARGET_RATIO:.0f}x citeproc-js in CPU time, peak < '
          f'{TARGET_PEAK_MB:.0f} MB): {"met" if ok else "NOT met"}')


def main():
    cite = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else 'build/cite')
    work = os.path.abspath(os.path.join(sys.argv[2] if len(sys.argv) > 2 else 'build',
                                        'bench-format'))
    if not os.path.isdir(ORACLE):
        skip(f'{ORACLE} is absent')
    for tool in ('node', 'npm'):
        if not shutil.which(tool):
            skip(f'{tool} is not installed')
    if not os.path.exists('/usr/bin/time'):
        skip('GNU time is absent (Debian package time)')
    if not (os.path.exists(STYLE) and os.path.exists(LOCALE)):
        skip("Debian's citation-style-language-styles/-locales are absent (make deps)")
    prepare(work)
    n = os.environ.get('FORMAT_BENCH_N', '5000')
    reps = os.environ.get('FORMAT_BENCH_REPS', '3')
    out = os.path.join(work, 'out')
    items = os.path.join(work, f'items-{n}.json')
    subprocess.run(['python3', os.path.join(work, 'gen.py'), n, items, 'realistic'], check=True,
                   stdout=subprocess.DEVNULL)
    argv = [os.path.join(work, 'bench.sh'), '--items', items, '--reps', reps, '--style', STYLE,
            '--locale', LOCALE, '--out', out]
    for t in cite_commands(cite, work, items):
        argv += ['--tool', t]
    print(f'cite format speed: {n} items, official APA (en-US), {reps} runs each, '
          'whole process (bench.sh):', flush=True)
    proc = subprocess.run(argv, stderr=subprocess.DEVNULL)
    if proc.returncode != 0:
        sys.exit(f'format bench: bench.sh failed ({proc.returncode})')
    report(medians(os.path.join(out, 'results.tsv')), out)


if __name__ == '__main__':
    main()
