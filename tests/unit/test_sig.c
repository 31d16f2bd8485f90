/*
 * test_sig.c: unit tests for the inbound webhooks' signatures
 * (server/kotaweb/sig.c), with the vectors of Twilio's documentation and
 * of ../shared/reference/inbound-sms.md
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

#include "sig.h"

/* Twilio's docs: the parameters of a call, form-encoded */
#define DOC_TOKEN	"12345"
#define DOC_URL		"https://mycompany.com/myapp.php?foo=1&bar=2"
#define DOC_BODY	"CallSid=CA1234567890ABCDE&Caller=%2B12349013030" \
			"&Digits=1234&From=%2B12349013030&To=%2B18005551212"
#define DOC_SIG		"0/KCTR6DLpKmkAf8muzZqo1nDgQ="

/* an SMS as Twilio posts it to Kota */
#define SMS_TOKEN	"kota-test-token"
#define SMS_URL		"https://kota.example.org/sms/inbound"
#define SMS_URL_443	"https://kota.example.org:443/sms/inbound"
#define SMS_BODY	"AccountSid=AC0123456789abcdef0123456789abcdef" \
	"&ApiVersion=2010-04-01&Body=Lampu+jalan+mati+di+Jl.+Merdeka+5" \
	"&From=%2B6281234567890&MessageSid=SM0123456789abcdef0123456789abcdef" \
	"&NumMedia=0&NumSegments=1" \
	"&SmsMessageSid=SM0123456789abcdef0123456789abcdef" \
	"&SmsSid=SM0123456789abcdef0123456789abcdef&SmsStatus=received" \
	"&To=%2B6221555000"
#define SMS_SIG		"ucfUX8ZhO+0eA3cTqbs7RXIK8eo="
#define SMS_SIG_443	"/JANX8pBBbsO0dx5PFh6Yj+9PAU="

static const char *
twilio(const char *token, const char *url, const char *body)
{
	static char	out[SIG_TWILIO_LEN + 1];

	if (sig_twilio(token, url, body, strlen(body), out, sizeof out) != 0)
		return "(error)";
	return out;
}

static bool
check(const char *url, const char *body, const char *sig)
{
	return sig_twilio_check(SMS_TOKEN, url, body, strlen(body), sig);
}

static void
test_twilio_doc_vector(void **state)
{
	(void)state;
	assert_string_equal(twilio(DOC_TOKEN, DOC_URL, DOC_BODY), DOC_SIG);
	/* the order of the body does not matter: the names are sorted */
	assert_string_equal(twilio(DOC_TOKEN, DOC_URL,
	    "To=%2B18005551212&From=%2B12349013030&Digits=1234"
	    "&Caller=%2B12349013030&CallSid=CA1234567890ABCDE"), DOC_SIG);
	assert_true(sig_twilio_check(DOC_TOKEN, DOC_URL, DOC_BODY,
	    strlen(DOC_BODY), DOC_SIG));
}

static void
test_twilio_sms_vectors(void **state)
{
	(void)state;
	assert_string_equal(twilio(SMS_TOKEN, SMS_URL, SMS_BODY), SMS_SIG);
	assert_string_equal(twilio(SMS_TOKEN, SMS_URL_443, SMS_BODY),
	    SMS_SIG_443);
	/* either form of the URL is taken, whichever is configured */
	assert_true(check(SMS_URL, SMS_BODY, SMS_SIG));
	assert_true(check(SMS_URL, SMS_BODY, SMS_SIG_443));
	assert_true(check(SMS_URL_443, SMS_BODY, SMS_SIG));
	assert_true(check(SMS_URL_443, SMS_BODY, SMS_SIG_443));
}

