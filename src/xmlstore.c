/* xmlstore.c: the XML store, a library as one UTF-8 XML file (bib/cite.rng documents the
 * format; DESIGN.md "The XML store").
 *
 * Writing goes through xmlTextWriter, which escapes (STYLE.md §7); the layout (one entry a
 * line, two spaces; one field a line, four spaces) is written by hand as raw text between
 * elements, because xmlTextWriterSetIndent would also indent inside mixed content and change
 * the values. Reading parses the whole document (stores are small), validates it against the
 * RELAX NG schema compiled into the library, and walks the tree into records. Whatever the
 * walk does not understand (unknown elements, attributes, comments) is kept serialised and
 * written back. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlwriter.h>

#include "buf.h"
#include "markup.h"
#include "record.h"
#include "schema.h"

/* Markup deeper than this is written as plain text. libxml2 refuses documents nested deeper
 * than 256 elements, so a deeper value could not be read back anyway. */
#define MAX_MARKUP_DEPTH 64

/* ==== Writing ============================================================================ */

/* Writer state. Errors are sticky, as in cite_buf (STYLE.md §5): every put_* is a no-op once
 * err is set, so callers write freely and test err once at the end. */
typedef struct writer {
    xmlTextWriterPtr w;
    int err;          /* 0, CITE_ENOMEM or CITE_EINVALID */
    cite_buf scratch; /* the XML-safe copy of the string being written */
    cite_buf date;    /* the text of the date being written */
    size_t children;  /* child elements written in the current <entry> */
} writer;

static void fail(writer *wr, int err)
{
    if (!wr->err)
        wr->err = err;
}

/* Checks an xmlTextWriter result. Writing into memory fails only for lack of memory. */
static void check(writer *wr, int rc)
{
    if (rc < 0)
        fail(wr, CITE_ENOMEM);
}

static void put_raw(writer *wr, const char *s)
{
    if (!wr->err)
        check(wr, xmlTextWriterWriteRaw(wr->w, (const xmlChar *)s));
}

static void start(writer *wr, const char *name)
{
    if (!wr->err)
        check(wr, xmlTextWriterStartElement(wr->w, (const xmlChar *)name));
}

static void end(writer *wr)
{
    if (!wr->err)
        check(wr, xmlTextWriterEndElement(wr->w));
}

/* True when cp is a Char of XML 1.0 (§2.2): a document cannot carry any other code point,
 * not even as a character reference. */
static bool xml_char(uint32_t cp)
{
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
           (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

/* A NUL-terminated copy of s[0..len) in wr->scratch that XML can carry: each byte that is
 * not part of valid UTF-8 and each code point XML forbids (C0 controls but tab, LF and CR)
 * becomes U+FFFD, so the output is always well-formed. NULL on OOM (err is then set). */
static const char *xml_safe(writer *wr, const char *s, size_t len)
{
    cite_buf_clear(&wr->scratch);
    size_t run = 0; /* start of the run of good bytes not yet copied */
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x80) { /* the common case: printable ASCII */
            i++;
            continue;
        }
        size_t n;
        uint32_t cp = cite_utf8_decode(s + i, len - i, &n);
        bool invalid = cp == 0xFFFD && n == 1; /* a genuine U+FFFD is 3 bytes long */
        if (invalid || !xml_char(cp)) {
            cite_buf_put(&wr->scratch, s + run, i - run);
            cite_buf_put_utf8(&wr->scratch, 0xFFFD);
            run = i + n;
        }
        i += n;
    }
    cite_buf_put(&wr->scratch, s + run, len - run);
    if (cite_buf_oom(&wr->scratch)) {
        fail(wr, CITE_ENOMEM);
        return NULL;
    }
    return wr->scratch.ptr; /* "" (static) when nothing was copied */
}

/* Writes s[0..len) as character data (xmlTextWriter escapes < & > and CR). */
static void put_text(writer *wr, const char *s, size_t len)
{
    if (wr->err || len == 0)
        return;
    const char *safe = xml_safe(wr, s, len);
    if (safe)
        check(wr, xmlTextWriterWriteString(wr->w, (const xmlChar *)safe));
}

static void put_attr(writer *wr, const char *name, const char *value)
{
    if (wr->err)
        return;
    const char *safe = xml_safe(wr, value, strlen(value));
    if (safe)
        check(wr, xmlTextWriterWriteAttribute(wr->w, (const xmlChar *)name, (const xmlChar *)safe));
}

/* XML 1.0 (fifth edition) §2.3, NameStartChar and NameChar: the rules libxml2's parser
 * applies (xmlValidateQName follows older, narrower ones and would refuse names it reads). */
static bool name_char(uint32_t cp, bool first)
{
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || cp == '_' ||
        (cp >= 0xC0 && cp <= 0xD6) || (cp >= 0xD8 && cp <= 0xF6) || (cp >= 0xF8 && cp <= 0x2FF) ||
        (cp >= 0x370 && cp <= 0x37D) || (cp >= 0x37F && cp <= 0x1FFF) ||
        (cp >= 0x200C && cp <= 0x200D) || (cp >= 0x2070 && cp <= 0x218F) ||
        (cp >= 0x2C00 && cp <= 0x2FEF) || (cp >= 0x3001 && cp <= 0xD7FF) ||
        (cp >= 0xF900 && cp <= 0xFDCF) || (cp >= 0xFDF0 && cp <= 0xFFFD) ||
        (cp >= 0x10000 && cp <= 0xEFFFF))
        return true;
    return !first && ((cp >= '0' && cp <= '9') || cp == '-' || cp == '.' || cp == 0xB7 ||
                      (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x203F && cp <= 0x2040));
}

