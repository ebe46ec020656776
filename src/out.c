/* out.c: marked strings (out.h) -> plain text, HTML (as citeproc-js writes it) or Markdown.
 *
 * One pass, with a stack of what is open: nested italics flip to normal and back (CSL 1.0.2
 * leaves this to the processor; citeproc-js, whose output the test suite holds, flips), and
 * quotes alternate between the locale's outer and inner marks. Punctuation in quote (en-US)
 * moves a period or comma that follows a closing quote inside it. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <utf8proc.h>

#include "markup.h"
#include "out.h"

#define LQUOTE  "\xe2\x80\x9c" /* “ */
#define RQUOTE  "\xe2\x80\x9d" /* ” */
#define LSQUOTE "\xe2\x80\x98" /* ‘ */
#define RSQUOTE "\xe2\x80\x99" /* ’, also the apostrophe */

static bool at(const char *s, size_t len, size_t i, const char *mark)
{
    size_t l = strlen(mark);
    return i + l <= len && memcmp(s + i, mark, l) == 0;
}

/* A quote (', " or ‘) that opens a quotation: at the start or after a space, an opening
 * bracket or quote, a tag, a dash or a slash, and not before a space. Its length, else 0. */
static size_t opens_single(const char *s, size_t len, size_t i)
{
    size_t l = s[i] == '\'' || s[i] == '"' ? 1 : at(s, len, i, LSQUOTE) ? 3 : 0;
    if (!l || i + l >= len || s[i + l] == ' ')
        return 0;
    if (l == 3)
        return 3; /* ‘ is an opening quote wherever it is */
    if (i == 0)
        return (unsigned char)s[i + 1] >= 0x80 || isalnum((unsigned char)s[i + 1]) ? 1 : 0;
    char p = s[i - 1];
    return p == ' ' || p == '(' || p == '[' || p == '"' || p == '\'' || p == '>' || p == '-' ||
                   p == '/'
               ? 1
               : 0;
}

/* A quote of the same kind (straight, or ’ after ‘) that closes one: after a non-space, before the
 * end, a space or punctuation ("dogs’ bone" would close; "Queen’s" does not). */
static size_t closes_single(const char *s, size_t len, size_t i, bool curly, char straight)
{
    size_t l = curly ? (at(s, len, i, RSQUOTE) ? 3 : 0) : s[i] == straight;
    if (!l || i == 0 || s[i - 1] == ' ')
        return 0;
    return i + l == len || ((unsigned char)s[i + l] < 0x80 && !isalnum((unsigned char)s[i + l]))
               ? l
               : 0;
}

enum { Q_NONE, Q_OPEN, Q_CLOSE, Q_SOPEN, Q_SCLOSE, Q_SKIP };

/* Marks in q[] the quotation marks of s that pair up as quotes (citeproc-js's flip-flop:
 * they print as the locale's outer or inner quotes by depth, whatever the data used): a
 * straight quote that can open one (" or ') with the next of its kind that can close it
 * ("Positive Obligations " of a title stays as it is); “ with the next ”. ‘ and the ’ that closes
 * it are Q_SOPEN and Q_SCLOSE: citeproc-js prints them as they are ("Reading ‘between the lines’"),
 * but quotes inside them flip (“My ‘“Amazing” and Bogus’ Title”). A multi-byte mark is marked at
 * its first byte and Q_SKIP after. */
