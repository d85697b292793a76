<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>Cli</name>
    <message>
        <location filename="../../counter_app/main.py" line="27"/>
        <source>柜台终端：窗口工作人员叫号办理，或窗口上方的窗口屏</source>
        <translation>The counter terminal: a clerk calls and serves at a window, or the window display above it</translation>
    </message>
    <message>
        <location filename="../../counter_app/main.py" line="30"/>
        <source>本机服务的窗口号（优先于 counter.window；都未设置时由工作人员登录时选择）</source>
        <translation>the window this PC serves (overrides counter.window; without either, the clerk chooses at login)</translation>
    </message>
    <message>
        <location filename="../../counter_app/main.py" line="34"/>
        <source>只显示 --window 的窗口屏</source>
        <translation>show only the window display of --window</translation>
    </message>
    <message>
        <location filename="../../counter_app/main.py" line="36"/>
        <source>同时在此屏幕上全屏显示窗口屏（与 --window-display 同用时为所用屏幕，默认 0）</source>
        <translation>also show the window display full screen on this screen (with --window-display: the screen to use, default 0)</translation>
    </message>
    <message>
        <location filename="../../counter_app/main.py" line="40"/>
        <source>补打凭条用的打印机，如 tcp://192.168.1.50:9100</source>
        <translation>ticket printer for reprints, e.g. tcp://192.168.1.50:9100</translation>
    </message>
</context>
<context>
    <name>CounterDialog</name>
    <message>
        <location filename="../../counter_app/dialogs.py" line="62"/>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../counter_app/dialogs.py" line="64"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>CounterPresenter</name>
    <message>
        <location filename="../../counter_app/presenter.py" line="67"/>
        <source>当前没有等候的号</source>
        <translation>Nobody is waiting</translation>
    </message>
    <message>
        <location filename="../../counter_app/presenter.py" line="73"/>
        <source>{number} 已办理完成（{outcome}）。</source>
        <translation>{number} finished ({outcome}). </translation>
    </message>
    <message>
        <location filename="../../counter_app/presenter.py" line="82"/>
        <source>票号“{number}”格式不对，应为 1-2 个字母加 3-6 位数字，例如 A017、AB017</source>
        <translation>Ticket number “{number}” is not valid: 1-2 letters and 3-6 digits, e.g. A017, AB017</translation>
    </message>
    <message>
        <location filename="../../counter_app/presenter.py" line="130"/>
        <source>指定叫号：非本窗口业务</source>
        <translation>Call number: not a service of this window</translation>
    </message>
    <message>
        <location filename="../../counter_app/presenter.py" line="131"/>
        <source>{number} 是“{service}”的号，本窗口不办理这项业务。仍要叫到本窗口吗？</source>
        <translation>{number} is a ticket for “{service}”, which this window does not handle. Call it to this window anyway?</translation>
    </message>
    <message>
        <location filename="../../counter_app/presenter.py" line="133"/>
        <source>仍然叫号</source>
        <translation>Call anyway</translation>
    </message>
    <message>
        <location filename="../../counter_app/presenter.py" line="138"/>
        <source>已叫 {number}（{service}），请等候市民到窗口。</source>
        <translation>Called {number} ({service}); wait for the citizen to come to the window.</translation>
    </message>
    <message>
        <location filename="../../counter_app/presenter.py" line="147"/>
        <source>{number} 已重新排队</source>
        <translation>{number} is back in the queue</translation>
    </message>
    <message>
        <location filename="../../counter_app/presenter.py" line="153"/>
        <source>已重呼 {number}（第 {count} 次呼叫）</source>
        <translation>Recalled {number} (call {count})</translation>
    </message>
    <message>
        <location filename="../../counter_app/presenter.py" line="158"/>
        <source>{number} 已记为过号</source>
        <translation>{number} marked as no-show</translation>
    </message>
    <message>
        <location filename="../../counter_app/presenter.py" line="162"/>
        <source>{number} 开始办理</source>
        <translation>Serving {number}</translation>
    </message>
    <message>
        <location filename="../../counter_app/presenter.py" line="174"/>
        <source>{number} 办理完成：{outcome}</source>
        <translation>{number} finished: {outcome}</translation>
    </message>
    <message>
        <location filename="../../counter_app/presenter.py" line="195"/>
        <source>请选择转往的业务或窗口（二选一）</source>
        <translation>Choose a service or a window to hand over to (one of them)</translation>
    </message>
    <message>
        <location filename="../../counter_app/presenter.py" line="202"/>
        <source>{n} 号窗口</source>
        <translation>Window {n}</translation>
    </message>
    <message>
        <location filename="../../counter_app/presenter.py" line="204"/>
        <source>{number} 已转至 {target}，市民无需重新取号</source>
        <translation>{number} handed over to {target}; the citizen keeps the number</translation>
    </message>
    <message>
        <location filename="../../counter_app/presenter.py" line="224"/>
        <source>请填写暂停原因</source>
        <translation>Please give a reason for the pause</translation>
    </message>
    <message>
        <location filename="../../counter_app/presenter.py" line="235"/>
        <source>已暂停服务（{reason}），恢复前不会叫号</source>
        <translation>Window paused ({reason}); nobody is called until you resume</translation>
    </message>
    <message>
        <location filename="../../counter_app/presenter.py" line="238"/>
        <source>已恢复服务</source>
        <translation>Window resumed</translation>
    </message>
    <message>
        <location filename="../../counter_app/presenter.py" line="250"/>
        <source>已补打 {number}</source>
        <translation>Reprinted {number}</translation>
    </message>
    <message>
        <location filename="../../counter_app/presenter.py" line="253"/>
        <source>{number} 未能打印：{reason}。已记为待补打，请检查打印机后重试。</source>
        <translation>{number} was not printed: {reason}. Marked for reprint; check the printer and try again.</translation>
    </message>
    <message>
        <location filename="../../counter_app/presenter.py" line="281"/>
        <source>当前状态下不能“{action}”。{now}。</source>
        <translation>“{action}” is not possible now. {now}.</translation>
    </message>
    <message>
        <location filename="../../counter_app/presenter.py" line="319"/>
        <source>与数据库的连接中断，无法确认“{action}”是否已完成。连接恢复后将自动再确认一次（不会重复办理），请稍候。</source>
        <translation>The connection to the database was lost: it is unknown whether “{action}” was done. Once connected again it is checked automatically (it will not be done twice); please wait.</translation>
    </message>
    <message>
        <location filename="../../counter_app/presenter.py" line="276"/>
        <source>数据库连接中断，暂时不能操作</source>
        <translation>The database connection is down; actions are unavailable for now</translation>
    </message>
    <message>
        <location filename="../../counter_app/presenter.py" line="278"/>
        <source>上一个操作（{action}）尚未完成，请稍候</source>
        <translation>The previous action ({action}) has not finished yet; please wait</translation>
    </message>
