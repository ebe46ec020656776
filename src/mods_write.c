/* mods_write.c: a library -> MODS 3 (Metadata Object Description Schema, the Library of
 * Congress's XML for bibliographic records; what library catalogues, repositories and
 * bibutils exchange), through libxml2's tree API, which escapes.
 *
 * One <mods ID="key"> a record in a <modsCollection>: titleInfo (and the short title as
 * type="abbreviated"), name (personal with family and given nameParts, termsOfAddress for a
 * suffix, corporate for an organisation; marcrelator role author, editor, translator),
 * originInfo (dateIssued as ISO 8601, publisher, place, edition, issuance), typeOfResource,
 * genre (MARC genre terms), relatedItem type="host" for the journal, book or proceedings a
 * part is in (with its editors, and a <part> with volume, issue, number and the page extent)
 * and type="series" for a collection, identifiers (citekey, doi, isbn, issn), location/url
 * (with dateLastAccessed), abstract, note, subject/topic for keywords, language. Markup is
 * dropped: MODS has no inline formatting. Particles stay in the family namePart, as MODS
 * has no part for them. */
#include <libxml/tree.h>
#include <string.h>

#include "buf.h"
#include "markup.h"
#include "record.h"

static const char MODS_NS[] = "http://www.loc.gov/mods/v3";

typedef struct writer {
    xmlDocPtr doc;
    xmlNsPtr ns;
    cite_buf text; /* scratch: a value without its markup */
    bool oom;
} writer;

/* <name>text</name> under parent (text plain, escaped), or NULL (oom set) on failure. */
static xmlNodePtr add(writer *w, xmlNodePtr parent, const char *name, const char *text)
{
    const xmlChar *content = NULL;
    if (text) {
        cite_buf_clear(&w->text);
        cite_markup_strip(&w->text, text);
        content = (const xmlChar *)w->text.ptr;
    }
    xmlNodePtr node = cite_buf_oom(&w->text) || !parent
                          ? NULL
                          : xmlNewTextChild(parent, w->ns, (const xmlChar *)name, content);
    w->oom |= node == NULL;
    return node;
}

static void attr(writer *w, xmlNodePtr node, const char *name, const char *value)
{
    if (node && !xmlNewProp(node, (const xmlChar *)name, (const xmlChar *)value))
        w->oom = true;
}

static const char *text_of(const cite_record *rec, const char *var)
{
    const char *v = cite_record_get_text(rec, var);
    return v && *v ? v : NULL;
}

/* ---- The record's kind ------------------------------------------------------------------- */

/* What a CSL type is in MODS: the record's MARC genre (none for a conference paper: the
 * proceedings are the conference publication), and for a part of something, the host's genre;
 * continuing: the host (or, for a periodical, the record) is a serial, not a book. */
typedef struct kind {
    const char *csl, *genre, *host_genre;
    bool continuing;
} kind;

static const kind KINDS[] = {
    { "article-journal", "article", "periodical", true },
    { "article-magazine", "article", "periodical", true },
    { "article-newspaper", "article", "newspaper", true },
    { "review", "review", "periodical", true },
    { "review-book", "review", "periodical", true },
    { "chapter", NULL, "book", false },
    { "entry-encyclopedia", NULL, "encyclopedia", false },
    { "entry-dictionary", NULL, "dictionary", false },
    { "paper-conference", NULL, "conference publication", false },
    { "book", "book", NULL, false },
    { "periodical", "periodical", NULL, false },
    { "report", "technical report", NULL, false },
    { "thesis", "thesis", NULL, false },
    { "webpage", "web site", NULL, false },
    { "patent", "patent", NULL, false },
    { "legal_case", "legal case and case notes", NULL, false },
    { "legislation", "legislation", NULL, false },
    { "map", "map", NULL, false },
    { "motion_picture", "motion picture", NULL, false },
    { "software", "computer program", NULL, false },
    { "dataset", "database", NULL, false },
    { "manuscript", "manuscript", NULL, false },
    { "personal_communication", "letter", NULL, false },
    { "interview", "interview", NULL, false },
    { "speech", "speech", NULL, false },
    { "graphic", "picture", NULL, false },
};

