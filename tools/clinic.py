"""Load and check a clinic's TOML file for the clinic edition of the PDF.

The format is documented in ``docs/clinic.example.toml``. Every key is optional; a
key that is missing is left out of the printed page. Anything else (an unknown key, a
value that is not text, a logo that does not exist or is not PNG/SVG, TOML that does
not parse) raises :class:`ClinicError` with one line naming the file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

FIELDS = ("name", "address", "phone", "website", "logo")
LOGO_SUFFIXES = (".png", ".svg")


class ClinicError(ValueError):
    """A clinic file that cannot be used; the message is one line."""


@dataclass(frozen=True)
class Clinic:
    name: str | None = None
    address: str | None = None
    phone: str | None = None
    website: str | None = None
    logo: Path | None = None  # absolute path, checked to exist


def load_clinic(path: str | Path) -> Clinic:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ClinicError(f"{path}: cannot read clinic file ({error.strerror})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ClinicError(f"{path}: not valid UTF-8 (byte {error.start})") from None
    except tomllib.TOMLDecodeError as error:
        # tomllib's message already ends with "(at line N, column M)".
        raise ClinicError(f"{path}: invalid TOML: {error}") from None

    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise ClinicError(
            f"{path}: unknown key {unknown[0]!r} (allowed: {', '.join(FIELDS)})"
        )
    values: dict[str, object] = {}
    for key, value in data.items():
        if not isinstance(value, str):
            kind = type(value).__name__
            raise ClinicError(f"{path}: key {key!r} must be text in quotes, not {kind}")
        value = value.strip()
        if value:  # an empty value is the same as a missing one
            values[key] = value

    if "logo" in values:
        logo = (path.parent / str(values["logo"])).resolve()
        if logo.suffix.lower() not in LOGO_SUFFIXES:
            raise ClinicError(f"{path}: logo {values['logo']!r} must be a PNG or SVG file")
        if not logo.is_file():
            raise ClinicError(f"{path}: logo file not found: {logo}")
        values["logo"] = logo
    return Clinic(**values)  # type: ignore[arg-type]