static void mark_quotes(const char *s, size_t len, unsigned char *q)
{
    memset(q, Q_NONE, len);
    char first_kind = 0; /* ' or ", the straight quote that paired first */
    for (size_t i = 0; i < len; i++) {
        if (q[i] != Q_NONE)
            continue;
        size_t ol = opens_single(s, len, i), cl = 0, j = i;
        bool curly = ol == 3, dbl = false;
        if (!ol && at(s, len, i, LQUOTE)) {
            ol = 3;
            dbl = true;
        }
        if (!ol)
            continue;
        for (j = i + ol; j < len; j++) {
            if (q[j] != Q_NONE)
                continue;
            cl = dbl ? (at(s, len, j, RQUOTE) ? 3 : 0) : closes_single(s, len, j, curly, s[i]);
            if (cl)
                break;
        }
        if (!cl)
            continue;
        /* the straight kind met first is the outer; pairs of the other kind print as the
         * inner quotes ("On 'quotation' and \"citation\"" -> "On “quotation” and ‘citation’",
         * as citeproc-js prints it) */
        if (!curly && !dbl && !first_kind)
            first_kind = s[i];
        bool other = curly || (!dbl && s[i] != first_kind);
        q[i] = other ? Q_SOPEN : Q_OPEN;
        memset(q + i + 1, Q_SKIP, ol - 1);
        q[j] = other ? Q_SCLOSE : Q_CLOSE;
        memset(q + j + 1, Q_SKIP, cl - 1);
    }
}

#define NNBSP "\xe2\x80\xaf" /* U+202F NARROW NO-BREAK SPACE */

void cite_out_put_text(cite_buf *out, const char *s, size_t len)
{
    static const unsigned char open_of[] = {
        [CITE_TAG_I] = OUT_I,     [CITE_TAG_B] = OUT_B,     [CITE_TAG_SC] = OUT_SC,
        [CITE_TAG_SUP] = OUT_SUP, [CITE_TAG_SUB] = OUT_SUB, [CITE_TAG_NOCASE] = OUT_NOCASE,
    };
    /* most values have no quotation mark at all: only those pay for mark_quotes */
    unsigned char small[256], *q = NULL;
    if (memchr(s, '"', len) || memchr(s, '\'', len) || memchr(s, 0xe2, len)) {
        q = len <= sizeof(small) ? small : cite_malloc(len);
        if (q)
            mark_quotes(s, len, q);
    }
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (q && q[i] != Q_NONE) {
            static const unsigned char marker_of[] = {
                [Q_OPEN] = OUT_Q, [Q_CLOSE] = OUT_Q_END, [Q_SOPEN] = OUT_SQ, [Q_SCLOSE] = OUT_SQ_END
            };
            if (q[i] != Q_SKIP)
                cite_buf_putc(out, (char)marker_of[q[i]]);
            /* a period or comma the value itself puts after its quote stays there
             * (punctuation-in-quote moves only what the style adds): an empty nocase span
             * stops cite_out_render looking past the quote */
            if (q[i] == Q_CLOSE) {
                size_t j = i + 1;
                while (j < len && q[j] == Q_SKIP)
                    j++;
                if (j < len && (s[j] == '.' || s[j] == ',')) {
                    cite_buf_putc(out, OUT_NOCASE);
                    cite_buf_putc(out, OUT_NOCASE_END);
                }
            }
            i++;
            continue;
        }
        if (c == '\'' &&
            ((i > 0 && ((unsigned char)s[i - 1] >= 0x80 || isalpha((unsigned char)s[i - 1]))) ||
             (i + 1 < len && isdigit((unsigned char)s[i + 1])))) {
            cite_buf_puts(out, RSQUOTE); /* an apostrophe: ’ ("l’Égypte", "ETFA ’09") */
            i++;
            continue;
        }
        if (c == '<') {
            bool closing;
            size_t n;
            cite_tag tag = cite_markup_tag_at(s + i, len - i, &closing, &n);
            if (tag != CITE_TAG_NONE) {
                if (tag < CITE_ARRAY_LEN(open_of) && open_of[tag])
                    cite_buf_putc(out, (char)(open_of[tag] + (closing ? 1 : 0)));
                i += n;
                continue;
            }
        }
        /* French guillemets hold their text with narrow no-break spaces ("« Anonymous »"),
         * as citeproc-js sets them, so a line never breaks inside */
        if (c == 0xC2 && i + 2 < len && (unsigned char)s[i + 1] == 0xAB && s[i + 2] == ' ') {
            cite_buf_puts(out, "\xc2\xab" NNBSP);
            i += 3;
            continue;
        }
        if (c == ' ' && i + 2 < len && (unsigned char)s[i + 1] == 0xC2 &&
            (unsigned char)s[i + 2] == 0xBB) {
            cite_buf_puts(out, NNBSP);
            i++;
            continue;
        }
        if (c < 0x20) {
            if (c == '\t' || c == '\n' || c == '\r')
                cite_buf_putc(out, ' ');
            i++;
            continue;
        }
        cite_buf_putc(out, (char)c);
        i++;
    }
    if (q != small)
        cite_free(q);
}

