"""Every word a report shows: titles, headings, row labels, chart captions.

Defined once, in Chinese, marked for lupdate (context ``Report``; the domain's words come
from shared/vocabulary.py). :func:`report_text` gives them in the current language
(shared/i18n.py), which is what ``hallq-admin report --lang`` and the supervisor app both
pass to the tables and the exports. Texts with ``{name}`` fields are filled with
``str.format``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from shared import vocabulary
from shared.i18n import QT_TRANSLATE_NOOP, translate


def _dimension_titles() -> dict[str, str]:
    return {
        "service": QT_TRANSLATE_NOOP("Report", "按业务"),
        "department": QT_TRANSLATE_NOOP("Report", "按部门"),
        "window": QT_TRANSLATE_NOOP("Report", "按窗口"),
        "clerk": QT_TRANSLATE_NOOP("Report", "按工作人员"),
        "hour": QT_TRANSLATE_NOOP("Report", "按时段（取号时刻）"),
        "weekday": QT_TRANSLATE_NOOP("Report", "按星期"),
    }


def _dimension_heads() -> dict[str, str]:
    return {
        "service": QT_TRANSLATE_NOOP("Report", "业务"),
        "department": QT_TRANSLATE_NOOP("Report", "部门"),
        "window": QT_TRANSLATE_NOOP("Report", "窗口"),
        "clerk": QT_TRANSLATE_NOOP("Report", "工作人员"),
        "hour": QT_TRANSLATE_NOOP("Report", "时段"),
        "weekday": QT_TRANSLATE_NOOP("Report", "星期"),
    }


def _totals() -> dict[str, str]:
    return {
        "issued": QT_TRANSLATE_NOOP("Report", "取号（票数）"),
        "transferred_in": QT_TRANSLATE_NOOP("Report", "转入"),
        "served": QT_TRANSLATE_NOOP("Report", "已办理"),
        "transferred_out": QT_TRANSLATE_NOOP("Report", "转出"),
        "no_show": QT_TRANSLATE_NOOP("Report", "过号"),
        "cancelled": QT_TRANSLATE_NOOP("Report", "取消"),
        "expired": QT_TRANSLATE_NOOP("Report", "过期未办"),
        "in_progress": QT_TRANSLATE_NOOP("Report", "进行中"),
        "never_rated": QT_TRANSLATE_NOOP("Report", "未参评（办理后无评价）"),
        "not_rated": QT_TRANSLATE_NOOP("Report", "未评价（评价未选等级）"),
        "evaluable": QT_TRANSLATE_NOOP("Report", "应评价（按办件）"),
        "follow_ups_open": QT_TRANSLATE_NOOP("Report", "回访未结"),
        "follow_ups_closed": QT_TRANSLATE_NOOP("Report", "回访已结"),
        "follow_ups_due": QT_TRANSLATE_NOOP("Report", "应回访差评（未申诉）"),
        "follow_ups_contacted": QT_TRANSLATE_NOOP("Report", "已回访"),
        "follow_ups_rectified": QT_TRANSLATE_NOOP("Report", "已整改"),
    }


def _shares() -> dict[str, str]:
    return {
        "service_level": QT_TRANSLATE_NOOP("Report", "服务水平（目标时间内叫号）"),
        "one_visit": QT_TRANSLATE_NOOP("Report", "一次办结率"),
        "satisfaction": QT_TRANSLATE_NOOP("Report", "满意率"),
        "coverage": QT_TRANSLATE_NOOP("Report", "评价覆盖率"),
        "contact_rate": QT_TRANSLATE_NOOP("Report", "回访率"),
        "rectify_rate": QT_TRANSLATE_NOOP("Report", "整改率"),
    }


def _breakdown_columns() -> dict[str, str]:
    return {
        "issued": QT_TRANSLATE_NOOP("Report", "取号"),
        "transferred_in": QT_TRANSLATE_NOOP("Report", "转入"),
        "served": QT_TRANSLATE_NOOP("Report", "已办理"),
        "transferred_out": QT_TRANSLATE_NOOP("Report", "转出"),
        "no_show": QT_TRANSLATE_NOOP("Report", "过号"),
        "cancelled": QT_TRANSLATE_NOOP("Report", "取消"),
        "wait_mean": QT_TRANSLATE_NOOP("Report", "平均等候"),
        "wait_median": QT_TRANSLATE_NOOP("Report", "等候中位"),
        "wait_p90": QT_TRANSLATE_NOOP("Report", "等候P90"),
        "wait_max": QT_TRANSLATE_NOOP("Report", "最长等候"),
        "service_level": QT_TRANSLATE_NOOP("Report", "服务水平"),
        "service_mean": QT_TRANSLATE_NOOP("Report", "平均办理"),
        "service_p90": QT_TRANSLATE_NOOP("Report", "办理P90"),
        "satisfaction": QT_TRANSLATE_NOOP("Report", "满意率"),
        "expired": QT_TRANSLATE_NOOP("Report", "过期未办"),
        "in_progress": QT_TRANSLATE_NOOP("Report", "进行中"),
        "wait_count": QT_TRANSLATE_NOOP("Report", "等候人次"),
        "service_count": QT_TRANSLATE_NOOP("Report", "办理人次"),
        "service_median": QT_TRANSLATE_NOOP("Report", "办理中位"),
        "service_max": QT_TRANSLATE_NOOP("Report", "最长办理"),
        "rated": QT_TRANSLATE_NOOP("Report", "已评价"),
        "not_rated": QT_TRANSLATE_NOOP("Report", "未评价"),
        "never_rated": QT_TRANSLATE_NOOP("Report", "未参评"),
        "evaluable": QT_TRANSLATE_NOOP("Report", "应评价"),
        "appealed": QT_TRANSLATE_NOOP("Report", "已申诉"),
        "coverage": QT_TRANSLATE_NOOP("Report", "评价覆盖率"),
        "follow_ups_open": QT_TRANSLATE_NOOP("Report", "回访未结"),
        "follow_ups_closed": QT_TRANSLATE_NOOP("Report", "回访已结"),
    }


@dataclass(frozen=True)
class ReportText:
    """The words of one report language (Chinese unless told otherwise)."""

    # the report as a whole (CSV first line, XLSX first sheet, PDF)
    title: str = QT_TRANSLATE_NOOP("Report", "HallQueue 统计报表")
    heading: str = QT_TRANSLATE_NOOP("Report", "排队叫号统计报表")
    definitions: str = QT_TRANSLATE_NOOP(
        "Report",
        "统计口径：取号为发出的号数；已办理为办理结束的人次（不论结果），办结是办理结果之一，"
        "一次办结率 = 结果为办结的人次 ÷ 已办理人次；等候时间自进入队列起至引致办理的那次叫号，"
        "转办的每一段分别计算；办理时长自开始办理至办理结束；服务水平 = 在业务目标时间内叫号的"
        "人次 ÷ 有等候时间的人次；满意率 =（非常满意 + 满意）÷ 已评价数；评价覆盖率 = "
        "已评价数 ÷ 应评价数，评价按办件计（一次一评：登记了办件编号的每个办件一次，未登记的每人次一次）；"
        "回访率 = 已回访的差评 ÷ 应回访的差评（未申诉的不满意、非常不满意），"
        "整改率 = 已整改的差评 ÷ 应回访的差评；中位数与 P90 采用最近秩法，取实测值。")
    about_sheet: str = QT_TRANSLATE_NOOP("Report", "报表说明")
    charts: str = QT_TRANSLATE_NOOP("Report", "图表")
    no_data: str = QT_TRANSLATE_NOOP("Report", "本期无数据")
    page: str = QT_TRANSLATE_NOOP("Report", "第 {page} 页")
    footer: str = QT_TRANSLATE_NOOP("Report", "HallQueue 排队叫号系统")
    # the filter lines
    site: str = QT_TRANSLATE_NOOP("Report", "站点")
    site_value: str = QT_TRANSLATE_NOOP("Report", "{name}（{code}）")
    all_sites: str = QT_TRANSLATE_NOOP("Report", "全部站点")
    date_range: str = QT_TRANSLATE_NOOP("Report", "日期范围")
    date_range_value: str = QT_TRANSLATE_NOOP("Report", "{start} 至 {end}")
    timezone: str = QT_TRANSLATE_NOOP("Report", "时区")
    kind: str = QT_TRANSLATE_NOOP("Report", "票类型")
    everything: str = QT_TRANSLATE_NOOP("Report", "全部")
    separator: str = QT_TRANSLATE_NOOP("Report", "、")
    generated: str = QT_TRANSLATE_NOOP("Report", "生成时间")
    # the summary tables
    totals_title: str = QT_TRANSLATE_NOOP("Report", "总体数量")
    measure: str = QT_TRANSLATE_NOOP("Report", "指标")
    count: str = QT_TRANSLATE_NOOP("Report", "数量")
    totals: Mapping[str, str] = field(default_factory=_totals)
    durations_title: str = QT_TRANSLATE_NOOP("Report", "等候与办理时长（分钟）")
    duration: str = QT_TRANSLATE_NOOP("Report", "时长")
    people: str = QT_TRANSLATE_NOOP("Report", "人次")
    mean: str = QT_TRANSLATE_NOOP("Report", "平均")
    median: str = QT_TRANSLATE_NOOP("Report", "中位数")
    p90: str = QT_TRANSLATE_NOOP("Report", "P90")
    longest: str = QT_TRANSLATE_NOOP("Report", "最长")
    wait: str = QT_TRANSLATE_NOOP("Report", "等候")
    service: str = QT_TRANSLATE_NOOP("Report", "办理")
    shares_title: str = QT_TRANSLATE_NOOP("Report", "比率")
    share: str = QT_TRANSLATE_NOOP("Report", "比率")
    shares: Mapping[str, str] = field(default_factory=_shares)
    # breakdowns, outcomes, satisfaction, heat map
    dimension_titles: Mapping[str, str] = field(default_factory=_dimension_titles)
    dimension_heads: Mapping[str, str] = field(default_factory=_dimension_heads)
    breakdown_columns: Mapping[str, str] = field(default_factory=_breakdown_columns)
    outcomes_title: str = QT_TRANSLATE_NOOP("Report", "办理结果（{dimension}）")
    served_total: str = QT_TRANSLATE_NOOP("Report", "已办理总数")
    outcomes: Mapping[str, str] = field(
        default_factory=lambda: {o.value: label for o, label in vocabulary.OUTCOMES.items()})
    satisfaction_title: str = QT_TRANSLATE_NOOP("Report", "满意度（好差评）")
    rating: str = QT_TRANSLATE_NOOP("Report", "评价")
    levels: Mapping[int, str] = field(default_factory=lambda: dict(vocabulary.LEVELS))
    not_rated: str = vocabulary.NOT_RATED
    never_rated: str = QT_TRANSLATE_NOOP("Report", "未参评（办理后无评价）")
    # CSV gives durations in seconds: a minutes column's head and the durations table's
    seconds_head: str = QT_TRANSLATE_NOOP("Report", "{title}（秒）")
    durations_title_seconds: str = QT_TRANSLATE_NOOP("Report", "等候与办理时长（秒）")
    heatmap_title: str = QT_TRANSLATE_NOOP("Report", "取号热力图（星期 × 时段）")
    hour_column: str = QT_TRANSLATE_NOOP("Report", "{hour:02d}时")
    weekdays: tuple[str, ...] = vocabulary.WEEKDAYS
    kinds: Mapping[str, str] = field(
        default_factory=lambda: {k.value: label for k, label in vocabulary.KINDS.items()})
    # the PDF's charts
    chart_hourly: str = QT_TRANSLATE_NOOP("Report", "各时段取号量")
    chart_service_wait: str = QT_TRANSLATE_NOOP("Report", "各业务等候时间（分钟）：蓝 平均，橙 P90")
    chart_no_waits: str = QT_TRANSLATE_NOOP("Report", "本期无等候记录")
    chart_part: str = QT_TRANSLATE_NOOP("Report", "（{part}/{parts}）")
    chart_labels_shortened: str = QT_TRANSLATE_NOOP(
        "Report", "注：过长的业务名称在图中以“…”截短，全名见“按业务”表。")
    chart_heatmap: str = QT_TRANSLATE_NOOP("Report", "取号热力图（星期 × 时段，颜色越深越忙）")
    chart_levels: str = QT_TRANSLATE_NOOP("Report", "评价分布")


CHINESE = ReportText()
# The fields whose words are the domain's (context Vocabulary), not the report's own.
_VOCABULARY_FIELDS = frozenset({"outcomes", "levels", "not_rated", "weekdays", "kinds"})


def report_text() -> ReportText:
    """The report's words in the current language (shared/i18n.py)."""
    changes: dict[str, Any] = {}
    for item in fields(ReportText):
        value = getattr(CHINESE, item.name)
        context = "Vocabulary" if item.name in _VOCABULARY_FIELDS else "Report"
        if isinstance(value, str):
            changes[item.name] = translate(context, value)
        elif isinstance(value, tuple):
            changes[item.name] = tuple(translate(context, v) for v in value)
        else:
            changes[item.name] = {k: translate(context, v) for k, v in value.items()}
    return replace(CHINESE, **changes)
