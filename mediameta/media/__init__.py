"""Media: read (and, in ``write``, change) the metadata embedded in pictures.

``read_record(path)`` / ``read_record_bytes(data, name)`` live in :mod:`mediameta.media.read`;
docs/metadata.md describes the fields, the blocks and the reconciliation rule.
"""

from __future__ import annotations
