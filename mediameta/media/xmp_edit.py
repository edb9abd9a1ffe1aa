"""Edit the caption and credit properties of an XMP packet in place, leaving every other byte alone.

The writer's fast path for XMP. exiv2 re-serialises a whole packet to change one property (and
costs ~1 ms a file to load its XMP toolkit on each packet); this module instead finds where each
writable property stands in the packet's bytes (an element or an attribute of ``rdf:Description``)
with the C XML parser (expat, which reports byte offsets) and splices in the new value. Everything
it does not edit — other properties, their order, namespace prefixes, comments, padding — keeps its
bytes. The edited packet is parsed again and checked before it is used.

It edits only packets of the shapes it fully understands and raises :class:`XmpEditUnsupported`
for the rest, so that the caller can fall back to exiv2: a packet with a DTD (``<!``), not UTF-8, a
writable property written twice or with qualifiers, a language alternative or array whose items
are not plain text, a value with characters XML cannot hold.

Property keys and values are spelled as pyexiv2 spells them, so the plan is the same whichever
path writes it: ``"Xmp.dc.description"`` with ``{'lang="x-default"': "text", ...}``, ``"Xmp.dc.creator"``
with a list, ``"Xmp.photoshop.Credit"`` with a string; None removes the property.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal
from xml.parsers import expat

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XML_NS = "http://www.w3.org/XML/1998/namespace"
DC = "http://purl.org/dc/elements/1.1/"
PHOTOSHOP = "http://ns.adobe.com/photoshop/1.0/"
IPTC_CORE = "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"

# exiv2's namespace prefixes -> (namespace URI, the prefix a new declaration uses)
KEY_NAMESPACES: dict[str, tuple[str, str]] = {
    "dc": (DC, "dc"),
    "photoshop": (PHOTOSHOP, "photoshop"),
    "iptc": (IPTC_CORE, "Iptc4xmpCore"),
}

Kind = Literal["text", "langalt", "seq", "bag"]
XmpValue = str | list[str] | dict[str, str]

# the writable properties: exiv2 key -> kind
PROPERTY_KINDS: dict[str, Kind] = {
    "Xmp.dc.description": "langalt",
    "Xmp.dc.title": "langalt",
    "Xmp.dc.rights": "langalt",
    "Xmp.dc.creator": "seq",
    "Xmp.dc.subject": "bag",
    "Xmp.photoshop.Headline": "text",
    "Xmp.photoshop.Credit": "text",
    "Xmp.photoshop.Source": "text",
    "Xmp.photoshop.DateCreated": "text",
    "Xmp.photoshop.City": "text",
    "Xmp.photoshop.State": "text",
    "Xmp.photoshop.Country": "text",
    "Xmp.photoshop.Instructions": "text",
    "Xmp.photoshop.TransmissionReference": "text",
    "Xmp.photoshop.CaptionWriter": "text",
    "Xmp.iptc.Location": "text",
    "Xmp.iptc.CountryCode": "text",
}


def _expanded(key: str) -> str:
    _, prefix, name = key.split(".", 2)
    return f"{KEY_NAMESPACES[prefix][0]} {name}"


_WRITABLE_NAMESPACES = frozenset(uri for uri, _ in KEY_NAMESPACES.values())
_KEY_OF: dict[str, str] = {_expanded(key): key for key in PROPERTY_KINDS}
_ARRAY_KINDS = {f"{RDF} Alt": "langalt", f"{RDF} Seq": "seq", f"{RDF} Bag": "bag"}
_DESCRIPTION = f"{RDF} Description"
_RDF_ROOT = f"{RDF} RDF"
_LI = f"{RDF} li"
_XML_LANG = f"{XML_NS} lang"

EMPTY_PACKET = (
    b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
    b' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
    b'  <rdf:Description rdf:about="">\n'
    b"  </rdf:Description>\n"
    b" </rdf:RDF>\n"
    b"</x:xmpmeta>\n"
    b'<?xpacket end="w"?>'
)

_START_TAG = re.compile(rb"<[^\s/>]+((?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>")
_ATTRIBUTE_RUN = re.compile(rb"(?:\s++[^\s=/>]++\s*+=\s*+(?:\"[^\"]*+\"|'[^']*+'))*+\s*+/?")
_ATTRIBUTE_FIELDS = re.compile(rb"(\s+([^\s=/>]+)\s*=\s*(\"[^\"]*\"|'[^']*'))")
_DECLARED_ENCODING = re.compile(rb"(?:\xef\xbb\xbf)?\s*<\?xml\s[^>]*?encoding\s*=\s*[\"']([^\"']*)[\"']")
_LANG_KEY = re.compile(r'lang="([^"]*)"')
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACE = b" \t\r\n"


class XmpEditUnsupported(ValueError):
    """The packet (or the value) has a shape this editor does not edit; use exiv2 instead."""


@dataclass
class _Description:
    start: int
    tag_end: int  # just past the start tag's ">"
    empty: bool  # written as <rdf:Description .../>
    qname: bytes
    scope: dict[str, str]  # prefix -> namespace in scope inside the start tag
    last_child_end: int = -1
    child_space: bytes | None = None  # the whitespace before its first property element


@dataclass
class _Property:
    key: str
    description: int  # index into the packet's descriptions
    start: int
    end: int
    value: XmpValue
    attribute: bool  # an attribute of rdf:Description (start/end: the attribute with its leading space)
    qname: bytes = b""
    indent: bytes = b""
    scope: dict[str, str] = field(default_factory=dict)


_TOKEN = re.compile(
    rb"<\?.*?\?>"  # a processing instruction (the xpacket wrapper)
    rb"|<(/?)([^\s/>]++)([^\"'>]*+(?:(?:\"[^\"]*+\"|'[^']*+')[^\"'>]*+)*+)>",
    re.S,
)
_ENTITY = re.compile(r"&(?:#(\d+)|#x([0-9A-Fa-f]+)|(amp|lt|gt|quot|apos));")
_SKIPPED: tuple[str, dict[str, str], bytes] = ("", {}, b"")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _decode(raw: bytes, *, attribute: bool = False) -> str:
    """Character data or an attribute value as an XML parser reports it."""
    text = raw.decode("utf-8")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if attribute and ("\n" in text or "\t" in text):
        text = text.replace("\n", " ").replace("\t", " ")
    if "&" in text:
        if text.count("&") != len(_ENTITY.findall(text)):
            raise XmpEditUnsupported("an entity reference this editor does not know")
        text = _ENTITY.sub(_entity, text)
    return text


def _entity(match: re.Match[str]) -> str:
    if match.group(3):
        return _NAMED[match.group(3)]
    code = int(match.group(1)) if match.group(1) else int(match.group(2), 16)
    if not 0 < code <= 0x10FFFF:
        raise XmpEditUnsupported("a character reference out of range")
    return chr(code)


def _attributes(raw: bytes) -> list[tuple[int, int, bytes, bytes]]:
    """(start, end, qname, quoted value) of each attribute in the text after a tag's name."""
    if _ATTRIBUTE_RUN.fullmatch(raw) is None:
        raise XmpEditUnsupported("a start tag this editor cannot read")
    found = []
    position = 0
    for whole, qname, value in _ATTRIBUTE_FIELDS.findall(raw):
        end = position + len(whole)
        found.append((position, end, qname, value))
        position = end
    return found