/* True when name is a QName (Namespaces in XML 1.0 §4): one name, or two joined by ':'. */
static bool qname_ok(const char *name)
{
    size_t len = strlen(name), colons = 0;
    bool first = true;
    for (size_t i = 0, n; i < len; i += n) {
        uint32_t cp = cite_utf8_decode(name + i, len - i, &n);
        if (cp == ':' && !first && ++colons == 1) {
            first = true;
            continue;
        }
        if ((cp == 0xFFFD && n == 1) || !name_char(cp, first))
            return false;
        first = false;
    }
    return len > 0 && !first;
}

static bool in_list(const char *name, const char *const *list)
{
    for (; list && *list; list++)
        if (strcmp(name, *list) == 0)
            return true;
    return false;
}

/* Writes the kept unknown attributes. xmlTextWriter does not check names, so a name that is
 * not an XML name, is one of the element's own (reserved) or repeats an earlier one would
 * make the output malformed: that is CITE_EINVALID. The reader never produces such a name. */
static void put_attrs(writer *wr, const cite_attr *attrs, size_t n, const char *const *reserved)
{
    for (size_t i = 0; i < n && !wr->err; i++) {
        const char *name = attrs[i].name;
        bool repeated = false;
        for (size_t j = 0; j < i; j++)
            repeated = repeated || strcmp(attrs[j].name, name) == 0;
        if (!name || !attrs[i].value || !qname_ok(name) || in_list(name, reserved) || repeated) {
            fail(wr, CITE_EINVALID);
            return;
        }
        put_attr(wr, name, attrs[i].value);
    }
}

/* True when the markup tags of s[0..len) nest properly: each closing tag closes the innermost
 * open one and none is left open. Only then can they become elements. */
static bool markup_balanced(const char *s, size_t len)
{
    cite_tag open[MAX_MARKUP_DEPTH];
    size_t depth = 0;
    for (size_t i = 0; i < len; i++) {
        bool closing;
        size_t n;
        cite_tag tag =
            s[i] == '<' ? cite_markup_tag_at(s + i, len - i, &closing, &n) : CITE_TAG_NONE;
        if (tag == CITE_TAG_NONE)
            continue;
        if (closing) {
            if (depth == 0 || open[depth - 1] != tag)
                return false;
            depth--;
        } else {
            if (depth == MAX_MARKUP_DEPTH)
                return false;
            open[depth++] = tag;
        }
        i += n - 1;
    }
    return depth == 0;
}

/* Writes a text value: its markup tags (markup.h) as elements of the same name, everything
 * else as character data, so that the reader gets back the same string. A value whose tags
 * do not nest is written whole as character data: its '<' are escaped and read back as text,
 * which again gives the same string. */
static void put_rich(writer *wr, const char *s)
{
    size_t len = strlen(s);
    if (!markup_balanced(s, len)) {
        put_text(wr, s, len);
        return;
    }
    size_t from = 0;
    for (size_t i = 0; i < len && !wr->err;) {
        bool closing;
        size_t n;
        cite_tag tag =
            s[i] == '<' ? cite_markup_tag_at(s + i, len - i, &closing, &n) : CITE_TAG_NONE;
        if (tag == CITE_TAG_NONE) {
            i++;
            continue;
        }
        put_text(wr, s + from, i - from);
        if (closing)
            end(wr);
        else
            start(wr, cite_markup_tag_name(tag));
        i += n;
        from = i;
    }
    put_text(wr, s + from, len - from);
}

/* Starts a child element of <entry> on its own line, indented by four spaces. */
static void start_child(writer *wr, const char *name)
{
    put_raw(wr, "\n    ");
    start(wr, name);
    wr->children++;
}

/* One name part, omitted when absent. */
static void put_part(writer *wr, const char *element, const char *value)
{
    if (!value)
        return;
    start(wr, element);
    put_rich(wr, value);
    end(wr);
}

/* An empty element standing for a flag that is set: <others/>, <comma-suffix/>... */
static void put_flag(writer *wr, const char *element, bool set)
{
    if (!set)
        return;
    start(wr, element);
    end(wr);
}

/* A name variable: one element per person, the field's attributes on the first. Parts in
 * CSL 1.0.2 Name-part order (family, given, particles, suffix), then literal, others and
 * CSL-JSON's name flags. */
static void put_names(writer *wr, const cite_field *f)
{
    for (size_t i = 0; i < f->nnames; i++) {
        const cite_name *n = &f->names[i];
        start_child(wr, f->name);
        if (i == 0)
            put_attrs(wr, f->attrs, f->nattrs, NULL);
        put_part(wr, "family", n->family);
        put_part(wr, "given", n->given);
        put_part(wr, "non-dropping-particle", n->non_dropping_particle);
        put_part(wr, "dropping-particle", n->dropping_particle);
        put_part(wr, "suffix", n->suffix);
        put_part(wr, "literal", n->literal);
        put_flag(wr, "others", n->others);
        put_flag(wr, "comma-suffix", n->comma_suffix);
        put_flag(wr, "static-ordering", n->static_ordering);
        put_flag(wr, "institution", n->institution);
        if (n->parse_names)
            put_part(wr, "parse-names", n->parse_names > 0 ? "true" : "false");
        end(wr);
    }
}

static void put_date(writer *wr, const cite_field *f)
{
    start_child(wr, f->name);
    put_attrs(wr, f->attrs, f->nattrs, NULL);
    cite_buf_clear(&wr->date);
    cite_date_format(&wr->date, &f->date);
    if (cite_buf_oom(&wr->date))
        fail(wr, CITE_ENOMEM);
    put_text(wr, wr->date.ptr, wr->date.len);
    end(wr);
}

/* A field with no element of its own: not a CSL variable, or the CSL variable "source",
 * whose element name <source> the store uses for provenance. */
static void put_field_element(writer *wr, const cite_field *f)
{
    static const char *const reserved[] = { "name", NULL };
    if (!f->name[0]) {
        fail(wr, CITE_EINVALID); /* the schema requires a name */
        return;
    }
    start_child(wr, "field");
    put_attr(wr, "name", f->name);
    put_attrs(wr, f->attrs, f->nattrs, reserved);
    put_rich(wr, f->text ? f->text : "");
    end(wr);
}

