/*
 * test_conf.c: unit tests for lib/conf.c
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"

struct settings {
	char			*name;
	bool			 debug;
	int			 port;
	int			 workers;
	int			 mode;
	int			 timeout;
	int			 retry;
	struct conf_timerange	 quiet;
	struct conf_timerange	 window;
	struct conf_list	 gateways;
	struct conf_list	 tags;
	char			*sender;
};

static const char *const modes[] = { "auto", "manual", "off", NULL };

#define S(f)	offsetof(struct settings, f)

static const struct conf_key table[] = {
	{ .section = "", .name = "name", .type = CONF_STRING, .def = "kota",
	  .offset = S(name), .help = "instance name" },
	{ .section = "", .name = "debug", .type = CONF_BOOL, .def = "no",
	  .offset = S(debug), .reloadable = true },
	{ .section = "db", .name = "port", .type = CONF_INT, .def = "5432",
	  .offset = S(port), .min = 1, .max = 65535 },
	{ .section = "db", .name = "workers", .type = CONF_INT,
	  .offset = S(workers) },
	{ .section = "dispatch", .name = "mode", .type = CONF_ENUM,
	  .def = "auto", .offset = S(mode), .choices = modes },
	{ .section = "dispatch", .name = "timeout", .type = CONF_DURATION,
	  .def = "5s", .offset = S(timeout), .min = 100, .max = 3600000 },
	{ .section = "dispatch", .name = "retry", .type = CONF_DURATION,
	  .offset = S(retry) },
	{ .section = "sms", .name = "quiet_hours", .type = CONF_TIMERANGE,
	  .def = "21:00-07:00", .offset = S(quiet) },
	{ .section = "sms", .name = "window", .type = CONF_TIMERANGE,
	  .offset = S(window) },
	{ .section = "sms", .name = "gateway", .type = CONF_LIST,
	  .offset = S(gateways) },
	{ .section = "sms", .name = "tag", .type = CONF_LIST, .def = "default",
	  .offset = S(tags) },
	{ .section = "sms", .name = "sender", .type = CONF_STRING,
	  .offset = S(sender) },
	{ .name = NULL },
};

static char	err[CONF_ERRMAX];

/* Settings are overwritten by a load, not freed: free them first. */
static int
load(struct settings *s, const char *text)
{
	conf_free(table, s);
	err[0] = '\0';
	return (conf_load_string(table, s, "test.conf", text, strlen(text),
	    err, sizeof err));
}

#define assert_loads(s, text) do {					\
	if (load((s), (text)) != 0)					\
		fail_msg("load failed: %s", err);			\
} while (0)

#define assert_load_error(s, text, msg) do {				\
	assert_int_equal(load((s), (text)), -1);			\
	assert_string_equal(err, (msg));				\
} while (0)

static int
setup(void **state)
{
	*state = calloc(1, sizeof(struct settings));
	return (*state == NULL ? -1 : 0);
}

static int
teardown(void **state)
{
	conf_free(table, *state);
	free(*state);
	return (0);
}

static void
test_defaults(void **state)
{
	struct settings	*s = *state;

	assert_int_equal(conf_defaults(table, s, err, sizeof err), 0);
	assert_string_equal(s->name, "kota");
	assert_false(s->debug);
	assert_int_equal(s->port, 5432);
	assert_int_equal(s->workers, 0);
	assert_int_equal(s->mode, 0);
	assert_int_equal(s->timeout, 5000);
	assert_int_equal(s->retry, 0);
	assert_true(s->quiet.set);
	assert_int_equal(s->quiet.start, 21 * 60);
	assert_int_equal(s->quiet.end, 7 * 60);
	assert_false(s->window.set);
	assert_int_equal(s->gateways.n, 0);
	assert_null(s->gateways.items);
	assert_int_equal(s->tags.n, 1);
	assert_string_equal(s->tags.items[0], "default");
	assert_null(s->sender);
}

static void
test_empty_text_gives_defaults(void **state)
{
	struct settings	*s = *state;

	assert_int_equal(conf_load_string(table, s, "empty.conf", NULL, 0,
	    err, sizeof err), 0);
	assert_string_equal(s->name, "kota");
	assert_int_equal(s->port, 5432);
	assert_loads(s, "\n\n   \n");
	assert_int_equal(s->timeout, 5000);
}