static const kind *kind_of(const char *csl_type)
{
    for (size_t i = 0; i < CITE_ARRAY_LEN(KINDS); i++)
        if (!strcmp(KINDS[i].csl, csl_type))
            return &KINDS[i];
    return NULL;
}

/* ---- Parts --------------------------------------------------------------------------------- */

static void put_title(writer *w, xmlNodePtr parent, const char *title, const char *type)
{
    if (!title)
        return;
    xmlNodePtr info = add(w, parent, "titleInfo", NULL);
    attr(w, type ? info : NULL, "type", type);
    add(w, info, "title", title);
}

static void put_name(writer *w, xmlNodePtr parent, const cite_name *n, const char *role)
{
    if (n->others)
        return;
    xmlNodePtr name = add(w, parent, "name", NULL);
    if (n->literal || !n->family) {
        attr(w, name, "type", "corporate");
        add(w, name, "namePart", n->literal ? n->literal : n->given ? n->given : "");
    } else {
        attr(w, name, "type", "personal");
        cite_buf family = CITE_BUF_INIT;
        if (n->non_dropping_particle)
            cite_buf_printf(&family, "%s ", n->non_dropping_particle);
        cite_buf_puts(&family, n->family);
        w->oom |= cite_buf_oom(&family);
        attr(w, add(w, name, "namePart", family.ptr), "type", "family");
        cite_buf_dispose(&family);
        if (n->given)
            attr(w, add(w, name, "namePart", n->given), "type", "given");
        if (n->suffix)
            attr(w, add(w, name, "namePart", n->suffix), "type", "termsOfAddress");
    }
    xmlNodePtr term = add(w, add(w, name, "role", NULL), "roleTerm", role);
    attr(w, term, "authority", "marcrelator");
    attr(w, term, "type", "text");
}

static void
put_names(writer *w, xmlNodePtr parent, const cite_record *rec, const char *var, const char *role)
{
    const cite_field *f = cite_record_field(rec, var);
    for (size_t i = 0; f && f->kind == CITE_VAR_NAMES && i < f->nnames; i++)
        put_name(w, parent, &f->names[i], role);
}

/* A date as ISO 8601 ("2019", "2019-10", "2019-10-04", a range as "2019/2020"), or its
 * literal. */
static void date_text(cite_buf *b, const cite_date *d)
{
    if (d->literal) {
        cite_buf_puts(b, d->literal);
        return;
    }
    const cite_date_part *ends[2] = { &d->from, d->to.year ? &d->to : NULL };
    for (size_t k = 0; k < 2 && ends[k]; k++) {
        if (k)
            cite_buf_putc(b, '/');
        cite_buf_printf(b, "%04d", ends[k]->year);
        if (ends[k]->month)
            cite_buf_printf(b, "-%02u", (unsigned)ends[k]->month);
        if (ends[k]->month && ends[k]->day)
            cite_buf_printf(b, "-%02u", (unsigned)ends[k]->day);
    }
}

static void
put_date(writer *w, xmlNodePtr parent, const char *name, const cite_record *rec, const char *var)
{
    const cite_field *f = cite_record_field(rec, var);
    if (!f || f->kind != CITE_VAR_DATE || (!f->date.literal && !f->date.from.year))
        return;
    cite_buf b = CITE_BUF_INIT;
    date_text(&b, &f->date);
    w->oom |= cite_buf_oom(&b);
    xmlNodePtr node = add(w, parent, name, b.ptr);
    if (!f->date.literal)
        attr(w, node, "encoding", "w3cdtf");
    cite_buf_dispose(&b);
}

/* <originInfo>: the date when with_date, publisher, place and edition when publication, and
 * the issuance; left out when empty. */
static void put_origin(writer *w,
                       xmlNodePtr parent,
                       const cite_record *rec,
                       bool with_date,
                       bool publication,
                       const char *issuance)
{
    const char *publisher = publication ? text_of(rec, "publisher") : NULL,
               *place = publication ? text_of(rec, "publisher-place") : NULL,
               *edition = publication ? text_of(rec, "edition") : NULL;
    xmlNodePtr origin = add(w, parent, "originInfo", NULL);
    if (!origin)
        return;
    if (with_date)
        put_date(w, origin, "dateIssued", rec, "issued");
    if (publisher)
        add(w, origin, "publisher", publisher);
    if (place)
        attr(w, add(w, add(w, origin, "place", NULL), "placeTerm", place), "type", "text");
    if (edition)
        add(w, origin, "edition", edition);
    if (issuance)
        add(w, origin, "issuance", issuance);
    if (!origin->children) {
        xmlUnlinkNode(origin);
        xmlFreeNode(origin);
    }
}

