/* A TCP echo server: one connection at a time, echoes until the client
 * closes. The port is the first argument (default 7). A connection whose
 * first bytes are "QUIT\n" gets "bye\n" and the server exits at once,
 * leaving that connection and the listening socket open: the exit closes
 * them, as a process' exit does (the client must see the FIN). */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	int port = argc > 1 ? atoi(argv[1]) : 7;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
	int one = 1, s = socket(AF_INET, SOCK_STREAM, 0);

	if (s < 0 ||
	    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(s, (struct sockaddr *)&a, sizeof(a)) || listen(s, 8)) {
		perror("echoserver: socket/bind/listen");
		return 1;
	}
	printf("echoserver: listening on port %d\n", port);
	for (;;) {
		char buf[1024];
		ssize_t n;
		int c = accept(s, NULL, NULL);

		if (c < 0) {
			perror("echoserver: accept");
			continue;
		}
		while ((n = read(c, buf, sizeof(buf))) > 0) {
			if (n == 5 && !memcmp(buf, "QUIT\n", 5)) {
				if (write(c, "bye\n", 4) != 4)
					perror("echoserver: write");
				exit(0);
			}
			if (write(c, buf, n) != n)
				break;
		}
		close(c);
	}
}
