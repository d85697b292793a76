<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ErrorPresenter</name>
    <message>
        <location filename="../../shared/qt/errors.py" line="22"/>
        <source>无法连接数据库</source>
        <translation>Cannot reach the database</translation>
    </message>
    <message>
        <location filename="../../shared/qt/errors.py" line="23"/>
        <source>本终端的数据库账号无此权限</source>
        <translation>This terminal&apos;s database login may not do this</translation>
    </message>
    <message>
        <location filename="../../shared/qt/errors.py" line="24"/>
        <source>无法执行此操作</source>
        <translation>This cannot be done</translation>
    </message>
    <message>
        <location filename="../../shared/qt/errors.py" line="25"/>
        <source>输入有误</source>
        <translation>Invalid input</translation>
    </message>
    <message>
        <location filename="../../shared/qt/errors.py" line="26"/>
        <source>操作未完成</source>
        <translation>Not done</translation>
    </message>
    <message>
        <location filename="../../shared/qt/errors.py" line="28"/>
        <source>请联系信息科：本终端配置中的数据库账号类型与其用途不符。</source>
        <translation>Please contact IT: the database login in this terminal&apos;s configuration is not the one for its kind of terminal.</translation>
    </message>
    <message>
        <location filename="../../shared/qt/errors.py" line="30"/>
        <source>程序出错</source>
        <translation>Program error</translation>
    </message>
    <message>
        <location filename="../../shared/qt/errors.py" line="31"/>
        <source>发生了意外错误，已记录到日志。请重试；如反复出现，请联系信息科。</source>
        <translation>An unexpected error occurred and was written to the log. Please try again; if it keeps happening, contact IT.</translation>
    </message>
