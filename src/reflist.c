/* reflist.c: find the reference section of a manuscript and split it into references. The
 * rules are in reflist.h. Three linear passes over lines: find the last heading, collect the
 * section's lines (stopping at the next section), then group the lines into references. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <assert.h>
#include <pcre2.h>
#include <string.h>

#include "buf.h"
#include "reflist.h"
#include "rx.h"

enum { RX_HEADING, RX_ENDING, RX_ATX, RX_MARKER, RX_UNDERLINE, RX_BREAK };

/* The longest heading line the patterns accept is well under this ("### 12.3. **References
 * and notes**:"). */
enum { MAX_HEADING_BYTES = 80 };

/* Matched against one line without its line break and trailing whitespace. */
static const cite_rx_pattern patterns[] = {
    [RX_HEADING] = { "heading",
                     "^[ \\t]{0,3}(?:(?<atx>#{1,6})[ \\t]+)?(?:\\*\\*|__)?[ \\t]*"
                     "(?:\\d{1,2}(?:\\.\\d{1,2})*\\.?[ \\t]+)?"
                     "(?:references?(?:[ \\t]+(?:list|and[ \\t]+notes|cited))?|sources"
                     "|bibliography|works[ \\t]+cited|literature[ \\t]+cited)"
                     "[ \\t]*:?[ \\t]*(?:\\*\\*|__)?[ \\t]*:?(?:[ \\t]+#+)?$",
                     PCRE2_CASELESS },
    /* Back matter that follows a reference list: a short line made of the heading word, an
     * optional number or letter ("Appendix 2", "Table S1") and an optional ": title". */
    [RX_ENDING] = { "back-matter heading",
                    "^[ \\t]{0,3}(?:\\*\\*|__)?[ \\t]*(?:\\d{1,2}(?:\\.\\d{1,2})*\\.?[ \\t]+)?"
                    "(?:appendix|appendices|acknowledge?ments?|figure[ \\t]+legends?|figures?"
                    "|tables?|supplementary(?:[ \\t]+\\p{L}+){0,3}|supporting[ \\t]+information"
                    "|author[ \\t]+contributions|funding|competing[ \\t]+interests"
                    "|conflicts?[ \\t]+of[ \\t]+interests?|data[ \\t]+availability"
                    "|abbreviations|footnotes|endnotes)"
                    "(?:[ \\t]+[\\p{L}\\p{N}][\\p{N}.]{0,3})?[ \\t]*(?:\\*\\*|__)?[ \\t]*"
                    "(?:[:.—–-][^\\n]{0,80})?$",
                    PCRE2_CASELESS },
    [RX_ATX] = { "markdown heading", "^[ \\t]{0,3}#{1,6}(?:[ \\t]|$)", 0 },
    /* A list marker and the blanks after it; the label (a number, or "[A12]") is group 1 of
     * every branch (branch reset), unset for a bullet. */
    [RX_MARKER] = { "list marker",
                    "^[ \\t]*(?|\\[(?<label>[\\p{L}\\p{N}][\\p{L}\\p{N}.:+-]{0,15})\\][ \\t]*"
                    "|\\((?<label>\\d{1,4})\\)(?:[ \\t]+|$)"
                    "|(?<label>\\d{1,4})[.)](?:[ \\t]+|$)"
                    "|[-*+•–](?:[ \\t]+|$))",
                    0 },
    [RX_UNDERLINE] = { "setext underline", "^[ \\t]{0,3}(?:={2,}|-{2,})[ \\t]*$", 0 },
    [RX_BREAK] = { "thematic break",
                   "^[ \\t]{0,3}(?:(?:-[ \\t]*){3,}|(?:\\*[ \\t]*){3,}|(?:_[ \\t]*){3,})$", 0 },
};

typedef struct line {
    size_t start, text, body; /* line start; after indentation; after the list marker */
    size_t end;               /* end of content: trailing ASCII whitespace trimmed */
    size_t next;              /* start of the next line (len at the end) */
    size_t label, label_end;  /* the marker's label; label == label_end when none */
    unsigned no;              /* 1-based line number */
    unsigned indent;          /* columns of indentation, a tab counting 4 */
    bool marker;              /* starts with a list marker */
} line;

typedef struct scan {
    const char *s;
    size_t len;
    const cite_lineindex *index; /* the text's line starts, or NULL */
    cite_rx_set *rx;
    cite_diag *diag;
    int atx_group, label_group;
    line *lines; /* the section's lines, blank ones included */
    size_t nlines, cap;
    cite_buf text;          /* the reference being built */
    cite_reflist_item item; /* its line, offset and label */
    int err;                /* first allocation failure */
} scan;

