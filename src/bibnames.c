/* bibnames.c: BibTeX name lists, read and written.
 *
 * Reading follows BibTeX's own algorithm (bibtex.web §§380-401: name_scan_for_and,
 * x_format_name, von_token_found, von_name_ends_and_last_name_starts_stuff), described in
 * Patashnik's "Designing BibTeX Styles" §4 and Markey's "Tame the BeaST" §11:
 *
 *   - names are separated by "and" (any case) between whitespace at brace depth 0;
 *   - a name is cut into tokens at depth-0 whitespace, '-' and '~', and into comma parts at
 *     depth-0 commas (a comma after the second is ignored, so its words join First);
 *   - a token is lowercase when its first letter at depth 0 is; a brace group is skipped
 *     unless it is a "special character" ({\"u}, {\relax Ch}), which takes the case of
 *     its known control sequence (\ss, \O...) or of its first letter;
 *   - "First von Last": von runs from the first lowercase token to the last one before the
 *     final token; without one, Last is the final token and those tied to it by hyphens;
 *   - "von Last, First" and "von Last, Jr, First": von is everything in the first part up to
 *     its last lowercase token before its final one.
 *
 * Where we differ from bibtex.web, on purpose: a non-ASCII letter has a case (from utf8proc,
 * as in bibtexu and biber: "Émile" is uppercase, where 8-bit BibTeX would read the 'm'); a
 * UTF-8 no-break space separates tokens like '~'; a leading or trailing "and" separates, and
 * empty names are dropped; a name that is one brace group is a literal and "others" sets
 * others. Each part is converted with cite_latex_to_text, then its no-break spaces become
 * plain ones: a part is data, not typesetting ("D.~E." gives the given name "D. E.").
 *
 * Writing gives "von Last, Jr, First" (or "von Last" when there is neither Jr nor First),
 * and protects with braces whatever would otherwise read back differently; see write_name. */
#include <assert.h>
#include <string.h>

#include <utf8proc.h>

#include "bibnames.h"
#include "latex.h"

/* ---- Characters and brace groups ----------------------------------------------------- */

