"""Every rule, through the public API: a case that must alert and one that must not.

Sentence rules are a table below (rule, text that must raise it, text that must not).
Page and project rules use the small files in tests/fixtures/rules/, whose expected
alerts are listed next to each test.
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest

from handbook_lint import lint
from handbook_lint.checks import MODULES, all_checks
from handbook_lint.checks.base import Check, ProjectCheck
from handbook_lint.rules import iter_rule_meta

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "tests" / "fixtures" / "rules"
SETTINGS = {"root": str(ROOT), "cache": False, "bibliography": str(FIX / "references.bib"),
            "glossary": str(FIX / "glossary.md")}


def run(paths, **settings):
    return lint([str(p) for p in paths], {**SETTINGS, **settings})


def alerts_for(text: str, tmp_path: Path, **settings):
    md = tmp_path / "page.md"
    md.write_text(text + "\n", encoding="utf-8")
    return run([md], **settings)


def ids(alerts) -> set[str]:
    return {a.check for a in alerts}


# rule, must alert, must not alert (the second often uses the same words honestly)
CASES = [
    ("Handbook.Hype", "Our cutting-edge clinic offers a breakthrough.",
     "This treatment is newer and less studied than the usual options."),
    ("Handbook.ProviderPraise", "Our esteemed physicians are world-class.",
     "Ask your doctor how many of these injections they have done."),
    ("Handbook.CallToAction", "Schedule your appointment today!",
     "Write down your questions before you see your doctor."),
    ("Handbook.EmotionalHook", "You're not alone: get your life back.",
     "Back pain that lasts a long time can affect sleep and mood."),
    ("Handbook.RhetoricalQuestion", "Suffering with chronic back pain?",
     "How is the injection done?"),
    ("Handbook.Testimonial", "Read our success stories from satisfied patients.",
     "In the trial, people who had the injections reported less pain {cite:p}`goodkey2020`."),
    ("Handbook.PriceOffer", "Book now for a free consultation with no downtime.",
     "The clinic charges for each injection, and insurers rarely pay."),
    ("Handbook.Natural", "An all-natural way to harness your body's healing power.",
     "The injection contains a sugar solution."),
    ("Handbook.ImpliedApproval", "Cells are prepared in our FDA-registered lab.",
     "The FDA has not approved this product for back pain {cite:p}`goodkey2020`."),
    ("Handbook.Superlative", "The most advanced treatment, whose benefits far outweigh the risks.",
     "It has been compared with steroid injections in one small trial {cite:p}`goodkey2020`."),
    ("Handbook.Exclamation", "Relief is finally here!",
     "Is it safe? Ask your doctor."),
    ("Handbook.MedicalJargon", "The analgesic is injected into the thoracic spine.",
     "The pain medicine is injected into the lower back."),
    ("Handbook.PlainWords", "Prior to the procedure, discontinue utilizing aspirin.",
     "Before the procedure, ask whether to stop taking aspirin."),
    ("Handbook.SafetyClaim", "It is a simple, safe procedure with no side effects.",
     "No treatment is completely safe."),
    ("Handbook.SafetyClaim", "The injections are risk-free.",
     "Most people have no serious side effects."),
    ("Handbook.SafetyClaim", "The procedure is safe.",
     "The clinic says the procedure is safe, but gives no evidence."),
    ("Handbook.PainlessClaim", "The injection is virtually painless.",
     "The injection is not painless: most people feel a sting."),
    ("Handbook.CureClaim", "Prolotherapy cures back pain and heals the disc completely.",
     "There is no cure for osteoarthritis."),
    ("Handbook.CureClaim", "The pain is eliminated for good.",
     "Most people make a full recovery within a few weeks."),
    ("Handbook.GuaranteeClaim", "Results are guaranteed: it always works.",
     "There is no guarantee that the injections will help."),
    ("Handbook.GuaranteeClaim", "This is a proven treatment.",
     "It has not been proven to work for back pain."),
    ("Handbook.InstantRelief", "Patients feel immediate pain relief.",
     "Relief, if it comes, may take several weeks."),
    ("Handbook.UncitedStatistic", "80% of people will have back pain.",
     "Most adults have back pain at some time {cite:p}`goodkey2020`."),
    ("Handbook.UncitedStatistic", "Nine out of ten patients feel better.",
     "The injection uses a 15% dextrose solution."),
    ("Handbook.UncitedResearch", "Studies show that the injections strengthen ligaments.",
     "Studies of the injections have had mixed results {cite:p}`goodkey2020`."),
    ("Handbook.UncitedResearch", "This therapy is highly effective for neck pain.",
     "This chapter says what the research shows."),
    ("Handbook.UncitedResearch", "Research supports its use for knee pain.",
     "There is no good evidence that it helps."),
    ("Handbook.UncitedEfficacy", "This procedure relieves chronic pain and heals ligaments.",
     "The injection is meant to start a repair process."),
    ("Handbook.HearsayClaim", "Prolotherapy is said to be greatly effective.",
     "The clinic's page says it works well {cite:p}`goodkey2020`."),
    ("Handbook.HearsayClaim", "Some doctors believe strongly in these injections.",
     "Your doctor can explain the possible benefits and harms."),
]


@pytest.mark.parametrize("rule,bad,good", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_sentence_rule_alerts_and_stays_quiet(rule, bad, good, tmp_path):
    assert rule in ids(alerts_for(bad, tmp_path)), f"{rule} should flag: {bad}"
    assert rule not in ids(alerts_for(good, tmp_path)), f"{rule} should not flag: {good}"


def test_alert_points_at_the_words(tmp_path):
    (alert,) = [a for a in alerts_for("# Title\n\nIt is a\ncutting-edge idea.", tmp_path)
                if a.check == "Handbook.Hype"]
    assert (alert.line, alert.span, alert.match) == (4, (1, 12), "cutting-edge")
    assert alert.severity == "error" and alert.family == "marketing"


def test_claim_argument_is_attributed_but_its_body_is_linted(tmp_path):
    text = (':::{claim} "A safe, painless, cutting-edge cure."\n:verdict: not supported\n'
            "Studies show nothing of the kind.\n:::")
    found = ids(alerts_for(text, tmp_path))
    assert not found & {"Handbook.SafetyClaim", "Handbook.PainlessClaim", "Handbook.Hype",
                        "Handbook.CureClaim"}
    assert {"Handbook.UncitedResearch", "Handbook.ClaimEvidence"} <= found


def test_list_item_is_cited_by_its_lead_in(tmp_path):
    cited = "In the trial {cite:p}`goodkey2020`:\n\n- 60% of people had less pain\n"
    uncited = "In the trial:\n\n- 60% of people had less pain\n"
    assert "Handbook.UncitedStatistic" not in ids(alerts_for(cited, tmp_path))
    assert "Handbook.UncitedStatistic" in ids(alerts_for(uncited, tmp_path))


@pytest.mark.parametrize("text", [
    "Up to 84 percent of adults have low back pain at some time [1,2].",
    "About 7% of people have back pain at any time (Abajobir 2017).",
    "Studies show a small benefit (Smith et al., 2019).",
])
def test_printed_citations_count_on_pages_from_elsewhere(text, tmp_path):
    assert not ids(alerts_for(text, tmp_path)) & {"Handbook.UncitedStatistic",
                                                   "Handbook.UncitedResearch"}


@pytest.mark.parametrize("text", [
    "A cure for chronic back pain has not been found.",
    "Nobody can guarantee the result of a medical procedure.",
    "Back pain often goes away on its own.",
    "It is safe for most people to take.",
    "There is insufficient evidence to support the use of injections.",
])
def test_honest_sentences_raise_no_errors(text, tmp_path):
    assert not [a for a in alerts_for(text, tmp_path) if a.severity == "error"]


def test_txt_pages_get_the_vale_rules_too(tmp_path):
    page = tmp_path / "clinic.txt"
    page.write_text("Our cutting-edge clinic is world-class.\n", encoding="utf-8")
    assert {"Handbook.Hype", "Handbook.ProviderPraise"} <= ids(run([page]))


def test_suggestion_action_for_jargon(tmp_path):
    (a,) = [a for a in alerts_for("Take an analgesic.", tmp_path)
            if a.check == "Handbook.MedicalJargon"]
    assert a.action == {"Name": "replace", "Params": ["pain medicine"]}
    assert a.severity == "warning"


def test_glossary_terms_are_allowed_by_plain_language_rules(tmp_path):
    text = "The needle goes into the lumbar spine."
    assert "Handbook.MedicalJargon" not in ids(alerts_for(text, tmp_path))
    without = alerts_for(text, tmp_path, glossary=str(FIX / "none.md"))
    assert "Handbook.MedicalJargon" in ids(without)


def test_a_word_of_a_longer_glossary_term_is_allowed(tmp_path):
    text = "The needle goes into the subchondral area."
    assert "Handbook.MedicalJargon" not in ids(alerts_for(text, tmp_path))


def test_quoted_source_words_are_not_reworded(tmp_path):
    text = ':::{claim} "An analgesic for lumbar pain."\n:verdict: unclear\nSee {cite:p}`goodkey2020`.\n:::'
    assert "Handbook.MedicalJargon" not in ids(alerts_for(text, tmp_path))


# --------------------------------------------------------------- page rules


def test_well_formed_treatment_chapter_has_no_errors():
    alerts = run([FIX / "treatment-ok.md"], **{"min-level": "error"})
    # (The shared test bibliography has one entry without a locator, reported on the .bib.)
    assert [(a.check, a.line, a.message) for a in alerts if a.path.endswith(".md")] == []


def test_broken_treatment_chapter():
    # treatment-bad.md: no 'source' front matter, a date that is not a date, most required
    # sections missing, 'How it is done' after 'Risks', a long benefits section with a
    # one-line risks section, an unknown citation key, no References, a claim box with a
    # bad verdict and no citation.
    alerts = run([FIX / "treatment-bad.md"])
    by_id: dict[str, list] = {}
    for a in alerts:
        by_id.setdefault(a.check, []).append(a)
    fm = [a.message for a in by_id["Handbook.FrontMatter"]]
    assert any("'source'" in m for m in fm) and any("not a date" in m for m in fm)
    missing = {a.match for a in by_id["Handbook.RequiredSections"]}
    assert {"What it is used for", "Cost and insurance", "Other options"} <= missing
    assert "What it is" not in missing
    assert any("out of order" in a.message for a in by_id["Handbook.RequiredSections"])
    assert by_id["Handbook.Balance"][0].line == 21  # the Risks heading
    (unknown,) = by_id["Handbook.UnknownCitation"]
    assert (unknown.match, unknown.line) == ("missingkey2021", 11)
    assert "Handbook.MissingReferences" in by_id
    assert by_id["Handbook.ClaimVerdict"][0].match == "maybe"
    assert "Handbook.ClaimEvidence" in by_id


def test_balance_ratio_is_configurable():
    alerts = run([FIX / "treatment-bad.md"], **{"balance-ratio": 50})
    assert "Handbook.Balance" not in ids(alerts)


def test_required_sections_are_configurable():
    alerts = run([FIX / "treatment-bad.md"], **{"required-sections": ["What it is"]})
    assert "Handbook.RequiredSections" not in ids(alerts)


def test_regulatory_status():
    assert "Handbook.RegulatoryStatus" in ids(run([FIX / "regen-bad.md"]))
    flagged = [a.match for a in run([FIX / "regen-bad.md"])
               if a.check == "Handbook.RegulatoryStatus"]
    assert flagged == ["platelet-rich plasma", "stem cells"]
    assert "Handbook.RegulatoryStatus" not in ids(run([FIX / "regen-ok.md"]))


def test_reference_without_locator_and_unused_reference(tmp_path):
    # The book is linted when the run includes the index.md next to the bibliography.
    book = tmp_path / "book"
    book.mkdir()
    (book / "references.bib").write_text((FIX / "references.bib").read_text())
    (book / "index.md").write_text("# Book\n\nIt helped {cite:p}`goodkey2020`.\n\n"
                                   "## References\n\n```{bibliography}\n```\n")
    alerts = run([book / "index.md"], bibliography=str(book / "references.bib"))
    locator = [a for a in alerts if a.check == "Handbook.ReferenceLocator"]
    assert [(Path(a.path).name, a.line, a.match) for a in locator] == [
        ("references.bib", 9, "nolocator2019")]
    unused = {a.match for a in alerts if a.check == "Handbook.UnusedReference"}
    assert unused == {"nolocator2019", "unused2018"}
    # A single chapter is not the whole book: no unused-reference alerts.
    chapter = book / "chapter.md"
    chapter.write_text("# Chapter\n\nIt helped {cite:p}`goodkey2020`.\n\n## References\n")
    alerts = run([chapter], bibliography=str(book / "references.bib"))
    assert "Handbook.UnusedReference" not in ids(alerts)


def test_missing_bibliography_is_one_clear_alert(tmp_path):
    alerts = alerts_for("It helped {cite:p}`goodkey2020`.\n\n## References", tmp_path,
                        bibliography=str(tmp_path / "nope.bib"))
    (a,) = [a for a in alerts if a.check == "Handbook.UnknownCitation"]
    assert "not found" in a.message


def test_readability_flags_hard_sections_only():
    alerts = [a for a in run([FIX / "hard-section.md"], **{"min-words": 40})
              if a.family == "readability"]
    assert {a.check for a in alerts} == {"Handbook.GradeLevel", "Handbook.SmogGrade"}
    assert {a.line for a in alerts} == {3}  # '## Mechanism', not '## Plain'
    assert all(a.severity == "warning" for a in alerts)


def test_readability_limit_is_configurable():
    alerts = run([FIX / "hard-section.md"], **{"max-grade": 40, "max-smog": 40, "min-words": 40})
    assert not [a for a in alerts if a.family == "readability"]


def test_a_setting_of_the_wrong_type_is_a_clear_error():
    from handbook_lint import LintError

    with pytest.raises(LintError, match="setting 'max-grade' .* must be a number"):
        run([FIX / "hard-section.md"], **{"max-grade": "abc"})


def test_glossary_terms_do_not_count_against_readability():
    page = FIX / "glossary-section.md"
    with_glossary = [a for a in run([page], **{"min-words": 40}) if a.family == "readability"]
    without = [a for a in run([page], **{"min-words": 40, "glossary": str(FIX / "none.md")})
               if a.family == "readability"]
    assert with_glossary == [] and without != []


# ---------------------------------------------------------- rule documentation


def test_vale_rules_use_only_re2_syntax():
    """The real `vale` binary uses Go's RE2: no lookaround, backreferences or atomic groups."""
    import re as _re

    import yaml

    forbidden = _re.compile(r"\(\?[=!<>]|\(\?<[=!]|\\[1-9]|\(\?-|[*+?}]\+")
    for path in sorted((ROOT / "styles" / "Handbook").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        patterns = list(data.get("tokens") or []) + list(data.get("raw") or [])
        patterns += list((data.get("swap") or {}).keys())
        for p in patterns:
            assert not forbidden.search(str(p)), f"{path.name}: {p!r} is not RE2 syntax"


def test_every_defined_check_is_registered():
    registered = {c.id for c in all_checks()}
    for name in MODULES:
        module = importlib.import_module(f"handbook_lint.checks.{name}")
        for value in vars(module).values():
            if isinstance(value, (Check, ProjectCheck)):
                assert value.id in registered, f"checks/{name}.py defines {value.id} unregistered"


def test_every_rule_is_documented_and_linked():
    for m in iter_rule_meta(ROOT):
        if not m.id.startswith("Handbook."):
            continue
        assert m.family and m.level and m.message, m.id
        assert m.what and m.why and m.standard and m.bad and m.good, m.id
        assert m.link.startswith(("https://", "http://")), m.id


SENTENCE_KINDS = ("existence", "substitution")
SENTENCE_CHECKS = {"Handbook.SafetyClaim", "Handbook.PainlessClaim", "Handbook.CureClaim",
                   "Handbook.GuaranteeClaim", "Handbook.InstantRelief",
                   "Handbook.UncitedStatistic", "Handbook.UncitedResearch", "Handbook.UncitedEfficacy",
                   "Handbook.HearsayClaim"}


def _sentence_metas():
    return [m for m in iter_rule_meta(ROOT)
            if m.id.startswith("Handbook.") and (m.kind in SENTENCE_KINDS or m.id in SENTENCE_CHECKS)]


@pytest.mark.parametrize("meta", _sentence_metas(), ids=lambda m: m.id)
def test_documented_examples_behave(meta, tmp_path):
    assert meta.id in ids(alerts_for(meta.bad, tmp_path)), f"'bad' example of {meta.id} is quiet"
    assert meta.id not in ids(alerts_for(meta.good, tmp_path)), f"'good' example of {meta.id} alerts"


def test_every_sentence_rule_has_a_table_case():
    covered = {c[0] for c in CASES}
    missing = {m.id for m in _sentence_metas()} - covered
    assert not missing, f"add must-alert/must-not-alert cases for {sorted(missing)}"


def test_check_records_are_frozen_records():
    for c in all_checks():
        assert inspect.isfunction(c.run) or callable(c.run)
        with pytest.raises(Exception):
            c.level = "warning"  # type: ignore[misc]
