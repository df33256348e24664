"""A native engine for Vale YAML styles, with Vale's semantics for the rule types we use.

One small class per ``extends`` type (existence, substitution, occurrence, repetition,
consistency, conditional, capitalization) over one shared definition of the common keys,
as in Vale's ``internal/check/*.go``. Loading is strict: an unknown rule type or key, a
bad level or scope, a YAML error or a regex that does not compile is a
:class:`ConfigError` naming the rule file and line. A regex that runs longer than the
timeout on one piece of text is stopped and reported, never left to hang the run.

Each rule file also carries handbook metadata in its leading comment block, which Vale
ignores::

    # family: marketing
    # what: Flags hype adjectives such as "cutting-edge".
    # why: ...
    #   continued on the next line (continuation lines start with "#   ")
    # standard: FTC Health Products Compliance Guidance
    # bad: Our cutting-edge treatment ...
    # good: This treatment is newer and has been studied less.

``family`` is required (one of :data:`handbook_lint.alert.FAMILIES`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import regex

from .alert import FAMILIES, LEVELS, Alert, level_rank
from . import wordkeys
from .config import ConfigError, ValeIni

if TYPE_CHECKING:
    from .document import Document

# ------------------------------------------------------------------ metadata

META_KEYS = ("family", "what", "why", "standard", "bad", "good")


@dataclass(frozen=True)
class RuleMeta:
    """A rule's identity and documentation, the same shape for Vale and Python rules."""

    id: str
    family: str
    level: str
    message: str
    link: str
    what: str = ""
    why: str = ""
    standard: str = ""
    bad: str = ""
    good: str = ""
    kind: str = ""  # "existence", "substitution", ... or "python" / "python-project"
    source: str = ""  # rule file or module
    line: int = 1


def parse_metadata(text: str, path: str) -> tuple[dict[str, str], dict[str, int]]:
    """The ``# key: value`` pairs of the leading comment block, and their lines."""
    meta: dict[str, str] = {}
    lines: dict[str, int] = {}
    last: str | None = None
    for lineno, raw in enumerate(text.split("\n"), start=1):
        if not raw.startswith("#"):
            if raw.strip() == "" and not meta:
                continue
            break
        if raw.startswith("#   ") and last is not None:
            sep = "\n" if last in ("bad", "good") else " "
            meta[last] = (meta[last] + sep + raw[4:].strip()).strip()
            continue
        m = regex.match(r"^#\s*([a-z]+):\s?(.*)$", raw)
        if m and m.group(1) in META_KEYS:
            last = m.group(1)
            if last in meta:
                raise ConfigError(path, lineno, f"metadata '{last}' given twice")
            meta[last] = m.group(2).strip()
            lines[last] = lineno
        else:
            last = None
    if "family" not in meta:
        raise ConfigError(path, 1, "missing '# family: <family>' metadata comment at the top")
    if meta["family"] not in FAMILIES:
        raise ConfigError(path, lines["family"],
                          f"family {meta['family']!r} is not one of {', '.join(FAMILIES)}")
    return meta, lines


# ------------------------------------------------------------------ YAML positions

def _yaml():
    """PyYAML and its fastest safe loader, imported only when rules are compiled (a run
    served from the cache never needs them)."""
    import yaml

    return yaml, getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _key_lines(text: str) -> dict[str, Any]:
    """Line numbers (1-based) of top-level keys, list items and swap keys."""
    yaml, loader = _yaml()
    out: dict[str, Any] = {}
    try:
        node = yaml.compose(text, Loader=loader)
    except yaml.YAMLError:
        return out
    if not isinstance(node, yaml.MappingNode):
        return out
    for k, v in node.value:
        key = k.value
        out[key] = k.start_mark.line + 1
        if isinstance(v, yaml.SequenceNode):
            out[key + "[]"] = [item.start_mark.line + 1 for item in v.value]
        elif isinstance(v, yaml.MappingNode):
            out[key + "{}"] = {kk.value: kk.start_mark.line + 1 for kk, _ in v.value}
    return out


# ------------------------------------------------------------------ helpers

_WORD = r"\b(?:%s)\b"
_NONWORD = r"(?:%s)"
VALID_SCOPES = (
    "text", "heading", "heading.h1", "heading.h2", "heading.h3", "heading.h4", "heading.h5",
    "heading.h6", "table", "table.header", "table.cell", "table.caption", "figure.caption",
    "list", "paragraph", "sentence", "alt", "title", "blockquote", "summary", "raw",
)
COMMON_KEYS = {"extends", "message", "description", "level", "scope", "link", "limit",
               "action"}


_VERB = regex.compile("%[s%]")
_PARTS: dict[str, list[str]] = {}  # message -> its text around each %s


