/* The endpoints that sign with the server's CA: info, sign, authsign, newcert (cfssl-serve.md
 * §3.2-3.4, §3.6). */
#include "api.h"

int cf_api_info(const struct cf_api *api, const struct cf_httpd_request *req,
		struct cf_httpd_reply *rep, struct cf_error *err)
{
	(void)api;
	(void)req;
	(void)rep;
	return cf_error_set(err, CF_ERR_PLAIN, "endpoint not implemented yet");
}

int cf_api_sign(const struct cf_api *api, const struct cf_httpd_request *req,
		struct cf_httpd_reply *rep, struct cf_error *err)
{
	(void)api;
	(void)req;
	(void)rep;
	return cf_error_set(err, CF_ERR_PLAIN, "endpoint not implemented yet");
}

int cf_api_authsign(const struct cf_api *api, const struct cf_httpd_request *req,
		    struct cf_httpd_reply *rep, struct cf_error *err)
{
	(void)api;
	(void)req;
	(void)rep;
	return cf_error_set(err, CF_ERR_PLAIN, "endpoint not implemented yet");
}

int cf_api_newcert(const struct cf_api *api, const struct cf_httpd_request *req,
		   struct cf_httpd_reply *rep, struct cf_error *err)
{
	(void)api;
	(void)req;
	(void)rep;
	return cf_error_set(err, CF_ERR_PLAIN, "endpoint not implemented yet");
}
