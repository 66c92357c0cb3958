/*
 * hj212_loadgen — native load generator for the HJ 212 receiver (`ecogov hj212 serve`).
 *
 * What it is
 *   It emulates N HJ 212 data loggers (环保数采仪), each on its own TCP connection to the
 *   receiver on loopback, uploading data packets stop-and-wait (HJ 212-2017 §6.2): a logger
 *   sends one packet, waits for its 9014 (data answer), then sends the next.
 *
 * Why it exists
 *   The throughput benchmark (benchmarks/hj212_ingest.py) runs the receiver, the database and
 *   the simulated loggers on one 2-core machine. The Python simulator costs about 55 µs of CPU
 *   per packet, which the receiver then lacks; this one costs about 12 µs, nearly all of it in
 *   the kernel (on loopback, send() also runs the receiving side's TCP input): one epoll loop,
 *   one send() and one recv() per packet, no allocation per packet.
 *
 * Usage
 *   hj212_loadgen INPUT ACKED_LOG   run; INPUT is a file, or "-" for stdin
 *   hj212_loadgen --frame SEGMENT   print the frame of SEGMENT (## + length + SEGMENT + CRC +
 *                                   CR LF) and exit; a self-test against the Python codec
 *
 * Input
 *   Line 1, fields separated by spaces:
 *     host port seconds interval warmup timeout drain start_unix
 *       host        IPv4 literal of the receiver       port     its TCP port
 *       seconds     how long new packets are started   interval 0 = closed loop (next packet
 *                   right after the ack), > 0 = each logger sends one packet per interval [s]
 *       warmup      acks of packets first sent in the first `warmup` seconds are not counted
 *                   in the latency percentiles
 *       timeout     an unanswered packet (or a connect) older than this [s] is given up: the
 *                   connection is closed, reopened, and the same frame sent again
 *       drain       after `seconds`, wait at most this long [s] for outstanding acks
 *       start_unix  Unix seconds of every logger's first DataTime (0 … 32503680000)
 *   Then one line per packet template:  MN <TAB> CN <TAB> TEMPLATE
 *     Consecutive lines with the same MN are one logger and its variants, used in rotation
 *     (packet k of a logger uses variant k mod count). MN: 1–24 letters or digits; CN: 1–7
 *     digits. TEMPLATE is the data segment (printable ASCII) with exactly one `{QN}` and one
 *     `{DT}`; it must contain `;MN=<MN>;` and a CP area `CP=&&…&&` free of `"` and `\`.
 *     Empty lines are skipped. An error names the line and exits with status 2.
 *
 * Per packet
 *   DataTime: a logger's clock starts at start_unix; each new packet takes the clock and the
 *   clock advances 3600 s. Written as N14 Beijing time YYYYMMDDhhmmss (UTC+8, no TZ lookup).
 *   QN: wall-clock Beijing time YYYYMMDDhhmmsszzz, made strictly increasing per logger (if not
 *   above the logger's last QN as an integer, last + 1).
 *   Frame (§6.3.1): "##" + 4-digit segment length + segment + CRC (Appendix A, 4 upper-case
 *   hex digits) + "\r\n".
 *
 * Exchange
 *   A logger has at most one packet outstanding, sent with one send(). Replies are frames
 *   `##dddd<segment><CRC>\r\n`, possibly split or several per read; garbage is skipped to the
 *   next "##", CRCs of replies are not checked. A reply whose header carries the outstanding
 *   QN, ST=91 and the logger's MN is an ack when CN=9014 and a refusal (the packet is dropped)
 *   when CN=9011; any other frame is ignored. Paced loggers start at a random phase within
 *   the first interval (seeded, reproducible) and keep next_at = max(next_at + interval, now).
 *   A timeout, a connection closed or reset by the peer, a failed connect or a short send
 *   closes the connection, counts a reconnect and reconnects after 0.2 s + random [0, 1) s,
 *   then resends the same frame (same QN and DataTime). After `seconds` no packet is started;
 *   the run ends when nothing is outstanding or `drain` seconds later.
 *
 * Output
 *   ACKED_LOG (truncated first): one JSON line per acknowledged packet,
 *     {"mn":"<mn>","cn":"<cn>","data_time":<unix s>,"qn":"<qn>","cp":"<CP text as sent>"}
 *   stdout at the end, one JSON object on one line:
 *     {"devices":N,"seconds":S,"sent":…,"acked":…,"refused":…,"reconnects":…,
 *      "acked_per_s":…,"p50_ms":…,"p99_ms":…}
 *   seconds: run start to end (drain included); sent: every send of a frame (resends too);
 *   latencies: last send → ack, percentile = sorted[min(n-1, (int)(share*n))], 0 without any.
 *
 * Mechanics
 *   Scheduling and latencies use CLOCK_MONOTONIC, QNs CLOCK_REALTIME. Each logger has one
 *   timer (reconnect, give up, or next paced packet) in a compact array scanned at most every
 *   millisecond. RLIMIT_NOFILE is raised to its hard limit; sockets are nonblocking with
 *   TCP_NODELAY. Exit status: 0 done, 1 system error, 2 usage or input error.
 *
 * Build (Linux, C11, libc only):
 *   cc -O2 -Wall -Wextra -o hj212_loadgen benchmarks/hj212_loadgen.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum {
    STEP_S = 3600,          /* DataTime step between a logger's packets */
    BEIJING_S = 8 * 3600,   /* UTC+8 */
    QN_LEN = 17,
    N14_LEN = 14,
    MN_MAX = 24,
    CN_MAX = 7,
    SEGMENT_MAX = 9999,     /* what the 4-digit length field holds */
    FRAME_EXTRA = 12,       /* "##" + length + CRC + CR LF */
    PLACEHOLDER_LEN = 4,    /* "{QN}", "{DT}" */
    RBUF_SIZE = 2048,       /* per connection; longer frames are skipped as garbage */
    LOG_BUFFER = 1 << 20,
    LOG_LINE_MAX = 128 + MN_MAX + CN_MAX + QN_LEN + SEGMENT_MAX,
    EVENTS = 256,
    SPARE_FDS = 16,         /* descriptors beside the sockets: stdio, epoll, log */
};
#define RECONNECT_BASE_S 0.2
#define SCAN_GAP_S 0.001    /* logger timers are scanned at most this often */
#define LATEST_START_UNIX 32503680000LL

