"""The only module that touches the network: a guarded HTTP GET.

Every fetch goes through :class:`SafeFetcher`, which refuses loopback, private, link-local,
multicast and cloud-metadata addresses (unless the host is explicitly allowed), follows at most a
few redirects (re-checking each hop), caps time and response size, and returns errors as values.
"""
from __future__ import annotations

import dataclasses
import heapq
import http.cookiejar
import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from cachecontrol import CacheControlAdapter
from cachecontrol.cache import BaseCache
from cachecontrol.controller import CacheController
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.util import connection as _connection

from . import safejson
from .fetch_cache import CACHEABLE_STATUSES, BoundedFreshness, TolerantSerializer

MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
TIMEOUT = (5.0, 10.0)  # connect, read (per socket operation)
TOTAL_SECONDS = 30.0  # the whole fetch, redirects included: a drip-fed body cannot hold a check forever
USER_AGENT = "badge-wallet-verifier/0.1 (+https://github.com/)"

Resolver = Callable[[str], list[str]]


def system_resolver(host: str) -> list[str]:
    """Resolve ``host`` to its IP addresses with the system resolver."""
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return sorted({str(info[4][0]) for info in infos})


class _Watchdog:
    """The hard wall-clock limit of one fetch: when it expires, every socket the fetch uses is shut down.

    Socket timeouts alone bound each read, not the whole answer: a server that sends one byte of its
    headers or body per second never trips a read timeout. Shutting the socket down from another thread
    makes the blocked read return at once, whatever it is waiting for (headers, TLS, body). One timer
    thread (:class:`_Alarms`) serves every fetch of the process: starting a thread per fetch cost more
    than a loopback round trip.
    """

    def __init__(self, seconds: float) -> None:
        self.fired = False
        self.cancelled = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        _ALARMS.schedule(time.monotonic() + max(seconds, 0.0), self)

    def watch(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            late = self.fired
        if late:
            _shutdown(sock)

    def fire(self) -> None:
        with self._lock:
            if self.cancelled:
                return
            self.fired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shutdown(sock)

    def cancel(self) -> None:
        with self._lock:
            self.cancelled = True
            self._sockets.clear()


class _Alarms:
    """One daemon thread firing watchdogs at their deadlines (a heap; cancelled ones are skipped when
    their time comes). Started on first use, and again in a forked child, where threads do not survive."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, _Watchdog]] = []
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._count = 0

    def schedule(self, when: float, watchdog: _Watchdog) -> None:
        with self._cond:
            self._count += 1
            earliest = not self._heap or when < self._heap[0][0]
            heapq.heappush(self._heap, (when, self._count, watchdog))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="fetch-watchdog", daemon=True)
                self._thread.start()
            elif earliest:
                self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while True:
                    while self._heap and self._heap[0][2].cancelled:
                        heapq.heappop(self._heap)
                    if not self._heap:
                        self._cond.wait()
                        continue
                    wait = self._heap[0][0] - time.monotonic()
                    if wait <= 0:
                        due = heapq.heappop(self._heap)[2]
                        break
                    self._cond.wait(wait)
            due.fire()


_ALARMS = _Alarms()


def _shutdown(sock: socket.socket) -> None:
    try:  # socket.socket.shutdown, not SSLSocket's: only the OS-level shutdown, safe from another thread
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass


_WATCH = threading.local()  # the watchdog of the fetch running in this thread, if any


def _watch(sock: socket.socket | None) -> None:
    watchdog = getattr(_WATCH, "current", None)
    if watchdog is not None:
        watchdog.watch(sock)


def _pinned_classes(address: str | None) -> dict[str, type]:
    """Connection pools whose sockets go to ``address`` (when given) while Host, SNI and certificate
    checks keep the URL's host name, and whose sockets the running fetch's watchdog can shut down
    (new connections when they are made, kept-alive ones at each request)."""

    def new_conn(self: HTTPConnection) -> socket.socket:  # replaces HTTPConnection._new_conn: connect to the vetted address only
        if address is None:
            sock = HTTPConnection._new_conn(self)  # HTTPSConnection inherits it: plain TCP, TLS comes after
        else:
            sock = _connection.create_connection((address, self.port), self.timeout,
                                                 source_address=self.source_address,
                                                 socket_options=self.socket_options)
        _watch(sock)
        return sock

    def request(self: HTTPConnection, *args: Any, **kwargs: Any) -> None:
        _watch(self.sock)
        return HTTPConnection.request(self, *args, **kwargs)  # HTTPSConnection does not override it

    http_conn = type("PinnedHTTPConnection", (HTTPConnection,), {"_new_conn": new_conn, "request": request})
    https_conn = type("PinnedHTTPSConnection", (HTTPSConnection,), {"_new_conn": new_conn, "request": request})
    return {"http": type("PinnedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http_conn}),
            "https": type("PinnedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": https_conn})}


class PinnedAdapter(HTTPAdapter):
    """A requests adapter that connects to one vetted IP address (see SafeFetcher._vet), or normally
    when ``address`` is None (an allowed host), its sockets always under the fetch's watchdog."""

    def __init__(self, address: str | None) -> None:
        self.address = address
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        _pin(self, self.address)


def _pin(adapter: HTTPAdapter, address: str | None) -> None:
    adapter.poolmanager.pool_classes_by_scheme = _pinned_classes(address)
    adapter.poolmanager.key_fn_by_scheme = dict(adapter.poolmanager.key_fn_by_scheme)


class PinnedCachingAdapter(CacheControlAdapter):
    """:class:`PinnedAdapter` with an HTTP cache in front (:mod:`verifier.fetch_cache`): a fresh
    stored answer is served without connecting, a stale one with a validator is revalidated (304),
    and only answers the cache's rules allow are stored."""

    def __init__(self, address: str | None, cache: BaseCache) -> None:
        self.address = address
        super().__init__(cache=cache, heuristic=BoundedFreshness(), serializer=TolerantSerializer(),
                         max_retries=0)
        self.controller.cacheable_status_codes = CACHEABLE_STATUSES

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        _pin(self, self.address)


CACHING_HEADERS = ("ETag", "Last-Modified", "Cache-Control", "Expires", "Date", "Age")


@dataclass(frozen=True)
class FetchResult:
    """What a fetch gave: ``ok`` with content, or ``error`` saying why not (for a report sentence)."""

    url: str
    status: int | None = None
    content: bytes = b""
    content_type: str = ""
    error: str | None = None
    final_url: str | None = None
    redirects: tuple[str, ...] = ()  # every Location followed, in order
    redirect_refused: bool = False  # a redirect to another origin was not followed (same_origin=True)
    # The response's caching headers (ETag, Last-Modified, Cache-Control, Expires, Date, Age), for a
    # caller that wants them; empty for mirrored files and errors.
    headers: Mapping[str, str] = field(default_factory=dict, compare=False)
    from_cache: bool = field(default=False, compare=False)  # served by the HTTP cache (fresh, or after a 304)

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300

    def json(self) -> tuple[Any, str | None]:
        """The body parsed as JSON, or (None, reason)."""
        if not self.ok:
            return None, self.error or f"HTTP {self.status}"
        if self.content_type == "text/html":
            return None, f"{self.url} served a web page (text/html), not badge data"
        try:
            return safejson.loads(self.content.decode("utf-8-sig")), None
        except safejson.UnsafeJson as exc:
            return None, f"{self.url} returned JSON that cannot be read safely: {exc}"
        except (UnicodeDecodeError, ValueError) as exc:
            return None, f"{self.url} did not return JSON ({exc.__class__.__name__})"


def _host_key(host: str, port: int | None) -> set[str]:
    host = host.lower().strip("[]")
    return {host, f"{host}:{port}"} if port else {host}


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) of ``url``, the port made explicit for http and https."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), port or {"http": 80, "https": 443}.get(scheme)


