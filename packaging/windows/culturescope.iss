; Inno Setup 6 script: the per-user Windows installer of CultureScope.
;
; Built by packaging\build.ps1 after PyInstaller has made dist\CultureScope\:
;
;   ISCC.exe /DAppVersion=0.1.0 /DSourceDir=<repo>\dist\CultureScope ^
;            /DIconFile=<repo>\build\icons\culturescope.ico /O<repo>\dist packaging\windows\culturescope.iss
;
; - Installs for the current user only, without administrator rights, into
;   %LOCALAPPDATA%\Programs\CultureScope (PrivilegesRequired=lowest makes {autopf} that).
; - Start-menu entries: "CultureScope" (the app) and "CultureScope command line" (a
;   console where `culturescope ...` works).
; - Opens .cskiosk (kiosk setup files) and .csbundle (response bundles) with the app;
;   the associations are the user's own (HKCU\Software\Classes).
; - The uninstaller removes the program and keeps the user's data (the database, its
;   backups and the settings in %LOCALAPPDATA%\CultureScope) unless the user says to
;   delete them.
; - Installing a newer version over an older one (same AppId) updates it in place; the
;   data is never touched by an update.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\CultureScope"
#endif
#ifndef IconFile
  #define IconFile "..\..\build\icons\culturescope.ico"
#endif

[Setup]
; The AppId identifies CultureScope across versions (updates, uninstall): never change it.
AppId={{E0C7CAF2-7699-46A1-ABFD-69FEA59D637B}
AppName=CultureScope
AppVersion={#AppVersion}
AppVerName=CultureScope {#AppVersion}
AppPublisher=CultureScope
AppComments=Measure safety culture offline and detect safety washing.
PrivilegesRequired=lowest
DefaultDirName={autopf}\CultureScope
DisableProgramGroupPage=yes
DisableDirPage=auto
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputBaseFilename=CultureScope-{#AppVersion}-windows-x64-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\CultureScope.exe
UninstallDisplayName=CultureScope
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesAssociations=yes
; The app must be closed to be updated or removed (its files are in use otherwise).
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole PyInstaller folder: CultureScope.exe (windowed app), culturescope.exe (console
; command line) and _internal\ (Python, Qt, the instruments, fonts and icons).
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An update replaces the bundled libraries whole: files an older version had and this one
; does not would otherwise stay behind and could be loaded.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\CultureScope"; Filename: "{app}\CultureScope.exe"; Comment: "Measure safety culture offline"
Name: "{autoprograms}\CultureScope command line"; Filename: "{cmd}"; Parameters: "/k set ""PATH={app};%PATH%"" & culturescope --help"; WorkingDir: "{userdocs}"; IconFilename: "{app}\culturescope.exe"; Comment: "A console where the culturescope command works"
Name: "{autodesktop}\CultureScope"; Filename: "{app}\CultureScope.exe"; Tasks: desktopicon

[Registry]
; Per-user file associations (HKA is HKCU\Software\Classes for a per-user install).
Root: HKA; Subkey: "Software\Classes\.cskiosk"; ValueType: string; ValueName: ""; ValueData: "CultureScope.KioskSetup"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.cskiosk\OpenWithProgids"; ValueType: string; ValueName: "CultureScope.KioskSetup"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\CultureScope.KioskSetup"; ValueType: string; ValueName: ""; ValueData: "CultureScope kiosk setup file"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\CultureScope.KioskSetup\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\CultureScope.exe,0"
Root: HKA; Subkey: "Software\Classes\CultureScope.KioskSetup\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\CultureScope.exe"" ""%1"""
Root: HKA; Subkey: "Software\Classes\.csbundle"; ValueType: string; ValueName: ""; ValueData: "CultureScope.ResponseBundle"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.csbundle\OpenWithProgids"; ValueType: string; ValueName: "CultureScope.ResponseBundle"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\CultureScope.ResponseBundle"; ValueType: string; ValueName: ""; ValueData: "CultureScope response bundle"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\CultureScope.ResponseBundle\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\CultureScope.exe,0"
Root: HKA; Subkey: "Software\Classes\CultureScope.ResponseBundle\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\CultureScope.exe"" ""%1"""

[Run]
Filename: "{app}\CultureScope.exe"; Description: "{cm:LaunchProgram,CultureScope}"; Flags: nowait postinstall skipifsilent

[Code]
{ The user's data is not the program's: keep it unless the user asks, in so many words,
  for it to be deleted. A silent uninstall (e.g. by an IT department) always keeps it. }
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if CurUninstallStep <> usPostUninstall then
    exit;
  DataDir := ExpandConstant('{localappdata}\CultureScope');
  if UninstallSilent or not DirExists(DataDir) then
    exit;
  if MsgBox('CultureScope has been removed. Your data is still in' + #13#10 + DataDir + #13#10#13#10 +
            'It holds the database with every campaign and response, its backups and your ' +
            'settings. Keep it to use it again after a new install.' + #13#10#13#10 +
            'Delete your CultureScope data as well? This cannot be undone.',
            mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES then
  begin
    DelTree(DataDir, True, True, True);
    { Window sizes and positions the app remembers (Qt keeps them in the registry). }
    RegDeleteKeyIncludingSubkeys(HKEY_CURRENT_USER, 'Software\CultureScope');
  end;
end;
