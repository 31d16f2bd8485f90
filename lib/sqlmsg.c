/*
 * sqlmsg.c: the SQL API's refusals in the user's language (sqlmsg.h)
 *
 * "note: a reason is required to move a request to on_hold" comes from
 * the template "note: a reason is required to move a request to %s"; the
 * Indonesian of the template, from po/id.po, gets "on_hold" back as the
 * console calls that status ("ditunda").  A value between double quotes
 * in the template ("service \"%s\" is not a known service") is what the
 * user typed and stays as typed, even when it happens to be a status
 * code; a bare one goes through the vocabulary.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "sqlmsg.h"

/*
 * The field names, roles and notification states the API puts into its
 * messages as values (kota.check_text(p_value, 'description', ...),
 * t.min_role, n.state): one word for every program.  Statuses are the
 * program's (the database labels them; tui/catalog.c and kotactl read
 * kota.statuses).
 */
static const struct {
	const char	*code;
	const char	*label;
} sqlmsg_words[] = {
	/* TRANSLATORS: a field named in a message from the database */
	{ "address", N_("address") },
	{ "address_re", N_("address pattern") },
	{ "agent", N_("agent") },
	{ "assignee", N_("assignee") },
	{ "comment", N_("comment") },
	{ "department", N_("department") },
	{ "description", N_("description") },
	{ "description_re", N_("description pattern") },
	{ "district", N_("district") },
	{ "name", N_("name") },
	{ "name_en", N_("English name") },
	{ "name_id", N_("Indonesian name") },
	{ "note", N_("note") },
	/* TRANSLATORS: "only the supervisors may move a request ..." */
	{ "kota_clerk", N_("the clerks") },
	{ "kota_supervisor", N_("the supervisors") },
	{ "kota_admin", N_("the administrators") },
	/* TRANSLATORS: a notification's state: "notification 7 is sent; ..." */
	{ "pending", N_("pending") },
	{ "sending", N_("sending") },
	{ "sent", N_("sent") },
	/* TRANSLATORS: "allowed from closed: nothing" (no status to go to) */
	{ "nothing", N_("nothing") },
};

const char *
sqlmsg_word(const char *word)
{
	size_t	i;

	for (i = 0; i < sizeof sqlmsg_words / sizeof sqlmsg_words[0]; i++)
		if (strcmp(sqlmsg_words[i].code, word) == 0)
			return _(sqlmsg_words[i].label);
	return NULL;
}

struct sqlmsg_span {
	const char	*start;
	size_t		 len;
	bool		 quoted;
};

/*
 * Match the rest of the template t against the rest of the message m;
 * each %s takes the shortest value that lets the rest match.
 */
static bool
sqlmsg_match_at(const char *tpl, const char *t, const char *m,
    struct sqlmsg_span *spans, int n, int *nspans)
{
	const char	*e;

	for (;;) {
		if (t[0] == '%' && t[1] == '%') {
			if (*m != '%')
				return false;
			t += 2;
			m++;
		} else if (t[0] == '%' && t[1] == 's') {
			if (n == SQLMSG_MAXARGS)
				return false;
			spans[n].quoted = t > tpl && t[-1] == '"' &&
			    t[2] == '"';
			for (e = m;; e++) {
				spans[n].start = m;
				spans[n].len = (size_t)(e - m);
				if (sqlmsg_match_at(tpl, t + 2, e, spans, n + 1,
				    nspans))
					return true;
				if (*e == '\0')
					return false;
			}
		} else if (*t == '\0') {
			if (*m != '\0')
				return false;
			*nspans = n;
			return true;
		} else {
			if (*t != *m)
				return false;
			t++;
			m++;
		}
	}
}

bool
sqlmsg_match(const char *tpl, const char *msg, struct sqlmsg_args *args)
{
	struct sqlmsg_span	spans[SQLMSG_MAXARGS];
	size_t			used = 0;
	int			i, n;

	if (!sqlmsg_match_at(tpl, tpl, msg, spans, 0, &n))
		return false;
	for (i = 0; i < n; i++) {
		if (used + spans[i].len + 1 > sizeof args->buf)
			return false;
		memcpy(args->buf + used, spans[i].start, spans[i].len);
		args->buf[used + spans[i].len] = '\0';
		args->arg[i] = args->buf + used;
		args->quoted[i] = spans[i].quoted;
		used += spans[i].len + 1;
	}
	args->n = n;
	return true;
}

