<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>Cli</name>
    <message>
        <location filename="../../counter_app/supervisor/main.py" line="138"/>
        <source>值班长视图：实时队列、统计、报表和差评回访</source>
        <translation>The supervisor&apos;s view: live queues, statistics, reports and the follow-ups of bad ratings</translation>
    </message>
</context>
<context>
    <name>DeviceText</name>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="28"/>
        <source>取号机</source>
        <translation>Kiosk</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="29"/>
        <source>窗口</source>
        <translation>Window</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="30"/>
        <source>叫号屏</source>
        <translation>Hall display</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="31"/>
        <source>审管办</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="38"/>
        <source>正常</source>
        <translation>ready</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="39"/>
        <source>纸将用完</source>
        <translation>paper low</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="40"/>
        <source>缺纸</source>
        <translation>out of paper</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="41"/>
        <source>机盖打开</source>
        <translation>cover open</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="42"/>
        <source>离线</source>
        <translation>offline</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="43"/>
        <source>连接不上</source>
        <translation>unreachable</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="49"/>
        <source>有声音</source>
        <translation>sound</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="50"/>
        <source>无声音</source>
        <translation>no sound</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="56"/>
        <source>%1 秒前</source>
        <translation>%1 s ago</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="58"/>
        <source>%1 分钟前</source>
        <translation>%1 min ago</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="59"/>
        <source>%1 小时前</source>
        <translation>%1 h ago</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="66"/>
        <source>已失联 %1 分钟</source>
        <translation>silent for %1 min</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="69"/>
        <source>打印机：%1</source>
        <translation>printer: %1</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="72"/>
        <source>没有声音输出，无法语音叫号</source>
        <translation>no sound output: cannot speak the calls</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="74"/>
        <source>版本 %1（结构 %2）与本程序不一致</source>
        <translation>version %1 (schema %2) differs from this program&apos;s</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="80"/>
        <source>；</source>
        <translation>; </translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="86"/>
        <source>%1 %2：%3</source>
        <translation>%1 %2: %3</translation>
    </message>
</context>
<context>
    <name>DevicesPanel</name>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="105"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="110"/>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="110"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="110"/>
        <source>站点</source>
        <translation>Site</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="110"/>
        <source>主机</source>
        <translation>Host</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="111"/>
        <source>版本</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="111"/>
        <source>打印机</source>
        <translation>Printer</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="111"/>
        <source>声音</source>
        <translation>Sound</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="111"/>
        <source>最后心跳</source>
        <translation>Last seen</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="112"/>
        <source>最近错误</source>
        <translation>Last error</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="112"/>
        <source>提醒</source>
        <translation>Alerts</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="124"/>
        <source>还没有终端报告心跳。</source>
        <translation>No terminal has reported a heartbeat yet.</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="126"/>
        <source>共 %1 台终端，%2 台需要处理</source>
        <translation>%1 terminals, %2 need a look</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="133"/>
        <source>正常</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="140"/>
        <source>详情见该终端的日志，或 hallq-admin terminal list --json</source>
        <translation>details in the terminal&apos;s log, or hallq-admin terminal list --json</translation>
    </message>
