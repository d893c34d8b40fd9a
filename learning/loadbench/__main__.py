"""`python -m learning.loadbench personas COUNT`, inside the stack's environment.

`BenchStack.personas` runs this with the stack's settings and database; it
prints the people chosen as one line of JSON for the parent process to read.
"""

import json
import sys

import django
from django.db import transaction

from .personas import choose_personas

if __name__ == "__main__" and sys.argv[1:2] == ["personas"]:
    django.setup()

    with transaction.atomic():
        chosen = choose_personas(int(sys.argv[2]))
    print(json.dumps(chosen))  # noqa: T201 - read by the parent process