/* BibTeX's white_space class, plus the line ends a raw value may still hold. */
static bool is_white(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_nbsp(const char *s, size_t n, size_t i)
{
    return (unsigned char)s[i] == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0;
}

/* Bytes of the tie at s[i]: 1 for BibTeX's sep_char '-' or '~', 2 for a UTF-8 no-break space,
 * else 0. */
static size_t tie_len(const char *s, size_t n, size_t i)
{
    if (s[i] == '-' || s[i] == '~')
        return 1;
    return is_nbsp(s, n, i) ? 2 : 0;
}

static bool is_ascii_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The index of the '}' closing the group opened at s[i], or n when it is never closed. */
static size_t group_close(const char *s, size_t n, size_t i)
{
    size_t depth = 0;
    for (; i < n; i++) {
        if (s[i] == '{')
            depth++;
        else if (s[i] == '}' && --depth == 0)
            return i;
    }
    return n;
}

/* The index just past the group opened at s[i] (n when it is never closed). */
static size_t skip_group(const char *s, size_t n, size_t i)
{
    size_t close = group_close(s, n, i);
    return close < n ? close + 1 : n;
}

/* True when s[i] starts the word "and" (any case) with whitespace, or an end of s, on both
 * sides: BibTeX's name separator (name_scan_for_and). The caller ensures depth 0. */
static bool is_and_at(const char *s, size_t n, size_t i)
{
    return i + 3 <= n && (s[i] == 'a' || s[i] == 'A') && (s[i + 1] == 'n' || s[i + 1] == 'N') &&
           (s[i + 2] == 'd' || s[i + 2] == 'D') && (i == 0 || is_white(s[i - 1])) &&
           (i + 3 == n || is_white(s[i + 3]));
}

/* ---- Letter case (von_token_found) --------------------------------------------------- */

typedef enum letter_case { CASE_NONE, CASE_LOWER, CASE_UPPER } letter_case;

/* The case of the character at s[*i], which is then stepped over (a whole UTF-8 sequence). */
static letter_case char_case(const char *s, size_t n, size_t *i)
{
    unsigned char c = (unsigned char)s[*i];
    if (c < 0x80) {
        (*i)++;
        if (c >= 'A' && c <= 'Z')
            return CASE_UPPER;
        return c >= 'a' && c <= 'z' ? CASE_LOWER : CASE_NONE;
    }
    size_t len;
    uint32_t cp = cite_utf8_decode(s + *i, n - *i, &len);
    *i += len;
    switch (utf8proc_category((utf8proc_int32_t)cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LT:
        return CASE_UPPER;
    case UTF8PROC_CATEGORY_LL:
        return CASE_LOWER;
    default:
        return CASE_NONE;
    }
}

/* The control sequences BibTeX knows to be letters (bibtex.web §43). False for any other. */
static bool control_case(const char *cs, size_t len, letter_case *out)
{
    static const char *const lower[] = { "i", "j", "oe", "ae", "aa", "o", "l", "ss" };
    static const char *const upper[] = { "OE", "AE", "AA", "O", "L" };
    for (size_t k = 0; k < CITE_ARRAY_LEN(lower); k++)
        if (strlen(lower[k]) == len && memcmp(lower[k], cs, len) == 0) {
            *out = CASE_LOWER;
            return true;
        }
    for (size_t k = 0; k < CITE_ARRAY_LEN(upper); k++)
        if (strlen(upper[k]) == len && memcmp(upper[k], cs, len) == 0) {
            *out = CASE_UPPER;
            return true;
        }
    return false;
}

/* The case of a special character, the group {\cs ...} whose backslash is at s[i]: that of
 * a known letter-like control sequence, else of the first letter left in the group. A group
 * without a letter decides the token anyway: it is caseless (bibtex.web §398). */
static letter_case special_case(const char *s, size_t n, size_t i)
{
    size_t cs = ++i;
    while (i < n && is_ascii_alpha(s[i]))
        i++;
    letter_case known;
    if (control_case(s + cs, i - cs, &known))
        return known;
    size_t depth = 1;
    while (i < n && depth > 0) {
        if (s[i] == '{') {
            depth++;
            i++;
            continue;
        }
        if (s[i] == '}') {
            depth--;
            i++;
            continue;
        }
        letter_case c = char_case(s, n, &i);
        if (c != CASE_NONE)
            return c;
    }
    return CASE_NONE;
}

/* The case of the name token s[0..n) as BibTeX's von_token_found sees it: its first letter at
 * brace depth 0 decides; a brace group is skipped ({de la} and {Van} are caseless) unless
 * it is a special character. */
static letter_case token_case(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (s[i] == '{') {
            /* bibtex.web wants at least two bytes after the backslash within the token */
            if (i + 3 < n && s[i + 1] == '\\')
                return special_case(s, n, i + 1);
            i = skip_group(s, n, i);
            continue;
        }
        letter_case c = char_case(s, n, &i);
        if (c != CASE_NONE)
            return c;
    }
    return CASE_NONE;
}

/* ---- Tokens ------------------------------------------------------------------------- */

typedef struct token {
    size_t start, end; /* bytes of the name */
    char sep;          /* before it: ' ', '-', '~', ',' or 0 (bibtex.web's name_sep_char) */
} token;

typedef enum scan_result { SCAN_END, SCAN_TOKEN, SCAN_COMMA } scan_result;

typedef struct scanner {
    const char *s;
    size_t n, pos;
    char sep;      /* the first separator since the last token, or 0 */
    bool starting; /* bibtex.web's token_starting: no token is open */
} scanner;

static void scanner_init(scanner *sc, const char *s, size_t n)
{
    *sc = (scanner){ .s = s, .n = n, .pos = 0, .sep = 0, .starting = true };
}

/* True for the control symbols \~ \- \, at s[i]: we keep them inside their token, where
 * BibTeX would split Mu\~{n}oz at the tie, cutting the accent from its letter. */
static bool escapes_sep(const char *s, size_t n, size_t i)
{
    return s[i] == '\\' && i + 1 < n && (s[i + 1] == '~' || s[i + 1] == '-' || s[i + 1] == ',');
}

static bool ends_token(const char *s, size_t n, size_t i)
{
    return s[i] == ',' || is_white(s[i]) || tie_len(s, n, i) > 0;
}

/* BibTeX's name tokenizer (bibtex.web §§387-391), one step at a time, so that the reader and
 * the writer cut text the same way. Returns SCAN_TOKEN with *tok set, SCAN_COMMA for a
 * depth-0 comma, SCAN_END at the end. A brace group, balanced or not, belongs to its token. */
static scan_result scan_next(scanner *sc, token *tok)
{
    const char *s = sc->s;
    while (sc->pos < sc->n) {
        size_t i = sc->pos;
        if (s[i] == ',') {
            sc->pos++;
            sc->sep = ',';
            sc->starting = true;
            return SCAN_COMMA;
        }
        size_t sep = is_white(s[i]) ? 1 : tie_len(s, sc->n, i);
        if (sep) {
            if (!sc->starting)
                sc->sep = is_white(s[i]) ? ' ' : s[i] == '-' ? '-' : '~';
            sc->starting = true;
            sc->pos += sep;
            continue;
        }
        tok->start = i;
        tok->sep = sc->sep;
        while (i < sc->n && !ends_token(s, sc->n, i))
            i = s[i] == '{' ? skip_group(s, sc->n, i) : i + (escapes_sep(s, sc->n, i) ? 2 : 1);
        tok->end = sc->pos = i;
        sc->sep = 0;
        sc->starting = false;
        return SCAN_TOKEN;
    }
    return SCAN_END;
}

/* ---- Reading -------------------------------------------------------------------------- */

typedef struct parser {
    token *toks; /* the tokens of the current name */
    size_t ntoks, captoks;
    size_t ncommas;  /* depth-0 commas counted, at most 2 */
    size_t comma[2]; /* index of the token after each */
    cite_buf text;   /* scratch: one part's converted text */
} parser;

/* Token ranges [a, b) of the parts of a name. */
typedef struct span {
    size_t a, b;
} span;

typedef struct parts {
    span first, von, last, jr;
} parts;

/* Where the name starting at from ends: at the next separating "and" at depth 0, or at n.
 * *next receives where the following name starts. */
static size_t name_end(const char *s, size_t n, size_t from, size_t *next)
{
    size_t i = from;
    while (i < n) {
        if (s[i] == '{') {
            i = skip_group(s, n, i);
        } else if (is_and_at(s, n, i)) {
            *next = i + 3;
            return i;
        } else {
            i++;
        }
    }
    *next = n;
    return n;
}

/* Drops what BibTeX ignores around a name: whitespace and ties at both ends, commas at the
 * end (bibtex.web §383 warns that a name "has a comma at the end"). */
static void trim_name(const char *s, size_t *start, size_t *end)
{
    size_t a = *start, b = *end;
    while (a < b && (is_white(s[a]) || tie_len(s, b, a) > 0))
        a += is_white(s[a]) ? 1 : tie_len(s, b, a);
    while (a < b) {
        char c = s[b - 1];
        bool escaped = b - a >= 2 && escapes_sep(s, b, b - 2);
        if (is_white(c) || (!escaped && (c == ',' || c == '-' || c == '~')))
            b--;
        else if (b - a >= 2 && is_nbsp(s, b, b - 2))
            b -= 2;
        else
            break;
    }
    *start = a;
    *end = b;
}

/* Cuts the name s[0..n) into p->toks and notes where its first two commas stand. */
static int tokenize(parser *p, const char *s, size_t n)
{
    scanner sc;
    token tok;
    scan_result r;
    p->ntoks = 0;
    p->ncommas = 0;
    scanner_init(&sc, s, n);
    while ((r = scan_next(&sc, &tok)) != SCAN_END) {
        if (r == SCAN_COMMA) {
            if (p->ncommas < 2)
                p->comma[p->ncommas++] = p->ntoks;
            continue;
        }
        if (cite_grow_array((void **)&p->toks, &p->captoks, p->ntoks + 1, sizeof(token)) < 0)
            return CITE_ENOMEM;
        p->toks[p->ntoks++] = tok;
    }
    return 0;
}

static bool tok_lower(const char *s, const token *t)
{
    return token_case(s + t->start, t->end - t->start) == CASE_LOWER;
}

/* von_name_ends_and_last_name_starts_stuff: the von part that starts at token von_start
 * ends after its last lowercase token before the final token of the part, last_end - 1,
 * which Last always keeps. Returns von_start when there is none. Needs last_end > 0. */
static size_t von_end(const char *s, const token *t, size_t von_start, size_t last_end)
{
    size_t end = last_end - 1;
    while (end > von_start) {
        if (tok_lower(s, &t[end - 1]))
            return end;
        end--;
    }
    return end;
}

/* "First von Last" (bibtex.web §395): von starts at the first lowercase token before the
 * final one. Without one, Last is the final token and those tied to it by hyphens. */
static parts split_plain(const char *s, const token *t, size_t n)
{
    size_t vs = 0, ve;
    while (vs + 1 < n && !tok_lower(s, &t[vs]))
        vs++;
    if (vs + 1 < n) {
        ve = von_end(s, t, vs, n);
    } else {
        vs = n - 1;
        while (vs > 0 && t[vs].sep == '-')
            vs--;
        ve = vs;
    }
    return (parts){ .first = { 0, vs }, .von = { vs, ve }, .last = { ve, n }, .jr = { n, n } };
}

/* "von Last, First" and "von Last, Jr, First" (bibtex.web §394): von is everything in the
 * first part up to its last lowercase token before its final one, whatever the case of the
 * tokens before ("De la Fontaine, Jean" has von "De la"). */
static parts
split_commas(const char *s, const token *t, size_t n, size_t ncommas, const size_t comma[2])
{
    size_t last_end = comma[0];
    size_t jr_end = ncommas >= 2 ? comma[1] : last_end;
    size_t ve = last_end ? von_end(s, t, 0, last_end) : 0;
    return (parts){ .von = { 0, ve },
                    .last = { ve, last_end },
                    .jr = { last_end, jr_end },
                    .first = { jr_end, n } };
}

/* Makes the spaces of a converted part plain: a no-break space becomes a space, runs
 * collapse to one and the ends are trimmed. */
static void tidy_spaces(cite_buf *b)
{
    char *s = b->ptr;
    size_t w = 0;
    bool space = false;
    for (size_t r = 0; r < b->len;) {
        size_t skip = is_white(s[r]) ? 1 : is_nbsp(s, b->len, r) ? 2 : 0;
        if (skip) {
            space = true;
            r += skip;
            continue;
        }
        if (space && w > 0)
            s[w++] = ' ';
        space = false;
        s[w++] = s[r++];
    }
    cite_buf_truncate(b, w);
}

/* Converts the LaTeX src[0..len) to a new string in *out, NULL when it says nothing. */
static int convert(char **out, cite_buf *scratch, const char *src, size_t len)
{
    *out = NULL;
    cite_buf_clear(scratch);
    cite_latex_to_text(scratch, src, len, 0);
    if (cite_buf_oom(scratch))
        return CITE_ENOMEM;
    tidy_spaces(scratch);
    if (scratch->len == 0)
        return 0;
    *out = cite_buf_detach(scratch);
    return *out ? 0 : CITE_ENOMEM;
}

/* Converts the tokens sp of the name s, with what separates them, into *out. */
static int convert_span(char **out, parser *p, const char *s, span sp)
{
    if (sp.a >= sp.b) {
        *out = NULL;
        return 0;
    }
    size_t start = p->toks[sp.a].start;
    return convert(out, &p->text, s + start, p->toks[sp.b - 1].end - start);
}

/* Parses one trimmed, non-empty name s[0..n) into *nm. 0 or CITE_ENOMEM (*nm is then empty).
 * A name that says nothing comes back with every part NULL, for the caller to drop. */
static int parse_name(cite_name *nm, parser *p, const char *s, size_t n)
{
    memset(nm, 0, sizeof(*nm));
    if (n == 6 && memcmp(s, "others", 6) == 0) {
        nm->others = true;
        return 0;
    }
    if (s[0] == '{' && group_close(s, n, 0) == n - 1)
        return convert(&nm->literal, &p->text, s + 1, n - 2);
    if (tokenize(p, s, n) < 0)
        return CITE_ENOMEM;
    if (p->ntoks == 0)
        return 0;
    parts pt = p->ncommas ? split_commas(s, p->toks, p->ntoks, p->ncommas, p->comma)
                          : split_plain(s, p->toks, p->ntoks);
    if (convert_span(&nm->given, p, s, pt.first) < 0 ||
        convert_span(&nm->non_dropping_particle, p, s, pt.von) < 0 ||
        convert_span(&nm->family, p, s, pt.last) < 0 ||
        convert_span(&nm->suffix, p, s, pt.jr) < 0) {
        cite_name_dispose(nm);
        return CITE_ENOMEM;
    }
    return 0;
}

static bool name_says_nothing(const cite_name *nm)
{
    return !nm->others && !nm->literal && !nm->family && !nm->given && !nm->non_dropping_particle &&
           !nm->dropping_particle && !nm->suffix;
}

int cite_bibtex_names_parse(cite_name **out, size_t *n_out, const char *src, size_t len)
{
    assert(out && n_out && (src || len == 0));
    parser p = { .toks = NULL, .text = CITE_BUF_INIT };
    cite_name *names = NULL;
    size_t count = 0, cap = 0, pos = 0;
    int err = 0;
    if (!src)
        src = "";
    for (;;) {
        size_t next, end = name_end(src, len, pos, &next);
        size_t a = pos, b = end;
        trim_name(src, &a, &b);
        if (a < b) {
            err = cite_grow_array((void **)&names, &cap, count + 1, sizeof(cite_name));
            if (err < 0 || (err = parse_name(&names[count], &p, src + a, b - a)) < 0)
                goto cleanup;
            if (!name_says_nothing(&names[count]))
                count++;
        }
        if (end == len)
            break;
        pos = next;
    }
cleanup:
    if (err < 0) {
        for (size_t i = 0; i < count; i++)
            cite_name_dispose(&names[i]);
        count = 0;
    }
    if (count == 0) {
        cite_free(names);
        names = NULL;
    }
    cite_free(p.toks);
    cite_buf_dispose(&p.text);
    *out = names;
    *n_out = count;
    return err;
}

/* ---- Writing -------------------------------------------------------------------------- */

typedef struct writer {
    cite_buf *out;
    unsigned flags; /* for cite_latex_from_text: CITE_LATEX_ASCII or 0 */
    cite_buf tex;   /* scratch: one part as cite_latex_from_text writes it */
    cite_buf safe;  /* scratch: the same, protected (protect) */
} writer;

static bool has(const char *s)
{
    return s && *s;
}

/* What a token-level look at a written part tells the writer. */
typedef struct shape {
    size_t count; /* tokens */
    token first, last;
    bool inner_lower; /* a token before the last reads lowercase */
    bool spaced;      /* a token is separated from the one before by more than a hyphen */
} shape;

static shape shape_of(const char *s, size_t n)
{
    shape sh = { .count = 0 };
    scanner sc;
    token t;
    scan_result r;
    scanner_init(&sc, s, n);
    while ((r = scan_next(&sc, &t)) != SCAN_END) {
        if (r != SCAN_TOKEN)
            continue;
        if (sh.count == 0) {
            sh.first = t;
        } else {
            sh.spaced |= t.sep != '-';
            sh.inner_lower |= tok_lower(s, &sh.last);
        }
        sh.last = t;
        sh.count++;
    }
    return sh;
}

static bool is_sep_byte(char c)
{
    return is_white(c) || c == '-' || c == '~';
}

/* The end of the control symbol at s[i] (a backslash then a character that would split a
 * name: "\,", "\-", "\ ", or the accent "\~" with its argument). */
static size_t control_symbol_end(const char *s, size_t n, size_t i)
{
    size_t j = i + 2;
    if (s[i + 1] != '~' || j >= n || is_white(s[j]) || s[j] == '\\')
        return j;
    if (s[j] == '{')
        return skip_group(s, n, j);
    size_t len;
    cite_utf8_decode(s + j, n - j, &len);
    return j + len;
}

/* Copies the LaTeX s[0..n) of one part, bracing at depth 0 what would split it on reading:
 * commas ({,}), control symbols made of a separator ({\,}, {\~n}), the word "and" (an{d})
 * and runs of ties or spaces at either end ({--}), which reading would drop. These braces change
 * neither the text nor the case BibTeX gives a token, as they never hold its first letter. */
static void protect(cite_buf *dst, const char *s, size_t n)
{
    size_t lead = 0, trail = n;
    while (lead < n && is_sep_byte(s[lead]))
        lead++;
    while (trail > lead && is_sep_byte(s[trail - 1]))
        trail--;
    while (lead > 0 && is_white(s[lead - 1]))
        lead--; /* braced: "{-} A", not "{- }A" */
    while (trail < n && is_white(s[trail]))
        trail++;
    size_t i = 0;
    while (i < n) {
        size_t end = i + 1;
        if (i < lead || i >= trail) {
            end = i < lead ? lead : n; /* one group, so that "--" still makes a dash */
            cite_buf_putc(dst, '{');
            cite_buf_put(dst, s + i, end - i);
            cite_buf_putc(dst, '}');
        } else if (s[i] == '{') {
            end = skip_group(s, n, i);
            cite_buf_put(dst, s + i, end - i);
        } else if (escapes_sep(s, n, i) || (s[i] == '\\' && i + 1 < n && is_white(s[i + 1]))) {
            end = control_symbol_end(s, n, i);
            cite_buf_putc(dst, '{');
            cite_buf_put(dst, s + i, end - i);
            cite_buf_putc(dst, '}');
        } else if (s[i] == '\\' && i + 1 < n) {
            end = i + 2; /* \{ \} \\ and the like: kept whole, never split */
            cite_buf_put(dst, s + i, end - i);
        } else if (s[i] == ',') {
            cite_buf_puts(dst, "{,}");
        } else if (is_and_at(s, n, i)) {
            end = i + 3;
            cite_buf_printf(dst, "%c%c{%c}", s[i], s[i + 1], s[i + 2]);
        } else {
            cite_buf_putc(dst, s[i]);
        }
        i = end;
    }
}

/* Puts the LaTeX of text a (and of b after a space) in w->tex and its protected form in
 * w->safe. The scratch buffers report a failure through w->out, the only buffer the caller
 * sees: its oom flag is sticky and says the output is unusable. */
static void prepare(writer *w, const char *a, const char *b)
{
    cite_buf_clear(&w->tex);
    if (has(a))
        cite_latex_from_text(&w->tex, a, w->flags);
    if (has(a) && has(b))
        cite_buf_putc(&w->tex, ' ');
    if (has(b))
        cite_latex_from_text(&w->tex, b, w->flags);
    cite_buf_clear(&w->safe);
    protect(&w->safe, w->tex.ptr, w->tex.len);
    if (cite_buf_oom(&w->tex) || cite_buf_oom(&w->safe))
        w->out->oom = true;
}

/* Where the first thing in s[0..n) that BibTeX reads lowercase starts: a depth-0 letter, a
 * control word such as \emph, a special character such as {\ss}, or a $...$ whose first
 * letter is lowercase (never cut); n if there is none. */
static size_t first_lower_at(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t at = i;
        if (s[i] == '{') {
            i = skip_group(s, n, i);
            if (i - at > 3 && s[at + 1] == '\\' && token_case(s + at, i - at) == CASE_LOWER)
                return at;
        } else if (s[i] == '$') {
            const char *close = memchr(s + i + 1, '$', n - i - 1);
            i = close ? (size_t)(close - s) + 1 : n;
            if (token_case(s + at, i - at) == CASE_LOWER)
                return at; /* kept whole: $x$ */
        } else if (s[i] == '\\') {
            /* BibTeX reads the letters of a control word: \emph counts as lowercase */
            if (i + 1 < n && s[i + 1] >= 'a' && s[i + 1] <= 'z')
                return at;
            if (++i < n && !is_ascii_alpha(s[i]))
                i++; /* a control symbol: \% */
            else
                while (i < n && is_ascii_alpha(s[i]))
                    i++;
        } else if (char_case(s, n, &i) == CASE_LOWER) {
            return at;
        }
    }
    return n;
}

