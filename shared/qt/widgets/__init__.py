"""Reusable Qt widgets shared by the hall display and the counter's window display."""
