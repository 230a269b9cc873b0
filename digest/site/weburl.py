"""Web addresses as the site publishes them: serialized the way browsers do, or refused.

`web_url` is the one gate for the absolute http(s) URLs editors write (an article's
`source` and `via`, site.toml's `base_url` and outlets' `url`, links in bodies). What
a browser repairs silently (a space, `<>"`, non-ASCII in the path, an IDN host, an
upper-case scheme or host, the default port) is repaired the same way, by ada (the
WHATWG URL parser of Node.js). What is not a web address (no scheme, `ftp:`, no host,
a bad port, credentials, a control character, a host no DNS name can be) is refused
with the reason and the fix: ada itself only says "invalid". The standard leaves a
few characters bare that HTML validators reject (`|`, `^`, `[`, `{`, a second `#`, a
`%` without two hex digits); they are percent-encoded too. So the result holds URL
code points only and is a fixed point: ``web_url(web_url(x)) == web_url(x)``.
"""
from __future__ import annotations

import re

import ada_url

WEB_SCHEMES = frozenset({"http", "https"})
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
SPACED_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-\s]*\s[A-Za-z0-9+.\-\s]*:")
MISSING_COLON = re.compile(r"https?(?=//)", re.IGNORECASE)
# C0 and C1 controls, DEL and unpaired surrogates: never part of an address, and easy to paste unseen.
NOT_TEXT = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
AUTHORITY_END = re.compile(r"[/\\?#]")
# Characters no host name can hold (WHATWG's forbidden host code points, as editors type them).
NOT_IN_HOST = re.compile(r"[\s<>^|\"`{}\[\]]")
# After the host: everything but the URL code points of ASCII, and a '%' not starting an escape.
ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9!$&'()*+,\-./:;=?@_~%]")
PARTS = ("href", "protocol", "host", "hostname", "host_type")
MAX_LABEL, MAX_HOST, MAX_PORT = 63, 253, 65535
FULL = "write the page's full address, starting with https://"


class WebURLError(ValueError):
    """What is wrong with an address (`problem`) and how to fix it (`hint`)."""

    def __init__(self, problem: str, hint: str) -> None:
        super().__init__(f"{problem} ({hint})")
        self.problem, self.hint = problem, hint


def web_url(text: str) -> str:
    """`text` as an http(s) URL in its serialized form; WebURLError says what is wrong.

    Whitespace around the address is dropped, as browsers do."""
    url = text.strip()
    host = _checked_shape(url)
    try:
        parts = ada_url.parse_url(url, PARTS)
    except ValueError:
        raise WebURLError(f"{_quoted(url)} has an invalid host '{host}'",
                          "check the address: a host is a name such as news.example.com") from None
    if parts["host_type"] == ada_url.HostType.DEFAULT:
        _check_domain(url, parts["hostname"])
    href, start = parts["href"], len(parts["protocol"]) + 2 + len(parts["host"])
    return href[:start] + _escaped(href[start:])


def _checked_shape(url: str) -> str:
    """Refuse what is not an http(s) address at all, naming the problem; the host as written."""
    if not url:
        raise WebURLError("is empty", FULL)
    if url.startswith("#"):
        raise WebURLError(f"{_quoted(url)} is a placeholder, not an address",
                          "paste the page's address, or remove the url")
    if bad := NOT_TEXT.search(url):
        kind = "an unpaired surrogate" if "\ud800" <= bad.group() <= "\udfff" else "a control character"
        where = f"U+{ord(bad.group()):04X}, at character {bad.start() + 1}"
        raise WebURLError(f"{_quoted(url)} contains {kind}, {where}",
                          "type the address again, or paste it without the invisible character")
    scheme = SCHEME.match(url)
    name = scheme.group(1).lower() if scheme else ""
    if scheme is None or (name not in WEB_SCHEMES and ("." in name or url[scheme.end():][:1].isdigit())):
        raise _no_scheme(url)  # 'x.com:8080/a' and 'localhost:8000' are a host and a port
    if name not in WEB_SCHEMES:
        raise WebURLError(f"{_quoted(url)} is not a web address: its scheme is {name}:",
                          "use an http:// or https:// address")
    return _checked_authority(url, name, url[scheme.end():])


