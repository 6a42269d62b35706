from django.db import models


class SearchWord(models.Model):
    """A word (lexeme) of the search index and how many searchable documents hold it.

    Kept up to date on PostgreSQL by triggers on the indexed tables (migrations
    ideas 0006 and cms 0007), never by application code. The row with the empty word
    counts the documents themselves. The search looks words up here to find the
    compounds a query word is part of, to correct a misspelt word to one that exists,
    and to weigh rare words above common ones ("similar ideas").
    """

    class Source(models.TextChoices):
        IDEAS = "ideas", "ideas"
        PAGES = "pages", "pages"

    source = models.CharField(max_length=10, choices=Source.choices)
    word = models.TextField()
    documents = models.IntegerField(default=0)

    class Meta:
        db_table = "search_word"
        constraints = [
            models.UniqueConstraint(fields=["source", "word"], name="search_word_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.word} ({self.documents})"
