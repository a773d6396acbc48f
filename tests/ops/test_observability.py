"""Logs are one JSON object per line, and the bot token never reaches them —
neither in a message, its arguments, its fields, a traceback nor httpx's URLs."""

from __future__ import annotations

import io
import json
import logging
from datetime import datetime

import pytest
from telegram import Bot

from bot.config import ConfigError
from bot.context import load_context
from bot.observability import REDACTED, configure_logging, log_startup_summary
from scheduling.clock import VirtualClock
from tests.auxil.harness import write_test_config
from tests.conftest import SHANGHAI
from tests.ops.conftest import TOKEN

OTHER_TOKEN = "555666777:AAE-another_token-shaped_String-98765"


def entries(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_an_event_is_one_json_line_with_its_fields(log_stream):
    logging.getLogger("zhibu.engine").info("reminder sent", extra={"obligation": "group_meeting:g1:2026-03",
                                                                    "recipient_id": 7})
    [entry] = entries(log_stream)
    assert entry["event"] == "reminder sent"
    assert (entry["level"], entry["logger"]) == ("info", "zhibu.engine")
    assert (entry["obligation"], entry["recipient_id"]) == ("group_meeting:g1:2026-03", 7)
    assert datetime.fromisoformat(entry["ts"]).tzinfo is not None


def test_a_traceback_stays_on_the_event_s_line(log_stream):
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logging.getLogger("zhibu").exception("send failed")
    [entry] = entries(log_stream)
    assert entry["event"] == "send failed"
    assert "RuntimeError: boom" in entry["exc"]
    assert len(log_stream.getvalue().splitlines()) == 1


def log_in_message():
    logging.getLogger("zhibu").warning(f"calling https://api.telegram.org/bot{TOKEN}/getMe")


def log_in_args():
    logging.getLogger("zhibu").warning("calling %s", f"https://api.telegram.org/bot{TOKEN}/getMe")


def log_in_field():
    logging.getLogger("zhibu").warning("calling", extra={"url": f"https://x/bot{TOKEN}/getMe"})


def log_in_traceback():
    try:
        raise ValueError(f"bad url https://x/bot{TOKEN}/sendMessage")
    except ValueError:
        logging.getLogger("zhibu").exception("request failed")


def log_unknown_token():
    logging.getLogger("zhibu").warning("old token %s still in a config backup", OTHER_TOKEN)


@pytest.mark.parametrize("emit", [
    pytest.param(log_in_message, id="in-the-message"),
    pytest.param(log_in_args, id="in-the-arguments"),
    pytest.param(log_in_field, id="in-an-extra-field"),
    pytest.param(log_in_traceback, id="in-a-traceback"),
    pytest.param(log_unknown_token, id="token-shaped-but-not-configured"),
])
def test_the_token_is_redacted_wherever_it_appears(log_stream, emit):
    emit()
    text = log_stream.getvalue()
    assert TOKEN not in text and OTHER_TOKEN not in text
    assert REDACTED in text


async def test_httpx_request_urls_are_redacted(log_stream, clock):
    from tests.auxil.fake_bot_api import FakeBotApi

    logging.getLogger("httpx").setLevel(logging.INFO)  # as someone debugging a network problem might
    async with FakeBotApi(token=TOKEN, now=clock) as fake:
        async with Bot(TOKEN, base_url=fake.base_url):
            pass
    requests = [e for e in entries(log_stream) if e["logger"] == "httpx"]
    assert requests and all(f"/bot{REDACTED}/getMe" in e["event"] for e in requests if "getMe" in e["event"])
    assert TOKEN not in log_stream.getvalue()


def test_python_telegram_bot_never_logs_below_info(log_stream):
    assert logging.getLogger().level == logging.DEBUG
    assert logging.getLogger("telegram.ext.Application").getEffectiveLevel() == logging.INFO
    assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING


def test_an_unknown_level_is_refused():
    with pytest.raises(ConfigError, match="ZHIBU_LOG_LEVEL: unknown log level 'LOUD'"):
        configure_logging(level="LOUD", stream=io.StringIO())


def test_the_start_up_summary_says_what_the_bot_runs_with_and_no_secret(log_stream, tmp_path):
    url = "postgresql+psycopg://zhibu:pw-secret@db.internal/zhibu"
    path = write_test_config(tmp_path, url, "http://127.0.0.1:9", telegram_ids={"常天民": 1001})
    path.write_text(path.read_text(encoding="utf-8").replace("123456:ABC-DEF", TOKEN), encoding="utf-8")
    context = load_context(path, clock=VirtualClock(datetime(2031, 11, 25, 9, 0, tzinfo=SHANGHAI)))
    log_startup_summary(context, "polling")
    starting, *warnings = entries(log_stream)
    assert starting["event"] == "starting"
    assert (starting["mode"], starting["members"], starting["bound_members"], starting["groups"]) == (
        "polling", 8, 1, 2)
    assert starting["database"] == "postgresql+psycopg://zhibu:***@db.internal/zhibu"
    assert starting["calendar_without_official_data"] == [2031, 2032]
    assert [(w["level"], w["year"]) for w in warnings] == [("warning", 2031), ("warning", 2032)]
    assert "pw-secret" not in log_stream.getvalue() and TOKEN not in log_stream.getvalue()
