/* cmd_parse.c: cite parse FILE [-o LIB.xml] [--to xml|bibtex|biblatex|csljson|ris|mods|jsonl] */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jsonl.h"

void cmd_parse_usage(FILE *out)
{
    fprintf(out,
            "usage: cite parse FILE [-o LIB.xml] [--to xml|bibtex|biblatex|csljson|ris|mods]\n"
            "       cite parse BATCH.jsonl --to jsonl\n\n"
            "Find the reference list of a document (.txt, .md, .html, .docx or .odt: the\n"
            "section headed References, Reference list, Sources, Bibliography, Works cited or\n"
            "Literature cited; a file without such a heading is read as a list) and turn each\n"
            "reference into a structured entry, in input order, each with its original text\n"
            "and line (the line of the document's text: for HTML, .docx and .odt, one\n"
            "paragraph a line with a blank line between paragraphs).\n"
            "'-' reads standard input.\n\n"
            "options:\n"
            "  -o, --output FILE  write to FILE atomically instead of standard output\n"
            "  --to FORMAT        xml (default), bibtex, biblatex, csljson, ris or mods;\n"
            "                     jsonl: FILE is a batch of documents, one JSON object\n"
            "                     a line {\"id\": ..., \"text\": \"...\", \"name\":\n"
            "                     \"paper.md\"} (\"text\" required, \"name\" picks the\n"
            "                     reader by its extension), and each gives one line\n"
            "                     {\"id\", \"document\", \"references\": [CSL-JSON items]}\n"
            "                     on standard output, or {\"id\", \"input\", \"line\",\n"
            "                     \"error\"} for a line that is no such record\n"
            "  -h, --help         show this help\n\n"
            "A line that does not look like a reference is kept as a 'document' entry, with a\n"
            "warning at its line. Exit status 1 when no reference is found (in a batch: in\n"
            "any document, or a line is no record).\n");
}

/* The references of one batch record as CSL-JSON items (a JSON array). NULL on OOM. */
static json_t *references_json(const cite_library *lib)
{
    char *text = NULL;
    if (cite_csljson_write(&text, lib) < 0)
        return NULL;
    json_t *items = json_loads(text, 0, NULL);
    cite_free_string(text);
    return items;
}

/* --to jsonl: parses one record of the batch and writes its line. */
static int parse_record(const cli_jsonl_record *r, void *ctx)
{
    (void)ctx;
    char buf[64];
    const char *name = cli_jsonl_name(r, buf, sizeof buf);
    cite_diag *diag = cite_diag_new();
    cite_document *doc = NULL;
    cite_library *lib = NULL;
    int err =
        diag ? cite_document_read(&doc, r->text, r->len, name, CITE_DOC_AUTO, diag) : CITE_ENOMEM;
    if (err == 0) {
        size_t len;
        const char *text = cite_document_get_text(doc, &len);
        err = cite_parse_references(&lib, text, len, name, diag);
    }
    cli_print_document_diagnostics(diag, doc, name);
    json_t *refs = lib ? references_json(lib) : NULL, *line;
    if (refs)
        line = json_pack("{s:O?, s:s, s:o}", "id", r->id, "document", name, "references", refs);
    else
        line =
            cli_jsonl_error(r, err == CITE_EIO || err == CITE_EPARSE ? "the document cannot be read"
                               : err == CITE_ENOMEM                  ? "out of memory"
                                                                     : "no reference found");
    int status = refs && cite_library_count(lib) > 0 ? EXIT_CLEAN : EXIT_PROBLEMS;
    if (cli_jsonl_emit(line) < 0)
        status = EXIT_USAGE;
    cite_document_free(doc);
    cite_library_free(lib);
    cite_diag_free(diag);
    return status;
}

int cmd_parse(int argc, char **argv)
{
    cli_io io;
    int done = cli_io_args(&io, argc, argv, FMT_XML, false, cmd_parse_usage);
    if (done >= 0)
        return done;
    if (io.to == FMT_JSONL && io.output) {
        cli_error("--to jsonl writes to standard output; redirect it instead of -o");
        return EXIT_USAGE;
    }
    if (io.to == FMT_JSONL)
        return cli_jsonl_each(io.input, parse_record, NULL);
    const char *name = cli_input_name(io.input);
    cite_diag *diag = cite_diag_new();
    cite_document *doc = NULL;
    cite_library *lib = NULL;
    int err = diag ? cli_read_document(&doc, io.input, diag) : CITE_ENOMEM;
    bool unreadable = err == CITE_EIO || err == CITE_EPARSE; /* no file, or the reader refused */
    if (err == 0) {
        size_t len;
        const char *text = cite_document_get_text(doc, &len);
        err = cite_parse_references(&lib, text, len, name, diag);
    }
    cli_print_document_diagnostics(diag, doc, name);
    int status;
    if (err == CITE_ENOMEM) {
        cli_error("out of memory");
        status = EXIT_PROBLEMS;
    } else if (unreadable) {
        status = EXIT_USAGE;
    } else if (err < 0) {
        status = EXIT_PROBLEMS;
    } else {
        status = cli_write_library(lib, io.to, io.output);
    }
    cite_document_free(doc);
    cite_library_free(lib);
    cite_diag_free(diag);
    return status;
}
