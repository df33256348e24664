"""Structure family: what a treatment chapter must contain to be balanced and complete.

Applies to pages whose front matter says ``kind: treatment``, except the regenerative
product check, which applies everywhere. Settings (``[tool.handbook-lint]``):
``required-sections`` (H2 titles, in order), ``required-front-matter`` (default
``source``, ``last_reviewed``), ``balance-ratio`` (default 3.0).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator

from .base import Check, Context
from ._context import in_quotes, list_setting, number_setting
from ._prefilter import Scanner, doc_index

_DISCERN = "http://www.discern.org.uk/general_instructions.php"
_FDA_REGEN = ("https://www.fda.gov/vaccines-blood-biologics/consumers-biologics/"
              "important-patient-and-consumer-information-about-regenerative-medicine-therapies")

REQUIRED_SECTIONS = (
    "What it is",
    "What it is used for",
    "How it is done",
    "What the research shows",
    "Possible benefits",
    "Risks and side effects",
    "Cost and insurance",
    "Other options",
    "Questions to ask your doctor",
    "What the source page claimed",
    "References",
)
REQUIRED_FRONT_MATTER = ("source", "last_reviewed")


def _is_treatment(doc) -> bool:
    return str(doc.front_matter.get("kind", "")).strip().lower() == "treatment"


def _norm(title: str) -> str:
    return re.sub(r"\s+", " ", title).strip().strip(":").lower()


def _h2(doc) -> list:
    return [s for s in doc.sections if s.level == 2]


def _front_line(doc) -> int:
    return max(doc.front_matter_line, 1)


def _doc_alert(check, doc, line: int, message: str, match: str = ""):
    from dataclasses import replace

    a = check.alert(doc, message=message, match=match)
    width = max(len(doc.line_text(line)), 1)
    return replace(a, line=line, span=(1, width))


def _run_sections(doc, ctx: Context) -> Iterator:
    if not _is_treatment(doc):
        return
    required = list_setting(ctx, "required-sections", REQUIRED_SECTIONS)
    # The References heading is the reference family's job (Handbook.MissingReferences).
    required = [t for t in required if _norm(t) != "references"]
    found = [_norm(s.title) for s in _h2(doc)]
    title_line = next((b.line for b in doc.blocks if b.kind == "heading" and b.level == 1),
                      _front_line(doc))
    missing = [t for t in required if _norm(t) not in found]
    for t in missing:
        yield _doc_alert(REQUIRED_SECTIONS_CHECK, doc, title_line,
                         f"This treatment chapter has no '## {t}' section: add it "
                         "(even if it says the answer is not known).", match=t)
    present = [t for t in required if _norm(t) in found]
    order = sorted(present, key=lambda t: found.index(_norm(t)))
    if order != present:
        first_wrong = next(a for a, b in zip(order, present) if a != b)
        sec = next(s for s in _h2(doc) if _norm(s.title) == _norm(first_wrong))
        yield REQUIRED_SECTIONS_CHECK.alert(
            sec.heading, 0, len(sec.heading.text),
            message=f"'{sec.title}' is out of order: treatment chapters follow the order "
                    f"{', '.join(required)}.")


REQUIRED_SECTIONS_CHECK = Check(
    id="Handbook.RequiredSections",
    family="structure",
    level="error",
    message="This treatment chapter is missing a required section.",
    link=_DISCERN,
    what="Flags a treatment chapter (front matter 'kind: treatment') that lacks one of the "
         "required H2 sections, or has them out of order (setting required-sections).",
    why="Patients compare treatments more easily when every chapter answers the same "
        "questions in the same place, and a missing 'Risks' or 'Other options' section "
        "is exactly what makes information unbalanced.",
    standard="DISCERN questions 9 to 14 (how it works, benefits, risks, no treatment, "
             "other options)",
    bad="A treatment chapter with '## Possible benefits' and no '## Risks and side effects'.",
    good="A treatment chapter with every required section, in order.",
    run=_run_sections,
)


def _run_front_matter(doc, ctx: Context) -> Iterator:
    if not _is_treatment(doc):
        return
    fm = doc.front_matter
    line = _front_line(doc)
    for key in list_setting(ctx, "required-front-matter", REQUIRED_FRONT_MATTER):
        value = fm.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            yield _doc_alert(FRONT_MATTER, doc, line,
                             f"Front matter has no '{key}': add it (e.g. {key}: ...).",
                             match=key)
    reviewed = fm.get("last_reviewed")
    if reviewed is not None and not isinstance(reviewed, _dt.date):
        try:
            _dt.date.fromisoformat(str(reviewed).strip())
        except ValueError:
            yield _doc_alert(FRONT_MATTER, doc, line,
                             f"'last_reviewed: {reviewed}' is not a date: write it as "
                             "YYYY-MM-DD.", match=str(reviewed))


FRONT_MATTER = Check(
    id="Handbook.FrontMatter",
    family="structure",
    level="error",
    message="Front matter is missing a required field.",
    link=_DISCERN,
    what="Flags a treatment chapter whose front matter lacks 'source' or 'last_reviewed' "
         "(setting required-front-matter), or whose 'last_reviewed' is not a date.",
    why="Readers need to know what the chapter is based on and how current it is; DISCERN "
        "asks both.",
    standard="DISCERN question 5 (when the information was produced)",
    bad="---\nkind: treatment\n---",
    good="---\nkind: treatment\nsource: \"Prolotherapy for back pain\"\nlast_reviewed: "
         "2026-11-23\n---",
    run=_run_front_matter,
)

_BENEFITS = re.compile(r"\bbenefits?\b", re.IGNORECASE)
_RISKS = re.compile(r"\b(?:risks?|side[- ]effects?|harms?|complications?)\b", re.IGNORECASE)
_WORDS = re.compile(r"[\w’']+")


def _section_size(section) -> tuple[int, int]:
    """(sentences, words) of a section's prose, subsections included."""
    sentences = [s.text for b in section.blocks if b.kind != "heading" for s in b.sentences]
    return len(sentences), sum(len(_WORDS.findall(s)) for s in sentences)


