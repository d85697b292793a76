#!/usr/bin/env bash
# Installs the system packages HallQueue needs on Debian and its derivatives (UOS, Kylin;
# x86_64 and ARM64): the libraries Qt loads to draw a window (xcb, EGL, fontconfig), to play
# sound (PulseAudio, ALSA) and to speak (speech-dispatcher client), plus poppler-utils, which
# the tests use to read PDFs. Python packages come from pip, not from here.
#
#   bash tools/install-system-deps.sh            # what the apps and the tests need
#   bash tools/install-system-deps.sh --ci       # also what CI needs: PostgreSQL, MariaDB,
#                                                # debootstrap (the bundle's clean-root test)
#                                                # and Chromium (the web pages' browser tests)
#
# Installs only what is missing, so a second run does nothing and needs no network.
# Runs apt-get through sudo when not started as root.
set -euo pipefail

want_ci=0
for arg in "$@"; do
  case "$arg" in
    --ci) want_ci=1 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "install-system-deps: unknown option $arg (known: --ci)" >&2; exit 2 ;;
  esac
done

if ! command -v apt-get >/dev/null || ! command -v dpkg-query >/dev/null; then
  echo "install-system-deps: this script is for Debian, UOS or Kylin (apt); on another system" \
       "install the Qt 6 xcb, EGL, fontconfig, PulseAudio and ALSA libraries yourself" >&2
  exit 0
fi

# One name per line; "a|b" means the first of a and b that the distribution has (Debian 13
# renamed some libraries with a t64 suffix).
packages=(
  # Qt windows on X11 (xcb platform plugin) and offscreen
  libegl1 libgl1 libopengl0 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6
  libdbus-1-3 "libglib2.0-0|libglib2.0-0t64" libx11-xcb1 libxcb1 libxcb-cursor0
  libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0
  libxcb-randr0 libxcb-xkb1 libxcb-xfixes0 libxcb-sync1 libxcb-shm0 libxcb-xinerama0
  libxrender1 libxi6
  # sound (QtMultimedia) and speech (QtTextToSpeech's speech-dispatcher engine)
  libpulse0 "libasound2|libasound2t64" libspeechd2
  # the tests read generated PDFs
  poppler-utils
)
if [ "$want_ci" = 1 ]; then
  command -v pg_ctlcluster >/dev/null || packages+=(postgresql)
  command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || packages+=(mariadb-server)
  packages+=(debootstrap)
  # hallq-web's browser tests: Debian's Chromium, driven through chromedriver
  packages+=(chromium chromium-driver)
fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
known() { apt-cache show "$1" >/dev/null 2>&1; }

missing=()
for entry in "${packages[@]}"; do
  IFS='|' read -r -a choices <<< "$entry"
  done_already=0
  for name in "${choices[@]}"; do
    if installed "$name"; then done_already=1; break; fi
  done
  [ "$done_already" = 1 ] && continue
  pick="${choices[0]}"
  for name in "${choices[@]}"; do
    if known "$name"; then pick="$name"; break; fi
  done
  missing+=("$pick")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
sudo_cmd=()
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || {
    echo "install-system-deps: run as root (or install sudo) to install: ${missing[*]}" >&2
    exit 1
  }
  sudo_cmd=(sudo)
fi
echo "install-system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
