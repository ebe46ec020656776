/* cmd_reformat.c: cite reformat, a document's in-text citations and reference list rewritten in
 * another CSL style (issue 6), everything else byte for byte as it was. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

void cmd_reformat_usage(FILE *out)
{
    fprintf(out,
            "usage: cite reformat DOC --style STYLE [-o OUT] [--to text|markdown|html]\n"
            "                     [--bib LIB] [--locale LANG] [--locale-dir DIR]\n\n"
            "Rewrite the in-text citations and the reference list of DOC (plain text,\n"
            "Markdown, HTML, .docx or .odt; '-' reads standard input) in another citation\n"
            "style. A citation is rewritten when every work it cites resolves to one entry of\n"
            "the document's list (as 'cite check' finds them): parenthetical ones as the style\n"
            "cites them (sorted, with year letters, locators and prefixes kept), narrative\n"
            "ones as 'Author (Year)'. The list's entries become the style's bibliography; the\n"
            "heading and every other byte are left as they were. Citations that do not\n"
            "resolve, and 'as cited in', are left as written (the former with a warning).\n\n"
            "Output formats:\n"
            "  text, Markdown  the same format, every other byte unchanged\n"
            "  HTML            HTML: the citations and the list's entries are replaced in the\n"
            "                  source (italics as <i>, each entry in the element the original\n"
            "                  entries were in); a citation with a tag or comment inside is\n"
            "                  left as written, with a warning\n"
            "  .docx, .odt     Markdown built from the document's text (paragraphs, italics,\n"
            "                  bold), with a note: Word and OpenDocument output is not\n"
            "                  supported, and -o OUT.docx or OUT.odt is refused\n\n"
            "options:\n"
            "  --style STYLE      harvard or apa (cite's own), a .csl file, or the name of an\n"
            "                     official style installed by Debian's\n"
            "                     citation-style-language-styles (chicago-author-date, ...)\n"
            "  --bib LIB          cite the works of LIB (an XML library, .bib, CSL-JSON or\n"
            "                     RIS) instead of the document's list: the citations that\n"
            "                     resolve in LIB are rewritten, and the document's list\n"
            "                     (under its heading) becomes LIB's entries that it cites,\n"
            "                     in the style; a document without a list gains one at its\n"
            "                     end, under 'References'. Text and Markdown output only\n"
            "  -o, --output OUT   write to OUT (atomically) instead of standard output; the\n"
            "                     input is replaced only when OUT names it\n"
            "  --to FORMAT        text, markdown (italics as *...*) or html (HTML input\n"
            "                     only); default: html for HTML, markdown for .md, .markdown,\n"
            "                     .docx and .odt and for text whose reference list has\n"
            "                     *emphasis*, else text. Text or Markdown from HTML is built\n"
            "                     from the document's text, as for .docx\n"
            "  --locale LANG      the language of terms and dates (en-GB, de-DE...); default:\n"
            "                     the style's default-locale, else en-US\n"
            "  --locale-dir DIR   where locales-LANG.xml files are\n"
            "  -h, --help         show this help\n\n"
            "Exit status: 0 every citation rewritten, 1 some left as written, 2 usage or\n"
            "input error (unreadable document or style, no reference list).\n");
}

typedef struct reformat_args {
    const char *input, *output, *style, *lang, *locale_dir, *bib;
    cite_output to;
    bool to_given;
} reformat_args;

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && strcasecmp(s + n - k, tail) == 0;
}

/* Parses argv into *a. Returns -1 to go on, else the exit status (help or usage error). */
static int parse_args(reformat_args *a, int argc, char **argv)
{
    *a = (reformat_args){ .to = CITE_OUTPUT_TEXT };
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
            cmd_reformat_usage(stdout);
            return EXIT_CLEAN;
        }
        bool takes = !strcmp(o, "--style") || !strcmp(o, "-o") || !strcmp(o, "--output") ||
                     !strcmp(o, "--to") || !strcmp(o, "--locale") || !strcmp(o, "--locale-dir") ||
                     !strcmp(o, "--bib");
        if (takes && !val) {
            cli_error("option '%s' needs a value", o);
            return EXIT_USAGE;
        }
        if (!strcmp(o, "--style")) {
            a->style = argv[++i];
        } else if (!strcmp(o, "-o") || !strcmp(o, "--output")) {
            a->output = argv[++i];
        } else if (!strcmp(o, "--locale")) {
            a->lang = argv[++i];
        } else if (!strcmp(o, "--locale-dir")) {
            a->locale_dir = argv[++i];
        } else if (!strcmp(o, "--bib")) {
            a->bib = argv[++i];
        } else if (!strcmp(o, "--to")) {
            const char *t = argv[++i];
            a->to_given = true;
            if (!strcmp(t, "text")) {
                a->to = CITE_OUTPUT_TEXT;
            } else if (!strcmp(t, "markdown") || !strcmp(t, "md")) {
                a->to = CITE_OUTPUT_MARKDOWN;
            } else if (!strcmp(t, "html")) {
                a->to = CITE_OUTPUT_HTML;
            } else {
                cli_error("unknown output format '%s' (text, markdown or html)", t);
                return EXIT_USAGE;
            }
        } else if (o[0] == '-' && o[1] != '\0') {
            cli_error("unknown option '%s'; see 'cite reformat --help'", o);
            return EXIT_USAGE;
        } else if (!a->input) {
            a->input = o;
        } else {
            cli_error("more than one document given ('%s' and '%s')", a->input, o);
            return EXIT_USAGE;
        }
    }
    if (!a->input || !a->style) {
        cli_error(!a->input ? "no document given; see 'cite reformat --help'"
                            : "no style given: --style harvard, apa, a name or a "
                              "FILE.csl");
        return EXIT_USAGE;
    }
    if (a->output && (ends_with(a->output, ".docx") || ends_with(a->output, ".odt"))) {
        cli_error("cannot write '%s': cite reformat does not write Word or OpenDocument "
                  "files; a .docx or .odt document is written as Markdown (-o OUT.md)",
                  a->output);
        return EXIT_USAGE;
    }
    if (!a->to_given && (ends_with(a->input, ".md") || ends_with(a->input, ".markdown")))
        a->to = CITE_OUTPUT_MARKDOWN;
    if (a->bib && a->to_given && a->to == CITE_OUTPUT_HTML) {
        cli_error("--bib writes text or Markdown, not HTML; give --to markdown or --to text");
        return EXIT_USAGE;
    }
    return -1;
}

