"""Walking folders: which files come out, in which order, and what happens with odd trees."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mediameta.media import scan as scan_module
from mediameta.media.scan import (
    IMAGE_SUFFIXES,
    GlobFilter,
    WalkEntry,
    is_image_path,
    iter_image_files,
    walk,
)


def make_tree(root: Path, names: list[str]) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")


def relative(entries: list[WalkEntry], root: Path) -> list[str]:
    return [entry.path.relative_to(root).as_posix() for entry in entries]


def test_walk_yields_every_file_depth_first_in_name_order(tmp_path: Path) -> None:
    make_tree(tmp_path, ["b.jpg", "a/z.jpg", "a/y/x.tif", "c.txt", "a/m.png"])
    assert relative(list(walk([tmp_path])), tmp_path) == ["a/m.png", "a/y/x.tif", "a/z.jpg", "b.jpg", "c.txt"]


def test_image_filter_keeps_pictures_by_suffix_case_insensitively(tmp_path: Path) -> None:
    make_tree(tmp_path, ["A.JPG", "b.Tiff", "c.nef", "d.txt", "e.md", "f.heic", "g"])
    assert relative(list(iter_image_files([tmp_path])), tmp_path) == ["A.JPG", "b.Tiff", "c.nef", "f.heic"]


def test_image_suffixes_cover_the_formats_the_desk_meets() -> None:
    for suffix in (".jpg", ".jpeg", ".tif", ".tiff", ".png", ".webp", ".gif", ".heic", ".heif", ".avif"):
        assert suffix in IMAGE_SUFFIXES
    for raw in (".cr2", ".cr3", ".nef", ".arw", ".dng", ".raf", ".orf", ".rw2"):
        assert raw in IMAGE_SUFFIXES
    assert is_image_path("x/IMG_0001.CR3") and not is_image_path("story.html")


def test_hidden_files_and_folders_are_skipped_unless_asked(tmp_path: Path) -> None:
    make_tree(tmp_path, ["a.jpg", ".b.jpg", ".trash/c.jpg", "d/.e.jpg"])
    assert relative(list(walk([tmp_path])), tmp_path) == ["a.jpg"]
    assert relative(list(walk([tmp_path], hidden=True)), tmp_path) == [
        ".b.jpg",
        ".trash/c.jpg",
        "a.jpg",
        "d/.e.jpg",
    ]


def test_the_catalog_folder_is_never_walked(tmp_path: Path) -> None:
    make_tree(tmp_path, ["a.jpg", ".mediameta/catalog.sqlite", ".mediameta/x.jpg"])
    assert relative(list(walk([tmp_path], hidden=True)), tmp_path) == ["a.jpg"]


def test_a_named_file_is_yielded_even_when_hidden_or_not_a_picture(tmp_path: Path) -> None:
    make_tree(tmp_path, [".secret.jpg", "notes.txt"])
    entries = list(walk([tmp_path / ".secret.jpg", tmp_path / "notes.txt"]))
    assert [(entry.path.name, entry.explicit) for entry in entries] == [
        (".secret.jpg", True),
        ("notes.txt", True),
    ]
    assert list(iter_image_files([tmp_path / "notes.txt"])) == []
    assert len(list(iter_image_files([tmp_path / "notes.txt"], keep_explicit=True))) == 1


def test_exclude_globs_prune_folders_and_skip_files(tmp_path: Path) -> None:
    make_tree(tmp_path, ["keep/a.jpg", "rejects/b.jpg", "keep/rejects/c.jpg", "keep/d.tif", "2019/old/e.jpg"])
    assert relative(list(walk([tmp_path], exclude=["rejects"])), tmp_path) == [
        "2019/old/e.jpg",
        "keep/a.jpg",
        "keep/d.tif",
    ]
    assert relative(list(walk([tmp_path], exclude=["*.tif", "2019/*"])), tmp_path) == [
        "keep/a.jpg",
        "keep/rejects/c.jpg",
        "rejects/b.jpg",
    ]
    # "rejects/" with the slash means folders only; a file called rejects would stay
    make_tree(tmp_path, ["keep/rejects.jpg"])
    assert "keep/rejects.jpg" in relative(list(walk([tmp_path], exclude=["rejects/"])), tmp_path)


def test_include_globs_keep_only_matching_files(tmp_path: Path) -> None:
    make_tree(tmp_path, ["a.jpg", "b.tif", "x/c.jpg", "x/y/d.jpg"])
    assert relative(list(walk([tmp_path], include=["*.jpg"])), tmp_path) == ["a.jpg", "x/c.jpg", "x/y/d.jpg"]
    assert relative(list(walk([tmp_path], include=["x/*.jpg"])), tmp_path) == ["x/c.jpg"]
    assert relative(list(walk([tmp_path], include=["x/**/*.jpg"])), tmp_path) == ["x/c.jpg", "x/y/d.jpg"]
    assert relative(list(walk([tmp_path], include=["**/d.jpg"])), tmp_path) == ["x/y/d.jpg"]


def test_glob_classes_and_question_marks() -> None:
    filters = GlobFilter(include=["IMG_[0-9]?.jpg", "[!x]*.png"])
    assert filters.keeps_file("a/IMG_12.jpg")
    assert not filters.keeps_file("IMG_A1.jpg")
    assert filters.keeps_file("b.png") and not filters.keeps_file("x.png")


def test_symlink_loops_end_and_linked_folders_are_walked_once(tmp_path: Path) -> None:
    make_tree(tmp_path, ["photos/a.jpg", "photos/sub/b.jpg"])
    os.symlink(tmp_path / "photos", tmp_path / "photos" / "sub" / "loop")
    os.symlink(tmp_path / "photos" / "sub", tmp_path / "photos" / "again")
    names = relative(list(walk([tmp_path / "photos"])), tmp_path / "photos")
    assert sorted(names) == ["a.jpg", "again/b.jpg"]  # sub is reached once, via whichever name comes first


def test_a_broken_symlink_is_a_file_the_reader_will_report(tmp_path: Path) -> None:
    os.symlink(tmp_path / "gone.jpg", tmp_path / "dangling.jpg")
    assert relative(list(walk([tmp_path])), tmp_path) == ["dangling.jpg"]


def test_a_missing_path_is_an_error_entry_not_an_exception(tmp_path: Path) -> None:
    (entry,) = list(walk([tmp_path / "nope"]))
    assert entry.error is not None and "No such file" in entry.error and entry.explicit


def test_a_folder_that_cannot_be_listed_is_an_error_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_tree(tmp_path, ["ok/a.jpg", "locked/b.jpg", "z.jpg"])
    real_scandir = os.scandir

    def scandir(path: str) -> os.ScandirIterator[str]:
        if path.endswith("locked"):
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(scan_module.os, "scandir", scandir)
    entries = list(iter_image_files([tmp_path]))
    assert [(entry.path.name, entry.error) for entry in entries] == [
        ("locked", "cannot list folder: Permission denied"),
        ("a.jpg", None),
        ("z.jpg", None),
    ]


@given(
    st.lists(st.text(alphabet="ab*?/[]!.", min_size=1, max_size=8), max_size=3), st.text("ab/.", max_size=12)
)
def test_any_glob_is_safe(patterns: list[str], path: str) -> None:
    filters = GlobFilter(include=patterns, exclude=patterns)
    filters.keeps_file(path)  # never raises (bad classes are literal text)
    filters.excludes(path, is_dir=True)


tree_nodes = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "c", "d.jpg", "e.png", "f.txt"]), st.sampled_from(["file", "dir", "link"])
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree_nodes)
def test_random_trees_with_links_end_and_list_each_regular_file_once(
    tmp_path_factory: pytest.TempPathFactory, nodes: list[tuple[str, str]]
) -> None:
    root = tmp_path_factory.mktemp("tree")
    folders = [root]
    regular: set[Path] = set()
    for depth, (name, kind) in enumerate(nodes):
        parent = folders[depth % len(folders)]
        path = parent / f"{name}{depth}"
        if kind == "file":
            path.write_bytes(b"x")
            regular.add(path)
        elif kind == "dir":
            path.mkdir()
            folders.append(path)
        else:  # a link back up to some folder: a loop
            os.symlink(folders[depth % len(folders)], path)
    found = [entry.path for entry in walk([root])]
    real = [Path(os.path.realpath(path)) for path in found]
    assert len(real) == len(set(real)), "a file came out twice"
    assert set(real) == {Path(os.path.realpath(path)) for path in regular}


def test_a_file_named_and_inside_a_named_folder_comes_out_once(tmp_path: Path) -> None:
    make_tree(tmp_path, ["photos/a.jpg", "photos/b.jpg"])
    a = tmp_path / "photos" / "a.jpg"
    for order in ([a, tmp_path / "photos"], [tmp_path / "photos", a], [a, a]):
        entries = list(walk(order))
        assert sorted(entry.path.name for entry in entries) == (
            ["a.jpg"] if order == [a, a] else ["a.jpg", "b.jpg"]
        )
        assert [entry.explicit for entry in entries if entry.path.name == "a.jpg"] == [True]


def test_pictures_found_in_a_folder_know_their_xmp_sidecars(tmp_path: Path) -> None:
    make_tree(tmp_path, ["IMG_1.CR3", "IMG_1.xmp", "IMG_2.jpg", "IMG_2.jpg.xmp", "IMG_3.tif", "notes.txt"])
    found = {entry.path.name: entry.sidecars for entry in walk([tmp_path])}
    assert found["IMG_1.CR3"] == (tmp_path / "IMG_1.xmp",)
    assert found["IMG_2.jpg"] == (tmp_path / "IMG_2.jpg.xmp",)
    assert found["IMG_3.tif"] == ()
    assert found["notes.txt"] is None and found["IMG_1.xmp"] is None  # not pictures: not looked up
    assert next(iter(walk([tmp_path / "IMG_1.CR3"]))).sidecars is None  # named on its own: unknown


def test_a_path_with_a_nul_byte_is_an_error_entry() -> None:
    (entry,) = list(walk([Path("bad\0name.jpg")]))
    assert entry.error is not None and "null" in entry.error.lower()
