#!/usr/bin/env python3
"""Side-by-side comparison of anonlog with its limits and peers, on a generated combined log.

usage: Benchmarks/compare.py [--size 1G] [--rounds 5] [--only NAME,...] [--markdown FILE]

"anonlog plain + stats" records statistics (into a fresh SQLite store each round) in the same
pass; the other anonlog rows run with --no-stats.

Generates a reproducible corpus with Scripts/generate-sample-logs.py (cached in
Benchmarks/corpus/), builds anonlog in release mode, then runs every command below that is
available, round-robin for --rounds rounds so that the machine's noise hits all of them alike,
and prints the median wall time, the throughput over the uncompressed size, and each command's
speed relative to `zcat > /dev/null` (above 1 means faster than zcat). Output goes to
/dev/null or to files, and only the rows named "pipe:" go through a pipe (pipes on these
machines are slow and noisy; `cat | cat` is the pipe's own limit). Each
command's input file is read once, untimed, just before it runs, so that every command starts
with its input in the page cache.

Peers that are not installed (igzip, anonip, goaccess) are skipped and named as skipped.
"""
import argparse, os, platform, shutil, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, 'Benchmarks', 'corpus')


def parse_size(text):
    units = {'K': 1 << 10, 'M': 1 << 20, 'G': 1 << 30}
    return int(text[:-1]) * units[text[-1].upper()] if text[-1].upper() in units else int(text)


