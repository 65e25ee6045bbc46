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

static void emit(enum cf_log_level lvl, const void *msg, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	struct cf_buf b = CF_BUF_INIT;
	cf_buf_printf(&b, "%04d/%02d/%02d %02d:%02d:%02d [%s] ", tm.tm_year + 1900, tm.tm_mon + 1,
		      tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, level_names[lvl]);
	cf_buf_add(&b, msg, len);
	/* Go's log adds a newline only when the message lacks one. */
	if (b.data[b.len - 1] != '\n')
		cf_buf_addc(&b, '\n');
	fwrite(b.data, 1, b.len, log_sink);
	fflush(log_sink);
	cf_buf_release(&b);
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
