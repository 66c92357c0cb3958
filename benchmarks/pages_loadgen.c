/*
 * pages_loadgen — native HTTP/1.1 load generator for the officers' pages (benchmarks/pages_load.py).
 *
 * What it is
 *   It plays N logged-in users, each on its own keep-alive TCP connection to the web server on
 *   loopback, each sending its own session cookie and requesting its own list of pages in turn
 *   without pause (closed loop): send one GET, read the whole answer, send the next.
 *
 * Why it exists
 *   The server and the users share one 2-core machine. Fifty Python clients (httpx + asyncio)
 *   cost the server much of a core; this costs a few µs of CPU per request: one epoll loop, one
 *   send() and a few recv() per request, no allocation per request.
 *
 * Usage
 *   pages_loadgen < INPUT > TIMES
 *
 * Input
 *   Line 1, fields separated by spaces:  host port seconds warmup timeout
 *     host     IPv4 literal of the server     port     its TCP port
 *     seconds  how long requests are started  warmup   requests started in the first `warmup`
 *                                                      seconds are not written out
 *     timeout  an answer not complete after this many seconds closes the connection (counted
 *              as status 0) and the user reconnects
 *   Then one line per user:  COOKIE <TAB> PATH <TAB> PATH ...  (at most 512 paths, each at
 *   most 1,000 bytes; COOKIE is the value of the Cookie header). User k starts at its path
 *   k mod count.
 *
 * Output
 *   One line per request started after the warm-up and answered (or timed out) before the end:
 *   status <TAB> latency in microseconds <TAB> path. A summary line on stderr: requests,
 *   reconnects, seconds measured.
 *
 * Answers: a status line, headers, then a body of Content-Length bytes or chunked
 * (Transfer-Encoding: chunked, trailers allowed); "Connection: close" makes the user reconnect
 * after the answer. Anything else is a protocol error: the program says where and exits 3.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_USERS 1024
#define MAX_PATHS 512
#define HEAD_MAX 65536
#define READ_CHUNK 65536

enum body_kind { BODY_NONE, BODY_LENGTH, BODY_CHUNKED };
enum chunk_state { CH_SIZE, CH_DATA, CH_DATA_END, CH_TRAILER };

struct user {
    char *cookie;
    char *paths[MAX_PATHS];
    int count;
    int next;
    int fd;
    double started;
    int current;
    /* answer parsing */
    char head[HEAD_MAX];
    size_t head_len;
    int in_body;
    int status;
    int close_after;
    enum body_kind body;
    long long remaining;
    enum chunk_state chunk;
    char line[128];
    size_t line_len;
};

static struct user users[MAX_USERS];
static int user_count;
static struct sockaddr_in server;
static char host_header[96];
static long long requests, reconnects;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void fail(const char *what) {
    fprintf(stderr, "pages_loadgen: %s\n", what);
    exit(3);
}

static int open_connection(int epoll_fd, struct user *u) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) fail("socket() failed");
    if (connect(fd, (struct sockaddr *)&server, sizeof server) != 0) {
        close(fd);
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct epoll_event event = {.events = EPOLLIN, .data.ptr = u};
    if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event) != 0) fail("epoll_ctl() failed");
    u->fd = fd;
    return 0;
}

static void send_request(struct user *u) {
    char request[4096];
    u->current = u->next;
    u->next = (u->next + 1) % u->count;
    int length = snprintf(request, sizeof request,
                          "GET %s HTTP/1.1\r\nHost: %s\r\nCookie: %s\r\n"
                          "Accept: text/html\r\nAccept-Encoding: gzip\r\n\r\n",
                          u->paths[u->current], host_header, u->cookie);
    if (length <= 0 || length >= (int)sizeof request) fail("request too long");
    u->head_len = 0;
    u->in_body = 0;
    u->line_len = 0;
    u->started = now();
    if (send(u->fd, request, (size_t)length, MSG_NOSIGNAL) != length) u->status = -1;
    else u->status = 0;
}

