"""The byte charts of the legacy Vietnamese encodings, as data.

One module for both sides: scripts/dev/gen-encoding-tables.py turns these charts into
Sources/Extraction/Encodings/EncodingTables.swift (the decoders), and
scripts/bench/bench-encodings uses them to encode test texts (the encoders), so the two can
only disagree through the Swift decoding logic, which is what the benchmark measures.

Sources of the facts (the charts are published; no code was taken from them):
  - TCVN3 (ABC), TCVN 5712:1993 VN3: the standard's high half as glibc's TCVN5712-1 and the
    vietunicode charset pages chart it; VN3 keeps only the 67 lower-case letters, 7 capitals
    without tone (A1-A7) and the no-break space. The positions VN2 adds (capitals with tone,
    and the five combining tones B0-B4) are decoded too, marked below, but never written by
    the encoder: an ABC document writes a capital with tone as the lower-case byte in the
    capital font (.VnTimeH), which is why case can be lost.
  - VISCII 1.1 (RFC 1456), as charted on vietunicode and in glibc.
  - VPS: the chart Mozilla's converter table (vps.ut) and Unikey's VnConv charts give.
  - VNI-Windows: a base letter followed by a mark byte (a + F9 = a-acute), the chart of the
    VNI fonts as Unikey's VnConv and xvnkb list it; a few letters are single bytes.
  - Windows-1258: Python's standard cp1258 codec (Microsoft's published table).
Bytes a chart leaves out are, in these Windows-era font encodings, the Windows-1252
punctuation (curly quotes, dashes) Word stored in the same fonts (TCVN3 and VNI, 0x80-0x9F).
"""

import unicodedata

def _pairs(text):
    """'A1:0102 A2:00C2' -> {0xA1: 0x0102, 0xA2: 0x00C2}"""
    out = {}
    for item in text.split():
        b, c = item.split(":")
        out[int(b, 16)] = int(c, 16)
    return out

# TCVN3: high half A0-FF (positions not listed map to the same Latin-1 scalar: A0 no-break
# space, FD y-acute).
TCVN3_HIGH = _pairs("""
    A1:0102 A2:00C2 A3:00CA A4:00D4 A5:01A0 A6:01AF A7:0110 A8:0103
    A9:00E2 AA:00EA AB:00F4 AC:01A1 AD:01B0 AE:0111 AF:1EB0 B0:0300
    B1:0309 B2:0303 B3:0301 B4:0323 B5:00E0 B6:1EA3 B7:00E3 B8:00E1
    B9:1EA1 BA:1EB2 BB:1EB1 BC:1EB3 BD:1EB5 BE:1EAF BF:1EB4 C0:1EAE
    C1:1EA6 C2:1EA8 C3:1EAA C4:1EA4 C5:1EC0 C6:1EB7 C7:1EA7 C8:1EA9
    C9:1EAB CA:1EA5 CB:1EAD CC:00E8 CD:1EC2 CE:1EBB CF:1EBD D0:00E9
    D1:1EB9 D2:1EC1 D3:1EC3 D4:1EC5 D5:1EBF D6:1EC7 D7:00EC D8:1EC9
    D9:1EC4 DA:1EBE DB:1ED2 DC:0129 DD:00ED DE:1ECB DF:00F2 E0:1ED4
    E1:1ECF E2:00F5 E3:00F3 E4:1ECD E5:1ED3 E6:1ED5 E7:1ED7 E8:1ED1
    E9:1ED9 EA:1EDD EB:1EDF EC:1EE1 ED:1EDB EE:1EE3 EF:00F9 F0:1ED6
    F1:1EE7 F2:0169 F3:00FA F4:1EE5 F5:1EEB F6:1EED F7:1EEF F8:1EE9
    F9:1EF1 FA:1EF3 FB:1EF7 FC:1EF9 FE:1EF5 FF:1ED0
""")
# The VN2 additions among them (not in VN3; decoded, never encoded).
TCVN3_VN2_ONLY = {0xAF, 0xB0, 0xB1, 0xB2, 0xB3, 0xB4, 0xBA, 0xBF, 0xC0, 0xC1, 0xC2, 0xC3, 0xC4,
                  0xC5, 0xCD, 0xD9, 0xDA, 0xDB, 0xE0, 0xF0, 0xFF}

