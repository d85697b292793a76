<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>Cli</name>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="17"/>
        <source>站点</source>
        <translation>sites: list, add, disable</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="18"/>
        <source>窗口</source>
        <translation>windows: add, list, disable, pause, resume</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="19"/>
        <source>工作人员</source>
        <translation>clerks: add, list, disable, passwd</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="27"/>
        <source>结束营业日</source>
        <translation>end of day: close what is left; numbers restart tomorrow</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="28"/>
        <source>营业日</source>
        <translation>business day: close</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="35"/>
        <source>列出站点</source>
        <translation>list sites</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="38"/>
        <source>新增站点，使用默认日历</source>
        <translation>add a site with the default calendar</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="43"/>
        <source>IANA 时区（如 Asia/Shanghai）</source>
        <translation>IANA zone (Asia/Shanghai)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="44"/>
        <source>停用站点</source>
        <translation>disable a site</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="55"/>
        <source>尚无站点：请运行 &apos;hallq-admin catalog load FILE&apos;</source>
        <translation>no sites: run &apos;hallq-admin catalog load FILE&apos;</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="57"/>
        <location filename="../../shared/cli/admin_cmds.py" line="220"/>
        <location filename="../../shared/cli/catalog_cmds.py" line="84"/>
        <location filename="../../shared/cli/output.py" line="85"/>
        <source>已停用</source>
        <translation>disabled</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="58"/>
        <source>{code} {name}  {windows} 个窗口  {zone}{state}</source>
        <translation>{code} {name}  {windows} windows  {zone}{state}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="68"/>
        <source>已新增站点 {code} {name}</source>
        <translation>site {code} {name} added</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="77"/>
        <source>已停用站点 {code}</source>
        <translation>site {code} disabled</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="86"/>
        <source>新增窗口</source>
        <translation>add a window between catalog loads</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="91"/>
        <source>本窗口办理的业务（可重复给出多个）</source>
        <translation>a service the window serves (repeat for several)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="93"/>
        <source>标为综合窗口（默认：办理多项业务即是）</source>
        <translation>mark as a comprehensive window (default: serves several services)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="94"/>
        <source>列出窗口</source>
        <translation>list windows</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="97"/>
        <source>停用窗口</source>
        <translation>disable a window</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="98"/>
        <source>恢复窗口</source>
        <translation>resume a paused window</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="99"/>
        <source>暂停窗口</source>
        <translation>pause a window with a reason</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="105"/>
        <location filename="../../shared/cli/base.py" line="135"/>
        <location filename="../../shared/cli/ticket_cmds.py" line="106"/>
        <source>操作人员的工号</source>
        <translation>the acting clerk&apos;s login</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="108"/>
        <source>如 午休、会议、咨询</source>
        <translation>e.g. lunch break, meeting, consulting</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="119"/>
        <source>已新增 {number} 号窗口 {name}</source>
        <translation>window {number} {name} added</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="129"/>
        <source>此站点没有窗口</source>
        <translation>no windows at this site</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="137"/>
        <source>已停用 {number} 号窗口</source>
        <translation>window {number} disabled</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="144"/>
        <source>{number} 号窗口已暂停：{reason}</source>
        <translation>window {number} paused: {reason}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="151"/>
        <source>{number} 号窗口已恢复</source>
        <translation>window {number} resumed</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="167"/>
        <source>新增工作人员</source>
        <translation>add a clerk account</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="170"/>
        <source>显示的姓名，如 王芳</source>
        <translation>display name, e.g. Wang Fang</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="172"/>
        <source>列出工作人员</source>
        <translation>list clerks</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="175"/>
        <source>停用工作人员</source>
        <translation>disable a clerk; ends their window lease</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="178"/>
        <source>修改密码</source>
        <translation>set a new password</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="194"/>
        <source>密码：</source>
        <translation>password: </translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="195"/>
        <location filename="../../shared/cli/pin_cmds.py" line="31"/>
        <source>再次输入：</source>
        <translation>again: </translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="206"/>
        <source>已新增工作人员 {login} {name}（{role}）</source>
        <translation>clerk {login} {name} ({role}) added</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="217"/>
        <source>尚无工作人员：请用 &apos;hallq-admin clerk add LOGIN --name NAME&apos; 添加</source>
        <translation>no clerks: add one with &apos;hallq-admin clerk add LOGIN --name NAME&apos;</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="219"/>
        <source>在 {window} 号窗口</source>
        <translation>at window {window}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="230"/>
        <source>已停用工作人员 {login}</source>
        <translation>clerk {login} disabled</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="237"/>
        <source>已修改 {login} 的密码</source>
        <translation>password of {login} changed</translation>
    </message>
    <message>
        <location filename="../../shared/cli/admin_cmds.py" line="249"/>
        <source>营业日已结束，关闭 {count} 张未办理完的票</source>
        <translation>day closed, {count} tickets expired</translation>
    </message>
    <message>
        <location filename="../../shared/cli/appointment_cmds.py" line="16"/>
        <source>预约</source>
        <translation>appointments: add, list, cancel, import, check-in</translation>
    </message>
    <message>
        <location filename="../../shared/cli/appointment_cmds.py" line="20"/>
        <source>新增预约</source>
        <translation>add a booking</translation>
    </message>
    <message>
        <location filename="../../shared/cli/appointment_cmds.py" line="22"/>
        <source>预约平台给出的预约码</source>
        <translation>booking code from the platform</translation>
    </message>
    <message>
        <location filename="../../shared/cli/appointment_cmds.py" line="26"/>
        <source>如 09:00-09:30</source>
        <translation>e.g. 09:00-09:30</translation>
    </message>
    <message>
        <location filename="../../shared/cli/appointment_cmds.py" line="27"/>
        <source>群众姓名</source>
        <translation>citizen&apos;s name</translation>
    </message>
    <message>
        <location filename="../../shared/cli/appointment_cmds.py" line="29"/>
        <source>列出预约</source>
        <translation>list bookings</translation>
    </message>
    <message>
        <location filename="../../shared/cli/appointment_cmds.py" line="32"/>
        <source>取消预约</source>
        <translation>cancel a booking</translation>
    </message>
    <message>
        <location filename="../../shared/cli/appointment_cmds.py" line="36"/>
        <source>导入预约 CSV</source>
        <translation>import bookings; all rows or none</translation>
    </message>
    <message>
        <location filename="../../shared/cli/appointment_cmds.py" line="39"/>
        <source>UTF-8 编码的 CSV，列为 {columns}</source>
        <translation>UTF-8 CSV with columns {columns}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/appointment_cmds.py" line="42"/>
        <source>预约签到取号</source>
        <translation>check a booking in: issue its ticket</translation>
    </message>
    <message>
        <location filename="../../shared/cli/appointment_cmds.py" line="61"/>
        <source>已新增预约 {code}：{day} {start}-{end} {service}</source>
        <translation>appointment {code} added: {day} {start}-{end} {service}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/appointment_cmds.py" line="73"/>
        <source>没有预约</source>
        <translation>no appointments</translation>
    </message>
    <message>
        <location filename="../../shared/cli/appointment_cmds.py" line="84"/>
        <source>已取消预约 {code}</source>
        <translation>appointment {code} cancelled</translation>
    </message>
    <message>
        <location filename="../../shared/cli/appointment_cmds.py" line="96"/>
        <source>已导入 {count} 条预约：{path}</source>
        <translation>{count} appointments imported: {path}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/appointment_cmds.py" line="109"/>
        <source>已签到取号 {number} ({service}) 前面 {ahead} 人</source>
        <translation>checked in: {number} ({service}), {ahead} ahead</translation>
    </message>
    <message>
        <location filename="../../shared/cli/audit_cmds.py" line="17"/>
        <source>校验事件日志的哈希链</source>
        <translation>verify the event log&apos;s hash chain; exit 0 intact, 8 broken</translation>
    </message>
    <message>
        <location filename="../../shared/cli/audit_cmds.py" line="18"/>
        <source>审计</source>
        <translation>audit trail: verify</translation>
    </message>
    <message>
        <location filename="../../shared/cli/audit_cmds.py" line="20"/>
        <source>只查一个网点（默认：所有网点）</source>
        <translation>one site (default: every site)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/audit_cmds.py" line="22"/>
        <source>起始日（网点当地日期；默认：链的开头）</source>
        <translation>first site-local day (default: the chain&apos;s start)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/audit_cmds.py" line="24"/>
        <source>截止日，含当日（网点当地日期；默认：链的末尾）</source>
        <translation>last site-local day, included (default: the chain&apos;s end)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/audit_cmds.py" line="39"/>
        <source>（无事件）</source>
        <translation>(no events)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/audit_cmds.py" line="40"/>
        <source>{site}: 完整，已校验 {checked} 条事件 {span}；链头 #{head} {hash}</source>
        <translation>{site}: intact, {checked} events checked {span}; head #{head} {hash}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/audit_cmds.py" line="47"/>
        <source>{site}: 已被篡改（{kind}），第 #{seq} 条事件：{detail}</source>
        <translation>{site}: BROKEN ({kind}) at event #{seq}: {detail}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/audit_cmds.py" line="51"/>
        <source>{site}: 共 {count} 处断裂，已列出 {listed} 处</source>
        <translation>{site}: {count} breaks in all, {listed} listed</translation>
    </message>
    <message>
        <location filename="../../shared/options.py" line="166"/>
        <source>用法</source>
        <translation>usage</translation>
    </message>
    <message>
        <location filename="../../shared/options.py" line="186"/>
        <source>位置参数</source>
        <translation>positional arguments</translation>
    </message>
    <message>
        <location filename="../../shared/options.py" line="187"/>
        <source>选项</source>
        <translation>options</translation>
    </message>
    <message>
        <location filename="../../shared/options.py" line="183"/>
        <source>显示本帮助并退出</source>
        <translation>show this help message and exit</translation>
    </message>
    <message>
        <location filename="../../shared/options.py" line="52"/>
        <source>参数 {argument_name}：{message}</source>
        <translation>argument {argument_name}: {message}</translation>
    </message>
    <message>
        <location filename="../../shared/options.py" line="54"/>
        <source>选项 {option} 有歧义，可以是 {matches}</source>
        <translation>ambiguous option: {option} could match {matches}</translation>
    </message>
    <message>
        <location filename="../../shared/options.py" line="55"/>
        <source>无法识别的参数：{0}</source>
        <translation>unrecognized arguments: {0}</translation>
    </message>
    <message>
        <location filename="../../shared/options.py" line="56"/>
        <source>缺少必需的参数：{0}</source>
        <translation>the following arguments are required: {0}</translation>
    </message>
    <message>
        <location filename="../../shared/options.py" line="57"/>
        <source>须给出以下参数之一：{0}</source>
        <translation>one of the arguments {0} is required</translation>
    </message>
    <message>
        <location filename="../../shared/options.py" line="58"/>
        <source>不能与参数 {0} 同用</source>
        <translation>not allowed with argument {0}</translation>
    </message>
    <message>
        <location filename="../../shared/options.py" line="59"/>
        <source>不接受值 {0}</source>
        <translation>ignored explicit argument {0}</translation>
    </message>
    <message>
        <location filename="../../shared/options.py" line="60"/>
        <source>需要一个值</source>
        <translation>expected one argument</translation>
    </message>
    <message>
        <location filename="../../shared/options.py" line="61"/>
        <source>最多只能有一个值</source>
        <translation>expected at most one argument</translation>
    </message>
    <message>
        <location filename="../../shared/options.py" line="62"/>
        <source>至少需要一个值</source>
        <translation>expected at least one argument</translation>
    </message>
    <message>
        <location filename="../../shared/options.py" line="63"/>
        <location filename="../../shared/options.py" line="64"/>
        <source>需要 {0} 个值</source>
        <translation>expected {0} argument(s)</translation>
    </message>
    <message>
        <location filename="../../shared/options.py" line="65"/>
        <source>值 {value} 无效</source>
        <translation>invalid {type} value: {value}</translation>
    </message>
    <message>
        <location filename="../../shared/options.py" line="67"/>
        <source>值 {value} 无效，可选：{choices}</source>
        <translation>invalid choice: {value} (choose from {choices})</translation>
    </message>
    <message>
        <location filename="../../shared/options.py" line="69"/>
        <source>未知的命令 {parser_name}，可选：{choices}</source>
        <translation>unknown parser {parser_name} (choices: {choices})</translation>
    </message>
    <message>
        <location filename="../../shared/options.py" line="70"/>
        <source>意外的选项：{0}</source>
        <translation>unexpected option string: {0}</translation>
    </message>
    <message>
        <location filename="../../shared/options.py" line="71"/>
        <source>不能有多组子命令</source>
        <translation>cannot have multiple subparser arguments</translation>
    </message>
    <message>
        <location filename="../../shared/options.py" line="72"/>
        <source>无法打开 {filename}</source>
        <translation>can&apos;t open &apos;{filename}&apos;</translation>
    </message>
    <message>
        <location filename="../../shared/options.py" line="73"/>
        <source>参数 &quot;-&quot; 不能以模式 {0} 打开</source>
        <translation>argument &quot;-&quot; with mode {0}</translation>
    </message>
    <message>
        <location filename="../../shared/options.py" line="197"/>
        <source>参数错误：{message}（见 &apos;{prog} --help&apos;）</source>
        <translation>usage error: {message} (see &apos;{prog} --help&apos;)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/base.py" line="77"/>
        <source>提示与报表的语言：zh_CN 或 en（默认：配置文件的语言，无配置时为 zh_CN）；用于 setup terminal 时也是该终端的语言</source>
        <translation>the language of messages and reports: zh_CN or en (default: the config&apos;s language, zh_CN without a config); with `setup terminal`, also the terminal&apos;s</translation>
    </message>
    <message>
        <location filename="../../shared/cli/base.py" line="81"/>
        <source>以此人员身份认证（管理类命令须为管理员或值班长；见 docs/cli.md）；密码会提示输入，或用 --password-stdin 读取</source>
        <translation>authenticate as this clerk (admin or supervisor for the administrative commands; docs/cli.md); the password is prompted or read with --password-stdin</translation>
    </message>
    <message>
        <location filename="../../shared/cli/base.py" line="85"/>
        <source>从标准输入读取密码而不提示：先是 --as 的密码，再是命令要设置的新密码，每行一个</source>
        <translation>read passwords from stdin instead of prompting: --as&apos;s first, then a new password the command sets, one per line</translation>
    </message>
    <message>
        <location filename="../../shared/cli/base.py" line="127"/>
        <source>网点代码（默认：配置文件中的网点，或唯一的网点）</source>
        <translation>site code (default: the config&apos;s site, or the only site)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/base.py" line="131"/>
        <location filename="../../shared/cli/db_cmds.py" line="45"/>
        <location filename="../../shared/cli/plan_cmds.py" line="67"/>
        <location filename="../../shared/cli/stats_cmds.py" line="39"/>
        <source>输出 JSON（见 docs/cli.md）</source>
        <translation>print JSON (docs/cli.md)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/base.py" line="134"/>
        <source>操作窗口，记入事件日志</source>
        <translation>the acting window, recorded in the event log</translation>
    </message>
    <message>
        <location filename="../../shared/cli/base.py" line="138"/>
        <source>请求号（幂等键），每个意图一个：用同一请求号重复命令只返回第一次的结果，不再改动（见 docs/cli.md）</source>
        <translation>idempotency key, one per intent: repeating the command with it returns the first result and changes nothing (docs/cli.md)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/catalog_cmds.py" line="15"/>
        <source>服务目录</source>
        <translation>service catalog: load, show</translation>
    </message>
    <message>
        <location filename="../../shared/cli/catalog_cmds.py" line="20"/>
        <source>加载目录文件</source>
        <translation>load a catalog file: create, update, disable</translation>
    </message>
    <message>
        <location filename="../../shared/cli/catalog_cmds.py" line="23"/>
        <source>事项目录 TOML 文件，或 HallQueue 自带目录的名称（如 chunan）</source>
        <translation>catalog TOML file, or the name of one shipped with HallQueue (chunan)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/catalog_cmds.py" line="25"/>
        <source>显示已加载的目录</source>
        <translation>show the catalog as stored</translation>
    </message>
    <message>
        <location filename="../../shared/cli/catalog_cmds.py" line="51"/>
        <source>目录无变化：{path}</source>
        <translation>catalog unchanged: {path}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/catalog_cmds.py" line="53"/>
        <source>新增</source>
        <translation>created</translation>
    </message>
    <message>
        <location filename="../../shared/cli/catalog_cmds.py" line="54"/>
        <source>更新</source>
        <translation>updated</translation>
    </message>
    <message>
        <location filename="../../shared/cli/catalog_cmds.py" line="55"/>
        <source>停用</source>
        <translation>disabled</translation>
    </message>
    <message>
        <location filename="../../shared/cli/catalog_cmds.py" line="57"/>
        <source>{label} ({count}): {items}</source>
        <translation>{label} ({count}): {items}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/catalog_cmds.py" line="68"/>
        <source>尚未加载目录：请运行 &apos;hallq-admin catalog load FILE&apos;</source>
        <translation>no catalog loaded: run &apos;hallq-admin catalog load FILE&apos;</translation>
    </message>
    <message>
        <location filename="../../shared/cli/catalog_cmds.py" line="75"/>
        <source>站点 {code}: {name} ({zone}){state}</source>
        <translation>site {code}: {name} ({zone}){state}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/catalog_cmds.py" line="90"/>
        <source>周末</source>
        <translation>weekend</translation>
    </message>
    <message>
        <location filename="../../shared/cli/catalog_cmds.py" line="92"/>
        <source>节假日</source>
        <translation>holiday</translation>
    </message>
    <message>
        <location filename="../../shared/cli/catalog_cmds.py" line="94"/>
        <source>限 {quota} 号/日</source>
        <translation>at most {quota} a day</translation>
    </message>
    <message>
        <location filename="../../shared/cli/catalog_cmds.py" line="95"/>
        <source>目标 {minutes} 分钟</source>
        <translation>target {minutes} minutes</translation>
    </message>
    <message>
        <location filename="../../shared/cli/catalog_cmds.py" line="96"/>
        <location filename="../../shared/cli/output.py" line="92"/>
        <location filename="../../shared/cli/plan_cmds.py" line="211"/>
        <source>，</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../shared/cli/db_cmds.py" line="18"/>
        <source>数据库结构与账号</source>
        <translation>database schema: upgrade, status; terminal logins: role</translation>
    </message>
    <message>
        <location filename="../../shared/cli/db_cmds.py" line="22"/>
        <source>应用数据库迁移</source>
        <translation>apply the migrations; also re-grants every terminal login what its kind needs</translation>
    </message>
    <message>
        <location filename="../../shared/cli/db_cmds.py" line="25"/>
        <source>数据库结构版本</source>
        <translation>schema revision of the database and of this program; exit 5 unless they match</translation>
    </message>
    <message>
        <location filename="../../shared/cli/db_cmds.py" line="27"/>
        <source>终端数据库账号</source>
        <translation>database logins per kind of terminal: create, list, drop; run as the database owner</translation>
    </message>
    <message>
        <location filename="../../shared/cli/db_cmds.py" line="31"/>
        <source>创建账号</source>
        <translation>create a login for one kind of terminal: {kinds}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/db_cmds.py" line="35"/>
        <source>终端类别：{kinds}</source>
        <translation>kind of terminal: {kinds}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/db_cmds.py" line="36"/>
        <source>新账号的名称</source>
        <translation>the new login&apos;s name</translation>
    </message>
    <message>
        <location filename="../../shared/cli/db_cmds.py" line="38"/>
        <source>MariaDB：允许该账号连接的主机，如 192.168.10.%%（默认 %%：任意）；PostgreSQL 上忽略（请用 pg_hba.conf）</source>
        <translation>MariaDB: the hosts the login may connect from, e.g. 192.168.10.%% (default %%: any); ignored on PostgreSQL (use pg_hba.conf)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/db_cmds.py" line="41"/>
        <source>列出账号</source>
        <translation>list the logins</translation>
    </message>
    <message>
        <location filename="../../shared/cli/db_cmds.py" line="46"/>
        <source>删除账号</source>
        <translation>drop a login</translation>
    </message>
    <message>
        <location filename="../../shared/cli/db_cmds.py" line="73"/>
        <source>数据库结构已是最新 {version}</source>
        <translation>schema already current: {version}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/db_cmds.py" line="75"/>
        <source>数据库结构已升级 {before} → {after}</source>
        <translation>schema upgraded {before} → {after}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/db_cmds.py" line="76"/>
        <source>（空）</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/db_cmds.py" line="87"/>
        <source>数据库：{url}</source>
        <translation>database: {url}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/db_cmds.py" line="88"/>
        <source>数据库结构：{database}；程序：{code}</source>
        <translation>schema: {database}; program: {code}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/db_cmds.py" line="89"/>
        <source>（无）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/db_cmds.py" line="92"/>
        <source>数据库结构与程序一致</source>
        <translation>schema is current</translation>
    </message>
    <message>
        <location filename="../../shared/cli/db_cmds.py" line="105"/>
        <source>已创建 {kind} 类终端账号 {login}{where}</source>
        <translation>created {kind} login {login}{where}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/db_cmds.py" line="109"/>
        <source>注意：本账号无权授予 pg_signal_backend 和 pg_read_all_stats；请由超级用户执行 {grant}，否则此终端无法结束别的账号卡住的会话（docs/config.md）</source>
        <translation>note: this owner may not grant pg_signal_backend and pg_read_all_stats; have a superuser run {grant} so that this terminal can end another login&apos;s frozen session (docs/config.md)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/db_cmds.py" line="120"/>
        <source>尚无终端账号：请用 &apos;hallq-admin db role create KIND --login NAME&apos; 创建</source>
        <translation>no terminal logins yet: &apos;hallq-admin db role create KIND --login NAME&apos;</translation>
    </message>
    <message>
        <location filename="../../shared/cli/db_cmds.py" line="123"/>
        <source>（服务器上已不存在）</source>
        <translation>(missing on the server)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/db_cmds.py" line="125"/>
        <source>（不能结束卡住的会话）</source>
        <translation>(cannot end frozen sessions)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/db_cmds.py" line="130"/>
        <source>已删除终端账号 {login}</source>
        <translation>dropped login {login}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/events_cmds.py" line="18"/>
        <source>导出事件日志为 CSV</source>
        <translation>export every event of a date range as CSV</translation>
    </message>
    <message>
        <location filename="../../shared/cli/events_cmds.py" line="19"/>
        <source>事件日志</source>
        <translation>event log: export</translation>
    </message>
    <message>
        <location filename="../../shared/cli/events_cmds.py" line="21"/>
        <source>起始日（网点当地日期）</source>
        <translation>first site-local day</translation>
    </message>
    <message>
        <location filename="../../shared/cli/events_cmds.py" line="23"/>
        <source>截止日（网点当地日期，含当日）</source>
        <translation>last site-local day (included)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/events_cmds.py" line="25"/>
        <source>输出文件；&apos;-&apos; 表示写到标准输出</source>
        <translation>output file; &apos;-&apos; writes to stdout</translation>
    </message>
    <message>
        <location filename="../../shared/cli/events_cmds.py" line="49"/>
        <source>已导出 {count} 条事件到 {path}</source>
        <translation>{count} events exported to {path}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="32"/>
        <source>差评回访与整改</source>
        <translation>follow-ups of bad ratings: list, contact, rectify, close, appeal</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="33"/>
        <source>评价</source>
        <translation>the citizens&apos; ratings</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="34"/>
        <source>缺件统计</source>
        <translation>the materials citizens lacked when a case ended incomplete</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="38"/>
        <source>列出回访</source>
        <translation>list follow-ups</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="41"/>
        <source>只列此状态的回访（pending：未办结）</source>
        <translation>only follow-ups in this state (pending: not closed)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="43"/>
        <source>只列有环节已超期的</source>
        <translation>only those with a step past its deadline</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="45"/>
        <source>回访详情，含完整电话</source>
        <translation>one follow-up with the whole phone number</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="48"/>
        <source>记录回访</source>
        <translation>first contact: open -&gt; contacted</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="49"/>
        <source>记录整改</source>
        <translation>rectification: contacted -&gt; rectified</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="52"/>
        <source>沟通或处理的内容</source>
        <translation>what was said or done</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="54"/>
        <source>办结并记录群众意见</source>
        <translation>close with the citizen&apos;s opinion: rectified -&gt; closed</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="57"/>
        <source>群众意见：satisfied 满意、basic 基本满意、dissatisfied 不满意</source>
        <translation>the citizen&apos;s opinion: satisfied, basic (basically satisfied) or dissatisfied</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="59"/>
        <source>办结说明</source>
        <translation>closing note</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="61"/>
        <source>申诉：恶意或误评</source>
        <translation>appeal the rating as malicious or mistaken: it leaves the figures, stays in the record</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="64"/>
        <source>malicious（恶意差评）或 mistaken（误评）</source>
        <translation>malicious or mistaken</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="65"/>
        <source>申诉理由</source>
        <translation>why the rating is appealed</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="68"/>
        <source>列出评价</source>
        <translation>list the ratings of a date range</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="72"/>
        <source>只列此评价等级（1 非常满意 … 5 非常不满意）</source>
        <translation>only this level (1 very satisfied .. 5 very dissatisfied)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="73"/>
        <source>只列差评（4 和 5）</source>
        <translation>only bad ratings (4 and 5)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="76"/>
        <source>各业务最常缺少的材料</source>
        <translation>per service, the materials most often lacking</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="83"/>
        <location filename="../../shared/cli/hcp_cmds.py" line="37"/>
        <source>起始营业日</source>
        <translation>first business day</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="85"/>
        <source>截止营业日</source>
        <translation>last business day</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="95"/>
        <source>{day} 当日</source>
        <translation>by {day}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="99"/>
        <source>回访逾期</source>
        <translation>contact overdue</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="100"/>
        <source>整改逾期</source>
        <translation>rectification overdue</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="101"/>
        <location filename="../../shared/cli/followup_cmds.py" line="176"/>
        <source>已申诉（{kind}）</source>
        <translation>appealed ({kind})</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="117"/>
        <source>没有符合条件的回访</source>
        <translation>no follow-ups</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="127"/>
        <source>联系电话：{phone}  意见：{comment}</source>
        <translation>phone: {phone}  comment: {comment}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="130"/>
        <location filename="../../shared/cli/ticket_cmds.py" line="233"/>
        <source>办件编号：{cases}</source>
        <translation>Case numbers: {cases}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="131"/>
        <source>回访期限：{contact}  整改期限：{rectify}</source>
        <translation>contact due: {contact}  rectification due: {rectify}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="133"/>
        <source>回访</source>
        <translation>Contacted</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="135"/>
        <source>整改</source>
        <translation>Rectified</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="137"/>
        <source>办结</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="178"/>
        <location filename="../../shared/cli/output.py" line="43"/>
        <source>{window}号窗口</source>
        <translation>window {window}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="179"/>
        <source>办件 {case}（事项 {item}）</source>
        <translation>case {case} (item {item})</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="192"/>
        <source>{service}  {material}  {times}/{cases} 次</source>
        <translation>{service}  {material}  {times} of {cases} cases</translation>
    </message>
    <message>
        <location filename="../../shared/cli/followup_cmds.py" line="195"/>
        <source>该时段没有登记缺少的材料</source>
        <translation>no missing materials recorded in the range</translation>
    </message>
    <message>
        <location filename="../../shared/cli/hcp_cmds.py" line="25"/>
        <source>省级好差评对接</source>
        <translation>the provincial rating system (haochaping): export, push, status</translation>
    </message>
    <message>
        <location filename="../../shared/cli/hcp_cmds.py" line="34"/>
        <source>按省级字段导出评价</source>
        <translation>write the ratings in the provincial field set</translation>
    </message>
    <message>
        <location filename="../../shared/cli/hcp_cmds.py" line="39"/>
        <source>截止营业日，含当日</source>
        <translation>last business day, included</translation>
    </message>
    <message>
        <location filename="../../shared/cli/hcp_cmds.py" line="44"/>
        <source>向省级系统推送待上报的评价</source>
        <translation>post the pending ratings to the configured URL; exit 9 if some could not be sent</translation>
    </message>
    <message>
        <location filename="../../shared/cli/hcp_cmds.py" line="47"/>
        <source>只上报一轮后退出（用于计划任务）；默认：持续运行</source>
        <translation>one round, then exit (a scheduled task); default: keep running</translation>
    </message>
    <message>
        <location filename="../../shared/cli/hcp_cmds.py" line="50"/>
        <source>待上报、失败与已上报的评价数</source>
        <translation>pending, failing, refused and sent records</translation>
    </message>
    <message>
        <location filename="../../shared/cli/hcp_cmds.py" line="53"/>
        <source>重新上报被拒绝的评价</source>
        <translation>queue the refused records again</translation>
    </message>
    <message>
        <location filename="../../shared/cli/hcp_cmds.py" line="66"/>
        <source>已导出 {count} 条评价到 {path}</source>
        <translation>{count} ratings written to {path}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/hcp_cmds.py" line="71"/>
        <source>缺少代码 {field}：{owner}（{records} 条记录此项为空，请在目录中填写）</source>
        <translation>missing {field} for {owner}: empty in {records} records; fill it in the catalog (docs/evaluation.md)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/hcp_cmds.py" line="99"/>
        <source>已上报 {sent} 条，待重试 {retrying} 条，被拒 {refused} 条；仍待上报 {pending} 条</source>
        <translation>sent {sent}, retrying {retrying}, refused {refused}; {pending} pending</translation>
    </message>
    <message>
        <location filename="../../shared/cli/hcp_cmds.py" line="113"/>
        <source>待上报 {pending} 条（其中失败重试 {failing} 条），被拒 {refused} 条，已上报 {sent} 条</source>
        <translation>{pending} pending ({failing} failing), {refused} refused, {sent} sent</translation>
    </message>
    <message>
        <location filename="../../shared/cli/hcp_cmds.py" line="119"/>
        <source>最近的错误：{error}</source>
        <translation>last error: {error}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/hcp_cmds.py" line="129"/>
        <source>已重新排队 {count} 条被拒的评价</source>
        <translation>{count} refused records queued again</translation>
    </message>
    <message>
        <location filename="../../shared/cli/main.py" line="83"/>
        <source>HallQueue 管理与脚本接口。退出码：0 完成，2 用法错误，3 无人等候，4 排队规则拒绝，5 数据库，6 打印机，7 无权限，8 审计链被破坏，9 好差评上报未完成；详见 docs/cli.md。</source>
        <translation>HallQueue administration and scripting. Exit codes: 0 done, 2 usage, 3 nobody waiting, 4 queue rule, 5 database, 6 printer, 7 not permitted, 8 audit chain broken, 9 hcp push: records not sent; see docs/cli.md.</translation>
    </message>
    <message>
        <location filename="../../shared/cli/main.py" line="135"/>
        <source>无法写日志：{path}</source>
        <translation>cannot write the log file {path}: {error}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/main.py" line="179"/>
        <source>{error}；请用同一请求号重试：--request-id {key}</source>
        <translation>{error}; retry with --request-id {key}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/main.py" line="188"/>
        <source>输出管道已被读取方关闭</source>
        <translation>output pipe closed by the reader</translation>
    </message>
    <message>
        <location filename="../../shared/cli/main.py" line="191"/>
        <source>已中断</source>
        <translation>interrupted</translation>
    </message>
    <message>
        <location filename="../../shared/cli/main.py" line="195"/>
        <source>详情见 {path}</source>
        <translation>details in {path}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/main.py" line="196"/>
        <source>无法写日志文件</source>
        <translation>no log file could be written</translation>
    </message>
    <message>
        <location filename="../../shared/cli/main.py" line="199"/>
        <source>意外错误；{where}</source>
        <translation>unexpected error: {kind}: {error}; {where}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/output.py" line="48"/>
        <source>转入</source>
        <translation>transferred in</translation>
    </message>
    <message>
        <location filename="../../shared/cli/output.py" line="60"/>
        <source>类型：{kind}</source>
        <translation>kind: {kind}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/output.py" line="61"/>
        <source>，转入</source>
        <translation>, transferred in</translation>
    </message>
    <message>
        <location filename="../../shared/cli/output.py" line="62"/>
        <source>窗口：{window}  工作人员：{clerk}</source>
        <translation>window: {window}  clerk: {clerk}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/output.py" line="64"/>
        <source>转往：{window} 号窗口</source>
        <translation>to window: {window}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/output.py" line="66"/>
        <source>取号 {issued}  叫号 {called}  开始 {started}  结束 {finished}</source>
        <translation>issued {issued}  called {called}  started {started}  finished {finished}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/output.py" line="73"/>
        <source>办理结果：{outcome}</source>
        <translation>outcome: {outcome}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/output.py" line="76"/>
        <source>备注：{note}</source>
        <translation>note: {note}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/output.py" line="87"/>
        <source>暂停（{reason}）</source>
        <translation>paused ({reason})</translation>
    </message>
    <message>
        <location filename="../../shared/cli/output.py" line="89"/>
        <source>{clerk} 在岗</source>
        <translation>{clerk} on duty</translation>
    </message>
    <message>
        <location filename="../../shared/cli/plan_cmds.py" line="48"/>
        <source>排班建议：下周每半小时各业务需要开几个窗口</source>
        <translation>staffing plan: windows needed per service and half-hour of a week, by Erlang C on the hall&apos;s history</translation>
    </message>
    <message>
        <location filename="../../shared/cli/plan_cmds.py" line="55"/>
        <source>所排一周的起始周一</source>
        <translation>the Monday the planned week starts on</translation>
    </message>
    <message>
        <location filename="../../shared/cli/plan_cmds.py" line="57"/>
        <location filename="../../shared/cli/setup_cmds.py" line="27"/>
        <source>网点代码（默认：唯一的网点）</source>
        <translation>site code (default: the only site)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/plan_cmds.py" line="59"/>
        <source>参考此前几周的历史（默认 4）</source>
        <translation>weeks of history before it (default 4)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/plan_cmds.py" line="61"/>
        <source>等候时间在业务目标内的比例（默认 0.8）</source>
        <translation>share of waits within the service&apos;s target (default 0.8)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/plan_cmds.py" line="63"/>
        <source>每天模拟几次以检验所建议的窗口数（默认 {runs}；0：只用 Erlang C）</source>
        <translation>simulated runs of each day checking the proposed windows (default {runs}; 0: Erlang C only)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/plan_cmds.py" line="69"/>
        <source>同时把排班写成 Excel 工作簿（已有的普通文件会被替换；符号链接、设备或 FIFO 会被拒绝）</source>
        <translation>also write the plan as an Excel workbook (an existing regular file is replaced; a symlink, device or FIFO is refused)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/plan_cmds.py" line="76"/>
        <source>列出记录的潮汐窗口建议</source>
        <translation>the overflow window suggestions the supervisor&apos;s live view recorded, newest first</translation>
    </message>
    <message>
        <location filename="../../shared/cli/plan_cmds.py" line="77"/>
        <source>潮汐窗口</source>
        <translation>overflow window suggestions</translation>
    </message>
    <message>
        <location filename="../../shared/cli/plan_cmds.py" line="80"/>
        <source>起始日（当地日期；默认：全部）</source>
        <translation>first local day (default: all)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/plan_cmds.py" line="82"/>
        <source>截止日（当地日期；默认：全部）</source>
        <translation>last local day (default: all)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/plan_cmds.py" line="83"/>
        <source>只看一项业务</source>
        <translation>one service only</translation>
    </message>
    <message>
        <location filename="../../shared/cli/plan_cmds.py" line="85"/>
        <source>最多列出 N 条建议（默认 {count}）</source>
        <translation>at most N suggestions (default {count})</translation>
    </message>
    <message>
        <location filename="../../shared/cli/plan_cmds.py" line="106"/>
        <source>没有记录的潮汐窗口建议</source>
        <translation>no overflow suggestions recorded</translation>
    </message>
    <message>
        <location filename="../../shared/cli/plan_cmds.py" line="109"/>
        <location filename="../../shared/cli/plan_cmds.py" line="189"/>
        <location filename="../../shared/cli/plan_cmds.py" line="207"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../shared/cli/plan_cmds.py" line="110"/>
        <source>无</source>
        <translation>none</translation>
    </message>
    <message>
        <location filename="../../shared/cli/plan_cmds.py" line="111"/>
        <source>{at} {code} {service}：预计等候 {minutes} 分钟（目标 {target} 分钟），{waiting} 人等候，可协助窗口 {windows}</source>
        <translation>{at} {code} {service}: predicted wait {minutes} minutes (target {target}), {waiting} waiting, windows that can help: {windows}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/plan_cmds.py" line="116"/>
        <source>共 {count} 条</source>
        <translation>{count} suggestions</translation>
    </message>
    <message>
        <location filename="../../shared/cli/plan_cmds.py" line="178"/>
        <source>{site} 排班建议：{week} 起一周，依据 {first} 至 {last}，目标 {goal} 在时限内叫号</source>
        <translation>{site} staffing plan for the week of {week}, from {first} to {last}; goal: {goal} called in time</translation>
    </message>
    <message>
        <location filename="../../shared/cli/plan_cmds.py" line="186"/>
        <source>模拟</source>
        <translation>simulation</translation>
    </message>
    <message>
        <location filename="../../shared/cli/plan_cmds.py" line="188"/>
        <source>← 窗口不足（{verdicts}）</source>
        <translation>← windows short ({verdicts})</translation>
    </message>
    <message>
        <location filename="../../shared/cli/plan_cmds.py" line="191"/>
        <source>{weekday} {day} {slot} {service}: {windows} 个窗口（每小时 {arrivals} 人，每人 {handle} 分钟，预计 {level} 在时限内，平均等候 {wait} 分钟；现有 {serving} 个）{mark}</source>
        <translation>{weekday} {day} {slot} {service}: {windows} windows ({arrivals} an hour, {handle} minutes each, {level} expected in time, mean wait {wait} minutes; {serving} now){mark}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/plan_cmds.py" line="208"/>
        <source>{numbers} 号</source>
        <translation>{numbers}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/plan_cmds.py" line="212"/>
        <source>另需增派 {extra} 人</source>
        <translation>{extra} more clerks needed</translation>
    </message>
    <message>
        <location filename="../../shared/cli/plan_cmds.py" line="213"/>
        <source>{weekday} {day} {slot} 开放 {count} 个窗口：{which}</source>
        <translation>{weekday} {day} {slot} open {count} windows: {which}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/plan_cmds.py" line="216"/>
        <source>，模拟 {count} 处</source>
        <translation>, {count} by simulation</translation>
    </message>
    <message>
        <location filename="../../shared/cli/plan_cmds.py" line="221"/>
        <source>合计 {hours} 窗口小时（各业务分别按 Erlang C 合计 {erlang}），窗口不足：Erlang C {short} 处{simulated}</source>
        <translation>{hours} window-hours in all ({erlang} by Erlang C for each service alone); short: {short} by Erlang C{simulated}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/print_cmds.py" line="19"/>
        <location filename="../../shared/cli/ticket_cmds.py" line="30"/>
        <source>票号与叫号</source>
        <translation>tickets: issue, call, serve, transfer, list</translation>
    </message>
    <message>
        <location filename="../../shared/cli/print_cmds.py" line="26"/>
        <source>打印或补打凭条</source>
        <translation>print or reprint a ticket&apos;s slip, or save it as a PDF</translation>
    </message>
    <message>
        <location filename="../../shared/cli/print_cmds.py" line="29"/>
        <source>票的 id，或当日的号码如 A017</source>
        <translation>id, or number such as A017 (today)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/print_cmds.py" line="31"/>
        <source>如 tcp://192.168.1.50:9100（默认：配置文件中的 kiosk.printer）</source>
        <translation>e.g. tcp://192.168.1.50:9100 (default: kiosk.printer in the config)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/print_cmds.py" line="34"/>
        <source>text（GB18030 字库打印机）、raster（任何打印机）或 pdf（默认：kiosk.print_mode）</source>
        <translation>text (GB18030 firmware), raster (any printer) or pdf (default: kiosk.print_mode)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/print_cmds.py" line="37"/>
        <source>PDF 文件（pdf 模式）</source>
        <translation>the PDF file (mode pdf)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/print_cmds.py" line="39"/>
        <source>纸宽（默认：kiosk.paper_width_mm）</source>
        <translation>paper width (default: kiosk.paper_width_mm)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/print_cmds.py" line="65"/>
        <source>已保存 {number} 的凭条 PDF：{path}</source>
        <translation>saved the slip of {number} as PDF: {path}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/print_cmds.py" line="68"/>
        <source>已打印 {number} 的凭条</source>
        <translation>printed the slip of {number}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/privacy_cmds.py" line="14"/>
        <source>删除过期的群众个人信息</source>
        <translation>erase names and phones older than N days; statistics are kept</translation>
    </message>
    <message>
        <location filename="../../shared/cli/privacy_cmds.py" line="15"/>
        <source>个人信息</source>
        <translation>citizens&apos; personal data: purge</translation>
    </message>
    <message>
        <location filename="../../shared/cli/privacy_cmds.py" line="17"/>
        <source>保留天数（默认：配置文件的 privacy_days，180）</source>
        <translation>days to keep (default: the config&apos;s privacy_days, 180)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/privacy_cmds.py" line="26"/>
        <source>已删除 {before} 之前的个人信息：预约 {appointments} 条，评价 {evaluations} 条，回访 {follow_ups} 条</source>
        <translation>erased before {before}: {appointments} appointments, {evaluations} evaluation comments, {follow_ups} follow-up notes</translation>
    </message>
    <message>
        <location filename="../../shared/cli/stats_cmds.py" line="30"/>
        <source>统计</source>
        <translation>statistics for a date range: waits, service times, satisfaction</translation>
    </message>
    <message>
        <location filename="../../shared/cli/stats_cmds.py" line="31"/>
        <source>报表</source>
        <translation>write the statistics as a PDF, XLSX or CSV report</translation>
    </message>
    <message>
        <location filename="../../shared/cli/stats_cmds.py" line="42"/>
        <source>monthly：--month 所指月份的月度通报</source>
        <translation>monthly: the monthly bulletin of --month</translation>
    </message>
    <message>
        <location filename="../../shared/cli/stats_cmds.py" line="44"/>
        <source>通报的月份（与 monthly 一起用）</source>
        <translation>the bulletin&apos;s month (with monthly)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/stats_cmds.py" line="47"/>
        <source>pdf、xlsx 或 csv</source>
        <translation>pdf, xlsx or csv</translation>
    </message>
    <message>
        <location filename="../../shared/cli/stats_cmds.py" line="49"/>
        <source>要写的文件（已存在则替换）</source>
        <translation>the file to write (replaced if it exists)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/stats_cmds.py" line="54"/>
        <source>起始营业日（含当日）</source>
        <translation>first business day (included)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/stats_cmds.py" line="56"/>
        <source>截止营业日（含当日）</source>
        <translation>last business day (included)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/stats_cmds.py" line="57"/>
        <source>网点代码（默认：所有网点）</source>
        <translation>site code (default: every site)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/stats_cmds.py" line="59"/>
        <source>只统计此业务（可重复给出多个）</source>
        <translation>only this service (repeat for several)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/stats_cmds.py" line="61"/>
        <source>只统计此部门（可重复给出多个）</source>
        <translation>only this department (repeat for several)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/stats_cmds.py" line="63"/>
        <source>只统计在此窗口叫号的（须同时给出 --site）</source>
        <translation>only stays called at this window (needs --site)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/stats_cmds.py" line="65"/>
        <source>只统计此人员办理的</source>
        <translation>only stays handled by this clerk</translation>
    </message>
    <message>
        <location filename="../../shared/cli/stats_cmds.py" line="68"/>
        <source>只统计此类票</source>
        <translation>only this ticket kind</translation>
    </message>
    <message>
        <location filename="../../shared/cli/stats_cmds.py" line="103"/>
        <source>已生成报表 {path}</source>
        <translation>report written: {path}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/stats_cmds.py" line="134"/>
        <source>已生成月度通报 {path}</source>
        <translation>monthly bulletin written: {path}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/stats_cmds.py" line="149"/>
        <source>{what}（分钟） 平均 {mean}  中位 {median}  P90 {p90}  最长 {longest}</source>
        <translation>{what} (minutes): mean {mean}  median {median}  P90 {p90}  longest {longest}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/stats_cmds.py" line="152"/>
        <source>{site}  {first} 至 {last}</source>
        <translation>{site}  {first} to {last}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/stats_cmds.py" line="154"/>
        <source>取号 {issued}  已办理 {served}  过号 {no_show}  取消 {cancelled}  转办 {transferred}  过期 {expired}</source>
        <translation>issued {issued}  served {served}  no-shows {no_show}  cancelled {cancelled}  transferred {transferred}  expired {expired}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/stats_cmds.py" line="158"/>
        <source>等候</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../shared/cli/stats_cmds.py" line="161"/>
        <source>办理</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../../shared/cli/stats_cmds.py" line="165"/>
        <source>服务水平 {level}  一次办结率 {one_visit}  满意率 {rate}  评价覆盖率 {coverage}  回访 未结 {open} / 已结 {closed}</source>
        <translation>service level {level}  one-visit share {one_visit}  satisfaction {rate}  evaluation coverage {coverage}  follow-ups open {open} / closed {closed}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/stats_cmds.py" line="170"/>
        <source>已评价 {rated}  未评价（未选等级） {not_rated}  未参评（办理后无评价） {never}</source>
        <translation>rated {rated}  not rated (no level chosen) {not_rated}  never rated (no evaluation after service) {never}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/stats_cmds.py" line="173"/>
        <source>回访率 {contact}  整改率 {rectify}  逾期 {overdue}  申诉 {appealed}</source>
        <translation>contact rate {contact}  rectification rate {rectify}  overdue {overdue}  appealed {appealed}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/stats_cmds.py" line="178"/>
        <source>{label} 取号 {issued}  已办理 {served}  平均等候 {wait}  服务水平 {level}</source>
        <translation>{label} issued {issued}  served {served}  mean wait {wait}  service level {level}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/stats_cmds.py" line="181"/>
        <source>— 按{dimension} —</source>
        <translation>— by {dimension} —</translation>
    </message>
    <message>
        <location filename="../../shared/cli/terminal_cmds.py" line="11"/>
        <source>终端设备</source>
        <translation>terminals: list their health</translation>
    </message>
    <message>
        <location filename="../../shared/cli/terminal_cmds.py" line="16"/>
        <source>列出各终端的状态：心跳、打印机、声音、版本</source>
        <translation>list terminals: heartbeat, printer, sound, version</translation>
    </message>
    <message>
        <location filename="../../shared/cli/terminal_cmds.py" line="27"/>
        <source>尚无终端上报心跳</source>
        <translation>no terminal has reported yet</translation>
    </message>
    <message>
        <location filename="../../shared/cli/terminal_cmds.py" line="30"/>
        <source>正常</source>
        <translation>ok</translation>
    </message>
    <message>
        <location filename="../../shared/cli/terminal_cmds.py" line="32"/>
        <source>；最近错误：{error}</source>
        <translation>; last error: {error}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/terminal_cmds.py" line="35"/>
        <source>{kind} {name} {site} {host} v{version} 打印机 {printer} {seconds}s 前  {problems}</source>
        <translation>{kind} {name} {site} {host} v{version} printer {printer} {seconds}s ago  {problems}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/ticket_cmds.py" line="35"/>
        <source>重新叫号</source>
        <translation>call the same number again</translation>
    </message>
    <message>
        <location filename="../../shared/cli/ticket_cmds.py" line="36"/>
        <source>{number} 已重新叫号</source>
        <translation>{number} recalled</translation>
    </message>
    <message>
        <location filename="../../shared/cli/ticket_cmds.py" line="37"/>
        <source>标记过号</source>
        <translation>the citizen did not come</translation>
    </message>
    <message>
        <location filename="../../shared/cli/ticket_cmds.py" line="38"/>
        <source>{number} 已标记过号</source>
        <translation>{number} marked no-show</translation>
    </message>
    <message>
        <location filename="../../shared/cli/ticket_cmds.py" line="39"/>
        <source>过号重排</source>
        <translation>a no-show came back; re-queue</translation>
    </message>
    <message>
        <location filename="../../shared/cli/ticket_cmds.py" line="40"/>
        <source>{number} 已重新排队</source>
        <translation>{number} reinstated</translation>
    </message>
    <message>
        <location filename="../../shared/cli/ticket_cmds.py" line="41"/>
        <source>开始办理</source>
        <translation>the citizen is at the window</translation>
    </message>
    <message>
        <location filename="../../shared/cli/ticket_cmds.py" line="42"/>
        <source>{number} 开始办理</source>
        <translation>{number} started</translation>
    </message>
    <message>
        <location filename="../../shared/cli/ticket_cmds.py" line="43"/>
        <source>{number} 已取消</source>
        <translation>{number} cancelled</translation>
    </message>
    <message>
        <location filename="../../shared/cli/ticket_cmds.py" line="43"/>
        <source>取消</source>
        <translation>withdraw the number</translation>
    </message>
    <message>
        <location filename="../../shared/cli/ticket_cmds.py" line="48"/>
        <source>取号</source>
        <translation>issue a number</translation>
    </message>
    <message>
        <location filename="../../shared/cli/ticket_cmds.py" line="54"/>
        <source>延时服务：工作人员在办公时间外取号（不超过限额）</source>
        <translation>after-hours service: staff issuing outside the opening hours (not past the quota)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/ticket_cmds.py" line="57"/>
        <source>叫下一位</source>
        <translation>call the next ticket for a window; exit 3 if nobody waits</translation>
    </message>
    <message>
        <location filename="../../shared/cli/ticket_cmds.py" line="60"/>
        <source>叫指定号</source>
        <translation>call a specific number</translation>
    </message>
    <message>
        <location filename="../../shared/cli/ticket_cmds.py" line="69"/>
        <source>票的 id，或号码如 A017</source>
        <translation>id, or number such as A017</translation>
    </message>
    <message>
        <location filename="../../shared/cli/ticket_cmds.py" line="72"/>
        <source>办理完成</source>
        <translation>service ended, with its outcome</translation>
    </message>
    <message>
        <location filename="../../shared/cli/ticket_cmds.py" line="78"/>
        <source>本次办结的办件编号；可重复给出多个</source>
        <translation>a case number the visit ended; repeat for several</translation>
    </message>
    <message>
        <location filename="../../shared/cli/ticket_cmds.py" line="80"/>
        <source>与 --outcome materials-missing 一起用：群众所缺的材料，按事项目录中的名称（可重复给出多个）</source>
        <translation>with --outcome materials-missing: a material of the service the citizen lacked, as the catalog names it (repeat for several)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/ticket_cmds.py" line="84"/>
        <source>转办</source>
        <translation>hand over to another service or window; the number is kept</translation>
    </message>
    <message>
        <location filename="../../shared/cli/ticket_cmds.py" line="91"/>
        <source>给下一个窗口的备注</source>
        <translation>what the next window should know</translation>
    </message>
    <message>
        <location filename="../../shared/cli/ticket_cmds.py" line="94"/>
        <source>列出某营业日的票</source>
        <translation>a business day&apos;s tickets, in issue order</translation>
    </message>
    <message>
        <location filename="../../shared/cli/ticket_cmds.py" line="97"/>
        <source>营业日（默认：网点的今天）</source>
        <translation>business day (default: today at the site)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/ticket_cmds.py" line="98"/>
        <source>查看一张票</source>
        <translation>show one ticket</translation>
    </message>
    <message>
        <location filename="../../shared/cli/ticket_cmds.py" line="105"/>
        <source>叫号的窗口</source>
        <translation>the calling window</translation>
    </message>
    <message>
        <location filename="../../shared/cli/ticket_cmds.py" line="127"/>
        <source>，预计等候 {minutes} 分钟</source>
        <translation>, about {minutes} minutes&apos; wait</translation>
    </message>
    <message>
        <location filename="../../shared/cli/ticket_cmds.py" line="129"/>
        <source>已取号 {number} ({service}) 前面 {ahead} 人{wait}</source>
        <translation>issued {number} ({service}), {ahead} ahead{wait}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/ticket_cmds.py" line="141"/>
        <source>{number} 已办理完成</source>
        <translation>finished {number} first</translation>
    </message>
    <message>
        <location filename="../../shared/cli/ticket_cmds.py" line="161"/>
        <source>请 {number} 号到 {window} 号窗口办理 · {service}</source>
        <translation>called {number} to window {window} · {service}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/ticket_cmds.py" line="176"/>
        <source>{number} 已办理，结果：{outcome}</source>
        <translation>{number} finished: {outcome}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/ticket_cmds.py" line="186"/>
        <source>{window} 号窗口</source>
        <translation>window {window}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/ticket_cmds.py" line="188"/>
        <source>{number} 已转至 {where}</source>
        <translation>{number} transferred to {where}</translation>
    </message>
    <message>
        <location filename="../../shared/cli/ticket_cmds.py" line="206"/>
        <source>这一天没有票</source>
        <translation>no tickets on that business day</translation>
    </message>
    <message>
        <location filename="../../shared/staffing.py" line="645"/>
        <source>未经模拟检验（--runs 0）：各业务按 Erlang C 估算的窗口按权重折算为本站点窗口，不足时增派人员</source>
        <translation>not checked by simulation (--runs 0): each service&apos;s Erlang C windows weighted onto the site&apos;s windows, extra staff where too few</translation>
    </message>
    <message>
        <location filename="../../shared/cli/pin_cmds.py" line="17"/>
        <source>生成自助机 PIN 的哈希</source>
        <translation>hash a kiosk PIN for its config file</translation>
    </message>
    <message>
        <location filename="../../shared/cli/pin_cmds.py" line="18"/>
        <source>自助机 PIN</source>
        <translation>kiosk PINs: hash</translation>
    </message>
    <message>
        <location filename="../../shared/cli/pin_cmds.py" line="20"/>
        <source>staff：导办台 PIN；admin：退出全屏或关闭程序</source>
        <translation>staff: the guide desk&apos;s PIN; admin: leave full screen / quit</translation>
    </message>
    <message>
        <location filename="../../shared/cli/setup_cmds.py" line="18"/>
        <source>设置本机终端：写配置并检查数据库、打印机、声音和屏幕</source>
        <translation>set up this PC&apos;s terminal: write its config, check database, printer, sound and screens</translation>
    </message>
    <message>
        <location filename="../../shared/cli/setup_cmds.py" line="19"/>
        <source>本机设置</source>
        <translation>this PC&apos;s set-up: terminal</translation>
    </message>
    <message>
        <location filename="../../shared/cli/setup_cmds.py" line="21"/>
        <source>本机的用途：kiosk、counter、display 或 supervisor</source>
        <translation>what this PC is: kiosk, counter, display or supervisor</translation>
    </message>
    <message>
        <location filename="../../shared/cli/setup_cmds.py" line="23"/>
        <source>本终端使用的数据库 URL，如 postgresql+psycopg://kiosk1:PASSWORD@192.168.1.10/hallq</source>
        <translation>the database URL this terminal uses, e.g. postgresql+psycopg://kiosk1:PASSWORD@192.168.1.10/hallq</translation>
    </message>
    <message>
        <location filename="../../shared/cli/setup_cmds.py" line="29"/>
        <source>counter：本机的窗口号（默认：登录时选择）</source>
        <translation>counter: this PC&apos;s window (default: chosen at login)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/setup_cmds.py" line="31"/>
        <source>kiosk/counter：如 tcp://192.168.1.50:9100（见 docs/printing.md）</source>
        <translation>kiosk/counter: e.g. tcp://192.168.1.50:9100 (docs/printing.md)</translation>
    </message>
    <message>
        <location filename="../../shared/cli/setup_cmds.py" line="34"/>
        <source>同时在打印机上打印一张测试小票</source>
        <translation>also print a test slip on the printer</translation>
    </message>
    <message>
        <location filename="../../shared/cli/setup_cmds.py" line="36"/>
        <source>要写的配置文件（默认：{path}）</source>
        <translation>the config file to write (default: {path})</translation>
    </message>
    <message>
        <location filename="../../shared/cli/setup_cmds.py" line="39"/>
        <source>替换已有的配置（旧的保存为 .bak）</source>
        <translation>replace an existing config (kept as .bak)</translation>
    </message>
    <message>
        <location filename="../../shared/options.py" line="26"/>
        <source>数据库 URL；优先于 $HALLQ_DATABASE_URL 和配置文件</source>
        <translation>database URL; wins over $HALLQ_DATABASE_URL and the config file</translation>
    </message>
    <message>
        <location filename="../../shared/options.py" line="28"/>
        <source>终端配置文件（TOML；默认在系统的配置目录中）</source>
        <translation>terminal config file (TOML; default: the platform config directory)</translation>
    </message>
    <message>
        <location filename="../../shared/options.py" line="30"/>
        <location filename="../../shared/web/main.py" line="57"/>
        <source>日志同时写到标准错误输出</source>
        <translation>also log to stderr</translation>
    </message>
    <message>
        <location filename="../../shared/demo.py" line="86"/>
        <source>— 模拟上午：{site} —</source>
        <translation>— simulated morning: {site} —</translation>
    </message>
    <message>
        <location filename="../../shared/demo.py" line="92"/>
        <source>取号 {number} {label}{service}，前面 {ahead} 人</source>
        <translation>took {number} {label}{service}, {ahead} ahead</translation>
    </message>
    <message>
        <location filename="../../shared/demo.py" line="105"/>
        <source>— 共取号 {issued} 张，已办理 {finished} 张，过号 {no_show} 张 —</source>
        <translation>— {issued} numbers taken, {finished} served, {no_show} did not come —</translation>
    </message>
    <message>
        <location filename="../../shared/demo.py" line="116"/>
        <source>{window} 号窗口办理完成 {number}（{outcome}）</source>
        <translation>window {window} finished {number} ({outcome})</translation>
    </message>
    <message>
        <location filename="../../shared/demo.py" line="121"/>
        <source>请 {number} 号到 {window} 号窗口办理</source>
        <translation>number {number}, please go to window {window}</translation>
    </message>
    <message>
        <location filename="../../shared/demo.py" line="125"/>
        <source>{number} 过号</source>
        <translation>{number} did not come</translation>
    </message>
    <message>
        <location filename="../../shared/demo.py" line="194"/>
        <source>正在停止各终端（信号 {number}）</source>
        <translation>stopping the terminals (signal {number})</translation>
    </message>
    <message>
        <location filename="../../shared/demo.py" line="211"/>
        <source>演示：在本机 SQLite 上模拟大厅的一个上午</source>
        <translation>Demo: a simulated morning of a hall on a local SQLite file</translation>
    </message>
    <message>
        <location filename="../../shared/demo.py" line="214"/>
        <source>在终端中运行模拟的上午，不开窗口</source>
        <translation>run the simulated morning in the terminal, no windows</translation>
    </message>
    <message>
        <location filename="../../shared/demo.py" line="216"/>
        <source>演示用 SQLite 文件（默认：用户数据目录下的 demo/demo.db）</source>
        <translation>demo SQLite file (default: demo/demo.db in the user data folder)</translation>
    </message>
    <message>
        <location filename="../../shared/demo.py" line="218"/>
        <location filename="../../shared/web/main.py" line="59"/>
        <source>帮助与提示的语言</source>
        <translation>language of the help and messages</translation>
    </message>
    <message>
        <location filename="../../shared/demo.py" line="223"/>
        <source>演示数据库：{path}</source>
        <translation>demo database: {path}</translation>
    </message>
    <message>
        <location filename="../../shared/demo.py" line="224"/>
        <source>演示工作人员：demo1、demo2（窗口 1、3），boss（主任）；密码 {password}</source>
        <translation>demo clerks: demo1, demo2 (windows 1, 3), boss (head of the hall); password {password}</translation>
    </message>
    <message>
        <location filename="../../shared/demo.py" line="228"/>
        <source>没有可用的显示器，改为在终端中模拟</source>
        <translation>no display found: running the headless simulation instead</translation>
    </message>
    <message>
        <location filename="../../shared/qt/app.py" line="53"/>
        <source>网点代码（优先于配置文件）</source>
        <translation>site code (overrides the config)</translation>
    </message>
    <message>
        <location filename="../../shared/qt/app.py" line="54"/>
        <source>界面语言</source>
        <translation>UI language</translation>
    </message>
    <message>
        <location filename="../../shared/qt/app.py" line="55"/>
        <source>不全屏（窗口模式）</source>
        <translation>not full screen (windowed)</translation>
    </message>
    <message>
        <location filename="../../shared/web/main.py" line="35"/>
        <source>群众手机页面服务：取号进度、大厅公开页、远程取号（见 docs/web.md）</source>
        <translation>Serves the citizen&apos;s phone pages: a ticket&apos;s progress, the public hall page, remote tickets (docs/web.md)</translation>
    </message>
    <message>
        <location filename="../../shared/web/main.py" line="37"/>
        <source>配置文件（默认在系统的配置目录中）</source>
        <translation>config file (default: in the system&apos;s config folder)</translation>
    </message>
    <message>
        <location filename="../../shared/web/main.py" line="39"/>
        <source>数据库 URL（只读登录；见 docs/web.md）</source>
        <translation>database URL (a read-only login; docs/web.md)</translation>
    </message>
    <message>
        <location filename="../../shared/web/main.py" line="41"/>
        <source>监听地址（默认 127.0.0.1，置于反向代理之后）</source>
        <translation>address to listen on (default 127.0.0.1, behind a reverse proxy)</translation>
    </message>
    <message>
        <location filename="../../shared/web/main.py" line="42"/>
        <source>端口（默认 8080）</source>
        <translation>port (default 8080)</translation>
    </message>
    <message>
        <location filename="../../shared/web/main.py" line="44"/>
        <source>可信的反向代理，其 X-Forwarded-For 指明客户端（可重复）</source>
        <translation>reverse proxy whose X-Forwarded-For names the client (repeatable)</translation>
    </message>
    <message>
        <location filename="../../shared/web/main.py" line="47"/>
        <source>每个客户端每分钟的请求数（默认 120；0 表示不限）</source>
        <translation>requests per client per minute (default 120; 0 turns it off)</translation>
    </message>
    <message>
        <location filename="../../shared/web/main.py" line="49"/>
        <source>客户端可一次发出的请求数（默认 40）</source>
        <translation>requests a client may make at once (default 40)</translation>
    </message>
    <message>
        <location filename="../../shared/web/main.py" line="51"/>
        <source>实时更新连接总数的上限（默认 5000）</source>
        <translation>open live-update connections, all clients (default 5000)</translation>
    </message>
    <message>
        <location filename="../../shared/web/main.py" line="53"/>
        <source>短信/微信提醒网关地址（见 docs/web.md）；其令牌读自 $HALLQ_GATEWAY_TOKEN</source>
        <translation>SMS / WeChat gateway endpoint for reminders (docs/web.md); its bearer token is read from $HALLQ_GATEWAY_TOKEN</translation>
    </message>
    <message>
        <location filename="../../shared/web/main.py" line="56"/>
        <source>前面还有 N 人时发送“快到了”提醒（默认 3）</source>
        <translation>send the &quot;almost your turn&quot; reminder at N people ahead (default 3)</translation>
    </message>
    <message>
        <location filename="../../shared/web/main.py" line="75"/>
        <source>--port {port} 须为 1-65535</source>
        <translation>--port {port}: must be 1-65535</translation>
    </message>
    <message>
        <location filename="../../shared/web/main.py" line="77"/>
        <source>--rate-limit 须不小于 0，--burst 须至少为 1</source>
        <translation>--rate-limit must be 0 or more and --burst at least 1</translation>
    </message>
    <message>
        <location filename="../../shared/web/main.py" line="79"/>
        <source>--max-watchers 须至少为 1</source>
        <translation>--max-watchers must be at least 1</translation>
    </message>
    <message>
        <location filename="../../shared/web/main.py" line="84"/>
        <source>--trusted-proxy {proxy} 不是 IP 地址</source>
        <translation>--trusted-proxy {proxy}: not an IP address</translation>
    </message>
    <message>
        <location filename="../../shared/web/main.py" line="87"/>
        <source>--gateway-url {url} 须为 http(s) 地址</source>
        <translation>--gateway-url {url}: must be an http(s) address</translation>
    </message>
    <message>
        <location filename="../../shared/web/main.py" line="90"/>
        <source>--notify-ahead 须为 0-50</source>
        <translation>--notify-ahead must be 0-50</translation>
    </message>
    <message>
        <location filename="../../shared/web/main.py" line="92"/>
        <source>；</source>
        <translation>; </translation>
    </message>
