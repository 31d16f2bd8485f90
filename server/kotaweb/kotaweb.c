/*
 * kotaweb: the public HTTP face of Kota: Open311 and the status page
 *
 *	kotaweb -c FILE [-f]
 *	kotaweb -c FILE -t
 *
 * Its own process, apart from kotad, so that the public surface never
 * shares memory with the gateways' secrets; its own database role
 * (kota_web), which may call only the citizen-facing kota.web_*
 * functions.  Without -f it detaches and logs to syslog; with -f it stays
 * in the foreground and logs to stderr (systemd).  -t checks the
 * configuration and exits.  SIGTERM and SIGINT stop it after the calls in
 * flight are answered; SIGHUP is logged and changes nothing (the
 * configuration is read at start only).  See kotaweb(8).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include <microhttpd.h>

#include "exitcode.h"
#include "i18n.h"
#include "kotaweb.h"
#include "log.h"

static void
kw_usage(FILE *fp)
{
	fprintf(fp, "%s", _("usage: kotaweb -c FILE [-f | -t]\n"
	    "  -c FILE  the configuration, see kotaweb.conf(5)\n"
	    "  -f       stay in the foreground and log to stderr\n"
	    "  -t       check the configuration and exit\n"
	    "  -V       print the version and exit\n"));
}

static void
kw_syslog(enum log_level level, const char *line, void *arg)
{
	static const int	prio[] = { LOG_DEBUG, LOG_INFO, LOG_WARNING,
	    LOG_ERR, LOG_CRIT };

	(void)arg;
	syslog(prio[level], "%s", line);
}

static int
kw_daemonise(void)
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
	openlog("kotaweb", LOG_PID, LOG_DAEMON);
	log_set_sink(kw_syslog, NULL);
	return 0;
}

/* systemd's Type=notify: one datagram, no libsystemd needed */
static void
kw_sd_notify(const char *state)
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
		sun.sun_path[0] = '\0';
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path));
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return;
	sendto(fd, state, strlen(state), MSG_NOSIGNAL,
	    (struct sockaddr *)&sun, len);
	close(fd);
}

/*
 * Serve until TERM or INT.  The signals are blocked before MHD starts its
 * threads, which inherit the mask, and taken here with sigwait(): no
 * handler runs anywhere.
 */
static int
kw_serve(void)
{
	struct MHD_Daemon	*d;
	struct sigaction	 sa;
	sigset_t		 set;
	int			 sig;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	kw_db_init();
	if ((d = kw_http_start()) == NULL) {
		log_error(_("cannot listen on %s: %s"), kw_cf.s.http_listen,
		    strerror(errno));
		return EXIT_REFUSED;
	}
	kw_sd_notify("READY=1");
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGHUP) {
			log_info("%s", _("SIGHUP: kotaweb reads its configuration at start only; restart it to apply a change"));
			continue;
		}
		break;
	}
	log_info("%s", _("stopping: answering the calls in flight"));
	kw_sd_notify("STOPPING=1");
	kw_http_stop(d);
	kw_db_fini();
	log_info("%s", _("stopped"));
	return EXIT_OK;
}

int
main(int argc, char **argv)
{
	enum log_level	 lvl;
	char		 err[CONF_ERRMAX];
	const char	*path = NULL;
	bool		 foreground = false, check = false;
	int		 ch, rc;

	i18n_init(NULL);
	log_init("kotaweb", LOG_LEVEL_INFO, 1);
	while ((ch = getopt(argc, argv, "c:fhtV")) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 'f':
			foreground = true;
			break;
		case 't':
			check = true;
			break;
		case 'h':
			kw_usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("kotaweb (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			return EXIT_OK;
		default:
			kw_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (path == NULL || optind != argc || (check && foreground)) {
		kw_usage(stderr);
		return EXIT_USAGE;
	}
	if (check)
		log_init("kotaweb", LOG_LEVEL_INFO, 0);
	if (kw_conf_load(path, &kw_cf, err, sizeof err) != 0) {
		log_error("%s", err);
		kw_conf_release(&kw_cf);
		return EXIT_REFUSED;
	}
	if (check) {
		printf(_("%s: the configuration is good\n"), path);
		kw_conf_release(&kw_cf);
		return EXIT_OK;
	}
	if (log_parse_level(kw_cf.s.log_level, &lvl) == 0)
		log_set_level(lvl);
	/* the answers' messages speak the language of the names */
	i18n_set_lang(kw_langs[kw_cf.s.o311_lang]);
	if (!foreground && kw_daemonise() != 0) {
		log_error(_("cannot become a daemon: %s"), strerror(errno));
		kw_conf_release(&kw_cf);
		return EXIT_REFUSED;
	}
	rc = kw_serve();
	kw_conf_release(&kw_cf);
	return rc;
}
