"""Search over contacts and organizations: one box, PostgreSQL full-text search, prefix matching.

The documents are kept by contacts.search_index ('simple' configuration, weights A names, B emails /
title / company, C tags and location, D facts). A search reads them in one query per model:

1. The input is cut into words; each word becomes a prefix match (`smi` finds Smith) and the words
   are ANDed. User text never reaches `to_tsquery` as syntax: every operand is a quoted run of
   letters and digits (plus `.`, `@`, `-` inside a compound such as `booking.com` or an email
   address), so `&`, `|`, `!`, `(`, `:`, `*` or quotes typed into the box are separators.
2. A one-character word is only matched whole: a prefix of one letter would make the GIN index merge
   the postings of every word starting with it.
3. Only a bounded candidate set is ranked: the sources (the exact email address, the exact words,
   then the prefixes) are subqueries the GIN indexes answer, and the first CANDIDATE_LIMIT ids they
   give are ranked with `ts_rank` and ordered. Nothing counts or ranks every hit: a common word
   costs about what a rare one does.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet

from contacts.models import Contact, Organization
from contacts.normalize import domain_normalize, email_normalize

CONTACT_LIMIT = 20
ORGANIZATION_LIMIT = 10
# Rows per source ranked at most; the page shows 20, so 200 leaves room for a good order.
CANDIDATE_LIMIT = 200
MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
# A shorter word is matched whole: a one-letter prefix would make the GIN index merge the postings
# of a large share of all words. Two letters cost ~20 ms at a million contacts; three, under 10.
MIN_PREFIX_LENGTH = 2
# ts_rank weights for D, C, B, A: facts, tags and location, emails / title / company, names.
RANK_WEIGHTS = [0.1, 0.2, 0.4, 1.0]

WORD_PIECE = re.compile(r"[^\W_]+")
# "booking.com", "ana.smith@mail.example": the parser keeps these whole in the documents.
COMPOUND = re.compile(r"[^\W_]+(?:[.@-][^\W_]+)*[.@][^\W_]+(?:[.@-][^\W_]+)*")
# A word without the punctuation around it: "(booking.com)," -> "booking.com".
CORE = re.compile(r"[^\W_](?:.*[^\W_])?")
DOMAIN = re.compile(r"[^\W_]+(?:[.-][^\W_]+)*\.[^\W_]{2,}")


@dataclass(frozen=True)
class ParsedQuery:
    """The search input, made safe: tsquery texts for to_tsquery('simple', ...) built only from
    quoted letters and digits, plus the email address or domain the input may be."""

    prefix_tsquery: str = ""
    exact_tsquery: str = ""
    email: str = ""
    domain: str = ""

    def __bool__(self) -> bool:
        return bool(self.prefix_tsquery or self.email or self.domain)


def _operand(lexeme: str, *, prefix: bool) -> str:
    return f"'{lexeme}':*" if prefix and len(lexeme) >= MIN_PREFIX_LENGTH else f"'{lexeme}'"


def _word_tsquery(word: str, *, prefix: bool) -> str:
    """One typed word as a tsquery term; "" when it holds no letter or digit."""
    pieces = WORD_PIECE.findall(word)
    if not pieces:
        return ""
    if len(pieces) == 1:
        return _operand(pieces[0], prefix=prefix)
    core = CORE.search(word).group()
    if not COMPOUND.fullmatch(core):
        # "o'brien", "mary-jane": the documents hold each piece as a word.
        return "(" + " & ".join(_operand(piece, prefix=prefix) for piece in pieces) + ")"
    # The parser keeps "booking.com" or "ana@acme.io" as one lexeme, but splits "a@b" into
    # one-letter words, which must not become prefixes.
    whole = _operand(core, prefix=prefix and min(map(len, pieces)) >= MIN_PREFIX_LENGTH)
    if "@" in core:
        local_part, _, host = core.rpartition("@")
        if "." not in host:
            # Half typed ("ana.smith@mai"): the parser would split it; search the local part.
            return _word_tsquery(local_part, prefix=prefix)
        # An address is its own lexeme; its parts ("mail", "com") would match most rows.
        return whole
    # "acme.com" is also the parts of every address at acme.com: whole words there, no prefixes.
    return f"({whole} | " + " & ".join(_operand(piece, prefix=False) for piece in pieces) + ")"


def _tsquery(words: list[str], *, prefix: bool) -> str:
    terms = [_word_tsquery(word, prefix=prefix) for word in words]
    return " & ".join(dict.fromkeys(term for term in terms if term))


def _email(text: str) -> str:
    if "@" not in text or any(char.isspace() for char in text):
        return ""
    try:
        return email_normalize(text)
    except ValidationError:
        return ""


def query_parse(raw: str) -> ParsedQuery:
    """Turn what was typed into the search box into safe tsquery texts."""
    text = (raw or "").strip().lower()[:MAX_QUERY_LENGTH]
    words = [word for word in text.split() if WORD_PIECE.search(word)][:MAX_WORDS]
    email = _email(text)
    domain = email.rpartition("@")[2] if email else ""
    if not domain and len(words) == 1 and "@" not in words[0]:
        candidate = domain_normalize(words[0])
        domain = candidate if DOMAIN.fullmatch(candidate) else ""
    return ParsedQuery(
        prefix_tsquery=_tsquery(words, prefix=True),
        exact_tsquery=_tsquery(words, prefix=False),
        email=email,
        domain=domain,
    )


def _text_query(tsquery: str) -> SearchQuery:
    return SearchQuery(tsquery, config="simple", search_type="raw")


def _ranked(queryset: QuerySet, parsed: ParsedQuery, candidate_ids: QuerySet) -> QuerySet:
    """The candidates, best first: exact words count twice, prefixes once; sort name breaks ties."""
    if parsed.prefix_tsquery:
        rank = SearchRank(
            F("search_vector"), _text_query(parsed.prefix_tsquery), weights=RANK_WEIGHTS
        ) + SearchRank(F("search_vector"), _text_query(parsed.exact_tsquery), weights=RANK_WEIGHTS)
        queryset = queryset.annotate(search_rank=rank)
    return queryset.filter(pk__in=candidate_ids)


def _text_candidates(model: type[Contact | Organization], parsed: ParsedQuery) -> list[QuerySet]:
    if not parsed.prefix_tsquery:
        return []
    sources = [parsed.exact_tsquery]
    if parsed.prefix_tsquery != parsed.exact_tsquery:
        sources.append(parsed.prefix_tsquery)
    return [
        model.objects.filter(search_vector=_text_query(tsquery))
        .order_by()
        .values("pk")[:CANDIDATE_LIMIT]
        for tsquery in sources
    ]


def _candidates(sources: list[QuerySet]) -> QuerySet:
    """The first CANDIDATE_LIMIT ids of the sources, in order. PostgreSQL runs a UNION ALL's
    parts one after the other and stops when the limit is reached, so when the exact words fill
    the set, the dearer prefix scan never runs."""
    first, *others = sources
    return first.union(*others, all=True)[:CANDIDATE_LIMIT] if others else first


def contact_search_queryset(*, query: str, limit: int = CONTACT_LIMIT) -> QuerySet[Contact] | None:
    """The contacts matching `query`, best first, as one query; None when there is nothing to
    search for. Contacts whose address is exactly the typed email come first."""
    parsed = query_parse(query)
    sources = _text_candidates(Contact, parsed)
    if parsed.email:
        # Unsliced on purpose: with a LIMIT the planner reckons a sequential scan finds the few
        # owners of an address early, and reads the whole table; without, it uses the GIN index.
        sources.insert(
            0, Contact.objects.filter(emails__contains=[parsed.email]).order_by().values("pk")
        )
    if not sources or limit <= 0:
        return None
    queryset = _ranked(
        Contact.objects.select_related("organization").defer(
            "search_vector", "organization__search_vector"
        ),
        parsed,
        _candidates(sources),
    )
    order = ["sort_name", "pk"]
    if parsed.prefix_tsquery:
        order.insert(0, F("search_rank").desc())
    if parsed.email:
        queryset = queryset.annotate(
            email_match=ExpressionWrapper(
                Q(emails__contains=[parsed.email]), output_field=BooleanField()
            )
        )
        order.insert(0, F("email_match").desc())
    return queryset.order_by(*order)[:limit]


def contact_search(*, query: str, limit: int = CONTACT_LIMIT) -> list[Contact]:
    """Contacts matching names, emails, titles, companies, tags and facts; [] without a query."""
    queryset = contact_search_queryset(query=query, limit=limit)
    return [] if queryset is None else list(queryset)


def organization_search_queryset(
    *, query: str, limit: int = ORGANIZATION_LIMIT
) -> QuerySet[Organization] | None:
    """The organizations matching `query` by name, domain or industry, best first; the one whose
    domain is the typed domain (or the typed email's domain) comes first."""
    parsed = query_parse(query)
    sources = _text_candidates(Organization, parsed)
    if parsed.domain:
        sources.insert(
            0,
            Organization.objects.filter(domain=parsed.domain)
            .exclude(domain="")
            .order_by()
            .values("pk"),
        )
    if not sources or limit <= 0:
        return None
    queryset = _ranked(Organization.objects.defer("search_vector"), parsed, _candidates(sources))
    order = ["name", "pk"]
    if parsed.prefix_tsquery:
        order.insert(0, F("search_rank").desc())
    if parsed.domain:
        queryset = queryset.annotate(
            domain_match=ExpressionWrapper(Q(domain=parsed.domain), output_field=BooleanField())
        )
        order.insert(0, F("domain_match").desc())
    return queryset.order_by(*order)[:limit]


def organization_search(*, query: str, limit: int = ORGANIZATION_LIMIT) -> list[Organization]:
    """Organizations matching names, domains and industries; [] without a query."""
    queryset = organization_search_queryset(query=query, limit=limit)
    return [] if queryset is None else list(queryset)
