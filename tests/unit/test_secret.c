/*
 * test_secret.c: unit tests for lib/secret.c
 *
 * Each test writes its file in a scratch directory with an exact mode
 * (fchmod, whatever the umask) and reads it back.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "secret.h"

static char	dir[256];
static char	path[512];
static char	err[512];

static int
setup(void **state)
{
	const char	*tmp = getenv("TMPDIR");

	(void)state;
	snprintf(dir, sizeof dir, "%s/test_secret.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof path, "%s/secret", dir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(path);
	return rmdir(dir);
}

/* path holds len bytes of text, with mode */
static void
put(const char *text, size_t len, mode_t mode)
{
	int	fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	assert_int_equal(close(fd), 0);
}

static char *
read_ok(void)
{
	char	*s = NULL;

	err[0] = '\0';
	if (secret_read(path, "[test] secret_file", &s, err, sizeof err) != 0)
		fail_msg("refused: %s", err);
	return s;
}

static void
refused(const char *why)
{
	char	*s = (char *)"untouched";

	err[0] = '\0';
	assert_int_equal(secret_read(path, "--file", &s, err, sizeof err), -1);
	assert_null(s);
	if (strstr(err, why) == NULL || strncmp(err, "--file: ", 8) != 0)
		fail_msg("message '%s' does not say '%s'", err, why);
}

static void
test_one_line(void **state)
{
	char	*s;

	(void)state;
	put("whsec_abc\n", 10, 0600);
	s = read_ok();
	assert_string_equal(s, "whsec_abc");
	secret_free(&s);
	assert_null(s);
	secret_free(&s);			/* NULL is fine */

	put("  token with spaces \t\r\n", 23, 0400);
	s = read_ok();
	assert_string_equal(s, "  token with spaces");	/* trailing only */
	secret_free(&s);

	put("no newline", 10, 0600);
	s = read_ok();
	assert_string_equal(s, "no newline");
	secret_free(&s);
}

static void
test_others_may_read(void **state)
{
	(void)state;
	put("whsec_abc\n", 10, 0644);
	refused("may be read or written by others (mode 0644)");
	put("whsec_abc\n", 10, 0620);
	refused("(mode 0620)");
	put("whsec_abc\n", 10, 0602);
	refused("(mode 0602)");
}

static void
test_not_a_secret_file(void **state)
{
	(void)state;
	unlink(path);
	refused("cannot open");
	assert_int_equal(mkdir(path, 0700), 0);
	refused("is not a regular file");
	assert_int_equal(rmdir(path), 0);
}

static void
test_not_one_line(void **state)
{
	static char	 big[SECRET_MAX + 10];
	char		*s;

	(void)state;
	put("", 0, 0600);
	refused("must hold the secret on one line");
	put(" \n\n", 3, 0600);
	refused("on one line");
	put("first\nsecond\n", 13, 0600);
	refused("on one line");
	put("nul\0inside\n", 11, 0600);
	refused("on one line");
	memset(big, 'x', sizeof big);
	put(big, SECRET_MAX, 0600);
	refused("on one line");			/* too long */
	put(big, sizeof big, 0600);
	refused("on one line");
	big[SECRET_MAX - 2] = '\n';
	put(big, SECRET_MAX - 1, 0600);		/* the longest there is */
	s = read_ok();
	assert_int_equal(strlen(s), SECRET_MAX - 2);
	secret_free(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_line),
		cmocka_unit_test(test_others_may_read),
		cmocka_unit_test(test_not_a_secret_file),
		cmocka_unit_test(test_not_one_line),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
