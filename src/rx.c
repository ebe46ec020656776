/* rx.c: the pcre2 wrapper (STYLE.md §6; pcre2api, pcre2jit, pcre2demo.c of pcre2 10.42). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <assert.h>
#include <pcre2.h>

#include "rx.h"

#define COMPILE_OPTIONS (PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF)
#define JIT_STACK_START (32u * 1024u)
#define JIT_STACK_MAX   (1024u * 1024u)

typedef struct rx_entry {
    pcre2_code *code;
    pcre2_match_data *md; /* reused by every match of this pattern */
    bool crlf;            /* the newline convention lets CRLF count as one line break */
    bool jit_tried;       /* pcre2_jit_compile has run (at the pattern's first match) */
} rx_entry;

struct cite_rx_set {
    pcre2_general_context *gctx; /* routes pcre2's allocations to cite_malloc/cite_free */
    pcre2_compile_context *cctx;
    pcre2_match_context *mctx; /* limits and JIT stack, shared by all patterns */
    pcre2_jit_stack *jit_stack;
    rx_entry *entries;
    size_t count;
};

/* pcre2's allocator hooks take a user pointer we do not need. */
static void *rx_malloc(size_t size, void *data)
{
    (void)data;
    return cite_malloc(size);
}

static void rx_free(void *ptr, void *data)
{
    (void)data;
    cite_free(ptr);
}

/* The contexts every pattern shares. CITE_ENOMEM when one cannot be made. */
static int make_contexts(cite_rx_set *set)
{
    set->gctx = pcre2_general_context_create(rx_malloc, rx_free, NULL);
    if (!set->gctx)
        return CITE_ENOMEM;
    set->cctx = pcre2_compile_context_create(set->gctx);
    set->mctx = pcre2_match_context_create(set->gctx);
    set->jit_stack = pcre2_jit_stack_create(JIT_STACK_START, JIT_STACK_MAX, set->gctx);
    if (!set->cctx || !set->mctx || !set->jit_stack)
        return CITE_ENOMEM;
    pcre2_set_match_limit(set->mctx, CITE_RX_MATCH_LIMIT);
    pcre2_set_depth_limit(set->mctx, CITE_RX_DEPTH_LIMIT);
    /* The default JIT stack (32 KiB on the machine stack) is too small for long lines. */
    pcre2_jit_stack_assign(set->mctx, NULL, set->jit_stack);
    return 0;
}

/* Reports a pattern that does not compile: name, offset into the pattern, pcre2's text. */
static void report_compile_error(cite_diag *diag, const cite_rx_pattern *p, int code, size_t off)
{
    PCRE2_UCHAR msg[256];
    if (pcre2_get_error_message(code, msg, sizeof msg) < 0)
        msg[0] = '\0';
    cite_diag_report(diag, CITE_SEV_ERROR, (cite_loc){ .offset = 0 },
                     "pattern '%s' does not compile at offset %zu: %s", p->name, off,
                     (const char *)msg);
}

/* Compiles one table row into *e. CITE_EINVALID (reported) or CITE_ENOMEM on failure. */
static int compile_entry(rx_entry *e, cite_rx_set *set, const cite_rx_pattern *p, cite_diag *diag)
{
    int code;
    PCRE2_SIZE off;
    e->code = pcre2_compile((PCRE2_SPTR)p->pattern, PCRE2_ZERO_TERMINATED,
                            COMPILE_OPTIONS | p->flags, &code, &off, set->cctx);
    if (!e->code) {
        if (code == PCRE2_ERROR_HEAP_FAILED)
            return CITE_ENOMEM;
        report_compile_error(diag, p, code, off);
        return CITE_EINVALID;
    }
    e->md = pcre2_match_data_create_from_pattern(e->code, set->gctx);
    if (!e->md)
        return CITE_ENOMEM;
    uint32_t nl = 0;
    (void)pcre2_pattern_info(e->code, PCRE2_INFO_NEWLINE, &nl);
    e->crlf = nl == PCRE2_NEWLINE_ANY || nl == PCRE2_NEWLINE_CRLF || nl == PCRE2_NEWLINE_ANYCRLF;
    return 0;
}

int cite_rx_set_new(cite_rx_set **out, const cite_rx_pattern *table, size_t n, cite_diag *diag)
{
    int rc = CITE_ENOMEM;
    cite_rx_set *set = cite_calloc(1, sizeof *set);
    *out = NULL;
    if (!set)
        goto cleanup;
    if ((rc = make_contexts(set)) < 0)
        goto cleanup;
    set->entries = cite_calloc(n ? n : 1, sizeof *set->entries);
    if (!set->entries) {
        rc = CITE_ENOMEM;
        goto cleanup;
    }
    /* Compile every pattern even after a failure, so that all bad patterns get reported. */
    rc = 0;
    for (size_t i = 0; i < n; i++) {
        int r = compile_entry(&set->entries[i], set, &table[i], diag);
        set->count = i + 1;
        if (r == CITE_ENOMEM)
            rc = r;
        else if (r < 0 && rc == 0)
            rc = r;
    }
cleanup:
    if (rc < 0)
        cite_rx_set_free(set);
    else
        *out = set;
    return rc;
}

