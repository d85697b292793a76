"""The follow-up list (电话回访) of bad ratings: who rated what, the return visit's
contact result and note, and closing it (recorded with who closed it and when)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from shared import vocabulary
from shared.evaluations import FollowUpView, mask_phone
from shared.qt.widgets.tables import read_only_table, set_row


class FollowUpPanel(QWidget):
    refresh_requested = Signal()
    save_requested = Signal(int, str, str, bool)  # id, contact result, note, close

    def __init__(self, timezone: str = "Asia/Shanghai", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.zone = ZoneInfo(timezone)
        self.items: list[FollowUpView] = []
        self._editing_id: int | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.status_filter = QComboBox()
        for label, value in ((self.tr("未结"), "open"), (self.tr("已结"), "closed"),
                             (self.tr("全部"), None)):
            self.status_filter.addItem(label, value)
        self.status_filter.currentIndexChanged.connect(lambda _i: self.refresh_requested.emit())
        top.addWidget(QLabel(self.tr("差评回访")))
        top.addWidget(self.status_filter)
        top.addStretch(1)
        layout.addLayout(top)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.table = read_only_table([
            self.tr("日期"), self.tr("票号"), self.tr("业务"), self.tr("窗口"),
            self.tr("工作人员"), self.tr("评价"), self.tr("意见"), self.tr("联系电话"),
            self.tr("状态"), self.tr("回访结果"), self.tr("关闭人"), self.tr("关闭时间")],
            stretch=6, select_rows=True)
        self.table.itemSelectionChanged.connect(self._selected)
        splitter.addWidget(self.table)
        splitter.addWidget(self._editor())
        splitter.setSizes([500, 260])
        layout.addWidget(splitter, 1)
        self._selected()

    def _editor(self) -> QWidget:
        box = QGroupBox(self.tr("回访记录"))
        form = QFormLayout(box)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.contact = QLineEdit()
        self.contact.setPlaceholderText(self.tr("例如：已电话联系，群众表示理解"))
        self.contact.setMaxLength(200)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(self.tr("备注（改进措施等）"))
        self.note.setMaximumHeight(90)
        self.close_box = QCheckBox(self.tr("回访完成，关闭此记录"))
        self.save = QPushButton(self.tr("保存"))
        self.save.setObjectName("saveFollowUp")
        self.save.clicked.connect(self._save)
        self.closed_info = QLabel()
        form.addRow(self.detail)
        form.addRow(self.tr("回访结果"), self.contact)
        form.addRow(self.tr("备注"), self.note)
        buttons = QHBoxLayout()
        buttons.addWidget(self.close_box)
        buttons.addStretch(1)
        buttons.addWidget(self.closed_info)
        buttons.addWidget(self.save)
        form.addRow(buttons)
        return box

    def current_status(self) -> str | None:
        value = self.status_filter.currentData()
        return str(value) if value else None

    def set_items(self, items: list[FollowUpView]) -> None:
        selected = self.selected_item()
        self.items = items
        self.table.blockSignals(True)  # one _selected() at the end, not one per row
        self.table.clearSelection()
        self.table.setRowCount(len(items))
        for row, f in enumerate(items):
            cells = [f.business_day.isoformat(), f.ticket_number, f.service,
                     str(f.window or "—"), f.clerk or "—", vocabulary.level_label(f.level), f.comment,
                     mask_phone(f.phone) or self.tr("未留"),  # in full only in the detail
                     self.tr("已结") if f.status == "closed" else self.tr("未结"),
                     f.contact_result, f.closed_by or "",
                     f.closed_at.astimezone(self.zone).strftime("%Y-%m-%d %H:%M")
                     if f.closed_at else ""]
            set_row(self.table, row, cells)
            if selected is not None and f.id == selected.id:
                self.table.selectRow(row)
        self.table.blockSignals(False)
        self._selected()

    def selected_item(self) -> FollowUpView | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.items):
            return None
        return self.items[rows[0].row()]

    def _selected(self) -> None:
        item = self.selected_item()
        editable = item is not None and item.status == "open"
        for widget in (self.contact, self.note, self.close_box, self.save):
            widget.setEnabled(editable)
        if item is None:
            self._editing_id = None
            self.detail.setText(self.tr("请在上方选择一条回访记录。"))
            self.contact.clear()
            self.note.clear()
            self.closed_info.clear()
            return
        self.detail.setText(self.tr("%1 %2（%3）评价“%4”：%5").replace("%1", item.business_day
                            .isoformat()).replace("%2", item.ticket_number)
                            .replace("%3", item.service).replace("%4", vocabulary.level_label(item.level))
                            .replace("%5", item.comment or self.tr("无意见"))
                            + "\n" + (self.tr("联系电话：%1").replace("%1", item.phone)
                                       if item.phone else self.tr("未留联系电话")))
        if item.closed_at is not None:
            self.closed_info.setText(self.tr("由 %1 于 %2 关闭").replace("%1", item.closed_by or "—")
                                     .replace("%2", item.closed_at.astimezone(self.zone)
                                              .strftime("%Y-%m-%d %H:%M")))
        else:
            self.closed_info.clear()
        if item.id == self._editing_id:
            return  # the list was refreshed: keep what the supervisor is typing
        self._editing_id = item.id
        self.contact.setText(item.contact_result)
        self.note.setPlainText(item.note)
        self.close_box.setChecked(False)

    def _save(self) -> None:
        item = self.selected_item()
        if item is not None:
            self.save_requested.emit(item.id, self.contact.text(), self.note.toPlainText(),
                                     self.close_box.isChecked())

    def set_online(self, online: bool) -> None:
        item = self.selected_item()
        self.save.setEnabled(online and item is not None and item.status == "open")