</context>
<context>
    <name>CounterScreen</name>
    <message>
        <location filename="../../counter_app/screen.py" line="80"/>
        <source>HallQueue 窗口叫号</source>
        <translation>HallQueue counter</translation>
    </message>
    <message>
        <location filename="../../counter_app/screen.py" line="196"/>
        <source>{number} 仍在办理中：请先选择办理结果，确定后{call}。</source>
        <translation>{number} is still being served: choose the outcome first; confirming it will {call}.</translation>
    </message>
    <message>
        <location filename="../../counter_app/screen.py" line="201"/>
        <source>过号</source>
        <translation>No-show</translation>
    </message>
    <message>
        <location filename="../../counter_app/screen.py" line="202"/>
        <source>确认将 {number} 记为过号？市民回来后可用“过号重排”重新排队。</source>
        <translation>Mark {number} as a no-show? If the citizen comes back, “Reinstate no-show” puts them back in the queue.</translation>
    </message>
    <message>
        <location filename="../../counter_app/screen.py" line="203"/>
        <source>确认过号</source>
        <translation>Mark no-show</translation>
    </message>
    <message>
        <location filename="../../counter_app/screen.py" line="234"/>
        <source>指定叫号</source>
        <translation>Call a specific number</translation>
    </message>
    <message>
        <location filename="../../counter_app/screen.py" line="234"/>
        <source>请输入要叫的票号（例如 A017）：</source>
        <translation>Ticket number to call (e.g. A017):</translation>
    </message>
    <message>
        <location filename="../../counter_app/screen.py" line="300"/>
        <source>补正材料告知单未打印</source>
        <translation>Missing-materials notice not printed</translation>
    </message>
    <message>
        <location filename="../../counter_app/screen.py" line="224"/>
        <source>补打小票</source>
        <translation>Reprint a ticket</translation>
    </message>
    <message>
        <location filename="../../counter_app/screen.py" line="224"/>
        <source>请输入要补打的票号：</source>
        <translation>Ticket number to reprint:</translation>
    </message>
    <message>
        <location filename="../../counter_app/screen.py" line="244"/>
        <source>确认退出登录？退出后本窗口不再叫号。</source>
        <translation>Log out? The window calls no more numbers until someone logs in.</translation>
    </message>
    <message>
        <location filename="../../counter_app/screen.py" line="246"/>
        <source>{number} 仍在本窗口（{state}）。</source>
        <translation>{number} is still at this window ({state}). </translation>
    </message>
    <message>
        <location filename="../../counter_app/screen.py" line="248"/>
        <source>退出登录</source>
        <translation>Log out</translation>
    </message>
    <message>
        <location filename="../../counter_app/screen.py" line="297"/>
        <source>补正材料告知单（缺 {n} 项）已交给打印</source>
        <translation>Missing-materials notice ({n} missing) sent to the printer</translation>
    </message>
