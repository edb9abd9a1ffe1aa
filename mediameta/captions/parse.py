"""Parse one caption string into a :class:`~mediameta.models.Caption`.

``parse_caption`` never raises: whatever the input, it returns a Caption (at worst with only
``text`` set). Offsets in ``spans`` index into ``text`` as given.
"""

from __future__ import annotations

import re

from mediameta.captions.catalogue import AgencyCatalogue, default_catalogue
from mediameta.models import Caption, Credit, Span

_SIMPLE_CREDIT = re.compile(
    r"\((?:photo\s+credit|credit|photo)\s*:\s*(?P<paren>[^()]{1,200})\)\s*$"
    r"|(?<=[.!?]\s)(?P<tail>[^\s./][^./]{0,80}/[^.]{1,80})\s*$",
    re.IGNORECASE,
)


def parse_caption(text: str, catalogue: AgencyCatalogue | None = None) -> Caption:
    """Split ``text`` into body, credit, date and location, with character spans for each."""
    try:
        return _parse(text, catalogue or default_catalogue())
    except Exception:  # errors are data: a caption we cannot read is still a caption
        return Caption(text=text if isinstance(text, str) else str(text))


def _parse(text: str, catalogue: AgencyCatalogue) -> Caption:
    match = _SIMPLE_CREDIT.search(text)
    if match is None:
        body = text.strip()
        start = text.find(body) if body else 0
        spans = {"body": Span(start=start, end=start + len(body))} if body else {}
        return Caption(text=text, body=body or None, spans=spans)
    group = "paren" if match.group("paren") is not None else "tail"
    raw = match.group(group).strip()
    raw_start = match.start(group)
    photographers: list[str] = []
    agencies: list[str] = []
    for part in re.split(r"\s*/\s*", raw):
        agency = catalogue.lookup(part)
        if agency is not None:
            agencies.append(agency.name)
        elif part:
            photographers.append(part)
    body = text[: match.start()].strip()
    spans = {"credit": Span(start=raw_start, end=raw_start + len(raw))}
    if body:
        body_start = text.find(body)
        spans["body"] = Span(start=body_start, end=body_start + len(body))
    return Caption(
        text=text,
        body=body or None,
        credit=Credit(raw=raw, photographers=photographers, agencies=agencies),
        spans=spans,
    )
