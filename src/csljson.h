/* csljson.h: what the CSL-JSON reader and writer share: the rich text of CSL-JSON strings
 * (citeproc-js's mini-HTML) against the record's inline markup (markup.h), and the marks
 * that let a record carry what the model has no place for. */
#ifndef CITE_CSLJSON_H
#define CITE_CSLJSON_H

#include "buf.h"
#include "record.h"

/* A kept field (kind UNKNOWN) whose value was JSON other than a string ({"_keys": {}}, [1,2],
 * true) holds that value's JSON text and carries this attribute with the value "true": the
 * writer then gives the JSON back instead of a string. The XML store keeps it as an unknown
 * attribute of the <field>. */
#define CITE_CSLJSON_JSON_ATTR "json"

/* Appends s[0..len), the text of a CSL-JSON string, with citeproc-js's markup turned into
 * markup.h tags: <i> <b> <sup> <sub> stay, <span style="font-variant:small-caps;"> becomes
 * <sc> and <span class="nocase"> becomes <nocase> (their </span> the matching closing tag).
 * Anything else, other spans and their </span> included, is copied as it is. */
void cite_csljson_html_to_markup(cite_buf *out, const char *s, size_t len);

/* Applies the "key: value" lines of rec's note to rec, as citeproc-js reads Zotero's Extra
 * field when it renders: a CSL variable rec lacks takes the value ("Family || Given" for a
 * name), dates and the type are overridden, the lines used leave the note. *changed tells
 * whether anything was. 0 or CITE_ENOMEM. */
int cite_csljson_note_fields(cite_record *rec, bool *changed);

/* The inverse: appends the text of a CSL-JSON string for the markup.h value s. <sc> and
 * <nocase> become citeproc-js's spans; <math> and <tex>, which citeproc-js does not know, are
 * written as they are, so that reading the string back gives the same value. */
void cite_csljson_markup_to_html(cite_buf *out, const char *s);

#endif
