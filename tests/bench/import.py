#!/usr/bin/env python3
"""Import speed and peak memory: cite import against bibutils' bib2xml and pandoc.

Whole-process wall time, median of 5 runs, and peak RSS (from wait4) for each tool on each
input: tugboat.bib from texlive-bibtex-extra and the real files of ../shared/bench when
present. Tools that are not installed are skipped. Usage: import.py CITE [FILE.bib ...]
"""
import os
import shutil
import statistics
import subprocess
import sys
import time

RUNS = 5


def measure(argv):
    """Median wall seconds and max peak RSS (MiB) over RUNS runs; None when it fails."""
    times, peaks = [], []
    for _ in range(RUNS):
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss / 1024)
        if os.waitstatus_to_exitcode(status) > 1:
            return None
    return statistics.median(times), max(peaks)


def count_entries(cite, path):
    out = subprocess.run([cite, 'import', path], capture_output=True, text=True).stdout
    return out.count('<entry ')


def main():
    cite = sys.argv[1] if len(sys.argv) > 1 else 'build/cite'
    files = sys.argv[2:] or [
        '/usr/share/texlive/texmf-dist/bibtex/bib/beebe/tugboat.bib',
        '../shared/bench/cdl.bib',
        '../shared/bench/rfc.bib',
    ]
    tools = [('cite import', [cite, 'import']),
             ('bib2xml', ['bib2xml']),
             ('pandoc -t csljson', ['pandoc', '-f', 'bibtex', '-t', 'csljson'])]
    print(f'{"file":<14} {"tool":<18} {"entries":>7} {"median s":>9} {"entries/s":>10} '
          f'{"peak MiB":>9} {"vs cite":>8}')
    for path in files:
        if not os.path.exists(path):
            print(f'{os.path.basename(path)}: absent, skipped')
            continue
        n = count_entries(cite, path)
        base = None
        for name, argv in tools:
            if not shutil.which(argv[0]):
                print(f'{os.path.basename(path):<14} {name:<18} not installed, skipped')
                continue
            m = measure(argv + [path])
            if m is None:
                print(f'{os.path.basename(path):<14} {name:<18} failed')
                continue
            secs, peak = m
            base = base or secs
            print(f'{os.path.basename(path):<14} {name:<18} {n:>7} {secs:>9.3f} '
                  f'{n / secs:>10.0f} {peak:>9.1f} {secs / base:>7.1f}x')


if __name__ == '__main__':
    main()
