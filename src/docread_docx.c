/* docread_docx.c: Word documents (.docx, Office Open XML, ECMA-376 Part 1 §17) through libzip
 * and libxml2. The text has one paragraph (<w:p>) per line, a blank line between paragraphs:
 * the visible text of its runs (<w:t>, <w:tab/> as a tab, <w:br/> and <w:cr/> as line breaks,
 * a field's result but not its code, inserted text but not deleted text). A run is italic when
 * its properties hold <w:i/> (not w:val="0", "false" or "off"), bold likewise with <w:b/>.
 * Footnotes (word/footnotes.xml) follow the body, in the order they are called, under a line
 * "Footnotes" (a back-matter heading, so that they never read as part of a reference list).
 *
 * Every paragraph is counted, empty ones too, through the body and then on through the
 * footnotes; a place maps to its paragraph, the character within it, and its footnote.
 *
 * Safety: the file must be a zip (an OLE compound file is an encrypted or legacy Word file
 * and gets its own error); an entry is read only when it inflates to at most
 * CITE_DOC_MAX_ENTRY bytes at a ratio of at most CITE_DOC_MAX_RATIO, and never past the size
 * its header gives; the XML is parsed without network access, DTD loading or entity
 * substitution, under libxml2's default size limits (no XML_PARSE_HUGE). */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <zip.h>

#include "docread.h"

/* ---- The zip --------------------------------------------------------------------------- */

/* Reports why the file cannot be read, at the file; CITE_EPARSE. */
static int fail(cite_diag *diag, const char *file, const char *fmt, ...) CITE_PRINTF(3, 4);
static int fail(cite_diag *diag, const char *file, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cite_diag_report(diag, CITE_SEV_ERROR, (cite_loc){ .file = file }, "%s", msg);
    return CITE_EPARSE;
}

static bool encryption_error(int code)
{
    return code == ZIP_ER_NOPASSWD || code == ZIP_ER_WRONGPASSWD || code == ZIP_ER_ENCRNOTSUPP;
}

/* Reads the zip entry name whole into *out (NUL-terminated; cite_free), within the limits.
 * CITE_ENOTFOUND (nothing reported) when there is no such entry. */
static int
read_entry(char **out, size_t *len, zip_t *zip, const char *name, const char *file, cite_diag *diag)
{
    *out = NULL;
    zip_int64_t index = zip_name_locate(zip, name, 0);
    zip_stat_t st;
    if (index < 0)
        return CITE_ENOTFOUND;
    if (zip_stat_index(zip, (zip_uint64_t)index, 0, &st) < 0 || !(st.valid & ZIP_STAT_SIZE) ||
        !(st.valid & ZIP_STAT_COMP_SIZE))
        return fail(diag, file, "corrupt zip: no size for %s", name);
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
        return fail(diag, file, "%s is encrypted; save the document without a password", name);
    if (st.size > CITE_DOC_MAX_ENTRY)
        return fail(diag, file, "%s inflates past the %zu MiB limit; not read", name,
                    CITE_DOC_MAX_ENTRY >> 20);
    if (st.size > CITE_DOC_RATIO_FLOOR &&
        st.size / (st.comp_size ? st.comp_size : 1) > CITE_DOC_MAX_RATIO)
        return fail(diag, file, "%s inflates more than %d times its size (a zip bomb?); not read",
                    name, CITE_DOC_MAX_RATIO);
    zip_file_t *zf = zip_fopen_index(zip, (zip_uint64_t)index, 0);
    if (!zf) {
        int code = zip_error_code_zip(zip_get_error(zip));
        return fail(diag, file,
                    encryption_error(code) ? "%s is encrypted; save the document without a password"
                                           : "corrupt zip: cannot open %s",
                    name);
    }
    size_t cap = (size_t)st.size + 1, got = 0;
    char *buf = cite_malloc(cap + 1);
    int err = buf ? 0 : CITE_ENOMEM;
    while (err == 0) {
        zip_int64_t n = zip_fread(zf, buf + got, cap - got);
        if (n < 0)
            err = fail(diag, file, "corrupt zip: %s", zip_file_strerror(zf));
        else if (n == 0)
            break;
        else if ((got += (size_t)n) == cap) /* more than the header said: not trusted */
            err = fail(diag, file, "corrupt zip: %s is larger than its header says", name);
    }
    zip_fclose(zf);
    if (err < 0) {
        cite_free(buf);
        return err;
    }
    buf[got] = '\0';
    *out = buf;
    *len = got;
    return 0;
}