static void put_field(writer *wr, const cite_field *f)
{
    if (f->kind == CITE_VAR_NAMES) {
        put_names(wr, f);
    } else if (f->kind == CITE_VAR_DATE) {
        put_date(wr, f);
    } else if (f->kind == CITE_VAR_UNKNOWN || strcmp(f->name, "source") == 0) {
        put_field_element(wr, f);
    } else {
        start_child(wr, f->name);
        put_attrs(wr, f->attrs, f->nattrs, NULL);
        put_rich(wr, f->text ? f->text : "");
        end(wr);
    }
}

/* <source line="N" file="F">: the original text, as plain text (no markup). */
static void put_source(writer *wr, const cite_record *rec)
{
    char line[24];
    start_child(wr, "source");
    if (rec->source_line > 0) {
        snprintf(line, sizeof(line), "%u", rec->source_line);
        put_attr(wr, "line", line);
    }
    if (rec->source_file)
        put_attr(wr, "file", rec->source_file);
    put_text(wr, rec->source, strlen(rec->source));
    end(wr);
}

/* One <entry> on its own line. The reader would refuse an empty id or a type that is not a
 * CSL type, so the writer refuses them too (CITE_EINVALID) rather than write such a file. */
static void put_entry(writer *wr, const cite_record *rec)
{
    static const char *const reserved[] = { "id", "type", "bibtype", NULL };
    if (!rec->id || !rec->id[0] || !cite_csl_type_valid(rec->type)) {
        fail(wr, CITE_EINVALID);
        return;
    }
    put_raw(wr, "\n  ");
    start(wr, "entry");
    put_attr(wr, "id", rec->id);
    put_attr(wr, "type", rec->type);
    if (rec->bibtype && rec->bibtype[0])
        put_attr(wr, "bibtype", rec->bibtype);
    put_attrs(wr, rec->attrs, rec->nattrs, reserved);
    wr->children = 0;
    for (size_t i = 0; i < rec->nfields; i++)
        put_field(wr, &rec->fields[i]);
    for (size_t i = 0; i < rec->nforeign; i++) {
        if (!rec->foreign[i][0])
            continue;
        put_raw(wr, "\n    ");
        put_raw(wr, rec->foreign[i]);
        wr->children++;
    }
    if (rec->source)
        put_source(wr, rec);
    if (wr->children)
        put_raw(wr, "\n  ");
    end(wr);
}

static void put_library(writer *wr, const cite_library *lib)
{
    static const char *const reserved[] = { "version", NULL };
    check(wr, xmlTextWriterStartDocument(wr->w, NULL, "UTF-8", NULL));
    start(wr, "bibliography");
    put_attr(wr, "version", "1");
    put_attrs(wr, lib->attrs, lib->nattrs, reserved);
    bool any = false;
    for (size_t i = 0; i < lib->count; i++) {
        put_entry(wr, lib->records[i]);
        any = true;
    }
    for (size_t i = 0; i < lib->nextras; i++) {
        put_raw(wr, "\n  ");
        start(wr, lib->extras[i].kind == CITE_EXTRA_PREAMBLE ? "preamble" : "comment");
        put_text(wr, lib->extras[i].text, strlen(lib->extras[i].text));
        end(wr);
        any = true;
    }
    for (size_t i = 0; i < lib->nforeign; i++) {
        if (!lib->foreign[i][0])
            continue;
        put_raw(wr, "\n  ");
        put_raw(wr, lib->foreign[i]);
        any = true;
    }
    if (any)
        put_raw(wr, "\n");
    end(wr);
    if (!wr->err) /* closes the document and adds the final newline */
        check(wr, xmlTextWriterEndDocument(wr->w));
    if (!wr->err)
        check(wr, xmlTextWriterFlush(wr->w));
}

int cite_xmlstore_write(char **out, const cite_library *lib)
{
    writer wr = { .scratch = CITE_BUF_INIT, .date = CITE_BUF_INIT };
    xmlBufferPtr buf = NULL;
    int rc = CITE_ENOMEM;
    *out = NULL;
    xmlInitParser();
    if (!(buf = xmlBufferCreate()) || !(wr.w = xmlNewTextWriterMemory(buf, 0)))
        goto cleanup;
    put_library(&wr, lib);
    rc = wr.err;
    if (rc == 0) {
        *out = cite_strndup((const char *)xmlBufferContent(buf), (size_t)xmlBufferLength(buf));
        rc = *out ? 0 : CITE_ENOMEM;
    }
cleanup:
    xmlFreeTextWriter(wr.w);
    xmlBufferFree(buf);
    cite_buf_dispose(&wr.date);
    cite_buf_dispose(&wr.scratch);
    return rc;
}

/* ==== Reading ============================================================================ */

/* libxml2 2.12 made the error passed to structured handlers const. */
#if LIBXML_VERSION >= 21200
typedef const xmlError *xml_error_ptr;
#else
typedef xmlErrorPtr xml_error_ptr;
#endif

/* What a load reports into. */
typedef struct loader {
    const char *file; /* names the input in diagnostics; may be NULL */
    cite_diag *diag;
    size_t errors;               /* error diagnostics reported (or lost to OOM) so far */
    const xmlNode *last_invalid; /* the node of the last validity error reported */
    bool has_pending;            /* a validity error without a node waits in pending */
    char *pending;               /* its message; NULL when lost to OOM */
} loader;

/* Records a diagnostic. msg NULL means it was lost to OOM: it still counts as an error, so
 * the load still fails. */