class _Locator:
    """One pass over the packet's tags: the rdf:Description elements, where the writable properties
    stand, and their values. Names are resolved against the namespaces in scope only where it
    matters (down to the properties, and inside the writable ones); the contents of other properties
    are only counted through. The packet is XML without a DTD (checked by the caller), so markup is
    tags and processing instructions, and every ``<`` starts one."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.descriptions: list[_Description] = []
        self.properties: dict[str, _Property] = {}
        self.others = 0  # properties (elements and attributes) of descriptions this editor does not write
        try:
            self._read(data)
        except XmpEditUnsupported:
            raise
        except (UnicodeDecodeError, ValueError, IndexError, KeyError, OverflowError) as exc:
            raise XmpEditUnsupported(f"XMP this editor cannot read ({exc})") from exc

    def _read(self, data: bytes) -> None:
        tokens = 0
        # per open element: (expanded name, or "" below a property this editor does not read; scope)
        stack: list[tuple[str, dict[str, str], bytes]] = []  # expanded name, scope, qname
        top_scope = {"xml": XML_NS}
        description_depth = -1  # len(stack) inside the rdf:Description being read
        prop: _Property | None = None
        array: Kind | None = None
        items: list[tuple[str | None, str]] = []
        text_from = 0
        lang: str | None = None
        position = 0
        while True:
            match = _TOKEN.search(data, position)
            if match is None:
                break
            position = match.end()
            tokens += 1
            closing, name, rest = match.groups()
            if name is None:
                continue  # a processing instruction
            start, end = match.span()
            if closing:  # an end tag
                if not stack or rest.strip():
                    raise XmpEditUnsupported("an end tag without its start")
                expanded, _, qname = stack.pop()
                if qname and qname != name:
                    raise XmpEditUnsupported(f"end tag {name!r} closes {qname!r}")
                depth = len(stack)  # of the element that ends, counted from 0
                if depth == description_depth - 1:  # the rdf:Description itself
                    description_depth = -1
                elif depth == description_depth:
                    self.descriptions[-1].last_child_end = end
                    if prop is not None:
                        prop.end = end
                        self._finish(prop, array, items, data[text_from:start])
                        prop = None
                elif prop is not None and depth == description_depth + 2 and expanded == _LI:
                    items.append((lang, _decode(data[text_from:start])))
                continue
            empty = rest.endswith(b"/")
            parent_name, scope, _ = stack[-1] if stack else ("", top_scope, b"")
            if stack and not parent_name:  # inside a property this editor does not read: count through
                if not empty:
                    stack.append(_SKIPPED)
                continue
            attributes = _attributes(rest) if b"=" in rest else []
            if b"xmlns" in rest:
                declared = {}
                for _, _, qname, value in attributes:
                    if qname.startswith(b"xmlns:"):
                        declared[qname[6:].decode("utf-8")] = _decode(value[1:-1], attribute=True)
                    elif qname == b"xmlns":
                        raise XmpEditUnsupported("a default namespace declaration")
                if declared:
                    scope = {**scope, **declared}
            depth = len(stack)
            # names are resolved down to the properties and inside the writable ones; below any
            # other property (parent_name "") elements are only counted through
            expanded = _expand(name, scope)
            if prop is not None:
                if (
                    depth == description_depth + 1
                    and expanded in _ARRAY_KINDS
                    and array is None
                    and rest.strip() in (b"", b"/")
                ):
                    if data[text_from:start].strip():
                        raise XmpEditUnsupported(f"{prop.key} mixes text and an array")
                    array = _ARRAY_KINDS[expanded]  # type: ignore[assignment]
                elif depth == description_depth + 2 and array is not None and expanded == _LI:
                    lang = None
                    for _, _, qname, value in attributes:
                        if _expand(qname, scope, attribute=True) != _XML_LANG or array != "langalt":
                            raise XmpEditUnsupported(f"{prop.key} has items with qualifiers")
                        lang = _decode(value[1:-1], attribute=True)
                    if empty:
                        items.append((lang, ""))
                    text_from = end
                else:
                    raise XmpEditUnsupported(f"{prop.key} is a structure this editor does not write")
            elif depth == description_depth:
                prop = self._property_start(name, expanded, attributes, scope, start)
                array, items, text_from = None, [], end
                if prop is not None and empty:
                    prop.end = end
                    self._finish(prop, None, [], b"")
                    prop = None
                if empty:
                    self.descriptions[-1].last_child_end = end
                elif prop is None:
                    skipped = _skip(data, name, end)
                    if skipped is not None:  # another property: jump over its contents
                        inner, position = skipped
                        tokens += inner
                        self.descriptions[-1].last_child_end = position
                        continue
                    expanded = ""  # its contents are only counted through
            elif expanded == _DESCRIPTION and parent_name == _RDF_ROOT:
                self._description(name, attributes, scope, start, end, empty)
                if not empty:
                    description_depth = depth + 1
            if not empty:
                stack.append((expanded, scope, name))
        if stack:
            raise XmpEditUnsupported("the packet ends inside an element")
        if tokens != data.count(b"<"):
            raise XmpEditUnsupported("markup this editor cannot read")
        if not self.descriptions:
            raise XmpEditUnsupported("no rdf:Description in the XMP packet")

    def _description(
        self,
        name: bytes,
        attributes: list[tuple[int, int, bytes, bytes]],
        scope: dict[str, str],
        start: int,
        end: int,
        empty: bool,
    ) -> None:
        description = _Description(start, end, empty, name, scope)
        self.descriptions.append(description)
        index = len(self.descriptions) - 1
        offset = start + 1 + len(name)
        # prefixes bound to the namespaces of the writable properties: the others are only counted
        ours = {prefix.encode("utf-8") for prefix, uri in scope.items() if uri in _WRITABLE_NAMESPACES}
        declared = {prefix.encode("utf-8") for prefix in scope}
        for attr_start, attr_end, qname, value in attributes:
            prefix, colon, _ = qname.partition(b":")
            if prefix not in ours:
                if colon and prefix != b"xmlns" and prefix not in declared:
                    # not namespace-well-formed; declaring the prefix for a new property would
                    # give this attribute a meaning it never had
                    raise XmpEditUnsupported(f"namespace prefix {prefix!r} is not declared")
                if prefix != b"xmlns":
                    self.others += 1
                continue
            key = _KEY_OF.get(_expand(qname, scope, attribute=True))
            if key is None:
                self.others += 1
                continue
            if key in self.properties:
                raise XmpEditUnsupported(f"{key} is written more than once")
            self.properties[key] = _Property(
                key,
                index,
                offset + attr_start,
                offset + attr_end,
                _decode(value[1:-1], attribute=True),
                True,
                qname,
                b"",
                scope,
            )

    def _property_start(
        self,
        name: bytes,
        expanded: str,
        attributes: list[tuple[int, int, bytes, bytes]],
        scope: dict[str, str],
        start: int,
    ) -> _Property | None:
        """A property element of the current description starts: the writable property it begins
        (its end and value filled in by ``_finish``), or None for one this editor only counts."""
        description = self.descriptions[-1]
        if description.child_space is None:
            description.child_space = _space_before(self.data, start)
        key = _KEY_OF.get(expanded)
        if key is None:
            self.others += 1
            return None
        if any(not qname.startswith(b"xmlns") for _, _, qname, _ in attributes):
            raise XmpEditUnsupported(f"{key} has qualifiers or an rdf:resource; not edited here")
        if key in self.properties:
            raise XmpEditUnsupported(f"{key} is written more than once")
        return _Property(
            key,
            len(self.descriptions) - 1,
            start,
            -1,
            "",
            False,
            name,
            _space_before(self.data, start),
            scope,
        )

    def _finish(
        self, prop: _Property, array: Kind | None, items: list[tuple[str | None, str]], text: bytes
    ) -> None:
        kind = PROPERTY_KINDS[prop.key]
        if (array is None) != (kind == "text"):
            raise XmpEditUnsupported(f"{prop.key} is not written as the standard says")
        if array is None:
            prop.value = _decode(text)
        elif array == "langalt":
            if any(lang is None for lang, _ in items):
                raise XmpEditUnsupported(f"{prop.key} has an item without a language")
            prop.value = {f'lang="{lang}"': value for lang, value in items}
        else:
            if array != kind:
                raise XmpEditUnsupported(f"{prop.key} is an array of an unexpected kind")
            prop.value = [value for _, value in items]
        self.properties[prop.key] = prop


def _skip(data: bytes, name: bytes, after: int) -> tuple[int, int] | None:
    """For an element ``name`` whose start tag ends at ``after``: (the markup count inside it plus
    its end tag, the offset past its end tag), found by text search; None when an element of the
    same name is nested in it (then the tokens are walked). Its contents' well-formedness is left to
    the expat check of the edited packet."""
    closing = data.find(b"</" + name, after)
    while closing >= 0 and data[closing + 2 + len(name) : closing + 3 + len(name)] not in (
        b">",
        b" ",
        b"\t",
        b"\r",
        b"\n",
    ):
        closing = data.find(b"</" + name, closing + 1)
    if closing < 0:
        return None
    opening = data.find(b"<" + name, after, closing)
    while opening >= 0:
        if data[opening + 1 + len(name) : opening + 2 + len(name)] in (b">", b"/", b" ", b"\t", b"\r", b"\n"):
            return None
        opening = data.find(b"<" + name, opening + 1, closing)
    end = data.find(b">", closing)
    if end < 0:
        return None
    return data.count(b"<", after, closing) + 1, end + 1


def _expand(qname: bytes, scope: Mapping[str, str], *, attribute: bool = False) -> str:
    prefix, colon, local = qname.decode("utf-8").rpartition(":")
    if not colon:
        if attribute:
            return f" {local}"
        raise XmpEditUnsupported("an element without a namespace prefix")
    uri = scope.get(prefix)
    if uri is None:
        raise XmpEditUnsupported(f"namespace prefix {prefix!r} is not declared")
    return f"{uri} {local}"


class XmpPacket:
    """A packet read once: its writable properties (``values``) and ``edit`` to change them.

    Raises XmpEditUnsupported for a packet this editor does not edit. ``None`` is a new, empty packet.
    """

    def __init__(self, packet: bytes | None) -> None:
        data = EMPTY_PACKET if packet is None else packet
        _check_packet(data)
        self._located = _Locator(data)

    @property
    def values(self) -> dict[str, XmpValue]:
        """The writable properties present, as pyexiv2 gives them."""
        return {key: prop.value for key, prop in self._located.properties.items()}

    def edit(self, ops: Mapping[str, XmpValue | None]) -> bytes:
        """The packet with the properties in ``ops`` set (None: removed).

        Raises XmpEditUnsupported when a value is outside what this editor writes, and ValueError
        when the edited packet does not read back as intended (a bug: nothing must be written).
        """
        return _edit(self._located, ops)


def read_properties(packet: bytes) -> dict[str, XmpValue]:
    """The writable properties present in ``packet``, as pyexiv2 gives them (raises XmpEditUnsupported)."""
    return XmpPacket(packet).values


def _check_packet(packet: bytes) -> None:
    if b"<!" in packet:
        raise XmpEditUnsupported("the XMP packet has a DTD or CDATA section")
    if packet[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in packet[:64]:
        raise XmpEditUnsupported("the XMP packet is not UTF-8")
    declared = _DECLARED_ENCODING.match(packet)
    if declared is not None and declared.group(1).lower().replace(b"-", b"").replace(b"_", b"") != b"utf8":
        raise XmpEditUnsupported(f"the XMP packet declares encoding {declared.group(1)!r}")


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#xD;")


def _escape_attribute(text: str) -> str:
    return _escape_text(text).replace('"', "&quot;").replace("\t", "&#x9;").replace("\n", "&#xA;")


def _check_value(key: str, value: XmpValue | None) -> None:
    if key not in PROPERTY_KINDS:
        raise XmpEditUnsupported(f"{key} is not a property this editor writes")
    texts = (
        [value]
        if isinstance(value, str)
        else list(value.values())
        if isinstance(value, dict)
        else value or []
    )
    for text in texts:
        if _NOT_XML.search(text):
            raise XmpEditUnsupported(f"{key}: a character XML cannot hold")
    if isinstance(value, dict):
        for lang in value:
            match = _LANG_KEY.fullmatch(lang)
            if match is None or _NOT_XML.search(match.group(1)):
                raise XmpEditUnsupported(f"{key}: language {lang!r} is not as pyexiv2 spells it")


def _prefix_for(scope: Mapping[str, str], uri: str, preferred: str) -> str | None:
    if scope.get(preferred) == uri:
        return preferred
    return next((prefix for prefix, bound in scope.items() if bound == uri and prefix), None)


def _element(qname: str, rdf: str, kind: Kind, value: XmpValue, indent: str) -> str:
    if kind == "text":
        assert isinstance(value, str)
        return f"<{qname}>{_escape_text(value)}</{qname}>"
    inner = indent + " " if "\n" in indent else ""
    item = inner + " " if inner else ""
    if kind == "langalt":
        assert isinstance(value, dict)
        lines = [
            f'{item}<{rdf}:li xml:lang="{_escape_attribute(_LANG_KEY.fullmatch(lang).group(1))}">'  # type: ignore[union-attr]
            f"{_escape_text(text)}</{rdf}:li>"
            for lang, text in value.items()
        ]
        container = "Alt"
    else:
        assert isinstance(value, list)
        lines = [f"{item}<{rdf}:li>{_escape_text(text)}</{rdf}:li>" for text in value]
        container = "Seq" if kind == "seq" else "Bag"
    body = "".join(lines)
    return f"<{qname}>{inner}<{rdf}:{container}>{body}{inner}</{rdf}:{container}>{indent}</{qname}>"


def _normalise(kind: Kind, value: XmpValue) -> XmpValue:
    if kind == "text" and not isinstance(value, str):
        raise XmpEditUnsupported("a text property needs a string")
    if kind == "langalt":
        if isinstance(value, str):
            value = {'lang="x-default"': value}
        if not isinstance(value, dict):
            raise XmpEditUnsupported("a language alternative needs a dict")
    if kind in ("seq", "bag"):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise XmpEditUnsupported("an array needs a list")
    return value


def edit_packet(packet: bytes | None, ops: Mapping[str, XmpValue | None]) -> bytes:
    """``packet`` (None: a new, empty one) with the properties in ``ops`` set (None: removed).

    Raises XmpEditUnsupported when the packet or a value is outside what this editor handles, and
    ValueError when the edited packet does not read back as intended (a bug: nothing is written).
    """
    return XmpPacket(packet).edit(ops)


def _edit(located: _Locator, ops: Mapping[str, XmpValue | None]) -> bytes:
    data = located.data
    for key, value in ops.items():
        _check_value(key, value)
    splices: list[tuple[int, int, bytes]] = []
    # new elements per description: (text to insert before its end, namespaces to declare)
    added: dict[int, tuple[list[str], dict[str, str]]] = {}
    expected: dict[str, XmpValue] = {}

    for key, raw_value in ops.items():
        kind = PROPERTY_KINDS[key]
        current = located.properties.get(key)
        if raw_value is None:
            if current is not None:
                if current.attribute:
                    splices.append((current.start, current.end, b""))
                else:
                    splices.append((current.start - len(current.indent), current.end, b""))
            continue
        value = _normalise(kind, raw_value)
        expected[key] = value
        if current is not None and current.attribute and kind == "text":
            assert isinstance(value, str)
            replacement = b" " + current.qname + b'="' + _escape_attribute(value).encode("utf-8") + b'"'
            splices.append((current.start, current.end, replacement))
            continue
        if current is not None and not current.attribute:
            qname = current.qname.decode("utf-8")
            rdf = _prefix_for(current.scope, RDF, "rdf")
            if rdf is None:
                raise XmpEditUnsupported("no prefix for the RDF namespace")
            indent = current.indent.decode("utf-8") or "\n"
            text = _element(qname, rdf, kind, value, indent if "\n" in indent else "")
            splices.append((current.start, current.end, text.encode("utf-8")))
            continue
        # new element (or an attribute that must become an element): into the same description, else the first
        index = current.description if current is not None else 0
        if current is not None:
            splices.append((current.start, current.end, b""))
        description = located.descriptions[index]
        texts, declare = added.setdefault(index, ([], {}))
        uri, preferred = KEY_NAMESPACES[key.split(".")[1]]
        scope = {**description.scope, **declare}
        prefix = _prefix_for(scope, uri, preferred)
        if prefix is None:
            prefix = preferred
            number = 1
            while prefix in scope:
                prefix = f"{preferred}{number}"
                number += 1
            declare[prefix] = uri
            scope[prefix] = uri
        rdf = _prefix_for(scope, RDF, "rdf")
        if rdf is None:
            raise XmpEditUnsupported("no prefix for the RDF namespace")
        child_indent = _child_indent(data, description)
        local = key.split(".", 2)[2]
        texts.append(child_indent + _element(f"{prefix}:{local}", rdf, kind, value, child_indent))

    for index, (texts, declare) in added.items():
        description = located.descriptions[index]
        declarations = "".join(
            f' xmlns:{prefix}="{_escape_attribute(uri)}"' for prefix, uri in declare.items()
        )
        body = "".join(texts).encode("utf-8")
        if description.empty:
            closing = description.tag_end - 2  # "/>"
            outer = _space_before(data, description.start).decode("utf-8")
            outer = outer[outer.rfind("\n") :] if "\n" in outer else ""
            splices.append(
                (
                    closing,
                    description.tag_end,
                    declarations.encode("utf-8")
                    + b">"
                    + body
                    + outer.encode("utf-8")
                    + b"</"
                    + description.qname
                    + b">",
                )
            )
            continue
        if declarations:
            closing = description.tag_end - 1
            splices.append((closing, closing, declarations.encode("utf-8")))
        anchor = description.last_child_end if description.last_child_end >= 0 else description.tag_end
        splices.append((anchor, anchor, body))

    splices.sort(key=lambda splice: (splice[0], splice[1]))
    out: list[bytes] = []
    position = 0
    for start, end, replacement in splices:
        if start < position:
            raise XmpEditUnsupported("edits overlap")
        out.append(data[position:start])
        out.append(replacement)
        position = end
    out.append(data[position:])
    new = b"".join(out)
    _verify(located, new, ops, expected)
    return new


def fit_padding(packet: bytes, limit: int) -> bytes:
    """``packet`` cut to ``limit`` bytes by taking whitespace out of the padding before
    ``<?xpacket end``, if it has enough (else returned as it is: the caller decides)."""
    excess = len(packet) - limit
    if excess <= 0:
        return packet
    end = packet.rfind(b"<?xpacket end")
    if end < 0:
        return packet
    begin = end
    while begin > 0 and packet[begin - 1] in _SPACE:
        begin -= 1
    padding = end - begin
    if padding - 1 < excess:  # keep one newline before the trailer
        return packet
    return packet[:begin] + packet[begin + excess :]


def _space_before(data: bytes, position: int) -> bytes:
    begin = position
    while begin > 0 and data[begin - 1] in _SPACE:
        begin -= 1
    return data[begin:position]


def _child_indent(data: bytes, description: _Description) -> str:
    if description.child_space:
        return description.child_space.decode("utf-8")
    outer = _space_before(data, description.start).decode("utf-8")
    if "\n" not in outer:
        return ""
    return outer[outer.rfind("\n") :] + " "


def _verify(
    before: _Locator, new: bytes, ops: Mapping[str, object], expected: Mapping[str, XmpValue]
) -> None:
    try:
        expat.ParserCreate(namespace_separator=" ").Parse(new, True)
    except expat.ExpatError as exc:
        try:
            expat.ParserCreate(namespace_separator=" ").Parse(before.data, True)
        except expat.ExpatError as original:
            raise XmpEditUnsupported(f"the XMP packet is not well-formed: {original}") from original
        raise ValueError(f"the edited XMP is not well-formed: {exc}") from exc
    try:
        after = _Locator(new)
    except XmpEditUnsupported as exc:
        raise ValueError(f"the edited XMP does not read back: {exc}") from exc
    if after.others != before.others or len(after.descriptions) != len(before.descriptions):
        raise ValueError("the edit would change XMP properties it was not asked to change")
    for key in PROPERTY_KINDS:
        got = after.properties.get(key)
        if key in ops:
            want = expected.get(key)
            if (got.value if got is not None else None) != want:
                raise ValueError(f"{key} does not read back as written")
        else:
            was = before.properties.get(key)
            if (got.value if got is not None else None) != (was.value if was is not None else None):
                raise ValueError(f"{key} changed although it was not edited")
