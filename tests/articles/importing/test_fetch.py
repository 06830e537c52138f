"""articles.importing.fetch: the SSRF policy, error classes and limits, against a real local server."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
from pathlib import Path

import pytest

from articles.importing import fetch as fetch_module
from articles.importing.fetch import (
    FetchRefused,
    PermanentFetchError,
    TransientFetchError,
    fetch,
)

from .httpserver import SITE, LocalSite

BASE_DIR = Path(__file__).resolve().parents[3]


class CountingResolver:
    """A stub resolver: a fixed answer per name (or a sequence per call), counting calls."""

    def __init__(self, answers: dict[str, list[str] | list[list[str]]]) -> None:
        self.answers = answers
        self.calls: list[tuple[str, int]] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append((host, port))
        answer = self.answers[host]
        if answer and isinstance(answer[0], list):
            return answer[min(len(self.calls), len(answer)) - 1]
        return answer


@pytest.fixture
def no_connections(monkeypatch):
    """Fail the test if fetch() gets as far as opening a connection pool."""

    def refuse(*args, **kwargs):
        raise AssertionError("fetch() tried to connect")

    monkeypatch.setattr(fetch_module, "_pool", refuse)


@pytest.fixture
def local_site():
    site = LocalSite().start()
    yield site
    site.stop()


@pytest.fixture
def other_site():
    site = LocalSite().start()
    yield site
    site.stop()


# --- fetching from the allowed local server ---------------------------------


def test_fetches_fixture_page_via_allow_list(local_site):
    result = fetch(local_site.url("/article.html"), allow=local_site.allow)

    assert result.status == 200
    assert result.url == local_site.url("/article.html")
    assert result.final_url == local_site.url("/article.html")
    assert result.content_type == "text/html"
    assert result.charset == "utf-8"
    assert result.body == (SITE / "article.html").read_bytes()
    assert result.headers["content-type"] == "text/html; charset=utf-8"
    assert len(local_site.seen) == 1


def test_fetches_feeds(local_site):
    rss = fetch(local_site.url("/feed.xml"), allow=local_site.allow)
    atom = fetch(local_site.url("/atom.xml"), allow=local_site.allow)

    assert rss.content_type == "application/rss+xml"
    assert rss.charset is None
    assert b"<rss" in rss.body
    assert b"<feed" in atom.body


def test_allow_list_comes_from_settings(local_site, settings):
    settings.VERIFY_FETCH_ALLOW = local_site.allow
    assert fetch(local_site.url("/article.html")).status == 200

    settings.VERIFY_FETCH_ALLOW = []
    with pytest.raises(FetchRefused):
        fetch(local_site.url("/article.html"))


def test_sends_host_user_agent_and_accept(local_site, settings):
    settings.VERIFY_FETCH_USER_AGENT = "VerifyTest/1.0"
    result = fetch(local_site.url("/echo?q=a b"), allow=local_site.allow, accept="application/rss+xml")
    seen = json.loads(result.body)

    assert seen["path"] == "/echo?q=a%20b"
    assert seen["headers"]["host"] == local_site.host_port
    assert seen["headers"]["user-agent"] == "VerifyTest/1.0"
    assert seen["headers"]["accept"] == "application/rss+xml"
    assert "authorization" not in seen["headers"]


def test_follows_allowed_redirects(local_site):
    result = fetch(local_site.url("/redirect?to=/article.html&status=301"), allow=local_site.allow)

    assert result.url == local_site.url("/redirect?to=/article.html&status=301")
    assert result.final_url == local_site.url("/article.html")
    assert result.body == (SITE / "article.html").read_bytes()


def test_follows_five_redirects_but_not_six(local_site):
    assert fetch(local_site.url("/chain/5"), allow=local_site.allow).body == b"end of chain"

    with pytest.raises(PermanentFetchError, match="redirected more than 5 times"):
        fetch(local_site.url("/chain/6"), allow=local_site.allow)


@pytest.mark.parametrize("path", ["/gzip", "/deflate", "/raw-deflate"])
def test_decompresses(local_site, path):
    result = fetch(local_site.url(path), allow=local_site.allow)
    assert result.body == (SITE / "article.html").read_bytes()


# --- every address form is refused before any connection ---------------------

REFUSED_FORMS = [
    ("http://127.0.0.1/", "127.0.0.1", "loopback"),
    ("http://[::1]/", "::1", "loopback"),
    ("http://[fc00::1]/", "fc00::1", "private"),
    ("http://[fd12::1]/", "fd12::1", "private"),
    ("http://[::ffff:127.0.0.1]/", "127.0.0.1", "loopback"),
    ("http://0.0.0.0/", "0.0.0.0", "unspecified"),  # noqa: S104
    ("http://2130706433/", "127.0.0.1", "loopback"),
    ("http://0177.0.0.1/", "127.0.0.1", "loopback"),
    ("http://0x7f.1/", "127.0.0.1", "loopback"),
    ("http://127.1/", "127.0.0.1", "loopback"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254", "link-local"),
    ("http://224.0.0.1/", "224.0.0.1", "multicast"),
    ("http://10.0.0.1/", "10.0.0.1", "private"),
    ("http://172.16.5.4/", "172.16.5.4", "private"),
    ("http://192.168.1.1/", "192.168.1.1", "private"),
    ("http://100.64.0.1/", "100.64.0.1", "shared address space"),
    ("http://[fe80::1]/", "fe80::1", "link-local"),
    ("http://[fec0::1]/", "fec0::1", "site-local"),
    ("http://[ff02::1]/", "ff02::1", "multicast"),
    ("http://[::]/", "::", "unspecified"),
    ("http://240.0.0.1/", "240.0.0.1", "reserved"),
    ("http://192.0.2.10/", "192.0.2.10", "special-purpose"),  # documentation range
    ("http://[::127.0.0.1]/", "127.0.0.1", "loopback"),  # IPv4-compatible
    ("http://[2002:a9fe:a9fe::1]/", "169.254.169.254", "link-local"),  # 6to4
    ("http://[64:ff9b::a00:1]/", "10.0.0.1", "private"),  # NAT64
    ("https://127.0.0.1/", "127.0.0.1", "loopback"),
    ("http://127.0.0.1./", "127.0.0.1", "loopback"),
]


@pytest.mark.parametrize(("url", "address", "reason"), REFUSED_FORMS)
def test_refuses_address_forms_without_connecting(url, address, reason, no_connections):
    resolver = CountingResolver({})
    with pytest.raises(FetchRefused) as caught:
        fetch(url, resolver=resolver, allow=[])

    assert address in caught.value.message
    assert reason in caught.value.message
    assert resolver.calls == []  # literals are never looked up


LOOPBACK_FORMS = [
    "http://127.0.0.1:{port}/article.html",
    "http://[::ffff:127.0.0.1]:{port}/article.html",
    "http://2130706433:{port}/article.html",
    "http://0177.0.0.1:{port}/article.html",
    "http://0x7f.1:{port}/article.html",
    "http://0.0.0.0:{port}/article.html",
    "http://127.000.000.001:{port}/article.html",
]


@pytest.mark.parametrize("template", LOOPBACK_FORMS)
def test_loopback_forms_never_reach_the_local_server(local_site, template):
    with pytest.raises(FetchRefused, match="127.0.0.1|0.0.0.0"):
        fetch(template.format(port=local_site.port), allow=[])
    assert local_site.seen == []


def test_allow_list_matches_host_and_port_exactly(local_site, other_site, no_connections):
    resolver = CountingResolver({"localhost": ["127.0.0.1"]})
    with pytest.raises(FetchRefused, match="localhost resolves to 127.0.0.1"):
        fetch(local_site.url("/", host="localhost"), allow=local_site.allow, resolver=resolver)
    with pytest.raises(FetchRefused):
        fetch(other_site.url("/"), allow=local_site.allow)


def test_default_resolver_refuses_localhost(local_site):
    with pytest.raises(FetchRefused, match="resolves to"):
        fetch(local_site.url("/article.html", host="localhost"), allow=[])
    assert local_site.seen == []


def test_refuses_name_resolving_to_private_address(no_connections):
    resolver = CountingResolver({"internal.example": ["10.1.2.3"]})
    with pytest.raises(FetchRefused, match=r"internal\.example resolves to 10\.1\.2\.3, which is a private"):
        fetch("http://internal.example/", resolver=resolver, allow=[])
    assert resolver.calls == [("internal.example", 80)]


@pytest.mark.parametrize("answers", [["93.184.215.14", "10.0.0.7"], ["10.0.0.7", "93.184.215.14"]])
def test_refuses_name_with_any_private_address(answers, no_connections):
    resolver = CountingResolver({"mixed.example": answers})
    with pytest.raises(FetchRefused, match=r"10\.0\.0\.7"):
        fetch("https://mixed.example/story", resolver=resolver, allow=[])


def test_refuses_resolver_answer_with_ipv6_private(no_connections):
    resolver = CountingResolver({"v6.example": ["2606:2800:21f:cb07:6820:80da:af6b:8b2c", "fd00::5"]})
    with pytest.raises(FetchRefused, match="fd00::5"):
        fetch("http://v6.example/", resolver=resolver, allow=[])


# --- redirects are checked hop by hop ------------------------------------------


def test_redirect_to_other_local_port_refused(local_site, other_site):
    target = other_site.url("/article.html")
    with pytest.raises(FetchRefused) as caught:
        fetch(local_site.url(f"/redirect?to={target}"), allow=local_site.allow)

    assert "redirected to" in caught.value.message
    assert "127.0.0.1 is a loopback address" in caught.value.message
    assert len(local_site.seen) == 1
    assert other_site.seen == []


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://2130706433/",
        "http://[::1]/",
        "http://internal.example/admin",
        "file:///etc/passwd",
        "gopher://127.0.0.1:6379/_INFO",
        "http://user:secret@news.example/",
    ],
)
def test_redirect_to_forbidden_target_refused(local_site, target):
    resolver = CountingResolver({"internal.example": ["10.1.2.3"]})
    with pytest.raises(FetchRefused, match="redirected to"):
        fetch(local_site.url(f"/redirect?to={target}"), allow=local_site.allow, resolver=resolver)
    assert len(local_site.seen) == 1


def test_redirect_without_location_is_permanent(local_site):
    with pytest.raises(PermanentFetchError, match="did not say where"):
        fetch(local_site.url("/no-location"), allow=local_site.allow)


# --- the connection goes to the address that was checked ------------------------


def test_connects_to_checked_address_without_second_lookup(local_site, monkeypatch):
    """A rebinding resolver answers a private address on its second call; there is none."""
    real_problem = fetch_module.address_problem
    checked = []

    def problem(address):
        checked.append(str(address))
        # Pretend the test server's address is public, so the real check path runs.
        return None if str(address) == "127.0.0.1" else real_problem(address)

    monkeypatch.setattr(fetch_module, "address_problem", problem)
    system_lookups = []
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        system_lookups.append(host)
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    resolver = CountingResolver({"news.example": [["127.0.0.1"], ["10.9.9.9"]]})

    result = fetch(f"http://news.example:{local_site.port}/echo", resolver=resolver, allow=[])

    assert resolver.calls == [("news.example", local_site.port)]
    assert checked == ["127.0.0.1"]
    assert "news.example" not in system_lookups  # urllib3 was handed the address, not the name
    assert json.loads(result.body)["headers"]["host"] == f"news.example:{local_site.port}"
    assert result.final_url == f"http://news.example:{local_site.port}/echo"


def test_each_redirect_hop_is_resolved_once(local_site):
    resolver = CountingResolver({"news.example": ["127.0.0.1"]})
    allow = [f"news.example:{local_site.port}"]
    start = f"http://news.example:{local_site.port}/redirect?to=/chain/1"

    result = fetch(start, resolver=resolver, allow=allow)

    assert result.body == b"end of chain"
    assert len(resolver.calls) == 3  # /redirect, /chain/1, /chain/0


def test_rebinding_to_private_on_second_call_does_not_matter(no_connections):
    resolver = CountingResolver({"rebind.example": [["10.0.0.1"], ["93.184.215.14"]]})
    with pytest.raises(FetchRefused):
        fetch("http://rebind.example/", resolver=resolver, allow=[])
    assert len(resolver.calls) == 1


# --- scheme, credentials, ports and malformed URLs ----------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://ftp.example.com/file.txt",
        "gopher://example.com/",
        "javascript:alert(1)",
        "data:text/html,<p>hi</p>",
        "dict://example.com:11211/stat",
        "news.example/article",
    ],
)
def test_only_http_and_https(url, no_connections):
    with pytest.raises(FetchRefused, match="Only http and https"):
        fetch(url, allow=[])


def test_refuses_credentials_in_url(no_connections):
    with pytest.raises(FetchRefused, match="user name or password"):
        fetch("https://editor:hunter2@news.example/", allow=[])


@pytest.mark.parametrize("port", [25, 22, 6667, 0])
def test_refuses_ports_of_other_services(port, no_connections):
    resolver = CountingResolver({"news.example": ["93.184.215.14"]})
    with pytest.raises(FetchRefused, match=f"port {port}"):
        fetch(f"http://news.example:{port}/", resolver=resolver, allow=[])
    assert resolver.calls == []


@pytest.mark.parametrize(
    "url",
    [
        "http://",
        "http:///path",
        "http://exa mple.com/",
        "http://[::1/",
        "http://news.example:99999/",
        "http://news.example:port/",
        "http://08.0.0.1/",
        "http://1.2.3.4.5/",
        "http://256.1.1.1/",
        "http://news..example/",
        "http://[fe80::1%25eth0]/",
        "http://%31%32%37.0.0.1/",
    ],
)
def test_malformed_urls_are_permanent(url, no_connections):
    with pytest.raises(PermanentFetchError, match="not a valid web address|invalid port") as caught:
        fetch(url, resolver=CountingResolver({}), allow=[])
    assert not isinstance(caught.value, FetchRefused)


# --- permanent or transient ----------------------------------------------------


@pytest.mark.parametrize(
    ("status", "words"), [(404, "not found"), (410, "gone"), (403, "refused"), (400, "")]
)
def test_client_errors_are_permanent(local_site, status, words):
    with pytest.raises(PermanentFetchError, match=f"{words}.*HTTP {status}") as caught:
        fetch(local_site.url(f"/status/{status}"), allow=local_site.allow)
    assert not isinstance(caught.value, TransientFetchError)


@pytest.mark.parametrize("status", [500, 502, 503, 504, 408, 429])
def test_server_errors_408_and_429_are_transient(local_site, status):
    with pytest.raises(TransientFetchError, match=f"HTTP {status}") as caught:
        fetch(local_site.url(f"/status/{status}"), allow=local_site.allow)
    assert caught.value.retry_after is None


def test_retry_after_seconds_is_a_hint(local_site):
    with pytest.raises(TransientFetchError) as caught:
        fetch(local_site.url("/status/429?retry_after=120"), allow=local_site.allow)
    assert caught.value.retry_after == 120


def test_retry_after_date_is_a_hint(local_site):
    from email.utils import formatdate
    from time import time
    from urllib.parse import quote

    when = quote(formatdate(time() + 300, usegmt=True))
    with pytest.raises(TransientFetchError) as caught:
        fetch(local_site.url(f"/status/503?retry_after={when}"), allow=local_site.allow)
    assert 290 <= caught.value.retry_after <= 300


def test_connection_refused_is_transient():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nobody listens there
    with pytest.raises(TransientFetchError, match="refused"):
        fetch(f"http://127.0.0.1:{port}/", allow=[f"127.0.0.1:{port}"], timeout=2)


def test_connection_reset_is_transient(local_site):
    with pytest.raises(TransientFetchError):
        fetch(local_site.url("/reset"), allow=local_site.allow, timeout=2)


def test_truncated_body_is_transient(local_site):
    with pytest.raises(TransientFetchError, match="broke off .the server sent less than it announced"):
        fetch(local_site.url("/short"), allow=local_site.allow, timeout=2)


def test_slow_answer_times_out_as_transient(local_site):
    with pytest.raises(TransientFetchError, match="did not answer within 0.3 seconds"):
        fetch(local_site.url("/slow?delay=2"), allow=local_site.allow, timeout=0.3)


def test_trickling_body_hits_the_deadline(local_site):
    # Each byte arrives well inside the read timeout; the whole-fetch deadline still ends it.
    with pytest.raises(TransientFetchError, match="too long"):
        fetch(local_site.url("/trickle?delay=0.2&count=50"), allow=local_site.allow, timeout=0.5)


def test_unknown_name_is_permanent():
    def resolver(host, port):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with pytest.raises(PermanentFetchError, match="does not exist"):
        fetch("https://no-such-site.example/", resolver=resolver, allow=[])


def test_dns_trouble_is_transient():
    def resolver(host, port):
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    with pytest.raises(TransientFetchError, match="could not be looked up"):
        fetch("https://news.example/", resolver=resolver, allow=[])


# --- size cap and compression ---------------------------------------------------


def test_body_up_to_the_cap_is_fine(local_site):
    assert len(fetch(local_site.url("/big?size=1000"), allow=local_site.allow, max_bytes=1000).body) == 1000


@pytest.mark.parametrize("length", ["1", "0"])
def test_body_over_the_cap_is_permanent(local_site, length):
    with pytest.raises(PermanentFetchError, match="larger than the 1000 bytes limit"):
        fetch(local_site.url(f"/big?size=5000000&length={length}"), allow=local_site.allow, max_bytes=1000)


def test_cap_defaults_to_setting(local_site, settings):
    settings.VERIFY_FETCH_MAX_BYTES = 2048
    with pytest.raises(PermanentFetchError, match="2 KB"):
        fetch(local_site.url("/big?size=4096&length=0"), allow=local_site.allow)


def test_gzip_bomb_stops_at_the_cap(local_site):
    on_the_wire = len(gzip.compress(b"\0" * 50_000_000))
    assert on_the_wire < 100_000  # the compressed body itself is under the cap

    with pytest.raises(PermanentFetchError, match="larger than"):
        fetch(local_site.url("/gzip-bomb?size=50000000"), allow=local_site.allow, max_bytes=100_000)


def test_unsupported_encoding_is_permanent(local_site):
    with pytest.raises(PermanentFetchError, match="unsupported compression"):
        fetch(local_site.url("/encoding?name=br"), allow=local_site.allow)


def test_gzip_cut_short_is_transient(local_site):
    with pytest.raises(TransientFetchError, match="ends early"):
        fetch(local_site.url("/gzip-cut"), allow=local_site.allow)


def test_broken_gzip_is_permanent(local_site):
    with pytest.raises(PermanentFetchError, match="broken gzip"):
        fetch(local_site.url("/encoding?name=gzip"), allow=local_site.allow)


# --- https: TLS uses the name, the connection uses the checked address ------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=secure.example"]
        + ["-addext", "subjectAltName=DNS:secure.example", "-addext", "basicConstraints=critical,CA:TRUE"],
        check=True,
        capture_output=True,
    )
    return key, cert


@pytest.fixture
def tls_site(certificate):
    key, cert = certificate
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    site = LocalSite(tls=context).start()
    yield site
    site.stop()


def test_https_uses_name_for_sni_and_certificate(tls_site, certificate, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[1]))  # trust the test certificate
    resolver = CountingResolver({"secure.example": ["127.0.0.1"]})
    url = tls_site.url("/echo", host="secure.example")

    result = fetch(url, resolver=resolver, allow=[f"secure.example:{tls_site.port}"])

    assert tls_site.sni == ["secure.example"]
    assert json.loads(result.body)["headers"]["host"] == f"secure.example:{tls_site.port}"
    assert resolver.calls == [("secure.example", tls_site.port)]


def test_https_certificate_for_another_name_is_permanent(tls_site, certificate, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[1]))
    resolver = CountingResolver({"other.example": ["127.0.0.1"]})
    with pytest.raises(PermanentFetchError, match="certificate"):
        fetch(
            tls_site.url("/echo", host="other.example"),
            resolver=resolver,
            allow=[f"other.example:{tls_site.port}"],
        )
    assert tls_site.sni == ["other.example"]
    assert tls_site.seen == []


def test_https_untrusted_certificate_is_permanent(tls_site):
    resolver = CountingResolver({"secure.example": ["127.0.0.1"]})
    with pytest.raises(PermanentFetchError, match="certificate"):
        fetch(
            tls_site.url("/echo", host="secure.example"),
            resolver=resolver,
            allow=[f"secure.example:{tls_site.port}"],
        )
    assert tls_site.seen == []


# --- production refuses the test allow-list ---------------------------------------


def _django_setup(**env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("VERIFY_FETCH_")}
    environ.update({"DJANGO_SETTINGS_MODULE": "verify.settings", **env})
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=BASE_DIR,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_refuse_allow_list(tmp_path):
    production = {"DEBUG": "false", "SECRET_KEY": "x", "ALLOWED_HOSTS": "x", "VERIFY_VAR_DIR": str(tmp_path)}

    refused = _django_setup(**production, VERIFY_FETCH_ALLOW="127.0.0.1:1")
    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr
    assert "VERIFY_FETCH_ALLOW" in refused.stderr

    assert _django_setup(**production).returncode == 0  # the same settings start without it
    assert _django_setup(DEBUG="true", VERIFY_FETCH_ALLOW="127.0.0.1:1").returncode == 0
