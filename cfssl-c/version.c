typedef int cf_placeholder_version;
