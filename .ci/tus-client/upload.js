// Uploads one file with tus-js-client, resuming after every dropped connection.
// usage: node upload.js <endpoint> <bearer token> <file> <chunk size, 0: one PATCH> [retry delay ms]
// Prints one JSON line per event: {"retry": n, "offset": ...}, then {"done": true, "imageId", "imageLocation", "ms", "retries"}.
'use strict';
const fs = require('fs');
const tus = require('tus-js-client');

const [endpoint, token, file, chunk, delay] = process.argv.slice(2);
const bytes = fs.readFileSync(file);
const delays = Array(200).fill(Number(delay || 100));
delays[0] = 0;
let imageId = null;
let imageLocation = null;
let retries = 0;
const started = Date.now();
const upload = new tus.Upload(bytes, {
  endpoint,
  headers: { Authorization: 'Bearer ' + token },
  chunkSize: Number(chunk) > 0 ? Number(chunk) : Infinity,
  retryDelays: delays,
  metadata: { filename: require('path').basename(file), filetype: 'image/jpeg' },
  onShouldRetry: (err) => {
    const status = err.originalResponse ? err.originalResponse.getStatus() : 0;
    retries++;
    console.log(JSON.stringify({ retry: retries, status, error: String(err.message).split('\n')[0] }));
    // the protocol's retryable answers: no answer at all (a dropped link), 409 (offset moved), 423, 5xx
    return status === 0 || status === 409 || status === 423 || status >= 500;
  },
  onAfterResponse: (req, res) => {
    if (res.getHeader('Image-Id')) {
      imageId = res.getHeader('Image-Id');
      imageLocation = res.getHeader('Image-Location');
    }
  },
  onError: (err) => {
    console.log(JSON.stringify({ error: String(err) }));
    process.exit(1);
  },
  onSuccess: () => {
    console.log(JSON.stringify({ done: true, url: upload.url, imageId, imageLocation, ms: Date.now() - started, retries }));
  },
});
upload.start();
