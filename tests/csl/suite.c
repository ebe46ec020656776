/* suite.c: runs the CSL processor test suite (citation-style-language/test-suite,
 * processor-tests/humans/NAME.txt) through libcite and prints passed/total per category.
 *
 *   csl-suite [-v] [-o NAME] [--floor FILE] [--categories FILE] FIXTURES_DIR LOCALES_DIR
 *             [CATEGORIES.tsv]
 *
 * A fixture holds sections (>>== MODE ==>> ... <<== MODE ==<<): MODE (citation or
 * bibliography), CSL, INPUT (CSL-JSON), RESULT, and optionally CITATION-ITEMS (clusters,
 * rendered one a line) or CITATIONS (edits of a document, each a citation with the citations
 * before and after it: the document is rebuilt and rendered after each edit and printed as
 * citeproc-test-runner prints it, ">>[i] " before the citations the last edit changed and
 * "..[i] " before the others). Output is HTML, compared byte for byte with RESULT, as
 * citeproc-test-runner does.
 *
 * The category of a fixture is its name up to the first '_'; categories.tsv gives the order
 * of the categories of the humans/ folder (a category it lists and no fixture has is shown
 * with 0 passed). With
 * --floor, exits 1 when fewer fixtures pass than the number in FILE (the floor only rises:
 * raise it with the figure printed). -v prints each failure with expected and actual text;
 * -o runs only the fixtures whose name contains NAME. --categories names the categories that
 * matter most (tests/csl/apa-harvard-categories.txt: "category<TAB>floor<TAB>why" lines, '#'
 * comments): they are printed again as their own table, and the run fails when any of them
 * passes fewer fixtures than its own floor. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "csl.h"
#include "cslrun.h"

typedef struct fixture {
    char *mode, *csl, *input, *result, *citation_items, *citations;
} fixture;

static char *section(const char *text, const char *name)
{
    /* ">>=+ NAME =+>>" up to "<<=+ NAME =+<<" */
    const char *p = text;
    while ((p = strstr(p, ">>"))) {
        const char *q = p + 2;
        while (*q == '=')
            q++;
        while (*q == ' ')
            q++;
        size_t n = strlen(name);
        if (strncmp(q, name, n) == 0 && (q[n] == ' ' || q[n] == '=')) {
            const char *start = strchr(q, '\n');
            if (!start)
                return NULL;
            start++;
            const char *end = start;
            for (;;) {
                end = strstr(end, "<<");
                if (!end)
                    return NULL;
                const char *e = end + 2;
                while (*e == '=')
                    e++;
                while (*e == ' ')
                    e++;
                if (strncmp(e, name, n) == 0 && (e[n] == ' ' || e[n] == '='))
                    break;
                end += 2;
            }
            /* back to the start of the closing line, without its newline */
            const char *stop = end;
            while (stop > start && stop[-1] != '\n')
                stop--;
            if (stop > start)
                stop--;
            size_t len = stop > start ? (size_t)(stop - start) : 0;
            char *s = malloc(len + 1);
            memcpy(s, start, len);
            s[len] = '\0';
            return s;
        }
        p += 2;
    }
    return NULL;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    cite_buf b = CITE_BUF_INIT;
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
        cite_buf_put(&b, tmp, n);
    fclose(f);
    if (len)
        *len = b.len;
    return cite_buf_detach(&b);
}

/* ---- locales, loaded once each ---------------------------------------------------------- */

typedef struct cached {
    char name[32];
    cite_locale *loc; /* NULL when the file is missing */
} cached;

static cached cache[128];
static size_t ncache;
static const char *locales_dir;

static cite_locale *locale_named(const char *lang)
{
    for (size_t i = 0; i < ncache; i++)
        if (strcmp(cache[i].name, lang) == 0)
            return cache[i].loc;
    if (ncache == sizeof(cache) / sizeof(cache[0]))
        return NULL;
    char path[4096];
    snprintf(path, sizeof(path), "%s/locales-%s.xml", locales_dir, lang);
    cite_locale *loc = NULL;
    cite_diag *d = cite_diag_new();
    if (cite_locale_load(&loc, path, d) < 0)
        loc = NULL;
    cite_diag_free(d);
    snprintf(cache[ncache].name, sizeof(cache[ncache].name), "%s", lang);
    cache[ncache++].loc = loc;
    return loc;
}

/* ---- citation items ---------------------------------------------------------------------- */

