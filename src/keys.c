/* keys.c: citation keys for records that have none (BibTeX practice: family name + year). */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "bibtex.h"
#include "buf.h"

/* Appends the ASCII letters and digits of s after Unicode decomposition with the marks
 * stripped (Müller -> muller, Ó Súilleabháin -> osuilleabhain), lowercased. */
static void put_folded(cite_buf *out, const char *s, size_t max)
{
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &folded,
                                      UTF8PROC_NULLTERM | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
                                          UTF8PROC_CASEFOLD | UTF8PROC_COMPAT);
    const char *text = n >= 0 ? (const char *)folded : s;
    size_t start = out->len;
    bool in_tag = false;
    for (const char *p = text; *p && out->len - start < max; p++) {
        if (*p == '<' || *p == '>') {
            in_tag = *p == '<'; /* skip the markup tags of markup.h */
            continue;
        }
        if (!in_tag && ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
            cite_buf_putc(out, *p);
    }
    free(folded); /* utf8proc allocates with malloc */
}

/* The stem: first author's (or editor's) family name or literal, else the title's first word. */
static void key_stem(cite_buf *out, const cite_record *rec)
{
    static const char *const vars[] = { "author", "editor", "container-author", "translator" };
    for (size_t v = 0; v < CITE_ARRAY_LEN(vars); v++) {
        const cite_field *f = cite_record_field(rec, vars[v]);
        if (!f || f->kind != CITE_VAR_NAMES || f->nnames == 0)
            continue;
        const cite_name *n = &f->names[0];
        const char *s = n->family ? n->family : n->literal ? n->literal : n->given;
        if (s) {
            put_folded(out, s, 24);
            if (out->len)
                return;
        }
    }
    const char *title = cite_record_get_text(rec, "title");
    if (title) {
        const char *space = strchr(title, ' ');
        char *word = cite_strndup(title, space ? (size_t)(space - title) : strlen(title));
        if (word)
            put_folded(out, word, 24);
        cite_free(word);
    }
    if (!out->len)
        cite_buf_puts(out, "anon");
}

char *cite_unique_key(const cite_library *lib, const char *stem)
{
    cite_buf key = CITE_BUF_INIT;
    cite_buf_puts(&key, stem);
    size_t stem_len = key.len;
    const cite_record *taken;
    /* a, b, ... z, then aa, ab, ...: the letter suffixes author-date readers expect. */
    for (unsigned i = 0; !cite_buf_oom(&key) && cite_library_lookup(&taken, lib, key.ptr) == 0;
         i++) {
        cite_buf_truncate(&key, stem_len);
        if (i >= 26)
            cite_buf_putc(&key, (char)('a' + (i / 26 - 1) % 26));
        cite_buf_putc(&key, (char)('a' + i % 26));
    }
    return cite_buf_detach(&key);
}

char *cite_make_key(const cite_library *lib, const cite_record *rec)
{
    cite_buf stem = CITE_BUF_INIT;
    key_stem(&stem, rec);
    const cite_field *issued = cite_record_field(rec, "issued");
    const cite_date *d = issued && issued->kind == CITE_VAR_DATE ? &issued->date : NULL;
    if (d && !d->literal && d->from.year) {
        /* the printed year letter belongs in the key: Cao 2002a is cao2002a, not the first of
         * cao2002, cao2002a */
        cite_buf_printf(&stem, "%d%s", d->from.year, d->suffix);
    } else {
        cite_buf_puts(&stem, "nd");
        /* "n.d.-a", "in press-b": the letter after the dash */
        const char *dash = d && d->literal ? strrchr(d->literal, '-') : NULL;
        if (dash && dash[1] >= 'a' && dash[1] <= 'z' && !dash[2])
            cite_buf_putc(&stem, dash[1]);
    }
    char *key = cite_buf_oom(&stem) ? NULL : cite_unique_key(lib, stem.ptr);
    cite_buf_dispose(&stem);
    return key;
}

int cite_key_needed(const cite_library *lib, const cite_record *rec, char **key)
{
    const cite_record *taken;
    bool empty = rec->id[0] == '\0';
    *key = NULL;
    if (!empty && cite_library_lookup(&taken, lib, rec->id) < 0)
        return 0;
    *key = empty ? cite_make_key(lib, rec) : cite_unique_key(lib, rec->id);
    return *key ? 0 : CITE_ENOMEM;
}
