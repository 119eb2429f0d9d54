'use strict';
// Systems Manager Parameter Store stand-in for tests, written from the AWS API reference (GetParameter, JSON 1.1 protocol),
// not from the function's code. Every request's SigV4 signature is recomputed (service "ssm"); a mismatch is answered
// 403 InvalidSignatureException. Verified GetParameter calls are answered from STANDIN_PARAMETERS.
//
// Environment: STANDIN_ACCESS_KEY_ID, STANDIN_SECRET_ACCESS_KEY, STANDIN_SESSION_TOKEN (optional), STANDIN_REGION,
// STANDIN_PARAMETERS = JSON object {name: value}. Prints {"port": N} on stdout once listening on 127.0.0.1.
// GET /_standin/requests lists what happened (no signature needed).
const { createVerifier, required } = require('../AwsStandIns/sigv4-verifier.js');
const { answerJson, json11Request, serve } = require('../AwsStandIns/standin-server.js');

const region = required('STANDIN_REGION');
const parameters = JSON.parse(process.env.STANDIN_PARAMETERS || '{}');
const verifySignature = createVerifier({
  accessKeyId: required('STANDIN_ACCESS_KEY_ID'),
  secretAccessKey: required('STANDIN_SECRET_ACCESS_KEY'),
  sessionToken: process.env.STANDIN_SESSION_TOKEN || undefined,
  region,
  service: 'ssm',
  requiredSignedHeaders: ['x-amz-target', 'content-type'],
});
const log = [];

function answer(res, status, body) {
  answerJson(res, status, body, 'application/x-amz-json-1.1');
}

function fail(res, status, type, message, name) {
  log.push({ outcome: 'rejected', type, name });
  answer(res, status, { __type: type, message });
}

// Parameter names: letters, digits and _.-/ ; a hierarchical name starts with '/'; no spaces (ValidationException).
function validName(name) {
  return typeof name === 'string' && name.length >= 1 && name.length <= 2048 && /^[a-zA-Z0-9_.\-/]+$/.test(name)
    && (!name.includes('/') || name.startsWith('/'));
}

serve({
  log,
  onError: (res, e) => fail(res, 500, 'InternalServerError', String(e && e.message)),
  handle: async (req, url, body, res) => {
    const { input, error } = await json11Request(req, url, body, verifySignature, 'AmazonSSM.GetParameter');
    if (error) return fail(res, ...error);
    const name = input && input.Name;
    if (!validName(name)) {
      return fail(res, 400, 'ValidationException', 'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive) and must use only a-zA-Z0-9_.-/', name);
    }
    if (!Object.prototype.hasOwnProperty.call(parameters, name)) {
      return fail(res, 400, 'ParameterNotFound', '', name);
    }
    log.push({ outcome: 'answered', name, withDecryption: input.WithDecryption === true });
    answer(res, 200, {
      Parameter: {
        ARN: `arn:aws:ssm:${region}:123456789012:parameter${name}`, DataType: 'text', LastModifiedDate: Date.now() / 1000,
        Name: name, Type: 'String', Value: parameters[name], Version: 1,
      },
    });
  },
});
