/* common.c: diagnostics printing, option scanning and library I/O shared by subcommands. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("cite: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static const char *severity_name(cite_severity sev)
{
    return sev == CITE_SEV_ERROR ? "error" : sev == CITE_SEV_WARNING ? "warning" : "note";
}

/* The caret line under an excerpt: blanks (tabs kept, so the caret lines up) up to the
 * column, which counts code points. */
static void print_excerpt(unsigned line, const char *excerpt, size_t len, unsigned caret)
{
    fprintf(stderr, "%5u | %.*s\n      | ", line, (int)len, excerpt);
    unsigned col = 1;
    for (const unsigned char *p = (const unsigned char *)excerpt, *end = p + len;
         p < end && col < caret; p++) {
        if ((*p & 0xC0) == 0x80)
            continue;
        fputc(*p == '\t' ? '\t' : ' ', stderr);
        col++;
    }
    fputs("^\n", stderr);
}

void cli_print_diagnostics(const cite_diag *diag)
{
    cli_print_document_diagnostics(diag, NULL, NULL);
}

static bool in_document(const cite_document *doc, const char *doc_name, const char *file)
{
    return doc && (!file || !doc_name || !strcmp(file, doc_name));
}

cite_doc_place cli_place(const cite_document *doc, const char *doc_name, cite_loc at)
{
    if (!in_document(doc, doc_name, at.file) || !at.line)
        return (cite_doc_place){ .line = at.line, .col = at.col };
    return cite_document_locate(doc, at.line, at.col);
}

void cli_print_place(FILE *out, const char *file, const cite_doc_place *at)
{
    fputs(file ? file : "<stdin>", out);
    if (at->line)
        fprintf(out, ":%u", at->line);
    if (at->line && at->col)
        fprintf(out, ":%u", at->col);
    fputs(": ", out);
}

void cli_print_document_diagnostics(const cite_diag *diag,
                                    const cite_document *doc,
                                    const char *doc_name)
{
    for (size_t i = 0; i < cite_diag_count(diag); i++) {
        const cite_diag_item *it = cite_diag_get(diag, i);
        cite_loc at = { .file = it->file, .offset = it->offset, .line = it->line, .col = it->col };
        bool mapped = in_document(doc, doc_name, it->file) && it->line;
        cite_doc_place place = cli_place(doc, doc_name, at);
        cli_print_place(stderr, it->file, &place);
        fprintf(stderr, "%s: %s\n", severity_name(it->severity), it->message);
        char *where = NULL;
        if (mapped && cite_document_describe(&where, doc, &place) == 0) {
            cli_print_place(stderr, it->file, &place);
            fprintf(stderr, "note: %s\n", where);
        }
        cite_free_string(where);
        const char *line;
        size_t len;
        unsigned caret;
        if (mapped && cite_document_excerpt(doc, &place, &line, &len, &caret)) {
            if (caret)
                print_excerpt(place.line, line, len, caret);
        } else if (!mapped && it->excerpt && it->line && it->col) {
            print_excerpt(it->line, it->excerpt, strlen(it->excerpt), it->col);
        }
    }
}

bool cli_parse_format(const char *s, cli_format *out)
{
    static const struct {
        const char *name;
        cli_format fmt;
    } names[] = { { "xml", FMT_XML },         { "bibtex", FMT_BIBTEX },
                  { "bib", FMT_BIBTEX },      { "biblatex", FMT_BIBLATEX },
                  { "csljson", FMT_CSLJSON }, { "csl-json", FMT_CSLJSON },
                  { "json", FMT_CSLJSON },    { "ris", FMT_RIS },
                  { "mods", FMT_MODS },       { "jsonl", FMT_JSONL } };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(s, names[i].name) == 0) {
            *out = names[i].fmt;
            return true;
        }
    return false;
}

/* Option scanning: long options with a value (--to X or --to=X), -o X, --help. */
typedef struct cli_args {
    int argc;
    char **argv;
    int i;
} cli_args;

/* True when argv[i] is the option long (or short, when non-NULL); *value receives its
 * argument when takes_value (an error is printed and *bad set when it is missing). */
