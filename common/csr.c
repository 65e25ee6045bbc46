typedef int cf_placeholder_csr; /* placeholder until the module lands */