static void put_genre(writer *w, xmlNodePtr parent, const char *genre)
{
    if (genre)
        attr(w, add(w, parent, "genre", genre), "authority", "marcgt");
}

/* <part>: volume, issue, number, pages (start and end when a range, else the list). */
static void put_part(writer *w, xmlNodePtr parent, const cite_record *rec)
{
    static const char *const details[][2] = { { "volume", "volume" },
                                              { "issue", "issue" },
                                              { "number", "number" } };
    const char *page = text_of(rec, "page");
    xmlNodePtr part = NULL;
    for (size_t i = 0; i < CITE_ARRAY_LEN(details); i++) {
        const char *v = text_of(rec, details[i][0]);
        if (!v)
            continue;
        part = part ? part : add(w, parent, "part", NULL);
        xmlNodePtr detail = add(w, part, "detail", NULL);
        attr(w, detail, "type", details[i][1]);
        add(w, detail, "number", v);
    }
    if (!page)
        return;
    part = part ? part : add(w, parent, "part", NULL);
    xmlNodePtr extent = add(w, part, "extent", NULL);
    attr(w, extent, "unit", "pages");
    size_t first_end, last_start;
    if (!cite_page_range(page, &first_end, &last_start)) {
        add(w, extent, "list", page);
        return;
    }
    char *start = cite_strndup(page, first_end);
    w->oom |= !start;
    add(w, extent, "start", start);
    add(w, extent, "end", page + last_start);
    cite_free(start);
}

/* The journal, book or proceedings a part is in; k NULL: the work a record of another kind
 * names as its container (a proceedings' series, say), its title alone. */
static void put_host(writer *w, xmlNodePtr mods, const cite_record *rec, const kind *k)
{
    xmlNodePtr host = add(w, mods, "relatedItem", NULL);
    attr(w, host, "type", "host");
    put_title(w, host, text_of(rec, "container-title"), NULL);
    put_title(w, host, text_of(rec, "container-title-short"), "abbreviated");
    if (!k)
        return;
    if (!k->continuing) /* a book's editors, publisher and place are the book's */
        put_names(w, host, rec, "editor", "editor");
    put_origin(w, host, rec, false, true, k->continuing ? "continuing" : "monographic");
    put_genre(w, host, k->host_genre);
    static const char *const ids[][2] = { { "ISSN", "issn" }, { "ISBN", "isbn" } };
    for (size_t i = 0; i < CITE_ARRAY_LEN(ids); i++)
        if (text_of(rec, ids[i][0]))
            attr(w, add(w, host, "identifier", text_of(rec, ids[i][0])), "type", ids[i][1]);
    put_part(w, host, rec);
}

static void put_series(writer *w, xmlNodePtr mods, const cite_record *rec)
{
    const char *series = text_of(rec, "collection-title");
    if (!series)
        return;
    xmlNodePtr item = add(w, mods, "relatedItem", NULL);
    attr(w, item, "type", "series");
    put_title(w, item, series, NULL);
    const char *number = text_of(rec, "collection-number");
    if (number) {
        xmlNodePtr detail = add(w, add(w, item, "part", NULL), "detail", NULL);
        attr(w, detail, "type", "volume");
        add(w, detail, "number", number);
    }
}