def _run_balance(doc, ctx: Context) -> Iterator:
    if not _is_treatment(doc):
        return
    ratio = number_setting(ctx, "balance-ratio", 3.0)
    h2 = _h2(doc)
    benefits = [s for s in h2 if _BENEFITS.search(s.title) and not _RISKS.search(s.title)]
    risks = [s for s in h2 if _RISKS.search(s.title)]
    if not benefits or not risks:
        return
    b_sent, b_words = map(sum, zip(*(_section_size(s) for s in benefits)))
    r_sent, r_words = map(sum, zip(*(_section_size(s) for s in risks)))
    if b_words > ratio * max(r_words, 1) and r_sent <= 2:
        sec = risks[0]
        yield BALANCE.alert(
            sec.heading, 0, len(sec.heading.text),
            message=f"Benefits take {b_words} words but '{sec.title}' only {r_words} "
                    f"({r_sent} sentence{'s' if r_sent != 1 else ''}): describe the risks as "
                    "fully as the benefits, or say plainly what is not known.")


BALANCE = Check(
    id="Handbook.Balance",
    family="structure",
    level="error",
    message="Benefits are described at length while risks get a line.",
    link=_DISCERN,
    what="Flags a treatment chapter whose benefits sections are more than balance-ratio "
         "times longer (in words, default 3) than its risks sections, when the risks take "
         "two sentences or fewer.",
    why="Long benefits and a one-line risk section is the classic shape of an advert. "
        "DISCERN asks for benefits and risks to be described, and for balance.",
    standard="DISCERN questions 6 (balanced) and 11 (risks)",
    bad="'## Possible benefits' with three paragraphs, '## Risks and side effects' with "
        "'There are few risks.'",
    good="Both sections of similar length, each with its evidence.",
    run=_run_balance,
)

_REGEN = Scanner(
    r"\bstem[- ]cells?\b|\bbone[- ]marrow\s+(?:aspirate\s+)?concentrates?\b|\bBMAC\b"
    r"|\bbone[- ]marrow\s+aspirates?\b|\bplatelet[- ]rich\s+plasma\b|\bPRP\b"
    r"|\bamniotic\b|\bamnion\b|\bumbilical[- ]cord\b|\bcord[- ]blood\b|\bcord[- ]tissue\b"
    r"|\bWharton[’']?s\s+jelly\b|\bexosomes?\b|\bplacental\s+(?:tissue|products?|cells?)\b"
    r"|\bregenerative\s+(?:agents?|substances?|products?|medicine\s+(?:products?|"
    r"substances?))\b",
    re.IGNORECASE,
)
_STATUS = Scanner(
    r"\bFDA\b|\bFood\s+and\s+Drug\s+Administration\b|\b(?:not\s+|un)?approved\b"
    r"|\bcleared\b|\bregulat\w*|\blicen[cs]ed\b|\bunlicen[cs]ed\b|\bexempt\b"
    r"|\b21\s+CFR\b|\bHCT/Ps?\b|\bMHRA\b|\bEMA\b|\bTGA\b|\bHealth\s+Canada\b",
    re.IGNORECASE,
)


def _groups(doc) -> list[list]:
    """The document's blocks grouped by H2 section (text before the first H2 is a group)."""
    groups: list[list] = [[]]
    for block in doc.blocks:
        if block.kind == "heading" and block.level <= 2 and not block.directives:
            groups.append([block])
        else:
            groups[-1].append(block)
    return [g for g in groups if g]


