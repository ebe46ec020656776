/* csl.c: CSL 1.0.2 styles and locales, read with libxml2 into the compact tree of csl.h.
 *
 * Reading parses the whole file (styles are small) with the options of the XML store (no
 * network, no entity substitution, no DTD; a DOCTYPE is refused outright), then walks the
 * tree: each element becomes a csl_node allocated from the style's arena, attributes become
 * enums. Macros are collected first so that <text macro="x"> can hold the macro's index; a
 * macro that is missing or that calls itself (directly or not) is an error, so the engine
 * never recurses without end. Unknown elements and attribute values are warnings at their
 * line, as a style written for a later CSL should still render. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "buf.h"
#include "csl.h"

/* ==== arena ============================================================================== */

struct csl_chunk {
    csl_chunk *next;
    size_t used, cap;
    max_align_t data[]; /* cap bytes */
};

void *csl_arena_alloc(csl_arena *a, size_t size)
{
    size = (size + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    if (size == 0)
        size = sizeof(max_align_t);
    csl_chunk *c = a->head;
    if (!c || c->cap - c->used < size) {
        size_t cap = size > 8192 ? size : 8192;
        c = cite_malloc(sizeof(csl_chunk) + cap);
        if (!c)
            return NULL;
        c->next = a->head;
        c->used = 0;
        c->cap = cap;
        a->head = c;
    }
    void *p = (char *)c->data + c->used;
    c->used += size;
    memset(p, 0, size);
    return p;
}

char *csl_arena_strdup(csl_arena *a, const char *s)
{
    size_t n = strlen(s);
    char *p = csl_arena_alloc(a, n + 1);
    if (p)
        memcpy(p, s, n + 1);
    return p;
}

void csl_arena_dispose(csl_arena *a)
{
    for (csl_chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        cite_free(c);
    }
    a->head = NULL;
}

/* ==== diagnostics and libxml2 ============================================================ */

#if LIBXML_VERSION >= 21200
typedef const xmlError *xml_error_ptr;
#else
typedef xmlErrorPtr xml_error_ptr;
#endif

typedef struct loader {
    const char *file;
    cite_diag *diag;
    size_t errors;
    csl_arena *arena;
    bool oom;
    cite_style *style; /* NULL while reading a locale file */
} loader;

static void report(loader *ld, cite_severity sev, long line, const char *fmt, ...)
    CITE_PRINTF(4, 5);

static void report(loader *ld, cite_severity sev, long line, const char *fmt, ...)
{
    va_list ap;
    cite_buf msg = CITE_BUF_INIT;
    va_start(ap, fmt);
    cite_buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    cite_loc at = { .file = ld->file,
                    .line = line > 0 && (unsigned long)line <= UINT_MAX ? (unsigned)line : 0 };
    if (!cite_buf_oom(&msg))
        cite_diag_report(ld->diag, sev, at, "%s", msg.ptr);
    cite_buf_dispose(&msg);
    if (sev == CITE_SEV_ERROR)
        ld->errors++;
}

/* One diagnostic per libxml2 error, at its line and column. */
static void on_xml_error(void *data, xml_error_ptr err)
{
    loader *ld = data;
    char *msg = cite_diag_message(err->message);
    cite_loc at = { .file = ld->file,
                    .line = err->line > 0 ? (unsigned)err->line : 0,
                    .col = err->int2 > 0 ? (unsigned)err->int2 : 0 };
    cite_severity sev = err->level == XML_ERR_WARNING ? CITE_SEV_WARNING : CITE_SEV_ERROR;
    if (msg)
        cite_diag_report(ld->diag, sev, at, "%s", msg);
    if (sev == CITE_SEV_ERROR)
        ld->errors++;
    cite_free(msg);
}

static void discard(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

#if LIBXML_VERSION >= 21300
#define NO_XXE XML_PARSE_NO_XXE
#else
#define NO_XXE 0
#endif
#define PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_BIG_LINES | NO_XXE)

static long doctype_line(const char *xml, size_t len)
{
    static const char key[] = "<!DOCTYPE";
    long line = 1;
    for (size_t i = 0; i + sizeof(key) - 1 <= len; i++) {
        if (memcmp(xml + i, key, sizeof(key) - 1) == 0)
            return line;
        line += xml[i] == '\n';
    }
    return 0;
}

/* Parses xml into a tree, refusing a DOCTYPE. The global handlers are swapped for the call
 * (before libxml2 2.13 a parser context has no handler of its own) and restored. */
static int parse_xml(xmlDocPtr *out, loader *ld, const char *xml, size_t len)
{
    *out = NULL;
    if (len == 0 || len > INT_MAX) {
        report(ld, CITE_SEV_ERROR, 1, len ? "document is too large" : "document is empty");
        return CITE_EPARSE;
    }
    xmlInitParser();
    xmlGenericErrorFunc generic = xmlGenericError;
    void *generic_ctx = xmlGenericErrorContext;
    xmlStructuredErrorFunc structured = xmlStructuredError;
    void *structured_ctx = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(NULL, discard);
#if LIBXML_VERSION < 21300
    xmlSetStructuredErrorFunc(ld, on_xml_error);
#endif
    int rc = 0;
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        rc = CITE_ENOMEM;
        goto cleanup;
    }
#if LIBXML_VERSION >= 21300
    xmlCtxtSetErrorHandler(ctxt, on_xml_error, ld);
#endif
    size_t before = ld->errors;
    *out = xmlCtxtReadMemory(ctxt, xml, (int)len, NULL, NULL, PARSE_OPTIONS);
    bool nomem = ctxt->errNo == XML_ERR_NO_MEMORY;
    xmlFreeParserCtxt(ctxt);
    if (*out && ld->errors == before) {
        if ((*out)->intSubset || (*out)->extSubset) {
            report(ld, CITE_SEV_ERROR, doctype_line(xml, len),
                   "a DOCTYPE is not allowed in a CSL file");
            rc = CITE_EPARSE;
        }
    } else {
        rc = nomem ? CITE_ENOMEM : CITE_EPARSE;
        if (ld->errors == before && !nomem)
            report(ld, CITE_SEV_ERROR, 0, "not a well-formed XML document");
    }
    if (rc < 0) {
        xmlFreeDoc(*out);
        *out = NULL;
    }
cleanup:
    xmlSetGenericErrorFunc(generic_ctx, generic);
    xmlSetStructuredErrorFunc(structured_ctx, structured);
    return rc;
}

/* ==== attribute helpers ================================================================== */

static bool is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static long line_of(const xmlNode *n)
{
    return xmlGetLineNo(n);
}

/* The attribute's value copied into the arena; NULL when absent (or on OOM, noted). */
static const char *attr(loader *ld, const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        if (strcmp((const char *)a->name, name) != 0)
            continue;
        if (a->ns && strcmp((const char *)a->name, "lang") != 0)
            continue;
        const char *v =
            a->children && a->children->content ? (const char *)a->children->content : "";
        if (a->children && a->children->next) { /* entity references split the value */
            xmlChar *full = xmlNodeListGetString(n->doc, a->children, 1);
            if (!full) {
                ld->oom = true;
                return NULL;
            }
            char *copy = csl_arena_strdup(ld->arena, (const char *)full);
            xmlFree(full);
            if (!copy)
                ld->oom = true;
            return copy;
        }
        char *copy = csl_arena_strdup(ld->arena, v);
        if (!copy)
            ld->oom = true;
        return copy;
    }
    return NULL;
}

