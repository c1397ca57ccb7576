#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Draw the driver's file graph from its object files and check its layers.

An edge A -> B means A.o uses a global symbol B.o defines (nm: "U" in A,
defined in B): a call, a variable, or a function A names to have it run
later (an ops table, a work item, a VMBus callback); a call made through
such a pointer is not an edge of its own.  Every object has a layer in
LAYERS below (0 the ground); an edge to a higher layer, a circle inside a
layer, and an object with no layer are reported.  The includes are
checked too: a file includes the header of its own layer's files or of
lower ones (each netvsc_X.h holds what netvsc_X.c offers), never one of a
file above it.

usage: layers.py [--dot] [--quiet] DIR
  DIR      the driver's build directory (drivers/net/hyperv with its .o)
  --dot    print the graph in Graphviz's dot language instead
Exit status 1 when anything is reported.
"""
import collections
import glob
import os
import re
import subprocess
import sys

# file (without .o) -> layer; lower layers never call higher ones
LAYERS = {
    # ground: wire formats, host-input parsers and checks, trace points
    'netvsc_validate': 0, 'netvsc_proto': 0, 'netvsc_seq': 0,
    'netvsc_build': 0, 'netvsc_trace': 0,
    # the transport (NVSP sends, page ranges), the counters
    'netvsc_nvsp': 1, 'netvsc_stats': 1,
    # the data and control paths
    'netvsc_ctrl': 2, 'netvsc_tx': 2, 'netvsc_tx_info': 2,
    'netvsc_tx_done': 2, 'netvsc_select': 2, 'netvsc_rx': 2, 'netvsc_xdp': 2,
    'netvsc_rndis': 2, 'netvsc_txc': 2,
    # what the host puts in a ring, to its handler
    'netvsc_poll': 3,
    # a queue's life, then a bring-up's
    'netvsc_queue': 4,
    'netvsc_bringup': 5,
    # subchannels, RSS, live channel changes
    'netvsc_channel': 6,
    # attach and detach
    'netvsc_attach': 7,
    # the configuration, decided and written; the VF joined beside it
    'netvsc_cfg': 8, 'netvsc_vf': 8,
    # the faces: ethtool, netdev-genl, net device and module
    'netvsc_ethtool': 9, 'netvsc_qstats': 9,
    'netvsc_main': 10,
}


def graph(d):
    defs, uses = {}, {}
    objs = sorted(os.path.basename(o)[:-2]
                  for o in glob.glob(os.path.join(d, 'netvsc_*.o'))
                  if not o.endswith('_test.o'))
    for o in objs:
        out = subprocess.run(['nm', os.path.join(d, o + '.o')],
                             capture_output=True, text=True,
                             check=True).stdout
        for line in out.splitlines():
            f = line.split()
            if len(f) == 3 and f[1] in 'TDRB':
                defs[f[2]] = o
            elif len(f) == 2 and f[0] == 'U':
                uses.setdefault(o, set()).add(f[1])
    g = {o: collections.Counter() for o in objs}
    for o, syms in uses.items():
        for s in syms:
            if s in defs and defs[s] != o:
                g[o][defs[s]] += 1
    return g


def circles(g, nodes):
    """Strongly connected components of more than one node (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in g[v]:
            if w not in nodes:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


def main(argv):
    dot = '--dot' in argv
    quiet = '--quiet' in argv
    args = [a for a in argv if not a.startswith('--')]
    if len(args) != 1:
        sys.stderr.write(__doc__)
        return 2
    g = graph(args[0])
    if not g:
        print(f'no netvsc_*.o in {args[0]} (build the driver first)')
        return 1
    if dot:
        print('digraph hv_netvsc {')
        for o in sorted(g):
            for t, n in sorted(g[o].items()):
                print(f'\t"{o}" -> "{t}" [label={n}];')
        print('}')
        return 0
    bad = []
    for o in sorted(g):
        if o not in LAYERS:
            bad.append(f'{o}: has no layer')
    for o in sorted(g):
        for t, n in sorted(g[o].items()):
            if o in LAYERS and t in LAYERS and LAYERS[t] > LAYERS[o]:
                bad.append(f'{o} (layer {LAYERS[o]}) calls up into {t} '
                           f'(layer {LAYERS[t]}): {n} symbol(s)')
    for o in sorted(g):
        src = os.path.join(args[0], o + '.c')
        if o not in LAYERS or not os.path.exists(src):
            continue
        with open(src) as f:
            incs = re.findall(r'^#include "(netvsc_\w+)\.h"', f.read(), re.M)
        for h in incs:
            if h in LAYERS and LAYERS[h] > LAYERS[o]:
                bad.append(f'{o} (layer {LAYERS[o]}) includes {h}.h '
                           f'(layer {LAYERS[h]})')
    for layer in sorted(set(LAYERS.values())):
        nodes = {o for o in g if LAYERS.get(o) == layer}
        for c in circles(g, nodes):
            bad.append(f'a circle in layer {layer}: {" ".join(c)}')
    if not quiet:
        for o in sorted(g, key=lambda o: (LAYERS.get(o, -1), o)):
            print(f'{LAYERS.get(o, "?")} {o} -> '
                  f'{" ".join(sorted(g[o]))}')
    for b in bad:
        print(b)
    print(f'{len(bad)} layering problem(s)')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