</context>
<context>
    <name>DeviceText</name>
    <message>
        <location filename="../../shared/heartbeats.py" line="203"/>
        <source>正常</source>
        <translation>ready</translation>
    </message>
    <message>
        <location filename="../../shared/heartbeats.py" line="204"/>
        <source>纸将用完</source>
        <translation>paper low</translation>
    </message>
    <message>
        <location filename="../../shared/heartbeats.py" line="205"/>
        <source>缺纸</source>
        <translation>out of paper</translation>
    </message>
    <message>
        <location filename="../../shared/heartbeats.py" line="206"/>
        <source>机盖打开</source>
        <translation>cover open</translation>
    </message>
    <message>
        <location filename="../../shared/heartbeats.py" line="207"/>
        <source>离线</source>
        <translation>offline</translation>
    </message>
    <message>
        <location filename="../../shared/heartbeats.py" line="208"/>
        <source>连接不上</source>
        <translation>unreachable</translation>
    </message>
    <message>
        <location filename="../../shared/heartbeats.py" line="235"/>
        <source>打印出错</source>
        <translation>printing failed</translation>
    </message>
    <message>
        <location filename="../../shared/heartbeats.py" line="236"/>
        <source>语音播报出错</source>
        <translation>voice announcement failed</translation>
    </message>
    <message>
        <location filename="../../shared/heartbeats.py" line="237"/>
        <source>数据库连接出错</source>
        <translation>database connection failed</translation>
    </message>
    <message>
        <location filename="../../shared/heartbeats.py" line="239"/>
        <source>程序出错</source>
        <translation>program error</translation>
    </message>
