; Inno Setup script for HallQueue on Windows 10/11 x64 (https://jrsoftware.org/isinfo.php).
; Build the bundle first, on a Windows PC, from the checkout:
;   py -3.11 -m venv .venv
;   .venv\Scripts\pip install -c tools\constraints.txt -e .[bundle]
;   .venv\Scripts\python tools\build_bundle.py
; then compile this script (Inno Setup 6):
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" tools\bundle\hallqueue.iss
; The installer lands in dist\installer\. See docs/deployment.md.

#define AppVersion GetEnv("HALLQ_VERSION")
#if AppVersion == ""
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6B0E3E52-4B8F-4E0C-9B8E-4A1F3C2D7E61}
AppName=HallQueue 政务大厅排队叫号系统
AppVersion={#AppVersion}
AppPublisher=HallQueue
DefaultDirName={autopf}\HallQueue
DefaultGroupName=HallQueue
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist\installer
OutputBaseFilename=hallqueue-{#AppVersion}-win64-setup
Compression=lzma2
SolidCompression=yes
PrivilegesRequired=admin
; The kiosk and display PCs start their terminal at logon (tasks below); a counter PC
; or a supervisor PC just gets the shortcuts.
ChangesEnvironment=yes

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "autostart_kiosk"; Description: "开机自动启动取号机 (start the kiosk at logon)"; Flags: unchecked exclusive
Name: "autostart_display"; Description: "开机自动启动大厅屏 (start the hall display at logon)"; Flags: unchecked exclusive
Name: "addtopath"; Description: "把 hallq-admin 加入 PATH (put hallq-admin on the PATH)"

[Files]
Source: "..\..\dist\hallqueue\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\排队取号机 Kiosk"; Filename: "{app}\hallqueue.exe"; Parameters: "kiosk"
Name: "{group}\窗口叫号 Counter"; Filename: "{app}\hallqueue.exe"; Parameters: "counter"
Name: "{group}\大厅叫号屏 Hall display"; Filename: "{app}\hallqueue.exe"; Parameters: "display"
Name: "{group}\审管办监控 Supervisor"; Filename: "{app}\hallqueue.exe"; Parameters: "supervisor"
Name: "{group}\演示 Demo"; Filename: "{app}\hallqueue.exe"; Parameters: "demo"
; Autostart through a watchdog loop (tools\bundle\watchdog.cmd): restarts the terminal a
; few seconds after it ends, unless it ended with exit code 2 (a config error to fix).
Name: "{commonstartup}\HallQueue kiosk"; Filename: "{app}\watchdog.cmd"; Parameters: "kiosk"; Tasks: autostart_kiosk; Flags: runminimized
Name: "{commonstartup}\HallQueue display"; Filename: "{app}\watchdog.cmd"; Parameters: "display"; Tasks: autostart_display; Flags: runminimized

[Registry]
Root: HKLM; Subkey: "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"; ValueType: expandsz; ValueName: "Path"; ValueData: "{olddata};{app}"; Tasks: addtopath; Check: NeedsAddPath(ExpandConstant('{app}'))

[Code]
function NeedsAddPath(Dir: string): boolean;
var
  Current: string;
begin
  if not RegQueryStringValue(HKEY_LOCAL_MACHINE,
    'SYSTEM\CurrentControlSet\Control\Session Manager\Environment', 'Path', Current) then
  begin
    Result := True;
    exit;
  end;
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Current) + ';') = 0;
end;