def machine():
    cpu = next((line.split(':', 1)[1].strip() for line in open('/proc/cpuinfo') if line.startswith('model name')), '?')
    memory = next((int(line.split()[1]) // 1024 for line in open('/proc/meminfo') if line.startswith('MemTotal')), 0)
    swift = subprocess.run(['swift', '--version'], capture_output=True, text=True).stdout.splitlines()
    load = os.getloadavg()
    return (f'{cpu}, {os.cpu_count()} cores, {memory} MiB, Linux {platform.release()}, '
            f'{swift[0] if swift else "swift ?"}, load {load[0]:.2f} at start')


def prepare(size_text, clients=None, distinct=False):
    os.makedirs(CORPUS, exist_ok=True)
    suffix = (f'-{clients}clients' if clients else '') + ('-distinct' if distinct else '')
    plain = os.path.join(CORPUS, f'combined-{size_text}{suffix}.log')
    packed = plain + '.gz'
    if not os.path.exists(plain):
        print(f'generating {plain} ...', file=sys.stderr)
        subprocess.run([sys.executable, os.path.join(ROOT, 'Scripts', 'generate-sample-logs.py'),
                        '--format', 'combined', '--bytes', size_text, '--out', plain]
                       + (['--clients', clients] if clients else [])
                       + (['--distinct-clients'] if distinct else []), check=True)
    if not os.path.exists(packed):
        print(f'compressing {packed} (gzip -6) ...', file=sys.stderr)
        with open(packed + '.tmp', 'wb') as out:
            subprocess.run(['gzip', '-6', '-c', '-n', plain], stdout=out, check=True)
        os.rename(packed + '.tmp', packed)
    key = os.path.join(CORPUS, 'key')
    return plain, packed, key


def build():
    print('building anonlog (release) ...', file=sys.stderr)
    subprocess.run(['swift', 'build', '-c', 'release', '--product', 'anonlog'], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    binary = os.path.join(ROOT, '.build', 'release', 'anonlog')
    return binary


MODES = ['mask', 'cryptopan', 'ipcrypt-pfx', 'ipcrypt-deterministic', 'ipcrypt-ndx']


def mode_keys(anonlog):
    """One key file per mode, made once."""
    keys = {}
    for mode in MODES:
        path = os.path.join(CORPUS, f'key-{mode}')
        if not os.path.exists(path):
            subprocess.run([anonlog, 'key', 'init', '--mode', mode, '--key-file', path], check=True, stderr=subprocess.DEVNULL)
        keys[mode] = path
    return keys


def commands(anonlog, plain, packed, key):
    """(name, argv, stdin path or None, output path) for every command that can run here."""
    scratch = os.path.join(CORPUS, 'scratch')
    os.makedirs(scratch, exist_ok=True)
    null = os.devnull
    quiet = [anonlog, '--key-file', key, '--quiet', '--no-stats']
    # With statistics into a fresh store each round (run_once deletes it first): a store that
    # already holds the corpus would measure a replay, which counts nothing.
    with_stats = [anonlog, '--key-file', key, '--quiet', '--stats', os.path.join(scratch, 'stats.db')]
    # Through a pipe, as an operator's `zcat | anonlog` or `tail -F | anonlog` runs it: the
    # pipe is a limit of its own on these machines (`cat | cat`), reported beside the rest.
    # The paths are arguments of the script, so that they are warmed like the others'.
    def piped(script, *paths):
        return ['sh', '-c', script, 'sh', *paths]
    candidates = [
        ('cat', ['cat', plain], None, null),
        ('zcat', ['zcat', packed], None, null),
        ('igzip -dc', ['igzip', '-dc', packed], None, null),
        ('anonlog plain', quiet + [plain], None, null),
        ('anonlog plain + stats', with_stats + [plain], None, null),
        ('anonlog .gz', quiet + [packed], None, null),
        ('anonlog plain -> .gz file', quiet + [plain, '-o', os.path.join(scratch, 'out.log.gz')], None, None),
        ('anonlog plain, 1 thread', quiet + ['--threads', '1', plain], None, null),
        ('pipe: cat | cat', piped('cat "$1" | cat', plain), None, null),
        ('pipe: cat | anonlog', piped('cat "$1" | "$2" --key-file "$3" --quiet --no-stats', plain, anonlog, key), None, null),
        ('pipe: zcat | anonlog', piped('zcat "$1" | "$2" --key-file "$3" --quiet --no-stats', packed, anonlog, key), None, null),
        ('anonlog plain + stats, 1 thread', with_stats + ['--threads', '1', plain], None, null),
    ]
    for mode, mode_key in mode_keys(anonlog).items():
        candidates.append((f'anonlog plain --mode {mode}', [anonlog, '--key-file', mode_key, '--quiet', '--no-stats', '--mode', mode, plain], None, null))
    candidates += [
        ('gzip -6 (plain -> .gz)', ['gzip', '-6', '-c', plain], None, os.path.join(scratch, 'gzip6.gz')),
        ('anonip -4 8 -6 80', ['anonip', '-4', '8', '-6', '80'], plain, null),
        ('goaccess report', ['goaccess', '--log-format=COMBINED', '-o', os.path.join(scratch, 'report.json'), plain], None, None),
    ]
    available, skipped = [], []
    for name, argv, stdin, output in candidates:
        (available if shutil.which(argv[0]) or os.path.exists(argv[0]) else skipped).append((name, argv, stdin, output))
    return available, [name for name, *_ in skipped]


def gzip_output_sizes(runs, anonlog, key, plain):
    """The size of anonlog's gzip output against `gzip -6` of the same anonymized text (the
    pseudonyms compress differently from the addresses they replace, so the input's own
    `gzip -6` is no reference for the size; it is for the time)."""
    name = 'anonlog plain -> .gz file'
    argv = next((argv for run_name, argv, *_ in runs if run_name == name), None)
    if not argv:
        return ''
    scratch = os.path.join(CORPUS, 'scratch')
    anonymized, reference = os.path.join(scratch, 'anonymized.log'), os.path.join(scratch, 'anonymized6.gz')
    with open(anonymized, 'wb') as out:
        subprocess.run([anonlog, '--key-file', key, '--quiet', '--no-stats', plain], stdout=out, check=True)
    with open(reference, 'wb') as out:
        subprocess.run(['gzip', '-6', '-c', '-n', anonymized], stdout=out, check=True)
    size, reference_size = os.path.getsize(argv[argv.index('-o') + 1]), os.path.getsize(reference)
    os.remove(anonymized)
    os.remove(reference)
    return (f'{name} {size / 1e6:.1f} MB, {(size / reference_size - 1) * 100:+.1f}% against '
            f'gzip -6 of the same anonymized text ({reference_size / 1e6:.1f} MB)')


def warm(paths):
    """Reads each input once, untimed. Page cache left unused for a minute or two may be
    reclaimed on these VMs (DAMON), and whichever command came first after that would pay for
    the disk; the others would not."""
    for path in paths:
        with open(path, 'rb') as f:
            while f.read(8 << 20):
                pass


def run_once(argv, stdin, output):
    """Wall time and peak resident memory (KiB, from /usr/bin/time) of one run."""
    warm([path for path in argv[1:] + ([stdin] if stdin else [])
          if os.path.basename(path).startswith('combined-') and os.path.isfile(path)])
    if '--stats' in argv:
        store = argv[argv.index('--stats') + 1]
        for suffix in ('', '-wal', '-shm'):
            if os.path.exists(store + suffix):
                os.remove(store + suffix)
    stdin_file = open(stdin, 'rb') if stdin else subprocess.DEVNULL
    stdout_file = open(output, 'wb') if output else subprocess.DEVNULL
    rss_file = os.path.join(CORPUS, 'scratch', 'rss')
    timed = ['/usr/bin/time', '-f', '%M', '-o', rss_file] + argv if os.path.exists('/usr/bin/time') else argv
    start = time.perf_counter()
    result = subprocess.run(timed, stdin=stdin_file, stdout=stdout_file, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    try:
        rss = int(open(rss_file).read().split()[-1])
    except (OSError, ValueError, IndexError):
        rss = 0
    for f in (stdin_file, stdout_file):
        if f is not subprocess.DEVNULL:
            f.close()
    if result.returncode != 0:
        raise SystemExit(f'{" ".join(argv)} failed ({result.returncode}): {result.stderr.decode(errors="replace")[:500]}')
    return elapsed, rss


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--size', default='1G', help='uncompressed corpus size (default 1G)')
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--only', help='comma-separated command names (prefixes) to run')
    parser.add_argument('--anonlog', help='use this binary instead of building one')
    parser.add_argument('--markdown', help='also write the table as Markdown to this file')
    parser.add_argument('--clients', help='client pool of the corpus (generator default 200000, at most 10000000)')
    parser.add_argument('--distinct-clients', action='store_true',
                        help='line i has client i of the pool, no repeats (the memory check: --size 3G '
                             '--clients 10000000 --distinct-clients holds 10 million distinct clients)')
    args = parser.parse_args()

    plain, packed, key = prepare(args.size, args.clients, args.distinct_clients)
    anonlog = args.anonlog or build()
    if not os.path.exists(key):
        subprocess.run([anonlog, 'key', 'init', '--key-file', key], check=True, stderr=subprocess.DEVNULL)
    runs, skipped = commands(anonlog, plain, packed, key)
    if args.only:
        prefixes = [p.strip() for p in args.only.split(',')]
        runs = [r for r in runs if any(r[0].startswith(p) for p in prefixes)]
    size = os.path.getsize(plain)
    lines = sum(chunk.count(b'\n') for chunk in iter(lambda f=open(plain, 'rb'): f.read(1 << 24), b''))
    description = machine()

    times = {name: [] for name, *_ in runs}
    peaks = {name: 0 for name, *_ in runs}
    for round_number in range(args.rounds):
        for name, argv, stdin, output in runs:
            elapsed, rss = run_once(argv, stdin, output)
            times[name].append(elapsed)
            peaks[name] = max(peaks[name], rss)
        print(f'round {round_number + 1}/{args.rounds} done', file=sys.stderr)

    medians = {name: statistics.median(values) for name, values in times.items()}
    reference = medians.get('zcat')
    rows = []
    for name, *_ in runs:
        median = medians[name]
        ratio = f'{reference / median:.2f}x' if reference else '-'
        spread = f'{min(times[name]):.2f}-{max(times[name]):.2f}'
        rows.append((name, f'{median:.2f}', spread, f'{size / median / 1e6:.0f}', ratio, f'{peaks[name] // 1024}'))

    header = ('command', 'median s', 'min-max s', 'MB/s', 'speed vs zcat', 'peak MiB')
    widths = [max(len(str(row[i])) for row in rows + [header]) for i in range(len(header))]
    lines_out = [f'machine: {description}',
                 f'corpus: {os.path.relpath(plain, ROOT)} ({size / 1e6:.0f} MB, {lines} lines), '
                 f'gzip -6: {os.path.getsize(packed) / 1e6:.0f} MB; {args.rounds} rounds, round-robin; '
                 f'output to /dev/null or a file',
                 '']
    lines_out.append('  '.join(h.ljust(w) for h, w in zip(header, widths)))
    for row in rows:
        lines_out.append('  '.join(str(c).ljust(w) for c, w in zip(row, widths)))
    compressed = gzip_output_sizes(runs, anonlog, key, plain)
    if compressed:
        lines_out.append('\ngzip output: ' + compressed)
    if skipped:
        lines_out.append(f'\nnot installed, skipped: {", ".join(skipped)}')
    print('\n'.join(lines_out))

    if args.markdown:
        with open(args.markdown, 'w') as out:
            out.write(f'- machine: {description}\n')
            out.write(f'- corpus: `{os.path.relpath(plain, ROOT)}`, {size / 1e6:.0f} MB, {lines} lines; '
                      f'gzip -6 {os.path.getsize(packed) / 1e6:.0f} MB; {args.rounds} rounds, round-robin\n\n')
            out.write('| ' + ' | '.join(header) + ' |\n|' + '---|' * len(header) + '\n')
            for row in rows:
                out.write('| ' + ' | '.join(str(c).replace('|', '\\|') for c in row) + ' |\n')
            if compressed:
                out.write(f'\ngzip output: {compressed}.\n')
            if skipped:
                out.write(f'\nNot installed, skipped: {", ".join(skipped)}.\n')


if __name__ == '__main__':
    main()
