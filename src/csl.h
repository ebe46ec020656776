/* csl.h: a CSL 1.0.2 style and its locales as a compact tree (internal header; the public
 * handles are cite_style and cite_locale in cite.h).
 *
 * A style is read once with libxml2 (csl.c) into nodes allocated from one arena: every
 * element becomes a csl_node whose attributes are enums, numbers and interned strings, a
 * <text macro="x"> holds the index of its macro, and the name options a <name> does not set
 * are left unset so that the engine (cslrun.c) can inherit them from <citation> or
 * <bibliography> and from <style> at render time (CSL 1.0.2, Inheritable Name Options). */
#ifndef CITE_CSL_H
#define CITE_CSL_H

#include "common.h"

/* ---- arena: everything a style or a locale holds lives in one ------------------------- */

typedef struct csl_chunk csl_chunk;
typedef struct csl_arena {
    csl_chunk *head;
} csl_arena;

void *csl_arena_alloc(csl_arena *a, size_t size); /* zeroed; NULL on OOM */
char *csl_arena_strdup(csl_arena *a, const char *s);
void csl_arena_dispose(csl_arena *a);

/* ---- enums ------------------------------------------------------------------------------ */

typedef enum csl_kind {
    CSL_LAYOUT,
    CSL_MACRO,
    CSL_TEXT,
    CSL_DATE,
    CSL_DATE_PART,
    CSL_NUMBER,
    CSL_NAMES,
    CSL_NAME,
    CSL_NAME_PART,
    CSL_ET_AL,
    CSL_SUBSTITUTE,
    CSL_LABEL,
    CSL_GROUP,
    CSL_CHOOSE,
    CSL_IF, /* also else-if and else (no tests, matches) */
    CSL_KEY,
} csl_kind;

enum { CSL_FS_NORMAL = 1, CSL_FS_ITALIC, CSL_FS_OBLIQUE };
enum { CSL_FV_NORMAL = 1, CSL_FV_SMALL_CAPS };
enum { CSL_FW_NORMAL = 1, CSL_FW_BOLD, CSL_FW_LIGHT };
enum { CSL_TD_NONE = 1, CSL_TD_UNDERLINE };
enum { CSL_VA_BASELINE = 1, CSL_VA_SUP, CSL_VA_SUB };
enum {
    CSL_DISPLAY_BLOCK = 1,
    CSL_DISPLAY_LEFT_MARGIN,
    CSL_DISPLAY_RIGHT_INLINE,
    CSL_DISPLAY_INDENT
};
enum {
    CSL_CASE_LOWER = 1,
    CSL_CASE_UPPER,
    CSL_CASE_CAPFIRST,
    CSL_CASE_CAPALL,
    CSL_CASE_SENTENCE,
    CSL_CASE_TITLE
};
/* text and term forms (also name forms: LONG, SHORT, COUNT) */
enum {
    CSL_FORM_LONG = 0,
    CSL_FORM_SHORT,
    CSL_FORM_VERB,
    CSL_FORM_VERB_SHORT,
    CSL_FORM_SYMBOL,
    CSL_FORM_COUNT
};
enum { CSL_SRC_NONE = 0, CSL_SRC_VARIABLE, CSL_SRC_MACRO, CSL_SRC_TERM, CSL_SRC_VALUE };
enum { CSL_DATE_FORM_NONE = 0, CSL_DATE_FORM_TEXT, CSL_DATE_FORM_NUMERIC };
enum { CSL_PARTS_YMD = 0, CSL_PARTS_YM, CSL_PARTS_Y };
enum { CSL_PART_YEAR = 1, CSL_PART_MONTH, CSL_PART_DAY };
/* date-part forms */
enum {
    CSL_DP_DEFAULT = 0,
    CSL_DP_LONG,
    CSL_DP_SHORT,
    CSL_DP_NUMERIC,
    CSL_DP_NUMERIC_LZ,
    CSL_DP_ORDINAL
};
enum { CSL_NUM_NUMERIC = 0, CSL_NUM_ORDINAL, CSL_NUM_LONG_ORDINAL, CSL_NUM_ROMAN };
enum { CSL_PLURAL_CONTEXTUAL = 0, CSL_PLURAL_ALWAYS, CSL_PLURAL_NEVER };
enum { CSL_MATCH_ALL = 0, CSL_MATCH_ANY, CSL_MATCH_NONE };
typedef enum csl_test_kind {
    CSL_T_TYPE,
    CSL_T_VARIABLE,
    CSL_T_IS_NUMERIC,
    CSL_T_IS_UNCERTAIN_DATE,
    CSL_T_LOCATOR,
    CSL_T_POSITION,
    CSL_T_DISAMBIGUATE,
} csl_test_kind;
/* name options */
enum { CSL_AND_NONE = 0, CSL_AND_TEXT, CSL_AND_SYMBOL };
enum { CSL_DP_CONTEXTUAL = 0, CSL_DP_AFTER_INVERTED, CSL_DP_ALWAYS, CSL_DP_NEVER };
enum { CSL_NASO_NONE = 0, CSL_NASO_FIRST, CSL_NASO_ALL };
enum { CSL_DEMOTE_DISPLAY_AND_SORT = 0, CSL_DEMOTE_SORT_ONLY, CSL_DEMOTE_NEVER };
enum {
    CSL_GIVENNAME_BY_CITE = 0,
    CSL_GIVENNAME_ALL_NAMES,
    CSL_GIVENNAME_ALL_NAMES_INITIALS,
    CSL_GIVENNAME_PRIMARY,
    CSL_GIVENNAME_PRIMARY_INITIALS
};
enum {
    CSL_SAS_COMPLETE_ALL = 0,
    CSL_SAS_COMPLETE_EACH,
    CSL_SAS_PARTIAL_EACH,
    CSL_SAS_PARTIAL_FIRST
};
enum {
    CSL_COLLAPSE_NONE = 0,
    CSL_COLLAPSE_CITATION_NUMBER,
    CSL_COLLAPSE_YEAR,
    CSL_COLLAPSE_YEAR_SUFFIX,
    CSL_COLLAPSE_YEAR_SUFFIX_RANGED
};
enum {
    CSL_PRF_NONE = 0,
    CSL_PRF_EXPANDED,
    CSL_PRF_MINIMAL,
    CSL_PRF_MINIMAL_TWO,
    CSL_PRF_CHICAGO,
    CSL_PRF_CHICAGO_16
};

