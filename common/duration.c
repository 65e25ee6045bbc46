typedef int cf_placeholder_duration; /* placeholder until the module lands */
