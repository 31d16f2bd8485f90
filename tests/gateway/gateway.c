/*
 * gateway: a loopback HTTP server that records what it receives, for the
 * daemon tests, the benchmark and the demo
 *
 *	gateway [-p PORT] [-P FILE] [-d DIR] [-q] [-s SCRIPT] [-B BODY]
 *	    [-m FILE] [-t SECONDS]
 *
 *  -p PORT     port on 127.0.0.1 (default 0: a free one); it only ever
 *              listens on 127.0.0.1
 *  -P FILE     write the port to FILE once listening (also printed)
 *  -d DIR      record every request in DIR: requests.tsv gets one line
 *              "seq ms method uri status webhook-id bytes" (ms: the time
 *              of receipt, milliseconds since the epoch; "-" when there is
 *              no webhook-id), and NNNNNN.head (the request line and the
 *              headers) and NNNNNN.body (the body, as received), unless -q
 *  -q          only requests.tsv (bursts, benchmarks)
 *  -s SCRIPT   how to answer, request after request: a comma-separated
 *              list of STATUS[:ra=SECONDS][:delay=MS] or "hang" (never
 *              answer); the last item repeats.  Default "200".
 *  -B BODY     the body of every answer; "{seq}" is replaced by the
 *              request's number.  Default: empty.
 *  -m FILE     demo: append one readable line per message to FILE (an
 *              SMS form's To and Body, or a webhook's type and body)
 *  -t SECONDS  exit by itself after this long (default 900)
 *
 * SIGTERM or SIGINT stop it.  libmicrohttpd, one thread per connection
 * (so a delayed or hanging answer holds only its own connection).
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#if MHD_VERSION >= 0x00097002
#define GW_RESULT	enum MHD_Result
#else
#define GW_RESULT	int
#endif

#define GW_SCRIPT_MAX	64
#define GW_BODY_MAX	(1024 * 1024)

struct gw_step {
	int	status;		/* 0: hang */
	int	retry_after;	/* -1: none */
	int	delay_ms;
};

struct gw_req {
	char	*uri;
	char	*body;
	size_t	 len;
	int	 started;	/* the headers' call is over */
	int	 too_big;
};

static struct gw_step	 gw_script[GW_SCRIPT_MAX];
static int		 gw_nscript;
static const char	*gw_dir;
static int		 gw_quiet;
static const char	*gw_answer = "";
static FILE		*gw_tsv, *gw_messages;
static long		 gw_seq;
static pthread_mutex_t	 gw_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile sig_atomic_t gw_stop;

static void
gw_on_signal(int sig)
{
	(void)sig;
	gw_stop = 1;
}

