#!/usr/bin/env python3
"""memscan.py PID HEX...: for each HEX byte string, prints "found" or "absent" according to
whether it occurs in a readable mapping of process PID (/proc/PID/maps, /proc/PID/mem).
Exits 2 when the memory cannot be read at all (not root, ptrace refused). Mappings of 1 GiB
or more are left out: those are AddressSanitizer's shadow and reserve, terabytes that hold no
data of the program."""
import sys


def main():
    pid = sys.argv[1]
    needles = [bytes.fromhex(h) for h in sys.argv[2:]]
    found = [False] * len(needles)
    longest = max((len(n) for n in needles), default=1)
    read_any = False
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
        for line in maps:
            fields = line.split()
            lo, hi = (int(x, 16) for x in fields[0].split("-"))
            if fields[1][0] != "r" or (len(fields) > 5 and fields[5] == "[vvar]") or \
                    hi - lo >= 1 << 30:
                continue
            tail = b""
            addr = lo
            while addr < hi:
                n = min(1 << 20, hi - addr)
                try:
                    mem.seek(addr)
                    chunk = mem.read(n)
                except OSError:
                    break
                read_any = True
                buf = tail + chunk
                for i, needle in enumerate(needles):
                    if not found[i] and needle in buf:
                        found[i] = True
                tail = buf[-(longest - 1):] if longest > 1 else b""
                addr += n
    if not read_any:
        sys.exit(2)
    for f in found:
        print("found" if f else "absent")


main()