def _no_scheme(url: str) -> WebURLError:
    if spaced := SPACED_SCHEME.match(url):
        fixed = "".join(spaced.group().split()) + url[spaced.end():]
        return WebURLError(f"{_quoted(url)} has a space inside its scheme '{spaced.group()}'",
                           f"write {fixed}")
    if missing := MISSING_COLON.match(url):
        return WebURLError(f"{_quoted(url)} is missing the ':' after '{missing.group()}'",
                           f"write {missing.group()}:{url[missing.end():]}")
    if url.startswith("//"):
        return WebURLError(f"{_quoted(url)} has no scheme", f"add https: in front: https:{url}")
    if url.startswith(("/", ".", "?")):
        return WebURLError(f"{_quoted(url)} is a relative address, not a full one", FULL)
    return WebURLError(f"{_quoted(url)} has no scheme", f"add https:// in front: https://{url}")


def _checked_authority(url: str, scheme: str, rest: str) -> str:
    """Refuse an empty host, credentials, a bad port or a host with spaces; the host as written."""
    slashes = len(rest) - len(rest.lstrip("/\\"))
    authority = AUTHORITY_END.split(rest[slashes:], maxsplit=1)[0]
    if slashes > 2 or not authority:
        raise _no_host(url, scheme)
    if "@" in authority:
        userinfo = authority.rpartition("@")[0] + "@"
        raise WebURLError(f"{_quoted(url)} contains a user name or password: '{userinfo}'",
                          f"remove '{userinfo}': published links must not carry credentials")
    if authority.startswith("["):  # an IPv6 address
        host, _, port = authority.partition("]")
        host, port = host + "]", port.removeprefix(":")
    else:
        host, _, port = authority.partition(":")
    if port and not (port.isascii() and port.isdigit()):
        raise WebURLError(f"{_quoted(url)} has port '{port}', which is not a number",
                          f"remove ':{port}', or write the port in digits")
    if port and int(port) > MAX_PORT:
        raise WebURLError(f"{_quoted(url)} has port {port}; ports go up to {MAX_PORT}",
                          f"remove ':{port}', or correct it")
    if not host:
        raise _no_host(url, scheme)
    if bad := NOT_IN_HOST.search(host.strip("[]")):
        what = "a space" if bad.group().isspace() else f"'{bad.group()}'"
        raise WebURLError(f"{_quoted(url)} has {what} in its host '{host}'",
                          "a host holds only letters, digits, '-' and '.'; check the address")
    return host


def _no_host(url: str, scheme: str) -> WebURLError:
    return WebURLError(f"{_quoted(url)} has no host",
                       f"write {scheme}://host/path, e.g. {scheme}://news.example.com/")


def _check_domain(url: str, hostname: str) -> None:
    """Refuse a domain DNS cannot have (ada lets these through; validators do not)."""
    labels = hostname.removesuffix(".").split(".")
    problem = None
    if len(hostname) > MAX_HOST:
        problem = f"a host longer than {MAX_HOST} characters"
    elif "" in labels:
        problem = f"two dots in a row, or a dot first, in its host '{hostname}'"
    elif long := next((label for label in labels if len(label) > MAX_LABEL), None):
        problem = f"a part longer than {MAX_LABEL} characters in its host: '{long[:20]}…'"
    elif ace := next((label for label in labels if label.startswith("xn--") and not _is_punycode(label)), None):
        problem = f"an invalid punycode label '{ace}' in its host"
    if problem:
        raise WebURLError(f"{_quoted(url)} has {problem}", "check the address")


def _is_punycode(label: str) -> bool:
    """True for an 'xn--' label that decodes, and encodes back the same."""
    decoded = ada_url.idna_to_unicode(label)
    return decoded != label and ada_url.idna_to_ascii(decoded) == label.encode()


def _escaped(rest: str) -> str:
    """Path, query and fragment with what is left outside the URL code points percent-encoded."""
    before, sign, fragment = rest.partition("#")
    return ESCAPE.sub(_percent, before) + sign + ESCAPE.sub(_percent, fragment.replace("#", "%23"))


def _percent(match: re.Match[str]) -> str:
    return "".join(f"%{byte:02X}" for byte in match.group().encode())


def _quoted(url: str) -> str:
    """The address for a message, its invisible characters made visible."""
    return "'" + NOT_TEXT.sub(lambda m: f"\\u{ord(m.group()):04x}", url) + "'"
