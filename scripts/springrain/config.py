"""Where the repository's parts live, found from this file so any working directory works."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent.parent
SCHEMAS_DIR = REPO_ROOT / "schemas"
VOCAB_DIR = SCHEMAS_DIR / "vocab"
TABLES_DIR = SCHEMAS_DIR / "tables"
DATA_DIR = REPO_ROOT / "data"
BUILD_DIR = REPO_ROOT / "build"
