/*
 * json.h: JSON strings, escaped once for every program
 *
 * kotad's webhook bodies, the templates' JSON escape and kotaweb's Open311
 * answers write JSON strings through these, so one rule decides what is
 * escaped: '"', '\' and the control characters below 0x20 (as \n, \r, \t
 * or \u00XX); every other byte, UTF-8 included, is copied as it is.
 */
#ifndef KOTA_JSON_H
#define KOTA_JSON_H

#include <stddef.h>

#include "strbuf.h"

/* Append n bytes of s to sb, escaped for inside a JSON string. */
void	json_escape(struct strbuf *sb, const char *s, size_t n);

/* Append s as a JSON string with its quotes; NULL as null. */
void	json_str(struct strbuf *sb, const char *s);

#endif
