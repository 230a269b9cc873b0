"""Metadata for search engines, news aggregators and link previews.

Per article: OpenGraph and Twitter card tags and a schema.org ``NewsArticle``
(JSON-LD); per site: a ``WebSite`` with its search action. The canonical
policy lives here too: a republished article points ``rel=canonical`` at the
original (attribution practice for syndicated copies) unless the site says
``canonical = "self"``; the digest's own pieces always point at themselves.
Templates render the JSON-LD with Jinja's ``tojson``, which escapes ``<``, ``>``
and ``&``, so no text from an article can close the script element.
"""
from __future__ import annotations

from typing import Any

from markupsafe import Markup

from digest.site.config import Config
from digest.site.markdown import render
from digest.site.model import Article

View = dict[str, Any]
SCHEMA_ORG = "https://schema.org"


def absolute(config: Config, url: str) -> str:
    return config.base_url + url.lstrip("/")


def canonical_url(article: Article, config: Config) -> str:
    """The URL search engines should index for this article."""
    if config.canonical == "source" and not article.original and article.source and article.source.url:
        return article.source.url
    return absolute(config, article.url)


def publisher(config: Config) -> View:
    return {"@type": "Organization", "name": config.title, "url": config.base_url}


def _authors(article: Article, config: Config) -> list[View]:
    """Bylines as people; an outlet or the digest credited as author is an organization."""
    outlet = article.source.name.casefold() if article.source else None
    if article.authors:
        return [{"@type": "Organization" if name.casefold() in (outlet, config.title.casefold())
                 else "Person", "name": name} for name in article.authors]
    if article.source:
        return [{"@type": "Organization", "name": article.source.name,
                 **({"url": article.source.url} if article.source.url else {})}]
    return [publisher(config)]


def plain(markdown: str) -> str:
    """The reader-visible text of a little Markdown (a correction), for JSON-LD."""
    return " ".join(Markup(render(markdown).html).striptags().split())


def keywords(article: Article) -> list[str]:
    return [name for _, names in article.terms for name in names]


def news_article(article: Article, config: Config, image: View | None) -> View:
    """schema.org NewsArticle for the article's JSON-LD."""
    own = absolute(config, article.url)
    data: View = {
        "@context": SCHEMA_ORG,
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.summary,
        "datePublished": article.date.isoformat(),
        "dateModified": (article.updated or article.date).isoformat(),
        "author": _authors(article, config),
        "publisher": publisher(config),
        "url": own,
        "mainEntityOfPage": own,
        "inLanguage": config.language,
        "keywords": keywords(article),
    }
    if article.source:
        outlet = config.source_settings(article.source.name)
        org: View = {"@type": "Organization", "name": article.source.name}
        if outlet and outlet.url:
            org["url"] = outlet.url
        data["sourceOrganization"] = org
        if article.source.url:
            data["isBasedOn"] = article.source.url
    if article.corrections:
        data["correction"] = [{"@type": "CorrectionComment", "text": plain(c.text),
                               "datePublished": c.date.isoformat()} for c in article.corrections]
    if article.copyright:
        data["copyrightNotice"] = article.copyright
    if image:
        data["image"] = [image["abs_url"]]
    return data


def article_meta(article: Article, config: Config, image: View | None) -> View:
    """OpenGraph, Twitter card and JSON-LD of an article page."""
    og: list[tuple[str, str]] = [
        ("og:type", "article"),
        ("og:title", article.title),
        ("og:url", canonical_url(article, config)),
        ("og:site_name", config.title),
        ("article:published_time", article.date.isoformat()),
        ("article:modified_time", (article.updated or article.date).isoformat()),
        *(("article:tag", name) for name in keywords(article)),
    ]
    if article.summary:
        og.insert(2, ("og:description", article.summary))
    twitter = [("twitter:card", "summary_large_image" if image else "summary"),
               ("twitter:title", article.title)]
    if article.summary:
        twitter.append(("twitter:description", article.summary))
    if image:
        og += [("og:image", image["abs_url"]), ("og:image:alt", image["alt"]),
               ("og:image:type", image["type"])]
        if image["width"]:
            og += [("og:image:width", str(image["width"])), ("og:image:height", str(image["height"]))]
        twitter += [("twitter:image", image["abs_url"]), ("twitter:image:alt", image["alt"])]
    return {"og": og, "twitter": twitter, "jsonld": news_article(article, config, image)}


def website(config: Config) -> View:
    """schema.org WebSite for the home page, with a search action when search is on."""
    data: View = {"@context": SCHEMA_ORG, "@type": "WebSite", "name": config.title,
                  "url": config.base_url, "inLanguage": config.language,
                  "publisher": publisher(config)}
    if config.description:
        data["description"] = config.description
    if config.search:
        data["potentialAction"] = {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": absolute(config, "/search/") + "?q={query}"},
            "query-input": "required name=query",
        }
    return data
