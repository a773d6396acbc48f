from tests.auxil.fixtures import fake_api  # noqa: F401