</context>
<context>
    <name>Report</name>
    <message>
        <location filename="../../shared/reports/text.py" line="22"/>
        <source>按业务</source>
        <translation>By service</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="23"/>
        <source>按部门</source>
        <translation>By department</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="24"/>
        <source>按窗口</source>
        <translation>By window</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="25"/>
        <source>按工作人员</source>
        <translation>By clerk</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="26"/>
        <source>按时段（取号时刻）</source>
        <translation>By hour (of issue)</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="27"/>
        <source>按星期</source>
        <translation>By weekday</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="33"/>
        <source>业务</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="34"/>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="35"/>
        <source>窗口</source>
        <translation>Window</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="36"/>
        <source>工作人员</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="37"/>
        <source>时段</source>
        <translation>Hour</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="38"/>
        <source>星期</source>
        <translation>Weekday</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="44"/>
        <source>取号（票数）</source>
        <translation>Issued (tickets)</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="45"/>
        <location filename="../../shared/reports/text.py" line="77"/>
        <source>转入</source>
        <translation>Transferred in</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="46"/>
        <location filename="../../shared/reports/text.py" line="78"/>
        <source>已办理</source>
        <translation>Served</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="47"/>
        <location filename="../../shared/reports/text.py" line="79"/>
        <source>转出</source>
        <translation>Transferred out</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="48"/>
        <location filename="../../shared/reports/text.py" line="80"/>
        <source>过号</source>
        <translation>No-shows</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="49"/>
        <location filename="../../shared/reports/text.py" line="81"/>
        <source>取消</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="50"/>
        <location filename="../../shared/reports/text.py" line="90"/>
        <source>过期未办</source>
        <translation>Expired</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="51"/>
        <location filename="../../shared/reports/text.py" line="91"/>
        <source>进行中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="52"/>
        <location filename="../../shared/reports/text.py" line="168"/>
        <source>未参评（办理后无评价）</source>
        <translation>Never rated (served, no evaluation)</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="53"/>
        <source>未评价（评价未选等级）</source>
        <translation>Not rated (evaluation saved without a level)</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="54"/>
        <source>应评价（按办件）</source>
        <translation>Ratings due (one per case)</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="55"/>
        <location filename="../../shared/reports/text.py" line="102"/>
        <source>回访未结</source>
        <translation>Follow-ups open</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="56"/>
        <location filename="../../shared/reports/text.py" line="103"/>
        <source>回访已结</source>
        <translation>Follow-ups closed</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="57"/>
        <source>应回访差评（未申诉）</source>
        <translation>Follow-ups due (not appealed)</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="58"/>
        <source>已回访</source>
        <translation>Contacted</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="59"/>
        <source>已整改</source>
        <translation>Rectified</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="65"/>
        <source>服务水平（目标时间内叫号）</source>
        <translation>Service level (called within target)</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="66"/>
        <source>一次办结率</source>
        <translation>One-visit share</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="67"/>
        <location filename="../../shared/reports/text.py" line="89"/>
        <source>满意率</source>
        <translation>Satisfaction</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="68"/>
        <location filename="../../shared/reports/text.py" line="101"/>
        <source>评价覆盖率</source>
        <translation>Rating coverage</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="69"/>
        <source>回访率</source>
        <translation>Return-visit rate</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="70"/>
        <source>整改率</source>
        <translation>Rectification rate</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="76"/>
        <source>取号</source>
        <translation>Issued</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="82"/>
        <source>平均等候</source>
        <translation>Mean wait</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="83"/>
        <source>等候中位</source>
        <translation>Median wait</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="84"/>
        <source>等候P90</source>
        <translation>Wait P90</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="85"/>
        <source>最长等候</source>
        <translation>Longest wait</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="86"/>
        <source>服务水平</source>
        <translation>Service level</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="87"/>
        <source>平均办理</source>
        <translation>Mean service</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="88"/>
        <source>办理P90</source>
        <translation>Service P90</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="92"/>
        <source>等候人次</source>
        <translation>Waits</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="93"/>
        <source>办理人次</source>
        <translation>Services</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="94"/>
        <source>办理中位</source>
        <translation>Median service</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="95"/>
        <source>最长办理</source>
        <translation>Longest service</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="96"/>
        <source>已评价</source>
        <translation>Rated</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="97"/>
        <source>未评价</source>
        <translation>Not rated</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="98"/>
        <source>未参评</source>
        <translation>Never rated</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="99"/>
        <source>应评价</source>
        <translation>Ratings due</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="100"/>
        <source>已申诉</source>
        <translation>Appealed</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="112"/>
        <source>HallQueue 统计报表</source>
        <translation>HallQueue statistics report</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="113"/>
        <source>排队叫号统计报表</source>
        <translation>Queue statistics report</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="114"/>
        <source>统计口径：取号为发出的号数；已办理为办理结束的人次（不论结果），办结是办理结果之一，一次办结率 = 结果为办结的人次 ÷ 已办理人次；等候时间自进入队列起至引致办理的那次叫号，转办的每一段分别计算；办理时长自开始办理至办理结束；服务水平 = 在业务目标时间内叫号的人次 ÷ 有等候时间的人次；满意率 =（非常满意 + 满意）÷ 已评价数；评价覆盖率 = 已评价数 ÷ 应评价数，评价按办件计（一次一评：登记了办件编号的每个办件一次，未登记的每人次一次）；回访率 = 已回访的差评 ÷ 应回访的差评（未申诉的不满意、非常不满意），整改率 = 已整改的差评 ÷ 应回访的差评；中位数与 P90 采用最近秩法，取实测值。</source>
        <translation>Definitions: issued = numbers given out; served = visits whose service ended, whatever the outcome; completed is one of the outcomes, and the one-visit share = visits completed ÷ visits served. Waiting time runs from arrival in the queue to the call that led to service, counted separately for each stay of a transferred case; service time runs from the start of service to its end; service level = visits called within the service&apos;s target time ÷ visits with a waiting time; satisfaction rate = (very satisfied + satisfied) ÷ ratings; evaluation coverage = ratings ÷ ratings due, ratings counted per case (one rating per case: once per case number entered, once per visit without one); return-visit rate = bad ratings contacted ÷ bad ratings due for a follow-up (dissatisfied and very dissatisfied, not appealed); rectification rate = bad ratings rectified ÷ bad ratings due for a follow-up. Medians and P90 use the nearest-rank method and are always measured values.</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="123"/>
        <source>报表说明</source>
        <translation>About this report</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="124"/>
        <source>图表</source>
        <translation>Charts</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="125"/>
        <source>本期无数据</source>
        <translation>No data in this period</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="126"/>
        <source>第 {page} 页</source>
        <translation>Page {page}</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="127"/>
        <source>HallQueue 排队叫号系统</source>
        <translation>HallQueue queue management</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="129"/>
        <source>站点</source>
        <translation>Site</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="130"/>
        <source>{name}（{code}）</source>
        <translation>{name} ({code})</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="131"/>
        <source>全部站点</source>
        <translation>All sites</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="132"/>
        <source>日期范围</source>
        <translation>Date range</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="133"/>
        <source>{start} 至 {end}</source>
        <translation>{start} to {end}</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="134"/>
        <source>时区</source>
        <translation>Time zone</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="135"/>
        <source>票类型</source>
        <translation>Ticket kind</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="136"/>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="137"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="138"/>
        <source>生成时间</source>
        <translation>Generated</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="140"/>
        <source>总体数量</source>
        <translation>Totals</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="141"/>
        <source>指标</source>
        <translation>Measure</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="142"/>
        <source>数量</source>
        <translation>Count</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="144"/>
        <source>等候与办理时长（分钟）</source>
        <translation>Wait and service (minutes)</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="145"/>
        <source>时长</source>
        <translation>Duration</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="146"/>
        <source>人次</source>
        <translation>Count</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="147"/>
        <source>平均</source>
        <translation>Mean</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="148"/>
        <source>中位数</source>
        <translation>Median</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="149"/>
        <source>P90</source>
        <translation>P90</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="150"/>
        <source>最长</source>
        <translation>Longest</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="151"/>
        <source>等候</source>
        <translation>Wait</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="152"/>
        <source>办理</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="153"/>
        <location filename="../../shared/reports/text.py" line="154"/>
        <source>比率</source>
        <translation>Shares</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="160"/>
        <source>办理结果（{dimension}）</source>
        <translation>Outcomes ({dimension})</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="161"/>
        <source>已办理总数</source>
        <translation>Served</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="164"/>
        <source>满意度（好差评）</source>
        <translation>Satisfaction (ratings)</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="165"/>
        <source>评价</source>
        <translation>Rating</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="170"/>
        <source>{title}（秒）</source>
        <translation>{title} (seconds)</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="171"/>
        <source>等候与办理时长（秒）</source>
        <translation>Waiting and service times (seconds)</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="172"/>
        <source>取号热力图（星期 × 时段）</source>
        <translation>Tickets issued (weekday × hour)</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="173"/>
        <source>{hour:02d}时</source>
        <translation>{hour:02d}:00</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="178"/>
        <source>各时段取号量</source>
        <translation>Tickets issued per hour</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="179"/>
        <source>各业务等候时间（分钟）：蓝 平均，橙 P90</source>
        <translation>Wait per service (minutes): blue mean, orange P90</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="180"/>
        <source>本期无等候记录</source>
        <translation>No waits in this period</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="181"/>
        <source>（{part}/{parts}）</source>
        <translation> ({part}/{parts})</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="182"/>
        <source>注：过长的业务名称在图中以“…”截短，全名见“按业务”表。</source>
        <translation>Note: service names too long for the chart are shortened with “…”; the full names are in the By service table.</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="184"/>
        <source>取号热力图（星期 × 时段，颜色越深越忙）</source>
        <translation>Tickets issued (weekday × hour, darker is busier)</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="185"/>
        <source>评价分布</source>
        <translation>Ratings</translation>
    </message>
