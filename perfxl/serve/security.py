"""What every request and response of ``perfxl serve`` goes through.

* :class:`SecurityHeaders` — a strict Content-Security-Policy with a fresh nonce per
  response (the pages' one stylesheet and small script are inline and carry it; nothing
  else may run or load), no framing, no MIME sniffing, no Referer to another site (links
  carry tokens),
  no caching of pages that carry tokens or data.
* :class:`BodyLimit` — a request body larger than the rulebook's ``max_file_mb`` (plus
  room for the form around it) is refused with 413 before it is read.
* :func:`csrf_token` / :func:`csrf_ok` — every form carries a token bound to its link and
  its action (HMAC with the server's key); a POST without the right one, or from another
  site (``Origin`` / ``Sec-Fetch-Site``), is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any, Awaitable, Callable, MutableMapping

__all__ = ["SecurityHeaders", "BodyLimit", "RequestTooLarge", "csrf_token", "csrf_ok", "same_origin", "FORM_OVERHEAD"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Room for the multipart envelope and the form's other fields around the file.
FORM_OVERHEAD = 64 * 1024


def _csp(nonce: str) -> str:
    return "; ".join([
        "default-src 'none'",
        f"style-src 'nonce-{nonce}'",
        f"script-src 'nonce-{nonce}'",
        "img-src 'self' data:",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ])


class SecurityHeaders:
    """Adds the security headers to every HTTP response; puts the CSP nonce in
    ``scope['state']['nonce']`` for the templates."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})["nonce"] = nonce
        extra = [
            (b"content-security-policy", _csp(nonce).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"same-origin"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"cross-origin-resource-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
            (b"cache-control", b"no-store"),
        ]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in extra if h[0] not in names]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Refuses (413) a request whose body is larger than ``limit`` bytes: at once when
    ``Content-Length`` says so, else as soon as the bytes received pass it."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for k, v in scope.get("headers", []):
            if k == b"content-length":
                try:
                    too_big = int(v) > self.limit
                except ValueError:
                    too_big = True
                if too_big:
                    await _too_large(send)
                    return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise RequestTooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, tracking_send)
        except RequestTooLarge:
            if not started:
                await _too_large(send)


class RequestTooLarge(Exception):
    """The request body passed the limit while being read."""


async def _too_large(send: Send) -> None:
    body = "请求过大 request too large".encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def csrf_token(secret: bytes, link: str, action: str) -> str:
    """The token a form for ``action`` under the link ``link`` must send back."""
    return hmac.new(secret, f"{action}\x00{link}".encode(), hashlib.sha256).hexdigest()


def csrf_ok(secret: bytes, link: str, action: str, sent: object) -> bool:
    return isinstance(sent, str) and hmac.compare_digest(csrf_token(secret, link, action), sent)


def same_origin(headers: Any) -> bool:
    """False when the browser says the request comes from another site."""
    site = headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = headers.get("origin")
    if origin is None or origin == "null":  # not sent, or withheld: the CSRF token decides
        return True
    return origin.split("://", 1)[-1] == headers.get("host", "")