/* One packet template; offsets are in bytes. */
struct variant {
    char *text;       /* template as given */
    size_t len;       /* its length */
    size_t qn_at;     /* "{QN}" in text */
    size_t dt_at;     /* "{DT}" in text */
    size_t seg_len;   /* rendered segment length */
    size_t cp_at;     /* CP text in the rendered segment */
    size_t cp_len;
    char cn[CN_MAX + 1];
    size_t cn_len;
};

enum link_state { DOWN, CONNECTING, UP };

struct logger {
    char mn[MN_MAX + 1];
    size_t mn_len;
    size_t first, count;        /* its variants in run.variants */
    unsigned long turn;         /* packets started */
    long long clock;            /* DataTime of its next packet [unix s] */
    unsigned long long last_qn;
    enum link_state state;
    int fd;
    double next_at;             /* earliest start of its next packet (monotonic s) */
    bool pending;               /* a packet is outstanding (frame holds it) */
    size_t variant;
    long long data_time;
    char qn[QN_LEN + 1];
    double first_sent, last_sent;
    char *frame;
    size_t frame_len;
    size_t rlen;
    char rbuf[RBUF_SIZE];
};

struct config {
    struct sockaddr_in addr;
    double seconds, interval, warmup, timeout, drain;
    long long start_unix;
};

/* A text slice. */
struct span {
    const char *p;
    size_t n;
};

static struct {
    struct config cfg;
    struct variant *variants;
    size_t nvariants;
    struct logger *loggers;
    size_t nloggers;
    int epoll_fd;
    double start, end, give_up, measure_from;
    double *due;                /* each logger's one timer, apart for a cheap scan */
    double wake;                /* earliest timer set since the last scan */
    double last_scan;
    size_t outstanding;         /* loggers with a packet out */
    unsigned long long sent, acked, refused, reconnects;
    double *latencies;
    size_t nlat, latcap;
    int log_fd;
    char *log;
    size_t loglen;
} run;

static uint16_t crc_table[256];

/* ---- small helpers ---------------------------------------------------------------------- */

