import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def attempt(client, username, password):
    return client.post("/masuk/", {"username": username, "password": password})


def test_repeated_wrong_passwords_lock_that_username(client, trainee, password):
    for _ in range(5):
        attempt(client, trainee.username, "bukan-ini")
    response = attempt(client, trainee.username, password)
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_locked_username_does_not_lock_the_rest_of_the_room(
    client, trainee, password
):
    # Everyone in a workshop room signs in from the same IP address.
    neighbour = UserFactory(username="tetangga")
    for _ in range(5):
        attempt(client, trainee.username, "bukan-ini")
    response = attempt(client, neighbour.username, password)
    assert response.status_code == 302
