<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>DeviceText</name>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="29"/>
        <source>取号机</source>
        <translation>Kiosk</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="30"/>
        <source>窗口</source>
        <translation>Window</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="31"/>
        <source>叫号屏</source>
        <translation>Hall display</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="32"/>
        <source>审管办</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="39"/>
        <source>正常</source>
        <translation>ready</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="40"/>
        <source>纸将用完</source>
        <translation>paper low</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="41"/>
        <source>缺纸</source>
        <translation>out of paper</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="42"/>
        <source>机盖打开</source>
        <translation>cover open</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="43"/>
        <source>离线</source>
        <translation>offline</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="44"/>
        <source>连接不上</source>
        <translation>unreachable</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="50"/>
        <source>有声音</source>
        <translation>sound</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="51"/>
        <source>无声音</source>
        <translation>no sound</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="57"/>
        <source>%1 秒前</source>
        <translation>%1 s ago</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="59"/>
        <source>%1 分钟前</source>
        <translation>%1 min ago</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="60"/>
        <source>%1 小时前</source>
        <translation>%1 h ago</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="67"/>
        <source>已失联 %1 分钟</source>
        <translation>silent for %1 min</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="70"/>
        <source>打印机：%1</source>
        <translation>printer: %1</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="73"/>
        <source>没有声音输出，无法语音叫号</source>
        <translation>no sound output: cannot speak the calls</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="75"/>
        <source>版本 %1（结构 %2）与本程序不一致</source>
        <translation>version %1 (schema %2) differs from this program&apos;s</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="81"/>
        <source>；</source>
        <translation>; </translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="87"/>
        <source>%1 %2：%3</source>
        <translation>%1 %2: %3</translation>
    </message>
</context>
<context>
    <name>DevicesPanel</name>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="106"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="112"/>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="112"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="112"/>
        <source>站点</source>
        <translation>Site</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="112"/>
        <source>主机</source>
        <translation>Host</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="113"/>
        <source>版本</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="113"/>
        <source>打印机</source>
        <translation>Printer</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="113"/>
        <source>声音</source>
        <translation>Sound</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="113"/>
        <source>最后心跳</source>
        <translation>Last seen</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="114"/>
        <source>最近错误</source>
        <translation>Last error</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="114"/>
        <source>提醒</source>
        <translation>Alerts</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="133"/>
        <source>还没有终端报告心跳。</source>
        <translation>No terminal has reported a heartbeat yet.</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="135"/>
        <source>共 %1 台终端，%2 台需要处理</source>
        <translation>%1 terminals, %2 need a look</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/devices_panel.py" line="142"/>
        <source>正常</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>EstimatesPanel</name>
    <message>
        <location filename="../../counter_app/supervisor/estimates_panel.py" line="44"/>
        <source>查询</source>
        <translation>Run</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/estimates_panel.py" line="46"/>
        <source>从</source>
        <translation>From</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/estimates_panel.py" line="48"/>
        <source>到</source>
        <translation>to</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/estimates_panel.py" line="58"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/estimates_panel.py" line="58"/>
        <source>业务</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/estimates_panel.py" line="58"/>
        <source>取号数</source>
        <translation>Tickets</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/estimates_panel.py" line="58"/>
        <source>平均误差（分钟）</source>
        <translation>Mean error (min)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/estimates_panel.py" line="59"/>
        <source>落在显示区间内</source>
        <translation>Within the shown range</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/estimates_panel.py" line="59"/>
        <source>区间平均宽度（分钟）</source>
        <translation>Mean range width (min)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/estimates_panel.py" line="63"/>
        <source>只统计取号时显示了预计等候、且已被叫号办理的号；等候时间按首次排队计算。</source>
        <translation>Counts tickets that were shown an estimate at issue and were called and served; the wait is that of the first queue.</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/estimates_panel.py" line="79"/>
        <source>全部业务</source>
        <translation>All services</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/estimates_panel.py" line="86"/>
        <source>所选日期内没有可统计的预计等候</source>
        <translation>No estimates to measure in the chosen dates</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/estimates_panel.py" line="89"/>
        <source>共 {n} 个号：平均误差 {mae} 分钟，{coverage} 的实际等候落在显示区间内，区间平均宽 {width} 分钟</source>
        <translation>{n} tickets: mean error {mae} min, {coverage} of the actual waits within the shown range, mean range width {width} min</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="61"/>
        <source>全部站点</source>
        <translation>All sites</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="62"/>
        <source>全部部门</source>
        <translation>All departments</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="63"/>
        <source>全部业务</source>
        <translation>All services</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="64"/>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="104"/>
        <source>全部窗口</source>
        <translation>All windows</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="65"/>
        <source>全部工作人员</source>
        <translation>All clerks</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="66"/>
        <source>全部类型</source>
        <translation>All kinds</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="67"/>
        <source>普通</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="67"/>
        <source>绿色通道</source>
        <translation>Green channel</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="68"/>
        <source>预约</source>
        <translation>Appointment</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="72"/>
        <source>查询</source>
        <translation>Run</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="75"/>
        <source>从</source>
        <translation>From</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="75"/>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="96"/>
        <source>%1（%2）</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="106"/>
        <source>%1号 %2</source>
        <translation>Window %1 %2</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="110"/>
        <source>窗口按站点编号：先选择一个站点，再按窗口筛选</source>
        <translation>Windows are numbered per site: choose one site to filter by window</translation>
    </message>
