/* cite.h: the public API of libcite, a bibliography and citation library.
 *
 * Conventions (STYLE.md): functions that can fail return 0 or a negative cite_error; details
 * of bad input go to a cite_diag the caller passes in; the library never prints or exits.
 * `T **out` hands ownership to the caller; getters return borrowed pointers that live as long
 * as their parent; every cite_*_free(NULL) is a no-op. */
#ifndef CITE_H
#define CITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CITE_API               __attribute__((visibility("default")))
#define CITE_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))

#define CITE_VERSION "0.1.0"

typedef enum cite_error {
    CITE_OK = 0,
    CITE_ERROR = -1,      /* generic failure */
    CITE_ENOMEM = -2,     /* an allocation failed */
    CITE_EIO = -3,        /* reading or writing a file failed (errno is kept) */
    CITE_EPARSE = -4,     /* the input is malformed; the diagnostics say where */
    CITE_ENOTFOUND = -5,  /* a lookup found nothing */
    CITE_EAMBIGUOUS = -6, /* a lookup found several things */
    CITE_EINVALID = -7,   /* an argument or value is not acceptable */
    CITE_EEXISTS = -8,    /* an id is already taken */
} cite_error;

/* A short English description of an error code; static storage. */
CITE_API const char *cite_error_str(int error);

/* Allocator hooks: every allocation of the library goes through them, jansson's (the JSON
 * parser's) included: the first CSL-JSON call points jansson's process-wide hooks
 * (json_set_alloc_funcs) at these. NULL restores the C library's malloc, realloc and free.
 * Not thread-safe: set once, before any other call. */
typedef struct cite_allocator {
    void *(*malloc)(size_t size);
    void *(*realloc)(void *ptr, size_t size);
    void (*free)(void *ptr);
} cite_allocator;
CITE_API void cite_set_allocator(const cite_allocator *allocator);

/* ---- Diagnostics ----------------------------------------------------------------------- */

typedef enum cite_severity { CITE_SEV_NOTE, CITE_SEV_WARNING, CITE_SEV_ERROR } cite_severity;

/* A place in an input: 1-based line and column (column in code points); 0 means unknown. */
typedef struct cite_loc {
    const char *file;
    size_t offset; /* byte offset from the start of the input */
    unsigned line, col;
} cite_loc;

typedef struct cite_diag cite_diag;

/* One diagnostic, as reported. All strings are owned by the sink. */
typedef struct cite_diag_item {
    cite_severity severity;
    const char *file; /* NULL when the input has no name */
    size_t offset;
    unsigned line, col;  /* 0 when unknown */
    const char *message; /* lowercase, no trailing period */
    const char *excerpt; /* the source line, without its newline; NULL when unknown */
} cite_diag_item;

/* A new, empty diagnostics sink. Caller owns; free with cite_diag_free(). NULL on OOM. */
CITE_API cite_diag *cite_diag_new(void);
CITE_API void cite_diag_free(cite_diag *d);
/* Records a diagnostic. Never fails visibly: on OOM the sink remembers that it lost one. */
CITE_API void cite_diag_report(cite_diag *d, cite_severity sev, cite_loc at, const char *fmt, ...)
    CITE_PRINTF(4, 5);
/* Like cite_diag_report, with the source line kept for a caret excerpt. */
CITE_API void cite_diag_report_excerpt(cite_diag *d,
                                       cite_severity sev,
                                       cite_loc at,
                                       const char *line,
                                       size_t line_len,
                                       const char *fmt,
                                       ...) CITE_PRINTF(6, 7);
CITE_API size_t cite_diag_count(const cite_diag *d);
/* Number of diagnostics of severity sev. */
CITE_API size_t cite_diag_count_severity(const cite_diag *d, cite_severity sev);
/* The i-th diagnostic, borrowed from the sink; i < cite_diag_count(). */
CITE_API const cite_diag_item *cite_diag_get(const cite_diag *d, size_t i);

/* ---- Documents (readers for .txt, .md, .html, .docx, .odt) ------------------------------ */

