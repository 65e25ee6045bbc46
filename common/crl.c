typedef int cf_placeholder_crl; /* placeholder until the module lands */
