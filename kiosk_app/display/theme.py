"""Colours of the hall display: light text on deep blue, amber for what needs attention.

High contrast and few colours read best across a hall, also for older eyes.
"""

from __future__ import annotations

BACKGROUND = "#061a33"
HEADER = "#0b2d57"
PANEL = "#0d2b50"
TILE = "#12396a"
ROW_STRIPE = "#123763"
TICKER = "#041226"

TEXT = "#ffffff"
TITLE = "#8fc9ff"
NUMBER = "#ffd24a"
COUNT = "#7dffa8"
DIM = "#9fb3cc"  # 5.4:1 on a tile: dim, yet readable (适老化 contrast ≥ 4.5:1)
TICKER_TEXT = "#ffe9a6"
OFFLINE = "#ff7a70"  # 5.4:1 on the header

# The big board: white on blue normally, dark on amber while a call is fresh.
BOARD = "#0f3a6e"
BOARD_NUMBER = "#ffffff"
BOARD_CAPTION = "#cfe6ff"
HIGHLIGHT = "#ffb300"
HIGHLIGHT_NUMBER = "#14110a"
HIGHLIGHT_CAPTION = "#3b2300"
