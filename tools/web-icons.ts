/**
 * `node --import tsx tools/web-icons.ts`: the PWA icons in apps/web/public/icons/ from the star of favicon.svg —
 * "any" icons with rounded corners, a maskable one with the star inside the safe zone (the middle 80 %) on a
 * full red square, and the 180 px apple-touch-icon. Run again after changing the logo; the PNGs are committed.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

const out = path.resolve(import.meta.dirname, '../apps/web/public/icons');
fs.mkdirSync(out, { recursive: true });
const STAR = 'M32 10l6.2 14.6 15.8 1.3-12 10.4 3.7 15.4L32 43.4 18.3 51.7 22 36.3 10 25.9l15.8-1.3z';
const any = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="#c8161d"/><path d="${STAR}" fill="#ffd700"/></svg>`;
// Maskable: full bleed, the star scaled to 70 % around the centre so any mask shape keeps it whole.
const maskable = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="#c8161d"/><g transform="translate(32 31.5) scale(0.7) translate(-32 -31)"><path d="${STAR}" fill="#ffd700"/></g></svg>`;
const apple = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="#c8161d"/><g transform="translate(32 31.5) scale(0.85) translate(-32 -31)"><path d="${STAR}" fill="#ffd700"/></g></svg>`;
const render = (svg: string, size: number, file: string) =>
  sharp(Buffer.from(svg), { density: (72 * size) / 64 })
    .resize(size, size)
    .png({ compressionLevel: 9, palette: true })
    .toFile(path.join(out, file));
await render(any, 192, 'icon-192.png');
await render(any, 512, 'icon-512.png');
await render(maskable, 512, 'icon-maskable-512.png');
await render(apple, 180, 'apple-touch-icon.png');
console.log(`icons written to ${out}`);