def format_message(msg: str, *subs: str) -> str:
    """Go's ``fmt.Sprintf`` for the ``%s`` verbs Vale messages use (missing -> "")."""
    if "%" not in msg:
        return msg
    if "%%" not in msg:  # the common case: split once, no regex call
        parts = _PARTS.get(msg)
        if parts is None:
            parts = msg.split("%s")
            if len(_PARTS) < 4096:  # rule messages: a few dozen
                _PARTS[msg] = parts
        out = [parts[0]]
        for i, part in enumerate(parts[1:]):
            out.append(subs[i] if i < len(subs) else "")
            out.append(part)
        return "".join(out)
    rest = iter(subs)
    # Left to right, as Go does: "%%" is a literal "%", each "%s" takes the next value.
    return _VERB.sub(lambda m: "%" if m.group() == "%%" else next(rest, ""), msg)


def to_sentence(words: list[str], conj: str) -> str:
    if len(words) == 1:
        return f"'{words[0]}'"
    if len(words) == 2:
        return f"'{words[0]}' {conj} '{words[1]}'"
    quoted = [f"'{w}'" for w in words]
    quoted[-1] = conj + " " + quoted[-1]
    return ", ".join(quoted)


def is_phrase(s: str) -> bool:
    return all(c.isalpha() or c.isdigit() or c in " -" for c in s)


class RegexTimeout(Exception):
    def __init__(self, rule: ValeRule) -> None:
        super().__init__(rule.id)
        self.rule = rule


@dataclass
class Hit:
    start: int
    end: int
    message: str
    match: str
    action: dict[str, Any] | None = None


@dataclass
class FileState:
    """Per-file memory of rules that look across blocks (consistency, conditional)."""

    sequences: dict[str, list[str]] = field(default_factory=dict)


# ------------------------------------------------------------------ rules


_CONTEXT_SENSITIVE = regex.compile(r"\^|\$|\\[AZzGB]|\(\?<?[=!]")


class ValeRule:
    """Common keys of every rule type (Vale's ``Definition``)."""

    type_keys: frozenset[str] = frozenset()
    uses_vocab = False
    keyed: wordkeys.KeyedList | None = None  # word-list rules scanned through a wordkeys.Words
    #: A character every match contains: a unit without it is skipped (existence and
    #: substitution rules only, whose units are independent of each other).
    needs: str | None = None

    def __init__(self, rule_id: str, path: str, data: dict[str, Any], lines: dict[str, Any],
                 meta: dict[str, str], accepted: list[str], timeout: float) -> None:
        self.id = rule_id
        self.path = path
        self.lines = lines
        self.timeout = timeout
        self.extends = data["extends"]
        self.message = str(data.get("message", ""))
        self.description = str(data.get("description", ""))
        self.level = data.get("level", "warning")
        self.link = str(data.get("link", "") or "")
        self.limit = int(data.get("limit", 0) or 0)
        action = data.get("action") or {}
        if not isinstance(action, dict):
            self.fail("action", "action must be a mapping with 'name' and 'params'")
        for k in action:
            if k not in ("name", "params"):
                self.fail("action", f"unknown action key {k!r}")
        self.action = {"Name": str(action.get("name", "")), "Params": action.get("params")}
        scope = data.get("scope", ["text"])
        self.scopes = [scope] if isinstance(scope, str) else list(scope or ["text"])
        self.check_scopes()
        self.family = meta["family"]
        self.meta = meta
        self.vocab = bool(data.get("vocab", True))
        self.except_re = None
        if self.uses_vocab or "exceptions" in data:
            self.except_re = self.exceptions_re(list(data.get("exceptions") or []),
                                                accepted if self.vocab else [])
        self.data = data
        self.setup(data)
        self.unit = "sentence" if any("sentence" in s for s in self.scopes if not s.startswith("~")) else "block"
        if any(s.strip() == "raw" for s in self.scopes):
            self.unit = "raw"
        self._selectors = [
            [(p.strip().lstrip("~"), p.strip().startswith("~")) for p in s.split("&")]
            for s in self.scopes
        ]

    # -- loading helpers
    def line_of(self, key: str) -> int:
        v = self.lines.get(key)
        return v if isinstance(v, int) else 1

    def fail(self, key: str, message: str, line: int | None = None) -> None:
        raise ConfigError(self.path, line or self.line_of(key), message)

    def check_scopes(self) -> None:
        for s in self.scopes:
            for part in str(s).split("&"):
                name = part.strip().lstrip("~")
                if name not in VALID_SCOPES:
                    self.fail("scope", f"'{name}' is not a valid scope; must be one of "
                                       f"{', '.join(VALID_SCOPES)}")

    def compile(self, pattern: str, key: str, flags: int = 0, line: int | None = None):
        try:
            return regex.compile(pattern, flags | regex.MULTILINE)
        except (regex.error, ValueError, OverflowError) as exc:
            self.fail(key, f"regex does not compile: {exc} in {pattern!r}", line)
        return None  # unreachable

    def exceptions_re(self, exceptions: list[str], accepted: list[str]):
        terms = [str(t) for t in exceptions] + list(accepted)
        if not terms:
            return None
        terms.sort(key=len, reverse=True)
        parts = []
        for t in terms:
            parts.append("(?i:" + t[4:] + ")" if t.startswith("(?i)") else "(?-i:" + t + ")")
        return self.compile(_WORD % "|".join(parts), "exceptions")

    def is_exception(self, s: str) -> bool:
        return self.except_re is not None and self.except_re.search(s, timeout=self.timeout) is not None

    def finditer(self, pattern, text: str) -> Iterator[Any]:
        try:
            yield from pattern.finditer(text, timeout=self.timeout)
        except TimeoutError:
            raise RegexTimeout(self) from None

    def scan_keyed(self, text: str, words: wordkeys.Words | None):
        """(start, end, list index) of the rule's word list's matches (see
        :class:`wordkeys.KeyedList`): a list, or where the time ran out, an iterator
        over the matches found before that which then raises RegexTimeout."""
        if words is None:
            words = wordkeys.Words(text)
        try:
            return self.keyed.scan(words, self.timeout)
        except wordkeys.ScanTimeout as exc:
            return self._then_timeout(exc.found)

    def _then_timeout(self, found: list) -> Iterator[Any]:
        yield from found
        raise RegexTimeout(self)

    def matches_scopes(self, scopes: frozenset[str]) -> bool:
        for sel in self._selectors:
            ok = True
            for name, negated in sel:
                if name in ("sentence", "text", "raw", "summary"):
                    present = True
                else:
                    present = name in scopes or (
                        name.startswith("heading.") and name in scopes)
                if negated == present:
                    ok = False
                    break
            if ok:
                return True
        return False

    def make_hit(self, start: int, end: int, text: str, *subs: str) -> Hit:
        match = text[start:end]
        msg = format_message(self.message, *(subs or (match,)))
        return Hit(start, end, msg, match, dict(self.action))

    # -- quick rejection
    def absent_from(self, joined: str) -> bool:
        """True when the rule cannot fire anywhere in ``joined`` (all prose of a file,
        blocks separated by blank lines): one search instead of one per sentence.

        Only for patterns without anchors or lookarounds, whose matches in a sentence are
        exactly its matches in the joined text."""
        pattern = getattr(self, "prefilter", None)
        if pattern is None:
            return False
        try:
            return pattern.search(joined, timeout=self.timeout) is None
        except TimeoutError:
            return False  # let the per-unit scan report it where it happens

    def set_prefilter(self, pattern) -> None:
        self.prefilter = None if _CONTEXT_SENSITIVE.search(pattern.pattern) else pattern

    # -- per type
    def setup(self, data: dict[str, Any]) -> None:  # pragma: no cover - overridden
        pass

    def run(self, text: str, state: FileState,
            words: wordkeys.Words | None = None) -> Iterator[Hit]:  # pragma: no cover
        return iter(())