static const char *jstr(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static int cluster(cite_buf *out, cite_formatter *f, json_t *arr, int note)
{
    size_t n = json_array_size(arr);
    cite_cite_item *items = calloc(n ? n : 1, sizeof(cite_cite_item));
    char numbuf[64][32], locbuf[64][32];
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        items[i].id = jstr(o, "id");
        json_t *id = json_object_get(o, "id");
        if (json_is_integer(id) && i < 64) {
            snprintf(numbuf[i], sizeof(numbuf[i]), "%lld", (long long)json_integer_value(id));
            items[i].id = numbuf[i];
        }
        items[i].locator = jstr(o, "locator");
        json_t *loc = json_object_get(o, "locator");
        if (json_is_integer(loc) && i < 64) { /* "locator": 328 is a locator too */
            snprintf(locbuf[i], sizeof(locbuf[i]), "%lld", (long long)json_integer_value(loc));
            items[i].locator = locbuf[i];
        }
        items[i].label = jstr(o, "label");
        items[i].prefix = jstr(o, "prefix");
        items[i].suffix = jstr(o, "suffix");
        items[i].suppress_author = json_is_true(json_object_get(o, "suppress-author"));
        items[i].author_only = json_is_true(json_object_get(o, "author-only"));
        /* citeproc-js's positions: 0 first, 1 subsequent, 2 ibid, 3 ibid-with-locator */
        json_t *pos = json_object_get(o, "position");
        if (json_is_integer(pos) && json_integer_value(pos) >= 0 && json_integer_value(pos) <= 3)
            items[i].position = (cite_position)(json_integer_value(pos) + 1);
        if (!items[i].id)
            items[i].id = "";
    }
    char *s = NULL;
    int rc = cite_format_citation(&s, f, items, n, note, CITE_OUTPUT_HTML);
    if (rc == 0)
        cite_buf_puts(out, s);
    cite_free_string(s);
    free(items);
    return rc;
}

/* ---- one fixture ------------------------------------------------------------------------- */

/* Adds to ids (a JSON object used as a set) the ids a cluster cites. */
static void note_cited(json_t *ids, json_t *cluster)
{
    for (size_t i = 0; i < json_array_size(cluster); i++) {
        json_t *id = json_object_get(json_array_get(cluster, i), "id");
        char num[32];
        if (json_is_integer(id))
            snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(id));
        const char *key = json_is_string(id)    ? json_string_value(id)
                          : json_is_integer(id) ? num
                                                : NULL;
        if (key)
            json_object_set_new(ids, key, json_true());
    }
}

/* The INPUT items as citeproc-test-runner registers them, as CSL-JSON (caller frees; NULL
 * when INPUT is no array): by id, a later item of an id replacing the earlier; in citation
 * mode only the cited items, so disambiguation sees those alone ("1986az" is the 52nd suffix
 * when 52 of 53 items are cited). */
static char *cited_input(const fixture *fx)
{
    bool cites = strncmp(fx->mode, "citation", 8) == 0 && (fx->citation_items || fx->citations);
    json_t *ids = json_object();
    if (fx->citation_items) {
        json_t *all = json_loads(fx->citation_items, 0, NULL);
        for (size_t i = 0; i < json_array_size(all); i++)
            note_cited(ids, json_array_get(all, i));
        json_decref(all);
    } else {
        json_t *all = json_loads(fx->citations, 0, NULL);
        for (size_t i = 0; i < json_array_size(all); i++) {
            json_t *c = json_array_get(json_array_get(all, i), 0);
            note_cited(ids, json_object_get(c, "citationItems"));
        }
        json_decref(all);
    }
    json_t *items = json_loads(fx->input, 0, NULL), *kept = json_array();
    json_t *at = json_object(); /* id -> index in kept */
    char *out = NULL;
    if (json_is_array(items) && (!cites || json_object_size(ids))) {
        for (size_t i = 0; i < json_array_size(items); i++) {
            json_t *it = json_array_get(items, i), *id = json_object_get(it, "id");
            char num[32];
            if (json_is_integer(id))
                snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(id));
            const char *key = json_is_string(id)    ? json_string_value(id)
                              : json_is_integer(id) ? num
                                                    : NULL;
            if (!key) { /* no id: kept as it is */
                json_array_append(kept, it);
                continue;
            }
            if (cites && !json_object_get(ids, key))
                continue;
            /* a second item of one id replaces the first where it stood (the runner keeps
             * items by id) */
            json_t *pos = json_object_get(at, key);
            if (pos) {
                json_array_set(kept, (size_t)json_integer_value(pos), it);
            } else {
                json_object_set_new(at, key, json_integer((json_int_t)json_array_size(kept)));
                json_array_append(kept, it);
            }
        }
        out = json_dumps(kept, 0);
    }
    json_decref(at);
    json_decref(items);
    json_decref(kept);
    json_decref(ids);
    return out;
}