/* Appends the token s[0..n) so that BibTeX reads it lowercase, as a von token must be: when
 * its first letter is not lowercase ("De", "{D}e" read back as "De"), what comes before its
 * first lowercase letter goes into a plain brace group, which BibTeX skips ({D}e; {{\'E}}t
 * since {\'E} alone would be a special character). Returns false, having appended the token
 * as it is, when that cannot work. */
static bool put_lowercase(cite_buf *out, const char *s, size_t n)
{
    if (token_case(s, n) == CASE_LOWER) {
        cite_buf_put(out, s, n);
        return true;
    }
    size_t k = first_lower_at(s, n);
    size_t mark = out->len;
    if (k < n) {
        bool twice = s[0] == '\\';
        cite_buf_puts(out, twice ? "{{" : "{");
        cite_buf_put(out, s, k);
        cite_buf_puts(out, twice ? "}}" : "}");
        cite_buf_put(out, s + k, n - k);
        if (!cite_buf_oom(out) && token_case(out->ptr + mark, out->len - mark) == CASE_LOWER)
            return true;
        cite_buf_truncate(out, mark);
    }
    cite_buf_put(out, s, n);
    return false;
}

/* The von part s[0..n) word by word, with its last token made to read lowercase, and its
 * first too when first_lower. False when one of them cannot be. Needs sh->count > 1. */
