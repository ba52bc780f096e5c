# Build the CultureScope desktop bundle and its installer on Windows.
#
#   powershell -ExecutionPolicy Bypass -File packaging\build.ps1
#
# Needs Python 3.11 (x64; $env:PYTHON names it, default "python") and, for the installer,
# Inno Setup 6 (ISCC.exe on PATH or in its default folders; without it only the folder is
# built). Makes:
#   dist\CultureScope\CultureScope.exe      the app (windowed)
#   dist\CultureScope\culturescope.exe      the command line (console)
#   dist\CultureScope-<version>-windows-x64-setup.exe   the per-user installer
#   dist\CultureScope-<version>-windows-x64.zip         the folder, for unzip-and-run
# Packages come from .venv (made here when missing) plus the 'packaging' extra
# (PyInstaller); $env:CULTURESCOPE_BUILD_VENV chooses another virtualenv.
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

function Invoke-Native {
    # Run a program and stop the build when it fails (PowerShell does not do that itself).
    # A plain function (no param block), so that arguments such as -m reach the program.
    $Program = $args[0]
    $Rest = @($args | Select-Object -Skip 1)
    & $Program @Rest
    if ($LASTEXITCODE -ne 0) {
        throw "build: '$Program $($Rest -join ' ')' failed with exit code $LASTEXITCODE"
    }
}

$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root
$Started = Get-Date
$Match = Select-String -Path "src\culturescope\__init__.py" -Pattern '^__version__ = "(.+)"'
if (-not $Match) { throw "build: cannot read __version__ from src\culturescope\__init__.py" }
$Version = $Match.Matches[0].Groups[1].Value

$Venv = if ($env:CULTURESCOPE_BUILD_VENV) { $env:CULTURESCOPE_BUILD_VENV } else { Join-Path $Root ".venv" }
$Py = Join-Path $Venv "Scripts\python.exe"
if (-not (Test-Path $Py)) {
    $BasePython = if ($env:PYTHON) { $env:PYTHON } else { "python" }
    Write-Host "build: creating $Venv"
    Invoke-Native $BasePython -m venv $Venv
    Invoke-Native $Py -m pip install -q --upgrade pip
}
# Whether the packages are there: an import error on stderr must not stop the build.
$ErrorActionPreference = "Continue"
& $Py -c "import PyInstaller, culturescope" *> $null
$Ready = $LASTEXITCODE -eq 0
$ErrorActionPreference = "Stop"
if (-not $Ready) {
    Write-Host "build: installing CultureScope's packages and PyInstaller into $Venv"
    Invoke-Native $Py -m pip install -q -e ".[packaging,postgres]"
}

Write-Host "build: CultureScope $Version for windows-x64"
$Icons = Join-Path $Root "build\icons"
Invoke-Native $Py packaging\make_icons.py $Icons
if (Test-Path dist\CultureScope) { Remove-Item -Recurse -Force dist\CultureScope }
$env:CULTURESCOPE_ICON_DIR = $Icons
Invoke-Native $Py -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist `
    --workpath build\pyinstaller packaging\culturescope.spec

$Bundle = Join-Path $Root "dist\CultureScope"
foreach ($Exe in @("CultureScope.exe", "culturescope.exe")) {
    if (-not (Test-Path (Join-Path $Bundle $Exe))) { throw "build: $Bundle\$Exe was not made" }
}
# A quick check that the frozen command line starts at all.
Invoke-Native (Join-Path $Bundle "culturescope.exe") --version

$Zip = Join-Path $Root "dist\CultureScope-$Version-windows-x64.zip"
if (Test-Path $Zip) { Remove-Item -Force $Zip }
Compress-Archive -Path $Bundle -DestinationPath $Zip

$Iscc = Get-Command ISCC.exe -ErrorAction SilentlyContinue | Select-Object -ExpandProperty Source -First 1
if (-not $Iscc) {
    $Iscc = @(
        "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
        "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
        "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe"
    ) | Where-Object { Test-Path $_ } | Select-Object -First 1
}
if ($Iscc) {
    Invoke-Native $Iscc "/Q" "/DAppVersion=$Version" "/DSourceDir=$Bundle" `
        "/DIconFile=$Icons\culturescope.ico" "/O$(Join-Path $Root 'dist')" packaging\windows\culturescope.iss
    $Installer = "dist\CultureScope-$Version-windows-x64-setup.exe"
    if (-not (Test-Path $Installer)) { throw "build: $Installer was not made" }
    Write-Host "build: installer $Installer"
} else {
    Write-Warning "build: Inno Setup 6 (ISCC.exe) not found: no installer made, only the folder and the zip"
}

$Bytes = (Get-ChildItem $Bundle -Recurse -File | Measure-Object -Property Length -Sum).Sum
$Seconds = [int]((Get-Date) - $Started).TotalSeconds
Write-Host ("build: {0} is {1:N0} MB uncompressed ({2} s)" -f $Bundle, ($Bytes / 1e6), $Seconds)