/* Does the reference list write titles in Markdown emphasis ("*Studies in Conflict*")? A .txt
 * file that does is Markdown in all but name (the client's seed is one). */
static bool list_uses_markdown(const char *text, const cite_check *check)
{
    size_t start, end;
    if (!cite_check_reference_span(check, &start, &end))
        return false;
    for (size_t i = start; i + 2 < end; i++) {
        char m = text[i];
        bool opens = (m == '*' || m == '_') && (i == start || text[i - 1] == ' ') &&
                     text[i + 1] != ' ' && text[i + 1] != m;
        for (size_t k = i + 2; opens && k < end && text[k] != '\n'; k++)
            if (text[k] == m && text[k - 1] != ' ')
                return true;
    }
    return false;
}

static int write_output(const reformat_args *a, const char *text, size_t len)
{
    if (!a->output || !strcmp(a->output, "-")) {
        if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
            cli_error("cannot write to standard output");
            return EXIT_USAGE;
        }
        return EXIT_CLEAN;
    }
    if (cite_write_file_atomic(a->output, text, len) < 0) {
        cli_error("cannot write '%s': %s", a->output, strerror(errno));
        return EXIT_USAGE;
    }
    return EXIT_CLEAN;
}

static void print_summary(const char *name, const char *bib, const cite_reformat_stats *s)
{
    fprintf(stderr, "%s: %zu of %zu citations rewritten (%zu groups), %zu left as written", name,
            s->works_rewritten, s->works, s->groups_rewritten, s->works_left);
    if (s->works_kept)
        fprintf(stderr, ", %zu kept as cited", s->works_kept);
    if (bib)
        fprintf(stderr, "; %zu entries of %s listed (the document's list had %zu)\n",
                s->entries_after, bib, s->entries_before);
    else
        fprintf(stderr, "; %zu references rewritten as %zu\n", s->entries_before, s->entries_after);
}

/* The document to reformat, as the text the check runs on: text and Markdown as they are;
 * HTML as its reader's text, the document kept for writing HTML back (*doc); other input, and
 * HTML asked for as text or Markdown, rebuilt from its reader's text (cite_document_markdown),
 * with a note when the input was Word or OpenDocument; as text, the reader's text itself
 * (*text NULL, *doc kept). *text is replaced; 0 or an error. */
