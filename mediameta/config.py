"""Configuration: ``[tool.mediameta]`` in pyproject.toml or a ``mediameta.toml``, strictly validated.

Unknown keys and bad values are errors naming the key; nothing is silently ignored.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from mediameta.models import Severity


class Config(BaseModel):
    model_config = ConfigDict(
        extra="forbid", populate_by_name=True, alias_generator=lambda s: s.replace("_", "-")
    )

    select: list[str] = Field(default_factory=lambda: ["MM"])
    ignore: list[str] = Field(default_factory=list)
    severity: dict[str, Severity] = Field(default_factory=dict)  # code or prefix -> severity
    rules: dict[str, dict[str, Any]] = Field(default_factory=dict)  # code -> rule options
    fail_on: Severity = "warning"
    house_credit_style: str | None = None  # e.g. "(photo credit: {AGENCY}/{PHOTOGRAPHER})"
    agencies: list[dict[str, Any]] = Field(default_factory=list)  # extra catalogue entries
    staff_photographers: list[str] = Field(default_factory=list)
    file_photo_days: int = 30
    duplicate_threshold: float = 0.9
    link_threshold: float = 0.6
    date_tolerance_days: int = 1
    per_file_ignores: dict[str, list[str]] = Field(default_factory=dict)  # glob -> codes
    article_date: str | None = None
