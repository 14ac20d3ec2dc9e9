/**
 * Decompression bombs for the import tests (security review #14, finding 5): an .xlsx of a few hundred KB
 * whose xl/sharedStrings.xml unpacks to hundreds of MB. Used by platform/zipbomb.test.ts and, against every
 * import route, by platform/fuzz.test.ts.
 */
import zlib from 'node:zlib';
import JSZip from 'jszip';

type Entry = { name: string; data: Buffer; crc: number; size: number };

/** Raw-deflates `chunk` repeated `times` times as one stream, without holding the unpacked text. */
async function deflateRepeated(
  head: string,
  chunk: string,
  times: number,
  tail: string,
): Promise<Entry & { name: '' }> {
  const d = zlib.createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  d.on('data', (b: Buffer) => out.push(b));
  const done = new Promise((r) => d.on('end', r));
  let crc = 0;
  let size = 0;
  const feed = async (b: Buffer) => {
    crc = zlib.crc32(b, crc);
    size += b.length;
    if (!d.write(b)) await new Promise((r) => d.once('drain', r));
  };
  await feed(Buffer.from(head));
  const block = Buffer.from(chunk.repeat(Math.ceil((1 << 20) / chunk.length)));
  for (let i = 0; i < times; i++) await feed(block);
  await feed(Buffer.from(tail));
  d.end();
  await done;
  return { name: '', data: Buffer.concat(out), crc, size };
}

/** A plain zip of deflated entries, in the given order (local headers, central directory, end record). */
function zip(entries: Entry[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(8, 8);
    h.writeUInt32LE(e.crc >>> 0, 14);
    h.writeUInt32LE(e.data.length, 18);
    h.writeUInt32LE(e.size, 22);
    h.writeUInt16LE(name.length, 26);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(8, 10);
    c.writeUInt32LE(e.crc >>> 0, 16);
    c.writeUInt32LE(e.data.length, 20);
    c.writeUInt32LE(e.size, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offset, 42);
    locals.push(h, name, e.data);
    central.push(c, name);
    offset += 30 + name.length + e.data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** The import template with its shared strings replaced by `megabytes` MB of one-letter strings, placed before the sheet. */
export async function bombOf(template: Buffer, megabytes: number): Promise<Buffer> {
  const src = await JSZip.loadAsync(template);
  const entries: Entry[] = [];
  const bomb = await deflateRepeated(
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
    '<si><t>A</t></si>',
    megabytes,
    '</sst>',
  );
  const names = Object.keys(src.files).filter((n) => !src.files[n]!.dir && n !== 'xl/sharedStrings.xml');
  // Strings first, as ExcelJS writes them: the streaming reader caches them before it reaches the sheet.
  const sheets = names.filter((n) => n.startsWith('xl/worksheets/'));
  for (const n of names.filter((x) => !sheets.includes(x))) {
    const raw = await src.files[n]!.async('nodebuffer');
    entries.push({ name: n, data: zlib.deflateRawSync(raw), crc: zlib.crc32(raw), size: raw.length });
  }
  entries.push({ ...bomb, name: 'xl/sharedStrings.xml' });
  for (const n of sheets) {
    const raw = await src.files[n]!.async('nodebuffer');
    entries.push({ name: n, data: zlib.deflateRawSync(raw), crc: zlib.crc32(raw), size: raw.length });
  }
  return zip(entries);
}
