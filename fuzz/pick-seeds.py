#!/usr/bin/env python3
"""Picks a small seed corpus for one fuzz target.

After a fuzzing run has grown fuzz/work/<target>, this keeps the committed
corpus small: libFuzzer's merge lists the features each input reaches, and
a greedy cover picks at most N inputs (smallest first among equals) that
reach the most features. The chosen files replace fuzz/corpus/<target>.

    python3 fuzz/pick-seeds.py inventory_csv [N=20] [MAX_BYTES=4096]

Run from the repository root after `cargo fuzz build` (it runs the built
fuzzer with -merge=1 over the committed and the work corpus).
"""

import os
import shutil
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
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "merged")
        os.mkdir(out)
        control = os.path.join(tmp, "control")
        env = dict(os.environ)
        env.pop("SITEFOLD_FUZZ_STRICT", None)
        subprocess.run(
            [binary, "-merge=1", "-detect_leaks=0", "-rss_limit_mb=2048",
             "-merge_control_file=" + control, out, corpus]
            + ([work] if os.path.isdir(work) else []),
            check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        files, features = read_control(control)
        chosen = greedy(files, features, n, max_bytes)
        total = len(set().union(*features.values())) if features else 0
        got = len(set().union(*(features[i] for i in chosen))) if chosen else 0
        keep = [files[i] for i in chosen]
        names = [pick_name(path, k) for k, path in enumerate(keep)]
        data = [open(path, "rb").read() for path in keep]
    shutil.rmtree(corpus)
    os.mkdir(corpus)
    for name, blob in zip(names, data):
        with open(os.path.join(corpus, name), "wb") as f:
            f.write(blob)
    print(f"{target}: {len(keep)} seeds, {sum(map(len, data))} bytes, "
          f"{got} of {total} features of the merged corpus")


def read_control(path):
    """File list and per-file features from a libFuzzer merge control file."""
    with open(path) as f:
        lines = f.read().splitlines()
    count = int(lines[0])
    files = lines[2:2 + count]
    features = {}
    for line in lines[2 + count:]:
        parts = line.split()
        if parts and parts[0] == "FT":
            features[int(parts[1])] = set(parts[2:])
    return files, features


def greedy(files, features, n, max_bytes):
    size = {i: os.path.getsize(files[i]) for i in features}
    pool = [i for i in features if size[i] <= max_bytes]
    covered, chosen = set(), []
    while len(chosen) < n:
        best = max(pool, key=lambda i: (len(features[i] - covered), -size[i]), default=None)
        if best is None or not features[best] - covered:
            break
        chosen.append(best)
        covered |= features[best]
        pool.remove(best)
    return chosen


def pick_name(path, k):
    base = os.path.basename(path)
    # Keep the hand-written seeds' names; number the fuzzer's.
    if len(base) == 40 and all(c in "0123456789abcdef" for c in base):
        return f"found-{k:02}"
    return base


if __name__ == "__main__":
    main()