def same_origin_url(start: str, target: str) -> bool:
    """Whether ``target`` is on the origin of ``start``. An upgrade from http to https on the same
    host counts as the same origin (it only adds protection); a downgrade does not."""
    (s_scheme, s_host, s_port), (t_scheme, t_host, t_port) = origin(start), origin(target)
    if s_host != t_host:
        return False
    if s_scheme == t_scheme:
        return s_port == t_port
    return (s_scheme, s_port, t_scheme, t_port) == ("http", 80, "https", 443)


def _cross_origin_refusal(url: str, hop_from: str, target: str, status: int | None) -> FetchResult:
    return FetchResult(url=url, status=status, final_url=hop_from, redirect_refused=True,
                       error=f"{hop_from} redirected to {target}, on another origin; a document that vouches "
                             "for a key or an issuer is only accepted from its own origin, so the redirect "
                             "was not followed")


def _refuse_cross_origin(result: FetchResult) -> FetchResult:
    """``result`` unless one of its redirects left the origin of the URL asked for."""
    start = result.url
    for before, hop in zip((start, *result.redirects), result.redirects, strict=False):
        if not same_origin_url(start, hop):
            return _cross_origin_refusal(start, before, hop, None)
    return result


def _resolve_within(resolver: Resolver, host: str, seconds: float | None) -> list[str]:
    """``resolver(host)``, waited for at most ``seconds`` (the system resolver has no timeout of its
    own: a slow DNS server would otherwise hold a fetch past its deadline). Raises TimeoutError."""
    if seconds is None:
        return resolver(host)
    answer: dict[str, Any] = {}

    def run() -> None:
        try:
            answer["addresses"] = resolver(host)
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller's thread
            answer["error"] = exc

    worker = threading.Thread(target=run, name="resolve", daemon=True)
    worker.start()
    worker.join(max(seconds, 0.0))
    if worker.is_alive():
        raise TimeoutError(f"resolving {host} took too long")
    if "error" in answer:
        raise answer["error"]
    addresses: list[str] = answer["addresses"]
    return addresses


