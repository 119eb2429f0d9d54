'use strict';
// SigV4 verification for the AWS stand-ins, written from the AWS documentation (not from the function's code): the
// signature is recomputed with @smithy/signature-v4 from known test credentials and compared with the request's.
const crypto = require('crypto');
const { SignatureV4 } = require('@smithy/signature-v4');
const { Sha256 } = require('@aws-crypto/sha256-js');

const maxSkewMs = 5 * 60 * 1000;

// "20240102T030405Z" -> Date
function parseAmzDate(value) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value || '');
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : null;
}

/**
 * Returns a function (req, url, body) -> null when the request is correctly signed, else [errorType, message].
 * options: accessKeyId, secretAccessKey, sessionToken (optional), region, service, requiredSignedHeaders.
 */
function createVerifier({ accessKeyId, secretAccessKey, sessionToken, region, service, requiredSignedHeaders }) {
  const signer = new SignatureV4({
    credentials: { accessKeyId, secretAccessKey, sessionToken },
    region,
    service,
    sha256: Sha256,
    applyChecksum: false,
  });

  return async function verify(req, url, body) {
    const auth = req.headers['authorization'];
    if (!auth) return ['IncompleteSignatureException', 'Authorization header is missing.'];
    const m = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/
      .exec(auth);
    if (!m) return ['IncompleteSignatureException', `Authorization header is malformed: ${auth.slice(0, 40)}...`];
    const [, keyId, scopeDate, scopeRegion, scopeService, signedHeaderList] = m;
    if (keyId !== accessKeyId) return ['UnrecognizedClientException', 'The security token included in the request is invalid.'];
    if (scopeRegion !== region) return ['InvalidSignatureException', `Credential should be scoped to a valid region, not '${scopeRegion}'.`];
    if (scopeService !== service) return ['InvalidSignatureException', `Credential should be scoped to correct service: '${service}'.`];

    const signedAt = parseAmzDate(req.headers['x-amz-date']);
    if (!signedAt) return ['IncompleteSignatureException', 'X-Amz-Date is missing or malformed.'];
    if (req.headers['x-amz-date'].slice(0, 8) !== scopeDate) return ['InvalidSignatureException', 'Credential scope date does not match X-Amz-Date.'];
    if (Math.abs(Date.now() - signedAt.getTime()) > maxSkewMs) return ['InvalidSignatureException', 'Signature expired.'];

    const signedNames = signedHeaderList.split(';');
    for (const name of ['host', 'x-amz-date', ...requiredSignedHeaders]) {
      if (!signedNames.includes(name)) return ['InvalidSignatureException', `Header '${name}' is not signed.`];
    }
    for (const name of Object.keys(req.headers)) {
      if (name.startsWith('x-amz-') && !signedNames.includes(name)) {
        return ['InvalidSignatureException', `Header '${name}' is not signed.`];
      }
    }
    if (sessionToken !== undefined && req.headers['x-amz-security-token'] !== sessionToken) {
      return ['UnrecognizedClientException', 'The security token included in the request is invalid.'];
    }
    // The signer takes a supplied payload hash on trust, so check it against the body ourselves.
    const contentHash = req.headers['x-amz-content-sha256'];
    if (contentHash !== undefined && contentHash !== crypto.createHash('sha256').update(body).digest('hex')) {
      return ['InvalidSignatureException', 'X-Amz-Content-Sha256 does not match the body.'];
    }

    const headers = {};
    for (const name of signedNames) {
      if (req.headers[name] === undefined) return ['InvalidSignatureException', `Signed header '${name}' is absent.`];
      headers[name] = req.headers[name];
    }
    const query = {};
    for (const [key, value] of url.searchParams) query[key] = value;

    const expected = await signer.sign(
      { method: req.method, protocol: 'http:', hostname: url.hostname, port: url.port, path: url.pathname, query, headers, body },
      { signingDate: signedAt, signableHeaders: new Set(signedNames) });
    if (expected.headers['authorization'] !== auth) {
      return ['InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.'];
    }
    return null;
  };
}

/** Reads a required environment variable; exits with a message when it is missing. */
function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set`);
    process.exit(2);
  }
  return value;
}

module.exports = { createVerifier, required };
