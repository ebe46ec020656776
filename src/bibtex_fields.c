/* bibtex_fields.c: the maps between BibTeX/biblatex entry types and fields and the CSL data
 * model (CSL 1.0.2 Appendix III/IV; biblatex manual §2.1-2.2; BibTeX's standard styles). The
 * maps are inverse to each other: reading a field and writing its variable back gives the
 * field again, so import -> export -> import is a fixed point. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bibtex.h"

typedef struct type_map {
    const char *bibtex;
    const char *csl;
} type_map;

/* Sorted by BibTeX type. */
static const type_map types_in[] = {
    { "article", "article-journal" },
    { "artwork", "graphic" },
    { "audio", "song" },
    { "book", "book" },
    { "bookinbook", "chapter" },
    { "booklet", "pamphlet" },
    { "collection", "book" },
    { "commentary", "book" },
    { "conference", "paper-conference" },
    { "dataset", "dataset" },
    { "electronic", "webpage" },
    { "image", "graphic" },
    { "inbook", "chapter" },
    { "incollection", "chapter" },
    { "inproceedings", "paper-conference" },
    { "inreference", "entry-encyclopedia" },
    { "jurisdiction", "legal_case" },
    { "legislation", "legislation" },
    { "letter", "personal_communication" },
    { "manual", "book" },
    { "manuscript", "manuscript" },
    { "mastersthesis", "thesis" },
    { "misc", "document" },
    { "movie", "motion_picture" },
    { "music", "song" },
    { "mvbook", "book" },
    { "mvcollection", "book" },
    { "mvproceedings", "book" },
    { "mvreference", "book" },
    { "online", "webpage" },
    { "patent", "patent" },
    { "performance", "performance" },
    { "periodical", "periodical" },
    { "phdthesis", "thesis" },
    { "proceedings", "book" },
    { "reference", "book" },
    { "report", "report" },
    { "review", "review" },
    { "software", "software" },
    { "standard", "standard" },
    { "suppbook", "chapter" },
    { "suppcollection", "chapter" },
    { "suppperiodical", "article-journal" },
    { "techreport", "report" },
    { "thesis", "thesis" },
    { "unpublished", "manuscript" },
    { "video", "motion_picture" },
    { "www", "webpage" },
};

/* CSL type -> the BibTeX type written when the record kept none. */
static const type_map types_out[] = {
    { "article", "article" },
    { "article-journal", "article" },
    { "article-magazine", "article" },
    { "article-newspaper", "article" },
    { "book", "book" },
    { "chapter", "incollection" },
    { "dataset", "dataset" },
    { "entry-encyclopedia", "inreference" },
    { "graphic", "artwork" },
    { "legal_case", "jurisdiction" },
    { "legislation", "legislation" },
    { "manuscript", "unpublished" },
    { "motion_picture", "video" },
    { "pamphlet", "booklet" },
    { "paper-conference", "inproceedings" },
    { "patent", "patent" },
    { "performance", "performance" },
    { "periodical", "periodical" },
    { "personal_communication", "letter" },
    { "report", "techreport" },
    { "review", "review" },
    { "software", "software" },
    { "song", "audio" },
    { "standard", "standard" },
    { "thesis", "phdthesis" },
    { "webpage", "online" },
};

static int type_cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const type_map *)elem)->bibtex);
}

const char *cite_bibtex_csl_type(const char *bibtype)
{
    const type_map *t =
        bsearch(bibtype, types_in, CITE_ARRAY_LEN(types_in), sizeof(types_in[0]), type_cmp);
    return t ? t->csl : "document";
}

const char *cite_bibtex_default_type(const char *csl_type)
{
    const type_map *t =
        bsearch(csl_type, types_out, CITE_ARRAY_LEN(types_out), sizeof(types_out[0]), type_cmp);
    return t ? t->csl : "misc";
}

