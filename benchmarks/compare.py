#!/usr/bin/env python3
"""Puts overlaynet's JMH results next to the peer harness's results from the same sitting.

Usage: compare.py JMH_JSON PEER_RAW_JSONL OUT_DIR
Writes OUT_DIR/comparison.md (the table with ratios) and OUT_DIR/comparison.png (the chart).
Rates: JMH measures time per operation (OperationsPerInvocation = entries); each measured iteration
is turned into ops/s and overlaynet's cell is the median over the iterations, the same statistic as
the peers' cells (median ops/s over the harness's repetitions, as its own table shows them), so one
outlier iteration moves neither side.
"""
import json
import statistics
import sys

# (row label, unit, overlaynet benchmark, params, peer workload, peer phase)
ROWS = [
    ('W1 neigh add, 1 req/ack', 'neigh/s', 'W1NeighbourBenchmark.add', {'mode': 'PER_REQUEST'}, 'W1', 'add'),
    ('W1 neigh add, batch ack each', 'neigh/s', 'W1NeighbourBenchmark.add', {'mode': 'BATCH_EACH'}, 'W1', 'add'),
    ('W1 neigh add, batch ack last', 'neigh/s', 'W1NeighbourBenchmark.add', {'mode': 'BATCH_LAST'}, 'W1', 'add'),
    ('W1 neigh dump (typed)', 'entries/s', 'W1NeighbourBenchmark.dump', {}, 'W1', 'dump'),
    ('W2 fdb append, 1 req/ack', 'fdb/s', 'W2FdbBenchmark.append', {'mode': 'PER_REQUEST'}, 'W2', 'add'),
    ('W2 fdb append, batch ack each', 'fdb/s', 'W2FdbBenchmark.append', {'mode': 'BATCH_EACH'}, 'W2', 'add'),
    ('W2 fdb append, batch ack last', 'fdb/s', 'W2FdbBenchmark.append', {'mode': 'BATCH_LAST'}, 'W2', 'add'),
    ('W2 fdb dump (typed)', 'entries/s', 'W2FdbBenchmark.dump', {}, 'W2', 'dump'),
    ('W3 veth add, 1 req/ack', 'pairs/s', 'W3VethBenchmark.add', {}, 'W3', 'add'),
    ('W3 veth del, 1 req/ack', 'pairs/s', 'W3VethBenchmark.deleteEach', {}, 'W3', 'del'),
    ('W3 veth del by link group', 'pairs/s', 'W3VethBenchmark.deleteGroup', {}, 'W3', 'del'),
    ('W4 link dump (typed)', 'dumps/s', 'W4LinkDumpBenchmark.dump', {}, 'W4', 'dump'),
    ('W4 link dump (attribute walk only, as the C peer)', 'dumps/s', 'W4LinkDumpBenchmark.walk', {}, 'W4', 'dump'),
]
PEERS = [('iproute2', 'iproute2'), ('pyroute2', 'pyroute2'), ('go-handle', 'vishvananda'), ('mnl-b1', 'C 1 req/ack'),
         ('mnl-b256', 'C 256/sendmsg ack each'), ('mnl-b256-lastack', 'C ack last'), ('mnl-group', 'C group del')]


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


def jmh_rates(path):
    out = {}
    for b in json.load(open(path)):
        name = b['benchmark'].rsplit('.', 2)
        key = name[-2] + '.' + name[-1]
        params = b.get('params', {})
        m = b['primaryMetric']
        unit = m['scoreUnit']
        scale = {'ns/op': 1e9, 'us/op': 1e6, 'ms/op': 1e3, 's/op': 1.0}[unit]
        raw = [x for row in m.get('rawData', []) for x in row]
        rates = [scale / x for x in raw if x > 0]
        if rates:
            rate = statistics.median(rates)
        else:
            rate = scale / m['score'] if m['score'] > 0 else None
        out[(key, tuple(sorted(params.items())))] = (rate, min(rates) if rates else None, max(rates) if rates else None)
    return out


def peer_rates(path):
    by = {}
    for line in open(path):
        r = json.loads(line)
        if 'tool' not in r or not r.get('ok'):
            continue
        by.setdefault((r['tool'], r['workload'], r['phase']), []).append(r['ops'] / (r['ns'] / 1e9))
    return {k: statistics.median(v) for k, v in by.items()}


def main():
    jmh_path, peer_path, out_dir = sys.argv[1:4]
    jmh = jmh_rates(jmh_path)
    peers = peer_rates(peer_path)
    lines = ['| workload (unit) | overlaynet [min-max] | ' + ' | '.join(p[1] for p in PEERS)
             + ' | vs iproute2 | vs C same mode |', '|' + '---|' * (len(PEERS) + 4)]
    chart = []
    for label, unit, bench, params, w, ph in ROWS:
        ours = None
        for (k, p), v in jmh.items():
            if k == bench and all(dict(p).get(a) == b for a, b in params.items()):
                ours = v
        if ours is None:
            continue
        rate, lo, hi = ours
        cells = [peers.get((t, w, ph)) for t, _ in PEERS]
        mode = params.get('mode')
        c_same = {'PER_REQUEST': 'mnl-b1', 'BATCH_EACH': 'mnl-b256', 'BATCH_LAST': 'mnl-b256-lastack'}.get(mode, 'mnl-b256')
        if 'group' in label:
            c_same = 'mnl-group'
        c = peers.get((c_same, w, ph))
        ip = peers.get(('iproute2', w, ph))
        lines.append('| %s (%s) | **%s** [%s-%s] | %s | %s | %s |' % (
            label, unit, fmt(rate), fmt(lo), fmt(hi), ' | '.join(fmt(c_) for c_ in cells),
            ('%.2fx' % (rate / ip)) if ip else '-', ('%.2fx (%s)' % (rate / c, c_same)) if c else '-'))
        chart.append((label, rate, cells))
    md = '\n'.join(lines) + '\n'
    open(out_dir + '/comparison.md', 'w').write(md)
    print(md)
    try:
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
    except ImportError:
        print('matplotlib missing: no chart (apt-get install python3-matplotlib)')
        return
    fig, axes = plt.subplots(len(chart), 1, figsize=(9, 1.25 * len(chart) + 1))
    for ax, (label, rate, cells) in zip(axes, chart):
        present = [(p[1], c) for p, c in zip(PEERS, cells) if c is not None]
        names = ['overlaynet'] + [n for n, _ in present]
        vals = [rate] + [c for _, c in present]
        colors = ['#d62728'] + ['#7f7f7f'] * len(present)
        ax.barh(names, vals, color=colors)
        ax.set_title(label, fontsize=9, loc='left')
        ax.tick_params(labelsize=7)
        ax.invert_yaxis()
        for i, v in enumerate(vals):
            ax.text(v, i, ' ' + fmt(v), va='center', fontsize=6)
    fig.suptitle('overlaynet vs peers, ops/s (higher is better), same machine, same sitting', fontsize=10)
    fig.tight_layout()
    fig.savefig(out_dir + '/comparison.png', dpi=110)
    print('chart: %s/comparison.png' % out_dir)


main()