/* Formatting, affixes and the other attributes any rendering element may carry. */
typedef struct csl_fmt {
    unsigned char font_style, font_variant, font_weight, text_decoration, vertical_align;
    unsigned char display, text_case;
    bool quotes, strip_periods;
    const char *prefix, *suffix; /* NULL when absent */
} csl_fmt;

/* Inheritable name options (CSL 1.0.2): each has a bit in `set` when the element gives it. */
enum {
    CSL_NO_AND = 1u << 0,
    CSL_NO_DELIMITER = 1u << 1,
    CSL_NO_DPEA = 1u << 2,
    CSL_NO_DPL = 1u << 3,
    CSL_NO_ET_AL_MIN = 1u << 4,
    CSL_NO_ET_AL_USE_FIRST = 1u << 5,
    CSL_NO_ET_AL_SUB_MIN = 1u << 6,
    CSL_NO_ET_AL_SUB_USE_FIRST = 1u << 7,
    CSL_NO_ET_AL_USE_LAST = 1u << 8,
    CSL_NO_FORM = 1u << 9,
    CSL_NO_INITIALIZE = 1u << 10,
    CSL_NO_INITIALIZE_WITH = 1u << 11,
    CSL_NO_NASO = 1u << 12,
    CSL_NO_SORT_SEPARATOR = 1u << 13,
};
typedef struct csl_name_opts {
    unsigned set;
    unsigned char and_, dpea, dpl, form, naso;
    bool et_al_use_last, initialize;
    int et_al_min, et_al_use_first, et_al_sub_min, et_al_sub_use_first;
    const char *delimiter, *initialize_with, *sort_separator;
} csl_name_opts;

typedef struct csl_test {
    csl_test_kind kind;
    const char *value; /* a type, variable, position ("first", "ibid"...) or "true"/"false" */
} csl_test;

typedef struct csl_node csl_node;
struct csl_node {
    csl_kind kind;
    unsigned line;
    csl_fmt fmt;
    const char *delimiter; /* group, layout, date, names */
    csl_node **kids;
    size_t nkids;

