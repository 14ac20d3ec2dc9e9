// @fixed-days: cadence periods (tools/test.mjs runs this file under each fixed clock).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, it } from 'node:test';
import {
  CADENCE_RULES,
  CHECKIN_TOKEN_WINDOW_SECONDS,
  ruleWindow,
  STRUCTURE_RULES,
  TERM_CITATION,
} from '@xianfeng/shared';
import { createFieldCrypto } from '../../platform/crypto';
import { AppError } from '../../platform/errors';
import { checkinKey, distanceMetres, issueCheckinToken, verifyCheckinToken } from './checkin';
import { checkUpload, sniff } from '../../platform/files';
import { chinaMonth } from './service';

const PNG_1x1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return 'OK';
  } catch (e) {
    return e instanceof AppError ? e.code : String(e);
  }
};

describe('the cadence table', () => {
  it('cites the 2018 branch work regulation for every national rule and marks local rules as local', () => {
    for (const r of CADENCE_RULES) {
      if (r.local) assert.match(r.citation, /地方规定/, r.rule);
      else assert.match(r.citation, /《中国共产党支部工作条例（试行）》/, r.rule);
      if (!r.citationConfirmed) assert.match(r.citation, /未能/, `${r.rule}: an unconfirmed citation says so`);
    }
    const byRule = Object.fromEntries(CADENCE_RULES.map((r) => [r.rule, r]));
    assert.equal(byRule.party_congress_quarterly!.grain, 'quarter');
    assert.equal(byRule.committee_monthly!.grain, 'month');
    assert.equal(byRule.group_monthly!.level, 'group');
    assert.equal(byRule.theme_day_monthly!.grain, 'month');
    assert.deepEqual(byRule.secretary_lecture_yearly!.counts, ['lecture_secretary']);
    assert.equal(byRule.talk_yearly!.perMember, true);
  });

  it('cites the articles of the 支部工作条例 as the text numbers them (党员大会 第十一条, 支委会 第十二条, 党小组会 第十三条, 主题党日 第十六条, 组织生活会 第十七条)', () => {
    const art = (rule: string) =>
      CADENCE_RULES.find((r) => r.rule === rule)!.citation.match(/第([一二三四五六七八九十]+)条/)?.[1];
    assert.equal(art('party_congress_quarterly'), '十一');
    assert.equal(art('committee_monthly'), '十二');
    assert.equal(art('group_monthly'), '十三');
    assert.equal(art('theme_day_monthly'), '十六');
    assert.equal(art('org_life_yearly'), '十七');
    assert.match(STRUCTURE_RULES.minFullMembersForBranch.citation, /第四条/);
    assert.match(STRUCTURE_RULES.maxMembersPerBranch.citation, /第四条/);
    assert.match(TERM_CITATION, /关于党的基层组织任期的意见/);
  });

  it('treats "支部书记每年讲党课" as a local rule, off by default: the 条例 names 党委（党组）书记', () => {
    const r = CADENCE_RULES.find((x) => x.rule === 'secretary_lecture_yearly')!;
    assert.equal(r.local, true);
    assert.match(r.citation, /党委（党组）书记/);
  });

  it('requires in a year view only the periods that have begun', () => {
    const monthly = { grain: 'month' as const };
    assert.deepEqual(ruleWindow(monthly, { year: 2026 }, '2026-06-30'), {
      from: '2026-01-01',
      to: '2027-01-01',
      required: 6,
    });
    assert.deepEqual(ruleWindow(monthly, { year: 2025 }, '2026-06-30'), {
      from: '2025-01-01',
      to: '2026-01-01',
      required: 12,
    });
    assert.equal(ruleWindow(monthly, { year: 2027 }, '2026-06-30').required, 0);
    assert.equal(ruleWindow({ grain: 'quarter' }, { year: 2026 }, '2026-07-01').required, 3);
    assert.equal(ruleWindow({ grain: 'quarter' }, { year: 2026 }, '2026-06-30').required, 2);
    assert.equal(ruleWindow({ grain: 'year' }, { year: 2026 }, '2026-01-01').required, 1);
  });

  it('checks a month view against that month, its quarter and its year so far', () => {
    const view = { year: 2026, month: 5 };
    assert.deepEqual(ruleWindow({ grain: 'month' }, view, '2026-05-10'), {
      from: '2026-05-01',
      to: '2026-06-01',
      required: 1,
    });
    assert.deepEqual(ruleWindow({ grain: 'quarter' }, view, '2026-05-10'), {
      from: '2026-04-01',
      to: '2026-07-01',
      required: 1,
    });
    assert.deepEqual(ruleWindow({ grain: 'year' }, view, '2026-05-10'), {
      from: '2026-01-01',
      to: '2027-01-01',
      required: 1,
    });
    assert.deepEqual(ruleWindow({ grain: 'month' }, { year: 2026, quarter: 4 }, '2026-11-24'), {
      from: '2026-10-01',
      to: '2027-01-01',
      required: 2,
    });
  });

  it('puts a meeting in the China-time month it was held, not the UTC one', () => {
    assert.equal(chinaMonth(new Date('2026-03-31T23:30:00+08:00')), '2026-03-01');
    assert.equal(chinaMonth(new Date('2026-04-01T00:30:00+08:00')), '2026-04-01'); // still March 31 in UTC
  });
});

