/* sarif.c: cite check --format sarif: the findings as SARIF 2.1.0 (OASIS Static Analysis
 * Results Interchange Format), in the subset GitHub code scanning reads, so that a repository
 * of manuscripts shows citation problems on its pull requests.
 *
 * One run; tool.driver names cite, its version and one rule per kind of finding that occurs
 * (rule id = the finding's flag, as -Wno-FLAG spells it). Each result has ruleId, ruleIndex,
 * level, message.text, and one physical location: the document's path as given (a relative
 * URI reference, percent-encoded where a URI needs it) and a region whose startLine and
 * startColumn are the place in the original (run.columnKind "unicodeCodePoints": cite's
 * columns count code points). For .docx and .odt the region is paragraph:character, the
 * message ends with the paragraph's description, since no viewer shows the file's lines. An
 * uncited reference points at the reference's line. partialFingerprints carries a hash of the
 * rule, the message and its occurrence, stable while the text of the finding is. */
#include <jansson.h>
#include <string.h>

#include "cli.h"

static const struct {
    const char *flag, *text, *level;
} RULES[] = {
    { "unresolved", "A citation matches no entry of the reference list", "error" },
    { "ambiguous", "A citation matches several entries of the reference list", "error" },
    { "near-miss", "A citation matches no entry, but one that differs slightly", "warning" },
    { "uncited", "An entry of the reference list is never cited", "warning" },
    { "diacritics", "A citation and its entry differ in accents", "warning" },
    { "et-al-for-2-authors", "'et al.' for a work with fewer than three authors", "warning" },
    { "etal-punctuation", "'et al.' written without its full stop", "warning" },
    { "separator-comma", "Works of one parenthesis separated by ',' instead of ';'", "warning" },
    { "separator-and", "Works of one parenthesis separated by 'and' instead of ';'", "warning" },
    { "duplicate-in-group", "The same work cited twice in one parenthesis", "warning" },
    { "comma-missing", "No comma between the year and the page", "warning" },
    { "apa:and-in-parenthetical", "APA joins authors with '&' inside parentheses", "warning" },
    { "apa:amp-in-narrative", "APA joins authors with 'and' in running text", "warning" },
    { "apa7:use-et-al-3plus", "APA 7 cites three or more authors with 'et al.'", "warning" },
    { "apa:order-alphabetical", "APA orders the works of one parenthesis alphabetically",
      "warning" },
    { "apa:comma-missing", "APA puts a comma between author and year", "warning" },
    { "harvard:list-all-3-authors", "Harvard (Cite Them Right) names all three authors",
      "warning" },
};

static const char *level_of(cite_severity sev)
{
    return sev == CITE_SEV_ERROR ? "error" : sev == CITE_SEV_WARNING ? "warning" : "note";
}

/* The rule of flag: its description, or one made from the flag for a kind added later. */
static json_t *rule_json(const char *flag, cite_severity sev)
{
    for (size_t i = 0; i < sizeof RULES / sizeof *RULES; i++)
        if (!strcmp(RULES[i].flag, flag))
            return json_pack("{s:s, s:{s:s}, s:{s:s}}", "id", flag, "shortDescription", "text",
                             RULES[i].text, "defaultConfiguration", "level", RULES[i].level);
    char text[160];
    snprintf(text, sizeof text, "cite check finding '%s'", flag);
    return json_pack("{s:s, s:{s:s}, s:{s:s}}", "id", flag, "shortDescription", "text", text,
                     "defaultConfiguration", "level", level_of(sev));
}

/* The index of flag's rule in rules, added when new. */
static size_t rule_index(json_t *rules, const char *flag, cite_severity sev)
{
    size_t i;
    json_t *r;
    json_array_foreach (rules, i, r) {
        if (!strcmp(json_string_value(json_object_get(r, "id")), flag))
            return i;
    }
    json_array_append_new(rules, rule_json(flag, sev));
    return json_array_size(rules) - 1;
}

/* A path as a URI reference: RFC 3986 unreserved characters and '/' as they are, every other
 * byte percent-encoded. Caller frees. */
static char *path_uri(const char *path)
{
    size_t n = strlen(path);
    char *uri = malloc(3 * n + 1), *o = uri;
    if (!uri)
        return NULL;
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p))
            *o++ = (char)*p;
        else
            o += sprintf(o, "%%%02X", *p);
    }
    *o = '\0';
    return uri;
}