</context>
<context>
    <name>CounterTerminal</name>
    <message>
        <location filename="../../counter_app/terminal.py" line="162"/>
        <source>正在连接数据库…</source>
        <translation>Connecting to the database…</translation>
    </message>
    <message>
        <location filename="../../counter_app/terminal.py" line="167"/>
        <source>（每 2 秒自动重试）</source>
        <translation> (retrying every 2 seconds)</translation>
    </message>
</context>
<context>
    <name>EvaluationPad</name>
    <message>
        <location filename="../../counter_app/evaluation_pad.py" line="59"/>
        <source>服务评价</source>
        <extracomment>Rating captions: at most this many px (on a large pad), never under the 30 px of main information (适老化). Free px each side of a rating&apos;s caption inside its button. Height of a rating button in one row of five, and in two rows on a short pad.</extracomment>
        <translation>Service evaluation</translation>
    </message>
    <message>
        <location filename="../../counter_app/evaluation_pad.py" line="67"/>
        <source>欢迎您</source>
        <translation>Welcome</translation>
    </message>
    <message>
        <location filename="../../counter_app/evaluation_pad.py" line="71"/>
        <source>办理结束后，请在此对我们的服务进行评价</source>
        <translation>When your business is done, please rate our service here</translation>
    </message>
    <message>
        <location filename="../../counter_app/evaluation_pad.py" line="73"/>
        <location filename="../../counter_app/evaluation_pad.py" line="296"/>
        <source>请您对本次服务进行评价</source>
        <translation>Please rate our service</translation>
    </message>
    <message>
        <location filename="../../counter_app/evaluation_pad.py" line="96"/>
        <location filename="../../counter_app/evaluation_pad.py" line="312"/>
        <source>感谢您的评价！</source>
        <translation>Thank you for your rating!</translation>
    </message>
    <message>
        <location filename="../../counter_app/evaluation_pad.py" line="104"/>
        <source>很抱歉没能让您满意</source>
        <translation>We are sorry we did not satisfy you</translation>
    </message>
    <message>
        <location filename="../../counter_app/evaluation_pad.py" line="106"/>
        <source>请点选原因（可多选），留下电话我们会回访您（可不填）</source>
        <translation>Tap the reasons (any number); leave a phone number and we will call you back (optional)</translation>
    </message>
    <message>
        <location filename="../../counter_app/evaluation_pad.py" line="111"/>
        <source>等候时间太长</source>
        <translation>Waited too long</translation>
    </message>
    <message>
        <location filename="../../counter_app/evaluation_pad.py" line="111"/>
        <source>工作人员态度不好</source>
        <translation>Staff were unfriendly</translation>
    </message>
    <message>
        <location filename="../../counter_app/evaluation_pad.py" line="112"/>
        <source>办理时间太长</source>
        <translation>Service took too long</translation>
    </message>
    <message>
        <location filename="../../counter_app/evaluation_pad.py" line="112"/>
        <source>材料要求没讲清楚</source>
        <translation>Materials were not explained</translation>
    </message>
    <message>
        <location filename="../../counter_app/evaluation_pad.py" line="113"/>
        <source>跑了不止一次</source>
        <translation>Had to come more than once</translation>
    </message>
    <message>
        <location filename="../../counter_app/evaluation_pad.py" line="113"/>
        <source>其他原因</source>
        <translation>Other reason</translation>
    </message>
    <message>
        <location filename="../../counter_app/evaluation_pad.py" line="121"/>
        <source>提交</source>
        <translation>Submit</translation>
    </message>
    <message>
        <location filename="../../counter_app/evaluation_pad.py" line="123"/>
        <source>跳过</source>
        <translation>Skip</translation>
    </message>
    <message>
        <location filename="../../counter_app/evaluation_pad.py" line="132"/>
        <location filename="../../counter_app/evaluation_pad.py" line="257"/>
        <source>联系电话（可不填）</source>
        <translation>Phone (optional)</translation>
    </message>
    <message>
        <location filename="../../counter_app/evaluation_pad.py" line="139"/>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location filename="../../counter_app/evaluation_pad.py" line="139"/>
        <source>清空</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location filename="../../counter_app/evaluation_pad.py" line="267"/>
        <source>很抱歉没能让您满意（%1）</source>
        <translation>We are sorry we did not satisfy you (%1)</translation>
    </message>
    <message>
        <location filename="../../counter_app/evaluation_pad.py" line="279"/>
        <source>电话号码不完整，请补全或清空</source>
        <translation>The phone number is incomplete: complete or clear it</translation>
    </message>
    <message>
        <location filename="../../counter_app/evaluation_pad.py" line="286"/>
        <location filename="../../counter_app/evaluation_pad.py" line="293"/>
        <source>{n} 号窗口 · 工作人员 {name}</source>
        <translation>Window {n} · served by {name}</translation>
    </message>
    <message>
        <location filename="../../counter_app/evaluation_pad.py" line="297"/>
        <source>{number} · {service}</source>
        <translation>{number} · {service}</translation>
    </message>
    <message>
        <location filename="../../counter_app/evaluation_pad.py" line="300"/>
        <source>请您对第 {index} 件（共 {total} 件）进行评价</source>
        <translation>Please rate case {index} of {total}</translation>
    </message>
    <message>
        <location filename="../../counter_app/evaluation_pad.py" line="302"/>
        <source>办件编号 {case} · {service}</source>
        <translation>Case {case} · {service}</translation>
    </message>
    <message>
        <location filename="../../counter_app/evaluation_pad.py" line="308"/>
        <source>{n} 秒后自动结束（记为未评价）</source>
        <translation>Ends in {n} s (recorded as not rated)</translation>
    </message>
    <message>
        <location filename="../../counter_app/evaluation_pad.py" line="309"/>
        <source>{n} 秒后自动提交</source>
        <translation>Submitting in {n} s</translation>
    </message>
    <message>
        <location filename="../../counter_app/evaluation_pad.py" line="313"/>
        <source>您的评价：{level}</source>
        <translation>Your rating: {level}</translation>
    </message>
    <message>
        <location filename="../../counter_app/evaluation_pad.py" line="318"/>
        <source>网络异常</source>
        <translation>Network problem</translation>
    </message>
    <message>
        <location filename="../../counter_app/evaluation_pad.py" line="319"/>
        <source>评价可能未能保存，请告知工作人员。谢谢！</source>
        <translation>Your rating may not have been saved; please tell the clerk. Thank you!</translation>
    </message>