/* A manuscript as cite reads it: plain UTF-8 text, the italic and bold spans of that text,
 * and a map from a place in the text back to a place a person can find in the original.
 *
 *   text, Markdown  the text is the file's bytes, unchanged: a place maps to itself
 *   HTML            one paragraph per line (block elements end paragraphs, a blank line between
 *                   them, <br> breaks a line; script and style skipped; blanks collapsed): a
 *                   place maps to the line and column of the HTML source
 *   DOCX, ODT       one paragraph per line, a blank line between paragraphs; footnotes after
 *                   the body under a line "Footnotes", endnotes under "Endnotes": a place maps
 *                   to the paragraph and the character within it (and the note), plus the
 *                   paragraph's first words
 *
 * Check the text (cite_check_run, cite_parse_references) and map each cite_loc they report
 * through cite_document_locate before showing it. */
typedef enum cite_doc_format {
    CITE_DOC_AUTO,     /* cite_document_read: detect (cite_document_detect) */
    CITE_DOC_TEXT,     /* plain text */
    CITE_DOC_MARKDOWN, /* Markdown: *x* and _x_ italic, **x** and __x__ bold */
    CITE_DOC_HTML,     /* HTML (libxml2's HTML parser) */
    CITE_DOC_DOCX,     /* Word 2007+ (.docx): word/document.xml and word/footnotes.xml */
    CITE_DOC_ODT,      /* OpenDocument text (.odt): content.xml */
} cite_doc_format;

typedef enum cite_span_kind { CITE_SPAN_ITALIC, CITE_SPAN_BOLD } cite_span_kind;

/* A styled run of the document's text: bytes [start, end) of cite_document_get_text. */
typedef struct cite_span {
    size_t start, end;
    cite_span_kind kind;
} cite_span;

/* Where a place of the text is in the original. Fields are 0 when unknown. */
typedef struct cite_doc_place {
    unsigned line, col;           /* to print after the file name: the source line and column (code
                                     points) of text, Markdown and HTML; for DOCX and ODT the paragraph
                                     (counted through the body, then on through the footnotes) and the
                                     character within it (1-based, code points) */
    unsigned paragraph;           /* DOCX, ODT: the paragraph within its part (body or footnote) */
    unsigned footnote;            /* DOCX, ODT: the footnote, numbered in calling order as Word
                                     shows them; 0 in the body */
    unsigned endnote;             /* the same for endnotes */
    unsigned text_line, text_col; /* the place of the document's text that was asked for */
} cite_doc_place;

typedef struct cite_document cite_document;

/* The format of a document named name (may be NULL) whose bytes are data[0..len): a zip
 * holding word/document.xml is DOCX, one holding content.xml ODT, whatever the name; else by
 * extension (.md .markdown, .html .htm .xhtml, .docx, .odt; .txt and anything else is text),
 * an HTML start ("<!DOCTYPE html", "<html") counting as HTML. */
CITE_API cite_doc_format cite_document_detect(const char *name, const char *data, size_t len);
/* Reads data[0..len) (not NUL-terminated) as format (CITE_DOC_AUTO: detected). name is borrowed
 * for diagnostics. Returns 0; CITE_EPARSE when the file cannot be read as that format (corrupt
 * zip, encrypted or legacy Word file, not a Word document, an entry over the size limits):
 * one error in diag says why; CITE_ENOMEM. Caller owns *out; free with cite_document_free(). */
CITE_API int cite_document_read(cite_document **out,
                                const char *data,
                                size_t len,
                                const char *name,
                                cite_doc_format format,
                                cite_diag *diag);
/* Like cite_document_read, taking ownership of data[0..len), a NUL-terminated string from
 * cite_read_file() or cite_read_stream(): text and Markdown keep it as their text, with no
 * copy. data is freed whatever the result. */
CITE_API int cite_document_take(cite_document **out,
                                char *data,
                                size_t len,
                                const char *name,
                                cite_doc_format format,
                                cite_diag *diag);
CITE_API void cite_document_free(cite_document *doc);
CITE_API cite_doc_format cite_document_get_format(const cite_document *doc);
/* The text (NUL-terminated, UTF-8 except that text and Markdown keep the file's bytes); its
 * length in bytes goes to *len when len is not NULL. Borrowed from the document. */
