"""The monthly bulletin (月度通报) as a PDF or XLSX file.

An official document of the hall, always in Chinese (``hallq-admin report monthly`` and
the supervisor's button write the same file). The tables are :class:`Table` objects like
every report's; the figures are those of :mod:`shared.stats.monthly` (docs/metrics.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, SimpleDocTemplate, Spacer, TableStyle

from shared.errors import UsageError
from shared.fonts import register_reportlab_font
from shared.reports import pdf_export, xlsx_export
from shared.reports.tables import (
    PERCENT,
    SECONDS,
    TEXT,
    Column,
    Table,
    generated_text,
)
from shared.stats.monthly import MonthlyBulletin
from shared.stats.views import BreakdownRow, Statistics

MONTHLY_FORMATS = ("pdf", "xlsx")
DIMENSIONS = {"window": "窗口", "department": "部门", "clerk": "工作人员"}
TALK = "约谈"
TALK_FILL = colors.HexColor("#FDE3E1")
DEFINITIONS = (
    "口径（docs/metrics.md）：已办理为办理结束的人次（不论结果）；一次办结率 = 结果为办结的人次 ÷ "
    "已办理人次；等候自进入队列至引致办理的那次叫号，办理自开始至结束，时长单位为分钟；满意率 ="
    "（非常满意 + 满意）÷ 已评价数；评价覆盖率 = 已评价数 ÷ 应评价数；评价按办件计（一次一评：登记了"
    "办件编号的每个办件一次，未登记的每人次一次），与上报省好差评系统的记录一致；未评价为评价器上未选等级，"
    "未参评为办理后没有评价；差评为不满意与非常不满意；按时回访整改为在期限内回访并整改的差评"
    "（回访不超过差评所涉办件当日后第 {contact_days} 个工作日、整改不超过第 {rectify_days} 个工作日，"
    "均至该日 24 时止，按站点日历计，节假日不计、调休上班日计入）。"
    "窗口排名：满意率高者在前，相同时一次办结率高者在前，再相同时平均等候短者在前（无数值者"
    "视为最差）；本月无办理的窗口不排名。末位为排名最后的 20%（向上取整，至少 1 个，并列者同列）；"
    "连续两个月处于末位的窗口列为约谈对象。各表“合计”为全月全部人次（含未经窗口叫号即取消或过期的），"
    "故可大于各行之和。")


def definitions(bulletin: MonthlyBulletin) -> str:
    """The bulletin's definitions, with the follow-up deadlines it counted by."""
    return DEFINITIONS.format(contact_days=bulletin.rules.contact_days,
                              rectify_days=bulletin.rules.rectify_days)


def _efficiency(row: BreakdownRow) -> list[Any]:
    w, s = row.wait, row.service
    return [row.served, w.count, w.mean_seconds, w.seconds(w.median_us), w.seconds(w.max_us),
            s.mean_seconds, s.seconds(s.median_us), s.seconds(s.max_us),
            row.outcomes.get("completed", 0), row.one_visit_share]


def _satisfaction(row: BreakdownRow) -> list[Any]:
    return [row.evaluable, row.rated, row.satisfied, row.satisfaction_rate, row.coverage,
            row.not_rated, row.never_rated]


def _exceptions(row: BreakdownRow) -> list[Any]:
    return [row.no_show, row.outcomes.get("materials-missing", 0), row.transferred_out,
            row.cancelled]


def _complaints(row: BreakdownRow) -> list[Any]:
    return [row.bad_ratings, row.follow_ups, row.follow_ups_on_time,
            row.follow_up_on_time_share, row.follow_ups_open]


INDICATORS: list[tuple[str, str, list[Column], Any]] = [
    ("efficiency", "办事效率", [
        Column("已办理"), Column("等候人次"), Column("平均等候（分）", SECONDS),
        Column("等候中位（分）", SECONDS), Column("最长等候（分）", SECONDS),
        Column("平均办理（分）", SECONDS),
        Column("办理中位（分）", SECONDS), Column("最长办理（分）", SECONDS), Column("办结"),
        Column("一次办结率", PERCENT)], _efficiency),
    ("satisfaction", "窗口服务满意率", [
        Column("应评价"), Column("已评价"), Column("满意"), Column("满意率", PERCENT),
        Column("评价覆盖率", PERCENT), Column("未评价"), Column("未参评")], _satisfaction),
    ("exceptions", "异常办理", [
        Column("过号"), Column("材料不全"), Column("转出"), Column("取消")], _exceptions),
    ("complaints", "投诉处理", [
        Column("差评"), Column("回访"), Column("按时回访整改"), Column("回访整改及时率", PERCENT),
        Column("回访未结")], _complaints),
]


def ranking_table(bulletin: MonthlyBulletin) -> Table:
    rows = [[w.rank if w.rank is not None else "—", w.row.label, w.row.served,
             w.row.satisfaction_rate, w.row.one_visit_share, w.row.wait.mean_seconds,
             w.row.bad_ratings, "是" if w.bottom else "", "是" if w.bottom_last_month else "",
             TALK if w.talk else ""] for w in bulletin.windows]
    columns = [Column("名次", TEXT), Column("窗口", TEXT), Column("已办理"),
               Column("满意率", PERCENT), Column("一次办结率", PERCENT),
               Column("平均等候（分）", SECONDS), Column("差评"), Column("本月末位", TEXT),
               Column("上月末位", TEXT), Column(TALK, TEXT)]
    return Table("ranking", "窗口排名", columns, rows)


