#!/bin/sh
# The four macOS modifier symbols (⌘ ⌥ ⇧ ⌃) that the bundled CJK font
# lacks, cut from DejaVu Sans (Debian's fonts-dejavu-core; Bitstream Vera
# and public-domain licence, see assets/fonts/LICENSE-DejaVu.txt), so that
# menus on a Mac show ⌘O rather than Cmd+O.
#   apt-get install -y fonts-dejavu-core && pip install fonttools
set -eu
cd "$(dirname "$0")/../.."
pyftsubset /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf \
  --unicodes=U+2318,U+2325,U+21E7,U+2303 \
  --layout-features='' --no-hinting --desubroutinize \
  --name-IDs='*' --name-languages='*' \
  --output-file=assets/fonts/DejaVuSans-MacSymbols.ttf
