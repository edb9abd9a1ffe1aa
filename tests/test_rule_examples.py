"""The meta-test: every registered rule documents itself with examples that behave as stated."""

from __future__ import annotations

import pytest

from mediameta.checks.examples import run_example
from mediameta.checks.registry import Rule, all_rules

RULES = all_rules()


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_is_self_describing(code: str) -> None:
    cls = RULES[code]
    assert cls.code == code
    assert cls.name and cls.name == cls.name.lower() and " " not in cls.name
    assert cls.severity in {"error", "warning", "info"}
    doc = cls.__doc__ or ""
    assert doc.strip(), f"{code} has no docstring"
    assert "Fails:" in doc and "Passes:" in doc, f"{code}'s docstring needs a failing and a passing example"
    summary = cls.summary()
    assert summary.endswith((".", ")")), f"{code}'s first docstring line must be a one-line summary sentence"
    kinds = {example.fails for example in cls.examples}
    assert kinds == {True, False}, f"{code} needs at least one failing and one passing example"


def _cases() -> list[tuple[str, int]]:
    return [(code, index) for code, cls in sorted(RULES.items()) for index in range(len(cls.examples))]


@pytest.mark.parametrize(("code", "index"), _cases())
def test_rule_example_behaves(code: str, index: int) -> None:
    cls: type[Rule] = RULES[code]
    example = cls.examples[index]
    findings = run_example(cls, example)
    if example.fails:
        assert findings, f"{code} example {example.title!r} should fail but found nothing"
    else:
        assert not findings, f"{code} example {example.title!r} should pass but found: " + "; ".join(
            f.message for f in findings
        )


def test_rule_names_are_unique() -> None:
    names = [cls.name for cls in RULES.values()]
    assert len(names) == len(set(names))
