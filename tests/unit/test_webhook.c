/*
 * test_webhook.c: unit tests for lib/webhook.c
 *
 * The vector is the one the Standard Webhooks specification publishes
 * (and its reference libraries test): secret, id, timestamp and payload
 * below give exactly this signature.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "webhook.h"

#define VEC_SECRET	"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
#define VEC_ID		"msg_p5jXN8AQM9LWM0D4loKWxJek"
#define VEC_TS		1614265330
#define VEC_BODY	"{\"test\": 2432232314}"
#define VEC_SIG		"v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

static void
test_published_vector(void **state)
{
	struct webhook_key	key;
	char			sig[WEBHOOK_SIG_MAX];

	(void)state;
	assert_int_equal(webhook_key_parse(VEC_SECRET, &key), 0);
	assert_int_equal(key.len, 24);
	assert_int_equal(webhook_sign(&key, VEC_ID, VEC_TS, VEC_BODY,
	    strlen(VEC_BODY), sig, sizeof sig), 0);
	assert_string_equal(sig, VEC_SIG);
}

static void
test_changes_change_the_signature(void **state)
{
	struct webhook_key	key;
	char			sig[WEBHOOK_SIG_MAX];

	(void)state;
	assert_int_equal(webhook_key_parse(VEC_SECRET, &key), 0);
	webhook_sign(&key, VEC_ID, VEC_TS + 1, VEC_BODY, strlen(VEC_BODY),
	    sig, sizeof sig);
	assert_string_not_equal(sig, VEC_SIG);
	webhook_sign(&key, "msg_other", VEC_TS, VEC_BODY, strlen(VEC_BODY),
	    sig, sizeof sig);
	assert_string_not_equal(sig, VEC_SIG);
	webhook_sign(&key, VEC_ID, VEC_TS, VEC_BODY, strlen(VEC_BODY) - 1,
	    sig, sizeof sig);
	assert_string_not_equal(sig, VEC_SIG);
}

static void
test_long_body(void **state)
{
	static char		body[10000];
	struct webhook_key	key;
	char			a[WEBHOOK_SIG_MAX], b[WEBHOOK_SIG_MAX];

	(void)state;
	memset(body, 'x', sizeof body);
	assert_int_equal(webhook_key_parse(VEC_SECRET, &key), 0);
	assert_int_equal(webhook_sign(&key, VEC_ID, VEC_TS, body, sizeof body,
	    a, sizeof a), 0);
	assert_int_equal(webhook_sign(&key, VEC_ID, VEC_TS, body, sizeof body,
	    b, sizeof b), 0);
	assert_string_equal(a, b);
	assert_int_equal(strlen(a), 47);
}

static void
test_key_parse(void **state)
{
	struct webhook_key	key;

	(void)state;
	assert_int_equal(webhook_key_parse("  " VEC_SECRET "\n", &key), 0);
	assert_int_equal(webhook_key_parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
	    &key), -1);			/* no whsec_ */
	assert_int_equal(webhook_key_parse("whsec_", &key), -1);
	assert_int_equal(webhook_key_parse("whsec_c2hvcnQ=", &key), -1);
	assert_int_equal(webhook_key_parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2La"
	    "LaS!", &key), -1);		/* not base64 */
	assert_int_equal(webhook_key_parse(NULL, &key), -1);
}

/*
 * Why a secret is refused: the sentences kota.department_webhook_secret()
 * repeats in the database, in the order it checks them.
 */
static void
test_key_check(void **state)
{
	struct webhook_key	key;
	char			why[128];

	(void)state;
	assert_int_equal(webhook_key_check(" " VEC_SECRET " \r\n", &key, why,
	    sizeof why), 0);
	assert_string_equal(why, "");
	assert_int_equal(key.len, 24);
	assert_int_equal(webhook_key_check("WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2La"
	    "LaSw", &key, why, sizeof why), -1);
	assert_string_equal(why, "the secret must start with whsec_");
	assert_int_equal(key.len, 0);
	/* 32 characters, the last with bits a decoder would drop */
	assert_int_equal(webhook_key_check("whsec_MDEyMzQ1Njc4OWFiY2RlZmdoaWpr"
	    "bB==", &key, why, sizeof why), -1);
	assert_string_equal(why, "the secret after whsec_ must be base64 "
	    "(A-Z, a-z, 0-9, + and /, padded with =)");
	/* padding that does not complete a quantum */
	assert_int_equal(webhook_key_check("whsec_MDEyMzQ1Njc4OWFiY2RlZmdoaWpr"
	    "bA=", &key, why, sizeof why), -1);
	assert_string_equal(why, "the secret after whsec_ must be base64 "
	    "(A-Z, a-z, 0-9, + and /, padded with =)");
	assert_int_equal(webhook_key_check("whsec_MDEyMzQ1Njc4OWFiY2RlZmdoaWpr"
	    "bA==", &key, why, sizeof why), -1);
	assert_string_equal(why, "the secret must hold 24 to 64 bytes, not 22");
	/* 92 characters, 69 bytes: more than a key holds */
	assert_int_equal(webhook_key_check("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    &key, why, sizeof why), -1);
	assert_string_equal(why, "the secret must hold 24 to 64 bytes, not 69");
	assert_int_equal(webhook_key_check(NULL, &key, why, sizeof why), -1);
	assert_string_equal(why, "the secret must start with whsec_");
}

static void
test_generate(void **state)
{
	struct webhook_key	key;
	char			a[WEBHOOK_SECRET_NEW_MAX], b[WEBHOOK_SECRET_NEW_MAX];

	(void)state;
	assert_int_equal(webhook_secret_generate(a, sizeof a), 0);
	assert_int_equal(webhook_secret_generate(b, sizeof b), 0);
	assert_int_equal(strlen(a), WEBHOOK_SECRET_NEW_MAX - 1);
	assert_string_not_equal(a, b);
	assert_int_equal(webhook_key_parse(a, &key), 0);
	assert_int_equal(key.len, WEBHOOK_NEW_KEY);
	assert_int_equal(webhook_secret_generate(a, sizeof a - 1), -1);
}

static void
test_base64(void **state)
{
	unsigned char	out[16];
	size_t		n;

	(void)state;
	assert_int_equal(webhook_base64_decode("aGk=", 4, out, sizeof out,
	    &n), 0);
	assert_int_equal(n, 2);
	assert_memory_equal(out, "hi", 2);
	assert_int_equal(webhook_base64_decode("aGk", 3, out, sizeof out,
	    &n), 0);		/* unpadded */
	assert_int_equal(n, 2);
	assert_int_equal(webhook_base64_decode("aGl=", 4, out, sizeof out,
	    &n), -1);		/* stray bits */
	assert_int_equal(webhook_base64_decode("a", 1, out, sizeof out,
	    &n), -1);
	assert_int_equal(webhook_base64_decode("aGk==", 5, out, sizeof out,
	    &n), -1);
	assert_int_equal(webhook_base64_decode("aGVsbG8gd29ybGQhIQ==", 20,
	    out, 4, &n), -1);	/* too long for out */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_published_vector),
		cmocka_unit_test(test_changes_change_the_signature),
		cmocka_unit_test(test_long_body),
		cmocka_unit_test(test_key_parse),
		cmocka_unit_test(test_key_check),
		cmocka_unit_test(test_generate),
		cmocka_unit_test(test_base64),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