CITE_API const char *cite_document_get_text(const cite_document *doc, size_t *len);
/* The italic and bold spans, ordered by start. */
CITE_API size_t cite_document_span_count(const cite_document *doc);
CITE_API const cite_span *cite_document_get_span(const cite_document *doc, size_t i);
/* Where line:col of the text (1-based; col in code points, 0 for the line's start) is in the
 * original. */
CITE_API cite_doc_place cite_document_locate(const cite_document *doc, unsigned line, unsigned col);
/* The same for a byte offset of the text (a cite_loc's offset). */
CITE_API cite_doc_place cite_document_locate_offset(const cite_document *doc, size_t offset);
/* The byte offset in the original file of text byte text_offset: the same offset for text and
 * Markdown; for HTML the source byte it was read from (an entity's '&' for the character it
 * stands for). False when there is none (DOCX, ODT, text the reader added such as the
 * collapsed blank between two HTML lines, or a node it could not follow). For rewriting the
 * original in place: a run of text maps to a run of source when both ends map and the
 * distance is the same. */
CITE_API bool
cite_document_source_offset(const cite_document *doc, size_t text_offset, size_t *source_offset);
/* True when places are paragraph:character (DOCX, ODT) rather than source line:column. */
CITE_API bool cite_document_by_paragraph(const cite_document *doc);
/* For DOCX and ODT: a description a person can search for, such as
 * `paragraph 12, character 34: "Recent work on the Sahel…"` or `footnote 3, paragraph 1,
 * character 7: "See Levine…"` (endnote likewise). Caller owns *out (cite_free_string). 0,
 * CITE_ENOTFOUND (a source document, or an unknown place: nothing to add) or CITE_ENOMEM. */
CITE_API int cite_document_describe(char **out, const cite_document *doc, const cite_doc_place *at);
/* The line to show under a diagnostic at place, without its line break, and the column of
 * the caret in it: the source line for text, Markdown and HTML, the paragraph's line of text
 * for DOCX and ODT. False when unknown. *start is borrowed from the document. */
CITE_API bool cite_document_excerpt(const cite_document *doc,
                                    const cite_doc_place *at,
                                    const char **start,
                                    size_t *len,
                                    unsigned *caret);

/* The document's text as Markdown: its spans as *italic* and **bold** (a span is closed at a
 * line break and opened again after it), and a backslash before '*', '`', '\\' and an '_'
 * that is not inside a word. For writing a Word or OpenDocument file in a form cite can
 * write (cite reformat). *out (NUL-terminated, *len bytes) is the caller's (cite_free_string).
 * 0 or CITE_ENOMEM. */
CITE_API int cite_document_markdown(char **out, size_t *len, const cite_document *doc);

/* ---- Records and libraries -------------------------------------------------------------- */

typedef struct cite_record cite_record;
typedef struct cite_library cite_library;

/* A new, empty library. Caller owns; free with cite_library_free(). NULL on OOM. */
CITE_API cite_library *cite_library_new(void);
/* Frees the library and every record it holds. */
CITE_API void cite_library_free(cite_library *lib);
CITE_API size_t cite_library_count(const cite_library *lib);
/* The i-th record in input order, borrowed; i < cite_library_count(). */
CITE_API const cite_record *cite_library_get(const cite_library *lib, size_t i);
/* Finds a record by id: 0 and *out set (borrowed), or CITE_ENOTFOUND and *out = NULL. */
CITE_API int cite_library_lookup(const cite_record **out, const cite_library *lib, const char *id);

/* The record's citation key and CSL type; borrowed. */
CITE_API const char *cite_record_get_id(const cite_record *rec);
CITE_API const char *cite_record_get_type(const cite_record *rec);
/* The text of an ordinary variable (CSL name such as "title"), borrowed; NULL when absent. */
CITE_API const char *cite_record_get_text(const cite_record *rec, const char *variable);
/* The parts of the i-th name of a name variable ("author"), borrowed; NULL when absent. */
typedef struct cite_name_parts {
    const char *family, *given, *particle, *literal; /* particle: non-dropping ("van der") */
} cite_name_parts;
/* Fills *out and returns true, or returns false past the last name. */
CITE_API bool
cite_record_get_name(const cite_record *rec, const char *variable, size_t i, cite_name_parts *out);

