#!/bin/sh
# HallQueue watchdog for an unattended Linux PC (kiosk, hall display), started by the
# XDG autostart entry at logon: runs the terminal named by $1 and starts it again a few
# seconds after it ends, so a crash costs seconds, not a visit from IT. Exit code 2 is a
# configuration error: retrying would only show the same message again, so it stops.
# HALLQ_RESTART_DELAY sets the pause in seconds (default 3).
if [ -z "$1" ]; then
  echo "usage: watchdog.sh kiosk|display|counter|supervisor [ARGS...]" >&2
  exit 2
fi
here=$(dirname "$(readlink -f "$0")")
while :; do
  "$here/hallqueue" "$@"
  code=$?
  [ "$code" = 2 ] && exit 2
  logger -t hallqueue "hallq-$1 ended with exit code $code; restarting" 2>/dev/null || true
  sleep "${HALLQ_RESTART_DELAY:-3}"
done
