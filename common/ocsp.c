typedef int cf_placeholder_ocsp; /* placeholder until the module lands */
