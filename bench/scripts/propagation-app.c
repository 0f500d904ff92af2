/* The propagation bench's app (bench/scripts/propagation.sh compiles it): listens on $PORT0 and answers every
 * connection with $MESOS_TASK_ID, then closes, so a VIP client can tell which task it reached. Written in C because
 * it must listen within a millisecond or two of being spawned: the agent reports TASK_RUNNING at spawn, and a backend
 * that refuses connections meanwhile gets benched by the balancer's passive health check (5 refusals: 30 s). */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void) {
    const char *port = getenv("PORT0"), *id = getenv("MESOS_TASK_ID");
    if (port == NULL || id == NULL) {
        fprintf(stderr, "propagation-app: PORT0 and MESOS_TASK_ID must be set\n");
        return 2;
    }
    int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(port)), .sin_addr.s_addr = htonl(INADDR_ANY)};
    if (bind(s, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(s, 1024) != 0) {
        perror("propagation-app: bind/listen");
        return 1;
    }
    size_t len = strlen(id);
    for (;;) {
        int c = accept(s, NULL, NULL);
        if (c < 0) continue;
        (void)!write(c, id, len);
        close(c);
    }
}