void cite_out_strip(cite_buf *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == OUT_DISPLAY) {
            i++;
            continue;
        }
        if (!cite_out_is_marker(c))
            cite_buf_putc(out, (char)c);
    }
}

typedef struct frame {
    unsigned char marker; /* the opening marker */
    const char *close;    /* what closes it in the output */
} frame;

#define MAX_DEPTH 64

typedef struct renderer {
    cite_buf *out;
    int format;
    const cite_out_quotes *q;
    frame stack[MAX_DEPTH];
    size_t depth;
    int italic, bold, smallcaps, quotes; /* how many of each are open */
} renderer;

/* The letters a superscript character stands for, into buf (NUL-terminated); false when c is
 * no superscript. Unicode's <super> compatibility decompositions ("ª", "ʳ", "™"), and the
 * few modifier letters without one that citeproc-js also raises. */
static bool superscript_base(utf8proc_int32_t c, char *buf, size_t size)
{
    static const struct {
        utf8proc_int32_t cp;
        const char *base;
    } extra[] = {
        { 0x02C0, "\xca\x94" }, /* ˀ ʔ */
        { 0x02C1, "\xca\x95" }, /* ˁ ʕ */
        { 0x06E5, "\xd9\x88" }, /* ۥ و */
        { 0x06E6, "\xd9\x8a" }, /* ۦ ي */
    };
    for (size_t i = 0; i < CITE_ARRAY_LEN(extra); i++) {
        if (extra[i].cp == c) {
            snprintf(buf, size, "%s", extra[i].base);
            return true;
        }
    }
    const utf8proc_property_t *p = utf8proc_get_property(c);
    if (p->decomp_type != UTF8PROC_DECOMP_TYPE_SUPER)
        return false;
    utf8proc_int32_t d[8];
    utf8proc_ssize_t n =
        utf8proc_decompose_char(c, d, 8, UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE, NULL);
    if (n <= 0 || n > 8)
        return false;
    size_t at = 0;
    for (utf8proc_ssize_t i = 0; i < n && at + 5 < size; i++)
        at += (size_t)utf8proc_encode_char(d[i], (utf8proc_uint8_t *)buf + at);
    buf[at] = '\0';
    return true;
}

static void put_escaped(renderer *r, const char *s, size_t len)
{
    if (r->format == CITE_OUTPUT_TEXT) {
        cite_buf_put(r->out, s, len);
        return;
    }
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        const char *rep = NULL;
        char c = s[i];
        if (r->format == CITE_OUTPUT_HTML && (unsigned char)c >= 0x80) {
            /* superscript characters print as <sup>, as citeproc-js writes them */
            size_t l;
            char base[48];
            uint32_t cp = cite_utf8_decode(s + i, len - i, &l);
            if (superscript_base((utf8proc_int32_t)cp, base, sizeof(base))) {
                cite_buf_put(r->out, s + run, i - run);
                cite_buf_puts(r->out, "<sup>");
                cite_buf_puts(r->out, base);
                cite_buf_puts(r->out, "</sup>");
                i += l - 1;
                run = i + 1;
            }
            continue;
        }
        if (r->format == CITE_OUTPUT_HTML) {
            if (c == '&')
                rep = "&amp;";
            else if (c == '<')
                rep = "&lt;";
            else if (c == '>')
                rep = "&gt;";
        } else if (strchr("*_`\\[]<>#", c)) { /* Markdown */
            cite_buf_put(r->out, s + run, i - run);
            cite_buf_putc(r->out, '\\');
            run = i;
            continue;
        }
        if (rep) {
            cite_buf_put(r->out, s + run, i - run);
            cite_buf_puts(r->out, rep);
            run = i + 1;
        }
    }
    cite_buf_put(r->out, s + run, len - run);
}