class Existence(ValeRule):
    type_keys = frozenset({"raw", "tokens", "exceptions", "append", "ignorecase", "nonword",
                           "vocab"})
    uses_vocab = True

    def setup(self, data: dict[str, Any]) -> None:
        tokens = [str(t) for t in (data.get("tokens") or []) if str(t).strip()]
        raw = "".join(str(r) for r in (data.get("raw") or []))
        if not tokens and not raw:
            self.fail("extends", "existence rule needs 'tokens' or 'raw'")
        word = not data.get("nonword", False) and tokens
        template = _WORD if word else _NONWORD
        pattern = (template + raw) if data.get("append", False) else (raw + template)
        pattern = pattern.replace("%s", "|".join(tokens), 1)
        flags = regex.IGNORECASE if data.get("ignorecase", False) else 0
        self.flags = flags
        self.keyed = None
        if word and not raw:
            self.keyed = wordkeys.build(tokens, self._compile_list, bool(flags))
        if self.keyed is None:
            self.pattern = self._compile_list(pattern)
            self.set_prefilter(self.pattern)
            self.needs = wordkeys.required_char(pattern)

    def _compile_list(self, pattern: str):
        """Compile the list (or part of it); a bad token is named by its line."""
        try:
            return regex.compile(pattern, self.flags | regex.MULTILINE)
        except (regex.error, ValueError, OverflowError):
            # Find the token that breaks it, so the error names its line.
            tokens = self.data.get("tokens") or []
            for i, tok in enumerate(tokens):
                self.compile(str(tok), "tokens", self.flags, self._item_line("tokens", i))
            return self.compile(pattern, "tokens" if tokens else "raw", self.flags)

    def _item_line(self, key: str, i: int) -> int:
        items = self.lines.get(key + "[]") or []
        return items[i] if i < len(items) else self.line_of(key)

    def run(self, text: str, state: FileState, words: wordkeys.Words | None = None) -> Iterable[Hit]:
        if self.keyed is not None:
            found = self.scan_keyed(text, words)
            if not found:
                return ()  # most units: no generator to start and finish
            spans = ((s, e) for s, e, _ in found)
        else:
            spans = (m.span() for m in self.finditer(self.pattern, text))
        return self._hits(spans, text)

    def _hits(self, spans: Iterable[tuple[int, int]], text: str) -> Iterator[Hit]:
        for start, end in spans:
            if end == start:
                continue
            if not self.is_exception(text[start:end].strip()):
                yield self.make_hit(start, end, text)


