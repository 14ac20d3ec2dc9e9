/**
 * The CJK font the PDF writer (pdfkit) needs for Chinese text, looked for at run time: the meeting 台账 and the
 * volunteer e-certificate use it. XF_CJK_FONT (a .ttf/.otf/.ttc path, `path#PostScriptName` for a collection) wins.
 */
import fs from 'node:fs';

const FONT_CANDIDATES: { path: string; family?: string }[] = [
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', family: 'NotoSerifCJKsc-Regular' },
  { path: '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', family: 'WenQuanYiZenHei' },
  { path: '/usr/share/fonts/truetype/arphic/uming.ttc', family: 'AR PL UMing CN' },
];

export type CjkFont = { path: string; family?: string };

export function findCjkFont(env = process.env): CjkFont | null {
  const given = env.XF_CJK_FONT;
  if (given) {
    const [p, family] = given.split('#') as [string, string | undefined];
    return fs.existsSync(p) ? { path: p, ...(family ? { family } : {}) } : null;
  }
  return FONT_CANDIDATES.find((c) => fs.existsSync(c.path)) ?? null;
}
