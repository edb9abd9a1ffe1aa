"""Configuration: ``[tool.mediameta]`` in pyproject.toml or a ``mediameta.toml``, strictly validated.

Unknown keys and bad values are errors naming the key and the file; nothing is silently ignored.

Where the configuration comes from (:func:`load_config`):

* ``explicit`` (``--config FILE``): that file only. A ``pyproject.toml`` is read from its
  ``[tool.mediameta]`` table, any other file from its top level.
* otherwise the first folder, walking upward from ``start`` (the checked path), that holds a
  ``mediameta.toml`` or a ``pyproject.toml`` with a ``[tool.mediameta]`` table. When one folder holds
  both, ``mediameta.toml`` wins (like ruff's ``ruff.toml`` over ``pyproject.toml``); a pyproject.toml
  without the table is passed over, and the walk goes on upward.
* nothing found: the defaults.

Rule selection follows ruff: ``select`` and ``ignore`` hold code prefixes (``MM``, ``MM2``,
``MM203``); for each rule the longest matching prefix decides, and at equal length ``ignore`` wins.
``severity`` maps a code or prefix to a severity, the longest prefix winning as well.
"""

from __future__ import annotations

import datetime as dt
import difflib
import fnmatch
import os
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from mediameta.console import UsageError
from mediameta.models import Finding, Severity

if TYPE_CHECKING:
    from mediameta.captions.catalogue import AgencyCatalogue
    from mediameta.checks.registry import Rule

CONFIG_FILE = "mediameta.toml"
PYPROJECT = "pyproject.toml"
HOUSE_STYLE_FIELDS: tuple[str, ...] = ("AGENCY", "PHOTOGRAPHER", "QUALIFIER")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


