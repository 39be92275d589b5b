"""Word 97-2003 (.doc) and Kingsoft WPS (.wps) documents → DOCX with LibreOffice, then the DOCX reader.

Converting to DOCX (not to text) keeps merged cells, so the tables reach the one table reader as grids. Each
conversion gets its own LibreOffice profile (concurrent conversions would otherwise share and lock one), its own
process group (killed whole on timeout) and a time limit under the parse budget.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from .decode import DecodeError

CONVERT_TIMEOUT = 25.0  # seconds: under the worker's 30 s parse budget, so the error says what took long
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Kingsoft WPS writes its own property streams into the OLE container it shares with Word
_WPS_MARKERS = (b"KSOProductBuildVer", "KSOProductBuildVer".encode("utf-16-le"), b"WpsCustomData",
                "WpsCustomData".encode("utf-16-le"))
_WORKBOOK = "Workbook".encode("utf-16-le")
INSTALL_HINT = "install LibreOffice (Debian: apt-get install libreoffice-writer-nogui)"


def ole_kind(data: bytes) -> str:
    """doc, wps or xls for an OLE compound file, by its content rather than its name."""
    head = data[:262144]
    if any(marker in head for marker in _WPS_MARKERS) or any(marker in data[-262144:] for marker in _WPS_MARKERS):
        return "wps"
    if _WORKBOOK in head and "WordDocument".encode("utf-16-le") not in head:
        return "xls"
    return "doc"


def _converter() -> str:
    for name in ("soffice", "libreoffice"):
        if path := shutil.which(name):
            return path
    raise DecodeError(f"Word 97/WPS documents are converted with LibreOffice, which is not installed: {INSTALL_HINT}")


def _unlimited() -> None:
    """LibreOffice reserves more address space than a parse worker may use: the child gets its own limit."""
    resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.getrlimit(resource.RLIMIT_AS)[1]))


def to_docx(data: bytes, kind: str, timeout: float = CONVERT_TIMEOUT) -> bytes:
    """The document converted to DOCX; DecodeError when LibreOffice is absent, fails or takes too long."""
    soffice = _converter()
    with tempfile.TemporaryDirectory(prefix="nianbao-lo-") as work:
        source = Path(work) / f"report.{kind}"
        source.write_bytes(data)
        profile = Path(work) / "profile"
        command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                   "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(Path(work) / "out"),
                   str(source)]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                                   preexec_fn=_unlimited)  # noqa: PLW1509 - only resets the address-space limit
        try:
            _out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise DecodeError(f"LibreOffice took more than {timeout:g} s to convert the .{kind} document: refused") from None
        target = Path(work) / "out" / "report.docx"
        if process.returncode != 0 or not target.is_file():
            reason = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit {process.returncode}"]
            raise DecodeError(f"LibreOffice could not convert the .{kind} document ({reason[0][:200]})")
        return target.read_bytes()