_CAPTURE = regex.compile(r"(?<!\\)\((?!\?)")


class Substitution(ValeRule):
    type_keys = frozenset({"exceptions", "swap", "ignorecase", "nonword", "vocab",
                           "capitalize", "pos"})
    uses_vocab = True

    def setup(self, data: dict[str, Any]) -> None:
        swap = data.get("swap")
        if not isinstance(swap, dict) or not swap:
            self.fail("extends", "substitution rule needs a non-empty 'swap' mapping")
        self.ignorecase = bool(data.get("ignorecase", False))
        self.capitalize = bool(data.get("capitalize", False))
        keys = sorted((str(k) for k in swap), key=len, reverse=True)
        self.keys = keys
        self.repl = [str(swap[k]) if not isinstance(swap.get(k), str) else swap[k]
                     for k in keys]
        flags = regex.IGNORECASE if self.ignorecase else 0
        key_lines = self.lines.get("swap{}") or {}
        plain = [_CAPTURE.sub("(?:", k) for k in keys]
        nonword = data.get("nonword", False)
        template = _NONWORD if nonword else _WORD
        self.key_res = {}

        def compile_list(pattern: str):
            try:
                return regex.compile(pattern, flags | regex.MULTILINE)
            except (regex.error, ValueError, OverflowError):
                for k in keys:  # name the key that breaks it
                    self.compile(k, "swap", flags, key_lines.get(k))
                return self.compile(pattern, "swap", flags)

        self.keyed = None if nonword else wordkeys.build(plain, compile_list, self.ignorecase)
        if self.keyed is None:
            source = template.replace("%s", "|".join(f"({k})" for k in plain))
            self.pattern = compile_list(source)
            self.set_prefilter(self.pattern)
            self.needs = wordkeys.required_char(source)

    def expected_for(self, i: int, observed: str) -> str:
        expected = self.repl[i]
        if self.capitalize and observed[:1].isupper():
            expected = expected[:1].upper() + expected[1:]
        if regex.search(r"\$\d+", expected):
            key = self.keys[i]
            rx = self.key_res.get(key) or regex.compile(
                ("(?i)" if self.ignorecase else "") + key)
            self.key_res[key] = rx
            py = regex.sub(r"\$(\d+)", r"\\g<\1>", expected)
            try:
                expected = rx.sub(py, observed)
            except (regex.error, IndexError):
                pass
        return expected

    def run(self, text: str, state: FileState, words: wordkeys.Words | None = None) -> Iterable[Hit]:
        if self.keyed is not None:
            found = self.scan_keyed(text, words)
            if not found:
                return ()
        else:
            found = ((m.start(gi), m.end(gi), gi - 1) for m in self.finditer(self.pattern, text)
                     for gi in range(1, len(self.keys) + 1) if m.start(gi) != -1)
        return self._hits(found, text)

    def _hits(self, found: Iterable[tuple[int, int, int]], text: str) -> Iterator[Hit]:
        for start, end, key_index in found:
            observed = text[start:end].strip()
            expected = self.expected_for(key_index, observed)
            if _match_token(expected, observed) or self.is_exception(observed):
                continue
            action = dict(self.action)
            message = self.message
            if action["Name"] == "replace" and not action["Params"]:
                params = expected.split("|")
                if self.capitalize and observed[:1].isupper():
                    params = [p[:1].upper() + p[1:] for p in params]
                action["Params"] = params
                expected = to_sentence(params, "or")
                for spec in ("'%s'", '"%s"'):
                    if message.count(spec) == 2:
                        message = message.replace(spec, "%s", 1)
            yield Hit(start, end, format_message(message, expected, observed),
                      text[start:end], action)


def _match_token(expected: str, observed: str) -> bool:
    if is_phrase(expected):
        return expected == observed
    try:
        return regex.fullmatch("(?:" + expected + ")", observed) is not None
    except regex.error:
        return expected == observed


class Occurrence(ValeRule):
    type_keys = frozenset({"token", "max", "min", "ignorecase"})

    def setup(self, data: dict[str, Any]) -> None:
        if "token" not in data:
            self.fail("extends", "occurrence rule needs 'token'")
        self.max = int(data.get("max", 0) or 0)
        self.min = int(data.get("min", 0) or 0)
        flags = regex.IGNORECASE if data.get("ignorecase", False) else 0
        self.pattern = self.compile("(?:" + str(data["token"]) + ")", "token", flags)

    def run(self, text: str, state: FileState, words: wordkeys.Words | None = None) -> Iterator[Hit]:
        locs = [m.span() for m in self.finditer(self.pattern, text)]
        n = len(locs)
        if (self.max > 0 and n > self.max) or (self.min > 0 and n < self.min):
            if n == 0:
                yield Hit(0, 1, format_message(self.message, str(n)), "", dict(self.action))
                return
            for s, e in locs:
                if text[s:e].strip():
                    yield Hit(s, e, format_message(self.message, str(n)), text[s:e],
                              dict(self.action))
                    return


