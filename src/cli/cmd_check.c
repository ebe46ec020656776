/* cmd_check.c: cite check DOC [--bib LIB] [--format text|json|sarif]
 * [--style auto|apa|harvard] [-Wno-FLAG]... : every in-text citation against the reference
 * list, as compiler diagnostics, as the JSON of DESIGN.md ("Machine-readable outputs") or as
 * SARIF 2.1.0 (sarif.c); and cite link DOC [--bib LIB] [--json], the same check printed as the
 * map from each citation's bytes to its entry. DOC is text, Markdown, HTML or DOCX
 * (cite_document_read); the check runs on the document's text and every place it reports is
 * mapped back to the original. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jsonl.h"

void cmd_check_usage(FILE *out)
{
    fprintf(out,
            "usage: cite check DOC [--bib LIB] [--format text|json|sarif|jsonl]\n"
            "                  [--style auto|apa|harvard] [-Wno-FLAG]...\n\n"
            "Find every in-text citation of DOC (.txt, .md, .html, .docx or .odt, by extension\n"
            "and content; '-' reads standard input) and link it to the reference list: the\n"
            "document's own list (the section headed References, Sources, Bibliography...)\n"
            "or LIB (an XML library, .bib or CSL-JSON).\n"
            "Reports, in compiler form (file:line:col: severity: message [flag]):\n"
            "  unresolved   a citation that matches no reference (error)\n"
            "  ambiguous    a citation that matches several references (error)\n"
            "  near-miss    no match, but a reference that differs in the year, the spelling,\n"
            "               a particle, a shortened group name or a year letter (warning)\n"
            "  uncited      a reference that no citation resolves to (warning)\n"
            "  style slips  diacritics, et-al-for-2-authors, etal-punctuation, separator-comma,\n"
            "               duplicate-in-group, comma-missing; with APA rules\n"
            "               apa:and-in-parenthetical, apa:amp-in-narrative, apa7:use-et-al-3plus,\n"
            "               apa:order-alphabetical, apa:comma-missing; with Harvard rules\n"
            "               harvard:list-all-3-authors (warnings)\n"
            "then a one-line summary. Places are line:column of the file; in HTML, of its\n"
            "source; in a .docx or .odt, paragraph:character (paragraphs counted through the\n"
            "body, then the footnotes), with a note naming the paragraph by its first words.\n\n"
            "options:\n"
            "  --bib LIB         link against LIB instead of the document's own list\n"
            "  --format FORMAT   text (default), json, or sarif (SARIF 2.1.0, for GitHub code\n"
            "                    scanning); jsonl: DOC is a batch of documents, one JSON\n"
            "                    object a line {\"id\": ..., \"text\": \"...\", \"name\":\n"
            "                    \"paper.md\"} (\"text\" required, \"name\" picks the reader\n"
            "                    by its extension), each checked in turn and reported as\n"
            "                    one line: the json object with the record's \"id\" first,\n"
            "                    or {\"id\", \"input\", \"line\", \"error\"} for a line that\n"
            "                    is no such record (the run goes on)\n"
            "  --style RULES     whose rules the style warnings follow: auto (default: APA when\n"
            "                    the document joins authors in parentheses with '&', else\n"
            "                    Harvard), apa or harvard\n"
            "  -Wno-FLAG         do not report FLAG (e.g. -Wno-uncited, -Wno-near-miss)\n"
            "  -h, --help        show this help\n\n"
            "Exit status: 0 when every citation resolves and every reference is cited, 1 when\n"
            "any does not (silenced flags aside), 2 for usage errors or unreadable input.\n");
}

void cmd_link_usage(FILE *out)
{
    fprintf(out,
            "usage: cite link DOC [--bib LIB] [--json]\n\n"
            "Link every in-text citation of DOC as 'cite check' does and print the map from\n"
            "citations to entries: one line a citation, 'OFFSET LINE:COL STATUS ENTRY TEXT',\n"
            "where OFFSET is the byte offset of its first author (of its bracket when numeric)\n"
            "in the file ('-' for a .docx or .odt, whose bytes are zipped) and ENTRY the key\n"
            "of the entry it resolves to, or '-'. With --json, an object: 'document', and\n"
            "'links', each with offset, group (the bracket group's byte span [start, end) in\n"
            "the file, or null), line, column, text, status, reference and candidates.\n\n"
            "options:\n"
            "  --bib LIB   link against LIB instead of the document's own list\n"
            "  --json      print JSON\n"
            "  -h, --help  show this help\n\n"
            "Exit status: 0 when the map was printed, 2 for usage errors or unreadable input.\n");
}

typedef enum check_format {
    CHECK_TEXT,
    CHECK_JSON,
    CHECK_SARIF,
    CHECK_JSONL,
    CHECK_LINKS,
    CHECK_LINKS_JSON
} check_format;

typedef struct check_args {
    const char *doc, *bib;
    check_format format;
    cite_rules rules;
    const char *silenced[32];
    size_t nsilenced;
} check_args;

/* The arguments of cite check, or of cite link (link: DOC [--bib LIB] [--json] only). -1 to
 * go on, or an exit status. */