static int header_has(const char *head, const char *name, const char *value) {
    /* case-insensitive "name: ...value..." within the header block */
    size_t name_len = strlen(name);
    for (const char *line = head; line && *line; line = strstr(line, "\r\n")) {
        if (line[0] == '\r') line += 2;
        if (strncasecmp(line, name, name_len) == 0 && line[name_len] == ':') {
            const char *end = strstr(line, "\r\n");
            size_t span = end ? (size_t)(end - line) : strlen(line);
            char copy[512];
            if (span >= sizeof copy) span = sizeof copy - 1;
            memcpy(copy, line, span);
            copy[span] = 0;
            return strcasestr(copy + name_len + 1, value) != NULL;
        }
    }
    return 0;
}

static long long header_number(const char *head, const char *name) {
    size_t name_len = strlen(name);
    for (const char *line = head; line && *line; line = strstr(line, "\r\n")) {
        if (line[0] == '\r') line += 2;
        if (strncasecmp(line, name, name_len) == 0 && line[name_len] == ':')
            return atoll(line + name_len + 1);
    }
    return -1;
}

/* Parse the header block; returns 1 when done with headers (body setup made). */
static void start_body(struct user *u, char *head) {
    if (strncmp(head, "HTTP/1.", 7) != 0) fail("answer without a status line");
    u->status = atoi(head + 9);
    u->close_after = header_has(head, "Connection", "close");
    long long length = header_number(head, "Content-Length");
    if (header_has(head, "Transfer-Encoding", "chunked")) {
        u->body = BODY_CHUNKED;
        u->chunk = CH_SIZE;
        u->line_len = 0;
    } else if (length >= 0) {
        u->body = length > 0 ? BODY_LENGTH : BODY_NONE;
        u->remaining = length;
    } else {
        fail("answer with neither Content-Length nor chunked body");
    }
    u->in_body = 1;
}

/* Feed body bytes; returns 1 when the answer is complete. */
static int feed_body(struct user *u, const char *data, size_t length) {
    size_t i = 0;
    if (u->body == BODY_NONE) return 1;
    if (u->body == BODY_LENGTH) {
        u->remaining -= (long long)length;
        if (u->remaining < 0) fail("more body bytes than Content-Length");
        return u->remaining == 0;
    }
    while (i < length) {
        if (u->chunk == CH_DATA) {
            size_t take = (size_t)u->remaining < length - i ? (size_t)u->remaining : length - i;
            u->remaining -= (long long)take;
            i += take;
            if (u->remaining == 0) u->chunk = CH_DATA_END, u->line_len = 0;
            continue;
        }
        char c = data[i++];
        if (u->line_len + 1 >= sizeof u->line) fail("chunk line too long");
        u->line[u->line_len++] = c;
        if (c != '\n') continue;
        u->line[u->line_len] = 0;
        size_t line_len = u->line_len;
        u->line_len = 0;
        if (u->chunk == CH_SIZE) {
            u->remaining = strtoll(u->line, NULL, 16);
            u->chunk = u->remaining == 0 ? CH_TRAILER : CH_DATA;
        } else if (u->chunk == CH_DATA_END) {
            u->chunk = CH_SIZE;
        } else if (line_len <= 2) { /* CH_TRAILER: the empty line ends the answer */
            return i == length ? 1 : (fail("bytes after a complete answer"), 1);
        }
    }
    return 0;
}

/* Read what is there; returns 1 when the answer is complete, -1 when the peer closed. */
static int on_readable(struct user *u) {
    char buffer[READ_CHUNK];
    ssize_t got = recv(u->fd, buffer, sizeof buffer, 0);
    if (got <= 0) return -1;
    size_t used = 0;
    if (!u->in_body) {
        size_t room = HEAD_MAX - 1 - u->head_len;
        size_t take = (size_t)got < room ? (size_t)got : room;
        memcpy(u->head + u->head_len, buffer, take);
        u->head_len += take;
        u->head[u->head_len] = 0;
        char *end = strstr(u->head, "\r\n\r\n");
        if (!end) {
            if (u->head_len >= HEAD_MAX - 1) fail("header block too long");
            return 0;
        }
        size_t head_bytes = (size_t)(end - u->head) + 4;
        end[2] = 0;
        start_body(u, u->head);
        used = (size_t)got - (u->head_len - head_bytes);
        if (u->body == BODY_NONE) return 1;
    }
    return feed_body(u, buffer + used, (size_t)got - used);
}

