"""Linking captions to pictures: explicit references, sidecars, manifests, embedded matching."""

from __future__ import annotations

import json
from pathlib import Path

from mediameta.captions.parse import parse_caption
from mediameta.config import Config
from mediameta.link import link_captions, read_manifest, read_sidecar, resolve_ref, sidecar_image
from mediameta.models import Article, CaptionOccurrence, MediaRecord

TSMC = (
    "US President Donald Trump makes an announcement about an investment from Taiwan Semiconductor "
    "Manufacturing Company (TSMC), in the Roosevelt Room at the White House in Washington, DC, US, "
    "March 3, 2025."
)
SUDZHA = (
    "A Ukrainian serviceman patrols an area in the controlled by Ukrainian army town of Sudzha, "
    "Kursk region, Russia, August 16, 2024."
)
HARBOUR = "Fishing boats leave the harbour at dawn in Haifa, Israel, November 19, 2026."


def occurrence(
    path: str, line: int, text: str, image_ref: str | None = None, source: str = "paragraph"
) -> CaptionOccurrence:
    return CaptionOccurrence(
        path=path,
        line=line,
        column=1,
        text=text,
        caption=parse_caption(text),
        image_ref=image_ref,
        source=source,
    )


def article(path: str, fmt: str, *occurrences: CaptionOccurrence) -> Article:
    return Article(path=path, format=fmt, captions=list(occurrences))  # type: ignore[arg-type]


def test_text_article_links_by_embedded_caption_one_to_one_and_repeats_share_the_image() -> None:
    story = article(
        "news/story.txt",
        "text",
        occurrence("news/story.txt", 5, f"{TSMC} (photo credit: REUTERS/LEAH MILLIS/FILE PHOTO)"),
        occurrence("news/story.txt", 6, f"{TSMC} (photo credit: REUTERS/LEAH MILLIS/FILE PHOTO)"),
        occurrence("news/story.txt", 17, f"{SUDZHA} (credit: REUTERS/YAN DOBRONOSOV)"),
    )
    records = [
        MediaRecord(path="img/sudzha.jpg", description=f"{SUDZHA} REUTERS/Yan Dobronosov"),
        MediaRecord(path="img/tsmc.jpg", description=f"{TSMC} REUTERS/Leah Millis"),
        MediaRecord(path="img/harbour.jpg", description=HARBOUR),
    ]
    links = link_captions([story], records, Config())
    assert [link.record.path if link.record else None for link in links] == [
        "img/tsmc.jpg",
        "img/tsmc.jpg",
        "img/sudzha.jpg",
    ]
    assert {link.method for link in links} == {"embedded-match"}
    assert all(link.score is not None and link.score > 0.9 for link in links)


def test_below_threshold_stays_unlinked() -> None:
    story = article(
        "s.txt", "text", occurrence("s.txt", 1, "A cat sleeps on a warm windowsill. (credit: REUTERS/A B)")
    )
    links = link_captions([story], [MediaRecord(path="a.jpg", description=HARBOUR)], Config())
    assert links[0].record is None and links[0].method is None and links[0].candidates == []


def test_two_equally_good_images_are_ambiguous() -> None:
    story = article("s.txt", "text", occurrence("s.txt", 1, f"{HARBOUR} (credit: REUTERS/A B)"))
    records = [MediaRecord(path="b.jpg", description=HARBOUR), MediaRecord(path="a.jpg", description=HARBOUR)]
    (link,) = link_captions([story], records, Config())
    assert link.record is None
    assert link.candidates == ["b.jpg", "a.jpg"] or sorted(link.candidates) == ["a.jpg", "b.jpg"]
    assert len(link.candidates) == 2


def test_one_to_one_prefers_the_best_total() -> None:
    # Caption X fits image 1 a bit better than image 2, but caption Y fits only image 1:
    # the best total gives image 1 to Y and image 2 to X.
    base = "Firefighters battle a blaze at a warehouse in the port of Haifa, Israel, November 19, 2026"
    story = article(
        "s.txt",
        "text",
        occurrence("s.txt", 1, base + "."),
        occurrence("s.txt", 3, base + " as smoke rises over the bay."),
    )
    records = [
        MediaRecord(path="one.jpg", description=base + " as smoke rises over the bay."),
        MediaRecord(path="two.jpg", description=base + " at night."),
    ]
    links = link_captions([story], records, Config())
    assert [link.record.path if link.record else None for link in links] == ["two.jpg", "one.jpg"]