/* Opens data[0..len) as a zip; reports why not. */
static int open_zip(zip_t **out, const char *data, size_t len, const char *file, cite_diag *diag)
{
    static const char OLE_MAGIC[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    *out = NULL;
    if (len >= 8 && !memcmp(data, OLE_MAGIC, 8))
        return fail(diag, file,
                    "an encrypted (password-protected) Word file or a legacy .doc, not a .docx; "
                    "save it as .docx without a password");
    if (len < 4 || memcmp(data, "PK\x03\x04", 4))
        return fail(diag, file, "not a zip archive, so not a .docx or .odt");
    zip_error_t zerr;
    zip_error_init(&zerr);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &zerr);
    zip_t *zip = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &zerr) : NULL;
    if (!zip) {
        int err = fail(diag, file, "corrupt zip: %s", zip_error_strerror(&zerr));
        zip_source_free(src);
        zip_error_fini(&zerr);
        return err;
    }
    zip_error_fini(&zerr);
    *out = zip;
    return 0;
}

/* Parses an entry's XML: no network, no DTD, no entity substitution, default size limits. */
static int parse_xml(
    xmlDoc **out, const char *xml, size_t len, const char *entry, const char *file, cite_diag *diag)
{
    int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
#if LIBXML_VERSION >= 21300
    options |= XML_PARSE_NO_XXE;
#endif
    *out = xmlReadMemory(xml, (int)len, entry, NULL, options);
    if (*out)
        return 0;
    const xmlError *e = xmlGetLastError();
    cite_diag_report(diag, CITE_SEV_ERROR, (cite_loc){ .file = file },
                     "corrupt document: %s is not well-formed XML (line %d)", entry,
                     e ? e->line : 0);
    return CITE_EPARSE;
}

/* ---- The text -------------------------------------------------------------------------- */

enum { MAX_FOOTNOTES = 100000 };

typedef struct docx_walk {
    cite_document *doc;
    unsigned number;    /* paragraphs so far, body then footnotes */
    unsigned paragraph; /* paragraphs so far in the part */
    unsigned footnote;  /* the footnote being read; 0 in the body */
    unsigned chars;     /* characters of the current paragraph so far */
    size_t run_start;   /* text offset where the current run began */
    bool italic, bold;  /* of the current run */
    xmlChar **calls;    /* footnote ids in the order the body calls them (xmlFree each) */
    size_t ncalls, calls_cap;
} docx_walk;

static bool is(const xmlNode *node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && !strcmp((const char *)node->name, name);
}

/* <w:i/>, <w:i w:val="1"/> and "true"/"on" switch a property on; "0", "false", "off" off. */
static bool toggle_on(const xmlNode *prop)
{
    xmlChar *val = xmlGetProp(prop, (const xmlChar *)"val");
    bool on = !val || !(xmlStrEqual(val, (const xmlChar *)"0") ||
                        xmlStrEqual(val, (const xmlChar *)"false") ||
                        xmlStrEqual(val, (const xmlChar *)"off"));
    xmlFree(val);
    return on;
}

static void run_properties(docx_walk *w, const xmlNode *run)
{
    w->italic = w->bold = false;
    for (const xmlNode *c = run->children; c; c = c->next)
        if (is(c, "rPr"))
            for (const xmlNode *p = c->children; p; p = p->next) {
                if (is(p, "i"))
                    w->italic = toggle_on(p);
                else if (is(p, "b"))
                    w->bold = toggle_on(p);
            }
}

static cite_doc_line here(const docx_walk *w)
{
    return (cite_doc_line){ .paragraph = w->paragraph,
                            .footnote = w->footnote,
                            .number = w->number,
                            .char_base = w->chars };
}

/* Starts a paragraph after a blank line. */
static void begin_paragraph(docx_walk *w)
{
    cite_buf *t = &w->doc->text;
    if (t->len && t->ptr[t->len - 1] != '\n')
        cite_docbuild_newline(w->doc, (cite_doc_line){ 0 });
    if (t->len && !(t->len >= 2 && t->ptr[t->len - 2] == '\n'))
        cite_docbuild_newline(w->doc, (cite_doc_line){ 0 });
    w->number++;
    w->paragraph++;
    w->chars = 0;
    cite_docbuild_line(w->doc, here(w));
}

static void put_text(docx_walk *w, const char *s)
{
    size_t n = strlen(s);
    cite_buf_put(&w->doc->text, s, n);
    w->chars += (unsigned)cite_utf8_count(s, n);
}

static void footnote_call(docx_walk *w, const xmlNode *node)
{
    xmlChar *id = xmlGetProp(node, (const xmlChar *)"id");
    if (!id)
        return;
    for (size_t i = 0; i < w->ncalls; i++)
        if (xmlStrEqual(w->calls[i], id)) {
            xmlFree(id);
            return;
        }
    if (w->ncalls < MAX_FOOTNOTES &&
        cite_grow_array((void **)&w->calls, &w->calls_cap, w->ncalls + 1, sizeof *w->calls) == 0)
        w->calls[w->ncalls++] = id;
    else
        xmlFree(id);
}

/* Elements whose content is not visible text: properties, field codes, deleted text, the
 * fallback copy of alternate content, comments' marks. */
static const char *const HIDDEN[] = { "rPr", "pPr",      "sectPr", "instrText",        "delText",
                                      "del", "Fallback", "tblPr",  "commentReference", "footnotes",
                                      NULL };

