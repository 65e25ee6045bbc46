typedef int cf_placeholder_der; /* placeholder until the module lands */