def _product(match: str) -> str:
    """One name per kind of product, so each kind is checked where it first appears."""
    m = match.lower()
    for key, words in (("stem", ("stem",)), ("marrow", ("marrow", "bmac")),
                       ("prp", ("platelet", "prp")), ("birth", ("amni", "cord", "wharton",
                                                                "placent")),
                       ("exosome", ("exosome",))):
        if any(w in m for w in words):
            return key
    return m


_REGEN_ANY = re.compile(r"\bregenerative\s+(?:medicine[\"”’']?\s+)?(?:products?|therap(?:y|ies)|"
                        r"treatments?)\b|\bHCT/Ps?\b", re.IGNORECASE)


def _stated_kinds(doc, ctx: Context) -> set[str]:
    """Kinds of product whose regulatory status some sentence of the document states."""
    kinds: set[str] = set()
    index = doc_index(ctx, doc)
    for i, alternatives in _STATUS.scan(index):  # the sentences that may state a status
        text = index.texts[i]
        if index.sentences[i].block.attributed or not next(
                _STATUS.finditer_alternatives(text, alternatives), None):
            continue
        kinds.update(_product(m.group(0)) for m in _REGEN.finditer(text, index.keys[i]))
        if _REGEN_ANY.search(text):
            kinds.add("*")
    return kinds


def _run_regulatory(doc, ctx: Context) -> Iterator:
    seen: set[str] = set()
    stated: set[str] | None = None
    blocks = doc.blocks
    may = _REGEN.may_match([b.text for b in blocks])  # the others name no product
    for i, block in enumerate(blocks):
        if i not in may or block.attributed or "directive:glossary" in block.containers:
            continue
        for m in _REGEN.finditer(block.text):
            if in_quotes(block.text, m.start(), m.end()):
                continue
            kind = _product(m.group(0))
            if kind in seen:
                continue
            seen.add(kind)
            if stated is None:
                stated = _stated_kinds(doc, ctx)
            if kind not in stated and "*" not in stated:
                yield REGULATORY_STATUS.alert(block, m.start(), m.end())


REGULATORY_STATUS = Check(
    id="Handbook.RegulatoryStatus",
    family="structure",
    level="error",
    message="'%s' is a regenerative product: say in this chapter whether the FDA has "
            "approved it for this use (most are not approved), with a citation.",
    link=_FDA_REGEN,
    what="Flags the first mention of a regenerative product (stem cells, bone marrow "
         "concentrate, PRP, amniotic or umbilical cord products, exosomes) when no sentence "
         "of the page states its regulatory (FDA) status, for that product or for "
         "regenerative medicine products as a whole.",
    why="The FDA warns that many clinics sell these products for uses it has not "
        "approved. Patients should know that before they pay.",
    standard="FDA, Important Patient and Consumer Information About Regenerative Medicine "
             "Therapies",
    bad="The clinic injects stem cells from your bone marrow into the disc.",
    good="The clinic injects stem cells from your bone marrow into the disc. The FDA has "
         "not approved any stem cell product for back pain {cite:p}`fda2021regen`.",
    run=_run_regulatory,
)


def _run_claim_verdict(doc, ctx: Context) -> Iterator:
    allowed = ("supported", "unclear", "not supported")
    for claim in doc.claims:
        verdict = claim.verdict.strip().lower()
        if verdict in allowed:
            continue
        line = claim.verdict_line or claim.line
        text = (f"The claim box has no ':verdict:'" if not verdict
                else f"':verdict: {claim.verdict}' is not a verdict")
        yield _doc_alert(CLAIM_VERDICT, doc, line,
                         f"{text}: use one of supported, unclear, not supported.",
                         match=claim.verdict)


CLAIM_VERDICT = Check(
    id="Handbook.ClaimVerdict",
    family="structure",
    level="error",
    message="A claim box needs a verdict: supported, unclear or not supported.",
    link=_DISCERN,
    what="Flags a {claim} box whose ':verdict:' is missing or is not one of supported, "
         "unclear, not supported.",
    why="The verdict is what a reader skimming the printed page takes away; a free-form "
        "or missing verdict cannot be styled or compared across chapters.",
    standard="DISCERN question 2 (does it achieve its aims)",
    bad=':::{claim} "It cures back pain."\n:verdict: maybe\nNo trial shows this '
        '{cite:p}`dagenais2007`.\n:::',
    good=':::{claim} "It cures back pain."\n:verdict: not supported\nNo trial shows this '
         '{cite:p}`dagenais2007`.\n:::',
    run=_run_claim_verdict,
)

__register__ = (REQUIRED_SECTIONS_CHECK, FRONT_MATTER, BALANCE, REGULATORY_STATUS, CLAIM_VERDICT)