static void
test_all_types(void **state)
{
	struct settings	*s = *state;

	assert_loads(s, "name = kota-denpasar\ndebug = yes\n"
	    "[db]\nport = 6432\nworkers = -3\n"
	    "[dispatch]\nmode = manual\ntimeout = 250ms\nretry = 2m\n"
	    "[sms]\nquiet_hours = 22:30-06:15\nwindow = 08:00-17:00\n"
	    "gateway = zenziva\ntag = bali\nsender = Kota Denpasar\n");
	assert_string_equal(s->name, "kota-denpasar");
	assert_true(s->debug);
	assert_int_equal(s->port, 6432);
	assert_int_equal(s->workers, -3);
	assert_int_equal(s->mode, 1);
	assert_int_equal(s->timeout, 250);
	assert_int_equal(s->retry, 120000);
	assert_int_equal(s->quiet.start, 22 * 60 + 30);
	assert_int_equal(s->quiet.end, 6 * 60 + 15);
	assert_true(s->window.set);
	assert_int_equal(s->window.start, 8 * 60);
	assert_int_equal(s->window.end, 17 * 60);
	assert_int_equal(s->gateways.n, 1);
	assert_string_equal(s->gateways.items[0], "zenziva");
	assert_int_equal(s->tags.n, 1);
	assert_string_equal(s->tags.items[0], "bali");
	assert_string_equal(s->sender, "Kota Denpasar");
}

static void
test_trim_blanks(void **state)
{
	struct settings	*s = *state;

	assert_loads(s, "  \t name\t=   two  words \t \n [ db ] \nport=7\n");
	assert_string_equal(s->name, "two  words");
	assert_int_equal(s->port, 7);
}

static void
test_quotes(void **state)
{
	struct settings	*s = *state;

	assert_loads(s, "name = \"  spaced # not a comment  \"\n"
	    "[db]\nport = \"6543\"\n");
	assert_string_equal(s->name, "  spaced # not a comment  ");
	assert_int_equal(s->port, 6543);
}

static void
test_escapes(void **state)
{
	struct settings	*s = *state;

	assert_loads(s, "name = \"a\\\"b\\\\c\\nd\\te\"\n");
	assert_string_equal(s->name, "a\"b\\c\nd\te");
}

static void
test_empty_values(void **state)
{
	struct settings	*s = *state;

	assert_loads(s, "name =\n[sms]\nsender = \"\"\nquiet_hours =\n");
	assert_string_equal(s->name, "");
	assert_string_equal(s->sender, "");
	assert_false(s->quiet.set);
}

static void
test_comments(void **state)
{
	struct settings	*s = *state;

	assert_loads(s, "# comment\n; another\n   # indented\n\t; tab\n"
	    "[db]\n#port = 1\n;port = 2\nport = 3\n\n");
	assert_int_equal(s->port, 3);
}

static void
test_crlf_and_no_final_newline(void **state)
{
	struct settings	*s = *state;

	assert_loads(s, "name = crlf\r\n[db]\r\nport = 99");
	assert_string_equal(s->name, "crlf");
	assert_int_equal(s->port, 99);
}

static void
test_bom(void **state)
{
	struct settings	*s = *state;

	assert_loads(s, "\xef\xbb\xbfname = bom\n");
	assert_string_equal(s->name, "bom");
}

static void
test_case_insensitive(void **state)
{
	struct settings	*s = *state;

	assert_loads(s, "NAME = Mixed\nDebug = TRUE\n[DB]\nPort = 1\n"
	    "[Dispatch]\nMODE = OFF\nTimeOut = 2S\n");
	assert_string_equal(s->name, "Mixed");
	assert_true(s->debug);
	assert_int_equal(s->port, 1);
	assert_int_equal(s->mode, 2);
	assert_int_equal(s->timeout, 2000);
}

static void
test_int_bounds(void **state)
{
	struct settings	*s = *state;

	assert_loads(s, "[db]\nport = 1\n");
	assert_int_equal(s->port, 1);
	assert_loads(s, "[db]\nport = 65535\n");
	assert_int_equal(s->port, 65535);
	assert_loads(s, "[db]\nport = +80\n");
	assert_int_equal(s->port, 80);
	assert_load_error(s, "[db]\nport = 0\n", "test.conf:2: key 'port' in "
	    "section [db]: '0' is out of range 1..65535");
	assert_load_error(s, "[db]\nport = 65536\n", "test.conf:2: key 'port' "
	    "in section [db]: '65536' is out of range 1..65535");
}

