"""Every word a report shows: titles, headings, row labels, chart captions.

The defaults are the Chinese of ``hallq-admin report`` and of the domain. The supervisor
app builds a :class:`ReportText` in its UI language with Qt's translations
(``counter_app/supervisor/report_text.py``) and passes it to the tables and the exports;
no Qt here. Texts with ``{name}`` fields are filled with ``str.format``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from shared.evaluations import LEVELS, NOT_RATED
from shared.states import KIND_LABELS_ZH, OUTCOME_LABELS_ZH
from shared.stats.views import WEEKDAYS_ZH


def _dimension_titles() -> dict[str, str]:
    return {"service": "按业务", "department": "按部门", "window": "按窗口",
            "clerk": "按工作人员", "hour": "按时段（取号时刻）", "weekday": "按星期"}


def _dimension_heads() -> dict[str, str]:
    return {"service": "业务", "department": "部门", "window": "窗口", "clerk": "工作人员",
            "hour": "时段", "weekday": "星期"}


def _totals() -> dict[str, str]:
    return {"issued": "取号（票数）", "transferred_in": "转入", "served": "已办理",
            "transferred_out": "转出", "no_show": "过号", "cancelled": "取消",
            "expired": "过期未办", "in_progress": "进行中", "never_rated": "未参评（办理后无评价）",
            "not_rated": "未评价（评价未选等级）", "follow_ups_open": "回访未结",
            "follow_ups_closed": "回访已结"}


def _shares() -> dict[str, str]:
    return {"service_level": "服务水平（目标时间内叫号）", "one_visit": "一次办结率",
            "satisfaction": "满意率", "coverage": "评价覆盖率"}


def _breakdown_columns() -> dict[str, str]:
    return {"issued": "取号", "transferred_in": "转入", "served": "已办理",
            "transferred_out": "转出", "no_show": "过号", "cancelled": "取消",
            "wait_mean": "平均等候", "wait_median": "等候中位", "wait_p90": "等候P90",
            "wait_max": "最长等候", "service_level": "服务水平", "service_mean": "平均办理",
            "service_p90": "办理P90", "satisfaction": "满意率", "expired": "过期未办",
            "in_progress": "进行中", "wait_count": "等候人次", "service_count": "办理人次",
            "service_median": "办理中位", "service_max": "最长办理", "rated": "已评价",
            "not_rated": "未评价", "never_rated": "未参评", "coverage": "评价覆盖率",
            "follow_ups_open": "回访未结", "follow_ups_closed": "回访已结"}


@dataclass(frozen=True)
class ReportText:
    """The words of one report language (Chinese unless told otherwise)."""

    # the report as a whole (CSV first line, XLSX first sheet, PDF)
    title: str = "HallQueue 统计报表"
    heading: str = "排队叫号统计报表"
    definitions: str = (
        "统计口径：取号为发出的号数；已办理为办理结束的人次（不论结果），办结是办理结果之一，"
        "一次办结率 = 结果为办结的人次 ÷ 已办理人次；等候时间自进入队列起至引致办理的那次叫号，"
        "转办的每一段分别计算；办理时长自开始办理至办理结束；服务水平 = 在业务目标时间内叫号的"
        "人次 ÷ 有等候时间的人次；满意率 =（非常满意 + 满意）÷ 已评价数；评价覆盖率 = "
        "已评价数 ÷ 已办理人次；中位数与 P90 采用最近秩法，取实测值。")
    about_sheet: str = "报表说明"
    charts: str = "图表"
    no_data: str = "本期无数据"
    page: str = "第 {page} 页"
    footer: str = "HallQueue 排队叫号系统"
    # the filter lines
    site: str = "站点"
    site_value: str = "{name}（{code}）"
    all_sites: str = "全部站点"
    date_range: str = "日期范围"
    date_range_value: str = "{start} 至 {end}"
    timezone: str = "时区"
    kind: str = "票类型"
    everything: str = "全部"
    separator: str = "、"
    generated: str = "生成时间"
    # the summary tables
    totals_title: str = "总体数量"
    measure: str = "指标"
    count: str = "数量"
    totals: Mapping[str, str] = field(default_factory=_totals)
    durations_title: str = "等候与办理时长（分钟）"
    duration: str = "时长"
    people: str = "人次"
    mean: str = "平均"
    median: str = "中位数"
    p90: str = "P90"
    longest: str = "最长"
    wait: str = "等候"
    service: str = "办理"
    shares_title: str = "比率"
    share: str = "比率"
    shares: Mapping[str, str] = field(default_factory=_shares)
    # breakdowns, outcomes, satisfaction, heat map
    dimension_titles: Mapping[str, str] = field(default_factory=_dimension_titles)
    dimension_heads: Mapping[str, str] = field(default_factory=_dimension_heads)
    breakdown_columns: Mapping[str, str] = field(default_factory=_breakdown_columns)
    outcomes_title: str = "办理结果（{dimension}）"
    served_total: str = "已办理总数"
    outcomes: Mapping[str, str] = field(
        default_factory=lambda: {o.value: label for o, label in OUTCOME_LABELS_ZH.items()})
    satisfaction_title: str = "满意度（好差评）"
    rating: str = "评价"
    levels: Mapping[int, str] = field(default_factory=lambda: dict(LEVELS))
    not_rated: str = NOT_RATED
    never_rated: str = "未参评（办理后无评价）"
    # CSV gives durations in seconds: a minutes column's head and the durations table's
    seconds_head: str = "{title}（秒）"
    durations_title_seconds: str = "等候与办理时长（秒）"
    heatmap_title: str = "取号热力图（星期 × 时段）"
    hour_column: str = "{hour:02d}时"
    weekdays: tuple[str, ...] = WEEKDAYS_ZH
    kinds: Mapping[str, str] = field(
        default_factory=lambda: {k.value: label for k, label in KIND_LABELS_ZH.items()})
    # the PDF's charts
    chart_hourly: str = "各时段取号量"
    chart_service_wait: str = "各业务等候时间（分钟）：蓝 平均，橙 P90"
    chart_no_waits: str = "本期无等候记录"
    chart_part: str = "（{part}/{parts}）"
    chart_labels_shortened: str = "注：过长的业务名称在图中以“…”截短，全名见“按业务”表。"
    chart_heatmap: str = "取号热力图（星期 × 时段，颜色越深越忙）"
    chart_levels: str = "评价分布"


CHINESE = ReportText()
