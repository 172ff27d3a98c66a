// Draws the Teams app icons with nothing but node:zlib: a white star on a round badge.
//   color.png    192×192, the badge on the app's accent colour
//   outline.png   32×32, the star in white on a transparent background
// Usage: node appPackage/make-icons.mjs   (the PNGs are committed; run again after a change)
import { Buffer } from 'node:buffer';
import console from 'node:console';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const ACCENT = [0x5b, 0x5f, 0xc7];
const BADGE = [0x73, 0x77, 0xd6];
const WHITE = [0xff, 0xff, 0xff];
const SAMPLES = 4; // per axis: 16 samples a pixel give smooth edges

/** The points of a five-pointed star centred on (cx, cy), first point up. */
function star(cx, cy, outer, inner) {
  return Array.from({ length: 10 }, (_, i) => {
    const r = i % 2 ? inner : outer;
    const angle = -Math.PI / 2 + (i * Math.PI) / 5;
    return [cx + r * Math.cos(angle), cy + r * Math.sin(angle)];
  });
}

function insidePolygon(points, x, y) {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i];
    const [xj, yj] = points[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * Renders layers back to front. Each layer is { color, contains(x, y) }; a pixel takes the
 * share of its samples each layer covers, so edges are anti-aliased.
 */
function render(size, layers) {
  const pixels = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let [r, g, b, a] = [0, 0, 0, 0];
      for (const layer of layers) {
        let hits = 0;
        for (let sy = 0; sy < SAMPLES; sy++) {
          for (let sx = 0; sx < SAMPLES; sx++) {
            if (layer.contains(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES)) hits++;
          }
        }
        const cover = hits / (SAMPLES * SAMPLES);
        if (!cover) continue;
        // "over" compositing with straight (non-premultiplied) alpha
        const outA = cover + a * (1 - cover);
        [r, g, b] = [0, 1, 2].map((c) => (layer.color[c] * cover + [r, g, b][c] * a * (1 - cover)) / outA);
        a = outA;
      }
      pixels.set([Math.round(r), Math.round(g), Math.round(b), Math.round(a * 255)], (py * size + px) * 4);
    }
  }
  return pixels;
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/** An RGBA, 8-bit, non-interlaced PNG. */
function png(size, pixels) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) Buffer.from(pixels.buffer, y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const all = { contains: () => true };
const circle = (cx, cy, r) => ({ contains: (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r });
const polygon = (points) => ({ contains: (x, y) => insidePolygon(points, x, y) });

// The star sits a little low, so it looks centred in its badge (its points weigh it upward).
const color = render(192, [
  { ...all, color: ACCENT },
  { ...circle(96, 96, 70), color: BADGE },
  { ...polygon(star(96, 100, 52, 22)), color: WHITE },
]);
const outline = render(32, [{ ...polygon(star(16, 17, 14.5, 6.2)), color: WHITE }]);

for (const [name, size, pixels] of [
  ['color.png', 192, color],
  ['outline.png', 32, outline],
]) {
  const file = join(here, name);
  const bytes = png(size, pixels);
  writeFileSync(file, bytes);
  console.log(`${name}: ${size}×${size}, ${bytes.length} bytes`);
}