</context>
<context>
    <name>FinishDialog</name>
    <message>
        <location filename="../../counter_app/dialogs.py" line="160"/>
        <source>办理完成：{number} {service}</source>
        <translation>Finish: {number} {service}</translation>
    </message>
    <message>
        <location filename="../../counter_app/dialogs.py" line="168"/>
        <source>{number} 仍在办理中。先按所选结果办理完成，然后{call}。</source>
        <translation>{number} is still being served. It is finished with the outcome chosen here, then: {call}.</translation>
    </message>
    <message>
        <location filename="../../counter_app/dialogs.py" line="172"/>
        <source>请选择办理结果（数字键 1–4），按回车确定：</source>
        <translation>Choose the outcome (digit keys 1–4), then press Enter:</translation>
    </message>
    <message>
        <location filename="../../counter_app/dialogs.py" line="190"/>
        <source>请勾选缺少的材料（一次性告知市民，并计入缺件统计）：</source>
        <translation>Tick the missing materials (told to the citizen once, and counted in the missing-materials statistics):</translation>
    </message>
    <message>
        <location filename="../../counter_app/dialogs.py" line="191"/>
        <source>本业务没有登记所需材料清单，请口头告知市民。</source>
        <translation>This service has no materials list on record; tell the citizen in person.</translation>
    </message>
    <message>
        <location filename="../../counter_app/dialogs.py" line="204"/>
        <source>打印补正材料告知单</source>
        <translation>Print the missing-materials notice</translation>
    </message>
    <message>
        <location filename="../../counter_app/dialogs.py" line="218"/>
        <source>完成并叫号</source>
        <translation>Finish and call</translation>
    </message>
    <message>
        <location filename="../../counter_app/dialogs.py" line="261"/>
        <source>办件编号（办结、受理必填；可扫码，回车添加，可添加多个）：</source>
        <translation>Case numbers (required for Completed and Accepted; scan or type, Enter adds, several allowed):</translation>
    </message>
    <message>
        <location filename="../../counter_app/dialogs.py" line="262"/>
        <source>办件编号（可选；可扫码，回车添加，可添加多个）：</source>
        <translation>Case numbers (optional; scan or type, Enter adds, several allowed):</translation>
    </message>
    <message>
        <location filename="../../counter_app/dialogs.py" line="268"/>
        <source>扫描或输入办件编号</source>
        <translation>Scan or type the case number</translation>
    </message>
    <message>
        <location filename="../../counter_app/dialogs.py" line="272"/>
        <source>添加</source>
        <translation>Add</translation>
    </message>
    <message>
        <location filename="../../counter_app/dialogs.py" line="293"/>
        <source>办件编号“{number}”格式不对：应为 4-64 位字母、数字、- 或 _</source>
        <translation>Case number &quot;{number}&quot; is not valid: 4-64 letters, digits, - or _</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../counter_app/labels.py" line="21"/>
        <source>过号</source>
        <translation>No-show</translation>
    </message>
    <message>
        <location filename="../../counter_app/labels.py" line="19"/>
        <source>叫下一位</source>
        <translation>Call next</translation>
    </message>
    <message>
        <location filename="../../counter_app/labels.py" line="20"/>
        <source>重呼</source>
        <translation>Recall</translation>
    </message>
    <message>
        <location filename="../../counter_app/labels.py" line="22"/>
        <source>开始办理</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../../counter_app/labels.py" line="23"/>
        <source>办理完成…</source>
        <translation>Finish…</translation>
    </message>
    <message>
        <location filename="../../counter_app/labels.py" line="24"/>
        <source>转办…</source>
        <translation>Transfer…</translation>
    </message>
    <message>
        <location filename="../../counter_app/labels.py" line="25"/>
        <source>指定叫号…</source>
        <translation>Call number…</translation>
    </message>
    <message>
        <location filename="../../counter_app/labels.py" line="26"/>
        <source>过号重排…</source>
        <translation>Reinstate…</translation>
    </message>
    <message>
        <location filename="../../counter_app/labels.py" line="27"/>
        <source>暂停服务…</source>
        <translation>Pause…</translation>
    </message>
    <message>
        <location filename="../../counter_app/labels.py" line="28"/>
        <source>恢复服务</source>
        <translation>Resume</translation>
    </message>
    <message>
        <location filename="../../counter_app/labels.py" line="29"/>
        <source>补打小票…</source>
        <translation>Reprint…</translation>
    </message>
    <message>
        <location filename="../../counter_app/labels.py" line="37"/>
        <source>休息</source>
        <translation>Break</translation>
    </message>
    <message>
        <location filename="../../counter_app/labels.py" line="38"/>
        <source>会议</source>
        <translation>Meeting</translation>
    </message>
    <message>
        <location filename="../../counter_app/labels.py" line="39"/>
        <source>业务咨询</source>
        <translation>Consultation</translation>
    </message>
    <message>
        <location filename="../../counter_app/labels.py" line="40"/>
        <source>其他…</source>
        <translation>Other…</translation>
    </message>
    <message>
        <location filename="../../counter_app/labels.py" line="57"/>
        <source>不到 1 分钟</source>
        <translation>under 1 min</translation>
    </message>
    <message>
        <location filename="../../counter_app/labels.py" line="58"/>
        <source>{n} 分钟</source>
        <translation>{n} min</translation>
    </message>
    <message>
        <location filename="../../counter_app/labels.py" line="70"/>
        <source>{m} 分 {s:02d} 秒</source>
        <translation>{m} min {s:02d} s</translation>
    </message>
    <message>
        <location filename="../../counter_app/labels.py" line="79"/>
        <source>打印机缺纸</source>
        <translation>the printer is out of paper</translation>
    </message>
    <message>
        <location filename="../../counter_app/labels.py" line="80"/>
        <source>打印机盖未合上</source>
        <translation>the printer cover is open</translation>
    </message>
    <message>
        <location filename="../../counter_app/labels.py" line="81"/>
        <source>打印机暂停工作</source>
        <translation>the printer is offline</translation>
    </message>
    <message>
        <location filename="../../counter_app/labels.py" line="82"/>
        <source>打印机无响应</source>
        <translation>the printer does not answer</translation>
    </message>
    <message>
        <location filename="../../counter_app/labels.py" line="83"/>
        <source>打印机未连接</source>
        <translation>the printer is not connected</translation>
    </message>
    <message>
        <location filename="../../counter_app/labels.py" line="84"/>
        <source>打印中断，小票可能不完整</source>
        <translation>printing was interrupted; the slip may be incomplete</translation>
    </message>
    <message>
        <location filename="../../counter_app/labels.py" line="85"/>
        <source>打印机驱动未安装</source>
        <translation>the printer driver is not installed</translation>
    </message>
    <message>
        <location filename="../../counter_app/labels.py" line="87"/>
        <source>打印机故障</source>
        <translation>printer fault</translation>
    </message>