static void reconnect(int epoll_fd, struct user *u) {
    epoll_ctl(epoll_fd, EPOLL_CTL_DEL, u->fd, NULL);
    close(u->fd);
    reconnects++;
    while (open_connection(epoll_fd, u) != 0) usleep(100000);
}

/* Send the user's next request, or after `stop` close its connection; returns 1 when closed. */
static int next_or_stop(int epoll_fd, struct user *u, double t, double stop) {
    if (t < stop) {
        send_request(u);
        return 0;
    }
    epoll_ctl(epoll_fd, EPOLL_CTL_DEL, u->fd, NULL);
    close(u->fd);
    u->fd = -1;
    return 1;
}

static void read_input(char *host, int *port, double *seconds, double *warmup, double *timeout) {
    char *line = NULL;
    size_t capacity = 0;
    if (getline(&line, &capacity, stdin) <= 0) fail("empty input");
    if (sscanf(line, "%63s %d %lf %lf %lf", host, port, seconds, warmup, timeout) != 5)
        fail("line 1: host port seconds warmup timeout");
    while (getline(&line, &capacity, stdin) > 0) {
        line[strcspn(line, "\r\n")] = 0;
        if (!*line) continue;
        if (user_count == MAX_USERS) fail("too many users");
        struct user *u = &users[user_count++];
        char *field = strtok(line, "\t");
        u->cookie = strdup(field);
        while ((field = strtok(NULL, "\t")) != NULL) {
            if (u->count == MAX_PATHS) fail("too many paths for a user");
            if (strlen(field) > 1000) fail("path too long");
            u->paths[u->count++] = strdup(field);
        }
        if (u->count == 0) fail("a user without paths");
        u->next = (user_count - 1) % u->count;
    }
    free(line);
    if (user_count == 0) fail("no users");
}

int main(void) {
    char host[64];
    int port;
    double seconds, warmup, timeout;
    read_input(host, &port, &seconds, &warmup, &timeout);
    server.sin_family = AF_INET;
    server.sin_port = htons((unsigned short)port);
    if (inet_pton(AF_INET, host, &server.sin_addr) != 1) fail("host is not an IPv4 literal");
    snprintf(host_header, sizeof host_header, "%s:%d", host, port);
    int epoll_fd = epoll_create1(0);
    for (int k = 0; k < user_count; k++)
        if (open_connection(epoll_fd, &users[k]) != 0) fail("cannot connect");
    double begin = now(), measured_from = begin + warmup, stop = begin + seconds;
    for (int k = 0; k < user_count; k++) send_request(&users[k]);
    struct epoll_event events[MAX_USERS];
    int active = user_count;
    while (active > 0) {
        int ready = epoll_wait(epoll_fd, events, MAX_USERS, 100);
        double t = now();
        for (int e = 0; e < ready; e++) {
            struct user *u = events[e].data.ptr;
            int done = u->status < 0 ? -1 : on_readable(u);
            if (done == 0) continue;
            if (done > 0 && u->started >= measured_from && t <= stop + timeout) {
                printf("%d\t%.0f\t%s\n", u->status, (t - u->started) * 1e6,
                       u->paths[u->current]);
                requests++;
            }
            if (done < 0 || u->close_after) reconnect(epoll_fd, u);
            active -= next_or_stop(epoll_fd, u, t, stop);
        }
        for (int k = 0; k < user_count; k++) {
            struct user *u = &users[k];
            if (u->fd < 0 || t - u->started <= timeout) continue;
            if (u->started >= measured_from) printf("0\t%.0f\t%s\n", (t - u->started) * 1e6,
                                                    u->paths[u->current]), requests++;
            reconnect(epoll_fd, u);
            active -= next_or_stop(epoll_fd, u, t, stop);
        }
    }
    fprintf(stderr, "pages_loadgen: %lld requests, %lld reconnects, %.1f s measured\n", requests,
            reconnects, seconds - warmup);
    return 0;
}