class ConfigError(UsageError):
    """A configuration mistake. The message names the file and the key; the CLI exits 2."""


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class Config(BaseModel):
    """The settings of one check run; TOML keys are the kebab-case forms of these field names."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, alias_generator=_kebab)

    select: list[str] = Field(default_factory=lambda: ["MM"])
    ignore: list[str] = Field(default_factory=list)
    severity: dict[str, Severity] = Field(default_factory=dict)  # code or prefix -> severity
    rules: dict[str, dict[str, Any]] = Field(default_factory=dict)  # code -> rule options
    fail_on: Severity = "warning"
    house_credit_style: str | None = None  # e.g. "(photo credit: {AGENCY}/{PHOTOGRAPHER})"
    agencies: list[dict[str, Any]] = Field(default_factory=list)  # extra catalogue entries
    staff_photographers: list[str] = Field(default_factory=list)
    file_photo_days: int = Field(default=30, ge=0)
    duplicate_threshold: float = Field(default=0.9, gt=0.0, le=1.0)
    link_threshold: float = Field(default=0.6, ge=0.0, le=1.0)
    date_tolerance_days: int = Field(default=1, ge=0)
    per_file_ignores: dict[str, list[str]] = Field(default_factory=dict)  # glob -> codes
    article_date: str | None = None

    # Where the values came from: the file (for messages) and its folder (per-file-ignores root).
    _source: str | None = PrivateAttr(default=None)
    _root: str | None = PrivateAttr(default=None)

    @field_validator("select", "ignore")
    @classmethod
    def _upper_codes(cls, codes: list[str]) -> list[str]:
        return [code.strip().upper() for code in codes]

    @field_validator("severity")
    @classmethod
    def _upper_keys(cls, mapping: dict[str, Severity]) -> dict[str, Severity]:
        return {key.strip().upper(): value for key, value in mapping.items()}

    @field_validator("per_file_ignores")
    @classmethod
    def _upper_ignores(cls, mapping: dict[str, list[str]]) -> dict[str, list[str]]:
        return {glob: [code.strip().upper() for code in codes] for glob, codes in mapping.items()}

    @field_validator("article_date", mode="before")
    @classmethod
    def _iso_date(cls, value: object) -> object:
        if value is None:
            return None
        if isinstance(value, dt.datetime):  # TOML: article-date = 2025-03-14T09:00:00
            return value.date().isoformat()
        if isinstance(value, dt.date):  # TOML: article-date = 2025-03-14 (unquoted)
            return value.isoformat()
        if not isinstance(value, str):
            raise ValueError(f"{value!r} is not a date in the form YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            raise ValueError(f"'{value}' is not a date in the form YYYY-MM-DD") from None

    @field_validator("house_credit_style")
    @classmethod
    def _house_style(cls, value: str | None) -> str | None:
        if value is None:
            return None
        names = _PLACEHOLDER.findall(value)
        unknown = [name for name in names if name.upper() not in HOUSE_STYLE_FIELDS]
        if unknown:
            allowed = ", ".join("{" + name + "}" for name in HOUSE_STYLE_FIELDS)
            raise ValueError(f"unknown placeholder {{{unknown[0]}}} (use {allowed})")
        if not any(name.upper() in {"AGENCY", "PHOTOGRAPHER"} for name in names):
            raise ValueError("must contain {AGENCY} or {PHOTOGRAPHER}")
        return value

    @property
    def source(self) -> str | None:
        """The file this configuration was read from (None: defaults or built in code)."""
        return self._source

    @property
    def root(self) -> str | None:
        """The folder per-file-ignores globs are relative to (the config file's folder)."""
        return self._root


# --------------------------------------------------------------------------- validation


def _label(source: str | None) -> str:
    return os.path.basename(source) if source else "configuration"


def _key_path(loc: Sequence[int | str]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts)


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _validation_message(exc: ValidationError, label: str) -> str:
    error = exc.errors()[0]
    key = _key_path(error["loc"])
    if error["type"] == "extra_forbidden":
        last = str(error["loc"][-1])
        known = [_kebab(name) for name in Config.model_fields] if len(error["loc"]) == 1 else []
        return f"{label}: unknown key '{key}'{_did_you_mean(last, known)}"
    message = error["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    return f"{label}: bad value for '{key}': {message}"


def _is_code_prefix(prefix: str, codes: Iterable[str]) -> bool:
    return bool(prefix) and any(code.startswith(prefix) for code in codes)


def _check_codes(label: str, key: str, prefixes: Iterable[str], codes: Sequence[str]) -> None:
    for prefix in prefixes:
        if not _is_code_prefix(prefix, codes):
            hint = _did_you_mean(prefix, codes)
            raise ConfigError(f"{label}: unknown rule code '{prefix}' in '{key}'{hint}")


def _validate_against_registry(config: Config, label: str) -> None:
    """Codes must name registered rules; rule options must fit each rule's Options model."""
    from mediameta.captions.catalogue import default_catalogue
    from mediameta.checks.registry import all_rules

    rules = all_rules()
    codes = list(rules)
    _check_codes(label, "select", config.select, codes)
    _check_codes(label, "ignore", config.ignore, codes)
    _check_codes(label, "severity", config.severity, codes)
    for glob, ignored in config.per_file_ignores.items():
        _check_codes(label, f"per-file-ignores.{glob}", ignored, codes)
    by_name = {cls.name: code for code, cls in rules.items()}
    for key, options in config.rules.items():
        code = by_name.get(key, key.upper())
        if code not in rules:
            hint = _did_you_mean(key, [*codes, *by_name])
            raise ConfigError(f"{label}: unknown rule code '{key}' in 'rules'{hint}")
        try:
            rules[code].Options.model_validate(options)
        except ValidationError as exc:
            error = exc.errors()[0]
            option = f"rules.{key}.{_key_path(error['loc'])}"
            if error["type"] == "extra_forbidden":
                known = [field.alias or name for name, field in rules[code].Options.model_fields.items()]
                hint = _did_you_mean(str(error["loc"][-1]), known)
                raise ConfigError(f"{label}: unknown key '{option}'{hint}") from None
            message = str(error["msg"]).removeprefix("Value error, ")
            raise ConfigError(f"{label}: bad value for '{option}': {message}") from None
    try:
        default_catalogue().extended(config.agencies)
    except ValueError as exc:
        raise ConfigError(f"{label}: bad value for 'agencies': {exc}") from None


def validate_config(data: Mapping[str, Any], source: str | None = None) -> Config:
    """A :class:`Config` from a TOML table, or :class:`ConfigError` naming the file and the key."""
    label = _label(source)
    if not isinstance(data, Mapping):
        raise ConfigError(f"{label}: the mediameta settings must be a table")
    try:
        config = Config.model_validate(dict(data))
    except ValidationError as exc:
        raise ConfigError(_validation_message(exc, label)) from None
    _validate_against_registry(config, label)
    config._source = source
    config._root = os.path.dirname(os.path.abspath(source)) if source else None
    return config


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path.name}: not valid TOML: {exc}") from None


def _table_of(path: Path, data: dict[str, Any]) -> dict[str, Any] | None:
    if path.name != PYPROJECT:
        return data
    tool = data.get("tool")
    table = tool.get("mediameta") if isinstance(tool, dict) else None
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ConfigError(f"{path.name}: [tool.mediameta] must be a table")
    return table


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a folder we may not list: no config there
        return False


def find_config_file(start: Path) -> Path | None:
    """The config file that applies to ``start``: see the module docstring for the search order."""
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        own = candidate / CONFIG_FILE
        if _is_file(own):
            return own
        pyproject = candidate / PYPROJECT
        if _is_file(pyproject):
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                data = {"tool": {"mediameta": {}}}  # report it properly when loaded
            tool = data.get("tool")
            if isinstance(tool, dict) and "mediameta" in tool:
                return pyproject
    return None


def load_config(start: Path | None = None, explicit: Path | None = None) -> Config:
    """The configuration for a check of ``start`` (or of ``explicit``), validated.

    Raises :class:`ConfigError` (a :class:`~mediameta.console.UsageError`: exit 2) on any
    unknown key, bad value or unreadable file.
    """
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: config file not found")
        table = _table_of(explicit, _read_toml(explicit))
        if table is None:
            raise ConfigError(f"{explicit.name}: no [tool.mediameta] table")
        return validate_config(table, str(explicit))
    found = find_config_file(start if start is not None else Path.cwd())
    if found is None:
        return validate_config({})
    table = _table_of(found, _read_toml(found))
    return validate_config(table or {}, str(found))


def with_overrides(
    config: Config,
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    fail_on: str | None = None,
    article_date: str | None = None,
) -> Config:
    """A copy of ``config`` with command-line options applied: ``--select`` replaces the selection,
    ``--ignore`` adds to the ignores. Validated like the file (ConfigError names the option)."""
    data: dict[str, Any] = config.model_dump(by_alias=True)
    if select is not None:
        data["select"] = list(select)
    if ignore is not None:
        data["ignore"] = [*data["ignore"], *ignore]
    if fail_on is not None:
        data["fail-on"] = fail_on
    if article_date is not None:
        data["article-date"] = article_date
    updated = validate_config(data, "command line")
    updated._source = config._source
    updated._root = config._root
    return updated


# --------------------------------------------------------------------------- selection


def _longest(code: str, prefixes: Iterable[str]) -> int:
    return max((len(prefix) for prefix in prefixes if code.startswith(prefix)), default=-1)


def is_selected(config: Config, code: str) -> bool:
    """Whether ``select``/``ignore`` enable the rule ``code`` (longest prefix wins, ignore on ties)."""
    chosen = _longest(code, config.select)
    return chosen >= 0 and chosen > _longest(code, config.ignore)


def severity_for(config: Config, code: str, default: Severity) -> Severity:
    """The configured severity of ``code`` (longest matching prefix), else ``default``."""
    best: tuple[int, Severity] = (-1, default)
    for prefix, severity in config.severity.items():
        if code.startswith(prefix) and len(prefix) > best[0]:
            best = (len(prefix), severity)
    return best[1]


def rule_options(config: Config, cls: type[Rule]) -> BaseModel:
    """The rule's Options from ``rules.<code>`` (or ``rules.<name>``), validated."""
    raw = config.rules.get(cls.code, config.rules.get(cls.name, config.rules.get(cls.code.lower(), {})))
    try:
        return cls.Options.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_validation_message(exc, _label(config.source))) from None