/* Looks value up in names[] (NULL-terminated); returns the index + base, or def with a
 * warning when it is unknown, or def when absent. */
static int enum_attr(
    loader *ld, const xmlNode *n, const char *name, const char *const *names, int base, int def)
{
    const char *v = attr(ld, n, name);
    if (!v)
        return def;
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], v) == 0)
            return base + i;
    report(ld, CITE_SEV_WARNING, line_of(n), "unknown value \"%s\" of attribute %s on <%s>", v,
           name, (const char *)n->name);
    return def;
}

static int bool_attr(loader *ld, const xmlNode *n, const char *name, int def)
{
    static const char *const names[] = { "false", "true", NULL };
    return enum_attr(ld, n, name, names, 0, def);
}

static int int_attr(loader *ld, const xmlNode *n, const char *name, int def, bool *set)
{
    const char *v = attr(ld, n, name);
    if (!v)
        return def;
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (end == v || *end || errno || x < 0 || x > 100000) {
        report(ld, CITE_SEV_WARNING, line_of(n), "attribute %s on <%s> is not a number: \"%s\"",
               name, (const char *)n->name, v);
        return def;
    }
    if (set)
        *set = true;
    return (int)x;
}

static const char *const FORMS[] = {
    "long", "short", "verb", "verb-short", "symbol", "count", NULL
};

static void read_fmt(loader *ld, const xmlNode *n, csl_fmt *f)
{
    static const char *const fs[] = { "normal", "italic", "oblique", NULL };
    static const char *const fv[] = { "normal", "small-caps", NULL };
    static const char *const fw[] = { "normal", "bold", "light", NULL };
    static const char *const td[] = { "none", "underline", NULL };
    static const char *const va[] = { "baseline", "sup", "sub", NULL };
    static const char *const di[] = { "block", "left-margin", "right-inline", "indent", NULL };
    static const char *const tc[] = {
        "lowercase", "uppercase", "capitalize-first", "capitalize-all", "sentence", "title", NULL
    };
    f->font_style = (unsigned char)enum_attr(ld, n, "font-style", fs, 1, 0);
    f->font_variant = (unsigned char)enum_attr(ld, n, "font-variant", fv, 1, 0);
    f->font_weight = (unsigned char)enum_attr(ld, n, "font-weight", fw, 1, 0);
    f->text_decoration = (unsigned char)enum_attr(ld, n, "text-decoration", td, 1, 0);
    f->vertical_align = (unsigned char)enum_attr(ld, n, "vertical-align", va, 1, 0);
    f->display = (unsigned char)enum_attr(ld, n, "display", di, 1, 0);
    f->text_case = (unsigned char)enum_attr(ld, n, "text-case", tc, 1, 0);
    f->quotes = bool_attr(ld, n, "quotes", 0) == 1;
    f->strip_periods = bool_attr(ld, n, "strip-periods", 0) == 1;
    f->prefix = attr(ld, n, "prefix");
    f->suffix = attr(ld, n, "suffix");
}

/* The inheritable name options an element sets (CSL 1.0.2, Inheritable Name Options). */
static void read_name_opts(loader *ld, const xmlNode *n, csl_name_opts *o)
{
    static const char *const ands[] = { "text", "symbol", NULL };
    static const char *const dps[] = { "contextual", "after-inverted-name", "always", "never",
                                       NULL };
    static const char *const nasos[] = { "first", "all", NULL };
    static const char *const nforms[] = { "long", "short", "count", NULL };
    const char *v;
    bool set = false;
    if (attr(ld, n, "and")) {
        o->and_ = (unsigned char)enum_attr(ld, n, "and", ands, 1, 0);
        o->set |= CSL_NO_AND;
    }
    if ((v = attr(ld, n, "delimiter")) && !is(n, "names")) {
        o->delimiter = v;
        o->set |= CSL_NO_DELIMITER;
    }
    if ((v = attr(ld, n, "name-delimiter"))) { /* the inheritable spelling of delimiter */
        o->delimiter = v;
        o->set |= CSL_NO_DELIMITER;
    }
    if (attr(ld, n, "delimiter-precedes-et-al")) {
        o->dpea = (unsigned char)enum_attr(ld, n, "delimiter-precedes-et-al", dps, 0, 0);
        o->set |= CSL_NO_DPEA;
    }
    if (attr(ld, n, "delimiter-precedes-last")) {
        o->dpl = (unsigned char)enum_attr(ld, n, "delimiter-precedes-last", dps, 0, 0);
        o->set |= CSL_NO_DPL;
    }
    set = false;
    o->et_al_min = int_attr(ld, n, "et-al-min", o->et_al_min, &set);
    o->set |= set ? CSL_NO_ET_AL_MIN : 0;
    set = false;
    o->et_al_use_first = int_attr(ld, n, "et-al-use-first", o->et_al_use_first, &set);
    o->set |= set ? CSL_NO_ET_AL_USE_FIRST : 0;
    set = false;
    o->et_al_sub_min = int_attr(ld, n, "et-al-subsequent-min", o->et_al_sub_min, &set);
    o->set |= set ? CSL_NO_ET_AL_SUB_MIN : 0;
    set = false;
    o->et_al_sub_use_first =
        int_attr(ld, n, "et-al-subsequent-use-first", o->et_al_sub_use_first, &set);
    o->set |= set ? CSL_NO_ET_AL_SUB_USE_FIRST : 0;
    if (attr(ld, n, "et-al-use-last")) {
        o->et_al_use_last = bool_attr(ld, n, "et-al-use-last", 0) == 1;
        o->set |= CSL_NO_ET_AL_USE_LAST;
    }
    if (attr(ld, n, "form") && is(n, "name")) {
        o->form = (unsigned char)enum_attr(ld, n, "form", nforms, CSL_FORM_LONG, CSL_FORM_LONG);
        if (o->form == 2)
            o->form = CSL_FORM_COUNT;
        o->set |= CSL_NO_FORM;
    }
    if ((v = attr(ld, n, "name-form"))) {
        o->form = (unsigned char)enum_attr(ld, n, "name-form", nforms, CSL_FORM_LONG, 0);
        if (o->form == 2)
            o->form = CSL_FORM_COUNT;
        o->set |= CSL_NO_FORM;
    }
    if (attr(ld, n, "initialize")) {
        o->initialize = bool_attr(ld, n, "initialize", 1) == 1;
        o->set |= CSL_NO_INITIALIZE;
    }
    if ((v = attr(ld, n, "initialize-with"))) {
        o->initialize_with = v;
        o->set |= CSL_NO_INITIALIZE_WITH;
    }
    if (attr(ld, n, "name-as-sort-order")) {
        o->naso = (unsigned char)enum_attr(ld, n, "name-as-sort-order", nasos, 1, 0);
        o->set |= CSL_NO_NASO;
    }
    if ((v = attr(ld, n, "sort-separator"))) {
        o->sort_separator = v;
        o->set |= CSL_NO_SORT_SEPARATOR;
    }
}