class Repetition(ValeRule):
    type_keys = frozenset({"tokens", "max", "ignorecase", "alpha", "vocab", "exceptions"})
    uses_vocab = True

    def setup(self, data: dict[str, Any]) -> None:
        tokens = [str(t) for t in (data.get("tokens") or [])]
        if not tokens:
            self.fail("extends", "repetition rule needs 'tokens'")
        self.max = int(data.get("max", 0) or 0)
        self.ignorecase = bool(data.get("ignorecase", False))
        self.alpha = bool(data.get("alpha", False))
        flags = regex.IGNORECASE if self.ignorecase else 0
        self.pattern = self.compile("(" + "|".join(tokens) + ")", "tokens", flags)

    def run(self, text: str, state: FileState, words: wordkeys.Words | None = None) -> Iterator[Hit]:
        prev = ""
        ploc = (0, 0)
        count = 0
        for m in self.finditer(self.pattern, text):
            curr = m.group(0).strip()
            hit = (curr.lower() == prev.lower() if self.ignorecase else curr == prev) and curr != ""
            hit = hit and (not self.alpha or all(c.isalpha() for c in curr))
            if hit:
                count += 1
            if hit and count > self.max:
                span = text[ploc[0]:m.end()]
                if "\n" not in span and not self.is_exception(span):
                    yield self.make_hit(ploc[0], m.end(), text, curr)
                    count = 0
            ploc = m.span()
            prev = curr


class Consistency(ValeRule):
    type_keys = frozenset({"either", "nonword", "ignorecase"})

    def setup(self, data: dict[str, Any]) -> None:
        either = data.get("either")
        if not isinstance(either, dict) or not either:
            self.fail("extends", "consistency rule needs a non-empty 'either' mapping")
        flags = regex.IGNORECASE if data.get("ignorecase", False) else 0
        template = _NONWORD if data.get("nonword", False) else _WORD
        self.steps = []
        for n, (a, b) in enumerate(either.items()):
            pattern = template.replace("%s", f"(?P<a{n}>{a})|(?P<b{n}>{b})")
            self.steps.append((self.compile(pattern, "either", flags), f"a{n}", f"b{n}"))

    def run(self, text: str, state: FileState, words: wordkeys.Words | None = None) -> Iterator[Hit]:
        seen = state.sequences.setdefault(self.id, [])
        for pattern, ga, gb in self.steps:
            loc = None
            for m in self.finditer(pattern, text):
                for g in (ga, gb):
                    if m.start(g) != -1:
                        loc = m.span(g)
                        seen.append(g)
            if loc is not None and ga in seen and gb in seen:
                yield self.make_hit(loc[0], loc[1], text)


class Conditional(ValeRule):
    type_keys = frozenset({"exceptions", "first", "second", "ignorecase", "vocab"})
    uses_vocab = True

    def setup(self, data: dict[str, Any]) -> None:
        for k in ("first", "second"):
            if k not in data:
                self.fail("extends", f"conditional rule needs '{k}'")
        self.first = self.compile(str(data["first"]), "first")
        self.second = self.compile(str(data["second"]), "second")

    def run(self, text: str, state: FileState, words: wordkeys.Words | None = None) -> Iterator[Hit]:
        # As in Vale: `second` defines (its groups are remembered for the file);
        # a `first` match with no earlier definition alerts.
        seq = state.sequences.setdefault(self.id, [])
        for m in self.finditer(self.second, text):
            seq.extend(g for g in m.groups() if g)
        for m in self.finditer(self.first, text):
            s = m.group(0)
            if s not in seq and not self.is_exception(s):
                yield self.make_hit(m.start(), m.end(), text)


_SMALL_WORDS = frozenset("a an and as at but by for if in nor of off on or per so the to up "
                         "via vs yet".split())
_CAP_WORDS = regex.compile(r"[\p{N}\p{L}*]+[^\s]*")


