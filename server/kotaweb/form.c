/*
 * form.c: the parameters of a request, from a query string or a form body
 *
 * Pure code, without MHD or the database, so that the unit test and the
 * fuzz target (tests/fuzz/fuzz_form.c) run it as kotaweb does.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "i18n.h"
#include "json.h"
#include "xmalloc.h"

#define FORM_NAME_SHOWN	64	/* bytes of a parameter's name in a message */

void
form_init(struct form *f)
{
	memset(f, 0, sizeof *f);
}

void
form_release(struct form *f)
{
	size_t	i;

	for (i = 0; i < f->n; i++) {
		free(f->pairs[i].key);
		free(f->pairs[i].value);
	}
	free(f->pairs);
	for (i = 0; i < f->nerrors && i < FORM_MAX_ERRORS; i++)
		free(f->errors[i]);
	memset(f, 0, sizeof *f);
}

static void	form_error(struct form *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void
form_error(struct form *f, const char *fmt, ...)
{
	va_list	ap;
	char	buf[256];

	if (f->nerrors < FORM_MAX_ERRORS) {
		va_start(ap, fmt);
		vsnprintf(buf, sizeof buf, fmt, ap);
		va_end(ap);
		f->errors[f->nerrors] = xstrdup(buf);
	}
	f->nerrors++;
}

static int
form_hex(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
form_decode(const char *s, size_t n, bool plus, struct strbuf *out)
{
	size_t	i, run = 0;
	int	hi, lo;
	char	c;

	for (i = 0; i < n; i++) {
		if (s[i] != '%' && !(plus && s[i] == '+')) {
			run++;
			continue;
		}
		if (run > 0)
			strbuf_add(out, s + i - run, run);
		run = 0;
		if (s[i] == '+') {
			strbuf_add(out, " ", 1);
			continue;
		}
		if (n - i < 3)
			return -1;
		if ((hi = form_hex((unsigned char)s[i + 1])) < 0 ||
		    (lo = form_hex((unsigned char)s[i + 2])) < 0)
			return -1;
		c = (char)(hi << 4 | lo);
		strbuf_add(out, &c, 1);
		i += 2;
	}
	if (run > 0)
		strbuf_add(out, s + n - run, run);
	return 0;
}

bool
form_utf8_valid(const char *s, size_t n)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i = 0, k, len;
	unsigned long		 cp;

	while (i < n) {
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		if (u[i] >= 0xc2 && u[i] <= 0xdf) {
			len = 2;
			cp = u[i] & 0x1f;
		} else if ((u[i] & 0xf0) == 0xe0) {
			len = 3;
			cp = u[i] & 0x0f;
		} else if (u[i] >= 0xf0 && u[i] <= 0xf4) {
			len = 4;
			cp = u[i] & 0x07;
		} else
			return false;
		if (n - i < len)
			return false;
		for (k = 1; k < len; k++) {
			if ((u[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (u[i + k] & 0x3f);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return false;
		i += len;
	}
	return true;
}

/* How many bytes of a valid UTF-8 s to show: at most max, whole characters. */
static int
form_shown(const char *s)
{
	size_t	n = strlen(s);

	if (n <= FORM_NAME_SHOWN)
		return (int)n;
	n = FORM_NAME_SHOWN;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return (int)n;
}

/*
 * Check a decoded pair and keep it when its value is not empty; errors
 * name the parameter when its name can be shown.  0 or 1 (an error).
 */
static int
form_keep(struct form *f, const char *key, size_t keylen, const char *value,
    size_t len, bool bad_escape)
{
	bool	key_ok;

	key_ok = memchr(key, '\0', keylen) == NULL &&
	    form_utf8_valid(key, keylen);
	if (!key_ok) {
		form_error(f, "%s", _("a parameter's name is not valid UTF-8 text"));
		return 1;
	}
	if (bad_escape) {
		form_error(f, _("parameter '%.*s' has a malformed percent escape (%% must be followed by two hexadecimal digits)"),
		    form_shown(key), key);
		return 1;
	}
	if (memchr(value, '\0', len) != NULL) {
		form_error(f, _("parameter '%.*s' contains a NUL character"),
		    form_shown(key), key);
		return 1;
	}
	if (!form_utf8_valid(value, len)) {
		form_error(f, _("parameter '%.*s' is not valid UTF-8 text"),
		    form_shown(key), key);
		return 1;
	}
	if (keylen == 0 || len == 0)
		return 0;
	if (f->n == f->cap) {
		f->cap = f->cap == 0 ? 16 : f->cap * 2;
		f->pairs = xreallocarray(f->pairs, f->cap, sizeof *f->pairs);
	}
	f->pairs[f->n].key = xstrndup(key, keylen);
	f->pairs[f->n].value = xstrndup(value, len);
	f->n++;
	return 0;
}

int
form_add(struct form *f, const char *key, size_t keylen, const char *value,
    size_t len)
{
	if (++f->seen > FORM_MAX_PAIRS) {
		if (f->seen == FORM_MAX_PAIRS + 1)
			form_error(f, _("too many parameters (at most %d)"),
			    FORM_MAX_PAIRS);
		return 1;
	}
	return form_keep(f, key, keylen, value, len, false);
}

int
form_parse(struct form *f, const char *s, size_t n)
{
	struct strbuf	 key = STRBUF_INIT, value = STRBUF_INIT;
	const char	*p = s, *end = s + n, *amp, *eq;
	size_t		 before = f->nerrors;
	bool		 bad;

	while (p < end) {
		amp = memchr(p, '&', (size_t)(end - p));
		if (amp == NULL)
			amp = end;
		if (amp == p) {
			p++;
			continue;
		}
		if (++f->seen > FORM_MAX_PAIRS) {
			if (f->seen == FORM_MAX_PAIRS + 1)
				form_error(f, _("too many parameters (at most %d)"),
				    FORM_MAX_PAIRS);
			break;
		}
		eq = memchr(p, '=', (size_t)(amp - p));
		if (eq == NULL)
			eq = amp;
		strbuf_reset(&key);
		strbuf_reset(&value);
		/* a name that cannot be decoded cannot be named either */
		if (form_decode(p, (size_t)(eq - p), true, &key) != 0) {
			form_error(f, "%s",
			    _("a parameter's name has a malformed percent escape"));
			p = amp + (amp < end);
			continue;
		}
		bad = eq < amp && form_decode(eq + 1, (size_t)(amp - eq - 1),
		    true, &value) != 0;
		form_keep(f, strbuf_str(&key), key.len, strbuf_str(&value),
		    value.len, bad);
		p = amp + (amp < end);
	}
	strbuf_release(&key);
	strbuf_release(&value);
	return (int)(f->nerrors - before);
}

const char *
form_next(const struct form *f, const char *key, size_t *pos)
{
	for (; *pos < f->n; (*pos)++)
		if (strcmp(f->pairs[*pos].key, key) == 0)
			return f->pairs[(*pos)++].value;
	return NULL;
}

const char *
form_get(const struct form *f, const char *key)
{
	size_t	pos = 0;

	return form_next(f, key, &pos);
}

/*
 * The code of an attribute key, "attribute[code]" or "attribute[code][]":
 * its length (0: not an attribute key), *multi when it ends in [].
 */
static size_t
form_attr_code(const char *key, const char **code, bool *multi)
{
	const char	*p, *close;

	if (strncmp(key, "attribute[", 10) != 0)
		return 0;
	p = key + 10;
	close = strchr(p, ']');
	if (close == NULL || close == p || memchr(p, '[', (size_t)(close - p))
	    != NULL)
		return 0;
	if (close[1] == '\0')
		*multi = false;
	else if (strcmp(close + 1, "[]") == 0)
		*multi = true;
	else
		return 0;
	*code = p;
	return (size_t)(close - p);
}

int
form_attributes_json(const struct form *f, struct strbuf *sb)
{
	const char	*code, *other;
	size_t		 i, j, len, olen, count;
	bool		 multi, omulti, done;
	int		 ncodes = 0;

	strbuf_adds(sb, "{");
	for (i = 0; i < f->n; i++) {
		if ((len = form_attr_code(f->pairs[i].key, &code, &multi)) == 0)
			continue;
		/* once per code, at its first occurrence */
		done = false;
		for (j = 0; j < i && !done; j++) {
			olen = form_attr_code(f->pairs[j].key, &other, &omulti);
			done = olen == len && memcmp(other, code, len) == 0;
		}
		if (done)
			continue;
		count = 0;
		for (j = i; j < f->n; j++) {
			olen = form_attr_code(f->pairs[j].key, &other, &omulti);
			if (olen == len && memcmp(other, code, len) == 0) {
				count++;
				multi |= omulti;
			}
		}
		strbuf_adds(sb, ncodes > 0 ? ",\"" : "\"");
		json_escape(sb, code, len);
		strbuf_adds(sb, multi || count > 1 ? "\":[" : "\":");
		count = 0;
		for (j = i; j < f->n; j++) {
			olen = form_attr_code(f->pairs[j].key, &other, &omulti);
			if (olen != len || memcmp(other, code, len) != 0)
				continue;
			if (count++ > 0)
				strbuf_adds(sb, ",");
			json_str(sb, f->pairs[j].value);
		}
		if (multi || count > 1)
			strbuf_adds(sb, "]");
		ncodes++;
	}
	strbuf_adds(sb, "}");
	return ncodes;
}