/* ==== style elements ===================================================================== */

typedef struct node_list {
    csl_node **items;
    size_t n, cap;
} node_list;

static csl_node *new_node(loader *ld, csl_kind kind, const xmlNode *x)
{
    csl_node *n = csl_arena_alloc(ld->arena, sizeof(csl_node));
    if (!n) {
        ld->oom = true;
        return NULL;
    }
    n->kind = kind;
    n->line = (unsigned)line_of(x);
    n->macro = -1;
    return n;
}

/* Copies the list into the arena as the node's children. */
static void set_kids(loader *ld, csl_node *n, node_list *l)
{
    if (l->n) {
        n->kids = csl_arena_alloc(ld->arena, l->n * sizeof(csl_node *));
        if (n->kids) {
            memcpy(n->kids, l->items, l->n * sizeof(csl_node *));
            n->nkids = l->n;
        } else {
            ld->oom = true;
        }
    }
    cite_free(l->items);
    *l = (node_list){ 0 };
}

static void list_add(loader *ld, node_list *l, csl_node *n)
{
    if (!n)
        return;
    if (cite_grow_array((void **)&l->items, &l->cap, l->n + 1, sizeof(csl_node *)) < 0) {
        ld->oom = true;
        return;
    }
    l->items[l->n++] = n;
}

static csl_node *read_element(loader *ld, const xmlNode *x);