static int parse_args(check_args *a, int argc, char **argv, bool link)
{
    const char *cmd = link ? "link" : "check";
    void (*usage)(FILE *) = link ? cmd_link_usage : cmd_check_usage;
    *a = (check_args){ .format = link ? CHECK_LINKS : CHECK_TEXT };
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = !strcmp(arg, "--bib") ||
                     (!link && (!strcmp(arg, "--format") || !strcmp(arg, "--style")));
        if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
            usage(stdout);
            return EXIT_CLEAN;
        } else if (link && !strcmp(arg, "--json")) {
            a->format = CHECK_LINKS_JSON;
        } else if (!link && !strncmp(arg, "-Wno-", 5) && arg[5]) {
            if (a->nsilenced < sizeof a->silenced / sizeof *a->silenced)
                a->silenced[a->nsilenced++] = arg + 5;
        } else if (takes) {
            if (!value) {
                cli_error("%s needs a value; see 'cite %s --help'", arg, cmd);
                return EXIT_USAGE;
            }
            i++;
            if (!strcmp(arg, "--bib")) {
                a->bib = value;
            } else if (!strcmp(arg, "--format") &&
                       (!strcmp(value, "text") || !strcmp(value, "json") ||
                        !strcmp(value, "sarif") || !strcmp(value, "jsonl"))) {
                a->format = !strcmp(value, "json")    ? CHECK_JSON
                            : !strcmp(value, "sarif") ? CHECK_SARIF
                            : !strcmp(value, "jsonl") ? CHECK_JSONL
                                                      : CHECK_TEXT;
            } else if (!strcmp(arg, "--style") && !strcmp(value, "auto")) {
                a->rules = CITE_RULES_AUTO;
            } else if (!strcmp(arg, "--style") && !strcmp(value, "apa")) {
                a->rules = CITE_RULES_APA;
            } else if (!strcmp(arg, "--style") && !strcmp(value, "harvard")) {
                a->rules = CITE_RULES_HARVARD;
            } else {
                cli_error("unknown %s '%s'; see 'cite check --help'", arg, value);
                return EXIT_USAGE;
            }
        } else if (arg[0] == '-' && arg[1]) {
            cli_error("unknown option '%s'; see 'cite %s --help'", arg, cmd);
            return EXIT_USAGE;
        } else if (a->doc) {
            cli_error("one document at a time; see 'cite %s --help'", cmd);
            return EXIT_USAGE;
        } else {
            a->doc = arg;
        }
    }
    if (!a->doc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    return -1;
}

static bool silenced(const char *flag, const void *ctx)
{
    const check_args *a = ctx;
    for (size_t i = 0; i < a->nsilenced; i++)
        if (!strcmp(a->silenced[i], flag))
            return true;
    return false;
}

typedef struct tally {
    unsigned citations, resolved, unresolved, near_miss, ambiguous, references, uncited;
} tally;