static void
test_int_unbounded(void **state)
{
	struct settings	*s = *state;

	assert_loads(s, "[db]\nworkers = 2147483647\n");
	assert_int_equal(s->workers, 2147483647);
	assert_loads(s, "[db]\nworkers = -2147483648\n");
	assert_int_equal(s->workers, -2147483647 - 1);
	assert_load_error(s, "[db]\nworkers = 2147483648\n", "test.conf:2: "
	    "key 'workers' in section [db]: '2147483648' is out of range");
	assert_load_error(s, "[db]\nworkers = 99999999999999999999999\n",
	    "test.conf:2: key 'workers' in section [db]: "
	    "'99999999999999999999999' is out of range");
}

static void
test_int_invalid(void **state)
{
	struct settings	*s = *state;

	assert_load_error(s, "[db]\nport = 12abc\n", "test.conf:2: key 'port' "
	    "in section [db]: '12abc' is not an integer");
	assert_load_error(s, "[db]\nport =\n", "test.conf:2: key 'port' "
	    "in section [db]: '' is not an integer");
	assert_load_error(s, "[db]\nport = 0x10\n", "test.conf:2: key 'port' "
	    "in section [db]: '0x10' is not an integer");
	assert_load_error(s, "[db]\nport = 1 2\n", "test.conf:2: key 'port' "
	    "in section [db]: '1 2' is not an integer");
	assert_load_error(s, "[db]\nport = \" 12\"\n", "test.conf:2: key "
	    "'port' in section [db]: ' 12' is not an integer");
	assert_load_error(s, "[db]\nport = -\n", "test.conf:2: key 'port' "
	    "in section [db]: '-' is not an integer");
}

static void
test_bool_spellings(void **state)
{
	static const char *const yes[] = { "true", "yes", "on", "1", "TRUE",
	    "Yes", "ON" };
	static const char *const no[] = { "false", "no", "off", "0", "FALSE",
	    "No", "Off" };
	struct settings	*s = *state;
	char		 text[64];
	size_t		 i;

	for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		snprintf(text, sizeof text, "debug = %s\n", yes[i]);
		assert_loads(s, text);
		assert_true(s->debug);
		snprintf(text, sizeof text, "debug = %s\n", no[i]);
		s->debug = true;
		assert_loads(s, text);
		assert_false(s->debug);
	}
}

static void
test_bool_invalid(void **state)
{
	struct settings	*s = *state;

	assert_load_error(s, "debug = maybe\n", "test.conf:1: key 'debug': "
	    "'maybe' is not a boolean (true/false, yes/no, on/off, 1/0)");
	assert_load_error(s, "debug = 2\n", "test.conf:1: key 'debug': "
	    "'2' is not a boolean (true/false, yes/no, on/off, 1/0)");
}

static void
test_enum(void **state)
{
	struct settings	*s = *state;

	assert_loads(s, "[dispatch]\nmode = auto\n");
	assert_int_equal(s->mode, 0);
	assert_loads(s, "[dispatch]\nmode = Manual\n");
	assert_int_equal(s->mode, 1);
	assert_loads(s, "[dispatch]\nmode = off\n");
	assert_int_equal(s->mode, 2);
	assert_load_error(s, "[dispatch]\nmode = automatic\n", "test.conf:2: "
	    "key 'mode' in section [dispatch]: 'automatic' is not one of: "
	    "auto, manual, off");
}

static void
test_durations(void **state)
{
	static const struct { const char *text; int ms; } d[] = {
		{ "250ms", 250 }, { "5s", 5000 }, { "2m", 120000 },
		{ "1h", 3600000 }, { "3", 3000 }, { "100ms", 100 },
		{ "10 s", 10000 }, { "1H", 3600000 }, { "60m", 3600000 },
	};
	struct settings	*s = *state;
	char		 text[64];
	size_t		 i;

	for (i = 0; i < sizeof d / sizeof d[0]; i++) {
		snprintf(text, sizeof text, "[dispatch]\ntimeout = %s\n",
		    d[i].text);
		assert_loads(s, text);
		assert_int_equal(s->timeout, d[i].ms);
	}
}