static void die(const char *what)
{
    fprintf(stderr, "hj212_loadgen: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void input_error(size_t line, const char *what)
{
    fprintf(stderr, "hj212_loadgen: input line %zu: %s\n", line, what);
    exit(2);
}

static void *grow(void *array, size_t *cap, size_t size)
{
    *cap = *cap ? 2 * *cap : 64;
    array = realloc(array, *cap * size);
    if (!array)
        die("realloc");
    return array;
}

static double later(double a, double b)
{
    return a > b ? a : b;
}

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Write `value` as `width` zero-padded decimal digits. */
static void put_digits(char *out, unsigned long long value, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        out[i] = (char)('0' + value % 10);
        value /= 10;
    }
}

static bool span_is(struct span s, const char *text, size_t n)
{
    return s.n == n && memcmp(s.p, text, n) == 0;
}

/* Set the logger's timer (INFINITY: none). When it is reached, the timer scan reconnects a
 * DOWN logger, gives up a connect or an unanswered packet, or starts the next paced packet. */
static void set_due(struct logger *l, double at)
{
    run.due[l - run.loggers] = at;
    if (at < run.wake)
        run.wake = at;
}

/* ---- HJ 212 text: CRC, frame, times ----------------------------------------------------- */

/* HJ 212-2017 Appendix A: reg = (reg >> 8) ^ byte, then 8 right shifts with 0xA001; after the
 * XOR the register is below 256, so the 8 shifts are one table lookup. */
static void crc_init(void)
{
    for (unsigned i = 0; i < 256; i++) {
        unsigned reg = i;
        for (int bit = 0; bit < 8; bit++)
            reg = (reg & 1) ? (reg >> 1) ^ 0xA001 : reg >> 1;
        crc_table[i] = (uint16_t)reg;
    }
}

static unsigned crc16(const char *data, size_t n)
{
    unsigned reg = 0xFFFF;
    for (size_t i = 0; i < n; i++)
        reg = crc_table[(reg >> 8) ^ (unsigned char)data[i]];
    return reg;
}

/* Complete the frame whose segment of `seg_len` bytes is already at frame + 6. */
static size_t finish_frame(char *frame, size_t seg_len)
{
    static const char hex[] = "0123456789ABCDEF";
    char *tail = frame + 6 + seg_len;
    unsigned crc = crc16(frame + 6, seg_len);
    frame[0] = frame[1] = '#';
    put_digits(frame + 2, seg_len, 4);
    for (int i = 0; i < 4; i++)
        tail[i] = hex[(crc >> (12 - 4 * i)) & 0xF];
    tail[4] = '\r';
    tail[5] = '\n';
    return seg_len + FRAME_EXTRA;
}

/* Unix seconds as Beijing (UTC+8) calendar time, independent of TZ. */
static void beijing_time(long long unix_s, struct tm *tm)
{
    time_t shifted = (time_t)(unix_s + BEIJING_S);
    gmtime_r(&shifted, tm);
}

/* Unix seconds as N14 Beijing time YYYYMMDDhhmmss. */
static void put_n14(char *out, long long unix_s)
{
    struct tm tm;
    beijing_time(unix_s, &tm);
    put_digits(out, (unsigned)tm.tm_year + 1900, 4);
    put_digits(out + 4, (unsigned)tm.tm_mon + 1, 2);
    put_digits(out + 6, (unsigned)tm.tm_mday, 2);
    put_digits(out + 8, (unsigned)tm.tm_hour, 2);
    put_digits(out + 10, (unsigned)tm.tm_min, 2);
    put_digits(out + 12, (unsigned)tm.tm_sec, 2);
}

/* The wall-clock Beijing time YYYYMMDDhhmmsszzz as an integer. */
static unsigned long long qn_now(void)
{
    struct timespec ts;
    struct tm tm;
    unsigned long long value;
    clock_gettime(CLOCK_REALTIME, &ts);
    beijing_time((long long)ts.tv_sec, &tm);
    value = (unsigned long long)tm.tm_year + 1900;
    value = value * 100 + (unsigned)tm.tm_mon + 1;
    value = value * 100 + (unsigned)tm.tm_mday;
    value = value * 100 + (unsigned)tm.tm_hour;
    value = value * 100 + (unsigned)tm.tm_min;
    value = value * 100 + (unsigned)tm.tm_sec;
    return value * 1000 + (unsigned long long)ts.tv_nsec / 1000000;
}

/* The logger's next QN, strictly above its last one. */
static void next_qn(struct logger *l)
{
    unsigned long long value = qn_now();
    if (value <= l->last_qn)
        value = l->last_qn + 1;
    l->last_qn = value;
    put_digits(l->qn, value, QN_LEN);
    l->qn[QN_LEN] = '\0';
}

/* Render a variant's segment with its placeholders filled, at `out`. */
static void render(const struct variant *v, const char *qn, const char *dt, char *out)
{
    bool qn_first = v->qn_at < v->dt_at;
    size_t at1 = qn_first ? v->qn_at : v->dt_at, at2 = qn_first ? v->dt_at : v->qn_at;
    const char *fill1 = qn_first ? qn : dt, *fill2 = qn_first ? dt : qn;
    size_t len1 = qn_first ? QN_LEN : N14_LEN, len2 = qn_first ? N14_LEN : QN_LEN;
    size_t middle = at2 - at1 - PLACEHOLDER_LEN, rest = v->len - at2 - PLACEHOLDER_LEN;

    memcpy(out, v->text, at1);
    out += at1;
    memcpy(out, fill1, len1);
    out += len1;
    memcpy(out, v->text + at1 + PLACEHOLDER_LEN, middle);
    out += middle;
    memcpy(out, fill2, len2);
    out += len2;
    memcpy(out, v->text + at2 + PLACEHOLDER_LEN, rest);
}

/* ---- input ------------------------------------------------------------------------------ */

static void parse_config(const char *line, size_t lineno)
{
    struct config *c = &run.cfg;
    char host[64];
    int port, used = -1;
    if (sscanf(line, "%63s %d %lf %lf %lf %lf %lf %lld %n", host, &port, &c->seconds,
               &c->interval, &c->warmup, &c->timeout, &c->drain, &c->start_unix, &used) != 8
        || used < 0 || line[used] != '\0')
        input_error(lineno, "expected: host port seconds interval warmup timeout drain "
                            "start_unix");
    c->addr.sin_family = AF_INET;
    c->addr.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &c->addr.sin_addr) != 1)
        input_error(lineno, "host is not an IPv4 address");
    if (port < 1 || port > 65535)
        input_error(lineno, "port out of range");
    if (!isfinite(c->seconds) || !isfinite(c->interval) || !isfinite(c->warmup)
        || !isfinite(c->timeout) || !isfinite(c->drain) || c->seconds < 0 || c->interval < 0
        || c->warmup < 0 || c->timeout <= 0 || c->drain < 0)
        input_error(lineno, "times must be finite, not negative, timeout above 0");
    if (c->start_unix < 0 || c->start_unix > LATEST_START_UNIX)
        input_error(lineno, "start_unix out of range");
}

