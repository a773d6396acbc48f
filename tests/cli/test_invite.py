"""``zhibu invite NAME``: a deep link when Telegram tells the bot's name, the code
and how to use it when it cannot; never the token; unknown names exit 2."""

from __future__ import annotations

import json
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.context import open_context
from storage.invites import RedeemOutcome, redeem_invite
from tests.storage.support import branch_config, zhibu

TOKEN = "123456:TEST-secret-token"
CODE = re.compile(r"邀请码：([A-Za-z0-9_-]+)$", re.M)


class _FakeGetMe(BaseHTTPRequestHandler):
    """Answers getMe like the Bot API (or refuses the token, when told to)."""

    refuse = False
    paths: list[str] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        type(self).paths.append(self.path)
        if self.refuse:
            status, body = 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        else:
            result = {"id": 42, "is_bot": True, "first_name": "支部通", "username": "zhibu_test_bot"}
            status, body = 200, {"ok": True, "result": result}
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *_args) -> None:
        pass


@pytest.fixture
def fake_api():
    """A local Bot API that knows getMe; yields its base_url."""
    handler = type("Handler", (_FakeGetMe,), {"paths": [], "refuse": False})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    handler.base_url = f"http://127.0.0.1:{server.server_address[1]}/bot"
    yield handler
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _no_token_from_the_environment(monkeypatch):
    monkeypatch.delenv("ZHIBU_TELEGRAM_TOKEN", raising=False)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _redeem(config, code: str):
    context = open_context(config)
    try:
        with context.session() as session:
            return redeem_invite(session, code=code, telegram_id=5150, now=context.clock.now())
    finally:
        context.close()


def test_it_prints_a_deep_link_with_the_bots_name_and_the_code(capsys, tmp_path, fake_api):
    config = branch_config(tmp_path, token=TOKEN, extra="")
    text = config.read_text(encoding="utf-8").replace("[telegram]\n", f'[telegram]\nbase_url = "{fake_api.base_url}"\n')
    config.write_text(text, encoding="utf-8")

    code, out, err = zhibu(capsys, "--config", str(config), "invite", "刘芳")

    assert (code, err) == (0, "")
    invite_code = CODE.search(out).group(1)
    assert f"https://t.me/zhibu_test_bot?start={invite_code}" in out
    assert fake_api.paths == [f"/bot{TOKEN}/getMe"]
    assert _redeem(config, invite_code).outcome is RedeemOutcome.BOUND


def test_without_a_token_it_prints_the_code_and_how_to_use_it(capsys, tmp_path):
    config = branch_config(tmp_path, token=None)

    code, out, err = zhibu(capsys, "--config", str(config), "invite", "刘芳")

    assert code == 0
    invite_code = CODE.search(out).group(1)
    assert f"/start {invite_code}" in out and "t.me" not in out
    assert len(err.strip().splitlines()) == 1 and "no Telegram token" in err
    assert _redeem(config, invite_code).member_name == "刘芳"


def test_when_telegram_is_unreachable_it_still_prints_the_code(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("ZHIBU_TELEGRAM_TOKEN", TOKEN)
    config = branch_config(tmp_path, token=None, extra="")
    text = config.read_text(encoding="utf-8").replace(
        "[telegram]\n", f'[telegram]\nbase_url = "http://127.0.0.1:{_closed_port()}/bot"\n'
    )
    config.write_text(text, encoding="utf-8")

    code, out, err = zhibu(capsys, "--config", str(config), "invite", "刘芳")

    assert code == 0 and CODE.search(out)
    assert "could not be reached" in err and TOKEN not in err + out


def test_a_configured_bot_username_gives_the_link_without_asking_telegram(capsys, tmp_path):
    config = branch_config(tmp_path, token=None, extra="")
    text = config.read_text(encoding="utf-8").replace("[telegram]\n", '[telegram]\nbot_username = "branch_helper_bot"\n')
    config.write_text(text, encoding="utf-8")

    code, out, err = zhibu(capsys, "--config", str(config), "invite", "刘芳")

    assert (code, err) == (0, "")
    invite_code = CODE.search(out).group(1)
    assert f"https://t.me/branch_helper_bot?start={invite_code}" in out


def test_a_refused_token_is_reported_without_the_token(capsys, tmp_path, fake_api):
    fake_api.refuse = True
    config = branch_config(tmp_path, token=TOKEN)
    text = config.read_text(encoding="utf-8").replace("[telegram]\n", f'[telegram]\nbase_url = "{fake_api.base_url}"\n')
    config.write_text(text, encoding="utf-8")

    code, out, err = zhibu(capsys, "--config", str(config), "invite", "刘芳")

    assert code == 0 and CODE.search(out)
    assert "refused the token" in err and TOKEN not in err + out


@pytest.mark.parametrize(
    ("name", "why"),
    [pytest.param("路人甲", "not in [[members]]", id="unknown"), pytest.param("王晓明", "removed", id="removed")],
)
def test_a_name_outside_the_active_roster_exits_2_with_one_line(capsys, tmp_path, name, why):
    config = branch_config(tmp_path)
    zhibu(capsys, "--config", str(config), "status")  # 王晓明 is in the database ...
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r'\[\[members\]\]\nname = "王晓明".*?\n\n', "", text, flags=re.S), encoding="utf-8")

    code, out, err = zhibu(capsys, "--config", str(config), "invite", name)  # ... and removed since

    assert (code, out) == (2, "")
    assert len(err.strip().splitlines()) == 1 and name in err and why in err
