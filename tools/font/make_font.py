#!/usr/bin/env python3
"""Build (and check) the bundled Chinese UI font for Sitefold.

Output: assets/fonts/NotoSansSC-Regular.otf, a single-face OpenType/CFF font
subset from the "Noto Sans CJK SC" Regular face of Debian's
fonts-noto-cjk collection (SIL Open Font License 1.1), renamed to
"Noto Sans SC Sitefold" so it is never confused with the full upstream font.

Recipe (reproducible, needs only Debian's fonts-noto-cjk and PyPI's fonttools):

    apt-get install -y fonts-noto-cjk
    pip install fonttools
    python3 tools/font/make_font.py            # build the font
    python3 tools/font/make_font.py --check    # verify coverage of the built file

What the build does:
  1. Opens /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc and picks the
     face whose family name (name ID 1) is "Noto Sans CJK SC" (index 2 in the
     Debian 2.004 file); the script looks it up by name, not by index.
  2. Subsets it with fontTools.subset to UNICODE_RANGES below: all of GB18030's
     BMP repertoire that the source has (CJK Unified Ideographs + Ext. A, CJK
     symbols/punctuation, full-width forms, Latin, Greek, Cyrillic, box drawing,
     arrows, maths, the GBK symbol blocks, kana, bopomofo, ...). Hangul
     syllables, supplementary planes and the Japanese/Korean/Traditional
     `locl` glyph variants are left out; that is what keeps it small.
     CFF outlines, hinting and subroutines are kept as they are.
  3. Adds one glyph the source lacks but GBK needs: U+2252 (≒, GBK 0xA892),
     composed from the font's own ＝ (U+FF1D) and the dots of ∴ (U+2234).
  4. Renames the family, keeps the copyright/licence name records, and saves
     with the source's timestamps so the output is byte-for-byte reproducible
     for a given fonttools version.

--check verifies that every character obtained by decoding all 2-byte GBK
sequences (lead 0x81-0xFE, trail 0x40-0xFE) plus printable ASCII is in the cmap
and maps to a glyph with an outline, draws every glyph through fontTools'
CFF interpreter, and reports which UI symbols are absent.
"""

import argparse
import os
import sys

from fontTools import subset
from fontTools.pens.boundsPen import BoundsPen
from fontTools.pens.recordingPen import RecordingPen
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTFont, TTCollection

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_SRC = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
DEFAULT_OUT = os.path.join(REPO, "assets", "fonts", "NotoSansSC-Regular.otf")
SOURCE_FAMILY = "Noto Sans CJK SC"

FAMILY = "Noto Sans SC Sitefold"
PS_NAME = "NotoSansSCSitefold-Regular"

# Inclusive code point ranges kept in the subset (only code points the source
# actually maps end up in the font).
UNICODE_RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 Supplement
    (0x0100, 0x024F),  # Latin Extended-A/B (pinyin tone letters ǎ ǘ ...)
    (0x0250, 0x02FF),  # IPA, spacing modifiers (ɑ ɡ ˇ ˉ ˊ ˋ ˙)
    (0x0300, 0x036F),  # combining diacritics
    (0x0370, 0x03FF),  # Greek
    (0x0400, 0x04FF),  # Cyrillic
    (0x1E00, 0x1EFF),  # Latin Extended Additional (ḿ, Vietnamese)
    (0x2000, 0x2BFF),  # general punctuation .. misc symbols and arrows
                       # (“ ” — … • ‰ € ℃ № Ⅻ → ∑ ≤ ⌒ ① ─ █ ■ ▲ ○ ★ ⚠ ✓ ...)
    (0x2E80, 0x2FFF),  # CJK radicals, Kangxi radicals, IDCs
    (0x3000, 0x33FF),  # CJK symbols/punctuation, kana, bopomofo, enclosed CJK,
                       # CJK compatibility (㎎ ㎡ ...)
    (0x3400, 0x4DBF),  # CJK Unified Ideographs Extension A
    (0x4DC0, 0x4DFF),  # Yijing hexagram symbols (if present)
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs (GBK has 﨎 﨏 﨑 ...)
    (0xFE10, 0xFE1F),  # vertical forms
    (0xFE30, 0xFE6F),  # CJK compatibility forms, small form variants
    (0xFF00, 0xFFEF),  # half-width and full-width forms (￥ ！ ＡＢＣ ...)
    (0xFFFC, 0xFFFD),  # object replacement, replacement character
]

# OpenType layout features kept. Deliberately NOT kept: locl (would pull in
# the JP/KR/TC/HK glyph variants, +18k glyphs / +5 MB), aalt, hist, ruby and
# the Hangul jamo features.
LAYOUT_FEATURES = [
    "ccmp", "liga", "calt", "dlig", "kern", "mark", "palt", "halt",
    "fwid", "hwid", "pwid", "vert", "vrt2", "vkrn", "vpal", "vhal",
]

# Characters the app's UI is expected to use; --check reports any missing.
UI_SYMBOLS = "“”‘’—…•·→←↑↓¥￥×÷≥≤±%‰✓✗▲▼●○■□★☆⚠"

