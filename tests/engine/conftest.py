from tests.auxil.fixtures import fake_api, running_bot  # noqa: F401