</context>
<context>
    <name>LoginPage</name>
    <message>
        <location filename="../../counter_app/login_page.py" line="46"/>
        <source>窗口叫号登录</source>
        <translation>Counter login</translation>
    </message>
    <message>
        <location filename="../../counter_app/login_page.py" line="56"/>
        <location filename="../../counter_app/login_page.py" line="63"/>
        <source>工号</source>
        <translation>Clerk ID</translation>
    </message>
    <message>
        <location filename="../../counter_app/login_page.py" line="59"/>
        <location filename="../../counter_app/login_page.py" line="64"/>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../counter_app/login_page.py" line="65"/>
        <source>窗口</source>
        <translation>Window</translation>
    </message>
    <message>
        <location filename="../../counter_app/login_page.py" line="76"/>
        <location filename="../../counter_app/login_page.py" line="121"/>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location filename="../../counter_app/login_page.py" line="99"/>
        <location filename="../../counter_app/login_page.py" line="104"/>
        <source>{n} 号窗口 · {name}</source>
        <translation>Window {n} · {name}</translation>
    </message>
    <message>
        <location filename="../../counter_app/login_page.py" line="121"/>
        <source>正在登录…</source>
        <translation>Logging in…</translation>
    </message>
    <message>
        <location filename="../../counter_app/login_page.py" line="122"/>
        <source>无法连接数据库，正在自动重连…</source>
        <translation>Cannot reach the database; reconnecting automatically…</translation>
    </message>