/* A formatter for style and lib with the style's default locale (en-US when it has none),
 * then its language's primary dialect, then en-US, as citeproc-test-runner loads them. */
static int new_formatter(cite_formatter **f, const cite_style *style, const cite_library *lib)
{
    const char *lang = cite_style_get_default_locale(style);
    if (!lang)
        lang = "en-US";
    cite_locale *chain[3];
    size_t n = 0;
    cite_locale *l = locale_named(lang);
    if (l)
        chain[n++] = l;
    const char *primary = csl_primary_dialect(lang);
    if (strcmp(primary, lang) != 0 && (l = locale_named(primary)))
        chain[n++] = l;
    else if (strchr(lang, '-')) {
        char base[16];
        snprintf(base, sizeof(base), "%.*s", (int)(strchr(lang, '-') - lang), lang);
        const char *p2 = csl_primary_dialect(base);
        if (strcmp(p2, lang) != 0 && strcmp(p2, base) != 0 && (l = locale_named(p2)))
            chain[n++] = l;
    }
    if (strcmp(lang, "en-US") != 0 && (l = locale_named("en-US")))
        chain[n++] = l;
    return cite_formatter_new(f, style, chain, n, lang, lib);
}

/* ---- CITATIONS: a document edited one citation at a time --------------------------------- */

/* A citation of the document being replayed. */
typedef struct doc_cite {
    const char *id; /* citationID; borrowed from the fixture's JSON, as is cite */
    json_t *cite;   /* { citationItems, properties } */
    int note;       /* noteIndex, as the last edit placed it */
    char *text;     /* rendered after the last edit; owned */
    bool changed;   /* handed back by the last edit (">>") */
} doc_cite;

/* The id of a JSON value ("ITEM-1" or 1) in buf; NULL when it is neither. */
static const char *id_text(json_t *id, char *buf, size_t size)
{
    if (json_is_integer(id)) {
        snprintf(buf, size, "%lld", (long long)json_integer_value(id));
        return buf;
    }
    return json_is_string(id) ? json_string_value(id) : NULL;
}

/* The INPUT items the document cites, in the order it first cites them (citation-number
 * order), as CSL-JSON text (caller frees with cite_free); by_id maps ids to items. */
static char *doc_items(json_t *by_id, const doc_cite *doc, size_t n)
{
    json_t *seen = json_object(), *kept = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *items = json_object_get(doc[i].cite, "citationItems");
        for (size_t k = 0; k < json_array_size(items); k++) {
            char num[32];
            const char *id =
                id_text(json_object_get(json_array_get(items, k), "id"), num, sizeof(num));
            json_t *it = id ? json_object_get(by_id, id) : NULL;
            if (it && !json_object_get(seen, id)) {
                json_object_set_new(seen, id, json_true());
                json_array_append(kept, it);
            }
        }
    }
    char *text = json_dumps(kept, 0);
    json_decref(kept);
    json_decref(seen);
    return text;
}

/* The registry's state of every item of lib as "id" -> "cnum/suffix/names/..." strings. */
static json_t *item_states(cite_formatter *f, const cite_library *lib)
{
    json_t *states = json_object();
    for (size_t i = 0; i < cite_library_count(lib); i++) {
        const char *id = cite_record_get_id(cite_library_get(lib, i));
        cite_csl_item_state st;
        if (cite_csl_item_state_get(&st, f, id) < 0)
            continue;
        char text[128];
        snprintf(text, sizeof(text), "%d/%d/%d/%d/%d/%d", st.cnum, st.year_suffix, st.extra_names,
                 st.givenname_level, st.expanded, st.disambiguate);
        json_object_set_new(states, id, json_string(text));
    }
    return states;
}

/* Whether the registry's state of an item the citation cites differs between before and
 * after (an item new to the document does not count). */