static void
test_twilio_tampered(void **state)
{
	char	body[sizeof SMS_BODY];
	char	*p;

	(void)state;
	/* one letter of the text changed */
	memcpy(body, SMS_BODY, sizeof body);
	p = strstr(body, "Merdeka+5");
	p[8] = '6';
	assert_false(check(SMS_URL, body, SMS_SIG));
	/* a parameter added */
	assert_false(check(SMS_URL, SMS_BODY "&Extra=1", SMS_SIG));
	/* a parameter with an empty value is signed too */
	assert_false(check(SMS_URL, SMS_BODY "&FromCity=", SMS_SIG));
	/* the encoding does not matter, the decoded value does */
	assert_true(check(SMS_URL, "AccountSid=AC0123456789abcdef0123456789abcdef"
	    "&ApiVersion=2010-04-01&Body=Lampu%20jalan%20mati%20di%20Jl%2E"
	    "+Merdeka+5&From=%2B6281234567890"
	    "&MessageSid=SM0123456789abcdef0123456789abcdef"
	    "&NumMedia=0&NumSegments=1"
	    "&SmsMessageSid=SM0123456789abcdef0123456789abcdef"
	    "&SmsSid=SM0123456789abcdef0123456789abcdef&SmsStatus=received"
	    "&To=%2B6221555000", SMS_SIG));
	/* the signature itself altered, cut, empty, missing */
	assert_false(check(SMS_URL, SMS_BODY, "ucfUX8ZhO+0eA3cTqbs7RXIK8eO="));
	assert_false(check(SMS_URL, SMS_BODY, "ucfUX8ZhO+0eA3cTqbs7RXIK8eo"));
	assert_false(check(SMS_URL, SMS_BODY, ""));
	assert_false(check(SMS_URL, SMS_BODY, NULL));
	/* a malformed body has no signature */
	assert_false(check(SMS_URL, "Body=%zz", SMS_SIG));
}

static void
test_twilio_wrong_url_or_token(void **state)
{
	(void)state;
	/* another port, another scheme, another path */
	assert_false(check("https://kota.example.org:8443/sms/inbound",
	    SMS_BODY, SMS_SIG));
	assert_false(check(SMS_URL, SMS_BODY,
	    twilio(SMS_TOKEN, "https://kota.example.org:8443/sms/inbound",
	    SMS_BODY)));
	assert_false(check(SMS_URL, SMS_BODY,
	    twilio(SMS_TOKEN, "http://kota.example.org/sms/inbound",
	    SMS_BODY)));
	assert_false(check(SMS_URL, SMS_BODY,
	    twilio(SMS_TOKEN, "https://kota.example.org:80/sms/inbound",
	    SMS_BODY)));
	assert_false(check(SMS_URL "/", SMS_BODY, SMS_SIG));
	assert_false(sig_twilio_check("kota-test-tokeN", SMS_URL, SMS_BODY,
	    strlen(SMS_BODY), SMS_SIG));
	assert_false(sig_twilio_check("", SMS_URL, SMS_BODY,
	    strlen(SMS_BODY), SMS_SIG));
}

static void
test_twilio_repeated_names(void **state)
{
	char	one[SIG_TWILIO_LEN + 1];

	(void)state;
	/* a name's values are sorted: their order in the body is not
	 * signed */
	snprintf(one, sizeof one, "%s", twilio("k", "https://h/x",
	    "a=2&b=1&a=1"));
	assert_string_equal(one, twilio("k", "https://h/x", "a=1&a=2&b=1"));
	/* name+value, each: a=1&a=2 signs "a1a2" */
	snprintf(one, sizeof one, "%s", twilio("k", "https://h/x",
	    "a=1&a=2"));
	assert_string_not_equal(one, twilio("k", "https://h/x", "a=12"));
	assert_string_equal(one, twilio("k", "https://h/xa1", "a=2"));
	/* a NUL decoded is a byte of the value, not its end */
	snprintf(one, sizeof one, "%s", twilio("k", "https://h/x",
	    "a=x%00y"));
	assert_string_not_equal(one, twilio("k", "https://h/x", "a=x"));
	/* an empty value and a name alone sign the same: the name */
	snprintf(one, sizeof one, "%s", twilio("k", "https://h/x", "a=&b=1"));
	assert_string_equal(one, twilio("k", "https://h/x", "b=1&a"));
	assert_string_not_equal(one, twilio("k", "https://h/x", "b=1"));
}