</context>
<context>
    <name>MainPage</name>
    <message>
        <location filename="../../counter_app/main_page.py" line="31"/>
        <source>数据库连接中断，正在自动重连…  此期间不能操作，屏幕内容可能不是最新</source>
        <translation>Database connection lost, reconnecting automatically…  Actions are unavailable meanwhile; the screen may be out of date</translation>
    </message>
    <message>
        <location filename="../../counter_app/main_page.py" line="68"/>
        <source>主管视图</source>
        <translation>Supervisor view</translation>
    </message>
    <message>
        <location filename="../../counter_app/main_page.py" line="71"/>
        <source>退出登录</source>
        <translation>Log out</translation>
    </message>
    <message>
        <location filename="../../counter_app/main_page.py" line="81"/>
        <source>{n} 号窗口</source>
        <translation>Window {n}</translation>
    </message>
    <message>
        <location filename="../../counter_app/main_page.py" line="82"/>
        <source>工作人员：{name}（{login}）</source>
        <translation>Clerk: {name} ({login})</translation>
    </message>
    <message>
        <location filename="../../counter_app/main_page.py" line="91"/>
        <source>{n} 号窗口 · {name}</source>
        <translation>Window {n} · {name}</translation>
    </message>
    <message>
        <location filename="../../counter_app/main_page.py" line="93"/>
        <source>今日已服务 {n} 人 · 平均办理 {avg}</source>
        <translation>Served today: {n} · average {avg}</translation>
    </message>
</context>
<context>
    <name>PauseDialog</name>
    <message>
        <location filename="../../counter_app/dialogs.py" line="449"/>
        <source>暂停服务</source>
        <translation>Paused</translation>
    </message>
    <message>
        <location filename="../../counter_app/dialogs.py" line="450"/>
        <source>暂停原因（显示在窗口屏上）：</source>
        <translation>Reason (shown on the window display):</translation>
    </message>
    <message>
        <location filename="../../counter_app/dialogs.py" line="461"/>
        <source>请填写原因</source>
        <translation>Please give the reason</translation>
    </message>
</context>
<context>
    <name>QueuePanel</name>
    <message>
        <location filename="../../counter_app/widgets.py" line="167"/>
        <source>本窗口等候</source>
        <translation>Waiting for this window</translation>
    </message>
    <message>
        <location filename="../../counter_app/widgets.py" line="170"/>
        <location filename="../../counter_app/widgets.py" line="177"/>
        <source>业务</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../../counter_app/widgets.py" line="170"/>
        <source>等候</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../counter_app/widgets.py" line="170"/>
        <source>最久等候</source>
        <translation>Longest wait</translation>
    </message>
    <message>
        <location filename="../../counter_app/widgets.py" line="171"/>
        <source>绿色通道</source>
        <translation>Green channel</translation>
    </message>
    <message>
        <location filename="../../counter_app/widgets.py" line="171"/>
        <source>预约</source>
        <translation>Appointment</translation>
    </message>
    <message>
        <location filename="../../counter_app/widgets.py" line="174"/>
        <source>接下来</source>
        <translation>Next</translation>
    </message>
    <message>
        <location filename="../../counter_app/widgets.py" line="177"/>
        <source>号码</source>
        <translation>Number</translation>
    </message>
    <message>
        <location filename="../../counter_app/widgets.py" line="177"/>
        <source>类型</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../counter_app/widgets.py" line="178"/>
        <source>已等候</source>
        <translation>Waited</translation>
    </message>
    <message>
        <location filename="../../counter_app/widgets.py" line="210"/>
        <source>本窗口等候：{n} 人</source>
        <translation>Waiting for this window: {n}</translation>
    </message>
    <message>
        <location filename="../../counter_app/widgets.py" line="230"/>
        <source>转办</source>
        <translation>Transferred</translation>
    </message>