    /* text, number, label, date, key: the variable; term; value */
    unsigned char src; /* text: CSL_SRC_* */
    const char *variable;
    const char *term;
    const char *value;
    int macro;            /* text and key: macro index; -1 none */
    unsigned char form;   /* text/label/term form; number form; name form */
    unsigned char plural; /* label: CSL_PLURAL_*; text term: plural="true" -> ALWAYS */
    /* date */
    unsigned char date_form, date_parts;
    /* date-part */
    unsigned char part, part_form;
    const char *range_delimiter;
    /* names: its variables (space separated in the style), and its children by role */
    const char **vars;
    size_t nvars;
    csl_node *name, *et_al, *label, *substitute;
    bool label_before_name;
    /* name */
    csl_name_opts nopts;
    csl_node *part_given, *part_family; /* name-part children */
    /* if / else-if / else */
    unsigned char match;
    csl_test *tests;
    size_t ntests;
    bool is_else;
    /* key */
    bool descending;
    int names_min, names_use_first; /* 0 when unset */
    bool names_use_last, names_use_last_set;
};

typedef struct csl_macro {
    const char *name;
    csl_node *node; /* kind CSL_MACRO */
} csl_macro;

typedef struct csl_term {
    const char *name;
    unsigned char form;        /* CSL_FORM_* */
    unsigned char gender;      /* of a noun: 0 neuter/unset, 1 masculine, 2 feminine */
    unsigned char gender_form; /* ordinal terms: 0 any, 1 masculine, 2 feminine */
    unsigned char match; /* ordinal-NN: 0 last-digit (NN<10) or last-two-digits, 2 whole-number */
    const char *single, *multiple; /* multiple == single when the term has no plural */
} csl_term;

/* A locale: a locale file or a style's own <locale> element. */
struct cite_locale {
    csl_arena arena;
    const char *lang; /* xml:lang; NULL for a style's <locale> without one */
    csl_term *terms;  /* sorted by (name, form) once loaded */
    size_t nterms, capterms;
    csl_node *date_text, *date_numeric; /* <date form="..."> with its date-part children */
    signed char punctuation_in_quote;   /* -1 unset, 0, 1 */
    signed char limit_day_ordinals;     /* -1 unset, 0, 1 */
};

/* citation and bibliography */
typedef struct csl_context {
    bool present;
    csl_node *layout;
    csl_node **keys; /* <sort><key/>...</sort>; NULL when there is no sort */
    size_t nkeys;
    bool sorted; /* a <sort> element was present */
    csl_name_opts nopts;
    const char *names_delimiter;
    /* citation */
    bool add_names, add_givenname, add_year_suffix;
    unsigned char givenname_rule, collapse;
    const char *cite_group_delimiter, *year_suffix_delimiter, *after_collapse_delimiter;
    int near_note_distance;
    /* bibliography */
    bool hanging_indent, second_field_align_margin, second_field_align_flush;
    int line_spacing, entry_spacing;
    const char *subsequent_author_substitute; /* NULL when unset */
    unsigned char sas_rule;
} csl_context;

struct cite_style {
    csl_arena arena;
    const char *file;
    bool note_class; /* class="note"; else in-text */
    const char *default_locale;
    csl_name_opts nopts; /* <style> level */
    const char *names_delimiter;
    bool initialize_with_hyphen; /* default true */
    unsigned char demote_ndp, page_range_format;
    csl_macro *macros;
    size_t nmacros;
    csl_context citation, bibliography;
    cite_locale **locales; /* the style's own <locale> elements, in order */
    size_t nlocales;
    bool uses_year_suffix;     /* some <text variable="year-suffix"> */
    bool uses_citation_number; /* some <text variable="citation-number"> (a numeric style) */
};

/* The term name in form (falling back as CSL 1.0.2 says: verb-short -> verb -> long,
 * symbol -> short -> long, short -> long) through the chain of locales, first wins. NULL when
 * none defines it. */
const csl_term *csl_term_lookup(cite_locale *const *chain, size_t n, const char *name, int form);
/* The ordinal suffix term for number n ("ordinal-01", "ordinal"...), gender_form 0 any. */
const csl_term *
csl_ordinal_lookup(cite_locale *const *chain, size_t nchain, long n, int gender, bool long_form);

/* The primary dialect of a bare language ("de" -> "de-DE", "en" -> "en-US"); any other lang
 * is returned as it is. Static storage or lang itself. */
const char *csl_primary_dialect(const char *lang);

#endif
