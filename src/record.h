/* record.h: the record model (the CSL data model) and the library of records. Internal: the
 * public API in cite.h sees these types as opaque.
 *
 * A record is an id, a CSL type and an ordered list of fields. A field is a CSL variable
 * (ordinary text, a name list or a date) or, so that nothing an importer read is lost, any
 * other named value (`subtitle`, `file`, a custom field), kept as text.
 *
 * Text values are UTF-8 with an optional inline markup, the tags of markup.h (<i>, <b>, <sc>,
 * <sup>, <sub>, <nocase>, <math>, <tex>), as CSL-JSON carries rich text in strings. */
#ifndef CITE_RECORD_H
#define CITE_RECORD_H

#include "common.h"

struct cite_buf;

typedef enum cite_var_kind {
    CITE_VAR_UNKNOWN, /* not a CSL variable: kept as text under its own name */
    CITE_VAR_TEXT,    /* ordinary (standard or number) variable */
    CITE_VAR_NAMES,   /* name variable: ordered list of cite_name */
    CITE_VAR_DATE,    /* date variable: cite_date */
} cite_var_kind;

/* The kind of a CSL 1.0.2 variable name ("title", "author", "issued"...). */
cite_var_kind cite_var_kind_of(const char *name);
/* True when type is a CSL 1.0.2 item type. */
bool cite_csl_type_valid(const char *type);

/* One person or organisation (CSL 1.0.2, Name-part order). Every part owned; NULL if absent. */
typedef struct cite_name {
    char *family;
    char *given;
    char *non_dropping_particle; /* "van der" of "van der Berg", BibTeX's von part */
    char *dropping_particle;     /* "de" of "Jean de La Fontaine" as CSL writes it */
    char *suffix;                /* "Jr." */
    char *literal;               /* an organisation or any name not split into parts */
    bool others;                 /* BibTeX's "and others": stands for more names */
    /* CSL-JSON's name flags, kept for the formatter (citeproc-js reads them the same way) */
    bool comma_suffix;       /* "comma-suffix": a comma before the suffix, "Doe, Jr." */
    bool static_ordering;    /* "static-ordering": the given name never follows the family */
    bool institution;        /* citeproc-js "isInstitution": family is an organisation */
    signed char parse_names; /* "parse-names": 0 absent, 1 true, -1 false (keep particles) */
} cite_name;

void cite_name_dispose(cite_name *n);
/* Deep copy into *dst. 0 or CITE_ENOMEM (dst then empty). */
int cite_name_copy(cite_name *dst, const cite_name *src);
bool cite_name_equal(const cite_name *a, const cite_name *b);

/* A date (CSL 1.0.2, Date-part variables): one point or a range of two. Numbers are 0 when
 * absent. A date that is no such thing ("n.d.", "in press", "Spring 2020 or so") is kept
 * whole as literal. */
typedef struct cite_date_part {
    int year;             /* 0 absent; negative for BCE */
    unsigned char month;  /* 1-12 */
    unsigned char day;    /* 1-31 */
    unsigned char season; /* 1 spring, 2 summer, 3 autumn, 4 winter */
} cite_date_part;

typedef struct cite_date {
    cite_date_part from, to; /* to.year == 0 unless a range */
    bool open_end;           /* a range with no end, 1987/.. in EDTF; to is then empty */
    bool circa;
    char suffix[8]; /* year suffix: "a" of 2021a; "" when none */
    char *literal;  /* owned; NULL unless the date is literal */
} cite_date;

void cite_date_dispose(cite_date *d);
int cite_date_copy(cite_date *dst, const cite_date *src);
bool cite_date_equal(const cite_date *a, const cite_date *b);
/* Parses the store's date text: YYYY[suffix][-MM[-DD]] or YYYY-SS (SS 21..24, a season), a
 * trailing ~ for circa, two such joined by / for a range, one followed by /.. (EDTF) for a
 * range with no end; anything else becomes a literal.
 * Returns 0 or CITE_ENOMEM. */
int cite_date_parse(cite_date *out, const char *text, size_t len);
/* Appends the store's date text for d (the inverse of cite_date_parse). */
void cite_date_format(struct cite_buf *out, const cite_date *d);

/* Is the page value one range ("47-65", "47–65", "47--65", "e12–e19")? Then the first page is
 * page[0, *first_end) and the last starts at *last_start (spaces around the dash left out).
 * False for a single page, a list ("3, 7-9") and a range with an end missing ("9-"). */
bool cite_page_range(const char *page, size_t *first_end, size_t *last_start);

