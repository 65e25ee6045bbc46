/* ClientHello bytes and the server's first flight (see tlshello.h). */
#include "tlshello.h"

#include <string.h>

/* clang-format off */
const struct cf_tls_suite cf_tls_suites[] = {
	{0x0000, "TLS_NULL_WITH_NULL_NULL", NULL, 0},
	{0x0001, "TLS_RSA_WITH_NULL_MD5", NULL, 0},
	{0x0002, "TLS_RSA_WITH_NULL_SHA", NULL, 0},
	{0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5", "EXP-RC4-MD5", 0},
	{0x0004, "TLS_RSA_WITH_RC4_128_MD5", "RC4-MD5", 0},
	{0x0005, "TLS_RSA_WITH_RC4_128_SHA", "RC4-SHA", 0},
	{0x0006, "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5", "EXP-RC2-CBC-MD5", 0},
	{0x0007, "TLS_RSA_WITH_IDEA_CBC_SHA", "IDEA-CBC-SHA", 0},
	{0x0008, "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA", "EXP-DES-CBC-SHA", 0},
	{0x0009, "TLS_RSA_WITH_DES_CBC_SHA", "DES-CBC-SHA", 0},
	{0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "DES-CBC3-SHA", 0},
	{0x000B, "TLS_DH_DSS_EXPORT_WITH_DES40_CBC_SHA", "EXP-DH-DSS-DES-CBC-SHA", 0},
	{0x000C, "TLS_DH_DSS_WITH_DES_CBC_SHA", "DH-DSS-DES-CBC-SHA", 0},
	{0x000D, "TLS_DH_DSS_WITH_3DES_EDE_CBC_SHA", "DH-DSS-DES-CBC3-SHA", 0},
	{0x000E, "TLS_DH_RSA_EXPORT_WITH_DES40_CBC_SHA", "EXP-DH-RSA-DES-CBC-SHA", 0},
	{0x000F, "TLS_DH_RSA_WITH_DES_CBC_SHA", "DH-RSA-DES-CBC-SHA", 0},
	{0x0010, "TLS_DH_RSA_WITH_3DES_EDE_CBC_SHA", "DH-RSA-DES-CBC3-SHA", 0},
	{0x0011, "TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA", "EXP-EDH-DSS-DES-CBC-SHA", 0},
	{0x0012, "TLS_DHE_DSS_WITH_DES_CBC_SHA", "EDH-DSS-DES-CBC-SHA", 0},
	{0x0013, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA", "EDH-DSS-DES-CBC3-SHA", 0},
	{0x0014, "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA", "EXP-EDH-RSA-DES-CBC-SHA", 0},
	{0x0015, "TLS_DHE_RSA_WITH_DES_CBC_SHA", "EDH-RSA-DES-CBC-SHA", 0},
	{0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA", "EDH-RSA-DES-CBC3-SHA", 0},
	{0x0017, "TLS_DH_anon_EXPORT_WITH_RC4_40_MD5", NULL, 0},
	{0x0018, "TLS_DH_anon_WITH_RC4_128_MD5", NULL, 0},
	{0x0019, "TLS_DH_anon_EXPORT_WITH_DES40_CBC_SHA", NULL, 0},
	{0x001A, "TLS_DH_anon_WITH_DES_CBC_SHA", NULL, 0},
	{0x001B, "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA", NULL, 0},
	{0x001E, "TLS_KRB5_WITH_DES_CBC_SHA", NULL, 0},
	{0x001F, "TLS_KRB5_WITH_3DES_EDE_CBC_SHA", NULL, 0},
	{0x0020, "TLS_KRB5_WITH_RC4_128_SHA", NULL, 0},
	{0x0021, "TLS_KRB5_WITH_IDEA_CBC_SHA", NULL, 0},
	{0x0022, "TLS_KRB5_WITH_DES_CBC_MD5", NULL, 0},
	{0x0023, "TLS_KRB5_WITH_3DES_EDE_CBC_MD5", NULL, 0},
	{0x0024, "TLS_KRB5_WITH_RC4_128_MD5", NULL, 0},
	{0x0025, "TLS_KRB5_WITH_IDEA_CBC_MD5", NULL, 0},
	{0x0026, "TLS_KRB5_EXPORT_WITH_DES_CBC_40_SHA", NULL, 0},
	{0x0027, "TLS_KRB5_EXPORT_WITH_RC2_CBC_40_SHA", NULL, 0},
	{0x0028, "TLS_KRB5_EXPORT_WITH_RC4_40_SHA", NULL, 0},
	{0x0029, "TLS_KRB5_EXPORT_WITH_DES_CBC_40_MD5", NULL, 0},
	{0x002A, "TLS_KRB5_EXPORT_WITH_RC2_CBC_40_MD5", NULL, 0},
	{0x002B, "TLS_KRB5_EXPORT_WITH_RC4_40_MD5", NULL, 0},
	{0x002C, "TLS_PSK_WITH_NULL_SHA", NULL, 0},
	{0x002D, "TLS_DHE_PSK_WITH_NULL_SHA", NULL, 0},
	{0x002E, "TLS_RSA_PSK_WITH_NULL_SHA", NULL, 0},
	{0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA", "AES128-SHA", 0},
	{0x0030, "TLS_DH_DSS_WITH_AES_128_CBC_SHA", "DH-DSS-AES128-SHA", 0},
	{0x0031, "TLS_DH_RSA_WITH_AES_128_CBC_SHA", "DH-RSA-AES128-SHA", 0},
	{0x0032, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA", "DHE-DSS-AES128-SHA", 0},
	{0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", "DHE-RSA-AES128-SHA", 0},
	{0x0034, "TLS_DH_anon_WITH_AES_128_CBC_SHA", NULL, 0},
	{0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA", "AES256-SHA", 0},
	{0x0036, "TLS_DH_DSS_WITH_AES_256_CBC_SHA", "DH-DSS-AES256-SHA", 0},
	{0x0037, "TLS_DH_RSA_WITH_AES_256_CBC_SHA", "DH-RSA-AES256-SHA", 0},
	{0x0038, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA", "DHE-DSS-AES256-SHA", 0},
	{0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", "DHE-RSA-AES256-SHA", 0},
	{0x003A, "TLS_DH_anon_WITH_AES_256_CBC_SHA", NULL, 0},
	{0x003B, "TLS_RSA_WITH_NULL_SHA256", NULL, 0},
	{0x003C, "TLS_RSA_WITH_AES_128_CBC_SHA256", "AES128-SHA256", 0},
	{0x003D, "TLS_RSA_WITH_AES_256_CBC_SHA256", "AES256-SHA256", 0},
	{0x003E, "TLS_DH_DSS_WITH_AES_128_CBC_SHA256", "DH-DSS-AES128-SHA256", 0},
	{0x003F, "TLS_DH_RSA_WITH_AES_128_CBC_SHA256", "DH-RSA-AES128-SHA256", 0},
	{0x0040, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256", "DHE-DSS-AES128-SHA256", 0},
	{0x0041, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA", "CAMELLIA128-SHA", 0},
	{0x0042, "TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA", "DH-DSS-CAMELLIA128-SHA", 0},
	{0x0043, "TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA", "DH-RSA-CAMELLIA128-SHA", 0},
	{0x0044, "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA", "DHE-DSS-CAMELLIA128-SHA", 0},
	{0x0045, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA", "DHE-RSA-CAMELLIA128-SHA", 0},
	{0x0046, "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA", NULL, 0},
	{0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", "DHE-RSA-AES128-SHA256", 0},
	{0x0068, "TLS_DH_DSS_WITH_AES_256_CBC_SHA256", "DH-DSS-AES256-SHA256", 0},
	{0x0069, "TLS_DH_RSA_WITH_AES_256_CBC_SHA256", "DH-RSA-AES256-SHA256", 0},
	{0x006A, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256", "DHE-DSS-AES256-SHA256", 0},
	{0x006B, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", "DHE-RSA-AES256-SHA256", 0},
	{0x006C, "TLS_DH_anon_WITH_AES_128_CBC_SHA256", NULL, 0},
	{0x006D, "TLS_DH_anon_WITH_AES_256_CBC_SHA256", NULL, 0},
	{0x0084, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA", "CAMELLIA256-SHA", 0},
	{0x0085, "TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA", "DH-DSS-CAMELLIA256-SHA", 0},
	{0x0086, "TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA", "DH-RSA-CAMELLIA256-SHA", 0},
	{0x0087, "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA", "DHE-DSS-CAMELLIA256-SHA", 0},
	{0x0088, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA", "DHE-RSA-CAMELLIA256-SHA", 0},
	{0x0089, "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA", NULL, 0},
	{0x008A, "TLS_PSK_WITH_RC4_128_SHA", "PSK-RC4-SHA", 0},
	{0x008B, "TLS_PSK_WITH_3DES_EDE_CBC_SHA", "PSK-3DES-EDE-CBC-SHA", 0},
	{0x008C, "TLS_PSK_WITH_AES_128_CBC_SHA", "PSK-AES128-CBC-SHA", 0},
	{0x008D, "TLS_PSK_WITH_AES_256_CBC_SHA", "PSK-AES256-CBC-SHA", 0},
	{0x008E, "TLS_DHE_PSK_WITH_RC4_128_SHA", NULL, 0},
	{0x008F, "TLS_DHE_PSK_WITH_3DES_EDE_CBC_SHA", NULL, 0},
	{0x0090, "TLS_DHE_PSK_WITH_AES_128_CBC_SHA", NULL, 0},
	{0x0091, "TLS_DHE_PSK_WITH_AES_256_CBC_SHA", NULL, 0},
	{0x0092, "TLS_RSA_PSK_WITH_RC4_128_SHA", NULL, 0},
	{0x0093, "TLS_RSA_PSK_WITH_3DES_EDE_CBC_SHA", NULL, 0},
	{0x0094, "TLS_RSA_PSK_WITH_AES_128_CBC_SHA", NULL, 0},
	{0x0095, "TLS_RSA_PSK_WITH_AES_256_CBC_SHA", NULL, 0},
	{0x0096, "TLS_RSA_WITH_SEED_CBC_SHA", "SEED-SHA", 0},
	{0x0097, "TLS_DH_DSS_WITH_SEED_CBC_SHA", "DH-DSS-SEED-SHA", 0},
	{0x0098, "TLS_DH_RSA_WITH_SEED_CBC_SHA", "DH-RSA-SEED-SHA", 0},
	{0x0099, "TLS_DHE_DSS_WITH_SEED_CBC_SHA", "DHE-DSS-SEED-SHA", 0},
	{0x009A, "TLS_DHE_RSA_WITH_SEED_CBC_SHA", "DHE-RSA-SEED-SHA", 0},
	{0x009B, "TLS_DH_anon_WITH_SEED_CBC_SHA", NULL, 0},
	{0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256", "AES128-GCM-SHA256", 0},
	{0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384", "AES256-GCM-SHA384", 0},
	{0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "DHE-RSA-AES128-GCM-SHA256", 0},
	{0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", "DHE-RSA-AES256-GCM-SHA384", 0},
	{0x00A0, "TLS_DH_RSA_WITH_AES_128_GCM_SHA256", "DH-RSA-AES128-GCM-SHA256", 0},
	{0x00A1, "TLS_DH_RSA_WITH_AES_256_GCM_SHA384", "DH-RSA-AES256-GCM-SHA384", 0},
	{0x00A2, "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256", "DHE-DSS-AES128-GCM-SHA256", 0},
	{0x00A3, "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384", "DHE-DSS-AES256-GCM-SHA384", 0},
	{0x00A4, "TLS_DH_DSS_WITH_AES_128_GCM_SHA256", "DH-DSS-AES128-GCM-SHA256", 0},
	{0x00A5, "TLS_DH_DSS_WITH_AES_256_GCM_SHA384", "DH-DSS-AES256-GCM-SHA384", 0},
	{0x00A6, "TLS_DH_anon_WITH_AES_128_GCM_SHA256", NULL, 0},
	{0x00A7, "TLS_DH_anon_WITH_AES_256_GCM_SHA384", NULL, 0},
	{0x00A8, "TLS_PSK_WITH_AES_128_GCM_SHA256", NULL, 0},
	{0x00A9, "TLS_PSK_WITH_AES_256_GCM_SHA384", NULL, 0},
	{0x00AA, "TLS_DHE_PSK_WITH_AES_128_GCM_SHA256", NULL, 0},
	{0x00AB, "TLS_DHE_PSK_WITH_AES_256_GCM_SHA384", NULL, 0},
	{0x00AC, "TLS_RSA_PSK_WITH_AES_128_GCM_SHA256", NULL, 0},
	{0x00AD, "TLS_RSA_PSK_WITH_AES_256_GCM_SHA384", NULL, 0},
	{0x00AE, "TLS_PSK_WITH_AES_128_CBC_SHA256", NULL, 0},
	{0x00AF, "TLS_PSK_WITH_AES_256_CBC_SHA384", NULL, 0},
	{0x00B0, "TLS_PSK_WITH_NULL_SHA256", NULL, 0},
	{0x00B1, "TLS_PSK_WITH_NULL_SHA384", NULL, 0},
	{0x00B2, "TLS_DHE_PSK_WITH_AES_128_CBC_SHA256", NULL, 0},
	{0x00B3, "TLS_DHE_PSK_WITH_AES_256_CBC_SHA384", NULL, 0},
	{0x00B4, "TLS_DHE_PSK_WITH_NULL_SHA256", NULL, 0},
	{0x00B5, "TLS_DHE_PSK_WITH_NULL_SHA384", NULL, 0},
	{0x00B6, "TLS_RSA_PSK_WITH_AES_128_CBC_SHA256", NULL, 0},
	{0x00B7, "TLS_RSA_PSK_WITH_AES_256_CBC_SHA384", NULL, 0},
	{0x00B8, "TLS_RSA_PSK_WITH_NULL_SHA256", NULL, 0},
	{0x00B9, "TLS_RSA_PSK_WITH_NULL_SHA384", NULL, 0},
	{0x00BA, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256", NULL, 0},
	{0x00BB, "TLS_DH_DSS_WITH_CAMELLIA_128_CBC_SHA256", NULL, 0},
	{0x00BC, "TLS_DH_RSA_WITH_CAMELLIA_128_CBC_SHA256", NULL, 0},
	{0x00BD, "TLS_DHE_DSS_WITH_CAMELLIA_128_CBC_SHA256", NULL, 0},
	{0x00BE, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256", NULL, 0},
	{0x00BF, "TLS_DH_anon_WITH_CAMELLIA_128_CBC_SHA256", NULL, 0},
	{0x00C0, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256", NULL, 0},
	{0x00C1, "TLS_DH_DSS_WITH_CAMELLIA_256_CBC_SHA256", NULL, 0},
	{0x00C2, "TLS_DH_RSA_WITH_CAMELLIA_256_CBC_SHA256", NULL, 0},
	{0x00C3, "TLS_DHE_DSS_WITH_CAMELLIA_256_CBC_SHA256", NULL, 0},
	{0x00C4, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256", NULL, 0},
	{0x00C5, "TLS_DH_anon_WITH_CAMELLIA_256_CBC_SHA256", NULL, 0},
	{0x00FF, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV", NULL, 0},
	{0xC001, "TLS_ECDH_ECDSA_WITH_NULL_SHA", NULL, 1},
	{0xC002, "TLS_ECDH_ECDSA_WITH_RC4_128_SHA", "ECDH-ECDSA-RC4-SHA", 1},
	{0xC003, "TLS_ECDH_ECDSA_WITH_3DES_EDE_CBC_SHA", "ECDH-ECDSA-DES-CBC3-SHA", 1},
	{0xC004, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA", "ECDH-ECDSA-AES128-SHA", 1},
	{0xC005, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA", "ECDH-ECDSA-AES256-SHA", 1},
	{0xC006, "TLS_ECDHE_ECDSA_WITH_NULL_SHA", NULL, 1},
	{0xC007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA", "ECDHE-ECDSA-RC4-SHA", 1},
	{0xC008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA", "ECDHE-ECDSA-DES-CBC3-SHA", 1},
	{0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "ECDHE-ECDSA-AES128-SHA", 1},
	{0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "ECDHE-ECDSA-AES256-SHA", 1},
	{0xC00B, "TLS_ECDH_RSA_WITH_NULL_SHA", NULL, 1},
	{0xC00C, "TLS_ECDH_RSA_WITH_RC4_128_SHA", "ECDH-RSA-RC4-SHA", 1},
	{0xC00D, "TLS_ECDH_RSA_WITH_3DES_EDE_CBC_SHA", "ECDH-RSA-DES-CBC3-SHA", 1},
	{0xC00E, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA", "ECDH-RSA-AES128-SHA", 1},
	{0xC00F, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA", "ECDH-RSA-AES256-SHA", 1},
	{0xC010, "TLS_ECDHE_RSA_WITH_NULL_SHA", NULL, 1},
	{0xC011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA", "ECDHE-RSA-RC4-SHA", 1},
	{0xC012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", "ECDHE-RSA-DES-CBC3-SHA", 1},
	{0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "ECDHE-RSA-AES128-SHA", 1},
	{0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "ECDHE-RSA-AES256-SHA", 1},
	{0xC015, "TLS_ECDH_anon_WITH_NULL_SHA", NULL, 1},
	{0xC016, "TLS_ECDH_anon_WITH_RC4_128_SHA", NULL, 1},
	{0xC017, "TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA", NULL, 1},
	{0xC018, "TLS_ECDH_anon_WITH_AES_128_CBC_SHA", NULL, 1},
	{0xC019, "TLS_ECDH_anon_WITH_AES_256_CBC_SHA", NULL, 1},
	{0xC01A, "TLS_SRP_SHA_WITH_3DES_EDE_CBC_SHA", "SRP-3DES-EDE-CBC-SHA", 0},
	{0xC01B, "TLS_SRP_SHA_RSA_WITH_3DES_EDE_CBC_SHA", "SRP-RSA-3DES-EDE-CBC-SHA", 0},
	{0xC01C, "TLS_SRP_SHA_DSS_WITH_3DES_EDE_CBC_SHA", "SRP-DSS-3DES-EDE-CBC-SHA", 0},
	{0xC01D, "TLS_SRP_SHA_WITH_AES_128_CBC_SHA", "SRP-AES-128-CBC-SHA", 0},
	{0xC01E, "TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA", "SRP-RSA-AES-128-CBC-SHA", 0},
	{0xC01F, "TLS_SRP_SHA_DSS_WITH_AES_128_CBC_SHA", "SRP-DSS-AES-128-CBC-SHA", 0},
	{0xC020, "TLS_SRP_SHA_WITH_AES_256_CBC_SHA", "SRP-AES-256-CBC-SHA", 0},
	{0xC021, "TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA", "SRP-RSA-AES-256-CBC-SHA", 0},
	{0xC022, "TLS_SRP_SHA_DSS_WITH_AES_256_CBC_SHA", "SRP-DSS-AES-256-CBC-SHA", 0},
	{0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "ECDHE-ECDSA-AES128-SHA256", 1},
	{0xC024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "ECDHE-ECDSA-AES256-SHA384", 1},
	{0xC025, "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256", "ECDH-ECDSA-AES128-SHA256", 1},
	{0xC026, "TLS_ECDH_ECDSA_WITH_AES_256_CBC_SHA384", "ECDH-ECDSA-AES256-SHA384", 1},
	{0xC027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "ECDHE-RSA-AES128-SHA256", 1},
	{0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "ECDHE-RSA-AES256-SHA384", 1},
	{0xC029, "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA256", "ECDH-RSA-AES128-SHA256", 1},
	{0xC02A, "TLS_ECDH_RSA_WITH_AES_256_CBC_SHA384", "ECDH-RSA-AES256-SHA384", 1},
	{0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256", 1},
	{0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384", 1},
	{0xC02D, "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256", "ECDH-ECDSA-AES128-GCM-SHA256", 1},
	{0xC02E, "TLS_ECDH_ECDSA_WITH_AES_256_GCM_SHA384", "ECDH-ECDSA-AES256-GCM-SHA384", 1},
	{0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256", 1},
	{0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384", 1},
	{0xC031, "TLS_ECDH_RSA_WITH_AES_128_GCM_SHA256", "ECDH-RSA-AES128-GCM-SHA256", 1},
	{0xC032, "TLS_ECDH_RSA_WITH_AES_256_GCM_SHA384", "ECDH-RSA-AES256-GCM-SHA384", 1},
	{0xC033, "TLS_ECDHE_PSK_WITH_RC4_128_SHA", NULL, 1},
	{0xC034, "TLS_ECDHE_PSK_WITH_3DES_EDE_CBC_SHA", NULL, 1},
	{0xC035, "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA", NULL, 1},
	{0xC036, "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA", NULL, 1},
	{0xC037, "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256", NULL, 1},
	{0xC038, "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA384", NULL, 1},
	{0xC039, "TLS_ECDHE_PSK_WITH_NULL_SHA", NULL, 1},
	{0xC03A, "TLS_ECDHE_PSK_WITH_NULL_SHA256", NULL, 1},
	{0xC03B, "TLS_ECDHE_PSK_WITH_NULL_SHA384", NULL, 1},
	{0xC03C, "TLS_RSA_WITH_ARIA_128_CBC_SHA256", NULL, 0},
	{0xC03D, "TLS_RSA_WITH_ARIA_256_CBC_SHA384", NULL, 0},
	{0xC03E, "TLS_DH_DSS_WITH_ARIA_128_CBC_SHA256", NULL, 0},
	{0xC03F, "TLS_DH_DSS_WITH_ARIA_256_CBC_SHA384", NULL, 0},
	{0xC040, "TLS_DH_RSA_WITH_ARIA_128_CBC_SHA256", NULL, 0},
	{0xC041, "TLS_DH_RSA_WITH_ARIA_256_CBC_SHA384", NULL, 0},
	{0xC042, "TLS_DHE_DSS_WITH_ARIA_128_CBC_SHA256", NULL, 0},
	{0xC043, "TLS_DHE_DSS_WITH_ARIA_256_CBC_SHA384", NULL, 0},
	{0xC044, "TLS_DHE_RSA_WITH_ARIA_128_CBC_SHA256", NULL, 0},
	{0xC045, "TLS_DHE_RSA_WITH_ARIA_256_CBC_SHA384", NULL, 0},
	{0xC046, "TLS_DH_anon_WITH_ARIA_128_CBC_SHA256", NULL, 0},
	{0xC047, "TLS_DH_anon_WITH_ARIA_256_CBC_SHA384", NULL, 0},
	{0xC048, "TLS_ECDHE_ECDSA_WITH_ARIA_128_CBC_SHA256", NULL, 1},
	{0xC049, "TLS_ECDHE_ECDSA_WITH_ARIA_256_CBC_SHA384", NULL, 1},
	{0xC04A, "TLS_ECDH_ECDSA_WITH_ARIA_128_CBC_SHA256", NULL, 1},
	{0xC04B, "TLS_ECDH_ECDSA_WITH_ARIA_256_CBC_SHA384", NULL, 1},
	{0xC04C, "TLS_ECDHE_RSA_WITH_ARIA_128_CBC_SHA256", NULL, 1},
	{0xC04D, "TLS_ECDHE_RSA_WITH_ARIA_256_CBC_SHA384", NULL, 1},
	{0xC04E, "TLS_ECDH_RSA_WITH_ARIA_128_CBC_SHA256", NULL, 1},
	{0xC04F, "TLS_ECDH_RSA_WITH_ARIA_256_CBC_SHA384", NULL, 1},
	{0xC050, "TLS_RSA_WITH_ARIA_128_GCM_SHA256", NULL, 0},
	{0xC051, "TLS_RSA_WITH_ARIA_256_GCM_SHA384", NULL, 0},
	{0xC052, "TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256", NULL, 0},
	{0xC053, "TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384", NULL, 0},
	{0xC054, "TLS_DH_RSA_WITH_ARIA_128_GCM_SHA256", NULL, 0},
	{0xC055, "TLS_DH_RSA_WITH_ARIA_256_GCM_SHA384", NULL, 0},
	{0xC056, "TLS_DHE_DSS_WITH_ARIA_128_GCM_SHA256", NULL, 0},
	{0xC057, "TLS_DHE_DSS_WITH_ARIA_256_GCM_SHA384", NULL, 0},
	{0xC058, "TLS_DH_DSS_WITH_ARIA_128_GCM_SHA256", NULL, 0},
	{0xC059, "TLS_DH_DSS_WITH_ARIA_256_GCM_SHA384", NULL, 0},
	{0xC05A, "TLS_DH_anon_WITH_ARIA_128_GCM_SHA256", NULL, 0},
	{0xC05B, "TLS_DH_anon_WITH_ARIA_256_GCM_SHA384", NULL, 0},
	{0xC05C, "TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256", NULL, 1},
	{0xC05D, "TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384", NULL, 1},
	{0xC05E, "TLS_ECDH_ECDSA_WITH_ARIA_128_GCM_SHA256", NULL, 1},
	{0xC05F, "TLS_ECDH_ECDSA_WITH_ARIA_256_GCM_SHA384", NULL, 1},
	{0xC060, "TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256", NULL, 1},
	{0xC061, "TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384", NULL, 1},
	{0xC062, "TLS_ECDH_RSA_WITH_ARIA_128_GCM_SHA256", NULL, 1},
	{0xC063, "TLS_ECDH_RSA_WITH_ARIA_256_GCM_SHA384", NULL, 1},
	{0xC064, "TLS_PSK_WITH_ARIA_128_CBC_SHA256", NULL, 0},
	{0xC065, "TLS_PSK_WITH_ARIA_256_CBC_SHA384", NULL, 0},
	{0xC066, "TLS_DHE_PSK_WITH_ARIA_128_CBC_SHA256", NULL, 0},
	{0xC067, "TLS_DHE_PSK_WITH_ARIA_256_CBC_SHA384", NULL, 0},
	{0xC068, "TLS_RSA_PSK_WITH_ARIA_128_CBC_SHA256", NULL, 0},
	{0xC069, "TLS_RSA_PSK_WITH_ARIA_256_CBC_SHA384", NULL, 0},
	{0xC06A, "TLS_PSK_WITH_ARIA_128_GCM_SHA256", NULL, 0},
	{0xC06B, "TLS_PSK_WITH_ARIA_256_GCM_SHA384", NULL, 0},
	{0xC06C, "TLS_DHE_PSK_WITH_ARIA_128_GCM_SHA256", NULL, 0},
	{0xC06D, "TLS_DHE_PSK_WITH_ARIA_256_GCM_SHA384", NULL, 0},
	{0xC06E, "TLS_RSA_PSK_WITH_ARIA_128_GCM_SHA256", NULL, 0},
	{0xC06F, "TLS_RSA_PSK_WITH_ARIA_256_GCM_SHA384", NULL, 0},
	{0xC070, "TLS_ECDHE_PSK_WITH_ARIA_128_CBC_SHA256", NULL, 1},
	{0xC071, "TLS_ECDHE_PSK_WITH_ARIA_256_CBC_SHA384", NULL, 1},
	{0xC072, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256", NULL, 1},
	{0xC073, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384", NULL, 1},
	{0xC074, "TLS_ECDH_ECDSA_WITH_CAMELLIA_128_CBC_SHA256", NULL, 1},
	{0xC075, "TLS_ECDH_ECDSA_WITH_CAMELLIA_256_CBC_SHA384", NULL, 1},
	{0xC076, "TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256", NULL, 1},
	{0xC077, "TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384", NULL, 1},
	{0xC078, "TLS_ECDH_RSA_WITH_CAMELLIA_128_CBC_SHA256", NULL, 1},
	{0xC079, "TLS_ECDH_RSA_WITH_CAMELLIA_256_CBC_SHA384", NULL, 1},
	{0xC07A, "TLS_RSA_WITH_CAMELLIA_128_GCM_SHA256", NULL, 0},
	{0xC07B, "TLS_RSA_WITH_CAMELLIA_256_GCM_SHA384", NULL, 0},
	{0xC07C, "TLS_DHE_RSA_WITH_CAMELLIA_128_GCM_SHA256", NULL, 0},
	{0xC07D, "TLS_DHE_RSA_WITH_CAMELLIA_256_GCM_SHA384", NULL, 0},
	{0xC07E, "TLS_DH_RSA_WITH_CAMELLIA_128_GCM_SHA256", NULL, 0},
	{0xC07F, "TLS_DH_RSA_WITH_CAMELLIA_256_GCM_SHA384", NULL, 0},
	{0xC080, "TLS_DHE_DSS_WITH_CAMELLIA_128_GCM_SHA256", NULL, 0},
	{0xC081, "TLS_DHE_DSS_WITH_CAMELLIA_256_GCM_SHA384", NULL, 0},
	{0xC082, "TLS_DH_DSS_WITH_CAMELLIA_128_GCM_SHA256", NULL, 0},
	{0xC083, "TLS_DH_DSS_WITH_CAMELLIA_256_GCM_SHA384", NULL, 0},
	{0xC084, "TLS_DH_anon_WITH_CAMELLIA_128_GCM_SHA256", NULL, 0},
	{0xC085, "TLS_DH_anon_WITH_CAMELLIA_256_GCM_SHA384", NULL, 0},
	{0xC086, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_GCM_SHA256", NULL, 1},
	{0xC087, "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_GCM_SHA384", NULL, 1},
	{0xC088, "TLS_ECDH_ECDSA_WITH_CAMELLIA_128_GCM_SHA256", NULL, 1},
	{0xC089, "TLS_ECDH_ECDSA_WITH_CAMELLIA_256_GCM_SHA384", NULL, 1},
	{0xC08A, "TLS_ECDHE_RSA_WITH_CAMELLIA_128_GCM_SHA256", NULL, 1},
	{0xC08B, "TLS_ECDHE_RSA_WITH_CAMELLIA_256_GCM_SHA384", NULL, 1},
	{0xC08C, "TLS_ECDH_RSA_WITH_CAMELLIA_128_GCM_SHA256", NULL, 1},
	{0xC08D, "TLS_ECDH_RSA_WITH_CAMELLIA_256_GCM_SHA384", NULL, 1},
	{0xC08E, "TLS_PSK_WITH_CAMELLIA_128_GCM_SHA256", NULL, 0},
	{0xC08F, "TLS_PSK_WITH_CAMELLIA_256_GCM_SHA384", NULL, 0},
	{0xC090, "TLS_DHE_PSK_WITH_CAMELLIA_128_GCM_SHA256", NULL, 0},
	{0xC091, "TLS_DHE_PSK_WITH_CAMELLIA_256_GCM_SHA384", NULL, 0},
	{0xC092, "TLS_RSA_PSK_WITH_CAMELLIA_128_GCM_SHA256", NULL, 0},
	{0xC093, "TLS_RSA_PSK_WITH_CAMELLIA_256_GCM_SHA384", NULL, 0},
	{0xC094, "TLS_PSK_WITH_CAMELLIA_128_CBC_SHA256", NULL, 0},
	{0xC095, "TLS_PSK_WITH_CAMELLIA_256_CBC_SHA384", NULL, 0},
	{0xC096, "TLS_DHE_PSK_WITH_CAMELLIA_128_CBC_SHA256", NULL, 0},
	{0xC097, "TLS_DHE_PSK_WITH_CAMELLIA_256_CBC_SHA384", NULL, 0},
	{0xC098, "TLS_RSA_PSK_WITH_CAMELLIA_128_CBC_SHA256", NULL, 0},
	{0xC099, "TLS_RSA_PSK_WITH_CAMELLIA_256_CBC_SHA384", NULL, 0},
	{0xC09A, "TLS_ECDHE_PSK_WITH_CAMELLIA_128_CBC_SHA256", NULL, 1},
	{0xC09B, "TLS_ECDHE_PSK_WITH_CAMELLIA_256_CBC_SHA384", NULL, 1},
	{0xC09C, "TLS_RSA_WITH_AES_128_CCM", NULL, 0},
	{0xC09D, "TLS_RSA_WITH_AES_256_CCM", NULL, 0},
	{0xC09E, "TLS_DHE_RSA_WITH_AES_128_CCM", NULL, 0},
	{0xC09F, "TLS_DHE_RSA_WITH_AES_256_CCM", NULL, 0},
	{0xC0A0, "TLS_RSA_WITH_AES_128_CCM_8", NULL, 0},
	{0xC0A1, "TLS_RSA_WITH_AES_256_CCM_8", NULL, 0},
	{0xC0A2, "TLS_DHE_RSA_WITH_AES_128_CCM_8", NULL, 0},
	{0xC0A3, "TLS_DHE_RSA_WITH_AES_256_CCM_8", NULL, 0},
	{0xC0A4, "TLS_PSK_WITH_AES_128_CCM", NULL, 0},
	{0xC0A5, "TLS_PSK_WITH_AES_256_CCM", NULL, 0},
	{0xC0A6, "TLS_DHE_PSK_WITH_AES_128_CCM", NULL, 0},
	{0xC0A7, "TLS_DHE_PSK_WITH_AES_256_CCM", NULL, 0},
	{0xC0A8, "TLS_PSK_WITH_AES_128_CCM_8", NULL, 0},
	{0xC0A9, "TLS_PSK_WITH_AES_256_CCM_8", NULL, 0},
	{0xC0AA, "TLS_PSK_DHE_WITH_AES_128_CCM_8", NULL, 0},
	{0xC0AB, "TLS_PSK_DHE_WITH_AES_256_CCM_8", NULL, 0},
	{0xC0AC, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM", NULL, 1},
	{0xC0AD, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM", NULL, 1},
	{0xC0AE, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", NULL, 1},
	{0xC0AF, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8", NULL, 1},
	{0xCC13, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", NULL, 1},
	{0xCC14, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", NULL, 1},
	{0xCC15, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", NULL, 1},
};
/* clang-format on */
const size_t cf_tls_suites_len = sizeof cf_tls_suites / sizeof cf_tls_suites[0];

const struct cf_tls_suite *cf_tls_suite_find(uint16_t id)
{
	size_t lo = 0, hi = cf_tls_suites_len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cf_tls_suites[mid].id == id)
			return &cf_tls_suites[mid];
		if (cf_tls_suites[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *cf_tls_suite_string(uint16_t id)
{
	const struct cf_tls_suite *s = cf_tls_suite_find(id);
	if (!s)
		return "";
	return s->short_name ? s->short_name : s->name;
}

static const char *const curve_names[] = {
	"Unassigned", "sect163k1",       "sect163r1",       "sect163r2",       "sect193r1",
	"sect193r2",  "sect233k1",       "sect233r1",       "sect239k1",       "sect283k1",
	"sect283r1",  "sect409k1",       "sect409r1",       "sect571k1",       "sect571r1",
	"secp160k1",  "secp160r1",       "secp160r2",       "secp192k1",       "secp192r1",
	"secp224k1",  "secp224r1",       "secp256k1",       "secp256r1",       "secp384r1",
	"secp521r1",  "brainpoolP256r1", "brainpoolP384r1", "brainpoolP512r1",
};

const char *cf_tls_curve_name(uint16_t id)
{
	if (id < sizeof curve_names / sizeof curve_names[0])
		return curve_names[id];
	if (id == 65281)
		return "arbitrary_explicit_prime_curves";
	if (id == 65282)
		return "arbitrary_explicit_char2_curves";
	return "";
}

const char *cf_tls_version_name(uint16_t v)
{
	switch (v) {
	case 0x0300: return "SSL 3.0";
	case 0x0301: return "TLS 1.0";
	case 0x0302: return "TLS 1.1";
	case 0x0303: return "TLS 1.2";
	}
	return "";
}

/* ---- the ClientHello ---- */

static void put16(struct cf_buf *b, size_t v)
{
	cf_buf_addc(b, (unsigned char)(v >> 8));
	cf_buf_addc(b, (unsigned char)v);
}

static void put24(struct cf_buf *b, size_t v)
{
	cf_buf_addc(b, (unsigned char)(v >> 16));
	put16(b, v);
}

void cf_tls_hello_build(const struct cf_tls_hello *h, struct cf_buf *out)
{
	struct cf_buf ext = CF_BUF_INIT, body = CF_BUF_INIT;
	size_t sn = strlen(h->server_name);
	if (sn) {
		put16(&ext, 0);
		put16(&ext, sn + 5);
		put16(&ext, sn + 3);
		cf_buf_addc(&ext, 0); /* host_name */
		put16(&ext, sn);
		cf_buf_add(&ext, h->server_name, sn);
	}
	/* status_request: OCSP, no responder ids, no extensions */
	static const unsigned char status[] = {0, 5, 0, 5, 1, 0, 0, 0, 0};
	cf_buf_add(&ext, status, sizeof status);
	if (h->n_curves) {
		put16(&ext, 10);
		put16(&ext, 2 + 2 * h->n_curves);
		put16(&ext, 2 * h->n_curves);
		for (size_t i = 0; i < h->n_curves; i++)
			put16(&ext, h->curves[i]);
	}
	static const unsigned char points[] = {0, 11, 0, 2, 1, 0};
	cf_buf_add(&ext, points, sizeof points);
	if (h->n_sigalgs) {
		put16(&ext, 13);
		put16(&ext, 2 + 2 * h->n_sigalgs);
		put16(&ext, 2 * h->n_sigalgs);
		cf_buf_add(&ext, h->sigalgs, 2 * h->n_sigalgs);
	}
	static const unsigned char reneg[] = {0xff, 0x01, 0, 1, 0};
	cf_buf_add(&ext, reneg, sizeof reneg);

	put16(&body, h->version);
	static const unsigned char zero_random[32];
	cf_buf_add(&body, zero_random, sizeof zero_random);
	cf_buf_addc(&body, 0); /* session id */
	put16(&body, 2 * h->n_ciphers);
	for (size_t i = 0; i < h->n_ciphers; i++)
		put16(&body, h->ciphers[i]);
	cf_buf_addc(&body, 1);
	cf_buf_addc(&body, 0); /* null compression */
	put16(&body, ext.len);
	cf_buf_add(&body, ext.data, ext.len);

	cf_buf_addc(out, 22); /* handshake */
	put16(out, 0x0301);
	put16(out, body.len + 4);
	cf_buf_addc(out, 1); /* client_hello */
	put24(out, body.len);
	cf_buf_add(out, body.data, body.len);
	cf_buf_release(&ext);
	cf_buf_release(&body);
}

/* ---- the server's flight ---- */

enum { MAX_PLAINTEXT = 16384, MAX_CIPHERTEXT = 16384 + 2048, MAX_HANDSHAKE = 65536 };
enum {
	MSG_SERVER_HELLO = 2,
	MSG_CERTIFICATE = 11,
	MSG_SERVER_KEY_EXCHANGE = 12,
	MSG_CERTIFICATE_STATUS = 22
};

static size_t get16(const uint8_t *p)
{
	return (size_t)p[0] << 8 | p[1];
}
static size_t get24(const uint8_t *p)
{
	return (size_t)p[0] << 16 | get16(p + 1);
}

/* The ServerHello @m (with its 4-byte header) as cfssl's reader accepts it; 0 if not. */
static int server_hello(const uint8_t *m, size_t n, struct cf_tls_flight *f, int *ocsp)
{
	if (n < 42)
		return 0;
	f->version = (uint16_t)get16(m + 4);
	size_t sid = m[38];
	if (sid > 32 || n < 39 + sid)
		return 0;
	const uint8_t *d = m + 39 + sid;
	size_t left = n - 39 - sid;
	if (left < 3)
		return 0;
	f->cipher = (uint16_t)get16(d);
	d += 3;
	left -= 3;
	*ocsp = 0;
	if (left == 0)
		return 1;
	if (left < 2 || get16(d) != left - 2)
		return 0;
	d += 2;
	left -= 2;
	while (left) {
		if (left < 4)
			return 0;
		size_t type = get16(d), len = get16(d + 2);
		d += 4;
		left -= 4;
		if (left < len)
			return 0;
		const uint8_t *e = d;
		size_t el = len;
		switch (type) {
		case 13172: /* next_protocol_negotiation */
			while (el) {
				size_t l = e[0];
				if (l == 0 || l > el - 1)
					return 0;
				e += 1 + l;
				el -= 1 + l;
			}
			break;
		case 5: /* status_request */
			if (len)
				return 0;
			*ocsp = 1;
			break;
		case 35: /* session_ticket */
			if (len)
				return 0;
			break;
		case 0xff01: /* renegotiation_info */
			if (len != 1 || e[0] != 0)
				return 0;
			break;
		case 16: /* application_layer_protocol_negotiation */
			if (el < 3 || get16(e) != el - 2 || e[2] != el - 3 || el == 3)
				return 0;
			break;
		case 18: /* signed_certificate_timestamp */
			if (el < 2 || get16(e) != el - 2)
				return 0;
			/* as cfssl's reader: an empty list is not stepped over, its bytes are read
			 * as the next extension */
			if (el == 2)
				continue;
			e += 2;
			el -= 2;
			while (el) {
				if (el < 2)
					return 0;
				size_t l = get16(e);
				if (el - 2 < l)
					return 0;
				e += 2 + l;
				el -= 2 + l;
			}
			break;
		}
		d += len;
		left -= len;
	}
	return 1;
}

/* The Certificate message @m: the offset in @m and the length of its first certificate; 0 if
 * malformed or empty. */
static int certificate(const uint8_t *m, size_t n, size_t *leaf, size_t *leaf_len)
{
	if (n < 7 || get24(m + 4) + 7 != n)
		return 0;
	const uint8_t *d = m + 7;
	size_t left = n - 7, count = 0;
	while (left) {
		if (left < 4)
			return 0;
		size_t l = get24(d);
		if (left < 3 + l)
			return 0;
		if (count++ == 0) {
			*leaf = (size_t)(d + 3 - m);
			*leaf_len = l;
		}
		d += 3 + l;
		left -= 3 + l;
	}
	return count > 0;
}

static int certificate_status(const uint8_t *m, size_t n)
{
	if (n < 5)
		return 0;
	if (m[4] == 1 && (n < 8 || get24(m + 5) + 8 != n))
		return 0;
	return 1;
}

int cf_tls_flight_parse(const uint8_t *data, size_t len, struct cf_tls_flight *f)
{
	enum { HELLO, CERT, STATUS, KEX, DONE } want = HELLO;
	int ocsp = 0, ec = 0;
	size_t off = 0, pos = 0, leaf = 0, leaf_len = 0;
	f->version = f->cipher = f->curve_type = f->curve = 0;
	f->leaf = NULL;
	f->leaf_len = 0;
	f->hs.len = 0;
	for (;;) {
		/* the complete messages read so far */
		while (want != DONE && f->hs.len - pos >= 4) {
			const uint8_t *m = f->hs.data + pos;
			size_t n = get24(m + 1);
			if (n > MAX_HANDSHAKE)
				return -1;
			if (f->hs.len - pos < 4 + n)
				break;
			n += 4;
			pos += n;
			switch (want) {
			case HELLO:
				if (m[0] != MSG_SERVER_HELLO || !server_hello(m, n, f, &ocsp))
					return -1;
				const struct cf_tls_suite *s = cf_tls_suite_find(f->cipher);
				ec = s && s->ec;
				want = CERT;
				break;
			case CERT:
				if (m[0] != MSG_CERTIFICATE || !certificate(m, n, &leaf, &leaf_len))
					return -1;
				leaf += pos - n;
				want = ocsp ? STATUS : ec ? KEX : DONE;
				break;
			case STATUS:
				if (m[0] != MSG_CERTIFICATE_STATUS || !certificate_status(m, n))
					return -1;
				want = ec ? KEX : DONE;
				break;
			case KEX:
				if (m[0] != MSG_SERVER_KEY_EXCHANGE || n < 8)
					return -1;
				f->curve_type = m[4];
				if (m[4] == 3)
					f->curve = (uint16_t)get16(m + 5);
				want = DONE;
				break;
			case DONE: break;
			}
		}
		if (want == DONE) {
			f->leaf = f->hs.data + leaf;
			f->leaf_len = leaf_len;
			return 1;
		}
		/* one more record */
		if (len - off < 5)
			return 0;
		const uint8_t *r = data + off;
		size_t type = r[0], vers = get16(r + 1), n = get16(r + 3);
		if (n > MAX_CIPHERTEXT || (type != 21 && type != 22) || vers >= 0x1000)
			return -1;
		if (len - off < 5 + n)
			return 0;
		if (n > MAX_PLAINTEXT)
			return -1;
		off += 5 + n;
		if (type == 21) {
			/* an alert: only a warning other than close_notify is passed over */
			if (n != 2 || r[6] == 0 || r[5] != 1)
				return -1;
			continue;
		}
		cf_buf_add(&f->hs, r + 5, n);
	}
}

void cf_tls_flight_release(struct cf_tls_flight *f)
{
	cf_buf_release(&f->hs);
	memset(f, 0, sizeof *f);
}
