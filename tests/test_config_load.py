"""Configuration: where it is found, how strictly it is validated, and the errors a user sees."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mediameta.config import (
    Config,
    ConfigError,
    catalogue_for,
    enabled_rules,
    find_config_file,
    is_ignored,
    is_selected,
    load_config,
    severity_for,
    validate_config,
    with_overrides,
)
from mediameta.console import UsageError
from mediameta.models import Finding


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_when_nothing_is_found(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.select == ["MM"] and config.fail_on == "warning" and config.source is None


def test_mediameta_toml_found_upward_from_a_file(tmp_path: Path) -> None:
    write(tmp_path / "mediameta.toml", 'fail-on = "error"\nfile-photo-days = 7\n')
    story = write(tmp_path / "desk" / "today" / "story.txt", "text")
    config = load_config(story)
    assert config.fail_on == "error" and config.file_photo_days == 7
    assert config.source == str(tmp_path / "mediameta.toml")


def test_pyproject_table_is_read_and_one_without_the_table_is_passed_over(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.mediameta]\nignore = ["MM301"]\n')
    write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "x"\n')
    config = load_config(tmp_path / "sub")
    assert config.ignore == ["MM301"]


def test_nearest_folder_wins(tmp_path: Path) -> None:
    write(tmp_path / "mediameta.toml", 'fail-on = "error"\n')
    write(tmp_path / "sub" / "pyproject.toml", '[tool.mediameta]\nfail-on = "info"\n')
    assert load_config(tmp_path / "sub").fail_on == "info"


def test_mediameta_toml_wins_over_pyproject_in_the_same_folder(tmp_path: Path) -> None:
    write(tmp_path / "mediameta.toml", 'fail-on = "error"\n')
    write(tmp_path / "pyproject.toml", '[tool.mediameta]\nfail-on = "info"\n')
    assert find_config_file(tmp_path) == (tmp_path / "mediameta.toml").resolve()
    assert load_config(tmp_path).fail_on == "error"


def test_explicit_file_beats_the_search(tmp_path: Path) -> None:
    write(tmp_path / "mediameta.toml", 'fail-on = "error"\n')
    other = write(tmp_path / "ci.toml", 'fail-on = "info"\n')
    assert load_config(tmp_path, explicit=other).fail_on == "info"


def test_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(explicit=tmp_path / "nope.toml")


def test_unknown_key_names_the_file_and_suggests(tmp_path: Path) -> None:
    write(tmp_path / "mediameta.toml", 'fial-on = "error"\n')
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path)
    assert str(raised.value) == "mediameta.toml: unknown key 'fial-on' (did you mean 'fail-on'?)"


def test_config_error_is_a_usage_error_so_the_cli_exits_2() -> None:
    assert issubclass(ConfigError, UsageError)


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ('fail-on = "fatal"', "bad value for 'fail-on'"),
        ("file-photo-days = -3", "bad value for 'file-photo-days'"),
        ("duplicate-threshold = 1.5", "bad value for 'duplicate-threshold'"),
        ('article-date = "March 3"', "bad value for 'article-date': 'March 3' is not a date"),
        ('house-credit-style = "(photo: {AGENT})"', "unknown placeholder {AGENT}"),
        ('house-credit-style = "(photo credit)"', "must contain {AGENCY} or {PHOTOGRAPHER}"),
        ('select = ["MM2", "XX1"]', "unknown rule code 'XX1' in 'select'"),
        ('ignore = ["MM299"]', "unknown rule code 'MM299' in 'ignore'"),
        ('severity = {MM999 = "error"}', "unknown rule code 'MM999' in 'severity'"),
        ('severity = {MM2 = "loud"}', "bad value for 'severity.MM2'"),
        ('per-file-ignores = {"archive/*" = ["MM3", "MM88"]}', "unknown rule code 'MM88'"),
        ("rules = {MM999 = {}}", "unknown rule code 'MM999' in 'rules'"),
        (
            "rules = {MM104 = {min-wrods = 2}}",
            "unknown key 'rules.MM104.min-wrods' (did you mean 'min-words'?)",
        ),
        ('rules = {MM104 = {min-words = "many"}}', "bad value for 'rules.MM104.min-words'"),
        ('agencies = [{aliases = ["x"]}]', "bad value for 'agencies'"),
        ('agencies = [{name = "X", colour = "red"}]', "unknown keys"),
        ("fail-on = ", "not valid TOML"),
    ],
)
def test_bad_values_are_errors_naming_the_key(tmp_path: Path, toml: str, expected: str) -> None:
    write(tmp_path / "mediameta.toml", toml + "\n")
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path)
    assert expected in str(raised.value)
    assert str(raised.value).startswith("mediameta.toml")


def test_pyproject_errors_name_pyproject(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.mediameta]\nselct = []\n")
    with pytest.raises(
        ConfigError, match=r"^pyproject\.toml: unknown key 'selct' \(did you mean 'select'\?\)"
    ):
        load_config(tmp_path)


def test_rule_options_accept_code_or_name() -> None:
    config = validate_config({"rules": {"short-caption": {"min-words": 5}}})
    rule = next(rule for rule in enabled_rules(config) if rule.code == "MM104")
    assert rule.options.model_dump() == {"min_words": 5}


def test_select_ignore_longest_prefix_wins() -> None:
    config = validate_config({"select": ["MM", "MM203"], "ignore": ["MM2"]})
    assert is_selected(config, "MM101")
    assert not is_selected(config, "MM201")
    assert is_selected(config, "MM203")  # longer select beats the shorter ignore


def test_ignore_wins_a_tie() -> None:
    config = validate_config({"select": ["MM2"], "ignore": ["MM2"]})
    assert not is_selected(config, "MM201")


def test_enabled_rules_carry_configured_severity() -> None:
    config = validate_config({"select": ["MM3"], "severity": {"MM3": "error", "MM301": "warning"}})
    rules = {rule.code: rule for rule in enabled_rules(config)}
    assert set(rules) == {code for code in rules if code.startswith("MM3")} and "MM301" in rules
    assert rules["MM301"].effective_severity == "warning"
    assert rules["MM306"].effective_severity == "error"
    assert severity_for(config, "MM101", "info") == "info"


def test_per_file_ignores_match_relative_to_the_config_folder(tmp_path: Path) -> None:
    write(tmp_path / "mediameta.toml", '[per-file-ignores]\n"archive/*" = ["MM3"]\n"*.html" = ["MM105"]\n')
    config = load_config(tmp_path)
    archived = str(tmp_path / "archive" / "2019" / "old.jpg")
    assert is_ignored(config, "MM305", archived)
    assert not is_ignored(config, "MM201", archived)
    assert not is_ignored(config, "MM305", str(tmp_path / "today" / "new.jpg"))
    finding = Finding(
        code="MM105", name="unbalanced-brackets", severity="warning", message="m", path="a/b/story.html"
    )
    assert is_ignored(config, finding)


def test_config_agencies_extend_the_catalogue() -> None:
    config = validate_config(
        {"agencies": [{"name": "Acme Photo Wire", "aliases": ["APW"], "kind": "photo agency"}]}
    )
    catalogue = catalogue_for(config)
    found = catalogue.lookup("apw")
    assert found is not None and found.name == "Acme Photo Wire"
    assert catalogue.lookup("Reuters") is not None
    assert catalogue_for(Config()).lookup("APW") is None


def test_with_overrides_validates_and_keeps_the_source(tmp_path: Path) -> None:
    write(tmp_path / "mediameta.toml", 'ignore = ["MM301"]\n')
    config = load_config(tmp_path)
    updated = with_overrides(
        config, select=["MM2"], ignore=["MM203"], fail_on="error", article_date="2025-03-03"
    )
    assert updated.select == ["MM2"] and updated.ignore == ["MM301", "MM203"]
    assert updated.fail_on == "error" and updated.article_date == "2025-03-03"
    assert updated.source == config.source
    with pytest.raises(ConfigError, match="command line: unknown rule code 'MM77'"):
        with_overrides(config, select=["MM77"])


def test_per_file_ignores_double_star_matches_at_the_top(tmp_path: Path) -> None:
    write(tmp_path / "mediameta.toml", '[per-file-ignores]\n"**/archive/*" = ["MM305"]\n')
    config = load_config(tmp_path)
    assert is_ignored(config, "MM305", str(tmp_path / "archive" / "a.jpg"))
    assert is_ignored(config, "MM305", str(tmp_path / "desk" / "archive" / "a.jpg"))
    assert not is_ignored(config, "MM305", str(tmp_path / "desk" / "a.jpg"))


def test_article_date_accepts_a_toml_date_literal(tmp_path: Path) -> None:
    write(tmp_path / "mediameta.toml", "article-date = 2025-03-14\n")
    assert load_config(tmp_path).article_date == "2025-03-14"


_KEYS = [name.replace("_", "-") for name in Config.model_fields] + ["fial-on", "rules.MM104", ""]
_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=12)
    | st.dates()
    | st.sampled_from(["MM", "MM2", "MM104", "error", "{AGENCY}", "MM999"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(_KEYS), _VALUES, max_size=4))
def test_any_table_gives_a_config_or_a_config_error(data: dict[str, object]) -> None:
    try:
        config = validate_config(data, "mediameta.toml")
    except ConfigError as exc:
        assert str(exc).startswith("mediameta.toml: ")
    else:
        enabled_rules(config)  # a valid config always builds its rules