static void read_children(loader *ld, csl_node *n, const xmlNode *x)
{
    node_list l = { 0 };
    for (const xmlNode *c = x->children; c && !ld->oom; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            list_add(ld, &l, read_element(ld, c));
    set_kids(ld, n, &l);
}

static int find_macro(const cite_style *s, const char *name)
{
    for (size_t i = 0; i < s->nmacros; i++)
        if (strcmp(s->macros[i].name, name) == 0)
            return (int)i;
    return -1;
}

static void read_macro_ref(loader *ld, csl_node *n, const xmlNode *x)
{
    const char *m = attr(ld, x, "macro");
    if (!m)
        return;
    n->macro = ld->style ? find_macro(ld->style, m) : -1;
    if (n->macro < 0)
        report(ld, CITE_SEV_ERROR, line_of(x), "macro \"%s\" is not defined", m);
}

/* Splits a space-separated attribute into an array of arena strings. */
static const char **split(loader *ld, const char *v, size_t *count)
{
    size_t n = 0;
    for (const char *p = v; *p;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        n++;
        while (*p && *p != ' ')
            p++;
    }
    *count = 0;
    if (n == 0)
        return NULL;
    const char **out = csl_arena_alloc(ld->arena, n * sizeof(char *));
    if (!out) {
        ld->oom = true;
        return NULL;
    }
    for (const char *p = v; *p;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *start = p;
        while (*p && *p != ' ')
            p++;
        char *w = csl_arena_alloc(ld->arena, (size_t)(p - start) + 1);
        if (!w) {
            ld->oom = true;
            return NULL;
        }
        memcpy(w, start, (size_t)(p - start));
        out[(*count)++] = w;
    }
    return out;
}

static void read_tests(loader *ld, csl_node *n, const xmlNode *x)
{
    static const struct {
        const char *attr;
        csl_test_kind kind;
    } kinds[] = {
        { "type", CSL_T_TYPE },
        { "variable", CSL_T_VARIABLE },
        { "is-numeric", CSL_T_IS_NUMERIC },
        { "is-uncertain-date", CSL_T_IS_UNCERTAIN_DATE },
        { "locator", CSL_T_LOCATOR },
        { "position", CSL_T_POSITION },
        { "disambiguate", CSL_T_DISAMBIGUATE },
    };
    static const char *const matches[] = { "all", "any", "none", NULL };
    n->match = (unsigned char)enum_attr(ld, x, "match", matches, 0, CSL_MATCH_ALL);
    size_t total = 0;
    const char **vals[CITE_ARRAY_LEN(kinds)];
    size_t nvals[CITE_ARRAY_LEN(kinds)];
    for (size_t k = 0; k < CITE_ARRAY_LEN(kinds); k++) {
        const char *v = attr(ld, x, kinds[k].attr);
        vals[k] = v ? split(ld, v, &nvals[k]) : NULL;
        if (!v)
            nvals[k] = 0;
        total += nvals[k];
    }
    if (total == 0) {
        if (!n->is_else)
            report(ld, CITE_SEV_WARNING, line_of(x), "<%s> has no condition",
                   (const char *)x->name);
        return;
    }
    n->tests = csl_arena_alloc(ld->arena, total * sizeof(csl_test));
    if (!n->tests) {
        ld->oom = true;
        return;
    }
    for (size_t k = 0; k < CITE_ARRAY_LEN(kinds); k++)
        for (size_t i = 0; i < nvals[k]; i++)
            n->tests[n->ntests++] = (csl_test){ .kind = kinds[k].kind, .value = vals[k][i] };
}

static csl_node *read_element(loader *ld, const xmlNode *x)
{
    static const char *const plurals[] = { "contextual", "always", "never", NULL };
    csl_node *n = NULL;
    const char *name = (const char *)x->name;
    if (is(x, "text")) {
        if (!(n = new_node(ld, CSL_TEXT, x)))
            return NULL;
        read_fmt(ld, x, &n->fmt);
        n->form = (unsigned char)enum_attr(ld, x, "form", FORMS, 0, CSL_FORM_LONG);
        if ((n->variable = attr(ld, x, "variable"))) {
            n->src = CSL_SRC_VARIABLE;
            if (ld->style && strcmp(n->variable, "year-suffix") == 0)
                ld->style->uses_year_suffix = true;
            if (ld->style && strcmp(n->variable, "citation-number") == 0)
                ld->style->uses_citation_number = true;
        } else if (attr(ld, x, "macro")) {
            n->src = CSL_SRC_MACRO;
            read_macro_ref(ld, n, x);
        } else if ((n->term = attr(ld, x, "term"))) {
            n->src = CSL_SRC_TERM;
            n->plural = bool_attr(ld, x, "plural", 0) == 1 ? CSL_PLURAL_ALWAYS : CSL_PLURAL_NEVER;
        } else if ((n->value = attr(ld, x, "value"))) {
            n->src = CSL_SRC_VALUE;
        } else {
            report(ld, CITE_SEV_WARNING, line_of(x),
                   "<text> needs one of variable, macro, term or value");
        }
    } else if (is(x, "number")) {
        static const char *const nf[] = { "numeric", "ordinal", "long-ordinal", "roman", NULL };
        if (!(n = new_node(ld, CSL_NUMBER, x)))
            return NULL;
        read_fmt(ld, x, &n->fmt);
        n->variable = attr(ld, x, "variable");
        n->form = (unsigned char)enum_attr(ld, x, "form", nf, 0, CSL_NUM_NUMERIC);
        if (!n->variable)
            report(ld, CITE_SEV_WARNING, line_of(x), "<number> needs a variable");
    } else if (is(x, "label")) {
        if (!(n = new_node(ld, CSL_LABEL, x)))
            return NULL;
        read_fmt(ld, x, &n->fmt);
        n->variable = attr(ld, x, "variable");
        n->form = (unsigned char)enum_attr(ld, x, "form", FORMS, 0, CSL_FORM_LONG);
        n->plural = (unsigned char)enum_attr(ld, x, "plural", plurals, 0, CSL_PLURAL_CONTEXTUAL);
    } else if (is(x, "date")) {
        static const char *const df[] = { "text", "numeric", NULL };
        static const char *const dp[] = { "year-month-day", "year-month", "year", NULL };
        if (!(n = new_node(ld, CSL_DATE, x)))
            return NULL;
        read_fmt(ld, x, &n->fmt);
        n->variable = attr(ld, x, "variable");
        n->date_form = (unsigned char)enum_attr(ld, x, "form", df, 1, 0);
        n->date_parts = (unsigned char)enum_attr(ld, x, "date-parts", dp, 0, CSL_PARTS_YMD);
        n->delimiter = attr(ld, x, "delimiter");
        read_children(ld, n, x);
    } else if (is(x, "date-part")) {
        static const char *const parts[] = { "year", "month", "day", NULL };
        static const char *const pf[] = { "long",    "short", "numeric", "numeric-leading-zeros",
                                          "ordinal", NULL };
        if (!(n = new_node(ld, CSL_DATE_PART, x)))
            return NULL;
        read_fmt(ld, x, &n->fmt);
        n->part = (unsigned char)enum_attr(ld, x, "name", parts, 1, 0);
        n->part_form = (unsigned char)enum_attr(ld, x, "form", pf, 1, 0);
        n->range_delimiter = attr(ld, x, "range-delimiter");
        if (!n->part)
            report(ld, CITE_SEV_WARNING, line_of(x), "<date-part> needs a name");
    } else if (is(x, "names")) {
        if (!(n = new_node(ld, CSL_NAMES, x)))
            return NULL;
        read_fmt(ld, x, &n->fmt);
        n->delimiter = attr(ld, x, "delimiter");
        const char *v = attr(ld, x, "variable");
        n->vars = v ? split(ld, v, &n->nvars) : NULL;
        for (const xmlNode *c = x->children; c && !ld->oom; c = c->next) {
            if (c->type != XML_ELEMENT_NODE)
                continue;
            csl_node *k = read_element(ld, c);
            if (!k)
                continue;
            if (k->kind == CSL_NAME) {
                n->name = k;
            } else if (k->kind == CSL_ET_AL) {
                n->et_al = k;
            } else if (k->kind == CSL_LABEL) {
                n->label = k;
                n->label_before_name = n->name == NULL;
            } else if (k->kind == CSL_SUBSTITUTE) {
                n->substitute = k;
            } else {
                report(ld, CITE_SEV_WARNING, k->line, "<names> cannot hold this element");
            }
        }
    } else if (is(x, "name")) {
        if (!(n = new_node(ld, CSL_NAME, x)))
            return NULL;
        read_fmt(ld, x, &n->fmt);
        read_name_opts(ld, x, &n->nopts);
        for (const xmlNode *c = x->children; c && !ld->oom; c = c->next) {
            if (!is(c, "name-part"))
                continue;
            static const char *const np[] = { "given", "family", NULL };
            csl_node *k = new_node(ld, CSL_NAME_PART, c);
            if (!k)
                return NULL;
            read_fmt(ld, c, &k->fmt);
            int which = enum_attr(ld, c, "name", np, 1, 0);
            if (which == 1)
                n->part_given = k;
            else if (which == 2)
                n->part_family = k;
        }
    } else if (is(x, "et-al")) {
        if (!(n = new_node(ld, CSL_ET_AL, x)))
            return NULL;
        read_fmt(ld, x, &n->fmt);
        n->term = attr(ld, x, "term");
    } else if (is(x, "substitute")) {
        if (!(n = new_node(ld, CSL_SUBSTITUTE, x)))
            return NULL;
        read_children(ld, n, x);
    } else if (is(x, "group")) {
        if (!(n = new_node(ld, CSL_GROUP, x)))
            return NULL;
        read_fmt(ld, x, &n->fmt);
        n->delimiter = attr(ld, x, "delimiter");
        read_children(ld, n, x);
    } else if (is(x, "choose")) {
        if (!(n = new_node(ld, CSL_CHOOSE, x)))
            return NULL;
        read_children(ld, n, x);
    } else if (is(x, "if") || is(x, "else-if") || is(x, "else")) {
        if (!(n = new_node(ld, CSL_IF, x)))
            return NULL;
        n->is_else = is(x, "else");
        if (!n->is_else)
            read_tests(ld, n, x);
        read_children(ld, n, x);
    } else {
        report(ld, CITE_SEV_WARNING, line_of(x), "unknown element <%s> ignored", name);
    }
    return n;
}

/* ==== locales ============================================================================ */

static int term_cmp(const void *a, const void *b)
{
    const csl_term *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c)
        return c;
    if (x->form != y->form)
        return x->form < y->form ? -1 : 1;
    return (int)x->gender_form - (int)y->gender_form;
}