static void emit(loader *ld, cite_severity sev, long line, unsigned col, const char *msg)
{
    cite_loc at = { .file = ld->file,
                    .line = line > 0 && (unsigned long)line <= UINT_MAX ? (unsigned)line : 0,
                    .col = col };
    if (msg)
        cite_diag_report(ld->diag, sev, at, "%s", msg);
    if (sev == CITE_SEV_ERROR)
        ld->errors++;
}

static void report(loader *ld, cite_severity sev, long line, const char *fmt, ...)
    CITE_PRINTF(4, 5);

static void report(loader *ld, cite_severity sev, long line, const char *fmt, ...)
{
    va_list ap;
    cite_buf msg = CITE_BUF_INIT;
    va_start(ap, fmt);
    cite_buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    emit(ld, sev, line, 0, cite_buf_oom(&msg) ? NULL : msg.ptr);
    cite_buf_dispose(&msg);
}

static cite_severity severity_of(xml_error_ptr err)
{
    return err->level == XML_ERR_WARNING ? CITE_SEV_WARNING : CITE_SEV_ERROR;
}

/* Structured error handler of the parser (and of the schema compiler): one diagnostic per
 * libxml2 error, at its line and column (int2; 0 when unknown). */
static void on_xml_error(void *data, xml_error_ptr err)
{
    loader *ld = data;
    char *msg = cite_diag_message(err->message);
    emit(ld, severity_of(err), err->line, err->int2 > 0 ? (unsigned)err->int2 : 0, msg);
    cite_free(msg);
}

/* The element a validity error is about: the node itself, or its parent when the message
 * names the parent ("element title has extra content: p" comes with the node p). */
static const xmlNode *invalid_element(xml_error_ptr err)
{
    const xmlNode *node = err->node;
    if (node && err->str1 && node->parent && node->parent->type == XML_ELEMENT_NODE &&
        strcmp((const char *)node->name, err->str1) != 0 &&
        strcmp((const char *)node->parent->name, err->str1) == 0)
        return node->parent;
    return node;
}

static bool within(const xmlNode *node, const xmlNode *ancestor)
{
    for (; node; node = node->parent)
        if (node == ancestor)
            return true;
    return false;
}

/* Reports the validity error waiting for a line, at line (0: none came). */
static void flush_pending(loader *ld, long line)
{
    if (!ld->has_pending)
        return;
    emit(ld, CITE_SEV_ERROR, line, 0, ld->pending);
    cite_free(ld->pending);
    ld->pending = NULL;
    ld->has_pending = false;
}

/* s without its leading and trailing XML white space; the end is cut in place. */
static char *trim_space(char *s)
{
    static const char space[] = " \t\r\n";
    char *p = s + strspn(s, space);
    size_t len = strlen(p);
    while (len > 0 && strchr(space, p[len - 1]))
        p[--len] = '\0';
    return p;
}

/* True when s is an unsignedInt of at least 1, as the schema wants <source line>. */
static bool line_ok(char *s)
{
    s = trim_space(s);
    errno = 0;
    char *end;
    unsigned long n = strtoul(s, &end, 10);
    return *s >= '0' && *s <= '9' && !*end && errno == 0 && n >= 1 && n <= UINT_MAX;
}

static void explain_entry(cite_buf *msg, const xmlNode *node)
{
    xmlChar *id = xmlGetNoNsProp(node, (const xmlChar *)"id");
    xmlChar *type = xmlGetNoNsProp(node, (const xmlChar *)"type");
    xmlChar *bibtype = xmlGetNoNsProp(node, (const xmlChar *)"bibtype");
    if (!id || !*id)
        cite_buf_puts(msg, id ? "entry has an empty id" : "entry has no id");
    else if (!type)
        cite_buf_printf(msg, "entry '%s' has no type", (char *)id);
    else if (!cite_csl_type_valid(trim_space((char *)type)))
        cite_buf_printf(msg, "entry '%s': '%s' is not a CSL item type", (char *)id,
                        trim_space((char *)type));
    else if (bibtype && !*bibtype)
        cite_buf_printf(msg, "entry '%s' has an empty bibtype", (char *)id);
    xmlFree(bibtype);
    xmlFree(type);
    xmlFree(id);
}

/* Says which attribute is wrong, where libxml2 says "element entry failed to validate
 * attributes" or, for a bad optional attribute, something unrelated ("expecting an element
 * DOI, got nothing"). NULL when the attributes of node are fine (or on OOM): the caller then
 * keeps libxml2's message. */
static char *explain_attributes(const xmlNode *node)
{
    const char *name = (const char *)node->name;
    xmlChar *value = NULL;
    const char *version;
    cite_buf msg = CITE_BUF_INIT;
    if (node->ns) {
        /* an unknown element: any attribute goes */
    } else if (strcmp(name, "entry") == 0) {
        explain_entry(&msg, node);
    } else if (strcmp(name, "bibliography") == 0) {
        value = xmlGetNoNsProp(node, (const xmlChar *)"version");
        if (!value)
            cite_buf_puts(&msg, "bibliography has no version");
        else if (strcmp(version = trim_space((char *)value), "1") != 0)
            cite_buf_printf(&msg, "store version '%s' is not supported (cite reads version 1)",
                            version);
    } else if (strcmp(name, "field") == 0) {
        value = xmlGetNoNsProp(node, (const xmlChar *)"name");
        if (!value || !*value)
            cite_buf_puts(&msg, "<field> has no name");
    } else if (strcmp(name, "source") == 0) {
        value = xmlGetNoNsProp(node, (const xmlChar *)"line");
        if (value && !line_ok((char *)value))
            cite_buf_printf(&msg, "<source line=\"%s\">: the line must be a number from 1",
                            (char *)value);
    }
    xmlFree(value);
    if (msg.len == 0) {
        cite_buf_dispose(&msg);
        return NULL;
    }
    return cite_buf_detach(&msg);
}

