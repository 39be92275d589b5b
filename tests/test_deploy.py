"""The scheduling recipes in deploy/ (cron, systemd timers, distributed workers) run commands that exist, with
options the command line takes, on calendars systemd and cron can read."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import pytest

from crawler.cli import build_parser

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


def nianbao_args(command: str) -> list[str]:
    """The arguments after …/nianbao in a shell command line, without redirections and what follows them."""
    words = shlex.split(command.split("&&")[-1])
    start = next(i for i, w in enumerate(words) if w.endswith("/nianbao")) + 1
    end = next((i for i, w in enumerate(words) if w.startswith((">", "2>", "|"))), len(words))
    return [w.replace("%i", "1").replace("%H", "host") for w in words[start:end]]


def units(suffix: str) -> list[Path]:
    return sorted((DEPLOY / "systemd").glob(f"*{suffix}"))


@pytest.mark.parametrize("unit", units(".service"), ids=lambda p: p.name)
def test_every_service_runs_a_nianbao_command_line_that_parses(unit):
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.read(unit, encoding="utf-8")
    args = nianbao_args(parser["Service"]["ExecStart"])
    build_parser().parse_args(args)  # argparse exits on an unknown option or a missing value
    assert parser["Service"]["WorkingDirectory"] and parser["Service"]["User"]


@pytest.mark.parametrize("timer", units(".timer"), ids=lambda p: p.name)
def test_every_timer_has_a_calendar_and_its_service(timer):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(timer, encoding="utf-8")
    assert parser["Timer"]["OnCalendar"] and parser["Timer"].getboolean("Persistent")
    assert timer.with_suffix(".service").is_file()


def test_crontab_lines_have_five_fields_and_commands_that_parse():
    lines = [line for line in (DEPLOY / "cron" / "nianbao.crontab").read_text("utf-8").splitlines()
             if line.strip() and not line.startswith("#") and "=" not in line.split()[0]]
    assert len(lines) == 3
    for line in lines:
        fields = line.split(None, 5)
        assert len(fields) == 6 and all(f.replace("*", "").replace("/", "").replace(",", "").isdigit() or f == "*"
                                        for f in fields[:5]), line
        build_parser().parse_args(nianbao_args(fields[5]))