# VISCII: every position that differs from Latin-1 (the rest of the high half is Latin-1's
# own letters: C0 A-grave, C1 A-acute, ...).
VISCII = _pairs("""
    02:1EB2 05:1EB4 06:1EAA 14:1EF6 19:1EF8 1E:1EF4 80:1EA0 81:1EAE
    82:1EB0 83:1EB6 84:1EA4 85:1EA6 86:1EA8 87:1EAC 88:1EBC 89:1EB8
    8A:1EBE 8B:1EC0 8C:1EC2 8D:1EC4 8E:1EC6 8F:1ED0 90:1ED2 91:1ED4
    92:1ED6 93:1ED8 94:1EE2 95:1EDA 96:1EDC 97:1EDE 98:1ECA 99:1ECE
    9A:1ECC 9B:1EC8 9C:1EE6 9D:0168 9E:1EE4 9F:1EF2 A0:00D5 A1:1EAF
    A2:1EB1 A3:1EB7 A4:1EA5 A5:1EA7 A6:1EA9 A7:1EAD A8:1EBD A9:1EB9
    AA:1EBF AB:1EC1 AC:1EC3 AD:1EC5 AE:1EC7 AF:1ED1 B0:1ED3 B1:1ED5
    B2:1ED7 B3:1EE0 B4:01A0 B5:1ED9 B6:1EDD B7:1EDF B8:1ECB B9:1EF0
    BA:1EE8 BB:1EEA BC:1EEC BD:01A1 BE:1EDB BF:01AF C4:1EA2 C5:0102
    C6:1EB3 C7:1EB5 CB:1EBA CE:0128 CF:1EF3 D0:0110 D1:1EE9 D5:1EA1
    D6:1EF7 D7:1EEB D8:1EED DB:1EF9 DC:1EF5 DE:1EE1 DF:01B0 E4:1EA3
    E5:0103 E6:1EEF E7:1EAB EB:1EBB EE:0129 EF:1EC9 F0:0111 F1:1EF1
    F6:1ECF F7:1ECD F8:1EE5 FB:0169 FC:1EE7 FE:1EE3 FF:1EEE
""")

# VPS: the C0 letters and the whole high half.
VPS = _pairs("""
    02:1EA0 03:1EAC 04:1EB6 05:1EB8 06:1EC6 10:1ECA 11:1ECC 12:1ED8
    13:1EE2 14:1EE4 15:1EF0 19:1EF4 1C:1EAA 1D:1EEE
    80:00C0 81:1EA2 82:00C3 83:1EA4 84:1EA6 85:1EA8 86:1ECD 87:1ED7
    88:0102 89:1EBF 8A:1EC1 8B:1EC3 8C:1EC7 8D:1EAE 8E:1EB0 8F:1EB2
    90:1EBE 91:2018 92:2019 93:1EC0 94:1EC2 95:1EC4 96:1ED0 97:1ED2
    98:1ED4 99:1ED6 9A:00FD 9B:1EF7 9C:1EF5 9D:1EDA 9E:1EDC 9F:1EDE
    A0:00A0 A1:1EAF A2:1EB1 A3:1EB3 A4:1EB5 A5:1EB7 A6:1EE0 A7:1EDB
    A8:00D9 A9:1EDD AA:1EDF AB:1EE1 AC:0168 AD:1EE8 AE:1EE3 AF:1EEA
    B0:1ED5 B1:1EEC B2:1EF2 B3:1EF8 B4:00CD B5:00CC B6:1ED9 B7:1EC8
    B8:0128 B9:00D3 BA:1EED BB:1EEF BC:00D2 BD:1ECE BE:00D5 BF:1EF1
    C0:1EA7 C1:00C1 C2:00C2 C3:1EA5 C4:1EA9 C5:1EAB C6:1EAD C7:0111
    C8:1EBB C9:00C9 CA:00CA CB:1EB9 CC:1EC9 CD:1EC5 CE:1ECB CF:1EF9
    D0:01AF D1:1EE6 D2:1ED3 D3:1ED1 D4:00D4 D5:1ECF D6:01A1 D7:00C8
    D8:1EEB D9:1EE9 DA:00DA DB:0169 DC:01B0 DD:00DD DE:1EBA DF:00DF
    E0:00E0 E1:00E1 E2:00E2 E3:00E3 E4:1EA3 E5:1EA1 E6:0103 E7:00E7
    E8:00E8 E9:00E9 EA:00EA EB:1EBD EC:00EC ED:00ED EE:00EE EF:0129
    F0:1EB4 F1:0110 F2:00F2 F3:00F3 F4:00F4 F5:00F5 F6:00F6 F7:01A0
    F8:1EE5 F9:00F9 FA:00FA FB:1EE7 FC:00FC FD:1EF6 FE:1EBC FF:1EF3
""")

