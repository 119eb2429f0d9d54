'use strict';
// Secrets Manager stand-in for tests, written from the AWS documentation (not from the function's code).
// Every request's SigV4 signature is recomputed with @smithy/signature-v4 from the known test credentials;
// a mismatch is answered 403 InvalidSignatureException. Verified GetSecretValue calls are answered from STANDIN_SECRETS.
//
// Environment: STANDIN_ACCESS_KEY_ID, STANDIN_SECRET_ACCESS_KEY, STANDIN_SESSION_TOKEN (optional), STANDIN_REGION,
// STANDIN_SECRETS = JSON object {secretId: SecretString}. Prints {"port": N} on stdout once listening on 127.0.0.1.
// GET /_standin/requests lists what happened (no signature needed).
const crypto = require('crypto');
const { createVerifier, required } = require('../AwsStandIns/sigv4-verifier.js');
const { answerJson, json11Request, serve } = require('../AwsStandIns/standin-server.js');

const secrets = JSON.parse(process.env.STANDIN_SECRETS || '{}');
const verifySignature = createVerifier({
  accessKeyId: required('STANDIN_ACCESS_KEY_ID'),
  secretAccessKey: required('STANDIN_SECRET_ACCESS_KEY'),
  sessionToken: process.env.STANDIN_SESSION_TOKEN || undefined,
  region: required('STANDIN_REGION'),
  service: 'secretsmanager',
  requiredSignedHeaders: ['x-amz-target', 'content-type'],
});
const log = [];

function answer(res, status, body) {
  answerJson(res, status, body, 'application/x-amz-json-1.1');
}

function fail(res, status, type, message) {
  log.push({ outcome: 'rejected', type, message });
  answer(res, status, { __type: type, message });
}

serve({
  log,
  onError: (res, e) => fail(res, 500, 'InternalServiceError', String(e && e.message)),
  handle: async (req, url, body, res) => {
    const { input, error } = await json11Request(req, url, body, verifySignature, 'secretsmanager.GetSecretValue');
    if (error) return fail(res, ...error);
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
  },
});