</context>
<context>
    <name>FollowUpPanel</name>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="42"/>
        <location filename="../../counter_app/supervisor/followups.py" line="110"/>
        <source>未结</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="42"/>
        <location filename="../../counter_app/supervisor/followups.py" line="110"/>
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
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="55"/>
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
        <location filename="../../counter_app/supervisor/followups.py" line="109"/>
        <source>未留</source>
        <translation>None left</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="134"/>
        <source>请在上方选择一条回访记录。</source>
        <translation>Choose a follow-up in the list above.</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="139"/>
        <source>%1 %2（%3）评价“%4”：%5</source>
        <translation>%1 %2 (%3) rated “%4”: %5</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="142"/>
        <source>无意见</source>
        <translation>no comment</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="143"/>
        <source>联系电话：%1</source>
        <translation>Phone: %1</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="144"/>
        <source>未留联系电话</source>
        <translation>No phone left</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/followups.py" line="146"/>
        <source>由 %1 于 %2 关闭</source>
        <translation>Closed by %1 at %2</translation>
    </message>
</context>
<context>
    <name>LivePanel</name>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="104"/>
        <source>等候人数</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="105"/>
        <source>开放窗口</source>
        <translation>Windows open</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="105"/>
        <location filename="../../counter_app/supervisor/live_panel.py" line="146"/>
        <source>办理中</source>
        <translation>Serving</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="106"/>
        <location filename="../../counter_app/supervisor/live_panel.py" line="147"/>
        <source>暂停</source>
        <translation>Paused</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="106"/>
        <location filename="../../counter_app/supervisor/live_panel.py" line="147"/>
        <source>空闲</source>
        <translation>Idle</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="132"/>
        <source>业务</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="132"/>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="133"/>
        <source>等候</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="133"/>
        <source>最长等候(分)</source>
        <translation>Longest wait (min)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="133"/>
        <source>窗口中</source>
        <translation>At windows</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="104"/>
        <location filename="../../counter_app/supervisor/live_panel.py" line="134"/>
        <location filename="../../counter_app/supervisor/live_panel.py" line="137"/>
        <source>今日已办理</source>
        <translation>Served today</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="132"/>
        <source>取号状态</source>
        <translation>Issuing</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="134"/>
        <source>目标(分)</source>
        <translation>Target (min)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="135"/>
        <source>窗口</source>
        <translation>Window</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="135"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="135"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="136"/>
        <source>工作人员</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="136"/>
        <source>票号</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="136"/>
        <source>开始于</source>
        <translation>Since</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="137"/>
        <source>暂停原因</source>
        <translation>Pause reason</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="138"/>
        <source>各业务排队</source>
        <translation>Queues per service</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="139"/>
        <source>各窗口状态</source>
        <translation>Windows</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="146"/>
        <source>已叫号</source>
        <translation>Called</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="148"/>
        <source>未登录</source>
        <translation>No clerk</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="165"/>
        <source>一键求助：%1（%2 起，已等 %3 分钟），请导服台前往</source>
        <translation>Help requested at %1 (since %2, waiting %3 min): guide desk, please go</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="169"/>
        <source>已处理</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="179"/>
        <source>● 设备 %1</source>
        <translation>● Device %1</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="185"/>
        <source>未到取号时间</source>
        <translation>Not open yet</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="185"/>
        <source>午休</source>
        <translation>Lunch break</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="186"/>
        <source>今日取号已截止</source>
        <translation>Issuing ended for today</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="186"/>
        <source>已过办理时间</source>
        <translation>After hours</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="187"/>
        <source>周末不办理</source>
        <translation>Closed on weekends</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="187"/>
        <source>节假日不办理</source>
        <translation>Closed on holidays</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="188"/>
        <source>今日号源已取完</source>
        <translation>Daily quota used up</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="188"/>
        <source>暂停取号</source>
        <translation>Not issuing</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="193"/>
        <source>开放</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="199"/>
        <source>%1，%2 起取号</source>
        <translation>%1, opens %2</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="210"/>
        <source>%1：%2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="211"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="212"/>
        <source>当前暂停取号的业务（%1 项）— %2</source>
        <translation>Services not issuing numbers now (%1) — %2</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="213"/>
        <source>；</source>
        <translation>; </translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="220"/>
        <source>%1：等候 %2 人，超过 %3 人</source>
        <translation>%1: %2 waiting, more than %3</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="224"/>
        <source>%1：最长已等 %2 分钟，超过目标 %3 分钟</source>
        <translation>%1: oldest has waited %2 min, over the %3 min target</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="230"/>
        <source>%1 号窗口暂停超过 %2 分钟（%3）</source>
        <translation>Window %1 paused for more than %2 minutes (%3)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="240"/>
        <source>%1 · 实时 · 更新于 %2</source>
        <translation>%1 · live · updated %2</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/live_panel.py" line="275"/>
        <source>%1（%2 分钟）</source>
        <translation>%1 (%2 min)</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../counter_app/supervisor/main.py" line="78"/>
        <source>主管登录</source>
        <translation>Supervisor login</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/main.py" line="80"/>
        <source>HallQueue 主管视图</source>
        <translation>HallQueue supervisor view</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/main.py" line="90"/>
        <source>登录名</source>
        <translation>Login</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/main.py" line="91"/>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/main.py" line="100"/>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/main.py" line="101"/>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/main.py" line="110"/>
        <source>请输入登录名和密码。</source>
        <translation>Enter your login and password.</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/main.py" line="113"/>
        <source>正在登录……</source>
        <translation>Logging in…</translation>
    </message>
