/* ris.h: RIS, the tagged format of EndNote, Zotero, Mendeley, Web of Science and most
 * publishers' "download citation" links, as the reader (ris_read.c) and the writer
 * (ris_write.c) share it: reference types and tags. Internal.
 *
 * A record is a run of lines "TY  - JOUR" ... "ER  - ": a two-character tag, two spaces, a
 * hyphen, a space, the value. The RIS specification (Research Information Systems, 2011)
 * names the tags; what each means in practice is what EndNote and Zotero write. */
#ifndef CITE_RIS_H
#define CITE_RIS_H

#include "common.h"

/* The RIS reference type cite writes for a CSL type ("GEN" when RIS has none). */
const char *cite_ris_type_for(const char *csl_type);
/* The CSL type of a RIS reference type ("JOUR" -> "article-journal"), or NULL when unknown. */
const char *cite_ris_csl_type(const char *ris_type);

/* A RIS tag that carries one ordinary CSL variable, both ways. */
typedef struct cite_ris_tag {
    const char *tag;      /* "TI" */
    const char *variable; /* "title" */
} cite_ris_tag;

/* The tags cite writes for text variables, in the order written; count in *n. */
const cite_ris_tag *cite_ris_text_tags(size_t *n);

/* Fields that hold a RIS tag cite has no variable for are named "ris-" + the tag, so that an
 * export gives them back; repeated tags are joined by newlines. */
#define CITE_RIS_FIELD_PREFIX "ris-"

#endif