/* ---- Formats ------------------------------------------------------------------------------ */

typedef enum cite_bibtex_dialect {
    CITE_BIBTEX,   /* classic BibTeX: ASCII, non-ASCII as LaTeX escapes */
    CITE_BIBLATEX, /* biblatex: UTF-8, date fields, biblatex field names */
} cite_bibtex_dialect;

/* Reads BibTeX or biblatex source (len bytes, UTF-8) into a new library. file names the input
 * in diagnostics. Malformed entries are reported to diag and skipped; the rest are kept.
 * Returns 0 when clean, CITE_EPARSE when some entry was skipped (*out still holds the rest),
 * or CITE_ENOMEM. Caller owns *out; free with cite_library_free(). */
CITE_API int cite_bibtex_read(
    cite_library **out, const char *src, size_t len, const char *file, cite_diag *diag);
/* Like cite_bibtex_read, from a file; CITE_EIO (and a diagnostic) when it cannot be read. */
CITE_API int cite_bibtex_read_file(cite_library **out, const char *path, cite_diag *diag);

/* Writes the library as BibTeX source. *out receives a NUL-terminated string; caller owns it,
 * free with cite_free_string(). Returns 0 or CITE_ENOMEM. */
CITE_API int cite_bibtex_write(char **out, const cite_library *lib, cite_bibtex_dialect dialect);

/* Loads an XML store, checking it against the RELAX NG schema. Problems are reported to diag
 * as file:line[:col]; returns CITE_EIO, CITE_EPARSE (not well-formed or not valid; *out is
 * NULL) or CITE_ENOMEM. Unknown elements and attributes are kept and written back by
 * cite_xmlstore_write. Caller owns *out. */
CITE_API int cite_xmlstore_load(cite_library **out, const char *path, cite_diag *diag);
/* Like cite_xmlstore_load, from memory. */
CITE_API int cite_xmlstore_load_memory(
    cite_library **out, const char *xml, size_t len, const char *file, cite_diag *diag);
/* Serialises the library as an XML store document. Caller owns *out (cite_free_string()). */
CITE_API int cite_xmlstore_write(char **out, const cite_library *lib);

/* Reads CSL-JSON (len bytes, UTF-8), the item format of citeproc-js, Zotero and pandoc: an
 * array of items, a single item, or {"items": [...]}. Every CSL 1.0.2 variable maps to the
 * record's; citeproc-js's rich text (<i>, <b>, <sup>, <sub>, small-caps and nocase spans)
 * becomes the record's inline markup; keys that are no CSL variable are kept as fields (a
 * value that is not a string as its JSON text, marked so that cite_csljson_write gives it
 * back). file names the input in diagnostics.
 * Invalid JSON is an error at jansson's file:line:col: CITE_EPARSE, *out NULL. An item that
 * is not an object is reported and skipped: CITE_EPARSE, *out holds the rest. An item with
 * no usable id (missing, empty, not a string or number) or a taken one gets a key of its
 * own, with a warning. Returns 0 when clean, CITE_EPARSE, CITE_ENOMEM. Caller owns *out;
 * free with cite_library_free(). */
CITE_API int cite_csljson_read(
    cite_library **out, const char *src, size_t len, const char *file, cite_diag *diag);

/* Writes the library as CSL-JSON: an array of items, two-space indented, one name or date per
 * line; keys in a fixed order (id, type, then the record's fields in their order, which is
 * the XML store's), UTF-8 unescaped. What CSL-JSON cannot carry is left out: the BibTeX
 * type, provenance (<source>), unknown XML attributes and elements, @preamble/@comment.
 * *out receives a NUL-terminated string; caller owns it, free with cite_free_string().
 * Returns 0 or CITE_ENOMEM. */
CITE_API int cite_csljson_write(char **out, const cite_library *lib);

/* Reads RIS (len bytes, UTF-8), the tagged format of EndNote, Zotero, Mendeley and publishers'
 * "download citation" links: TY ... ER records; names "Family, Given"; PY/DA dates; SP/EP
 * pages; tags cite has no variable for kept for cite_ris_write. A tag or text outside a record
 * is an error at its line and skipped (CITE_EPARSE, *out holds the records); a record without
 * ER is kept with a warning; an unknown type reads as "document". Records without an ID tag
 * get a key from the first author and year. Returns 0, CITE_EPARSE or CITE_ENOMEM. Caller
 * owns *out. */
