// The reference encoder for ThumbHashReferenceTest: reads lines "width height <RGBA as base64>" on stdin and
// prints, one line each, the reference's ThumbHash of those pixels in standard base64.
import { rgbaToThumbHash } from 'thumbhash';
import { createInterface } from 'node:readline';

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (!line.trim()) continue;
  const [w, h, data] = line.split(' ');
  const rgba = new Uint8Array(Buffer.from(data, 'base64'));
  process.stdout.write(Buffer.from(rgbaToThumbHash(Number(w), Number(h), rgba)).toString('base64') + '\n');
}
