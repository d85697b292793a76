<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>DepartmentScreen</name>
    <message>
        <location filename="../../kiosk_app/screens.py" line="161"/>
        <source>‹ 返回</source>
        <translation>‹ Back</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="170"/>
        <source>请选择要办理的业务</source>
        <translation>Choose a service</translation>
    </message>
</context>
<context>
    <name>GuideScreen</name>
    <message>
        <location filename="../../kiosk_app/screens.py" line="213"/>
        <source>‹ 返回</source>
        <translation>‹ Back</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="215"/>
        <source>材料已知晓，取号</source>
        <translation>I understand, take a number</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="231"/>
        <source>请带齐以下材料（一次性告知）：</source>
        <translation>Please bring all of these documents:</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="236"/>
        <source>本业务无需准备材料，带上身份证即可。</source>
        <translation>No documents needed; just bring your ID card.</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="239"/>
        <source>办理窗口：{windows}</source>
        <translation>Served at: {windows}</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <location filename="../../kiosk_app/widgets.py" line="142"/>
        <source>清空</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/widgets.py" line="142"/>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
</context>
<context>
    <name>KeypadScreen</name>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="45"/>
        <source>‹ 返回</source>
        <translation>‹ Back</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="47"/>
        <source>确认</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>KioskPin</name>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="101"/>
        <source>工作人员验证</source>
        <translation>Staff check</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="102"/>
        <source>请输入工作人员密码</source>
        <translation>Enter the staff PIN</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="103"/>
        <source>请输入管理员密码</source>
        <translation>Enter the admin PIN</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="105"/>
        <source>退出全屏</source>
        <translation>Leave full screen</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="106"/>
        <source>关闭取号机</source>
        <translation>Close the kiosk</translation>
    </message>
</context>
<context>
    <name>KioskScreens</name>
    <message>
        <location filename="../../kiosk_app/screens.py" line="49"/>
        <source>可取号</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="50"/>
        <location filename="../../kiosk_app/screens.py" line="60"/>
        <source>暂停取号</source>
        <translation>Issuing paused</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="57"/>
        <source>{n} 项业务    等候 {w} 人</source>
        <translation>{n} services    {w} waiting</translation>
    </message>
</context>
<context>
    <name>KioskTexts</name>
    <message>
        <location filename="../../kiosk_app/texts.py" line="29"/>
        <source>等候 {n} 人</source>
        <translation>{n} waiting</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/texts.py" line="38"/>
        <source>暂无预计</source>
        <translation>not known yet</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/texts.py" line="41"/>
        <source>约 {n} 分钟内</source>
        <translation>within about {n} min</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/texts.py" line="42"/>
        <source>约 {low}–{high} 分钟</source>
        <translation>about {low}–{high} min</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/texts.py" line="45"/>
        <source>无需等候</source>
        <translation>no wait</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/texts.py" line="46"/>
        <source>约 {n} 分钟</source>
        <translation>about {n} min</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/texts.py" line="51"/>
        <source>今日号源已取完，请明天再来</source>
        <translation>Today&apos;s numbers are all taken; please come back tomorrow</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/texts.py" line="53"/>
        <source>暂停取号</source>
        <translation>Issuing paused</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/texts.py" line="63"/>
        <source>目前无人等候</source>
        <translation>Nobody waiting</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/texts.py" line="64"/>
        <source>预计等候：{estimate}</source>
        <translation>Expected wait: {estimate}</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/texts.py" line="72"/>
        <source>前面没有人等候</source>
        <translation>Nobody is ahead of you</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/texts.py" line="73"/>
        <source>前面还有 {n} 人</source>
        <translation>{n} ahead of you</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/texts.py" line="78"/>
        <source>{windows} 号窗口</source>
        <translation>window {windows}</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <location filename="../../kiosk_app/window.py" line="72"/>
        <source>取号机</source>
        <translation>Ticket kiosk</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/window.py" line="179"/>
        <source>预约签到</source>
        <translation>Appointment check-in</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/window.py" line="180"/>
        <source>请输入短信中的预约码，然后点“确认”</source>
        <translation>Enter the appointment code from your text message, then tap OK</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/window.py" line="185"/>
        <source>密码不正确，请重新输入</source>
        <translation>Wrong PIN, please try again</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/window.py" line="194"/>
        <source>如需帮助，请到导服台咨询工作人员。</source>
        <translation>For help, please ask the staff at the guide desk.</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/window.py" line="196"/>
        <source>暂时无法取号</source>
        <translation>Cannot issue numbers right now</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/window.py" line="197"/>
        <source>无法取号</source>
        <translation>No number issued</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/window.py" line="198"/>
        <source>补打完成</source>
        <translation>Reprinted</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/window.py" line="199"/>
        <source>补打失败</source>
        <translation>Reprint failed</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/window.py" line="200"/>
        <source>系统出错</source>
        <translation>System error</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/window.py" line="203"/>
        <source>凭条 {number} 已打印</source>
        <translation>Slip {number} printed</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/window.py" line="205"/>
        <source>未取号，请稍后再试。</source>
        <translation>No number was issued; please try again later.</translation>
    </message>