CITE_API int
cite_ris_read(cite_library **out, const char *src, size_t len, const char *file, cite_diag *diag);
/* Writes the library as RIS (one TY ... ER block a record, the citation key as ID). What RIS
 * cannot hold is left out: markup, the end of a date range, year suffixes, provenance. *out
 * is NUL-terminated, the caller's (cite_free_string). 0 or CITE_ENOMEM. */
CITE_API int cite_ris_write(char **out, const cite_library *lib);

/* Writes the library as MODS 3 XML (the Library of Congress's schema, as catalogues,
 * repositories and bibutils read it): a <modsCollection> of <mods ID="key"> records, parts of
 * journals and books with a host <relatedItem>. Markup is dropped. *out is NUL-terminated,
 * the caller's (cite_free_string). 0 or CITE_ENOMEM. */
CITE_API int cite_mods_write(char **out, const cite_library *lib);

/* Writes len bytes to path atomically: a temporary file in the same folder, fsync, rename.
 * On failure the old file is untouched; returns CITE_EIO with errno set. */
CITE_API int cite_write_file_atomic(const char *path, const char *data, size_t len);
/* Reads a whole file. Caller owns *out (cite_free_string()); *len_out gets its length.
 * CITE_EIO with errno set when it cannot be read, CITE_ENOMEM. */
CITE_API int cite_read_file(char **out, size_t *len_out, const char *path);
/* Like cite_read_file, from an open stream (standard input) up to its end. */
CITE_API int cite_read_stream(char **out, size_t *len_out, FILE *in);

/* Finds the reference list of a document (text[0..len), UTF-8: a manuscript whose list is
 * headed References, Sources, Bibliography..., or a bare list) and parses each reference into
 * a record keeping its text and starting line (<source line="N">), in input order, with a
 * key made from its first author and year. A reference that does not look like one becomes a
 * "document" entry with a warning. Returns 0; CITE_EPARSE when no reference was found (*out
 * is then an empty library); CITE_ENOMEM (*out NULL). Caller owns *out. */
CITE_API int cite_parse_references(
    cite_library **out, const char *text, size_t len, const char *file, cite_diag *diag);

/* ---- Citation checking (cite check) ------------------------------------------------------ */

typedef enum cite_link_status {
    CITE_LINK_RESOLVED,    /* exactly one entry (perhaps with a remark: diacritics, et al.) */
    CITE_LINK_NEAR_MISS,   /* no entry, but one that differs in one respect */
    CITE_LINK_AMBIGUOUS,   /* several entries */
    CITE_LINK_UNRESOLVED,  /* nothing */
    CITE_LINK_NOT_CHECKED, /* needs no entry: personal communication, the original work of
                              "as cited in" */
} cite_link_status;

/* Which style's rules the style warnings follow. AUTO: APA when the document joins two
 * authors inside parentheses with "&" more often than with "and", else Harvard. */
typedef enum cite_rules { CITE_RULES_AUTO, CITE_RULES_APA, CITE_RULES_HARVARD } cite_rules;

typedef struct cite_check_options {
    cite_rules rules;
    /* The document the text was read from (may be NULL): places named inside messages ("it
     * matches 'Jain et al. (2010)' (paragraph 12)") are then its places, not the text's lines. */
    const cite_document *document;
} cite_check_options;

/* One cited work (a group "(A, 2020; B, 2021)" gives two). Strings are never NULL ("" when
 * absent) and are owned by the check. */