static bool items_moved(json_t *cite, json_t *before, json_t *after)
{
    json_t *items = json_object_get(cite, "citationItems");
    for (size_t k = 0; k < json_array_size(items); k++) {
        char num[32];
        const char *id = id_text(json_object_get(json_array_get(items, k), "id"), num, sizeof(num));
        json_t *b = id ? json_object_get(before, id) : NULL;
        json_t *a = id ? json_object_get(after, id) : NULL;
        if (a && b && !json_equal(a, b))
            return true;
    }
    return false;
}

/* Takes the citation id out of old[0..n) (NULL when none has it). */
static doc_cite *take_cite(doc_cite *old, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (old[i].id && strcmp(old[i].id, id) == 0)
            return &old[i];
    return NULL;
}

/* The document after one edit [citation, citationsPre, citationsPost] (citeproc-js's
 * processCitationCluster): the citations named in pre, the new or changed citation, those
 * named in post, each with the note number the edit gives; the others are dropped. Texts
 * move from old to the result (old's entries lose them). Returns the count in *n. */
static doc_cite *edit_doc(doc_cite *old, size_t nold, json_t *edit, size_t *n)
{
    json_t *pre = json_array_get(edit, 1), *post = json_array_get(edit, 2);
    json_t *cite = json_array_get(edit, 0);
    size_t cap = json_array_size(pre) + json_array_size(post) + 1;
    doc_cite *doc = calloc(cap, sizeof(doc_cite));
    *n = 0;
    for (size_t side = 0; side < 3; side++) {
        json_t *list = side == 0 ? pre : side == 2 ? post : NULL;
        size_t count = side == 1 ? 1 : json_array_size(list);
        for (size_t k = 0; k < count; k++) {
            json_t *ref = side == 1 ? NULL : json_array_get(list, k);
            const char *id =
                side == 1 ? jstr(cite, "citationID") : json_string_value(json_array_get(ref, 0));
            doc_cite *was = id ? take_cite(old, nold, id) : NULL;
            doc_cite d = { .id = id };
            if (was) {
                d = *was;
                was->text = NULL;
                was->id = NULL;
            }
            if (side == 1) {
                d.cite = cite;
                json_t *ni = json_object_get(json_object_get(cite, "properties"), "noteIndex");
                d.note = json_is_integer(ni) ? (int)json_integer_value(ni) : 0;
            } else {
                json_t *ni = json_array_get(ref, 1);
                d.note = json_is_integer(ni) ? (int)json_integer_value(ni) : d.note;
            }
            if (d.cite)
                doc[(*n)++] = d;
            else
                free(d.text);
        }
    }
    return doc;
}

/* Renders the document doc[0..n) afresh: marks changed the citation the edit made (new_id),
 * those whose text differs from before, and those citing an item whose citation-number or
 * disambiguation moved, which is what citeproc-js hands back as updated. *states is
 * replaced by the registry's new state. */
static void render_doc(doc_cite *doc,
                       size_t n,
                       const char *new_id,
                       json_t *by_id,
                       const cite_style *style,
                       json_t **states)
{
    char *items = doc_items(by_id, doc, n);
    if (!items)
        return;
    cite_diag *diag = cite_diag_new();
    cite_library *lib = NULL;
    cite_formatter *f = NULL;
    /* a partial read (an item the reader refuses) still renders what it read */
    (void)cite_csljson_read(&lib, items, strlen(items), "input.json", diag);
    cite_free(items);
    if (lib && new_formatter(&f, style, lib) == 0) {
        json_t *now = item_states(f, lib);
        for (size_t i = 0; i < n; i++) {
            cite_buf one = CITE_BUF_INIT;
            int note = doc[i].note > 0 ? doc[i].note : (int)i + 1;
            cluster(&one, f, json_object_get(doc[i].cite, "citationItems"), note);
            char *text = cite_buf_detach(&one);
            doc[i].changed = strcmp(doc[i].id, new_id) == 0 || !doc[i].text ||
                             strcmp(doc[i].text, text) != 0 ||
                             items_moved(doc[i].cite, *states, now);
            free(doc[i].text);
            doc[i].text = strdup(text);
            cite_free(text);
        }
        json_decref(*states);
        *states = now;
    }
    cite_formatter_free(f);
    cite_library_free(lib);
    cite_diag_free(diag);
}

/* CITATIONS: replays the edits in order and prints the document as citeproc-test-runner
 * does, one citation a line: ">>[i] " for those the last edit handed back, "..[i] " for the
 * rest. */
