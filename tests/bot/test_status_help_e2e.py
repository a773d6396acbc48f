"""End to end over HTTP: /help lists what the person may use; /status points to /overdue
and answers about the year asked."""

from __future__ import annotations

import pytest

from tests.auxil.harness import BotHarness, write_test_config
from tests.bot.chat import IDS, say


def _config(tmp_path, db_url, fake_api):
    return write_test_config(tmp_path, db_url, fake_api, telegram_ids=IDS)


async def test_the_branch_status_says_how_many_earlier_periods_are_overdue(fake_api, db_url, tmp_path, clock):
    async with BotHarness(fake_api, _config(tmp_path, db_url, fake_api), clock=clock):
        secretary = fake_api.user(IDS["常天民"], "常天民")
        overdue = await say(secretary, "/overdue")
        count = len(overdue.body.splitlines())
        assert count > 0
        status = await say(secretary, "/status")
        assert status.body.splitlines()[-1] == f"另有 {count} 项逾期，见 /overdue"


@pytest.mark.parametrize(
    ("name", "shown", "hidden"),
    [
        pytest.param("王晓明", ["/status", "/me", "/records"], ["/log", "/overdue", "/export", "/invite"], id="member"),
        pytest.param("李会玲", ["/log", "/status", "/overdue"], ["/export", "/invite"], id="group-leader-on-committee"),
        pytest.param("常天民", ["/log", "/overdue", "/export", "/invite"], [], id="secretary"),
    ],
)
async def test_help_lists_only_the_commands_the_person_may_use(fake_api, db_url, tmp_path, clock, name, shown, hidden):
    async with BotHarness(fake_api, _config(tmp_path, db_url, fake_api), clock=clock):
        body = (await say(fake_api.user(IDS[name], name), "/help")).body
        commands = {line.split()[0] for line in body.splitlines() if line.startswith("/")}
        assert set(shown) <= commands and not commands & set(hidden)


async def test_status_for_a_year_answers_about_that_year_and_names_the_accepted_years(fake_api, db_url, tmp_path, clock):
    async with BotHarness(fake_api, _config(tmp_path, db_url, fake_api), clock=clock):
        member = fake_api.user(IDS["王晓明"], "王晓明")
        assert "2025 年没有您负责或可查看的会议事项" in (await say(member, "/status 2025")).body
        assert "只能查看 2000–2100 年" in (await say(member, "/status 1999")).body
