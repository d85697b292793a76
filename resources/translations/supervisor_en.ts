<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>FilterBar</name>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="56"/>
        <source>全部站点</source>
        <translation>All sites</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="57"/>
        <source>全部部门</source>
        <translation>All departments</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="58"/>
        <source>全部业务</source>
        <translation>All services</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="59"/>
        <source>全部类型</source>
        <translation>All kinds</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="60"/>
        <source>普通</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="60"/>
        <source>绿色通道</source>
        <translation>Green channel</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="61"/>
        <source>预约</source>
        <translation>Appointment</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="63"/>
        <source>查询</source>
        <translation>Run</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="66"/>
        <source>从</source>
        <translation>From</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="66"/>
        <source>至</source>
        <translation>to</translation>
    </message>
</context>
<context>
    <name>FollowUpPanel</name>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="42"/>
        <location filename="../../counter_app/supervisor/followups.py" line="109"/>
        <source>未结</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="42"/>
        <location filename="../../counter_app/supervisor/followups.py" line="109"/>
        <source>已结</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="43"/>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="46"/>
        <source>差评回访</source>
        <translation>Follow-ups</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="53"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="53"/>
        <source>票号</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="53"/>
        <source>业务</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="53"/>
        <source>窗口</source>
        <translation>Window</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="54"/>
        <source>工作人员</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="54"/>
        <source>评价</source>
        <translation>Rating</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="54"/>
        <source>意见</source>
        <translation>Comment</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="54"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="55"/>
        <location filename="../../counter_app/supervisor/followups.py" line="86"/>
        <source>回访结果</source>
        <translation>Contact result</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="55"/>
        <source>关闭人</source>
        <translation>Closed by</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="55"/>
        <source>关闭时间</source>
        <translation>Closed at</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="70"/>
        <source>回访记录</source>
        <translation>Return visit</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="75"/>
        <source>例如：已电话联系，群众表示理解</source>
        <translation>e.g. phoned the citizen, who accepted the explanation</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="78"/>
        <source>备注（改进措施等）</source>
        <translation>Note (improvements made, etc.)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="80"/>
        <source>回访完成，关闭此记录</source>
        <translation>Return visit done: close this follow-up</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="81"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="87"/>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="133"/>
        <source>请在上方选择一条回访记录。</source>
        <translation>Choose a follow-up in the list above.</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="138"/>
        <source>%1 %2（%3）评价“%4”：%5</source>
        <translation>%1 %2 (%3) rated “%4”: %5</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="141"/>
        <source>无意见</source>
        <translation>no comment</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="143"/>
        <source>由 %1 于 %2 关闭</source>
        <translation>Closed by %1 at %2</translation>
    </message>
</context>
<context>
    <name>LivePanel</name>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="89"/>
        <source>等候人数</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="89"/>
        <source>今日已办结</source>
        <translation>Served today</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="90"/>
        <source>开放窗口</source>
        <translation>Windows open</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="90"/>
        <location filename="../../counter_app/supervisor/live_panel.py" line="117"/>
        <source>办理中</source>
        <translation>Serving</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="91"/>
        <location filename="../../counter_app/supervisor/live_panel.py" line="118"/>
        <source>暂停</source>
        <translation>Paused</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="91"/>
        <location filename="../../counter_app/supervisor/live_panel.py" line="118"/>
        <source>空闲</source>
        <translation>Idle</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="103"/>
        <source>业务</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="103"/>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="103"/>
        <source>等候</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="104"/>
        <source>最长等候(分)</source>
        <translation>Longest wait (min)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="104"/>
        <source>窗口中</source>
        <translation>At windows</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="104"/>
        <location filename="../../counter_app/supervisor/live_panel.py" line="108"/>
        <source>今日办结</source>
        <translation>Served today</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="105"/>
        <source>目标(分)</source>
        <translation>Target (min)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="106"/>
        <source>窗口</source>
        <translation>Window</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="106"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="106"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="107"/>
        <source>工作人员</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="107"/>
        <source>票号</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="107"/>
        <source>开始于</source>
        <translation>Since</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="108"/>
        <source>暂停原因</source>
        <translation>Pause reason</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="109"/>
        <source>各业务排队</source>
        <translation>Queues per service</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="110"/>
        <source>各窗口状态</source>
        <translation>Windows</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="117"/>
        <source>已叫号</source>
        <translation>Called</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="119"/>
        <source>未登录</source>
        <translation>No clerk</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="126"/>
        <source>%1：等候 %2 人，超过 %3 人</source>
        <translation>%1: %2 waiting, more than %3</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="130"/>
        <source>%1：最长已等 %2 分钟，超过目标 %3 分钟</source>
        <translation>%1: oldest has waited %2 min, over the %3 min target</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="136"/>
        <source>%1 号窗口暂停超过 %2 分钟（%3）</source>
        <translation>Window %1 paused for more than %2 minutes (%3)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="146"/>
        <source>%1 · 实时 · 更新于 %2</source>
        <translation>%1 · live · updated %2</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="174"/>
        <source>%1（%2 分钟）</source>
        <translation>%1 (%2 min)</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../counter_app/supervisor/main.py" line="77"/>
        <source>主管登录</source>
        <translation>Supervisor login</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/main.py" line="79"/>
        <source>HallQueue 主管视图</source>
        <translation>HallQueue supervisor view</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/main.py" line="89"/>
        <source>登录名</source>
        <translation>Login</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/main.py" line="90"/>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/main.py" line="99"/>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/main.py" line="100"/>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/main.py" line="109"/>
        <source>请输入登录名和密码。</source>
        <translation>Enter your login and password.</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/main.py" line="112"/>
        <source>正在登录……</source>
        <translation>Logging in…</translation>
    </message>