class Capitalization(ValeRule):
    type_keys = frozenset({"match", "style", "exceptions", "indicators", "threshold", "vocab",
                           "prefix"})
    uses_vocab = True

    def setup(self, data: dict[str, Any]) -> None:
        self.match = str(data.get("match", ""))
        if not self.match:
            self.fail("extends", "capitalization rule needs 'match'")
        self.threshold = float(data.get("threshold", 0) or 0.8)
        self.exceptions = [str(e) for e in (data.get("exceptions") or [])]
        style = data.get("style", "AP")
        if style not in ("AP", "Chicago"):
            self.fail("style", "style must be AP or Chicago")
        if not self.match.startswith("$"):
            self.rx = self.compile(self.match, "match")
        elif self.match not in ("$title", "$sentence", "$lower", "$upper"):
            self.fail("match", f"match {self.match!r} is not supported "
                               "($title, $sentence, $lower, $upper or a regex)")

    def _convert(self, s: str) -> str:
        words = s.split(" ")
        out = []
        first = True
        for i, w in enumerate(words):
            if not w:
                out.append(w)
                continue
            if self.match == "$title":
                last = i == len(words) - 1
                if w.lower() in _SMALL_WORDS and not first and not last:
                    out.append(w.lower())
                else:
                    out.append(w[:1].upper() + w[1:])
            else:
                out.append(w[:1].upper() + w[1:] if first else
                           (w if any(c.isupper() for c in w[1:]) else w.lower()))
            first = False
        return " ".join(out)

    def _ok(self, s: str) -> tuple[str, bool]:
        if self.match == "$lower":
            return s.lower(), s == s.lower()
        if self.match == "$upper":
            return s.upper(), s == s.upper()
        if not self.match.startswith("$"):
            return self.match, bool(self.rx.search(s)) or self.is_exception(s)
        expected = self._convert(s)
        got = [m.group(0) for m in _CAP_WORDS.finditer(s)]
        want = [m.group(0) for m in _CAP_WORDS.finditer(expected)]
        if not got:
            return expected, True
        count = 0
        for i, w in enumerate(got):
            if i >= len(want) or w == want[i] or self.is_exception(w) or w == w.upper():
                count += 1
        return expected, count / len(got) >= self.threshold

    def run(self, text: str, state: FileState, words: wordkeys.Words | None = None) -> Iterator[Hit]:
        expected, ok = self._ok(text)
        if not ok:
            action = dict(self.action)
            if action["Name"] == "replace" and not action["Params"] and self.match in ("$title", "$sentence"):
                action["Params"] = [expected]
            yield Hit(0, len(text), format_message(self.message, text, expected), text, action)


RULE_TYPES: dict[str, type[ValeRule]] = {
    "existence": Existence,
    "substitution": Substitution,
    "occurrence": Occurrence,
    "repetition": Repetition,
    "consistency": Consistency,
    "conditional": Conditional,
    "capitalization": Capitalization,
}
_VALE_ONLY = ("readability", "spelling", "sequence", "metric", "script")


def _display(path: Path) -> str:
    """A rule file's path as a writer would type it: relative to the current folder when
    it is below it (stable in messages and generated docs), else absolute."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def load_rule(path: Path, style: str, accepted: list[str], timeout: float = 2.0) -> ValeRule:
    """Load one ``styles/<Style>/<Rule>.yml``; ConfigError (file:line) on any problem."""
    p = _display(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(p, 1, f"not valid UTF-8 ({exc.reason})") from None
    meta, _meta_lines = parse_metadata(text, p)
    yaml, loader = _yaml()
    try:
        data = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise ConfigError(p, line, f"YAML error: {getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(p, 1, "a rule file must be a YAML mapping")
    lines = _key_lines(text)
    extends = data.get("extends")
    if extends is None:
        raise ConfigError(p, 1, "missing the required 'extends' key")
    if extends in _VALE_ONLY:
        raise ConfigError(p, lines.get("extends", 1),
                          f"rule type '{extends}' is not supported by handbook-lint "
                          f"(supported: {', '.join(RULE_TYPES)})")
    cls = RULE_TYPES.get(str(extends))
    if cls is None:
        raise ConfigError(p, lines.get("extends", 1),
                          f"'extends' must be one of {', '.join(RULE_TYPES)}, not {extends!r}")
    if "message" not in data:
        raise ConfigError(p, 1, "missing the required 'message' key")
    level = data.get("level", "warning")
    if level not in LEVELS:
        raise ConfigError(p, lines.get("level", 1), f"'level' must be one of {', '.join(LEVELS)}")
    for key in data:
        if key not in COMMON_KEYS and key not in cls.type_keys:
            raise ConfigError(p, lines.get(key, 1),
                              f"unknown key '{key}' for a {extends} rule")
    rule_id = f"{style}.{path.stem}"
    return cls(rule_id, p, data, lines, meta, accepted, timeout)


# ------------------------------------------------------------------ styles & vocab


def read_vocab(styles_path: Path, names: list[str]) -> tuple[list[str], list[str], str]:
    """accept.txt and reject.txt terms of the named vocabularies, and their text (for
    the cache key)."""
    accepted: list[str] = []
    rejected: list[str] = []
    blob = []
    for name in names:
        folder = styles_path / "config" / "vocabularies" / name
        if not folder.is_dir():
            folder = styles_path / "Vocab" / name  # Vale 2 layout
        if not folder.is_dir():
            raise ConfigError(str(styles_path), 0, f"vocabulary {name!r} not found "
                              f"(expected {styles_path / 'config' / 'vocabularies' / name})")
        for fname, target in (("accept.txt", accepted), ("reject.txt", rejected)):
            f = folder / fname
            if f.is_file():
                text = f.read_text(encoding="utf-8")
                blob.append(f"{f}\n{text}")
                for line in text.split("\n"):
                    term = line.strip()
                    if term and not term.startswith("#"):
                        target.append(term)
    return accepted, rejected, "\n".join(blob)


def _builtin_vale_rules(accepted: list[str], rejected: list[str], timeout: float) -> list[ValeRule]:
    """The parts of Vale's built-in ``Vale`` style we can run natively."""
    out: list[ValeRule] = []
    meta = {"family": "plain-language", "what": "", "why": "", "standard": "Vale built-in",
            "bad": "", "good": ""}
    rep = {"extends": "repetition", "message": "'%s' is repeated!", "level": "error",
           "alpha": True, "tokens": [r"[^\s]+"],
           "action": {"name": "edit", "params": ["truncate", " "]}}
    out.append(Repetition("Vale.Repetition", "<builtin>", rep, {},
                          dict(meta, what="Flags a word repeated by mistake (\"the the\")."),
                          [], timeout))
    if rejected:
        avoid = {"extends": "existence", "message": "Avoid using '%s'.", "level": "error",
                 "ignorecase": False, "tokens": rejected, "vocab": False}
        out.append(Existence("Vale.Avoid", "<builtin>", avoid, {},
                             dict(meta, what="Flags terms listed in reject.txt."), [], timeout))
    if accepted:
        swap = {f"(?i){t}": t for t in accepted if is_phrase(t)}
        if swap:
            terms = {"extends": "substitution", "message": "Use '%s' instead of '%s'.",
                     "level": "error", "ignorecase": True, "swap": {k[4:]: v for k, v in swap.items()},
                     "vocab": False}
            out.append(Substitution("Vale.Terms", "<builtin>", terms, {},
                                    dict(meta, what="Enforces the spelling of accept.txt terms."),
                                    [], timeout))
    return out


