<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>Cli</name>
    <message>
        <location filename="../../kiosk_app/display/main.py" line="33"/>
        <source>叫号显示屏，带语音叫号</source>
        <translation>The hall display, with voice calling</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/display/main.py" line="35"/>
        <source>屏幕序号或名称（优先于 display.screen）</source>
        <translation>screen index or name (overrides display.screen)</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/display/main.py" line="37"/>
        <source>列出已连接的屏幕后退出</source>
        <translation>print the connected screens and exit</translation>
    </message>
</context>
<context>
    <name>DisplayWindow</name>
    <message>
        <location filename="../../kiosk_app/display/window.py" line="40"/>
        <source>叫号显示屏</source>
        <translation>Hall display</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/display/window.py" line="66"/>
        <source>正在叫号</source>
        <translation>Now calling</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/display/window.py" line="68"/>
        <source>请稍候</source>
        <translation>Please wait</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/display/window.py" line="70"/>
        <source>最近叫号</source>
        <translation>Recent calls</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/display/window.py" line="71"/>
        <source>{} 号窗口</source>
        <translation>Window {}</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/display/window.py" line="72"/>
        <source>等候人数</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/display/window.py" line="73"/>
        <source>{} 人</source>
        <translation>{}</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/display/window.py" line="73"/>
        <source>暂停取号</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/display/window.py" line="137"/>
        <source>请到 {} 号窗口办理</source>
        <translation>Please go to window {}</translation>
    </message>
    <message>
        <location filename="../../kiosk_app/display/window.py" line="150"/>
        <source>网络中断，正在重新连接…</source>
        <translation>Network down, reconnecting…</translation>
    </message>
</context>
</TS>