/* Fields whose variable does not depend on the entry type. Sorted by BibTeX name. */
static const bib_field_map fields[] = {
    { "abstract", "abstract", BIB_TEXT },
    { "address", "publisher-place", BIB_TEXT },
    { "annotation", "annote", BIB_TEXT },
    { "annote", "annote", BIB_TEXT },
    { "author", "author", BIB_NAMES },
    { "bookauthor", "container-author", BIB_NAMES },
    { "booksubtitle", NULL, BIB_TITLE },
    { "booktitle", "container-title", BIB_TITLE },
    { "chapter", "chapter-number", BIB_TEXT },
    { "commentator", NULL, BIB_NAMES },
    { "date", "issued", BIB_DATE },
    { "doi", "DOI", BIB_VERBATIM },
    { "edition", "edition", BIB_TEXT },
    { "eid", "number", BIB_TEXT },
    { "editor", "editor", BIB_NAMES },
    { "editora", NULL, BIB_NAMES },
    { "editorb", NULL, BIB_NAMES },
    { "editorc", NULL, BIB_NAMES },
    { "eprint", NULL, BIB_VERBATIM },
    { "eventdate", "event-date", BIB_DATE },
    { "eventtitle", "event", BIB_TITLE },
    { "file", NULL, BIB_VERBATIM },
    { "foreword", NULL, BIB_NAMES },
    { "holder", NULL, BIB_NAMES },
    { "institution", "publisher", BIB_TEXT },
    { "isbn", "ISBN", BIB_TEXT },
    { "issn", "ISSN", BIB_TEXT },
    { "issuetitle", NULL, BIB_TITLE },
    { "journal", "container-title", BIB_TITLE },
    { "journalsubtitle", NULL, BIB_TITLE },
    { "journaltitle", "container-title", BIB_TITLE },
    { "keywords", "keyword", BIB_TEXT },
    { "language", "language", BIB_TEXT },
    { "location", "publisher-place", BIB_TEXT },
    { "mainsubtitle", NULL, BIB_TITLE },
    { "maintitle", NULL, BIB_TITLE },
    { "note", "note", BIB_TEXT },
    { "organization", NULL, BIB_TEXT },
    { "origdate", "original-date", BIB_DATE },
    { "origtitle", "original-title", BIB_TITLE },
    { "pages", "page", BIB_TEXT },
    { "pagetotal", "number-of-pages", BIB_TEXT },
    { "pdf", NULL, BIB_VERBATIM },
    { "pmcid", "PMCID", BIB_TEXT },
    { "pmid", "PMID", BIB_TEXT },
    { "publisher", "publisher", BIB_TEXT },
    { "school", "publisher", BIB_TEXT },
    { "series", "collection-title", BIB_TITLE },
    { "shortjournal", "container-title-short", BIB_TITLE },
    { "shorttitle", "title-short", BIB_TITLE },
    { "subtitle", NULL, BIB_TITLE },
    { "title", "title", BIB_TITLE },
    { "titleaddon", NULL, BIB_TITLE },
    { "translator", "translator", BIB_NAMES },
    { "type", "genre", BIB_TEXT },
    { "url", "URL", BIB_VERBATIM },
    { "urldate", "accessed", BIB_DATE },
    { "venue", "event-place", BIB_TEXT },
    { "version", "version", BIB_TEXT },
    { "volume", "volume", BIB_TEXT },
    { "volumes", "number-of-volumes", BIB_TEXT },
};

static int field_cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const bib_field_map *)elem)->bibtex);
}

static const bib_field_map *field_lookup(const char *name)
{
    return bsearch(name, fields, CITE_ARRAY_LEN(fields), sizeof(fields[0]), field_cmp);
}

/* In an article `number` is the issue (BibTeX's article style); elsewhere it is a report or
 * series number. biblatex's `issue` ("Spring") is the issue too; when an article has both,
 * the reader keeps the second as a field of its own. */
static bool is_article(const char *bibtype)
{
    return strcmp(bibtype, "article") == 0 || strcmp(bibtype, "periodical") == 0 ||
           strcmp(bibtype, "suppperiodical") == 0;
}