static void replay(cite_buf *out, const fixture *fx, const cite_style *style)
{
    json_t *edits = json_loads(fx->citations, 0, NULL), *input = json_loads(fx->input, 0, NULL);
    json_t *by_id = json_object(), *states = json_object();
    for (size_t i = 0; i < json_array_size(input); i++) {
        json_t *it = json_array_get(input, i);
        char num[32];
        const char *id = id_text(json_object_get(it, "id"), num, sizeof(num));
        if (id)
            json_object_set(by_id, id, it); /* a later item of an id replaces the earlier */
    }
    doc_cite *doc = NULL;
    size_t n = 0;
    for (size_t e = 0; e < json_array_size(edits); e++) {
        json_t *edit = json_array_get(edits, e);
        const char *new_id = jstr(json_array_get(edit, 0), "citationID");
        size_t m = 0;
        doc_cite *next = edit_doc(doc, n, edit, &m);
        for (size_t i = 0; i < n; i++)
            free(doc[i].text);
        free(doc);
        doc = next;
        n = m;
        render_doc(doc, n, new_id ? new_id : "", by_id, style, &states);
    }
    for (size_t i = 0; i < n; i++) {
        if (i)
            cite_buf_putc(out, '\n');
        cite_buf_printf(out, "%s[%zu] %s", doc[i].changed ? ">>" : "..", i,
                        doc[i].text ? doc[i].text : "");
        free(doc[i].text);
    }
    free(doc);
    json_decref(states);
    json_decref(by_id);
    json_decref(input);
    json_decref(edits);
}

typedef struct ranked {
    const char *id;
    int cnum;
} ranked;

static int by_cnum(const void *a, const void *b)
{
    return ((const ranked *)a)->cnum - ((const ranked *)b)->cnum;
}

/* A fixture without CITATION-ITEMS cites every item once, in the order of citeproc-js's
 * registry as its test runner takes it (registry.reflist): the bibliography's order, which is
 * the order of the citation-numbers, unless the mode says nosort (then the input's). */
static json_t *registry_order(cite_formatter *f, const cite_library *lib, bool nosort)
{
    size_t count = cite_library_count(lib);
    ranked *r = calloc(count + 1, sizeof *r);
    for (size_t i = 0; r && i < count; i++) {
        cite_csl_item_state st = { .cnum = (int)i };
        r[i].id = cite_record_get_id(cite_library_get(lib, i));
        if (!nosort && cite_csl_item_state_get(&st, f, r[i].id) == 0)
            r[i].cnum = st.cnum;
        else
            r[i].cnum = (int)i;
    }
    if (r && !nosort)
        qsort(r, count, sizeof *r, by_cnum);
    json_t *arr = json_array();
    for (size_t i = 0; r && i < count; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(r[i].id));
        json_array_append_new(arr, o);
    }
    free(r);
    return arr;
}

static char *run_fixture(const fixture *fx, char **error)
{
    cite_diag *diag = cite_diag_new();
    cite_style *style = NULL;
    cite_library *lib = NULL;
    cite_formatter *f = NULL;
    cite_buf out = CITE_BUF_INIT;
    char *result = NULL;
    *error = NULL;
    if (cite_style_load_memory(&style, fx->csl, strlen(fx->csl), "fixture.csl", diag) < 0) {
        *error = strdup("style does not load");
        goto cleanup;
    }
    char *cited = cited_input(fx);
    const char *input = cited ? cited : fx->input;
    int read = cite_csljson_read(&lib, input, strlen(input), "input.json", diag);
    cite_free(cited); /* json_dumps allocates through the library's hooks */
    if (read < 0 && !lib) {
        *error = strdup("input does not load");
        goto cleanup;
    }
    if (new_formatter(&f, style, lib) < 0) {
        *error = strdup("out of memory");
        goto cleanup;
    }
    if (strncmp(fx->mode, "bibliography", 12) == 0) {
        char *s = NULL;
        if (cite_format_bibliography(&s, f, CITE_OUTPUT_HTML) == 0)
            cite_buf_puts(&out, s);
        cite_free_string(s);
    } else if (fx->citation_items) {
        json_t *all = json_loads(fx->citation_items, 0, NULL);
        for (size_t i = 0; i < json_array_size(all); i++) {
            if (i)
                cite_buf_putc(&out, '\n');
            cluster(&out, f, json_array_get(all, i), 0);
        }
        json_decref(all);
    } else if (fx->citations) {
        replay(&out, fx, style);
    } else {
        json_t *arr = registry_order(f, lib, strstr(fx->mode, "nosort") != NULL);
        cluster(&out, f, arr, 0);
        json_decref(arr);
    }
    result = cite_buf_detach(&out);
cleanup:
    cite_buf_dispose(&out);
    cite_formatter_free(f);
    cite_library_free(lib);
    cite_style_free(style);
    cite_diag_free(diag);
    return result;
}