static void
test_duration_invalid(void **state)
{
	struct settings	*s = *state;

	assert_load_error(s, "[dispatch]\ntimeout = 5x\n", "test.conf:2: key "
	    "'timeout' in section [dispatch]: '5x' is not a duration (250ms, "
	    "5s, 2m, 1h; seconds without a unit)");
	assert_int_equal(load(s, "[dispatch]\ntimeout = ms\n"), -1);
	assert_int_equal(load(s, "[dispatch]\ntimeout = -5s\n"), -1);
	assert_int_equal(load(s, "[dispatch]\ntimeout = 1.5s\n"), -1);
	assert_int_equal(load(s, "[dispatch]\ntimeout =\n"), -1);
	assert_int_equal(load(s, "[dispatch]\ntimeout = 5sec\n"), -1);
	assert_non_null(strstr(err, "'5sec' is not a duration"));
}

static void
test_duration_bounds(void **state)
{
	struct settings	*s = *state;

	assert_load_error(s, "[dispatch]\ntimeout = 99ms\n", "test.conf:2: key "
	    "'timeout' in section [dispatch]: '99ms' is out of range "
	    "100ms..3600000ms");
	assert_load_error(s, "[dispatch]\ntimeout = 61m\n", "test.conf:2: key "
	    "'timeout' in section [dispatch]: '61m' is out of range "
	    "100ms..3600000ms");
	assert_loads(s, "[dispatch]\nretry = 0\n");
	assert_int_equal(s->retry, 0);
	assert_loads(s, "[dispatch]\nretry = 596h\n");
	assert_int_equal(s->retry, 596 * 3600000);
	assert_load_error(s, "[dispatch]\nretry = 597h\n", "test.conf:2: key "
	    "'retry' in section [dispatch]: '597h' is out of range");
	assert_int_equal(load(s, "[dispatch]\nretry = "
	    "99999999999999999999h\n"), -1);
}

static void
test_timerange(void **state)
{
	struct settings	*s = *state;

	assert_loads(s, "[sms]\nwindow = 08:30-17:00\n");
	assert_true(s->window.set);
	assert_int_equal(s->window.start, 510);
	assert_int_equal(s->window.end, 1020);
	assert_loads(s, "[sms]\nwindow = 21:00-07:00\n");
	assert_int_equal(s->window.start, 1260);
	assert_int_equal(s->window.end, 420);
	assert_loads(s, "[sms]\nwindow = 0:00 - 23:59\n");
	assert_int_equal(s->window.start, 0);
	assert_int_equal(s->window.end, 1439);
}

static void
test_timerange_invalid(void **state)
{
	static const char *const bad[] = { "25:00-07:00", "21:60-07:00",
	    "24:00-07:00", "21:00", "21-07", "21:00-07:00x", "21:0-07:00",
	    "21:00-7", "-07:00", "21:00--07:00", "a1:00-07:00", "121:00-07:00",
	    "21:00 07:00" };
	struct settings	*s = *state;
	char		 text[64], msg[256];
	size_t		 i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(text, sizeof text, "[sms]\nwindow = %s\n", bad[i]);
		snprintf(msg, sizeof msg, "test.conf:2: key 'window' in "
		    "section [sms]: '%s' is not a time range (hh:mm-hh:mm)",
		    bad[i]);
		assert_load_error(s, text, msg);
	}
	assert_load_error(s, "[sms]\nwindow = 08:00-08:00\n", "test.conf:2: "
	    "key 'window' in section [sms]: '08:00-08:00' starts where it "
	    "ends");
}

static void
test_list_accumulates(void **state)
{
	struct settings	*s = *state;

	assert_loads(s, "[sms]\ngateway = zenziva\ngateway = twilio\n"
	    "sender = x\nGATEWAY = \" log \"\n");
	assert_int_equal(s->gateways.n, 3);
	assert_string_equal(s->gateways.items[0], "zenziva");
	assert_string_equal(s->gateways.items[1], "twilio");
	assert_string_equal(s->gateways.items[2], " log ");
}

