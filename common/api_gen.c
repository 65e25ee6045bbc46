/* The endpoints that need no CA of the server's (cfssl-serve.md §3.1, §3.5, §3.7-3.10, §3.12,
 * §3.15). */
#include "api.h"

int cf_api_health(const struct cf_api *api, const struct cf_httpd_request *req,
		  struct cf_httpd_reply *rep, struct cf_error *err)
{
	(void)api;
	(void)req;
	(void)rep;
	return cf_error_set(err, CF_ERR_PLAIN, "endpoint not implemented yet");
}

int cf_api_newkey(const struct cf_api *api, const struct cf_httpd_request *req,
		  struct cf_httpd_reply *rep, struct cf_error *err)
{
	(void)api;
	(void)req;
	(void)rep;
	return cf_error_set(err, CF_ERR_PLAIN, "endpoint not implemented yet");
}

int cf_api_init_ca(const struct cf_api *api, const struct cf_httpd_request *req,
		   struct cf_httpd_reply *rep, struct cf_error *err)
{
	(void)api;
	(void)req;
	(void)rep;
	return cf_error_set(err, CF_ERR_PLAIN, "endpoint not implemented yet");
}

int cf_api_bundle(const struct cf_api *api, const struct cf_httpd_request *req,
		  struct cf_httpd_reply *rep, struct cf_error *err)
{
	(void)api;
	(void)req;
	(void)rep;
	return cf_error_set(err, CF_ERR_PLAIN, "endpoint not implemented yet");
}

int cf_api_certinfo(const struct cf_api *api, const struct cf_httpd_request *req,
		    struct cf_httpd_reply *rep, struct cf_error *err)
{
	(void)api;
	(void)req;
	(void)rep;
	return cf_error_set(err, CF_ERR_PLAIN, "endpoint not implemented yet");
}

int cf_api_scan(const struct cf_api *api, const struct cf_httpd_request *req,
		struct cf_httpd_reply *rep, struct cf_error *err)
{
	(void)api;
	(void)req;
	(void)rep;
	return cf_error_set(err, CF_ERR_PLAIN, "endpoint not implemented yet");
}

int cf_api_scaninfo(const struct cf_api *api, const struct cf_httpd_request *req,
		    struct cf_httpd_reply *rep, struct cf_error *err)
{
	(void)api;
	(void)req;
	(void)rep;
	return cf_error_set(err, CF_ERR_PLAIN, "endpoint not implemented yet");
}

int cf_api_gencrl(const struct cf_api *api, const struct cf_httpd_request *req,
		  struct cf_httpd_reply *rep, struct cf_error *err)
{
	(void)api;
	(void)req;
	(void)rep;
	return cf_error_set(err, CF_ERR_PLAIN, "endpoint not implemented yet");
}

int cf_api_ocspsign(const struct cf_api *api, const struct cf_httpd_request *req,
		    struct cf_httpd_reply *rep, struct cf_error *err)
{
	(void)api;
	(void)req;
	(void)rep;
	return cf_error_set(err, CF_ERR_PLAIN, "endpoint not implemented yet");
}