static void push(renderer *r, unsigned char marker, const char *open, const char *close)
{
    if (r->depth >= MAX_DEPTH)
        return;
    cite_buf_puts(r->out, open);
    r->stack[r->depth++] = (frame){ .marker = marker, .close = close };
    if (marker == OUT_I)
        r->italic++;
    else if (marker == OUT_B)
        r->bold++;
    else if (marker == OUT_SC)
        r->smallcaps++;
    else if (marker == OUT_Q || marker == OUT_SQ)
        r->quotes++;
}

/* Closes the innermost frame opened by marker (and anything opened inside it, which a well
 * nested string never has). */
static void pop(renderer *r, unsigned char marker)
{
    size_t at = r->depth;
    while (at > 0 && r->stack[at - 1].marker != marker)
        at--;
    if (at == 0)
        return;
    while (r->depth >= at) {
        frame *f = &r->stack[--r->depth];
        cite_buf_puts(r->out, f->close);
        if (f->marker == OUT_I)
            r->italic--;
        else if (f->marker == OUT_B)
            r->bold--;
        else if (f->marker == OUT_SC)
            r->smallcaps--;
        else if (f->marker == OUT_Q || f->marker == OUT_SQ)
            r->quotes--;
        if (r->depth < at)
            break;
    }
}

static void open_marker(renderer *r, unsigned char m, unsigned char cls)
{
    bool html = r->format == CITE_OUTPUT_HTML, md = r->format == CITE_OUTPUT_MARKDOWN;
    const char *o = "", *c = "";
    switch (m) {
    case OUT_I:
        if (r->italic % 2) {
            o = html ? "<span style=\"font-style:normal;\">" : "";
            c = html ? "</span>" : "";
        } else {
            o = html ? "<i>" : md ? "*" : "";
            c = html ? "</i>" : md ? "*" : "";
        }
        break;
    case OUT_OBLIQUE:
        o = html ? "<span style=\"font-style:oblique;\">" : md ? "*" : "";
        c = html ? "</span>" : md ? "*" : "";
        break;
    case OUT_B:
        if (r->bold % 2) {
            o = html ? "<span style=\"font-weight:normal;\">" : "";
            c = html ? "</span>" : "";
        } else {
            o = html ? "<b>" : md ? "**" : "";
            c = html ? "</b>" : md ? "**" : "";
        }
        break;
    case OUT_SC:
        if (r->smallcaps % 2) {
            o = html ? "<span style=\"font-variant:normal;\">" : "";
            c = html ? "</span>" : "";
        } else {
            o = html ? "<span style=\"font-variant:small-caps;\">" : "";
            c = html ? "</span>" : "";
        }
        break;
    case OUT_U:
        o = html ? "<span style=\"text-decoration:underline;\">" : "";
        c = html ? "</span>" : "";
        break;
    case OUT_SUP:
        o = html ? "<sup>" : md ? "^" : "";
        c = html ? "</sup>" : md ? "^" : "";
        break;
    case OUT_SUB:
        o = html ? "<sub>" : md ? "~" : "";
        c = html ? "</sub>" : md ? "~" : "";
        break;
    /* "normal" shows only where it undoes an enclosing decoration, as in citeproc-js */
    case OUT_NI:
        o = html && r->italic ? "<span style=\"font-style:normal;\">" : "";
        c = html && r->italic ? "</span>" : "";
        break;
    case OUT_NSC:
        o = html && r->smallcaps ? "<span style=\"font-variant:normal;\">" : "";
        c = html && r->smallcaps ? "</span>" : "";
        break;
    case OUT_NB:
        o = html && r->bold ? "<span style=\"font-weight:normal;\">" : "";
        c = html && r->bold ? "</span>" : "";
        break;
    case OUT_Q:
        o = r->quotes % 2 ? r->q->open_inner : r->q->open;
        c = r->quotes % 2 ? r->q->close_inner : r->q->close;
        break;
    case OUT_SQ:
        /* the data's ‘…’ stay as they are at the top; inside quotes they flip like any */
        o = r->quotes == 0 ? LSQUOTE : r->quotes % 2 ? r->q->open_inner : r->q->open;
        c = r->quotes == 0 ? RSQUOTE : r->quotes % 2 ? r->q->close_inner : r->q->close;
        break;
    case OUT_DISPLAY:
        if (html) {
            o = cls == 'b'   ? "<div class=\"csl-block\">"
                : cls == 'l' ? "<div class=\"csl-left-margin\">"
                : cls == 'r' ? "<div class=\"csl-right-inline\">"
                             : "<div class=\"csl-indent\">";
            c = "</div>";
        }
        break;
    default:
        break;
    }
    push(r, m, o, c);
}

