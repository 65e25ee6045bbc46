#!/bin/bash
# The C sources follow .clang-format (house style); CI installs clang-format.
set -u
cd "${SRCDIR:?}" || exit 1
command -v clang-format >/dev/null 2>&1 || { echo "clang-format not installed: skipped"; exit 77; }
passed=0 failed=0
while IFS= read -r f; do
	if clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL $f is not formatted per .clang-format (run clang-format -i $f)"
	fi
done < <(git ls-files '*.c' '*.h' 2>/dev/null || find common cfssl-c cfssljson-c tests -name '*.[ch]')
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