static bool all_chars(const char *s, size_t n, int (*allowed)(int))
{
    for (size_t i = 0; i < n; i++)
        if (!allowed((unsigned char)s[i]))
            return false;
    return true;
}

static int is_alnum_ascii(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int is_digit_ascii(int c)
{
    return c >= '0' && c <= '9';
}

static int is_printable_ascii(int c)
{
    return c >= 0x20 && c <= 0x7E;
}

/* The only occurrence of `needle` in `text`, or NULL when there is none or several. */
static const char *find_once(const char *text, const char *needle)
{
    const char *hit = strstr(text, needle);
    return hit && !strstr(hit + 1, needle) ? hit : NULL;
}

/* Where the template offset `at` (not inside a placeholder) lands in the rendered segment. */
static size_t rendered_offset(const struct variant *v, size_t at)
{
    return at + (v->qn_at < at ? QN_LEN - PLACEHOLDER_LEN : 0)
         + (v->dt_at < at ? N14_LEN - PLACEHOLDER_LEN : 0);
}

/* Check a template and fill `v` with it (its text still borrowed from the line). */
static void parse_template(struct variant *v, const char *text, const char *mn, size_t lineno)
{
    char mn_field[MN_MAX + 7];
    const char *qn = find_once(text, "{QN}"), *dt = find_once(text, "{DT}");
    const char *cp, *close = NULL;

    v->len = strlen(text);
    if (!all_chars(text, v->len, is_printable_ascii))
        input_error(lineno, "the template is not printable ASCII");
    if (!qn || !dt)
        input_error(lineno, "the template needs exactly one {QN} and one {DT}");
    snprintf(mn_field, sizeof mn_field, ";MN=%s;", mn);
    if (!strstr(text, mn_field))
        input_error(lineno, "the template lacks ;MN=<MN>; with the line's MN");
    cp = strstr(text, "CP=&&");
    for (const char *hit = cp ? strstr(cp + 5, "&&") : NULL; hit; hit = strstr(hit + 1, "&&"))
        close = hit;
    if (!close)
        input_error(lineno, "the template has no CP area CP=&&...&&");
    if (memchr(cp, '"', (size_t)(close - cp)) || memchr(cp, '\\', (size_t)(close - cp)))
        input_error(lineno, "the CP area contains a quote or backslash");
    v->qn_at = (size_t)(qn - text);
    v->dt_at = (size_t)(dt - text);
    v->seg_len = v->len + QN_LEN + N14_LEN - 2 * PLACEHOLDER_LEN;
    if (v->seg_len > SEGMENT_MAX)
        input_error(lineno, "the segment is longer than 9999 bytes");
    v->cp_at = rendered_offset(v, (size_t)(cp + 5 - text));
    v->cp_len = rendered_offset(v, (size_t)(close - text)) - v->cp_at;
}

/* One template line: a variant, appended to the current logger or opening a new one. */
static void parse_packet_line(char *line, size_t lineno)
{
    static size_t variant_cap, logger_cap;
    char *cn = strchr(line, '\t'), *text = cn ? strchr(cn + 1, '\t') : NULL;
    struct variant *v;
    struct logger *l = run.nloggers ? &run.loggers[run.nloggers - 1] : NULL;
    size_t mn_len, cn_len;

    if (!text)
        input_error(lineno, "expected MN<TAB>CN<TAB>TEMPLATE");
    *cn++ = '\0';
    *text++ = '\0';
    mn_len = strlen(line);
    cn_len = strlen(cn);
    if (mn_len < 1 || mn_len > MN_MAX || !all_chars(line, mn_len, is_alnum_ascii))
        input_error(lineno, "MN must be 1-24 letters or digits");
    if (cn_len < 1 || cn_len > CN_MAX || !all_chars(cn, cn_len, is_digit_ascii))
        input_error(lineno, "CN must be 1-7 digits");
    if (run.nvariants == variant_cap)
        run.variants = grow(run.variants, &variant_cap, sizeof *run.variants);
    v = &run.variants[run.nvariants];
    parse_template(v, text, line, lineno);
    memcpy(v->cn, cn, cn_len + 1);
    v->cn_len = cn_len;
    v->text = strdup(text);
    if (!v->text)
        die("strdup");
    if (!l || strcmp(l->mn, line) != 0) {
        if (run.nloggers == logger_cap)
            run.loggers = grow(run.loggers, &logger_cap, sizeof *run.loggers);
        l = &run.loggers[run.nloggers++];
        memset(l, 0, offsetof(struct logger, rbuf));
        memcpy(l->mn, line, mn_len + 1);
        l->mn_len = mn_len;
        l->first = run.nvariants;
    }
    l->count++;
    run.nvariants++;
}

static void read_input(const char *path)
{
    FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t n;

    if (!in) {
        fprintf(stderr, "hj212_loadgen: %s: %s\n", path, strerror(errno));
        exit(2);
    }
    while ((n = getline(&line, &cap, in)) >= 0) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (lineno == 1)
            parse_config(line, lineno);
        else if (n > 0)
            parse_packet_line(line, lineno);
    }
    if (lineno == 0)
        input_error(1, "empty input");
    if (run.nloggers == 0)
        input_error(lineno, "no packet templates");
    free(line);
    if (in != stdin)
        fclose(in);
}