# VNI-Windows. Mark bytes follow the base letter; each stands for one or two combining marks
# (circumflex or breve, then the tone). Lower-case marks go with lower-case bases, upper-case
# marks with capitals.
GRAVE, ACUTE, HOOK, TILDE, DOT, CIRC, BREVE, HORN = 0x300, 0x301, 0x309, 0x303, 0x323, 0x302, 0x306, 0x31B
VNI_MARKS_LOWER = {
    0xF9: (ACUTE,), 0xF8: (GRAVE,), 0xFB: (HOOK,), 0xF5: (TILDE,), 0xEF: (DOT,),
    0xE2: (CIRC,), 0xE1: (CIRC, ACUTE), 0xE0: (CIRC, GRAVE), 0xE5: (CIRC, HOOK), 0xE3: (CIRC, TILDE), 0xE4: (CIRC, DOT),
    0xEA: (BREVE,), 0xE9: (BREVE, ACUTE), 0xE8: (BREVE, GRAVE), 0xFA: (BREVE, HOOK), 0xFC: (BREVE, TILDE), 0xEB: (BREVE, DOT),
}
VNI_MARKS_UPPER = {
    0xD9: (ACUTE,), 0xD8: (GRAVE,), 0xDB: (HOOK,), 0xD5: (TILDE,), 0xCF: (DOT,),
    0xC2: (CIRC,), 0xC1: (CIRC, ACUTE), 0xC0: (CIRC, GRAVE), 0xC5: (CIRC, HOOK), 0xC3: (CIRC, TILDE), 0xC4: (CIRC, DOT),
    0xCA: (BREVE,), 0xC9: (BREVE, ACUTE), 0xC8: (BREVE, GRAVE), 0xDA: (BREVE, HOOK), 0xDC: (BREVE, TILDE), 0xCB: (BREVE, DOT),
}
# Letters that are one byte of their own (o-horn, u-horn, d-stroke, the toned i, y-dot).
VNI_LETTERS = {
    0xF4: 0x01A1, 0xF6: 0x01B0, 0xF1: 0x0111, 0xED: 0x00ED, 0xEC: 0x00EC, 0xE6: 0x1EC9, 0xF3: 0x0129,
    0xF2: 0x1ECB, 0xEE: 0x1EF5,
    0xD4: 0x01A0, 0xD6: 0x01AF, 0xD1: 0x0110, 0xCD: 0x00CD, 0xCC: 0x00CC, 0xC6: 0x1EC8, 0xD3: 0x0128,
    0xD2: 0x1ECA, 0xCE: 0x1EF4,
}

def windows1252(b):
    """The Windows-1252 scalar of byte b (undefined positions keep their Latin-1 value)."""
    try:
        return ord(bytes([b]).decode("cp1252"))
    except UnicodeDecodeError:
        return b

def cp1258(b):
    """The Windows-1258 scalar of byte b, or None where the code page defines none."""
    try:
        return ord(bytes([b]).decode("cp1258"))
    except UnicodeDecodeError:
        return None

def tcvn3(b):
    if b < 0x80: return b
    if b < 0xA0: return windows1252(b)
    return TCVN3_HIGH.get(b, b)

def viscii(b):
    return VISCII.get(b, b)

def vps(b):
    return VPS.get(b, b)

def vni_single(b):
    """The scalar of a VNI byte read on its own (not as a mark after a letter)."""
    if b < 0x80: return b
    return VNI_LETTERS.get(b, windows1252(b))

# ---- encoders (for the benchmark and the tests' fixtures) ----

def _table_encoder(decode, skip=()):
    reverse = {}
    for b in range(256):
        if b in skip: continue
        c = decode(b)
        if c is not None and c not in reverse: reverse[c] = bytes([b])
    return reverse

def _fallback_ascii(ch):
    return ch.encode("ascii", "replace")

class ByteEncoder:
    """Unicode text -> bytes of one single-byte chart. Letters the chart lacks: TCVN3 writes a
    capital with tone as its lower-case byte (the capital font's way); anything else becomes '?'."""
    def __init__(self, decode, skip=(), lower_fallback=False):
        self.reverse = _table_encoder(decode, skip)
        self.lower_fallback = lower_fallback
    def encode(self, text):
        out = bytearray()
        for ch in unicodedata.normalize("NFC", text):
            cp = ord(ch)
            if cp < 0x80: out.append(cp); continue
            b = self.reverse.get(cp)
            if b is None and self.lower_fallback:
                b = self.reverse.get(ord(ch.lower())) if len(ch.lower()) == 1 else None
            out += b if b is not None else _fallback_ascii(ch)
        return bytes(out)