</context>
<context>
    <name>StatsPanel</name>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="128"/>
        <source>选择日期范围后点击“查询”。</source>
        <translation>Choose a date range, then click “Run”.</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="131"/>
        <source>概览</source>
        <translation>Overview</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="136"/>
        <source>导出 PDF</source>
        <translation>Export PDF</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="136"/>
        <source>导出 Excel</source>
        <translation>Export Excel</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="137"/>
        <source>导出 CSV</source>
        <translation>Export CSV</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="150"/>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="211"/>
        <source>取号</source>
        <translation>Issued</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="150"/>
        <source>办结</source>
        <translation>Served</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="151"/>
        <source>过号</source>
        <translation>No-show</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="151"/>
        <source>平均等候(分)</source>
        <translation>Mean wait (min)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="152"/>
        <source>等候P90(分)</source>
        <translation>Wait P90 (min)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="152"/>
        <source>服务水平</source>
        <translation>Service level</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="153"/>
        <source>一次办结率</source>
        <translation>One-visit share</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="153"/>
        <source>满意率</source>
        <translation>Satisfaction</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="156"/>
        <source>各时段取号量</source>
        <translation>Tickets issued per hour</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="157"/>
        <source>各业务平均等候（分钟）</source>
        <translation>Mean wait per service (min)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="158"/>
        <source>取号热力图（星期 × 时段）</source>
        <translation>Tickets issued (weekday × hour)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="159"/>
        <source>评价分布</source>
        <translation>Ratings</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="171"/>
        <source>正在统计……</source>
        <translation>Computing statistics…</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="181"/>
        <source>%1 · %2 至 %3</source>
        <translation>%1 · %2 to %3</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="214"/>
        <source>周一</source>
        <translation>Mon</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="214"/>
        <source>周二</source>
        <translation>Tue</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="214"/>
        <source>周三</source>
        <translation>Wed</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="214"/>
        <source>周四</source>
        <translation>Thu</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="215"/>
        <source>周五</source>
        <translation>Fri</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="215"/>
        <source>周六</source>
        <translation>Sat</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="215"/>
        <source>周日</source>
        <translation>Sun</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="219"/>
        <source>非常满意</source>
        <translation>Very satisfied</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="219"/>
        <source>满意</source>
        <translation>Satisfied</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="219"/>
        <source>基本满意</source>
        <translation>Fairly satisfied</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="219"/>
        <source>不满意</source>
        <translation>Dissatisfied</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="220"/>
        <source>非常不满意</source>
        <translation>Very dissatisfied</translation>
    </message>
</context>
<context>
    <name>SupervisorWindow</name>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="55"/>
        <source>HallQueue 主管视图 — %1</source>
        <translation>HallQueue supervisor view — %1</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="73"/>
        <source>数据库连接中断，正在自动重连……显示的是断开前的数据，操作已停用。</source>
        <translation>The database connection was lost; reconnecting automatically… The figures shown are from before the loss; actions are disabled.</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="91"/>
        <source>实时</source>
        <translation>Live</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="92"/>
        <source>统计</source>
        <translation>Statistics</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="93"/>
        <source>差评回访</source>
        <translation>Follow-ups</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="108"/>
        <source>提醒：排队超过</source>
        <translation>Alert when more than</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="110"/>
        <source>人，或窗口暂停超过</source>
        <translation>waiting, or a window paused over</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="112"/>
        <source>分钟；等候超过业务目标时间亦提醒</source>
        <translation>min; also when a wait exceeds its service target</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="198"/>
        <source>统计未完成。</source>
        <translation>The statistics did not finish.</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="207"/>
        <source>导出报表</source>
        <translation>Export report</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="215"/>
        <source>已导出：%1</source>
        <translation>Exported: %1</translation>
    </message>
</context>
<context>
    <name>_Chart</name>
    <message>
        <location filename="../../counter_app/supervisor/charts.py" line="56"/>
        <source>暂无数据</source>
        <translation>No data</translation>
    </message>
</context>
</TS>
