typedef int cf_placeholder_pem; /* placeholder until the module lands */
