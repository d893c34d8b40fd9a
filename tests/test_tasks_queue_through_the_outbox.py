"""Every task the project queues goes through `learning.outbox`.

A task queued straight to the broker (`.delay(`, `.apply_async(`,
`send_task(`) is lost when the broker is down, and may run before the
transaction of its record commits (the worker then finds no record). The
project's code is read as Python (comments and strings do not count) and
every such call outside the allow-list below fails this test.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PACKAGES = ("learning", "assessments", "mentorship", "modules")
QUEUEING_CALLS = {"delay", "apply_async", "send_task"}

# (file, enclosing function): why it may queue directly.
ALLOWED = {
    ("learning/outbox.py", "_publish"): (
        "the relay itself: it hands a row already committed to the outbox to "
        "the broker, and marks it sent only once the broker took it"
    ),
}


def queueing_calls(source: str) -> list[tuple[int, str, str]]:
    """(line, enclosing function, call name) of each direct queueing call."""
    found = []

    def visit(node: ast.AST, function: str) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node.name
        if isinstance(node, ast.Call):
            name = None
            if isinstance(node.func, ast.Attribute):
                name = node.func.attr
            elif isinstance(node.func, ast.Name):
                name = node.func.id
            if name in QUEUEING_CALLS:
                found.append((node.lineno, function, name))
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(ast.parse(source), "<module>")
    return found


def project_files() -> list[Path]:
    files = []
    for package in PROJECT_PACKAGES:
        files += [
            path
            for path in (ROOT / package).rglob("*.py")
            if "migrations" not in path.parts
        ]
    return sorted(files)


def test_no_task_is_queued_past_the_outbox():
    offending = []
    allowed_seen = set()
    for path in project_files():
        relative = path.relative_to(ROOT).as_posix()
        for line, function, name in queueing_calls(path.read_text()):
            if (relative, function) in ALLOWED:
                allowed_seen.add((relative, function))
                continue
            offending.append(f"{relative}:{line} {name}() in {function}")

    assert not offending, (
        "Queue tasks with learning.outbox.enqueue(task, ...), inside the "
        "transaction of their record:\n" + "\n".join(offending)
    )
    # An exception nobody needs any more is taken off the list.
    assert allowed_seen == set(ALLOWED)


def test_the_scan_finds_each_way_of_queueing_and_ignores_words():
    source = """
def notify_now(pk):
    send_notification_email.delay(pk)  # .delay( in a comment is not a call


def build(pk):
    build_booklet_task.apply_async(args=[pk], countdown=5)
    app.send_task("modules.tasks.build_booklet_task", args=[pk])
    send_task("x")
    text = "call .delay( later"
"""
    assert queueing_calls(source) == [
        (3, "notify_now", "delay"),
        (7, "build", "apply_async"),
        (8, "build", "send_task"),
        (9, "build", "send_task"),
    ]


def test_the_scan_reads_every_app_and_the_outbox():
    names = {path.relative_to(ROOT).as_posix() for path in project_files()}
    for expected in (
        "learning/outbox.py",
        "learning/tasks.py",
        "assessments/tasks.py",
        "mentorship/tasks.py",
        "modules/tasks.py",
    ):
        assert expected in names
