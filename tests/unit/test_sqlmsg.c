/*
 * test_sqlmsg.c: unit tests for the translation of the API's refusals
 * (lib/sqlmsg.c) and for where the catalogues are found (lib/i18n.c)
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "db.h"
#include "i18n.h"
#include "sqlmsg.h"

static const struct sqlmsg_template test_templates[] = {
	{ "KT001", "request %s does not exist" },
	{ "KT001", "service \"%s\" is not a known service" },
	{ "KT002", "note: a reason is required to move a request to %s" },
	{ "KT002", "warn: %s%% must be between 1 and 99" },
	{ "KT002", "%s must not be empty" },
	{ "KT003", "request %s cannot go from %s to %s" },
	{ "KT003", "request %s cannot go from %s to duplicate" },
	{ "KT003", "allowed from %s: %s" },
	{ "KT005", "only %s may move a request from %s to %s" },
	{ NULL, NULL },
};

/* The console's words for two statuses, and how often it was asked. */
static int	test_vocab_calls;

static const char *
test_vocab(const char *word, void *arg)
{
	(void)arg;
	test_vocab_calls++;
	if (strcmp(word, "on_hold") == 0)
		return "ditunda";
	if (strcmp(word, "in_progress") == 0)
		return "dikerjakan";
	if (strcmp(word, "resolved") == 0)
		return "selesai";
	return NULL;
}

static void
test_match_middle_and_end(void **state)
{
	struct sqlmsg_args	a;

	(void)state;
	assert_true(sqlmsg_match("request %s cannot go from %s to %s",
	    "request KT-000001-8 cannot go from new to on_hold", &a));
	assert_int_equal(a.n, 3);
	assert_string_equal(a.arg[0], "KT-000001-8");
	assert_string_equal(a.arg[1], "new");
	assert_string_equal(a.arg[2], "on_hold");
	assert_false(a.quoted[0]);

	assert_true(sqlmsg_match("service \"%s\" is not a known service",
	    "service \"lampu jalan\" is not a known service", &a));
	assert_int_equal(a.n, 1);
	assert_string_equal(a.arg[0], "lampu jalan");
	assert_true(a.quoted[0]);

	/* an empty value, and a value at the very start */
	assert_true(sqlmsg_match("service \"%s\" is not a known service",
	    "service \"\" is not a known service", &a));
	assert_string_equal(a.arg[0], "");
	assert_true(sqlmsg_match("%s must not be empty",
	    "description must not be empty", &a));
	assert_string_equal(a.arg[0], "description");
}

static void
test_match_percent(void **state)
{
	struct sqlmsg_args	a;

	(void)state;
	assert_true(sqlmsg_match("warn: %s%% must be between 1 and 99",
	    "warn: 120% must be between 1 and 99", &a));
	assert_int_equal(a.n, 1);
	assert_string_equal(a.arg[0], "120");
	assert_false(sqlmsg_match("warn: %s%% must be between 1 and 99",
	    "warn: 120 must be between 1 and 99", &a));
}

static void
test_match_nothing(void **state)
{
	struct sqlmsg_args	a;
	char			out[64] = "untouched";

	(void)state;
	assert_false(sqlmsg_match("request %s does not exist",
	    "request 7 does not exist anymore", &a));
	assert_false(sqlmsg_match("request %s does not exist",
	    "the request history is append-only", &a));
	assert_int_equal(sqlmsg_translate(test_templates, "KT001",
	    "duplicate key value violates unique constraint", NULL, NULL,
	    out, sizeof out), -1);
	assert_string_equal(out, "untouched");
	/* a template of another SQLSTATE does not count */
	assert_int_equal(sqlmsg_translate(test_templates, "KT002",
	    "request 7 does not exist", NULL, NULL, out, sizeof out), -1);
	assert_string_equal(out, "untouched");
}

static void
test_format(void **state)
{
	const char	*v[] = { "KT-1", "baru", "ditunda" };
	char		 out[128];

	(void)state;
	assert_int_equal(sqlmsg_format("%s: dari %s ke %s (100%%)", v, 3, out,
	    sizeof out), 0);
	assert_string_equal(out, "KT-1: dari baru ke ditunda (100%)");
	/* a translation may put the values in another order */
	assert_int_equal(sqlmsg_format("ke %3$s dari %2$s: %1$s", v, 3, out,
	    sizeof out), 0);
	assert_string_equal(out, "ke ditunda dari baru: KT-1");
	/* and cannot ask for a value there is not */
	assert_int_equal(sqlmsg_format("%s %s %s %s", v, 3, out, sizeof out),
	    -1);
	assert_int_equal(sqlmsg_format("%4$s", v, 3, out, sizeof out), -1);
	assert_int_equal(sqlmsg_format("%d", v, 3, out, sizeof out), -1);
	/* truncated, never overrun */
	assert_int_equal(sqlmsg_format("%s %s %s", v, 3, out, 8), 0);
	assert_string_equal(out, "KT-1 ba");
}

