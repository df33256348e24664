"""Report formats: SARIF 2.1.0 valid against the vendored schema subset, GitHub
annotations escaped, Vale JSON shape."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from handbook_lint.alert import Alert
from handbook_lint.report import format_github, format_json, format_text, sarif_log
from handbook_lint.vale import RuleMeta

SCHEMA = json.loads(
    (Path(__file__).parent / "fixtures" / "report" / "sarif-2.1.0-subset.schema.json").read_text())

META = [
    RuleMeta(id="Test.Hype", family="marketing", level="error", message="Avoid '%s'.",
             link="https://example.org/hype", what="Flags hype.", why="It sells.",
             standard="FTC", bad="A cutting-edge cure.", good="A newer treatment."),
    RuleMeta(id="Test.Jargon", family="plain-language", level="warning", message="Use x.",
             link=""),
]
ALERTS = [
    Alert(path="docs/a.md", line=3, span=(5, 17), check="Test.Hype", message="Avoid 'x'.",
          severity="error", match="revolutionary", link="https://example.org/hype",
          family="marketing"),
    Alert(path="docs/a.md", line=5, span=(14, 22), check="Test.Jargon",
          message="Use 'a, b' instead: 100%\nnow", severity="suggestion", match="analgesic",
          action={"Name": "replace", "Params": ["pain medicine"]}, family="plain-language"),
]


def validator():
    cls = jsonschema.validators.validator_for(SCHEMA)
    cls.check_schema(SCHEMA)
    return cls(SCHEMA, format_checker=cls.FORMAT_CHECKER)


def test_sarif_log_is_valid_and_carries_rules_locations_and_levels(tmp_path: Path) -> None:
    log = sarif_log(ALERTS, META, root=None, errors=[])
    validator().validate(log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["Test.Hype", "Test.Jargon"]
    assert rules[0]["helpUri"] == "https://example.org/hype" and "helpUri" not in rules[1]
    r0, r1 = run["results"]
    assert r0["level"] == "error" and r1["level"] == "note"
    assert r1["ruleIndex"] == 1
    assert r0["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 3, "startColumn": 5, "endColumn": 18}
    assert r0["properties"]["family"] == "marketing"
    assert run["invocations"][0]["executionSuccessful"] is True


def test_sarif_with_input_errors_is_still_valid() -> None:
    log = sarif_log([], META, errors=["docs/b.md:2: invalid UTF-8"])
    validator().validate(log)
    inv = log["runs"][0]["invocations"][0]
    assert inv["executionSuccessful"] is False
    assert inv["toolExecutionNotifications"][0]["message"]["text"] == "docs/b.md:2: invalid UTF-8"


def test_schema_rejects_a_broken_log() -> None:
    log = sarif_log(ALERTS, META)
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        validator().validate(log)


def test_github_annotations_escape_data_and_properties() -> None:
    lines = format_github(ALERTS).splitlines()
    assert lines[1] == ("::notice file=docs/a.md,line=5,col=14,endColumn=22,title=Test.Jargon::"
                        "Use 'a, b' instead: 100%25%0Anow [plain-language]")
    weird = Alert(path="d,ir/a:b.md", line=1, span=(1, 1), check="X.Y", message="m",
                  severity="warning", family="structure")
    assert format_github([weird]).startswith("::warning file=d%2Cir/a%3Ab.md,")


def test_json_groups_by_path_in_vale_shape() -> None:
    data = json.loads(format_json(ALERTS))
    assert list(data) == ["docs/a.md"]
    assert set(data["docs/a.md"][0]) == {"Action", "Span", "Check", "Description", "Link",
                                         "Message", "Severity", "Match", "Line", "Family"}


def test_text_is_one_line_per_alert_when_not_a_tty() -> None:
    assert format_text(ALERTS[:1]) == "docs/a.md:3:5: error Test.Hype Avoid 'x'.\n"


def test_cli_offers_exactly_the_report_formats() -> None:
    from handbook_lint import cli, report

    assert cli.FORMATS == report.FORMATS == ("text", "json", "sarif", "github")
