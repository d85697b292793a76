"""Read-only tables (the supervisor's panels, the counter's queues): one way to make them
and one way to fill a row, so every table reads, aligns and highlights the same."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

NUMBER_ALIGNMENT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
TEXT_ALIGNMENT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def read_only_table(headers: Sequence[str], *, stretch: int | Literal["all"] | None = None,
                    select_rows: bool = False) -> QTableWidget:
    """A table people read, not edit: no row numbers, alternating rows, columns as wide
    as their contents except ``stretch`` (a column, or "all"), which takes the spare
    width; whole rows selectable one at a time with ``select_rows``, else nothing."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    if select_rows:
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    else:
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    header = table.horizontalHeader()
    if stretch == "all":
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    else:
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        if stretch is not None:
            header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    table.setAlternatingRowColors(True)
    return table


def set_row(table: QTableWidget, row: int, cells: Sequence[object], *,
            background: QColor | None = None, foreground: QColor | None = None,
            tooltip: str = "", alignments: Sequence[Qt.AlignmentFlag] | None = None
            ) -> list[QTableWidgetItem]:
    """Put ``cells`` into ``row`` (None shows empty): numbers right-aligned and text left
    unless ``alignments`` gives each column's; on ``background``, in ``foreground`` and
    with ``tooltip`` when given, not bold. The row's items are reused when it has them
    (a table refreshed every second keeps its items) and everything a previous fill set
    is reset. Returns the items for any further touch (a column in red)."""
    items = []
    for column, value in enumerate(cells):
        item = table.item(row, column)
        if item is None:
            item = QTableWidgetItem()
            table.setItem(row, column, item)
        item.setText("" if value is None else str(value))
        if alignments is not None:
            item.setTextAlignment(alignments[column])
        elif isinstance(value, int | float) and not isinstance(value, bool):
            item.setTextAlignment(NUMBER_ALIGNMENT)
        else:
            item.setTextAlignment(TEXT_ALIGNMENT)
        # None clears a role: an empty QBrush would paint the text in no colour at all.
        item.setData(Qt.ItemDataRole.BackgroundRole, background)
        item.setData(Qt.ItemDataRole.ForegroundRole, foreground)
        item.setToolTip(tooltip)
        font = item.font()
        font.setBold(False)
        item.setFont(font)
        items.append(item)
    return items
