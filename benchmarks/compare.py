#!/usr/bin/env python3
"""Paired ratios of overlaynet to the other peers, from ONE interleaved sitting of the peer harness.

Usage: compare.py PEER_RAW_JSONL OUT_DIR

The harness (../shared/bench-peers/bench.py with OVERLAYNET_PEER set) runs overlaynet as three more
tools (overlaynet-b1, overlaynet-b256, overlaynet-b256-lastack) in the same loop as the C peer and the
others, so every repetition measures both sides under the same conditions. For each repetition the
ratio overlaynet / C in the same mode is taken (rates in ops/s, higher is better); a cell is the
MEDIAN of those per-repetition ratios with their min-max. A ratio of medians would pair an overlaynet
run with a C run from another moment of the sitting.

Writes OUT_DIR/comparison.md (one table) and OUT_DIR/comparison.png (the chart).
"""
import json
import statistics
import sys

# (workload, phase, label, unit)
PHASES = [
    ('W1', 'add', 'W1 neighbour add', 'neigh/s'),
    ('W1', 'dump', 'W1 typed neighbour dump', 'entries/s'),
    ('W2', 'add', 'W2 FDB append', 'fdb/s'),
    ('W2', 'dump', 'W2 typed FDB dump', 'entries/s'),
    ('W3', 'add', 'W3 veth add', 'pairs/s'),
    ('W3', 'del', 'W3 veth delete', 'pairs/s'),
    ('W4', 'dump', 'W4 typed link dump', 'dumps/s'),
]
# (overlaynet tool, C tool in the same mode, column label)
MODES = [
    ('overlaynet-b1', 'mnl-b1', '1 request per ack'),
    ('overlaynet-b256', 'mnl-b256', '256 per sendmsg, ack each'),
    ('overlaynet-b256-lastack', 'mnl-b256-lastack', '256 per sendmsg, ack last'),
]
OTHERS = [('iproute2', 'iproute2'), ('pyroute2', 'pyroute2'), ('go-handle', 'vishvananda')]
# Targets of issue 13, as paired medians: (workload, phase, overlaynet tool) -> minimum ratio to C.
TARGETS = {}
for w in ('W1', 'W2'):
    TARGETS[(w, 'add', 'overlaynet-b1')] = 0.9
    TARGETS[(w, 'add', 'overlaynet-b256')] = 0.95
    TARGETS[(w, 'add', 'overlaynet-b256-lastack')] = 0.95
for w, ph in (('W1', 'dump'), ('W2', 'dump'), ('W4', 'dump')):
    for t, _, _ in MODES:
        TARGETS[(w, ph, t)] = 0.9


def fmt(v):
    if v is None:
        return '-'
    if v >= 1e6:
        return '%.2fM' % (v / 1e6)
    if v >= 1e4:
        return '%.0fk' % (v / 1e3)
    if v >= 1e3:
        return '%.1fk' % (v / 1e3)
    return '%.1f' % v


def load(path):
    """(tool, workload, phase) -> {rep: ops/s} over the verified runs."""
    rates = {}
    head = None
    for line in open(path):
        r = json.loads(line)
        if 'config' in r:
            head = r
        if 'tool' not in r or not r.get('ok') or r.get('ns', 0) <= 0:
            continue
        rates.setdefault((r['tool'], r['workload'], r['phase']), {})[r['rep']] = r['ops'] / (r['ns'] / 1e9)
    return rates, head


def paired(rates, a, b, w, ph):
    """Per-repetition ratios a/b for the repetitions where both ran and were verified."""
    ra, rb = rates.get((a, w, ph), {}), rates.get((b, w, ph), {})
    return [ra[k] / rb[k] for k in sorted(ra) if k in rb and rb[k] > 0]


def cell(ratios):
    if not ratios:
        return '-'
    m = statistics.median(ratios)
    if len(ratios) == 1:
        return '**%.2f**' % m
    return '**%.2f** [%.2f-%.2f]' % (m, min(ratios), max(ratios))


def main():
    raw, out_dir = sys.argv[1:3]
    rates, head = load(raw)
    reps = head['config']['reps'] if head else '?'
    lines = [
        '| workload | mode | overlaynet ops/s | C same mode ops/s | **ratio to C** (paired) | target | '
        'ratio to iproute2 (paired) | ' + ' | '.join(l for _, l in OTHERS) + ' |',
        '|' + '---|' * (7 + len(OTHERS)),
    ]
    chart = []
    for w, ph, label, unit in PHASES:
        for ours, c, mode in MODES:
            mine = rates.get((ours, w, ph))
            if not mine:
                continue
            theirs = rates.get((c, w, ph), {})
            ratios = paired(rates, ours, c, w, ph)
            vs_ip = paired(rates, ours, 'iproute2', w, ph)
            target = TARGETS.get((w, ph, ours))
            if target is None:
                tcell = '-'
            elif not ratios:
                tcell = '>= %.2f' % target
            else:
                tcell = '>= %.2f %s' % (target, 'met' if statistics.median(ratios) >= target else '**not met**')
            others = [rates.get((t, w, ph)) for t, _ in OTHERS]
            lines.append('| %s (%s) | %s | %s | %s | %s | %s | %s | %s |' % (
                label, unit, mode, fmt(statistics.median(mine.values())),
                fmt(statistics.median(theirs.values())) if theirs else '-', cell(ratios), tcell,
                ('%.2f' % statistics.median(vs_ip)) if vs_ip else '-',
                ' | '.join(fmt(statistics.median(o.values())) if o else '-' for o in others)))
            if ratios:
                chart.append(('%s, %s' % (label, mode), ratios))
    md = ('Interleaved sitting, %s repetitions; %s. Rates: median ops/s over the verified runs. Ratios: median '
          'of the per-repetition ratios overlaynet / peer, [min-max] over the repetitions.\n\n'
          % (reps, head.get('started', '?') if head else '?')) + '\n'.join(lines) + '\n'
    open(out_dir + '/comparison.md', 'w').write(md)
    print(md)
    try:
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
    except ImportError:
        print('matplotlib missing: no chart (apt-get install python3-matplotlib)')
        return
    if not chart:
        print('no paired results: no chart')
        return
    fig, ax = plt.subplots(figsize=(9, 0.32 * len(chart) + 1.2))
    names = [c[0] for c in chart]
    med = [statistics.median(c[1]) for c in chart]
    lo = [m - min(c[1]) for m, c in zip(med, chart)]
    hi = [max(c[1]) - m for m, c in zip(med, chart)]
    colors = ['#2ca02c' if m >= 0.9 else '#d62728' for m in med]
    ax.barh(names, med, xerr=[lo, hi], color=colors, ecolor='#555555', capsize=2)
    ax.axvline(1.0, color='black', linewidth=0.8)
    ax.invert_yaxis()
    ax.tick_params(labelsize=7)
    for i, m in enumerate(med):
        ax.text(0.02, i, '%.2f' % m, va='center', fontsize=7, color='white')
    ax.set_xlabel('overlaynet / C libmnl in the same mode (median of per-repetition ratios, whiskers min-max)',
                  fontsize=8)
    fig.suptitle('overlaynet vs the C client, interleaved sitting (%s reps); 1.0 = as fast as C' % reps, fontsize=9)
    fig.tight_layout()
    fig.savefig(out_dir + '/comparison.png', dpi=110)
    print('chart: %s/comparison.png' % out_dir)


main()