class ValeStyles:
    """The rules of the styles a .vale.ini names.

    Rule files are read (for ids and the cache fingerprint) at once, but compiled only
    when :attr:`rules` is first used, so a run served from the cache compiles nothing.
    """

    def __init__(self, ini: ValeIni | None, files: list[tuple[str, Path]], fingerprint: str,
                 accepted: list[str], rejected: list[str], timeout: float) -> None:
        self.ini = ini
        self.files = files
        self.fingerprint = fingerprint
        self.accepted = accepted
        self.rejected = rejected
        self.timeout = timeout
        self._rules: list[ValeRule] | None = None

    @property
    def rules(self) -> list[ValeRule]:
        """Every rule, compiled (ConfigError on the first broken rule file)."""
        if self._rules is None:
            rules: list[ValeRule] = []
            for style, f in self.files:
                if style == "Vale":
                    rules.extend(_builtin_vale_rules(self.accepted, self.rejected, self.timeout))
                else:
                    rules.append(load_rule(f, style, self.accepted, self.timeout))
            self._rules = rules
        return self._rules

    @property
    def rule_ids(self) -> set[str]:
        """Ids of every rule, without compiling them."""
        ids = set()
        for style, f in self.files:
            if style == "Vale":
                ids |= {"Vale.Repetition", "Vale.Avoid", "Vale.Terms"}
            else:
                ids.add(f"{style}.{f.stem}")
        return ids

    def rules_for(self, path: str) -> list[tuple[ValeRule, str]]:
        """(rule, level) pairs that apply to ``path`` after .vale.ini overrides."""
        if self.ini is None:
            return []
        styles, overrides = self.ini.for_file(path)
        out = []
        for rule in self.rules:
            style = rule.id.split(".", 1)[0]
            ov = overrides.get(rule.id)
            if style not in styles and not (ov and ov.upper() == "YES"):
                continue
            if ov is not None and ov.upper() == "NO":
                continue
            level = ov if ov in LEVELS else rule.level
            if level_rank(level) < level_rank(self.ini.min_level):
                continue
            out.append((rule, level))
        return out


def load_styles(ini: ValeIni | None, timeout: float = 2.0) -> ValeStyles:
    """The styles a .vale.ini names; their rules compile on first use (see ValeStyles)."""
    if ini is None or ini.styles_path is None:
        return ValeStyles(ini, [], "", [], [], timeout)
    h = hashlib.sha256()
    if ini.path is not None and ini.path.is_file():
        h.update(ini.path.read_bytes())
    accepted, rejected, vocab_blob = read_vocab(ini.styles_path, ini.vocab)
    h.update(vocab_blob.encode())
    files: list[tuple[str, Path]] = []
    for style in ini.all_styles():
        if style == "Vale":
            # Vale.Spelling needs Hunspell dictionaries; say so rather than skip it.
            if not any(v.get("Vale.Spelling", "").upper() == "NO" for _g, v in ini.sections):
                line = next((ini.lines.get(f"{g}:BasedOnStyles", 1) for g, v in ini.sections
                             if "Vale" in v.get("BasedOnStyles", "")), 1)
                raise ConfigError(str(ini.path), line,
                                  "the built-in Vale.Spelling rule has no native version; "
                                  "add 'Vale.Spelling = NO' (spelling is checked by "
                                  "`make spelling`)")
            files.append((style, Path("<builtin>")))
            continue
        folder = ini.styles_path / style
        if not folder.is_dir():
            raise ConfigError(str(ini.path), ini.lines.get("StylesPath", 1),
                              f"style {style!r} not found in {ini.styles_path}")
        for f in sorted(folder.glob("*.yml")):
            h.update(f.name.encode() + b"\0" + f.read_bytes())
            files.append((style, f))
    return ValeStyles(ini, files, h.hexdigest(), accepted, rejected, timeout)