</context>
<context>
    <name>EstimatesPanel</name>
    <message>
        <location filename="../../counter_app/supervisor/estimates_panel.py" line="42"/>
        <source>查询</source>
        <translation>Run</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/estimates_panel.py" line="44"/>
        <source>从</source>
        <translation>From</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/estimates_panel.py" line="46"/>
        <source>到</source>
        <translation>to</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/estimates_panel.py" line="55"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/estimates_panel.py" line="55"/>
        <source>业务</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/estimates_panel.py" line="55"/>
        <source>取号数</source>
        <translation>Tickets</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/estimates_panel.py" line="55"/>
        <source>平均误差（分钟）</source>
        <translation>Mean error (min)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/estimates_panel.py" line="56"/>
        <source>落在显示区间内</source>
        <translation>Within the shown range</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/estimates_panel.py" line="56"/>
        <source>区间平均宽度（分钟）</source>
        <translation>Mean range width (min)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/estimates_panel.py" line="58"/>
        <source>只统计取号时显示了预计等候、且已被叫号办理的号；等候时间按首次排队计算。</source>
        <translation>Counts tickets that were shown an estimate at issue and were called and served; the wait is that of the first queue.</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/estimates_panel.py" line="74"/>
        <source>全部业务</source>
        <translation>All services</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/estimates_panel.py" line="80"/>
        <source>所选日期内没有可统计的预计等候</source>
        <translation>No estimates to measure in the chosen dates</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/estimates_panel.py" line="83"/>
        <source>共 {n} 个号：平均误差 {mae} 分钟，{coverage} 的实际等候落在显示区间内，区间平均宽 {width} 分钟</source>
        <translation>{n} tickets: mean error {mae} min, {coverage} of the actual waits within the shown range, mean range width {width} min</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="59"/>
        <source>全部站点</source>
        <translation>All sites</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="60"/>
        <source>全部部门</source>
        <translation>All departments</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="61"/>
        <source>全部业务</source>
        <translation>All services</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="62"/>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="102"/>
        <source>全部窗口</source>
        <translation>All windows</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="63"/>
        <source>全部工作人员</source>
        <translation>All clerks</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="64"/>
        <source>全部类型</source>
        <translation>All kinds</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="65"/>
        <source>普通</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="65"/>
        <source>绿色通道</source>
        <translation>Green channel</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="66"/>
        <source>预约</source>
        <translation>Appointment</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="70"/>
        <source>查询</source>
        <translation>Run</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="73"/>
        <source>从</source>
        <translation>From</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="73"/>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="94"/>
        <source>%1（%2）</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="104"/>
        <source>%1号 %2</source>
        <translation>Window %1 %2</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="108"/>
        <source>窗口按站点编号：先选择一个站点，再按窗口筛选</source>
        <translation>Windows are numbered per site: choose one site to filter by window</translation>
    </message>
</context>
<context>
    <name>FollowUpPanel</name>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="57"/>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="55"/>
        <source>未办结</source>
        <translation>Not closed</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="55"/>
        <source>待回访</source>
        <translation>To contact</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="56"/>
        <source>已回访</source>
        <translation>Contacted</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="56"/>
        <source>已整改</source>
        <translation>Rectified</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="57"/>
        <source>已办结</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="60"/>
        <source>只看逾期</source>
        <translation>Overdue only</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="64"/>
        <source>差评回访与整改</source>
        <translation>Bad ratings: follow-up and rectification</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="71"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="71"/>
        <source>票号</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="71"/>
        <source>业务</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="71"/>
        <source>办件编号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="72"/>
        <source>窗口</source>
        <translation>Window</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="73"/>
        <source>工作人员</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="73"/>
        <source>评价</source>
        <translation>Rating</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="73"/>
        <source>意见</source>
        <translation>Comment</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="73"/>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="74"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="74"/>
        <source>回访期限</source>
        <translation>Contact due</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="74"/>
        <source>整改期限</source>
        <translation>Rectify due</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="74"/>
        <source>提示</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="101"/>
        <source>本步说明：回访情况、整改措施或办结说明</source>
        <translation>This step&apos;s note: the call, the rectification or the closing</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="104"/>
        <source>满意</source>
        <translation>Satisfied</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="104"/>
        <source>基本满意</source>
        <translation>Fairly satisfied</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="105"/>
        <source>不满意</source>
        <translation>Dissatisfied</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="107"/>
        <source>记录回访</source>
        <translation>Record contact</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="109"/>
        <source>记录整改</source>
        <translation>Record rectification</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="111"/>
        <location filename="../../counter_app/supervisor/followups.py" line="251"/>
        <source>办结</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="117"/>
        <source>恶意差评</source>
        <translation>Malicious rating</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="117"/>
        <source>误评</source>
        <translation>Mistaken rating</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="120"/>
        <source>申诉理由（必填）</source>
        <translation>Reason for the appeal (required)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="122"/>
        <location filename="../../counter_app/supervisor/followups.py" line="140"/>
        <source>申诉</source>
        <translation>Appeal</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="127"/>
        <source>说明</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="132"/>
        <source>群众对整改的意见</source>
        <translation>Citizen&apos;s opinion of the rectification</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="170"/>
        <source>%1 当日</source>
        <translation>by %1</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="175"/>
        <source>已申诉（%1）</source>
        <translation>Appealed (%1)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="177"/>
        <source>回访逾期</source>
        <translation>Contact overdue</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="179"/>
        <source>整改逾期</source>
        <translation>Rectification overdue</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="183"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="227"/>
        <source>%1 办件 %2</source>
        <translation>%1 case %2</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="235"/>
        <source>回访期限 %1，整改期限 %2</source>
        <translation>Contact due %1, rectification due %2</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="247"/>
        <source>回访</source>
        <translation>Contact</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="249"/>
        <source>整改</source>
        <translation>Rectification</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="253"/>
        <source>%1：%2 %3 %4</source>
        <translation>%1: %2 %3 %4</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="257"/>
        <source>群众对整改的意见：%1</source>
        <translation>Citizen&apos;s opinion of the rectification: %1</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="260"/>
        <source>申诉（%1）：%2 %3 %4</source>
        <translation>Appeal (%1): %2 %3 %4</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="91"/>
        <source>回访记录</source>
        <translation>Return visit</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="195"/>
        <source>未留</source>
        <translation>None left</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="205"/>
        <source>共 %1 条，逾期 %2 条</source>
        <translation>%1 in all, %2 overdue</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="222"/>
        <source>请在上方选择一条回访记录。</source>
        <translation>Choose a follow-up in the list above.</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="229"/>
        <source>%1 %2（%3）评价“%4”：%5</source>
        <translation>%1 %2 (%3) rated “%4”: %5</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="232"/>
        <source>无意见</source>
        <translation>no comment</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="233"/>
        <source>联系电话：%1</source>
        <translation>Phone: %1</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="234"/>
        <source>未留联系电话</source>
        <translation>No phone left</translation>
    </message>
