/* cmd_parse.c: cite parse FILE [-o LIB.xml] [--to xml|bibtex|biblatex|csljson] */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cmd_parse_usage(FILE *out)
{
    fprintf(out,
            "usage: cite parse FILE [-o LIB.xml] [--to xml|bibtex|biblatex|csljson]\n\n"
            "Find the reference list of a document (.txt or .md: the section headed\n"
            "References, Reference list, Sources, Bibliography, Works cited or Literature\n"
            "cited; a file without such a heading is read as a list) and turn each reference\n"
            "into a structured entry, in input order, each with its original text and line.\n"
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
    cite_diag *diag = cite_diag_new();
    char *text = NULL;
    size_t len = 0;
    cite_library *lib = NULL;
    int err = diag ? cli_read_input(&text, &len, io.input, diag) : CITE_ENOMEM;
    if (err == 0)
        err = cite_parse_references(&lib, text, len, cli_input_name(io.input), diag);
    cli_print_diagnostics(diag);
    int status;
    if (err == CITE_ENOMEM) {
        cli_error("out of memory");
        status = EXIT_PROBLEMS;
    } else if (err == CITE_EIO) {
        status = EXIT_USAGE;
    } else if (err < 0) {
        status = EXIT_PROBLEMS;
    } else {
        status = cli_write_library(lib, io.to, io.output);
    }
    cite_free_string(text);
    cite_library_free(lib);
    cite_diag_free(diag);
    return status;
}
