#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "gojson.h"

int cf_error_set(struct cf_error *e, int code, const char *fmt, ...)
{
	if (!e || e->set)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	e->code = code;
	e->set = 1;
	return -1;
}

void cf_error_clear(struct cf_error *e)
{
	memset(e, 0, sizeof *e);
}

void cf_error_render(const struct cf_error *e, char *out, size_t n)
{
	if (!n)
		return;
	if (!e->set) {
		snprintf(out, n, "unknown error");
		return;
	}
	if (e->code == CF_ERR_PLAIN) {
		snprintf(out, n, "%s", e->msg);
		return;
	}
	struct cf_buf b = CF_BUF_INIT;
	cf_buf_printf(&b, "{\"code\":%d,\"message\":", e->code);
	cf_gojson_quote(&b, e->msg, strlen(e->msg));
	cf_buf_addc(&b, '}');
	snprintf(out, n, "%s", (const char *)b.data);
	cf_buf_release(&b);
}