/* A term's text that is only the XML's layout (whitespace with a line break: "<term
 * name="and others">\n  </term>") is empty, as citeproc-js reads it; spaces a term means to
 * hold (" BC", "&#160;") stay. */
static void drop_layout(char *v)
{
    if (v[strspn(v, " \t\r\n")] == '\0' && strchr(v, '\n'))
        v[0] = '\0';
}

static void add_term(loader *ld, cite_locale *loc, const xmlNode *t)
{
    static const char *const genders[] = { "masculine", "feminine", NULL };
    static const char *const matches[] = { "last-digit", "last-two-digits", "whole-number", NULL };
    const char *name = attr(ld, t, "name");
    if (!name) {
        report(ld, CITE_SEV_WARNING, line_of(t), "<term> needs a name");
        return;
    }
    csl_term term = { .name = name };
    term.form = (unsigned char)enum_attr(ld, t, "form", FORMS, 0, CSL_FORM_LONG);
    term.gender = (unsigned char)enum_attr(ld, t, "gender", genders, 1, 0);
    term.gender_form = (unsigned char)enum_attr(ld, t, "gender-form", genders, 1, 0);
    term.match = (unsigned char)enum_attr(ld, t, "match", matches, 0, 0);
    bool has_children = false;
    for (const xmlNode *c = t->children; c; c = c->next) {
        if (!is(c, "single") && !is(c, "multiple"))
            continue;
        has_children = true;
        xmlChar *s = xmlNodeGetContent(c);
        char *v = s ? csl_arena_strdup(ld->arena, (const char *)s) : NULL;
        xmlFree(s);
        if (!v) {
            ld->oom = true;
            return;
        }
        drop_layout(v);
        if (is(c, "single"))
            term.single = v;
        else
            term.multiple = v;
    }
    if (!has_children) {
        xmlChar *s = xmlNodeGetContent(t);
        char *v = s ? csl_arena_strdup(ld->arena, (const char *)s) : NULL;
        xmlFree(s);
        if (!v) {
            ld->oom = true;
            return;
        }
        drop_layout(v);
        term.single = term.multiple = v;
    }
    if (!term.single)
        term.single = term.multiple ? term.multiple : "";
    if (!term.multiple)
        term.multiple = term.single;
    /* a later definition of the same term replaces the earlier one */
    for (size_t i = 0; i < loc->nterms; i++) {
        if (term_cmp(&loc->terms[i], &term) == 0 && loc->terms[i].match == term.match) {
            loc->terms[i] = term;
            return;
        }
    }
    if (cite_grow_array((void **)&loc->terms, &loc->capterms, loc->nterms + 1, sizeof(csl_term)) <
        0) {
        ld->oom = true;
        return;
    }
    loc->terms[loc->nterms++] = term;
}

/* Reads a <locale> (a file's root or a style's element) into loc. */
static void read_locale(loader *ld, cite_locale *loc, const xmlNode *x)
{
    loc->punctuation_in_quote = -1;
    loc->limit_day_ordinals = -1;
    loc->lang = attr(ld, x, "lang");
    for (const xmlNode *c = x->children; c && !ld->oom; c = c->next) {
        if (is(c, "terms")) {
            for (const xmlNode *t = c->children; t && !ld->oom; t = t->next)
                if (is(t, "term"))
                    add_term(ld, loc, t);
        } else if (is(c, "style-options")) {
            int v = bool_attr(ld, c, "punctuation-in-quote", -1);
            if (v >= 0)
                loc->punctuation_in_quote = (signed char)v;
            v = bool_attr(ld, c, "limit-day-ordinals-to-day-1", -1);
            if (v >= 0)
                loc->limit_day_ordinals = (signed char)v;
        } else if (is(c, "date")) {
            csl_node *d = read_element(ld, c);
            if (d && d->date_form == CSL_DATE_FORM_TEXT)
                loc->date_text = d;
            else if (d && d->date_form == CSL_DATE_FORM_NUMERIC)
                loc->date_numeric = d;
        }
    }
    if (loc->nterms)
        qsort(loc->terms, loc->nterms, sizeof(csl_term), term_cmp);
}

/* The terms live in a cite_malloc'd array (they grow while reading); the rest in the arena. */
static void locale_dispose(cite_locale *loc)
{
    if (!loc)
        return;
    cite_free(loc->terms);
    csl_arena arena = loc->arena;
    csl_arena_dispose(&arena);
}

void cite_locale_free(cite_locale *locale)
{
    locale_dispose(locale);
}

const char *cite_locale_get_lang(const cite_locale *locale)
{
    return locale->lang;
}

static int load_locale(cite_locale **out, loader *ld, const char *xml, size_t len)
{
    xmlDocPtr doc = NULL;
    csl_arena arena = { 0 };
    cite_locale *loc = csl_arena_alloc(&arena, sizeof(cite_locale));
    int rc = 0;
    if (!loc) {
        rc = CITE_ENOMEM;
        goto cleanup;
    }
    ld->arena = &loc->arena;
    loc->arena = arena;
    if ((rc = parse_xml(&doc, ld, xml, len)) < 0)
        goto cleanup;
    xmlNode *root = xmlDocGetRootElement(doc);
    if (!root || !is(root, "locale")) {
        report(ld, CITE_SEV_ERROR, root ? line_of(root) : 0, "the root element is not <locale>");
        rc = CITE_EPARSE;
        goto cleanup;
    }
    read_locale(ld, loc, root);
    if (ld->oom)
        rc = CITE_ENOMEM;
    else if (ld->errors)
        rc = CITE_EPARSE;
cleanup:
    xmlFreeDoc(doc);
    if (rc < 0) {
        if (loc)
            locale_dispose(loc);
        else
            csl_arena_dispose(&arena);
        loc = NULL;
    }
    *out = loc;
    return rc;
}

