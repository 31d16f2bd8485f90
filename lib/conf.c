/*
 * conf.c: INI configuration files, read against a declared table of keys
 *
 * The text is copied into one buffer and cut into lines in place; each line
 * is a blank, a comment, a "[section]" header or a "key = value".  Values
 * are parsed by type into the settings struct at the key's offset.  The
 * first error stops the reading and is reported as "name:line: message".
 *
 * Decisions beyond conf.h:
 * - conf_defaults() overwrites the settings without freeing them, so it may
 *   be given an uninitialised struct; conf_free() the old settings first.
 * - An unquoted value may not contain '#': "x = 5 # five" is refused rather
 *   than read as "5 # five" or silently losing the text after '#'.
 * - A CONF_LIST default is one item; the first occurrence of the key in the
 *   file replaces the default, later ones are appended.
 * - An empty CONF_TIMERANGE value means unset; a range that starts where it
 *   ends ("08:00-08:00") is refused as ambiguous.
 * - A UTF-8 byte order mark at the start of the text is skipped; a '\r'
 *   before a '\n' is dropped.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "i18n.h"
#include "xmalloc.h"

#define CONF_FILE_MAX		(1024 * 1024)
#define CONF_READ_CHUNK		4096

struct conf_parser {
	const struct conf_key	*table;
	void			*settings;
	const char		*name;
	unsigned		 line;
	const char		*section;	/* as written, "" at first */
	unsigned		*seen;		/* line each key was set on */
	char			*err;
	size_t			 errsz;
};

#define CONF_LOWER(c)	((c) >= 'A' && (c) <= 'Z' ? (c) - 'A' + 'a' : (c))
#define CONF_BLANK(c)	((c) == ' ' || (c) == '\t')
#define CONF_DIGIT(c)	((c) >= '0' && (c) <= '9')

static void __attribute__((format(printf, 3, 4)))
conf_seterr(char *err, size_t errsz, const char *fmt, ...)
{
	va_list	ap;

	if (err == NULL || errsz == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

/* Case-insensitive ASCII comparison, whatever the locale. */
static int
conf_equal(const char *a, const char *b)
{
	while (*a != '\0' && CONF_LOWER(*a) == CONF_LOWER(*b)) {
		a++;
		b++;
	}
	return (*a == '\0' && *b == '\0');
}

/* Section and key names: ASCII letters, digits, '_', '-' and '.'. */
static int
conf_valid_name(const char *s)
{
	if (*s == '\0')
		return (0);
	for (; *s != '\0'; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    CONF_DIGIT(*s) || *s == '_' || *s == '-' || *s == '.'))
			return (0);
	}
	return (1);
}

/* Trim blanks at both ends, in place. */
static char *
conf_trim(char *s)
{
	size_t	len;

	while (CONF_BLANK(*s))
		s++;
	len = strlen(s);
	while (len > 0 && CONF_BLANK(s[len - 1]))
		s[--len] = '\0';
	return (s);
}

static const char *
conf_section_of(const struct conf_key *k)
{
	return (k->section != NULL ? k->section : "");
}

static void *
conf_slot(const struct conf_key *k, void *settings)
{
	return ((char *)settings + k->offset);
}

const struct conf_key *
conf_find(const struct conf_key *table, const char *section, const char *name)
{
	const struct conf_key	*k;

	if (table == NULL || name == NULL)
		return (NULL);
	if (section == NULL)
		section = "";
	for (k = table; k->name != NULL; k++) {
		if (conf_equal(conf_section_of(k), section) &&
		    conf_equal(k->name, name))
			return (k);
	}
	return (NULL);
}

static int
conf_known_section(const struct conf_key *table, const char *section)
{
	const struct conf_key	*k;

	for (k = table; k->name != NULL; k++) {
		if (conf_equal(conf_section_of(k), section))
			return (1);
	}
	return (0);
}

/* Check n against the range of int and the key's bounds, if any. */
static int
conf_check_range(const struct conf_key *k, const char *v, long long n,
    const char *unit, char *why, size_t whysz)
{
	int	bounded = (k->min != 0 || k->max != 0);

	if (n >= INT_MIN && n <= INT_MAX &&
	    (!bounded || (n >= k->min && n <= k->max)))
		return (0);
	if (bounded)
		snprintf(why, whysz, _("'%s' is out of range %ld%s..%ld%s"), v,
		    k->min, unit, k->max, unit);
	else
		snprintf(why, whysz, _("'%s' is out of range"), v);
	return (-1);
}

