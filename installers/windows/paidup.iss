; PaidUp's Windows installer (Inno Setup 6).
;
; Built by installers\windows\build.ps1 (or python installers\make_installer.py), which passes:
;   /DAppVersion=0.1.0  /DAppVersionNumbers=0.1.0.0  /DBundleDir=<dist\PaidUp>  /DIconFile=<paidup.ico>
;
; Installs for the current user without administrator rights by default (the wizard offers
; "all users" to an administrator). The uninstaller removes the program; the books, backups
; and settings in %LOCALAPPDATA%\PaidUp stay unless the user says to delete them.

#ifndef AppVersion
  #error Pass /DAppVersion=... (use installers\windows\build.ps1)
#endif
#ifndef AppVersionNumbers
  #error Pass /DAppVersionNumbers=a.b.c.d (use installers\windows\build.ps1)
#endif
#ifndef BundleDir
  #error Pass /DBundleDir=<the PyInstaller folder dist\PaidUp> (use installers\windows\build.ps1)
#endif
#ifndef IconFile
  #error Pass /DIconFile=<paidup.ico> (use installers\windows\build.ps1)
#endif

#define AppName "PaidUp"
#define AppExe "paidup.exe"

[Setup]
; The AppId tells Windows that a new version upgrades this program. Never change it.
AppId={{DBED612B-8C89-4BD7-8404-C56314608D44}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=PaidUp
AppCopyright=Copyright (C) PaidUp
VersionInfoVersion={#AppVersionNumbers}
VersionInfoProductVersion={#AppVersionNumbers}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} Setup
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
; Close a running PaidUp before replacing its files, and start it again afterwards.
CloseApplications=yes
RestartApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "german"; MessagesFile: "compiler:Languages\German.isl"
Name: "russian"; MessagesFile: "compiler:Languages\Russian.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade must not leave the previous version's libraries beside the new ones.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
// The books are the user's, not the program's: kept unless the user asks, never in a
// silent uninstall, and No is the default answer.
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if CurUninstallStep <> usPostUninstall then
    exit;
  DataDir := ExpandConstant('{localappdata}\{#AppName}');
  if UninstallSilent() or not DirExists(DataDir) then
    exit;
  if MsgBox('PaidUp is removed. Your books, their backups and your settings are still in:'
      + #13#10 + DataDir + #13#10#13#10
      + 'Delete them as well? This cannot be undone. Choose No to keep them.',
      mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES then
    DelTree(DataDir, True, True, True);
end;