int cite_locale_load_memory(
    cite_locale **out, const char *xml, size_t len, const char *file, cite_diag *diag)
{
    loader ld = { .file = file, .diag = diag };
    return load_locale(out, &ld, xml, len);
}

static int read_whole(char **xml, size_t *len, const char *path, cite_diag *diag)
{
    int rc = cite_read_file(xml, len, path);
    if (rc == CITE_EIO) {
        cite_loc at = { .file = path };
        cite_diag_report(diag, CITE_SEV_ERROR, at, "cannot read: %s", strerror(errno));
    }
    return rc;
}

int cite_locale_load(cite_locale **out, const char *path, cite_diag *diag)
{
    char *xml = NULL;
    size_t len = 0;
    *out = NULL;
    int rc = read_whole(&xml, &len, path, diag);
    if (rc == 0)
        rc = cite_locale_load_memory(out, xml, len, path, diag);
    cite_free_string(xml);
    return rc;
}

static const int FALLBACK[][4] = {
    [CSL_FORM_LONG] = { CSL_FORM_LONG, -1 },
    [CSL_FORM_SHORT] = { CSL_FORM_SHORT, CSL_FORM_LONG, -1 },
    [CSL_FORM_VERB] = { CSL_FORM_VERB, CSL_FORM_LONG, -1 },
    [CSL_FORM_VERB_SHORT] = { CSL_FORM_VERB_SHORT, CSL_FORM_VERB, CSL_FORM_LONG, -1 },
    [CSL_FORM_SYMBOL] = { CSL_FORM_SYMBOL, CSL_FORM_SHORT, CSL_FORM_LONG, -1 },
    [CSL_FORM_COUNT] = { CSL_FORM_LONG, -1 },
};