</context>
<context>
    <name>OverflowBar</name>
    <message>
        <location filename="../../counter_app/supervisor/overflow_bar.py" line="20"/>
        <location filename="../../counter_app/supervisor/overflow_bar.py" line="32"/>
        <source>潮汐窗口：目前无需增开</source>
        <translation>Overflow windows: none needed now</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/overflow_bar.py" line="24"/>
        <source>预计等候超出目标</source>
        <translation>Suggest an overflow window when the expected wait exceeds the target by</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/overflow_bar.py" line="26"/>
        <source>分钟时建议增开窗口</source>
        <translation>min</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/overflow_bar.py" line="38"/>
        <source>{service}预计等候 {minutes} 分钟（目标 {target} 分钟，{n} 人等候）</source>
        <translation>{service}: expected wait {minutes} min (target {target} min, {n} waiting)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/overflow_bar.py" line="42"/>
        <source>，可由 {windows} 号窗口协助</source>
        <translation>, windows {windows} could help</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/overflow_bar.py" line="44"/>
        <source>潮汐窗口建议：</source>
        <translation>Open an overflow window: </translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/overflow_bar.py" line="49"/>
        <source>潮汐窗口：暂时无法计算预计等候</source>
        <translation>Overflow windows: the expected waits cannot be computed now</translation>
    </message>
