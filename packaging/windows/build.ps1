# Build the Windows folder app and its installer, on Windows (PyInstaller cannot cross-build).
# In PowerShell, in the project folder:
#     powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
# Needs Python >= 3.11 with the py launcher (winget install Python.Python.3.12) and, for the
# installer, Inno Setup 6 (winget install JRSoftware.InnoSetup). Produces
#     build\dist\workbench-<version>\workbench.exe      the folder app (zip it, or:)
#     build\installer\workbench-<version>-setup.exe     the installer (per-user, no admin needed)
# To bundle the free stand-in fonts (a 小标宋 stand-in: Windows has none), put the files that
# packaging/install-fonts.sh makes (NotoSerifSC_700Bold.ttf, FandolFang-Regular.ttf and their
# licence .txt files) into build\fonts first.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")

function Run($exe, [string[]]$arguments) {
    & $exe @arguments
    if ($LASTEXITCODE -ne 0) { throw "failed ($LASTEXITCODE): $exe $arguments" }
}

if (-not (Test-Path ".venv-build\Scripts\python.exe")) { Run "py" @("-3", "-m", "venv", ".venv-build") }
$py = ".\.venv-build\Scripts\python.exe"
Run $py @("-m", "pip", "install", "-q", "--disable-pip-version-check", "-e", ".", "pyinstaller>=6.5")
Run $py @("-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
          "--distpath", "build\dist", "--workpath", "build\pyi", "packaging\workbench.spec")

$version = (& $py -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])").Trim()
$dist = (Resolve-Path "build\dist\workbench-$version").Path

# The bundle itself, away from the source tree: version, demo database, one notice to PDF.
$work = Join-Path $env:TEMP "workbench-bundle-test"
Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
New-Item -ItemType Directory $work | Out-Null
$env:WORKBENCH_DATA_DIR = Join-Path $work "data"
Run "$dist\workbench-cli.exe" @("--version")
Run "$dist\workbench-cli.exe" @("demo", "--db", "$work\demo.sqlite3")
$env:WORKBENCH_SMOKE = "1"
Run "$dist\workbench-cli.exe" @("gui", "--db", "$work\demo.sqlite3")
Remove-Item Env:WORKBENCH_SMOKE
Run "$dist\workbench-cli.exe" @("notices", "$work\notices", "--db", "$work\demo.sqlite3", "--inspector", "张三")
Remove-Item Env:WORKBENCH_DATA_DIR
$size = [math]::Round(((Get-ChildItem -Recurse $dist | Measure-Object -Sum Length).Sum / 1MB), 0)
Write-Host "bundle: $dist ($size MB)"

$iscc = Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe"
if (-not (Test-Path $iscc)) { $iscc = Join-Path $env:LOCALAPPDATA "Programs\Inno Setup 6\ISCC.exe" }
if (Test-Path $iscc) {
    Run $iscc @("/Q", "/DAppVersion=$version", "/DDistDir=$dist", "packaging\windows\workbench.iss")
    Write-Host "installer: build\installer\workbench-$version-setup.exe"
} else {
    Write-Host "Inno Setup 6 not found: the folder app is built; for the installer: winget install JRSoftware.InnoSetup"
}
