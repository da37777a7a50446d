<#
.SYNOPSIS
  Build the frozen counter app on Windows (PyInstaller, one folder) and, if Inno Setup 6.3+
  is installed, the installer counter_app-setup-<version>.exe.

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File installer\build.ps1
  powershell -ExecutionPolicy Bypass -File installer\build.ps1 -Venv .venv -NoInstaller
  powershell -ExecutionPolicy Bypass -File installer\build.ps1 -Python "py -3.12"

.NOTES
  Same steps as installer/build.sh. The build venv (default build\venv) is created once
  and reinstalled only when pyproject.toml or installer\build-requirements.txt changed.
  Output: dist\counter_app\counter_app.exe (windowed) and counter_app_cli.exe (console,
  for the sub-commands), dist\counter_app-setup-<version>.exe.
  This file is ASCII on purpose: Windows PowerShell 5.1 misreads UTF-8 without a BOM.
#>
[CmdletBinding()]
param(
    [string]$Venv = "build\venv",
    [string]$Python = "",      # e.g. "py -3.12" or "C:\Python312\python.exe"
    [switch]$NoInstaller       # skip the Inno Setup step even if ISCC.exe is found
)

Set-StrictMode -Version Latest
$ErrorActionPreference = "Stop"
$Root = (Resolve-Path (Join-Path $PSScriptRoot "..")).Path
Set-Location $Root

function Invoke-Native {
    # Run a program; stop the build on a non-zero exit code (PowerShell 5.1 does not).
    # "Continue" while it runs: Windows PowerShell 5.1 may turn a native program's stderr
    # output (pip and PyInstaller log there) into errors that "Stop" would abort on.
    param([string]$Exe, [string[]]$Arguments)
    $saved = $ErrorActionPreference
    $ErrorActionPreference = "Continue"
    try { & $Exe @Arguments } finally { $ErrorActionPreference = $saved }
    if ($LASTEXITCODE -ne 0) { throw "failed ($LASTEXITCODE): $Exe $($Arguments -join ' ')" }
}

function Split-Command([string]$Line) {
    # "py -3.12" -> @("py", "-3.12"); a path to python.exe (spaces allowed) stays whole.
    if (Test-Path -LiteralPath $Line) { return , @($Line) }
    return , @($Line -split " " | Where-Object { $_ })
}

function Find-Python {
    # The first of -Python, py -3.13 / -3.12 / -3.11, python that is Python >= 3.11.
    $candidates = @()
    if ($Python) { $candidates += $Python }
    $candidates += "py -3.13", "py -3.12", "py -3.11", "python"
    $saved = $ErrorActionPreference
    $ErrorActionPreference = "Continue"
    try {
        foreach ($line in $candidates) {
            $cmd = Split-Command $line
            if (-not (Get-Command $cmd[0] -ErrorAction SilentlyContinue)) { continue }
            $rest = @($cmd | Select-Object -Skip 1)
            & $cmd[0] @rest -c "import sys; sys.exit(sys.version_info < (3, 11))" 2>$null
            if ($LASTEXITCODE -eq 0) { return , $cmd }
        }
    } finally { $ErrorActionPreference = $saved }
    throw "Python 3.11 or newer is needed (python.org installer, or: winget install Python.Python.3.12)"
}

# --- build venv --------------------------------------------------------------------------
if (-not [System.IO.Path]::IsPathRooted($Venv)) { $Venv = Join-Path $Root $Venv }
$VenvPy = Join-Path $Venv "Scripts\python.exe"
if (-not (Test-Path $VenvPy)) {
    $py = Find-Python
    Write-Host "==> creating build venv $Venv"
    Invoke-Native $py[0] (@($py | Select-Object -Skip 1) + @("-m", "venv", $Venv))
}

$hashes = (Get-FileHash pyproject.toml).Hash + (Get-FileHash installer\build-requirements.txt).Hash
$stamp = Join-Path $Venv (".counter-app-build-" + $hashes.Substring(0, 16) + $hashes.Substring(64, 16))
if (-not (Test-Path $stamp)) {
    Write-Host "==> installing counter-app and PyInstaller into $Venv"
    Invoke-Native $VenvPy @("-m", "pip", "install", "-q", "--upgrade", "pip")
    # Editable: the spec takes modules and resources from src\ of this checkout anyway.
    Invoke-Native $VenvPy @("-m", "pip", "install", "-q", "-e", ".", "-r", "installer\build-requirements.txt")
    Remove-Item (Join-Path $Venv ".counter-app-build-*") -ErrorAction SilentlyContinue
    New-Item -ItemType File $stamp | Out-Null
}

# --- translations: warn about a stale or missing .qm (scripts/update_translations.sh) ----
Get-ChildItem resources\i18n\*.ts -ErrorAction SilentlyContinue | ForEach-Object {
    $qm = Join-Path "src\counter_app\ui\i18n" ($_.BaseName + ".qm")
    if (-not (Test-Path $qm) -or $_.LastWriteTime -gt (Get-Item $qm).LastWriteTime) {
        Write-Warning "$qm is missing or older than $($_.FullName); run scripts/update_translations.sh"
    }
}

# --- PyInstaller -------------------------------------------------------------------------
$clock = [System.Diagnostics.Stopwatch]::StartNew()
Invoke-Native $VenvPy @("-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
    "--distpath", "dist", "--workpath", "build\pyinstaller", "installer\counter_app.spec")
$clock.Stop()

$Out = Join-Path $Root "dist\counter_app"
foreach ($exe in "counter_app.exe", "counter_app_cli.exe") {
    if (-not (Test-Path (Join-Path $Out $exe))) { throw "$Out\$exe was not built" }
}
$size = (Get-ChildItem $Out -Recurse -File | Measure-Object -Property Length -Sum).Sum / 1MB
Write-Host ""
Write-Host ("Built in {0:N0} s: {1} ({2:N0} MB)" -f $clock.Elapsed.TotalSeconds, $Out, $size)
Write-Host "  GUI:         $Out\counter_app.exe"
Write-Host "  sub-commands $Out\counter_app_cli.exe --help"
Write-Host "  smoke test:  bash installer/smoke_test.sh dist/counter_app   (Git Bash)"

# --- Inno Setup --------------------------------------------------------------------------
if ($NoInstaller) { return }
$iscc = @(
    (Get-Command ISCC.exe -ErrorAction SilentlyContinue | ForEach-Object { $_.Path }),
    "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
    "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
    "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe"
) | Where-Object { $_ -and (Test-Path -LiteralPath $_) } | Select-Object -First 1
if (-not $iscc) {
    Write-Host "Inno Setup 6 not found (winget install JRSoftware.InnoSetup): no installer built."
    return
}
$version = & $VenvPy -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])"
if ($LASTEXITCODE -ne 0) { throw "cannot read the version from pyproject.toml" }
Invoke-Native $iscc @("/Q", "/DAppVersion=$version", "installer\counter_app.iss")
Write-Host "  installer:   $(Join-Path $Root "dist\counter_app-setup-$version.exe")"
