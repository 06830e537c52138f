"""An SSRF-safe HTTP fetcher for URL and feed imports.

A URL typed by an editor, or found in a feed, must never make the server talk
to itself, the private network or the cloud metadata service. So `fetch`:

- accepts only http and https, without credentials, and not on ports the
  Fetch standard blocks (SMTP, IRC and the like);
- reads the host the way the network stack would (``2130706433``, ``0177.0.0.1``
  and ``0x7f.1`` are all 127.0.0.1), resolves names once, and refuses the URL
  when *any* address is not a public internet address;
- connects to the very address it checked (no second lookup that a rebinding
  DNS server could answer differently), sending the original name as the Host
  header and, for https, as TLS SNI and the name the certificate must match;
- follows redirects itself, checking every hop again;
- bounds every step: connect and read timeouts, a deadline for the whole fetch,
  and a size cap on the body after decompression.

Errors come in three classes, so a task knows what to do with them:
`FetchRefused` (policy said no; a kind of `PermanentFetchError`),
`PermanentFetchError` (fail the item now) and `TransientFetchError` (retry
later with backoff, no sooner than its ``retry_after`` hint when it has one).
Every message is a sentence an editor can read.
"""

from __future__ import annotations

import contextlib
import email.utils
import errno
import ipaddress
import re
import socket
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import SplitResult, quote, urljoin, urlsplit, urlunsplit

import urllib3
from django.conf import settings
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)

__all__ = [
    "DEFAULT_ACCEPT",
    "FetchError",
    "FetchRefused",
    "FetchResult",
    "PermanentFetchError",
    "TransientFetchError",
    "fetch",
]

DEFAULT_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.5"
)
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_USER_AGENT = "Verify/0.1 (claim verification for newsrooms)"
MAX_REDIRECTS = 5
# The whole fetch, redirects included, may take this many timeouts at most, so
# a server that trickles one byte just inside each read timeout still ends.
DEADLINE_FACTOR = 3
READ_CHUNK = 64 * 1024

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
KEPT_HEADERS = (
    "content-type",
    "content-length",
    "content-encoding",
    "content-language",
    "last-modified",
    "etag",
    "cache-control",
    "date",
)

# The Fetch standard's "bad ports": services that speak another protocol, which
# a crafted URL could otherwise feed an HTTP request to (SMTP, IRC, ...).
BAD_PORTS = frozenset(
    {
        0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95,
        101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179,
        389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601,
        636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566,
        6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
    }
)  # fmt: skip

PRIVATE_NETWORKS = tuple(
    ipaddress.ip_network(net) for net in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
)
# IPv6 ranges that carry an IPv4 address inside: the embedded one is checked too.
NAT64_NETWORKS = (ipaddress.IPv6Network("64:ff9b::/96"),)
IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")

_LABEL = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$")
_IPV4_PART = re.compile(r"^(?:0[xX][0-9a-fA-F]*|[0-9]+)$")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Iterable[str]]


# --- results and errors ----------------------------------------------------


@dataclass(frozen=True)
class FetchResult:
    url: str  # as requested
    final_url: str  # after redirects
    status: int
    content_type: str  # media type only, lower case; "" when the server sent none
    charset: str | None  # from the Content-Type header
    body: bytes  # decoded from gzip/deflate
    headers: dict[str, str] = field(default_factory=dict)  # a subset, lower-case names


