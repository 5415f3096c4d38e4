#!/usr/bin/env python3
"""Refreshes the small committed seed corpus of one fuzz target.

After a run has grown fuzz/work/<target>, this adds to the hand-written
seeds in fuzz/corpus/<target> the few inputs the fuzzer found that reach
the most code the seeds do not: libFuzzer's merge lists the edges each
input covers, and a greedy cover picks, smallest first among equals, until
the corpus holds N files or nothing new is reached. Earlier picks (files
named found-NN) are reconsidered each time.

    python3 fuzz/pick-seeds.py inventory_csv [N=20] [MAX_BYTES=4096]

Run from anywhere after `cargo fuzz build`.
"""

import os
import subprocess
import sys
import tempfile

FUZZ = os.path.dirname(os.path.abspath(__file__))
TRIPLE = "x86_64-unknown-linux-gnu"


def main():
    target = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    max_bytes = int(sys.argv[3]) if len(sys.argv) > 3 else 4096
    binary = os.path.join(FUZZ, "target", TRIPLE, "release", target)
    corpus = os.path.join(FUZZ, "corpus", target)
    work = os.path.join(FUZZ, "work", target)
    env = dict(os.environ)
    env.pop("SITEFOLD_FUZZ_STRICT", None)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "merged")
        os.mkdir(out)
        control = os.path.join(tmp, "control")
        subprocess.run(
            [binary, "-merge=1", "-detect_leaks=0", "-rss_limit_mb=2048",
             "-merge_control_file=" + control, out, corpus]
            + ([work] if os.path.isdir(work) else []),
            check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        files, edges = read_control(control)
    found = lambda f: os.path.basename(f).startswith("found-")
    seeds = [i for i, f in enumerate(files) if os.path.dirname(f) == corpus and not found(f)]
    covered = set().union(*(edges.get(i, set()) for i in seeds))
    pool = [i for i in edges if i not in seeds and os.path.getsize(files[i]) <= max_bytes]
    picked = []
    while len(seeds) + len(picked) < n and pool:
        best = max(pool, key=lambda i: (len(edges[i] - covered), -os.path.getsize(files[i])))
        if not edges[best] - covered:
            break
        picked.append(best)
        covered |= edges[best]
        pool.remove(best)
    blobs = [open(files[i], "rb").read() for i in picked]
    for f in os.listdir(corpus):
        if found(f):
            os.remove(os.path.join(corpus, f))
    for k, blob in enumerate(blobs):
        with open(os.path.join(corpus, f"found-{k:02}"), "wb") as f:
            f.write(blob)
    total = len(set().union(*edges.values())) if edges else 0
    print(f"{target}: {len(seeds)} seeds + {len(picked)} found "
          f"({sum(map(len, blobs))} bytes) reach {len(covered)} of the "
          f"{total} edges of the whole corpus")


def read_control(path):
    """The files and the edges each covers, from a libFuzzer merge control file."""
    with open(path) as f:
        lines = f.read().splitlines()
    count = int(lines[0])
    files = lines[2:2 + count]
    edges = {}
    for line in lines[2 + count:]:
        parts = line.split()
        if parts and parts[0] == "COV":
            edges[int(parts[1])] = set(parts[2:])
    return files, edges


if __name__ == "__main__":
    main()