# ------------------------------------------------------------------ running


@dataclass
class Unit:
    text: str
    offsets: list[int] | None  # None: identity (raw scope)
    attributed: bool = False
    words: wordkeys.Words | None = None

    def __post_init__(self) -> None:
        if self.words is None:
            self.words = wordkeys.Words(self.text)


def _units(doc: Document, rule: ValeRule, cache: dict) -> list[Unit]:
    key = (rule.unit, tuple(map(tuple, rule._selectors)))
    if key in cache:
        return cache[key]
    units: list[Unit] = []
    if rule.unit == "raw":
        units.append(Unit(doc.source, None))
    else:
        for block in doc.blocks:
            if not rule.matches_scopes(block.scopes):
                continue
            if rule.unit == "sentence":
                for s in block.sentences:
                    units.append(Unit(s.text, block.offsets[s.start:s.end], block.attributed))
            else:
                units.append(Unit(block.text, block.offsets, block.attributed))
    cache[key] = units
    return units


def _alert_for(doc: Document, unit: Unit, hit: Hit, rule: ValeRule, level: str) -> Alert:
    def off(i: int) -> int:
        if unit.offsets is None:
            return i
        if not unit.offsets:
            return 0
        return unit.offsets[min(max(i, 0), len(unit.offsets) - 1)]

    start = off(hit.start)
    end = off(max(hit.end - 1, hit.start))
    line, c0 = doc.line_col(start)
    eline, c1 = doc.line_col(end)
    length = doc.line_length(line)
    if eline != line:
        c1 = length
    # A match that ends on the line break (a soft break stands as a space) ends at the
    # line's last character.
    width = max(length, 1)
    c0 = min(c0, width)
    c1 = min(max(c1, c0), width)
    return Alert(path=doc.path, line=line, span=(c0, max(c0, c1)), check=rule.id,
                 message=hit.message, severity=level, match=hit.match, link=rule.link,
                 action=hit.action or {"Name": "", "Params": None}, family=rule.family)


#: Families a quotation attributed to a source (the claim argument) is exempt from.
# Quoted source words cannot be reworded, so jargon in them is not flagged either.
ATTRIBUTED_EXEMPT = frozenset({"marketing", "absolute", "plain-language"})


def run_rules(doc: Document, rules: list[tuple[ValeRule, str]]) -> tuple[list[Alert], list[str]]:
    """Alerts of the given (rule, level) pairs on one document, and timeout problems."""
    alerts: list[Alert] = []
    problems: list[str] = []
    state = FileState()
    unit_cache: dict = {}
    joined = None
    for rule, level in rules:
        count = 0
        if getattr(rule, "keyed", None) is None and rule.unit != "raw" \
                and getattr(rule, "prefilter", None) is not None:
            if joined is None:
                joined = "\n\n".join(b.text for b in doc.blocks)
            if rule.absent_from(joined):
                continue
        needs = rule.needs
        keyed = rule.keyed
        # A word list with no keyless entries cannot match a unit that has none of
        # its first words: skip it without starting a scan.
        quick = keyed if keyed is not None and keyed.rest_pattern is None else None
        for unit in _units(doc, rule, unit_cache):
            if unit.attributed and rule.family in ATTRIBUTED_EXEMPT:
                continue
            if needs is not None and needs not in unit.text:
                continue
            if quick is not None and not unit.words.candidates(quick):
                continue
            try:
                for hit in rule.run(unit.text, state, unit.words):
                    if rule.limit and count >= rule.limit:
                        break
                    alerts.append(_alert_for(doc, unit, hit, rule, level))
                    count += 1
            except RegexTimeout:
                line = doc.line_col(unit.offsets[0] if unit.offsets else 0)[0]
                problems.append(f"{rule.path}:{rule.line_of('extends')}: rule {rule.id} timed out "
                                f"after {rule.timeout:g}s on {doc.path}:{line}; skipped there "
                                "(simplify its regex)")
    return alerts, problems


def rule_meta(rule: ValeRule) -> RuleMeta:
    m = rule.meta
    return RuleMeta(id=rule.id, family=rule.family, level=rule.level, message=rule.message,
                    link=rule.link, what=m.get("what", ""), why=m.get("why", ""),
                    standard=m.get("standard", ""), bad=m.get("bad", ""), good=m.get("good", ""),
                    kind=rule.extends, source=rule.path, line=1)
