"""The full-text index over kb_searchdoc.text_bigrams, in each database's own terms.

SQLite: an external-content FTS5 table kept in sync by triggers (candidates newest first; fankui.kb.textsearch ranks).
PostgreSQL: a generated tsvector column ('simple' configuration: the text is already bigrams)
with a GIN index (ts_rank ranks). The ORM never reads either; fankui.kb.search does, in raw SQL.
"""
from __future__ import annotations

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE kb_searchdoc_fts USING fts5(text_bigrams, content='kb_searchdoc', content_rowid='id', tokenize='unicode61')",
    """CREATE TRIGGER kb_searchdoc_fts_insert AFTER INSERT ON kb_searchdoc BEGIN
         INSERT INTO kb_searchdoc_fts(rowid, text_bigrams) VALUES (new.id, new.text_bigrams);
       END""",
    """CREATE TRIGGER kb_searchdoc_fts_delete AFTER DELETE ON kb_searchdoc BEGIN
         INSERT INTO kb_searchdoc_fts(kb_searchdoc_fts, rowid, text_bigrams) VALUES ('delete', old.id, old.text_bigrams);
       END""",
    """CREATE TRIGGER kb_searchdoc_fts_update AFTER UPDATE OF text_bigrams ON kb_searchdoc BEGIN
         INSERT INTO kb_searchdoc_fts(kb_searchdoc_fts, rowid, text_bigrams) VALUES ('delete', old.id, old.text_bigrams);
         INSERT INTO kb_searchdoc_fts(rowid, text_bigrams) VALUES (new.id, new.text_bigrams);
       END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS kb_searchdoc_fts_update",
    "DROP TRIGGER IF EXISTS kb_searchdoc_fts_delete",
    "DROP TRIGGER IF EXISTS kb_searchdoc_fts_insert",
    "DROP TABLE IF EXISTS kb_searchdoc_fts",
]
POSTGRES_FORWARD = [
    "ALTER TABLE kb_searchdoc ADD COLUMN tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', text_bigrams)) STORED",
    "CREATE INDEX kb_searchdoc_tsv ON kb_searchdoc USING gin (tsv)",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS kb_searchdoc_tsv", "ALTER TABLE kb_searchdoc DROP COLUMN IF EXISTS tsv"]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("kb", "0002_deflection_searchdoc")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
