"""The hall display (叫号显示屏): see docs/display.md."""
