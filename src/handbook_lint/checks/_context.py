"""What surrounds a match inside its sentence: negation, hedging, attribution, quotes.

Shared by the absolute and reference checks. A regex cannot see "No treatment is
completely safe" as honest; these helpers look at the words before and after a match,
within its clause, the way a reader does.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# The readings below are pure functions of their arguments; a page (and a set of pages)
# repeats sentences, so each is remembered for a while.
_remember = functools.lru_cache(maxsize=4096)

# Words that turn a claim around when they come before it in the same clause.
_NEGATION = re.compile(
    r"\b(?:not(?!\s+only\b)|no(?!\s+matter\b)|never|none|nothing|nobody|neither|nor|cannot|without|lack|lacks|lacking|"
    r"insufficient|inadequate|limited|conflicting|weak|"
    r"unclear|unknown|uncertain|unproven|untrue|false|myth|wrong|doubt|doubtful|"
    r"rarely|seldom|hardly|(?<!\ba\s)few|(?<!\ba\s)little|less|fails?|failed|"
    r"\w+n[’']t)\b",
    re.IGNORECASE,
)
# "if" and "whether" open a condition or a question; the claim is inside it only when
# no comma closes the condition first ("if treated, it brings relief" is a claim).
_CONDITION = re.compile(r"\b(?:if|whether|unless)\b[^,]*$", re.IGNORECASE)
# Hedges: the writer says how sure we can be.
_HEDGE_BEFORE = re.compile(
    r"\b(?:may|might|could|would|should|usually|generally|often|typically|mostly|"
    r"sometimes|likely|unlikely|probably|possibly|perhaps|appears?|seems?|tends?|"
    r"relatively|fairly|reasonably|partly|partial|partially|somewhat|slightly|"
    r"meant|designed|intended|aims?|aimed|hopes?|hoped|goal|try|tries|tried|"
    r"thought|considered|believed|expected|claimed|supposed|hard|want|wants|wish|"
    r"some|a\s+few|small\s+number|idea|theory|in\s+theory|supposedly|hypothesis|"
    r"temporarily|briefly|short-term|for\s+a\s+while)\b",
    re.IGNORECASE,
)
# "Most people have no serious side effects" is honest about harms; "most patients
# feel immediate relief" still promises a result. Quantifiers hedge safety claims only.
_QUANTIFIER = re.compile(r"\b(?:most(?!\s+(?:importantly|of\s+all|notably|likely))|many|nearly\s+all|"
                         r"the\s+majority)\b", re.IGNORECASE)
_HEDGE_AFTER = re.compile(
    r"^[\s,]*(?:\w+\s+){0,3}?(?:for|in|with)\s+(?:some|a\s+few|certain)\s+"
    r"(?:people|patients|cases|adults|of\s+them)\b|^[\s,]*(?:(?!(?:and|but|or)\b)\w+\s+){0,2}?"
    r"(?:usually|generally|"
    r"in\s+general|often|typically|in\s+some\s+cases|when\s+done|if\s+done)\b",
    re.IGNORECASE,
)
_QUANTIFIER_AFTER = re.compile(
    r"^[\s,]*(?:\w+\s+){0,3}?(?:for|in|with)\s+(?:most|many|the\s+majority\s+of)\s+"
    r"(?:people|patients|cases|adults)\b",
    re.IGNORECASE,
)
# Words that put the claim in someone else's mouth.
_ATTRIBUTION = re.compile(
    r"\b(?:says?(?!\s+(?:goodbye|yes|no)\b)|said|saying|claims?|claimed|claiming|according to|"
    r"advertis\w*|promises?|promised|marketed|describes?|described|stated|argues?|argued|"
    r"tells?|calls?\s+(?:it|them|this|these|(?:the|its|their)\s+[\w-]+)|touts?|touted|boasts?|boasted|lists?|listed|"
    r"mentions?|mentioned|quotes?|quoted)\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(
    r"[;:—–()]|,\s+(?:but|however|although|though|while|whereas|yet|so)\b|"
    r"\b(?:but|however|although|though|whereas|yet)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\w’']+")
# "A cure ... has not been found": the negation comes right after the claim.
# Only when the claim is the subject: "and is not addictive" negates something else.
_NEGATION_AFTER = re.compile(
    r"^(?:(?!\b(?:and|but|or|so)\b)[^.;:!?,]){0,40}?\b(?:has|have|is|are|was|were|does|do|did)\s+"
    r"(?:not|never)\b"
    r"|^(?:(?!\b(?:and|but|or|so)\b)[^.;:!?,]){0,40}?\b(?:hasn[’']t|haven[’']t|isn[’']t|aren[’']t|"
    r"wasn[’']t|doesn[’']t|don[’']t|didn[’']t)\b|^\s*(?:does\s+not|do\s+not)\s+exist",
    re.IGNORECASE,
)
_QUOTES = (("\u201c", "\u201d"), ('"', '"'), ("\u2018", "\u2019"))


@dataclass(frozen=True)
class Surroundings:
    negated: bool
    hedged: bool
    attributed: bool
    quoted: bool
    question: bool

    @property
    def qualified(self) -> bool:
        """True when a reader would not take the match as a flat promise."""
        return self.negated or self.hedged or self.attributed or self.quoted or self.question


def clause_before(text: str, start: int, max_words: int = 8) -> str:
    """The last ``max_words`` words before ``start`` in the same clause."""
    before = text[:start]
    cut = 0
    for m in _CLAUSE_BREAK.finditer(before):
        cut = m.end()
    clause = before[cut:]
    words = list(_WORD.finditer(clause))
    if not words:
        return ""
    return clause[words[-max_words:][0].start():]


_SINGLE_OPEN = re.compile(r"(?:^|[\s(])'[^']{1,60}$")
_SINGLE_CLOSE = re.compile(r"^[^']{0,60}'(?:[\s.,;:!?)]|$)")


@_remember
def in_quotes(text: str, start: int, end: int) -> bool:
    """True when text[start:end] sits between a pair of quotation marks."""
    for open_q, close_q in _QUOTES:
        if open_q == close_q:
            if text[:start].count(open_q) % 2 == 1 and close_q in text[end:]:
                return True
        else:
            i = text.rfind(open_q, 0, start)
            if i != -1 and text.rfind(close_q, i, start) == -1 and close_q in text[end:]:
                return True
    # Single straight quotes: only around a short phrase ("'safe'"), not apostrophes.
    m = _SINGLE_OPEN.search(text[:start])
    return bool(m and _SINGLE_CLOSE.match(text[end:]))


# "no downtime and no risk": a "no" that opens a list of promises is not a negation of
# what follows it.
_LISTED_NO = re.compile(r"\b(?:no|zero|without)\s+[\w-]+(?:\s+[\w-]+)?\s*(?:,|\band\b|\bor\b)\s*$",
                        re.IGNORECASE)


@_remember
def surroundings(text: str, start: int, end: int, *, negation_words: int = 8,
                 hedge_words: int = 5, quantifiers_hedge: bool = False) -> Surroundings:
    """How the sentence ``text`` frames the match ``text[start:end]``.

    ``quantifiers_hedge``: count "most", "many" as a hedge (right for harms, not for
    promised benefits)."""
    before = clause_before(text, start, negation_words)
    listed = _LISTED_NO.search(before)
    if listed:
        before = before[: listed.start()]
    near = " ".join(_WORD.findall(before)[-hedge_words:])
    after = text[end:]
    hedged = bool(_HEDGE_BEFORE.search(near) or _HEDGE_AFTER.search(after))
    if quantifiers_hedge and (_QUANTIFIER.search(near) or _QUANTIFIER_AFTER.search(after)):
        hedged = True
    return Surroundings(
        negated=bool(_NEGATION.search(before) or _CONDITION.search(before)
                     or _NEGATION_AFTER.search(after[:60])),
        hedged=hedged,
        attributed=bool(_ATTRIBUTION.search(text[:start])),
        quoted=in_quotes(text, start, end),
        question=text.rstrip().endswith("?"),
    )


def number_setting(ctx, key: str, default: float) -> float:
    """A numeric ``[tool.handbook-lint]`` setting; a clear error when it is not a number."""
    value = ctx.setting(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            return float(str(value))
        except ValueError:
            raise ValueError(f"setting '{key}' in [tool.handbook-lint] must be a number, "
                             f"not {value!r}") from None
    return float(value)


def list_setting(ctx, key: str, default) -> list[str]:
    """A list-of-strings setting; a single string counts as a list of one."""
    value = ctx.setting(key, default)
    if isinstance(value, str):
        return [value]
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"setting '{key}' in [tool.handbook-lint] must be a list of strings")
    return [str(v) for v in value]


@_remember
def quantified_before(text: str, start: int, words: int = 5) -> bool:
    """A "most", "many" in the few words before ``start`` (same clause)."""
    return bool(_QUANTIFIER.search(clause_before(text, start, words)))


@_remember
def negated_before(text: str, start: int, words: int = 6) -> bool:
    before = clause_before(text, start, words)
    return bool(_NEGATION.search(before) or _CONDITION.search(before))


# Citations as other sites print them: "[1]", "[2, 5-7]", "(Smith et al., 2019)".
_PRINTED_CITATION = re.compile(
    r"\[\s*\d{1,3}(?:\s*[,–-]\s*\d{1,3})*\s*\]"
    r"|\(\s*(?:(?:[A-Z][A-Za-z'’-]+\s+){0,2}[A-Z][A-Za-z'’-]+(?:\s+(?:et\s+al\.?|and|&)\s*"
    r"(?:[A-Z][A-Za-z'’-]+)?)?,?\s+"
    r"(?:19|20)\d{2}[a-z]?(?:\s*;\s*[^()]{1,60})?)\s*\)"
)


def cited(sentence) -> bool:
    """A sentence carries a citation (a citation role, or a printed "[1]" or "(Smith,
    2019)" on pages from elsewhere), or is a list item whose lead-in does."""
    if sentence.citations or _PRINTED_CITATION.search(sentence.text):
        return True
    block = sentence.block
    if "list" not in block.containers:
        return False
    return bool(list_lead_in_citations(block))


def list_lead_in_citations(block) -> list:
    """Citations of the paragraph that introduces the list ``block`` belongs to."""
    blocks = block.doc.blocks
    try:
        i = next(k for k, b in enumerate(blocks) if b is block)
    except StopIteration:
        return []
    depth = block.containers.count("list")
    k = i - 1
    while k >= 0 and blocks[k].containers.count("list") >= depth:
        k -= 1
    if k < 0 or blocks[k].kind == "heading":
        return []
    lead = blocks[k]
    return list(lead.citations)
