"""ASGI: rewrite the HTML answer of one request after the app has written it, passing every other answer through."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

Rewrite = Callable[[str], Awaitable[str]]


async def rewrite_html(app, scope: dict, receive, send, rewrite: Rewrite,
                       extra_headers: list[tuple[bytes, bytes]] = ()) -> None:
    """Runs app for this request; a text/html answer is buffered, given to rewrite and sent with its new length.
    extra_headers go on every answer, HTML or not."""
    start: dict | None = None
    chunks: list[bytes] = []

    def with_extra(message: dict) -> dict:
        return {**message, "headers": [*message.get("headers", []), *extra_headers]} if extra_headers else message

    async def capture(message):
        nonlocal start
        if message["type"] == "http.response.start":
            if b"text/html" not in dict(message.get("headers", [])).get(b"content-type", b""):
                await send(with_extra(message))
                return
            start = message
            return
        if start is None:
            await send(message)
            return
        chunks.append(message.get("body", b""))
        if message.get("more_body"):
            return
        body = (await rewrite(b"".join(chunks).decode("utf-8"))).encode("utf-8")
        headers = [(k, v) for k, v in start.get("headers", []) if k != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await send(with_extra({**start, "headers": headers}))
        await send({"type": "http.response.body", "body": body})

    await app(scope, receive, capture)
