"""A fake Telegram Bot API server for end-to-end tests: real HTTP on 127.0.0.1,
inside the test's event loop, so the bot runs its real python-telegram-bot stack.

Every call is checked against the official method list (``api_schema``); a
malformed call is recorded as a violation and answered 400, and the harness
fails the test for it. Users are simulated with :meth:`FakeBotApi.user`;
faults with :meth:`FakeBotApi.fail_next`; Telegram's limits with
``enforce_limits=True``. Tests wait for events with :meth:`FakeBotApi.wait_for`
(no sleeping on the wall clock).

    async with FakeBotApi() as fake:
        bot = telegram.Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url)
"""

from __future__ import annotations

import asyncio
import itertools
import re
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from scheduling.clock import Clock
from tests.auxil.api_schema import ApiSchema, UploadedFile, load_schema
from tests.auxil.fake_faults import SENDING_METHODS, Fault, FaultPlan, LimitStats, SendingLimits
from tests.auxil.fake_methods import HANDLERS, ApiError, generic_answer
from tests.auxil.fake_http import chat_key, error_response, read_params, update_kind
from tests.auxil.fake_records import Call, SentMessage, Signal, StoredFile
from tests.auxil.fake_users import FakeGroup, FakeUser

DEFAULT_TOKEN = "123456789:TEST-token_for-the-fake-api"
METHOD_PATH = re.compile(r"/bot(?P<token>[^/]+)/(?P<method>[A-Za-z]+)/?")
FILE_PATH = re.compile(r"/file/bot(?P<token>[^/]+)/(?P<path>.+)")
ATTACH = re.compile(r"attach://([A-Za-z0-9_.-]+)")
CONFLICT = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
WEBHOOK_ACTIVE = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"