def test_html_and_markdown_refs_resolve_relative_to_the_article_and_missing_keeps_the_ref() -> None:
    html = article(
        "site/articles/a.html",
        "html",
        occurrence("site/articles/a.html", 3, "Alt", image_ref="../images/x.jpg", source="alt"),
        occurrence("site/articles/a.html", 4, "Gone", image_ref="../images/gone.jpg", source="figcaption"),
        occurrence("site/articles/a.html", 5, "Remote", image_ref="https://cdn.example/x.jpg", source="alt"),
    )
    md = article(
        "site/articles/b.md",
        "markdown",
        occurrence("site/articles/b.md", 2, "Md", image_ref="../images/y%20z.jpg?w=3"),
    )
    records = [MediaRecord(path="site/images/x.jpg"), MediaRecord(path="site/images/y z.jpg")]
    links = link_captions([html, md], records, Config())
    assert (links[0].record and links[0].record.path, links[0].method, links[0].score) == (
        "site/images/x.jpg",
        "html",
        1.0,
    )
    assert links[1].record is None and links[1].image_ref == "site/images/gone.jpg"
    assert links[2].record is None and links[2].image_ref is None  # remote: not a file
    assert links[3].record is not None and links[3].method == "markdown"


def test_site_root_reference_is_tried_under_the_folders_above() -> None:
    html = article(
        "site/news/a.html", "html", occurrence("site/news/a.html", 1, "x", image_ref="/images/x.jpg")
    )
    (link,) = link_captions([html], [MediaRecord(path="site/images/x.jpg")], Config())
    assert link.record is not None and link.record.path == "site/images/x.jpg"


def test_resolve_ref() -> None:
    assert resolve_ref("a/b.md", "c.jpg") == "a/c.jpg"
    assert resolve_ref("a/b.md", "data:image/png;base64,xx") is None
    assert resolve_ref("a/b.md", "//cdn/x.jpg") is None


def test_sidecar_text_and_json(tmp_path: Path) -> None:
    (tmp_path / "IMG_1.jpg").write_bytes(b"")
    txt = tmp_path / "IMG_1.txt"
    txt.write_text("\n  Fishermen at dawn in Haifa, Israel.\nREUTERS/Amir Cohen\n", encoding="utf-8")
    assert sidecar_image(txt, ["IMG_1.jpg", "IMG_2.jpg"]) == "IMG_1.jpg"
    assert sidecar_image(tmp_path / "IMG_1.jpg.json", ["IMG_1.jpg"]) == "IMG_1.jpg"
    assert sidecar_image(tmp_path / "notes.txt", ["IMG_1.jpg"]) is None
    side = read_sidecar(txt, "IMG_1.jpg")
    (occ,) = side.captions
    assert (occ.line, occ.column, occ.source, occ.image_ref) == (2, 3, "sidecar", "IMG_1.jpg")
    assert occ.text == "Fishermen at dawn in Haifa, Israel. REUTERS/Amir Cohen"
    js = tmp_path / "IMG_1.json"
    js.write_text(json.dumps({"caption": "Boats at dawn.", "credit": "REUTERS/Amir Cohen"}), encoding="utf-8")
    (occ,) = read_sidecar(js, "IMG_1.jpg").captions
    assert occ.text == "Boats at dawn. REUTERS/Amir Cohen"
    (link,) = link_captions([side], [MediaRecord(path=str(tmp_path / "IMG_1.jpg"))], Config())
    assert link.method == "sidecar" and link.record is not None


def test_broken_sidecar_is_an_error_not_an_exception(tmp_path: Path) -> None:
    js = tmp_path / "IMG_1.json"
    js.write_text("{nope", encoding="utf-8")
    side = read_sidecar(js, "IMG_1.jpg")
    assert side.captions == [] and side.errors and "invalid JSON" in side.errors[0]
    missing = read_sidecar(tmp_path / "absent.txt", "absent.jpg")
    assert missing.errors


def test_manifest_csv_and_json(tmp_path: Path) -> None:
    csv_path = tmp_path / "captions.csv"
    csv_path.write_text(
        'file,caption,credit\nimages/a.jpg,"Boats at dawn, Haifa.",REUTERS/Amir Cohen\n,orphan,\nimages/b.jpg,"Quay",\n',
        encoding="utf-8",
    )
    manifest = read_manifest(csv_path)
    assert [(o.line, o.image_ref, o.text, o.source) for o in manifest.captions] == [
        (2, "images/a.jpg", "Boats at dawn, Haifa. REUTERS/Amir Cohen", "manifest"),
        (4, "images/b.jpg", "Quay", "manifest"),
    ]
    assert manifest.errors == ["line 3: no file column (file, filename, image, path)"]
    json_path = tmp_path / "manifest.json"
    json_path.write_text(
        json.dumps({"images/a.jpg": {"caption": "Boats."}, "images/b.jpg": "Quay."}, indent=1),
        encoding="utf-8",
    )
    manifest = read_manifest(json_path)
    assert [(o.line, o.image_ref, o.text) for o in manifest.captions] == [
        (2, "images/a.jpg", "Boats."),
        (5, "images/b.jpg", "Quay."),
    ]
    records = [MediaRecord(path=str(tmp_path / "images" / "a.jpg"))]
    links = link_captions([manifest], records, Config())
    assert links[0].method == "manifest" and links[1].record is None and links[1].image_ref is not None


def test_every_occurrence_gets_exactly_one_link() -> None:
    story = article(
        "s.txt", "text", *(occurrence("s.txt", i, f"Caption number {i} words here.") for i in range(1, 30))
    )
    assert len(link_captions([story], [], Config())) == 29
