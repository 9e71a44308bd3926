"""pg_trgm on PostgreSQL, for the search's trigram similarity (`TermQuerySet.like`).

`TrigramExtension` does nothing on other databases (Django's `CreateExtension` checks the
connection's vendor): there `glossary.trigrams` computes the same numbers in Python.

No trigram index: search compares the query with every published name and alias (a few
dozen) and ranks them all, so PostgreSQL reads the whole table whatever index there is.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("glossary", "0003_term_body_html")]

    operations = [TrigramExtension()]