/* True when s[i] is a closing marker a moved punctuation mark may pass. */
static bool closing_marker(unsigned char c)
{
    return c == OUT_I_END || c == OUT_B_END || c == OUT_SC_END || c == OUT_U_END ||
           c == OUT_SUP_END || c == OUT_SUB_END || c == OUT_NI_END || c == OUT_NSC_END ||
           c == OUT_NB_END || c == OUT_NOCASE_END || c == OUT_OBLIQUE_END;
}

void cite_out_render(cite_buf *out, const char *s, size_t len, int format, const cite_out_quotes *q)
{
    static const cite_out_quotes plain = { "\"", "\"", "'", "'", false };
    renderer r = { .out = out, .format = format, .q = q ? q : &plain };
    size_t run = 0;
    size_t skip = (size_t)-1; /* index of a punctuation mark already moved */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (i == skip) {
            put_escaped(&r, s + run, i - run);
            run = i + 1;
            continue;
        }
        if (!cite_out_is_marker(c))
            continue;
        put_escaped(&r, s + run, i - run);
        run = i + 1;
        if (c == OUT_NOCASE || c == OUT_NOCASE_END)
            continue;
        if (c == OUT_DISPLAY) {
            unsigned char cls = i + 1 < len ? (unsigned char)s[i + 1] : 'b';
            open_marker(&r, c, cls);
            i++;
            run = i + 1;
            continue;
        }
        if (c == OUT_Q_END && r.q->punctuation_in_quote) {
            /* past other closing marks, inner quotes too: "“This is ‘The One.’”" */
            size_t j = i + 1;
            while (j < len && (closing_marker((unsigned char)s[j]) || s[j] == OUT_Q_END))
                j++;
            if (j < len && j != skip && (s[j] == '.' || s[j] == ',')) {
                /* no doubled mark when the quoted text already ends in one */
                size_t k = r.out->len;
                char last = k ? r.out->ptr[k - 1] : 0;
                /* a comma stays after "?" or "!" (citeproc-js: "Jihadists?,”") */
                if (s[j] == ',' || (last != '.' && last != '?' && last != '!'))
                    cite_buf_putc(r.out, s[j]);
                skip = j;
            }
        }
        switch (c) {
        case OUT_I_END:
            pop(&r, OUT_I);
            break;
        case OUT_B_END:
            pop(&r, OUT_B);
            break;
        case OUT_SC_END:
            pop(&r, OUT_SC);
            break;
        case OUT_U_END:
            pop(&r, OUT_U);
            break;
        case OUT_SUP_END:
            pop(&r, OUT_SUP);
            break;
        case OUT_SUB_END:
            pop(&r, OUT_SUB);
            break;
        case OUT_Q_END:
            pop(&r, OUT_Q);
            break;
        case OUT_NI_END:
            pop(&r, OUT_NI);
            break;
        case OUT_NSC_END:
            pop(&r, OUT_NSC);
            break;
        case OUT_NB_END:
            pop(&r, OUT_NB);
            break;
        case OUT_OBLIQUE_END:
            pop(&r, OUT_OBLIQUE);
            break;
        case OUT_SQ_END:
            pop(&r, OUT_SQ);
            break;
        case OUT_DISPLAY_END:
            pop(&r, OUT_DISPLAY);
            break;
        default:
            open_marker(&r, c, 0);
            break;
        }
    }
    put_escaped(&r, s + run, len - run);
    while (r.depth > 0)
        pop(&r, r.stack[r.depth - 1].marker);
}