def enabled_rules(config: Config) -> list[Rule]:
    """Every selected rule, instantiated with its configured options and severity, in code order."""
    from mediameta.checks.registry import all_rules

    return [
        cls(options=rule_options(config, cls), severity=severity_for(config, code, cls.severity))
        for code, cls in all_rules().items()
        if is_selected(config, code)
    ]


def _relative(path: str, root: str | None) -> str | None:
    if root is None:
        return None
    try:
        relative = os.path.relpath(os.path.abspath(path), root)
    except ValueError:  # another drive on Windows
        return None
    return None if relative.startswith("..") else PurePosixPath(Path(relative).as_posix()).as_posix()


def is_ignored(config: Config, finding_or_code: Finding | str, path: str | None = None) -> bool:
    """Whether ``per-file-ignores`` switch the code off for ``path``.

    Globs (``*`` crosses folders; a leading ``**/`` also matches at the top) match the path
    relative to the config file's folder, the path as given, or the bare file name. With a Finding, ``path`` defaults to the finding's.
    """
    if isinstance(finding_or_code, Finding):
        code = finding_or_code.code
        path = path if path is not None else finding_or_code.path
    else:
        code = finding_or_code
    if path is None or not config.per_file_ignores:
        return False
    given = Path(path).as_posix()
    candidates = {given, given.removeprefix("./"), PurePosixPath(given).name}
    relative = _relative(path, config.root)
    if relative is not None:
        candidates.add(relative)
    for glob, codes in config.per_file_ignores.items():
        if not any(code.startswith(prefix) for prefix in codes):
            continue
        pattern = glob.removeprefix("./")
        patterns = {pattern, pattern.removeprefix("**/")}
        if any(fnmatch.fnmatchcase(candidate, p) for candidate in candidates for p in patterns):
            return True
    return False


# --------------------------------------------------------------------------- agencies


def catalogue_for(config: Config) -> AgencyCatalogue:
    """The shipped agency catalogue extended with the config's ``agencies``."""
    return _catalogue(tuple(tuple(sorted((k, _freeze(v)) for k, v in e.items())) for e in config.agencies))


def _freeze(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


@lru_cache(maxsize=16)
def _catalogue(entries: tuple[tuple[tuple[str, Any], ...], ...]) -> AgencyCatalogue:
    from mediameta.captions.catalogue import default_catalogue

    base = default_catalogue()
    if not entries:
        return base
    plain = [{k: list(v) if isinstance(v, tuple) else v for k, v in entry} for entry in entries]
    try:
        return base.extended(plain)
    except ValueError as exc:
        raise ConfigError(f"bad value for 'agencies': {exc}") from None
