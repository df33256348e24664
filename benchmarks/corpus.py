"""Build benchmark corpora of MyST Markdown files.

Each corpus is a folder of chapter-sized files (about 2,000 words each, so that
``--jobs`` has files to spread over) made of two kinds of text:

* passages from the handbook's own pages (``docs/**/*.md``, or the Markdown under
  ``tests/fixtures`` while the handbook has no pages yet), about a quarter of each file;
* generated clinic-style promotional text from the templates below: hype, absolutes,
  statistics without a source, testimonials, calls to action, mixed with neutral
  sentences, lists, notes and citations, so every rule family has work to do.

The generator is seeded, so the same size always gives the same files (for the same
handbook text). Usage::

    python benchmarks/corpus.py --sizes 10000 100000 1000000
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = ROOT / "benchmarks" / "_corpus"
WORDS_PER_FILE = 2000
HANDBOOK_SHARE = 0.25
FORMAT_VERSION = 2  # bump when the templates change, so old corpora are rebuilt

# --------------------------------------------------------------------------------------
# Templates for the generated promotional text. Written for this benchmark; no clinic's
# page is quoted.
# --------------------------------------------------------------------------------------
TREATMENTS = [
    "intraosseous therapy", "intraosseous injection", "prolotherapy",
    "dextrose prolotherapy", "platelet-rich plasma therapy", "radiofrequency ablation",
    "spinal cord stimulation", "epidural steroid injection", "facet joint injection",
    "basivertebral nerve ablation", "regenerative injection therapy",
    "interventional pain management", "nerve block", "physical therapy",
]
PLACES = [
    "lower back", "spine", "neck", "sacroiliac joint", "vertebrae", "discs", "hips",
    "shoulders", "knees", "joints",
]
HYPE = [
    "cutting-edge", "revolutionary", "state-of-the-art", "world-class", "innovative",
    "breakthrough", "advanced", "leading", "premier", "unmatched", "exceptional",
    "life-changing", "miraculous", "groundbreaking", "best-in-class", "top-rated",
]
PROVIDER = [
    "our esteemed physicians", "our expert team", "our board-certified specialists",
    "our caring staff", "our world-renowned doctors", "our dedicated clinicians",
    "our award-winning surgeons", "our experienced providers",
]
ABSOLUTE = [
    "is completely safe", "is painless", "has no side effects", "always works",
    "eliminates pain for good", "guarantees lasting relief", "is 100% effective",
    "cures the root cause", "is risk-free", "works for everyone",
    "permanently repairs damaged tissue", "never fails",
]
OUTCOMES = [
    "reduce pain", "restore mobility", "heal damaged ligaments", "speed recovery",
    "improve sleep", "get you back to the activities you love", "avoid surgery",
    "strengthen weak tendons", "calm inflamed nerves", "rebuild cartilage",
]
CTA = [
    "Call today to schedule your free consultation!",
    "Book your appointment now and start living pain-free.",
    "Don't wait another day: contact us today!",
    "Limited spots are available this month, so act now.",
    "Request your no-obligation evaluation online today.",
    "Ask about our special offer for new patients!",
    "Take the first step toward a pain-free life today.",
]
HOOKS = [
    "Are you tired of living with constant back pain?",
    "Imagine waking up without pain every single morning.",
    "You deserve to enjoy life again.",
    "Stop letting pain control your life.",
    "Why suffer one more day?",
    "What if you never needed pain pills again?",
]
NAMES = [
    "Mary T.", "James R.", "Linda K.", "Robert S.", "Patricia L.", "Michael D.",
    "Barbara W.", "David H.", "Susan M.", "Thomas B.", "Karen P.", "Daniel G.",
]
QUOTES = [
    "After just one visit my pain was gone.",
    "I wish I had found this clinic years ago.",
    "The staff treated me like family and I feel twenty years younger.",
    "I was able to cancel my back surgery.",
    "Nothing else worked until I came here.",
    "I can play with my grandchildren again.",
]
JARGON = [
    "analgesic", "efficacious", "contraindicated", "etiology", "nociceptive",
    "paravertebral", "degenerative", "ameliorate", "subchondral", "proliferant",
]
NEUTRAL = [
    "Back pain is common, and most episodes get better within a few weeks.",
    "Talk with your doctor about the possible benefits and risks before you decide.",
    "Some people feel sore for a day or two after an injection.",
    "The research on this treatment is limited, and studies have been small.",
    "Your insurance plan may not pay for this treatment, so ask before you book.",
    "Other options include exercise, physical therapy and pain medicine.",
    "Doing nothing and waiting is also a choice for many kinds of back pain.",
    "Ask how many times the doctor has done this procedure.",
    "The needle is guided with an X-ray or an ultrasound picture.",
    "You will usually go home the same day.",
    "Results differ from person to person, and relief may not last.",
    "Write down your questions before the visit so you do not forget them.",
]
CITE_KEYS = ["smith2020", "jones2019", "lee2021", "garcia2018", "chen2022"]
STATS = [
    "{n}% of our patients report significant improvement",
    "{n}% of people are pain-free after {k} sessions",
    "studies show a {n}% success rate",
    "research proves it works in {n}% of cases",
    "{k} out of 10 patients never need surgery",
    "clinical trials confirm {n}% less pain",
]


def cite_keys(root: Path = ROOT) -> list[str]:
    """Keys of the handbook's bibliography, so generated citations resolve like real ones
    (the made-up keys above when there is none)."""
    try:
        bib = (root / "docs" / "references.bib").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return CITE_KEYS
    keys = re.findall(r"(?m)^\s*@\w+\s*\{\s*([^,\s]+)\s*,", bib)
    return sorted(set(keys)) or CITE_KEYS


_KEYS = CITE_KEYS


def _sentence(rng: random.Random) -> str:
    kind = rng.random()
    t = rng.choice(TREATMENTS)
    if kind < 0.14:
        return (f"At our clinic, {rng.choice(PROVIDER)} provide {rng.choice(HYPE)} "
                f"{t} for the {rng.choice(PLACES)}.")
    if kind < 0.24:
        return f"{t.capitalize()} {rng.choice(ABSOLUTE)}."
    if kind < 0.34:
        stat = rng.choice(STATS).format(n=rng.randint(60, 99), k=rng.randint(6, 9))
        return f"{stat[0].upper()}{stat[1:]}."
    if kind < 0.42:
        return (f"Our {rng.choice(HYPE)} approach can {rng.choice(OUTCOMES)} and "
                f"{rng.choice(OUTCOMES)} without {rng.choice(['surgery', 'drugs', 'downtime'])}.")
    if kind < 0.48:
        return rng.choice(HOOKS)
    if kind < 0.53:
        return rng.choice(CTA)
    if kind < 0.60:
        return (f"The {rng.choice(JARGON)} effect of {t} may "
                f"{rng.choice(OUTCOMES)} in {rng.choice(JARGON)} conditions of the "
                f"{rng.choice(PLACES)}.")
    if kind < 0.70:
        key = rng.choice(_KEYS)
        return (f"A small study of {t} found that some people had less pain after "
                f"{rng.randint(3, 12)} months {{cite:p}}`{key}`.")
    if kind < 0.76:
        return (f"{t.capitalize()} is the {rng.choice(['best', 'most effective', 'safest', 'fastest'])} "
                f"way to treat pain in the {rng.choice(PLACES)}, and it is "
                f"{rng.choice(['very', 'extremely', 'truly', 'really'])} "
                f"{rng.choice(['simple', 'easy', 'gentle', 'effective'])}.")
    if kind < 0.80:
        return (f"Visit `https://example.org/{t.replace(' ', '-')}` or call "
                f"555-{rng.randint(1000, 9999)} for details.")
    return rng.choice(NEUTRAL)


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(3, 6)))


def _block(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.62:
        return _paragraph(rng)
    if kind < 0.72:
        return "\n".join(f"- {_sentence(rng)}" for _ in range(rng.randint(3, 5)))
    if kind < 0.80:
        return (f'> "{rng.choice(QUOTES)} {rng.choice(QUOTES)}"\n>\n'
                f"> — {rng.choice(NAMES)}, age {rng.randint(35, 85)}")
    if kind < 0.88:
        admon = rng.choice(["note", "tip", "important", "warning"])
        return f":::{{{admon}}}\n{_paragraph(rng)}\n:::"
    if kind < 0.93:
        return (f"## {rng.choice(['Why choose us', 'How it works', 'Benefits', 'Our results', 'What to expect', 'Frequently asked questions'])}")
    if kind < 0.96:
        return ("| Treatment | Sessions | Relief |\n|---|---|---|\n" + "\n".join(
            f"| {rng.choice(TREATMENTS)} | {rng.randint(1, 6)} | {rng.randint(50, 99)}% |"
            for _ in range(3)))
    return "```text\nappointment-code: " + hashlib.sha1(str(rng.random()).encode()).hexdigest()[:12] + "\n```"


# --------------------------------------------------------------------------------------
# Handbook text
# --------------------------------------------------------------------------------------
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


def handbook_passages(root: Path = ROOT) -> tuple[list[str], str]:
    """Return (passages, origin): Markdown chunks split at H2 headings."""
    origin = "docs"
    files = sorted(p for p in (root / "docs").glob("**/*.md")
                   if "_build" not in p.parts and "_templates" not in p.parts)
    if not files:
        origin = "tests/fixtures"
        files = sorted((root / "tests" / "fixtures").glob("**/*.md"))
    passages: list[str] = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # a deliberately broken fixture
        text = _FRONT_MATTER.sub("", text)
        for chunk in re.split(r"(?m)^(?=## )", text):
            chunk = chunk.strip()
            if len(chunk.split()) >= 20:
                passages.append(chunk)
    if not passages:
        origin = "none"
    return passages, origin


def words(text: str) -> int:
    """Words as every tool sees the same file: whitespace-separated tokens."""
    return len(text.split())


def _one_file(rng: random.Random, index: int, target: int, passages: list[str]) -> str:
    parts = [
        "---\nkind: benchmark\n---",
        f"# {rng.choice(TREATMENTS).capitalize()} at our clinic ({index})",
    ]
    count = sum(words(p) for p in parts)
    handbook_target = int(target * HANDBOOK_SHARE) if passages else 0
    used = 0
    while used < handbook_target:
        passage = passages[rng.randrange(len(passages))]
        parts.append(passage)
        used += words(passage)
    count += used
    while count < target:
        block = _block(rng)
        parts.append(block)
        count += words(block)
    parts.append(rng.choice(CTA))
    return "\n\n".join(parts) + "\n"


def build(size: int, *, out_dir: Path = CORPUS_DIR, root: Path = ROOT,
          words_per_file: int = WORDS_PER_FILE, quiet: bool = False) -> dict:
    """Build (or reuse) the corpus of about ``size`` words; return its manifest."""
    global _KEYS
    passages, origin = handbook_passages(root)
    _KEYS = cite_keys(root)
    digest = hashlib.sha256(
        json.dumps([FORMAT_VERSION, Path(__file__).read_text(), size, words_per_file,
                    passages, _KEYS]).encode()
    ).hexdigest()[:16]
    target_dir = out_dir / f"{size}"
    manifest_path = target_dir / "manifest.json"
    if manifest_path.exists():
        try:
            manifest = json.loads(manifest_path.read_text())
            if manifest.get("digest") == digest:
                return manifest
        except (OSError, ValueError):
            pass
    if target_dir.exists():
        shutil.rmtree(target_dir)
    target_dir.mkdir(parents=True)
    rng = random.Random(size)
    n_files = max(1, round(size / words_per_file))
    per_file = size / n_files
    files, total = [], 0
    for i in range(n_files):
        text = _one_file(rng, i + 1, int(per_file), passages)
        name = f"page-{i + 1:04d}.md"
        (target_dir / name).write_text(text, encoding="utf-8")
        files.append(name)
        total += words(text)
    manifest = {"digest": digest, "size": size, "words": total, "files": files,
                "handbook_text_from": origin, "handbook_passages": len(passages)}
    manifest_path.write_text(json.dumps(manifest, indent=1))
    if not quiet:
        print(f"corpus {size}: {len(files)} files, {total} words "
              f"(handbook text from {origin}) in {target_dir.relative_to(root)}")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--out", type=Path, default=CORPUS_DIR)
    args = parser.parse_args(argv)
    for size in args.sizes:
        if size < 100:
            parser.error("sizes must be at least 100 words")
        build(size, out_dir=args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
