/* The endpoints of the certificate database: crl, revoke, certadd (cfssl-serve.md §3.11, §3.13,
 * §3.14). */
#include "api.h"

int cf_api_crl(const struct cf_api *api, const struct cf_httpd_request *req,
	       struct cf_httpd_reply *rep, struct cf_error *err)
{
	(void)api;
	(void)req;
	(void)rep;
	return cf_error_set(err, CF_ERR_PLAIN, "endpoint not implemented yet");
}

int cf_api_revoke(const struct cf_api *api, const struct cf_httpd_request *req,
		  struct cf_httpd_reply *rep, struct cf_error *err)
{
	(void)api;
	(void)req;
	(void)rep;
	return cf_error_set(err, CF_ERR_PLAIN, "endpoint not implemented yet");
}

int cf_api_certadd(const struct cf_api *api, const struct cf_httpd_request *req,
		   struct cf_httpd_reply *rep, struct cf_error *err)
{
	(void)api;
	(void)req;
	(void)rep;
	return cf_error_set(err, CF_ERR_PLAIN, "endpoint not implemented yet");
}
