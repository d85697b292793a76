<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>Cli</name>
    <message>
        <location filename="../../kiosk_app/main.py" line="34"/>
        <source>取号机</source>
        <translation>The ticket kiosk</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/main.py" line="36"/>
        <source>凭条打印机，如 tcp://192.168.1.50:9100（优先于 kiosk.printer；none 表示不接打印机）</source>
        <translation>ticket printer, e.g. tcp://192.168.1.50:9100 (overrides kiosk.printer; none for no printer)</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/main.py" line="40"/>
        <source>raster（任何打印机）或 text（带 GB18030 字库的打印机）</source>
        <translation>raster (any printer) or text (printers with GB18030 fonts)</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/main.py" line="43"/>
        <source>纸宽（毫米）</source>
        <translation>paper width in mm</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/main.py" line="45"/>
        <source>屏幕布局（默认：kiosk.orientation）</source>
        <translation>screen layout (default: kiosk.orientation)</translation>
    </message>
</context>
<context>
    <name>CountdownBar</name>
    <message>
        <location filename="../../kiosk_app/widgets.py" line="395"/>
        <source>延长时间</source>
        <translation>More time</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/widgets.py" line="406"/>
        <source>{n} 秒后自动返回首页</source>
        <translation>Back to the start in {n} s</translation>
    </message>
</context>
<context>
    <name>DepartmentScreen</name>
    <message>
        <location filename="../../kiosk_app/screens.py" line="277"/>
        <source>‹ 返回</source>
        <translation>‹ Back</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="286"/>
        <source>请选择要办理的业务</source>
        <translation>Choose a service</translation>
    </message>
</context>
<context>
    <name>GuideScreen</name>
    <message>
        <location filename="../../kiosk_app/screens.py" line="331"/>
        <source>‹ 返回</source>
        <translation>‹ Back</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="333"/>
        <source>材料已知晓，取号</source>
        <translation>I understand, take a number</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="465"/>
        <source>请带齐以下材料（一次性告知）：</source>
        <translation>Please bring all of these documents:</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="470"/>
        <location filename="../../kiosk_app/screens.py" line="503"/>
        <source>本业务无需准备材料，带上身份证即可。</source>
        <translation>No documents needed; just bring your ID card.</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="477"/>
        <source>办理窗口：{windows}</source>
        <translation>Served at: {windows}</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="492"/>
        <source>常缺</source>
        <translation>Often missing</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="499"/>
        <source>请带齐以下材料：</source>
        <translation>Please bring:</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="500"/>
        <source>，常缺，请特别留意</source>
        <translation>, often missing: please take special care</translation>
    </message>
</context>
<context>
    <name>Header</name>
    <message>
        <location filename="../../kiosk_app/widgets.py" line="330"/>
        <location filename="../../kiosk_app/widgets.py" line="356"/>
        <source>语音引导</source>
        <translation>Read aloud</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/widgets.py" line="336"/>
        <source>一键求助</source>
        <translation>Call for help</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/widgets.py" line="356"/>
        <source>关闭语音</source>
        <translation>Stop reading</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <location filename="../../kiosk_app/widgets.py" line="429"/>
        <source>清空</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/widgets.py" line="429"/>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
</context>
<context>
    <name>KeypadScreen</name>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="51"/>
        <source>‹ 返回</source>
        <translation>‹ Back</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="53"/>
        <source>确认</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>KioskPin</name>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="107"/>
        <source>工作人员验证</source>
        <translation>Staff check</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="108"/>
        <source>请输入工作人员密码</source>
        <translation>Enter the staff PIN</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="109"/>
        <source>请输入管理员密码</source>
        <translation>Enter the admin PIN</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="111"/>
        <source>退出全屏</source>
        <translation>Leave full screen</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="112"/>
        <source>关闭取号机</source>
        <translation>Close the kiosk</translation>
    </message>
</context>
<context>
    <name>KioskScreens</name>
    <message>
        <location filename="../../kiosk_app/screens.py" line="91"/>
        <source>可取号</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="92"/>
        <location filename="../../kiosk_app/screens.py" line="109"/>
        <source>暂停取号</source>
        <translation>Issuing paused</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="96"/>
        <source>打印机故障</source>
        <translation>Printer fault</translation>
    </message>
