/* schema.h: the RELAX NG schema of the XML store (bib/cite.rng), compiled into the library by
 * tools/embed.sh. */
#ifndef CITE_SCHEMA_H
#define CITE_SCHEMA_H

#include <stddef.h>

extern const char cite_rng_schema[];     /* NUL-terminated */
extern const size_t cite_rng_schema_len; /* bytes, without the NUL */

#endif