/* Structured error handler of the RELAX NG validator. libxml2 reports a validity problem,
 * then each enclosing element as failing in turn ("element entry has extra content: title",
 * "element bibliography has extra content: entry", the latter at the line of the first,
 * valid, entry). Such an error about an element that holds the node of the error reported
 * just before is that cascade: it is counted but not reported. An error that comes without
 * a node ("extra element family in interleave") takes the line of the next one. */
static void on_invalid(void *data, xml_error_ptr err)
{
    loader *ld = data;
    const xmlNode *node = err->node;
    char *msg = NULL;
    if (node && node->type == XML_ELEMENT_NODE)
        msg = explain_attributes(node);
    if (!msg)
        msg = cite_diag_message(err->message);
    if (!node) {
        flush_pending(ld, 0);
        ld->pending = msg;
        ld->has_pending = true;
        return;
    }
    if (ld->has_pending) {
        flush_pending(ld, xmlGetLineNo(node));
        ld->last_invalid = node;
    }
    if (ld->last_invalid && within(ld->last_invalid, invalid_element(err))) {
        ld->errors++;
    } else {
        ld->last_invalid = node;
        emit(ld, severity_of(err), xmlGetLineNo(node), 0, msg);
    }
    cite_free(msg);
}

/* libxml2 writes some messages (notably "Unimplemented block" notices of its RELAX NG code)
 * straight to the generic error channel, which prints to stderr; the library never prints,
 * so that channel is silenced while we call into libxml2. */
static void discard(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* The global handlers in force before a load, restored after it. On libxml2 older than 2.13
 * the parser reports through the global structured handler (a parser context has no handler
 * of its own there), so a load sets it and restores the caller's afterwards. */
typedef struct saved_handlers {
    xmlGenericErrorFunc generic;
    void *generic_ctx;
    xmlStructuredErrorFunc structured;
    void *structured_ctx;
} saved_handlers;

static void handlers_push(saved_handlers *saved, loader *ld)
{
    saved->generic = xmlGenericError;
    saved->generic_ctx = xmlGenericErrorContext;
    saved->structured = xmlStructuredError;
    saved->structured_ctx = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(NULL, discard);
#if LIBXML_VERSION < 21300
    xmlSetStructuredErrorFunc(ld, on_xml_error);
#else
    (void)ld;
#endif
}

static void handlers_pop(const saved_handlers *saved)
{
    xmlSetGenericErrorFunc(saved->generic_ctx, saved->generic);
    xmlSetStructuredErrorFunc(saved->structured_ctx, saved->structured);
}

/* The schema, compiled from the embedded bib/cite.rng on first use and kept for the life of
 * the process (it is reachable, so leak checkers do not count it). Not thread-safe: two
 * threads loading for the first time at once would race; a threaded program should load
 * (or call cite_xmlstore_load_memory on any input) once before starting threads. */
static xmlRelaxNGPtr compiled_schema;

static int schema_get(xmlRelaxNGPtr *out, loader *ld)
{
    if (!compiled_schema) {
        xmlRelaxNGParserCtxtPtr pctxt =
            xmlRelaxNGNewMemParserCtxt(cite_rng_schema, (int)cite_rng_schema_len);
        if (!pctxt)
            return CITE_ENOMEM;
        xmlRelaxNGSetParserStructuredErrors(pctxt, on_xml_error, ld);
        compiled_schema = xmlRelaxNGParse(pctxt);
        xmlRelaxNGFreeParserCtxt(pctxt);
        if (!compiled_schema) {
            report(ld, CITE_SEV_ERROR, 0, "internal error: the embedded schema does not compile");
            return CITE_ERROR;
        }
    }
    *out = compiled_schema;
    return 0;
}

/* Parser options for untrusted files (STYLE.md §7): no network, no entity substitution, no
 * DTD loading or validation, no recovery. BIG_LINES keeps line numbers past 65535 right. */
#if LIBXML_VERSION >= 21300
#define NO_XXE XML_PARSE_NO_XXE
#else
#define NO_XXE 0
#endif
#define PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_BIG_LINES | NO_XXE)

/* Parses xml into a tree; NULL (with diagnostics) when it is not well-formed. */
static int parse(xmlDocPtr *out, loader *ld, const char *xml, size_t len)
{
    *out = NULL;
    if (len == 0 || len > INT_MAX) {
        report(ld, CITE_SEV_ERROR, 1, len ? "document is too large" : "document is empty");
        return CITE_EPARSE;
    }
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt)
        return CITE_ENOMEM;
#if LIBXML_VERSION >= 21300
    xmlCtxtSetErrorHandler(ctxt, on_xml_error, ld);
#endif
    size_t before = ld->errors;
    *out = xmlCtxtReadMemory(ctxt, xml, (int)len, NULL, NULL, PARSE_OPTIONS);
    xmlFreeParserCtxt(ctxt);
    /* libxml2 builds a tree despite namespace errors (an undeclared prefix, "a:" as a name):
     * they are errors all the same, and names like these could not be written back. */
    if (*out && ld->errors == before)
        return 0;
    xmlFreeDoc(*out);
    *out = NULL;
    if (ld->errors == before)
        report(ld, CITE_SEV_ERROR, 0, "not a well-formed XML document");
    return CITE_EPARSE;
}

/* The line of the first "<!DOCTYPE" in xml, for the diagnostic; 0 when not found. */
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

/* Validates doc against the schema: 0, or CITE_EPARSE with the validator's diagnostics. */
static int validate(loader *ld, xmlDocPtr doc)
{
    xmlRelaxNGPtr schema;
    int rc = schema_get(&schema, ld);
    if (rc < 0)
        return rc;
    xmlRelaxNGValidCtxtPtr vctxt = xmlRelaxNGNewValidCtxt(schema);
    if (!vctxt)
        return CITE_ENOMEM;
    xmlRelaxNGSetValidStructuredErrors(vctxt, on_invalid, ld);
    size_t before = ld->errors;
    int valid = xmlRelaxNGValidateDoc(vctxt, doc);
    xmlRelaxNGFreeValidCtxt(vctxt);
    flush_pending(ld, 0);
    if (valid == 0)
        return 0;
    if (ld->errors == before)
        report(ld, CITE_SEV_ERROR, 0, "the document does not match the store's schema");
    return valid < 0 ? CITE_ERROR : CITE_EPARSE;
}

