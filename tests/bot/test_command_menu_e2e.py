"""End to end: the command menu shows everybody only what every member may use, and
the secretary, the committee and whoever logs meetings their fuller menus."""

from __future__ import annotations

import pytest
from telegram import BotCommandScopeChat, BotCommandScopeDefault

from tests.auxil.harness import BotHarness, write_test_config
from tests.bot.chat import IDS, bind_with_invite

EVERYONE = {"status", "plan", "records", "meeting", "me", "help", "cancel"}


async def _menu(bot: BotHarness, chat_id: int | None = None) -> set[str]:
    scope = BotCommandScopeDefault() if chat_id is None else BotCommandScopeChat(chat_id)
    return {c.command for c in await bot.bot.get_my_commands(scope=scope)}


async def test_the_default_menu_holds_only_what_every_member_may_use_in_chinese(fake_api, db_url, tmp_path, clock):
    path = write_test_config(tmp_path, db_url, fake_api, telegram_ids=IDS)
    async with BotHarness(fake_api, path, clock=clock) as bot:
        assert await _menu(bot) == EVERYONE
        descriptions = {c.command: c.description for c in await bot.bot.get_my_commands()}
        assert descriptions["status"] == "查看完成情况（可加年份）"


@pytest.mark.parametrize(
    ("name", "extra"),
    [
        pytest.param("常天民", {"log", "overdue", "export", "invite"}, id="secretary-everything"),
        pytest.param("郭谨瑜", {"log", "overdue"}, id="committee-responsible-for-a-system"),
        pytest.param("李会玲", {"log", "overdue"}, id="committee-group-leader-logs-too"),
        pytest.param("陈永胜", {"log"}, id="group-leader-logs"),
        pytest.param("王晓明", set(), id="member-default-only"),
    ],
)
async def test_each_bound_member_gets_a_menu_of_what_they_may_use(fake_api, db_url, tmp_path, clock, name, extra):
    path = write_test_config(tmp_path, db_url, fake_api, telegram_ids=IDS)
    async with BotHarness(fake_api, path, clock=clock) as bot:
        own = await _menu(bot, IDS[name])
        # A chat without its own list shows the default one.
        assert (own or await _menu(bot)) == EVERYONE | extra


async def test_binding_with_an_invite_gives_the_new_account_its_menu_and_takes_it_from_the_old(fake_api, db_url, tmp_path, clock):
    ids = {name: telegram_id for name, telegram_id in IDS.items() if name != "陈永胜"}
    path = write_test_config(tmp_path, db_url, fake_api, telegram_ids=ids)
    async with BotHarness(fake_api, path, clock=clock) as bot:
        secretary = fake_api.user(IDS["常天民"], "常天民")
        leader = fake_api.user(IDS["陈永胜"], "陈永胜")
        assert await _menu(bot, leader.id) == set()
        assert "陈永胜" in (await bind_with_invite(secretary, leader, "陈永胜")).body
        assert await _menu(bot, leader.id) == EVERYONE | {"log"}

        new_phone = fake_api.user(2004, "陈永胜")
        assert "陈永胜" in (await bind_with_invite(secretary, new_phone, "陈永胜")).body
        assert await _menu(bot, new_phone.id) == EVERYONE | {"log"}
        assert await _menu(bot, leader.id) == set()
