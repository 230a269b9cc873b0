"""The importer's line classifiers, one function at a time, with exact results.

cliplines (what a line is), clipnames (bylines and names), cliptext (Markdown text and link
targets), clipdates (dates in five languages) and outlets (wire services and large outlets).
Each case is a line a news page or a web clipper really produces, or the nearest line that must
not be taken for one; boundaries (lengths, word counts) are tested on both sides.
"""
from __future__ import annotations

import pytest

from digest.editor.clip import dates as clipdates
from digest.editor.clip import lines as cliplines
from digest.editor.clip import names as clipnames
from digest.editor.clip import outlets
from digest.editor.clip import text as cliptext
from digest.editor.clip.lines import Dateline, Outlet
from digest.editor.clip.names import Byline

# ---------------------------------------------------------------- cliptext


@pytest.mark.parametrize(("line", "expected"), [
    ("# A *title*", "A *title*"),
    ("## Sub", "Sub"),
    ("#NoSpace", "#NoSpace"),
    ("**_Both_**", "Both"),
    ("*one* and *two*", "*one* and *two*"),
    ("a **bold** word and __another__", "a bold word and another"),
    ("[Liis Tamm](#) and [Ana](https://a.example/)", "Liis Tamm and Ana"),
    ("  spaced  ", "spaced"),
    ("![alt text](https://a.example/i.jpg)", "alt text"),
])
def test_plain(line, expected):
    assert cliptext.plain(line) == expected


def test_links_give_web_addresses_only():
    assert cliptext.links("[A](https://a.example/x) [B](#) [C](javascript:void(0)) [D]( <https://d.example/> )") == [
        ("A", "https://a.example/x"), ("B", None), ("C", None), ("D", "https://d.example/")]


@pytest.mark.parametrize(("line", "expected"), [
    ("[Home](/) | [News](/news)", True),
    ("- [One](https://a.example/1)", True),
    ("1. [One](https://a.example/1), [Two](https://a.example/2)", True),
    ("[One](https://a.example/1) and more", False),
    ("No links at all", False),
    ("", False),
])
def test_link_only(line, expected):
    assert cliptext.link_only(line) is expected


@pytest.mark.parametrize(("href", "base", "expected"), [
    ("https://a.example/x", None, "https://a.example/x"),
    ("http://a.example/x?y=1#z", None, "http://a.example/x?y=1#z"),
    (" <https://a.example/x> ", None, "https://a.example/x"),
    ("#", None, None), ("#top", "https://a.example/", None), ("", None, None), ("   ", None, None),
    ("javascript:void(0)", None, None), ("about:blank", None, None), ("mailto:a@b.example", None, None),
    ("ftp://a.example/f", None, None), ("https://", None, None), ("data:image/png;base64,AAA", None, None),
    ("/news/1", None, None),
    ("/news/1", "https://a.example/world/2", "https://a.example/news/1"),
    ("//cdn.example/i.jpg", "https://a.example/", "https://cdn.example/i.jpg"),
    ("//cdn.example/i.jpg", None, None),
    ("other", "https://a.example/world/2", "https://a.example/world/other"),
])
def test_web_href(href, base, expected):
    assert cliptext.web_href(href, base) == expected


# ---------------------------------------------------------------- clipdates