# Glyphs GBK needs that the source font lacks, and how they are synthesised.
SYNTHESISED = {0x2252: "≒ APPROXIMATELY EQUAL TO OR THE IMAGE OF"}

SIZE_LIMIT = 12 * 1024 * 1024


def unicodes():
    return [u for a, b in UNICODE_RANGES for u in range(a, b + 1)]


def find_face(src):
    coll = TTCollection(src, lazy=True)
    for i, face in enumerate(coll.fonts):
        if face["name"].getDebugName(1) == SOURCE_FAMILY:
            return i
    raise SystemExit(f"no face with family {SOURCE_FAMILY!r} in {src}")


def gbk_chars():
    chars = set()
    for a in range(0x81, 0xFF):
        for b in range(0x40, 0xFF):
            try:
                chars.add(bytes([a, b]).decode("gbk"))
            except UnicodeDecodeError:
                pass
    return chars


def required_chars():
    return gbk_chars() | {chr(c) for c in range(0x20, 0x7F)}


# --- synthesised glyphs -----------------------------------------------------

def _contours(recording):
    """Split a RecordingPen value into a list of contours (lists of ops)."""
    out, cur = [], []
    for op, args in recording:
        cur.append((op, args))
        if op in ("closePath", "endPath"):
            out.append(cur)
            cur = []
    return out


def _bounds(ops):
    pts = [p for _, args in ops for p in args]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


def _replay(ops, pen):
    for op, args in ops:
        getattr(pen, op)(*args)


def add_approx_equal_image(font):
    """Add U+2252 ≒: full-width ＝ with a dot above-left and below-right."""
    cmap = font.getBestCmap()
    if 0x2252 in cmap:
        return None
    gs = font.getGlyphSet()
    eq_name, dots_name = cmap[0xFF1D], cmap[0x2234]  # ＝ and ∴
    eq = RecordingPen()
    gs[eq_name].draw(eq)
    dots = RecordingPen()
    gs[dots_name].draw(dots)
    eq_box = _bounds(eq.value)
    # ∴ has three dots: one on top, two on the baseline; take the lower two.
    lower = sorted(_contours(dots.value), key=lambda c: (_bounds(c)[1], _bounds(c)[0]))[:2]
    left, right = sorted(lower, key=lambda c: _bounds(c)[0])
    lb, rb = _bounds(left), _bounds(right)
    gap = 55  # space between a dot and the bar it sits next to
    dy_left = eq_box[3] + gap - lb[1]    # above the upper bar
    dy_right = eq_box[1] - gap - rb[3]   # below the lower bar

    cff = font["CFF "].cff
    top = cff.topDictIndex[0]
    cs = top.CharStrings
    _, fd = cs.getItemAndSelector(eq_name)
    private = top.FDArray[fd].Private if fd is not None else top.Private
    advance = font["hmtx"][eq_name][0]

    pen = T2CharStringPen(None if advance == private.defaultWidthX
                          else advance - private.nominalWidthX, gs)
    _replay(eq.value, pen)
    _replay(left, TransformPen(pen, (1, 0, 0, 1, 0, dy_left)))
    _replay(right, TransformPen(pen, (1, 0, 0, 1, 0, dy_right)))
    charstring = pen.getCharString(private=private, globalSubrs=cff.GlobalSubrs)

    # Pick a CID unused in this subset (ROS is Adobe-Identity-0, so any free
    # CID below CIDCount will do); prefer the highest one.
    used = set(font.getGlyphOrder())
    cid = top.CIDCount - 1
    while f"cid{cid:05d}" in used:
        cid -= 1
    name = f"cid{cid:05d}"

    assert cs.charStringsAreIndexed
    cs.charStringsIndex.append(charstring)
    cs.charStrings[name] = len(cs.charStringsIndex) - 1
    if fd is not None:
        top.FDSelect.gidArray.append(fd)
        top.FDSelect.format = None
    top.charset.append(name)
    order = font.getGlyphOrder() + [name]
    font.setGlyphOrder(order)

    bp = BoundsPen(None)
    charstring.draw(bp)
    xmin, ymin, xmax, ymax = (round(v) for v in bp.bounds)
    font["hmtx"][name] = (advance, xmin)
    if "vmtx" in font:
        origin = font["VORG"].defaultVertOriginY if "VORG" in font else font["head"].unitsPerEm
        font["vmtx"][name] = (font["vmtx"][eq_name][0], origin - ymax)
    for table in font["cmap"].tables:
        if table.isUnicode() and table.format in (4, 12):
            table.cmap[0x2252] = name
    return name


# --- naming -----------------------------------------------------------------