typedef struct cite_citation {
    cite_loc at;      /* the first character of its author (of the bracket when numeric);
                         at.offset is its byte offset in the text */
    const char *text; /* "Levine, 2025, p. 12", "Dillman et al. (2008)", "1–3" */
    const char *const *authors;
    size_t nauthors;
    const char *year; /* "2025a", "n.d.", "in press"; "" when numeric */
    const char *prefix, *locator;
    bool narrative, numeric;
    unsigned number; /* the reference number of a numeric callout */
    cite_link_status status;
    const char *why;          /* "year", "spelling", "particle-dropped", "group-name",
                                 "suffix-missing", "diacritics", ...; "" */
    size_t reference;         /* library index: the entry, or the best suggestion; SIZE_MAX */
    const size_t *candidates; /* near-miss suggestions, or the entries of an ambiguity */
    size_t ncandidates;
    const char *message; /* the diagnostic's text; "" when it resolved cleanly */
    unsigned group;      /* the works of one bracket group share it (numbered from 1) */
    size_t open, close;  /* that group as written, in bytes: [open, close) runs from its
                            opening bracket to just past its closing one (a narrative
                            citation's author stands before open); close == open when it
                            has no brackets ("as in Song et al., 2021") or never closes */
} cite_citation;

/* A diagnostic of the check, in document order: flag names the kind ("unresolved",
 * "near-miss", "ambiguous", "uncited", "diacritics", "apa:amp-in-narrative", ...) so that a
 * user can silence it. */
typedef struct cite_finding {
    cite_severity severity;
    const char *flag;
    cite_loc at;
    const char *message;
} cite_finding;

typedef struct cite_check cite_check;

/* Finds and links every in-text citation of a document (text[0..len), UTF-8). The reference
 * list is lib when given (borrowed; it must outlive the check), else the document's own list
 * (cite_parse_references), whose lines are not scanned for citations. Returns 0 (*out holds
 * the result, whatever it says); CITE_EPARSE when lib is NULL and the document has no list;
 * CITE_ENOMEM. Caller owns *out; free with cite_check_free(). */
CITE_API int cite_check_run(cite_check **out,
                            const char *text,
                            size_t len,
                            const char *file,
                            const cite_library *lib,
                            const cite_check_options *options,
                            cite_diag *diag);
CITE_API void cite_check_free(cite_check *check);
CITE_API size_t cite_check_citation_count(const cite_check *check);
CITE_API const cite_citation *cite_check_get_citation(const cite_check *check, size_t i);
CITE_API size_t cite_check_finding_count(const cite_check *check);
CITE_API const cite_finding *cite_check_get_finding(const cite_check *check, size_t i);
/* The reference list the citations were linked to (borrowed). */
CITE_API const cite_library *cite_check_get_library(const cite_check *check);
/* Where entry i is (its line in the document or in the library file; line 0 when unknown). */
CITE_API cite_loc cite_check_reference_loc(const cite_check *check, size_t i);
/* Times entry i is cited: by citations resolved to it, by near misses that suggest it first
 * (the writer meant it) and by ambiguous citations that list it (one of them was meant). An
 * entry cited 0 times gets an "uncited" finding. */
CITE_API unsigned cite_check_times_cited(const cite_check *check, size_t i);
/* "Boeke & de Valk (2019)"; and its year as printed ("2021a", "n.d."). Owned by the check. */
CITE_API const char *cite_check_reference_label(const cite_check *check, size_t i);
CITE_API const char *cite_check_reference_year(const cite_check *check, size_t i);
/* The bytes of the document's own reference list, [*start, *end): from the start of the
 * first entry's line (its list marker included) to the end of the last entry's text
 * (trailing blank space excluded). False (and an empty span) when the check's list came from
 * a library or the document has no entries. */
CITE_API bool cite_check_reference_span(const cite_check *check, size_t *start, size_t *end);
/* The rules the style warnings followed (AUTO resolved to APA or HARVARD). */
CITE_API cite_rules cite_check_get_rules(const cite_check *check);

/* ---- CSL styles, locales and formatting (cite format) ------------------------------------- */

typedef struct cite_style cite_style;
typedef struct cite_locale cite_locale;

/* Loads a CSL 1.0.2 style. libxml2 reads it with no network, no entity substitution and no
 * DTD (a DOCTYPE is refused). Problems are reported to diag at file:line; an unknown element
 * or attribute value is a warning, a missing macro or a macro that calls itself an error.
 * Returns 0, CITE_EIO, CITE_EPARSE (*out NULL) or CITE_ENOMEM. Caller owns *out; free with
 * cite_style_free(). */