</context>
<context>
    <name>ReportText</name>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="21"/>
        <source>HallQueue 统计报表</source>
        <translation>HallQueue statistics report</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="22"/>
        <source>排队叫号统计报表</source>
        <translation>Queue statistics report</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="30"/>
        <source>报表说明</source>
        <translation>About this report</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="31"/>
        <source>图表</source>
        <translation>Charts</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="32"/>
        <source>本期无数据</source>
        <translation>No data in this period</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="33"/>
        <source>第 {page} 页</source>
        <translation>Page {page}</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="34"/>
        <source>HallQueue 排队叫号系统</source>
        <translation>HallQueue queue management</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="35"/>
        <source>站点</source>
        <translation>Site</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="36"/>
        <source>{name}（{code}）</source>
        <translation>{name} ({code})</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="37"/>
        <source>全部站点</source>
        <translation>All sites</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="38"/>
        <source>日期范围</source>
        <translation>Date range</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="39"/>
        <source>{start} 至 {end}</source>
        <translation>{start} to {end}</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="40"/>
        <source>时区</source>
        <translation>Time zone</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="41"/>
        <source>票类型</source>
        <translation>Ticket kind</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="42"/>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="43"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="44"/>
        <source>生成时间</source>
        <translation>Generated</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="45"/>
        <source>总体数量</source>
        <translation>Totals</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="46"/>
        <source>指标</source>
        <translation>Measure</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="47"/>
        <source>数量</source>
        <translation>Count</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="49"/>
        <source>取号（票数）</source>
        <translation>Issued (tickets)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="50"/>
        <location filename="../../counter_app/supervisor/report_text.py" line="97"/>
        <source>转入</source>
        <translation>Transferred in</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="23"/>
        <source>统计口径：取号为发出的号数；已办理为办理结束的人次（不论结果），办结是办理结果之一，一次办结率 = 结果为办结的人次 ÷ 已办理人次；等候时间自进入队列起至引致办理的那次叫号，转办的每一段分别计算；办理时长自开始办理至办理结束；服务水平 = 在业务目标时间内叫号的人次 ÷ 有等候时间的人次；满意率 =（非常满意 + 满意）÷ 已评价数；评价覆盖率 = 已评价数 ÷ 已办理人次；中位数与 P90 采用最近秩法，取实测值。</source>
        <translation>Definitions: issued = numbers given out; served = visits whose service ended, whatever the outcome; completed is one of the outcomes, and the one-visit share = visits completed ÷ visits served. Waiting time runs from arrival in the queue to the call that led to service, counted separately for each stay of a transferred case; service time runs from the start of service to its end; service level = visits called within the service&apos;s target time ÷ visits with a waiting time; satisfaction rate = (very satisfied + satisfied) ÷ ratings; evaluation coverage = ratings ÷ visits served. Medians and P90 use the nearest-rank method and are always measured values.</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="51"/>
        <location filename="../../counter_app/supervisor/report_text.py" line="98"/>
        <source>已办理</source>
        <translation>Served</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="52"/>
        <location filename="../../counter_app/supervisor/report_text.py" line="99"/>
        <source>转出</source>
        <translation>Transferred out</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="53"/>
        <location filename="../../counter_app/supervisor/report_text.py" line="100"/>
        <source>过号</source>
        <translation>No-shows</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="54"/>
        <location filename="../../counter_app/supervisor/report_text.py" line="101"/>
        <source>取消</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="55"/>
        <location filename="../../counter_app/supervisor/report_text.py" line="110"/>
        <source>过期未办</source>
        <translation>Expired</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="56"/>
        <location filename="../../counter_app/supervisor/report_text.py" line="111"/>
        <source>进行中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="57"/>
        <location filename="../../counter_app/supervisor/report_text.py" line="141"/>
        <source>未参评（办理后无评价）</source>
        <translation>Never rated (served, no evaluation)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="58"/>
        <source>未评价（评价未选等级）</source>
        <translation>Not rated (evaluation saved without a level)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="59"/>
        <location filename="../../counter_app/supervisor/report_text.py" line="120"/>
        <source>回访未结</source>
        <translation>Follow-ups open</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="60"/>
        <location filename="../../counter_app/supervisor/report_text.py" line="121"/>
        <source>回访已结</source>
        <translation>Follow-ups closed</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="62"/>
        <source>等候与办理时长（分钟）</source>
        <translation>Wait and service (minutes)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="63"/>
        <source>时长</source>
        <translation>Duration</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="64"/>
        <source>人次</source>
        <translation>Count</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="65"/>
        <source>平均</source>
        <translation>Mean</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="66"/>
        <source>中位数</source>
        <translation>Median</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="68"/>
        <source>最长</source>
        <translation>Longest</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="69"/>
        <source>等候</source>
        <translation>Wait</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="70"/>
        <source>办理</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="71"/>
        <source>比率</source>
        <translation>Shares</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="72"/>
        <source>比率</source>
        <comment>column</comment>
        <translation>Share</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="74"/>
        <source>服务水平（目标时间内叫号）</source>
        <translation>Service level (called within target)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="75"/>
        <source>一次办结率</source>
        <translation>One-visit share</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="76"/>
        <location filename="../../counter_app/supervisor/report_text.py" line="109"/>
        <source>满意率</source>
        <translation>Satisfaction</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="77"/>
        <location filename="../../counter_app/supervisor/report_text.py" line="119"/>
        <source>评价覆盖率</source>
        <translation>Rating coverage</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="80"/>
        <source>按业务</source>
        <translation>By service</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="81"/>
        <source>按部门</source>
        <translation>By department</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="82"/>
        <source>按窗口</source>
        <translation>By window</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="83"/>
        <source>按工作人员</source>
        <translation>By clerk</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="84"/>
        <source>按时段（取号时刻）</source>
        <translation>By hour (of issue)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="85"/>
        <source>按星期</source>
        <translation>By weekday</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="88"/>
        <source>业务</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="89"/>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="90"/>
        <source>窗口</source>
        <translation>Window</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="91"/>
        <source>工作人员</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="92"/>
        <source>时段</source>
        <translation>Hour</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="93"/>
        <source>星期</source>
        <translation>Weekday</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="96"/>
        <source>取号</source>
        <translation>Issued</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="102"/>
        <source>平均等候</source>
        <translation>Mean wait</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="103"/>
        <source>等候中位</source>
        <translation>Median wait</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="104"/>
        <source>等候P90</source>
        <translation>Wait P90</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="105"/>
        <source>最长等候</source>
        <translation>Longest wait</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="106"/>
        <source>服务水平</source>
        <translation>Service level</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="107"/>
        <source>平均办理</source>
        <translation>Mean service</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="108"/>
        <source>办理P90</source>
        <translation>Service P90</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="112"/>
        <source>等候人次</source>
        <translation>Waits</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="113"/>
        <source>办理人次</source>
        <translation>Services</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="114"/>
        <source>办理中位</source>
        <translation>Median service</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="115"/>
        <source>最长办理</source>
        <translation>Longest service</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="116"/>
        <source>已评价</source>
        <translation>Rated</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="118"/>
        <source>未参评</source>
        <translation>Never rated</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="123"/>
        <source>办理结果（{dimension}）</source>
        <translation>Outcomes ({dimension})</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="124"/>
        <source>已办理总数</source>
        <translation>Served</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="126"/>
        <source>办结</source>
        <comment>outcome</comment>
        <translation>Completed</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="127"/>
        <source>受理</source>
        <comment>outcome</comment>
        <translation>Accepted</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="128"/>
        <source>材料不全</source>
        <comment>outcome</comment>
        <translation>Materials missing</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="129"/>
        <source>咨询</source>
        <comment>outcome</comment>
        <translation>Consultation</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="131"/>
        <source>满意度（好差评）</source>
        <translation>Satisfaction (ratings)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="132"/>
        <source>评价</source>
        <translation>Rating</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="134"/>
        <source>非常满意</source>
        <translation>Very satisfied</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="135"/>
        <source>满意</source>
        <translation>Satisfied</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="136"/>
        <source>基本满意</source>
        <translation>Fairly satisfied</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="137"/>
        <source>不满意</source>
        <translation>Dissatisfied</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="138"/>
        <source>非常不满意</source>
        <translation>Very dissatisfied</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="117"/>
        <location filename="../../counter_app/supervisor/report_text.py" line="140"/>
        <source>未评价</source>
        <translation>Not rated</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="142"/>
        <source>{title}（秒）</source>
        <translation>{title} (seconds)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="143"/>
        <source>等候与办理时长（秒）</source>
        <translation>Waiting and service times (seconds)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="144"/>
        <source>取号热力图（星期 × 时段）</source>
        <translation>Tickets issued (weekday × hour)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="145"/>
        <source>{hour:02d}时</source>
        <translation>{hour:02d}:00</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="147"/>
        <source>周一</source>
        <translation>Mon</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="148"/>
        <source>周二</source>
        <translation>Tue</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="149"/>
        <source>周三</source>
        <translation>Wed</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="150"/>
        <source>周四</source>
        <translation>Thu</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="151"/>
        <source>周五</source>
        <translation>Fri</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="152"/>
        <source>周六</source>
        <translation>Sat</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="153"/>
        <source>周日</source>
        <translation>Sun</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="156"/>
        <source>普通</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="157"/>
        <source>绿色通道</source>
        <translation>Green channel</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="158"/>
        <source>预约</source>
        <translation>Appointment</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="160"/>
        <source>各时段取号量</source>
        <translation>Tickets issued per hour</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="161"/>
        <source>各业务等候时间（分钟）：蓝 平均，橙 P90</source>
        <translation>Wait per service (minutes): blue mean, orange P90</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="163"/>
        <source>本期无等候记录</source>
        <translation>No waits in this period</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="164"/>
        <source>（{part}/{parts}）</source>
        <translation> ({part}/{parts})</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="165"/>
        <source>注：过长的业务名称在图中以“…”截短，全名见“按业务”表。</source>
        <translation>Note: service names too long for the chart are shortened with “…”; the full names are in the By service table.</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="167"/>
        <source>取号热力图（星期 × 时段，颜色越深越忙）</source>
        <translation>Tickets issued (weekday × hour, darker is busier)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/report_text.py" line="169"/>
        <source>评价分布</source>
        <translation>Ratings</translation>
    </message>
