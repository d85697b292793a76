"""The words of the statistics tables and reports in the supervisor's UI language.

``shared/reports`` imports no Qt and writes Chinese by default (``hallq-admin report``);
the supervisor builds the same :class:`~shared.reports.text.ReportText` here through
``QCoreApplication.translate`` with literal strings, so lupdate collects them into
resources/translations/supervisor_en.ts, and passes it to the tables it shows and to the
exports. Without a translator this is exactly the domain's Chinese (a test checks it).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from shared.reports.text import ReportText


def report_text() -> ReportText:
    """The report's words as the installed translators say them (build it on the GUI
    thread, then hand it to the worker that writes the file)."""
    return ReportText(
        title=QCoreApplication.translate("ReportText", "HallQueue 统计报表"),
        heading=QCoreApplication.translate("ReportText", "排队叫号统计报表"),
        definitions=QCoreApplication.translate(
            "ReportText",
            "统计口径：取号为发出的号数；已办理为办理结束的人次（不论结果），办结是办理结果之一，"
            "一次办结率 = 结果为办结的人次 ÷ 已办理人次；等候时间自进入队列起至引致办理的那次叫号，"
            "转办的每一段分别计算；办理时长自开始办理至办理结束；服务水平 = 在业务目标时间内叫号的"
            "人次 ÷ 有等候时间的人次；满意率 =（非常满意 + 满意）÷ 已评价数；评价覆盖率 = "
            "已评价数 ÷ 已办理人次；中位数与 P90 采用最近秩法，取实测值。"),
        about_sheet=QCoreApplication.translate("ReportText", "报表说明"),
        charts=QCoreApplication.translate("ReportText", "图表"),
        no_data=QCoreApplication.translate("ReportText", "本期无数据"),
        page=QCoreApplication.translate("ReportText", "第 {page} 页"),
        footer=QCoreApplication.translate("ReportText", "HallQueue 排队叫号系统"),
        site=QCoreApplication.translate("ReportText", "站点"),
        site_value=QCoreApplication.translate("ReportText", "{name}（{code}）"),
        all_sites=QCoreApplication.translate("ReportText", "全部站点"),
        date_range=QCoreApplication.translate("ReportText", "日期范围"),
        date_range_value=QCoreApplication.translate("ReportText", "{start} 至 {end}"),
        timezone=QCoreApplication.translate("ReportText", "时区"),
        kind=QCoreApplication.translate("ReportText", "票类型"),
        everything=QCoreApplication.translate("ReportText", "全部"),
        separator=QCoreApplication.translate("ReportText", "、"),
        generated=QCoreApplication.translate("ReportText", "生成时间"),
        totals_title=QCoreApplication.translate("ReportText", "总体数量"),
        measure=QCoreApplication.translate("ReportText", "指标"),
        count=QCoreApplication.translate("ReportText", "数量"),
        totals={
            "issued": QCoreApplication.translate("ReportText", "取号（票数）"),
            "transferred_in": QCoreApplication.translate("ReportText", "转入"),
            "served": QCoreApplication.translate("ReportText", "已办理"),
            "transferred_out": QCoreApplication.translate("ReportText", "转出"),
            "no_show": QCoreApplication.translate("ReportText", "过号"),
            "cancelled": QCoreApplication.translate("ReportText", "取消"),
            "expired": QCoreApplication.translate("ReportText", "过期未办"),
            "in_progress": QCoreApplication.translate("ReportText", "进行中"),
            "never_rated": QCoreApplication.translate("ReportText", "未参评（办理后无评价）"),
            "not_rated": QCoreApplication.translate("ReportText", "未评价（评价未选等级）"),
            "follow_ups_open": QCoreApplication.translate("ReportText", "回访未结"),
            "follow_ups_closed": QCoreApplication.translate("ReportText", "回访已结"),
        },
        durations_title=QCoreApplication.translate("ReportText", "等候与办理时长（分钟）"),
        duration=QCoreApplication.translate("ReportText", "时长"),
        people=QCoreApplication.translate("ReportText", "人次"),
        mean=QCoreApplication.translate("ReportText", "平均"),
        median=QCoreApplication.translate("ReportText", "中位数"),
        p90="P90",
        longest=QCoreApplication.translate("ReportText", "最长"),
        wait=QCoreApplication.translate("ReportText", "等候"),
        service=QCoreApplication.translate("ReportText", "办理"),
        shares_title=QCoreApplication.translate("ReportText", "比率"),
        share=QCoreApplication.translate("ReportText", "比率", "column"),
        shares={
            "service_level": QCoreApplication.translate("ReportText", "服务水平（目标时间内叫号）"),
            "one_visit": QCoreApplication.translate("ReportText", "一次办结率"),
            "satisfaction": QCoreApplication.translate("ReportText", "满意率"),
            "coverage": QCoreApplication.translate("ReportText", "评价覆盖率"),
        },
        dimension_titles={
            "service": QCoreApplication.translate("ReportText", "按业务"),
            "department": QCoreApplication.translate("ReportText", "按部门"),
            "window": QCoreApplication.translate("ReportText", "按窗口"),
            "clerk": QCoreApplication.translate("ReportText", "按工作人员"),
            "hour": QCoreApplication.translate("ReportText", "按时段（取号时刻）"),
            "weekday": QCoreApplication.translate("ReportText", "按星期"),
        },
        dimension_heads={
            "service": QCoreApplication.translate("ReportText", "业务"),
            "department": QCoreApplication.translate("ReportText", "部门"),
            "window": QCoreApplication.translate("ReportText", "窗口"),
            "clerk": QCoreApplication.translate("ReportText", "工作人员"),
            "hour": QCoreApplication.translate("ReportText", "时段"),
            "weekday": QCoreApplication.translate("ReportText", "星期"),
        },
        breakdown_columns={
            "issued": QCoreApplication.translate("ReportText", "取号"),
            "transferred_in": QCoreApplication.translate("ReportText", "转入"),
            "served": QCoreApplication.translate("ReportText", "已办理"),
            "transferred_out": QCoreApplication.translate("ReportText", "转出"),
            "no_show": QCoreApplication.translate("ReportText", "过号"),
            "cancelled": QCoreApplication.translate("ReportText", "取消"),
            "wait_mean": QCoreApplication.translate("ReportText", "平均等候"),
            "wait_median": QCoreApplication.translate("ReportText", "等候中位"),
            "wait_p90": QCoreApplication.translate("ReportText", "等候P90"),
            "wait_max": QCoreApplication.translate("ReportText", "最长等候"),
            "service_level": QCoreApplication.translate("ReportText", "服务水平"),
            "service_mean": QCoreApplication.translate("ReportText", "平均办理"),
            "service_p90": QCoreApplication.translate("ReportText", "办理P90"),
            "satisfaction": QCoreApplication.translate("ReportText", "满意率"),
            "expired": QCoreApplication.translate("ReportText", "过期未办"),
            "in_progress": QCoreApplication.translate("ReportText", "进行中"),
            "wait_count": QCoreApplication.translate("ReportText", "等候人次"),
            "service_count": QCoreApplication.translate("ReportText", "办理人次"),
            "service_median": QCoreApplication.translate("ReportText", "办理中位"),
            "service_max": QCoreApplication.translate("ReportText", "最长办理"),
            "rated": QCoreApplication.translate("ReportText", "已评价"),
            "not_rated": QCoreApplication.translate("ReportText", "未评价"),
            "never_rated": QCoreApplication.translate("ReportText", "未参评"),
            "coverage": QCoreApplication.translate("ReportText", "评价覆盖率"),
            "follow_ups_open": QCoreApplication.translate("ReportText", "回访未结"),
            "follow_ups_closed": QCoreApplication.translate("ReportText", "回访已结"),
        },
        outcomes_title=QCoreApplication.translate("ReportText", "办理结果（{dimension}）"),
        served_total=QCoreApplication.translate("ReportText", "已办理总数"),
        outcomes={
            "completed": QCoreApplication.translate("ReportText", "办结", "outcome"),
            "accepted": QCoreApplication.translate("ReportText", "受理", "outcome"),
            "materials-missing": QCoreApplication.translate("ReportText", "材料不全", "outcome"),
            "consultation": QCoreApplication.translate("ReportText", "咨询", "outcome"),
        },
        satisfaction_title=QCoreApplication.translate("ReportText", "满意度（好差评）"),
        rating=QCoreApplication.translate("ReportText", "评价"),
        levels={
            1: QCoreApplication.translate("ReportText", "非常满意"),
            2: QCoreApplication.translate("ReportText", "满意"),
            3: QCoreApplication.translate("ReportText", "基本满意"),
            4: QCoreApplication.translate("ReportText", "不满意"),
            5: QCoreApplication.translate("ReportText", "非常不满意"),
        },
        not_rated=QCoreApplication.translate("ReportText", "未评价"),
        never_rated=QCoreApplication.translate("ReportText", "未参评（办理后无评价）"),
        seconds_head=QCoreApplication.translate("ReportText", "{title}（秒）"),
        durations_title_seconds=QCoreApplication.translate("ReportText", "等候与办理时长（秒）"),
        heatmap_title=QCoreApplication.translate("ReportText", "取号热力图（星期 × 时段）"),
        hour_column=QCoreApplication.translate("ReportText", "{hour:02d}时"),
        weekdays=(
            QCoreApplication.translate("ReportText", "周一"),
            QCoreApplication.translate("ReportText", "周二"),
            QCoreApplication.translate("ReportText", "周三"),
            QCoreApplication.translate("ReportText", "周四"),
            QCoreApplication.translate("ReportText", "周五"),
            QCoreApplication.translate("ReportText", "周六"),
            QCoreApplication.translate("ReportText", "周日"),
        ),
        kinds={
            "normal": QCoreApplication.translate("ReportText", "普通"),
            "green": QCoreApplication.translate("ReportText", "绿色通道"),
            "appointment": QCoreApplication.translate("ReportText", "预约"),
        },
        chart_hourly=QCoreApplication.translate("ReportText", "各时段取号量"),
        chart_service_wait=QCoreApplication.translate(
            "ReportText", "各业务等候时间（分钟）：蓝 平均，橙 P90"),
        chart_no_waits=QCoreApplication.translate("ReportText", "本期无等候记录"),
        chart_part=QCoreApplication.translate("ReportText", "（{part}/{parts}）"),
        chart_labels_shortened=QCoreApplication.translate(
            "ReportText", "注：过长的业务名称在图中以“…”截短，全名见“按业务”表。"),
        chart_heatmap=QCoreApplication.translate(
            "ReportText", "取号热力图（星期 × 时段，颜色越深越忙）"),
        chart_levels=QCoreApplication.translate("ReportText", "评价分布"),
    )