static void put_identifiers(writer *w, xmlNodePtr mods, const cite_record *rec, bool in_host)
{
    attr(w, add(w, mods, "identifier", rec->id), "type", "citekey");
    static const char *const ids[][2] = {
        { "DOI", "doi" }, { "ISBN", "isbn" }, { "ISSN", "issn" }, { "PMID", "pmid" }
    };
    for (size_t i = 0; i < CITE_ARRAY_LEN(ids); i++) {
        bool hosts = in_host && (!strcmp(ids[i][0], "ISBN") || !strcmp(ids[i][0], "ISSN"));
        if (text_of(rec, ids[i][0]) && !hosts)
            attr(w, add(w, mods, "identifier", text_of(rec, ids[i][0])), "type", ids[i][1]);
    }
    const char *url = text_of(rec, "URL");
    if (url) {
        xmlNodePtr node = add(w, add(w, mods, "location", NULL), "url", url);
        const cite_field *accessed = cite_record_field(rec, "accessed");
        if (accessed && accessed->kind == CITE_VAR_DATE && !accessed->date.literal) {
            cite_buf b = CITE_BUF_INIT;
            date_text(&b, &accessed->date);
            w->oom |= cite_buf_oom(&b);
            attr(w, node, "dateLastAccessed", b.ptr);
            cite_buf_dispose(&b);
        }
    }
}

static void put_notes(writer *w, xmlNodePtr mods, const cite_record *rec)
{
    if (text_of(rec, "abstract"))
        add(w, mods, "abstract", text_of(rec, "abstract"));
    if (text_of(rec, "note"))
        add(w, mods, "note", text_of(rec, "note"));
    const char *keywords = text_of(rec, "keyword");
    if (keywords)
        add(w, add(w, mods, "subject", NULL), "topic", keywords);
    const char *lang = text_of(rec, "language");
    if (lang)
        attr(w, add(w, add(w, mods, "language", NULL), "languageTerm", lang), "type", "code");
}

static void put_record(writer *w, xmlNodePtr root, const cite_record *rec)
{
    const kind *k = kind_of(rec->type);
    bool part_of = k && k->host_genre;
    xmlNodePtr mods = add(w, root, "mods", NULL);
    attr(w, mods, "ID", rec->id);
    put_title(w, mods, text_of(rec, "title"), NULL);
    put_title(w, mods, text_of(rec, "title-short"), "abbreviated");
    put_names(w, mods, rec, "author", "author");
    if (!part_of || k->continuing)
        put_names(w, mods, rec, "editor", "editor");
    put_names(w, mods, rec, "translator", "translator");
    /* a part's publisher is its host's */
    const char *issuance = part_of                      ? NULL
                           : !strcmp(rec->type, "book") ? "monographic"
                           : k && k->continuing         ? "continuing"
                                                        : NULL;
    put_origin(w, mods, rec, true, !part_of, issuance);
    add(w, mods, "typeOfResource", "text");
    put_genre(w, mods, k ? k->genre : NULL);
    if (text_of(rec, "genre"))
        add(w, mods, "genre", text_of(rec, "genre"));
    if (part_of || text_of(rec, "container-title"))
        put_host(w, mods, rec, part_of ? k : NULL);
    put_series(w, mods, rec);
    put_identifiers(w, mods, rec, part_of);
    put_notes(w, mods, rec);
    if (!part_of)
        put_part(w, mods, rec);
}

int cite_mods_write(char **out, const cite_library *lib)
{
    *out = NULL;
    writer w = { .doc = xmlNewDoc((const xmlChar *)"1.0"), .text = CITE_BUF_INIT };
    xmlNodePtr root = w.doc ? xmlNewNode(NULL, (const xmlChar *)"modsCollection") : NULL;
    w.ns = root ? xmlNewNs(root, (const xmlChar *)MODS_NS, NULL) : NULL;
    w.oom = !w.ns;
    if (!w.oom) {
        xmlSetNs(root, w.ns);
        xmlDocSetRootElement(w.doc, root);
    } else {
        xmlFreeNode(root);
    }
    for (size_t i = 0; !w.oom && i < lib->count; i++)
        put_record(&w, root, lib->records[i]);
    xmlChar *mem = NULL;
    int size = 0;
    if (!w.oom)
        xmlDocDumpFormatMemoryEnc(w.doc, &mem, &size, "UTF-8", 1);
    if (mem)
        *out = cite_strndup((const char *)mem, (size_t)size);
    xmlFree(mem);
    xmlFreeDoc(w.doc);
    cite_buf_dispose(&w.text);
    return *out ? 0 : CITE_ENOMEM;
}
