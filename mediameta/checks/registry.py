"""The rule registry: every check is a small self-describing class registered here.

A rule has a stable ``code`` (family prefix as in DESIGN.md: MM1xx caption text, MM2xx credit,
MM3xx date, MM4xx location, MM5xx duplication, MM6xx linking, MM7xx embedded consistency,
MM9xx unreadable input), a ``name``, a default ``severity``, an ``Options`` pydantic model, a
docstring that is its documentation, and ``examples`` (at least one failing and one passing)
that the meta-test runs. ``mediameta rules`` and ``mediameta explain`` print from here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict

from mediameta.models import Finding, Fix, Position, Severity

if TYPE_CHECKING:
    from mediameta.checks.context import CheckContext


class NoOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class Example:
    """A case for a rule's documentation and for the meta-test.

    ``articles`` maps a file name (its extension picks the format: .txt, .md, .html) to its text;
    ``images`` maps a file name to MediaRecord fields (no real file is needed). ``fails`` says
    whether the rule must report at least one finding (True) or none (False).
    ``unreadable`` and ``article_errors`` stand for files the engine could not read.
    """

    title: str
    fails: bool
    articles: dict[str, str] = field(default_factory=dict)
    images: dict[str, dict[str, Any]] = field(default_factory=dict)
    article_date: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    config: dict[str, Any] = field(default_factory=dict)
    # Read failures as the engine records them: path -> message (ctx.unreadable) and
    # article path -> Article.errors (for MM9xx examples; text alone cannot express them).
    unreadable: dict[str, str] = field(default_factory=dict)
    article_errors: dict[str, list[str]] = field(default_factory=dict)


class Rule:
    """Base class of every rule. Subclasses set the class attributes and implement ``check``."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    Options: ClassVar[type[BaseModel]] = NoOptions
    examples: ClassVar[tuple[Example, ...]] = ()

    def __init__(self, options: BaseModel | None = None, severity: Severity | None = None) -> None:
        self.options = options if options is not None else self.Options()
        self.effective_severity: Severity = severity or self.severity

    @classmethod
    def summary(cls) -> str:
        """First line of the docstring."""
        doc = (cls.__doc__ or "").strip()
        return doc.splitlines()[0] if doc else cls.name

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        raise NotImplementedError(f"{type(self).__name__}.check")

    def finding(
        self,
        message: str,
        *,
        path: str,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
        related: Iterable[Position] = (),
        fix: Fix | None = None,
    ) -> Finding:
        return Finding(
            code=self.code,
            name=self.name,
            severity=self.effective_severity,
            message=message,
            path=path,
            line=line,
            column=column,
            field=field,
            related=list(related),
            fix=fix,
        )


REGISTRY: dict[str, type[Rule]] = {}


def register(cls: type[Rule]) -> type[Rule]:
    """Class decorator: add a rule to the registry (codes are unique)."""
    if cls.code in REGISTRY:
        raise ValueError(f"duplicate rule code {cls.code}")
    REGISTRY[cls.code] = cls
    return cls


def all_rules() -> dict[str, type[Rule]]:
    """Every registered rule, by code, after importing the rule modules."""
    import mediameta.checks.rules  # noqa: F401  (registers on import)

    return dict(sorted(REGISTRY.items()))
