"""The HTTP client of an account: one server, capped like feed downloads, errors as one sentence.

Every request has the limits of :class:`~reader.domain.feeds.fetching.FetchLimits` (connect and
total timeouts, the body capped on the wire and once decompressed). Redirects are not followed,
so credentials are never sent anywhere but the address the user gave; no proxy or ``.netrc`` is
taken from the environment. Error messages name the server's host, never a header, a form field
or a body that could hold a secret.
"""

from __future__ import annotations

import asyncio
import json
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from reader.domain.articles.cleaning import clean_line
from reader.domain.feeds.accounts.model import AccountError
from reader.domain.feeds.fetching import USER_AGENT, FetchError, FetchLimits, check_scheme, read_limited

__all__ = ["ApiClient", "normal_url"]


def normal_url(url: str) -> str:
    """An account address as it is stored and compared: http(s), no trailing slash, no query."""
    url = clean_line(url)
    try:
        check_scheme(url)
    except FetchError as error:
        raise AccountError(str(error)) from None
    parts = urlsplit(url)
    if parts.username or parts.password:
        raise AccountError("Give the user name and password with --user and --password-file, not in the address.")
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


class ApiClient:
    """Requests to one server; use as ``async with ApiClient(url) as api``."""

    def __init__(self, base_url: str, limits: FetchLimits | None = None, headers: dict[str, str] | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.limits = limits or FetchLimits()
        self.host = urlsplit(self.base_url).netloc
        timeout = httpx.Timeout(self.limits.total_timeout, connect=self.limits.connect_timeout)
        self._client = httpx.AsyncClient(timeout=timeout, follow_redirects=False, trust_env=False,
                                         headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"})
        self.headers: dict[str, str] = dict(headers or {})
        self.server_time = 0.0
        """The server's clock (its ``Date`` header, epoch seconds) at its last answer; 0 if unknown."""

    async def __aenter__(self) -> "ApiClient":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._client.aclose()

    async def request(self, method: str, path: str, *, params: Any = None, json_body: Any = None,
                      form: Any = None, what: str = "") -> tuple[int, bytes]:
        """(status, body) of one request; AccountError for a failure, with ``what`` naming the call."""
        what = what or path
        headers, content = self.headers, None
        if form is not None:  # a list of pairs, as the Google Reader API repeats its fields
            content = urlencode(form, doseq=True).encode("utf-8")
            headers = {**headers, "Content-Type": "application/x-www-form-urlencoded"}
        try:
            async with asyncio.timeout(self.limits.total_timeout):
                async with self._client.stream(method, self.base_url + path, params=params, json=json_body,
                                               content=content, headers=headers) as response:
                    status = response.status_code
                    if status in (401, 403):
                        raise AccountError(f"{self.host} refused the credentials (HTTP {status}).")
                    if 300 <= status < 400:
                        raise AccountError(f"{self.host} answered {what} with a redirect (HTTP {status}); "
                                           "give the address it redirects to.")
                    if status >= 400:
                        reason = clean_line(response.reason_phrase or "")[:60]
                        raise AccountError(f"{self.host} answered {what} with HTTP {status} {reason}".rstrip() + ".")
                    self.server_time = _http_date(response.headers.get("date"))
                    return status, await read_limited(response, self.limits)
        except FetchError as error:
            raise AccountError(f"{self.host}: {error}") from None
        except (TimeoutError, httpx.TimeoutException):
            raise AccountError(f"{self.host} did not answer in time.") from None
        except httpx.ConnectError:
            raise AccountError(f"Could not connect to {self.host}.") from None
        except httpx.HTTPError as error:
            raise AccountError(f"Network error talking to {self.host} ({type(error).__name__}).") from None

    async def json(self, method: str, path: str, **kwargs: Any) -> Any:
        """The decoded JSON answer of one request (``None`` for an empty body)."""
        _status, body = await self.request(method, path, **kwargs)
        if not body.strip():
            return None
        try:
            return json.loads(body)
        except ValueError:
            raise AccountError(f"{self.host} did not answer {kwargs.get('what') or path} with JSON.") from None


def _http_date(value: str | None) -> float:
    """An HTTP ``Date`` header as epoch seconds; 0 when missing or unreadable."""
    try:
        return parsedate_to_datetime(value).timestamp() if value else 0.0
    except (TypeError, ValueError, IndexError):
        return 0.0
