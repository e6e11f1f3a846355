import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "eval" / "gold" / "seeds.jsonl"
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def gold_dicts() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
