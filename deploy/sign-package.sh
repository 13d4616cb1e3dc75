#!/usr/bin/env bash
# Signs a .zip deployment package for code signing (this cluster's stand-in for an AWS Signer signing job), with openssl:
#
#   deploy/sign-package.sh PRIVATE-KEY.pem SIGNING-PROFILE-VERSION-ARN IN.zip OUT.zip
#
# The signature (SHA-384; ECDSA or RSA, whichever the key is) covers IN.zip exactly; OUT.zip is IN.zip with one line in
# its archive comment: "lambda-cluster-signature/1 <profile version ARN> <signing job ARN> <base64 signature>". Unzip tools
# ignore the comment. The nodes verify it with the profile's public key (CodeSigning:Profiles in their configuration).
# A new profile: openssl ecparam -name secp384r1 -genkey -noout -out profile.key
#                openssl ec -in profile.key -pubout -out profile.pub   (give profile.pub to every node)
set -euo pipefail
[ $# -eq 4 ] || { sed -n 2,10p "$0" >&2; exit 2; }
KEY=$1 PROFILE=$2 IN=$3 OUT=$4
[[ $PROFILE =~ ^arn:aws[a-z-]*:signer:([a-z0-9-]+):([0-9]{12}):/signing-profiles/[A-Za-z0-9_]{2,64}/[A-Za-z0-9]{1,64}$ ]] \
  || { echo "not a signing profile version ARN: $PROFILE" >&2; exit 2; }
JOB="arn:aws:signer:${BASH_REMATCH[1]}:${BASH_REMATCH[2]}:/signing-jobs/$(openssl rand -hex 16)"
# The end of central directory record of a package without a comment: its last 22 bytes, starting PK\5\6, length 0.
[ "$(tail -c 22 "$IN" | head -c 4 | od -An -tx1 | tr -d ' \n')" = 504b0506 ] && [ "$(tail -c 2 "$IN" | od -An -tx1 | tr -d ' \n')" = 0000 ] \
  || { echo "$IN is not a zip without an archive comment (already signed?)" >&2; exit 1; }
# Signed: the package, then the profile and job names (so that neither can be swapped afterwards).
SIGNATURE=$({ cat "$IN"; printf '\n%s %s' "$PROFILE" "$JOB"; } | openssl dgst -sha384 -sign "$KEY" | openssl base64 -A)
COMMENT="lambda-cluster-signature/1 $PROFILE $JOB $SIGNATURE"
LENGTH=${#COMMENT}
SIZE=$(wc -c <"$IN")
TMP=$(mktemp "$OUT.XXXX")
trap 'rm -f "$TMP"' EXIT
head -c $((SIZE - 2)) "$IN" >"$TMP"
printf "\\$(printf %03o $((LENGTH & 255)))\\$(printf %03o $((LENGTH >> 8)))" >>"$TMP"
printf %s "$COMMENT" >>"$TMP"
mv "$TMP" "$OUT"
trap - EXIT
echo "$JOB"
