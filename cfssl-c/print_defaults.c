/* cfssl print-defaults: templates for the configuration and the request. */
#include <string.h>

#include "cli.h"

static const char config_template[] = "{\n"
				      "    \"signing\": {\n"
				      "        \"default\": {\n"
				      "            \"expiry\": \"168h\"\n"
				      "        },\n"
				      "        \"profiles\": {\n"
				      "            \"www\": {\n"
				      "                \"expiry\": \"8760h\",\n"
				      "                \"usages\": [\n"
				      "                    \"signing\",\n"
				      "                    \"key encipherment\",\n"
				      "                    \"server auth\"\n"
				      "                ]\n"
				      "            },\n"
				      "            \"client\": {\n"
				      "                \"expiry\": \"8760h\",\n"
				      "                \"usages\": [\n"
				      "                    \"signing\",\n"
				      "                    \"key encipherment\",\n"
				      "                    \"client auth\"\n"
				      "                ]\n"
				      "            }\n"
				      "        }\n"
				      "    }\n"
				      "}\n";

static const char csr_template[] = "{\n"
				   "    \"CN\": \"example.net\",\n"
				   "    \"hosts\": [\n"
				   "        \"example.net\",\n"
				   "        \"www.example.net\"\n"
				   "    ],\n"
				   "    \"key\": {\n"
				   "        \"algo\": \"ecdsa\",\n"
				   "        \"size\": 256\n"
				   "    },\n"
				   "    \"names\": [\n"
				   "        {\n"
				   "            \"C\": \"US\",\n"
				   "            \"ST\": \"CA\",\n"
				   "            \"L\": \"San Francisco\"\n"
				   "        }\n"
				   "    ]\n"
				   "}\n";

int cmd_print_defaults(struct cfssl_ctx *ctx)
{
	if (ctx->npos < 1)
		return cf_error_set(
			ctx->err, CF_ERR_PLAIN,
			"not enough arguments are supplied --- please refer to the usage");
	const char *what = ctx->pos[0];
	if (!strcmp(what, "config")) {
		cf_buf_adds(ctx->out, config_template);
		cf_buf_addc(ctx->out, '\n');
	} else if (!strcmp(what, "csr")) {
		cf_buf_adds(ctx->out, csr_template);
		cf_buf_addc(ctx->out, '\n');
	} else {
		cf_buf_adds(ctx->out,
			    "Default configurations are available for:\n\tconfig\n\tcsr\n");
	}
	return 0;
}