static bool is_named(const xmlNode *node, const char *name)
{
    return node->type == XML_ELEMENT_NODE && !node->ns &&
           strcmp((const char *)node->name, name) == 0;
}

/* Appends the text of a value to b: text and CDATA as they are, markup elements as their
 * literal tags (the inverse of put_rich). Comments and processing instructions inside a
 * value are dropped; the schema allows no other element there. */
static void collect_text(cite_buf *b, const xmlNode *first)
{
    for (const xmlNode *n = first; n; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            cite_buf_puts(b, (const char *)n->content);
        } else if (n->type == XML_ELEMENT_NODE && !n->ns) {
            const char *name = (const char *)n->name;
            if (cite_markup_tag_lookup(name) == CITE_TAG_NONE)
                continue;
            cite_buf_printf(b, "<%s>", name);
            collect_text(b, n->children);
            cite_buf_printf(b, "</%s>", name);
        }
    }
}

/* The value of an element (see collect_text), as a new string. NULL on OOM. */
static char *text_of(const xmlNode *node)
{
    cite_buf b = CITE_BUF_INIT;
    collect_text(&b, node->children);
    return cite_buf_detach(&b);
}

/* The qualified name of an attribute, "prefix:local" when it is in a namespace. */
static char *attr_name(const xmlAttr *a)
{
    cite_buf b = CITE_BUF_INIT;
    if (a->ns && a->ns->prefix)
        cite_buf_printf(&b, "%s:", (const char *)a->ns->prefix);
    cite_buf_puts(&b, (const char *)a->name);
    return cite_buf_detach(&b);
}

/* Adds name=value to attrs unless the name is there already. A different value for a name
 * already there is lost: say so. */
static int attr_merge(loader *ld,
                      cite_attr **attrs,
                      size_t *n,
                      const char *name,
                      const char *value,
                      const xmlNode *node)
{
    for (size_t i = 0; i < *n; i++) {
        if (strcmp((*attrs)[i].name, name) != 0)
            continue;
        if (strcmp((*attrs)[i].value, value) != 0)
            report(ld, CITE_SEV_WARNING, xmlGetLineNo(node),
                   "attribute '%s' of this <%s> is dropped: an earlier <%s> of the list "
                   "sets it to \"%s\"",
                   name, (const char *)node->name, (const char *)node->name, (*attrs)[i].value);
        return 0;
    }
    return cite_attrs_add(attrs, n, name, value);
}

/* Keeps the namespace declarations of node and its attributes other than the known ones (in
 * no namespace), in document order, so that they are written back. */
static int
keep_attrs(loader *ld, cite_attr **attrs, size_t *n, const xmlNode *node, const char *const *known)
{
    int rc = 0;
    for (const xmlNs *ns = node->nsDef; ns && rc == 0; ns = ns->next) {
        cite_buf name = CITE_BUF_INIT;
        cite_buf_puts(&name, "xmlns");
        if (ns->prefix)
            cite_buf_printf(&name, ":%s", (const char *)ns->prefix);
        rc = cite_buf_oom(&name)
                 ? CITE_ENOMEM
                 : attr_merge(ld, attrs, n, name.ptr, ns->href ? (const char *)ns->href : "", node);
        cite_buf_dispose(&name);
    }
    for (const xmlAttr *a = node->properties; a && rc == 0; a = a->next) {
        if (!a->ns && in_list((const char *)a->name, known))
            continue;
        char *name = attr_name(a);
        xmlChar *value = xmlNodeGetContent((const xmlNode *)a);
        if (!name || !value)
            rc = CITE_ENOMEM;
        else
            rc = attr_merge(ld, attrs, n, name, (const char *)value, node);
        xmlFree(value);
        cite_free(name);
    }
    return rc;
}

/* Serialises node (an unknown element, a comment) as it stands in the document. Set as UTF-8
 * by load_memory, the document's encoding makes libxml2 keep non-ASCII characters as they
 * are instead of writing character references. NULL on OOM. */
static char *serialise(const xmlNode *node)
{
    char *xml = NULL;
    xmlBufferPtr buf = xmlBufferCreate();
    if (buf && xmlNodeDump(buf, node->doc, (xmlNodePtr)node, 0, 0) >= 0)
        xml = cite_strndup((const char *)xmlBufferContent(buf), (size_t)xmlBufferLength(buf));
    xmlBufferFree(buf);
    return xml;
}

/* A name or date or text element that repeats one already read in this entry. */
static bool duplicate(loader *ld, const cite_record *rec, const char *field, const xmlNode *node)
{
    if (!cite_record_field(rec, field))
        return false;
    if (is_named(node, "field"))
        report(ld, CITE_SEV_ERROR, xmlGetLineNo(node),
               "entry '%s' has a second <field name=\"%s\">", rec->id, field);
    else
        report(ld, CITE_SEV_ERROR, xmlGetLineNo(node), "entry '%s' has a second <%s>", rec->id,
               field);
    return true;
}

/* A text variable (<title>...) or a <field name="...">, stored under field. */
static int read_text(
    loader *ld, cite_record *rec, const xmlNode *node, const char *field, const char *const *known)
{
    if (duplicate(ld, rec, field, node))
        return 0;
    char *text = text_of(node);
    int rc = text ? cite_record_set_text(rec, field, text) : CITE_ENOMEM;
    cite_free(text);
    if (rc == 0) {
        cite_field *f = cite_record_field_mut(rec, field);
        rc = keep_attrs(ld, &f->attrs, &f->nattrs, node, known);
    }
    return rc;
}