static void
test_translate_vocabulary(void **state)
{
	char	out[256];

	(void)state;
	test_vocab_calls = 0;
	assert_int_equal(sqlmsg_translate(test_templates, "KT002",
	    "note: a reason is required to move a request to on_hold",
	    test_vocab, NULL, out, sizeof out), 0);
	assert_string_equal(out,
	    "note: a reason is required to move a request to ditunda");
	assert_int_equal(test_vocab_calls, 1);

	/* a value the program does not know stays as it is */
	assert_int_equal(sqlmsg_translate(test_templates, "KT003",
	    "request KT-9 cannot go from in_progress to frobbed",
	    test_vocab, NULL, out, sizeof out), 0);
	assert_string_equal(out,
	    "request KT-9 cannot go from dikerjakan to frobbed");

	/* a list of statuses, each translated */
	assert_int_equal(sqlmsg_translate(test_templates, "KT003",
	    "allowed from on_hold: in_progress, resolved",
	    test_vocab, NULL, out, sizeof out), 0);
	assert_string_equal(out, "allowed from ditunda: dikerjakan, selesai");
	/* but not a text in which one word happens to be a status */
	assert_int_equal(sqlmsg_translate(test_templates, "KT003",
	    "allowed from on_hold: in_progress, whatever",
	    test_vocab, NULL, out, sizeof out), 0);
	assert_string_equal(out,
	    "allowed from ditunda: in_progress, whatever");

	/* what the user typed, between quotes, is never translated */
	test_vocab_calls = 0;
	assert_int_equal(sqlmsg_translate(test_templates, "KT001",
	    "service \"on_hold\" is not a known service",
	    test_vocab, NULL, out, sizeof out), 0);
	assert_string_equal(out, "service \"on_hold\" is not a known service");
	assert_int_equal(test_vocab_calls, 0);
}

static void
test_translate_builtin_words(void **state)
{
	char	out[256];

	(void)state;
	/* field names and roles are libkota's own words */
	assert_int_equal(sqlmsg_translate(test_templates, "KT002",
	    "name_en must not be empty", NULL, NULL, out, sizeof out), 0);
	assert_string_equal(out, "English name must not be empty");
	assert_int_equal(sqlmsg_translate(test_templates, "KT005",
	    "only kota_supervisor may move a request from resolved to closed",
	    test_vocab, NULL, out, sizeof out), 0);
	assert_string_equal(out,
	    "only the supervisors may move a request from selesai to closed");
	assert_null(sqlmsg_word("on_hold"));
	assert_string_equal(sqlmsg_word("note"), "note");
}

static void
test_translate_most_specific(void **state)
{
	char	out[256];

	(void)state;
	test_vocab_calls = 0;
	assert_int_equal(sqlmsg_translate(test_templates, "KT003",
	    "request KT-9 cannot go from on_hold to duplicate",
	    test_vocab, NULL, out, sizeof out), 0);
	assert_string_equal(out,
	    "request KT-9 cannot go from ditunda to duplicate");
	/* "to duplicate" is the template's, not a value: one word asked */
	assert_int_equal(test_vocab_calls, 2);	/* KT-9 and on_hold */
}

static void
test_translate_truncates_on_a_character(void **state)
{
	static const struct sqlmsg_template t[] = {
		{ "KT002", "x %s" },
		{ NULL, NULL },
	};
	char	out[6];

	(void)state;
	/* "x " and two two-byte characters: the second does not fit */
	assert_int_equal(sqlmsg_translate(t, "KT002", "x \xc3\xa9\xc3\xa9",
	    NULL, NULL, out, sizeof out), 0);
	assert_string_equal(out, "x \xc3\xa9");
}

static void
test_catalogue_complete(void **state)
{
	const struct sqlmsg_template	*t;
	size_t				 n = 0;

	(void)state;
	/* the generated catalogue: every template of a KT SQLSTATE */
	for (t = sqlmsg_templates; t->sqlstate != NULL; t++, n++)
		assert_memory_equal(t->sqlstate, "KT", 2);
	assert_true(n >= 90);
}