/* ---- acked log and latencies ------------------------------------------------------------ */

static void log_flush(void)
{
    for (size_t done = 0; done < run.loglen;) {
        ssize_t n = write(run.log_fd, run.log + done, run.loglen - done);
        if (n < 0 && errno != EINTR)
            die("writing the acked log");
        done += n > 0 ? (size_t)n : 0;
    }
    run.loglen = 0;
}

static void log_put(const char *text, size_t n)
{
    memcpy(run.log + run.loglen, text, n);
    run.loglen += n;
}

/* Append a string literal. */
#define LOG_LITERAL(text) log_put(text, sizeof text - 1)

static void log_ack(const struct logger *l)
{
    const struct variant *v = &run.variants[l->variant];
    char number[24];
    int digits = snprintf(number, sizeof number, "%lld", l->data_time);

    if (run.loglen + LOG_LINE_MAX > LOG_BUFFER)
        log_flush();
    LOG_LITERAL("{\"mn\":\"");
    log_put(l->mn, l->mn_len);
    LOG_LITERAL("\",\"cn\":\"");
    log_put(v->cn, v->cn_len);
    LOG_LITERAL("\",\"data_time\":");
    log_put(number, (size_t)digits);
    LOG_LITERAL(",\"qn\":\"");
    log_put(l->qn, QN_LEN);
    LOG_LITERAL("\",\"cp\":\"");
    log_put(l->frame + 6 + v->cp_at, v->cp_len);
    LOG_LITERAL("\"}\n");
}

static void record_latency(double seconds)
{
    if (run.nlat == run.latcap)
        run.latencies = grow(run.latencies, &run.latcap, sizeof *run.latencies);
    run.latencies[run.nlat++] = seconds;
}

