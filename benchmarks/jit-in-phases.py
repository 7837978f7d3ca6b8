#!/usr/bin/env python3
"""Which JIT compilations and GC pauses fell inside the overlaynet peer's timed phases.

Usage: jit-in-phases.py JVM_LOG PEER_STDOUT

Run the peer with the JVM log decorated with timenanos (System.nanoTime(), the clock the peer
prints each phase's bounds in as t0_ns/t1_ns), e.g. inside a namespace set up like the harness's:

  ip netns exec NS java -Xlog:gc,jit+compilation=debug:file=jvm.log:timenanos \\
      -jar benchmarks/target/overlaynet-peer.jar -b 256 W1 10000 > peer.out
  benchmarks/jit-in-phases.py jvm.log peer.out

A warm-up that did its job leaves (almost) no compilation and no GC pause inside a phase.
"""
import json
import re
import sys


def main():
    log, out = sys.argv[1:3]
    phases = [json.loads(l) for l in open(out) if l.startswith('{')]
    events = []
    for line in open(log):
        m = re.match(r'\[(\d+)ns\]', line)
        if m:
            events.append((int(m.group(1)), line.rstrip()))
    for p in phases:
        inside = [e for t, e in events if p['t0_ns'] <= t <= p['t1_ns']]
        print('%s: %.2f ms, %d JIT/GC events inside' % (p['phase'], p['ns'] / 1e6, len(inside)))
        for e in inside[:50]:
            print('   ', e[:200])


main()
