"""Where the project lives, and the environment (with `.env`) read once.

Every settings module takes `env` from here, so `.env` is read before any of
them looks at a variable.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