/* ---- categories -------------------------------------------------------------------------- */

typedef struct category {
    char name[64];
    int pass, total;
} category;

static category cats[256];
static size_t ncats;

static category *cat_named(const char *name)
{
    for (size_t i = 0; i < ncats; i++)
        if (strcmp(cats[i].name, name) == 0)
            return &cats[i];
    if (ncats == sizeof(cats) / sizeof(cats[0]))
        return &cats[ncats - 1];
    snprintf(cats[ncats].name, sizeof(cats[ncats].name), "%s", name);
    return &cats[ncats++];
}

/* ---- the categories APA and Harvard need, each with its own floor ----------------------- */

typedef struct watched {
    char name[64];
    int floor;
} watched;

static watched watch[64];
static size_t nwatch;

/* Reads "category<TAB>floor<TAB>why" lines; '#' starts a comment line. */
static bool read_watched(const char *path)
{
    char *text = read_all(path, NULL);
    if (!text)
        return false;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#' || nwatch == sizeof(watch) / sizeof(watch[0]))
            continue;
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        snprintf(watch[nwatch].name, sizeof(watch[nwatch].name), "%.*s", (int)(tab - line), line);
        watch[nwatch++].floor = atoi(tab + 1);
    }
    free(text);
    return true;
}

/* Prints the watched categories; returns how many fell under their floor. */
static int report_watched(const char *path)
{
    int under = 0, pass = 0, total = 0;
    printf("\n%-16s %6s %6s %6s   (APA and Harvard, %s)\n", "category", "passed", "total", "floor",
           path);
    for (size_t i = 0; i < nwatch; i++) {
        category *c = cat_named(watch[i].name);
        const char *mark = c->pass < watch[i].floor   ? "  UNDER THE FLOOR"
                           : c->pass > watch[i].floor ? "  (raise the floor)"
                                                      : "";
        printf("%-16s %6d %6d %6d%s\n", c->name, c->pass, c->total, watch[i].floor, mark);
        under += c->pass < watch[i].floor;
        pass += c->pass;
        total += c->total;
    }
    printf("csl-suite: APA and Harvard categories: %d of %d fixtures match\n", pass, total);
    return under;
}

/* citeproc-js escapes & < > as "&#38;" "&#60;" "&#62;", we as "&amp;" "&lt;" "&gt;": the
 * same HTML. Rewrites s (a RESULT) in place to our spelling. */
