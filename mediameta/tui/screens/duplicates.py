"""The duplicates view: each cluster of duplicated captions side by side, the words that differ
from the cluster's first caption highlighted (reverse video, so it reads without colour too)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from mediameta.tui.model import DuplicateCluster, word_diff


def cluster_renderable(number: int, cluster: DuplicateCluster) -> RenderableType:
    table = Table(expand=True, box=None, pad_edge=False)
    table.add_column("Where", no_wrap=True, style="bold")
    table.add_column("On picture", no_wrap=True)
    table.add_column("Caption (differences from the first highlighted)", ratio=1, overflow="fold")
    reference = cluster.members[0].text
    for index, member in enumerate(cluster.members):
        caption = Text()
        if index == 0:
            caption.append(member.text)
        else:
            for run, differs in word_diff(reference, member.text):
                caption.append(run, style="reverse bold" if differs else "")
                caption.append(" ")
            if caption.plain.strip() == "":
                caption.append(member.text)
        table.add_row(member.where, member.picture or "— (no picture)", caption)
    title = Text(
        f"Cluster {number} · {len(cluster.members)} captions · {', '.join(cluster.codes)}", style="bold"
    )
    return Group(title, table, Text(""))


class DuplicatesScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,d", "close", "Back to the list")]

    def __init__(self, clusters: Sequence[DuplicateCluster]) -> None:
        super().__init__()
        self.clusters = list(clusters)

    def compose(self) -> ComposeResult:
        count = len(self.clusters)
        yield Label(f"Duplicated captions: {count} cluster{'s' if count != 1 else ''}", id="duplicates-title")
        with VerticalScroll(id="duplicates-body"):
            if not self.clusters:
                yield Static("No duplicated captions found.")
            for number, cluster in enumerate(self.clusters, start=1):
                yield Static(cluster_renderable(number, cluster), classes="cluster")
        yield Footer()

    def action_close(self) -> None:
        self.dismiss(None)
