typedef int cf_placeholder_signer; /* placeholder until the module lands */
