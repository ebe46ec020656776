/* docread_odt.c: OpenDocument text (.odt, ODF 1.2 Part 1 §5-6) from content.xml, laid out as
 * the DOCX reader lays out Word: one paragraph (<text:p>, <text:h>) per line with a blank line
 * between paragraphs, <text:s/> as its spaces, <text:tab/> a tab, <text:line-break/> a line
 * break, blanks of the XML collapsed (§6.1.2), tracked deletions and annotations skipped.
 * Notes (<text:note>) follow the body in their order, footnotes under a line "Footnotes",
 * then endnotes under a line "Endnotes". A <text:span> or a whole paragraph is italic when its
 * style (automatic, in content.xml, or named, in styles.xml, through its parent styles) sets
 * fo:font-style "italic" (or "oblique"), or it uses the style Emphasis; bold likewise with
 * fo:font-weight "bold" (or 600 and more) or Strong_20_Emphasis. */
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "docread.h"

/* <text:s text:c="N"/> gives at most MAX_SPACES spaces, so that the text stays within a few
 * times the size of the XML. */
enum { MAX_NESTED_SPANS = 64, MAX_STYLES = 4096, MAX_SPACES = 64, MAX_NOTES = 100000 };

typedef struct odt_style {
    xmlChar *name;
    xmlChar *parent;  /* style:parent-style-name, or NULL */
    signed char i, b; /* -1 not set here, 0 off, 1 on; after resolve_styles: inherited */
} odt_style;

typedef struct odt_walk {
    cite_document *doc;
    unsigned number, paragraph, chars;
    unsigned note;         /* the note being read, numbered within its class; 0 in the body */
    bool endnote;          /* it is an endnote */
    unsigned in_paragraph; /* depth of <text:p>/<text:h>: text outside them is layout */
    odt_style *styles;
    size_t nstyles, styles_cap;
    struct {
        const xmlNode *node;
        size_t italic, bold; /* span indexes, SIZE_MAX for none */
    } open[MAX_NESTED_SPANS];
    size_t nopen;
    struct odt_note {
        xmlNode *body;
        bool endnote;
    } * notes; /* in document order */
    size_t nnotes, notes_cap;
} odt_walk;

static bool is(const xmlNode *node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && !strcmp((const char *)node->name, name);
}

static bool prop_is(const xmlNode *node, const char *prop, const char *value)
{
    xmlChar *v = xmlGetProp(node, (const xmlChar *)prop);
    bool same = v && xmlStrEqual(v, (const xmlChar *)value);
    xmlFree(v);
    return same;
}

static int by_name(const void *a, const void *b)
{
    return strcmp((const char *)((const odt_style *)a)->name,
                  (const char *)((const odt_style *)b)->name);
}

/* The italic and bold a <style:text-properties> sets (-1 where it sets nothing). */
static void text_properties(const xmlNode *p, signed char *italic, signed char *bold)
{
    xmlChar *style = xmlGetProp(p, (const xmlChar *)"font-style");
    xmlChar *weight = xmlGetProp(p, (const xmlChar *)"font-weight");
    if (style)
        *italic = xmlStrEqual(style, (const xmlChar *)"italic") ||
                  xmlStrEqual(style, (const xmlChar *)"oblique");
    if (weight)
        *bold = xmlStrEqual(weight, (const xmlChar *)"bold") || atoi((const char *)weight) >= 600;
    xmlFree(style);
    xmlFree(weight);
}

/* The styles of one <office:automatic-styles> or <office:styles>: every paragraph and text
 * style, with what it sets and its parent. */
static void add_styles(odt_walk *w, const xmlNode *section)
{
    for (const xmlNode *st = section->children; st; st = st->next) {
        if (!is(st, "style") || w->nstyles >= MAX_STYLES)
            continue;
        odt_style s = { .i = -1, .b = -1 };
        for (const xmlNode *p = st->children; p; p = p->next)
            if (is(p, "text-properties"))
                text_properties(p, &s.i, &s.b);
        s.name = xmlGetProp(st, (const xmlChar *)"name");
        s.parent = xmlGetProp(st, (const xmlChar *)"parent-style-name");
        if (s.name && cite_grow_array((void **)&w->styles, &w->styles_cap, w->nstyles + 1,
                                      sizeof *w->styles) == 0) {
            w->styles[w->nstyles++] = s;
        } else {
            xmlFree(s.name);
            xmlFree(s.parent);
        }
    }
}

/* The styles sections of a document root (content.xml's or styles.xml's). */
static void read_styles(odt_walk *w, const xmlNode *root)
{
    for (const xmlNode *sec = root ? root->children : NULL; sec; sec = sec->next)
        if (is(sec, "automatic-styles") || is(sec, "styles"))
            add_styles(w, sec);
}

