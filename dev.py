"""Set up geo-sites in ./.venv and run its main job, its tests or its checks.

Needs nothing but Python 3.11 or newer; each command creates or updates the
virtual environment first.

    python3 dev.py run     render the seed map into maps/ (the main job)
    python3 dev.py test    run the test suite
    python3 dev.py lint    run ruff and mypy on the package
"""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if sys.platform == "win32" else "bin")


def _run(*args: str | Path) -> None:
    print("+", " ".join(str(a) for a in args), file=sys.stderr, flush=True)
    code = subprocess.call([str(a) for a in args], cwd=ROOT)
    if code:
        sys.exit(code)


def setup(extras: str = "") -> None:
    """Create .venv if needed and install the package (editable) with *extras*."""
    if sys.version_info < (3, 11):  # noqa: UP036 - this runs before anything is installed
        sys.exit(f"geo-sites needs Python 3.11 or newer, this is {sys.version.split()[0]}")
    if not (BIN / "python").exists() and not (BIN / "python.exe").exists():
        venv.create(VENV, with_pip=True)
    target = f".{extras}" if extras else "."
    _run(BIN / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-e", target)  # fmt: skip


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else "run"
    rest = sys.argv[2:]
    if command == "run":
        setup()
        _run(BIN / "geo-sites", "run", "seeds/", "-o", "maps/", *rest)
    elif command == "test":
        setup("[test]")
        _run(BIN / "python", "-m", "pytest", *rest)
    elif command == "lint":
        setup("[test]")
        _run(BIN / "python", "-m", "ruff", "check", "geo_sites", "tests", "benchmarks", "dev.py")
        _run(BIN / "python", "-m", "ruff", "format", "--check", "geo_sites", "tests", "benchmarks")
        _run(BIN / "python", "-m", "mypy")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