/* A lost connection says why in words, libpq's English kept for a log. */
static void
test_lost_connection_words(void **state)
{
	struct db_error	 err;
	PGconn		*conn;
	PGresult	*res;

	(void)state;
	conn = PQconnectdb("host=/nonexistent/kota-test dbname=x "
	    "connect_timeout=1");
	assert_non_null(conn);
	assert_int_equal(PQstatus(conn), CONNECTION_BAD);
	db_error_set(&err, conn, NULL);
	assert_int_equal(err.status, DB_LOST);
	assert_string_equal(err.message, "the server cannot be reached");
	assert_non_null(strstr(err.message_en, "/nonexistent/kota-test"));
	PQfinish(conn);

	/* a result without a message: never its PGRES_ code on a screen */
	res = PQmakeEmptyPGresult(NULL, PGRES_COMMAND_OK);
	db_error_set(&err, NULL, res);
	assert_null(strstr(err.message, "PGRES"));
	assert_string_equal(err.message_en, "PGRES_COMMAND_OK");
	PQclear(res);
}

#ifdef ENABLE_NLS
/*
 * From the build tree, the build tree's catalogue: the Indonesian of a
 * refusal, its value put back.
 */
static void
test_build_tree_catalogue(void **state)
{
	const char	*en = "request 424242 does not exist";
	char		 out[256];

	(void)state;
	unsetenv("KOTA_LOCALEDIR");
	assert_string_equal(i18n_init("id"), "id");
	assert_string_equal(i18n_lang(), "id");
	assert_non_null(strstr(i18n_localedir(), "/po/locale"));
	assert_int_equal(sqlmsg_translate(sqlmsg_templates, "KT001", en,
	    NULL, NULL, out, sizeof out), 0);
	assert_string_not_equal(out, en);
	assert_non_null(strstr(out, "424242"));

	/* English again: the same message as the server's */
	i18n_set_lang("en");
	assert_string_equal(i18n_lang(), "en");
	assert_int_equal(sqlmsg_translate(sqlmsg_templates, "KT001", en,
	    NULL, NULL, out, sizeof out), 0);
	assert_string_equal(out, en);
}
#endif

static void
test_env_lang(void **state)
{
	(void)state;
	unsetenv("LC_ALL");
	unsetenv("LC_MESSAGES");
	unsetenv("LANGUAGE");
	unsetenv("LANG");
	assert_null(i18n_env_lang());
	setenv("LANG", "id_ID.UTF-8", 1);
	assert_string_equal(i18n_env_lang(), "id");
	setenv("LC_MESSAGES", "en_US.UTF-8", 1);
	assert_string_equal(i18n_env_lang(), "en");
	setenv("LC_ALL", "C.UTF-8", 1);
	assert_null(i18n_env_lang());
	/* LANGUAGE counts, but not in the C locale (as for gettext) */
	setenv("LANGUAGE", "fr:id", 1);
	assert_null(i18n_env_lang());
	setenv("LC_ALL", "fr_FR.UTF-8", 1);
	assert_string_equal(i18n_env_lang(), "id");
	unsetenv("LANGUAGE");
	assert_null(i18n_env_lang());
	setenv("LC_ALL", "POSIX", 1);
	assert_null(i18n_env_lang());
	setenv("LC_ALL", "id", 1);
	assert_string_equal(i18n_env_lang(), "id");
	setenv("LC_ALL", "ide_XX", 1);
	assert_null(i18n_env_lang());
	unsetenv("LC_ALL");
	unsetenv("LC_MESSAGES");
	unsetenv("LANG");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match_middle_and_end),
		cmocka_unit_test(test_match_percent),
		cmocka_unit_test(test_match_nothing),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_translate_vocabulary),
		cmocka_unit_test(test_translate_builtin_words),
		cmocka_unit_test(test_translate_most_specific),
		cmocka_unit_test(test_translate_truncates_on_a_character),
		cmocka_unit_test(test_catalogue_complete),
		cmocka_unit_test(test_env_lang),
		cmocka_unit_test(test_lost_connection_words),
#ifdef ENABLE_NLS
		cmocka_unit_test(test_build_tree_catalogue),
#endif
	};

	/* English: the templates as they are, whatever the caller's locale */
	unsetenv("KOTA_LOCALEDIR");
	i18n_init("en");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
