typedef int cf_placeholder_csrparse; /* placeholder until the module lands */
