/* The endpoint table of cfssl serve, its start-up lines, and routing (cfssl-serve.md §1.3-1.5,
 * §2.1). */
#include "api.h"

void cf_api_setup(struct cf_api *api, const char *disable)
{
	(void)disable;
	api->enabled = 0;
}

int cf_api_precheck(void *arg, const struct cf_httpd_request *req, struct cf_httpd_reply *rep)
{
	(void)arg;
	(void)req;
	cf_httpd_reply_not_found(rep);
	return 1;
}

int cf_api_dispatch(void *arg, const struct cf_httpd_request *req, struct cf_httpd_reply *rep,
		    struct cf_error *err)
{
	(void)arg;
	(void)req;
	cf_httpd_reply_not_found(rep);
	(void)err;
	return 0;
}
