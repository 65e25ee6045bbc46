/* cfssl's log records: "YYYY/MM/DD HH:MM:SS [LEVEL] message\n" on a sink the
 * binary installs (the library never writes to a stream by itself). Records
 * below the configured level are dropped. Never pass key material here. */
#ifndef CF_LOG_H
#define CF_LOG_H

#include <stddef.h>
#include <stdio.h>

enum cf_log_level {
	CF_LOG_DEBUG = 0,
	CF_LOG_INFO = 1,
	CF_LOG_WARNING = 2,
	CF_LOG_ERROR = 3,
	CF_LOG_CRITICAL = 4,
	CF_LOG_FATAL = 5,
};

/* Installs the stream records go to (NULL: none) and the minimum level
 * (cfssl's -loglevel: negative acts as 0, >= 6 silences everything). */
void cf_log_init(FILE *sink, long long level);
void cf_log(enum cf_log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A record whose message is @len bytes of @msg as they are (a NUL included, as Go logs it). */
void cf_log_bytes(enum cf_log_level lvl, const void *msg, size_t len);

/* Between cf_log_hold() and cf_log_flush() the calling thread's records are kept and then
 * written together in one write: a server's request logs its lines with one system call instead
 * of one each, and they stay together in the log. Records keep the time they were made. */
void cf_log_hold(void);
void cf_log_flush(void);

#define cf_debug(...)    cf_log(CF_LOG_DEBUG, __VA_ARGS__)
#define cf_info(...)     cf_log(CF_LOG_INFO, __VA_ARGS__)
#define cf_warning(...)  cf_log(CF_LOG_WARNING, __VA_ARGS__)
#define cf_errorlog(...) cf_log(CF_LOG_ERROR, __VA_ARGS__)

#endif