</context>
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
    <name>HcpError</name>
    <message>
        <location filename="../../shared/hcp.py" line="458"/>
        <source>省级系统拒收（HTTP {code}），不再自动重试</source>
        <translation>refused by the provincial system (HTTP {code}), not retried</translation>
    </message>
    <message>
        <location filename="../../shared/hcp.py" line="460"/>
        <source>省级系统出错（HTTP {code}），将自动重试</source>
        <translation>provincial system error (HTTP {code}), will retry</translation>
    </message>
    <message>
        <location filename="../../shared/hcp.py" line="462"/>
        <source>省级系统 {seconds} 秒内未应答，将自动重试</source>
        <translation>no answer from the provincial system within {seconds} s, will retry</translation>
    </message>
    <message>
        <location filename="../../shared/hcp.py" line="464"/>
        <source>连接不上省级系统，将自动重试</source>
        <translation>cannot reach the provincial system, will retry</translation>
    </message>
    <message>
        <location filename="../../shared/hcp.py" line="466"/>
        <source>与省级系统的连接中断，将自动重试</source>
        <translation>connection to the provincial system lost, will retry</translation>
    </message>
    <message>
        <location filename="../../shared/hcp.py" line="468"/>
        <source>上报失败（详见日志）</source>
        <translation>upload failed (see the log)</translation>
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
        <source>取号（票数）</source>
        <translation>Issued (tickets)</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="34"/>
        <location filename="../../shared/reports/text.py" line="66"/>
        <source>转入</source>
        <translation>Transferred in</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="35"/>
        <location filename="../../shared/reports/text.py" line="67"/>
        <source>已办理</source>
        <translation>Served</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="36"/>
        <location filename="../../shared/reports/text.py" line="68"/>
        <source>转出</source>
        <translation>Transferred out</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="37"/>
        <location filename="../../shared/reports/text.py" line="69"/>
        <source>过号</source>
        <translation>No-shows</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="38"/>
        <location filename="../../shared/reports/text.py" line="70"/>
        <source>取消</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="39"/>
        <location filename="../../shared/reports/text.py" line="79"/>
        <source>过期未办</source>
        <translation>Expired</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="40"/>
        <location filename="../../shared/reports/text.py" line="80"/>
        <source>进行中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="41"/>
        <location filename="../../shared/reports/text.py" line="158"/>
        <source>未参评（办理后无评价）</source>
        <translation>Never rated (served, no evaluation)</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="42"/>
        <source>未评价（评价未选等级）</source>
        <translation>Not rated (evaluation saved without a level)</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="43"/>
        <source>应评价（按办件）</source>
        <translation>Ratings due (one per case)</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="44"/>
        <location filename="../../shared/reports/text.py" line="91"/>
        <source>回访未结</source>
        <translation>Follow-ups open</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="45"/>
        <location filename="../../shared/reports/text.py" line="92"/>
        <source>回访已结</source>
        <translation>Follow-ups closed</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="46"/>
        <source>应回访差评（未申诉）</source>
        <translation>Follow-ups due (not appealed)</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="47"/>
        <source>已回访</source>
        <translation>Contacted</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="48"/>
        <source>已整改</source>
        <translation>Rectified</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="54"/>
        <source>服务水平（目标时间内叫号）</source>
        <translation>Service level (called within target)</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="55"/>
        <source>一次办结率</source>
        <translation>One-visit share</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="56"/>
        <location filename="../../shared/reports/text.py" line="78"/>
        <source>满意率</source>
        <translation>Satisfaction</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="57"/>
        <location filename="../../shared/reports/text.py" line="90"/>
        <source>评价覆盖率</source>
        <translation>Rating coverage</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="58"/>
        <source>回访率</source>
        <translation>Return-visit rate</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="59"/>
        <source>整改率</source>
        <translation>Rectification rate</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="65"/>
        <source>取号</source>
        <translation>Issued</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="71"/>
        <source>平均等候</source>
        <translation>Mean wait</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="72"/>
        <source>等候中位</source>
        <translation>Median wait</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="73"/>
        <source>等候P90</source>
        <translation>Wait P90</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="74"/>
        <source>最长等候</source>
        <translation>Longest wait</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="75"/>
        <source>服务水平</source>
        <translation>Service level</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="76"/>
        <source>平均办理</source>
        <translation>Mean service</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="77"/>
        <source>办理P90</source>
        <translation>Service P90</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="81"/>
        <source>等候人次</source>
        <translation>Waits</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="82"/>
        <source>办理人次</source>
        <translation>Services</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="83"/>
        <source>办理中位</source>
        <translation>Median service</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="84"/>
        <source>最长办理</source>
        <translation>Longest service</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="85"/>
        <source>已评价</source>
        <translation>Rated</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="86"/>
        <source>未评价</source>
        <translation>Not rated</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="87"/>
        <source>未参评</source>
        <translation>Never rated</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="88"/>
        <source>应评价</source>
        <translation>Ratings due</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="89"/>
        <source>已申诉</source>
        <translation>Appealed</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="101"/>
        <source>HallQueue 统计报表</source>
        <translation>HallQueue statistics report</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="102"/>
        <source>排队叫号统计报表</source>
        <translation>Queue statistics report</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="103"/>
        <source>统计口径：取号为发出的号数；已办理为办理结束的人次（不论结果），办结是办理结果之一，一次办结率 = 结果为办结的人次 ÷ 已办理人次；等候时间自进入队列起至引致办理的那次叫号，转办的每一段分别计算；办理时长自开始办理至办理结束；服务水平 = 在业务目标时间内叫号的人次 ÷ 有等候时间的人次；满意率 =（非常满意 + 满意）÷ 已评价数；评价覆盖率 = 已评价数 ÷ 应评价数，评价按办件计（一次一评：登记了办件编号的每个办件一次，未登记的每人次一次）；回访率 = 已回访的差评 ÷ 应回访的差评（未申诉的不满意、非常不满意），整改率 = 已整改的差评 ÷ 应回访的差评；中位数与 P90 采用最近秩法，取实测值。</source>
        <translation>Definitions: issued = numbers given out; served = visits whose service ended, whatever the outcome; completed is one of the outcomes, and the one-visit share = visits completed ÷ visits served. Waiting time runs from arrival in the queue to the call that led to service, counted separately for each stay of a transferred case; service time runs from the start of service to its end; service level = visits called within the service&apos;s target time ÷ visits with a waiting time; satisfaction rate = (very satisfied + satisfied) ÷ ratings; evaluation coverage = ratings ÷ ratings due, ratings counted per case (one rating per case: once per case number entered, once per visit without one); return-visit rate = bad ratings contacted ÷ bad ratings due for a follow-up (dissatisfied and very dissatisfied, not appealed); rectification rate = bad ratings rectified ÷ bad ratings due for a follow-up. Medians and P90 use the nearest-rank method and are always measured values.</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="112"/>
        <source>报表说明</source>
        <translation>About this report</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="113"/>
        <source>图表</source>
        <translation>Charts</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="114"/>
        <source>本期无数据</source>
        <translation>No data in this period</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="115"/>
        <source>第 {page} 页</source>
        <translation>Page {page}</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="116"/>
        <source>HallQueue 排队叫号系统</source>
        <translation>HallQueue queue management</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="118"/>
        <source>站点</source>
        <translation>Site</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="119"/>
        <source>{name}（{code}）</source>
        <translation>{name} ({code})</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="120"/>
        <source>全部站点</source>
        <translation>All sites</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="121"/>
        <source>日期范围</source>
        <translation>Date range</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="122"/>
        <source>{start} 至 {end}</source>
        <translation>{start} to {end}</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="123"/>
        <source>时区</source>
        <translation>Time zone</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="124"/>
        <source>票类型</source>
        <translation>Ticket kind</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="125"/>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="126"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="127"/>
        <source>生成时间</source>
        <translation>Generated</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="129"/>
        <source>总体数量</source>
        <translation>Totals</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="130"/>
        <source>指标</source>
        <translation>Measure</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="131"/>
        <source>数量</source>
        <translation>Count</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="133"/>
        <source>等候与办理时长（分钟）</source>
        <translation>Wait and service (minutes)</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="134"/>
        <source>时长</source>
        <translation>Duration</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="135"/>
        <source>人次</source>
        <translation>Count</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="136"/>
        <source>平均</source>
        <translation>Mean</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="137"/>
        <source>中位数</source>
        <translation>Median</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="138"/>
        <source>P90</source>
        <translation>P90</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="139"/>
        <source>最长</source>
        <translation>Longest</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="140"/>
        <source>等候</source>
        <translation>Wait</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="141"/>
        <source>办理</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="142"/>
        <location filename="../../shared/reports/text.py" line="143"/>
        <source>比率</source>
        <translation>Shares</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="150"/>
        <source>办理结果（{dimension}）</source>
        <translation>Outcomes ({dimension})</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="151"/>
        <source>已办理总数</source>
        <translation>Served</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="154"/>
        <source>满意度（好差评）</source>
        <translation>Satisfaction (ratings)</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="155"/>
        <source>评价</source>
        <translation>Rating</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="160"/>
        <source>{title}（秒）</source>
        <translation>{title} (seconds)</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="161"/>
        <source>等候与办理时长（秒）</source>
        <translation>Waiting and service times (seconds)</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="162"/>
        <source>取号热力图（星期 × 时段）</source>
        <translation>Tickets issued (weekday × hour)</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="163"/>
        <source>{hour:02d}时</source>
        <translation>{hour:02d}:00</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="168"/>
        <source>各时段取号量</source>
        <translation>Tickets issued per hour</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="169"/>
        <source>各业务等候时间（分钟）：蓝 平均，橙 P90</source>
        <translation>Wait per service (minutes): blue mean, orange P90</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="170"/>
        <source>本期无等候记录</source>
        <translation>No waits in this period</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="171"/>
        <source>（{part}/{parts}）</source>
        <translation> ({part}/{parts})</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="172"/>
        <source>注：过长的业务名称在图中以“…”截短，全名见“按业务”表。</source>
        <translation>Note: service names too long for the chart are shortened with “…”; the full names are in the By service table.</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="174"/>
        <source>取号热力图（星期 × 时段，颜色越深越忙）</source>
        <translation>Tickets issued (weekday × hour, darker is busier)</translation>
    </message>
    <message>
        <location filename="../../shared/reports/text.py" line="175"/>
        <source>评价分布</source>
        <translation>Ratings</translation>
    </message>
