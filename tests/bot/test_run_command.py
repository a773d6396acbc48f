"""``zhibu run`` as a process: long polling or a webhook, a clean stop on SIGTERM,
exit 2 without a token, and the token never in the output."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys

import aiohttp
import pytest

from bot.cli import main
from tests.auxil.harness import write_test_config
from tests.bot.chat import IDS

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def db_url(tmp_path) -> str:
    """SQLite only: these tests are about the process, not the database (the rest run on both)."""
    return f"sqlite:///{tmp_path / 'zhibu.db'}"


def test_run_without_a_token_exits_2_with_one_line(tmp_path, db_url, capsys, monkeypatch):
    monkeypatch.delenv("ZHIBU_TELEGRAM_TOKEN", raising=False)
    path = write_test_config(tmp_path, db_url, "http://127.0.0.1:9", overrides={"telegram": {"token": ""}})
    text = path.read_text(encoding="utf-8").replace('token = ""\n', "")
    path.write_text(text, encoding="utf-8")
    assert main(["--config", str(path), "run"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "telegram.token" in error


async def _start(path) -> asyncio.subprocess.Process:
    env = {**os.environ, "PYTHONPATH": REPO}
    env.pop("ZHIBU_TELEGRAM_TOKEN", None)
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "--config", str(path), "run",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, env=env, cwd=REPO,
    )


async def _stop(process: asyncio.subprocess.Process) -> str:
    process.send_signal(signal.SIGTERM)
    output, _ = await asyncio.wait_for(process.communicate(), 20)
    assert process.returncode == 0, output.decode()
    return output.decode()


async def test_run_polls_answers_and_stops_cleanly_on_sigterm(fake_api, db_url, tmp_path):
    path = write_test_config(tmp_path, db_url, fake_api, telegram_ids=IDS)
    process = await _start(path)
    try:
        await fake_api.wait_for("setMyCommands", timeout=30)
        member = fake_api.user(IDS["王晓明"], "王晓明")
        member.send_command("/help")
        assert "/status" in (await member.next_message(timeout=15)).body
    finally:
        output = await _stop(process)
    assert fake_api.token not in output
    assert fake_api.token.split(":")[1] not in output


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_a_webhook_refuses_requests_without_the_secret_token(fake_api, db_url, tmp_path):
    port = _free_port()
    webhook = {"listen": "127.0.0.1", "port": port, "url": "https://bot.example.org/zhibu", "secret_token": "s3cret-token"}
    extra = "[telegram.webhook]\n" + "\n".join(
        f"{key} = {value}" if isinstance(value, int) else f'{key} = "{value}"' for key, value in webhook.items()
    )
    path = write_test_config(tmp_path, db_url, fake_api, extra, telegram_ids=IDS)
    process = await _start(path)
    try:
        (call,) = await fake_api.wait_for("setWebhook", timeout=30)
        assert call.params["url"] == webhook["url"] and call.params["secret_token"] == webhook["secret_token"]
        update = {"update_id": 1, "message": {"message_id": 1, "date": 0, "text": "/help",
                  "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
                  "from": {"id": IDS["王晓明"], "is_bot": False, "first_name": "王晓明"},
                  "chat": {"id": IDS["王晓明"], "type": "private", "first_name": "王晓明"}}}
        fake_api.user(IDS["王晓明"], "王晓明")
        async with aiohttp.ClientSession() as http:
            for _ in range(100):
                try:
                    async with http.post(f"http://127.0.0.1:{port}/", json=update) as refused:
                        break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.1)  # the webhook server is still starting
            assert refused.status == 403
            headers = {"X-Telegram-Bot-Api-Secret-Token": webhook["secret_token"]}
            async with http.post(f"http://127.0.0.1:{port}/", json=update, headers=headers) as accepted:
                assert accepted.status == 200
        await fake_api.wait_for("sendMessage", chat_id=IDS["王晓明"], timeout=15)
        assert len(fake_api.calls("sendMessage", chat_id=IDS["王晓明"])) == 1
    finally:
        await _stop(process)


pytestmark = pytest.mark.timeout(60)


async def test_run_logs_json_lines_with_a_startup_summary(fake_api, db_url, tmp_path):
    path = write_test_config(tmp_path, db_url, fake_api, telegram_ids=IDS)
    process = await _start(path)
    try:
        await fake_api.wait_for("setMyCommands", timeout=30)
    finally:
        output = await _stop(process)
    events = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    starting = [e for e in events if e["event"] == "starting"]
    assert starting and starting[0]["mode"] == "polling" and starting[0]["members"] == 8
    assert fake_api.token not in output