/* <field name="NAME">: a field that is not a CSL variable, or the variable "source". */
static int read_field(loader *ld, cite_record *rec, const xmlNode *node)
{
    static const char *const known[] = { "name", NULL };
    xmlChar *name = xmlGetNoNsProp(node, (const xmlChar *)"name");
    if (!name)
        return CITE_ENOMEM; /* the schema requires it: only OOM loses it */
    const char *field = (const char *)name;
    int rc = 0;
    if (cite_var_kind_of(field) != CITE_VAR_UNKNOWN && strcmp(field, "source") != 0)
        report(ld, CITE_SEV_ERROR, xmlGetLineNo(node),
               "<field name=\"%s\"> names a CSL variable: write it as <%s>", field, field);
    else
        rc = read_text(ld, rec, node, field, known);
    xmlFree(name);
    return rc;
}

/* Where the name part called part goes in n; NULL for <others/>. */
static char **part_slot(cite_name *n, const char *part)
{
    if (strcmp(part, "family") == 0)
        return &n->family;
    if (strcmp(part, "given") == 0)
        return &n->given;
    if (strcmp(part, "non-dropping-particle") == 0)
        return &n->non_dropping_particle;
    if (strcmp(part, "dropping-particle") == 0)
        return &n->dropping_particle;
    if (strcmp(part, "suffix") == 0)
        return &n->suffix;
    if (strcmp(part, "literal") == 0)
        return &n->literal;
    return NULL;
}

/* Sets the flag an empty element such as <others/> stands for. <parse-names> holds true or
 * false (the schema says which). */
static void read_flag(cite_name *out, const xmlNode *c)
{
    if (is_named(c, "others"))
        out->others = true;
    else if (is_named(c, "comma-suffix"))
        out->comma_suffix = true;
    else if (is_named(c, "static-ordering"))
        out->static_ordering = true;
    else if (is_named(c, "institution"))
        out->institution = true;
    else if (is_named(c, "parse-names"))
        out->parse_names = c->children && c->children->content &&
                                   strstr((const char *)c->children->content, "false")
                               ? -1
                               : 1;
}

/* Reads one person: its parts in any order (the schema allows each at most once). */
static int read_person(cite_name *out, const xmlNode *node)
{
    memset(out, 0, sizeof(*out));
    for (const xmlNode *c = node->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || c->ns)
            continue;
        char **slot = part_slot(out, (const char *)c->name);
        if (!slot) {
            read_flag(out, c);
            continue;
        }
        cite_free(*slot);
        if (!(*slot = text_of(c))) {
            cite_name_dispose(out);
            return CITE_ENOMEM;
        }
    }
    return 0;
}

/* One person of a name variable: appended to the variable's list. Attributes are the list's
 * (the record keeps one set per field): a later element adds those the list lacks. */
static int read_name(loader *ld, cite_record *rec, const xmlNode *node)
{
    const char *var = (const char *)node->name;
    cite_name name;
    int rc = read_person(&name, node);
    if (rc < 0)
        return rc;
    rc = cite_record_add_name(rec, var, &name);
    cite_name_dispose(&name);
    if (rc == 0) {
        cite_field *f = cite_record_field_mut(rec, var);
        rc = keep_attrs(ld, &f->attrs, &f->nattrs, node, NULL);
    }
    return rc;
}

static int read_date(loader *ld, cite_record *rec, const xmlNode *node)
{
    const char *var = (const char *)node->name;
    if (duplicate(ld, rec, var, node))
        return 0;
    cite_date date;
    char *text = text_of(node);
    char *trimmed = text ? trim_space(text) : NULL; /* a hand-edited <issued> 2020 </issued> */
    int rc = text ? cite_date_parse(&date, trimmed, strlen(trimmed)) : CITE_ENOMEM;
    cite_free(text);
    if (rc < 0)
        return rc;
    rc = cite_record_set_date(rec, var, &date);
    cite_date_dispose(&date);
    if (rc == 0) {
        cite_field *f = cite_record_field_mut(rec, var);
        rc = keep_attrs(ld, &f->attrs, &f->nattrs, node, NULL);
    }
    return rc;
}

/* <source line="N" file="F">text</source>. The schema makes line an unsignedInt >= 1. */
static int read_source(cite_record *rec, const xmlNode *node)
{
    xmlChar *line = xmlGetNoNsProp(node, (const xmlChar *)"line");
    xmlChar *file = xmlGetNoNsProp(node, (const xmlChar *)"file");
    int rc = 0;
    cite_free(rec->source);
    rec->source = text_of(node);
    if (file) {
        cite_free(rec->source_file);
        rec->source_file = cite_strdup((const char *)file);
    }
    if (line) {
        unsigned long n = strtoul((const char *)line, NULL, 10);
        rec->source_line = n <= UINT_MAX ? (unsigned)n : 0;
    }
    if (!rec->source || (file && !rec->source_file))
        rc = CITE_ENOMEM;
    xmlFree(file);
    xmlFree(line);
    return rc;
}

/* One child of <entry>: a CSL variable, a <field>, the <source>, or anything else, which is
 * kept serialised. Whitespace between children is layout and is dropped. */
static int read_child(loader *ld, cite_record *rec, const xmlNode *node)
{
    if (node->type == XML_ELEMENT_NODE && !node->ns) {
        const char *name = (const char *)node->name;
        if (strcmp(name, "field") == 0)
            return read_field(ld, rec, node);
        if (strcmp(name, "source") == 0)
            return read_source(rec, node);
        switch (cite_var_kind_of(name)) {
        case CITE_VAR_TEXT:
            return read_text(ld, rec, node, name, NULL);
        case CITE_VAR_NAMES:
            return read_name(ld, rec, node);
        case CITE_VAR_DATE:
            return read_date(ld, rec, node);
        case CITE_VAR_UNKNOWN:
            break;
        }
    }
    if (node->type != XML_ELEMENT_NODE && node->type != XML_COMMENT_NODE &&
        node->type != XML_PI_NODE)
        return 0;
    char *xml = serialise(node);
    int rc = xml ? cite_record_add_foreign(rec, xml) : CITE_ENOMEM;
    cite_free(xml);
    return rc;
}