/* ---- connections ------------------------------------------------------------------------ */

static void watch(struct logger *l, int op, uint32_t events)
{
    struct epoll_event ev = { .events = events, .data.ptr = l };
    if (epoll_ctl(run.epoll_fd, op, l->fd, &ev) != 0)
        die("epoll_ctl");
}

/* Close the connection (if any) and reconnect after 0.2 s + random [0, 1) s. */
static void link_failed(struct logger *l, double now)
{
    if (l->fd >= 0)
        close(l->fd);
    l->fd = -1;
    l->state = DOWN;
    l->rlen = 0;
    set_due(l, now + RECONNECT_BASE_S + drand48());
    run.reconnects++;
}

/* Send the outstanding frame (first send or resend). */
static void send_pending(struct logger *l, double now)
{
    ssize_t n = send(l->fd, l->frame, l->frame_len, MSG_NOSIGNAL);
    if (n != (ssize_t)l->frame_len) {
        link_failed(l, now);
        return;
    }
    run.sent++;
    l->last_sent = now;
    set_due(l, now + run.cfg.timeout);
}

/* Make the logger's next packet the outstanding one. */
static void start_packet(struct logger *l, double now)
{
    const struct variant *v;
    char dt[N14_LEN];

    l->variant = l->first + l->turn % l->count;
    l->turn++;
    v = &run.variants[l->variant];
    l->data_time = l->clock;
    l->clock += STEP_S;
    next_qn(l);
    put_n14(dt, l->data_time);
    render(v, l->qn, dt, l->frame + 6);
    l->frame_len = finish_frame(l->frame, v->seg_len);
    l->pending = true;
    run.outstanding++;
    l->first_sent = now;
    l->next_at = later(l->next_at + run.cfg.interval, now);
}

/* A connected logger with nothing outstanding: start its next packet when one is due. */
static void advance(struct logger *l, double now)
{
    if (now >= run.end || l->next_at >= run.end) {
        set_due(l, INFINITY);
        return;
    }
    if (l->next_at > now) {
        set_due(l, l->next_at);
        return;
    }
    start_packet(l, now);
    send_pending(l, now);
}

static void link_up(struct logger *l, double now)
{
    l->state = UP;
    if (l->pending)
        send_pending(l, now);
    else
        advance(l, now);
}

static void link_open(struct logger *l, double now)
{
    int one = 1;
    l->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (l->fd < 0) {
        link_failed(l, now);
        return;
    }
    setsockopt(l->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(l->fd, (const struct sockaddr *)&run.cfg.addr, sizeof run.cfg.addr) == 0) {
        watch(l, EPOLL_CTL_ADD, EPOLLIN);
        link_up(l, now);
    } else if (errno == EINPROGRESS) {
        watch(l, EPOLL_CTL_ADD, EPOLLOUT);
        l->state = CONNECTING;
        set_due(l, now + run.cfg.timeout);
    } else {
        link_failed(l, now);
    }
}

static void on_connect_done(struct logger *l, double now)
{
    int error = 0;
    socklen_t size = sizeof error;
    if (getsockopt(l->fd, SOL_SOCKET, SO_ERROR, &error, &size) != 0 || error != 0) {
        link_failed(l, now);
        return;
    }
    watch(l, EPOLL_CTL_MOD, EPOLLIN);
    link_up(l, now);
}

/* ---- replies ---------------------------------------------------------------------------- */

/* The outstanding packet is answered (acked or refused): the logger moves on. */
static void packet_done(struct logger *l, double now)
{
    l->pending = false;
    run.outstanding--;
    advance(l, now);
}

/* Header fields of a reply segment (those before CP); empty when absent. */
struct header {
    struct span qn, st, cn, mn;
};

/* Where the field starting at `field` (3 bytes or more) goes, or NULL if not wanted. */
static struct span *header_slot(struct header *h, const char *field)
{
    if (field[2] != '=')
        return NULL;
    if (field[0] == 'Q' && field[1] == 'N')
        return &h->qn;
    if (field[0] == 'S' && field[1] == 'T')
        return &h->st;
    if (field[0] == 'C' && field[1] == 'N')
        return &h->cn;
    if (field[0] == 'M' && field[1] == 'N')
        return &h->mn;
    return NULL;
}

