; Inno Setup 6 script for the inspection workbench (检查工作台). build.ps1 runs it as
;     ISCC.exe /DAppVersion=<version> /DDistDir=<the PyInstaller folder> packaging\windows\workbench.iss
; after building the folder app. Per-user install (no administrator rights needed), Chinese
; wizard when Inno Setup has ChineseSimplified.isl (Inno Setup's translations page; put it in
; its Languages folder), a Start-menu entry, an optional desktop icon. The user's data (database,
; settings, logs in %LOCALAPPDATA%\InspectionWorkbench) is never touched by (un)installing.
; This file is UTF-8 with a byte-order mark, as Inno Setup needs for Chinese text.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef DistDir
  #define DistDir "..\..\build\dist\workbench-" + AppVersion
#endif

[Setup]
AppId={{5B2F6C1E-4D7A-4C3B-9E8F-2A1D0C6B7E94}
AppName=检查工作台
AppVersion={#AppVersion}
AppVerName=检查工作台 {#AppVersion}
AppPublisher=检查工作台
DefaultDirName={autopf}\InspectionWorkbench
DefaultGroupName=检查工作台
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\build\installer
OutputBaseFilename=workbench-{#AppVersion}-setup
SetupIconFile=workbench.ico
UninstallDisplayIcon={app}\workbench.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
VersionInfoVersion={#AppVersion}
VersionInfoProductName=检查工作台

[Languages]
#if FileExists(CompilerPath + "Languages\ChineseSimplified.isl")
Name: "chs"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#else
Name: "en"; MessagesFile: "compiler:Default.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\检查工作台"; Filename: "{app}\workbench.exe"
Name: "{autodesktop}\检查工作台"; Filename: "{app}\workbench.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\workbench.exe"; Description: "{cm:LaunchProgram,检查工作台}"; Flags: nowait postinstall skipifsilent
