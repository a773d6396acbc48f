"""Fixtures of the operations tests: the fake Bot API, and JSON logging into a buffer."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot.observability import CHATTY_LOGGERS, QUIET_LOGGERS, configure_logging
from tests.auxil.fixtures import fake_api  # noqa: F401

TOKEN = "123456789:AAHk-the_configured_Token-0123456789abc"


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    """JSON logging into a buffer; the logging setup of the test run is restored afterwards."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level,
             {name: logging.getLogger(name).level for name in (*CHATTY_LOGGERS, *QUIET_LOGGERS)})
    stream = io.StringIO()
    configure_logging(secrets=[TOKEN], level="DEBUG", stream=stream)
    yield stream
    logging.captureWarnings(False)
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handlers, level, levels = saved
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)
    for name, value in levels.items():
        logging.getLogger(name).setLevel(value)
