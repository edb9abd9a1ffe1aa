"""The in-place XMP editor (mediameta.media.xmp_edit): every packet shape it accepts is edited so
that exiv2 (an independent XMP toolkit) reads the new values and every other property unchanged;
the shapes it does not accept raise XmpEditUnsupported, and the writer then falls back to exiv2."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyexiv2
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from write_helpers import WIRE_EXIF, WIRE_IPTC, encode, read_blocks, with_metadata

from mediameta.media import write as write_module
from mediameta.media.write import write_many, write_metadata
from mediameta.media.xmp import parse_packet
from mediameta.media.xmp_edit import (
    EMPTY_PACKET,
    XmpEditUnsupported,
    XmpPacket,
    edit_packet,
    fit_padding,
    read_properties,
)

XMP_SIGNATURE = b"http://ns.adobe.com/xap/1.0/\x00"
RDF = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
DC = 'xmlns:dc="http://purl.org/dc/elements/1.1/"'
PS = 'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"'
XMPNS = 'xmlns:xmp="http://ns.adobe.com/xap/1.0/"'


def packet(body: str, *, about: str = "", attrs: str = "", wrap: bool = True) -> bytes:
    description = f'<rdf:Description rdf:about="{about}" {DC} {PS} {XMPNS}{attrs}>{body}</rdf:Description>'
    text = f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF {RDF}>{description}</rdf:RDF></x:xmpmeta>'
    if wrap:
        text = f'<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n{text}\n<?xpacket end="w"?>'
    return text.encode("utf-8")


def exiv2_xmp(data: bytes) -> dict[str, Any]:
    """What exiv2 reads from a packet (through a minimal JPEG holding it)."""
    segment = XMP_SIGNATURE + data
    jpeg = b"\xff\xd8\xff\xe1" + (len(segment) + 2).to_bytes(2, "big") + segment + b"\xff\xd9"
    image = pyexiv2.ImageData(jpeg)
    try:
        return dict(image.read_xmp())
    finally:
        image.close()


def assert_edit(before: bytes, ops: dict[str, Any]) -> bytes:
    """Edit, then hold the result against exiv2: the edited keys as asked, every other key unchanged."""
    after = edit_packet(before, ops)
    old, new = exiv2_xmp(before), exiv2_xmp(after)
    for key, value in ops.items():
        if value is None:
            assert key not in new, key
        elif isinstance(value, str) and key in ("Xmp.dc.description", "Xmp.dc.title", "Xmp.dc.rights"):
            assert new[key]['lang="x-default"'] == value
        else:
            assert new[key] == value, key
    assert {k: v for k, v in old.items() if k not in ops} == {k: v for k, v in new.items() if k not in ops}
    parse_packet(after)  # our own reader takes it too
    return after


SHAPES: dict[str, bytes] = {
    "elements": packet(
        '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">Old &amp; caption</rdf:li>'
        '<rdf:li xml:lang="de">Alte</rdf:li></rdf:Alt></dc:description>'
        "<photoshop:Credit>OLD</photoshop:Credit><xmp:Rating>3</xmp:Rating>"
        "<dc:creator><rdf:Seq><rdf:li>Old Name</rdf:li></rdf:Seq></dc:creator>"
    ),
    "attributes": packet(
        "<xmp:Label>Red</xmp:Label>", attrs=' photoshop:Credit="OLD" photoshop:City="Paris"'
    ),
    "empty description": packet("").replace(b"></rdf:Description>", b"/>"),
    "unwrapped": packet("<photoshop:Credit>OLD</photoshop:Credit>", wrap=False),
    "crlf, indented": (
        b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>\r\n<x:xmpmeta xmlns:x="adobe:ns:meta/">\r\n'
        b" <rdf:RDF " + RDF.encode() + b">\r\n"
        b'  <rdf:Description rdf:about=""\r\n    ' + PS.encode() + b"\r\n"
        b'    photoshop:Headline="Line one">\r\n'
        b"   <photoshop:City>Tel Aviv</photoshop:City>\r\n"
        b"  </rdf:Description>\r\n </rdf:RDF>\r\n</x:xmpmeta>\r\n" + b" " * 200 + b'\r\n<?xpacket end="w"?>'
    ),
    "other prefixes, declared on the root": (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/" xmlns:ps="http://ns.adobe.com/photoshop/1.0/"'
        b' xmlns:d="http://purl.org/dc/elements/1.1/"><rdf:RDF ' + RDF.encode() + b">"
        b'<rdf:Description rdf:about=""><ps:Credit>OLD</ps:Credit>'
        b"<d:subject><rdf:Bag><rdf:li>a</rdf:li><rdf:li>b</rdf:li></rdf:Bag></d:subject>"
        b"</rdf:Description></rdf:RDF></x:xmpmeta>"
    ),
    "two descriptions": (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF ' + RDF.encode() + b">"
        b'<rdf:Description rdf:about="" ' + XMPNS.encode() + b' xmp:Rating="2"/>'
        b'<rdf:Description rdf:about="" ' + PS.encode() + b"><photoshop:Credit>OLD</photoshop:Credit>"
        b"</rdf:Description></rdf:RDF></x:xmpmeta>"
    ),
    "structures and history": packet(
        '<xmp:Label>x</xmp:Label><xmpMM:History xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"'
        ' xmlns:stEvt="http://ns.adobe.com/xap/1.0/sType/ResourceEvent#"><rdf:Seq>'
        '<rdf:li stEvt:action="saved" stEvt:when="2024-01-01T00:00:00Z"/>'
        '<rdf:li rdf:parseType="Resource"><stEvt:action>derived</stEvt:action></rdf:li>'
        "</rdf:Seq></xmpMM:History>"
        "<photoshop:Credit>OLD</photoshop:Credit>"
    ),
    "empty values": packet("<photoshop:Credit/><dc:subject><rdf:Bag/></dc:subject>"),
}

EDITS: dict[str, dict[str, Any]] = {
    "set caption and credit": {
        "Xmp.dc.description": {'lang="x-default"': 'New <caption> & "quotes"\nsecond line'},
        "Xmp.photoshop.Credit": "REUTERS/Ammar Awad",
    },
    "lists": {"Xmp.dc.creator": ["Ammar Awad", "Ronen Zvulun"], "Xmp.dc.subject": ["flood", "relief"]},
    "remove": {"Xmp.photoshop.Credit": None, "Xmp.photoshop.City": None, "Xmp.dc.description": None},
    "new properties": {
        "Xmp.iptc.Location": "Old City",
        "Xmp.photoshop.Headline": "Ünïcödé ✓ 中文",
        "Xmp.dc.rights": {'lang="x-default"': "© 2025"},
    },
}


@pytest.mark.parametrize("edit", EDITS)
@pytest.mark.parametrize("shape", SHAPES)
def test_every_accepted_shape_edits_as_exiv2_reads_it(shape: str, edit: str) -> None:
    assert_edit(SHAPES[shape], EDITS[edit])


def test_other_languages_of_a_caption_are_kept() -> None:
    after = assert_edit(
        SHAPES["elements"],
        {"Xmp.dc.description": {'lang="x-default"': "New", 'lang="de"': "Alte"}},
    )
    assert exiv2_xmp(after)["Xmp.dc.description"] == {'lang="x-default"': "New", 'lang="de"': "Alte"}


def test_bytes_outside_the_edit_are_untouched() -> None:
    before = SHAPES["attributes"]
    after = edit_packet(before, {"Xmp.photoshop.Credit": "NEW"})
    assert after == before.replace(b'photoshop:Credit="OLD"', b'photoshop:Credit="NEW"')
    before = SHAPES["crlf, indented"]
    after = edit_packet(before, {"Xmp.photoshop.City": "Haifa"})
    assert after == before.replace(b">Tel Aviv<", b">Haifa<")


def test_a_declared_utf8_packet_is_edited() -> None:
    declared = b'<?xml version="1.0" encoding="UTF-8"?>' + SHAPES["unwrapped"]
    assert_edit(declared, {"Xmp.photoshop.Credit": "Ünïcödé"})


def test_a_new_packet_holds_just_the_edit() -> None:
    after = edit_packet(None, {"Xmp.photoshop.Credit": "AP", "Xmp.dc.creator": ["Evan Vucci"]})
    assert after.startswith(b"<?xpacket begin=") and after.endswith(b'<?xpacket end="w"?>')
    assert exiv2_xmp(after) == {"Xmp.photoshop.Credit": "AP", "Xmp.dc.creator": ["Evan Vucci"]}
    assert read_properties(EMPTY_PACKET) == {}


def test_new_namespace_is_declared_with_a_free_prefix() -> None:
    taken = packet("", attrs=' xmlns:Iptc4xmpCore="urn:something-else" Iptc4xmpCore:Thing="x"')
    after = assert_edit(taken, {"Xmp.iptc.Location": "Old City"})
    assert b'xmlns:Iptc4xmpCore1="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"' in after


def test_values_read_as_pyexiv2_gives_them() -> None:
    values = XmpPacket(SHAPES["elements"]).values
    assert values == {
        "Xmp.dc.description": {'lang="x-default"': "Old & caption", 'lang="de"': "Alte"},
        "Xmp.photoshop.Credit": "OLD",
        "Xmp.dc.creator": ["Old Name"],
    }
    assert read_properties(SHAPES["attributes"]) == {
        "Xmp.photoshop.Credit": "OLD",
        "Xmp.photoshop.City": "Paris",
    }


UNSUPPORTED: dict[str, bytes] = {
    "dtd": b"<!DOCTYPE x [<!ENTITY a 'b'>]>" + packet("<photoshop:Credit>&a;</photoshop:Credit>", wrap=False),
    "utf-16": packet("<photoshop:Credit>X</photoshop:Credit>").decode().encode("utf-16"),
    "qualified creator": packet(
        '<dc:creator><rdf:Seq><rdf:li rdf:parseType="Resource"><rdf:value>A</rdf:value></rdf:li></rdf:Seq></dc:creator>'
    ),
    "resource property": packet('<photoshop:Credit rdf:resource="http://x"/>'),
    "written twice": packet("<photoshop:Credit>A</photoshop:Credit>", attrs=' photoshop:Credit="B"'),
    "credit as an array": packet(
        "<photoshop:Credit><rdf:Bag><rdf:li>A</rdf:li></rdf:Bag></photoshop:Credit>"
    ),
    "caption without language": packet(
        "<dc:description><rdf:Alt><rdf:li>A</rdf:li></rdf:Alt></dc:description>"
    ),
    "default namespace": packet('<Credit xmlns="http://ns.adobe.com/photoshop/1.0/">A</Credit>'),
    "no description": b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF ' + RDF.encode() + b"/></x:xmpmeta>",
    "not well-formed": packet("<photoshop:Credit>A</photoshop:City>"),
    "truncated": packet("<photoshop:Credit>A</photoshop:Credit>")[:120],
    "unknown entity": packet("<photoshop:Credit>A &nbsp; B</photoshop:Credit>"),
    "declared latin-1": b'<?xml version="1.0" encoding="ISO-8859-1"?>'
    + packet("<photoshop:Credit>A</photoshop:Credit>", wrap=False),
    "undeclared prefix": packet("", attrs=' ps:Credit="A"').replace(b"xmlns:photoshop", b"xmlns:other"),
    "invalid utf-8": packet("<photoshop:Credit>A</photoshop:Credit>").replace(b">A<", b">\xe7\xff<"),
}


@pytest.mark.parametrize("shape", UNSUPPORTED)
def test_shapes_it_does_not_edit_are_refused_for_exiv2(shape: str) -> None:
    with pytest.raises(XmpEditUnsupported):
        edit_packet(UNSUPPORTED[shape], {"Xmp.photoshop.Credit": "NEW"})


def test_values_xml_cannot_hold_are_refused() -> None:
    with pytest.raises(XmpEditUnsupported):
        edit_packet(SHAPES["elements"], {"Xmp.photoshop.Credit": "bell \x07"})


def test_padding_gives_way_when_the_packet_grows() -> None:
    data = b"<x/>" + b" " * 100 + b'\n<?xpacket end="w"?>'
    assert fit_padding(data, len(data) - 40) == b"<x/>" + b" " * 60 + b'\n<?xpacket end="w"?>'
    assert fit_padding(data, len(data) - 1000) == data  # not enough padding: left to the caller
    assert fit_padding(data, len(data) + 5) == data


# what the writer accepts (it refuses C0 controls other than tab/newline/CR, and DEL, up front)
writable_text = st.text(
    alphabet=st.characters(
        blacklist_characters="".join(map(chr, range(9))) + "\x0b\x0c\x7f" + "".join(map(chr, range(14, 32)))
    )
)


@settings(max_examples=60, deadline=None)
@example(credit="a\r\nb\tc", caption="x\r\ny & <z>", creators=["\n"])
@given(
    credit=writable_text.filter(lambda text: len(text) <= 40),
    caption=writable_text,
    creators=st.lists(writable_text.filter(lambda text: 0 < len(text) <= 20), max_size=3),
)
def test_any_value_reads_back_through_exiv2_or_is_refused(
    credit: str, caption: str, creators: list[str]
) -> None:
    ops: dict[str, Any] = {
        "Xmp.photoshop.Credit": credit,
        "Xmp.dc.description": {'lang="x-default"': caption},
        "Xmp.dc.creator": creators,
    }
    try:
        after = edit_packet(SHAPES["structures and history"], ops)
    except XmpEditUnsupported:
        return  # a character XML 1.0 cannot hold: the writer hands the file to exiv2
    new = exiv2_xmp(after)
    assert new.get("Xmp.photoshop.Credit", "") == credit
    assert new["Xmp.dc.description"]['lang="x-default"'] == caption
    assert new.get("Xmp.dc.creator", []) == creators


# --------------------------------------------------------------------------- through the writer


def jpeg_with_packet(folder: Path, name: str, xmp_packet: bytes) -> Path:
    base = with_metadata(encode("JPEG"), exif=WIRE_EXIF, iptc=WIRE_IPTC)
    segment = XMP_SIGNATURE + xmp_packet
    data = base[:2] + b"\xff\xe1" + (len(segment) + 2).to_bytes(2, "big") + segment + base[2:]
    path = folder / name
    path.write_bytes(data)
    return path


def test_the_writer_edits_jpeg_xmp_without_exiv2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = jpeg_with_packet(tmp_path, "wire.jpg", SHAPES["structures and history"])
    before = read_blocks(path)[2]

    def no_exiv2(*args: object, **kwargs: object) -> None:
        raise AssertionError("exiv2 was used for a packet the fast path edits")

    monkeypatch.setattr(write_module.pyexiv2, "ImageData", no_exiv2)
    write_metadata(path, {"description": "New caption", "credit_line": "AP"})
    monkeypatch.undo()
    after = read_blocks(path)[2]
    assert after["Xmp.dc.description"] == {'lang="x-default"': "New caption"}
    assert after["Xmp.photoshop.Credit"] == "AP"
    edited = ("Xmp.dc.description", "Xmp.photoshop.Credit")
    assert {k: v for k, v in before.items() if k not in edited} == {
        k: v for k, v in after.items() if k not in edited
    }


def test_the_writer_falls_back_to_exiv2_for_other_shapes(tmp_path: Path) -> None:
    path = jpeg_with_packet(tmp_path, "qualified.jpg", UNSUPPORTED["qualified creator"])
    result = write_metadata(path, {"description": "New caption", "credit_line": "AP"})
    assert result.changes
    xmp = read_blocks(path)[2]
    assert xmp["Xmp.dc.description"] == {'lang="x-default"': "New caption"}
    assert xmp["Xmp.photoshop.Credit"] == "AP"


def test_threads_mixing_both_paths_all_write(tmp_path: Path) -> None:
    paths = []
    for index in range(12):
        shape = UNSUPPORTED["qualified creator"] if index % 3 == 0 else SHAPES["structures and history"]
        paths.append(jpeg_with_packet(tmp_path, f"p{index}.jpg", shape))
    jobs = [
        (path, {"description": f"Caption {index}", "credit_line": "AP"}) for index, path in enumerate(paths)
    ]
    results = dict(write_many(jobs, workers=4))
    assert all(not isinstance(result, Exception) for result in results.values()), results
    for index, path in enumerate(paths):
        assert read_blocks(path)[2]["Xmp.dc.description"] == {'lang="x-default"': f"Caption {index}"}
