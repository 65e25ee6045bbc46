typedef int cf_placeholder_gencert;