CITE_API int cite_style_load(cite_style **out, const char *path, cite_diag *diag);
/* Like cite_style_load, from memory; file names the input in diagnostics (may be NULL). */
CITE_API int cite_style_load_memory(
    cite_style **out, const char *xml, size_t len, const char *file, cite_diag *diag);
CITE_API void cite_style_free(cite_style *style);
/* The style's default-locale ("en-GB"), borrowed; NULL when it sets none. */
CITE_API const char *cite_style_get_default_locale(const cite_style *style);

/* Loads a CSL locale file (locales-en-US.xml), with the same safeguards and returns as
 * cite_style_load. Caller owns *out; free with cite_locale_free(). */
CITE_API int cite_locale_load(cite_locale **out, const char *path, cite_diag *diag);
CITE_API int cite_locale_load_memory(
    cite_locale **out, const char *xml, size_t len, const char *file, cite_diag *diag);
CITE_API void cite_locale_free(cite_locale *locale);
/* The locale's xml:lang ("en-US"), borrowed; NULL when it has none. */
CITE_API const char *cite_locale_get_lang(const cite_locale *locale);
/* The primary dialect of a bare language ("de" -> "de-DE", "en" -> "en-US"), the locale file
 * CSL falls back to; any other tag is returned as it is. Static storage or lang itself. */
CITE_API const char *cite_locale_primary_dialect(const char *lang);

/* Output formats of the formatter. HTML follows citeproc-js (<i>, <b>, <span style=...>,
 * <div class="csl-entry">, & < > as &amp; &lt; &gt;); Markdown uses *, ** and escapes
 * its own punctuation; text drops all formatting. */
typedef enum cite_output { CITE_OUTPUT_TEXT, CITE_OUTPUT_HTML, CITE_OUTPUT_MARKDOWN } cite_output;

typedef struct cite_formatter cite_formatter;

/* Binds a style, its locales and a library for rendering. locales[0..n) are searched in
 * order for terms, date formats and options after the style's own <locale> elements (those
 * for lang first, then for its language, then those without xml:lang): pass the locale of
 * the language wanted first and en-US last. lang selects the style's <locale> elements;
 * NULL means the first locale's. Everything is borrowed and must outlive the formatter.
 * Every record of lib is registered, in order, for the bibliography, citation numbers and
 * disambiguation. Returns 0 or CITE_ENOMEM. Caller owns *out; free with
 * cite_formatter_free(). */
CITE_API int cite_formatter_new(cite_formatter **out,
                                const cite_style *style,
                                cite_locale *const *locales,
                                size_t nlocales,
                                const char *lang,
                                const cite_library *lib);
CITE_API void cite_formatter_free(cite_formatter *f);

/* Renders the bibliography (sorted as the style says): in text and Markdown one entry a line,
 * each ending in a newline; in HTML citeproc-js's <div class="csl-bib-body"> with one
 * <div class="csl-entry"> a line. *out is "" when the style has no bibliography. Caller owns
 * *out (cite_free_string()). Returns 0 or CITE_ENOMEM. */
CITE_API int cite_format_bibliography(char **out, cite_formatter *f, cite_output format);

/* Where a cite stands among the cites of its item (CSL 1.0.2, Choose, position). */
typedef enum cite_position {
    CITE_POSITION_AUTO = 0, /* worked out from the note numbers of the formatter's citations */
    CITE_POSITION_FIRST,
    CITE_POSITION_SUBSEQUENT,
    CITE_POSITION_IBID,
    CITE_POSITION_IBID_WITH_LOCATOR,
} cite_position;

/* One cited item of a citation. Everything but id may be NULL, false or 0. */
typedef struct cite_cite_item {
    const char *id;
    const char *locator;         /* "12-15" */
    const char *label;           /* locator type: "page" (the default), "chapter", ... */
    const char *prefix, *suffix; /* text around the cite, inside the layout's affixes */
    bool suppress_author, author_only;
    cite_position position; /* as the caller's document has it (a word processor that knows
                               its notes); CITE_POSITION_AUTO: the formatter's own count */
} cite_cite_item;