static void
test_list_replaces_default(void **state)
{
	struct settings	*s = *state;

	assert_loads(s, "[sms]\ntag = a\n[db]\nport = 1\n[sms]\ntag = b\n");
	assert_int_equal(s->tags.n, 2);
	assert_string_equal(s->tags.items[0], "a");
	assert_string_equal(s->tags.items[1], "b");
}

static void
test_keys_before_section(void **state)
{
	struct settings	*s = *state;

	assert_loads(s, "debug = on\nname = top\n[db]\nport = 2\n");
	assert_true(s->debug);
	assert_string_equal(s->name, "top");
	assert_load_error(s, "port = 5432\n", "test.conf:1: unknown key "
	    "'port'");
	assert_load_error(s, "[db]\nname = x\n", "test.conf:2: unknown key "
	    "'name' in section [db]");
}

static void
test_unknown_key(void **state)
{
	struct settings	*s = *state;

	assert_load_error(s, "[dispatch]\nmode = auto\ntimout = 5s\n",
	    "test.conf:3: unknown key 'timout' in section [dispatch]");
	assert_load_error(s, "[sms]\nport = 1\n", "test.conf:2: unknown key "
	    "'port' in section [sms]");
}

static void
test_unknown_section(void **state)
{
	struct settings	*s = *state;

	assert_load_error(s, "name = x\n[dbx]\nport = 1\n", "test.conf:2: "
	    "unknown section [dbx]");
	assert_load_error(s, "[db.port]\n", "test.conf:1: unknown section "
	    "[db.port]");
}

static void
test_duplicate_key(void **state)
{
	struct settings	*s = *state;

	assert_load_error(s, "[db]\nport = 1\n\nport = 2\n", "test.conf:4: "
	    "duplicate key 'port' (first set on line 2)");
	assert_load_error(s, "[db]\nport = 1\n[sms]\n[DB]\nPORT = 1\n",
	    "test.conf:5: duplicate key 'PORT' (first set on line 2)");
	assert_load_error(s, "name = a\nname = a\n", "test.conf:2: duplicate "
	    "key 'name' (first set on line 1)");
}

static void
test_syntax_errors(void **state)
{
	struct settings	*s = *state;

	assert_load_error(s, "[db]\njust some words\n", "test.conf:2: "
	    "expected 'key = value', '[section]' or a comment");
	assert_load_error(s, "[db]\n= 5\n", "test.conf:2: missing key name "
	    "before '='");
	assert_load_error(s, "[db]\npo rt = 5\n", "test.conf:2: invalid key "
	    "name 'po rt'");
	assert_load_error(s, "[db]\nport# = 5\n", "test.conf:2: invalid key "
	    "name 'port#'");
}

static void
test_section_header_errors(void **state)
{
	struct settings	*s = *state;

	assert_load_error(s, "[]\n", "test.conf:1: empty section name");
	assert_load_error(s, "\n[   ]\n", "test.conf:2: empty section name");
	assert_load_error(s, "[db\n", "test.conf:1: unterminated section "
	    "header '[db'");
	assert_load_error(s, "[db] port = 1\n", "test.conf:1: unexpected text "
	    "after section header '[db] port = 1'");
	assert_load_error(s, "[d b]\n", "test.conf:1: invalid section name "
	    "'d b'");
}

static void
test_quote_errors(void **state)
{
	struct settings	*s = *state;

	assert_load_error(s, "name = \"open\n", "test.conf:1: unterminated "
	    "quote");
	assert_load_error(s, "name = \"open\\\"\n", "test.conf:1: "
	    "unterminated quote");
	assert_load_error(s, "name = \"ends in backslash\\\n", "test.conf:1: "
	    "unterminated quote");
	assert_load_error(s, "name = \"a\" b\n", "test.conf:1: unexpected "
	    "text 'b' after closing quote");
	assert_load_error(s, "name = \"a\" # c\n", "test.conf:1: unexpected "
	    "text '# c' after closing quote");
	assert_load_error(s, "name = \"a\\qb\"\n", "test.conf:1: invalid "
	    "escape '\\q' in quoted value");
}

