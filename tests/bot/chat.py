"""Steps people take in chat, shared by the end-to-end tests (not a test module)."""

from __future__ import annotations

import os
import re

from tests.auxil.fake_users import FakeUser

# Telegram ids the tests give the example roster's members.
IDS = {
    "常天民": 1001,  # secretary, committee, leadership; g1
    "郭谨瑜": 1002,  # committee, leadership; g1
    "李会玲": 1003,  # committee; leads g1
    "陈永胜": 1004,  # leadership; leads g2
    "朱东方": 1005,  # committee; g2; 党课
    "王晓明": 1006,  # member; g1
    "刘芳": 1007,  # member; g2
    "赵磊": 1008,  # member; g2
}


def jpeg(seed: int = 0, size: int = 600) -> bytes:
    """Bytes a content sniffer takes for a JPEG (distinct per seed)."""
    body = bytes((seed * 31 + i) % 256 for i in range(size))
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + body + b"\xff\xd9"


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + os.urandom(64)


async def say(user: FakeUser, text: str):
    """Send text (a command if it starts with /) and return the bot's next message."""
    if text.startswith("/"):
        user.send_command(text)
    else:
        user.send_text(text)
    return await user.next_message()


async def press(user: FakeUser, message, label: str):
    """Press the button labelled ``label`` and return the bot's next message."""
    user.press_button(message, label)
    return await user.next_message()


async def bind_with_invite(secretary: FakeUser, newcomer: FakeUser, name: str):
    """The secretary invites ``name``; the newcomer opens the link. Returns the welcome."""
    link = await say(secretary, f"/invite {name}")
    code = re.search(r"start=([A-Za-z0-9_-]+)", link.body).group(1)
    return await say(newcomer, f"/start {code}")


async def log_meeting(
    user: FakeUser,
    *,
    system: str,
    date: str = "今天",
    topic: str = "学习党的二十届三中全会精神",
    present: list[str] | None = None,
    all_present: bool = False,
    reasons: str = "事假",
    standalone: str | None = None,
    covers: list[str] = (),
    minutes: str | None = "会议纪要：传达学习，讨论发言。",
    photos: list[bytes] = (),
    photo_documents: list[bytes] = (),
    group: str | None = None,
):
    """Walk through /log up to the summary; return the summary message."""
    message = await say(user, "/log")
    message = await press(user, message, system)
    if group is not None:
        message = await press(user, message, group)
    if date in ("今天", "昨天"):
        message = await press(user, message, date)
    else:
        message = await say(user, date)
    assert "主题" in message.body, message.body
    message = await say(user, topic)
    assert "出席" in message.body, message.body
    if all_present:
        message = await press(user, message, "全部到会")
    else:
        for name in present or []:
            user.press_button(message, name)
            await user.fake.signal.wait_until(
                lambda: any(label.startswith("✅") and name in label for label, _ in user.fake.bot_message(message.chat_id, message.message_id).buttons),
                5,
                lambda: f"{name} ticked",
            )
            message = user.fake.bot_message(message.chat_id, message.message_id)
        message = await press(user, message, "确定")
        while "缺席的原因" in message.body:
            message = await press(user, message, reasons)
    if standalone is not None:
        assert "单独召开" in message.body, message.body
        message = await press(user, message, standalone)
    if "同时作为" in message.body:
        for key in covers:
            user.press_button(message, key)
        message = await press(user, message, "确定")
    assert "纪要" in message.body, message.body
    if minutes is None:
        message = await press(user, message, "稍后补充")
    else:
        message = await say(user, minutes)
    assert "照片" in message.body, message.body
    if not photos and not photo_documents:
        return await press(user, message, "稍后补充")
    for index, data in enumerate(photos):
        user.send_photo(data)
        message = await user.next_message()
        assert f"已收到 {index + 1} 张" in message.body, message.body
    for index, data in enumerate(photo_documents, start=len(photos)):
        # Sent "as a file" (uncompressed), as people do to keep the original.
        user.send_document(data, f"现场{index + 1}.jpg", "image/jpeg")
        message = await user.next_message()
        assert f"已收到 {index + 1} 张" in message.body, message.body
    return await press(user, message, "完成")