class FakeBotApi:
    """The fake server; also the record of everything the bot asked of it."""

    def __init__(self, *, token: str = DEFAULT_TOKEN, bot_username: str = "zhibu_test_bot",
                 enforce_limits: bool = False, clock: Callable[[], float] = time.monotonic,
                 now: Clock | None = None, schema: ApiSchema | None = None) -> None:
        self.token = token
        self.schema = schema or load_schema()
        self.clock = clock  # drives the limit windows and Call.at
        self.now = now  # drives message dates; the system time if None
        self.enforce_limits = enforce_limits
        self.limits = SendingLimits(clock)
        self.faults = FaultPlan()
        self.signal = Signal()
        self.bot_user = {"id": int(token.split(":")[0]) if token.split(":")[0].isdigit() else 1,
                         "is_bot": True, "first_name": "支部通", "username": bot_username,
                         "can_join_groups": True, "can_read_all_group_messages": False,
                         "supports_inline_queries": False}
        self.violations: list[str] = []
        self.updates: list[dict[str, Any]] = []
        self.chats: dict[Any, dict[str, Any]] = {}
        self.files: dict[str, StoredFile] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self.callback_queries: dict[str, bool] = {}  # id -> answered
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.webhook_url = ""
        self.downloads = 0
        self.waiting_polls = 0  # getUpdates calls being held open right now
        self._calls: list[Call] = []
        self._sent: dict[Any, list[SentMessage]] = {}
        self._by_id: dict[tuple[Any, int], SentMessage] = {}
        self._message_ids: dict[Any, int] = {}
        self._users: dict[int, FakeUser] = {}
        self._serial = itertools.count(1)
        self._next_update_id = 1
        self._poll_generation = 0
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.url = ""

    # -- lifecycle -------------------------------------------------------------

    async def start(self) -> FakeBotApi:
        """Listen on a free port of 127.0.0.1; ``self.url`` is then set."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, handler_cancellation=True, shutdown_timeout=1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        return self

    async def close(self) -> None:
        """Release long polls and held answers, then stop listening."""
        self._closing.set()
        self.signal.changed()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotApi:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url(...)`` / config ``telegram.base_url``."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    # -- what the bot did --------------------------------------------------------

    def calls(self, method: str | None = None, *, chat_id: Any = None, ok: bool | None = None,
              since: int = 0) -> list[Call]:
        """Answered calls, oldest first, filtered by method, chat, success and ``mark()``."""
        return [c for c in self._calls
                if c.seq > since and (method is None or c.method == method)
                and (chat_id is None or str(c.chat_id) == str(chat_id))
                and (ok is None or c.ok == ok)]

    def mark(self) -> int:
        """A bookmark: pass it as ``since=`` to look only at later calls."""
        return self._calls[-1].seq if self._calls else 0

    async def wait_for(self, method: str, count: int = 1, *, chat_id: Any = None, ok: bool | None = None,
                       since: int = 0, timeout: float = 5) -> list[Call]:
        """Wait until at least ``count`` matching calls were answered; return them all."""
        def enough() -> list[Call] | None:
            found = self.calls(method, chat_id=chat_id, ok=ok, since=since)
            return found if len(found) >= count else None

        return await self.signal.wait_until(
            enough, timeout, lambda: f"{count} x {method} (chat {chat_id}, ok={ok}); got "
                                     f"{len(self.calls(method, chat_id=chat_id, ok=ok, since=since))}; "
                                     f"all calls: {[c.method for c in self.calls(since=since)][-20:]}")

    async def wait_until_polling(self, timeout: float = 5) -> None:
        """Wait until a getUpdates long poll is being held open (the bot is listening)."""
        await self.signal.wait_until(lambda: self.waiting_polls > 0, timeout, lambda: "a getUpdates long poll")

    def sent_to(self, chat_id: Any, *, include_deleted: bool = False) -> list[SentMessage]:
        """The bot's messages in a chat, oldest first, in their current (edited) state."""
        return [m for m in self._sent.get(chat_key(chat_id), []) if include_deleted or not m.deleted]

    def bot_message(self, chat_id: Any, message_id: Any) -> SentMessage | None:
        return self._by_id.get((chat_key(chat_id), message_id))

    @property
    def stats(self) -> LimitStats:
        return self.limits.stats

    def take_violations(self) -> list[str]:
        """Return and forget the violations (for tests that provoke one on purpose)."""
        found, self.violations = self.violations, []
        return found

    def assert_no_violations(self) -> None:
        if self.violations:
            raise AssertionError("the bot made calls the Bot API would reject:\n  " + "\n  ".join(self.violations))

    # -- simulated people and chats --------------------------------------------

    def user(self, user_id: int, first_name: str, username: str | None = None) -> FakeUser:
        """The private-chat handle of a Telegram user (the same handle for the same id)."""
        if user_id not in self._users:
            self._users[user_id] = FakeUser(self, user_id, first_name, username)
        return self._users[user_id]

    def group(self, chat_id: int, title: str = "党支部群") -> FakeGroup:
        return FakeGroup(self, chat_id, title)

    def push_update(self, kind: str, payload: dict[str, Any]) -> int:
        """Queue an update for getUpdates; returns its update_id."""
        update_id = self._next_update_id
        self._next_update_id += 1
        self.updates.append({"update_id": update_id, kind: payload})
        self.signal.changed()
        return update_id

    # -- faults ----------------------------------------------------------------

    def fail_next(self, method: str | None = "sendMessage", status: int = 429, *, retry_after: int | None = None,
                  description: str | None = None, chat_id: Any = None, migrate_to_chat_id: int | None = None,
                  times: int | None = 1) -> Fault:
        """Answer the next ``times`` matching calls with an error (``times=None``: all of them).

        ``method=None`` matches every sending method. 403 defaults to "bot was
        blocked by the user", 400 to "chat not found"; ``migrate_to_chat_id``
        answers 400 with that parameter.
        """
        return self.faults.add(Fault(method, status, retry_after, description, migrate_to_chat_id,
                                     chat_id, None, times))

    def hold_next(self, method: str | None = "sendMessage", seconds: float = 30, *, chat_id: Any = None,
                  times: int | None = 1) -> Fault:
        """Accept the next matching call but answer only after ``seconds`` (a client timeout)."""
        return self.faults.add(Fault(method, 200, chat_id=chat_id, hold=seconds, times=times))

    # -- state shared with the method handlers -----------------------------------

    def next_serial(self) -> int:
        return next(self._serial)

    def next_message_id(self, chat_id: Any) -> int:
        key = chat_key(chat_id)
        self._message_ids[key] = self._message_ids.get(key, 0) + 1
        return self._message_ids[key]

    def unix_now(self) -> int:
        return int(self.now.now().timestamp()) if self.now is not None else int(time.time())

    def chat_for(self, chat_id: Any) -> dict[str, Any]:
        key = chat_key(chat_id)
        if key not in self.chats:
            if isinstance(key, str):
                self.chats[key] = {"id": -1000000000000 - len(self.chats), "type": "channel", "title": key}
            elif key > 0:
                self.chats[key] = {"id": key, "type": "private", "first_name": f"user{key}"}
            else:
                kind = "supergroup" if str(key).startswith("-100") else "group"
                self.chats[key] = {"id": key, "type": kind, "title": f"group{key}"}
        return self.chats[key]

    def record_sent(self, message: SentMessage) -> None:
        key = chat_key(message.chat_id)
        self._sent.setdefault(key, []).append(message)
        self._by_id[(key, message.message_id)] = message

    def store_file(self, data: bytes, folder: str, suffix: str, *, reported_size: int | None = None,
                   file_name: str | None = None, mime_type: str | None = None) -> StoredFile:
        number = self.next_serial()
        stored = StoredFile(file_id=f"FILE{number:06d}-{folder}", unique_id=f"U{number:06d}",
                            path=f"{folder}/file_{number}{suffix}", data=data,
                            size=len(data) if reported_size is None else reported_size,
                            file_name=file_name, mime_type=mime_type)
        self.files[stored.file_id] = stored
        self._files_by_path[stored.path] = stored
        return stored

    def file_bytes(self, file_id: str) -> bytes:
        return self.files[file_id].data

    # -- HTTP --------------------------------------------------------------------

    def summary(self) -> dict[str, Any]:
        """Counters for benchmarks: messages accepted, distinct, duplicated, refused, violations."""
        by_method: dict[str, int] = {}
        for call in self._calls:
            by_method[call.method] = by_method.get(call.method, 0) + 1
        return {"accepted": self.stats.accepted, "distinct": self.stats.accepted - self.stats.duplicates,
                "duplicates": self.stats.duplicates, "rate_limited": self.stats.rate_limited,
                "calls": by_method, "violations": list(self.violations)}

    async def _handle(self, request: web.Request) -> web.Response:
        if request.path == "/_fake/summary":  # for a fake running in another process
            return web.json_response(self.summary())
        if match := FILE_PATH.fullmatch(request.path):
            return self._download(match["token"], match["path"])
        match = METHOD_PATH.fullmatch(request.path)
        if match is None:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        if match["token"] != self.token:
            self._record(match["method"], {}, 401)
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        raw, uploads = await read_params(request)
        return await self._answer(match["method"], raw, uploads)

    async def _answer(self, method: str, raw: dict[str, Any], uploads: dict[str, UploadedFile]) -> web.Response:
        params = self.schema.decode(method, raw)
        declared = self.schema.methods.get(method, {})
        referenced = {name for value in raw.values() if isinstance(value, str) for name in ATTACH.findall(value)}
        attachments = {name: f for name, f in uploads.items() if name not in declared and name in referenced}
        params.update({name: f for name, f in uploads.items() if name not in attachments})
        problems = self.schema.problems(method, params, frozenset(attachments))
        if problems:
            self.violations.extend(problems)
            self._record(method, params, 400, problems)
            return error_response(400, "Bad Request: " + problems[0])
        fault = self.faults.take(method, params)
        if fault is not None and fault.hold is None:
            status, body = fault.answer()
            self._record(method, params, status)
            return web.json_response(body, status=status)
        if self.enforce_limits and method in SENDING_METHODS:
            weight = len(params["media"]) if method == "sendMediaGroup" else 1
            retry_after = self.limits.check(params.get("chat_id"), weight)
            if retry_after is not None:
                self._record(method, params, 429)
                return error_response(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)
        if method == "getUpdates":
            return await self._get_updates(params)
        seq = self.next_serial()
        try:
            handler = HANDLERS.get(method)
            result = handler(self, params, attachments, seq) if handler else generic_answer(self, method, params, seq)
        except ApiError as exc:
            self._record(method, params, exc.status)
            return error_response(exc.status, exc.description)
        if method in SENDING_METHODS:
            self.limits.note_accepted(params.get("chat_id"), params.get("text") or params.get("caption"))
        self._record(method, params, 200)
        if fault is not None:  # accepted, but the answer comes too late for the client
            try:
                await asyncio.wait_for(self._closing.wait(), fault.hold)
            except TimeoutError:
                pass
        return web.json_response({"ok": True, "result": result})

    async def _get_updates(self, params: dict[str, Any]) -> web.Response:
        if self.webhook_url:
            self._record("getUpdates", params, 409)
            return error_response(409, WEBHOOK_ACTIVE)
        self._poll_generation += 1
        generation = self._poll_generation
        self.signal.changed()  # an older long poll still waiting is now terminated
        offset = params.get("offset")
        if isinstance(offset, int) and offset > 0:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        allowed = params.get("allowed_updates") or None
        limit = min(max(int(params.get("limit") or 100), 1), 100)

        def ready() -> list[dict[str, Any]] | bool:
            if generation != self._poll_generation or self._closing.is_set():
                return True
            return [u for u in self.updates if allowed is None or update_kind(u) in allowed][:limit]

        self.waiting_polls += 1
        self.signal.changed()
        try:
            await self.signal.wait(ready, float(params.get("timeout") or 0))
        finally:
            self.waiting_polls -= 1
        if generation != self._poll_generation:
            self._record("getUpdates", params, 409)
            return error_response(409, CONFLICT)
        found = ready()
        result = found if isinstance(found, list) else []
        self._record("getUpdates", params, 200)
        return web.json_response({"ok": True, "result": result})

    def _download(self, token: str, path: str) -> web.Response:
        stored = self._files_by_path.get(path)
        if token != self.token or stored is None:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        self.downloads += 1
        return web.Response(body=stored.data, content_type="application/octet-stream")

    def _record(self, method: str, params: dict[str, Any], status: int, problems: list[str] | None = None) -> None:
        self._calls.append(Call(seq=self.next_serial(), method=method, params=params, at=self.clock(),
                                status=status, problems=problems or []))
        self.signal.changed()
