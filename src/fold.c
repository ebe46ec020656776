/* fold.c: name keys for linking, on utf8proc's per-character mapping (no allocation). */
#include <string.h>
#include <utf8proc.h>

#include "fold.h"

/* Letters NFKD leaves whole, so STRIPMARK cannot reach them (GRAMMAR.md §4), after case
 * folding. ß folds to "ss" in utf8proc already. */
static const char *undecomposed(utf8proc_int32_t cp)
{
    switch (cp) {
    case 0x0142:
        return "l"; /* ł */
    case 0x00F8:
        return "o"; /* ø */
    case 0x0111:
        return "d"; /* đ */
    case 0x0131:
        return "i"; /* ı */
    case 0x00E6:
        return "ae"; /* æ */
    case 0x0153:
        return "oe"; /* œ */
    case 0x00FE:
        return "th"; /* þ */
    case 0x00F0:
        return "d"; /* ð */
    case 0x0127:
        return "h"; /* ħ */
    default:
        return NULL;
    }
}

static const char *german(utf8proc_int32_t cp)
{
    switch (cp) {
    case 0x00E4:
    case 0x00C4:
        return "ae";
    case 0x00F6:
    case 0x00D6:
        return "oe";
    case 0x00FC:
    case 0x00DC:
        return "ue";
    default:
        return NULL;
    }
}

static bool is_alnum(utf8proc_int32_t cp)
{
    utf8proc_category_t cat = utf8proc_category(cp);
    return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
           (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO) ||
           (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME);
}

/* Appends the folded form of one code point. */
static void fold_char(cite_buf *out, utf8proc_int32_t cp, cite_fold_mode mode)
{
    const char *special = mode == CITE_FOLD_TRANSLIT ? german(cp) : NULL;
    if (special) {
        cite_buf_puts(out, special);
        return;
    }
    utf8proc_option_t opts = UTF8PROC_CASEFOLD | UTF8PROC_COMPAT;
    opts |= mode == CITE_FOLD_CASE ? UTF8PROC_DECOMPOSE : UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK;
    utf8proc_int32_t parts[8];
    int last = 0;
    utf8proc_ssize_t n = utf8proc_decompose_char(cp, parts, 8, opts, &last);
    if (n < 0 || n > 8)
        return;
    for (utf8proc_ssize_t i = 0; i < n; i++) {
        special = mode == CITE_FOLD_CASE ? NULL : undecomposed(parts[i]);
        if (special)
            cite_buf_puts(out, special);
        else if (is_alnum(parts[i]))
            cite_buf_put_utf8(out, (uint32_t)parts[i]);
    }
}

/* Folds the run of ASCII at the start of s[0..len) (most names are all ASCII): every mode keeps
 * letters and digits, lowercased, and drops the rest. Returns the run's length. */
static size_t fold_ascii(cite_buf *out, const char *s, size_t len)
{
    size_t run = 0;
    while (run < len && (unsigned char)s[run] < 0x80)
        run++;
    if (cite_buf_grow(out, run) < 0)
        return run;
    char *w = out->ptr + out->len;
    for (size_t i = 0; i < run; i++) {
        char c = s[i];
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            *w++ = c;
        else if (c >= 'A' && c <= 'Z')
            *w++ = (char)(c - 'A' + 'a');
    }
    *w = '\0';
    out->len = (size_t)(w - out->ptr);
    return run;
}

void cite_fold(cite_buf *out, const char *s, size_t len, cite_fold_mode mode)
{
    size_t start = out->len;
    for (size_t i = 0, n; i < len; i += n) {
        if ((unsigned char)s[i] < 0x80) {
            n = fold_ascii(out, s + i, len - i);
            continue;
        }
        uint32_t cp = cite_utf8_decode(s + i, len - i, &n);
        if (cp != 0xFFFD || (n == 3 && memcmp(s + i, "\xEF\xBF\xBD", 3) == 0))
            fold_char(out, (utf8proc_int32_t)cp, mode);
    }
    if (mode != CITE_FOLD_CASE || out->oom)
        return;
    /* The CASE key compares diacritics, so it must be composed: "Goi" + U+0308 = "Goï". */
    utf8proc_int32_t *cps = (utf8proc_int32_t *)cite_malloc((out->len - start + 1) * 4);
    if (!cps) {
        out->oom = true;
        return;
    }
    size_t ncp = 0;
    for (size_t i = start, n; i < out->len; i += n)
        cps[ncp++] = (utf8proc_int32_t)cite_utf8_decode(out->ptr + i, out->len - i, &n);
    utf8proc_ssize_t composed =
        utf8proc_normalize_utf32(cps, (utf8proc_ssize_t)ncp, UTF8PROC_COMPOSE | UTF8PROC_STABLE);
    cite_buf_truncate(out, start);
    for (utf8proc_ssize_t i = 0; i < composed; i++)
        cite_buf_put_utf8(out, (uint32_t)cps[i]);
    cite_free(cps);
}

unsigned cite_edit_distance(const char *a, size_t alen, const char *b, size_t blen, unsigned max)
{
    enum { W = 64 };
    if (alen >= W || blen >= W)
        return max + 1;
    if ((alen > blen ? alen - blen : blen - alen) > max)
        return max + 1;
    unsigned d[W][W];
    for (size_t i = 0; i <= alen; i++)
        d[i][0] = (unsigned)i;
    for (size_t j = 0; j <= blen; j++)
        d[0][j] = (unsigned)j;
    for (size_t i = 1; i <= alen; i++) {
        unsigned row_min = max + 1;
        for (size_t j = 1; j <= blen; j++) {
            unsigned cost = a[i - 1] != b[j - 1];
            unsigned v = CITE_MIN(d[i - 1][j] + 1, d[i][j - 1] + 1);
            v = CITE_MIN(v, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                v = CITE_MIN(v, d[i - 2][j - 2] + 1);
            d[i][j] = v;
            row_min = CITE_MIN(row_min, v);
        }
        if (row_min > max)
            return max + 1;
    }
    return CITE_MIN(d[alen][blen], max + 1);
}
