"""Pattern families: each rule catches a family of wordings, not one sentence.

For every family, several wordings that real clinic pages use in different shapes must
raise the rule, and an honest sentence that uses the same words must not raise any
error of the three sentence families. None of these sentences is in tests/corpus/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from handbook_lint import lint

ROOT = Path(__file__).resolve().parents[1]
FAMILIES = ("marketing", "absolute", "reference")


def error_checks(sentences: list[str], tmp_path: Path) -> list[set[str]]:
    """Lint each sentence as its own paragraph; the error-level rules per sentence."""
    md = tmp_path / "page.md"
    md.write_text("".join(s + "\n\n" for s in sentences), encoding="utf-8")
    alerts = lint([str(md)], {"root": str(ROOT), "cache": False, "min-level": "error",
                              "select": list(FAMILIES),
                              "ignore": ["Handbook.UnknownCitation", "Handbook.MissingReferences",
                                         "Handbook.ReferenceLocator", "Handbook.UnusedReference"]})
    found: list[set[str]] = [set() for _ in sentences]
    for a in alerts:
        found[(a.line - 1) // 2].add(a.check)
    return found


# family name, rule, wordings that must alert, honest sentences that must stay quiet
CASES = [
    ("question hook with 'you'", "Handbook.RhetoricalQuestion",
     ["Is stiffness stopping you from playing with your grandkids?",
      "Feeling trapped by your sore knees?",
      "Shoulder pain? We can help."],
     ["What happens after the injection?", "Will I need more than one session?"]),
    ("verb your X back", "Handbook.EmotionalHook",
     ["Win back your summers on the lake.", "We help you get your golf swing back.",
      "Put the spring back in your step and take back your mornings."],
     ["Your doctor will check your back before the injection."]),
    ("praise of the team", "Handbook.ProviderPraise",
     ["Our warm, attentive nurses make every visit easy.",
      "Dr. Shah has devoted her career to helping athletes heal.",
      "Your comfort is our number one priority."],
     ["Ask the nurse who will do the procedure and what training they have."]),
    ("imperative with urgency", "Handbook.CallToAction",
     ["Grab one of the remaining spots before the offer ends.",
      "Sign up today: the workshop fills quickly.",
      "Email our front desk and we'll handle the rest."],
     ["If the area becomes hot and red, call your doctor the same day."]),
    ("price and offer talk", "Handbook.PriceOffer",
     ["Take 25% off your second session.", "Initial consultation is on us.",
      "Pain relief without needles or pills, with treatments priced from just $49."],
     ["Ask for the full price in writing; insurance rarely pays for it."]),
    ("natural as a selling point", "Handbook.Natural",
     ["Your body was built to heal itself.", "Totally drug-free and gentle.",
      "A therapy powered by nature."],
     ["PRP is made from your own blood, but the injection still has risks."]),
    ("adjective results and selling triads", "Handbook.Hype",
     ["Patients see dramatic results.", "Quick, painless and affordable.",
      "Move better, sleep better, live better."],
     ["The results of the trials were mixed."]),
    ("safety for everyone", "Handbook.SafetyClaim",
     ["The shots are suitable for patients of all ages.",
      "Nothing can go wrong during the procedure.",
      "Our patients never develop infections."],
     ["The injection is not suitable for everyone: ask about your other health problems."]),
    ("fast return and first-visit results", "Handbook.InstantRelief",
     ["Healing is instant.", "You can head back to the office the same afternoon.",
      "Feel the results from day one.", "Patients feel better after a single session."],
     ["Some people feel better after the first session; others need several."]),
    ("results promised to the reader", "Handbook.GuaranteeClaim",
     ["You'll notice a real difference within days.", "It works on every body type.",
      "Just one treatment is needed, and it is one and done."],
     ["Nobody can promise that you will notice a difference."]),
    ("averages and multipliers as results", "Handbook.UncitedStatistic",
     ["The typical patient feels better in two weeks.",
      "Patients get a 4x improvement in range of motion.",
      "Most people need only three to five sessions."],
     ["In one trial, the average age was 45 {cite:p}`dagenais2007`."]),
    ("what most people notice", "Handbook.UncitedResearch",
     ["Most of the people we treat report fewer flare-ups.",
      "The numbers speak for themselves."],
     ["Most people in the trial noticed less pain {cite:p}`dagenais2007`."]),
    ("praise by metaphor, award and mission", "Handbook.ProviderPraise",
     ["Our hygienists are magicians with a needle.", "Pain relief is our calling.",
      "Two-time winner of the Best of the Valley award.", "Our promise: no one is rushed."],
     ["Our pain team includes doctors, nurses and physiotherapists."]),
    ("promotional imperative opening a sentence", "Handbook.CallToAction",
     ["Unlock your best season yet.", "Relief is close. Upgrade your recovery plan today."],
     ["Claim the cost back from your insurer if your plan allows it."]),
    ("safety as a record or an impossibility", "Handbook.SafetyClaim",
     ["The clinic has a spotless safety record.", "You can't get an infection from this shot.",
      "It has none of the side effects of pills."],
     ["You cannot have the injection if you have an infection."]),
    ("a treatment said to work", "Handbook.UncitedEfficacy",
     ["Spinal decompression rehydrates the discs.", "Laser relieves nerve pain."],
     ["Laser treatment is meant to relieve nerve pain, but it may not help."]),
]


@pytest.mark.parametrize("family,rule,bad,good", CASES, ids=[c[0] for c in CASES])
def test_family_alerts_on_every_shape_and_stays_quiet_on_honest_text(family, rule, bad, good,
                                                                     tmp_path):
    found = error_checks(bad + good, tmp_path)
    for sentence, checks in zip(bad, found):
        assert rule in checks, f"{rule} ({family}) should flag: {sentence}"
    for sentence, checks in zip(good, found[len(bad):]):
        assert not checks, f"honest sentence raised {sorted(checks)}: {sentence}"
