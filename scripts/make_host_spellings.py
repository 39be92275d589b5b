"""Write parsers/data/host-spellings.tsv: the spellings a government host may use for a division (pinyin, initials),
each with the one division it names. Run after the division table changes; tests check the file is current.

    .venv/bin/python scripts/make_host_spellings.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from pypinyin import Style, lazy_pinyin

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from parsers.divisions import all_divisions  # noqa: E402
from parsers.places import SPELLINGS  # noqa: E402

MIN_INITIALS = 4  # three letters (als) fit too many places by chance


def _spell(text: str) -> str:
    return "".join(lazy_pinyin(text))


def _initials(text: str) -> str:
    return "".join(lazy_pinyin(text, style=Style.FIRST_LETTER))


def spellings() -> str:
    """form → division code, for the forms exactly one county- or city-level division has."""
    found: dict[str, set[str]] = {}
    everything = {d.code: d for d in all_divisions()}
    for d in all_divisions():
        if d.level == "province":
            continue
        stem, suffix = d.stem, d.name[len(d.stem):]
        forms = {_spell(stem), _spell(stem) + _spell(suffix)}
        initials = {_initials(d.name)}
        for code in filter(None, {d.province_code, d.city_code}):
            if (above := everything.get(code)) is not None and above is not d:
                initials.add(_initials(above.stem) + _initials(stem))
                forms.add(_initials(above.stem) + _spell(stem))
        forms |= {form for form in initials if len(form) >= MIN_INITIALS}
        for form in forms:
            if len(form) >= 3:
                found.setdefault(form, set()).add(d.code)
    rows = sorted((form, codes.pop()) for form, codes in found.items() if len(codes) == 1)
    return "".join(f"{form}\t{code}\n" for form, code in rows)


if __name__ == "__main__":
    SPELLINGS.write_text(spellings(), "utf-8")
    print(f"{SPELLINGS}: {spellings().count(chr(10))} spellings")