def rename(font):
    name = font["name"]
    version = name.getDebugName(5) or ""
    for rec in list(name.names):
        if rec.nameID in (1, 4, 16, 18):
            name.setName(FAMILY, rec.nameID, rec.platformID, rec.platEncID, rec.langID)
        elif rec.nameID == 3:
            name.setName(f"{version.split(';')[0].replace('Version ', '')};{PS_NAME};sitefold-subset",
                         3, rec.platformID, rec.platEncID, rec.langID)
        elif rec.nameID == 5:
            name.setName(f"{version}; subset of {SOURCE_FAMILY} for Sitefold",
                         5, rec.platformID, rec.platEncID, rec.langID)
        elif rec.nameID == 6:
            name.setName(PS_NAME, 6, rec.platformID, rec.platEncID, rec.langID)
    cff = font["CFF "].cff
    cff.fontNames = [PS_NAME]
    top = cff.topDictIndex[0]
    top.FullName = FAMILY
    top.FamilyName = FAMILY
    # The TTC shares one CFF between its faces, so its internal names are the
    # JP face's ("NotoSansCJKjp-Regular-Ideographs" ...); align them.
    for fd in getattr(top, "FDArray", []):
        if getattr(fd, "FontName", "").startswith("NotoSansCJKjp-Regular"):
            fd.FontName = PS_NAME + fd.FontName[len("NotoSansCJKjp-Regular"):]


# --- build ------------------------------------------------------------------

def build(src, out):
    index = find_face(src)
    print(f"source: {src} face {index} ({SOURCE_FAMILY})")
    font = TTFont(src, fontNumber=index, recalcTimestamp=False)
    opts = subset.Options()
    opts.layout_features = LAYOUT_FEATURES
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.name_legacy = True
    opts.notdef_outline = True
    opts.glyph_names = False
    opts.hinting = True          # keep CFF stem hints and hint masks
    opts.desubroutinize = False  # keep subroutines (smaller file)
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=unicodes())
    sub.subset(font)
    added = add_approx_equal_image(font)
    if added:
        print(f"synthesised U+2252 as {added}")
    rename(font)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    font.save(out)
    print(f"wrote {out}: {os.path.getsize(out)} bytes, {len(font.getGlyphOrder())} glyphs")


# --- check ------------------------------------------------------------------

def check(path):
    ok = True
    with open(path, "rb") as fh:
        magic = fh.read(4)
    kind = {b"OTTO": "OpenType/CFF", b"\0\1\0\0": "TrueType/glyf", b"ttcf": "TTC"}.get(magic, repr(magic))
    print(f"file: {path}")
    print(f"  container: {kind}")
    if magic == b"ttcf":
        print("  FAIL: is a font collection, expected a single face")
        ok = False
    size = os.path.getsize(path)
    print(f"  size: {size} bytes ({size / 1048576:.2f} MiB)")
    if size >= SIZE_LIMIT:
        print(f"  FAIL: larger than {SIZE_LIMIT} bytes")
        ok = False

    font = TTFont(path)
    outline = "CFF" if "CFF " in font else "CFF2" if "CFF2" in font else "glyf" if "glyf" in font else "?"
    order = font.getGlyphOrder()
    print(f"  outlines: {outline}; glyphs: {len(order)}; family: {font['name'].getDebugName(1)!r}")
    cmap = font.getBestCmap()
    print(f"  cmap code points: {len(cmap)}")

    # Every glyph must decode and draw.
    gs = font.getGlyphSet()
    inked = set()
    for g in order:
        bp = BoundsPen(gs)
        gs[g].draw(bp)
        if bp.bounds is not None:
            inked.add(g)
    print(f"  all {len(order)} glyphs drawn; {len(inked)} have outlines")

    req = required_chars()
    gbk = gbk_chars()
    missing = sorted(c for c in req if ord(c) not in cmap)
    blank = sorted(c for c in req if ord(c) in cmap and not c.isspace()
                   and c != "\u3000" and cmap[ord(c)] not in inked)
    print(f"  GBK 2-byte chars checked: {len(gbk)}; + printable ASCII: {len(req)} distinct")
    if missing:
        ok = False
        print(f"  FAIL: {len(missing)} not in cmap: " + " ".join(f"U+{ord(c):04X}" for c in missing))
    else:
        print(f"  all {len(req)} GBK + ASCII chars are in the cmap")
    if blank:
        ok = False
        print(f"  FAIL: {len(blank)} map to empty glyphs: " + " ".join(f"U+{ord(c):04X}" for c in blank))

    uro = sum(1 for u in range(0x4E00, 0xA000) if u in cmap)
    ext_a = sum(1 for u in range(0x3400, 0x4DC0) if u in cmap)
    print(f"  CJK Unified Ideographs: {uro}/20992; Ext. A: {ext_a}/6592")
    absent = [c for c in UI_SYMBOLS if ord(c) not in cmap]
    print("  UI symbols absent: " + (" ".join(f"{c} U+{ord(c):04X}" for c in absent) if absent else "none"))
    for u, label in SYNTHESISED.items():
        print(f"  synthesised: U+{u:04X} {label}: {'present' if u in cmap else 'MISSING'}")
    print("check: " + ("OK" if ok else "FAILED"))
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--src", default=DEFAULT_SRC, help="Noto Sans CJK Regular TTC")
    ap.add_argument("--out", default=DEFAULT_OUT, help="output .otf")
    ap.add_argument("--check", action="store_true", help="only check the output file")
    args = ap.parse_args()
    if not args.check:
        build(args.src, args.out)
    sys.exit(0 if check(args.out) else 1)


if __name__ == "__main__":
    main()