bib_field_map cite_bibtex_field_in(const char *bibtype, const char *name)
{
    if (strcmp(name, "number") == 0)
        return (bib_field_map){ name, is_article(bibtype) ? "issue" : "number", BIB_TEXT };
    if (strcmp(name, "issue") == 0)
        return (bib_field_map){ name, "issue", BIB_TEXT };
    const bib_field_map *f = field_lookup(name);
    return f ? *f : (bib_field_map){ name, NULL, BIB_TEXT };
}

bib_conv cite_bibtex_conv(const char *name)
{
    const bib_field_map *f = field_lookup(name);
    if (f)
        return f->conv;
    /* A field named after a CSL variable converts as the fields that map to it do. */
    for (size_t i = 0; i < CITE_ARRAY_LEN(fields); i++)
        if (fields[i].csl && strcmp(fields[i].csl, name) == 0)
            return fields[i].conv;
    return BIB_TEXT;
}

/* Variables whose field name depends on the entry type or on the dialect. */
static const char *field_out_special(const char *bibtype, const char *var, bool biblatex)
{
    if (strcmp(var, "container-title") == 0) {
        if (is_article(bibtype))
            return biblatex ? "journaltitle" : "journal";
        return "booktitle";
    }
    if (strcmp(var, "publisher-place") == 0)
        return biblatex ? "location" : "address";
    if (strcmp(var, "publisher") == 0) {
        if (strstr(bibtype, "thesis"))
            return biblatex ? "institution" : "school";
        if (strcmp(bibtype, "techreport") == 0 || strcmp(bibtype, "report") == 0)
            return "institution";
        return "publisher";
    }
    if (strcmp(var, "issue") == 0)
        return is_article(bibtype) ? "number" : "issue";
    if (strcmp(var, "number") == 0)
        return is_article(bibtype) ? "eid" : "number";
    return NULL;
}

const char *cite_bibtex_field_out(const char *bibtype, const char *var, bool biblatex)
{
    const char *special = field_out_special(bibtype, var, biblatex);
    if (special)
        return special;
    if (strcmp(var, "issued") == 0)
        return NULL; /* year/month/day or date: the writer's own job */
    const bib_field_map *same = field_lookup(var);
    if (same && same->csl && strcmp(same->csl, var) == 0)
        return same->bibtex; /* annote, edition, note...: the BibTeX name is the CSL one */
    for (size_t i = 0; i < CITE_ARRAY_LEN(fields); i++)
        if (fields[i].csl && strcmp(fields[i].csl, var) == 0)
            return fields[i].bibtex;
    return NULL;
}

static const char *const month_names[] = { "january",   "february", "march",    "april",
                                           "may",       "june",     "july",     "august",
                                           "september", "october",  "november", "december" };
static const char *const month_macros[] = { "jan", "feb", "mar", "apr", "may", "jun",
                                            "jul", "aug", "sep", "oct", "nov", "dec" };

int cite_bibtex_month(const char *s, size_t len)
{
    while (len && (s[len - 1] == '.' || s[len - 1] == ' '))
        len--;
    if (len >= 1 && len <= 2 && s[0] >= '0' && s[0] <= '9') {
        int m = s[0] - '0';
        if (len == 2) {
            if (s[1] < '0' || s[1] > '9')
                return 0;
            m = m * 10 + (s[1] - '0');
        }
        return m >= 1 && m <= 12 ? m : 0;
    }
    for (int m = 0; m < 12; m++) {
        size_t full = strlen(month_names[m]);
        if ((len == full || (len >= 3 && len < full)) && strncasecmp(s, month_names[m], len) == 0)
            return m + 1;
    }
    if (len == 4 && strncasecmp(s, "sept", 4) == 0)
        return 9;
    return 0;
}

const char *cite_bibtex_month_macro(int month)
{
    return month >= 1 && month <= 12 ? month_macros[month - 1] : NULL;
}
