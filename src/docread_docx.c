/* docread_docx.c: Word documents (.docx, Office Open XML, ECMA-376 Part 1 §17) through libzip
 * and libxml2. The text has one paragraph (<w:p>) per line, a blank line between paragraphs:
 * the visible text of its runs (<w:t>, <w:tab/> as a tab, <w:br/> and <w:cr/> as line breaks,
 * a field's result but not its code, inserted text but not deleted text). A run is italic when
 * its properties hold <w:i/> (not w:val="0", "false" or "off") or its styles make it so
 * (docread_docxstyle.c), bold likewise with <w:b/>.
 * Footnotes (word/footnotes.xml) follow the body, in the order they are called, under a line
 * "Footnotes" (a back-matter heading, so that they never read as part of a reference list);
 * then endnotes (word/endnotes.xml) under a line "Endnotes".
 *
 * Every paragraph is counted, empty ones too, through the body and then on through the
 * notes; a place maps to its paragraph, the character within it, and its note.
 *
 * The zip and its limits are docread_zip.c's. */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "docread.h"

/* ---- The text -------------------------------------------------------------------------- */

/* Notes read at most of each kind; each call is looked up among the earlier ones (Word
 * documents have hundreds at most). */
enum { MAX_NOTES = 5000 };

/* Footnotes and endnotes: their part, element, call and the line that heads them. */
typedef enum note_kind { FOOTNOTE, ENDNOTE, NOTE_KINDS } note_kind;
static const struct {
    const char *part, *element, *call, *heading;
} NOTES[NOTE_KINDS] = {
    [FOOTNOTE] = { "word/footnotes.xml", "footnote", "footnoteReference", "Footnotes" },
    [ENDNOTE] = { "word/endnotes.xml", "endnote", "endnoteReference", "Endnotes" },
};

typedef struct note_calls {
    xmlChar **ids; /* in the order the document calls them (xmlFree each) */
    size_t n, cap;
} note_calls;

typedef struct docx_walk {
    cite_document *doc;
    unsigned number;    /* paragraphs so far, body then notes */
    unsigned paragraph; /* paragraphs so far in the part */
    unsigned note;      /* the note being read (1-based, in calling order); 0 in the body */
    note_kind kind;     /* of that note */
    unsigned chars;     /* characters of the current paragraph so far */
    size_t run_start;   /* text offset where the current run began */
    bool italic, bold;  /* of the current run */
    const cite_docx_styles *styles;
    const cite_docx_style *paragraph_style; /* of the current paragraph */
    note_calls calls[NOTE_KINDS];
} docx_walk;

static bool is(const xmlNode *node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && !strcmp((const char *)node->name, name);
}

static cite_doc_line here(const docx_walk *w)
{
    return (cite_doc_line){ .paragraph = w->paragraph,
                            .footnote = w->note && w->kind == FOOTNOTE ? w->note : 0,
                            .endnote = w->note && w->kind == ENDNOTE ? w->note : 0,
                            .number = w->number,
                            .char_base = w->chars };
}

