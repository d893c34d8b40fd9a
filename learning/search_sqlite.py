"""Wagtail's SQLite FTS5 search, with double quotes inside words escaped.

modelsearch writes each word as an FTS5 string (`"visum"`) but copies a
double quote inside the word as it is, so `"visum` or `visum"` typed into any
admin search box ended the string early and the page answered 500. FTS5
escapes a quote inside a string by doubling it; the word then matches as the
tokenizer reads it (punctuation is not part of any token). Our own screens
clean what people type first (`learning.search`); this covers Wagtail's.

Imported only on SQLite with FTS5 (see `learning.search.SearchBackend`).
"""

from wagtail.search.backends.database.sqlite.sqlite import (
    SQLiteAutocompleteQueryCompiler,
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
)
from wagtail.search.query import Phrase, PlainText

__all__ = ["QuotingSQLiteSearchBackend", "SQLiteSearchBackend"]


def _fts5_string_content(text: str) -> str:
    # SQLite reads the query as a C string, so a NUL would end it too; a dot is
    # punctuation to the tokenizer, and unlike a space it keeps a word a word.
    return text.replace("\x00", ".").replace('"', '""')


class _QuotesEscaped:
    def build_search_query_content(self, query, config=None):
        if isinstance(query, PlainText):
            query = PlainText(
                _fts5_string_content(query.query_string), operator=query.operator
            )
        elif isinstance(query, Phrase):
            query = Phrase(_fts5_string_content(query.query_string))
        return super().build_search_query_content(query, config=config)


class QuotingSearchQueryCompiler(_QuotesEscaped, SQLiteSearchQueryCompiler):
    pass


class QuotingAutocompleteQueryCompiler(_QuotesEscaped, SQLiteAutocompleteQueryCompiler):
    pass


class QuotingSQLiteSearchBackend(SQLiteSearchBackend):
    query_compiler_class = QuotingSearchQueryCompiler
    autocomplete_query_compiler_class = QuotingAutocompleteQueryCompiler
