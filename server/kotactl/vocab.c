/*
 * vocab.c: the city's words kotactl takes, checked before they are sent
 *
 * A status is taken as its code ("in_progress") or as a name the console
 * shows, in either language ("dikerjakan", "In progress"), case aside and
 * with "_", "-" and spaces alike; it is sent as its code.  A service or a
 * department is taken as its code, as the API takes it.  A word that
 * names nothing is refused here, with the words that come closest
 * (suggest.c), compared with the codes and the names of the views
 * kota.statuses, kota.services and kota.departments; a status that comes
 * close to none is answered with the list of them.  The API would refuse
 * the word all the same: this only says it better.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "kotactl.h"
#include "log.h"
#include "strbuf.h"
#include "xmalloc.h"

#define VOCAB_MAX	128

/* Lower-case ASCII, "_", "-" and runs of blanks as one space, trimmed. */
static void
vocab_norm(const char *s, char *buf, size_t size)
{
	size_t	n = 0;
	int	space = 0;

	for (; *s != '\0' && n + 1 < size; s++) {
		if (*s == '_' || *s == '-' || *s == ' ' || *s == '\t') {
			space = n > 0;
			continue;
		}
		if (space && n + 2 < size)
			buf[n++] = ' ';
		space = 0;
		buf[n++] = *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s;
	}
	buf[n] = '\0';
}

static int
vocab_same(const char *a, const char *b)
{
	char	na[VOCAB_MAX], nb[VOCAB_MAX];

	vocab_norm(a, na, sizeof na);
	vocab_norm(b, nb, sizeof nb);
	return strcmp(na, nb) == 0;
}

/* The name in the language of the messages: label_id or label_en. */
static const char *
vocab_label(const PGresult *res, int row, int col_id, int col_en)
{
	return PQgetvalue(res, row, strcmp(i18n_lang(), "id") == 0 ?
	    col_id : col_en);
}

/* "new (baru), acknowledged (diterima), ...": each code, its name. */
static char *
vocab_status_list(const PGresult *res, int filter)
{
	struct strbuf	 sb;
	const char	*label;
	char		*out;
	int		 i;

	strbuf_init(&sb);
	if (filter)
		strbuf_adds(&sb, "open, ");
	for (i = 0; i < PQntuples(res); i++) {
		label = vocab_label(res, i, 1, 2);
		strbuf_addf(&sb, "%s%s", i > 0 ? ", " : "",
		    PQgetvalue(res, i, 0));
		if (!vocab_same(label, PQgetvalue(res, i, 0)))
			strbuf_addf(&sb, " (%s)", label);
	}
	out = xstrdup(strbuf_str(&sb));
	strbuf_release(&sb);
	return out;
}

int
ctl_status_resolve(struct ctl *ctl, const char *arg, int filter,
    char *code, size_t size)
{
	struct db_error	 err;
	struct suggest	*s;
	PGresult	*res;
	char		*list;
	int		 i, j;

	if (filter && vocab_same(arg, "open")) {
		snprintf(code, size, "open");
		return EXIT_OK;
	}
	res = db_query(ctl->db, NULL, "SELECT code, label_id, label_en"
	    " FROM kota.statuses ORDER BY position", 0, NULL, &err);
	if (res == NULL)
		return ctl_fail(&err);
	for (i = 0; i < PQntuples(res); i++) {
		for (j = 0; j < 3; j++) {
			if (vocab_same(arg, PQgetvalue(res, i, j))) {
				snprintf(code, size, "%s", PQgetvalue(res, i, 0));
				PQclear(res);
				return EXIT_OK;
			}
		}
	}
	log_error(_("status \"%s\" does not exist"), arg);
	s = suggest_new(arg);
	if (filter)
		suggest_add(s, "open", NULL, NULL);
	for (i = 0; i < PQntuples(res); i++)
		for (j = 0; j < 3; j++)
			suggest_add(s, PQgetvalue(res, i, j), NULL, NULL);
	if (suggest_print(s) == 0) {
		list = vocab_status_list(res, filter);
		fprintf(stderr, "kotactl: ");
		fprintf(stderr, _("the statuses are: %s"), list);
		fputc('\n', stderr);
		free(list);
	}
	suggest_free(&s);
	PQclear(res);
	return EXIT_REFUSED;
}

/*
 * Whether arg is a code of a view with columns code, name_id, name_en,
 * active and whether the code is arg's: NULL when it is (*rc EXIT_OK) or
 * when the query failed (*rc says how), else the rows, to suggest from.
 */
static PGresult *
vocab_find(struct ctl *ctl, const char *sql, const char *arg, int *rc)
{
	struct db_error	 err;
	PGresult	*res;
	const char	*p[1] = { arg };
	int		 i;

	*rc = EXIT_OK;
	if ((res = db_query(ctl->db, NULL, sql, 1, p, &err)) == NULL) {
		*rc = ctl_fail(&err);
		return NULL;
	}
	for (i = 0; i < PQntuples(res); i++) {
		if (strcmp(PQgetvalue(res, i, 4), "t") == 0) {
			PQclear(res);
			return NULL;
		}
	}
	*rc = EXIT_REFUSED;
	return res;
}

/* The active codes closest to arg, by code or by either name. */
static void
vocab_suggest(PGresult *res, const char *arg)
{
	struct suggest	*s;
	const char	*code, *name;
	int		 i, j;

	s = suggest_new(arg);
	for (i = 0; i < PQntuples(res); i++) {
		if (strcmp(PQgetvalue(res, i, 3), "t") != 0)
			continue;
		code = PQgetvalue(res, i, 0);
		name = vocab_label(res, i, 1, 2);
		for (j = 0; j < 3; j++)
			suggest_add(s, PQgetvalue(res, i, j), code, name);
	}
	suggest_print(s);
	suggest_free(&s);
	PQclear(res);
}

int
ctl_service_check(struct ctl *ctl, const char *arg)
{
	PGresult	*res;
	int		 rc;

	res = vocab_find(ctl, "SELECT code, name_id, name_en, active,"
	    " code = lower(btrim($1)) FROM kota.services ORDER BY code", arg,
	    &rc);
	if (res != NULL) {
		log_error(_("service \"%s\" is not a known service"), arg);
		vocab_suggest(res, arg);
	}
	return rc;
}

int
ctl_department_check(struct ctl *ctl, const char *arg)
{
	PGresult	*res;
	int		 rc;

	res = vocab_find(ctl, "SELECT code, name_id, name_en, active,"
	    " code = upper(btrim($1)) FROM kota.departments ORDER BY code",
	    arg, &rc);
	if (res != NULL) {
		log_error(_("department \"%s\" is not a known department"),
		    arg);
		vocab_suggest(res, arg);
	}
	return rc;
}