</context>
<context>
    <name>ReinstateDialog</name>
    <message>
        <location filename="../../counter_app/dialogs.py" line="520"/>
        <source>过号重排</source>
        <translation>Reinstate a no-show</translation>
    </message>
    <message>
        <location filename="../../counter_app/dialogs.py" line="521"/>
        <source>今天本窗口业务的过号（最近的在前）：</source>
        <translation>Today&apos;s no-shows of this window&apos;s services (latest first):</translation>
    </message>
    <message>
        <location filename="../../counter_app/dialogs.py" line="522"/>
        <source>今天本窗口业务没有过号的票。</source>
        <translation>No no-shows today for this window&apos;s services.</translation>
    </message>
    <message>
        <location filename="../../counter_app/dialogs.py" line="527"/>
        <source>{number}   {service}   叫号于 {time}</source>
        <translation>{number}   {service}   called at {time}</translation>
    </message>
</context>
<context>
    <name>SessionPresenter</name>
    <message>
        <location filename="../../counter_app/session.py" line="157"/>
        <source>请输入工号和密码</source>
        <translation>Please enter your clerk ID and password</translation>
    </message>
    <message>
        <location filename="../../counter_app/session.py" line="160"/>
        <source>请选择窗口</source>
        <translation>Please choose a window</translation>
    </message>
    <message>
        <location filename="../../counter_app/session.py" line="236"/>
        <source>长时间未操作，已自动退出登录</source>
        <translation>Logged out after a long time without use</translation>
    </message>
    <message>
        <location filename="../../counter_app/session.py" line="238"/>
        <source>；{number} 仍由本窗口保留，重新登录后可继续办理</source>
        <translation>; {number} is still held by this window: log in again to carry on with it</translation>
    </message>
    <message>
        <location filename="../../counter_app/session.py" line="313"/>
        <source>{window} 号窗口已不在您的名下（租约过期后被他人登录或被管理员退出），请重新登录</source>
        <translation>Window {window} is no longer yours (taken over after your lease lapsed, or logged out by an administrator); please log in again</translation>
    </message>
    <message>
        <location filename="../../counter_app/session.py" line="361"/>
        <source>本窗口当前没有办理中的号</source>
        <translation>this window holds no ticket now</translation>
    </message>
    <message>
        <location filename="../../counter_app/session.py" line="362"/>
        <source>本窗口当前为 {number}（{state}）</source>
        <translation>this window now holds {number} ({state})</translation>
    </message>