@pytest.mark.parametrize(("text", "expected"), [
    ("2016-11-09", "2016-11-09"),
    ("2016-11-09 14:30", "2016-11-09T14:30"),
    ("2016-11-09T14:30:00Z", "2016-11-09T14:30:00Z"),
    ("2016-11-09T14:30:00.123+03:00", "2016-11-09T14:30:00.123+03:00"),
    ("2016-02-30", None),
    ("November 9, 2016", "2016-11-09"),
    ("Nov. 9, 2016.", "2016-11-09"),
    ("Wednesday 9 November 2016 11.40 GMT", "2016-11-09T11:40:00+00:00"),
    ("Mon Nov 21, 2016 4:14pm EST", "2016-11-21T16:14:00-05:00"),
    ("9. November 2016, 14:30 Uhr", "2016-11-09T14:30:00"),
    ("Mittwoch, 9. November 2016", "2016-11-09"),
    ("9 novembre 2016 à 14h30", "2016-11-09T14:30:00"),
    ("9 de noviembre de 2016", "2016-11-09"),
    ("9 ноября 2016", "2016-11-09"),
    ("21 ноября 2016 г.", "2016-11-21"),
    ("9\u00a0November\u00a02016", "2016-11-09"),
    ("09.11.2016", "2016-11-09"),
    ("31/10/2016", "2016-10-31"),
    ("13/12/2016", "2016-12-13"),
    ("12/13/2016", "2016-12-13"),
    ("2016-11-09 14:30,", "2016-11-09T14:30"),  # read as ISO, not by dateparser (which adds ':00')
    ("10/31/2016", "2016-10-31"),
    ("05/05/2016", "2016-05-05"),
    ("11/09/2016", None),  # November 9 or September 11
    ("November 31, 2016", None),
    ("November 2016", None),
    ("9 November", None),
    ("2016", None),
    ("1479000000", None),
    ("3 days ago", None),
    ("The vote was held on a Wednesday in the town hall as planned in 2016, they said", None),
])
def test_parse_date(text, expected):
    assert clipdates.parse_date(text) == expected
    assert cliplines.parse_date(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("9 November 2016", True), ("1899 and 2100", False), ("in 1900", True), ("20161", False),
    ("one two three four five six seven eight nine ten eleven 2016", True),
    ("one two three four five six seven eight nine ten eleven twelve 2016", False),
])
def test_candidate(text, expected):
    assert clipdates.candidate(text) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("09.11.2016", "DMY"), ("13/01/2016", "DMY"), ("01/13/2016", "MDY"), ("12/12/2016", "DMY"),
    ("12/11/2016", ""), ("November 9, 2016", None), ("2016/11/09", None),
])
def test_date_order(text, expected):
    assert clipdates.date_order(text) == expected


def test_iso_text():
    assert clipdates.iso_text("2016-11-09 10:00") == "2016-11-09T10:00"
    assert clipdates.iso_text("2016-13-09") is None


# ---------------------------------------------------------------- outlets


@pytest.mark.parametrize(("name", "expected"), [
    ("AP", "The Associated Press"), ("Associated Press", "The Associated Press"), ("Reuters", "Reuters"),
    ("reuters", "Reuters"), ("Reuters Staff", "Reuters"), ("BBC", "BBC News"), ("РИА Новости", "RIA Novosti"),
    ("dpa", "dpa"), ("ТАСС", "TASS"), ("Agence France-Presse", "AFP"), ("Andes Wire", None), ("", None),
])
def test_known_outlet(name, expected):
    assert outlets.known_outlet(name) == expected


def test_aliases():
    assert outlets.aliases("AP")[:2] == ("The Associated Press", "AP")
    assert outlets.aliases("Andes Wire") == ("Andes Wire",)


@pytest.mark.parametrize(("url", "expected"), [
    ("https://www.reuters.com/article/x", "Reuters"), ("https://edition.cnn.com/2016/x", "CNN"),
    ("https://apnews.com/x", "The Associated Press"), ("https://www.bbc.co.uk/news/x", "BBC News"),
    ("https://notreuters.example/x", None), ("https://example.com/", None), ("not a url", None),
])
def test_outlet_of_host(url, expected):
    assert outlets.outlet_of_host(url) == expected


@pytest.mark.parametrize(("name", "url", "expected"), [
    ("The Guardian", "https://www.theguardian.com/x", True), ("Reuters", "https://www.reuters.com/x", True),
    ("CNN", "https://edition.cnn.com/x", True),
    ("BBC News", "https://www.bbc.co.uk/x", True), ("The Baltic Ledger", "https://balticledger.example/", True),
    ("Andes Wire", "https://balticledger.example/", False), ("Co", "https://co.uk/", False),
    ("", "https://a.example/", False), ("Medium", "https://medium.com/@a/x", True),
])
def test_names_host(name, url, expected):
    assert outlets.names_host(name, url) is expected


