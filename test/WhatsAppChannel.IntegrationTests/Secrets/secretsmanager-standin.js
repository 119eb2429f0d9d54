'use strict';
// Secrets Manager stand-in for tests, written from the AWS documentation (not from the function's code).
// Every request's SigV4 signature is recomputed with @smithy/signature-v4 from the known test credentials;
// a mismatch is answered 403 InvalidSignatureException. Verified GetSecretValue calls are answered from STANDIN_SECRETS.
//
// Environment: STANDIN_ACCESS_KEY_ID, STANDIN_SECRET_ACCESS_KEY, STANDIN_SESSION_TOKEN (optional), STANDIN_REGION,
// STANDIN_SECRETS = JSON object {secretId: SecretString}. Prints {"port": N} on stdout once listening on 127.0.0.1.
// GET /_standin/requests lists what happened (no signature needed).
const http = require('http');
const crypto = require('crypto');
const { SignatureV4 } = require('@smithy/signature-v4');
const { Sha256 } = require('@aws-crypto/sha256-js');

const accessKeyId = required('STANDIN_ACCESS_KEY_ID');
const secretAccessKey = required('STANDIN_SECRET_ACCESS_KEY');
const sessionToken = process.env.STANDIN_SESSION_TOKEN || undefined;
const region = required('STANDIN_REGION');
const secrets = JSON.parse(process.env.STANDIN_SECRETS || '{}');
const service = 'secretsmanager';
const maxSkewMs = 5 * 60 * 1000;
const log = [];

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set`);
    process.exit(2);
  }
  return value;
}

function answer(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function fail(res, status, type, message) {
  log.push({ outcome: 'rejected', type, message });
  answer(res, status, { __type: type, message });
}

// "20240102T030405Z" -> Date
function parseAmzDate(value) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value || '');
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : null;
}

async function verifySignature(req, url, body) {
  const auth = req.headers['authorization'];
  if (!auth) return ['IncompleteSignatureException', 'Authorization header is missing.'];
  const m = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/
    .exec(auth);
  if (!m) return ['IncompleteSignatureException', `Authorization header is malformed: ${auth.slice(0, 40)}...`];
  const [, keyId, scopeDate, scopeRegion, scopeService, signedHeaderList, signature] = m;
  if (keyId !== accessKeyId) return ['UnrecognizedClientException', 'The security token included in the request is invalid.'];
  if (scopeRegion !== region) return ['InvalidSignatureException', `Credential should be scoped to a valid region, not '${scopeRegion}'.`];
  if (scopeService !== service) return ['InvalidSignatureException', `Credential should be scoped to correct service: '${service}'.`];

  const signedAt = parseAmzDate(req.headers['x-amz-date']);
  if (!signedAt) return ['IncompleteSignatureException', 'X-Amz-Date is missing or malformed.'];
  if (req.headers['x-amz-date'].slice(0, 8) !== scopeDate) return ['InvalidSignatureException', 'Credential scope date does not match X-Amz-Date.'];
  if (Math.abs(Date.now() - signedAt.getTime()) > maxSkewMs) return ['InvalidSignatureException', 'Signature expired.'];

  const signedNames = signedHeaderList.split(';');
  for (const name of ['host', 'x-amz-date', 'x-amz-target', 'content-type']) {
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

  const signer = new SignatureV4({
    credentials: { accessKeyId, secretAccessKey, sessionToken },
    region,
    service,
    sha256: Sha256,
    applyChecksum: false,
  });
  const expected = await signer.sign(
    { method: req.method, protocol: 'http:', hostname: url.hostname, port: url.port, path: url.pathname, query, headers, body },
    { signingDate: signedAt, signableHeaders: new Set(signedNames) });
  if (expected.headers['authorization'] !== auth) {
    return ['InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.'];
  }
  return null;
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', chunk => chunks.push(chunk));
  req.on('end', async () => {
    try {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url, `http://${req.headers.host}`);
      if (req.method === 'GET' && url.pathname === '/_standin/requests') return answer(res, 200, log);
      if (req.method !== 'POST' || url.pathname !== '/') return fail(res, 404, 'UnknownOperationException', `${req.method} ${url.pathname}`);

      const rejection = await verifySignature(req, url, body);
      if (rejection) return fail(res, 403, rejection[0], rejection[1]);

      if (req.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue') {
        return fail(res, 400, 'UnknownOperationException', `Unknown target ${req.headers['x-amz-target']}`);
      }
      if (req.headers['content-type'] !== 'application/x-amz-json-1.1') {
        return fail(res, 400, 'SerializationException', `Unexpected Content-Type ${req.headers['content-type']}`);
      }
      let input;
      try {
        input = JSON.parse(body.toString('utf8'));
      } catch {
        return fail(res, 400, 'SerializationException', 'Body is not JSON.');
      }
      const secretId = input && input.SecretId;
      if (typeof secretId !== 'string' || !Object.prototype.hasOwnProperty.call(secrets, secretId)) {
        return fail(res, 400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      }
      log.push({ outcome: 'answered', secretId });
      const name = secretId.split(':').slice(6).join(':') || secretId;
      answer(res, 200, {
        ARN: secretId, Name: name, VersionId: crypto.randomUUID(), SecretString: secrets[secretId],
        VersionStages: ['AWSCURRENT'], CreatedDate: Date.now() / 1000,
      });
    } catch (e) {
      fail(res, 500, 'InternalServiceError', String(e && e.message));
    }
  });
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
});
// The test closes stdin when it is done with us.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