</context>
<context>
    <name>TicketPanel</name>
    <message>
        <location filename="../../counter_app/widgets.py" line="61"/>
        <source>当前办理</source>
        <translation>Current ticket</translation>
    </message>
    <message>
        <location filename="../../counter_app/widgets.py" line="71"/>
        <source>转办</source>
        <translation>Transferred</translation>
    </message>
    <message>
        <location filename="../../counter_app/widgets.py" line="118"/>
        <source>转办说明：{note}</source>
        <translation>Hand-over note: {note}</translation>
    </message>
    <message>
        <location filename="../../counter_app/widgets.py" line="119"/>
        <source>所需材料：</source>
        <translation>Required materials: </translation>
    </message>
    <message>
        <location filename="../../counter_app/widgets.py" line="127"/>
        <source>暂停服务</source>
        <translation>Paused</translation>
    </message>
    <message>
        <location filename="../../counter_app/widgets.py" line="128"/>
        <source>原因：{reason}</source>
        <translation>Reason: {reason}</translation>
    </message>
    <message>
        <location filename="../../counter_app/widgets.py" line="129"/>
        <source>恢复服务（F9）后才能叫号</source>
        <translation>Resume (F9) before calling</translation>
    </message>
    <message>
        <location filename="../../counter_app/widgets.py" line="131"/>
        <location filename="../../counter_app/widgets.py" line="138"/>
        <source>空闲</source>
        <translation>Free</translation>
    </message>
    <message>
        <location filename="../../counter_app/widgets.py" line="133"/>
        <source>（{kind}）</source>
        <translation> ({kind})</translation>
    </message>
    <message>
        <location filename="../../counter_app/widgets.py" line="134"/>
        <source>下一位：{number} {service}{kind}</source>
        <translation>Next: {number} {service}{kind}</translation>
    </message>
    <message>
        <location filename="../../counter_app/widgets.py" line="136"/>
        <source>按 F1 叫号</source>
        <translation>Press F1 to call</translation>
    </message>
    <message>
        <location filename="../../counter_app/widgets.py" line="139"/>
        <source>目前没有人等候本窗口</source>
        <translation>Nobody is waiting for this window</translation>
    </message>
    <message>
        <location filename="../../counter_app/widgets.py" line="149"/>
        <source>已办理 {time}</source>
        <translation>serving {time}</translation>
    </message>
    <message>
        <location filename="../../counter_app/widgets.py" line="152"/>
        <source>叫号后 {time}</source>
        <translation>called {time} ago</translation>
    </message>
    <message>
        <location filename="../../counter_app/widgets.py" line="154"/>
        <source>等候 {waited} · {running}</source>
        <translation>waited {waited} · {running}</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <location filename="../../counter_app/dialogs.py" line="397"/>
        <source>转办：{number}</source>
        <translation>Transfer: {number}</translation>
    </message>
    <message>
        <location filename="../../counter_app/dialogs.py" line="398"/>
        <source>市民保留原号码，无需重新取号。转往：</source>
        <translation>The citizen keeps the number and need not queue again. Hand over to:</translation>
    </message>
    <message>
        <location filename="../../counter_app/dialogs.py" line="399"/>
        <source>业务</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../../counter_app/dialogs.py" line="400"/>
        <source>窗口</source>
        <translation>Window</translation>
    </message>
    <message>
        <location filename="../../counter_app/dialogs.py" line="407"/>
        <source>{n} 号窗口 · {name}</source>
        <translation>Window {n} · {name}</translation>
    </message>
    <message>
        <location filename="../../counter_app/dialogs.py" line="416"/>
        <source>转办说明（接办窗口可见）：</source>
        <translation>Note for the receiving window:</translation>
    </message>
    <message>
        <location filename="../../counter_app/dialogs.py" line="419"/>
        <source>例如：已核对身份证，需补录信息</source>
        <translation>e.g. ID checked, data entry still needed</translation>
    </message>
</context>
<context>
    <name>WindowDisplay</name>
    <message>
        <location filename="../../counter_app/window_display.py" line="55"/>
        <source>{n} 号窗口</source>
        <extracomment>Size range of the pause reason&apos;s text (one line if it fits at the smaller size).</extracomment>
        <translation>Window {n}</translation>
    </message>
    <message>
        <location filename="../../counter_app/window_display.py" line="56"/>
        <source>工作人员：{name}</source>
        <translation>Clerk: {name}</translation>
    </message>
    <message>
        <location filename="../../counter_app/window_display.py" line="60"/>
        <source>本窗口暂无工作人员</source>
        <translation>No clerk at this window</translation>
    </message>
    <message>
        <location filename="../../counter_app/window_display.py" line="63"/>
        <source>暂停服务</source>
        <translation>Paused</translation>
    </message>
    <message>
        <location filename="../../counter_app/window_display.py" line="67"/>
        <source>请留意叫号</source>
        <translation>Please watch for your number</translation>
    </message>
    <message>
        <location filename="../../counter_app/window_display.py" line="69"/>
        <source>请到本窗口办理</source>
        <translation>Please come to this window</translation>
    </message>
    <message>
        <location filename="../../counter_app/window_display.py" line="70"/>
        <source>正在办理</source>
        <translation>Now serving</translation>
    </message>
    <message>
        <location filename="../../counter_app/window_display.py" line="81"/>
        <source>窗口屏</source>
        <translation>Window display</translation>
    </message>
    <message>
        <location filename="../../counter_app/window_display.py" line="102"/>
        <source>欢迎办理</source>
        <translation>Welcome</translation>
    </message>
    <message>
        <location filename="../../counter_app/window_display.py" line="119"/>
        <source>网络中断，显示内容可能不是最新</source>
        <translation>Network down: this display may be out of date</translation>
    </message>
</context>
<context>
    <name>parent</name>
    <message>
        <location filename="../../counter_app/screen.py" line="52"/>
        <source>打印补正材料告知单</source>
        <translation>Print the missing-materials notice</translation>
    </message>
</context>
</TS>
