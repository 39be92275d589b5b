"""Datasette on the database, with the project's metadata (and, through entry points, its plugins)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def metadata_path() -> Path:
    return Path(str(resources.files("archive").joinpath("datasette", "metadata.yml")))


def datasette_args(db: str | Path, *, port: int = 8001, host: str = "127.0.0.1") -> list[str]:
    return ["serve", str(db), "--metadata", str(metadata_path()), "--host", host, "--port", str(port),
            "--setting", "sql_time_limit_ms", "5000", "--setting", "facet_time_limit_ms", "500"]


def serve(db: str | Path, *, port: int = 8001, host: str = "127.0.0.1") -> None:
    """Blocks, serving until interrupted. Datasette opens the file read-only (mode=ro)."""
    from datasette.cli import cli

    if not Path(db).exists():
        raise FileNotFoundError(f"no database at {db}: run `nianbao crawl` or `nianbao demo` first")
    cli.main(args=datasette_args(db, port=port, host=host), prog_name="nianbao serve", standalone_mode=True)
