from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
# The installed console script, as users run it (python -m would put the working directory on sys.path).
NIANBAO = Path(sys.executable).parent / "nianbao"


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: these tests read the team's shared corpus beside the project (../shared)")
    return path


@pytest.fixture(scope="session")
def seed_bytes() -> bytes:
    return shared_path("seed", "lingshan-2017-report.txt").read_bytes()


def corpus_page(name: str) -> dict:
    return json.loads(shared_path("corpus", "pages", f"{name}.json").read_text("utf-8"))


def nianbao(*args: str, cwd: Path | None = None, timeout: int = 180) -> subprocess.CompletedProcess:
    """Run the real command line in its own process (Scrapy's reactor starts once per process)."""
    return subprocess.run([str(NIANBAO), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)