def _blocked_reason(ip: str) -> str | None:
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return f"{ip} is not an IP address"
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
        addr = addr.ipv4_mapped
    if addr.is_loopback:
        return "a loopback address"
    if addr.is_link_local:
        return "a link-local address (cloud metadata lives there)"
    if addr.is_private:
        return "a private network address"
    if addr.is_multicast or addr.is_reserved or addr.is_unspecified:
        return "a reserved address"
    if not addr.is_global:
        return "a non-public address"
    return None


class _Shared:
    """What the fetchers of one batch share (see :meth:`SafeFetcher.sibling`): the response cache, one
    keep-alive session per (scheme, host, port, vetted address), and a lock per URL in flight, so badges
    of one issuer checked at once fetch its documents once. Thread-safe."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.cache: dict[str, FetchResult] = {}
        self.sessions: dict[tuple[str, str, int | None, str | None], requests.Session] = {}
        self.inflight: dict[str, threading.Lock] = {}

    def url_lock(self, url: str) -> threading.Lock:
        with self.lock:
            return self.inflight.setdefault(url, threading.Lock())

    def session(self, url: str, address: str | None, http_cache: BaseCache | None = None) -> requests.Session:
        """A pooled session for ``url``'s origin pinned to ``address`` (a new DNS answer → a new session).
        Cookies are never kept: one issuer's cookie must not follow a request to another badge's URL.
        Proxy settings from the environment are ignored (``trust_env``): a proxy would resolve the host
        itself, so the address the guard vetted would no longer be the one reached (and reading the
        environment on every request costs as much as a loopback round trip)."""
        parts = urlsplit(url)
        key = (parts.scheme, (parts.hostname or "").lower(), parts.port, address)
        with self.lock:
            session = self.sessions.get(key)
            if session is None:
                session = requests.Session()
                session.trust_env = False
                session.cookies.set_policy(_NoCookies())
                adapter = PinnedAdapter(address) if http_cache is None else PinnedCachingAdapter(address, http_cache)
                session.mount(f"{parts.scheme}://", adapter)  # address None: not pinned
                self.sessions[key] = session
            return session

    def close(self) -> None:
        with self.lock:
            sessions, self.sessions = list(self.sessions.values()), {}
        for session in sessions:
            session.close()


class _NoCookies(http.cookiejar.DefaultCookiePolicy):
    def set_ok(self, cookie: Any, request: Any) -> bool:
        return False

    def return_ok(self, cookie: Any, request: Any) -> bool:
        return False


@dataclass
class SafeFetcher:
    """A guarded GET with a small in-memory cache and keep-alive connections.

    ``allow_hosts`` lists ``host`` or ``host:port`` entries that may be reached even though they
    resolve to a private or loopback address (intranet issuers, tests). ``offline`` refuses every fetch.
    Connections are reused for the fetcher's life (one verification, or a batch through
    :meth:`sibling`); every request is still vetted first, and a session is pinned to the vetted address.
    """

    allow_hosts: Iterable[str] = ()
    offline: bool = False
    resolver: Resolver | None = None  # default: system_resolver, looked up at call time
    max_bytes: int = MAX_BYTES
    timeout: tuple[float, float] = TIMEOUT
    total_seconds: float = TOTAL_SECONDS  # hard wall-clock limit of one fetch, redirects included
    # URL prefix → local folder served instead of the network (the demo issuer under a reserved
    # ``.example`` domain, which can never resolve). Every hit is recorded in ``mirrored``.
    mirrors: Mapping[str, Path] = field(default_factory=dict)
    mirrored: set[str] = field(default_factory=set, repr=False)
    # Answers kept between verifications as their caching headers allow (verifier.fetch_cache), e.g.
    # fetch_cache.file_cache(folder); None: nothing outlives the fetcher (and its batch siblings).
    http_cache: BaseCache | None = field(default=None, repr=False)
    _shared: _Shared = field(default_factory=_Shared, repr=False)
    _failures: dict[tuple[str, str, bool], FetchResult] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.allow_hosts = frozenset(h.strip().lower() for h in self.allow_hosts if h.strip())

    @property
    def _cache(self) -> dict[str, FetchResult]:
        return self._shared.cache

    def sibling(self) -> SafeFetcher:
        """A fetcher with the same settings sharing this one's cache and connections but with its own
        ``mirrored`` record: one per verification of a batch run in parallel (a report's "demo copy"
        warning must come from its own fetches)."""
        return dataclasses.replace(self, mirrored=set(), _failures={})

    def close(self) -> None:
        """Close the pooled connections (of every sibling)."""
        self._shared.close()

    def get(self, url: str, *, accept: str = "application/ld+json, application/json;q=0.9, */*;q=0.1",
            use_cache: bool = True, same_origin: bool = False) -> FetchResult:
        """GET ``url``. ``same_origin``: the document vouches for a key or an issuer (a DID document, a
        controller document, a key set), so a redirect off ``url``'s origin is refused, not followed:
        an open redirect on the issuer's site (``/out?next=…``) must not let anyone else serve it.

        A failed fetch is remembered for this fetcher's life (one verification), so it is not tried
        again, and waited for again, by the next step that needs the same document."""
        memo_key = (url, accept, same_origin)
        if use_cache and memo_key in self._failures:
            return self._failures[memo_key]
        result = self._fetch(url, accept, use_cache, same_origin)
        if same_origin:
            result = _refuse_cross_origin(result)  # a cached answer may have been fetched without the rule
        if use_cache and not result.ok:
            self._failures[memo_key] = result
        return result

    def _fetch(self, url: str, accept: str, use_cache: bool, same_origin: bool) -> FetchResult:
        if not use_cache:
            return self._from_mirror(url) or self._get(url, accept, same_origin)
        cached = self._cache.get(url)
        if cached is not None:
            self._note_mirror(url)
            return cached
        with self._shared.url_lock(url):  # siblings asking for the same document wait for one fetch
            cached = self._cache.get(url)
            if cached is not None:
                self._note_mirror(url)
                return cached
            result = self._from_mirror(url) or self._get(url, accept, same_origin)
            if result.error is None:
                self._cache[url] = result
        return result

    def _note_mirror(self, url: str) -> None:
        if any(url.startswith(prefix) for prefix in self.mirrors):
            self.mirrored.add(url)

    def _from_mirror(self, url: str) -> FetchResult | None:
        for prefix, folder in self.mirrors.items():
            if not url.startswith(prefix):
                continue
            folder = Path(folder).resolve()
            target = (folder / urlsplit(url[len(prefix):]).path.lstrip("/")).resolve()
            self.mirrored.add(url)
            if folder not in target.parents or not target.is_file():
                return FetchResult(url=url, status=404, error=f"{url} answered HTTP 404", final_url=url)
            if target.with_suffix(target.suffix + ".gone").exists():
                return FetchResult(url=url, status=410, error=f"{url} answered HTTP 410", final_url=url)
            ctype = "application/json" if target.suffix in (".json", ".jsonld") else "application/octet-stream"
            return FetchResult(url=url, status=200, content=target.read_bytes(), content_type=ctype, final_url=url)
        return None

    def _vet(self, url: str, deadline: float | None = None) -> tuple[str | None, str | None]:
        """(refusal, address to connect to). The address is pinned for the connection, so a second
        DNS answer (DNS rebinding) cannot send the request somewhere the guard did not approve."""
        if self.offline:
            return f"offline mode: {url} was not fetched", None
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return f"only http and https URLs are fetched, not {parts.scheme or 'no scheme'!r}", None
        host = parts.hostname
        if not host:
            return f"{url} has no host", None
        if parts.username or parts.password:
            return f"{url} carries credentials; refused", None
        try:
            port = parts.port
        except ValueError:
            return f"{url} has an invalid port", None
        if not _host_key(host, port).isdisjoint(self.allow_hosts):
            return None, None
        try:
            ipaddress.ip_address(host.strip("[]"))
            addresses = [host.strip("[]")]
        except ValueError:
            try:
                addresses = _resolve_within(self.resolver or system_resolver, host,
                                            None if deadline is None else deadline - time.monotonic())
            except (OSError, UnicodeError) as exc:
                return f"could not resolve {host} ({exc.__class__.__name__})", None
        if not addresses:
            return f"could not resolve {host}", None
        for ip in addresses:
            reason = _blocked_reason(ip)
            if reason:
                return f"refused to fetch {url}: {host} is {reason}", None
        return None, addresses[0]

    def _forget(self, url: str) -> None:
        """Drop ``url``'s stored answer: its body did not arrive whole (too big, too slow, cut off), so
        whatever the cache may have kept of this transfer must not be served later."""
        if self.http_cache is not None:
            try:
                self.http_cache.delete(CacheController.cache_url(url))
            except (OSError, ValueError):
                pass

    def _get(self, url: str, accept: str, same_origin: bool = False) -> FetchResult:
        deadline = time.monotonic() + self.total_seconds
        watchdog = _Watchdog(self.total_seconds)
        _WATCH.current = watchdog
        try:
            result = self._get_watched(url, accept, same_origin, deadline)
        finally:
            _WATCH.current = None
            watchdog.cancel()
        late = result.error is not None and time.monotonic() >= deadline - 0.05  # a socket timeout cut to fit
        if (watchdog.fired or late) and "took longer" not in (result.error or ""):
            # Whatever the interrupted read made of it (an exception, or a body cut short that looks
            # complete), the answer did not arrive in time.
            self._forget(result.final_url or url)
            return FetchResult(url=url, final_url=result.final_url or url,
                               error=f"{result.final_url or url} took longer than {self.total_seconds:g} s to answer")
        return result

    def _get_watched(self, url: str, accept: str, same_origin: bool, deadline: float) -> FetchResult:
        current = url
        hops: list[str] = []
        for _ in range(MAX_REDIRECTS + 1):
            refusal, address = self._vet(current, deadline)
            if refusal:
                return FetchResult(url=url, error=refusal, final_url=current)
            session = self._shared.session(current, address, self.http_cache)
            left = max(deadline - time.monotonic(), 0.001)
            try:
                resp = session.get(current, headers={"Accept": accept, "User-Agent": USER_AGENT},
                                   timeout=(min(self.timeout[0], left), min(self.timeout[1], left)),
                                   allow_redirects=False, stream=True)
            except requests.RequestException as exc:
                return FetchResult(url=url, error=f"could not reach {current} ({exc.__class__.__name__})",
                                   final_url=current)
            with resp:
                if resp.is_redirect or resp.status_code in (301, 302, 303, 307, 308):
                    location = resp.headers.get("Location")
                    if not location:
                        return FetchResult(url=url, status=resp.status_code,
                                           error=f"{current} redirected without a location")
                    target = urljoin(current, location)
                    if same_origin and not same_origin_url(url, target):
                        return _cross_origin_refusal(url, current, target, resp.status_code)
                    current = target
                    hops.append(target)
                    continue
                body = bytearray()
                try:
                    for chunk in resp.iter_content(64 * 1024):
                        body.extend(chunk)
                        if time.monotonic() > deadline:
                            self._forget(current)
                            return FetchResult(url=url, status=resp.status_code, final_url=current,
                                               error=f"{current} took longer than {self.total_seconds:g} s to answer")
                        if len(body) > self.max_bytes:
                            self._forget(current)
                            return FetchResult(url=url, status=resp.status_code, final_url=current,
                                               error=f"{current} sent more than {self.max_bytes} bytes")
                except requests.RequestException as exc:
                    self._forget(current)
                    return FetchResult(url=url, error=f"transfer from {current} failed "
                                       f"({exc.__class__.__name__})", final_url=current)
                ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
                error = None if 200 <= resp.status_code < 300 else f"{current} answered HTTP {resp.status_code}"
                caching = {k: resp.headers[k] for k in CACHING_HEADERS if k in resp.headers}
                return FetchResult(url=url, status=resp.status_code, content=bytes(body),
                                   content_type=ctype, error=error, final_url=current, redirects=tuple(hops),
                                   headers=caching, from_cache=bool(getattr(resp, "from_cache", False)))
        return FetchResult(url=url, error=f"too many redirects from {url}", final_url=current)
