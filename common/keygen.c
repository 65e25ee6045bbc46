typedef int cf_placeholder_keygen; /* placeholder until the module lands */