static tally count(const cite_check *ck)
{
    tally t = { 0 };
    for (size_t i = 0; i < cite_check_citation_count(ck); i++) {
        const cite_citation *c = cite_check_get_citation(ck, i);
        t.citations++;
        t.resolved += c->status == CITE_LINK_RESOLVED;
        t.unresolved += c->status == CITE_LINK_UNRESOLVED;
        t.near_miss += c->status == CITE_LINK_NEAR_MISS;
        t.ambiguous += c->status == CITE_LINK_AMBIGUOUS;
    }
    const cite_library *lib = cite_check_get_library(ck);
    for (size_t i = 0; lib && i < cite_library_count(lib); i++) {
        t.references++;
        t.uncited += cite_check_times_cited(ck, i) == 0;
    }
    return t;
}

/* The document a check ran on: its reader's result and the name its places carry. */
typedef struct checked_doc {
    const cite_document *doc;
    const char *name;
} checked_doc;

static void print_text(const cite_check *ck, const check_args *a, const checked_doc *d)
{
    for (size_t i = 0; i < cite_check_finding_count(ck); i++) {
        const cite_finding *f = cite_check_get_finding(ck, i);
        if (silenced(f->flag, a))
            continue;
        const char *sev = f->severity == CITE_SEV_ERROR     ? "error"
                          : f->severity == CITE_SEV_WARNING ? "warning"
                                                            : "note";
        const char *file = f->at.file ? f->at.file : f->at.line || !a->bib ? d->name : a->bib;
        cite_doc_place at = cli_place(d->doc, d->name, f->at);
        cli_print_place(stdout, file, &at);
        printf("%s: %s [%s]\n", sev, f->message, f->flag);
        char *where = NULL;
        if (cite_document_describe(&where, d->doc, &at) == 0) {
            cli_print_place(stdout, file, &at);
            printf("note: %s\n", where);
        }
        cite_free_string(where);
    }
    tally t = count(ck);
    printf("%s: %u citation%s: %u resolved, %u unresolved, %u near miss%s, %u ambiguous; "
           "%u reference%s, %u never cited\n",
           d->name, t.citations, t.citations == 1 ? "" : "s", t.resolved, t.unresolved, t.near_miss,
           t.near_miss == 1 ? "" : "es", t.ambiguous, t.references, t.references == 1 ? "" : "s",
           t.uncited);
}

static const char *status_name(cite_link_status s)
{
    switch (s) {
    case CITE_LINK_RESOLVED:
        return "resolved";
    case CITE_LINK_NEAR_MISS:
        return "near-miss";
    case CITE_LINK_AMBIGUOUS:
        return "ambiguous";
    case CITE_LINK_NOT_CHECKED:
        return "not-checked";
    case CITE_LINK_UNRESOLVED:
        break;
    }
    return "unresolved";
}

static json_t *ref_id(const cite_check *ck, size_t ref)
{
    const cite_library *lib = cite_check_get_library(ck);
    return ref == SIZE_MAX ? json_null()
                           : json_string(cite_record_get_id(cite_library_get(lib, ref)));
}

static json_t *citation_json(const cite_check *ck, const checked_doc *d, const cite_citation *c)
{
    cite_doc_place at = cli_place(d->doc, d->name, c->at);
    json_t *authors = json_array(), *cands = json_array();
    for (size_t k = 0; k < c->nauthors; k++)
        json_array_append_new(authors, json_string(c->authors[k]));
    for (size_t k = 0; k < c->ncandidates; k++)
        json_array_append_new(cands, ref_id(ck, c->candidates[k]));
    return json_pack("{s:I, s:I, s:s, s:o, s:s, s:b, s:s, s:s, s:s, s:o, s:o, s:s, s:s}", "line",
                     (json_int_t)at.line, "column", (json_int_t)at.col, "text", c->text, "authors",
                     authors, "year", c->year, "narrative", c->narrative, "prefix", c->prefix,
                     "locator", c->locator, "status", status_name(c->status), "reference",
                     ref_id(ck, c->reference), "candidates", cands, "message", c->message, "why",
                     c->why);
}

/* The names an entry is cited by, as the JSON's references list them: "de Castro", or a
 * group's name; the editors when it has no authors. */
