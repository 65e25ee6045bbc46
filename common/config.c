typedef int cf_placeholder_config; /* placeholder until the module lands */