static const odt_style *find_style(const odt_walk *w, const xmlChar *name)
{
    odt_style key = { .name = (xmlChar *)name };
    return name && w->nstyles ? bsearch(&key, w->styles, w->nstyles, sizeof key, by_name) : NULL;
}

/* A property as the style's parent chain gives it: the nearest style that sets it (a chain
 * that loops ends at the depth limit). */
static signed char inherited(const odt_walk *w, const odt_style *s, bool italic)
{
    for (int depth = 0; s && depth < 32; depth++) {
        signed char v = italic ? s->i : s->b;
        if (v >= 0)
            return v;
        s = find_style(w, s->parent);
    }
    return -1;
}

/* Sorts the styles by name and resolves each through its parents (into a copy, so that each
 * chain reads the values as written). */
static void resolve_styles(odt_walk *w)
{
    if (w->nstyles > 1)
        qsort(w->styles, w->nstyles, sizeof *w->styles, by_name);
    signed char *v = w->nstyles ? cite_malloc(2 * w->nstyles) : NULL;
    for (size_t k = 0; v && k < w->nstyles; k++) {
        v[2 * k] = inherited(w, &w->styles[k], true);
        v[2 * k + 1] = inherited(w, &w->styles[k], false);
    }
    for (size_t k = 0; v && k < w->nstyles; k++) {
        w->styles[k].i = v[2 * k];
        w->styles[k].b = v[2 * k + 1];
    }
    if (w->nstyles && !v)
        w->doc->oom = true;
    cite_free(v);
}

/* The italic and bold of a paragraph's or span's text:style-name. LibreOffice's own
 * "Emphasis" and "Strong_20_Emphasis" count even when the document does not define them. */
static void element_style(const odt_walk *w, const xmlNode *node, bool *italic, bool *bold)
{
    xmlChar *name = xmlGetProp(node, (const xmlChar *)"style-name");
    *italic = name && xmlStrEqual(name, (const xmlChar *)"Emphasis");
    *bold = name && xmlStrEqual(name, (const xmlChar *)"Strong_20_Emphasis");
    const odt_style *st = find_style(w, name);
    if (st && st->i >= 0)
        *italic = st->i;
    if (st && st->b >= 0)
        *bold = st->b;
    xmlFree(name);
}

static void begin_paragraph(odt_walk *w)
{
    cite_docbuild_blank_line(w->doc);
    w->number++;
    w->paragraph++;
    w->chars = 0;
    cite_docbuild_line(w->doc, (cite_doc_line){ .paragraph = w->paragraph,
                                                .footnote = w->endnote ? 0 : w->note,
                                                .endnote = w->endnote ? w->note : 0,
                                                .number = w->number });
}

static bool at_line_start(const odt_walk *w)
{
    const cite_buf *t = &w->doc->text;
    return t->len == 0 || t->ptr[t->len - 1] == '\n';
}

/* Appends XML text with its blanks collapsed to single spaces (none at a line's start). */
static void put_collapsed(odt_walk *w, const char *s)
{
    cite_buf *t = &w->doc->text;
    for (; *s; s++) {
        bool blank = *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r';
        if (blank && (at_line_start(w) || t->ptr[t->len - 1] == ' '))
            continue;
        cite_buf_putc(t, blank ? ' ' : *s);
        w->chars += ((unsigned char)*s & 0xC0) != 0x80;
    }
}

static void put_raw(odt_walk *w, const char *s, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        cite_buf_puts(&w->doc->text, s);
    w->chars += n;
}

/* Opens the italic and bold spans a paragraph's or span's style asks for; leave closes them. */
static void open_span(odt_walk *w, const xmlNode *node)
{
    bool italic, bold;
    element_style(w, node, &italic, &bold);
    if (w->nopen >= MAX_NESTED_SPANS)
        return;
    w->open[w->nopen].node = node;
    w->open[w->nopen].italic = italic ? cite_docbuild_open(w->doc, CITE_SPAN_ITALIC) : SIZE_MAX;
    w->open[w->nopen].bold = bold ? cite_docbuild_open(w->doc, CITE_SPAN_BOLD) : SIZE_MAX;
    w->nopen++;
}

