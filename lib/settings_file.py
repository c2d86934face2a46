"""The app's settings files, read strictly: understood in full, or the app stays locked.

The settings hold the login and the allowlist. A file the app half-understands is the
dangerous case: an `[Auth]` typo, `[sheet.auth]`, an allowlist with no login to check it, a
path Streamlit cannot use or a broken symlink would each leave the dashboard open to anyone
with the link while the admin believes it is private. So every file that exists (or that the
admin named) is read here first; anything not fully understood gives one plain sentence
naming the file and the line, and the app shows that instead of any data.

A UTF-8 byte order mark (Windows Notepad adds one) is accepted: it changes nothing.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SECTIONS = ("auth", "access", "sheet", "gcp_service_account", "app", "tiktok")
"""The sections the app reads; a section spelled another way (`[Auth]`) is refused, not ignored."""
LIST_KEYS = {("access", "allowed"), ("access", "reveal_codes")}
"""Lists of addresses: a single quoted address is accepted too, anything else is refused."""
GUARDS = (("access", "allowed"), ("access", "reveal_codes"))
"""Settings that promise privacy and so need `[auth]` to mean anything."""
MAX_BYTES = 1_000_000
"""A settings file is a few hundred bytes; anything this large is not one."""


@dataclass(frozen=True)
class SettingsRead:
    """The merged settings of every file, or the problem that keeps the app locked."""

    values: dict[str, Any] = field(default_factory=dict)
    problem: str | None = None
    found: bool = False
    """True when at least one settings file was read (Streamlit says "no secrets" otherwise)."""
    marked: bool = False
    """True when a file starts with a byte order mark, which Streamlit itself cannot read."""


def read_settings(paths: Sequence[str], *, optional: Collection[str] = ()) -> SettingsRead:
    """Every settings file in `paths`, merged as Streamlit merges them (later files win per section).

    A path in `optional` (Streamlit's own default places) may be missing: that means nothing
    is configured there. Any other path was named by the admin, so a missing one is a problem
    (a volume not mounted), not "nothing configured".
    """
    values: dict[str, Any] = {}
    found = marked = False
    for text_path in paths:
        path = Path(text_path)
        if path.is_symlink() and not path.exists():
            return SettingsRead(problem=_say(path, "is a link to a file that is not there. Fix or remove the link."))
        if not path.exists():
            if text_path not in optional:
                return SettingsRead(
                    problem=_say(path, "is named in secrets.files but is not there (is the volume mounted?).")
                )
            continue
        if path.is_dir():
            if text_path.endswith(".toml"):
                return SettingsRead(problem=_say(path, "is a folder, not a settings file."))
            return SettingsRead(
                problem=_say(
                    path,
                    "is a folder. Sparkwatch reads its settings from one .toml file: point secrets.files at that file.",
                )
            )
        if not text_path.endswith(".toml"):
            return SettingsRead(
                problem=_say(
                    path,
                    "does not end in .toml, so Streamlit will not read it and the app would run without "
                    "its login. Name the file (or the mounted secret) with .toml at the end.",
                )
            )
        parsed = read_file(path)
        if parsed.problem:
            return parsed
        found = True
        marked = marked or parsed.marked
        values.update(parsed.values)
    return SettingsRead(values=values, found=found, marked=marked)


def read_file(path: Path) -> SettingsRead:
    """One settings file, checked line by line for what the app would misread."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return SettingsRead(problem=_say(path, f"is {size:,} bytes; a settings file is a few hundred."))
        data = path.read_bytes()
    except OSError as error:
        return SettingsRead(problem=_say(path, f"cannot be opened ({error.strerror or 'unreadable'})."))
    marked = data.startswith(b"\xef\xbb\xbf")
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return SettingsRead(problem=_say(path, f"is not UTF-8 text from line {line}: save it as UTF-8."))
    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        at_line = getattr(error, "lineno", None) or _line_from_message(str(error))
        where = f" (line {at_line})" if at_line else ""
        return SettingsRead(
            problem=_say(
                path,
                f"is not valid TOML{where}: every text value needs quotes, and each [section] heading "
                "its own line (compare with .streamlit/secrets.toml.example).",
            )
        )
    problem = check(values, text)
    return SettingsRead(problem=_say(path, problem) if problem else None, values=values, found=True, marked=marked)


def check(values: Mapping[str, Any], text: str) -> str | None:
    """What in these settings the app would misread, naming the line; None when all is clear."""
    for key in values:
        wanted = key.lower().replace("-", "_")
        if wanted in SECTIONS and key != wanted:
            return f"has [{key}] on line {_line_of(text, key)}: section names are lower case, write [{wanted}]."
    for key, value in values.items():
        if isinstance(value, Mapping):
            for inner in value:
                if inner.lower() in SECTIONS and inner.lower() != key:
                    return (
                        f"puts [{inner}] inside [{key}] on line {_line_of(text, inner)}: "
                        f"[{inner.lower()}] must be a section of its own."
                    )
    for section, key in LIST_KEYS:
        table = values.get(section)
        value = table.get(key) if isinstance(table, Mapping) else None
        if value is not None and not _is_address_list(value):
            return (
                f"sets {key} on line {_line_of(text, key)} to something that is not a list of addresses; "
                'write it like ["maya@agency.com", "@brand.com"].'
            )
    if "auth" not in values:
        for section, key in GUARDS:
            table = values.get(section)
            if isinstance(table, Mapping) and key in table:
                return (
                    f"sets {key} on line {_line_of(text, key)} under [{section}], but there is no [auth] "
                    "section, so nobody is asked to log in and the list would protect nothing. Add [auth] "
                    f"(see the README's Security section) or remove {key}."
                )
    return None


def _is_address_list(value: object) -> bool:
    if isinstance(value, str):
        return True
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


_HEADING = re.compile(r"^\s*\[+([^\]]*)\]+")
_SETTING = re.compile(r"^\s*[\"']?([^\"'=\s]+)[\"']?\s*=")


def _line_of(text: str, key: str) -> int:
    """The first line that names `key` in a [section] heading or as a setting (1 when none does)."""
    for number, line in enumerate(text.splitlines(), start=1):
        heading, setting = _HEADING.match(line), _SETTING.match(line)
        names = [part.strip().strip("\"'") for part in heading.group(1).split(".")] if heading else []
        if key in names or (setting and setting.group(1) == key):
            return number
    return 1


def _line_from_message(message: str) -> int | None:
    match = re.search(r"at line (\d+)", message)
    return int(match.group(1)) if match else None


def _say(path: Path, what: str) -> str:
    """One sentence naming the file (its name only: the page is shown to whoever opens the link)."""
    return f"The app's settings file {path.name} {what} Until it is fixed, the app stays locked."
