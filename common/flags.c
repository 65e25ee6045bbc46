typedef int cf_placeholder_flags; /* placeholder until the module lands */
