"""The missing-materials notice (补正材料告知单) a clerk prints for a citizen whose case
ended as 材料不全: what is missing, and the service's full list, so that the next trip is
the last one ("一次性告知").

The notice is laid out as lines (:func:`notice_lines`, no Qt) and painted on a QPrinter:
the office printer at the counter, or a PDF file when the printer's output format is PDF.
Like a ticket, the notice is for the citizen and is always in Chinese.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter

from shared.errors import PrinterError, UsageError

PAGE_MARGIN_MM = 20.0
CHECKBOX = "□"


@dataclass(frozen=True)
class MaterialsNotice:
    center_name: str
    number: str
    service_name: str
    window: int
    clerk_name: str
    missing: list[str]
    required: list[str]
    at: dt.datetime  # local time of the notice


@dataclass(frozen=True)
class NoticeLine:
    text: str
    points: float  # font size
    center: bool = False
    bold: bool = False
    indent_mm: float = 0.0
    space_after_mm: float = 1.5
    rule_after: bool = False


def notice_lines(notice: MaterialsNotice) -> list[NoticeLine]:
    """The notice's content, top to bottom."""
    if not notice.missing:
        raise UsageError("告知单需要至少一项缺少的材料 (the notice needs at least one missing "
                         "material)")
    lines = [
        NoticeLine(notice.center_name, 14, center=True),
        NoticeLine("补正材料告知单", 24, center=True, bold=True, space_after_mm=6),
        NoticeLine(f"票号：{notice.number}        业务：{notice.service_name}", 13),
        NoticeLine(f"办理窗口：{notice.window} 号窗口        工作人员：{notice.clerk_name}", 13),
        NoticeLine(f"时间：{notice.at:%Y年%m月%d日 %H:%M}", 13, rule_after=True),
        NoticeLine("您本次办理的业务尚缺以下材料，请备齐后再来办理：", 15, bold=True,
                   space_after_mm=3),
    ]
    lines += [NoticeLine(f"{CHECKBOX} {index}. {item}", 16, indent_mm=6, space_after_mm=2.5)
              for index, item in enumerate(notice.missing, 1)]
    lines[-1] = replace(lines[-1], space_after_mm=7)
    if notice.required:
        lines.append(NoticeLine("本业务所需的全部材料：", 13, bold=True, space_after_mm=2))
        lines += [NoticeLine(f"{index}. {item}", 12, indent_mm=6, space_after_mm=1)
                  for index, item in enumerate(notice.required, 1)]
    lines[-1] = replace(lines[-1], rule_after=True)
    lines.append(NoticeLine("备齐材料后请重新取号办理。如有疑问，请到导服台咨询。", 12))
    return lines


def paint_notice(painter: QPainter, area: QRectF, lines: list[NoticeLine],
                 dots_per_mm: float) -> float:
    """Paint the lines into ``area`` (device pixels), wrapping long ones; returns the
    height used."""
    top = area.top()
    for line in lines:
        font = QFont(painter.font())
        font.setPointSizeF(line.points)
        font.setBold(line.bold)
        painter.setFont(font)
        indent = line.indent_mm * dots_per_mm
        box = QRectF(area.left() + indent, top, area.width() - indent, area.bottom() - top)
        flags = int(Qt.TextFlag.TextWordWrap) | int(
            Qt.AlignmentFlag.AlignHCenter if line.center else Qt.AlignmentFlag.AlignLeft)
        used = painter.boundingRect(box, flags, line.text)
        painter.drawText(box, flags, line.text)
        top += used.height() + line.space_after_mm * dots_per_mm
        if line.rule_after:
            top += 2 * dots_per_mm
            painter.drawLine(round(area.left()), round(top), round(area.right()), round(top))
            top += 4 * dots_per_mm
    return top - area.top()


def print_notice(notice: MaterialsNotice, printer: QPrinter) -> None:
    """Print the notice on one A4 page of ``printer``."""
    lines = notice_lines(notice)
    printer.setPageLayout(QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
        QMarginsF(PAGE_MARGIN_MM, PAGE_MARGIN_MM, PAGE_MARGIN_MM, PAGE_MARGIN_MM),
        QPageLayout.Unit.Millimeter))
    painter = QPainter()
    if not painter.begin(printer):
        raise PrinterError("打印机无法开始打印，请检查打印机 (the printer did not start)")
    try:
        area = QRectF(printer.pageLayout().paintRectPixels(printer.resolution()))
        area.moveTo(0, 0)  # the painter's origin is the printable area's corner
        paint_notice(painter, area, lines, printer.resolution() / 25.4)
    finally:
        painter.end()