/* One <entry> into a record added to lib. A duplicate id is an error at the entry's line. */
static int read_entry(loader *ld, cite_library *lib, const xmlNode *node)
{
    static const char *const known[] = { "id", "type", "bibtype", NULL };
    xmlChar *id = xmlGetNoNsProp(node, (const xmlChar *)"id");
    xmlChar *type = xmlGetNoNsProp(node, (const xmlChar *)"type");
    xmlChar *bibtype = xmlGetNoNsProp(node, (const xmlChar *)"bibtype");
    cite_record *rec = NULL;
    int rc = CITE_ENOMEM;
    /* The schema compares type as a token (white space collapsed): keep what it compared. */
    if (!id || !type || !(rec = cite_record_new((const char *)id, trim_space((char *)type))))
        goto cleanup;
    if (bibtype && !(rec->bibtype = cite_strdup((const char *)bibtype)))
        goto cleanup;
    rc = keep_attrs(ld, &rec->attrs, &rec->nattrs, node, known);
    for (const xmlNode *c = node->children; c && rc == 0; c = c->next)
        rc = read_child(ld, rec, c);
    if (rc < 0)
        goto cleanup;
    rc = cite_library_add(lib, rec);
    if (rc == CITE_EEXISTS) {
        report(ld, CITE_SEV_ERROR, xmlGetLineNo(node), "duplicate id '%s'", rec->id);
        rc = 0; /* counted as an error; the walk goes on to report the rest */
    } else {
        rec = NULL; /* taken, or freed by cite_library_add on OOM */
    }
cleanup:
    cite_record_free(rec);
    xmlFree(bibtype);
    xmlFree(type);
    xmlFree(id);
    return rc;
}

/* The root: its unknown attributes, its entries, and the rest kept serialised. */
static int read_library(loader *ld, cite_library *lib, const xmlNode *root)
{
    static const char *const known[] = { "version", NULL };
    int rc = keep_attrs(ld, &lib->attrs, &lib->nattrs, root, known);
    for (const xmlNode *c = root->children; c && rc == 0; c = c->next) {
        if (is_named(c, "entry")) {
            rc = read_entry(ld, lib, c);
        } else if (is_named(c, "preamble") || is_named(c, "comment")) {
            char *text = text_of(c);
            rc = text ? cite_library_add_extra(
                            lib, is_named(c, "preamble") ? CITE_EXTRA_PREAMBLE : CITE_EXTRA_COMMENT,
                            text)
                      : CITE_ENOMEM;
            cite_free(text);
        } else if (c->type == XML_ELEMENT_NODE || c->type == XML_COMMENT_NODE ||
                   c->type == XML_PI_NODE) {
            char *xml = serialise(c);
            rc = xml ? cite_strings_add(&lib->foreign, &lib->nforeign, xml) : CITE_ENOMEM;
            cite_free(xml);
        }
    }
    return rc;
}

/* Parses, refuses a DOCTYPE, validates, and walks. */
static int load(cite_library **out, loader *ld, const char *xml, size_t len)
{
    xmlDocPtr doc = NULL;
    cite_library *lib = NULL;
    int rc = parse(&doc, ld, xml, len);
    if (rc < 0)
        goto cleanup;
    /* The store has no DOCTYPE. Refusing any keeps entities, external subsets and their
     * expansion out altogether (none is loaded in any case: no NOENT, no DTDLOAD). */
    if (doc->intSubset || doc->extSubset) {
        report(ld, CITE_SEV_ERROR, doctype_line(xml, len),
               "a DOCTYPE is not allowed in the XML store");
        rc = CITE_EPARSE;
        goto cleanup;
    }
    if ((rc = validate(ld, doc)) < 0)
        goto cleanup;
    if (!doc->encoding && !(doc->encoding = xmlStrdup((const xmlChar *)"UTF-8"))) {
        rc = CITE_ENOMEM; /* see serialise */
        goto cleanup;
    }
    if (!(lib = cite_library_new())) {
        rc = CITE_ENOMEM;
        goto cleanup;
    }
    size_t before = ld->errors;
    if ((rc = read_library(ld, lib, xmlDocGetRootElement(doc))) == 0 && ld->errors > before)
        rc = CITE_EPARSE;
    if (rc == 0) {
        *out = lib;
        lib = NULL;
    }
cleanup:
    cite_library_free(lib);
    xmlFreeDoc(doc);
    return rc;
}

int cite_xmlstore_load_memory(
    cite_library **out, const char *xml, size_t len, const char *file, cite_diag *diag)
{
    loader ld = { .file = file, .diag = diag };
    saved_handlers saved;
    *out = NULL;
    xmlInitParser();
    handlers_push(&saved, &ld);
    int rc = load(out, &ld, xml, len);
    handlers_pop(&saved);
    return rc;
}

int cite_xmlstore_load(cite_library **out, const char *path, cite_diag *diag)
{
    char *xml = NULL;
    size_t len = 0;
    *out = NULL;
    int rc = cite_read_file(&xml, &len, path);
    if (rc == CITE_EIO) {
        cite_loc at = { .file = path };
        cite_diag_report(diag, CITE_SEV_ERROR, at, "cannot read: %s", strerror(errno));
    }
    if (rc == 0)
        rc = cite_xmlstore_load_memory(out, xml, len, path, diag);
    cite_free_string(xml);
    return rc;
}
