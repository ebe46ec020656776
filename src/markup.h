/* markup.h: the inline markup of text values. A value is UTF-8 text in which these tags, and
 * only these, mark spans (they nest; every opened tag is closed):
 *
 *   <i>  italics      <b>  bold        <sc> small caps   <sup> superscript   <sub> subscript
 *   <nocase> text whose case a style must not change (BibTeX's {Braces})
 *   <math> TeX math, kept verbatim without its $ delimiters
 *   <tex>  LaTeX cite could not convert, kept verbatim so an export gives it back
 *
 * Any other '<' is an ordinary character. The XML store writes each tag as an element of the
 * same name, so a value reads as mixed content there. */
#ifndef CITE_MARKUP_H
#define CITE_MARKUP_H

#include "common.h"

typedef enum cite_tag {
    CITE_TAG_NONE = 0,
    CITE_TAG_I,
    CITE_TAG_B,
    CITE_TAG_SC,
    CITE_TAG_SUP,
    CITE_TAG_SUB,
    CITE_TAG_NOCASE,
    CITE_TAG_MATH,
    CITE_TAG_TEX,
} cite_tag;

/* If s[0..n) starts with a markup tag, returns it, sets *closing and stores the tag's length
 * in bytes in *len; otherwise CITE_TAG_NONE. */
cite_tag cite_markup_tag_at(const char *s, size_t n, bool *closing, size_t *len);
/* The tag's name ("i", "nocase"...), or NULL for CITE_TAG_NONE. */
const char *cite_markup_tag_name(cite_tag tag);
/* The tag named name (an XML element name), or CITE_TAG_NONE. */
cite_tag cite_markup_tag_lookup(const char *name);

struct cite_buf;
/* Appends s as plain text: its tags dropped, what they enclose kept (math and unconverted
 * LaTeX as written), for formats without inline markup (RIS, MODS). */
void cite_markup_strip(struct cite_buf *out, const char *s);

#endif
