/*
 * bench_dispatch: the load side of tests/bench/dispatch.sh
 *
 *	bench_dispatch load -u URL -c CONCURRENCY -n REQUESTS -b BODYFILE
 *	bench_dispatch steady -d CONNINFO -r PER_SECOND -t SECONDS
 *
 * load: POST the body N times to URL with CONCURRENCY transfers in flight,
 * through one curl multi handle with keep-alive, as kotad does; prints
 * "requests=N seconds=S rate=R errors=E".  The sink's ceiling for the
 * same client stack, when wrk is not installed.
 *
 * steady: call kota.request_create() (libkota, one connection) at a fixed
 * rate and print "REQUEST-ID BEFORE-MS AFTER-MS" per request: the wall
 * clock (ms since the epoch) before the call and after its commit
 * returned.  The commit happens between the two; measured from BEFORE,
 * the latency to the sink's receipt is an upper bound.
 */
#include "config.h"

#include <curl/curl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "log.h"
#include "request.h"
#include "route_load.h"

static double
now_ms(int clock)
{
	struct timespec	ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static size_t
discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE	*fp = fopen(path, "r");
	char	*buf;
	long	 n;

	if (fp == NULL || fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0) {
		fprintf(stderr, "bench_dispatch: cannot read '%s'\n", path);
		exit(1);
	}
	rewind(fp);
	if ((buf = malloc((size_t)n + 1)) == NULL ||
	    fread(buf, 1, (size_t)n, fp) != (size_t)n)
		exit(1);
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static CURL *
load_easy(const char *url, const char *body, size_t len,
    struct curl_slist *hdrs)
{
	CURL	*e = curl_easy_init();

	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)len);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	return e;
}

static int
run_load(const char *url, int conc, long n, const char *bodyfile)
{
	struct curl_slist	*hdrs = NULL;
	CURLM			*m;
	CURLMsg			*msg;
	size_t			 len;
	char			*body = slurp(bodyfile, &len);
	long			 started = 0, done = 0, errors = 0, code;
	double			 t0;
	int			 i, running, left;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
	hdrs = curl_slist_append(hdrs, "Expect:");
	m = curl_multi_init();
	t0 = now_ms(CLOCK_MONOTONIC);
	for (i = 0; i < conc && started < n; i++, started++)
		curl_multi_add_handle(m, load_easy(url, body, len, hdrs));
	while (done < n) {
		curl_multi_poll(m, NULL, 0, 1000, NULL);
		curl_multi_perform(m, &running);
		while ((msg = curl_multi_info_read(m, &left)) != NULL) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			code = 0;
			curl_easy_getinfo(msg->easy_handle,
			    CURLINFO_RESPONSE_CODE, &code);
			if (msg->data.result != CURLE_OK || code / 100 != 2)
				errors++;
			done++;
			curl_multi_remove_handle(m, msg->easy_handle);
			if (started < n) {
				curl_multi_add_handle(m, msg->easy_handle);
				started++;
			} else
				curl_easy_cleanup(msg->easy_handle);
		}
	}
	t0 = (now_ms(CLOCK_MONOTONIC) - t0) / 1e3;
	printf("requests=%ld seconds=%.3f rate=%.0f errors=%ld\n", n, t0,
	    n / t0, errors);
	curl_multi_cleanup(m);
	curl_slist_free_all(hdrs);
	curl_global_cleanup();
	free(body);
	return errors > 0;
}

static int
run_steady(const char *conninfo, double rate, double seconds)
{
	struct request_input	 in;
	struct request_created	 out;
	struct db_error		 err;
	struct db		*db = db_new(conninfo, "bench_dispatch");
	struct route_cache	 routes;
	double			 t0, due, now, before;
	long			 i, n = (long)(rate * seconds);
	char			 desc[96];

	if (db == NULL || db_connect(db, NULL, &err) != 0) {
		fprintf(stderr, "bench_dispatch: %s\n", db != NULL ?
		    err.message : "out of memory");
		return 1;
	}
	route_cache_init(&routes);
	memset(&in, 0, sizeof in);
	in.service = "jalan_berlubang";
	in.description = desc;
	t0 = now_ms(CLOCK_MONOTONIC);
	for (i = 0; i < n; i++) {
		due = t0 + i * 1e3 / rate;
		while ((now = now_ms(CLOCK_MONOTONIC)) < due)
			usleep((useconds_t)((due - now) * 1e3));
		snprintf(desc, sizeof desc, "Jalan berlubang nomor %ld", i);
		before = now_ms(CLOCK_REALTIME);
		if (request_create(db, &routes, &in, &out, &err) != 0) {
			fprintf(stderr, "bench_dispatch: %s\n", err.message);
			route_cache_release(&routes);
			db_free(&db);
			return 1;
		}
		printf("%" PRId64 " %.3f %.3f\n", out.id, before,
		    now_ms(CLOCK_REALTIME));
	}
	route_cache_release(&routes);
	db_free(&db);
	return 0;
}

int
main(int argc, char **argv)
{
	const char	*url = NULL, *body = NULL, *conninfo = NULL;
	double		 rate = 500, seconds = 10;
	long		 n = 20000;
	int		 ch, conc = 32;

	log_init("bench_dispatch", LOG_LEVEL_WARNING, 0);
	if (argc < 2) {
		fprintf(stderr, "usage: bench_dispatch load|steady ...\n");
		return 2;
	}
	optind = 2;
	while ((ch = getopt(argc, argv, "u:c:n:b:d:r:t:")) != -1) {
		switch (ch) {
		case 'u': url = optarg; break;
		case 'c': conc = atoi(optarg); break;
		case 'n': n = atol(optarg); break;
		case 'b': body = optarg; break;
		case 'd': conninfo = optarg; break;
		case 'r': rate = atof(optarg); break;
		case 't': seconds = atof(optarg); break;
		default: return 2;
		}
	}
	if (strcmp(argv[1], "load") == 0 && url != NULL && body != NULL &&
	    conc > 0 && n > 0)
		return run_load(url, conc, n, body);
	if (strcmp(argv[1], "steady") == 0 && rate > 0 && seconds > 0)
		return run_steady(conninfo, rate, seconds);
	fprintf(stderr, "usage: bench_dispatch load -u URL -c N -n N -b FILE | "
	    "steady -d CONNINFO -r RATE -t SECONDS\n");
	return 2;
}