static void
gw_die(const char *fmt, ...)
{
	va_list	ap;

	fputs("gateway: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static long
gw_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
gw_sleep_ms(int ms)
{
	struct timespec	ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static void
gw_parse_script(const char *s)
{
	char	*copy, *item, *opt, *save1, *save2;

	if ((copy = strdup(s)) == NULL)
		gw_die("out of memory");
	for (item = strtok_r(copy, ",", &save1); item != NULL;
	    item = strtok_r(NULL, ",", &save1)) {
		struct gw_step	*st = &gw_script[gw_nscript];

		if (gw_nscript == GW_SCRIPT_MAX)
			gw_die("script longer than %d steps", GW_SCRIPT_MAX);
		st->retry_after = -1;
		opt = strtok_r(item, ":", &save2);
		if (strcmp(opt, "hang") == 0)
			st->status = 0;
		else if ((st->status = atoi(opt)) < 100 || st->status > 599)
			gw_die("bad status '%s' in the script", opt);
		while ((opt = strtok_r(NULL, ":", &save2)) != NULL) {
			if (strncmp(opt, "ra=", 3) == 0)
				st->retry_after = atoi(opt + 3);
			else if (strncmp(opt, "delay=", 6) == 0)
				st->delay_ms = atoi(opt + 6);
			else
				gw_die("bad option '%s' in the script", opt);
		}
		gw_nscript++;
	}
	free(copy);
	if (gw_nscript == 0)
		gw_die("empty script");
}

/* MHD_OPTION_URI_LOG_CALLBACK: the raw URI, before any decoding. */
static void *
gw_on_uri(void *cls, const char *uri, struct MHD_Connection *con)
{
	struct gw_req	*r;

	(void)cls;
	(void)con;
	if ((r = calloc(1, sizeof *r)) == NULL)
		return NULL;
	r->uri = strdup(uri);
	return r;
}

struct gw_headers {
	char	*buf;
	size_t	 len, cap;
};

static GW_RESULT
gw_on_header(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct gw_headers	*h = cls;
	size_t			 n = strlen(key) + strlen(value) + 4;
	char			*p;

	(void)kind;
	if (h->len + n + 1 > h->cap) {
		if ((p = realloc(h->buf, h->cap + n + 4096)) == NULL)
			return MHD_NO;
		h->buf = p;
		h->cap += n + 4096;
	}
	h->len += (size_t)snprintf(h->buf + h->len, h->cap - h->len, "%s: %s\n",
	    key, value);
	return MHD_YES;
}

static void
gw_write_file(long seq, const char *ext, const char *data, size_t len)
{
	char	path[4096];
	FILE	*fp;

	snprintf(path, sizeof path, "%s/%06ld.%s", gw_dir, seq, ext);
	if ((fp = fopen(path, "w")) == NULL)
		return;
	if (len > 0)
		fwrite(data, 1, len, fp);
	fclose(fp);
}

/* %XX and '+' decoding of one form value, in place. */
static void
gw_form_decode(char *s)
{
	char	*o = s, hex[3] = "";

	for (; *s != '\0'; s++) {
		if (*s == '+')
			*o++ = ' ';
		else if (*s == '%' && s[1] != '\0' && s[2] != '\0') {
			hex[0] = s[1];
			hex[1] = s[2];
			*o++ = (char)strtol(hex, NULL, 16);
			s += 2;
		} else
			*o++ = *s;
	}
	*o = '\0';
}

static void
gw_form_field(const char *body, const char *name, char *out, size_t outsz)
{
	const char	*p = body, *end;
	size_t		 n = strlen(name), len;

	out[0] = '\0';
	while (p != NULL && *p != '\0') {
		if (strncmp(p, name, n) == 0 && p[n] == '=') {
			p += n + 1;
			end = strchr(p, '&');
			len = end != NULL ? (size_t)(end - p) : strlen(p);
			if (len >= outsz)
				len = outsz - 1;
			memcpy(out, p, len);
			out[len] = '\0';
			gw_form_decode(out);
			return;
		}
		p = strchr(p, '&');
		if (p != NULL)
			p++;
	}
}

/* The demo's file: what a person reads. */
static void
gw_demo_line(struct MHD_Connection *con, const struct gw_req *r)
{
	const char	*ct, *type;
	char		 to[64], text[2048], stamp[32];
	time_t		 now = time(NULL);
	struct tm	 tm;

	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
	ct = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "Content-Type");
	type = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "webhook-id");
	if (ct != NULL && strncasecmp(ct, "application/x-www-form-urlencoded",
	    33) == 0 && r->body != NULL) {
		gw_form_field(r->body, "To", to, sizeof to);
		gw_form_field(r->body, "Body", text, sizeof text);
		fprintf(gw_messages, "%s SMS to %s: %s\n", stamp, to, text);
	} else
		fprintf(gw_messages, "%s webhook %s: %.*s\n", stamp,
		    type != NULL ? type : "-", (int)r->len,
		    r->body != NULL ? r->body : "");
	fflush(gw_messages);
}

static void
gw_record(struct MHD_Connection *con, const char *method,
    const struct gw_req *r, long seq, int status)
{
	struct gw_headers	 h = { NULL, 0, 0 };
	const char		*wid;

	wid = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "webhook-id");
	pthread_mutex_lock(&gw_lock);
	if (gw_tsv != NULL) {
		fprintf(gw_tsv, "%ld\t%ld\t%s\t%s\t%d\t%s\t%zu\n", seq,
		    gw_now_ms(), method, r->uri != NULL ? r->uri : "-", status,
		    wid != NULL ? wid : "-", r->len);
		fflush(gw_tsv);
	}
	if (gw_messages != NULL)
		gw_demo_line(con, r);
	pthread_mutex_unlock(&gw_lock);
	if (gw_dir == NULL || gw_quiet)
		return;
	gw_on_header(&h, MHD_HEADER_KIND, method, r->uri != NULL ? r->uri : "");
	MHD_get_connection_values(con, MHD_HEADER_KIND, gw_on_header, &h);
	gw_write_file(seq, "head", h.buf != NULL ? h.buf : "", h.len);
	gw_write_file(seq, "body", r->body, r->len);
	free(h.buf);
}

static GW_RESULT
gw_respond(struct MHD_Connection *con, const struct gw_step *st, long seq)
{
	struct MHD_Response	*resp;
	char			*body, num[32], ra[16];
	const char		*at;
	size_t			 cap;
	GW_RESULT		 rc;

	cap = strlen(gw_answer) + 32;
	if ((body = malloc(cap)) == NULL)
		return MHD_NO;
	snprintf(num, sizeof num, "%ld", seq);
	if ((at = strstr(gw_answer, "{seq}")) != NULL)
		snprintf(body, cap, "%.*s%s%s", (int)(at - gw_answer),
		    gw_answer, num, at + 5);
	else
		snprintf(body, cap, "%s", gw_answer);
	resp = MHD_create_response_from_buffer(strlen(body), body,
	    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(body);
		return MHD_NO;
	}
	if (st->retry_after >= 0) {
		snprintf(ra, sizeof ra, "%d", st->retry_after);
		MHD_add_response_header(resp, "Retry-After", ra);
	}
	if (body[0] == '{')
		MHD_add_response_header(resp, "Content-Type", "application/json");
	rc = MHD_queue_response(con, (unsigned)st->status, resp);
	MHD_destroy_response(resp);
	return rc;
}