</context>
<context>
    <name>StaffingPanel</name>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="51"/>
        <source>生成排班建议</source>
        <translation>Make the plan</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="56"/>
        <source>导出 Excel</source>
        <translation>Export Excel</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="59"/>
        <source>周一日期</source>
        <translation>Week of (Monday)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="62"/>
        <source>查看</source>
        <translation>Show</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="72"/>
        <source>每半小时需要的窗口数</source>
        <translation>Windows needed per half-hour</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="76"/>
        <source>时段</source>
        <translation>Half-hour</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="76"/>
        <source>业务</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="76"/>
        <source>每小时到达</source>
        <translation>Arrivals per hour</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="76"/>
        <source>建议窗口</source>
        <translation>Windows</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="77"/>
        <source>预计服务水平</source>
        <translation>Expected service level</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="77"/>
        <source>平均等候（分钟）</source>
        <translation>Mean wait (min)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="77"/>
        <source>现有窗口</source>
        <translation>Serving windows</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="83"/>
        <source>按 Erlang C 公式，依据所选周之前四周的取号记录计算；各业务分别计算，综合窗口共用时合计数偏多。</source>
        <translation>Erlang C on the four weeks of tickets before the chosen week, each service on its own: where comprehensive windows are shared, the total is too high.</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="100"/>
        <source>周一</source>
        <translation>Mon</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="100"/>
        <source>周二</source>
        <translation>Tue</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="100"/>
        <source>周三</source>
        <translation>Wed</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="100"/>
        <source>周四</source>
        <translation>Thu</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="101"/>
        <source>周五</source>
        <translation>Fri</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="101"/>
        <source>周六</source>
        <translation>Sat</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="101"/>
        <source>周日</source>
        <translation>Sun</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="106"/>
        <source>所选周之前没有取号记录，无法排班</source>
        <translation>No tickets in the weeks before: no plan</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="109"/>
        <source>{week} 起一周：共需 {hours} 窗口小时（各业务合计），{short} 个时段窗口不足；目标：{goal} 的群众在时限内叫号</source>
        <translation>Week of {week}: {hours} window-hours (all services), {short} half-hours short of windows; goal: {goal} called within the target</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="123"/>
        <source>建议窗口数</source>
        <translation>Windows needed</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="124"/>
        <source>本站点窗口数</source>
        <translation>Windows at the site</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/staffing_panel.py" line="134"/>
        <source>需要的窗口多于办理该业务的窗口</source>
        <translation>More windows needed than serve this service</translation>
    </message>