</context>
<context>
    <name>StartupError</name>
    <message>
        <location filename="../../shared/qt/app.py" line="93"/>
        <source>配置有误</source>
        <translation>configuration error</translation>
    </message>
</context>
<context>
    <name>Vocabulary</name>
    <message>
        <location filename="../../shared/vocabulary.py" line="21"/>
        <source>等候中</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="22"/>
        <source>已叫号</source>
        <translation>Called</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="23"/>
        <source>办理中</source>
        <translation>Serving</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="24"/>
        <source>已办理</source>
        <translation>Finished</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="25"/>
        <source>过号</source>
        <translation>No-show</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="26"/>
        <location filename="../../shared/vocabulary.py" line="43"/>
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="27"/>
        <source>已过期</source>
        <translation>Expired</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="30"/>
        <source>普通</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="31"/>
        <source>绿色通道</source>
        <translation>Green channel</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="32"/>
        <source>预约</source>
        <translation>Appointment</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="35"/>
        <source>办结</source>
        <translation>Completed</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="36"/>
        <source>受理</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="37"/>
        <source>材料不全</source>
        <translation>Materials missing</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="38"/>
        <source>咨询</source>
        <translation>Consultation</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="41"/>
        <source>已预约</source>
        <translation>booked</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="42"/>
        <source>已签到</source>
        <translation>checked in</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="47"/>
        <source>非常满意</source>
        <translation>Very satisfied</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="48"/>
        <location filename="../../shared/vocabulary.py" line="71"/>
        <source>满意</source>
        <translation>Satisfied</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="49"/>
        <location filename="../../shared/vocabulary.py" line="72"/>
        <source>基本满意</source>
        <translation>Fairly satisfied</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="50"/>
        <location filename="../../shared/vocabulary.py" line="73"/>
        <source>不满意</source>
        <translation>Dissatisfied</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="51"/>
        <source>非常不满意</source>
        <translation>Very dissatisfied</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="53"/>
        <source>未评价</source>
        <translation>Not rated</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="56"/>
        <source>周一</source>
        <translation>Mon</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="56"/>
        <source>周二</source>
        <translation>Tue</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="57"/>
        <source>周三</source>
        <translation>Wed</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="57"/>
        <source>周四</source>
        <translation>Thu</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="58"/>
        <source>周五</source>
        <translation>Fri</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="58"/>
        <source>周六</source>
        <translation>Sat</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="59"/>
        <source>周日</source>
        <translation>Sun</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="64"/>
        <source>待回访</source>
        <translation>To contact</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="65"/>
        <source>已回访</source>
        <translation>Contacted</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="66"/>
        <source>已整改</source>
        <translation>Rectified</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="67"/>
        <source>已办结</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="77"/>
        <source>恶意差评</source>
        <translation>Malicious rating</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="78"/>
        <source>误评</source>
        <translation>Mistaken rating</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="82"/>
        <source>业务</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="83"/>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="84"/>
        <source>窗口</source>
        <translation>Window</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="85"/>
        <source>工作人员</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="86"/>
        <source>时段</source>
        <translation>Hour</translation>
    </message>
    <message>
        <location filename="../../shared/vocabulary.py" line="87"/>
        <source>星期</source>
        <translation>Weekday</translation>
    </message>
</context>
</TS>