# ---------------------------------------------------------------- clipnames


@pytest.mark.parametrize(("line", "expected"), [
    ("By [Liis Tamm](#) and [Andrejs Kalniņš](#)", Byline(("Liis Tamm", "Andrejs Kalniņš"))),
    ("By Jamie McGeever, Reuters", Byline(("Jamie McGeever",), ("Reuters",))),
    ("By Jane Doe, Associated Press", Byline(("Jane Doe",), ("Associated Press",))),
    ("By Jane Doe for The Guardian", Byline(("Jane Doe",), ("The Guardian",))),
    ("By Ana Pérez (dpa)", Byline(("Ana Pérez",), ("dpa",))),
    ("By Jane Doe | Northern Courier", Byline(("Jane Doe",), ("Northern Courier",))),
    ("By Jane Doe | Nov. 9, 2016", Byline(("Jane Doe",))),
    ("By VLADIMIR ISACHENKOV", Byline(("Vladimir Isachenkov",))),
    ("By Laura Kuenssberg, Political editor", Byline(("Laura Kuenssberg",))),
    ("By Jane Doe, Staff writer", Byline(("Jane Doe",))),
    ("By A. Writer", Byline(("A. Writer",))),
    ("By Reuters", Byline((), ("Reuters",))),
    ("By Reuters Staff", Byline((), ("Reuters Staff",))),
    ("By AP", Byline((), ("AP",))),
    ("Written by Marie-Claude Tremblay", Byline(("Marie-Claude Tremblay",))),
    ("Author: Ludwig van Beethoven", Byline(("Ludwig van Beethoven",))),
    ("Authors: Ana Quispe & Diego Huamán", Byline(("Ana Quispe", "Diego Huamán"))),
    ("Von Anna Schmidt und Peter Müller", Byline(("Anna Schmidt", "Peter Müller"))),
    ("Autorin: Anna Schmidt", Byline(("Anna Schmidt",))),
    ("Par Marie Dupont et Luc Martin", Byline(("Marie Dupont", "Luc Martin"))),
    ("Auteur : Marie Dupont", Byline(("Marie Dupont",))),
    ("Por Carlos García y Ana López", Byline(("Carlos García", "Ana López"))),
    ("Автор: Иван Петров", Byline(("Иван Петров",))),
    ("Авторы: Иван Петров и Анна Смирнова", Byline(("Иван Петров", "Анна Смирнова"))),
    ("By Staff", None),
    ("By Wednesday", None),
    ("By contrast, the ministers said little.", None),
    ("By the end of the day nothing had changed", None),
    ("Von Berlin aus betrachtet", None),
    ("Por la mañana, llovió", None),
    ("Bypass Road opens", None),
    ("By " + "Ana Quispe, " * 15 + "Diego Huamán", None),
])
def test_byline(line, expected):
    assert clipnames.byline(line) == expected


def test_byline_of_cliplines_gives_the_people():
    assert cliplines.byline("By Jamie McGeever, Reuters") == ("Jamie McGeever",)
    assert cliplines.byline("By Reuters") == ()
    assert cliplines.byline("The end") is None


@pytest.mark.parametrize(("text", "expected"), [
    ("Liis Tamm", True), ("RT News", True), ("Ludwig van Beethoven", True), ("Иван Петров", True),
    ("Juan de la Cruz", True), ("the way", False), ("Ana quispe", False), ("", False),
    ("A B C D E F", True), ("A B C D E F G", False),
])
def test_is_name(text, expected):
    assert clipnames.is_name(text) is expected
    assert cliplines.is_name(text) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Political editor", True), ("Moscow correspondent", True), ("Staff writer", True), ("Redakteurin", True),
    ("Envoyé spécial à Moscou", True), ("Corresponsal en Moscú", True), ("Корреспондент", True),
    ("A. Writer", False), ("The editor said so.", False), ("Liis Tamm", False), ("", False),
    ("Senior political editor of the paper", False),
])
def test_role(text, expected):
    assert clipnames.role(text) is expected