static void
test_unquoted_hash(void **state)
{
	struct settings	*s = *state;

	assert_load_error(s, "[db]\nport = 5 # five\n", "test.conf:2: '#' in "
	    "value '5 # five' must be quoted");
	assert_load_error(s, "name = a#b\n", "test.conf:1: '#' in value 'a#b' "
	    "must be quoted");
	assert_loads(s, "name = a;b\n");
	assert_string_equal(s->name, "a;b");
}

static void
test_nul_byte(void **state)
{
	static const char text[] = "name = a\n[db]\nport = 1\0 2\n";
	struct settings	*s = *state;

	assert_int_equal(conf_load_string(table, s, "nul.conf", text,
	    sizeof text - 1, err, sizeof err), -1);
	assert_string_equal(err, "nul.conf:3: NUL byte in file");
	/* nothing was applied */
	assert_string_equal(s->name, "kota");
}

static void
test_partial_load(void **state)
{
	struct settings	*s = *state;

	assert_load_error(s, "name = first\n[sms]\ngateway = g1\nbogus = 1\n"
	    "sender = late\n", "test.conf:4: unknown key 'bogus' in section "
	    "[sms]");
	assert_string_equal(s->name, "first");
	assert_int_equal(s->gateways.n, 1);
	assert_null(s->sender);
	assert_int_equal(s->port, 5432);
}

static void
test_conf_free(void **state)
{
	struct settings	*s = *state;

	assert_loads(s, "[sms]\ngateway = a\ngateway = b\nsender = me\n");
	conf_free(table, s);
	assert_null(s->name);
	assert_null(s->sender);
	assert_int_equal(s->gateways.n, 0);
	assert_null(s->gateways.items);
	assert_int_equal(s->tags.n, 0);
	assert_null(s->tags.items);
	assert_int_equal(s->port, 5432);	/* no heap, left alone */
	conf_free(table, s);
	assert_null(s->name);
	conf_free(table, NULL);
}

static void
test_conf_find(void **state)
{
	(void)state;
	assert_ptr_equal(conf_find(table, "DB", "Port"), &table[2]);
	assert_ptr_equal(conf_find(table, "", "name"), &table[0]);
	assert_ptr_equal(conf_find(table, NULL, "NAME"), &table[0]);
	assert_null(conf_find(table, "db", "name"));
	assert_null(conf_find(table, "sms", "port"));
	assert_null(conf_find(table, "db", "por"));
	assert_null(conf_find(table, "db", "portx"));
	assert_null(conf_find(table, "db", NULL));
}

static void
test_bad_default(void **state)
{
	static const struct conf_key bad[] = {
		{ .section = "db", .name = "port", .type = CONF_INT,
		  .def = "lots", .offset = S(port) },
		{ .name = NULL },
	};
	static const struct conf_key nochoices[] = {
		{ .section = "dispatch", .name = "mode", .type = CONF_ENUM,
		  .offset = S(mode) },
		{ .name = NULL },
	};
	struct settings	*s = *state;

	assert_int_equal(conf_defaults(bad, s, err, sizeof err), -1);
	assert_string_equal(err, "default of key 'port' in section [db]: "
	    "'lots' is not an integer");
	assert_int_equal(conf_load_string(bad, s, "x.conf", "", 0, err,
	    sizeof err), -1);
	assert_int_equal(conf_defaults(nochoices, s, err, sizeof err), -1);
	assert_string_equal(err, "key 'mode' in section [dispatch]: no "
	    "choices declared");
}

static void
test_small_error_buffer(void **state)
{
	struct settings	*s = *state;
	char		 small[12];

	memset(small, 'x', sizeof small);
	assert_int_equal(conf_load_string(table, s, "test.conf", "bogus = 1",
	    9, small, sizeof small), -1);
	assert_string_equal(small, "test.conf:1");
	conf_free(table, s);
	assert_int_equal(conf_load_string(table, s, "test.conf", "bogus = 1",
	    9, NULL, 0), -1);
	conf_free(table, s);
	small[0] = 'x';
	assert_int_equal(conf_load_string(table, s, "test.conf", "bogus = 1",
	    9, small, 0), -1);
	assert_int_equal(small[0], 'x');
}