static bool put_von_words(cite_buf *out, const char *s, size_t n, const shape *sh, bool first_lower)
{
    bool ok = true;
    size_t first_len = sh->first.end - sh->first.start;
    cite_buf_put(out, s, sh->first.start);
    if (first_lower)
        ok = put_lowercase(out, s + sh->first.start, first_len);
    else
        cite_buf_put(out, s + sh->first.start, first_len);
    cite_buf_put(out, s + sh->first.end, sh->last.start - sh->first.end);
    ok &= put_lowercase(out, s + sh->last.start, sh->last.end - sh->last.start);
    cite_buf_put(out, s + sh->last.end, n - sh->last.end);
    return ok;
}

/* Appends s[0..n) as one token: what separates its tokens is braced (van{ }der). */
static void put_joined(cite_buf *out, const char *s, size_t n)
{
    scanner sc;
    token t;
    scan_result r;
    size_t done = 0;
    bool any = false;
    scanner_init(&sc, s, n);
    while ((r = scan_next(&sc, &t)) != SCAN_END) {
        if (r != SCAN_TOKEN)
            continue; /* a comma goes with the separators around it */
        if (any && t.start > done) {
            cite_buf_putc(out, '{');
            cite_buf_put(out, s + done, t.start - done);
            cite_buf_putc(out, '}');
        } else {
            cite_buf_put(out, s + done, t.start - done);
        }
        cite_buf_put(out, s + t.start, t.end - t.start);
        done = t.end;
        any = true;
    }
    cite_buf_put(out, s + done, n - done);
}

