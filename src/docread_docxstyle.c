/* docread_docxstyle.c: the italic and bold that a Word document's styles (word/styles.xml,
 * ECMA-376 Part 1 §17.7) give its runs. Many documents set no <w:i/> on a run but give it the
 * character style "Emphasis", or set a whole paragraph in an italic paragraph style; the
 * reference parser needs those italics as much as direct ones (a book's or journal's title).
 *
 * Each style's value is resolved once, at load, through its basedOn chain (the nearest style
 * that sets the property wins). A run's value is then, after §17.7.3: its direct formatting
 * when it has any; else the paragraph style's value exclusive-or the character style's (bold
 * and italic are toggle properties: italic text in an italic paragraph reads upright); else
 * the document defaults (<w:docDefaults>). */
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "docread.h"

/* A document has a few hundred styles at most; basedOn chains are short, and a cycle (which
 * Word refuses, a hand-made file may have) ends at the depth limit. */
enum { MAX_STYLES = 20000, MAX_BASED_ON = 32 };

struct cite_docx_style {
    xmlChar *id;      /* w:styleId (xmlFree) */
    xmlChar *based;   /* w:basedOn's w:val, or NULL (xmlFree) */
    bool paragraph;   /* w:type="paragraph", else a character (or other) style */
    signed char i, b; /* -1 not set here, 0 off, 1 on; resolved: through basedOn */
};
typedef struct cite_docx_style docx_style;

struct cite_docx_styles {
    docx_style *items; /* sorted by (paragraph, id) once loaded */
    size_t n, cap;
    const docx_style *normal; /* the default paragraph style, or NULL */
    signed char i, b;         /* the document defaults (-1: none) */
};

static bool is(const xmlNode *node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && !strcmp((const char *)node->name, name);
}

static const xmlNode *child(const xmlNode *node, const char *name)
{
    for (const xmlNode *c = node ? node->children : NULL; c; c = c->next)
        if (is(c, name))
            return c;
    return NULL;
}

/* A toggle property (<w:i/>, <w:b/>): on unless w:val is "0", "false" or "off". */
static bool toggle_on(const xmlNode *prop)
{
    xmlChar *val = xmlGetProp(prop, (const xmlChar *)"val");
    bool on = !val || !(xmlStrEqual(val, (const xmlChar *)"0") ||
                        xmlStrEqual(val, (const xmlChar *)"false") ||
                        xmlStrEqual(val, (const xmlChar *)"off"));
    xmlFree(val);
    return on;
}

/* The italic and bold set by a <w:rPr> (-1 where it sets nothing). */
static void run_props(const xmlNode *rpr, signed char *i, signed char *b)
{
    *i = *b = -1;
    for (const xmlNode *p = rpr ? rpr->children : NULL; p; p = p->next) {
        if (is(p, "i"))
            *i = toggle_on(p);
        else if (is(p, "b"))
            *b = toggle_on(p);
    }
}

static int by_kind_and_id(const void *a, const void *b)
{
    const docx_style *x = a, *y = b;
    if (x->paragraph != y->paragraph)
        return x->paragraph ? 1 : -1;
    return strcmp((const char *)x->id, (const char *)y->id);
}

static const docx_style *find(const cite_docx_styles *st, bool paragraph, const xmlChar *id)
{
    docx_style key = { .id = (xmlChar *)id, .paragraph = paragraph };
    return id && st && st->n ? bsearch(&key, st->items, st->n, sizeof key, by_kind_and_id) : NULL;
}

static int add_style(cite_docx_styles *st, const xmlNode *node)
{
    xmlChar *type = xmlGetProp(node, (const xmlChar *)"type");
    xmlChar *id = xmlGetProp(node, (const xmlChar *)"styleId");
    bool paragraph = type && xmlStrEqual(type, (const xmlChar *)"paragraph");
    bool character = type && xmlStrEqual(type, (const xmlChar *)"character");
    xmlFree(type);
    if (!id || !(paragraph || character) || st->n >= MAX_STYLES) {
        xmlFree(id); /* table and numbering styles format no run text */
        return 0;
    }
    if (cite_grow_array((void **)&st->items, &st->cap, st->n + 1, sizeof *st->items) < 0) {
        xmlFree(id);
        return CITE_ENOMEM;
    }
    docx_style *s = &st->items[st->n++];
    *s = (docx_style){ .id = id, .paragraph = paragraph };
    const xmlNode *based = child(node, "basedOn");
    s->based = based ? xmlGetProp(based, (const xmlChar *)"val") : NULL;
    run_props(child(node, "rPr"), &s->i, &s->b);
    return 0;
}

/* A property of style s as its basedOn chain gives it: the nearest style that sets it. */
static signed char inherited(const cite_docx_styles *st, const docx_style *s, bool italic)
{
    for (int depth = 0; s && depth < MAX_BASED_ON; depth++) {
        signed char v = italic ? s->i : s->b;
        if (v >= 0)
            return v;
        s = find(st, s->paragraph, s->based);
    }
    return -1;
}