static void
test_url_other_port(void **state)
{
	char	out[SIG_URL_MAX];

	(void)state;
	assert_int_equal(sig_url_other_port("https://h.example/x?y=1", out,
	    sizeof out), 0);
	assert_string_equal(out, "https://h.example:443/x?y=1");
	assert_int_equal(sig_url_other_port("https://h.example:443/x", out,
	    sizeof out), 0);
	assert_string_equal(out, "https://h.example/x");
	assert_int_equal(sig_url_other_port("http://h.example", out,
	    sizeof out), 0);
	assert_string_equal(out, "http://h.example:80");
	assert_int_equal(sig_url_other_port("http://[::1]:80/a", out,
	    sizeof out), 0);
	assert_string_equal(out, "http://[::1]/a");
	assert_int_equal(sig_url_other_port("http://[::1]/a", out,
	    sizeof out), 0);
	assert_string_equal(out, "http://[::1]:80/a");
	assert_int_equal(sig_url_other_port("https://h:8443/x", out,
	    sizeof out), -1);
	assert_int_equal(sig_url_other_port("https://h:80/x", out,
	    sizeof out), -1);
	assert_int_equal(sig_url_other_port("ftp://h/x", out, sizeof out), -1);
	assert_int_equal(sig_url_other_port("https://h/x", out, 10), -1);
}

/* hex HMAC-SHA256("kota-secret", "text=STATUS&id=1"), by openssl dgst */
#define H_SECRET	"kota-secret"
#define H_BODY		"id=1&text=STATUS"
#define H_HEX		"51ac058547baac2fa7d3bc54e82257fe" \
			"9ef18146d934590dde2009d8e2898ddd"

static void
test_hmac256(void **state)
{
	char	 hdr[80], upper[96];
	size_t	 i;

	(void)state;
	snprintf(hdr, sizeof hdr, "%s", H_HEX);
	assert_true(sig_hmac256_check(H_SECRET, H_BODY, strlen(H_BODY), hdr));
	snprintf(upper, sizeof upper, "sha256=%s", hdr);
	assert_true(sig_hmac256_check(H_SECRET, H_BODY, strlen(H_BODY),
	    upper));
	for (i = 7; upper[i] != '\0'; i++)
		if (upper[i] >= 'a' && upper[i] <= 'f')
			upper[i] = (char)(upper[i] - 'a' + 'A');
	assert_true(sig_hmac256_check(H_SECRET, H_BODY, strlen(H_BODY),
	    upper));
	/* a tampered body, a wrong secret, a cut or empty header */
	assert_false(sig_hmac256_check(H_SECRET, "id=1&text=STATUs", 16,
	    hdr));
	assert_false(sig_hmac256_check("kota-secreT", H_BODY, strlen(H_BODY),
	    hdr));
	hdr[63] = '\0';
	assert_false(sig_hmac256_check(H_SECRET, H_BODY, strlen(H_BODY), hdr));
	assert_false(sig_hmac256_check(H_SECRET, H_BODY, strlen(H_BODY), ""));
	assert_false(sig_hmac256_check(H_SECRET, H_BODY, strlen(H_BODY),
	    "sha256="));
	assert_false(sig_hmac256_check(H_SECRET, H_BODY, strlen(H_BODY), NULL));
	assert_false(sig_hmac256_check("", H_BODY, strlen(H_BODY), hdr));
}

/* RFC 4231's test case 2, in hex */
static void
test_hmac256_rfc4231(void **state)
{
	(void)state;
	assert_true(sig_hmac256_check("Jefe", "what do ya want for nothing?",
	    28, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
	assert_false(sig_hmac256_check("Jefe", "what do ya want for nothing!",
	    28, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
}

static void
test_equal(void **state)
{
	(void)state;
	assert_true(sig_equal("abc", "abc"));
	assert_false(sig_equal("abc", "abd"));
	assert_false(sig_equal("abc", "ab"));
	assert_true(sig_equal("", ""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_twilio_doc_vector),
		cmocka_unit_test(test_twilio_sms_vectors),
		cmocka_unit_test(test_twilio_tampered),
		cmocka_unit_test(test_twilio_wrong_url_or_token),
		cmocka_unit_test(test_twilio_repeated_names),
		cmocka_unit_test(test_url_other_port),
		cmocka_unit_test(test_hmac256),
		cmocka_unit_test(test_hmac256_rfc4231),
		cmocka_unit_test(test_equal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
