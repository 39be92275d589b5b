"""Datasette on the database, with the project's metadata, canned queries, dashboards and plugins."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import yaml

# Scraped text is shown as text: Datasette escapes cell values unless a plugin renders HTML (none here).
SETTINGS = {"sql_time_limit_ms": "5000", "facet_time_limit_ms": "500", "max_returned_rows": "10000",
            "allow_download": "off"}


def metadata_for(db: str | Path, archive: str | Path | None = None) -> dict[str, Any]:
    """The bundled metadata with its "*" database placeholders set to the served database's name; archive: the
    WARC folder the archived originals are served from."""
    text = (Path(__file__).parent / "datasette" / "metadata.yml").read_text("utf-8")
    metadata = yaml.safe_load(text)
    if archive is not None:
        metadata.setdefault("plugins", {})["nianbao"] = {"archive": str(Path(archive).resolve())}
    name = Path(db).stem
    metadata["databases"] = {name: metadata["databases"]["*"]}
    metadata["description_html"] = metadata["description_html"].replace('href="/*/', f'href="/{name}/')
    for dashboard in metadata.get("plugins", {}).get("datasette-dashboards", {}).values():
        for chart in dashboard.get("charts", {}).values():
            if chart.get("db") == "*":
                chart["db"] = name
            if chart.get("library") == "vega-lite":
                chart["display"] = saying_when_empty(chart["display"])
    return metadata


# A chart whose query returns no row would be a blank box: a text layer, drawn only when the data is empty, says so.
# SVG, so the words are text a reader can select and a test can find (vega-embed reads usermeta.embedOptions).
_NO_DATA_LAYER = {
    "data": {"values": [{}]},
    "transform": [{"filter": "length(data('source_0')) == 0"}],
    "mark": {"type": "text", "fontSize": 15, "color": "#555", "text": "无数据：没有符合筛选条件的报告 · No data for this filter"},
}


def saying_when_empty(display: dict[str, Any]) -> dict[str, Any]:
    """A vega-lite chart drawn as before, with a message over it when no row comes back."""
    drawn = {key: display[key] for key in ("mark", "encoding", "transform") if key in display}
    rest = {key: value for key, value in display.items() if key not in drawn}
    return {**rest, "usermeta": {"embedOptions": {"renderer": "svg"}}, "layer": [drawn, _NO_DATA_LAYER]}


def datasette_args(db: str | Path, metadata_file: str | Path, *, port: int = 8001, host: str = "127.0.0.1") -> list[str]:
    args = ["serve", str(db), "--metadata", str(metadata_file), "--host", host, "--port", str(port)]
    for name, value in SETTINGS.items():
        args += ["--setting", name, value]
    return args


def write_metadata(db: str | Path, directory: str | Path, archive: str | Path | None = None) -> Path:
    path = Path(directory) / f"{Path(db).stem}-metadata.json"
    path.write_text(json.dumps(metadata_for(db, archive), ensure_ascii=False, indent=1), "utf-8")
    return path


def serve(db: str | Path, *, port: int = 8001, host: str = "127.0.0.1", archive: str | Path | None = None) -> None:
    """Blocks, serving until interrupted. Datasette opens the file read-only (mode=ro)."""
    from datasette.cli import cli

    if not Path(db).exists():
        raise FileNotFoundError(f"no database at {db}: run `nianbao crawl` or `nianbao demo` first")
    with tempfile.TemporaryDirectory(prefix="nianbao-") as directory:
        metadata_file = write_metadata(db, directory, archive)
        cli.main(args=datasette_args(db, metadata_file, port=port, host=host), prog_name="nianbao serve",
                 standalone_mode=True)
