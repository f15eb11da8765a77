"""Date phrases: located with per-language patterns, then resolved against an anchor date.

Only phrases that look like dates are parsed: "Selasa 3 Oktober 2023", "Senin (12/2/2024)",
"Tuesday (Oct. 3)", "October 5, 2023", "pada 5 Maret lalu", "On 22 August". A phrase
without a year takes the year that puts it on or before the anchor (the article date).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from ..model import one_call_init
from .rules import fold, lang_rules, letter_tree, text_words

__all__ = ["DateSpan", "find_dates", "find_full_dates", "resolve_weekday", "date_patterns"]


@one_call_init
@dataclass(frozen=True)
class DateSpan:
    """A date phrase: offsets into the searched text, the date, and its form."""

    start: int
    end: int
    text: str
    value: date | None  # None when the phrase is a bare weekday (resolved later)
    kind: str  # "full", "dm" (no year in text), "weekday", "numeric"
    weekday: int | None = None
    until: date | None = None  # the last day of a range ("10-12 Juni 2024": value the 10th, until the 12th)


def _alt(words) -> str:
    """The words as one alternation, longest first, as a tree of shared letters
    (:func:`~kg.extract.rules.letter_tree`): "o(?:kt(?:ober|))|j(?:...)"."""
    return letter_tree(sorted(words, key=lambda w: len(re.escape(w)), reverse=True))


@lru_cache(maxsize=None)
def date_patterns(langs: tuple[str, ...]) -> list[tuple[str, re.Pattern[str], str]]:
    """Compiled date patterns over the month and weekday words of ``langs``: (kind, regex,
    what a text needs for it to match: "year" (four digits in a row), "(" or nothing; a
    cheap test that spares a scan of the text)."""
    months: set[str] = set()
    weekdays: set[str] = set()
    for lang in langs:
        r = lang_rules(lang)
        months |= set(r.raw["months"])
        weekdays |= set(r.raw["weekdays"])
    mo = _alt(months)
    wd = _alt(weekdays)
    wdp = rf"(?:(?P<wd>{wd})\s*,?\s*)"
    f = re.IGNORECASE
    # the characters a match can start with: a cheap test at each position before the
    # word alternations are tried
    mo1 = "".join(sorted({re.escape(w[0]) for w in months if w}))
    wd1 = "".join(sorted({re.escape(w[0]) for w in weekdays if w}))
    firsts = [r"\d(" + wd1, wd1 + mo1, wd1 + "(", wd1, wd1 + r"\d", wd1 + mo1, mo1, wd1]
    pats = [
        # Selasa 3 Oktober 2023 / Thursday, 24 August 2023 / 15 January 2024
        ("full", "year", re.compile(rf"(?<!\w){wdp}?(?:\(\s*)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{mo})\.?,?\s+(?P<y>\d{{4}})(?:\s*\))?(?!\w)", f)),
        # Thursday, October 5, 2023 / July 13, 2023
        ("full", "year", re.compile(rf"(?<!\w){wdp}?(?P<m>{mo})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?!\w)", f)),
        # Senin (12/2/2024) / Selasa (7/3) / (12/2/2024)
        ("numeric", "(", re.compile(rf"(?<!\w){wdp}?\(\s*(?P<d>\d{{1,2}})/(?P<mn>\d{{1,2}})(?:/(?P<y>\d{{2,4}}))?\s*\)", f)),
        # Tuesday (Oct. 3) / Wednesday (July 12)
        ("dm", "(", re.compile(rf"(?<!\w){wdp}\(\s*(?P<m>{mo})\.?\s+(?P<d>\d{{1,2}})\s*\)", f)),
        # 5 Maret lalu / on 22 August / Thursday, 24 August
        ("dm", "", re.compile(rf"(?<!\w){wdp}?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{mo})\.?(?!\w)(?!\s*,?\s*\d)", f)),
        # Oct. 3 / August 22
        ("dm", "", re.compile(rf"(?<!\w){wdp}?(?P<m>{mo})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?!\s*,?\s*\d)(?![\w/])", f)),
        # a month of a year: "in March 2022", "pada Oktober 2023" (no day: a time, not a date)
        ("month", "year", re.compile(rf"(?<!\w)(?P<m>{mo})\.?\s+(?P<y>\d{{4}})(?!\w)", f)),
        # a weekday on its own: "On Friday", "Sabtu"
        ("weekday", "", re.compile(rf"(?<!\w)(?P<wd>{wd})(?![\w'’])", f)),
    ]
    # every pattern opens with (?<!\w), which rejects a position inside a word (most
    # positions) more cheaply, so it stays first and the character test comes after it
    lb = r"(?<!\w)"
    assert all(rx.pattern.startswith(lb) for _, _, rx in pats)
    return [(kind, re.compile(f"{lb}(?=[{first}])" + rx.pattern[len(lb):], rx.flags), needs)
            for (kind, needs, rx), first in zip(pats, firsts)]


_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"\d{4}")


@lru_cache(maxsize=None)
def _tables(langs: tuple[str, ...]):
    """Month and weekday numbers by folded word, and the sets of those words and of both
    (a set is what a quick test against the words of a sentence needs)."""
    months: dict[str, int] = {}
    weekdays: dict[str, int] = {}
    for lg in langs:
        r = lang_rules(lg)
        months.update(r.months)
        weekdays.update(r.weekdays)
    return months, weekdays, frozenset(months), frozenset(weekdays), frozenset(months) | frozenset(weekdays)


def _year(y: str | None) -> int | None:
    if not y:
        return None
    n = int(y)
    return n + 2000 if n < 100 else n


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


@lru_cache(maxsize=None)
def _range_start_re(langs: tuple[str, ...]) -> re.Pattern[str]:
    """The first day of a range written before a date: "10-" / "10 hingga " / "10 to "."""
    words = sorted({re.escape(w) for lg in langs for w in lang_rules(lg).raw.get("range_words", [])}, key=len, reverse=True)
    alt = "|".join(["-", "–", "—", *(rf"\s{w}" for w in words)])
    return re.compile(rf"(?<![\d/.\-])(\d{{1,2}})\s*(?:{alt})\s*$", re.IGNORECASE)


def _infer_year(m: int, d: int, anchor: date | None) -> date | None:
    if anchor is None:
        return None
    cand = _safe_date(anchor.year, m, d)
    if cand is None:
        return None
    if cand > anchor + timedelta(days=7):
        cand = _safe_date(anchor.year - 1, m, d)
    return cand


def find_dates(text: str, langs: tuple[str, ...], anchor: date | None = None, *,
               words: frozenset[str] | None = None) -> list[DateSpan]:
    """Date phrases of ``text``, left to right, non-overlapping.

    >>> [d.value.isoformat() for d in find_dates("Jum’at 29 September 2023", ("id",))]
    ['2023-09-29']
    >>> [d.value.isoformat() for d in find_dates("on Tuesday (Oct. 3) to see", ("en",), date(2023, 10, 5))]
    ['2023-10-03']
    """
    return _find(text, langs, anchor, words, date_patterns(langs))


def find_full_dates(text: str, langs: tuple[str, ...]) -> list[DateSpan]:
    """The dates of ``text`` with a year in it: those of :func:`find_dates` of kind "full",
    in the same order.

    >>> [d.value.isoformat() for d in find_full_dates("Selasa 3 Oktober 2023, pada 5 Maret", ("id",))]
    ['2023-10-03']
    """
    return [d for d in _find(text, langs, None, None, _full_patterns(langs)) if d.kind == "full"]


@lru_cache(maxsize=None)
def _full_patterns(langs: tuple[str, ...]) -> list[tuple[str, re.Pattern[str], str]]:
    """The patterns of :func:`date_patterns` up to the last that can give a "full" date
    (one with a year: kinds "full" and "numeric"). The patterns after it only add dates
    of other kinds: a pattern's matches depend only on the patterns before it."""
    pats = date_patterns(langs)
    last = max(i for i, (kind, _, _) in enumerate(pats) if kind in ("full", "numeric"))
    return pats[:last + 1]


