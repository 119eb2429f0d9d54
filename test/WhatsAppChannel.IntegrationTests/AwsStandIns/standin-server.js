'use strict';
// What every AWS stand-in shares: the request body read whole, GET /_standin/requests answering the log (no
// signature needed), {"port": N} printed on stdout once listening on 127.0.0.1, and exit when the test closes stdin.
const http = require('http');

function answerJson(res, status, body, contentType, headers = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

// A JSON 1.1 protocol call (Secrets Manager, Systems Manager): POST /, a correct signature, X-Amz-Target naming the
// operation, a JSON body. Returns { input } or { error: [status, type, message] }.
async function json11Request(req, url, body, verifySignature, target) {
  if (req.method !== 'POST' || url.pathname !== '/') return { error: [404, 'UnknownOperationException', `${req.method} ${url.pathname}`] };
  const rejection = await verifySignature(req, url, body);
  if (rejection) return { error: [403, rejection[0], rejection[1]] };
  if (req.headers['x-amz-target'] !== target) {
    return { error: [400, 'UnknownOperationException', `Unknown target ${req.headers['x-amz-target']}`] };
  }
  if (req.headers['content-type'] !== 'application/x-amz-json-1.1') {
    return { error: [400, 'SerializationException', `Unexpected Content-Type ${req.headers['content-type']}`] };
  }
  try {
    return { input: JSON.parse(body.toString('utf8')) };
  } catch {
    return { error: [400, 'SerializationException', 'Body is not JSON.'] };
  }
}

// handle(req, url, body, res) answers a request; onError(res, error) answers one it threw on.
function serve({ log, handle, onError }) {
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', async () => {
      try {
        const url = new URL(req.url, `http://${req.headers.host}`);
        if (req.method === 'GET' && url.pathname === '/_standin/requests') return answerJson(res, 200, log, 'application/json');
        await handle(req, url, Buffer.concat(chunks), res);
      } catch (e) {
        onError(res, e);
      }
    });
  });
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
  });
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}

module.exports = { answerJson, json11Request, serve };
