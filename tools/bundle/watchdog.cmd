@echo off
rem HallQueue watchdog for an unattended Windows PC (kiosk, hall display): starts the
rem terminal named by %1 and starts it again 3 seconds after it ends, so a crash costs
rem seconds, not a visit from IT. Exit code 2 is a configuration error: retrying would
rem only show the same message, so the loop stops and leaves the message on screen.
setlocal
if "%~1"=="" (
  echo usage: watchdog.cmd kiosk^|display^|counter^|supervisor
  exit /b 2
)
:again
"%~dp0hallqueue.exe" %1
if %ERRORLEVEL%==2 exit /b 2
timeout /t 3 /nobreak >nul
goto again
