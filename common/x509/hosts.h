/* Subject alternative names from host strings, classified as cfssl does:
 * the first of Go's net.ParseIP, net/mail.ParseAddress and
 * url.ParseRequestURI that accepts the string decides, otherwise DNS. */
#ifndef CF_HOSTS_H
#define CF_HOSTS_H

#include <stddef.h>
#include <string.h>

#include "error.h"

enum cf_host_kind { CF_HOST_DNS, CF_HOST_EMAIL, CF_HOST_IP, CF_HOST_URI };

struct cf_host {
	enum cf_host_kind kind;
	char *value;          /* new; DNS verbatim, e-mail addr-spec, URI re-serialised as Go does,
			       * IP the input verbatim */
	unsigned char ip[16]; /* CF_HOST_IP */
	int iplen;            /* 4 (IPv4 and IPv4-mapped IPv6) or 16 */
	size_t len;           /* of value, when a request's SAN put NULs in it; 0: strlen */
};

/* The length of @h->value, NULs from a request's SAN included. */
static inline size_t cf_host_len(const struct cf_host *h)
{
	return h->len ? h->len : strlen(h->value);
}

/* Classifies @s. Always succeeds for ASCII input; returns -1 with @err set
 * for a value that cannot be encoded as an IA5String (non-ASCII DNS name,
 * e-mail or URI), in Go's words: x509: "ü.example" cannot be encoded as an IA5String
 * (code CF_ERR_PLAIN; callers wrap it). On failure @out->kind still tells the
 * kind (Go reports the first bad DNS name, then e-mail, then URI) and
 * @out->value is NULL; nothing needs releasing. */
int cf_host_classify(const char *s, struct cf_host *out, struct cf_error *err);
void cf_host_release(struct cf_host *h);

/* Individual Go parsers, exposed for tests and fuzzers. */
int cf_parse_ip(const char *s, unsigned char ip[16], int *iplen); /* 0 ok */
int cf_parse_mail(const char *s, char **addr);                    /* 0 ok, *addr new */
int cf_parse_request_uri(const char *s, char **serialised);       /* 0 ok, new */

#endif
