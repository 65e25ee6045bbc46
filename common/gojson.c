typedef int cf_placeholder_gojson; /* placeholder until the module lands */
