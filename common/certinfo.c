typedef int cf_placeholder_certinfo; /* placeholder until the module lands */
