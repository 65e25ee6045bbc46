/* p11-kit on demand, for -Dstatic_crypto=true builds only (meson.build).
 *
 * The static GnuTLS calls p11-kit only for PKCS#11 (tokens, "pkcs11:" URLs), which cfssl-c never
 * asks of it: its system trust store is a file. Linked as a shared library, p11-kit (and libffi
 * under it) was still loaded, relocated and initialised by every run: some 0.45 MiB of resident
 * memory for every command and every server, for nothing. These definitions stand in for the
 * 32 functions GnuTLS uses: the first call loads libp11-kit.so.0 and each call goes on to the
 * library's function. Should the library be missing, calls fail as p11-kit's own do when they
 * find nothing (NULL, an error code), and GnuTLS reports a PKCS#11 error. */

#include <dlfcn.h>
#include <p11-kit/p11-kit.h>
#include <p11-kit/pin.h>
#include <p11-kit/uri.h>
#include <pthread.h>

#define P11_FUNCTIONS(X)                   \
	X(p11_kit_config_option)           \
	X(p11_kit_message)                 \
	X(p11_kit_module_finalize)         \
	X(p11_kit_module_get_flags)        \
	X(p11_kit_module_get_name)         \
	X(p11_kit_module_load)             \
	X(p11_kit_module_release)          \
	X(p11_kit_modules_load)            \
	X(p11_kit_pin_file_callback)       \
	X(p11_kit_pin_get_length)          \
	X(p11_kit_pin_get_value)           \
	X(p11_kit_pin_new_for_string)      \
	X(p11_kit_pin_register_callback)   \
	X(p11_kit_pin_request)             \
	X(p11_kit_pin_unref)               \
	X(p11_kit_pin_unregister_callback) \
	X(p11_kit_space_strdup)            \
	X(p11_kit_space_strlen)            \
	X(p11_kit_strerror)                \
	X(p11_kit_uri_format)              \
	X(p11_kit_uri_free)                \
	X(p11_kit_uri_get_attribute)       \
	X(p11_kit_uri_get_attributes)      \
	X(p11_kit_uri_get_module_info)     \
	X(p11_kit_uri_get_pin_source)      \
	X(p11_kit_uri_get_pin_value)       \
	X(p11_kit_uri_get_token_info)      \
	X(p11_kit_uri_match_module_info)   \
	X(p11_kit_uri_match_token_info)    \
	X(p11_kit_uri_new)                 \
	X(p11_kit_uri_parse)               \
	X(p11_kit_uri_set_attribute)

/* the library's functions, with the prototypes of its headers */
static struct {
#define FIELD(name) __typeof__(name) *name;
	P11_FUNCTIONS(FIELD)
#undef FIELD
} p11;

static pthread_once_t p11_once = PTHREAD_ONCE_INIT;

