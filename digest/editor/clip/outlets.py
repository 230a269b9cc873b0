"""News agencies and outlets a clipping names without saying that they are outlets.

'By Jamie McGeever, Reuters', 'MOSCOW (AP) —', '… - BBC News': a reader
knows that Reuters, AP and BBC News are publishers, not people or words of
a headline. This table knows the wires and the large outlets whose names
come back in every digest; the site's own `[sources]` and earlier articles
are asked first (`digest/editor/clip/resolve.py`), so a site can spell any of them its way.
"""
from __future__ import annotations

from dataclasses import dataclass

from digest.site.identity import host_key, variant_key


@dataclass(frozen=True)
class Known:
    name: str  # as the outlet writes itself
    aliases: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()


KNOWN = (
    Known("Reuters", ("Thomson Reuters", "Reuters Staff"), ("reuters.com",)),
    Known("The Associated Press", ("AP", "Associated Press", "AP News"), ("apnews.com", "ap.org")),
    Known("AFP", ("Agence France-Presse", "Agence France Presse"), ("afp.com",)),
    Known("dpa", ("Deutsche Presse-Agentur",), ("dpa.com",)),
    Known("EFE", ("Agencia EFE",), ("efe.com",)),
    Known("Europa Press", (), ("europapress.es",)),
    Known("ANSA", (), ("ansa.it",)),
    Known("TASS", ("ТАСС", "ITAR-TASS", "ИТАР-ТАСС"), ("tass.com", "tass.ru")),
    Known("RIA Novosti", ("РИА Новости",), ("ria.ru",)),
    Known("Interfax", ("Интерфакс",), ("interfax.ru", "interfax.com")),
    Known("Xinhua", ("Xinhua News Agency",), ("xinhuanet.com", "news.cn")),
    Known("Kyodo News", ("Kyodo",), ("kyodonews.net",)),
    Known("Bloomberg", ("Bloomberg News",), ("bloomberg.com",)),
    Known("BBC News", ("BBC", "BBC World Service"), ("bbc.co.uk", "bbc.com")),
    Known("The Guardian", ("Guardian",), ("theguardian.com", "guardian.co.uk")),
    Known("The New York Times", ("New York Times", "NYT"), ("nytimes.com",)),
    Known("The Washington Post", ("Washington Post",), ("washingtonpost.com",)),
    Known("Financial Times", ("FT",), ("ft.com",)),
    Known("The Wall Street Journal", ("Wall Street Journal", "WSJ"), ("wsj.com",)),
    Known("CNN", (), ("cnn.com",)),
    Known("NPR", (), ("npr.org",)),
    Known("Al Jazeera", (), ("aljazeera.com",)),
    Known("Deutsche Welle", ("DW",), ("dw.com",)),
    Known("Der Spiegel", ("Spiegel", "SPIEGEL"), ("spiegel.de",)),
    Known("Le Monde", (), ("lemonde.fr",)),
    Known("El País", ("El Pais",), ("elpais.com",)),
    Known("France 24", (), ("france24.com",)),
    Known("Euronews", (), ("euronews.com",)),
    Known("RT", ("RT News",), ("rt.com",)),
)
_BY_KEY = {variant_key(alias): known for known in KNOWN for alias in (known.name, *known.aliases)}
_BY_HOST = {host: known for known in KNOWN for host in known.hosts}


def known_outlet(name: str) -> str | None:
    """The outlet a name or abbreviation stands for ('AP' → 'The Associated Press'), if it is a known one."""
    known = _BY_KEY.get(variant_key(name))
    return known.name if known else None


def aliases(name: str) -> tuple[str, ...]:
    """Every spelling of a known outlet, its own name first; just the name for others."""
    known = _BY_KEY.get(variant_key(name))
    return (known.name, *known.aliases) if known else (name,)


def outlet_of_host(url: str) -> str | None:
    """The known outlet whose site a URL is on (subdomains included: edition.cnn.com)."""
    host = host_key(url)
    while host:
        if host in _BY_HOST:
            return _BY_HOST[host].name
        host = host.partition(".")[2]
    return None


def names_host(name: str, url: str) -> bool:
    """True when an outlet's name spells its site's name: 'The Guardian' and theguardian.com,
    'Reuters' and reuters.com, 'BBC News' and bbc.co.uk."""
    key = variant_key(name)
    labels = [variant_key(label) for label in host_key(url).split(".")[:-1] if len(label) > 2]
    return bool(key) and any(label and (key == label or key.startswith(label) or label.startswith(key)
                                        or key.removeprefix("the") == label) for label in labels)
