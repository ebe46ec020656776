/* out.h: the shared output core of the CSL engine (STYLE.md §1, out.[ch]).
 *
 * The engine renders into "marked" UTF-8 strings: plain text in which the control bytes
 * below open and close formatting, quotes and display blocks. Escaping and the markup of each
 * output format happen here and nowhere else: cite_out_render turns a marked string into
 * plain text, citeproc-js's HTML or Markdown. Text entering the engine has its own control
 * bytes removed (cite_out_put_text), so a marker can never come from the data. */
#ifndef CITE_OUT_H
#define CITE_OUT_H

#include "buf.h"

enum {
    OUT_I = 0x01, /* italic */
    OUT_I_END = 0x02,
    OUT_B = 0x03, /* bold */
    OUT_B_END = 0x04,
    OUT_SC = 0x05, /* small caps */
    OUT_SC_END = 0x06,
    OUT_U = 0x07, /* underline */
    OUT_U_END = 0x08,
    OUT_SUP = 0x0B,
    OUT_SUP_END = 0x0C,
    OUT_SUB = 0x0E,
    OUT_SUB_END = 0x0F,
    OUT_Q = 0x10, /* quotes: outer or inner by depth */
    OUT_Q_END = 0x11,
    OUT_NI = 0x12, /* font-style normal */
    OUT_NI_END = 0x13,
    OUT_NSC = 0x14, /* font-variant normal */
    OUT_NSC_END = 0x15,
    OUT_NB = 0x16, /* font-weight normal */
    OUT_NB_END = 0x17,
    OUT_NOCASE = 0x18, /* text no text-case may change; no output of its own */
    OUT_NOCASE_END = 0x19,
    OUT_DISPLAY = 0x1A, /* followed by one byte: 'b' block, 'l' left-margin, 'r' right-inline,
                           'i' indent */
    OUT_DISPLAY_END = 0x1B,
    OUT_OBLIQUE = 0x1C,
    OUT_OBLIQUE_END = 0x1D,
    OUT_SQ = 0x1E, /* the data's own ‘single quotes’: printed as they are, but a quote level */
    OUT_SQ_END = 0x1F,
};

/* True for a marker byte (DISPLAY's class byte is not one). */
static inline bool cite_out_is_marker(unsigned char c)
{
    return c >= 0x01 && c <= 0x1F && c != '\t' && c != '\n' && c != '\r';
}

/* The locale's quotation marks and its punctuation-in-quote option. */
typedef struct cite_out_quotes {
    const char *open, *close, *open_inner, *close_inner;
    bool punctuation_in_quote;
} cite_out_quotes;

/* Appends s[0..len), a text value with markup.h tags (<i>, <b>, <sc>, <sup>, <sub>,
 * <nocase>), as marked text: tags become markers, control bytes are dropped (tab, CR and LF
 * become spaces). */
void cite_out_put_text(cite_buf *out, const char *s, size_t len);

/* Appends the marked string s[0..len) in format (cite_output). */
void cite_out_render(
    cite_buf *out, const char *s, size_t len, int format, const cite_out_quotes *q);

/* Appends s without its markers (a sort or disambiguation key). */
void cite_out_strip(cite_buf *out, const char *s, size_t len);

#endif
