#!/usr/bin/env node
// Usage: node scripts/check-fixture.mjs FILE
// Feeds FILE to headless Chromium as the fake camera, calls getUserMedia({video:true})
// on a page served from 127.0.0.1 (a secure context) and prints what the page sees:
// video size, device label, track settings, measured frame rate and, after 2 s, the
// mean luminance / RGB of one frame (a black or fake-pattern frame would show here).
// It also asks for 1280x720, 640x360 and 320x240 to show whether Chromium rescales the file.
// Exits 1 when getUserMedia fails or the frame is (nearly) black.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const file = process.argv[2];
if (!file || !fs.existsSync(file)) {
  console.error('usage: node scripts/check-fixture.mjs FILE   (FILE must exist)');
  process.exit(2);
}
const abs = path.resolve(file);

const html = `<!doctype html><meta charset="utf-8"><title>fixture check</title>
<video id="v" autoplay muted playsinline></video>`;
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(html);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-video-capture=${abs}`,
  ],
});

let code = 0;
try {
  const page = await browser.newPage();
  await page.goto(url);
  const r = await page.evaluate(async () => {
    const out = { secure: window.isSecureContext };
    const v = document.getElementById('v');
    const stream = await navigator.mediaDevices.getUserMedia({ video: true });
    const track = stream.getVideoTracks()[0];
    out.label = track.label;
    out.settings = track.getSettings();
    v.srcObject = stream;
    await v.play();
    if (!v.videoWidth) await new Promise((res) => v.addEventListener('loadedmetadata', res, { once: true }));
    out.width = v.videoWidth;
    out.height = v.videoHeight;
    // Count frames delivered to the <video> element for 1 s.
    let frames = 0;
    let stop = false;
    const cb = () => { frames++; if (!stop) v.requestVideoFrameCallback(cb); };
    v.requestVideoFrameCallback(cb);
    await new Promise((res) => setTimeout(res, 1000));
    stop = true;
    out.fps = frames;
    await new Promise((res) => setTimeout(res, 1000)); // 2 s after play
    const c = document.createElement('canvas');
    c.width = v.videoWidth;
    c.height = v.videoHeight;
    const ctx = c.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(v, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let R = 0, G = 0, B = 0, Y = 0, Y2 = 0;
    const n = d.length / 4;
    for (let i = 0; i < d.length; i += 4) {
      const y = 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];
      R += d[i]; G += d[i + 1]; B += d[i + 2]; Y += y; Y2 += y * y;
    }
    out.meanY = Y / n;
    out.stdY = Math.sqrt(Math.max(0, Y2 / n - (Y / n) ** 2));
    out.meanRGB = [R / n, G / n, B / n].map((x) => Math.round(x));
    track.stop();
    // Does Chromium rescale the file to a requested size?
    out.requested = {};
    for (const [w, h] of [[1280, 720], [640, 360], [320, 240]]) {
      try {
        const s = await navigator.mediaDevices.getUserMedia({ video: { width: w, height: h } });
        const st = s.getVideoTracks()[0].getSettings();
        out.requested[`${w}x${h}`] = `${st.width}x${st.height}`;
        s.getTracks().forEach((t) => t.stop());
      } catch (e) {
        out.requested[`${w}x${h}`] = `${e.name}`;
      }
    }
    return out;
  });
  const st = r.settings;
  console.log(`${path.basename(abs)}: video ${r.width}x${r.height}, label "${r.label}", ` +
    `settings ${st.width}x${st.height}@${st.frameRate}, ~${r.fps} frames/s delivered`);
  console.log(`  after 2 s: mean luminance ${r.meanY.toFixed(1)} (std ${r.stdY.toFixed(1)}), ` +
    `mean RGB ${r.meanRGB.join('/')}`);
  console.log('  requested ' + Object.entries(r.requested).map(([k, v]) => `${k} -> ${v}`).join(', '));
  if (!r.secure) { console.log('  FAIL: page is not a secure context'); code = 1; }
  // With the file in use the label is its path; Chromium's built-in green pattern is "fake_device_0".
  if (r.label !== abs) { console.log('  FAIL: camera is not the file (built-in fake pattern?)'); code = 1; }
  if (r.meanY < 8) { console.log('  FAIL: frame is (nearly) black'); code = 1; }
} catch (e) {
  console.log(`${path.basename(abs)}: FAIL ${e.message.split('\n')[0]}`);
  code = 1;
} finally {
  await browser.close();
  server.close();
}
process.exit(code);
