"""``python -m bench``: bad arguments get one line and exit 2, and nothing runs."""

from __future__ import annotations

import pytest

from bench.__main__ import main


def test_an_unknown_benchmark_is_refused(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--only", "engine,speed"])
    assert exit_info.value.code == 2
    assert "unknown benchmark 'speed'" in capsys.readouterr().err


def test_an_unreachable_postgresql_server_is_one_line_and_exit_2(capsys, tmp_path):
    out = tmp_path / "latest.json"
    code = main(["--postgres", "postgresql+psycopg://nobody@127.0.0.1:1/x", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("python -m bench: --postgres: cannot connect") and err.count("\n") == 1
    assert not out.exists()
