"""dispatch: due messages in the outbox, sent by the bot's real stack (engine tick,
outbox claims, bot/delivery.py, python-telegram-bot over HTTP) to the fake Bot API.

Run twice: against Telegram's limits (the fake answers 429 past 30/s overall or
1/s per chat), and with every limit lifted on both sides (the stack's ceiling).
The bot runs in its own process (:mod:`bench.dispatch_worker`); the fake runs
here, so each has a core. Every message carries a unique text, so the fake's
record tells what was lost (never accepted) and what was doubled.

Targets (issue 6): ≥ 29 msg/s sustained with zero 429s, zero lost, zero doubled;
a ceiling ≥ 1,000 msg/s.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

from bench.branch import BranchShape, fresh_database, member_name, write_branch_config
from bench.dispatch_worker import TICK_AT
from bench.figures import Report
from tests.auxil.fake_bot_api import FakeBotApi

REPO = Path(__file__).resolve().parents[1]
MARK = "【基准】"
RATE_TARGET = 29.0
CEILING_TARGET = 1000.0


def message_text(index: int, name: str) -> str:
    return f"{MARK}提醒 #{index:05d}：{name}，本月党小组会尚未登记，请于截止日前召开并登记。"


def enqueue_messages(config: Path, count: int, shape: BranchShape) -> None:
    """``count`` due rows, round-robin over the members so that consecutive rows go to different chats."""
    from bot.context import open_context
    from scheduling.clock import VirtualClock
    from storage import outbox

    context = open_context(config, clock=VirtualClock(TICK_AT))
    due = TICK_AT - timedelta(hours=1)
    rows = []
    for index in range(count):
        name = member_name(index % shape.members)
        rows.append(outbox.NewMessage(key=f"bench:{index:05d}|{outbox.NOTICE_KIND}|-|{name}", kind=outbox.NOTICE_KIND,
                                      recipient=name, due_at=due, text=message_text(index, name)))
    with context.session() as session:
        outbox.enqueue(session, rows, now=due)
    context.close()


async def _dispatch(folder: Path, postgres: str | None, count: int, shape: BranchShape, *, limits: bool) -> dict:
    async with FakeBotApi(enforce_limits=limits) as fake:
        with fresh_database(folder, postgres) as db_url:
            config = write_branch_config(folder, shape, db_url=db_url, api_url=fake.url, token=fake.token)
            enqueue_messages(config, count, shape)
            args = [sys.executable, "-m", "bench.dispatch_worker", str(config), *([] if limits else ["--lifted"])]
            log = folder / "worker.log"  # the bot's own log lines (429 waits, retries)
            with log.open("wb") as stderr:
                process = await asyncio.create_subprocess_exec(*args, cwd=REPO, stdout=asyncio.subprocess.PIPE,
                                                               stderr=stderr)
                out, _ = await process.communicate()
            if process.returncode != 0:
                raise RuntimeError(f"the dispatch worker exited {process.returncode}; see {log}")
            worker = json.loads(out.decode().strip().splitlines()[-1])
        return {"worker": worker, **analyse(fake, count)}


def analyse(fake: FakeBotApi, count: int) -> dict:
    """What the fake saw of the benchmark's messages: accepted, 429s, lost, doubled, rate."""
    ours = [c for c in fake.calls("sendMessage") if MARK in str(c.params.get("text", ""))]
    accepted = [c for c in ours if c.ok]
    texts = Counter(c.params["text"] for c in accepted)
    span = accepted[-1].at - accepted[0].at if len(accepted) > 1 else 0.0
    return {
        "accepted": len(accepted),
        "rate_limited": sum(1 for c in ours if c.status == 429),
        "other_errors": sum(1 for c in ours if not c.ok and c.status != 429),
        "lost": count - len(texts),
        "doubled": sum(n - 1 for n in texts.values() if n > 1),
        "rate": (len(accepted) - 1) / span if span > 0 else 0.0,
        "seconds": span,
    }


def run(workdir: Path, *, postgres: str | None = None, messages: int = 10_000, shape: BranchShape = BranchShape(),
        quiet: bool = False) -> Report:
    report = Report("dispatch", {"messages": messages, "chats": shape.members,
                                 "database": "postgresql" if postgres else "sqlite"}, quiet=quiet)
    report.header()
    for limits, key in ((True, "limited"), (False, "lifted")):
        if limits:
            report.say(f"sending {messages:,} messages within Telegram's limits (at 30/s: {messages / 30 / 60:.0f}+ min)")
        result = asyncio.run(_dispatch(workdir / key, postgres, messages, shape, limits=limits))
        label = "Telegram's limits enforced" if limits else "limits lifted (ceiling)"
        bound = {"at_least": RATE_TARGET if limits else CEILING_TARGET}
        report.figure(f"{key}_rate", f"{label}: sustained rate", result["rate"], "msg/s", **bound)
        report.figure(f"{key}_accepted", "  accepted by the fake", result["accepted"], "messages", equal=messages)
        report.figure(f"{key}_429", "  429 answers", result["rate_limited"], "answers", **({"equal": 0} if limits else {}))
        report.figure(f"{key}_lost", "  lost (enqueued, never accepted)", result["lost"], "messages", equal=0)
        report.figure(f"{key}_doubled", "  doubled (accepted twice)", result["doubled"], "messages", equal=0)
        report.figure(f"{key}_seconds", "  first to last accepted", result["seconds"], "s")
        worker = result["worker"]
        report.figure(f"{key}_ticks", "  engine ticks needed", worker["ticks"], "ticks")
        if result["other_errors"]:
            report.note(f"{key}: {result['other_errors']} calls answered with errors other than 429")
        report.settings[f"{key}_outbox"] = worker["states"]
    return report
