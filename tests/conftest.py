"""For the whole suite: no test writes to the system keyring of whoever runs it (the keyring tests
start a keyring of their own and turn it back on)."""

from __future__ import annotations

import os

os.environ["READER_KEYRING"] = "0"
