/*
 * log.h: the one logging API of Kota
 *
 * Every message goes through log_msg() with a level and an optional context
 * (a ticket number, a notification id, a gateway), so a daemon's log line
 * and a tool's error look alike.  Programs choose where lines go: stderr
 * (the default), or a callback (the console shows them on its status line).
 */
#ifndef KOTA_LOG_H
#define KOTA_LOG_H

#include <stdarg.h>

enum log_level {
	LOG_LEVEL_DEBUG,
	LOG_LEVEL_INFO,
	LOG_LEVEL_WARNING,
	LOG_LEVEL_ERROR,
	LOG_LEVEL_FATAL,
};

typedef void (*log_sink)(enum log_level level, const char *line, void *arg);

void	log_init(const char *progname, enum log_level min, int timestamps);
void	log_set_level(enum log_level min);
enum log_level log_get_level(void);
void	log_set_sink(log_sink fn, void *arg);
int	log_parse_level(const char *name, enum log_level *out);

void	log_msg(enum log_level level, const char *ctx, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	log_vmsg(enum log_level level, const char *ctx, const char *fmt,
	    va_list ap) __attribute__((format(printf, 3, 0)));

#define log_debug(...)	log_msg(LOG_LEVEL_DEBUG, NULL, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_LEVEL_INFO, NULL, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_LEVEL_WARNING, NULL, __VA_ARGS__)
#define log_error(...)	log_msg(LOG_LEVEL_ERROR, NULL, __VA_ARGS__)

#endif
