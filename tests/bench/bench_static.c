/*
 * bench_static: the ceiling for kotaweb's figures in tests/bench/web.sh
 *
 *	bench_static [-t THREADS] [-P PORTFILE]
 *
 * libmicrohttpd answering every request with the same two bytes from
 * memory ("ok", text/plain), one response object built once: no database,
 * no parsing, nothing but the library's own path, with the threading
 * kotaweb uses (an internal thread pool of THREADS polling threads, epoll
 * where the library has it).  wrk against it measures what the machine
 * and libmicrohttpd can do at all; kotaweb's req/s beside it say what the
 * rest costs.  Listens on a free port of 127.0.0.1, writes the port to
 * PORTFILE, and runs until SIGTERM or SIGINT.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#if MHD_VERSION >= 0x00097002
#define BS_RESULT	enum MHD_Result
#else
#define BS_RESULT	int
#endif

static volatile sig_atomic_t	 bs_stop;
static struct MHD_Response	*bs_reply;

static void
bs_on_signal(int sig)
{
	(void)sig;
	bs_stop = 1;
}

static BS_RESULT
bs_on_request(void *cls, struct MHD_Connection *con, const char *url,
    const char *method, const char *version, const char *data,
    size_t *size, void **con_cls)
{
	(void)cls; (void)url; (void)method; (void)version; (void)data;
	(void)con_cls;
	/* a body, if any, is dropped unread; the reply is the same */
	if (*size != 0) {
		*size = 0;
		return (MHD_YES);
	}
	return (MHD_queue_response(con, MHD_HTTP_OK, bs_reply));
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench_static [-t THREADS] [-P PORTFILE]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct MHD_Daemon		*d;
	const union MHD_DaemonInfo	*info;
	struct sockaddr_in		 sin;
	struct sigaction		 sa;
	sigset_t			 mask, old;
	const char			*portfile = NULL;
	unsigned int			 threads = 4, flags;
	FILE				*f;
	int				 ch;

	while ((ch = getopt(argc, argv, "t:P:")) != -1) {
		switch (ch) {
		case 't':
			threads = (unsigned int)strtoul(optarg, NULL, 10);
			if (threads < 1 || threads > 256)
				usage();
			break;
		case 'P':
			portfile = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	bs_reply = MHD_create_response_from_buffer(2, (void *)"ok",
	    MHD_RESPMEM_PERSISTENT);
	if (bs_reply == NULL)
		return (1);
	MHD_add_response_header(bs_reply, "Content-Type", "text/plain");

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = 0;
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
	if (MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES)
		flags |= MHD_USE_EPOLL;
	d = MHD_start_daemon(flags, 0, NULL, NULL, bs_on_request, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
	    MHD_OPTION_THREAD_POOL_SIZE, threads,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)4096,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
	    MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "bench_static: cannot listen on 127.0.0.1\n");
		return (1);
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	if (info == NULL) {
		fprintf(stderr, "bench_static: no port\n");
		MHD_stop_daemon(d);
		return (1);
	}
	if (portfile != NULL) {
		if ((f = fopen(portfile, "w")) == NULL) {
			perror(portfile);
			MHD_stop_daemon(d);
			return (1);
		}
		fprintf(f, "%u\n", (unsigned int)info->port);
		fclose(f);
	} else
		printf("%u\n", (unsigned int)info->port);

	/* blocked but for sigsuspend(), so that none is lost in between */
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, &old);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = bs_on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	while (!bs_stop)
		sigsuspend(&old);
	MHD_stop_daemon(d);
	MHD_destroy_response(bs_reply);
	return (0);
}
