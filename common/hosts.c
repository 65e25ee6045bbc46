typedef int cf_placeholder_hosts; /* placeholder until the module lands */