static int prepare_text(reformat_args *a,
                        const char *name,
                        char **text,
                        size_t *len,
                        cite_document **doc,
                        cite_diag *diag)
{
    cite_doc_format fmt = cite_document_detect(a->input, *text, *len);
    bool html = fmt == CITE_DOC_HTML && !a->bib && (!a->to_given || a->to == CITE_OUTPUT_HTML);
    if (a->to == CITE_OUTPUT_HTML && fmt != CITE_DOC_HTML) {
        cli_error("--to html needs an HTML document; '%s' is not one", name);
        return CITE_EINVALID;
    }
    if (fmt == CITE_DOC_TEXT || fmt == CITE_DOC_MARKDOWN)
        return 0;
    int err = cite_document_read(doc, *text, *len, name, fmt, diag);
    if (err)
        return err;
    cite_free_string(*text); /* the document has what it needs of it */
    *text = NULL;
    if (html) {
        a->to = CITE_OUTPUT_HTML;
        return 0;
    }
    if (a->to_given && a->to == CITE_OUTPUT_TEXT) { /* the reader's text itself */
        if (fmt != CITE_DOC_HTML)
            fprintf(stderr,
                    "note: %s: written as text, the document's text with the citations and the "
                    "list rewritten; Word and OpenDocument output is not supported\n",
                    name);
        return 0;
    }
    a->to = CITE_OUTPUT_MARKDOWN;
    err = cite_document_markdown(text, len, *doc);
    if (fmt != CITE_DOC_HTML)
        fprintf(stderr,
                "note: %s: written as Markdown built from the document's text, with the "
                "citations and the list rewritten (the places below are in the Markdown); Word "
                "and OpenDocument output is not supported\n",
                name);
    cite_document_free(*doc);
    *doc = NULL;
    return err;
}

int cmd_reformat(int argc, char **argv)
{
    reformat_args a;
    int status = parse_args(&a, argc, argv);
    if (status >= 0)
        return status;
    const char *name = cli_input_name(a.input);
    cite_diag *diag = cite_diag_new();
    cli_style style = { .nlocales = 0 };
    char *text = NULL, *out = NULL;
    size_t len = 0, out_len = 0;
    cite_document *doc = NULL;
    cite_check *check = NULL;
    cite_formatter *f = NULL;
    cite_library *lib = NULL, *cited = NULL;
    cite_reformat_stats stats = { 0 };
    status = EXIT_USAGE;
    if (!diag) {
        cli_error("out of memory");
        goto cleanup;
    }
    if (cli_style_open(&style, a.style, a.lang, a.locale_dir, diag) != EXIT_CLEAN)
        goto cleanup;
    int err = 0;
    if (a.bib && (err = cli_load_library(&lib, a.bib, FMT_AUTO, diag)) == CITE_EPARSE && lib)
        err = 0; /* what could be read is cited from; the errors are printed */
    if (err == 0)
        err = cli_read_input(&text, &len, a.input, diag);
    if (err == 0)
        err = prepare_text(&a, name, &text, &len, &doc, diag);
    const char *checked = text ? text : doc ? cite_document_get_text(doc, &len) : NULL;
    if (err == 0)
        err = cite_check_run(&check, checked, len, name, lib, NULL, diag);
    if (err == 0 && lib)
        err = cite_reformat_cited_library(&cited, check);
    if (err == 0)
        err = cite_formatter_new(&f, style.style, style.locales, style.nlocales, style.lang,
                                 lib ? cited : cite_check_get_library(check));
    if (err == 0 && !a.to_given && a.to == CITE_OUTPUT_TEXT && list_uses_markdown(checked, check))
        a.to = CITE_OUTPUT_MARKDOWN;
    cite_reformat_options opts = { .format = a.to,
                                   .document = a.to == CITE_OUTPUT_HTML ? doc : NULL,
                                   .style = style.style,
                                   .locales = style.locales,
                                   .nlocales = style.nlocales,
                                   .lang = style.lang,
                                   .library_list = lib != NULL };
    if (err == 0)
        err = cite_reformat(&out, &out_len, checked, len, check, f, &opts, &stats, diag);
    if (err == CITE_ENOMEM)
        cli_error("out of memory");
    else if (err == 0)
        status = write_output(&a, out, out_len);
    if (status == EXIT_CLEAN && stats.works_left)
        status = EXIT_PROBLEMS;
cleanup:
    if (diag)
        cli_print_document_diagnostics(diag, doc, name);
    if (out && status != EXIT_USAGE) /* written */
        print_summary(name, a.bib, &stats);
    cite_free_string(out);
    cite_formatter_free(f);
    cite_check_free(check);
    cite_library_free(cited);
    cite_library_free(lib);
    cite_document_free(doc);
    cite_free_string(text);
    cli_style_close(&style);
    cite_diag_free(diag);
    return status;
}