</context>
<context>
    <name>StatsPanel</name>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="160"/>
        <source>概览</source>
        <translation>Overview</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="180"/>
        <source>导出 PDF</source>
        <translation>Export PDF</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="180"/>
        <source>导出 Excel</source>
        <translation>Export Excel</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="181"/>
        <source>导出 CSV</source>
        <translation>Export CSV</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="194"/>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="261"/>
        <source>取号</source>
        <translation>Issued</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="157"/>
        <source>正在统计今天的数据……</source>
        <translation>Computing today&apos;s figures…</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="163"/>
        <source>月度通报：</source>
        <translation>Monthly bulletin:</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="171"/>
        <source>生成月度通报 PDF</source>
        <translation>Monthly bulletin (PDF)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="172"/>
        <source>生成月度通报 Excel</source>
        <translation>Monthly bulletin (Excel)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="194"/>
        <source>已办理</source>
        <translation>Served</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="195"/>
        <source>过号</source>
        <translation>No-show</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="195"/>
        <source>平均等候(分)</source>
        <translation>Mean wait (min)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="196"/>
        <source>等候P90(分)</source>
        <translation>Wait P90 (min)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="196"/>
        <source>服务水平</source>
        <translation>Service level</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="197"/>
        <source>一次办结率</source>
        <translation>One-visit share</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="197"/>
        <source>满意率</source>
        <translation>Satisfaction</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="200"/>
        <source>各时段取号量</source>
        <translation>Tickets issued per hour</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="201"/>
        <source>各业务平均等候（分钟）</source>
        <translation>Mean wait per service (min)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="202"/>
        <source>取号热力图（星期 × 时段）</source>
        <translation>Tickets issued (weekday × hour)</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="203"/>
        <source>评价分布</source>
        <translation>Ratings</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="215"/>
        <source>正在统计……</source>
        <translation>Computing statistics…</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/stats_panel.py" line="233"/>
        <source>%1 · %2 至 %3</source>
        <translation>%1 · %2 to %3</translation>
    </message>