static void read_header(const char *seg, size_t len, struct header *h)
{
    const char *end = seg + len;
    memset(h, 0, sizeof *h);
    for (const char *p = seg; end - p >= 3 && memcmp(p, "CP=", 3) != 0; p++) {
        const char *stop = memchr(p, ';', (size_t)(end - p));
        struct span *slot = header_slot(h, p);
        if (!stop)
            stop = end;
        if (slot && stop - p >= 3)
            *slot = (struct span){ p + 3, (size_t)(stop - p - 3) };
        p = stop; /* the loop's p++ steps over the ';' */
    }
}

static void on_frame(struct logger *l, const char *seg, size_t len, double now)
{
    struct header h;
    if (!l->pending)
        return;
    read_header(seg, len, &h);
    if (!span_is(h.qn, l->qn, QN_LEN) || !span_is(h.st, "91", 2)
        || !span_is(h.mn, l->mn, l->mn_len))
        return;
    if (span_is(h.cn, "9014", 4)) {
        run.acked++;
        if (l->first_sent >= run.measure_from)
            record_latency(now - l->last_sent);
        log_ack(l);
        packet_done(l, now);
    } else if (span_is(h.cn, "9011", 4)) {
        run.refused++;
        packet_done(l, now);
    }
}

/* The 4 digits of a frame's length field. */
static bool parse_length(const char *p, size_t *len)
{
    if (!all_chars(p, 4, is_digit_ascii))
        return false;
    *len = (size_t)((p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0'));
    return true;
}

/* Handle the whole frames in the receive buffer and keep what may start the next one. */
static void take_frames(struct logger *l, double now)
{
    size_t pos = 0;
    while (l->state == UP) {
        const char *mark = memmem(l->rbuf + pos, l->rlen - pos, "##", 2);
        size_t at, seg_len;
        if (!mark) {
            pos = l->rlen > pos && l->rbuf[l->rlen - 1] == '#' ? l->rlen - 1 : l->rlen;
            break;
        }
        at = (size_t)(mark - l->rbuf);
        if (l->rlen - at < 6) {
            pos = at;
            break;
        }
        if (!parse_length(mark + 2, &seg_len) || seg_len + FRAME_EXTRA > RBUF_SIZE) {
            pos = at + 1;
            continue;
        }
        if (l->rlen - at < seg_len + FRAME_EXTRA) {
            pos = at;
            break;
        }
        if (memcmp(mark + seg_len + FRAME_EXTRA - 2, "\r\n", 2) != 0) {
            pos = at + 1;
            continue;
        }
        pos = at + seg_len + FRAME_EXTRA;
        on_frame(l, mark + 6, seg_len, now);
    }
    if (l->state == UP) {
        memmove(l->rbuf, l->rbuf + pos, l->rlen - pos);
        l->rlen -= pos;
    }
}

static void on_readable(struct logger *l, double now)
{
    ssize_t n = recv(l->fd, l->rbuf + l->rlen, RBUF_SIZE - l->rlen, 0);
    if (n > 0) {
        l->rlen += (size_t)n;
        take_frames(l, now);
    } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        link_failed(l, now);
    }
}

/* ---- the run ---------------------------------------------------------------------------- */

/* The logger's timer is reached. */
static void fire(struct logger *l, double now)
{
    if (l->state == DOWN) {
        if (l->pending || now < run.end)
            link_open(l, now);
        else
            set_due(l, INFINITY);
    } else if (l->state == CONNECTING || l->pending) {
        link_failed(l, now); /* not connected or not answered in time */
    } else {
        advance(l, now);
    }
}

/* Fire the timers that are due and find the earliest of the others (and the run's ends). */
static void scan(double now)
{
    run.wake = now < run.end ? run.end : run.give_up;
    run.last_scan = now;
    for (size_t i = 0; i < run.nloggers; i++) {
        if (run.due[i] <= now)
            fire(&run.loggers[i], now);
        else if (run.due[i] < run.wake)
            run.wake = run.due[i];
    }
}

static void raise_fd_limit(void)
{
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        die("getrlimit");
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0)
        die("setrlimit");
    if (limit.rlim_cur != RLIM_INFINITY && run.nloggers + SPARE_FDS > limit.rlim_cur) {
        fprintf(stderr, "hj212_loadgen: %zu loggers need more descriptors than the limit %llu\n",
                run.nloggers, (unsigned long long)limit.rlim_cur);
        exit(1);
    }
}