@pytest.mark.parametrize(("name", "expected"), [
    ("VLADIMIR ISACHENKOV", "Vladimir Isachenkov"), ("JAMIE MCGEEVER", "Jamie McGeever"),
    ("JUAN DE LA CRUZ", "Juan de la Cruz"), ("DE GAULLE", "De Gaulle"), ("SEÁN O'NEILL", "Seán O'Neill"),
    ("JEAN-PIERRE DUPONT", "Jean-Pierre Dupont"), ("HENRY FORD III", "Henry Ford III"),
    ("J. R. SMITH", "J. R. Smith"), ("ИВАН ПЕТРОВ", "Иван Петров"), ("MC", "MC"), ("AL-MANSOORI", "Al-Mansoori"),
    ("Ann Smith", "Ann Smith"), ("McGeever", "McGeever"), ("ABC", "ABC"), ("ABCD", "Abcd"),
])
def test_usual_case(name, expected):
    assert clipnames.usual_case(name) == expected


@pytest.mark.parametrize(("line", "expected"), [
    ("Reporting by Jamie McGeever; Editing by Susan Fenton", ("Jamie McGeever",)),
    ("Reporting by Ana Quispe and Diego Huamán; Additional reporting by Camila Rojas; Editing by X Y",
     ("Ana Quispe", "Diego Huamán", "Camila Rojas")),
    ("(Reporting by Jane Doe)", ("Jane Doe",)),
    ("Editing by Susan Fenton", ()),
    ("Compiled by Jane Doe", ()),
    ("Report by Jane Doe", None),
    ("The reporting by Jane Doe was thorough.", None),
])
def test_desk_credit(line, expected):
    assert clipnames.desk_credit(line) == expected


@pytest.mark.parametrize(("line", "expected"), [
    ("Articles by: [Camila Rojas](https://g.example/a)", ("Camila Rojas",)),
    ("More by Ana Quispe and Diego Huamán.", ("Ana Quispe", "Diego Huamán")),
    ("Stories by: A B, C D", ("A B", "C D")),
    ("Article by", None),
    ("These articles by experts", None),
])
def test_articles_by(line, expected):
    assert clipnames.articles_by(line) == expected


def test_split_names():
    assert clipnames.split_names("Ana Quispe, Reuters and Diego Huamán") == (("Ana Quispe", "Diego Huamán"),
                                                                            ("Reuters",))
    assert clipnames.split_names("Ana Quispe for Andes Wire") == (("Ana Quispe",), ("Andes Wire",))
    assert clipnames.split_names("Ana Quispe (Andes Wire)") == (("Ana Quispe",), ("Andes Wire",))
    assert clipnames.split_names("Ana Quispe; Diego Huamán") == (("Ana Quispe", "Diego Huamán"), ())


# ---------------------------------------------------------------- cliplines: datelines


