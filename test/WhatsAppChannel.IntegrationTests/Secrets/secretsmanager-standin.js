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
const { createVerifier, required } = require('../AwsStandIns/sigv4-verifier.js');

const accessKeyId = required('STANDIN_ACCESS_KEY_ID');
const secretAccessKey = required('STANDIN_SECRET_ACCESS_KEY');
const sessionToken = process.env.STANDIN_SESSION_TOKEN || undefined;
const region = required('STANDIN_REGION');
const secrets = JSON.parse(process.env.STANDIN_SECRETS || '{}');
const verifySignature = createVerifier({
  accessKeyId, secretAccessKey, sessionToken, region, service: 'secretsmanager', requiredSignedHeaders: ['x-amz-target', 'content-type'],
});
const log = [];

function answer(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function fail(res, status, type, message) {
  log.push({ outcome: 'rejected', type, message });
  answer(res, status, { __type: type, message });
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