/* Resolves every style through its chain (into a copy, so that each chain reads the values
 * as written), and finds the default paragraph style. */
static int resolve(cite_docx_styles *st, const xmlNode *root)
{
    signed char *v = st->n ? cite_malloc(st->n * 2) : NULL;
    if (st->n && !v)
        return CITE_ENOMEM;
    for (size_t k = 0; k < st->n; k++) {
        v[2 * k] = inherited(st, &st->items[k], true);
        v[2 * k + 1] = inherited(st, &st->items[k], false);
    }
    for (size_t k = 0; k < st->n; k++) {
        st->items[k].i = v[2 * k];
        st->items[k].b = v[2 * k + 1];
    }
    cite_free(v);
    for (const xmlNode *c = root->children; c && !st->normal; c = c->next) {
        xmlChar *def = is(c, "style") ? xmlGetProp(c, (const xmlChar *)"default") : NULL;
        bool is_default = def && (xmlStrEqual(def, (const xmlChar *)"1") ||
                                  xmlStrEqual(def, (const xmlChar *)"true"));
        xmlChar *id = is_default ? xmlGetProp(c, (const xmlChar *)"styleId") : NULL;
        st->normal = find(st, true, id); /* NULL for a default character style */
        xmlFree(def);
        xmlFree(id);
    }
    return 0;
}

static int load(cite_docx_styles *st, const xmlNode *root)
{
    const xmlNode *defaults = child(child(child(root, "docDefaults"), "rPrDefault"), "rPr");
    run_props(defaults, &st->i, &st->b);
    for (const xmlNode *c = root->children; c; c = c->next)
        if (is(c, "style")) {
            int err = add_style(st, c);
            if (err < 0)
                return err;
        }
    if (st->n > 1)
        qsort(st->items, st->n, sizeof *st->items, by_kind_and_id);
    return resolve(st, root);
}

int cite_docx_styles_read(cite_docx_styles **out, zip_t *zip, const char *file, cite_diag *diag)
{
    char *xml = NULL;
    size_t len;
    xmlDoc *doc = NULL;
    cite_docx_styles *st = cite_calloc(1, sizeof *st);
    if (!st)
        return CITE_ENOMEM;
    st->i = st->b = -1;
    int err = cite_docread_zip_entry(&xml, &len, zip, "word/styles.xml", file, diag);
    if (err == 0)
        err = cite_docread_xml(&doc, xml, len, "word/styles.xml", file, diag);
    if (err == 0 && xmlDocGetRootElement(doc))
        err = load(st, xmlDocGetRootElement(doc));
    if (err == CITE_ENOTFOUND)
        err = 0; /* a document without styles: direct formatting only */
    xmlFreeDoc(doc);
    cite_free(xml);
    if (err < 0) {
        cite_docx_styles_free(st);
        st = NULL;
    }
    *out = st;
    return err;
}

void cite_docx_styles_free(cite_docx_styles *st)
{
    if (!st)
        return;
    for (size_t k = 0; k < st->n; k++) {
        xmlFree(st->items[k].id);
        xmlFree(st->items[k].based);
    }
    cite_free(st->items);
    cite_free(st);
}

/* The style a <w:pPr>/<w:pStyle> or <w:rPr>/<w:rStyle> names, or NULL. */
static const docx_style *
named_style(const cite_docx_styles *st, const xmlNode *props, const char *ref, bool paragraph)
{
    const xmlNode *r = child(props, ref);
    xmlChar *id = r ? xmlGetProp(r, (const xmlChar *)"val") : NULL;
    const docx_style *s = find(st, paragraph, id);
    xmlFree(id);
    return s;
}

const cite_docx_style *cite_docx_paragraph_style(const cite_docx_styles *st,
                                                 const xmlNode *paragraph)
{
    const docx_style *s = named_style(st, child(paragraph, "pPr"), "pStyle", true);
    return s ? s : st ? st->normal : NULL;
}

/* One property of a run: direct, else paragraph style xor character style, else default. */
static bool effective(signed char direct, signed char para, signed char chr, signed char dflt)
{
    if (direct >= 0)
        return direct;
    if (para >= 0 || chr >= 0)
        return (para > 0) != (chr > 0);
    return dflt > 0;
}

void cite_docx_run_format(const cite_docx_styles *st,
                          const cite_docx_style *paragraph_style,
                          const xmlNode *run,
                          bool *italic,
                          bool *bold)
{
    const xmlNode *rpr = child(run, "rPr");
    const docx_style *para = paragraph_style, *chr = named_style(st, rpr, "rStyle", false);
    signed char di, db;
    run_props(rpr, &di, &db);
    *italic = effective(di, para ? para->i : -1, chr ? chr->i : -1, st ? st->i : -1);
    *bold = effective(db, para ? para->b : -1, chr ? chr->b : -1, st ? st->b : -1);
}
