"""The reading screen's panes: each owns its widgets and its keys, is given immutable values and
posts messages to the screen, which coordinates them."""