@pytest.mark.parametrize(("line", "expected"), [
    ("Global Press Review, November 09, 2016", Dateline("2016-11-09", "Global Press Review")),
    ("[Andes Wire](https://andeswire.example/a/) 18 November 2016",
     Dateline("2016-11-18", "Andes Wire", "https://andeswire.example/a/")),
    ("[Nordic Wire](#), November 9, 2016", Dateline("2016-11-09", "Nordic Wire")),
    ("by Hemi Walker | Pacific Standard Times | Nov. 12, 2016",
     Dateline("2016-11-12", "Pacific Standard Times", None, ("Hemi Walker",))),
    ("Business News | Mon Nov 21, 2016 | 4:14pm EST", Dateline("2016-11-21", "Business News")),
    ("Published November 10, 2016 | 4 min read", Dateline("2016-11-10")),
    ("Published: 2016-11-21T16:40:00+03:00", Dateline("2016-11-21T16:40:00+03:00")),
    ("Updated on: 9 November 2016", Dateline("2016-11-09")),
    ("Veröffentlicht am 9. November 2016", Dateline("2016-11-09")),
    ("Publié le 9 novembre 2016 à 14h30", Dateline("2016-11-09T14:30:00")),
    ("Publicado el 9 de noviembre de 2016", Dateline("2016-11-09")),
    ("Опубликовано: 9 ноября 2016", Dateline("2016-11-09")),
    ("Le Monde, 9 novembre 2016", Dateline("2016-11-09", "Le Monde")),
    ("balticledger.example 9 November 2016", Dateline("2016-11-09", "balticledger.example")),
    ("MOSCOW, November 9, 2016", Dateline("2016-11-09")),
    ("The vote was held on November 9, 2016", None),
    ("They met, as agreed, in the capital on November 9, 2016", None),
    ("November 31, 2016", None),
    ("Nothing dated here", None),
    ("A very long site name that goes on and on and on for more than sixty characters | 9 Nov 2016", None),
    ("Site. | 9 Nov 2016", None),
])
def test_dateline(line, expected):
    assert cliplines.dateline(line) == expected


@pytest.mark.parametrize(("paragraph", "expected"), [
    ("MOSCOW (AP) — President Putin said", "AP"),
    ("LONDON (Reuters) - Oil prices rose", "Reuters"),
    ("WASHINGTON, Nov 9 (Reuters) - The", "Reuters"),
    ("BERLIN (dpa) - Die", "dpa"),
    ("МОСКВА, 9 ноября. /ТАСС/. Президент", "ТАСС"),
    ("PARIS (AFP). Le", "AFP"),
    ("WINDSOR, Ontario — Every weekday", None),
    ("MOSCOW/RIGA — Russian officials", None),
    ("The minister (who spoke) - said", None),
    ("LONDON (the capital) - is", None),
    ("A (AP) — too short", None),
])
def test_agency(paragraph, expected):
    assert cliplines.agency(paragraph) == expected


# ---------------------------------------------------------------- cliplines: credits, copyright, labels


@pytest.mark.parametrize(("line", "expected"), [
    ("The original source of this article is RT News", Outlet("RT News", None)),
    ("The original source of this article is [Andes Wire](https://andeswire.example/x/)",
     Outlet("Andes Wire", "https://andeswire.example/x/")),
    ("The original source of this article is [Nordic Wire](#)", Outlet("Nordic Wire", None)),
    ("Originally published by Andes Wire: https://andeswire.example/x/",
     Outlet("Andes Wire", "https://andeswire.example/x/")),
    ("Originally published at https://andeswire.example/x/", Outlet(None, "https://andeswire.example/x/")),
    ("This article first appeared on Sahel Observer.", Outlet("Sahel Observer", None)),
    ("This column first appeared in Northern Courier (https://n.example/c/).",
     Outlet("Northern Courier", "https://n.example/c/")),
    ("Republished with permission from Andes Wire", Outlet("Andes Wire", None)),
    ("Source: [Pacific Standard Times](https://p.example/x)", Outlet("Pacific Standard Times", "https://p.example/x")),
    ("Source: [https://a.example/x](https://a.example/x)", Outlet(None, "https://a.example/x")),
    ("Source: Reuters", Outlet("Reuters", None)),
    ("Quelle: [Rheinischer Kurier](https://r.example/x)", Outlet("Rheinischer Kurier", "https://r.example/x")),
    ("Quelle: dpa", Outlet("dpa", None)),
    ("Source : [Courrier de Lyon](https://c.example/x)", Outlet("Courrier de Lyon", "https://c.example/x")),
    ("Fuente: [El País](https://elpais.com/x)", Outlet("El País", "https://elpais.com/x")),
    ("Источник: [РИА Новости](https://ria.ru/x)", Outlet("РИА Новости", "https://ria.ru/x")),
    ("Dieser Artikel erschien zuerst bei Rheinischer Kurier.", Outlet("Rheinischer Kurier", None)),
    ("Cet article a été publié initialement dans Le Monde.", Outlet("Le Monde", None)),
    ("Este artículo fue publicado originalmente en El País.", Outlet("El País", None)),
    ("Source: IMF World Economic Outlook", None),
    ("Quelle: Statistisches Bundesamt", None),
    ("The source of the leak was never found.", None),
])
def test_origin(line, expected):
    assert cliplines.origin(line) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Name", Outlet("Name", None)), ("Name: https://a.example/x", Outlet("Name", "https://a.example/x")),
    ("Name (https://a.example/x).", Outlet("Name", "https://a.example/x")),
    ("https://a.example/x", Outlet(None, "https://a.example/x")), ("", None), (" ( ) ", None),
    ("Andes Wire on Nov. 9, 2016", Outlet("Andes Wire", None)), ("Andes Wire at", Outlet("Andes Wire", None)),
    ("x" * 80, Outlet("x" * 80, None)), ("x" * 81, Outlet(None, None)),
])
def test_outlet(text, expected):
    assert cliplines.outlet(text) == expected


