/** Reading back PDFs made by pdfkit in tests: their streams (inflated where compressed) and their text. */
import zlib from 'node:zlib';

/** Every stream of the file, inflated when it is Flate-compressed (as latin1 text and as bytes). */
export function pdfStreams(pdf: Buffer): Buffer[] {
  const raw = pdf.toString('latin1');
  const streams: Buffer[] = [];
  for (const m of raw.matchAll(/stream\r?\n/g)) {
    const start = m.index + m[0].length;
    const body = pdf.subarray(start, raw.indexOf('endstream', start));
    try {
      streams.push(zlib.inflateSync(body));
    } catch {
      streams.push(body);
    }
  }
  return streams;
}

/**
 * The text of a PDF made by pdfkit, read back the way a PDF reader does: glyph ids from the
 * TJ arrays of the content streams, mapped to Unicode through the font's ToUnicode CMap.
 */
export function pdfText(pdf: Buffer): string {
  const streams = pdfStreams(pdf).map((b) => b.toString('latin1'));
  const map = new Map<number, string>();
  for (const cmap of streams.filter((x) => x.includes('begincmap')))
    for (const r of cmap.matchAll(/<([0-9a-f]+)> <([0-9a-f]+)> \[([^\]]*)\]/gi)) {
      const first = parseInt(r[1]!, 16);
      [...r[3]!.matchAll(/<([0-9a-f]+)>/gi)].forEach((u, i) =>
        map.set(first + i, String.fromCharCode(parseInt(u[1]!, 16))),
      );
    }
  let text = '';
  for (const content of streams.filter((x) => x.includes(' TJ')))
    for (const tj of content.matchAll(/\[([^\]]*)\] TJ/g)) {
      for (const h of tj[1]!.matchAll(/<([0-9a-f]+)>/gi))
        for (let i = 0; i < h[1]!.length; i += 4) text += map.get(parseInt(h[1]!.slice(i, i + 4), 16)) ?? '?';
      text += '\n';
    }
  return text;
}