static bool cli_option(cli_args *a,
                       const char *long_name,
                       const char *short_name,
                       bool takes_value,
                       const char **value,
                       bool *bad)
{
    const char *arg = a->argv[a->i];
    size_t n = strlen(long_name);
    bool is_long =
        strncmp(arg, long_name, n) == 0 && (arg[n] == '\0' || (takes_value && arg[n] == '='));
    bool is_short = short_name && strcmp(arg, short_name) == 0;
    if (!is_long && !is_short)
        return false;
    if (!takes_value)
        return true;
    if (is_long && arg[n] == '=') {
        *value = arg + n + 1;
    } else if (a->i + 1 < a->argc) {
        *value = a->argv[++a->i];
    } else {
        cli_error("option '%s' needs a value", arg);
        *bad = true;
    }
    return true;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* The format of a library by its extension, else by its start (after blanks and a BOM): '<'
 * is XML (unless xml_ok is false: import reads no XML), '[' or '{' CSL-JSON, a "TY" tag RIS
 * (a BibTeX file starts with '@' or with comment text), anything else BibTeX. */
static cli_format sniff(const char *path, const char *text, bool xml_ok)
{
    if (ends_with(path, ".xml") && xml_ok)
        return FMT_XML;
    if (ends_with(path, ".bib"))
        return FMT_BIBTEX;
    if (ends_with(path, ".json"))
        return FMT_CSLJSON;
    if (ends_with(path, ".ris"))
        return FMT_RIS;
    if (strncmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3;
    while (*text == ' ' || *text == '\n' || *text == '\r' || *text == '\t')
        text++;
    if (*text == '<' && xml_ok)
        return FMT_XML;
    if (!strncmp(text, "TY ", 3) || !strncmp(text, "TY-", 3))
        return FMT_RIS;
    return *text == '[' || *text == '{' ? FMT_CSLJSON : FMT_BIBTEX;
}

const char *cli_input_name(const char *path)
{
    return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

int cli_read_input(char **out, size_t *len, const char *path, cite_diag *diag)
{
    int err =
        strcmp(path, "-") == 0 ? cite_read_stream(out, len, stdin) : cite_read_file(out, len, path);
    if (err == CITE_EIO)
        cite_diag_report(diag, CITE_SEV_ERROR, (cite_loc){ .file = cli_input_name(path) },
                         "cannot read: %s", strerror(errno));
    return err;
}

int cli_read_document(cite_document **out, const char *path, cite_diag *diag)
{
    char *bytes;
    size_t len;
    *out = NULL;
    int err = cli_read_input(&bytes, &len, path, diag);
    if (err < 0)
        return err;
    return cite_document_take(out, bytes, len, cli_input_name(path), CITE_DOC_AUTO, diag);
}

int cli_load_library(cite_library **out, const char *path, cli_format fmt, cite_diag *diag)
{
    char *text;
    size_t len;
    const char *name = cli_input_name(path);
    *out = NULL;
    int err = cli_read_input(&text, &len, path, diag);
    if (err < 0)
        return err;
    if (fmt == FMT_AUTO || fmt == FMT_SOURCE)
        fmt = sniff(path, text, fmt == FMT_AUTO);
    if (fmt == FMT_XML)
        err = cite_xmlstore_load_memory(out, text, len, name, diag);
    else if (fmt == FMT_CSLJSON)
        err = cite_csljson_read(out, text, len, name, diag);
    else if (fmt == FMT_RIS)
        err = cite_ris_read(out, text, len, name, diag);
    else
        err = cite_bibtex_read(out, text, len, name, diag);
    cite_free_string(text);
    return err;
}

int cli_write_library(const cite_library *lib, cli_format fmt, const char *path)
{
    char *text = NULL;
    int err =
        fmt == FMT_XML       ? cite_xmlstore_write(&text, lib)
        : fmt == FMT_CSLJSON ? cite_csljson_write(&text, lib)
        : fmt == FMT_RIS     ? cite_ris_write(&text, lib)
        : fmt == FMT_MODS
            ? cite_mods_write(&text, lib)
            : cite_bibtex_write(&text, lib, fmt == FMT_BIBLATEX ? CITE_BIBLATEX : CITE_BIBTEX);
    if (err < 0) {
        cli_error("%s", cite_error_str(err));
        return EXIT_PROBLEMS;
    }
    int status = EXIT_CLEAN;
    if (!path || strcmp(path, "-") == 0) {
        if (fputs(text, stdout) == EOF || fflush(stdout) == EOF) {
            cli_error("cannot write to standard output: %s", strerror(errno));
            status = EXIT_PROBLEMS;
        }
    } else if (cite_write_file_atomic(path, text, strlen(text)) < 0) {
        cli_error("cannot write '%s': %s", path, strerror(errno));
        status = EXIT_PROBLEMS;
    }
    cite_free_string(text);
    return status;
}

int cli_io_args(
    cli_io *io, int argc, char **argv, cli_format default_to, bool need_to, void (*usage)(FILE *))
{
    cli_args a = { argc, argv, 1 };
    const char *to_name = NULL;
    bool bad = false;
    *io = (cli_io){ .to = default_to };
    for (; a.i < argc && !bad; a.i++) {
        if (cli_option(&a, "--help", "-h", false, NULL, &bad)) {
            usage(stdout);
            return EXIT_CLEAN;
        } else if (cli_option(&a, "--output", "-o", true, &io->output, &bad) ||
                   cli_option(&a, "--to", NULL, true, &to_name, &bad)) {
            continue;
        } else if (argv[a.i][0] == '-' && argv[a.i][1] != '\0') {
            cli_error("unknown option '%s'", argv[a.i]);
            bad = true;
        } else if (io->input) {
            cli_error("more than one input file ('%s' and '%s')", io->input, argv[a.i]);
            bad = true;
        } else {
            io->input = argv[a.i];
        }
    }
    if (!bad && to_name && !cli_parse_format(to_name, &io->to)) {
        cli_error("unknown format '%s' (expected xml, bibtex, biblatex, csljson, ris or mods)",
                  to_name);
        bad = true;
    }
    if (!bad && (!io->input || (need_to && !to_name))) {
        cli_error(io->input ? "missing --to FORMAT" : "missing input file");
        bad = true;
    }
    if (bad) {
        usage(stderr);
        return EXIT_USAGE;
    }
    return -1;
}