/* Append s to out (size bytes, *len used), truncating. */
static void
sqlmsg_put(char *out, size_t size, size_t *len, const char *s, size_t n)
{
	if (*len + 1 >= size)
		return;
	if (n > size - 1 - *len)
		n = size - 1 - *len;
	memcpy(out + *len, s, n);
	*len += n;
	out[*len] = '\0';
}

int
sqlmsg_format(const char *fmt, const char *const *values, int n, char *out,
    size_t size)
{
	const char	*p;
	char		*end;
	size_t		 len = 0;
	long		 k;
	int		 next = 0;

	if (size == 0)
		return -1;
	out[0] = '\0';
	for (p = fmt; *p != '\0'; p++) {
		if (p[0] != '%') {
			sqlmsg_put(out, size, &len, p, 1);
			continue;
		}
		if (p[1] == '%') {
			sqlmsg_put(out, size, &len, "%", 1);
			p++;
			continue;
		}
		if (p[1] == 's') {
			k = next++;
			p++;
		} else if (p[1] >= '1' && p[1] <= '9') {
			/* a translation may reorder: %2$s */
			k = strtol(p + 1, &end, 10) - 1;
			if (end[0] != '$' || end[1] != 's')
				return -1;
			p = end + 1;
		} else
			return -1;
		if (k < 0 || k >= n)
			return -1;
		sqlmsg_put(out, size, &len, values[k], strlen(values[k]));
	}
	return 0;
}

/*
 * A value as the program shows it: a word of the vocabulary, or a list of
 * them ("in_progress, resolved"), translated; anything else as it is.
 */
static const char *
sqlmsg_value(const char *v, sqlmsg_vocab_fn vocab, void *arg, char *buf,
    size_t size)
{
	const char	*w, *p, *comma;
	char		 item[128];
	size_t		 len = 0, n;

	if (*v == '\0')
		return v;
	if (vocab != NULL && (w = vocab(v, arg)) != NULL)
		return w;
	if ((w = sqlmsg_word(v)) != NULL)
		return w;
	if (strstr(v, ", ") == NULL)
		return v;
	/* a list: only when every item is a word */
	buf[0] = '\0';
	for (p = v;; p = comma + 2) {
		comma = strstr(p, ", ");
		n = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (n == 0 || n >= sizeof item)
			return v;
		memcpy(item, p, n);
		item[n] = '\0';
		w = vocab != NULL ? vocab(item, arg) : NULL;
		if (w == NULL && (w = sqlmsg_word(item)) == NULL)
			return v;
		if (len > 0)
			sqlmsg_put(buf, size, &len, ", ", 2);
		sqlmsg_put(buf, size, &len, w, strlen(w));
		if (comma == NULL)
			return buf;
	}
}

/* The characters of a template that are not a %s. */
static size_t
sqlmsg_weight(const char *tpl)
{
	size_t	n = strlen(tpl);
	const char *p;

	for (p = tpl; (p = strstr(p, "%s")) != NULL; p += 2)
		n -= 2;
	return n;
}

int
sqlmsg_translate(const struct sqlmsg_template *tpls, const char *sqlstate,
    const char *msg, sqlmsg_vocab_fn vocab, void *arg, char *out,
    size_t size)
{
	const struct sqlmsg_template	*t, *best = NULL;
	struct sqlmsg_args		 args;
	const char			*values[SQLMSG_MAXARGS];
	char				 words[SQLMSG_MAXARGS][256];
	char				 res[1024];
	size_t				 w, bestw = 0, n;
	int				 i;

	if (sqlstate == NULL || msg == NULL || size == 0)
		return -1;
	/* the most specific template: "... to duplicate" over "... to %s" */
	for (t = tpls; t->sqlstate != NULL; t++) {
		if (strcmp(t->sqlstate, sqlstate) != 0 ||
		    !sqlmsg_match(t->text, msg, &args))
			continue;
		w = sqlmsg_weight(t->text);
		if (best == NULL || w > bestw) {
			best = t;
			bestw = w;
		}
	}
	if (best == NULL || !sqlmsg_match(best->text, msg, &args))
		return -1;
	for (i = 0; i < args.n; i++)
		values[i] = args.quoted[i] ? args.arg[i] :
		    sqlmsg_value(args.arg[i], vocab, arg, words[i],
		    sizeof words[i]);
	/* a translation that asks for a value the English has not: English */
	if (sqlmsg_format(_(best->text), values, args.n, res,
	    sizeof res) != 0 &&
	    sqlmsg_format(best->text, values, args.n, res, sizeof res) != 0)
		return -1;
	/* cut on a character, not inside one */
	n = strlen(res);
	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)res[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(out, res, n);
	out[n] = '\0';
	return 0;
}