static void named_entities(char *s)
{
    static const char *const pairs[][2] = { { "&#38;", "&amp;" },
                                            { "&#60;", "&lt;" },
                                            { "&#62;", "&gt;" } };
    char *w = s;
    for (const char *r = s; *r;) {
        size_t k = 0;
        while (k < 3 && strncmp(r, pairs[k][0], 5) != 0)
            k++;
        if (k < 3) {
            size_t l = strlen(pairs[k][1]);
            memcpy(w, pairs[k][1], l);
            w += l;
            r += 5;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    bool verbose = false;
    const char *only = NULL, *floor_file = NULL, *watch_file = NULL;
    const char *pos[3] = { NULL, NULL, NULL };
    size_t npos = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0)
            verbose = true;
        else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            only = argv[++i];
        else if (strcmp(argv[i], "--floor") == 0 && i + 1 < argc)
            floor_file = argv[++i];
        else if (strcmp(argv[i], "--categories") == 0 && i + 1 < argc)
            watch_file = argv[++i];
        else if (npos < 3)
            pos[npos++] = argv[i];
    }
    if (npos < 2) {
        fprintf(stderr, "usage: csl-suite [-v] [-o NAME] [--floor FILE] [--categories FILE] "
                        "FIXTURES_DIR LOCALES_DIR [CATEGORIES.tsv]\n");
        return 2;
    }
    if (watch_file && !read_watched(watch_file)) {
        fprintf(stderr, "csl-suite: cannot read %s\n", watch_file);
        return 2;
    }
    locales_dir = pos[1];
    if (pos[2]) { /* the categories, in the file's order */
        char *tsv = read_all(pos[2], NULL);
        for (char *line = tsv ? strtok(tsv, "\n") : NULL; line; line = strtok(NULL, "\n")) {
            char *tab = strchr(line, '\t');
            if (!tab || strncmp(line, "category\t", 9) == 0)
                continue;
            *tab = '\0';
            const char *folder = strchr(tab + 1, '\t');
            if (folder && strcmp(folder + 1, "humans") == 0) /* not off-spec/, experiments/ */
                cat_named(line);
        }
        free(tsv);
    }
    DIR *dir = opendir(pos[0]);
    if (!dir) {
        fprintf(stderr, "csl-suite: cannot open %s\n", pos[0]);
        return 2;
    }
    char **names = NULL;
    size_t nnames = 0, cap = 0;
    for (struct dirent *e; (e = readdir(dir));) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".txt") != 0)
            continue;
        if (only && !strstr(e->d_name, only))
            continue;
        if (nnames == cap) {
            cap = cap ? cap * 2 : 1024;
            names = realloc(names, cap * sizeof(char *));
        }
        names[nnames++] = strdup(e->d_name);
    }
    closedir(dir);
    qsort(names, nnames, sizeof(char *), cmp_names);
    int pass = 0, total = 0;
    for (size_t i = 0; i < nnames; i++) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", pos[0], names[i]);
        char *text = read_all(path, NULL);
        if (!text)
            continue;
        fixture fx = { section(text, "MODE"),           section(text, "CSL"),
                       section(text, "INPUT"),          section(text, "RESULT"),
                       section(text, "CITATION-ITEMS"), section(text, "CITATIONS") };
        char cat[64];
        snprintf(cat, sizeof(cat), "%.*s", (int)strcspn(names[i], "_"), names[i]);
        category *c = cat_named(cat);
        c->total++;
        total++;
        char *error = NULL, *actual = NULL;
        if (fx.mode && fx.csl && fx.input && fx.result) {
            char *m = fx.mode;
            while (*m == ' ' || *m == '\n')
                m++;
            memmove(fx.mode, m, strlen(m) + 1);
            actual = run_fixture(&fx, &error);
        } else {
            error = strdup("fixture lacks a section");
        }
        if (fx.result)
            named_entities(fx.result);
        bool ok = actual && fx.result && strcmp(actual, fx.result) == 0;
        if (ok) {
            c->pass++;
            pass++;
        } else if (verbose) {
            printf("FAIL %s%s%s\n  expected: %s\n  actual:   %s\n", names[i], error ? ": " : "",
                   error ? error : "", fx.result ? fx.result : "(none)",
                   actual ? actual : "(none)");
        }
        free(error);
        cite_free_string(actual);
        free(fx.mode);
        free(fx.csl);
        free(fx.input);
        free(fx.result);
        free(fx.citation_items);
        free(fx.citations);
        free(text);
        free(names[i]);
    }
    free(names);
    for (size_t i = 0; i < ncache; i++)
        cite_locale_free(cache[i].loc);
    printf("%-16s %6s %6s\n", "category", "passed", "total");
    for (size_t i = 0; i < ncats; i++)
        if (cats[i].total || !only)
            printf("%-16s %6d %6d\n", cats[i].name, cats[i].pass, cats[i].total);
    /* not "N passed, N failed": CI would read the fixtures still failing as failed tests */
    printf("csl-suite: %d of %d fixtures match (%.1f%%)\n", pass, total,
           total ? 100.0 * pass / total : 0.0);
    int status = 0;
    if (watch_file && !only) {
        int under = report_watched(watch_file);
        if (under) {
            printf("csl-suite: FAIL: %d of the APA and Harvard categories fell under their "
                   "floor (%s)\n",
                   under, watch_file);
            status = 1;
        }
    }
    if (floor_file && !only) {
        char *fl = read_all(floor_file, NULL);
        int floor = fl ? atoi(fl) : 0;
        free(fl);
        if (pass < floor) {
            printf("csl-suite: FAIL: %d matching is under the floor of %d (%s)\n", pass, floor,
                   floor_file);
            return 1;
        }
        if (pass > floor)
            printf("csl-suite: above the floor of %d: raise %s to %d\n", floor, floor_file, pass);
        else
            printf("csl-suite: at the floor (%s)\n", floor_file);
    }
    return status;
}
