"""The command line speaks one way: a missing database is the same clear error everywhere, nothing is made up."""

from __future__ import annotations

import subprocess

import pytest

from crawler.demo import demo_site_dir

from .conftest import NIANBAO, nianbao


@pytest.mark.parametrize("command", [["reparse"], ["export", "-o", "x.csv"], ["deadlines"], ["serve"],
                                     ["package", "-o", "x.wacz", "--crawl", "1"]])
def test_a_missing_database_is_the_same_clear_error_and_none_is_created(tmp_path, command):
    result = nianbao(*command, "--db", "nowhere.db", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == f"nianbao {command[0]}: no database at nowhere.db: run `nianbao crawl` or " \
                                    "`nianbao demo` first"
    assert not (tmp_path / "nowhere.db").exists() and not list(tmp_path.iterdir())


def test_export_into_a_missing_folder_is_an_error_not_new_folders(tmp_path):
    from archive.store import Store

    Store(tmp_path / "n.db")
    result = nianbao("export", "-o", str(tmp_path / "no" / "such" / "x.csv"), "--db", str(tmp_path / "n.db"))
    assert result.returncode == 2 and "no such folder" in result.stderr and not (tmp_path / "no").exists()


def test_parse_into_a_closed_pipe_ends_quietly(tmp_path):
    page = next(demo_site_dir().rglob("t2023*.html"))
    done = subprocess.run(f"'{NIANBAO}' parse '{page}' | head -1", shell=True, capture_output=True, text=True,
                          timeout=120)
    assert done.stdout.strip() == "{" and "Traceback" not in done.stderr and "Error" not in done.stderr
