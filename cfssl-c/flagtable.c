typedef int cf_placeholder_flagtable;