def encode_vni(text):
    lower_marks = {v: k for k, v in VNI_MARKS_LOWER.items()}
    upper_marks = {v: k for k, v in VNI_MARKS_UPPER.items()}
    letters = {v: k for k, v in VNI_LETTERS.items()}
    others = {}
    for b in range(0x80, 0x100):
        if b not in VNI_LETTERS and b not in VNI_MARKS_LOWER and b not in VNI_MARKS_UPPER:
            others.setdefault(windows1252(b), b)
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        cp = ord(ch)
        if cp < 0x80: out.append(cp); continue
        if cp in letters: out.append(letters[cp]); continue
        d = unicodedata.normalize("NFD", ch)
        base = d[0]
        # NFD orders the dot below before the circumflex; VNI writes the vowel's modifier first.
        marks = tuple(sorted((ord(m) for m in d[1:]), key=lambda m: 0 if m in (CIRC, BREVE, HORN) else 1))
        if HORN in marks:
            # o-horn and u-horn are letters of their own; the tone follows as a mark byte.
            horned = ord(unicodedata.normalize("NFC", base + "\u031B"))
            marks = tuple(m for m in marks if m != HORN)
            head = letters.get(horned)
        elif ord(base) < 0x80 and marks:
            head = ord(base)
        else:
            head = None
        code = (upper_marks if ch.isupper() else lower_marks).get(marks) if marks else None
        if head is not None and (code is not None or not marks):
            out.append(head)
            if code is not None: out.append(code)
        elif cp in others:
            out.append(others[cp])
        else:
            out += b"?"
    return bytes(out)

def encode_cp1258(text):
    """Windows-1258 through Python's codec: letters the code page has precomposed stay so, the
    others become base + combining tone (the codec wants them decomposed first)."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258"); continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        # Keep the vowel's own modifier (circumflex, breve, horn) composed with the base.
        base = d[0]
        rest = ""
        for m in d[1:]:
            if m in "\u0302\u0306\u031B" and len(unicodedata.normalize("NFC", base + m)) == 1:
                base = unicodedata.normalize("NFC", base + m)
            else:
                rest += m
        try:
            out += (base + rest).encode("cp1258")
        except UnicodeEncodeError:
            out += b"?"
    return bytes(out)

VIQR_TONES = {GRAVE: "`", ACUTE: "'", HOOK: "?", TILDE: "~", DOT: "."}
VIQR_MODS = {CIRC: "^", BREVE: "(", HORN: "+"}
VIQR_MARK_CHARS = set("`'?~.^(+")

def encode_viqr(text):
    """RFC 1456 VIQR: vowel, then its modifier, then its tone; dd for d-stroke; a mark
    character that follows a vowel literally is escaped with a backslash."""
    out = []
    prev_vowel = False
    for ch in unicodedata.normalize("NFC", text):
        if ch == "đ": out.append("dd"); prev_vowel = False; continue
        if ch == "Đ": out.append("DD"); prev_vowel = False; continue
        d = unicodedata.normalize("NFD", ch)
        base = d[0]
        if base.lower() in "aeiouy" and ord(base) < 0x80:
            marks = [ord(m) for m in d[1:]]
            s = base + "".join(VIQR_MODS[m] for m in marks if m in VIQR_MODS) + "".join(VIQR_TONES[m] for m in marks if m in VIQR_TONES)
            out.append(s); prev_vowel = True; continue
        if ch in VIQR_MARK_CHARS and prev_vowel:
            out.append("\\" + ch); prev_vowel = False; continue
        if ch == "\\": out.append("\\\\"); prev_vowel = False; continue
        if ch in "dD" and out and out[-1] in ("d", "D") : out.append("\\" + ch); prev_vowel = False; continue
        out.append(ch); prev_vowel = False
    return "".join(out).encode("ascii", "replace")

ENCODERS = {
    "tcvn3": ByteEncoder(tcvn3, skip=TCVN3_VN2_ONLY, lower_fallback=True).encode,
    "vni-windows": encode_vni,
    "viscii": ByteEncoder(viscii).encode,
    "vps": ByteEncoder(vps).encode,
    "windows-1258": encode_cp1258,
    "viqr": encode_viqr,
}
