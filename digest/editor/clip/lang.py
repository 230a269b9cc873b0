"""The words news pages put around an article, in the languages the importer reads.

English, German, French, Spanish and Russian: the label before a byline
('By', 'Von', 'Par', 'Por', 'Автор:'), a source credit ('Source:',
'Quelle:', 'Fuente:', 'Источник:'), a photo credit ('Photo:', 'Foto:',
'Фото:'), a date ('Published', 'Veröffentlicht am', 'Publié le'), a
copyright notice and the like. Data only, lower case, each table also as one
regex alternation (ALTERNATION) for `digest/editor/clip/lines.py` and `digest/editor/clip/names.py`. A
language is added by adding its words here.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

LANGUAGES = ("en", "de", "fr", "es", "ru")  # also the languages dates are read in

# Words right before the names: 'By X', 'Von X', 'Par X', 'Por X'.
BYLINE_WORDS: Mapping[str, tuple[str, ...]] = {
    "en": ("by", "written by", "words by", "story by", "text by", "posted by"),
    "de": ("von", "ein beitrag von", "ein kommentar von", "eine analyse von"),
    "fr": ("par", "un article de"),
    "es": ("por", "un artículo de"),
    "ru": (),
}
# Labels before the names: 'Author: X', 'Autorin: X', 'Auteur : X', 'Автор: X'.
BYLINE_LABELS: Mapping[str, tuple[str, ...]] = {
    "en": ("author", "authors", "byline", "writer", "reporter"),
    "de": ("autor", "autorin", "autoren", "text"),
    "fr": ("auteur", "auteurs", "autrice", "texte"),
    "es": ("autor", "autora", "autores", "texto"),
    "ru": ("автор", "авторы", "текст", "автор материала"),
}
# Between two names: 'X and Y', 'X und Y', 'X et Y', 'X y Y', 'X и Y'.
AND_WORDS: Mapping[str, tuple[str, ...]] = {
    "en": ("and",), "de": ("und",), "fr": ("et",), "es": ("y", "e"), "ru": ("и",),
}
# Between a name and the outlet the person wrote for: 'X for The Guardian'.
FOR_WORDS: Mapping[str, tuple[str, ...]] = {
    "en": ("for",), "de": ("für",), "fr": ("pour",), "es": ("para",), "ru": ("для",),
}
# A job title on the line under a byline, or after it: 'Political editor'.
ROLE_WORDS: Mapping[str, tuple[str, ...]] = {
    "en": ("editor", "correspondent", "reporter", "writer", "columnist", "journalist", "contributor",
           "analyst", "producer", "staff", "bureau chief"),
    "de": ("korrespondent", "korrespondentin", "redakteur", "redakteurin", "reporterin", "autorin",
           "kolumnist", "kolumnistin"),
    "fr": ("correspondant", "correspondante", "journaliste", "rédacteur", "rédactrice", "envoyé spécial",
           "envoyée spéciale", "chroniqueur", "chroniqueuse"),
    "es": ("corresponsal", "periodista", "redactor", "redactora", "enviado especial", "enviada especial",
           "columnista"),
    "ru": ("корреспондент", "обозреватель", "редактор", "журналист", "колумнист"),
}
# 'Source: [Outlet](url)'.
SOURCE_LABELS: Mapping[str, tuple[str, ...]] = {
    "en": ("source", "original source", "originally from"),
    "de": ("quelle", "originalquelle", "erstveröffentlichung"),
    "fr": ("source", "source originale"),
    "es": ("fuente", "fuente original"),
    "ru": ("источник", "первоисточник", "оригинал"),
}
# 'This article first appeared on X' and its kin, as patterns (after them: the outlet).
ORIGIN_PHRASES: Mapping[str, tuple[str, ...]] = {
    "en": (r"the original source of this (?:article|story|piece|report) is",
           r"(?:this (?:article|story|piece|report|column|op-ed|interview) (?:was )?|it was )?"
           r"(?:originally|first) (?:published|posted|appeared|ran)(?: (?:by|at|on|in))?",
           r"this (?:article|story|piece|report|column|op-ed|interview) (?:first |originally )?appeared (?:on|in|at)",
           r"republished (?:with permission )?(?:from|by)",
           r"read the original(?: article| story)? (?:at|on|in)"),
    "de": (r"(?:dieser (?:artikel|beitrag|text) )?(?:erschien|ist) (?:zuerst|ursprünglich|erstmals)"
           r"(?: erschienen)? (?:bei|in|im|auf)",
           r"zuerst erschienen (?:bei|in|im|auf)"),
    "fr": (r"(?:cet article|ce texte) (?:a été )?(?:publié|paru) (?:initialement|d'abord|à l'origine)"
           r" (?:par|dans|sur)",
           r"(?:publié|paru) (?:initialement|d'abord|à l'origine) (?:par|dans|sur)"),
    "es": (r"(?:este artículo|esta nota) (?:fue )?publicad[oa] originalmente (?:en|por)",
           r"publicad[oa] originalmente (?:en|por)"),
    "ru": (r"(?:материал|статья) (?:был[аo]? )?(?:впервые|первоначально) опубликован[аo]? (?:в|на)",
           r"(?:впервые|первоначально) опубликовано (?:в|на)"),
}
# A copyright notice: '© X', 'Copyright X', and the 'all rights reserved' sentence.
COPYRIGHT_WORDS: Mapping[str, tuple[str, ...]] = {
    "en": ("copyright", "all rights reserved"),
    "de": ("alle rechte vorbehalten",),
    "fr": ("tous droits réservés",),
    "es": ("todos los derechos reservados",),
    "ru": ("все права защищены",),
}
# 'Photo: X/Reuters', 'Foto: X', 'Crédit photo : X', 'Фото: X'.
PHOTO_LABELS: Mapping[str, tuple[str, ...]] = {
    "en": ("photo", "photos", "photograph", "photographs", "photography", "picture", "pictures", "image",
           "images", "credit", "photo credit", "image credit", "illustration", "file photo", "caption",
           "photo illustration"),
    "de": ("foto", "fotos", "bild", "bilder", "bildquelle", "fotoquelle", "bildunterschrift", "grafik"),
    "fr": ("photo", "photos", "crédit photo", "crédits photo", "crédit", "crédits", "illustration", "image"),
    "es": ("foto", "fotos", "fotografía", "imagen", "crédito", "ilustración"),
    "ru": ("фото", "фотография", "иллюстрация", "изображение", "кадр"),
}
# Words before a date: 'Published', 'Veröffentlicht am', 'Publié le', 'Publicado el', 'Опубликовано'.
DATE_LABELS: Mapping[str, tuple[str, ...]] = {
    "en": ("published", "published on", "first published", "first published on", "originally published",
           "posted", "posted on", "updated", "updated on", "last updated", "last modified", "date", "dated",
           "created"),
    "de": ("veröffentlicht", "veröffentlicht am", "aktualisiert", "aktualisiert am", "zuletzt aktualisiert",
           "stand", "erschienen am", "datum"),
    "fr": ("publié", "publié le", "mis à jour", "mis à jour le", "modifié le", "date"),
    "es": ("publicado", "publicado el", "actualizado", "actualizado el", "fecha"),
    "ru": ("опубликовано", "обновлено", "дата публикации", "дата", "обновлено в"),
}
# Labels of a taxonomy line: 'Tags: a, b', 'Schlagwörter: a', 'Теги: a'; 'Region: X', 'Pays : X'.
TAG_LABELS: Mapping[str, tuple[str, ...]] = {
    "en": ("tag", "tags", "topic", "topics", "theme", "themes", "keyword", "keywords", "subject", "subjects",
           "category", "categories"),
    "de": ("schlagwort", "schlagwörter", "stichwort", "stichwörter", "thema", "themen", "kategorie",
           "kategorien"),
    "fr": ("mot-clé", "mots-clés", "étiquette", "étiquettes", "sujet", "sujets", "thème", "thèmes",
           "catégorie", "catégories"),
    "es": ("etiqueta", "etiquetas", "tema", "temas", "palabras clave", "categoría", "categorías"),
    "ru": ("тег", "теги", "метки", "тема", "темы", "рубрика", "рубрики", "ключевые слова"),
}
REGION_LABELS: Mapping[str, tuple[str, ...]] = {
    "en": ("region", "regions", "country", "countries", "location", "locations", "place", "places"),
    "de": ("region", "regionen", "land", "länder"),
    "fr": ("région", "régions", "pays"),
    "es": ("región", "regiones", "país", "países"),
    "ru": ("регион", "регионы", "страна", "страны"),
}
# Credits under a wire story: 'Reporting by X; Editing by Y'.
DESK_CREDITS: Mapping[str, tuple[str, ...]] = {
    "en": ("reporting by", "additional reporting by", "writing by", "editing by", "edited by", "compiled by",
           "graphics by", "research by"),
    "de": ("mit material von", "mitarbeit"),
    "fr": ("avec la collaboration de", "édité par"),
    "es": ("con información de", "edición de", "editado por"),
    "ru": ("при участии", "редактор"),
}
# 'N min read' in each language, as patterns.
READ_TIME: Mapping[str, tuple[str, ...]] = {
    "en": (r"\d+\s*min(?:ute)?s?\.?(?:\s+read)?", r"reading time:?\s*\d+\s*min(?:ute)?s?"),
    "de": (r"\d+\s*min(?:uten?)?\.?\s+lesezeit", r"lesezeit:?\s*\d+\s*min(?:uten?)?\.?"),
    "fr": (r"\d+\s*min(?:utes?)?\s+de\s+lecture", r"lecture\s*:?\s*\d+\s*min(?:utes?)?"),
    "es": (r"\d+\s*min(?:utos?)?\.?\s+de\s+lectura", r"lectura:?\s*\d+\s*min(?:utos?)?\.?"),
    "ru": (r"\d+\s*мин(?:ут[аы]?)?\.?\s+на\s+чтение", r"время чтения:?\s*\d+\s*мин(?:ут[аы]?)?\.?"),
}
# Lines a wire service adds under every story.
WIRE_FOOTERS = (r"our standards:\s*the thomson reuters trust principles\.?",
                r"the thomson reuters trust principles\.?",
                r"this material may not be published, broadcast, rewritten,? or redistributed\.?",
                r"the associated press contributed to this report\.?")


# Each table as one regex alternation. Literal tables are escaped and put longest first, so
# 'first published on' is tried before 'published'; pattern tables are used as written.
LITERAL: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "byline_word": BYLINE_WORDS, "byline_label": BYLINE_LABELS, "and": AND_WORDS, "for": FOR_WORDS,
    "role": ROLE_WORDS, "source_label": SOURCE_LABELS, "copyright": COPYRIGHT_WORDS, "photo_label": PHOTO_LABELS,
    "date_label": DATE_LABELS, "desk_credit": DESK_CREDITS,
}
ALTERNATION: Mapping[str, str] = {
    **{name: "(?:" + "|".join(re.escape(word) for word in sorted(sorted({w for ws in table.values() for w in ws}),
                                                                 key=len, reverse=True)) + ")"
       for name, table in LITERAL.items()},
    "origin": "(?:" + "|".join(p for ps in ORIGIN_PHRASES.values() for p in ps) + ")",
    "read_time": "(?:" + "|".join(p for ps in READ_TIME.values() for p in ps) + ")",
    "wire_footer": "(?:" + "|".join(WIRE_FOOTERS) + ")",
}
