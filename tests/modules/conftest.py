import pytest

from tests.factories.modules import module_with_lessons, training_tree


@pytest.fixture
def tree(db):
    """(training home, module index, resource library)."""
    return training_tree()


@pytest.fixture
def module(tree):
    """A live module with three live lessons, open to every trainee."""
    return module_with_lessons(lessons=3, title="Konseling Awal")