static const csl_term *find_in(const cite_locale *loc, const char *name, int form, int gender_form)
{
    size_t lo = 0, hi = loc->nterms;
    while (lo < hi) { /* the first term with this name */
        size_t mid = (lo + hi) / 2;
        if (strcmp(loc->terms[mid].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    const csl_term *any = NULL;
    for (size_t i = lo; i < loc->nterms && strcmp(loc->terms[i].name, name) == 0; i++) {
        const csl_term *t = &loc->terms[i];
        if (t->form != form)
            continue;
        if (t->gender_form == gender_form)
            return t;
        if (t->gender_form == 0 && !any)
            any = t;
    }
    return any;
}

const csl_term *csl_term_lookup(cite_locale *const *chain, size_t n, const char *name, int form)
{
    if (form < 0 || form > CSL_FORM_COUNT)
        form = CSL_FORM_LONG;
    for (const int *f = FALLBACK[form]; *f >= 0; f++)
        for (size_t i = 0; i < n; i++) {
            const csl_term *t = chain[i] ? find_in(chain[i], name, *f, 0) : NULL;
            if (t)
                return t;
        }
    return NULL;
}

/* CSL 1.0.2, Ordinal Suffixes: ordinal-00..09 match the last digit (or the whole number with
 * match="whole-number"), ordinal-10..99 the last two digits; the first locale of the chain
 * that has any ordinal-NN terms decides, else "ordinal". Long ordinals (long-ordinal-01..10)
 * exist up to 10 only. */
const csl_term *
csl_ordinal_lookup(cite_locale *const *chain, size_t nchain, long n, int gender, bool long_form)
{
    char name[32];
    if (n < 0)
        n = -n;
    if (long_form) {
        if (n >= 1 && n <= 10) {
            snprintf(name, sizeof(name), "long-ordinal-%02ld", n);
            for (size_t i = 0; i < nchain; i++) {
                const csl_term *t =
                    chain[i] ? find_in(chain[i], name, CSL_FORM_LONG, gender) : NULL;
                if (t)
                    return t;
            }
        }
        return NULL;
    }
    for (size_t i = 0; i < nchain; i++) {
        const cite_locale *loc = chain[i];
        if (!loc)
            continue;
        bool has_nn = false;
        for (size_t k = 0; k < loc->nterms; k++)
            if (strncmp(loc->terms[k].name, "ordinal-", 8) == 0) {
                has_nn = true;
                break;
            }
        if (!has_nn)
            continue;
        long two = n % 100, one = n % 10;
        const csl_term *t;
        if (two >= 10) {
            snprintf(name, sizeof(name), "ordinal-%02ld", two);
            t = find_in(loc, name, CSL_FORM_LONG, gender);
            if (t && (t->match != 2 || n == two))
                return t;
        }
        snprintf(name, sizeof(name), "ordinal-%02ld", one);
        t = find_in(loc, name, CSL_FORM_LONG, gender);
        if (t && (t->match == 0 || (t->match == 1 && two == one) || (t->match == 2 && n == one)))
            return t;
        break;
    }
    for (size_t i = 0; i < nchain; i++) {
        const csl_term *t = chain[i] ? find_in(chain[i], "ordinal", CSL_FORM_LONG, gender) : NULL;
        if (!t && chain[i])
            t = find_in(chain[i], "ordinal", CSL_FORM_LONG, 0);
        if (t)
            return t;
    }
    return NULL;
}

/* ==== styles ============================================================================= */

static void read_sort(loader *ld, csl_context *c, const xmlNode *x)
{
    node_list l = { 0 };
    static const char *const dirs[] = { "ascending", "descending", NULL };
    c->sorted = true;
    for (const xmlNode *k = x->children; k && !ld->oom; k = k->next) {
        if (!is(k, "key"))
            continue;
        csl_node *n = new_node(ld, CSL_KEY, k);
        if (!n)
            break;
        n->variable = attr(ld, k, "variable");
        read_macro_ref(ld, n, k);
        if (!n->variable && n->macro < 0 && !attr(ld, k, "macro"))
            report(ld, CITE_SEV_WARNING, line_of(k), "<key> needs a variable or a macro");
        n->descending = enum_attr(ld, k, "sort", dirs, 0, 0) == 1;
        n->names_min = int_attr(ld, k, "names-min", 0, NULL);
        n->names_use_first = int_attr(ld, k, "names-use-first", 0, NULL);
        if (attr(ld, k, "names-use-last")) {
            n->names_use_last_set = true;
            n->names_use_last = bool_attr(ld, k, "names-use-last", 0) == 1;
        }
        list_add(ld, &l, n);
    }
    if (l.n) {
        c->keys = csl_arena_alloc(ld->arena, l.n * sizeof(csl_node *));
        if (c->keys) {
            memcpy(c->keys, l.items, l.n * sizeof(csl_node *));
            c->nkeys = l.n;
        } else {
            ld->oom = true;
        }
    }
    cite_free(l.items);
}

static void read_context(loader *ld, csl_context *c, const xmlNode *x, bool citation)
{
    static const char *const rules[] = { "by-cite",
                                         "all-names",
                                         "all-names-with-initials",
                                         "primary-name",
                                         "primary-name-with-initials",
                                         NULL };
    static const char *const collapses[] = { "citation-number", "year", "year-suffix",
                                             "year-suffix-ranged", NULL };
    static const char *const sas[] = { "complete-all", "complete-each", "partial-each",
                                       "partial-first", NULL };
    if (c->present)
        report(ld, CITE_SEV_WARNING, line_of(x), "a second <%s> replaces the first",
               (const char *)x->name);
    c->present = true;
    read_name_opts(ld, x, &c->nopts);
    c->names_delimiter = attr(ld, x, "names-delimiter");
    if (citation) {
        c->add_names = bool_attr(ld, x, "disambiguate-add-names", 0) == 1;
        c->add_givenname = bool_attr(ld, x, "disambiguate-add-givenname", 0) == 1;
        c->add_year_suffix = bool_attr(ld, x, "disambiguate-add-year-suffix", 0) == 1;
        c->givenname_rule = (unsigned char)enum_attr(ld, x, "givenname-disambiguation-rule", rules,
                                                     0, CSL_GIVENNAME_BY_CITE);
        c->collapse = (unsigned char)enum_attr(ld, x, "collapse", collapses, 1, 0);
        c->cite_group_delimiter = attr(ld, x, "cite-group-delimiter");
        c->year_suffix_delimiter = attr(ld, x, "year-suffix-delimiter");
        c->after_collapse_delimiter = attr(ld, x, "after-collapse-delimiter");
        c->near_note_distance = int_attr(ld, x, "near-note-distance", 5, NULL);
    } else {
        static const char *const sfa[] = { "flush", "margin", NULL };
        c->hanging_indent = bool_attr(ld, x, "hanging-indent", 0) == 1;
        int v = enum_attr(ld, x, "second-field-align", sfa, 1, 0);
        c->second_field_align_flush = v == 1;
        c->second_field_align_margin = v == 2;
        c->line_spacing = int_attr(ld, x, "line-spacing", 1, NULL);
        c->entry_spacing = int_attr(ld, x, "entry-spacing", 1, NULL);
        c->subsequent_author_substitute = attr(ld, x, "subsequent-author-substitute");
        c->sas_rule = (unsigned char)enum_attr(ld, x, "subsequent-author-substitute-rule", sas, 0,
                                               CSL_SAS_COMPLETE_ALL);
    }
    for (const xmlNode *k = x->children; k && !ld->oom; k = k->next) {
        if (is(k, "sort")) {
            read_sort(ld, c, k);
        } else if (is(k, "layout")) {
            csl_node *n = new_node(ld, CSL_LAYOUT, k);
            if (!n)
                return;
            read_fmt(ld, k, &n->fmt);
            n->delimiter = attr(ld, k, "delimiter");
            read_children(ld, n, k);
            if (!c->layout)
                c->layout = n; /* CSL 1.1 allows several layouts by locale; the first wins */
        }
    }
    if (!c->layout)
        report(ld, CITE_SEV_ERROR, line_of(x), "<%s> has no <layout>", (const char *)x->name);
}

/* Depth-first search for a macro that reaches itself: 0 unvisited, 1 on the path, 2 done. */
static bool macro_cycle(const cite_style *s, const csl_node *n, unsigned char *state)
{
    if (!n)
        return false;
    if ((n->kind == CSL_TEXT || n->kind == CSL_KEY) && n->macro >= 0) {
        unsigned char *st = &state[n->macro];
        if (*st == 1)
            return true;
        if (*st == 0) {
            *st = 1;
            if (macro_cycle(s, s->macros[n->macro].node, state))
                return true;
            *st = 2;
        }
    }
    for (size_t i = 0; i < n->nkids; i++)
        if (macro_cycle(s, n->kids[i], state))
            return true;
    if (n->kind == CSL_NAMES)
        return macro_cycle(s, n->substitute, state);
    return false;
}

static void check_cycles(loader *ld, cite_style *s)
{
    if (!s->nmacros)
        return;
    unsigned char *state = cite_calloc(s->nmacros, 1);
    if (!state) {
        ld->oom = true;
        return;
    }
    for (size_t i = 0; i < s->nmacros; i++) {
        memset(state, 0, s->nmacros);
        state[i] = 1;
        if (macro_cycle(s, s->macros[i].node, state)) {
            report(ld, CITE_SEV_ERROR, s->macros[i].node ? s->macros[i].node->line : 0,
                   "macro \"%s\" calls itself", s->macros[i].name);
            break;
        }
    }
    cite_free(state);
}

static void read_style(loader *ld, cite_style *s, const xmlNode *root)
{
    static const char *const classes[] = { "in-text", "note", NULL };
    static const char *const demote[] = { "display-and-sort", "sort-only", "never", NULL };
    static const char *const prf[] = { "expanded",   "minimal",    "minimal-two", "chicago",
                                       "chicago-16", "chicago-15", NULL };
    s->note_class = enum_attr(ld, root, "class", classes, 0, 0) == 1;
    s->default_locale = attr(ld, root, "default-locale");
    s->initialize_with_hyphen = bool_attr(ld, root, "initialize-with-hyphen", 1) == 1;
    s->demote_ndp = (unsigned char)enum_attr(ld, root, "demote-non-dropping-particle", demote, 0,
                                             CSL_DEMOTE_DISPLAY_AND_SORT);
    int p = enum_attr(ld, root, "page-range-format", prf, 1, 0);
    s->page_range_format = (unsigned char)(p == 6 ? CSL_PRF_CHICAGO : p);
    read_name_opts(ld, root, &s->nopts);
    s->names_delimiter = attr(ld, root, "names-delimiter");
    /* macros first, so that every reference resolves to an index whatever the order */
    size_t nmacros = 0;
    for (const xmlNode *c = root->children; c; c = c->next)
        nmacros += is(c, "macro");
    if (nmacros) {
        s->macros = csl_arena_alloc(ld->arena, nmacros * sizeof(csl_macro));
        if (!s->macros) {
            ld->oom = true;
            return;
        }
        for (const xmlNode *c = root->children; c && !ld->oom; c = c->next) {
            if (!is(c, "macro"))
                continue;
            const char *name = attr(ld, c, "name");
            if (!name) {
                report(ld, CITE_SEV_ERROR, line_of(c), "<macro> needs a name");
                continue;
            }
            if (find_macro(s, name) >= 0)
                report(ld, CITE_SEV_WARNING, line_of(c), "macro \"%s\" is defined twice", name);
            s->macros[s->nmacros++].name = name;
        }
    }
    size_t mi = 0;
    for (const xmlNode *c = root->children; c && !ld->oom; c = c->next) {
        if (is(c, "macro")) {
            if (!attr(ld, c, "name"))
                continue;
            csl_node *n = new_node(ld, CSL_MACRO, c);
            if (!n)
                return;
            read_children(ld, n, c);
            s->macros[mi++].node = n;
        } else if (is(c, "citation")) {
            read_context(ld, &s->citation, c, true);
        } else if (is(c, "bibliography")) {
            read_context(ld, &s->bibliography, c, false);
        } else if (is(c, "locale")) {
            cite_locale *loc = csl_arena_alloc(ld->arena, sizeof(cite_locale));
            cite_locale **grown = csl_arena_alloc(ld->arena, (s->nlocales + 1) * sizeof(*grown));
            if (!loc || !grown) {
                ld->oom = true;
                return;
            }
            if (s->nlocales)
                memcpy(grown, s->locales, s->nlocales * sizeof(*grown));
            grown[s->nlocales++] = loc;
            s->locales = grown;
            read_locale(ld, loc, c);
        } else if (is(c, "info")) {
            continue;
        } else if (c->type == XML_ELEMENT_NODE) {
            report(ld, CITE_SEV_WARNING, line_of(c), "unknown element <%s> ignored",
                   (const char *)c->name);
        }
    }
    if (!s->citation.present)
        report(ld, CITE_SEV_ERROR, line_of(root), "the style has no <citation>");
    if (!ld->oom)
        check_cycles(ld, s);
}

void cite_style_free(cite_style *style)
{
    if (!style)
        return;
    for (size_t i = 0; i < style->nlocales; i++)
        cite_free(style->locales[i]->terms);
    csl_arena arena = style->arena;
    csl_arena_dispose(&arena);
}

const char *cite_style_get_default_locale(const cite_style *style)
{
    return style->default_locale;
}

int cite_style_load_memory(
    cite_style **out, const char *xml, size_t len, const char *file, cite_diag *diag)
{
    loader ld = { .file = file, .diag = diag };
    xmlDocPtr doc = NULL;
    csl_arena arena = { 0 };
    cite_style *s = csl_arena_alloc(&arena, sizeof(cite_style));
    int rc = 0;
    *out = NULL;
    if (!s) {
        rc = CITE_ENOMEM;
        goto cleanup;
    }
    s->arena = arena;
    ld.arena = &s->arena;
    ld.style = s;
    if (file && !(s->file = csl_arena_strdup(&s->arena, file))) {
        rc = CITE_ENOMEM;
        goto cleanup;
    }
    if ((rc = parse_xml(&doc, &ld, xml, len)) < 0)
        goto cleanup;
    xmlNode *root = xmlDocGetRootElement(doc);
    if (!root || !is(root, "style")) {
        report(&ld, CITE_SEV_ERROR, root ? line_of(root) : 0, "the root element is not <style>");
        rc = CITE_EPARSE;
        goto cleanup;
    }
    read_style(&ld, s, root);
    if (ld.oom)
        rc = CITE_ENOMEM;
    else if (ld.errors)
        rc = CITE_EPARSE;
cleanup:
    xmlFreeDoc(doc);
    if (rc < 0) {
        if (s)
            cite_style_free(s);
        s = NULL;
    }
    *out = s;
    return rc;
}

int cite_style_load(cite_style **out, const char *path, cite_diag *diag)
{
    char *xml = NULL;
    size_t len = 0;
    *out = NULL;
    int rc = read_whole(&xml, &len, path, diag);
    if (rc == 0)
        rc = cite_style_load_memory(out, xml, len, path, diag);
    cite_free_string(xml);
    return rc;
}

/* The primary dialect of a bare language (locales.json of the CSL locales repository):
 * "de" -> "de-DE". A language with a region, or one not listed, is returned as it is. */
const char *csl_primary_dialect(const char *lang)
{
    static const char *const table[][2] = {
        { "af", "af-ZA" }, { "bal", "bal-PK" }, { "bg", "bg-BG" }, { "brh", "brh-PK" },
        { "ca", "ca-AD" }, { "cs", "cs-CZ" },   { "cy", "cy-GB" }, { "da", "da-DK" },
        { "de", "de-DE" }, { "el", "el-GR" },   { "en", "en-US" }, { "es", "es-ES" },
        { "et", "et-EE" }, { "fa", "fa-IR" },   { "fi", "fi-FI" }, { "fr", "fr-FR" },
        { "gl", "gl-ES" }, { "he", "he-IL" },   { "hi", "hi-IN" }, { "hr", "hr-HR" },
        { "hu", "hu-HU" }, { "id", "id-ID" },   { "is", "is-IS" }, { "it", "it-IT" },
        { "ja", "ja-JP" }, { "km", "km-KH" },   { "ko", "ko-KR" }, { "lij", "lij-IT" },
        { "lt", "lt-LT" }, { "lv", "lv-LV" },   { "mn", "mn-MN" }, { "ms", "ms-MY" },
        { "nb", "nb-NO" }, { "nl", "nl-NL" },   { "nn", "nn-NO" }, { "pa", "pa-PK" },
        { "pl", "pl-PL" }, { "pt", "pt-PT" },   { "ro", "ro-RO" }, { "ru", "ru-RU" },
        { "sk", "sk-SK" }, { "sl", "sl-SI" },   { "sr", "sr-RS" }, { "sv", "sv-SE" },
        { "th", "th-TH" }, { "tr", "tr-TR" },   { "uk", "uk-UA" }, { "vi", "vi-VN" },
        { "zh", "zh-CN" },
    };
    for (size_t i = 0; i < CITE_ARRAY_LEN(table); i++)
        if (strcmp(table[i][0], lang) == 0)
            return table[i][1];
    return lang;
}

const char *cite_locale_primary_dialect(const char *lang)
{
    return csl_primary_dialect(lang);
}