@pytest.mark.parametrize(("line", "expected"), [
    ("Copyright © Sahel Observer, 2016", "Copyright © Sahel Observer, 2016"),
    ("© 2016 Sahel Observer. All rights reserved.", "© 2016 Sahel Observer. All rights reserved."),
    ("(c) 2016 X", "(c) 2016 X"),
    ("**© [Andes Wire](https://a.example/)**", "© Andes Wire"),
    ("Copyright 2016 The Associated Press. All rights reserved. This material may not be published, broadcast, "
     "rewritten or redistributed.", "Copyright 2016 The Associated Press. All rights reserved."),
    ("Copyrighted material is used here", None),
    ("The copyright © is theirs", None),
    ("(c)2016", None),
    ("© " + "x" * 198, "© " + "x" * 198),
    ("© " + "x" * 199, None),
])
def test_copyright_line(line, expected):
    assert cliplines.copyright_line(line) == expected


@pytest.mark.parametrize(("line", "expected"), [
    ("Copyright 2016 The Associated Press. All rights reserved.", "The Associated Press"),
    ("© 2016 Sahel Observer. All rights reserved.", "Sahel Observer"),
    ("Copyright © Camila Rojas, Pacific Standard Times, 2016", "Pacific Standard Times"),
    ("Copyright © Global Press Review, 2005-2016", "Global Press Review"),
    ("© Courrier de Lyon, 2016. Tous droits réservés.", "Courrier de Lyon"),
    ("© 2016 Северный вестник. Все права защищены.", "Северный вестник"),
    ("© Rheinischer Kurier 2016", "Rheinischer Kurier"),
    ("© 2016 U.S. News Group", "U.S. News Group"),
    ("© 2016", None), ("© 2016 all of them", None), ("© A B C D E F G", None), ("Not a copyright", None),
])
def test_copyright_holder(line, expected):
    assert cliplines.copyright_holder(line) == expected


@pytest.mark.parametrize(("line", "expected"), [
    ("Url of this article: https://g.example/a/", "https://g.example/a/"),
    ("Url of this article:", ""),
    ("Clipped from: <https://a.example/y>", "https://a.example/y"),
    ("**Permalink:** https://a.example/z", "https://a.example/z"),
    ("Link: not a url", None),
    ("Our link: https://a.example/z", None),
])
def test_page_url(line, expected):
    assert cliplines.page_url(line) == expected


@pytest.mark.parametrize(("line", "expected"), [
    ("Region: A, B", ("Region", ("A", "B"))),
    ("Tags: #a #b", ("Tags", ("a", "b"))),
    ("Topics: Energy; OPEC | Oil", ("Topics", ("Energy", "OPEC", "Oil"))),
    ("Tags: One · Two", ("Tags", ("One", "Two"))),
    ("Theme: [Trade](https://g.example/t), [TPP](https://g.example/p)", ("Theme", ("Trade", "TPP"))),
    ("Schlagwörter: Politik, Russland", ("Schlagwörter", ("Politik", "Russland"))),
    ("Mots-clés : Russie", ("Mots-clés", ("Russie",))),
    ("Теги: Россия, США", ("Теги", ("Россия", "США"))),
    ("Note: a b c", ("Note", ("a b c",))),
    ("Region:", None), ("1990: a year", None), ("A: b", None),
    ("A very long label indeed here: x", None),
])
def test_label(line, expected):
    assert cliplines.label(line) == expected