/* Appends the von part from w->safe so that it reads back as the von part: BibTeX's von part
 * ends at its last lowercase token and, in a name without commas, starts at its first one
 * (first_lower), so those are made to read lowercase. When a word cannot be ("YΩ" of a von
 * part whose source had it in braces), the whole part is joined into one token led by its
 * first word. False when nothing works: "VAN", with no lowercase letter at all, reads back
 * as part of Last, or of First when there are no commas. */
static bool put_von(writer *w, bool first_lower)
{
    const char *s = w->safe.ptr;
    size_t n = w->safe.len, mark = w->out->len;
    shape sh = shape_of(s, n);
    if (sh.count > 1 && put_von_words(w->out, s, n, &sh, first_lower))
        return true;
    cite_buf_truncate(w->out, mark);
    cite_buf_clear(&w->tex);
    put_joined(&w->tex, s, n);
    if (cite_buf_oom(&w->tex))
        w->out->oom = true;
    if (put_lowercase(w->out, w->tex.ptr, w->tex.len))
        return true;
    if (sh.count > 1) {
        cite_buf_truncate(w->out, mark);
        put_von_words(w->out, s, n, &sh, false);
    }
    return false;
}

/* Appends the family name so that all of it reads back as Last. It is braced whole
 * ({Cruz y Rodríguez}) when a word before its last reads lowercase, which would join the
 * von part; and, when it stands alone in a name without commas, when it has words not tied
 * by hyphens, since BibTeX's Last would then be the final word only ({Della Robbia}). */
