#!/usr/bin/env python3
"""Citation scanning and linking speed: cite check on one manuscript's body repeated to 1, 4, 16
and 32 MB, its reference list once at the end (every citation resolves, so the figures are of
the common path). Whole-process wall time and CPU time (user + system; both medians of 3), MB/s,
peak RSS; the cost per MB must stay flat as the document grows (linear, not citations x
references). Scanning and linking speed is the CPU time over that of the list alone (start-up
and parsing the references). Patterns are JIT-compiled at their first match, so the list alone
does not compile the scanner's: that (about a millisecond) counts as scanning, and weighs most
on the 1 MB figure. The floor is pcre2grep counting author-date parentheses with a
comparable pattern over the same 32 MB. The manuscript is elife-24271 (../shared/data/jats/docs, 212 callouts, 113
references) when present, else the bundled briefing. Usage: check.py CITE"""
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

JATS = '../shared/data/jats/docs/elife-24271.txt'
BRIEF = 'bib/examples/sahel-brief.txt'
SIZES_MB = (1, 4, 16, 32)
GREP_PATTERN = r'\(\p{Lu}[\p{L}\-]+(?: et al\.)?,? \d{4}[a-z]?[;)]'


def split(path, heading):
    with open(path, encoding='utf-8') as f:
        text = f.read()
    cut = text.rfind('\n' + heading + '\n')
    return text[:cut], text[cut:]


def cpu_of_children():
    """User + system seconds of every child waited for so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(argv):
    """Median wall time of 3 runs, median CPU time (user + system: what the process itself
    spent, whatever else the machine runs) and the largest peak RSS (MiB). The peak comes from
    GNU time when present: a child forked from this process starts with its memory counted."""
    walls, cpus, peaks = [], [], []
    timer = ['/usr/bin/time', '-f', '%M'] if os.path.exists('/usr/bin/time') else []
    for _ in range(3):
        start, cpu_start = time.perf_counter(), cpu_of_children()
        proc = subprocess.run(timer + argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True)
        walls.append(time.perf_counter() - start)
        cpus.append(cpu_of_children() - cpu_start)
        if proc.returncode not in (0, 1):
            raise SystemExit(f'check bench: {argv[0]} exited with {proc.returncode}')
        lines = proc.stderr.strip().splitlines()
        peaks.append(int(lines[-1]) / 1024 if timer and lines else float('nan'))
    return statistics.median(walls), statistics.median(cpus), max(peaks)


def main():
    cite = sys.argv[1] if len(sys.argv) > 1 else 'build/cite'
    source = JATS if os.path.exists(JATS) else BRIEF
    body, refs = split(source, 'References' if source == JATS else 'Sources')
    load = os.getloadavg()[0] if hasattr(os, 'getloadavg') else float('nan')
    print(f'cite check speed on {source} repeated (one core, whole process; load average '
          f'{load:.1f}: wall times are only meaningful on an idle machine, CPU times less '
          f'affected):')
    with tempfile.TemporaryDirectory() as tmp:
        # What a run costs before any text: start-up and parsing the reference list, which
        # grow with the list, not the document. Scanning and linking speed is the rest.
        path = os.path.join(tmp, 'list.txt')
        with open(path, 'w', encoding='utf-8') as f:
            f.write('\n' + refs)
        fixed, fixed_cpu, _ = run([cite, 'check', path])
        print(f'  the list alone: {fixed * 1000:.1f} ms (cpu {fixed_cpu * 1000:.1f} ms): start-up '
              f'and parsing {refs.count(chr(10))} lines of references')
        for mb in SIZES_MB:
            copies = max(1, int(mb * 1e6 / len(body.encode())))
            path = os.path.join(tmp, f'doc{mb}.txt')
            with open(path, 'w', encoding='utf-8') as f:
                for _ in range(copies):
                    f.write(body + '\n\n')
                f.write('\n' + refs)
            size = os.path.getsize(path) / 1e6
            secs, cpu, peak = run([cite, 'check', path])
            scan = size / max(cpu - fixed_cpu, 1e-9)
            print(f'  {size:6.1f} MB: {secs:6.3f} s  {size / secs:7.1f} MB/s  '
                  f'{secs / size * 1000:6.1f} ms/MB  cpu {cpu:6.3f} s {size / cpu:7.1f} MB/s  '
                  f'scanning and linking {scan:6.1f} MB/s  peak {peak:6.1f} MiB')
        size = os.path.getsize(path) / 1e6
        if shutil.which('pcre2grep'):
            secs, cpu, peak = run(['pcre2grep', '-c', GREP_PATTERN, path])
            print(f'  pcre2grep -c (floor) on {size:.1f} MB: {secs:.3f} s  {size / secs:.1f} MB/s  '
                  f'cpu {cpu:.3f} s  peak {peak:.1f} MiB')
        else:
            print('  pcre2grep is absent (Debian package pcre2-utils): no floor measured')


if __name__ == '__main__':
    main()