static bool visit(xmlNode *node, void *ctx)
{
    odt_walk *w = ctx;
    if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
        if (w->in_paragraph && node->content)
            put_collapsed(w, (const char *)node->content);
        return false;
    }
    if (node->type != XML_ELEMENT_NODE || is(node, "tracked-changes") || is(node, "annotation") ||
        is(node, "note-citation") || is(node, "automatic-styles") || is(node, "font-face-decls") ||
        is(node, "scripts"))
        return false;
    if (is(node, "note")) {
        bool endnote = prop_is(node, "note-class", "endnote");
        for (xmlNode *c = node->children; c; c = c->next)
            if (is(c, "note-body") && w->nnotes < MAX_NOTES &&
                cite_grow_array((void **)&w->notes, &w->notes_cap, w->nnotes + 1,
                                sizeof *w->notes) == 0)
                w->notes[w->nnotes++] = (struct odt_note){ .body = c, .endnote = endnote };
        return false;
    }
    if (is(node, "p") || is(node, "h")) {
        begin_paragraph(w);
        w->in_paragraph++;
        open_span(w, node);
    } else if (is(node, "span")) {
        open_span(w, node);
    } else if (is(node, "s")) {
        xmlChar *c = xmlGetProp(node, (const xmlChar *)"c");
        long n = c ? strtol((const char *)c, NULL, 10) : 1;
        xmlFree(c);
        put_raw(w, " ", n < 1 ? 1 : n > MAX_SPACES ? MAX_SPACES : (unsigned)n);
    } else if (is(node, "tab")) {
        put_raw(w, "\t", 1);
    } else if (is(node, "line-break")) {
        cite_docbuild_newline(w->doc, (cite_doc_line){ .paragraph = w->paragraph,
                                                       .footnote = w->endnote ? 0 : w->note,
                                                       .endnote = w->endnote ? w->note : 0,
                                                       .number = w->number,
                                                       .char_base = w->chars });
    }
    return true;
}

static void leave(xmlNode *node, void *ctx)
{
    odt_walk *w = ctx;
    if ((is(node, "p") || is(node, "h")) && w->in_paragraph)
        w->in_paragraph--;
    if (w->nopen && w->open[w->nopen - 1].node == node) {
        w->nopen--;
        cite_docbuild_close(w->doc, w->open[w->nopen].italic);
        cite_docbuild_close(w->doc, w->open[w->nopen].bold);
    }
}

/* Appends the footnotes (endnote false) or the endnotes, in document order and numbered so,
 * under their heading. A note holding notes adds them to the list as it is walked. */
static void add_notes(odt_walk *w, bool endnote)
{
    unsigned number = 0;
    for (size_t i = 0; i < w->nnotes; i++) {
        if (w->notes[i].endnote != endnote)
            continue;
        if (number == 0) {
            w->note = w->paragraph = 0;
            begin_paragraph(w);
            cite_docbuild_line(w->doc, (cite_doc_line){ 0 });
            w->number--;
            put_collapsed(w, endnote ? "Endnotes" : "Footnotes");
        }
        w->note = ++number;
        w->endnote = endnote;
        w->paragraph = 0;
        for (xmlNode *c = w->notes[i].body->children; c; c = c->next)
            cite_docread_walk(c, visit, leave, w);
    }
}

/* styles.xml, when the package has one: the named styles the automatic ones build on. A
 * styles part that is not well-formed is reported; one that is absent is no error. */
static int read_named_styles(odt_walk *w, zip_t *zip, const char *file, cite_diag *diag)
{
    char *xml = NULL;
    size_t len;
    xmlDoc *styles = NULL;
    int err = cite_docread_zip_entry(&xml, &len, zip, "styles.xml", file, diag);
    if (err == 0)
        err = cite_docread_xml(&styles, xml, len, "styles.xml", file, diag);
    if (err == 0)
        read_styles(w, xmlDocGetRootElement(styles));
    xmlFreeDoc(styles);
    cite_free(xml);
    return err == CITE_ENOTFOUND ? 0 : err;
}

int cite_docread_odt(cite_document *doc, zip_t *zip, const char *file, cite_diag *diag)
{
    char *xml = NULL;
    size_t len;
    xmlDoc *content = NULL;
    odt_walk w = { .doc = doc };
    int err = cite_docread_zip_entry(&xml, &len, zip, "content.xml", file, diag);
    if (err == 0)
        err = cite_docread_xml(&content, xml, len, "content.xml", file, diag);
    if (err == 0)
        err = read_named_styles(&w, zip, file, diag);
    xmlNode *root = err == 0 ? xmlDocGetRootElement(content) : NULL;
    if (root) {
        read_styles(&w, root);
        resolve_styles(&w);
        for (xmlNode *c = root->children; c; c = c->next)
            if (is(c, "body"))
                cite_docread_walk(c, visit, leave, &w);
        add_notes(&w, false);
        add_notes(&w, true);
    }
    for (size_t i = 0; i < w.nstyles; i++) {
        xmlFree(w.styles[i].name);
        xmlFree(w.styles[i].parent);
    }
    cite_free(w.styles);
    cite_free(w.notes);
    xmlFreeDoc(content);
    cite_free(xml);
    if (err == 0 && (doc->oom || cite_buf_oom(&doc->text)))
        err = CITE_ENOMEM;
    return err;
}
