/* cmd_convert.c: cite import and cite export, two views of one conversion. */
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

void cmd_import_usage(FILE *out)
{
    fprintf(out, "usage: cite import FILE.bib|FILE.json|FILE.ris [-o LIB.xml]\n"
                 "                   [--to xml|bibtex|biblatex|csljson|ris|mods]\n\n"
                 "Read a BibTeX or biblatex file, CSL-JSON (the items of Zotero, pandoc and\n"
                 "citeproc-js: a .json file, or text starting with '[' or '{') or RIS (EndNote,\n"
                 "Zotero, Mendeley and publishers' 'download citation': a .ris file, or text\n"
                 "starting with 'TY  - '), and write its entries as an XML library (the default)\n"
                 "or in another format. '-' reads standard input.\n\n"
                 "options:\n"
                 "  -o, --output FILE  write to FILE atomically instead of standard output\n"
                 "  --to FORMAT        xml (default), bibtex (ASCII with LaTeX escapes),\n"
                 "                     biblatex (UTF-8), csljson, ris or mods\n"
                 "  -h, --help         show this help\n\n"
                 "A malformed entry is reported as file:line:col and skipped; the others are kept\n"
                 "and the exit status is 1. Fields cite has no CSL variable for are kept (RIS\n"
                 "tags too, and written back by --to ris). Invalid JSON is reported where it\n"
                 "stops being JSON, and nothing is written.\n");
}

/* True when a and b name the same existing file: writing a partly read input over itself
 * would lose the entries that could not be read. */
static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* Shared by import and export: argv is COMMAND INPUT [options]. */
static int convert(int argc,
                   char **argv,
                   cli_format default_to,
                   cli_format from,
                   void (*usage)(FILE *),
                   bool need_to)
{
    cli_io io;
    int done = cli_io_args(&io, argc, argv, default_to, need_to, usage);
    if (done >= 0)
        return done;
    if (io.to == FMT_JSONL) {
        cli_error("--to jsonl is the batch mode of 'cite parse'; see 'cite parse --help'");
        return EXIT_USAGE;
    }
    const char *input = io.input, *output = io.output;
    cli_format to = io.to;
    cite_diag *diag = cite_diag_new();
    cite_library *lib = NULL;
    int err = diag ? cli_load_library(&lib, input, from, diag) : CITE_ENOMEM;
    cli_print_diagnostics(diag);
    int status = EXIT_CLEAN;
    if (err == CITE_ENOMEM) {
        cli_error("out of memory");
        status = EXIT_PROBLEMS;
    } else if (err == CITE_EIO) {
        status = EXIT_USAGE;
    } else if (!lib) {
        status = EXIT_PROBLEMS; /* nothing usable: write nothing, overwrite nothing */
    } else if (err < 0 && output && same_file(input, output)) {
        cli_error("not overwriting '%s': it could not be read whole", output);
        status = EXIT_PROBLEMS;
    } else {
        status = cli_write_library(lib, to, output);
        if (status == EXIT_CLEAN && err < 0)
            status = EXIT_PROBLEMS;
    }
    cite_library_free(lib);
    cite_diag_free(diag);
    return status;
}

int cmd_import(int argc, char **argv)
{
    return convert(argc, argv, FMT_XML, FMT_SOURCE, cmd_import_usage, false);
}

void cmd_export_usage(FILE *out)
{
    fprintf(out, "usage: cite export LIB --to bibtex|biblatex|csljson|ris|mods|xml [-o OUT]\n\n"
                 "Write the entries of a library (an XML library, a .bib file, CSL-JSON or RIS)\n"
                 "in another format.\n\n"
                 "options:\n"
                 "  --to FORMAT        bibtex (ASCII with LaTeX escapes, for classic BibTeX),\n"
                 "                     biblatex (UTF-8), csljson (CSL-JSON, as citeproc-js,\n"
                 "                     Zotero and pandoc read it), ris (EndNote, Zotero,\n"
                 "                     Mendeley; plain text, the citation key as ID), mods\n"
                 "                     (MODS 3 XML, as library catalogues and bibutils read\n"
                 "                     it) or xml\n"
                 "  -o, --output FILE  write to FILE atomically instead of standard output\n"
                 "  -h, --help         show this help\n");
}

int cmd_export(int argc, char **argv)
{
    return convert(argc, argv, FMT_BIBLATEX, FMT_AUTO, cmd_export_usage, true);
}
