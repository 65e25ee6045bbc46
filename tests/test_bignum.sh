#!/bin/bash
# Big numbers in decimal (issue 11 item 14): a certificate with a 60 KB serial, a CSR with a
# 30 KB RSA modulus and a CRL serial of 200,000 digits come out exactly as Python's int
# conversion says (as cfssl master prints them), in the time such inputs take cfssl: the
# conversions are GMP's, not quadratic. No time is asserted; the per-command limit of lib.sh
# is what a quadratic conversion runs into.

# shellcheck source=tests/lib.sh
. "$(dirname -- "$0")/lib.sh"
require_programs python3

cd "$WORK" || exit 1
printf '{"CN":"Big CA","key":{"algo":"ecdsa","size":256}}\n' >ca.json
(set -o pipefail; t cfssl gencert -initca ca.json 2>/dev/null | t cfssljson -bare ca)
check "setup: CA" test -s ca.pem

# DER helpers for the inputs below; "python3 der.py CMD ARGS".
cat >der.py <<'PY'
import base64, os, re, sys
sys.set_int_max_str_digits(0)

def tlv(tag, body):
    n = len(body)
    if n < 0x80:
        ln = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, 'big')
        ln = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + ln + body

def parse(d, i=0):
    tag, n, j = d[i], d[i + 1], i + 2
    if n & 0x80:
        k = n & 0x7f
        n, j = int.from_bytes(d[j:j + k], 'big'), j + k
    return tag, d[j:j + n], j + n

def items(body):
    out, i = [], 0
    while i < len(body):
        e = parse(body, i)[2]
        out.append(body[i:e])
        i = e
    return out

def pem_der(path, label):
    m = re.search('-----BEGIN ' + label + '-----(.*?)-----END', open(path).read(), re.S)
    return base64.b64decode(''.join(m.group(1).split()))

def write_pem(path, label, der):
    b = base64.b64encode(der).decode()
    with open(path, 'w') as f:
        f.write('-----BEGIN %s-----\n' % label)
        f.write(''.join(b[i:i + 64] + '\n' for i in range(0, len(b), 64)))
        f.write('-----END %s-----\n' % label)

def signed_bytes(v):
    n = (v.bit_length() + 8) // 8 if v >= 0 else ((-v - 1).bit_length() + 8) // 8
    return v.to_bytes(n, 'big', signed=True)

cmd = sys.argv[1]
if cmd == 'serial':  # IN OUT SERIAL: IN's certificate with SERIAL (the signature no longer fits)
    cert = parse(pem_der(sys.argv[2], 'CERTIFICATE'))[1]
    tbs, alg, sig = items(cert)
    f = items(parse(tbs)[1])
    f[1] = tlv(2, signed_bytes(int(open(sys.argv[4]).read())))
    write_pem(sys.argv[3], 'CERTIFICATE', tlv(0x30, tlv(0x30, b''.join(f)) + alg + sig))
elif cmd == 'csr':  # OUT MODULUS: a CSR for an RSA key with that modulus (unverifiable signature)
    n = int(open(sys.argv[3]).read())
    integer = lambda v: tlv(2, signed_bytes(v))
    rsa = tlv(0x30, integer(n) + integer(65537))
    alg = tlv(0x30, tlv(6, bytes.fromhex('2a864886f70d010101')) + tlv(5, b''))
    spki = tlv(0x30, alg + tlv(3, b'\0' + rsa))
    subj = tlv(0x30, tlv(0x31, tlv(0x30, tlv(6, bytes.fromhex('550403')) + tlv(0x0c, b'big'))))
    info = tlv(0x30, integer(0) + subj + spki + tlv(0xa0, b''))
    sigalg = tlv(0x30, tlv(6, bytes.fromhex('2a864886f70d01010b')) + tlv(5, b''))
    write_pem(sys.argv[2], 'CERTIFICATE REQUEST',
              tlv(0x30, info + sigalg + tlv(3, b'\0' + bytes(n.bit_length() // 8))))
elif cmd == 'crlserials':  # CRL-DER: the revoked serials, one decimal a line
    tbs = items(parse(open(sys.argv[2], 'rb').read())[1])[0]
    for f in items(parse(tbs)[1]):
        if f[0] == 0x30 and parse(f)[1][:1] == b'\x30':
            for rc in items(parse(f)[1]):
                print(int.from_bytes(parse(items(parse(rc)[1])[0])[1], 'big', signed=True))
elif cmd == 'json':  # FILE EXPR: EXPR of the JSON document d
    import json
    try:
        d = json.load(open(sys.argv[2]))
    except ValueError:
        sys.exit('no JSON in ' + sys.argv[2])
    print(eval(sys.argv[3]))
PY
# a random number of NBYTES bytes, in decimal, negated when SIGN is "-"
random_dec()
{
	python3 -c 'import os, sys
sys.set_int_max_str_digits(0)
v = int.from_bytes(b"\x5a" + os.urandom(int(sys.argv[1]) - 1), "big")
print(sys.argv[2] + str(v))' "$1" "${2:-}"
}

random_dec 61440 >big.dec
python3 der.py serial ca.pem big.pem big.dec
t cfssl certinfo -cert big.pem >big.json 2>big.err
check_eq "60 KB serial: certinfo exit 0" 0 "$?"
check_eq "60 KB serial: the decimal Python gives" "$(cat big.dec)" \
	"$(python3 der.py json big.json 'd["serial_number"]')"

random_dec 3000 - >neg.dec
python3 der.py serial ca.pem neg.pem neg.dec
t cfssl certinfo -cert neg.pem >neg.json 2>/dev/null
check_eq "negative 3 KB serial: the decimal Python gives" "$(cat neg.dec)" \
	"$(python3 der.py json neg.json 'd["serial_number"]')"

random_dec 30720 >mod.dec
python3 der.py csr big.csr mod.dec
t cfssl certinfo -csr big.csr >csr.json 2>/dev/null
check_eq "30 KB RSA modulus: certinfo -csr exit 0" 0 "$?"
check_eq "30 KB RSA modulus: N as Python gives it" "$(cat mod.dec)" \
	"$(python3 der.py json csr.json 'd["PublicKey"]["N"]')"

python3 -c 'import random
random.seed(11)
print("9" + "".join(random.choice("0123456789") for _ in range(199999)))
print("-" + "7" * 5000)
print("+000128abc")
print("-128")
print("-129")' >serials.txt
t cfssl gencrl serials.txt ca.pem ca-key.pem >crl.b64 2>crl.err
check_eq "200,000-digit serial: gencrl exit 0" 0 "$?"
base64 -d crl.b64 >crl.der
check_eq "gencrl: the serials as Go's big.Int.SetString reads them" \
	"$(sed -e 's/^+0*//' -e 's/abc$//' serials.txt)" "$(python3 der.py crlserials crl.der)"

finish