</context>
<context>
    <name>LivePanel</name>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="84"/>
        <source>等候人数</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="85"/>
        <source>开放窗口</source>
        <translation>Windows open</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="85"/>
        <location filename="../../counter_app/supervisor/live_panel.py" line="149"/>
        <source>办理中</source>
        <translation>Serving</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="86"/>
        <location filename="../../counter_app/supervisor/live_panel.py" line="150"/>
        <source>暂停</source>
        <translation>Paused</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="86"/>
        <location filename="../../counter_app/supervisor/live_panel.py" line="150"/>
        <source>空闲</source>
        <translation>Idle</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="134"/>
        <source>业务</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="134"/>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="134"/>
        <source>等候</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="135"/>
        <source>最长等候(分)</source>
        <translation>Longest wait (min)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="135"/>
        <source>窗口中</source>
        <translation>At windows</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="84"/>
        <location filename="../../counter_app/supervisor/live_panel.py" line="135"/>
        <location filename="../../counter_app/supervisor/live_panel.py" line="139"/>
        <source>今日已办理</source>
        <translation>Served today</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="119"/>
        <source>查看</source>
        <translation>Show</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="134"/>
        <source>取号状态</source>
        <translation>Issuing</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="136"/>
        <source>目标(分)</source>
        <translation>Target (min)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="138"/>
        <source>窗口</source>
        <translation>Window</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="138"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="138"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="138"/>
        <source>工作人员</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="139"/>
        <source>票号</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="139"/>
        <source>开始于</source>
        <translation>Since</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="139"/>
        <source>暂停原因</source>
        <translation>Pause reason</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="141"/>
        <source>各业务排队</source>
        <translation>Queues per service</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="142"/>
        <source>各窗口状态</source>
        <translation>Windows</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="149"/>
        <source>已叫号</source>
        <translation>Called</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="151"/>
        <source>未登录</source>
        <translation>No clerk</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="168"/>
        <source>一键求助：%1（%2 起，已等 %3 分钟），请导服台前往</source>
        <translation>Help requested at %1 (since %2, waiting %3 min): guide desk, please go</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="172"/>
        <source>已处理</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="181"/>
        <source>差评回访逾期 %1 条：请尽快回访或整改</source>
        <translation>%1 follow-up(s) of bad ratings overdue: contact or rectify soon</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="188"/>
        <source>● 设备 %1</source>
        <translation>● Device %1</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="198"/>
        <source>好差评上报：待上报 %1 条，其中失败重试 %2 条；被拒 %3 条</source>
        <translation>Ratings to the province: %1 pending, %2 of them failing; %3 refused</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="201"/>
        <source>（%1）</source>
        <translation> (%1)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="211"/>
        <source>未到取号时间</source>
        <translation>Not open yet</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="211"/>
        <source>午休</source>
        <translation>Lunch break</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="212"/>
        <source>今日取号已截止</source>
        <translation>Issuing ended for today</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="212"/>
        <source>已过办理时间</source>
        <translation>After hours</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="213"/>
        <source>周末不办理</source>
        <translation>Closed on weekends</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="213"/>
        <source>节假日不办理</source>
        <translation>Closed on holidays</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="214"/>
        <source>今日号源已取完</source>
        <translation>Daily quota used up</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="214"/>
        <source>暂停取号</source>
        <translation>Not issuing</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="219"/>
        <source>开放</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="225"/>
        <source>%1，%2 起取号</source>
        <translation>%1, opens %2</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="236"/>
        <source>%1：%2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="237"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="238"/>
        <source>当前暂停取号的业务（%1 项）— %2</source>
        <translation>Services not issuing numbers now (%1) — %2</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="239"/>
        <source>；</source>
        <translation>; </translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="246"/>
        <source>%1：等候 %2 人，超过 %3 人</source>
        <translation>%1: %2 waiting, more than %3</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="250"/>
        <source>%1：最长已等 %2 分钟，超过目标 %3 分钟</source>
        <translation>%1: oldest has waited %2 min, over the %3 min target</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="256"/>
        <source>%1 号窗口暂停超过 %2 分钟（%3）</source>
        <translation>Window %1 paused for more than %2 minutes (%3)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="266"/>
        <source>%1 · 实时 · 更新于 %2</source>
        <translation>%1 · live · updated %2</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="301"/>
        <source>%1（%2 分钟）</source>
        <translation>%1 (%2 min)</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../counter_app/supervisor/main.py" line="82"/>
        <source>主管登录</source>
        <translation>Supervisor login</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/main.py" line="84"/>
        <source>HallQueue 主管视图</source>
        <translation>HallQueue supervisor view</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/main.py" line="94"/>
        <source>登录名</source>
        <translation>Login</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/main.py" line="95"/>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/main.py" line="104"/>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/main.py" line="105"/>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/main.py" line="114"/>
        <source>请输入登录名和密码。</source>
        <translation>Enter your login and password.</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/main.py" line="117"/>
        <source>正在登录……</source>
        <translation>Logging in…</translation>
    </message>