</context>
<context>
    <name>KioskTexts</name>
    <message>
        <location filename="../../kiosk_app/texts.py" line="24"/>
        <source>暂无预计</source>
        <translation>not known yet</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/texts.py" line="27"/>
        <source>约 {n} 分钟内</source>
        <translation>within about {n} min</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/texts.py" line="28"/>
        <source>约 {low}–{high} 分钟</source>
        <translation>about {low}–{high} min</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/texts.py" line="31"/>
        <source>无需等候</source>
        <translation>no wait</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/texts.py" line="32"/>
        <source>约 {n} 分钟</source>
        <translation>about {n} min</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/texts.py" line="37"/>
        <source>今日号源已取完，请明天再来</source>
        <translation>Today&apos;s numbers are all taken; please come back tomorrow</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/texts.py" line="39"/>
        <location filename="../../kiosk_app/texts.py" line="96"/>
        <source>暂停取号</source>
        <translation>Issuing paused</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/texts.py" line="51"/>
        <source>目前无人等候</source>
        <translation>Nobody waiting</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/texts.py" line="52"/>
        <source>预计等候：{estimate}</source>
        <translation>Expected wait: {estimate}</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/texts.py" line="60"/>
        <source>前面没有人等候</source>
        <translation>Nobody is ahead of you</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/texts.py" line="62"/>
        <source>前面还有 {n} 人</source>
        <comment>one</comment>
        <translation>{n} person ahead of you</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/texts.py" line="63"/>
        <source>前面还有 {n} 人</source>
        <comment>many</comment>
        <translation>{n} people ahead of you</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/texts.py" line="74"/>
        <source>{windows} 号窗口</source>
        <comment>one</comment>
        <translation>window {windows}</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/texts.py" line="75"/>
        <source>{windows} 号窗口</source>
        <comment>many</comment>
        <translation>windows {windows}</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/texts.py" line="81"/>
        <source>等候 {n} 人</source>
        <translation>{n} waiting</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/texts.py" line="86"/>
        <source>{n} 项业务</source>
        <comment>one</comment>
        <translation>{n} service</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/texts.py" line="87"/>
        <source>{n} 项业务</source>
        <comment>many</comment>
        <translation>{n} services</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/texts.py" line="103"/>
        <source>今天 {time} 开始取号</source>
        <translation>Numbers from {time} today</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/texts.py" line="105"/>
        <source>明天 {time} 开始取号</source>
        <translation>Numbers from {time} tomorrow</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/texts.py" line="108"/>
        <source>{date} {time} 开始取号</source>
        <translation>Numbers from {date} {time}</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <location filename="../../kiosk_app/window.py" line="83"/>
        <source>取号机</source>
        <translation>Ticket kiosk</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/window.py" line="111"/>
        <source>本机暂不能语音播报，请到导服台</source>
        <translation>Voice guidance is not available here. Please ask at the guide desk</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/window.py" line="251"/>
        <source>预约签到</source>
        <translation>Appointment check-in</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/window.py" line="252"/>
        <source>请输入短信中的预约码，然后点“确认”</source>
        <translation>Enter the appointment code from your text message, then tap OK</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/window.py" line="260"/>
        <source>密码不正确，请重新输入</source>
        <translation>Wrong PIN, please try again</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/window.py" line="262"/>
        <source>密码不正确，请 {seconds} 秒后再试</source>
        <translation>Wrong PIN. Try again in {seconds} s</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/window.py" line="264"/>
        <source>错误次数过多，请 {seconds} 秒后再试</source>
        <translation>Too many wrong PINs. Try again in {seconds} s</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/window.py" line="266"/>
        <source>错误次数过多，已锁定：请输入管理员密码或由信息科重启本机</source>
        <translation>Too many wrong PINs: locked. Enter the admin PIN, or IT restarts this kiosk</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/window.py" line="268"/>
        <source>本机未设置此密码：请信息科用 hallq-admin pin hash 生成并写入配置文件</source>
        <translation>No PIN is set on this kiosk: IT sets one with hallq-admin pin hash in its config file</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/window.py" line="279"/>
        <source>如需帮助，请到导服台咨询工作人员。</source>
        <translation>For help, please ask the staff at the guide desk.</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/window.py" line="281"/>
        <source>暂时无法取号</source>
        <translation>Cannot issue numbers right now</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/window.py" line="282"/>
        <source>无法取号</source>
        <translation>No number issued</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/window.py" line="283"/>
        <source>补打完成</source>
        <translation>Reprinted</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/window.py" line="284"/>
        <source>补打失败</source>
        <translation>Reprint failed</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/window.py" line="285"/>
        <source>系统出错</source>
        <translation>System error</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/window.py" line="286"/>
        <source>已呼叫工作人员</source>
        <translation>Staff are on their way</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/window.py" line="290"/>
        <source>凭条 {number} 已打印</source>
        <translation>Slip {number} printed</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/window.py" line="294"/>
        <source>请检查打印机的纸张、电源和连线，然后再点“补打”。</source>
        <translation>Check the printer&apos;s paper, power and cable, then tap “Reprint” again.</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/window.py" line="296"/>
        <source>未取号，请稍后再试。</source>
        <translation>No number was issued; please try again later.</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/window.py" line="298"/>
        <source>导服台工作人员马上过来，请在本机旁稍候。</source>
        <translation>Someone from the guide desk is coming. Please wait by this kiosk.</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/window.py" line="303"/>
        <source>本机暂时无法完成操作，请稍后再试。</source>
        <translation>This machine cannot do that right now. Please try again later.</translation>
    </message>
</context>
<context>
    <name>NoticeScreen</name>
    <message>
        <location filename="../../kiosk_app/screens.py" line="618"/>
        <source>返回</source>
        <translation>Back</translation>
    </message>
