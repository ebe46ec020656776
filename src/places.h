/* places.h: is this the name of a place? Reference lists put a conference's or a publisher's
 * place after a comma ("Proc. of X, San Jose, CA, 1992"); knowing the common places lets the
 * parser tell them from the end of a title or a container. Internal header. */
#ifndef CITE_PLACES_H
#define CITE_PLACES_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..len) names a place on its own: a country, a US state or Canadian province
 * (by name or postal code), or a city often seen in reference lists ("Berlin", "New York",
 * "Calif."). Exact case; a trailing period and spaces around are ignored. */
bool cite_place_word(const char *s, size_t len);

/* The start of the place that ends s[0..len): "..., San Jose, CA" -> the offset of "San";
 * "..., Amsterdam, The Netherlands" -> "Amsterdam"; "..., Berlin" -> "Berlin". A place is one
 * or two comma-separated segments each of which cite_place_word knows, or a capitalised
 * "City" followed by a known state, province or country. Returns len when s does not end in
 * a place, or when the place is all of s. */
size_t cite_place_tail(const char *s, size_t len);

/* True when all of s[0..len) is a place: a known one, or "City, Region" ("White Plains, NY",
 * "Sydney, Australia"). */
bool cite_place_whole(const char *s, size_t len);

#endif