void cite_rx_set_free(cite_rx_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->count; i++) {
        pcre2_match_data_free(set->entries[i].md);
        pcre2_code_free(set->entries[i].code);
    }
    cite_free(set->entries);
    pcre2_jit_stack_free(set->jit_stack);
    pcre2_match_context_free(set->mctx);
    pcre2_compile_context_free(set->cctx);
    pcre2_general_context_free(set->gctx);
    cite_free(set);
}

size_t cite_rx_set_count(const cite_rx_set *set)
{
    return set->count;
}

int cite_rx_group_number(const cite_rx_set *set, size_t pattern, const char *name)
{
    assert(pattern < set->count);
    int n = pcre2_substring_number_from_name(set->entries[pattern].code, (PCRE2_SPTR)name);
    if (n == PCRE2_ERROR_NOUNIQUESUBSTRING)
        return CITE_EAMBIGUOUS;
    return n > 0 ? n : CITE_ENOTFOUND;
}

/* Maps a negative pcre2_match result to our codes. Limits are CITE_ERROR: the caller reports
 * a warning at the place it was matching (STYLE.md §6). */
static int match_error(int rc)
{
    if (rc == PCRE2_ERROR_NOMATCH || rc == PCRE2_ERROR_PARTIAL)
        return 0;
    if (rc == PCRE2_ERROR_NOMEMORY)
        return CITE_ENOMEM;
    return CITE_ERROR;
}

int cite_rx_match(cite_rx_result *m,
                  cite_rx_set *set,
                  size_t pattern,
                  const char *subject,
                  size_t len,
                  size_t start,
                  uint32_t options)
{
    assert(pattern < set->count && start <= len);
    rx_entry *e = &set->entries[pattern];
    /* JIT-compiled at its first match, not with the set: JIT code costs a hundred times a
     * match of a short subject, and a run uses only some patterns of a table (a short
     * reference list meets a few of the parser's sixty). It is an optimisation: pcre2_match
     * falls back to the interpreter when it fails, so its result is not needed. */
    if (!e->jit_tried) {
        (void)pcre2_jit_compile(e->code, PCRE2_JIT_COMPLETE);
        e->jit_tried = true;
    }
    int rc = pcre2_match(e->code, (PCRE2_SPTR)subject, len, start, options, e->md, set->mctx);
    if (rc < 0)
        return match_error(rc);
    const size_t *ov = pcre2_get_ovector_pointer(e->md);
    /* \K in a lookaround could give start > end; 10.42 forbids it by default, so this is a
     * broken invariant rather than input. */
    if (ov[0] > ov[1])
        return CITE_ERROR;
    /* pcre2 10.42 with PCRE2_MATCH_INVALID_UTF lets an ANCHORED match start at the next
     * valid fragment after invalid bytes (seen with and without JIT); anchored means here. */
    if ((options & PCRE2_ANCHORED) && ov[0] != start)
        return 0;
    /* rc == 0 means the ovector was too small, impossible with create_from_pattern. */
    *m = (cite_rx_result){ .start = ov[0],
                           .end = ov[1],
                           .ovector = ov,
                           .pairs = rc > 0 ? (uint32_t)rc : pcre2_get_ovector_count(e->md) };
    return 1;
}

bool cite_rx_group(const cite_rx_result *m, int group, size_t *start, size_t *end)
{
    if (group < 0 || (uint32_t)group >= m->pairs)
        return false;
    size_t s = m->ovector[2 * group], e = m->ovector[2 * group + 1];
    if (s == PCRE2_UNSET)
        return false;
    *start = s;
    *end = e;
    return true;
}

/* Where to try next after an empty match at pos failed to match non-empty there: one
 * character on (a whole UTF-8 sequence, or both bytes of CRLF when CRLF is a newline). */
static size_t step_past(const rx_entry *e, const char *s, size_t len, size_t pos)
{
    if (e->crlf && pos + 1 < len && s[pos] == '\r' && s[pos + 1] == '\n')
        return pos + 2;
    pos++;
    while (pos < len && ((unsigned char)s[pos] & 0xC0) == 0x80)
        pos++;
    return pos;
}

int cite_rx_find_all(cite_rx_set *set,
                     size_t pattern,
                     const char *subject,
                     size_t len,
                     cite_rx_callback callback,
                     void *payload)
{
    int count = 0;
    size_t pos = 0;
    uint32_t options = 0;
    cite_rx_result m;
    while (pos <= len) {
        int rc = cite_rx_match(&m, set, pattern, subject, len, pos, options);
        if (rc < 0)
            return rc;
        if (rc == 0 && options == 0)
            break;
        if (rc == 0) {
            /* No non-empty match where the empty one was: move on one character. */
            options = 0;
            if (pos >= len)
                break;
            pos = step_past(&set->entries[pattern], subject, len, pos);
            continue;
        }
        count++;
        int cb = callback ? callback(&m, payload) : 0;
        if (cb != 0)
            return cb < 0 ? cb : count;
        pos = m.end;
        options = m.start == m.end ? PCRE2_NOTEMPTY_ATSTART | PCRE2_ANCHORED : 0;
    }
    return count;
}