static int
conf_parse_int(const struct conf_key *k, const char *v, int *out, char *why,
    size_t whysz)
{
	char		*end;
	long long	 n;

	/* strtoll() gives LLONG_MIN or LLONG_MAX on overflow: out of range. */
	n = strtoll(v, &end, 10);
	if ((!CONF_DIGIT(*v) && *v != '-' && *v != '+') || end == v ||
	    *end != '\0') {
		snprintf(why, whysz, _("'%s' is not an integer"), v);
		return (-1);
	}
	if (conf_check_range(k, v, n, "", why, whysz) != 0)
		return (-1);
	*out = (int)n;
	return (0);
}

static int
conf_parse_bool(const char *v, bool *out, char *why, size_t whysz)
{
	static const char *const yes[] = { "true", "yes", "on", "1", NULL };
	static const char *const no[] = { "false", "no", "off", "0", NULL };
	int			 i;

	for (i = 0; yes[i] != NULL; i++) {
		if (conf_equal(v, yes[i])) {
			*out = true;
			return (0);
		}
		if (conf_equal(v, no[i])) {
			*out = false;
			return (0);
		}
	}
	snprintf(why, whysz, _("'%s' is not a boolean (true/false, yes/no, "
	    "on/off, 1/0)"), v);
	return (-1);
}

static int
conf_parse_enum(const struct conf_key *k, const char *v, int *out, char *why,
    size_t whysz)
{
	char	list[CONF_ERRMAX];
	size_t	used = 0;
	int	i;

	list[0] = '\0';
	for (i = 0; k->choices[i] != NULL; i++) {
		if (conf_equal(v, k->choices[i])) {
			*out = i;
			return (0);
		}
		if (used < sizeof list)
			used += (size_t)snprintf(list + used,
			    sizeof list - used, "%s%s", i == 0 ? "" : ", ",
			    k->choices[i]);
	}
	snprintf(why, whysz, _("'%s' is not one of: %s"), v, list);
	return (-1);
}

/* Milliseconds per unit; an empty unit is seconds. */
static long
conf_duration_unit(const char *unit)
{
	if (*unit == '\0' || conf_equal(unit, "s"))
		return (1000);
	if (conf_equal(unit, "ms"))
		return (1);
	if (conf_equal(unit, "m"))
		return (60 * 1000L);
	if (conf_equal(unit, "h"))
		return (3600 * 1000L);
	return (-1);
}

static int
conf_parse_duration(const struct conf_key *k, const char *v, int *out,
    char *why, size_t whysz)
{
	const char	*cp = v;
	long long	 n = 0;
	long		 unit;

	for (; CONF_DIGIT(*cp); cp++) {
		if (n <= INT_MAX)
			n = n * 10 + (*cp - '0');
	}
	while (CONF_BLANK(*cp))
		cp++;
	if (cp == v || !CONF_DIGIT(*v) ||
	    (unit = conf_duration_unit(cp)) < 0) {
		snprintf(why, whysz, _("'%s' is not a duration (250ms, 5s, 2m, "
		    "1h; seconds without a unit)"), v);
		return (-1);
	}
	n *= unit;
	if (conf_check_range(k, v, n, "ms", why, whysz) != 0)
		return (-1);
	*out = (int)n;
	return (0);
}

/* "h:mm" or "hh:mm", 00:00 to 23:59, as minutes after midnight. */
static int
conf_parse_clock(const char **pp, int *out)
{
	const char	*cp = *pp;
	int		 h, m;

	if (!CONF_DIGIT(cp[0]))
		return (-1);
	h = *cp++ - '0';
	if (CONF_DIGIT(*cp))
		h = h * 10 + (*cp++ - '0');
	if (*cp++ != ':' || !CONF_DIGIT(cp[0]) || !CONF_DIGIT(cp[1]))
		return (-1);
	m = (cp[0] - '0') * 10 + (cp[1] - '0');
	if (h > 23 || m > 59)
		return (-1);
	*out = h * 60 + m;
	*pp = cp + 2;
	return (0);
}

