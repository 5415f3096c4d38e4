#!/bin/sh
# Regenerates Sitefold's icons from the hand-written SVG:
#   assets/icons/sitefold.svg  ->  assets/icons/sitefold-<N>.png (N = 16 ... 512)
#                              ->  assets/icons/sitefold.ico (16 ... 256, PNG entries)
#
# Needs rsvg-convert (Debian: apt-get install librsvg2-bin) and python3 (standard
# library only). Run from anywhere: sh tools/icons/make_icons.sh
# The ICO holds the PNGs as they are (PNG-compressed entries, read by Windows
# Vista and later and by rc.exe / windres), so it is byte-for-byte reproducible.
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
dir="$root/assets/icons"
svg="$dir/sitefold.svg"

command -v rsvg-convert >/dev/null 2>&1 || {
    echo "make_icons.sh: rsvg-convert not found (apt-get install librsvg2-bin)" >&2
    exit 2
}

for n in 16 32 48 64 128 256 512; do
    rsvg-convert --width "$n" --height "$n" --format png "$svg" --output "$dir/sitefold-$n.png"
done

python3 - "$dir" <<'PY'
import struct, sys
d = sys.argv[1]
sizes = [16, 32, 48, 64, 128, 256]
pngs = [open(f"{d}/sitefold-{n}.png", "rb").read() for n in sizes]
for n, p in zip(sizes, pngs):
    assert p[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", p[16:24]) == (n, n), n
# ICONDIR, then one ICONDIRENTRY per image (width/height 0 means 256), then the images.
out = struct.pack("<HHH", 0, 1, len(sizes))
offset = 6 + 16 * len(sizes)
for n, p in zip(sizes, pngs):
    out += struct.pack("<BBBBHHII", n % 256, n % 256, 0, 0, 1, 32, len(p), offset)
    offset += len(p)
out += b"".join(pngs)
open(f"{d}/sitefold.ico", "wb").write(out)
PY

ls -l "$dir"
