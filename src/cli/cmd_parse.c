/* cmd_parse.c: cite parse FILE [-o LIB.xml] [--to xml|bibtex|biblatex|csljson] */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cmd_parse_usage(FILE *out)
{
    fprintf(out,
            "usage: cite parse FILE [-o LIB.xml] [--to xml|bibtex|biblatex|csljson]\n\n"
            "Find the reference list of a document (.txt, .md, .html, .docx or .odt: the\n"
            "section headed References, Reference list, Sources, Bibliography, Works cited or\n"
            "Literature cited; a file without such a heading is read as a list) and turn each\n"
            "reference into a structured entry, in input order, each with its original text\n"
            "and line (the line of the document's text: for HTML, .docx and .odt, one\n"
            "paragraph a line with a blank line between paragraphs).\n"
            "'-' reads standard input.\n\n"
            "options:\n"
            "  -o, --output FILE  write to FILE atomically instead of standard output\n"
            "  --to FORMAT        xml (default), bibtex, biblatex or csljson\n"
            "  -h, --help         show this help\n\n"
            "A line that does not look like a reference is kept as a 'document' entry, with a\n"
            "warning at its line. Exit status 1 when no reference is found.\n");
}

int cmd_parse(int argc, char **argv)
{
    cli_io io;
    int done = cli_io_args(&io, argc, argv, FMT_XML, false, cmd_parse_usage);
    if (done >= 0)
        return done;
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
