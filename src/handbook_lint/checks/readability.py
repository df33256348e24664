"""Readability family: reading grade per section (Flesch-Kincaid grade and SMOG).

A section is an H2 (or an H1 with no H2 under it) with everything up to the next
heading of its level, subsections included. Terms defined in the glossary (setting
``glossary``, default ``docs/glossary.md``) count as one short word: a reader who
does not know "prolotherapy" has the glossary, and the word cannot be made shorter.
Syllables are counted here with spelling rules, so nothing is downloaded at run time.

Settings: ``max-grade`` (Flesch-Kincaid, default 8), ``max-smog`` (default 8),
``min-words`` (sections shorter than this are not scored, default 80).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterator
from itertools import compress, count, filterfalse
from operator import not_

from .base import Check, Context
from ._context import number_setting
from ._prefilter import doc_index, fold

_NIH = ("https://www.nih.gov/institutes-nih/nih-office-director/"
        "office-communications-public-liaison/clear-communication/clear-simple")
# (Possessive: the same words as without, found without backtracking.)
# No possessive quantifiers: Debian 12's Python 3.11.2 matches them wrongly here
# ("apostrophe'" and "12." came out as words), and nothing needs to be given back anyway.
_WORD = re.compile(r"[A-Za-z]+(?:[’'][A-Za-z]+)*|\d+(?:[.,]\d+)*")

# Words whose syllables the spelling rules get wrong, common in this subject.
_EXCEPTIONS = {
    "every": 2, "everyone": 3, "everything": 3, "different": 3, "business": 2,
    "area": 3, "areas": 3, "idea": 3, "ideas": 3, "being": 2, "doing": 2, "going": 2,
    "people": 2, "science": 2, "quiet": 2, "poem": 2, "create": 2, "created": 3,
    "creates": 2, "real": 1, "really": 2, "via": 2, "media": 3, "medium": 3,
    "period": 3, "serious": 3, "previous": 3, "various": 3, "variety": 4,
    "society": 4, "anxiety": 4, "piano": 3, "diet": 2, "triage": 2, "saline": 2,
    "plasma": 2, "marrow": 2, "needle": 2, "needles": 2, "little": 2, "able": 2,
    "table": 2, "simple": 2, "single": 2, "muscle": 2, "muscles": 2, "ankle": 2,
    "sometimes": 2, "someone": 2, "somewhere": 2, "anyone": 3, "themselves": 2,
    "there": 1, "where": 1, "here": 1, "were": 1, "gone": 1, "done": 1, "one": 1,
    "once": 1, "none": 1, "some": 1, "come": 1, "because": 2, "since": 1,
    "guidelines": 2, "lifestyle": 2, "likely": 2, "lately": 2, "safely": 2,
    "usually": 4, "actually": 4, "naturally": 4, "insurance": 3, "injured": 2,
    "opioid": 3, "opioids": 3, "steroid": 2, "steroids": 2, "osteoarthritis": 6,
    "prolotherapy": 5, "dextrose": 2, "cortisone": 3, "xray": 2,
}
_SUFFIX_ED = re.compile(r"[^aeiouytd]ed$")
_VOWELS = re.compile(r"[aeiouy]+")
_TWO_VOWELS = re.compile(r"(?:ia|io|iu|eo|ua|uo)")  # said as two syllables
_ONE_VOWEL = re.compile(r"(?:tio|sio|cia|cio|tia|gio|qua|quo|gua)")  # but these as one
_FINAL_LE = re.compile(r"[^aeiouy]le$")
_TOKEN = re.compile(r"\w+")


@functools.lru_cache(maxsize=65536)  # pure; a text repeats most of its words
def syllables(word: str) -> int:
    """Syllables in an English word, by spelling rules (good to about one in ten)."""
    w = word.lower().replace("’", "'").split("'")[0]
    if not w:
        return 0
    if w[0].isdigit():
        return max(1, len(w.replace(",", "").replace(".", "")) // 2)
    if w in _EXCEPTIONS:
        return _EXCEPTIONS[w]
    if len(w) <= 3:
        return 1
    n = len(_VOWELS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ie", "ye", "ae", "ue")) and n > 1:
        n -= 1  # silent final e: "make", "bone"
    elif w.endswith("es") and not w.endswith(("ses", "zes", "ces", "ges", "xes", "shes",
                                              "ches", "ies", "ees", "ues")) and n > 1:
        n -= 1  # "bones", "makes"
    elif _SUFFIX_ED.search(w) and n > 1:
        n -= 1  # "helped", "worked" (but "needed", "treated" keep it)
    # Vowel pairs said as two syllables: "radiation", "period", "medium", "science".
    n += len(_TWO_VOWELS.findall(w))
    n -= len(_ONE_VOWEL.findall(w))
    if n == 0 and _FINAL_LE.search(w):
        n = 1
    if w.endswith("ism"):
        n += 1
    return max(1, n)


@functools.lru_cache(maxsize=8)
def _term_patterns(glossary: frozenset[str]) -> tuple[frozenset[str] | None,
                                                      list[tuple[str | None, re.Pattern]],
                                                      dict[str, list[int]] | None]:
    """Each glossary term's pattern (longest first), compiled once, with the term
    lower-cased when it is ASCII: a text whose folded form (see ``fold``) lacks it
    cannot match, so its substitution is skipped. And words one of which a text must
    hold for any term to match (per term its longest word, which the pattern's \\b
    and the term's own spaces or hyphens make a whole word; the last word may take
    the plural "s"), or None when some term does not allow this shortcut; with, per
    such word, the patterns (by number) that need it."""
    terms = sorted(glossary, key=len, reverse=True)
    patterns = [(t.lower() if t.isascii() else None,
                 re.compile(r"\b" + re.escape(t) + r"s?\b", re.IGNORECASE)) for t in terms]
    keys: set[str] | None = set()
    by_key: dict[str, list[int]] = {}
    for i, (literal, _) in enumerate(patterns):
        words = list(_TOKEN.finditer(literal or ""))
        if literal is None or not words or words[0].start() != 0:
            keys = None  # not ASCII, or not starting with a word character
            break
        longest = max(words, key=lambda w: (len(w.group(0)), w.start()))  # ties: the later
        mine = [longest.group(0)]
        if longest.end() == len(literal):  # the pattern allows a plural "s" after it
            mine.append(longest.group(0) + "s")
        for k in mine:
            keys.add(k)
            by_key.setdefault(k, []).append(i)
    if keys is None:
        return None, patterns, None
    # A substitution leaves the other words of a text as they were and adds "it" (see
    # _substitute): only the terms whose word the text had can match, unless "it" is one.
    return frozenset(keys), patterns, (None if keys & {"it", "its"} else by_key)


def _substitute(text: str, glossary: frozenset[str], tokens=None) -> str:
    """``text`` with each glossary term (longest first) replaced by a short word.
    ``tokens``: the ``\\w+`` words of ``fold(text)`` if already known."""
    if glossary:
        key_words, patterns, by_key = _term_patterns(glossary)
        if key_words is not None:
            if tokens is None:
                tokens = _TOKEN.findall(fold(text))
            present = key_words.intersection(tokens)
            if not present:
                return text  # no term can match (the usual case)
            if by_key is not None:  # only the terms whose word the text has
                if len(present) == 1:
                    (word,) = present
                    which = by_key[word]
                else:
                    which = sorted({i for w in present for i in by_key[w]})
                patterns = [patterns[i] for i in which]
        low = fold(text)
        for literal, pattern in patterns:
            if literal is not None and literal not in low:
                continue
            replaced = pattern.sub(" it ", text)  # (" it ": no word of the text changes)
            if replaced != text:
                text = replaced
                low = fold(text)
    return text


def _words(text: str, glossary: frozenset[str], tokens=None) -> list[str]:
    """Words of ``text`` with each glossary term (longest first) counted as one short word."""
    return _WORD.findall(_substitute(text, glossary, tokens))


# Every ASCII character no word of _WORD holds (all but letters, digits, "'", "." and ","),
# made a space: what lies between two spaces then is a word, or holds words.
_NOT_IN_WORDS = str.maketrans({c: " " for c in range(128)
                               if not (chr(c).isalnum() or chr(c) in "'.,")})


def _all_words(sentences: list[str]) -> list[str]:
    """The words _WORD finds in the sentences (not in their order): for ASCII text,
    split at characters no word holds, keeping the pieces made only of letters as they
    are and running the regex on the others ("don't", "1,000", "end.")."""
    plain = [s for s in sentences if s.isascii()]
    if len(plain) < len(sentences):
        words = _WORD.findall("\n".join([s for s in sentences if not s.isascii()]))
    else:
        words = []
    pieces = "\n".join(plain).translate(_NOT_IN_WORDS).split()
    words += filter(str.isalpha, pieces)
    rest = list(filterfalse(str.isalpha, pieces))
    if rest:
        words += _WORD.findall(" ".join(rest))
    return words


def grades(sentences: list[str], glossary: frozenset[str] = frozenset(),
           tokens: list | None = None) -> tuple[float, float, int]:
    """(Flesch-Kincaid grade, SMOG grade, word count) of a list of sentences.
    ``tokens``: per sentence, its folded words if known (see ``_words``)."""
    if glossary and tokens is not None:
        key_words = _term_patterns(glossary)[0]
        if key_words is not None:  # only the sentences holding a term's key word change
            holding = list(compress(count(), map(not_, map(key_words.isdisjoint, tokens))))
            if holding:
                sentences = list(sentences)
                for i in holding:
                    sentences[i] = _substitute(sentences[i], glossary, tokens[i])
            glossary = frozenset()
    if glossary:
        sentences = [_substitute(s, glossary, None if tokens is None else tokens[i])
                     for i, s in enumerate(sentences)]
    words = _all_words(sentences)
    n_sent = max(len(sentences), 1)
    n_words = len(words)
    if not n_words:
        return 0.0, 0.0, 0
    syl = list(map(syllables, words))
    fk = 0.39 * (n_words / n_sent) + 11.8 * (sum(syl) / n_words) - 15.59
    poly = n_words - syl.count(1) - syl.count(2)  # (every word has at least one)
    smog = 1.0430 * math.sqrt(poly * 30 / n_sent) + 3.1291
    return round(fk, 1), round(smog, 1), n_words


def _sections(doc) -> list[tuple[object, list]]:
    """(heading Block or None, prose blocks) per scored section: each H1 or H2 starts one
    (the text between an H1 and its first H2, such as the "at a glance" cards, is its own
    section); H3 and lower stay inside their H2."""
    groups: list[tuple[object, list]] = []
    current = None
    for block in doc.blocks:
        if block.kind == "heading" and not block.directives and block.level <= 2:
            current = (block, [])
            groups.append(current)
            continue
        if block.kind == "heading" or block.attributed or block.kind == "glossary.term":
            continue
        if current is None:
            current = (None, [])
            groups.append(current)
        current[1].append(block)
    return groups


def _scores(doc, ctx: Context):
    def compute():
        glossary = ctx.glossary_terms
        min_words = number_setting(ctx, "min-words", 80)
        out = []
        index = doc_index(ctx, doc)  # each sentence's words, shared with other checks
        number, texts, keys = index.numbers(), index.texts, index.keys
        for heading, blocks in _sections(doc):
            nums = [number[s] for b in blocks for s in b.sentences]
            fk, smog, n = grades([texts[i] for i in nums], glossary, [keys[i].words for i in nums])
            if n >= min_words:
                out.append((heading, fk, smog, n))
        return out

    return ctx.doc_memo(doc, "readability", compute)


def _where(doc, heading):
    return heading if heading is not None else doc


def _over_limit(doc, ctx: Context, setting: str, score_of) -> Iterator:
    """(heading or doc, end of the heading, section name, score, words, limit) for each
    section whose score is above the configured limit."""
    limit = number_setting(ctx, setting, 8)
    for heading, fk, smog, n in _scores(doc, ctx):
        score = score_of(fk, smog)
        if score > limit:
            name = heading.text.strip() if heading is not None else "the opening text"
            end = len(heading.text) if heading is not None else None
            yield _where(doc, heading), end, name, score, n, limit


def _run_fk(doc, ctx: Context) -> Iterator:
    for where, end, name, fk, n, limit in _over_limit(doc, ctx, "max-grade",
                                                      lambda fk, smog: fk):
        yield GRADE_LEVEL.alert(
            where, 0, end,
            message=f"'{name}' reads at grade {fk:g} (Flesch-Kincaid, {n} words); aim for "
                    f"{limit:g} or lower: shorter sentences and everyday words.")


def _run_smog(doc, ctx: Context) -> Iterator:
    for where, end, name, smog, n, limit in _over_limit(doc, ctx, "max-smog",
                                                        lambda fk, smog: smog):
        yield SMOG_GRADE.alert(
            where, 0, end,
            message=f"'{name}' has a SMOG grade of {smog:g} ({n} words); aim for "
                    f"{limit:g} or lower: fewer words of three or more syllables.")


GRADE_LEVEL = Check(
    id="Handbook.GradeLevel",
    family="readability",
    level="warning",
    message="This section reads above the grade limit (Flesch-Kincaid): use shorter "
            "sentences and everyday words.",
    link=_NIH,
    what="Flags a section whose Flesch-Kincaid grade is above the limit (setting "
         "max-grade, default 8). Glossary terms count as one short word.",
    why="Many patients read at grade 6 to 8, and fewer still when in pain or anxious. "
        "Long sentences and long words are the two things this score measures.",
    standard="NIH Clear & Simple; PEMAT-P understandability (plain language)",
    bad="A section of long sentences such as: 'Intraosseous administration of "
        "regenerative biological preparations theoretically facilitates subchondral "
        "remodeling, consequently diminishing nociceptive signaling.'",
    good="A section of short sentences such as: 'The doctor puts a needle into the bone. "
         "It takes about an hour. You go home the same day.'",
    run=_run_fk,
)
SMOG_GRADE = Check(
    id="Handbook.SmogGrade",
    family="readability",
    level="warning",
    message="This section's SMOG grade is above the limit: use fewer long words.",
    link=_NIH,
    what="Flags a section whose SMOG grade is above the limit (setting max-smog, default "
         "8). SMOG counts words of three or more syllables; glossary terms do not count.",
    why="SMOG is the formula most used for health materials; it predicts the grade a "
        "reader needs to understand nearly all of a text.",
    standard="NIH Clear & Simple; SMOG (McLaughlin 1969) as used in health literacy reviews",
    bad="A section full of words such as 'intraosseous', 'degenerative', "
        "'inflammation', 'administration', 'regenerative' that are not in the glossary.",
    good="A section that uses short words and links long medical terms to the glossary.",
    run=_run_smog,
)

__register__ = (GRADE_LEVEL, SMOG_GRADE)
