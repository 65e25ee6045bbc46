#include "log.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "buf.h"

static FILE *log_sink;
static long long log_level = CF_LOG_INFO;

static const char *const level_names[] = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL", "FATAL"};

void cf_log_init(FILE *sink, long long level)
{
	log_sink = sink;
	log_level = level;
}

/* Each thread's "YYYY/MM/DD HH:MM:SS " for the second it last logged in: localtime_r takes a
 * process-wide lock, which the worker threads of a busy server would queue on for every line. */
static _Thread_local time_t stamp_at = -1;
static _Thread_local char stamp[64];
/* Records held by this thread between cf_log_hold() and cf_log_flush(). */
static _Thread_local struct cf_buf held = CF_BUF_INIT;
static _Thread_local int holding;

static void emit(enum cf_log_level lvl, const void *msg, size_t len)
{
	time_t now = time(NULL);
	if (now != stamp_at) {
		struct tm tm;
		localtime_r(&now, &tm);
		snprintf(stamp, sizeof stamp, "%04d/%02d/%02d %02d:%02d:%02d ", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		stamp_at = now;
	}
	struct cf_buf own = CF_BUF_INIT;
	struct cf_buf *b = holding ? &held : &own;
	cf_buf_printf(b, "%s[%s] ", stamp, level_names[lvl]);
	cf_buf_add(b, msg, len);
	/* Go's log adds a newline only when the message lacks one. */
	if (b->data[b->len - 1] != '\n')
		cf_buf_addc(b, '\n');
	if (!holding) {
		fwrite(own.data, 1, own.len, log_sink);
		fflush(log_sink);
		cf_buf_release(&own);
	}
}

void cf_log_hold(void)
{
	holding = 1;
}

void cf_log_flush(void)
{
	holding = 0;
	if (held.len && log_sink) {
		fwrite(held.data, 1, held.len, log_sink);
		fflush(log_sink);
	}
	cf_buf_release(&held);
}

void cf_log(enum cf_log_level lvl, const char *fmt, ...)
{
	if (!log_sink || (long long)lvl < log_level)
		return;
	struct cf_buf m = CF_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	cf_buf_vprintf(&m, fmt, ap);
	va_end(ap);
	emit(lvl, m.data, m.len);
	cf_buf_release(&m);
}

void cf_log_bytes(enum cf_log_level lvl, const void *msg, size_t len)
{
	if (log_sink && (long long)lvl >= log_level)
		emit(lvl, msg, len);
}