</context>
<context>
    <name>SupervisorWindow</name>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="76"/>
        <source>HallQueue 主管视图 — %1</source>
        <translation>HallQueue supervisor view — %1</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="97"/>
        <source>数据库连接中断，正在自动重连……显示的是断开前的数据，操作已停用。</source>
        <translation>The database connection was lost; reconnecting automatically… The figures shown are from before the loss; actions are disabled.</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="120"/>
        <source>实时</source>
        <translation>Live</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="121"/>
        <location filename="../../counter_app/supervisor/window.py" line="282"/>
        <source>统计</source>
        <translation>Statistics</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="124"/>
        <source>差评回访</source>
        <translation>Follow-ups</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="125"/>
        <source>设备</source>
        <translation>Devices</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="128"/>
        <source>预计等候准确度</source>
        <translation>Wait estimate accuracy</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="132"/>
        <source>排班建议</source>
        <translation>Staffing plan</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="147"/>
        <source>提醒：排队超过</source>
        <translation>Alert when more than</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="149"/>
        <source>人，或窗口暂停超过</source>
        <translation>waiting, or a window paused over</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="151"/>
        <source>分钟；等候超过业务目标时间亦提醒</source>
        <translation>min; also when a wait exceeds its service target</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="271"/>
        <source>统计未完成。</source>
        <translation>The statistics did not finish.</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="284"/>
        <source>导出报表</source>
        <translation>Export report</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="297"/>
        <source>月度通报</source>
        <translation>Monthly bulletin</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="298"/>
        <source>生成月度通报</source>
        <translation>Write the monthly bulletin</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="308"/>
        <source>已导出：%1</source>
        <translation>Exported: %1</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="353"/>
        <source>导出排班建议</source>
        <translation>Export the staffing plan</translation>
    </message>
    <message>
        <location filename="../../counter_app/supervisor/window.py" line="398"/>
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