/* Renders one citation (a cluster) of items[0..n) with the style's <citation>, sorted,
 * disambiguated against the whole library and collapsed as it says. When note_index > 0 the
 * formatter remembers the cites so that later ones get positions (subsequent, ibid, ...)
 * as in a document's notes; with 0 every cite is a first one. CITE_ENOTFOUND when an id is
 * not in the library. Caller owns *out (cite_free_string()). */
CITE_API int cite_format_citation(char **out,
                                  cite_formatter *f,
                                  const cite_cite_item *items,
                                  size_t n,
                                  int note_index,
                                  cite_output format);

/* ---- Reformatting (cite reformat) ------------------------------------------------------- */

typedef struct cite_reformat_options {
    cite_output format; /* CITE_OUTPUT_TEXT or CITE_OUTPUT_MARKDOWN: how the new citations
                           and the new list are written (Markdown: *italics*); HTML with
                           an HTML document below */
    /* An HTML document (cite_document_read) whose text is text[0..len), or NULL: then *out is
     * its HTML source with each edit mapped back to the source bytes the text was read from
     * (format must be CITE_OUTPUT_HTML: <i> for italics). A citation whose source holds a tag
     * or comment is left as written, with a warning; the list's entries are written in the
     * element the original's entries were. Borrowed. cite_reformat returns CITE_ERROR when
     * text is not the document's text or format is not CITE_OUTPUT_HTML. */
    const cite_document *document;
    /* The formatter's style and locales (borrowed; may be NULL/0): the word for "and" that
     * joins the authors of a narrative citation comes from them. */
    const cite_style *style;
    cite_locale *const *locales;
    size_t nlocales;
    const char *lang; /* the formatter's lang; NULL: the first locale's */
    /* The check ran against a library (cite check --bib), f is bound to the works cited
     * (cite_reformat_cited_library): the document's own list, under its heading, becomes
     * their bibliography, and a document without one gains it at its end under "References".
     * Text and Markdown only (CITE_ERROR for HTML). */
    bool library_list;
} cite_reformat_options;

/* What cite_reformat did, counted in bracket groups ("(A, 2020; B, 2021)" is one group of two
 * works) and in works. */
typedef struct cite_reformat_stats {
    size_t groups, works;                     /* found by the check */
    size_t groups_rewritten, works_rewritten; /* in the style's form */
    size_t groups_left, works_left;           /* left as written, with a warning each */
    size_t groups_kept, works_kept;           /* left as written by rule ("as cited in") */
    size_t entries_before, entries_after;     /* of the reference list */
} cite_reformat_stats;

/* Rewrites the document text[0..len) that check was run on (its own reference list, not a
 * library) in the style of f (a formatter bound to cite_check_get_library(check)): every
 * bracket group of citations whose works all resolved becomes the style's citation of those
 * works (locators, their labels and prefixes kept; sorted and given year letters as the style
 * says); a narrative citation stays narrative, "Author (Year)"; the reference list's entries
 * become the style's bibliography (its heading and everything around it kept). All other bytes
 * are unchanged. A group with a work that did not resolve, or with text that cannot be placed
 * in the new form, is left as written and reported to diag as a warning at the citation;
 * "as cited in" is left as written silently. *out (NUL-terminated, *out_len bytes) is owned by
 * the caller (cite_free_string()). stats may be NULL. Before it returns, the output is checked
 * as cite check would read it, and a group whose new form would not be found again (or would
 * not resolve) is put back as written, with a warning. Returns 0 or CITE_ENOMEM. */
CITE_API int cite_reformat(char **out,
                           size_t *out_len,
                           const char *text,
                           size_t len,
                           const cite_check *check,
                           cite_formatter *f,
                           const cite_reformat_options *options,
                           cite_reformat_stats *stats,
                           cite_diag *diag);

/* A new library holding copies of the entries of check's library that its citations resolve
 * to, in the library's order: what a formatter for cite_reformat with a library binds to, so
 * that the bibliography lists the works cited and no others. 0 or CITE_ENOMEM. */
CITE_API int cite_reformat_cited_library(cite_library **out, const cite_check *check);

/* Frees a string returned by the library. */
CITE_API void cite_free_string(char *s);

#ifdef __cplusplus
}
#endif
#endif