</context>
<context>
    <name>NoticeScreen</name>
    <message>
        <location filename="../../kiosk_app/screens.py" line="328"/>
        <source>返回</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="339"/>
        <source>{n} 秒后自动返回首页</source>
        <translation>Back to the start in {n} s</translation>
    </message>
</context>
<context>
    <name>PausedScreen</name>
    <message>
        <location filename="../../kiosk_app/screens.py" line="353"/>
        <location filename="../../kiosk_app/screens.py" line="370"/>
        <source>暂停取号</source>
        <translation>Issuing paused</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="358"/>
        <source>重新开始</source>
        <translation>Start over</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="364"/>
        <source>正在连接取号系统，请稍候……</source>
        <translation>Connecting to the queue system, please wait…</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="365"/>
        <source>取号系统连接中断，正在自动恢复，请稍候。恢复后即可继续取号；如需帮助，请到导服台。</source>
        <translation>The queue system is unreachable and reconnecting by itself. Numbers resume as soon as it is back; for help, please go to the guide desk.</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="367"/>
        <source>网络中断，正在确认刚才的取号结果，请稍候，不会重复取号。如长时间没有结果，请点“重新开始”或到导服台。</source>
        <translation>The network dropped; checking whether your number was issued. Please wait, you will not get a second one. If nothing happens for a while, tap “Start over” or ask at the guide desk.</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="370"/>
        <source>请稍候</source>
        <translation>Please wait</translation>
    </message>
</context>
<context>
    <name>ResultScreen</name>
    <message>
        <location filename="../../kiosk_app/screens.py" line="265"/>
        <source>您的号码</source>
        <translation>Your number is</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="277"/>
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="284"/>
        <source>绿色通道</source>
        <translation>Priority (green channel)</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="284"/>
        <source>预约签到成功</source>
        <translation>Checked in</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="285"/>
        <source>取号成功</source>
        <translation>Number issued</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="288"/>
        <source>请留意叫号，到 {windows}办理</source>
        <translation>Please wait for your call at {windows}</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="292"/>
        <source>，预计等候{estimate}</source>
        <translation>, expected wait {estimate}</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="296"/>
        <source>请取走下方打印的凭条</source>
        <translation>Please take your printed slip below</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="297"/>
        <source>凭条未能打印。请记住您的号码，并请工作人员为您补打凭条。</source>
        <translation>The slip could not be printed. Please remember your number and ask staff to reprint it.</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="299"/>
        <source>请记住您的号码，留意叫号屏和语音叫号</source>
        <translation>Please remember your number and watch the call screen</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="308"/>
        <source>{n} 秒后自动返回首页</source>
        <translation>Back to the start in {n} s</translation>
    </message>
</context>
<context>
    <name>StaffScreen</name>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="120"/>
        <source>工作人员模式</source>
        <translation>Staff mode</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="126"/>
        <source>绿色通道取号（老年人、残疾人、孕妇、军人等）</source>
        <translation>Priority numbers (elderly, disabled, pregnant, military)</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="131"/>
        <source>待补打的凭条</source>
        <translation>Slips to reprint</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="139"/>
        <source>退出工作人员模式</source>
        <translation>Leave staff mode</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="140"/>
        <source>退出全屏</source>
        <translation>Leave full screen</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="141"/>
        <source>关闭取号机</source>
        <translation>Close the kiosk</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="161"/>
        <source>正在查询……</source>
        <translation>Looking up…</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="163"/>
        <source>今天没有需要补打的凭条</source>
        <translation>No slips to reprint today</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/keypad_screens.py" line="165"/>
        <source>补打  {number}  {service}  {time}</source>
        <translation>Reprint  {number}  {service}  {time}</translation>
    </message>
</context>
<context>
    <name>StartScreen</name>
    <message>
        <location filename="../../kiosk_app/screens.py" line="115"/>
        <source>预约签到</source>
        <translation>Appointment check-in</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="119"/>
        <source>工作人员</source>
        <translation>Staff</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="135"/>
        <source>请选择要办理的业务</source>
        <translation>Choose a service</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="136"/>
        <source>点一下业务名称，查看需要带的材料并取号</source>
        <translation>Tap a service to see what to bring and take a number</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="144"/>
        <source>请选择办事部门</source>
        <translation>Choose a department</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/screens.py" line="145"/>
        <source>点一下部门名称，再选择具体业务</source>
        <translation>Tap a department, then choose the service</translation>
    </message>
</context>
</TS>