static bool visit(xmlNode *node, void *ctx)
{
    docx_walk *w = ctx;
    if (node->type != XML_ELEMENT_NODE)
        return false;
    for (const char *const *h = HIDDEN; *h; h++)
        if (is(node, *h))
            return false;
    if (is(node, "p")) {
        begin_paragraph(w);
    } else if (is(node, "r")) {
        run_properties(w, node);
        w->run_start = w->doc->text.len;
    } else if (is(node, "t")) {
        xmlChar *s = xmlNodeGetContent(node);
        if (s)
            put_text(w, (const char *)s);
        xmlFree(s);
        return false;
    } else if (is(node, "tab") && node->parent && is(node->parent, "r")) {
        put_text(w, "\t");
    } else if (is(node, "br") || is(node, "cr")) {
        cite_docbuild_newline(w->doc, here(w));
    } else if (is(node, "noBreakHyphen")) {
        put_text(w, "-");
    } else if (is(node, "footnoteReference")) {
        footnote_call(w, node);
    }
    return true;
}

static void leave(xmlNode *node, void *ctx)
{
    docx_walk *w = ctx;
    if (!is(node, "r"))
        return;
    if (w->italic)
        cite_docbuild_span(w->doc, CITE_SPAN_ITALIC, w->run_start, w->doc->text.len);
    if (w->bold)
        cite_docbuild_span(w->doc, CITE_SPAN_BOLD, w->run_start, w->doc->text.len);
    w->italic = w->bold = false;
}

/* The <w:footnote> of footnotes.xml with id, or NULL. */
static xmlNode *find_footnote(xmlDoc *notes, const xmlChar *id)
{
    xmlNode *root = xmlDocGetRootElement(notes);
    for (xmlNode *n = root ? root->children : NULL; n; n = n->next) {
        if (!is(n, "footnote"))
            continue;
        xmlChar *nid = xmlGetProp(n, (const xmlChar *)"id");
        bool same = nid && xmlStrEqual(nid, id);
        xmlFree(nid);
        if (same)
            return n;
    }
    return NULL;
}

/* Appends the footnotes the body called, numbered in calling order as Word shows them. */
static void add_footnotes(docx_walk *w, xmlDoc *notes)
{
    bool heading = false;
    for (size_t i = 0; i < w->ncalls; i++) {
        xmlNode *note = find_footnote(notes, w->calls[i]);
        if (!note)
            continue;
        if (!heading) {
            w->paragraph = 0;
            begin_paragraph(w);
            cite_docbuild_line(w->doc, (cite_doc_line){ 0 });
            w->number--;
            put_text(w, "Footnotes");
            heading = true;
        }
        w->footnote = (unsigned)i + 1;
        w->paragraph = 0;
        for (xmlNode *c = note->children; c; c = c->next)
            cite_docread_walk(c, visit, leave, w);
    }
}

/* Reads word/footnotes.xml when the body calls footnotes. */
static int read_footnotes(docx_walk *w, zip_t *zip, const char *file, cite_diag *diag)
{
    char *xml;
    size_t len;
    xmlDoc *notes = NULL;
    if (w->ncalls == 0)
        return 0;
    int err = read_entry(&xml, &len, zip, "word/footnotes.xml", file, diag);
    if (err == CITE_ENOTFOUND)
        return 0;
    if (err == 0)
        err = parse_xml(&notes, xml, len, "word/footnotes.xml", file, diag);
    cite_free(xml);
    if (err < 0)
        return err;
    add_footnotes(w, notes);
    xmlFreeDoc(notes);
    return 0;
}

int cite_docread_docx(
    cite_document *doc, const char *data, size_t len, const char *file, cite_diag *diag)
{
    zip_t *zip = NULL;
    char *xml = NULL;
    size_t xml_len;
    xmlDoc *body = NULL;
    docx_walk w = { .doc = doc };
    int err = open_zip(&zip, data, len, file, diag);
    if (err == 0 &&
        (err = read_entry(&xml, &xml_len, zip, "word/document.xml", file, diag)) == CITE_ENOTFOUND)
        err = fail(diag, file, "not a Word document: the zip has no %s", "word/document.xml");
    if (err == 0)
        err = parse_xml(&body, xml, xml_len, "word/document.xml", file, diag);
    if (err == 0 && xmlDocGetRootElement(body)) {
        cite_docread_walk(xmlDocGetRootElement(body), visit, leave, &w);
        err = read_footnotes(&w, zip, file, diag);
    }
    for (size_t i = 0; i < w.ncalls; i++)
        xmlFree(w.calls[i]);
    cite_free(w.calls);
    xmlFreeDoc(body);
    cite_free(xml);
    if (zip)
        zip_discard(zip);
    if (err == 0 && (doc->oom || cite_buf_oom(&doc->text)))
        err = CITE_ENOMEM;
    return err;
}
