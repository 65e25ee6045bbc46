typedef int cf_placeholder_usage;