class FetchError(Exception):
    """Base class: ``message`` is a sentence for an editor; ``url`` the URL it concerns."""

    def __init__(self, message: str, *, url: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.url = url


class PermanentFetchError(FetchError):
    """Trying again will not help: fail the item now."""


class FetchRefused(PermanentFetchError):
    """The URL is not allowed by policy (scheme, credentials, port or address); nothing was sent."""


class TransientFetchError(FetchError):
    """Probably temporary: retry with backoff, and not before ``retry_after`` seconds when set."""

    def __init__(self, message: str, *, url: str = "", retry_after: float | None = None) -> None:
        super().__init__(message, url=url)
        self.retry_after = retry_after


# --- address policy ----------------------------------------------------------


def address_problem(address: IPAddress) -> str | None:
    """Why `address` must not be fetched from, or None for a public internet address."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            problem = address_problem(embedded)
            if problem:
                return f"an address that embeds {embedded}, which is {problem}"
        if address.is_site_local:
            return "a site-local address (a private network)"
    if address.is_unspecified:
        return "the unspecified address (it means this machine)"
    if address.is_loopback:
        return "a loopback address (this machine itself)"
    if address.is_link_local:
        return "a link-local address (the local network segment, where cloud metadata services live)"
    if address.is_multicast:
        return "a multicast address"
    if isinstance(address, ipaddress.IPv4Address) and address in ipaddress.IPv4Network("100.64.0.0/10"):
        return "a shared address space (carrier-grade NAT) address"
    if any(address in net for net in PRIVATE_NETWORKS):
        return "a private network address"
    if address.is_reserved:
        return "a reserved address"
    if address.is_private or not address.is_global:
        # Documentation, benchmarking, protocol-assignment and similar IANA ranges.
        return "a special-purpose address, not on the public internet"
    return None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        server, client = address.teredo
        # Either end of a Teredo tunnel pointing inside is reason enough.
        return client if address_problem(client) else server
    if any(address in net for net in NAT64_NETWORKS) or (
        address in IPV4_COMPATIBLE and int(address) > 1  # :: and ::1 have their own reasons
    ):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _parse_ipv4_like(host: str) -> ipaddress.IPv4Address | None:
    """Read `host` as inet_aton does (1 to 4 parts, decimal, 0-octal or 0x-hex).

    Returns None when `host` is a name. Raises ValueError when it looks like an
    address (its last label is numeric) but is not a valid one, as WHATWG URL
    parsing does, so no resolver ever gets to interpret it differently.
    """
    parts = host.split(".")
    if not _IPV4_PART.match(parts[-1]):
        return None
    if len(parts) > 4 or not all(_IPV4_PART.match(p) for p in parts):
        raise ValueError(host)
    numbers = []
    for part in parts:
        if part[:2].lower() == "0x":
            numbers.append(int(part[2:] or "0", 16))
        elif len(part) > 1 and part.startswith("0"):
            numbers.append(int(part, 8))  # ValueError on 08, 09
        else:
            numbers.append(int(part))
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(numbers)):
        raise ValueError(host)
    value = last
    for i, n in enumerate(head):
        value += n << (8 * (3 - i))
    return ipaddress.IPv4Address(value)


# --- URL parsing ---------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    given: str  # as written, for messages
    url: str  # normalised, without fragment
    scheme: str
    host: str  # lower-case name (IDNA-encoded) or canonical IP, IPv6 without brackets
    port: int
    literal: IPAddress | None  # the host is an address
    host_header: str
    request_target: str  # path and query, percent-encoded


def _parse(url: str) -> _Target:
    shown = _shorten(url)
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        raise PermanentFetchError(f"{shown} is not a valid web address.", url=url) from None
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        what = f"“{scheme}:” addresses" if scheme else "addresses without http:// or https://"
        raise FetchRefused(f"Only http and https web addresses can be imported, not {what}.", url=url)
    if parts.username is not None or parts.password is not None:
        raise FetchRefused(
            f"{shown} contains a user name or password; remove them and import the public address.",
            url=url,
        )
    default_port = 443 if scheme == "https" else 80
    try:
        port = parts.port if parts.port is not None else default_port
    except ValueError:
        raise PermanentFetchError(f"{shown} has an invalid port number.", url=url) from None
    raw_host = parts.hostname or ""
    try:
        host, literal = _normalise_host(raw_host)
    except ValueError:
        raise PermanentFetchError(f"{shown} is not a valid web address (bad host name).", url=url) from None

    netloc_host = f"[{host}]" if isinstance(literal, ipaddress.IPv6Address) else host
    host_header = netloc_host if port == default_port else f"{netloc_host}:{port}"
    path = _requote(parts.path or "/")
    query = _requote(parts.query)
    normalised = urlunsplit(SplitResult(scheme, host_header, path, query, ""))
    return _Target(
        given=url,
        url=normalised,
        scheme=scheme,
        host=host,
        port=port,
        literal=literal,
        host_header=host_header,
        request_target=path + (f"?{query}" if query else ""),
    )


def _normalise_host(raw: str) -> tuple[str, IPAddress | None]:
    host = raw.lower()
    if host.endswith("."):
        host = host[:-1]  # a fully qualified name; an empty label left over fails below
    if not host or "%" in host:  # empty, percent-escaped, or an IPv6 zone id
        raise ValueError(raw)
    if ":" in host:
        address = ipaddress.IPv6Address(host)
        return str(address), address
    v4 = _parse_ipv4_like(host)
    if v4 is not None:
        return str(v4), v4
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValueError(raw) from None
    if len(ascii_host) > 253 or not all(_LABEL.match(label) for label in ascii_host.split(".")):
        raise ValueError(raw)
    return ascii_host, None


def _requote(text: str) -> str:
    # Keep existing escapes and reserved characters; escape spaces, non-ASCII and the rest.
    return quote(text, safe="/%:@!$&'()*+,;=-._~?[]")


def _shorten(url: str, limit: int = 120) -> str:
    return url if len(url) <= limit else url[: limit - 1] + "…"


# --- resolution ----------------------------------------------------------------


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for `host` (A and AAAA)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _resolve(target: _Target, resolver: Resolver) -> list[IPAddress]:
    if target.literal is not None:
        return [target.literal]
    try:
        answers = list(resolver(target.host, target.port))
    except socket.gaierror as exc:
        if exc.errno in {socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)}:
            raise PermanentFetchError(
                f"The site name {target.host} does not exist (no DNS record found).", url=target.url
            ) from None
        raise TransientFetchError(
            f"The site name {target.host} could not be looked up just now ({exc.strerror or exc}).",
            url=target.url,
        ) from None
    except OSError as exc:
        raise TransientFetchError(
            f"The site name {target.host} could not be looked up just now ({exc}).", url=target.url
        ) from None
    addresses: list[IPAddress] = []
    for answer in answers:
        try:
            address = ipaddress.ip_address(str(answer).split("%", 1)[0])
        except ValueError:
            raise PermanentFetchError(
                f"The site name {target.host} resolved to something that is not an address.", url=target.url
            ) from None
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise PermanentFetchError(f"The site name {target.host} has no addresses.", url=target.url)
    return addresses


def _parse_allow(entries: Iterable[str]) -> set[tuple[str, int]]:
    allowed = set()
    for entry in entries:
        host, sep, port = entry.strip().rpartition(":")
        if not sep or not port.isdigit():
            raise ValueError(f"VERIFY_FETCH_ALLOW entries are host:port, got {entry!r}")
        host = host.strip("[]").lower()
        with contextlib.suppress(ValueError):
            host = str(ipaddress.ip_address(host))
        allowed.add((host, int(port)))
    return allowed


def _check(target: _Target, resolver: Resolver, allowed: set[tuple[str, int]]) -> list[IPAddress]:
    """Refuse or resolve `target`; return the addresses it is safe to connect to."""
    if (target.host, target.port) in allowed:
        return _resolve(target, resolver)
    if target.port in BAD_PORTS:
        raise FetchRefused(
            f"{_shorten(target.given)} uses port {target.port}, which belongs to another kind of service "
            "and is never fetched.",
            url=target.url,
        )
    addresses = _resolve(target, resolver)
    for address in addresses:
        problem = address_problem(address)
        if problem:
            if target.literal is not None:
                what = f"{address} is {problem}"
            else:
                what = f"{target.host} resolves to {address}, which is {problem}"
            raise FetchRefused(
                f"Refused to fetch {_shorten(target.given)}: {what}. Only public internet addresses are fetched.",
                url=target.url,
            )
    return addresses


# --- the fetch -------------------------------------------------------------------


def fetch(
    url: str,
    *,
    max_bytes: int | None = None,
    timeout: float | None = None,
    allow: Iterable[str] | None = None,
    resolver: Resolver | None = None,
    accept: str = DEFAULT_ACCEPT,
) -> FetchResult:
    """GET `url` under the SSRF policy above and return the decoded body.

    `timeout` (default VERIFY_FETCH_TIMEOUT) bounds connecting and each read;
    the whole fetch, redirects included, gets DEADLINE_FACTOR times that.
    `max_bytes` (default VERIFY_FETCH_MAX_BYTES) caps the decoded body.
    `allow` (default VERIFY_FETCH_ALLOW) lists "host:port" pairs exempt from the
    address and port checks, for a test's local server. `resolver(host, port)`
    returns address strings (default: socket.getaddrinfo); it is called once
    per hop, and the connection goes to the address it returned.

    Raises FetchRefused, PermanentFetchError or TransientFetchError.
    """
    timeout = float(
        timeout if timeout is not None else getattr(settings, "VERIFY_FETCH_TIMEOUT", DEFAULT_TIMEOUT)
    )
    max_bytes = int(
        max_bytes if max_bytes is not None else getattr(settings, "VERIFY_FETCH_MAX_BYTES", DEFAULT_MAX_BYTES)
    )
    allowed = _parse_allow(allow if allow is not None else getattr(settings, "VERIFY_FETCH_ALLOW", ()))
    resolver = resolver or system_resolver
    user_agent = getattr(settings, "VERIFY_FETCH_USER_AGENT", "") or DEFAULT_USER_AGENT
    deadline = time.monotonic() + timeout * DEADLINE_FACTOR

    target = _parse(url)
    for hop in range(MAX_REDIRECTS + 1):
        try:
            addresses = _check(target, resolver, allowed)
        except FetchError as exc:
            if hop == 0:
                raise
            # Name the page the editor asked for as well as the hop that was refused.
            raise type(exc)(
                f"{_shorten(url)} redirected to {_shorten(target.given)}. {exc.message}", url=url
            ) from None
        pool, response = _request(target, addresses, timeout, deadline, accept, user_agent)
        try:
            if response.status in REDIRECT_STATUSES:
                target = _follow(url, target, response.headers.get("location", ""))
                continue
            _raise_for_status(target, response)
            body = _read_body(target, response, max_bytes, deadline)
        finally:
            response.release_conn()
            pool.close()
        content_type, charset = _parse_content_type(response.headers.get("content-type", ""))
        return FetchResult(
            url=url,
            final_url=target.url,
            status=response.status,
            content_type=content_type,
            charset=charset,
            body=body,
            headers={name: response.headers[name] for name in KEPT_HEADERS if name in response.headers},
        )
    raise PermanentFetchError(
        f"{_shorten(url)} redirected more than {MAX_REDIRECTS} times; giving up.", url=url
    )


def _follow(url: str, current: _Target, location: str) -> _Target:
    """The next hop's target; its address is checked like the first one's."""
    location = location.strip()
    if not location:
        raise PermanentFetchError(
            f"{_shorten(current.url)} answered with a redirect but did not say where to.", url=url
        )
    try:
        return _parse(urljoin(current.url, location))
    except FetchError as exc:
        raise type(exc)(
            f"{_shorten(url)} redirected to {_shorten(location)}. {exc.message}", url=url
        ) from None


def _request(
    target: _Target,
    addresses: list[IPAddress],
    timeout: float,
    deadline: float,
    accept: str,
    user_agent: str,
) -> tuple[urllib3.HTTPConnectionPool, urllib3.BaseHTTPResponse]:
    headers = {
        "Host": target.host_header,
        "User-Agent": user_agent,
        "Accept": accept,
        "Accept-Encoding": "gzip, deflate",
        "Connection": "close",
    }
    last_error: Exception | None = None
    # Try each checked address in turn (an IPv6 answer may be unreachable from here).
    for address in addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        step = urllib3.Timeout(connect=min(timeout, remaining), read=min(timeout, remaining))
        pool = _pool(target, address, step)
        try:
            response = pool.urlopen(
                "GET",
                target.request_target,
                headers=headers,
                retries=False,
                redirect=False,
                preload_content=False,
                decode_content=False,
                assert_same_host=False,
                release_conn=False,
            )
            return pool, response
        except NewConnectionError as exc:
            pool.close()
            last_error = exc  # refused or unreachable: the next address may answer
        except ConnectTimeoutError as exc:
            pool.close()
            last_error = exc
        except SSLError as exc:
            pool.close()
            if "CERTIFICATE_VERIFY_FAILED" in str(exc) or "hostname" in str(exc).lower():
                raise PermanentFetchError(
                    f"The security certificate of {target.host} could not be verified, so "
                    f"{_shorten(target.given)} was not fetched.",
                    url=target.url,
                ) from None
            raise TransientFetchError(
                f"The secure connection to {target.host} failed ({exc}).", url=target.url
            ) from None
        except ReadTimeoutError:
            pool.close()
            raise TransientFetchError(
                f"{target.host} did not answer within {timeout:g} seconds.", url=target.url
            ) from None
        except (ProtocolError, HTTPError, OSError) as exc:
            pool.close()
            raise TransientFetchError(
                f"The connection to {target.host} broke off before it answered ({_reason(exc)}).",
                url=target.url,
            ) from None
    if isinstance(last_error, NewConnectionError):
        raise TransientFetchError(
            f"Could not connect to {target.host} (port {target.port}): {_reason(last_error)}.", url=target.url
        )
    raise TransientFetchError(
        f"{target.host} did not accept a connection within {timeout:g} seconds.", url=target.url
    )


def _pool(target: _Target, address: IPAddress, step: urllib3.Timeout) -> urllib3.HTTPConnectionPool:
    if target.scheme == "https":
        # Connect to the checked address, but let TLS see and verify the name.
        return urllib3.HTTPSConnectionPool(
            host=str(address),
            port=target.port,
            timeout=step,
            maxsize=1,
            retries=False,
            cert_reqs="CERT_REQUIRED",
            server_hostname=None if target.literal is not None else target.host,
            assert_hostname=target.host,
        )
    return urllib3.HTTPConnectionPool(
        host=str(address), port=target.port, timeout=step, maxsize=1, retries=False
    )


def _reason(exc: BaseException) -> str:
    """A short phrase for the socket error behind a urllib3 exception."""
    found = _os_error(exc)
    if found is not None and found.errno == errno.ECONNREFUSED:
        return "the connection was refused"
    if found is not None and found.errno in {errno.ECONNRESET, errno.EPIPE, errno.ECONNABORTED}:
        return "the connection was reset"
    if found is not None and found.errno in {errno.EHOSTUNREACH, errno.ENETUNREACH}:
        return "the network or host is unreachable"
    if found is not None and found.strerror:
        return found.strerror.lower()
    if "IncompleteRead" in str(exc):
        return "the server sent less than it announced"
    return _shorten(str(exc), 200)


def _os_error(exc: BaseException | None, depth: int = 0) -> OSError | None:
    if exc is None or depth > 5:
        return None
    if isinstance(exc, OSError) and exc.errno is not None:
        return exc
    for inner in (
        *[a for a in getattr(exc, "args", ()) if isinstance(a, BaseException)],
        exc.__cause__,
        exc.__context__,
    ):
        found = _os_error(inner, depth + 1)
        if found is not None:
            return found
    return None


def _raise_for_status(target: _Target, response: urllib3.BaseHTTPResponse) -> None:
    status = response.status
    shown = _shorten(target.given)
    if 200 <= status < 300:
        return
    if status in {408, 429} or status >= 500:
        retry_after = _retry_after(response.headers.get("retry-after"))
        what = {408: "timed out waiting for the request", 429: "said we are sending too many requests"}.get(
            status, "had a server error"
        )
        raise TransientFetchError(
            f"{shown} {what} (HTTP {status}); try again later.", url=target.url, retry_after=retry_after
        )
    if 300 <= status < 400:
        raise PermanentFetchError(
            f"{shown} answered with an unsupported redirect (HTTP {status}).", url=target.url
        )
    what = {
        401: "needs a login",
        403: "refused access",
        404: "was not found",
        410: "is gone",
        451: "is unavailable for legal reasons",
    }.get(status, "could not be fetched")
    raise PermanentFetchError(f"{shown} {what} (HTTP {status}).", url=target.url)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _read_body(target: _Target, response: urllib3.BaseHTTPResponse, max_bytes: int, deadline: float) -> bytes:
    shown = _shorten(target.given)
    too_big = PermanentFetchError(
        f"{shown} is larger than the {_size(max_bytes)} limit for imports.", url=target.url
    )
    length = response.headers.get("content-length", "").strip()
    if length.isdigit() and int(length) > max_bytes:
        raise too_big  # refuse before reading a byte
    decoder = _Decoder(response.headers.get("content-encoding", ""), target)
    body = bytearray()
    raw_total = 0
    try:
        while True:
            if time.monotonic() > deadline:
                raise TransientFetchError(f"{shown} took too long to download.", url=target.url)
            # read1 returns what has arrived, so a trickling server meets the deadline check.
            chunk = response.read1(READ_CHUNK, decode_content=False)
            if not chunk:
                break
            raw_total += len(chunk)
            if raw_total > max_bytes:
                raise too_big
            body += decoder.feed(chunk, max_bytes - len(body) + 1)
            if len(body) > max_bytes:
                raise too_big
        body += decoder.flush(max_bytes - len(body) + 1)
        if not decoder.complete:
            raise TransientFetchError(
                f"The download of {shown} broke off (the compressed data ends early).", url=target.url
            )
    except ReadTimeoutError:
        raise TransientFetchError(f"{shown} stopped sending data part-way through.", url=target.url) from None
    except (ProtocolError, HTTPError, OSError) as exc:
        raise TransientFetchError(
            f"The download of {shown} broke off ({_reason(exc)}).", url=target.url
        ) from None
    if len(body) > max_bytes:
        raise too_big
    return bytes(body)


class _Decoder:
    """Streaming gzip/deflate decoding that never produces more than asked for."""

    def __init__(self, encoding: str, target: _Target) -> None:
        self.target = target
        self.encoding = encoding.strip().lower()
        if self.encoding in {"", "identity"}:
            self._zlib = None
        elif self.encoding in {"gzip", "x-gzip"}:
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self.encoding == "deflate":
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS)
        else:
            raise PermanentFetchError(
                f"{_shorten(target.given)} was sent with an unsupported compression ({encoding}).",
                url=target.url,
            )
        self._started = False

    def feed(self, data: bytes, limit: int) -> bytes:
        if self._zlib is None:
            return data
        try:
            out = self._decompress(data, limit)
        except zlib.error:
            # Some servers send raw deflate without the zlib header.
            if self.encoding == "deflate" and not self._started:
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                out = self._decompress_or_fail(data, limit)
            else:
                raise self._broken() from None
        self._started = True
        return out

    @property
    def complete(self) -> bool:
        # Only gzip has a trailer; deflate streams count as complete when they end.
        return self._zlib is None or self.encoding == "deflate" or self._zlib.eof

    def flush(self, limit: int) -> bytes:
        if self._zlib is None:
            return b""
        try:
            return self._zlib.flush()[: max(limit, 0)]
        except zlib.error:
            raise self._broken() from None

    def _decompress_or_fail(self, data: bytes, limit: int) -> bytes:
        try:
            return self._decompress(data, limit)
        except zlib.error:
            raise self._broken() from None

    def _decompress(self, data: bytes, limit: int) -> bytes:
        # max_length bounds the output, so a small "zip bomb" cannot expand past the cap.
        out = self._zlib.decompress(data, max(limit, 1))
        if len(out) >= limit:
            return out  # the caller sees it is over the cap and stops
        while self._zlib.unconsumed_tail and len(out) < limit:
            out += self._zlib.decompress(self._zlib.unconsumed_tail, limit - len(out))
        return out

    def _broken(self) -> PermanentFetchError:
        return PermanentFetchError(
            f"{_shorten(self.target.given)} was sent with broken {self.encoding} compression.",
            url=self.target.url,
        )


def _parse_content_type(value: str) -> tuple[str, str | None]:
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, raw = param.partition("=")
        if name.strip().lower() == "charset":
            charset = raw.strip().strip("\"'").strip() or None
    return media.strip().lower(), charset


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):g} MB"
    if n >= 1024:
        return f"{n / 1024:g} KB"
    return f"{n} bytes"