static GW_RESULT
gw_on_request(void *cls, struct MHD_Connection *con, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct gw_req	*r = *con_cls;
	struct gw_step	 st;
	long		 seq;
	char		*p;

	(void)cls;
	(void)url;
	(void)version;
	if (r == NULL)
		return MHD_NO;
	if (!r->started) {
		r->started = 1;
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (r->len + *upload_size > GW_BODY_MAX)
			r->too_big = 1;
		else if ((p = realloc(r->body, r->len + *upload_size + 1)) !=
		    NULL) {
			memcpy(p + r->len, upload, *upload_size);
			r->body = p;
			r->len += *upload_size;
			r->body[r->len] = '\0';
		}
		*upload_size = 0;
		return MHD_YES;
	}
	pthread_mutex_lock(&gw_lock);
	seq = ++gw_seq;
	pthread_mutex_unlock(&gw_lock);
	st = gw_script[seq - 1 < gw_nscript ? seq - 1 : gw_nscript - 1];
	if (st.status == 0) {
		gw_record(con, method, r, seq, 0);
		while (!gw_stop)
			gw_sleep_ms(50);
		return MHD_NO;
	}
	if (st.delay_ms > 0)
		gw_sleep_ms(st.delay_ms);
	gw_record(con, method, r, seq, st.status);
	return gw_respond(con, &st, seq);
}

static void
gw_on_done(void *cls, struct MHD_Connection *con, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct gw_req	*r = *con_cls;

	(void)cls;
	(void)con;
	(void)toe;
	if (r == NULL)
		return;
	free(r->uri);
	free(r->body);
	free(r);
	*con_cls = NULL;
}

static void
gw_open_outputs(const char *messages)
{
	char	path[4096];

	if (gw_dir != NULL) {
		if (mkdir(gw_dir, 0755) == -1 && errno != EEXIST)
			gw_die("cannot create '%s': %s", gw_dir, strerror(errno));
		snprintf(path, sizeof path, "%s/requests.tsv", gw_dir);
		if ((gw_tsv = fopen(path, "a")) == NULL)
			gw_die("cannot open '%s': %s", path, strerror(errno));
	}
	if (messages != NULL && (gw_messages = fopen(messages, "a")) == NULL)
		gw_die("cannot open '%s': %s", messages, strerror(errno));
}

int
main(int argc, char **argv)
{
	struct MHD_Daemon		*d;
	const union MHD_DaemonInfo	*info;
	struct sockaddr_in		 sin;
	struct sigaction		 sa;
	const char			*portfile = NULL, *messages = NULL;
	FILE				*fp;
	long				 deadline;
	int				 ch, port = 0, seconds = 900;

	gw_parse_script("200");
	while ((ch = getopt(argc, argv, "p:P:d:qs:B:m:t:")) != -1) {
		switch (ch) {
		case 'p': port = atoi(optarg); break;
		case 'P': portfile = optarg; break;
		case 'd': gw_dir = optarg; break;
		case 'q': gw_quiet = 1; break;
		case 's': gw_nscript = 0; gw_parse_script(optarg); break;
		case 'B': gw_answer = optarg; break;
		case 'm': messages = optarg; break;
		case 't': seconds = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: gateway [-p PORT] [-P FILE] "
			    "[-d DIR] [-q] [-s SCRIPT] [-B BODY] [-m FILE] "
			    "[-t SECONDS]\n");
			return 2;
		}
	}
	gw_open_outputs(messages);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = gw_on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
	    MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ERROR_LOG, 0, NULL, NULL,
	    gw_on_request, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
	    MHD_OPTION_URI_LOG_CALLBACK, gw_on_uri, NULL,
	    MHD_OPTION_NOTIFY_COMPLETED, gw_on_done, NULL,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)2000,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120,
	    MHD_OPTION_END);
	if (d == NULL)
		gw_die("cannot listen on 127.0.0.1:%d", port);
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	port = info != NULL ? info->port : port;
	printf("port %d\n", port);
	fflush(stdout);
	if (portfile != NULL && (fp = fopen(portfile, "w")) != NULL) {
		fprintf(fp, "%d\n", port);
		fclose(fp);
	}
	deadline = gw_now_ms() + (long)seconds * 1000;
	while (!gw_stop && gw_now_ms() < deadline)
		gw_sleep_ms(100);
	gw_stop = 1;
	MHD_stop_daemon(d);
	if (gw_tsv != NULL)
		fclose(gw_tsv);
	if (gw_messages != NULL)
		fclose(gw_messages);
	return 0;
}