static int
conf_parse_timerange(const char *v, struct conf_timerange *out, char *why,
    size_t whysz)
{
	const char	*cp = v;
	int		 start, end;

	if (*v == '\0') {
		memset(out, 0, sizeof *out);
		return (0);
	}
	if (conf_parse_clock(&cp, &start) != 0)
		goto fail;
	while (CONF_BLANK(*cp))
		cp++;
	if (*cp++ != '-')
		goto fail;
	while (CONF_BLANK(*cp))
		cp++;
	if (conf_parse_clock(&cp, &end) != 0 || *cp != '\0')
		goto fail;
	if (start == end) {
		snprintf(why, whysz, _("'%s' starts where it ends"), v);
		return (-1);
	}
	out->set = true;
	out->start = start;
	out->end = end;
	return (0);

fail:
	snprintf(why, whysz, _("'%s' is not a time range (hh:mm-hh:mm)"), v);
	return (-1);
}

static void
conf_list_clear(struct conf_list *l)
{
	int	i;

	for (i = 0; i < l->n; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

static void
conf_list_add(struct conf_list *l, const char *v)
{
	l->items = xreallocarray(l->items, (size_t)l->n + 1, sizeof *l->items);
	l->items[l->n++] = xstrdup(v);
}

static void
conf_set_string(char **slot, const char *v)
{
	free(*slot);
	*slot = xstrdup(v);
}

/* Parse v by the key's type and store it: 0, or -1 with why saying what
 * is wrong with v. */
static int
conf_set(const struct conf_key *k, void *settings, const char *v, char *why,
    size_t whysz)
{
	void	*slot = conf_slot(k, settings);
	int	 rc = -1;

	switch (k->type) {
	case CONF_STRING:
		conf_set_string(slot, v);
		return (0);
	case CONF_LIST:
		conf_list_add(slot, v);
		return (0);
	case CONF_INT:
		rc = conf_parse_int(k, v, slot, why, whysz);
		break;
	case CONF_BOOL:
		rc = conf_parse_bool(v, slot, why, whysz);
		break;
	case CONF_ENUM:
		rc = conf_parse_enum(k, v, slot, why, whysz);
		break;
	case CONF_DURATION:
		rc = conf_parse_duration(k, v, slot, why, whysz);
		break;
	case CONF_TIMERANGE:
		rc = conf_parse_timerange(v, slot, why, whysz);
		break;
	default:
		snprintf(why, whysz, _("unknown type %d"), (int)k->type);
		break;
	}
	return (rc);
}

/* Give every key its empty value, so conf_free() works whatever happens. */
static void
conf_reset(const struct conf_key *k, void *settings)
{
	void	*slot = conf_slot(k, settings);

	switch (k->type) {
	case CONF_STRING:
		*(char **)slot = NULL;
		break;
	case CONF_LIST:
		memset(slot, 0, sizeof(struct conf_list));
		break;
	case CONF_BOOL:
		*(bool *)slot = false;
		break;
	case CONF_TIMERANGE:
		memset(slot, 0, sizeof(struct conf_timerange));
		break;
	case CONF_INT:
	case CONF_ENUM:
	case CONF_DURATION:
		*(int *)slot = 0;
		break;
	}
}

static int
conf_default(const struct conf_key *k, void *settings, char *err,
    size_t errsz)
{
	char	why[CONF_ERRMAX];

	if (k->type == CONF_ENUM && k->choices == NULL) {
		conf_seterr(err, errsz, _("key '%s' in section [%s]: no "
		    "choices declared"), k->name, conf_section_of(k));
		return (-1);
	}
	if (k->def == NULL)
		return (0);
	if (conf_set(k, settings, k->def, why, sizeof why) == 0)
		return (0);
	conf_seterr(err, errsz, _("default of key '%s' in section [%s]: %s"),
	    k->name, conf_section_of(k), why);
	return (-1);
}

int
conf_defaults(const struct conf_key *table, void *settings, char *err,
    size_t errsz)
{
	const struct conf_key	*k;

	for (k = table; k->name != NULL; k++)
		conf_reset(k, settings);
	for (k = table; k->name != NULL; k++) {
		if (conf_default(k, settings, err, errsz) != 0)
			return (-1);
	}
	return (0);
}

void
conf_free(const struct conf_key *table, void *settings)
{
	const struct conf_key	*k;
	void			*slot;

	if (table == NULL || settings == NULL)
		return;
	for (k = table; k->name != NULL; k++) {
		slot = conf_slot(k, settings);
		if (k->type == CONF_STRING) {
			free(*(char **)slot);
			*(char **)slot = NULL;
		} else if (k->type == CONF_LIST)
			conf_list_clear(slot);
	}
}

/* Report an error at the current line; always returns -1. */
static int __attribute__((format(printf, 2, 3)))
conf_line_error(struct conf_parser *p, const char *fmt, ...)
{
	char	msg[CONF_ERRMAX];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	conf_seterr(p->err, p->errsz, "%s:%u: %s", p->name, p->line, msg);
	return (-1);
}

static int
conf_parse_header(struct conf_parser *p, char *s)
{
	size_t	 len = strlen(s);
	char	*name;

	if (len < 2 || s[len - 1] != ']') {
		if (strchr(s, ']') != NULL)
			return (conf_line_error(p, _("unexpected text after "
			    "section header '%s'"), s));
		return (conf_line_error(p, _("unterminated section header "
		    "'%s'"), s));
	}
	s[len - 1] = '\0';
	name = conf_trim(s + 1);
	if (*name == '\0')
		return (conf_line_error(p, "%s", _("empty section name")));
	if (!conf_valid_name(name))
		return (conf_line_error(p, _("invalid section name '%s'"),
		    name));
	if (!conf_known_section(p->table, name))
		return (conf_line_error(p, _("unknown section [%s]"), name));
	p->section = name;
	return (0);
}

/* Decode a quoted value in place; nothing may follow the closing quote. */
static int
conf_unquote(struct conf_parser *p, char *v)
{
	char	*r = v + 1, *w = v;

	for (; *r != '"'; r++) {
		if (*r == '\0')
			return (conf_line_error(p, "%s",
			    _("unterminated quote")));
		if (*r != '\\') {
			*w++ = *r;
			continue;
		}
		switch (*++r) {
		case '"':
		case '\\':
			*w++ = *r;
			break;
		case 'n':
			*w++ = '\n';
			break;
		case 't':
			*w++ = '\t';
			break;
		case '\0':
			return (conf_line_error(p, "%s",
			    _("unterminated quote")));
		default:
			return (conf_line_error(p, _("invalid escape '\\%c' in "
			    "quoted value"), *r));
		}
	}
	if (r[1] != '\0')
		return (conf_line_error(p, _("unexpected text '%s' after "
		    "closing quote"), conf_trim(r + 1)));
	*w = '\0';
	return (0);
}

static int
conf_value(struct conf_parser *p, char *v)
{
	if (*v == '"')
		return (conf_unquote(p, v));
	if (strchr(v, '#') != NULL)
		return (conf_line_error(p, _("'#' in value '%s' must be "
		    "quoted"), v));
	return (0);
}

/* Find the key for this line and refuse a second use of it. */
static const struct conf_key *
conf_check_key(struct conf_parser *p, const char *key)
{
	const struct conf_key	*k;
	unsigned		*seen;

	if (*key == '\0') {
		conf_line_error(p, "%s", _("missing key name before '='"));
		return (NULL);
	}
	if (!conf_valid_name(key)) {
		conf_line_error(p, _("invalid key name '%s'"), key);
		return (NULL);
	}
	if ((k = conf_find(p->table, p->section, key)) == NULL) {
		if (*p->section == '\0')
			conf_line_error(p, _("unknown key '%s'"), key);
		else
			conf_line_error(p, _("unknown key '%s' in section "
			    "[%s]"), key, p->section);
		return (NULL);
	}
	seen = &p->seen[k - p->table];
	if (*seen != 0 && k->type != CONF_LIST) {
		conf_line_error(p, _("duplicate key '%s' (first set on line "
		    "%u)"), key, *seen);
		return (NULL);
	}
	if (*seen == 0 && k->type == CONF_LIST)
		conf_list_clear(conf_slot(k, p->settings));
	*seen = p->line;
	return (k);
}

static int
conf_parse_assign(struct conf_parser *p, char *s)
{
	const struct conf_key	*k;
	char			*eq, *v;
	char			 why[CONF_ERRMAX];

	if ((eq = strchr(s, '=')) == NULL)
		return (conf_line_error(p, "%s", _("expected 'key = value', "
		    "'[section]' or a comment")));
	*eq = '\0';
	v = conf_trim(eq + 1);
	if ((k = conf_check_key(p, conf_trim(s))) == NULL)
		return (-1);
	if (conf_value(p, v) != 0)
		return (-1);

	if (conf_set(k, p->settings, v, why, sizeof why) == 0)
		return (0);
	if (*conf_section_of(k) == '\0')
		return (conf_line_error(p, _("key '%s': %s"), k->name, why));
	return (conf_line_error(p, _("key '%s' in section [%s]: %s"), k->name,
	    conf_section_of(k), why));
}

static int
conf_parse_line(struct conf_parser *p, char *line)
{
	char	*s = conf_trim(line);

	if (*s == '\0' || *s == '#' || *s == ';')
		return (0);
	if (*s == '[')
		return (conf_parse_header(p, s));
	return (conf_parse_assign(p, s));
}

/*
 * Read buf, which holds len bytes of text and a NUL after them, cutting it
 * into lines in place.
 */
static int
conf_parse_buffer(const struct conf_key *table, void *settings,
    const char *name, char *buf, size_t len, char *err, size_t errsz)
{
	struct conf_parser	 p;
	char			*line = buf, *end = buf + len, *nl, *nul;
	size_t			 nkeys;
	int			 rc = 0;

	if ((nul = memchr(buf, '\0', len)) != NULL) {
		for (p.line = 1; line < nul; line++)
			p.line += (*line == '\n');
		conf_seterr(err, errsz, _("%s:%u: NUL byte in file"), name,
		    p.line);
		return (-1);
	}
	for (nkeys = 0; table[nkeys].name != NULL; nkeys++)
		/* nothing */;
	memset(&p, 0, sizeof p);
	p.seen = xcalloc(nkeys + 1, sizeof *p.seen);
	p.table = table;
	p.settings = settings;
	p.name = name;
	p.section = "";
	p.err = err;
	p.errsz = errsz;

	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		line += 3;
	for (; line < end && rc == 0; line = nl + 1) {
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			nl = end;
		*nl = '\0';
		if (nl > line && nl[-1] == '\r')
			nl[-1] = '\0';
		p.line++;
		rc = conf_parse_line(&p, line);
	}
	free(p.seen);
	return (rc);
}

int
conf_load_string(const struct conf_key *table, void *settings,
    const char *name, const char *text, size_t len, char *err, size_t errsz)
{
	char	*buf;
	int	 rc;

	if (conf_defaults(table, settings, err, errsz) != 0)
		return (-1);
	if (text == NULL)
		len = 0;
	buf = xmalloc(len + 1);
	if (len > 0)
		memcpy(buf, text, len);
	buf[len] = '\0';
	rc = conf_parse_buffer(table, settings, name != NULL ? name : "",
	    buf, len, err, errsz);
	free(buf);
	return (rc);
}

/* Read all of f into *bufp, with room for a NUL after the text. */
static int
conf_read(FILE *f, const char *path, char **bufp, size_t *lenp, char *err,
    size_t errsz)
{
	char	*buf = NULL;
	size_t	 len = 0, size = 0, got;

	do {
		if (size - len < CONF_READ_CHUNK + 1) {
			size = size == 0 ? 2 * CONF_READ_CHUNK : 2 * size;
			buf = xreallocarray(buf, size, 1);
		}
		got = fread(buf + len, 1, CONF_READ_CHUNK, f);
		len += got;
	} while (got == CONF_READ_CHUNK && len <= CONF_FILE_MAX);

	if (ferror(f)) {
		conf_seterr(err, errsz, _("cannot read config '%s': %s"), path,
		    strerror(errno));
		goto fail;
	}
	if (len > CONF_FILE_MAX) {
		conf_seterr(err, errsz, _("cannot read config '%s': file too "
		    "large (over %d bytes)"), path, CONF_FILE_MAX);
		goto fail;
	}
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return (0);

fail:
	free(buf);
	return (-1);
}

int
conf_load(const struct conf_key *table, void *settings, const char *path,
    char *err, size_t errsz)
{
	struct stat	 st;
	FILE		*f;
	char		*buf;
	size_t		 len;
	int		 fd, rc;

	if (conf_defaults(table, settings, err, errsz) != 0)
		return (-1);
	/*
	 * O_NONBLOCK and fstat() first: a FIFO, a device or a directory is
	 * refused here instead of hanging a check (or kotad) in read().
	 */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1) {
		conf_seterr(err, errsz, _("cannot open config '%s': %s"), path,
		    strerror(errno));
		return (-1);
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		conf_seterr(err, errsz,
		    _("cannot read config '%s': not a regular file"), path);
		close(fd);
		return (-1);
	}
	/* a regular file reads the same blocking or not */
	if ((f = fdopen(fd, "r")) == NULL) {
		conf_seterr(err, errsz, _("cannot open config '%s': %s"), path,
		    strerror(errno));
		close(fd);
		return (-1);
	}
	rc = conf_read(f, path, &buf, &len, err, errsz);
	fclose(f);
	if (rc != 0)
		return (-1);
	rc = conf_parse_buffer(table, settings, path, buf, len, err, errsz);
	free(buf);
	return (rc);
}
