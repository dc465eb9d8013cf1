"""Build hook: ship the top-level ``seeds/`` and ``themes/`` folders inside the wheel.

They live at the top of the repository (where users and contributors look for them); an
installed copy finds them under ``reader/_data/``. Everything else is in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).parent


class BuildWithData(build_py):
    """The standard build, plus a copy of seeds/ and themes/ into the package."""

    def run(self) -> None:
        super().run()
        for name in ("seeds", "themes"):
            source = HERE / name
            target = Path(self.build_lib) / "reader" / "_data" / name
            if source.is_dir():
                shutil.rmtree(target, ignore_errors=True)
                shutil.copytree(source, target)


setup(cmdclass={"build_py": BuildWithData})