static void p11_load(void)
{
	void *h = dlopen("libp11-kit.so.0", RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return;
#define LOOKUP(name) *(void **)&p11.name = dlsym(h, #name);
	P11_FUNCTIONS(LOOKUP)
#undef LOOKUP
}

/* the library's NAME, or NULL */
#define P11(name) (pthread_once(&p11_once, p11_load), p11.name)

char *p11_kit_config_option(CK_FUNCTION_LIST *module, const char *option)
{
	return P11(p11_kit_config_option) ? p11.p11_kit_config_option(module, option) : NULL;
}

const char *p11_kit_message(void)
{
	return P11(p11_kit_message) ? p11.p11_kit_message() : "p11-kit could not be loaded";
}

CK_RV p11_kit_module_finalize(CK_FUNCTION_LIST *module)
{
	return P11(p11_kit_module_finalize) ? p11.p11_kit_module_finalize(module)
					    : CKR_GENERAL_ERROR;
}

int p11_kit_module_get_flags(CK_FUNCTION_LIST *module)
{
	return P11(p11_kit_module_get_flags) ? p11.p11_kit_module_get_flags(module) : 0;
}

char *p11_kit_module_get_name(CK_FUNCTION_LIST *module)
{
	return P11(p11_kit_module_get_name) ? p11.p11_kit_module_get_name(module) : NULL;
}

CK_FUNCTION_LIST *p11_kit_module_load(const char *module_path, int flags)
{
	return P11(p11_kit_module_load) ? p11.p11_kit_module_load(module_path, flags) : NULL;
}

void p11_kit_module_release(CK_FUNCTION_LIST *module)
{
	if (P11(p11_kit_module_release))
		p11.p11_kit_module_release(module);
}

CK_FUNCTION_LIST **p11_kit_modules_load(const char *reserved, int flags)
{
	return P11(p11_kit_modules_load) ? p11.p11_kit_modules_load(reserved, flags) : NULL;
}

P11KitPin *p11_kit_pin_file_callback(const char *pin_source, P11KitUri *pin_uri,
				     const char *pin_description, P11KitPinFlags pin_flags,
				     void *callback_data)
{
	return P11(p11_kit_pin_file_callback)
		       ? p11.p11_kit_pin_file_callback(pin_source, pin_uri, pin_description,
						       pin_flags, callback_data)
		       : NULL;
}

size_t p11_kit_pin_get_length(P11KitPin *pin)
{
	return P11(p11_kit_pin_get_length) ? p11.p11_kit_pin_get_length(pin) : 0;
}

const unsigned char *p11_kit_pin_get_value(P11KitPin *pin, size_t *length)
{
	return P11(p11_kit_pin_get_value) ? p11.p11_kit_pin_get_value(pin, length) : NULL;
}

P11KitPin *p11_kit_pin_new_for_string(const char *value)
{
	return P11(p11_kit_pin_new_for_string) ? p11.p11_kit_pin_new_for_string(value) : NULL;
}

int p11_kit_pin_register_callback(const char *pin_source, p11_kit_pin_callback callback,
				  void *callback_data, p11_kit_pin_destroy_func callback_destroy)
{
	return P11(p11_kit_pin_register_callback)
		       ? p11.p11_kit_pin_register_callback(pin_source, callback, callback_data,
							   callback_destroy)
		       : -1;
}

P11KitPin *p11_kit_pin_request(const char *pin_source, P11KitUri *pin_uri,
			       const char *pin_description, P11KitPinFlags pin_flags)
{
	return P11(p11_kit_pin_request)
		       ? p11.p11_kit_pin_request(pin_source, pin_uri, pin_description, pin_flags)
		       : NULL;
}

void p11_kit_pin_unref(P11KitPin *pin)
{
	if (P11(p11_kit_pin_unref))
		p11.p11_kit_pin_unref(pin);
}

void p11_kit_pin_unregister_callback(const char *pin_source, p11_kit_pin_callback callback,
				     void *callback_data)
{
	if (P11(p11_kit_pin_unregister_callback))
		p11.p11_kit_pin_unregister_callback(pin_source, callback, callback_data);
}

char *p11_kit_space_strdup(const unsigned char *string, size_t max_length)
{
	return P11(p11_kit_space_strdup) ? p11.p11_kit_space_strdup(string, max_length) : NULL;
}

size_t p11_kit_space_strlen(const unsigned char *string, size_t max_length)
{
	return P11(p11_kit_space_strlen) ? p11.p11_kit_space_strlen(string, max_length) : 0;
}

const char *p11_kit_strerror(CK_RV rv)
{
	return P11(p11_kit_strerror) ? p11.p11_kit_strerror(rv) : "p11-kit could not be loaded";
}

int p11_kit_uri_format(P11KitUri *uri, P11KitUriType uri_type, char **string)
{
	return P11(p11_kit_uri_format) ? p11.p11_kit_uri_format(uri, uri_type, string)
				       : P11_KIT_URI_UNEXPECTED;
}

void p11_kit_uri_free(P11KitUri *uri)
{
	if (P11(p11_kit_uri_free))
		p11.p11_kit_uri_free(uri);
}

CK_ATTRIBUTE_PTR p11_kit_uri_get_attribute(P11KitUri *uri, CK_ATTRIBUTE_TYPE attr_type)
{
	return P11(p11_kit_uri_get_attribute) ? p11.p11_kit_uri_get_attribute(uri, attr_type)
					      : NULL;
}

CK_ATTRIBUTE_PTR p11_kit_uri_get_attributes(P11KitUri *uri, CK_ULONG *n_attrs)
{
	return P11(p11_kit_uri_get_attributes) ? p11.p11_kit_uri_get_attributes(uri, n_attrs)
					       : NULL;
}

CK_INFO_PTR p11_kit_uri_get_module_info(P11KitUri *uri)
{
	return P11(p11_kit_uri_get_module_info) ? p11.p11_kit_uri_get_module_info(uri) : NULL;
}

const char *p11_kit_uri_get_pin_source(const P11KitUri *uri)
{
	return P11(p11_kit_uri_get_pin_source) ? p11.p11_kit_uri_get_pin_source(uri) : NULL;
}

const char *p11_kit_uri_get_pin_value(const P11KitUri *uri)
{
	return P11(p11_kit_uri_get_pin_value) ? p11.p11_kit_uri_get_pin_value(uri) : NULL;
}

CK_TOKEN_INFO_PTR p11_kit_uri_get_token_info(P11KitUri *uri)
{
	return P11(p11_kit_uri_get_token_info) ? p11.p11_kit_uri_get_token_info(uri) : NULL;
}

int p11_kit_uri_match_module_info(const P11KitUri *uri, const CK_INFO *info)
{
	return P11(p11_kit_uri_match_module_info) ? p11.p11_kit_uri_match_module_info(uri, info)
						  : 0;
}

int p11_kit_uri_match_token_info(const P11KitUri *uri, const CK_TOKEN_INFO *token_info)
{
	return P11(p11_kit_uri_match_token_info) ? p11.p11_kit_uri_match_token_info(uri, token_info)
						 : 0;
}

P11KitUri *p11_kit_uri_new(void)
{
	return P11(p11_kit_uri_new) ? p11.p11_kit_uri_new() : NULL;
}

int p11_kit_uri_parse(const char *string, P11KitUriType uri_type, P11KitUri *uri)
{
	return P11(p11_kit_uri_parse) ? p11.p11_kit_uri_parse(string, uri_type, uri)
				      : P11_KIT_URI_UNEXPECTED;
}

int p11_kit_uri_set_attribute(P11KitUri *uri, CK_ATTRIBUTE_PTR attr)
{
	return P11(p11_kit_uri_set_attribute) ? p11.p11_kit_uri_set_attribute(uri, attr)
					      : P11_KIT_URI_UNEXPECTED;
}
