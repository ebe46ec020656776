/* parsedoc.c: a document's reference list -> a library (cite parse): reflist finds and splits
 * the list, refparse turns each reference into a record, keys are made here. */
#include <string.h>

#include "bibtex.h"
#include "parsedoc.h"
#include "refparse.h"

/* Adds the record parsed from item to lib, with its source text and line and a fresh key. */
static int add_reference(cite_library *lib,
                         cite_refparser *parser,
                         const cite_reflist_item *item,
                         const char *file,
                         const cite_lineindex *lines,
                         cite_diag *diag)
{
    cite_record *rec;
    bool recognised;
    int err = cite_refparse(&rec, &recognised, parser, item->text, strlen(item->text));
    if (err < 0)
        return err;
    char *key = cite_make_key(lib, rec);
    rec->source = cite_strdup(item->text);
    rec->source_line = item->line;
    /* A numbered list's numbers are what numeric callouts ("[3]") cite. */
    bool number =
        item->label && item->label[0] && strspn(item->label, "0123456789") == strlen(item->label);
    if (!key || !rec->source || cite_record_set_id(rec, key) < 0 ||
        (number && cite_record_set_text(rec, "citation-number", item->label) < 0)) {
        cite_free(key);
        cite_record_free(rec);
        return CITE_ENOMEM;
    }
    cite_free(key);
    if (!recognised) {
        const char *line;
        size_t line_len;
        cite_lineindex_line(lines, item->offset, &line, &line_len);
        cite_diag_report_excerpt(diag, CITE_SEV_WARNING,
                                 cite_lineindex_loc(lines, file, item->offset), line, line_len,
                                 "this does not look like a reference; kept as a document");
    }
    err = cite_library_add(lib, rec); /* the key is fresh, so never CITE_EEXISTS */
    if (err == CITE_EEXISTS)
        cite_record_free(rec);
    return err;
}

int cite_parse_list(cite_library **out,
                    const cite_reflist *list,
                    const cite_lineindex *lines,
                    const char *file,
                    cite_diag *diag)
{
    cite_refparser *parser = NULL;
    cite_library *lib = cite_library_new();
    int err = lib ? cite_refparser_new(&parser, diag) : CITE_ENOMEM;
    for (size_t i = 0; err == 0 && i < list->count; i++)
        err = add_reference(lib, parser, &list->items[i], file, lines, diag);
    if (err == 0 && lib->count == 0) {
        cite_diag_report(diag, CITE_SEV_ERROR, (cite_loc){ .file = file }, "no references found");
        err = CITE_EPARSE;
    }
    cite_refparser_free(parser);
    if (err < 0 && err != CITE_EPARSE) {
        cite_library_free(lib);
        lib = NULL;
    }
    *out = lib;
    return err;
}

int cite_parse_references(
    cite_library **out, const char *text, size_t len, const char *file, cite_diag *diag)
{
    cite_reflist *list = NULL;
    cite_lineindex lines = { 0 };
    *out = NULL;
    int err = cite_lineindex_init(&lines, text, len);
    if (err == 0)
        err = cite_reflist_find_indexed(&list, text, len, &lines, diag);
    if (err == 0)
        err = cite_parse_list(out, list, &lines, file, diag);
    cite_reflist_free(list);
    cite_lineindex_dispose(&lines);
    return err;
}
