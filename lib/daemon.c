/*
 * daemon.c: detaching from the terminal, and telling systemd how it goes
 *
 * kotad and kotaweb run the same way: in the foreground (-f, logging to
 * stderr, under systemd or a test), or detached with their log lines
 * going to syslog.  Under systemd's Type=notify they report READY=1,
 * RELOADING=1 and STOPPING=1 with one datagram to $NOTIFY_SOCKET, so no
 * libsystemd is needed.
 */
#include "config.h"

#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include "daemon.h"
#include "log.h"

static void
daemon_syslog(enum log_level level, const char *line, void *arg)
{
	static const int	prio[] = { LOG_DEBUG, LOG_INFO, LOG_WARNING,
	    LOG_ERR, LOG_CRIT };

	(void)arg;
	syslog(prio[level], "%s", line);
}

/*
 * Fork twice (no controlling terminal can come back), new session, umask
 * 027, working directory /, standard descriptors on /dev/null, log lines
 * to syslog as ident.  The parent exits 0; -1 in the child on failure.
 */
int
daemon_detach(const char *ident)
{
	pid_t	pid;
	int	fd;

	if ((pid = fork()) == -1)
		return -1;
	if (pid > 0)
		_exit(0);
	if (setsid() == -1)
		return -1;
	if ((pid = fork()) == -1)
		return -1;
	if (pid > 0)
		_exit(0);
	umask(027);
	if (chdir("/") == -1)
		return -1;
	if ((fd = open("/dev/null", O_RDWR)) == -1)
		return -1;
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
	openlog(ident, LOG_PID, LOG_DAEMON);
	log_set_sink(daemon_syslog, NULL);
	return 0;
}

/* systemd's sd_notify(): nothing when not started by it */
void
daemon_notify(const char *state)
{
	const char		*path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un	 sun;
	socklen_t		 len;
	int			 fd;

	if (path == NULL || (path[0] != '/' && path[0] != '@') ||
	    strlen(path) >= sizeof sun.sun_path)
		return;
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path));
	if (path[0] == '@')
		sun.sun_path[0] = '\0';		/* abstract namespace */
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path));
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return;
	sendto(fd, state, strlen(state), MSG_NOSIGNAL,
	    (struct sockaddr *)&sun, len);
	close(fd);
}
