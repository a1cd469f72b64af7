#!/bin/sh
# Certificates for the https portal stand-ins (test/support/tls.ts, test/python/portal_standin.py),
# made at test time into DIR:
#   ca.pem                       a test certificate authority (what clients are told to trust)
#   server.pem, server.key       a server certificate from that CA for 127.0.0.1 and localhost
#   untrusted.pem, untrusted.key the same names, from another CA that nobody trusts
# usage: make-certs.sh DIR
set -eu
dir=$1
mkdir -p "$dir"
cd "$dir"
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "$1" 2>/dev/null; }
ca() { # ca NAME SUBJECT
  key "$1.key"
  openssl req -x509 -new -key "$1.key" -out "$1.pem" -days 2 -subj "$2" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
}
leaf() { # leaf NAME CA
  key "$1.key"
  openssl req -new -key "$1.key" -out "$1.csr" -subj /CN=127.0.0.1
  printf '%s\n' 'subjectAltName=IP:127.0.0.1,DNS:localhost' 'basicConstraints=CA:FALSE' \
    'keyUsage=critical,digitalSignature' 'extendedKeyUsage=serverAuth' > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -days 2 \
    -extfile "$1.ext" -out "$1.pem" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}
ca ca '/CN=opendata-lab test CA'
ca other-ca '/CN=opendata-lab untrusted test CA'
leaf server ca
leaf untrusted other-ca
rm -f ca.key other-ca.key other-ca.pem ca.srl other-ca.srl
