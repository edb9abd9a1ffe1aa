"""The agency catalogue: who can be credited, under which spellings, and what kind of source it is.

The catalogue is data (``agencies.toml``, shipped with the package); a newsroom extends it from its
config (``agencies = [{name, aliases, kind}]``). Lookups ignore case, punctuation, a leading "the"
and hyphenation, so ``"the associated press"``, ``"AP Photo"`` and ``"AP"`` find the same entry.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

AGENCY_KINDS: tuple[str, ...] = (
    "wire",
    "photo agency",
    "stock",
    "newspaper",
    "magazine",
    "broadcaster",
    "online",
    "government",
    "collection",
    "organisation",
    "company",
)

_PUNCT = re.compile(r"[^\w\s'&+]")


@lru_cache(maxsize=8192)
def normalise_name(name: str) -> str:
    """The lookup key of a name: casefolded, punctuation and a leading "the" dropped."""
    if name.isascii():
        # Letters, digits and single spaces (most names): NFKC and casefold change nothing but the
        # case, and there is no punctuation or run of spaces to collapse.
        key = name.lower()
        if key.replace(" ", "").isalnum() and "  " not in key:
            key = key.strip()
            return key[4:] if key.startswith("the ") else key
    key = unicodedata.normalize("NFKC", name).casefold().replace("’", "'")
    key = " ".join(_PUNCT.sub(" ", key).split())  # runs of whitespace → one space, none at the ends
    if key.startswith("the "):
        key = key[4:]
    return key


@dataclass(frozen=True)
class Agency:
    """One creditable organisation: its canonical name, other names, and kind.

    ``aliases`` are the standard other spellings of the same credit ("AP Photo", "Associated Press"):
    a credit written that way is reported under ``name``. ``variants`` are other names the
    organisation is known by (a desk, a division, a long form: "Reuters TV", "Anadolu Agency"): they
    are recognised (kind, grouping) but a credit keeps them as written.
    """

    name: str
    kind: str = "organisation"
    aliases: tuple[str, ...] = field(default_factory=tuple)
    variants: tuple[str, ...] = field(default_factory=tuple)


class AgencyCatalogue:
    """Name → agency lookup, insensitive to case, punctuation and a leading "the"."""

    def __init__(self, agencies: Iterable[Agency]) -> None:
        self._agencies: list[Agency] = []
        self._by_key: dict[str, Agency] = {}
        self._variant_keys: set[str] = set()
        for agency in agencies:
            self._add(agency)
        self.max_words = max((len(key.split()) for key in self._by_key), default=1)
        # First and last words of every key: a name whose first (last) word is not among them
        # starts (ends) no catalogue name, which saves looking up each of its prefixes (suffixes).
        self.first_words = frozenset(key.split(" ", 1)[0] for key in self._by_key)
        self.last_words = frozenset(key.rsplit(" ", 1)[-1] for key in self._by_key)

    def _add(self, agency: Agency) -> None:
        self._agencies.append(agency)
        for spelling in (agency.name, *agency.aliases, *agency.variants):
            key = normalise_name(spelling)
            if key:
                # A later entry (newsroom config) wins over the shipped one.
                self._by_key[key] = agency
                self._variant_keys.discard(key)
        for variant in agency.variants:
            key = normalise_name(variant)
            if key and key != normalise_name(agency.name) and key not in map(normalise_name, agency.aliases):
                self._variant_keys.add(key)

    @property
    def agencies(self) -> tuple[Agency, ...]:
        return tuple(self._agencies)

    def __len__(self) -> int:
        return len(self._agencies)

    def lookup(self, name: str) -> Agency | None:
        """The agency known under ``name`` (any alias, any case, with or without "the")."""
        key = normalise_name(name)
        if not key:
            return None
        return self._by_key.get(key)

    def lookup_key(self, key: str) -> Agency | None:
        """Like :meth:`lookup` for a key already passed through :func:`normalise_name`."""
        return self._by_key.get(key)

    def credit_name(self, written: str) -> str | None:
        """How a credit reports ``written``: the canonical name for the name or a standard alias,
        the written form for a variant, None for an organisation the catalogue does not know."""
        key = normalise_name(written)
        agency = self._by_key.get(key)
        if agency is None:
            return None
        return written.strip() if key in self._variant_keys else agency.name

    def is_variant_key(self, key: str) -> bool:
        """True when ``key`` (normalised) is a variant name: reported as written."""
        return key in self._variant_keys

    def extended(self, entries: Iterable[Mapping[str, Any]]) -> AgencyCatalogue:
        """A new catalogue with the newsroom's entries ``{name, aliases, variants, kind}`` added on top.

        Entries are validated: a missing or empty name raises ``ValueError`` naming the entry.
        """
        extra = [agency_from_entry(entry, index) for index, entry in enumerate(entries)]
        return AgencyCatalogue([*self._agencies, *extra])


def agency_from_entry(entry: Mapping[str, Any], index: int = 0) -> Agency:
    """Build an :class:`Agency` from a ``{name, aliases, kind}`` mapping (config or TOML)."""
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"agency entry {index}: 'name' must be a non-empty string")
    aliases = entry.get("aliases", [])
    if isinstance(aliases, str):
        aliases = [aliases]
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise ValueError(f"agency entry {index} ({name}): 'aliases' must be a list of strings")
    kind = entry.get("kind", "organisation")
    if not isinstance(kind, str) or not kind:
        raise ValueError(f"agency entry {index} ({name}): 'kind' must be a string")
    variants = entry.get("variants", [])
    if isinstance(variants, str):
        variants = [variants]
    if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
        raise ValueError(f"agency entry {index} ({name}): 'variants' must be a list of strings")
    unknown = set(entry) - {"name", "aliases", "variants", "kind"}
    if unknown:
        raise ValueError(f"agency entry {index} ({name}): unknown keys {sorted(unknown)}")
    return Agency(
        name=name.strip(),
        kind=kind,
        aliases=tuple(a.strip() for a in aliases if a.strip()),
        variants=tuple(v.strip() for v in variants if v.strip()),
    )


def load_catalogue_text(text: str) -> AgencyCatalogue:
    """Parse catalogue TOML (``[[agency]]`` tables) into a catalogue."""
    data = tomllib.loads(text)
    entries = data.get("agency", [])
    return AgencyCatalogue(agency_from_entry(entry, index) for index, entry in enumerate(entries))


@lru_cache(maxsize=1)
def default_catalogue() -> AgencyCatalogue:
    """The shipped catalogue (``agencies.toml``), loaded once per process."""
    text = resources.files("mediameta.captions").joinpath("agencies.toml").read_text(encoding="utf-8")
    return load_catalogue_text(text)