</context>
<context>
    <name>OverflowBar</name>
    <message>
        <location filename="../../counter_app/supervisor/overflow_bar.py" line="23"/>
        <location filename="../../counter_app/supervisor/overflow_bar.py" line="39"/>
        <source>潮汐窗口：目前无需增开</source>
        <translation>Overflow windows: none needed now</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/overflow_bar.py" line="27"/>
        <source>预计等候超出目标</source>
        <translation>Suggest an overflow window when the expected wait exceeds the target by</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/overflow_bar.py" line="29"/>
        <source>分钟时建议增开窗口</source>
        <translation>min</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/overflow_bar.py" line="30"/>
        <source>查看记录</source>
        <translation>History</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/overflow_bar.py" line="45"/>
        <source>{service}预计等候 {minutes} 分钟（目标 {target} 分钟，{n} 人等候）</source>
        <translation>{service}: expected wait {minutes} min (target {target} min, {n} waiting)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/overflow_bar.py" line="49"/>
        <source>，可由 {windows} 号窗口协助</source>
        <translation>, windows {windows} could help</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/overflow_bar.py" line="51"/>
        <source>潮汐窗口建议：</source>
        <translation>Open an overflow window: </translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/overflow_bar.py" line="56"/>
        <source>潮汐窗口：暂时无法计算预计等候</source>
        <translation>Overflow windows: the expected waits cannot be computed now</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/overflow_bar.py" line="44"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/overflow_bar.py" line="51"/>
        <source>；</source>
        <translation>; </translation>
    </message>
</context>
<context>
    <name>OverflowLogDialog</name>
    <message>
        <location filename="../../counter_app/supervisor/overflow_log.py" line="26"/>
        <source>潮汐窗口记录</source>
        <translation>Overflow suggestions</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/overflow_log.py" line="29"/>
        <source>正在读取……</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/overflow_log.py" line="34"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/overflow_log.py" line="34"/>
        <source>业务</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/overflow_log.py" line="34"/>
        <source>等候人数</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/overflow_log.py" line="34"/>
        <source>预计等候（分钟）</source>
        <translation>Predicted wait (min)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/overflow_log.py" line="35"/>
        <source>目标（分钟）</source>
        <translation>Target (min)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/overflow_log.py" line="35"/>
        <source>可协助窗口</source>
        <translation>Windows that could help</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/overflow_log.py" line="44"/>
        <source>近 {days} 天共 {n} 条潮汐窗口建议（最新的在前）</source>
        <translation>{n} overflow suggestions in the last {days} days (newest first)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/overflow_log.py" line="47"/>
        <source>近 {days} 天没有潮汐窗口建议</source>
        <translation>No overflow suggestions in the last {days} days</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/overflow_log.py" line="52"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/overflow_log.py" line="59"/>
        <source>暂时无法读取潮汐窗口记录</source>
        <translation>Cannot read the overflow suggestions right now</translation>
    </message>
