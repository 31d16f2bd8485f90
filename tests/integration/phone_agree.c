/*
 * phone_agree: the C and the SQL phone normalisers give the same answers
 *
 *	phone_agree CONNINFO CORPUS-DIR
 *
 * For every input of tests/unit/phone_cases.h (the rows of test_phone.c),
 * two long numbers built as test_phone.c builds them, and every file of
 * CORPUS-DIR (the fuzz seeds, tests/fuzz/corpus/phone; a file is one input,
 * up to its first NUL), lib/phone.c's phone_normalise() and SQL's
 * kota.phone_normalise() must agree: both accept with the same E.164
 * number, or both refuse (the SQL with KT002, or with 22021 for text that
 * is not UTF-8 and so cannot reach it), or both find no number at all (C's
 * PHONE_EMPTY, SQL's NULL).
 *
 * TAP (tap.h): one test per group of phone_cases.h and per corpus file,
 * then the total; a disagreement is shown with both answers.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "phone.h"
#include "tap.h"

#define AGREE_INPUT_MAX	4096

struct phone_case {
	const char		*group;
	const char		*in;
	enum phone_status	 st;
	const char		*want;
};

static const struct phone_case phone_cases[] = {
#define PHONE_CASE(group, in, st, want)	{ (group), (in), (st), (want) },
#include "../unit/phone_cases.h"
#undef PHONE_CASE
};

static const struct db_stmt agree_stmt = {
	"agree_phone", "SELECT kota.phone_normalise($1)", 1, DB_READ,
};

/* The input as a C string literal would show it, for messages. */
static const char *
agree_show(const char *in, char *buf, size_t bufsz)
{
	size_t			 o = 0;
	const unsigned char	*p;

	for (p = (const unsigned char *)in; *p != '\0' && o + 5 < bufsz; p++) {
		if (*p == '"' || *p == '\\')
			o += (size_t)snprintf(buf + o, bufsz - o, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			o += (size_t)snprintf(buf + o, bufsz - o, "\\x%02x", *p);
		else
			buf[o++] = (char)*p;
	}
	buf[o] = '\0';
	return buf;
}

/*
 * Both answers, in words ("+6281234567890", "refused", "no number"); true
 * when they agree.  A server error other than a refusal is a bug: it is
 * shown and counts as a disagreement.
 */
static bool
agree_one(struct db *db, const char *in, char *c, size_t csz, char *sql,
    size_t sqlsz)
{
	struct db_error		 err;
	PGresult		*res;
	char			 e164[PHONE_E164_MAX];
	enum phone_status	 st;
	const char		*p[1] = { in };

	st = phone_normalise(in, e164, sizeof e164);
	snprintf(c, csz, "%s", st == PHONE_OK ? e164 :
	    st == PHONE_EMPTY ? "no number" : "refused");
	if ((res = db_run(db, &agree_stmt, p, &err)) != NULL) {
		snprintf(sql, sqlsz, "%s", PQgetisnull(res, 0, 0) ?
		    "no number" : PQgetvalue(res, 0, 0));
		PQclear(res);
	} else if (strcmp(err.sqlstate, KOTA_SQLSTATE_INVALID) == 0 ||
	    strcmp(err.sqlstate, "22021") == 0)
		snprintf(sql, sqlsz, "refused");
	else
		snprintf(sql, sqlsz, "error %s: %s", err.sqlstate,
		    err.message);
	return strcmp(c, sql) == 0;
}

struct agree_count {
	int	inputs;
	int	agreed;
};

/* Check inputs, one test for the set named what. */
static void
agree_set(struct db *db, const char *what, const char *const *in, int n,
    struct agree_count *count)
{
	char		 c[64], sql[600], show[200];
	int		 i, bad = 0;
	bool		 same;

	for (i = 0; i < n; i++) {
		same = agree_one(db, in[i], c, sizeof c, sql, sizeof sql);
		count->inputs++;
		count->agreed += same;
		agree_show(in[i], show, sizeof show);
		if (!same) {
			bad++;
			diag("%s: \"%s\": C %s, SQL %s", what, show, c, sql);
		}
	}
	ok(bad == 0, "%s: C and SQL agree on %d input%s", what, n,
	    n == 1 ? "" : "s");
}

static void
agree_cases(struct db *db, struct agree_count *count)
{
	const char	*in[sizeof phone_cases / sizeof phone_cases[0]];
	size_t		 i, n = sizeof phone_cases / sizeof phone_cases[0];
	size_t		 first = 0;

	for (i = 0; i < n; i++)
		in[i] = phone_cases[i].in;
	for (i = 1; i <= n; i++) {
		if (i < n && strcmp(phone_cases[i].group,
		    phone_cases[first].group) == 0)
			continue;
		agree_set(db, phone_cases[first].group, in + first,
		    (int)(i - first), count);
		first = i;
	}
}

/* test_phone.c's too_long inputs that it builds rather than lists. */
static void
agree_built(struct db *db, struct agree_count *count)
{
	static char	 mobile[1001], plus[1001];
	const char	*in[2] = { mobile, plus };

	memset(mobile, '9', sizeof mobile - 1);
	mobile[0] = '0';
	mobile[1] = '8';
	memcpy(plus, mobile, sizeof plus);
	plus[0] = '+';
	agree_set(db, "too_long, built", in, 2, count);
}

static int
agree_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One line per file of dir, in name order; -1 if dir cannot be read. */
static int
agree_corpus(struct db *db, const char *dir, struct agree_count *count)
{
	DIR		*d;
	struct dirent	*de;
	FILE		*fp;
	char		**names = NULL, path[4096], buf[AGREE_INPUT_MAX + 1];
	const char	*in[1] = { buf };
	size_t		 n = 0, i, len;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		names = realloc(names, (n + 1) * sizeof *names);
		if (names == NULL || (names[n] = strdup(de->d_name)) == NULL)
			abort();
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof *names, agree_name_cmp);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if ((fp = fopen(path, "rb")) == NULL) {
			ok(false, "corpus %s: cannot open", names[i]);
			continue;
		}
		len = fread(buf, 1, AGREE_INPUT_MAX, fp);
		fclose(fp);
		buf[len] = '\0';	/* an input ends at its first NUL */
		snprintf(path, sizeof path, "corpus %s", names[i]);
		agree_set(db, path, in, 1, count);
		free(names[i]);
	}
	free(names);
	return (int)n;
}

int
main(int argc, char **argv)
{
	struct db		*db;
	struct db_error		 err;
	struct agree_count	 count = { 0, 0 };
	int			 files;

	log_init("phone_agree", LOG_LEVEL_ERROR, 0);
	if (argc != 3) {
		fprintf(stderr, "usage: phone_agree CONNINFO CORPUS-DIR\n");
		return 2;
	}
	db = db_new(argv[1], "kota_phone_agree");
	if (db_connect(db, NULL, &err) != 0)
		bail_out("%s", err.message);
	agree_cases(db, &count);
	agree_built(db, &count);
	if ((files = agree_corpus(db, argv[2], &count)) < 0)
		bail_out("cannot read the corpus '%s'", argv[2]);
	diag("%d inputs (%zu of phone_cases.h, 2 built, %d corpus files):"
	    " %d agree", count.inputs,
	    sizeof phone_cases / sizeof phone_cases[0], files, count.agreed);
	ok(files > 0 && count.agreed == count.inputs,
	    "C and SQL agree on %d of %d inputs", count.agreed, count.inputs);
	db_free(&db);
	return done_testing();
}