/* 64-bit FNV-1a of the parts, NUL-separated. */
static unsigned long long fingerprint(const char *const *parts, size_t n, unsigned occurrence)
{
    unsigned long long h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++)
        for (const unsigned char *p = (const unsigned char *)parts[i];; p++) {
            h = (h ^ *p) * 0x100000001b3ULL;
            if (!*p)
                break;
        }
    return (h ^ occurrence) * 0x100000001b3ULL;
}

/* How many earlier findings have the same flag and message (a fingerprint must tell repeated
 * findings apart). */
static unsigned occurrence(const cite_check *ck, size_t i)
{
    const cite_finding *f = cite_check_get_finding(ck, i);
    unsigned n = 0;
    for (size_t k = 0; k < i; k++) {
        const cite_finding *g = cite_check_get_finding(ck, k);
        n += !strcmp(g->flag, f->flag) && !strcmp(g->message, f->message);
    }
    return n;
}

static json_t *result_json(const cite_check *ck,
                           size_t i,
                           const cite_document *doc,
                           const char *doc_path,
                           const char *bib_path,
                           json_t *rules)
{
    const cite_finding *f = cite_check_get_finding(ck, i);
    const char *doc_name = cli_input_name(doc_path);
    bool in_doc = !f->at.file || !strcmp(f->at.file, doc_name);
    const char *path = in_doc ? doc_path : f->at.file ? f->at.file : bib_path;
    cite_doc_place at = cli_place(doc, doc_name, f->at);
    char *uri = path_uri(path ? path : doc_path), *where = NULL;
    json_t *message = json_string(f->message);
    if (in_doc && cite_document_describe(&where, doc, &at) == 0) {
        json_decref(message);
        message = json_sprintf("%s [%s]", f->message, where);
    }
    json_t *region = json_object();
    if (at.line)
        json_object_set_new(region, "startLine", json_integer(at.line));
    if (at.line && at.col)
        json_object_set_new(region, "startColumn", json_integer(at.col));
    json_t *physical = json_pack("{s:{s:s?}}", "artifactLocation", "uri", uri ? uri : "document");
    if (at.line)
        json_object_set_new(physical, "region", region);
    else
        json_decref(region);
    char hash[17];
    const char *parts[] = { f->flag, f->message };
    snprintf(hash, sizeof hash, "%016llx", fingerprint(parts, 2, occurrence(ck, i)));
    json_t *result =
        json_pack("{s:s, s:I, s:s, s:{s:o}, s:[{s:o}], s:{s:s}}", "ruleId", f->flag, "ruleIndex",
                  (json_int_t)rule_index(rules, f->flag, f->severity), "level",
                  level_of(f->severity), "message", "text", message, "locations",
                  "physicalLocation", physical, "partialFingerprints", "citeFinding/v1", hash);
    free(uri);
    cite_free_string(where);
    return result;
}

int cli_write_sarif(FILE *out,
                    const cite_check *ck,
                    const cite_document *doc,
                    const char *doc_path,
                    const char *bib_path,
                    bool (*silenced)(const char *flag, const void *ctx),
                    const void *ctx)
{
    json_t *rules = json_array(), *results = json_array();
    for (size_t i = 0; i < cite_check_finding_count(ck); i++) {
        const cite_finding *f = cite_check_get_finding(ck, i);
        if (!silenced(f->flag, ctx))
            json_array_append_new(results, result_json(ck, i, doc, doc_path, bib_path, rules));
    }
    json_t *root = json_pack("{s:s, s:s, s:[{s:{s:{s:s, s:s, s:s, s:o}}, s:s, s:o}]}", "$schema",
                             "https://json.schemastore.org/sarif-2.1.0.json", "version", "2.1.0",
                             "runs", "tool", "driver", "name", "cite", "version", CITE_VERSION,
                             "semanticVersion", CITE_VERSION, "rules", rules, "columnKind",
                             "unicodeCodePoints", "results", results);
    if (!root)
        return CITE_ENOMEM;
    int rc = json_dumpf(root, out, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    fputc('\n', out);
    json_decref(root);
    return rc ? CITE_EIO : 0;
}