</context>
<context>
    <name>StartupError</name>
    <message>
        <location filename="../../shared/qt/app.py" line="91"/>
        <source>配置有误</source>
        <translation>configuration error</translation>
    </message>
</context>
<context>
    <name>Vocabulary</name>
    <message>
        <location filename="../../shared/vocabulary.py" line="20"/>
        <source>等候中</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="21"/>
        <source>已叫号</source>
        <translation>Called</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="22"/>
        <source>办理中</source>
        <translation>Serving</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="23"/>
        <source>已办理</source>
        <translation>Finished</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="24"/>
        <source>过号</source>
        <translation>No-show</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="25"/>
        <location filename="../../shared/vocabulary.py" line="42"/>
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="26"/>
        <source>已过期</source>
        <translation>Expired</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="29"/>
        <source>普通</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="30"/>
        <source>绿色通道</source>
        <translation>Green channel</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="31"/>
        <source>预约</source>
        <translation>Appointment</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="34"/>
        <source>办结</source>
        <translation>Completed</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="35"/>
        <source>受理</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="36"/>
        <source>材料不全</source>
        <translation>Materials missing</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="37"/>
        <source>咨询</source>
        <translation>Consultation</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="40"/>
        <source>已预约</source>
        <translation>booked</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="41"/>
        <source>已签到</source>
        <translation>checked in</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="46"/>
        <source>非常满意</source>
        <translation>Very satisfied</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="47"/>
        <source>满意</source>
        <translation>Satisfied</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="48"/>
        <source>基本满意</source>
        <translation>Fairly satisfied</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="49"/>
        <source>不满意</source>
        <translation>Dissatisfied</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="50"/>
        <source>非常不满意</source>
        <translation>Very dissatisfied</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="52"/>
        <source>未评价</source>
        <translation>Not rated</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="55"/>
        <source>周一</source>
        <translation>Mon</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="55"/>
        <source>周二</source>
        <translation>Tue</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="56"/>
        <source>周三</source>
        <translation>Wed</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="56"/>
        <source>周四</source>
        <translation>Thu</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="57"/>
        <source>周五</source>
        <translation>Fri</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="57"/>
        <source>周六</source>
        <translation>Sat</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="58"/>
        <source>周日</source>
        <translation>Sun</translation>
    </message>
</context>
</TS>
