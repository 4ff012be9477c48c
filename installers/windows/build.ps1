# Build PaidUp's Windows installer in one command, from a clone of the repository:
#
#   powershell -ExecutionPolicy Bypass -File installers\windows\build.ps1
#
# Needs Python 3.11 (the "py" launcher from python.org) and Inno Setup 6
# (winget install JRSoftware.InnoSetup). Writes dist\PaidUp-<version>-windows-amd64-setup.exe.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")

function Invoke-Step {
    param([string]$Program, [string[]]$Arguments)
    Write-Host "+ $Program $($Arguments -join ' ')"
    & $Program @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Program failed with exit code $LASTEXITCODE" }
}

$python = ".venv\Scripts\python.exe"
if (-not (Test-Path $python)) {
    Invoke-Step "py" @("-3.11", "-m", "venv", ".venv")
}
Invoke-Step $python @("-m", "pip", "install", "--disable-pip-version-check", "-r", "requirements\lock.txt")
# With dependencies: adds what only Windows needs and the Linux-made lock lacks
# (pywin32-ctypes for the Windows Credential Manager keyring, pefile for PyInstaller).
Invoke-Step $python @("-m", "pip", "install", "--disable-pip-version-check", "-e", ".")
Invoke-Step $python @("installers\make_installer.py")