/* Per-logger state at the run start: frame buffers, clocks, first due times. */
static void setup_loggers(void)
{
    srand48(212);
    run.due = malloc(run.nloggers * sizeof *run.due);
    if (!run.due)
        die("malloc");
    for (size_t i = 0; i < run.nloggers; i++) {
        struct logger *l = &run.loggers[i];
        size_t longest = 0;
        for (size_t k = 0; k < l->count; k++)
            if (run.variants[l->first + k].seg_len > longest)
                longest = run.variants[l->first + k].seg_len;
        l->frame = malloc(longest + FRAME_EXTRA);
        if (!l->frame)
            die("malloc");
        l->fd = -1;
        l->state = DOWN;
        l->clock = run.cfg.start_unix;
        run.due[i] = run.start;
        l->next_at = run.start + run.cfg.interval * drand48();
    }
}

/* How long epoll_wait may sleep [ms]: until the next scan is due (rounded up), at most 1 s. */
static int sleep_ms(double now)
{
    double left = later(run.wake, run.last_scan + SCAN_GAP_S) - now;
    if (left <= 0)
        return 0;
    return left >= 1.0 ? 1000 : 1 + (int)(left * 1000);
}

/* Scan timers when due, wait for socket events, handle them; until the run is over. */
static void event_loop(void)
{
    struct epoll_event events[EVENTS];
    double now = run.start;

    run.wake = run.start;
    run.last_scan = -INFINITY;
    while (now < run.give_up && (now < run.end || run.outstanding > 0)) {
        int n;
        if (now >= run.wake && now >= run.last_scan + SCAN_GAP_S)
            scan(now);
        n = epoll_wait(run.epoll_fd, events, EVENTS, sleep_ms(now));
        if (n < 0 && errno != EINTR)
            die("epoll_wait");
        for (int i = 0; i < n; i++) {
            struct logger *l = events[i].data.ptr;
            now = mono();
            if (l->state == CONNECTING)
                on_connect_done(l, now);
            else if (l->state == UP)
                on_readable(l, now);
        }
        now = mono();
    }
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double percentile_ms(double share)
{
    size_t index;
    if (run.nlat == 0)
        return 0.0;
    index = (size_t)(share * (double)run.nlat);
    return 1000.0 * run.latencies[index < run.nlat ? index : run.nlat - 1];
}

static void report(double seconds)
{
    qsort(run.latencies, run.nlat, sizeof *run.latencies, compare_doubles);
    printf("{\"devices\":%zu,\"seconds\":%.2f,\"sent\":%llu,\"acked\":%llu,\"refused\":%llu,"
           "\"reconnects\":%llu,\"acked_per_s\":%.1f,\"p50_ms\":%.2f,\"p99_ms\":%.2f}\n",
           run.nloggers, seconds, run.sent, run.acked, run.refused, run.reconnects,
           seconds > 0 ? (double)run.acked / seconds : 0.0, percentile_ms(0.5),
           percentile_ms(0.99));
}

/* --frame SEGMENT: print the frame of SEGMENT. */
static int print_frame(const char *segment)
{
    size_t len = strlen(segment);
    char *frame;
    if (len > SEGMENT_MAX) {
        fprintf(stderr, "hj212_loadgen: the segment is longer than 9999 bytes\n");
        return 2;
    }
    frame = malloc(len + FRAME_EXTRA);
    if (!frame)
        die("malloc");
    memcpy(frame + 6, segment, len);
    fwrite(frame, 1, finish_frame(frame, len), stdout);
    free(frame);
    return 0;
}

int main(int argc, char **argv)
{
    double finished;
    if (argc != 3) {
        fprintf(stderr, "usage: hj212_loadgen INPUT|- ACKED_LOG\n"
                        "       hj212_loadgen --frame SEGMENT\n");
        return 2;
    }
    crc_init();
    if (strcmp(argv[1], "--frame") == 0)
        return print_frame(argv[2]);
    read_input(argv[1]);
    raise_fd_limit();
    run.log_fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (run.log_fd < 0)
        die(argv[2]);
    run.log = malloc(LOG_BUFFER);
    run.epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    if (!run.log || run.epoll_fd < 0)
        die("setup");

    run.start = mono();
    run.end = run.start + run.cfg.seconds;
    run.give_up = run.end + run.cfg.drain;
    run.measure_from = run.start + run.cfg.warmup;
    setup_loggers();
    event_loop();
    finished = mono();

    for (size_t i = 0; i < run.nloggers; i++)
        if (run.loggers[i].fd >= 0)
            close(run.loggers[i].fd);
    log_flush();
    if (close(run.log_fd) != 0)
        die("closing the acked log");
    report(finished - run.start);
    return 0;
}