/* An attribute kept verbatim because cite does not know it. */
typedef struct cite_attr {
    char *name;
    char *value;
} cite_attr;

typedef struct cite_field {
    char *name; /* CSL variable name, or the importer's own name when kind is UNKNOWN */
    cite_var_kind kind;
    char *text;       /* TEXT and UNKNOWN */
    cite_name *names; /* NAMES */
    size_t nnames;
    cite_date date;   /* DATE */
    cite_attr *attrs; /* unknown XML attributes of the field's element, in order */
    size_t nattrs;
} cite_field;

struct cite_record {
    char *id;
    char *type;    /* CSL type */
    char *bibtype; /* the BibTeX entry type when the CSL type does not imply it; or NULL */
    cite_field *fields;
    size_t nfields, capfields;
    cite_attr *attrs; /* unknown attributes of <entry> */
    size_t nattrs;
    char **foreign; /* unknown child elements of <entry>, serialised XML, in order */
    size_t nforeign;
    char *source; /* the original text of a parsed reference, or NULL */
    char *source_file;
    unsigned source_line; /* 1-based line where the record starts in source_file; 0 unknown */
};

/* A new record with id and type copied (type defaults to "document" when NULL). Caller owns;
 * free with cite_record_free(). NULL on OOM. */
cite_record *cite_record_new(const char *id, const char *type);
void cite_record_free(cite_record *rec);
/* Deep copy. NULL on OOM. */
cite_record *cite_record_copy(const cite_record *rec);
int cite_record_set_id(cite_record *rec, const char *id);
int cite_record_set_type(cite_record *rec, const char *type);

/* The field called name, borrowed; NULL when absent. */
const cite_field *cite_record_field(const cite_record *rec, const char *name);
cite_field *cite_record_field_mut(cite_record *rec, const char *name);
/* Sets a text field (kind from cite_var_kind_of; a name or date variable given as text is
 * stored as UNKNOWN-free TEXT only if its kind is TEXT/UNKNOWN: use the typed setters for
 * names and dates). Replaces an existing field of that name in place. Copies text. */
int cite_record_set_text(cite_record *rec, const char *name, const char *text);
/* Appends a copy of *name to the name variable var, creating the field at the end. */
int cite_record_add_name(cite_record *rec, const char *var, const cite_name *name);
/* Takes ownership of names[0..n) (the array too, allocated with cite_malloc) and stores them
 * as the name variable var, replacing any existing one. On failure frees them. */
int cite_record_take_names(cite_record *rec, const char *var, cite_name *names, size_t n);
/* Stores a copy of *date as var, replacing any existing one. */
int cite_record_set_date(cite_record *rec, const char *var, const cite_date *date);
/* Removes the field called name; no-op when absent. */
void cite_record_remove(cite_record *rec, const char *name);
/* Appends a copy of the unknown attribute to rec->attrs or to a field's attrs. */
int cite_attrs_add(cite_attr **attrs, size_t *n, const char *name, const char *value);
/* Appends a copy of an unknown child element (serialised XML). */
int cite_record_add_foreign(cite_record *rec, const char *xml);
/* Appends a copy of s to the string array *list of *n strings (grown with cite_realloc). */
int cite_strings_add(char ***list, size_t *n, const char *s);

/* What a BibTeX file holds besides entries, kept so that an export gives it back. */
typedef enum cite_extra_kind { CITE_EXTRA_PREAMBLE, CITE_EXTRA_COMMENT } cite_extra_kind;

typedef struct cite_extra {
    cite_extra_kind kind;
    char *text; /* raw LaTeX of @preamble (macros expanded), or the body of @comment */
} cite_extra;

struct cite_library {
    cite_record **records;
    size_t count, cap;
    size_t *index; /* open addressing over records by id: slot holds position + 1; 0 = empty */
    size_t index_cap;
    cite_attr *attrs; /* unknown attributes of <bibliography> */
    size_t nattrs;
    char **foreign; /* unknown top-level elements, serialised XML */
    size_t nforeign;
    cite_extra *extras; /* @preamble and @comment blocks, in file order */
    size_t nextras;
};

/* Appends a copy of text as a library-level @preamble or @comment. 0 or CITE_ENOMEM. */
int cite_library_add_extra(cite_library *lib, cite_extra_kind kind, const char *text);

/* Adds rec to the library, taking ownership. CITE_EEXISTS when its id is taken (rec is then
 * not taken: the caller still owns it), CITE_ENOMEM (rec is freed). */
int cite_library_add(cite_library *lib, cite_record *rec);
/* The mutable record with that id, or NULL. */
cite_record *cite_library_find(cite_library *lib, const char *id);

#endif
