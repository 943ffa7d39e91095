"""Vietnamese text helpers used by query generation and by the success check.

Deliberately independent of VanBan's VietText module: the harness must not share code with
the engine it measures.
"""

from __future__ import annotations

import re
import unicodedata

# Combining tone marks: grave, acute, tilde, hook above, dot below.
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
WORD_RE = re.compile(r"\w+")
_WS_RE = re.compile(r"\s+")
# Onset consonant letters (lower case, base letters only).
_OPEN_NUCLEUS_RE = re.compile(r"([bcdfghklmnpqrstvxđ]*)(oa|oe|uy)")


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def fold(s: str) -> str:
    """Lower case, all combining marks removed, đ -> d: what a user types without diacritics."""
    d = unicodedata.normalize("NFD", s.lower())
    d = "".join(ch for ch in d if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", d.replace("đ", "d"))


def has_diacritic(s: str) -> bool:
    return fold(s) != s.lower()


def title_key(title: str) -> str:
    """Identity of a title for deduplication and the success check: NFC, whitespace collapsed,
    lower case, folded. Two documents whose titles have the same key count as the same title."""
    return fold(_WS_RE.sub(" ", nfc(title)).strip())


def folded_words(s: str) -> list[str]:
    return WORD_RE.findall(fold(s))


def swap_tone_placement(word: str) -> str | None:
    """hóa <-> hoá, thủy <-> thuỷ, Ủy <-> Uỷ, khỏe <-> khoẻ ...

    Only for open syllables whose nucleus is oa / oe / uy (no final consonant) carrying exactly
    one tone mark and no other diacritic; 'qu' + y (quý) has no variant. Case is preserved.
    Returns None when the word has no tone-placement variant."""
    parts: list[list] = []  # [base char, [combining marks]]
    for ch in unicodedata.normalize("NFD", word):
        if unicodedata.combining(ch):
            if not parts:
                return None
            parts[-1][1].append(ch)
        else:
            parts.append([ch, []])
    base = "".join(p[0] for p in parts).lower()
    m = _OPEN_NUCLEUS_RE.fullmatch(base)
    if not m or m.group(1).endswith("q"):
        return None
    marks = [(i, mk) for i, p in enumerate(parts) for mk in p[1]]
    if len(marks) != 1 or marks[0][1] not in TONE_MARKS:
        return None
    first = len(m.group(1))
    pos, mark = marks[0]
    if pos == first:
        target = first + 1
    elif pos == first + 1:
        target = first
    else:
        return None
    parts[pos][1] = []
    parts[target][1] = [mark]
    return nfc("".join(p[0] + "".join(p[1]) for p in parts))
