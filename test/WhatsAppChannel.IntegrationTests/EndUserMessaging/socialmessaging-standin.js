'use strict';
// AWS End User Messaging Social stand-in for tests, written from the AWS API reference (SendWhatsAppMessage:
// POST /v1/whatsapp/send, REST JSON, SigV4 service 'social-messaging'), not from the function's code.
// Every request's SigV4 signature is recomputed from the known test credentials; a mismatch is answered 403.
// A verified request's base64 'message' is decoded and checked as a WhatsApp Cloud API template message.
//
// Environment: STANDIN_ACCESS_KEY_ID, STANDIN_SECRET_ACCESS_KEY, STANDIN_SESSION_TOKEN (optional), STANDIN_REGION,
// STANDIN_PHONE_NUMBER_IDS = comma-separated origination ids that exist,
// STANDIN_FAULTS = JSON array of rules {to, times, status, type, message, where, hangMs}: the first 'times' sends to
// recipient 'to' ("*" = any) are answered with that error instead (where: "header" = x-amzn-ErrorType (default),
// "__type" or "code" = in the body, "none" = no error type at all), or not answered for hangMs.
// Prints {"port": N} on stdout once listening on 127.0.0.1. GET /_standin/requests lists what happened.
const crypto = require('crypto');
const { createVerifier, required } = require('../AwsStandIns/sigv4-verifier.js');
const { answerJson, serve } = require('../AwsStandIns/standin-server.js');

const verifySignature = createVerifier({
  accessKeyId: required('STANDIN_ACCESS_KEY_ID'),
  secretAccessKey: required('STANDIN_SECRET_ACCESS_KEY'),
  sessionToken: process.env.STANDIN_SESSION_TOKEN || undefined,
  region: required('STANDIN_REGION'),
  service: 'social-messaging',
  requiredSignedHeaders: ['content-type'],
});
const phoneNumberIds = new Set(required('STANDIN_PHONE_NUMBER_IDS').split(','));
const faults = JSON.parse(process.env.STANDIN_FAULTS || '[]').map(rule => ({ times: Infinity, where: 'header', ...rule, used: 0 }));
const log = [];

function answer(res, status, body, headers = {}) {
  answerJson(res, status, body, 'application/json', headers);
}

// REST-JSON errors: the type in the x-amzn-ErrorType header, the body {"message": ...}.
function fail(res, status, type, message, where = 'header', entry = {}) {
  log.push({ ...entry, outcome: 'rejected', type, message });
  switch (where) {
    case '__type': return answer(res, status, { __type: `com.amazonaws.socialmessaging#${type}`, message });
    case 'code': return answer(res, status, { code: type, message });
    case 'none': return answer(res, status, '<html><body>Bad Gateway</body></html>');
    default: return answer(res, status, { message }, { 'x-amzn-ErrorType': `${type}:http://internal.amazon.com/coral/com.amazonaws.socialmessaging/` });
  }
}

// Strict base64 (the blob type): decoding then encoding again must give the same text.
function decodeBlob(value) {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048000) return null;
  const bytes = Buffer.from(value, 'base64');
  return bytes.toString('base64') === value ? bytes : null;
}

// What the Cloud API requires of a template message (Meta's Messages reference).
function checkMessage(message) {
  if (!message || message.messaging_product !== 'whatsapp') return 'messaging_product must be "whatsapp"';
  if (typeof message.to !== 'string' || !/^\+?\d{5,15}$/.test(message.to)) return "'to' is not a phone number";
  if (message.type !== 'template') return 'type must be "template"';
  const template = message.template;
  if (!template || typeof template.name !== 'string' || template.name.length === 0) return 'template.name is missing';
  if (!template.language || typeof template.language.code !== 'string') return 'template.language.code is missing';
  if (template.components !== undefined && !Array.isArray(template.components)) return 'template.components must be an array';
  return null;
}

serve({
  log,
  onError: (res, e) => fail(res, 500, 'InternalServiceException', String(e && e.message)),
  handle: async (req, url, body, res) => {
    if (req.method !== 'POST' || url.pathname !== '/v1/whatsapp/send') {
      return fail(res, 404, 'UnknownOperationException', `${req.method} ${url.pathname}`);
    }

    const rejection = await verifySignature(req, url, body);
    if (rejection) return fail(res, 403, rejection[0], rejection[1]);

    if (!/^application\/json/.test(req.headers['content-type'] || '')) {
      return fail(res, 400, 'ValidationException', `Unexpected Content-Type ${req.headers['content-type']}`);
    }
    let input;
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch {
      return fail(res, 400, 'ValidationException', 'The request body is not JSON.');
    }
    const { originationPhoneNumberId, metaApiVersion } = input || {};
    const entry = { originationPhoneNumberId, metaApiVersion };
    if (typeof metaApiVersion !== 'string' || !/^v\d+\.\d+$/.test(metaApiVersion)) {
      return fail(res, 400, 'ValidationException', 'metaApiVersion must be formatted as v{VersionNumber}.', 'header', entry);
    }
    if (typeof originationPhoneNumberId !== 'string'
      || !/(^phone-number-id-.*$)|(^arn:.*:phone-number-id\/[0-9a-zA-Z]+$)/.test(originationPhoneNumberId)
      || originationPhoneNumberId.length > 115) {
      return fail(res, 400, 'ValidationException', 'originationPhoneNumberId does not match the required pattern.', 'header', entry);
    }
    if (!phoneNumberIds.has(originationPhoneNumberId)) {
      return fail(res, 404, 'ResourceNotFoundException', `Phone number ${originationPhoneNumberId} was not found.`, 'header', entry);
    }
    const blob = decodeBlob(input.message);
    if (!blob) return fail(res, 400, 'ValidationException', 'message must be base64 of 1 to 2048000 bytes.', 'header', entry);
    entry.message = blob.toString('base64');
    let message;
    try {
      message = JSON.parse(blob.toString('utf8'));
    } catch {
      return fail(res, 400, 'InvalidParametersException', '(#100) Invalid parameter: the message is not JSON', 'header', entry);
    }
    const invalid = checkMessage(message);
    if (invalid) return fail(res, 400, 'InvalidParametersException', `(#100) Invalid parameter: ${invalid}`, 'header', entry);
    entry.to = message.to;

    const rule = faults.find(f => (f.to === '*' || f.to === message.to) && f.used < f.times);
    if (rule) {
      rule.used++;
      if (rule.hangMs) {
        log.push({ ...entry, outcome: 'hung' });
        setTimeout(() => answer(res, 200, { messageId: crypto.randomUUID() }), rule.hangMs);
        return;
      }
      return fail(res, rule.status, rule.type, rule.message, rule.where, entry);
    }

    const messageId = crypto.randomUUID();
    log.push({ ...entry, outcome: 'accepted', messageId });
    answer(res, 200, { messageId });
  },
});