static void put_family(writer *w, bool alone)
{
    shape sh = shape_of(w->safe.ptr, w->safe.len);
    if (sh.inner_lower || (alone && sh.spaced)) {
        cite_buf_putc(w->out, '{');
        cite_buf_put(w->out, w->tex.ptr, w->tex.len);
        cite_buf_putc(w->out, '}');
    } else {
        cite_buf_put(w->out, w->safe.ptr, w->safe.len);
    }
}

/* A written name must not read back as a literal or as "others": a name that came out as one
 * brace group ({Della Robbia}) gets an empty group after it, a family "others" a braced s. */
static void settle(cite_buf *out, size_t mark)
{
    const char *s = out->ptr + mark;
    size_t n = out->len - mark;
    if (n > 0 && s[0] == '{' && group_close(s, n, 0) == n - 1)
        cite_buf_puts(out, "{}");
    else if (n == 6 && memcmp(s, "others", 6) == 0) {
        cite_buf_truncate(out, mark + 5);
        cite_buf_puts(out, "{s}");
    }
}

/* Appends one name. The form is "von Last, Jr, First", shortened to "von Last, First" or,
 * without Jr and First, to "von Last" (with "{}" for a missing First when the von part cannot
 * start the name). Missing Last is written "{}", so that a name with only a given name,
 * "{}, Plato", keeps it given. CSL's dropping particle goes first in the von part: BibTeX
 * has no place for it, and it reads back as part of the non-dropping particle. A literal
 * is written as one brace group, others as "others"; both ignore any other part. */
