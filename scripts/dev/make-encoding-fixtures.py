#!/usr/bin/env python3
"""Writes Tests/Fixtures/encodings/: a seed (Tests/Fixtures/seeds/000_*.txt) and a text with
every Vietnamese letter (both cases, all five tones, đ/Đ), each encoded into TCVN3, VNI-Windows,
VISCII, VPS, Windows-1258 and VIQR with the chart encoders of scripts/dev/vietnamese_charts.py,
plus UTF-16 LE/BE with and without a byte order mark. The Extraction tests read them back and
compare with the UTF-8 originals.

Run: python3 scripts/dev/make-encoding-fixtures.py
"""
import glob, os, sys, unicodedata
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import vietnamese_charts as charts

out = os.path.join(ROOT, "Tests", "Fixtures", "encodings")
os.makedirs(out, exist_ok=True)

vowels = "aăâeêioôơuưy"
tones = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
lower = [unicodedata.normalize("NFC", v + t) for v in vowels for t in tones]
lines = [" ".join(lower) + " đ", " ".join(x.upper() for x in lower) + " Đ",
         "Cộng hòa xã hội chủ nghĩa Việt Nam",
         "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
         "Độc lập - Tự do - Hạnh phúc",
         "QUYẾT ĐỊNH VỀ VIỆC BAN HÀNH QUY CHẾ",
         "Ủy ban nhân dân tỉnh Thanh Hóa. Ở đâu cũng vậy.",
         "Điều 1. Nguyễn Văn Ánh, Đặng Thị Ửng, Trương Ỷ."]
letters = "\n".join(lines) + "\n"
seed = open(sorted(glob.glob(os.path.join(ROOT, "Tests", "Fixtures", "seeds", "000_*.txt")))[0], encoding="utf-8").read()

def write(name, data):
    with open(os.path.join(out, name), "wb") as f: f.write(data)

write("letters.utf8.txt", letters.encode("utf-8"))
for enc, f in charts.ENCODERS.items():
    write(f"letters.{enc}.txt", f(letters))
    write(f"seed.{enc}.txt", f(seed))
write("seed.utf16le-bom.txt", b"\xff\xfe" + seed.encode("utf-16-le"))
write("seed.utf16be-bom.txt", b"\xfe\xff" + seed.encode("utf-16-be"))
write("seed.utf16le.txt", seed.encode("utf-16-le"))
write("seed.utf16be.txt", seed.encode("utf-16-be"))