static bool is_trailing_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Reads the line starting at pos (line number no). A UTF-8 BOM at the very start is skipped
 * like indentation, so that a heading on the first line still matches. */
static line read_line(const scan *sc, size_t pos, unsigned no)
{
    const char *s = sc->s;
    size_t len = sc->len;
    line ln = { .start = pos, .no = no };
    const cite_lineindex *ix = sc->index;
    size_t eol;
    if (ix && no >= 1 && no - 1 < ix->nlines && ix->starts[no - 1] == pos) {
        eol = no < ix->nlines ? ix->starts[no] - 1 : len; /* the index knows where it ends */
        ln.next = no < ix->nlines ? eol + 1 : len;
    } else {
        const char *nl = memchr(s + pos, '\n', len - pos);
        eol = nl ? (size_t)(nl - s) : len;
        ln.next = nl ? eol + 1 : len;
    }
    ln.end = eol;
    while (ln.end > pos && is_trailing_space(s[ln.end - 1]))
        ln.end--;
    ln.text = pos;
    if (pos == 0 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        ln.text = ln.start = 3;
    for (; ln.text < ln.end && (s[ln.text] == ' ' || s[ln.text] == '\t'); ln.text++)
        ln.indent += s[ln.text] == '\t' ? 4 : 1;
    ln.body = ln.label = ln.label_end = ln.text;
    return ln;
}

static bool blank(const line *ln)
{
    return ln->text == ln->end;
}

/* Matches pattern against the line. A pattern that hits its limit is reported as a warning at
 * the line and counts as no match: one odd line must not lose the whole list. */
static int match_line(cite_rx_result *m, scan *sc, size_t pattern, const line *ln)
{
    int rc = cite_rx_match(m, sc->rx, pattern, sc->s + ln->start, ln->end - ln->start, 0, 0);
    if (rc == CITE_ERROR) {
        cite_diag_report(sc->diag, CITE_SEV_WARNING,
                         (cite_loc){ .offset = ln->start, .line = ln->no, .col = 1 },
                         "pattern '%s' gave up on this line (match limit)", patterns[pattern].name);
        rc = 0;
    }
    if (rc < 0 && !sc->err)
        sc->err = rc;
    return rc;
}

static bool line_is(scan *sc, size_t pattern, const line *ln)
{
    cite_rx_result m;
    return !blank(ln) && match_line(&m, sc, pattern, ln) == 1;
}

/* Is ln the heading of a reference section? A plain line must follow a blank line or be
 * underlined, so that a wrapped body line reading "References" is not one. */
static bool is_heading(scan *sc, const line *ln, bool prev_blank, bool underlined)
{
    cite_rx_result m;
    size_t s, e;
    if (blank(ln) || match_line(&m, sc, RX_HEADING, ln) != 1)
        return false;
    return prev_blank || underlined || cite_rx_group(&m, sc->atx_group, &s, &e);
}

/* Can RX_HEADING match ln? Only when its first character after the marks that may come before
 * the heading word (indentation, #, ** or __, a section number) starts one of the words, or is
 * not ASCII (caseless UTF-8 matching lets "ſ" stand for "s"). A cheap "no" for nearly every
 * line of the body, which this pass reads whole. */
static bool may_be_heading(const scan *sc, const line *ln)
{
    size_t i = ln->text;
    while (i < ln->end && strchr(" \t#*_.0123456789", sc->s[i]) && sc->s[i])
        i++;
    unsigned char c = i < ln->end ? (unsigned char)sc->s[i] : 0;
    return c >= 0x80 || (c && strchr("rRsSbBwWlL", c));
}

/* Finds the last reference-section heading: sets list->heading_line and list->start (the
 * byte after the heading and its underline). Leaves them 0 when there is none. Returns the
 * number of the line that starts at list->start. */
static unsigned find_heading(scan *sc, cite_reflist *list)
{
    unsigned start_no = 1;
    bool prev_blank = true;
    unsigned no = 1;
    for (size_t pos = 0; pos < sc->len && !sc->err; no++) {
        line ln = read_line(sc, pos, no);
        /* The patterns run only on lines short enough to be a heading: a manuscript's body
         * is mostly long lines, and this pass reads all of it. */
        if (ln.end - ln.text <= MAX_HEADING_BYTES && may_be_heading(sc, &ln)) {
            line next = read_line(sc, ln.next, no + 1);
            bool underlined = ln.next < sc->len && line_is(sc, RX_UNDERLINE, &next);
            if (is_heading(sc, &ln, prev_blank, underlined)) {
                list->heading_line = no;
                list->start = underlined ? next.next : ln.next;
                start_no = underlined ? no + 2 : no + 1;
            }
        }
        prev_blank = blank(&ln);
        pos = ln.next;
    }
    return start_no;
}

/* Does ln (after a blank line or not) end the section? next is the line after it. */
static bool ends_section(scan *sc, const line *ln, const line *next, bool prev_blank)
{
    if (line_is(sc, RX_ATX, ln) || line_is(sc, RX_ENDING, ln))
        return true;
    if (prev_blank && (line_is(sc, RX_BREAK, ln) || line_is(sc, RX_UNDERLINE, ln)))
        return true;
    /* A setext heading: ln is its text, next its underline. */
    return ln->next < sc->len && line_is(sc, RX_UNDERLINE, next);
}

/* Fills the marker fields of ln when it starts with a list marker. */
static void find_marker(scan *sc, line *ln)
{
    cite_rx_result m;
    size_t s, e;
    if (blank(ln) || match_line(&m, sc, RX_MARKER, ln) != 1)
        return;
    ln->marker = true;
    ln->body = ln->start + m.end;
    if (cite_rx_group(&m, sc->label_group, &s, &e)) {
        ln->label = ln->start + s;
        ln->label_end = ln->start + e;
    }
}

/* Collects the section's lines from list->start into sc->lines; sets list->end. */
static void collect_section(scan *sc, cite_reflist *list, unsigned first_no)
{
    bool prev_blank = true;
    size_t pos = list->start;
    unsigned no = first_no;
    list->end = sc->len;
    for (; pos < sc->len && !sc->err; no++) {
        line ln = read_line(sc, pos, no);
        line next = read_line(sc, ln.next, no + 1);
        if (!blank(&ln) && ends_section(sc, &ln, &next, prev_blank)) {
            list->end = pos;
            return;
        }
        find_marker(sc, &ln);
        if (cite_grow_array((void **)&sc->lines, &sc->cap, sc->nlines + 1, sizeof(line)) < 0) {
            sc->err = CITE_ENOMEM;
            return;
        }
        sc->lines[sc->nlines++] = ln;
        prev_blank = blank(&ln);
        pos = ln.next;
    }
}

/* Width in code points of ln, indentation included. */
static size_t width(const scan *sc, const line *ln)
{
    return cite_utf8_count(sc->s + ln->start, ln->end - ln->start);
}

/* Width of the first word of ln. */
static size_t first_word(const scan *sc, const line *ln)
{
    size_t e = ln->text;
    while (e < ln->end && sc->s[e] != ' ' && sc->s[e] != '\t')
        e++;
    return cite_utf8_count(sc->s + ln->text, e - ln->text);
}

/* Paragraph mode: blank lines separate short paragraphs, at least one of several lines, and
 * every line break inside a paragraph is one a wrapping editor would make: the next line's
 * first word would not have fitted on the line (its width plus a space plus that word exceeds
 * the widest inner line). A one-per-line list broken into groups by blank lines fails that
 * test, as its lines are whole references of any length, or the shortness test. */
static bool paragraph_mode(const scan *sc)
{
    size_t paras = 0, nonblank = 0, inner = 0, maxw = 0;
    for (size_t i = 0; i < sc->nlines; i++) {
        const line *ln = &sc->lines[i];
        nonblank += !blank(ln);
        paras += !blank(ln) && (i == 0 || blank(&sc->lines[i - 1]));
        if (!blank(ln) && i + 1 < sc->nlines && !blank(&sc->lines[i + 1])) {
            inner++;
            maxw = CITE_MAX(maxw, width(sc, ln));
        }
    }
    if (paras < 2 || inner == 0 || nonblank > 6 * paras)
        return false;
    for (size_t i = 0; i + 1 < sc->nlines; i++) {
        const line *ln = &sc->lines[i], *next = &sc->lines[i + 1];
        if (!blank(ln) && !blank(next) && width(sc, ln) + 1 + first_word(sc, next) <= maxw)
            return false;
    }
    return true;
}

/* Ends the reference being built, moving it into the list. */
static void flush(scan *sc, cite_reflist *list)
{
    if (sc->text.len == 0 && !cite_buf_oom(&sc->text)) {
        cite_free(sc->item.label);
        sc->item.label = NULL;
        return;
    }
    sc->item.text = cite_buf_detach(&sc->text);
    if (!sc->item.text || cite_grow_array((void **)&list->items, &list->cap, list->count + 1,
                                          sizeof(cite_reflist_item)) < 0) {
        cite_free(sc->item.text);
        cite_free(sc->item.label);
        sc->err = CITE_ENOMEM;
    } else {
        list->items[list->count++] = sc->item;
    }
    sc->item = (cite_reflist_item){ .text = NULL };
}

/* Starts a reference at ln: its marker stripped, its label kept. */
static void begin(scan *sc, cite_reflist *list, const line *ln)
{
    flush(sc, list);
    if (sc->err)
        return;
    sc->item = (cite_reflist_item){ .line = ln->no, .offset = ln->body };
    if (ln->label_end > ln->label) {
        sc->item.label = cite_strndup(sc->s + ln->label, ln->label_end - ln->label);
        if (!sc->item.label)
            sc->err = CITE_ENOMEM;
    }
    cite_buf_put(&sc->text, sc->s + ln->body, ln->end - ln->body);
}

/* Appends a continuation line, joined by one space. A marker alone on its line leaves the
 * text empty: the reference then really starts here. */
static void extend(scan *sc, const line *ln)
{
    if (sc->text.len == 0) {
        sc->item.line = ln->no;
        sc->item.offset = ln->text;
    } else {
        cite_buf_putc(&sc->text, ' ');
    }
    cite_buf_put(&sc->text, sc->s + ln->text, ln->end - ln->text);
}

/* Does ln start a new reference? cur is the first line of the current one (NULL if none). */
static bool starts_new(const line *ln, const line *cur, bool prev_blank, bool markers, bool paras)
{
    if (!cur)
        return true;
    if (markers) {
        if (ln->marker)
            return ln->indent <= cur->indent;
        return prev_blank && ln->indent <= cur->indent;
    }
    if (prev_blank)
        return true;
    return !paras && ln->indent <= cur->indent;
}

/* Groups the section's lines into references. */
static void split(scan *sc, cite_reflist *list)
{
    const line *cur = NULL;
    bool prev_blank = true, markers = false;
    for (size_t i = 0; i < sc->nlines; i++) {
        if (!blank(&sc->lines[i])) {
            markers = sc->lines[i].marker;
            break;
        }
    }
    bool paras = !markers && paragraph_mode(sc);
    for (size_t i = 0; i < sc->nlines && !sc->err; i++) {
        const line *ln = &sc->lines[i];
        if (blank(ln)) {
            prev_blank = true;
            continue;
        }
        if (starts_new(ln, cur, prev_blank, markers, paras)) {
            begin(sc, list, ln);
            cur = ln;
        } else {
            extend(sc, ln);
        }
        prev_blank = false;
    }
    if (!sc->err)
        flush(sc, list);
}

int cite_reflist_find(cite_reflist **out, const char *text, size_t len, cite_diag *diag)
{
    return cite_reflist_find_indexed(out, text, len, NULL, diag);
}

int cite_reflist_find_indexed(
    cite_reflist **out, const char *text, size_t len, const cite_lineindex *lines, cite_diag *diag)
{
    scan sc = { .s = text, .len = len, .index = lines, .diag = diag, .text = CITE_BUF_INIT };
    cite_reflist *list = cite_calloc(1, sizeof *list);
    *out = NULL;
    if (!list) {
        sc.err = CITE_ENOMEM;
        goto cleanup;
    }
    if ((sc.err = cite_rx_set_new(&sc.rx, patterns, CITE_ARRAY_LEN(patterns), diag)) < 0)
        goto cleanup;
    sc.atx_group = cite_rx_group_number(sc.rx, RX_HEADING, "atx");
    sc.label_group = cite_rx_group_number(sc.rx, RX_MARKER, "label");
    assert(sc.atx_group > 0 && sc.label_group > 0);
    unsigned start_no = find_heading(&sc, list); /* no second pass to count lines */
    if (!sc.err)
        collect_section(&sc, list, start_no);
    if (!sc.err)
        split(&sc, list);
cleanup:
    cite_buf_dispose(&sc.text);
    cite_free(sc.item.label);
    cite_free(sc.lines);
    cite_rx_set_free(sc.rx);
    if (sc.err < 0) {
        cite_reflist_free(list);
        return sc.err;
    }
    *out = list;
    return 0;
}

void cite_reflist_free(cite_reflist *list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->count; i++) {
        cite_free(list->items[i].text);
        cite_free(list->items[i].label);
    }
    cite_free(list->items);
    cite_free(list);
}
