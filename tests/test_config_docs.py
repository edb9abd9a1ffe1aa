"""docs/configuration.md documents every configuration key."""

from __future__ import annotations

from pathlib import Path

from mediameta.config import Config

DOCS = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"


def test_every_key_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    missing = [
        name for name, field in Config.model_fields.items() if f"| `{field.alias or name}` |" not in text
    ]
    assert not missing, f"document these keys in docs/configuration.md: {missing}"


def test_the_documented_example_is_valid(tmp_path: Path) -> None:
    from mediameta.config import load_config

    text = DOCS.read_text(encoding="utf-8")
    example = text.split("```toml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "mediameta.toml").write_text(example, encoding="utf-8")
    config = load_config(tmp_path)
    assert config.fail_on == "error" and config.rules == {"MM104": {"min-words": 2}}
    assert config.per_file_ignores == {"archive/*": ["MM3"]}