def indicator_tables(stats: Statistics) -> list[Table]:
    """Per dimension (window, department, clerk) one table per indicator group, each with
    the month's total as the last row."""
    tables = []
    for dimension, head in DIMENSIONS.items():
        for name, title, columns, cells in INDICATORS:
            rows = [[r.label, *cells(r)] for r in stats.breakdowns[dimension]]
            rows.append(["合计", *cells(stats.total)])
            tables.append(Table(f"{name}_{dimension}", f"{title}（按{head}）",
                                [Column(head, TEXT), *columns], rows))
    return tables


def heading(bulletin: MonthlyBulletin) -> str:
    return (f"{bulletin.stats.site_name}政务服务月度通报（{bulletin.month.year}年"
            f"{bulletin.month.month}月）")


def summary_lines(bulletin: MonthlyBulletin) -> list[tuple[str, str]]:
    stats, t = bulletin.stats, bulletin.stats.total
    talks = "、".join(w.row.label for w in bulletin.talks) or "无"
    return [("站点", stats.site_name + (f"（{stats.filters.site}）" if stats.filters.site else "")),
            ("统计期", f"{stats.filters.date_from} 至 {stats.filters.date_to}"),
            ("已办理", str(t.served)),
            ("约谈窗口", talks),
            ("生成时间", generated_text(stats))]


def write_monthly(bulletin: MonthlyBulletin, fmt: str, path: Path) -> Path:
    """Write the bulletin as ``fmt`` (pdf or xlsx) to ``path``; UsageError names a wrong
    format or a place that cannot be written."""
    writers = {"pdf": _write_pdf, "xlsx": _write_xlsx}
    if fmt not in writers:
        raise UsageError(f"月度通报格式无效 (invalid bulletin format {fmt!r}: "
                         f"{', '.join(MONTHLY_FORMATS)})")
    if not path.parent.exists():
        raise UsageError(f"目录不存在 (the folder {path.parent} does not exist)")
    try:
        return writers[fmt](bulletin, path)
    except OSError as exc:
        raise UsageError(f"无法写入文件 {path} (cannot write {path}: {exc.strerror or exc})") from exc


def _write_pdf(bulletin: MonthlyBulletin, path: Path) -> Path:
    font = register_reportlab_font()
    styles = pdf_export._Styles(font)
    page, margin = pdf_export.PAGE, pdf_export.MARGIN
    width = page[0] - 2 * margin
    doc = SimpleDocTemplate(str(path), pagesize=page, leftMargin=margin, rightMargin=margin,
                            topMargin=margin, bottomMargin=margin + 4 * mm,
                            title=heading(bulletin), author="HallQueue")
    para = styles.paragraph
    summary = pdf_export.PdfTable(
        [[para(label, styles.body), para(value, styles.body)]
         for label, value in summary_lines(bulletin)],
        colWidths=[30 * mm, 150 * mm], hAlign="LEFT")
    summary.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, pdf_export.GRID),
                                 ("BACKGROUND", (0, 0), (0, -1), pdf_export.HEAD_FILL)]))
    ranking = ranking_table(bulletin)
    ranking_pdf = pdf_export._table(ranking, styles, width)
    talk_rows = [i for i, w in enumerate(bulletin.windows, start=1) if w.talk]
    ranking_pdf.setStyle(TableStyle(  # the windows called in for a talk stand out
        [("BACKGROUND", (0, i), (-1, i), TALK_FILL) for i in talk_rows]
        + [("TEXTCOLOR", (0, i), (-1, i), colors.HexColor("#B71C1C")) for i in talk_rows]))
    story: list[Any] = [para(heading(bulletin), styles.title), summary, Spacer(1, 4 * mm),
                        para(definitions(bulletin), styles.body), Spacer(1, 4 * mm),
                        KeepTogether([para(ranking.title, styles.heading), ranking_pdf])]
    story.append(PageBreak())
    for table in indicator_tables(bulletin.stats):
        story.append(KeepTogether([para(table.title, styles.heading),
                                   pdf_export._table(table, styles, width)]))
    footer = pdf_export._footer(font, pdf_export.CHINESE)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return path


def _write_xlsx(bulletin: MonthlyBulletin, path: Path) -> Path:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.title = "通报说明"
    first.append([heading(bulletin)])
    first["A1"].font = Font(bold=True, size=14)
    for label, value in summary_lines(bulletin):
        first.append([label, value])
    first.append([])
    first.append([definitions(bulletin)])
    first.column_dimensions["A"].width = 14
    first.column_dimensions["B"].width = 40
    for table in [ranking_table(bulletin), *indicator_tables(bulletin.stats)]:
        xlsx_export._sheet(workbook.create_sheet(xlsx_export.sheet_name(table.title)), table)
    workbook.save(path)
    return path

