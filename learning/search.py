"""What a person types into a search box, made safe for every place that searches.

Two layers, because text reaches the search index by two roads:

- our own screens clean the text (`clean_search_text`) and read "quoted
  words" as a phrase (`search_query`, `query_terms`);
- Wagtail's admin passes its search box straight to the backend, so the
  backend named in `WAGTAILSEARCH_BACKENDS` (`SearchBackend` below) is
  Wagtail's database backend, except that on SQLite a double quote inside a
  word no longer breaks the FTS5 query (modelsearch quotes each word but
  leaves quotes within it as they are: `"visum` gave "unterminated string").
"""

import unicodedata

from django.db import connection

from wagtail.search.backends.database import SearchBackend as DatabaseSearchBackend
from wagtail.search.query import And, Phrase, PlainText, SearchQuery

# Longer queries say nothing more and only make the database work harder.
MAX_QUERY_LENGTH = 200

# Phones type typographic quotes as often as straight ones.
_QUOTES = str.maketrans(dict.fromkeys("“”„‟«»＂", '"'))


def clean_search_text(text: str, *, max_length: int = MAX_QUERY_LENGTH) -> str:
    """`text` without control characters (NUL included), spaces squeezed, cut short.

    Tabs and line breaks become spaces; other control and format characters
    are dropped. At most `max_length` characters are kept.
    """
    kept = []
    for char in text[: max_length * 4]:
        category = unicodedata.category(char)
        if char.isspace():
            kept.append(" ")
        elif category[0] != "C":  # Cc control, Cf format, Cs/Co/Cn: not text
            kept.append(char)
    return " ".join("".join(kept).split())[:max_length].strip()


def query_terms(text: str) -> list[str]:
    """The words and "quoted phrases" in what a person typed, in order.

    Text between a pair of double quotes stays together as one phrase; a
    quote without its partner is ignored, so `"visum` is the word visum.
    """
    pieces = clean_search_text(text).translate(_QUOTES).split('"')
    if len(pieces) % 2 == 0:
        # An odd number of quotes: the last one opens nothing.
        pieces[-2:] = [pieces[-2] + pieces[-1]]
    terms: list[str] = []
    for position, piece in enumerate(pieces):
        if position % 2:
            if phrase := " ".join(piece.split()):
                terms.append(phrase)
        else:
            terms.extend(piece.split())
    return terms


def search_query(text: str) -> SearchQuery | None:
    """`text` as a Wagtail search query: its words, and its quoted phrases.

    None when nothing searchable is left. Words are matched as Wagtail does by
    default; each phrase must appear as written.
    """
    terms = query_terms(text)
    words = [term for term in terms if " " not in term]
    parts: list[SearchQuery] = [Phrase(term) for term in terms if " " in term]
    if words:
        parts.insert(0, PlainText(" ".join(words)))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(parts)


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in BACKEND
    """Wagtail's database backend, with quotes in words escaped on SQLite."""
    backend = DatabaseSearchBackend(params)
    if connection.vendor != "sqlite":
        return backend
    # Only importable where SQLite has FTS5; imported here for that reason.
    from .search_sqlite import QuotingSQLiteSearchBackend, SQLiteSearchBackend

    if type(backend) is not SQLiteSearchBackend:
        return backend  # SQLite without FTS5: the plain fallback has no syntax
    return QuotingSQLiteSearchBackend(params)