/* Starts a paragraph after a blank line. */
static void begin_paragraph(docx_walk *w)
{
    cite_docbuild_blank_line(w->doc);
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

static void note_call(note_calls *calls, const xmlNode *node)
{
    xmlChar *id = xmlGetProp(node, (const xmlChar *)"id");
    if (!id)
        return;
    for (size_t i = 0; i < calls->n; i++)
        if (xmlStrEqual(calls->ids[i], id)) {
            xmlFree(id);
            return;
        }
    if (calls->n < MAX_NOTES &&
        cite_grow_array((void **)&calls->ids, &calls->cap, calls->n + 1, sizeof *calls->ids) == 0)
        calls->ids[calls->n++] = id;
    else
        xmlFree(id);
}

/* Elements whose content is not visible text: properties, field codes, deleted text, the
 * text moved away (tracked), the fallback copy of alternate content, comments' marks. */
static const char *const HIDDEN[] = {
    "rPr",      "pPr",      "sectPr", "instrText",        "delText", "del",
    "moveFrom", "Fallback", "tblPr",  "commentReference", NULL
};

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
        w->paragraph_style = cite_docx_paragraph_style(w->styles, node);
    } else if (is(node, "r")) {
        cite_docx_run_format(w->styles, w->paragraph_style, node, &w->italic, &w->bold);
        w->run_start = w->doc->text.len;
    } else if (is(node, "t")) {
        for (const xmlNode *c = node->children; c; c = c->next)
            if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
                put_text(w, (const char *)c->content);
        return false;
    } else if (is(node, "tab") && node->parent && is(node->parent, "r")) {
        put_text(w, "\t");
    } else if (is(node, "br") || is(node, "cr")) {
        cite_docbuild_newline(w->doc, here(w));
    } else if (is(node, "noBreakHyphen")) {
        put_text(w, "-");
    } else if (is(node, "footnoteReference")) {
        note_call(&w->calls[FOOTNOTE], node);
    } else if (is(node, "endnoteReference")) {
        note_call(&w->calls[ENDNOTE], node);
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

/* The notes (<w:footnote>, <w:endnote>) of a notes part by id, sorted for bsearch. */
typedef struct note_ref {
    xmlChar *id; /* xmlFree */
    xmlNode *node;
} note_ref;

static int by_id(const void *a, const void *b)
{
    return strcmp((const char *)((const note_ref *)a)->id, (const char *)((const note_ref *)b)->id);
}

static int index_notes(note_ref **out, size_t *n, xmlDoc *notes, const char *element)
{
    size_t cap = 0;
    xmlNode *root = xmlDocGetRootElement(notes);
    *out = NULL;
    *n = 0;
    for (xmlNode *c = root ? root->children : NULL; c; c = c->next) {
        xmlChar *id = is(c, element) ? xmlGetProp(c, (const xmlChar *)"id") : NULL;
        if (!id)
            continue;
        if (cite_grow_array((void **)out, &cap, *n + 1, sizeof **out) < 0) {
            xmlFree(id);
            return CITE_ENOMEM;
        }
        (*out)[(*n)++] = (note_ref){ .id = id, .node = c };
    }
    if (*n > 1)
        qsort(*out, *n, sizeof **out, by_id);
    return 0;
}

/* Appends the notes of a kind the document called, numbered in calling order as Word shows
 * them, under their heading. A note may call notes of its own: they join the list. */
static int add_notes(docx_walk *w, note_kind kind, xmlDoc *notes)
{
    note_ref *index;
    size_t n;
    int err = index_notes(&index, &n, notes, NOTES[kind].element);
    bool heading = false;
    for (size_t i = 0; err == 0 && i < w->calls[kind].n; i++) {
        note_ref key = { .id = w->calls[kind].ids[i] };
        const note_ref *note = n ? bsearch(&key, index, n, sizeof *index, by_id) : NULL;
        if (!note)
            continue;
        if (!heading) {
            w->note = w->paragraph = 0;
            begin_paragraph(w);
            cite_docbuild_line(w->doc, (cite_doc_line){ 0 });
            w->number--;
            put_text(w, NOTES[kind].heading);
            heading = true;
        }
        w->kind = kind;
        w->note = (unsigned)i + 1;
        w->paragraph = 0;
        for (xmlNode *c = note->node->children; c; c = c->next)
            cite_docread_walk(c, visit, leave, w);
    }
    for (size_t i = 0; i < n; i++)
        xmlFree(index[i].id);
    cite_free(index);
    return err;
}

/* Reads the part of the notes of a kind when the document calls any. */
static int read_notes(docx_walk *w, note_kind kind, zip_t *zip, const char *file, cite_diag *diag)
{
    char *xml;
    size_t len;
    xmlDoc *notes = NULL;
    if (w->calls[kind].n == 0)
        return 0;
    int err = cite_docread_zip_entry(&xml, &len, zip, NOTES[kind].part, file, diag);
    if (err == CITE_ENOTFOUND)
        return 0;
    if (err == 0)
        err = cite_docread_xml(&notes, xml, len, NOTES[kind].part, file, diag);
    cite_free(xml);
    if (err < 0)
        return err;
    err = add_notes(w, kind, notes);
    xmlFreeDoc(notes);
    return err;
}

int cite_docread_docx(cite_document *doc, zip_t *zip, const char *file, cite_diag *diag)
{
    char *xml = NULL;
    size_t xml_len;
    xmlDoc *body = NULL;
    cite_docx_styles *styles = NULL;
    int err = cite_docread_zip_entry(&xml, &xml_len, zip, "word/document.xml", file, diag);
    if (err == 0)
        err = cite_docx_styles_read(&styles, zip, file, diag);
    docx_walk w = { .doc = doc, .styles = styles };
    if (err == 0)
        err = cite_docread_xml(&body, xml, xml_len, "word/document.xml", file, diag);
    if (err == 0 && xmlDocGetRootElement(body)) {
        cite_docread_walk(xmlDocGetRootElement(body), visit, leave, &w);
        for (note_kind k = 0; err == 0 && k < NOTE_KINDS; k++)
            err = read_notes(&w, k, zip, file, diag);
    }
    for (note_kind k = 0; k < NOTE_KINDS; k++) {
        for (size_t i = 0; i < w.calls[k].n; i++)
            xmlFree(w.calls[k].ids[i]);
        cite_free(w.calls[k].ids);
    }
    cite_docx_styles_free(styles);
    xmlFreeDoc(body);
    cite_free(xml);
    if (err == 0 && (doc->oom || cite_buf_oom(&doc->text)))
        err = CITE_ENOMEM;
    return err;
}