</context>
<context>
    <name>PausedScreen</name>
    <message>
        <location filename="../../kiosk_app/screens.py" line="647"/>
        <location filename="../../kiosk_app/screens.py" line="679"/>
        <source>暂停取号</source>
        <translation>Issuing paused</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="654"/>
        <source>重新开始</source>
        <translation>Start over</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="659"/>
        <source>本机暂不能取号，请到导服台。</source>
        <translation>This kiosk cannot issue numbers now. Please go to the guide desk.</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="661"/>
        <source>正在连接取号系统，请稍候……</source>
        <translation>Connecting to the queue system, please wait…</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="662"/>
        <source>取号系统连接中断，正在自动恢复，请稍候。恢复后即可继续取号；如需帮助，请到导服台。</source>
        <translation>The queue system is unreachable and reconnecting by itself. Numbers resume as soon as it is back; for help, please go to the guide desk.</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="664"/>
        <source>网络中断，正在确认刚才的取号结果，请稍候，不会重复取号。如长时间没有结果，请点“重新开始”或到导服台。</source>
        <translation>The network dropped; checking whether your number was issued. Please wait, you will not get a second one. If nothing happens for a while, tap “Start over” or ask at the guide desk.</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="672"/>
        <source>给工作人员：数据库未初始化，请 IT 运行 hallq-admin db upgrade</source>
        <translation>For staff: the database is not initialised; IT must run hallq-admin db upgrade</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="674"/>
        <source>给工作人员：数据库结构较旧，请 IT 运行 hallq-admin db upgrade</source>
        <translation>For staff: the database schema is older than this program; IT must run hallq-admin db upgrade</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="676"/>
        <source>给工作人员：数据库结构比本机程序新，请 IT 升级本机的 HallQueue</source>
        <translation>For staff: the database is newer than this program; IT must upgrade HallQueue on this PC</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="679"/>
        <source>请稍候</source>
        <translation>Please wait</translation>
    </message>
</context>
<context>
    <name>ResultScreen</name>
    <message>
        <location filename="../../kiosk_app/screens.py" line="520"/>
        <source>您的号码</source>
        <translation>Your number is</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="531"/>
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="575"/>
        <source>绿色通道</source>
        <translation>Priority (green channel)</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="575"/>
        <source>预约签到成功</source>
        <translation>Checked in</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="576"/>
        <source>取号成功</source>
        <translation>Number issued</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="579"/>
        <source>请留意叫号，到 {windows}办理</source>
        <translation>Please wait for your call at {windows}</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="583"/>
        <source>，预计等候{estimate}</source>
        <translation>, expected wait {estimate}</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="587"/>
        <source>请取走下方打印的凭条</source>
        <translation>Please take your printed slip below</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="588"/>
        <source>凭条未能打印。请记住您的号码，并请工作人员为您补打凭条。</source>
        <translation>The slip could not be printed. Please remember your number and ask staff to reprint it.</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="590"/>
        <source>请记住您的号码，留意叫号屏和语音叫号</source>
        <translation>Please remember your number and watch the call screen</translation>
    </message>
</context>
<context>
    <name>StaffScreen</name>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="128"/>
        <source>工作人员模式</source>
        <translation>Staff mode</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="134"/>
        <source>求助呼叫（一键求助）</source>
        <translation>Help calls</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="138"/>
        <source>绿色通道取号（老年人、残疾人、孕妇、军人等）</source>
        <translation>Priority numbers (elderly, disabled, pregnant, military)</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="143"/>
        <source>待补打的凭条</source>
        <translation>Slips to reprint</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="151"/>
        <source>退出工作人员模式</source>
        <translation>Leave staff mode</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="152"/>
        <source>退出全屏</source>
        <translation>Leave full screen</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="153"/>
        <source>关闭取号机</source>
        <translation>Close the kiosk</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="174"/>
        <location filename="../../kiosk_app/keypad_screens.py" line="206"/>
        <source>正在查询……</source>
        <translation>Looking up…</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="176"/>
        <source>今天没有需要补打的凭条</source>
        <translation>No slips to reprint today</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="178"/>
        <source>补打  {number}  {service}  {time}</source>
        <translation>Reprint  {number}  {service}  {time}</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="209"/>
        <source>没有待处理的求助</source>
        <translation>No open help calls</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="213"/>
        <source>{time}  {terminal} 呼叫工作人员</source>
        <translation>{time}  {terminal} called for help</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="215"/>
        <source>已处理</source>
        <translation>Done</translation>
    </message>
</context>
<context>
    <name>StartScreen</name>
    <message>
        <location filename="../../kiosk_app/screens.py" line="207"/>
        <source>预约签到</source>
        <translation>Appointment check-in</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="211"/>
        <source>工作人员</source>
        <translation>Staff</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="224"/>
        <source>{problem}暂时不能取号，请到导服台。</source>
        <translation>{problem} No numbers for now; please go to the guide desk.</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="252"/>
        <source>请选择要办理的业务</source>
        <translation>Choose a service</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="253"/>
        <source>点一下业务名称，查看需要带的材料并取号</source>
        <translation>Tap a service to see what to bring and take a number</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="260"/>
        <source>请选择办事部门</source>
        <translation>Choose a department</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="261"/>
        <source>点一下部门名称，再选择具体业务</source>
        <translation>Tap a department, then choose the service</translation>
    </message>
</context>
</TS>