def _find(text: str, langs: tuple[str, ...], anchor: date | None, words: frozenset[str] | None,
          patterns: list[tuple[str, re.Pattern[str], str]]) -> list[DateSpan]:
    """:func:`find_dates` with the date patterns to try, in their order."""
    months, weekdays, month_words, weekday_words, date_words = _tables(langs)
    if words is None:
        words = text_words(text)
    if words.isdisjoint(date_words) and "/" not in text:
        return []  # the common case, tested at once: no weekday or month word, no slash
    # which patterns can match: weekday words, or a digit with a month word or a slash;
    # the (slower) digit search only when a month word or a slash is there
    has_wd = not words.isdisjoint(weekday_words)
    month_word = not words.isdisjoint(month_words)
    slash = "/" in text
    has_digit = (month_word or slash) and _DIGIT.search(text) is not None
    has_month = has_digit and month_word
    has_slash = has_digit and slash
    if not has_wd and not has_month and not has_slash:
        return []
    has_year = has_month and _YEAR.search(text) is not None
    has_paren = "(" in text
    taken: list[tuple[int, int]] = []
    found: list[DateSpan] = []
    for kind, rx, needs in patterns:
        if needs == "year" and not has_year or needs == "(" and not has_paren:
            continue
        if kind == "weekday":
            if not has_wd:
                continue
        elif kind == "numeric":
            if not has_slash:
                continue
        elif kind == "month":
            if not has_month:
                continue
        elif not has_month:
            continue
        for m in rx.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            gd = m.groupdict()
            wd = weekdays.get(fold(gd["wd"])) if gd.get("wd") else None
            value: date | None = None
            if kind == "weekday":
                word = gd["wd"]
                if wd is None or len(word) < 4 or not word[0].isupper():
                    continue
                found.append(DateSpan(s, e, m.group(0), None, "weekday", wd))
                taken.append((s, e))
                continue
            if kind == "month":
                found.append(DateSpan(s, e, m.group(0), None, "month", None))
                taken.append((s, e))
                continue
            d = int(gd["d"])
            if gd.get("mn"):
                mon = int(gd["mn"])
            else:
                mon = months.get(fold(gd["m"]).rstrip("."))
            if not mon or not 1 <= mon <= 12 or not 1 <= d <= 31:
                continue
            y = _year(gd.get("y"))
            if y is not None:
                value = _safe_date(y, mon, d)
                k = "full"
            else:
                value = _infer_year(mon, d, anchor)
                k = "dm"
            if value is None and y is not None:
                continue
            until = None
            rm = _range_start_re(langs).search(text, max(0, s - 24), s) if value is not None else None
            if rm is not None and 1 <= int(rm.group(1)) < d:
                # "10-12 Juni 2024", "10 hingga 12 Juni": the range starts on the first day
                start_day = value.replace(day=int(rm.group(1)))
                until, value, s = value, start_day, rm.start()
            found.append(DateSpan(s, e, text[s:e], value, k, wd, until))
            taken.append((s, e))
    found.sort(key=lambda x: x.start)
    return found


def resolve_weekday(weekday: int, running: date | None, anchor: date | None) -> date | None:
    """A bare weekday: the first such day after the running date of the story, or the
    last such day on or before the article date."""
    if running is not None:
        delta = (weekday - running.weekday()) % 7
        cand = running + timedelta(days=delta)
        if anchor is None or cand <= anchor:
            return cand
    if anchor is not None:
        delta = (anchor.weekday() - weekday) % 7
        return anchor - timedelta(days=delta)
    return None
