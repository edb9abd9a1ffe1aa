"""XMP packets: parsed safely (no DTDs, no entities, no network), mapped to MediaRecord fields.

Safety and speed: a packet that contains no ``<!`` (so no DOCTYPE, hence no entity declarations,
no entity expansion and no external entities are possible) and declares no encoding other than
UTF-8 is parsed with the standard library's C parser; every other packet goes through defusedxml
with DTDs, entities and external references forbidden. defusedxml's parser runs its tree
builder in Python and costs about 5x more per packet (measured on wire XMP: ~250 vs ~50 µs).

Simple properties may be written as elements or as attributes of ``rdf:Description``; language
alternatives (``rdf:Alt``) give the ``x-default`` item first, else the first item; ``rdf:Seq`` and
``rdf:Bag`` give lists. Several packets (the main one, extended XMP, a second APP1 packet) are
merged in order: the first packet that has a field wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError, XMLParser

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DC = "http://purl.org/dc/elements/1.1/"
PHOTOSHOP = "http://ns.adobe.com/photoshop/1.0/"
IPTC_CORE = "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"
TIFF = "http://ns.adobe.com/tiff/1.0/"
EXIF = "http://ns.adobe.com/exif/1.0/"
XMP_NOTE = "http://ns.adobe.com/xmp/note/"
IPTC_EXT = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
_LOCATION_SHOWN = f"{{{IPTC_EXT}}}LocationShown"

# "{namespace}property" -> field. Earlier entries of the same field win within one packet
# (dc:description before the deprecated tiff:ImageDescription).
PROPERTIES: dict[str, str] = {
    f"{{{DC}}}description": "description",
    f"{{{TIFF}}}ImageDescription": "description",
    f"{{{PHOTOSHOP}}}Headline": "headline",
    f"{{{DC}}}title": "title",
    f"{{{DC}}}creator": "creators",
    f"{{{TIFF}}}Artist": "creators",
    f"{{{PHOTOSHOP}}}AuthorsPosition": "creator_job_title",
    f"{{{PHOTOSHOP}}}Credit": "credit_line",
    f"{{{PHOTOSHOP}}}Source": "source",
    f"{{{DC}}}rights": "copyright",
    f"{{{TIFF}}}Copyright": "copyright",
    f"{{{PHOTOSHOP}}}DateCreated": "date_created",
    f"{{{EXIF}}}DateTimeOriginal": "date_created",
    f"{{{IPTC_CORE}}}Location": "sublocation",
    f"{{{PHOTOSHOP}}}City": "city",
    f"{{{PHOTOSHOP}}}State": "state",
    f"{{{PHOTOSHOP}}}Country": "country",
    f"{{{IPTC_CORE}}}CountryCode": "country_code",
    f"{{{DC}}}subject": "keywords",
    f"{{{PHOTOSHOP}}}Instructions": "instructions",
    f"{{{PHOTOSHOP}}}TransmissionReference": "job_id",
    f"{{{PHOTOSHOP}}}CaptionWriter": "description_writer",
    f"{{{TIFF}}}Make": "make",
    f"{{{TIFF}}}Model": "model",
    f"{{{EXIF}}}GPSLatitude": "_gps_lat",
    f"{{{EXIF}}}GPSLongitude": "_gps_lon",
    f"{{{EXIF}}}GPSAltitude": "_gps_alt",
    f"{{{EXIF}}}GPSAltitudeRef": "_gps_alt_ref",
    f"{{{XMP_NOTE}}}HasExtendedXMP": "_extended_guid",
    # IPTC Extension "Location Shown" (first location), only where the legacy property is absent
    f"{_LOCATION_SHOWN}/Sublocation": "sublocation",
    f"{_LOCATION_SHOWN}/City": "city",
    f"{_LOCATION_SHOWN}/ProvinceState": "state",
    f"{_LOCATION_SHOWN}/CountryName": "country",
    f"{_LOCATION_SHOWN}/CountryCode": "country_code",
}
_LOCATION_PARTS = {
    f"{{{IPTC_EXT}}}{part}": part
    for part in ("Sublocation", "City", "ProvinceState", "CountryName", "CountryCode")
}
_PRIORITY = {name: index for index, name in enumerate(PROPERTIES)}
LIST_FIELDS = frozenset({"creators", "keywords"})
_RDF_DESCRIPTION = f"{{{RDF}}}Description"
_RDF_LI = f"{{{RDF}}}li"
_CONTAINERS = (f"{{{RDF}}}Alt", f"{{{RDF}}}Seq", f"{{{RDF}}}Bag")
_WS = re.compile(r"\s+")
MAX_PACKET_BYTES = 32 * 1024 * 1024  # bloated Photoshop packets reach megabytes; beyond this is an attack


class XmpError(Exception):
    pass


@dataclass
class XmpData:
    values: dict[str, str | list[str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    packets: int = 0


_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*\?>")
# The xpacket wrapper carries no data; writers put raw BOM/control bytes in it that XML forbids.
_XPACKET = re.compile(rb"<\?xpacket[^>]*\?>")
_WIDE = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
)


def _prepare_packet(packet: bytes) -> bytes:
    """UTF-8 bytes from the packet: UTF-16/32 packets (allowed by the XMP spec) are transcoded,
    anything before the first ``<`` (padding, writer junk) and trailing NULs are cut."""
    head = packet[:4]
    for mark, codec in _WIDE:
        if head.startswith(mark):
            text = packet.decode(codec, errors="replace").lstrip("\ufeff")
            packet = _XML_DECL.sub(b"", text.encode("utf-8"))
            break
    packet = _XPACKET.sub(b"", packet)
    start = packet.find(b"<")
    if start > 0:
        packet = packet[start:]
    # drop the writer's padding (often 2-4 KB of spaces) so the parser never sees it
    end = packet.rfind(b"</x:xmpmeta>")
    if end > 0:
        return packet[: end + 12]
    return packet.rstrip(b"\x00 \r\n\t")


_ENCODING_DECL = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def _plain(text: bytes) -> bool:
    """No markup declarations at all and UTF-8: nothing an XML parser could expand or fetch."""
    if b"<!" in text:
        return False
    declared = _ENCODING_DECL.match(text)
    return declared is None or declared.group(1).lower() in (b"utf-8", b"utf8", b"us-ascii", b"ascii")


# Properties no field comes from that editing tools let grow to most of a packet (edit history,
# and Photoshop's DocumentAncestors, known to reach megabytes). Neither can nest in itself, and in a
# packet without "<!" (no CDATA, no comments) the literal tags can only be markup, so cutting them
# out as text before parsing is exact.
_BULK = (
    (b"<xmpMM:History>", b"</xmpMM:History>"),
    (b"<photoshop:DocumentAncestors>", b"</photoshop:DocumentAncestors>"),
)


def _drop_bulk(text: bytes) -> bytes:
    for opening, closing in _BULK:
        start = text.find(opening)
        if start < 0:
            continue
        end = text.find(closing, start)
        if end > 0:
            text = text[:start] + text[end + len(closing) :]
    return text


def _item_text(element: Element) -> str:
    return (element.text or "").strip()


_NODE_ID = f"{{{RDF}}}nodeID"


def _property_value(element: Element, nodes: dict[str, Element]) -> str | list[str] | None:
    resource = element.get(f"{{{RDF}}}resource")
    if resource is not None:
        return resource.strip() or None
    node_id = element.get(_NODE_ID)
    if node_id is not None and not len(element):  # a reference to a top-level rdf:Bag/Seq/Alt
        target = nodes.get(node_id)
        if target is None or target.tag not in _CONTAINERS:
            return None
        holder = Element(element.tag)
        holder.append(target)
        return _property_value(holder, {})
    for container in element:
        if container.tag not in _CONTAINERS:
            continue
        items = [li for li in container if li.tag == _RDF_LI]
        if container.tag == _CONTAINERS[0]:  # rdf:Alt: x-default first, else the first item
            chosen = next((li for li in items if li.get(XML_LANG, "").lower() == "x-default"), None)
            if chosen is None and items:
                chosen = items[0]
            return _item_text(chosen) or None if chosen is not None else None
        texts = [_item_text(li) for li in items]
        return [t for t in texts if t]
    if len(element):  # a structure (rdf:parseType="Resource" or nested Description): not mapped
        return None
    return _item_text(element) or None


def parse_packet(packet: bytes) -> tuple[dict[str, str | list[str]], dict[str, int]]:
    """Parse one packet into ``{field: value}`` and the priority of the property each came from.

    Raises XmpError with a readable reason for XML that is malformed or hostile (DTD, entities).
    """
    if len(packet) > MAX_PACKET_BYTES:
        raise XmpError(
            f"XMP packet of {len(packet)} bytes is over the {MAX_PACKET_BYTES}-byte limit; not parsed"
        )
    text = _prepare_packet(packet)
    if not text:
        raise XmpError("empty XMP packet")
    try:
        if _plain(text):
            text = _drop_bulk(text)
            parser = XMLParser()
            parser.feed(text)
            root = parser.close()
        else:
            root = fromstring(text, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise XmpError(f"refused hostile XML ({type(exc).__name__}): {exc}") from exc
    except ParseError as exc:
        raise XmpError(f"malformed XML: {exc}") from exc
    except (ValueError, LookupError) as exc:  # bad encoding declarations
        raise XmpError(f"unreadable XML: {exc}") from exc
    values: dict[str, str | list[str]] = {}
    priority: dict[str, int] = {}

    def offer(tag: str, value: str | list[str] | None) -> None:
        name = PROPERTIES.get(tag)
        if name is None or value is None or value == []:
            return
        if name in LIST_FIELDS and isinstance(value, str):
            value = [value]
        elif name not in LIST_FIELDS and isinstance(value, list):
            value = value[0] if value else ""
            if not value:
                return
        rank = _PRIORITY[tag]
        if name not in values or rank < priority[name]:
            values[name] = value
            priority[name] = rank

    nodes: dict[str, Element] = {}
    if b"nodeID" in text:
        nodes = {node.get(_NODE_ID, ""): node for node in root.iter() if len(node) and node.get(_NODE_ID)}
    for description in root.iter(_RDF_DESCRIPTION):
        for attr, attr_value in description.attrib.items():
            if attr in PROPERTIES:
                offer(attr, attr_value.strip() or None)
        for child in description:
            if child.tag in PROPERTIES:  # unmapped properties (history, ancestors...) cost nothing
                offer(child.tag, _property_value(child, nodes))
            elif child.tag == _LOCATION_SHOWN:
                for part, part_value in _first_location(child).items():
                    offer(f"{_LOCATION_SHOWN}/{part}", part_value)
    return values, priority


def _first_location(element: Element) -> dict[str, str]:
    """The parts of the first location in an ``Iptc4xmpExt:LocationShown`` bag (a structure
    written as attributes, as ``rdf:parseType="Resource"`` children or as a nested Description)."""
    container = next((c for c in element if c.tag in _CONTAINERS), None)
    item = next((li for li in container if li.tag == _RDF_LI), None) if container is not None else None
    if item is None:
        return {}
    holder = next((d for d in item if d.tag == _RDF_DESCRIPTION), item)
    parts: dict[str, str] = {}
    for attr, attr_value in holder.attrib.items():
        if attr in _LOCATION_PARTS and attr_value.strip():
            parts[_LOCATION_PARTS[attr]] = attr_value.strip()
    for child in holder:
        text = _item_text(child)
        if child.tag in _LOCATION_PARTS and text:
            parts.setdefault(_LOCATION_PARTS[child.tag], text)
    return parts


def parse_packets(packets: list[bytes]) -> XmpData:
    """Merge several packets: the first packet that has a field wins."""
    data = XmpData()
    for index, packet in enumerate(packets):
        try:
            values, _ = parse_packet(packet)
        except XmpError as exc:
            data.errors.append(f"packet {index + 1}: {exc}" if len(packets) > 1 else str(exc))
            continue
        data.packets += 1
        for name, value in values.items():
            data.values.setdefault(name, value)
    return data


_GPS_COORD = re.compile(
    r"^\s*(\d+(?:\.\d+)?)\s*,\s*(\d+(?:\.\d+)?)(?:\s*,\s*(\d+(?:\.\d+)?))?\s*([NSEWnsew])\s*$"
)


def xmp_coordinate(text: str) -> float | None:
    """XMP GPS coordinate ``DDD,MM.mmk`` or ``DDD,MM,SSk`` -> signed decimal degrees."""
    match = _GPS_COORD.match(text)
    if not match:
        try:
            return float(text)
        except ValueError:
            return None
    deg, minutes, seconds, ref = match.groups()
    value = float(deg) + float(minutes) / 60 + (float(seconds) / 3600 if seconds else 0.0)
    return -value if ref.upper() in "SW" else value


def xmp_rational(text: str) -> float | None:
    try:
        if "/" in text:
            num, den = text.split("/", 1)
            return float(num) / float(den) if float(den) else None
        return float(text)
    except ValueError:
        return None


_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$")
_EXIF_STYLE = re.compile(
    r"^(\d{4}):(\d{2}):(\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?(Z|[+-]\d{2}:\d{2})?$"
)


def xmp_date(text: str) -> str | None:
    """XMP dates are ISO 8601 already; a few writers use the EXIF ``YYYY:MM:DD hh:mm:ss`` form."""
    value = _WS.sub(" ", text).strip()
    if _ISO.match(value):
        return value
    match = _EXIF_STYLE.match(value)
    if match:
        year, month, day, clock, zone = match.groups()
        iso = f"{year}-{month}-{day}"
        if clock:
            iso += f"T{clock}{zone or ''}"
        return iso
    return None
