/*
 * log.c: the one logging API of Kota
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "i18n.h"
#include "log.h"

static const char	*log_progname = "kota";
static enum log_level	 log_min = LOG_LEVEL_INFO;
static int		 log_timestamps;
static log_sink		 log_sink_fn;
static void		*log_sink_arg;

static const char *const log_level_names[] = {
	"debug", "info", "warning", "error", "fatal",
};

/* TRANSLATORS: the level before a message: "kotactl: error: ..." */
static const char *const log_level_words[] = {
	N_("debug"), N_("info"), N_("warning"), N_("error"), N_("fatal"),
};

void
log_init(const char *progname, enum log_level min, int timestamps)
{
	const char	*slash;

	if (progname != NULL) {
		slash = strrchr(progname, '/');
		log_progname = slash != NULL ? slash + 1 : progname;
	}
	log_min = min;
	log_timestamps = timestamps;
}

void
log_set_level(enum log_level min)
{
	log_min = min;
}

enum log_level
log_get_level(void)
{
	return log_min;
}

void
log_set_sink(log_sink fn, void *arg)
{
	log_sink_fn = fn;
	log_sink_arg = arg;
}

int
log_parse_level(const char *name, enum log_level *out)
{
	size_t	i;

	for (i = 0; i < sizeof log_level_names / sizeof log_level_names[0]; i++) {
		if (strcasecmp(name, log_level_names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

void
log_vmsg(enum log_level level, const char *ctx, const char *fmt, va_list ap)
{
	char		 line[2048];
	char		 stamp[32] = "";
	size_t		 off = 0;
	struct timespec	 ts;
	struct tm	 tm;

	if (level < log_min)
		return;

	if (log_timestamps && clock_gettime(CLOCK_REALTIME, &ts) == 0 &&
	    localtime_r(&ts.tv_sec, &tm) != NULL) {
		off = strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
		snprintf(stamp + off, sizeof stamp - off, ".%03ld ",
		    ts.tv_nsec / 1000000);
	}
	off = (size_t)snprintf(line, sizeof line, "%s%s: ", stamp,
	    log_progname);
	if (level != LOG_LEVEL_INFO && off < sizeof line)
		off += (size_t)snprintf(line + off, sizeof line - off, "%s: ",
		    _(log_level_words[level]));
	if (ctx != NULL && off < sizeof line)
		off += (size_t)snprintf(line + off, sizeof line - off, "[%s] ",
		    ctx);
	if (off < sizeof line)
		vsnprintf(line + off, sizeof line - off, fmt, ap);

	if (log_sink_fn != NULL) {
		log_sink_fn(level, line, log_sink_arg);
		return;
	}
	fprintf(stderr, "%s\n", line);
}

void
log_msg(enum log_level level, const char *ctx, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vmsg(level, ctx, fmt, ap);
	va_end(ap);
}