</context>
<context>
    <name>StaffingPanel</name>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="63"/>
        <source>生成排班建议</source>
        <translation>Make the plan</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="68"/>
        <source>导出 Excel</source>
        <translation>Export Excel</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="71"/>
        <source>周一日期</source>
        <translation>Week of (Monday)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="74"/>
        <source>查看</source>
        <translation>Show</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="88"/>
        <source>每半小时需要的窗口数</source>
        <translation>Windows needed per half-hour</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="94"/>
        <source>时段</source>
        <translation>Half-hour</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="94"/>
        <source>业务</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="107"/>
        <source>依据所选周之前四周的取号记录：先按 Erlang C 公式估算各业务的窗口，再按实际叫号规则（综合窗口权重、绿色通道、转办）模拟一周，逐个时段增减窗口，直到每个时段刚好达到目标。</source>
        <translation>From the four weeks of tickets before the chosen week: windows per service by the Erlang C formula, then the week simulated with the real calling rules (comprehensive windows&apos; weights, green channel, transfers), adding and removing windows half-hour by half-hour until each just meets the goal.</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="123"/>
        <source>{chosen} 不是周一：已改为所在周的周一 {monday}</source>
        <translation>{chosen} is not a Monday: moved to the Monday of its week, {monday}</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="149"/>
        <source>{week} 起一周本站点不办公（节假日），无需排班</source>
        <translation>The week of {week} is closed (holidays): nothing to plan</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="153"/>
        <source>{first} 至 {last} 的取号记录都在所选周的办公时间之外，无法排班</source>
        <translation>The tickets from {first} to {last} all fall outside the opening hours of the chosen week: nothing to plan from</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="156"/>
        <source>{first} 至 {last} 没有取号记录，无法排班</source>
        <translation>No tickets from {first} to {last}: no history to plan from</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="160"/>
        <source>{week} 起一周：建议开放 {hours} 窗口小时（其中需增派人员 {extra}），按模拟 {short} 个时段现有窗口不足（按 Erlang C {erlang} 个）；目标：{goal} 的群众在时限内叫号</source>
        <translation>Week of {week}: {hours} window-hours proposed ({extra} of them extra staff); the site&apos;s windows fall short in {short} half-hours by simulation ({erlang} by Erlang C); goal: {goal} of citizens called within the target</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="190"/>
        <source>模拟：现有窗口不足，需增派人员</source>
        <translation>Simulation: the site&apos;s windows fall short, extra staff needed</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="191"/>
        <source>Erlang C 估算窗口不足，按实际叫号规则模拟现有窗口够用</source>
        <translation>Erlang C finds too few windows; simulated with the real calling rules, the site&apos;s windows suffice</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="178"/>
        <source>建议开放窗口数</source>
        <translation>Proposed windows</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="94"/>
        <source>每小时
到达</source>
        <translation>Arrivals
per hour</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="94"/>
        <source>建议
窗口</source>
        <translation>Windows
needed</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="95"/>
        <source>预计
服务水平</source>
        <translation>Expected
service level</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="95"/>
        <source>平均等候
（分钟）</source>
        <translation>Mean wait
(min)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="95"/>
        <source>现有
窗口</source>
        <translation>Serving
windows</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="96"/>
        <source>模拟
服务水平</source>
        <translation>Simulated
service level</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="179"/>
        <source>本站点窗口数</source>
        <translation>Windows at the site</translation>
    </message>