describe('QR sign-in tokens', () => {
  const key = checkinKey(createFieldCrypto(crypto.randomBytes(32)));
  const meetingId = crypto.randomUUID();
  const now = new Date('2026-05-15T06:30:00Z');
  const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

  it('accepts the token on the screen for a few minutes and then refuses it as expired', () => {
    const { token } = issueCheckinToken(key, meetingId, now);
    assert.equal(
      codeOf(() => verifyCheckinToken(key, meetingId, token, now)),
      'OK',
    );
    assert.equal(
      codeOf(() => verifyCheckinToken(key, meetingId, token, at(2))),
      'OK',
    );
    assert.equal(
      codeOf(() => verifyCheckinToken(key, meetingId, token, at(4))),
      'CHECKIN_TOKEN_EXPIRED',
    );
  });

  it("refuses a photo of yesterday's code", () => {
    const { token } = issueCheckinToken(key, meetingId, at(-24 * 60));
    assert.equal(
      codeOf(() => verifyCheckinToken(key, meetingId, token, now)),
      'CHECKIN_TOKEN_EXPIRED',
    );
  });

  it('refuses a forged token: altered signature, altered window, or signed with another key', () => {
    const { token } = issueCheckinToken(key, meetingId, now);
    const parts = token.split('.');
    const flipped = [...parts.slice(0, 3), (parts[3]![0] === 'A' ? 'B' : 'A') + parts[3]!.slice(1)].join('.');
    assert.equal(
      codeOf(() => verifyCheckinToken(key, meetingId, flipped, now)),
      'CHECKIN_TOKEN_INVALID',
    );
    const laterWindow = [parts[0], parts[1], (parseInt(parts[2]!, 36) + 1).toString(36), parts[3]].join('.');
    assert.equal(
      codeOf(() => verifyCheckinToken(key, meetingId, laterWindow, now)),
      'CHECKIN_TOKEN_INVALID',
    );
    const otherServer = issueCheckinToken(checkinKey(createFieldCrypto(crypto.randomBytes(32))), meetingId, now).token;
    assert.equal(
      codeOf(() => verifyCheckinToken(key, meetingId, otherServer, now)),
      'CHECKIN_TOKEN_INVALID',
    );
    assert.equal(
      codeOf(() => verifyCheckinToken(key, meetingId, 'not-a-token', now)),
      'CHECKIN_TOKEN_INVALID',
    );
  });

  it('signs with a key of its own, not one the blind index gives away (security #14.11)', () => {
    // Before the fix the key was the blind index of a fixed label: anyone holding the blind-index key
    // (exact lookups of 身份证号 and phones) could mint sign-in tokens. This failed on that code.
    const fc = createFieldCrypto(crypto.randomBytes(32));
    const signing = checkinKey(fc);
    assert.equal(signing.length, 32);
    assert.notDeepEqual(signing, Buffer.from(fc.blindIndex('xianfeng/meeting-checkin-token/v1'), 'base64url'));
    assert.notDeepEqual(signing, Buffer.from(fc.blindIndex('xianfeng/meeting-checkin-token/v2'), 'base64url'));
    assert.deepEqual(checkinKey(fc), signing, 'stable for one master key');
    assert.throws(() => fc.subkey('xianfeng/blind-index/v1'), /reserved/);
  });

  it('refuses a token issued far in the future (a window the screen never showed)', () => {
    const { token } = issueCheckinToken(key, meetingId, at(10));
    assert.equal(
      codeOf(() => verifyCheckinToken(key, meetingId, token, now)),
      'CHECKIN_TOKEN_INVALID',
    );
    const nextWindow = issueCheckinToken(
      key,
      meetingId,
      new Date(now.getTime() + CHECKIN_TOKEN_WINDOW_SECONDS * 1000),
    ).token;
    assert.equal(
      codeOf(() => verifyCheckinToken(key, meetingId, nextWindow, now)),
      'OK',
      'one window of clock skew is tolerated',
    );
  });

  it("refuses another meeting's genuine token", () => {
    const { token } = issueCheckinToken(key, crypto.randomUUID(), now);
    assert.equal(
      codeOf(() => verifyCheckinToken(key, meetingId, token, now)),
      'CHECKIN_TOKEN_WRONG_MEETING',
    );
  });

  it('measures the distance to the venue for the geofence', () => {
    const venue = { lat: 39.9087, lng: 116.3975 };
    assert.ok(distanceMetres(venue, venue) < 0.001);
    const d = distanceMetres(venue, { lat: 39.9177, lng: 116.3975 }); // 0.009° north ≈ 1 km
    assert.ok(d > 990 && d < 1010, String(d));
  });
});

describe('uploaded photos', () => {
  it('recognizes images by their first bytes, whatever the file is called', () => {
    assert.deepEqual(sniff(PNG_1x1), { mime: 'image/png', ext: '.png', image: true, width: 1, height: 1 });
    assert.equal(checkUpload('photo', PNG_1x1, 'photo.txt').mime, 'image/png');
    assert.equal(
      codeOf(() => checkUpload('photo', Buffer.from('MZ\x90\x00 not an image'), 'photo.jpg')),
      'NOT_AN_IMAGE',
    );
    assert.equal(
      codeOf(() => checkUpload('photo', Buffer.from('%PDF-1.7'), 'photo.png')),
      'NOT_AN_IMAGE',
    );
    assert.equal(
      codeOf(() => checkUpload('attachment', Buffer.from('%PDF-1.7\n'), 'slides.pdf')),
      'OK',
    );
    assert.equal(
      codeOf(() => checkUpload('attachment', Buffer.from('#!/bin/sh\nrm -rf /'), 'run.sh')),
      'UNSUPPORTED_FILE_TYPE',
    );
    assert.equal(
      codeOf(() => checkUpload('photo', Buffer.alloc(0), 'empty.png')),
      'FILE_EMPTY',
    );
  });
});
