#!/bin/sh
# Rebuilds NotoSansSC-Report.otf, the subset of Noto Sans CJK SC Regular that credit-report PDFs
# embed (krilla subsets it again per PDF). Needs Debian's fonts-noto-cjk and fonttools:
#   DEBIAN_FRONTEND=noninteractive apt-get install -y fonts-noto-cjk
#   pip install fonttools
# Run from the repository root: sh crates/services/assets/fonts/make_subset.sh
set -eu
HERE=crates/services/assets/fonts
TTC=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
python3 - "$HERE/chars.txt" <<'PY'
import pathlib, sys
chars = set()
# ASCII, Latin-1 punctuation, general punctuation, CJK symbols and punctuation, full-width forms.
for lo, hi in [(0x20, 0x7E), (0xA0, 0xFF), (0x2010, 0x205E), (0x2100, 0x215F), (0x2190, 0x21FF),
               (0x2460, 0x24FF), (0x25A0, 0x25FF), (0x2600, 0x26FF), (0x3000, 0x303F),
               (0xFF01, 0xFF5E), (0xFFE0, 0xFFEE)]:
    chars.update(chr(c) for c in range(lo, hi + 1))
# Every GB2312 hanzi (rows 0xB0-0xF7) and every other GB2312 symbol row (0xA1-0xA9).
for hi in list(range(0xA1, 0xAA)) + list(range(0xB0, 0xF8)):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode('gb2312'))
        except UnicodeDecodeError:
            pass
# Every character the catalogue, the models and the page templates use.
for root in ['catalog', 'models', 'crates/web/templates', 'crates/web/src/i18n.rs',
             'crates/services/src/report']:
    p = pathlib.Path(root)
    files = [p] if p.is_file() else [f for f in p.rglob('*') if f.is_file()]
    for f in files:
        try:
            chars.update(f.read_text(encoding='utf-8'))
        except (UnicodeDecodeError, OSError):
            pass
chars = sorted(c for c in chars if ord(c) >= 0x20)
pathlib.Path(sys.argv[1]).write_text(''.join(chars), encoding='utf-8')
print(len(chars), 'characters')
PY
pyftsubset "$TTC" --font-number=2 --text-file="$HERE/chars.txt" \
  --layout-features='*' --no-hinting --desubroutinize \
  --name-IDs='*' --name-languages='*' --notdef-outline \
  --output-file="$HERE/NotoSansSC-Report.otf"
ls -l "$HERE/NotoSansSC-Report.otf"
