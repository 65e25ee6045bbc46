typedef int cf_placeholder_fileio; /* placeholder until the module lands */