static json_t *reference_authors(const cite_record *rec)
{
    json_t *list = json_array();
    static const char *const vars[] = { "author", "editor" };
    cite_name_parts n;
    for (size_t v = 0; v < 2 && json_array_size(list) == 0; v++)
        for (size_t k = 0; cite_record_get_name(rec, vars[v], k, &n); k++) {
            char buf[512];
            if (n.literal || !n.particle)
                snprintf(buf, sizeof buf, "%s", n.literal ? n.literal : n.family ? n.family : "");
            else
                snprintf(buf, sizeof buf, "%s %s", n.particle, n.family ? n.family : "");
            json_array_append_new(list, json_string(buf));
        }
    return list;
}

/* The JSON object of DESIGN.md ("Machine-readable outputs") for the check ck of d. NULL on
 * OOM. */
static json_t *check_json(const cite_check *ck, const check_args *a, const checked_doc *d)
{
    json_t *cits = json_array(), *refs = json_array(), *diags = json_array();
    for (size_t i = 0; i < cite_check_citation_count(ck); i++)
        json_array_append_new(cits, citation_json(ck, d, cite_check_get_citation(ck, i)));
    const cite_library *lib = cite_check_get_library(ck);
    for (size_t i = 0; lib && i < cite_library_count(lib); i++) {
        const cite_record *rec = cite_library_get(lib, i);
        cite_doc_place at = cli_place(d->doc, d->name, cite_check_reference_loc(ck, i));
        json_array_append_new(refs, json_pack("{s:s, s:I, s:o, s:s, s:I}", "id",
                                              cite_record_get_id(rec), "line", (json_int_t)at.line,
                                              "authors", reference_authors(rec), "year",
                                              cite_check_reference_year(ck, i), "cited",
                                              (json_int_t)cite_check_times_cited(ck, i)));
    }
    for (size_t i = 0; i < cite_check_finding_count(ck); i++) {
        const cite_finding *f = cite_check_get_finding(ck, i);
        cite_doc_place at = cli_place(d->doc, d->name, f->at);
        if (!silenced(f->flag, a))
            json_array_append_new(
                diags, json_pack("{s:I, s:I, s:s, s:s, s:s}", "line", (json_int_t)at.line, "column",
                                 (json_int_t)at.col, "severity",
                                 f->severity == CITE_SEV_ERROR ? "error" : "warning", "flag",
                                 f->flag, "message", f->message));
    }
    tally t = count(ck);
    json_t *root = json_pack(
        "{s:s, s:s, s:o, s:o, s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I}}", "document", d->name,
        "rules", cite_check_get_rules(ck) == CITE_RULES_APA ? "apa" : "harvard", "citations", cits,
        "references", refs, "diagnostics", diags, "summary", "citations", (json_int_t)t.citations,
        "resolved", (json_int_t)t.resolved, "unresolved", (json_int_t)t.unresolved, "near_miss",
        (json_int_t)t.near_miss, "ambiguous", (json_int_t)t.ambiguous, "references",
        (json_int_t)t.references, "uncited", (json_int_t)t.uncited);
    return root;
}

