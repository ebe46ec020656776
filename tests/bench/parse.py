#!/usr/bin/env python3
"""Reference parsing speed and peak memory: cite parse on every labelled AnyStyle string
(../shared/data/anystyle, 10,392 references, one per line). Whole-process wall time, median of
5, and peak RSS from wait4. Skipped with a message when ../shared is absent.
Usage: parse.py CITE"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

DATA = '../shared/data/anystyle'


def main():
    cite = sys.argv[1] if len(sys.argv) > 1 else 'build/cite'
    if not os.path.isdir(DATA):
        print(f'parse bench: skipped: {DATA} is absent')
        return
    lines = []
    for name in ('core', 'good', 'bad', 'ugly'):
        with open(os.path.join(DATA, name + '.norm.jsonl'), encoding='utf-8') as f:
            lines += [' '.join(json.loads(line)['raw'].split()) for line in f if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'refs.txt')
        with open(path, 'w', encoding='utf-8') as f:
            f.write('\n'.join(lines) + '\n')
        times, peaks = [], []
        for _ in range(5):
            start = time.perf_counter()
            proc = subprocess.Popen([cite, 'parse', path, '-o', os.path.join(tmp, 'out.xml')],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, status, usage = os.wait4(proc.pid, 0)
            times.append(time.perf_counter() - start)
            peaks.append(usage.ru_maxrss / 1024)
        secs = statistics.median(times)
        print(f'cite parse: {len(lines)} references in {secs:.3f} s (median of 5): '
              f'{len(lines) / secs:,.0f} references/s, peak {max(peaks):.1f} MiB')


if __name__ == '__main__':
    main()