@pytest.mark.parametrize(("line", "expected"), [
    ("Photo: Nick Oxford/Reuters", True),
    ("Photo : Pavel Golovkin/AFP", True),
    ("FILE PHOTO: A pump jack operates. REUTERS/Nick Oxford/File Photo", True),
    ("Foto: Pavel Golovkin/dpa", True), ("Фото: Павел Головкин/ТАСС", True),
    ("Crédit photo : AFP", True), ("Fotografía: EFE", True), ("Bildquelle: dpa", True),
    ("Image source, Getty Images", True), ("Image caption, The prime minister in Downing Street", True),
    ("Media caption Theresa May: 'Brexit means Brexit'", True),
    ("(AP Photo/Alexander Zemlianichenko)", True), ("(Reuters/John Smith)", True),
    ("Getty Images", True), ("AFP via Getty Images", True), ("Pavel Golovkin/TASS", True),
    ("Putin at the Kremlin on Wednesday. Photograph: Pavel Golovkin/AP", True),
    ("The company cut its credit: rates rose 2 percent.", False),
    ("He said the photo: was fake.", False),
    ("Photographers waited outside the Kremlin.", False),
    ("The image of the country suffered.", False),
    ("", False),
    ("Photo: " + "word " * 59, True),
    ("Photo: " + "word " * 60, False),
])
def test_caption(line, expected):
    assert cliplines.caption(line) is expected


@pytest.mark.parametrize(("line", "expected"), [
    ("Advertisement", True), ("Anzeige", True), ("Publicité", True), ("Реклама", True),
    ("Share this article", True), ("[Tweet](#) [Share](#) [Email](#)", True), ("Share | Print", True),
    ("Read more: [Moscow signals](https://a.example/)", True), ("Lesen Sie auch: x", True), ("Lire aussi : x", True),
    ("Leer más: x", True), ("Читайте также: x", True),
    ("Our Standards: The Thomson Reuters Trust Principles.", True),
    ("4 min read", True), ("Lesezeit: 4 Minuten", True), ("4 min de lecture", True), ("4 minutos de lectura", True),
    ("Время чтения: 4 минуты", True), ("Subscribe to our newsletter", True), ("Contact us: desk@a.example", True),
    ("The share price fell.", False), ("[Moscow signals readiness](https://a.example/)", False),
    ("Read more about it in the report, which runs to two hundred pages and was published on Monday " * 2, False),
    ("", False),
])
def test_chrome(line, expected):
    assert cliplines.chrome(line) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("*Trade ministers met in Lima on Friday.*", "Trade ministers met in Lima on Friday."),
    ("_Voters chose a president on\nSunday in a runoff._", "Voters chose a president on Sunday in a runoff."),
    ("*One two three four five six*", "One two three four five six"),
    ("*One two three four five*", None),
    ("**Bold is not italic at all here**", None),
    ("*Italic start* but not the whole line of it", None),
    ("*a b c d e f*\n\n*g h i j k l*", None),
    ("No emphasis at all in this line", None),
])
def test_italic_block(text, expected):
    assert cliplines.italic_block(text) == expected