</context>
<context>
    <name>StatsPanel</name>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="166"/>
        <source>概览</source>
        <translation>Overview</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="186"/>
        <source>导出 PDF</source>
        <translation>Export PDF</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="186"/>
        <source>导出 Excel</source>
        <translation>Export Excel</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="187"/>
        <source>导出 CSV</source>
        <translation>Export CSV</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="200"/>
        <source>取号</source>
        <translation>Issued</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="152"/>
        <source>正在统计今天的数据……</source>
        <translation>Computing today&apos;s figures…</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="169"/>
        <source>月度通报：</source>
        <translation>Monthly bulletin:</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="177"/>
        <source>生成月度通报 PDF</source>
        <translation>Monthly bulletin (PDF)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="178"/>
        <source>生成月度通报 Excel</source>
        <translation>Monthly bulletin (Excel)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="200"/>
        <source>已办理</source>
        <translation>Served</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="201"/>
        <source>过号</source>
        <translation>No-show</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="201"/>
        <source>平均等候(分)</source>
        <translation>Mean wait (min)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="202"/>
        <source>等候P90(分)</source>
        <translation>Wait P90 (min)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="202"/>
        <source>服务水平</source>
        <translation>Service level</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="203"/>
        <source>一次办结率</source>
        <translation>One-visit share</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="203"/>
        <source>满意率</source>
        <translation>Satisfaction</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="204"/>
        <source>回访率</source>
        <translation>Return-visit rate</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="204"/>
        <source>整改率</source>
        <translation>Rectification rate</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="208"/>
        <source>已回访的差评 ÷ 应回访的差评（未申诉）</source>
        <translation>Bad ratings contacted ÷ bad ratings due for a follow-up (not appealed)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="209"/>
        <source>已整改的差评 ÷ 应回访的差评（未申诉）</source>
        <translation>Bad ratings rectified ÷ bad ratings due for a follow-up (not appealed)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="211"/>
        <source>各时段取号量</source>
        <translation>Tickets issued per hour</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="213"/>
        <source>取号热力图（星期 × 时段）</source>
        <translation>Tickets issued (weekday × hour)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="214"/>
        <source>评价分布</source>
        <translation>Ratings</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="226"/>
        <source>正在统计……</source>
        <translation>Computing statistics…</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="244"/>
        <source>%1 · %2 至 %3</source>
        <translation>%1 · %2 to %3</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="275"/>
        <source>%1 / %2 条</source>
        <translation>%1 of %2</translation>
    </message>
</context>
<context>
    <name>SupervisorWindow</name>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="98"/>
        <source>HallQueue 主管视图 — %1</source>
        <translation>HallQueue supervisor view — %1</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="119"/>
        <source>数据库连接中断，正在自动重连……显示的是断开前的数据，操作已停用。</source>
        <translation>The database connection was lost; reconnecting automatically… The figures shown are from before the loss; actions are disabled.</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="146"/>
        <source>实时</source>
        <translation>Live</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="147"/>
        <location filename="../../counter_app/supervisor/window.py" line="332"/>
        <source>统计</source>
        <translation>Statistics</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="150"/>
        <source>差评回访</source>
        <translation>Follow-ups</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="151"/>
        <source>设备</source>
        <translation>Devices</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="154"/>
        <source>预计等候准确度</source>
        <translation>Wait estimate accuracy</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="158"/>
        <source>排班建议</source>
        <translation>Staffing plan</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="173"/>
        <source>提醒：排队超过</source>
        <translation>Alert when more than</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="175"/>
        <source>人，或窗口暂停超过</source>
        <translation>waiting, or a window paused over</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="177"/>
        <source>分钟；等候超过业务目标时间亦提醒</source>
        <translation>min; also when a wait exceeds its service target</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="321"/>
        <source>统计未完成。</source>
        <translation>The statistics did not finish.</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="334"/>
        <source>导出报表</source>
        <translation>Export report</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="347"/>
        <source>月度通报</source>
        <translation>Monthly bulletin</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="348"/>
        <source>生成月度通报</source>
        <translation>Write the monthly bulletin</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="359"/>
        <source>已导出：%1</source>
        <translation>Exported: %1</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="408"/>
        <source>导出排班建议</source>
        <translation>Export the staffing plan</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="438"/>
        <source>%1 是一个文件夹。请另选一个文件名。</source>
        <translation>%1 is a folder. Choose a file name.</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="439"/>
        <source>%1 不是普通文件（链接、设备等），导出不能替换它。请另选一个文件名。</source>
        <translation>%1 is not a regular file (a link, a device…); the export cannot replace it. Choose another file name.</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="440"/>
        <source>%1 所在的文件夹不存在。请另选保存位置。</source>
        <translation>The folder of %1 does not exist. Choose another place to save it.</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="441"/>
        <source>无法写入 %1（没有写入权限或磁盘已满）。请另选保存位置。</source>
        <translation>%1 cannot be written (no permission to write there, or the disk is full). Choose another place to save it.</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="443"/>
        <source>未能导出：%1</source>
        <translation>Not exported: %1</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="444"/>
        <source>无法导出</source>
        <translation>Cannot export</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="513"/>
        <source>设备列表未能刷新。</source>
        <translation>The device list could not be refreshed.</translation>
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
