/*
 * secret.c: secrets kept in files of their own
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "secret.h"
#include "xmalloc.h"

static int
secret_error(char *err, size_t errsz, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
	return -1;
}

/* Up to SECRET_MAX bytes of fd into buf; the length, or -1 (errno set). */
static ssize_t
secret_slurp(int fd, char *buf)
{
	size_t	len = 0;
	ssize_t	n;

	while (len < SECRET_MAX) {
		n = read(fd, buf + len, SECRET_MAX - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	return (ssize_t)len;
}

int
secret_read(const char *path, const char *what, char **out, char *err,
    size_t errsz)
{
	struct stat	 st;
	char		 buf[SECRET_MAX + 1];
	ssize_t		 n;
	size_t		 len;
	int		 fd, rc = -1;

	*out = NULL;
	/* O_NONBLOCK: a FIFO is refused below rather than waited on */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1)
		return secret_error(err, errsz, _("%s: cannot open '%s': %s"),
		    what, path, strerror(errno));
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		secret_error(err, errsz, _("%s: '%s' is not a regular file"),
		    what, path);
		goto out;
	}
	if ((st.st_mode & 077) != 0) {
		secret_error(err, errsz,
		    _("%s: '%s' may be read or written by others (mode %04o); "
		    "make it readable by its owner only (chmod 600)"), what,
		    path, (unsigned)(st.st_mode & 07777));
		goto out;
	}
	if ((n = secret_slurp(fd, buf)) == -1) {
		secret_error(err, errsz, _("%s: cannot read '%s': %s"), what,
		    path, strerror(errno));
		goto out;
	}
	len = (size_t)n;
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' ||
	    buf[len - 1] == ' ' || buf[len - 1] == '\t'))
		len--;
	buf[len] = '\0';
	if (len == 0 || (size_t)n >= SECRET_MAX ||
	    memchr(buf, '\n', len) != NULL || strlen(buf) != len) {
		secret_error(err, errsz,
		    _("%s: '%s' must hold the secret on one line"), what, path);
		goto out;
	}
	*out = xstrdup(buf);
	rc = 0;
out:
	explicit_bzero(buf, sizeof buf);
	close(fd);
	return rc;
}

void
secret_free(char **sp)
{
	if (*sp == NULL)
		return;
	explicit_bzero(*sp, strlen(*sp));
	free(*sp);
	*sp = NULL;
}