static void
write_file(const char *path, const char *text, size_t len)
{
	FILE	*f;

	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void
test_load_file(void **state)
{
	static const char text[] = "name = from-file\n[db]\nport = 6000\n"
	    "[sms]\ngateway = a\nbogus\n";
	struct settings	*s = *state;
	char		 path[] = "/tmp/test_conf.XXXXXX", want[256];
	int		 fd;

	assert_true((fd = mkstemp(path)) >= 0);
	close(fd);
	write_file(path, text, (size_t)(strstr(text, "bogus") - text));
	assert_int_equal(conf_load(table, s, path, err, sizeof err), 0);
	assert_string_equal(s->name, "from-file");
	assert_int_equal(s->port, 6000);
	assert_int_equal(s->gateways.n, 1);

	conf_free(table, s);
	write_file(path, text, sizeof text - 1);
	assert_int_equal(conf_load(table, s, path, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s:6: expected 'key = value', "
	    "'[section]' or a comment", path);
	assert_string_equal(err, want);
	unlink(path);
}

static void
test_load_missing_file(void **state)
{
	struct settings	*s = *state;

	assert_int_equal(conf_load(table, s, "/nonexistent/kotad.conf", err,
	    sizeof err), -1);
	assert_string_equal(err, "cannot open config '/nonexistent/kotad.conf'"
	    ": No such file or directory");
	/* defaults are there even so */
	assert_string_equal(s->name, "kota");
	assert_int_equal(s->port, 5432);
}

static void
test_load_directory(void **state)
{
	struct settings	*s = *state;

	assert_int_equal(conf_load(table, s, "/tmp", err, sizeof err), -1);
	assert_string_equal(err, "cannot read config '/tmp': not a regular file");
}

/* A FIFO with no writer: refused at once, never waited on in read(). */
static void
test_load_fifo(void **state)
{
	struct settings	*s = *state;
	char		 dir[] = "/tmp/test_conf.XXXXXX", path[64], want[128];

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	alarm(10);		/* a hang fails the test instead of the run */
	assert_int_equal(conf_load(table, s, path, err, sizeof err), -1);
	alarm(0);
	snprintf(want, sizeof want, "cannot read config '%s': not a regular file",
	    path);
	assert_string_equal(err, want);
	unlink(path);
	rmdir(dir);
}

static void
test_load_too_large(void **state)
{
	struct settings	*s = *state;
	char		 path[] = "/tmp/test_conf.XXXXXX";
	char		*big;
	size_t		 len = 1024 * 1024;
	int		 fd;

	assert_non_null(big = malloc(len + 1));
	memset(big, '\n', len + 1);
	memcpy(big, "name = big", 10);
	assert_true((fd = mkstemp(path)) >= 0);
	close(fd);
	write_file(path, big, len);		/* exactly 1 MiB: fine */
	assert_int_equal(conf_load(table, s, path, err, sizeof err), 0);
	assert_string_equal(s->name, "big");
	conf_free(table, s);
	write_file(path, big, len + 1);
	assert_int_equal(conf_load(table, s, path, err, sizeof err), -1);
	assert_non_null(strstr(err, "file too large"));
	assert_non_null(strstr(err, path));
	unlink(path);
	free(big);
}

#define T(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_defaults), T(test_empty_text_gives_defaults),
		T(test_all_types), T(test_trim_blanks), T(test_quotes),
		T(test_escapes), T(test_empty_values), T(test_comments),
		T(test_crlf_and_no_final_newline), T(test_bom),
		T(test_case_insensitive), T(test_int_bounds),
		T(test_int_unbounded), T(test_int_invalid),
		T(test_bool_spellings), T(test_bool_invalid), T(test_enum),
		T(test_durations), T(test_duration_invalid),
		T(test_duration_bounds), T(test_timerange),
		T(test_timerange_invalid), T(test_list_accumulates),
		T(test_list_replaces_default), T(test_keys_before_section),
		T(test_unknown_key), T(test_unknown_section),
		T(test_duplicate_key), T(test_syntax_errors),
		T(test_section_header_errors), T(test_quote_errors),
		T(test_unquoted_hash), T(test_nul_byte), T(test_partial_load),
		T(test_conf_free), T(test_conf_find), T(test_bad_default),
		T(test_small_error_buffer), T(test_load_file),
		T(test_load_missing_file), T(test_load_directory), T(test_load_fifo),
		T(test_load_too_large),
	};

	return (cmocka_run_group_tests_name("conf", tests, NULL, NULL));
}