@pytest.mark.parametrize(("text", "strict", "expected"), [
    ("The views expressed in this column are the writer's own and do not necessarily reflect ours.", False, True),
    ("The views expressed in this column are the writer's own and do not necessarily reflect ours.", True, True),
    ("Experts said the reproduction rights were sold separately, for far less.", False, True),
    ("Experts said the reproduction rights were sold separately, for far less.", True, False),
    ("Disclaimer: this text is provided as is by the authors of the site.", True, True),
    ("Notice: the reproduction of this text is allowed for members only.", True, True),
    ("Reproduction forbidden.", False, False),
    ("The minister said the talks went well and would continue next month.", False, False),
])
def test_disclaimer_like(text, strict, expected):
    assert cliplines.disclaimer_like(text, strict) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("A title", True), ("Harbour vote fails: what next?", True), ("A sentence.", False), ("Label:", False),
    ("Clause;", False), ("[a](https://b.example) [c](https://d.example)", False), ("", False),
    (" ".join(["word"] * 25), True), (" ".join(["word"] * 26), False),
])
def test_title_like(text, expected):
    assert cliplines.title_like(text) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("---", True), ("***", True), ("___", True), ("-----", True), ("--", False), ("- - -", False), ("-*-", False),
])
def test_rule(text, expected):
    assert cliplines.rule(text) is expected


# ---------------------------------------------------------------- boundaries


@pytest.mark.parametrize(("line", "expected"), [
    ("ABC, November 9, 2016", Dateline("2016-11-09", "ABC")),  # three capitals: an outlet
    ("ABCD, November 9, 2016", Dateline("2016-11-09")),  # four or more: a city
    ("dpa, 9 November 2016", Dateline("2016-11-09", "dpa")),
    ("la voz de la calle, 9 de noviembre de 2016", Dateline("2016-11-09", "la voz de la calle")),
    ("la voz de la calle hoy, 9 de noviembre de 2016", None),
    ("Published November 10, 2016 | 4 min read | Andes Wire", Dateline("2016-11-10", "Andes Wire")),
    ("9 November 2016 | " + "S" * 60, Dateline("2016-11-09", "S" * 60)),
    ("9 November 2016 | " + "S" * 61, None),
])
def test_dateline_boundaries(line, expected):
    assert cliplines.dateline(line) == expected


@pytest.mark.parametrize(("line", "expected"), [
    ("Source: Andes Wire, https://andeswire.example/x/", Outlet("Andes Wire", "https://andeswire.example/x/")),
    ("Source: [](https://a.example/x) [Andes](https://a.example/y) [Wire](https://a.example/z)",
     Outlet("Wire", "https://a.example/z")),
])
def test_origin_links(line, expected):
    assert cliplines.origin(line) == expected


@pytest.mark.parametrize(("line", "expected"), [
    ("© 2016 Reuters", "Reuters"), ("© Alpha Beta Gamma Delta Epsilon Zeta", "Alpha Beta Gamma Delta Epsilon Zeta"),
])
def test_copyright_holder_word_counts(line, expected):
    assert cliplines.copyright_holder(line) == expected


def test_page_url_must_be_an_address():
    assert cliplines.page_url("Link: www.andeswire.example/x") is None
    assert cliplines.page_url("https://a.example/x") is None  # a bare address is not labelled


def test_chrome_length_limit():
    assert cliplines.chrome("Read more: " + "x" * 109) is True  # 120 characters
    assert cliplines.chrome("Read more: " + "x" * 110) is False


def test_disclaimer_like_is_lenient_by_default_and_needs_ten_words():
    assert cliplines.disclaimer_like("Experts said the reproduction rights were sold separately, for far less.")
    assert cliplines.disclaimer_like("one two three four five six seven eight nine reproduction") is True
    assert cliplines.disclaimer_like("two three four five six seven eight nine reproduction") is False


def test_title_like_edges():
    assert cliplines.title_like("Brexit") is True
    assert cliplines.title_like("A sentence. ") is False


def test_names_lose_trailing_full_stops_and_keep_every_outlet():
    assert clipnames.byline("By Jane Doe.") == Byline(("Jane Doe",))
    assert clipnames.byline("By Jane Doe for The Guardian.") == Byline(("Jane Doe",), ("The Guardian",))
    assert clipnames.split_names("Ana Quispe, Reuters and AFP") == (("Ana Quispe",), ("Reuters", "AFP"))
    assert clipnames.is_name("Reuters") is True
