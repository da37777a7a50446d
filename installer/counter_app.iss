; Inno Setup 6.3+ script: Windows installer for the counter app, from the PyInstaller
; one-folder build in dist\counter_app (run installer\build.ps1 first; it also calls this).
;
;   ISCC.exe /DAppVersion=0.1.0 installer\counter_app.iss   ->  dist\counter_app-setup-0.1.0.exe
;
; Per-user install (no administrator rights): %LOCALAPPDATA%\Programs\counter_app.
; The program keeps its data outside the install folder, in platformdirs' user folders:
;   database  %LOCALAPPDATA%\counter_app\counter_app\counter.db
;   settings  %LOCALAPPDATA%\counter_app\counter_app\settings.json
;   logs      %LOCALAPPDATA%\counter_app\counter_app\Logs\counter_app.log
; Uninstalling removes only what Setup installed: the data stays (and Setup says where).
; This file is UTF-8 (Inno Setup 6.3+ reads UTF-8 without a BOM).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "积分超市柜台"
#define AppExe "counter_app.exe"
#define DistDir "..\dist\counter_app"
; Scheduled tasks (optional, chosen on the "additional tasks" page): the windowed exe, so no
; console window flashes up on the counter's screen; each writes to the program's log file
; and the Task Scheduler keeps its exit code. The sub-commands are those of the sync issue
; (counter-app sync) and the day/backup issue (counter-app backup --scheduled: the backup
; folder, passphrase and retention of the settings); change them here if they are renamed.
#define SyncArgs "sync"
#define SyncEveryMinutes "30"
#define BackupArgs "backup --scheduled"
#define BackupAt "21:30"
#define TaskFolder "counter_app"

[Setup]
; Never change AppId: upgrades find the installed copy by it.
AppId={{3F1FDC51-551C-4664-A34E-CD934830D660}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=counter_app
DefaultDirName={autopf}\counter_app
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6.8+ needs Windows 10 1809 or newer.
MinVersion=10.0.17763
OutputDir=..\dist
OutputBaseFilename=counter_app-setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto
UninstallDisplayName={#AppName}
UninstallDisplayIcon={app}\{#AppExe}
SetupIconFile=..\src\counter_app\ui\icons\counter_app.ico
; A running counter is closed (Restart Manager) before its files are replaced.
CloseApplications=yes
RestartApplications=no

[Languages]
; Simplified Chinese first (the default where Windows' language does not decide), when this
; Inno Setup has the translation; else put the (unofficial) ChineseSimplified.isl beside
; this script. Without either, Setup is in English only.
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
  #define Chinese "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
  #define Chinese "ChineseSimplified.isl"
#endif
#ifdef Chinese
Name: "chinesesimplified"; MessagesFile: "{#Chinese}"
#endif
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
english.TasksGroup=Scheduled tasks (this Windows user, while logged on):
english.SyncTask=Sync with the district every {#SyncEveryMinutes} minutes (counter-app {#SyncArgs})
english.BackupTask=Encrypted backup every day at {#BackupAt} (counter-app {#BackupArgs})
english.DataKept=Your counter data was not removed:%n%n%1%n%nDelete this folder yourself only if the data is no longer needed (back it up first).
#ifdef Chinese
chinesesimplified.TasksGroup=计划任务（本 Windows 用户登录时运行）：
chinesesimplified.SyncTask=每 {#SyncEveryMinutes} 分钟与街道同步一次（counter-app {#SyncArgs}）
chinesesimplified.BackupTask=每天 {#BackupAt} 自动加密备份（counter-app {#BackupArgs}）
chinesesimplified.DataKept=柜台数据没有删除，仍在：%n%n%1%n%n只有确定不再需要这些数据时，才手动删除这个文件夹（删除前请先备份）。
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "schedsync"; Description: "{cm:SyncTask}"; GroupDescription: "{cm:TasksGroup}"; Flags: unchecked
Name: "schedbackup"; Description: "{cm:BackupTask}"; GroupDescription: "{cm:TasksGroup}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole bundle: no module or DLL of the old version may linger.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
; schtasks /TR takes the command line in one argument: the exe path in \"…\" inside it.
Filename: "{sys}\schtasks.exe"; Parameters: "/Create /F /TN ""{#TaskFolder}\sync"" /SC MINUTE /MO {#SyncEveryMinutes} /TR ""\""{app}\{#AppExe}\"" {#SyncArgs}"""; Flags: runhidden waituntilterminated; StatusMsg: "{cm:SyncTask}"; Tasks: schedsync
Filename: "{sys}\schtasks.exe"; Parameters: "/Create /F /TN ""{#TaskFolder}\backup"" /SC DAILY /ST {#BackupAt} /TR ""\""{app}\{#AppExe}\"" {#BackupArgs}"""; Flags: runhidden waituntilterminated; StatusMsg: "{cm:BackupTask}"; Tasks: schedbackup
; An upgrade without the task ticked removes an older copy's task (no error if there is none).
Filename: "{sys}\schtasks.exe"; Parameters: "/Delete /F /TN ""{#TaskFolder}\sync"""; Flags: runhidden waituntilterminated; Tasks: not schedsync
Filename: "{sys}\schtasks.exe"; Parameters: "/Delete /F /TN ""{#TaskFolder}\backup"""; Flags: runhidden waituntilterminated; Tasks: not schedbackup
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallRun]
Filename: "{sys}\schtasks.exe"; Parameters: "/Delete /F /TN ""{#TaskFolder}\sync"""; Flags: runhidden; RunOnceId: "DelSyncTask"
Filename: "{sys}\schtasks.exe"; Parameters: "/Delete /F /TN ""{#TaskFolder}\backup"""; Flags: runhidden; RunOnceId: "DelBackupTask"

[UninstallDelete]
Type: dirifempty; Name: "{app}"

[Code]
// platformdirs.user_data_dir("counter_app", "counter_app") on Windows (roaming=False).
function DataDir(): String;
begin
  Result := ExpandConstant('{localappdata}\counter_app\counter_app');
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and DirExists(DataDir()) and not UninstallSilent() then
    MsgBox(FmtMessage(CustomMessage('DataKept'), [DataDir()]), mbInformation, MB_OK);
end;
