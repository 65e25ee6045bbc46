typedef int cf_placeholder_bundle; /* placeholder until the module lands */