static void write_name(writer *w, const cite_name *nm)
{
    cite_buf *out = w->out;
    size_t mark = out->len;
    if (nm->others) {
        cite_buf_puts(out, "others");
        return;
    }
    if (has(nm->literal)) {
        cite_buf_putc(out, '{');
        cite_latex_from_text(out, nm->literal, w->flags);
        cite_buf_putc(out, '}');
        return;
    }
    bool commas = has(nm->suffix) || has(nm->given);
    bool von = has(nm->dropping_particle) || has(nm->non_dropping_particle);
    if (von) {
        prepare(w, nm->dropping_particle, nm->non_dropping_particle);
        commas |= !put_von(w, !commas);
        cite_buf_putc(out, ' ');
    }
    if (has(nm->family)) {
        prepare(w, nm->family, NULL);
        put_family(w, !commas && !von);
    } else {
        cite_buf_puts(out, "{}");
    }
    if (commas && has(nm->suffix)) {
        cite_buf_puts(out, ", ");
        prepare(w, nm->suffix, NULL);
        cite_buf_put(out, w->safe.ptr, w->safe.len);
    }
    if (commas) {
        cite_buf_puts(out, ", ");
        prepare(w, nm->given, NULL);
        if (w->safe.len)
            cite_buf_put(out, w->safe.ptr, w->safe.len);
        else
            cite_buf_puts(out, "{}");
    }
    settle(out, mark);
}

void cite_bibtex_names_write(cite_buf *out, const cite_name *names, size_t n, unsigned latex_flags)
{
    assert(out && (names || n == 0));
    writer w = { .out = out,
                 .flags = latex_flags & CITE_LATEX_ASCII,
                 .tex = CITE_BUF_INIT,
                 .safe = CITE_BUF_INIT };
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            cite_buf_puts(out, " and ");
        write_name(&w, &names[i]);
    }
    cite_buf_dispose(&w.tex);
    cite_buf_dispose(&w.safe);
}
