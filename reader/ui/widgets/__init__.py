"""Widgets of the reader app: they get plain data and post messages; they never touch services."""