/* Prints root (taken; NULL: out of memory) as indented JSON on standard output. */
static int print_root(json_t *root)
{
    if (!root)
        return CITE_ENOMEM;
    int rc = json_dumpf(root, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    putchar('\n');
    json_decref(root);
    return rc ? CITE_EIO : 0;
}

static int print_json(const cite_check *ck, const check_args *a, const checked_doc *d)
{
    return print_root(check_json(ck, a, d));
}

/* The byte offset in the original file of text offset t; false when it has none (a zipped
 * .docx, or a place of an HTML file the reader could not follow). */
static bool file_offset(const checked_doc *d, size_t t, size_t *out)
{
    return !cite_document_by_paragraph(d->doc) && cite_document_source_offset(d->doc, t, out);
}

static json_t *link_json(const cite_check *ck, const checked_doc *d, const cite_citation *c)
{
    cite_doc_place at = cli_place(d->doc, d->name, c->at);
    size_t offset, start, end;
    json_t *group = json_null();
    if (c->close > c->open && file_offset(d, c->open, &start) && file_offset(d, c->close, &end))
        group = json_pack("{s:I, s:I}", "start", (json_int_t)start, "end", (json_int_t)end);
    json_t *cands = json_array();
    for (size_t k = 0; k < c->ncandidates; k++)
        json_array_append_new(cands, ref_id(ck, c->candidates[k]));
    return json_pack("{s:o, s:o, s:I, s:I, s:s, s:s, s:o, s:o}", "offset",
                     file_offset(d, c->at.offset, &offset) ? json_integer((json_int_t)offset)
                                                           : json_null(),
                     "group", group, "line", (json_int_t)at.line, "column", (json_int_t)at.col,
                     "text", c->text, "status", status_name(c->status), "reference",
                     ref_id(ck, c->reference), "candidates", cands);
}

/* cite link: the citation-to-entry map, as lines or as JSON. */
static int print_links(const cite_check *ck, const check_args *a, const checked_doc *d)
{
    const cite_library *lib = cite_check_get_library(ck);
    if (a->format == CHECK_LINKS) {
        for (size_t i = 0; i < cite_check_citation_count(ck); i++) {
            const cite_citation *c = cite_check_get_citation(ck, i);
            cite_doc_place at = cli_place(d->doc, d->name, c->at);
            size_t offset;
            if (file_offset(d, c->at.offset, &offset))
                printf("%zu ", offset);
            else
                fputs("- ", stdout);
            printf("%u:%u %s %s %s\n", at.line, at.col, status_name(c->status),
                   c->reference == SIZE_MAX
                       ? "-"
                       : cite_record_get_id(cite_library_get(lib, c->reference)),
                   c->text);
        }
        return 0;
    }
    json_t *links = json_array();
    for (size_t i = 0; i < cite_check_citation_count(ck); i++)
        json_array_append_new(links, link_json(ck, d, cite_check_get_citation(ck, i)));
    return print_root(json_pack("{s:s, s:o}", "document", d->name, "links", links));
}

/* 1 when anything does not resolve or a reference is uncited, unless silenced. */
static int status_of(const cite_check *ck, const check_args *a)
{
    for (size_t i = 0; i < cite_check_finding_count(ck); i++) {
        const cite_finding *f = cite_check_get_finding(ck, i);
        static const char *const failing[] = { "unresolved", "ambiguous", "near-miss", "uncited" };
        for (size_t k = 0; k < sizeof failing / sizeof *failing; k++)
            if (!strcmp(f->flag, failing[k]) && !silenced(f->flag, a))
                return EXIT_PROBLEMS;
    }
    return EXIT_CLEAN;
}

/* Reads the document, checks it and prints what a asks for; returns the exit status. */
static int run(const check_args *a)
{
    checked_doc d = { .name = cli_input_name(a->doc) };
    cite_diag *diag = cite_diag_new();
    cite_document *doc = NULL;
    cite_library *lib = NULL;
    cite_check *ck = NULL;
    int err = diag ? 0 : CITE_ENOMEM;
    if (err == 0 && a->bib && (err = cli_load_library(&lib, a->bib, FMT_AUTO, diag)) == CITE_EPARSE)
        err = 0; /* what could be read is checked against; the errors are printed */
    if (err == 0)
        err = cli_read_document(&doc, a->doc, diag);
    if (err == 0) {
        size_t len;
        const char *text = cite_document_get_text(doc, &len);
        cite_check_options opt = { .rules = a->rules, .document = doc };
        d.doc = doc;
        err = cite_check_run(&ck, text, len, d.name, lib, &opt, diag);
    }
    cli_print_document_diagnostics(diag, doc, d.name);
    int status;
    if (err == CITE_ENOMEM) {
        cli_error("out of memory");
        status = EXIT_USAGE;
    } else if (err < 0) {
        status = EXIT_USAGE;
    } else if (a->format == CHECK_JSON) {
        status = print_json(ck, a, &d) < 0 ? EXIT_USAGE : status_of(ck, a);
    } else if (a->format == CHECK_LINKS || a->format == CHECK_LINKS_JSON) {
        status = print_links(ck, a, &d) < 0 ? EXIT_USAGE : EXIT_CLEAN;
    } else if (a->format == CHECK_SARIF) {
        status = cli_write_sarif(stdout, ck, doc, a->doc, a->bib, silenced, a) < 0
                     ? EXIT_USAGE
                     : status_of(ck, a);
    } else {
        print_text(ck, a, &d);
        status = status_of(ck, a);
    }
    if (fflush(stdout) == EOF) {
        cli_error("cannot write the report");
        status = EXIT_USAGE;
    }
    cite_check_free(ck);
    cite_library_free(lib);
    cite_document_free(doc);
    cite_diag_free(diag);
    return status;
}

/* --format jsonl: what one record needs besides itself. */
typedef struct jsonl_run {
    const check_args *args;
    const cite_library *lib; /* --bib, or NULL: each document's own list */
} jsonl_run;

/* The first error a record's reading left in diag, for its result line. */
static const char *first_error(const cite_diag *diag)
{
    for (size_t i = 0; diag && i < cite_diag_count(diag); i++)
        if (cite_diag_get(diag, i)->severity == CITE_SEV_ERROR)
            return cite_diag_get(diag, i)->message;
    return "the document cannot be read";
}

/* Checks one record of the batch and writes its line: the --format json object with the
 * record's "id" first. The reader's and the parser's warnings go to standard error. */
static int check_record(const cli_jsonl_record *r, void *ctx)
{
    const jsonl_run *run = ctx;
    char buf[64];
    checked_doc d = { .name = cli_jsonl_name(r, buf, sizeof buf) };
    cite_diag *diag = cite_diag_new();
    cite_document *doc = NULL;
    cite_check *ck = NULL;
    int err =
        diag ? cite_document_read(&doc, r->text, r->len, d.name, CITE_DOC_AUTO, diag) : CITE_ENOMEM;
    if (err == 0) {
        size_t len;
        const char *text = cite_document_get_text(doc, &len);
        cite_check_options opt = { .rules = run->args->rules, .document = doc };
        d.doc = doc;
        err = cite_check_run(&ck, text, len, d.name, run->lib, &opt, diag);
    }
    cli_print_document_diagnostics(diag, doc, d.name);
    json_t *line = NULL;
    int status = EXIT_PROBLEMS;
    if (err == 0) {
        json_t *result = check_json(ck, run->args, &d);
        line = json_pack("{s:O?}", "id", r->id);
        if (line && result && json_object_update(line, result) == 0)
            status = status_of(ck, run->args);
        else
            err = CITE_ENOMEM;
        json_decref(result);
    } else if (err != CITE_ENOMEM) {
        line = cli_jsonl_error(r, first_error(diag));
    }
    if (err == CITE_ENOMEM) {
        json_decref(line);
        line = cli_jsonl_error(r, "out of memory");
    }
    if (cli_jsonl_emit(line) < 0)
        status = EXIT_USAGE;
    cite_check_free(ck);
    cite_document_free(doc);
    cite_diag_free(diag);
    return status;
}

/* cite check --format jsonl BATCH: every record of a JSON Lines file checked in turn. */
static int run_jsonl(const check_args *a)
{
    jsonl_run run = { .args = a };
    cite_library *lib = NULL;
    if (a->bib) {
        cite_diag *diag = cite_diag_new();
        int err = diag ? cli_load_library(&lib, a->bib, FMT_AUTO, diag) : CITE_ENOMEM;
        cli_print_diagnostics(diag);
        cite_diag_free(diag);
        if (err < 0 && err != CITE_EPARSE) {
            cite_library_free(lib);
            return EXIT_USAGE;
        }
        run.lib = lib;
    }
    int status = cli_jsonl_each(a->doc, check_record, &run);
    cite_library_free(lib);
    return status;
}

int cmd_check(int argc, char **argv)
{
    check_args a;
    int done = parse_args(&a, argc, argv, false);
    if (done >= 0)
        return done;
    return a.format == CHECK_JSONL ? run_jsonl(&a) : run(&a);
}

int cmd_link(int argc, char **argv)
{
    check_args a;
    int done = parse_args(&a, argc, argv, true);
    return done >= 0 ? done : run(&a);
}
