/**
 * 课时 (issue #18): a course is ordered lessons. Courses that existed before lessons (one piece of content per
 * course) become one-lesson courses by migration 0057, and each learner's record of the course becomes their
 * record of that lesson. The course's keepers add, edit, order and retire lessons of text, PDF, audio and video;
 * heartbeats are credited per lesson by the clock, and the course is complete (once, with its points) when every
 * lesson not retired is. A member reaches no other member's lesson progress.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addDays, now, setClock, todayInChina } from '@xianfeng/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { adminToken, multipartFile, startTestApp, type TestApp, api, signIn } from '../../testing/harness';
import { accountFor } from '../../testing/accounts';

const later = (ms: number) => setClock(new Date(now().getTime() + ms));
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const MP3 = Buffer.concat([Buffer.from('ID3'), Buffer.from([4, 0, 0, 0, 0, 0, 0]), Buffer.alloc(600, 0x55)]);
const MP4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), Buffer.alloc(600, 7)]);
type L = {
  id: string;
  position: number;
  kind: string;
  title: string;
  retired: boolean;
  progress: number | null;
  completed: boolean;
  file: { id: string; mime: string } | null;
};

describe('learn: lessons of a course', () => {
  let t: TestApp;
  let secretary: string; // shuji, 第一发电厂党支部
  let secretary2: string; // shuji2, 研发中心党支部 (another subsidiary)
  let member: string; // dangyuan (陈志远), 第一发电厂党支部
  let member2: string; // another member of the same branch, given an account here
  let memberId: string;
  let branchId: string;
  const { get, post, put, patch } = api(() => t);
  const upload = (itemId: string, role: string, file: Buffer, name: string) =>
    t.request({
      method: 'POST',
      url: `/api/v1/learn-items/${itemId}/files?role=${role}`,
      token: secretary,
      ...multipartFile(file, name),
    });
  const lessons = async (itemId: string, token: string, q = '') =>
    (await get(`/learn-items/${itemId}/lessons?pageSize=100${q}`, token)).body;
  const course = async (title: string, minutes = 1) => {
    const r = await post('/learn/items', secretary, {
      orgId: branchId,
      kind: 'course',
      title,
      minutes,
      required: true,
      dueOn: addDays(todayInChina(), 5),
    });
    assert.equal(r.status, 201, r.raw);
    return r.body.id as string;
  };

  before(async () => {
    t = await startTestApp();
    // The test app has no data folder; give it one for the file store.
    (t.services.config as { dataDir: string }).dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xf-lessons-'));
    const admin = await adminToken(t);
    [secretary, secretary2, member] = await signIn(t, 'shuji', 'shuji2', 'dangyuan');
    branchId = await t.orgId('第一发电厂党支部');
    memberId = await t.memberId('dangyuan');
    const [p] = await queryRows<{ id: string }>(
      t.services.db,
      sql`select id from member where org_id = ${branchId} and user_id is null and left_at is null and suspended_on is null order by id limit 1`,
    );
    member2 = (await accountFor(t, admin, p!.id, 'kecheng2')).token;
    assert.equal((await put('/learn/settings', admin, { pointsEnabled: true })).status, 200);
  });
  after(async () => {
    setClock(null);
    await t.close();
  });

  it('turns every course of the old model into a one-lesson course, records and video included', async () => {
    const db = t.services.db;
    // The old model: courses without lessons (what a database before 0056 holds), one of them with a video file.
    await db.execute(sql`delete from learn_lesson_record`);
    await db.execute(sql`delete from learn_lesson`);
    const [course] = await queryRows<{ id: string; tenant_id: string }>(
      db,
      sql`select id, tenant_id from learn_item where kind = 'course' and exists (select 1 from learn_record r where r.item_id = learn_item.id and r.completed_at is not null) order by title limit 1`,
    );
    assert.ok(course, 'the demo has a course someone completed');
    const [file] = await queryRows<{ id: string }>(
      db,
      sql`insert into learn_file (tenant_id, item_id, role, file_name, mime, size, sha256, storage_key)
          values (${course.tenant_id}, ${course.id}, 'video', 'v.mp4', 'video/mp4', 10, 'x', 'learn/x') returning id`,
    );
    const migration = fs.readFileSync(
      path.join(import.meta.dirname, '../../../migrations/0057_learn_audience_lessons.sql'),
      'utf8',
    );
    const data = migration.slice(migration.indexOf('-- Every existing course')).split('--> statement-breakpoint');
    assert.equal(data.length, 2);
    for (const stmt of data) await db.execute(sql.raw(stmt));

    const courses = await queryRows<{
      id: string;
      lessons: number;
      first_kind: string;
      first_file: string | null;
      title_ok: boolean;
    }>(
      db,
      sql`select i.id, count(l.id)::int as lessons, min(l.kind) as first_kind, min(l.file_id::text) as first_file,
                 bool_and(l.title = i.title and l.body = i.body and l.minutes = i.minutes and l.position = 1) as title_ok
          from learn_item i left join learn_lesson l on l.item_id = i.id where i.kind = 'course' group by i.id`,
    );
    assert.ok(courses.length >= 2);
    for (const c of courses) {
      assert.equal(c.lessons, 1, 'one lesson per course');
      assert.ok(c.title_ok, 'the lesson carries the course content');
      assert.equal(c.first_kind, c.id === course.id ? 'video' : 'text');
      assert.equal(c.first_file, c.id === course.id ? file!.id : null);
    }
    const [others] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from learn_lesson l join learn_item i on i.id = l.item_id where i.kind <> 'course'`,
    );
    assert.equal(others!.n, 0, 'videos, entries and books stay single pieces');
    const mismatch = await queryRows<{ id: string }>(
      db,
      sql`select r.id from learn_record r join learn_item i on i.id = r.item_id and i.kind = 'course'
          where not exists (select 1 from learn_lesson_record lr where lr.item_id = r.item_id and lr.member_id is not distinct from r.member_id
            and lr.user_id is not distinct from r.user_id and lr.seconds = r.seconds and lr.completed_at is not distinct from r.completed_at)`,
    );
    assert.deepEqual(mismatch, [], 'each course record is the record of its lesson');
    const [n] = await queryRows<{ a: number; b: number }>(
      db,
      sql`select (select count(*)::int from learn_record r join learn_item i on i.id = r.item_id where i.kind = 'course') as a,
                 (select count(*)::int from learn_lesson_record) as b`,
    );
    assert.equal(n!.a, n!.b);
    assert.ok(n!.a > 0, 'the demo has course records');
  });

  it('0064: text lessons completed before reading was tracked count as read to the end', async () => {
    const db = t.services.db;
    // The records the previous test rebuilt by 0057 are what a database before 0064 holds: read_to 0 everywhere.
    await db.execute(sql`update learn_lesson_record set read_to = 0`);
    const migration = fs.readFileSync(
      path.join(import.meta.dirname, '../../../migrations/0064_learn_read_to.sql'),
      'utf8',
    );
    const data = migration.split('--> statement-breakpoint').slice(1);
    assert.equal(data.length, 1);
    await db.execute(sql.raw(data[0]!));
    const rows = await queryRows<{ kind: string; done: boolean; read_to: number; n: number }>(
      db,
      sql`select l.kind, r.completed_at is not null as done, r.read_to, count(*)::int as n
          from learn_lesson_record r join learn_lesson l on l.id = r.lesson_id group by 1, 2, 3 order by 1, 2, 3`,
    );
    assert.ok(
      rows.some((r) => r.kind === 'text' && r.done),
      'the demo has completed text lessons',
    );
    assert.ok(
      rows.some((r) => r.kind === 'text' && !r.done),
      'and text lessons begun, not completed',
    );
    for (const r of rows)
      assert.equal(
        r.read_to,
        r.kind === 'text' && r.done ? 100 : 0,
        `${r.kind} completed=${r.done}: read_to ${r.read_to}`,
      );
  });

  it("lets the course's keepers add, edit, order and retire lessons of text, PDF, audio and video", async () => {
    const id = await course('课时测试：支部学习课', 5);
    // A new course is one text lesson of its own content.
    const first = (await lessons(id, member)).items as L[];
    assert.deepEqual(
      first.map((l) => [l.position, l.kind, l.title]),
      [[1, 'text', '课时测试：支部学习课']],
    );

    const pdf = await upload(id, 'document', PDF, '学习材料.pdf');
    assert.equal(pdf.status, 201, pdf.raw);
    const mp3 = await upload(id, 'audio', MP3, '讲解.mp3');
    assert.equal(mp3.status, 201, mp3.raw);
    assert.equal(mp3.body.mime, 'audio/mpeg', 'an MP3 by its bytes');
    const mp4 = await upload(id, 'video', MP4, '视频.mp4');
    assert.equal(mp4.status, 201, mp4.raw);
    const notAudio = await upload(id, 'audio', PDF, '假音频.mp3');
    assert.equal(notAudio.status, 400);
    assert.equal(notAudio.body.error.code, 'NOT_AN_AUDIO');

    const add = (body: unknown, token = secretary, item = id) => post(`/learn-items/${item}/lessons`, token, body);
    // Bad input: a clear Chinese reason each.
    const noFile = await add({ kind: 'pdf', title: '没有文件的课时' });
    assert.equal(noFile.status, 422);
    assert.match(noFile.body.error.message, /请先上传课时的PDF 文档/);
    const wrongFile = await add({ kind: 'pdf', title: '文件类型不对', fileId: mp3.body.id });
    assert.equal(wrongFile.body.error.code, 'LESSON_FILE_KIND');
    assert.equal(
      (await add({ kind: 'text', title: '图文带文件', fileId: pdf.body.id })).body.error.code,
      'TEXT_HAS_NO_FILE',
    );
    const badKind = await add({ kind: 'slides', title: '幻灯片' });
    assert.equal(badKind.status, 400);
    assert.match(badKind.raw, /课时类型须为/);
    // Only the keepers of the course's org; another subsidiary's secretary does not reach it; only courses.
    assert.equal((await add({ kind: 'text', title: '党员加的课时' }, member)).status, 403);
    assert.equal((await add({ kind: 'text', title: '别的支部加的课时' }, secretary2)).status, 404);
    assert.equal((await get(`/learn-items/${id}/lessons`, secretary2)).status, 404);
    const art = (await post('/learn/items', secretary, { orgId: branchId, kind: 'article', title: '一篇百科' })).body
      .id;
    assert.equal((await add({ kind: 'text', title: '百科的课时' }, secretary, art)).body.error.code, 'NOT_A_COURSE');

    const audio = await add({ kind: 'audio', title: '第二课：听讲解', minutes: 3, fileId: mp3.body.id });
    assert.equal(audio.status, 201, audio.raw);
    assert.equal(audio.body.position, 2);
    assert.equal(audio.body.file.mime, 'audio/mpeg');
    const video = (await add({ kind: 'video', title: '第三课：看视频', minutes: 4, fileId: mp4.body.id })).body as L;
    const doc = (await add({ kind: 'pdf', title: '第四课：读文件', minutes: 2, fileId: pdf.body.id })).body as L;
    assert.equal(doc.position, 4);
    assert.equal(
      (await get(`/learn-items/${id}`, member)).body.minutes,
      5 + 3 + 4 + 2,
      "the course's length is its lessons'",
    );

    // The member plays the audio in ranges.
    const r = await t.request({
      method: 'GET',
      url: `/api/v1/learn-items/${id}/files/${mp3.body.id}`,
      token: member,
      headers: { range: 'bytes=0-2' },
    });
    assert.equal(r.status, 206);
    assert.equal(r.raw, 'ID3');

    // Order: every live lesson once, or a Chinese 422.
    const ids = ((await lessons(id, secretary)).items as L[]).map((l) => l.id);
    const wrong = await put(`/learn-items/${id}/lessons/order`, secretary, { lessonIds: ids.slice(1) });
    assert.equal(wrong.status, 422);
    assert.match(wrong.body.error.message, /全部 4 个未停用的课时/);
    const ordered = await put(`/learn-items/${id}/lessons/order`, secretary, { lessonIds: [...ids].reverse() });
    assert.equal(ordered.status, 200, ordered.raw);
    assert.deepEqual(
      (ordered.body.items as L[]).map((l) => l.id),
      [...ids].reverse(),
    );
    assert.equal((await put(`/learn-items/${id}/lessons/order`, member, { lessonIds: ids })).status, 403);

    // Edit and retire: the member no longer sees a retired lesson; the keepers do, last, marked.
    const edited = await patch(`/learn-items/${id}/lessons/${video.id}`, secretary, {
      title: '第三课：看视频（修订）',
      minutes: 6,
    });
    assert.equal(edited.status, 200, edited.raw);
    assert.equal(edited.body.title, '第三课：看视频（修订）');
    assert.equal(
      (await patch(`/learn-items/${id}/lessons/${video.id}`, secretary, { fileId: pdf.body.id })).body.error.code,
      'LESSON_FILE_KIND',
    );
    assert.equal((await patch(`/learn-items/${id}/lessons/${video.id}`, member, { retired: true })).status, 403);
    assert.equal(
      (await patch(`/learn-items/${id}/lessons/${video.id}`, secretary, { retired: true })).body.retired,
      true,
    );
    const seen = (await lessons(id, member, '&includeRetired=true')).items as L[];
    assert.equal(seen.length, 3, 'a member never sees retired lessons');
    assert.ok(!seen.some((l) => l.id === video.id));
    const kept = (await lessons(id, secretary, '&includeRetired=true')).items as L[];
    assert.equal(kept.length, 4);
    assert.deepEqual([kept.at(-1)!.id, kept.at(-1)!.retired], [video.id, true]);
    assert.equal(
      (await get(`/learn-items/${id}`, member)).body.minutes,
      5 + 3 + 2,
      'a retired lesson is off the length',
    );
    const audits = await queryRows<{ action: string }>(
      t.services.db,
      sql`select action from audit_log where entity_id = ${id} and action like 'learn.lesson.%'`,
    );
    assert.equal(audits.length, 3 + 1 + 2, 'each add, the order and each edit are audited');
  });

  let twoLessons: string;
  let lessonIds: string[];
  it('credits each lesson by the clock and completes the course, with its points once, when every lesson is', async () => {
    twoLessons = await course('课时测试：两课时的必修课');
    const mp3 = (await upload(twoLessons, 'audio', MP3, '第二课.mp3')).body;
    assert.equal(
      (
        await post(`/learn-items/${twoLessons}/lessons`, secretary, {
          kind: 'audio',
          title: '第二课：音频',
          minutes: 1,
          fileId: mp3.id,
        })
      ).status,
      201,
    );
    lessonIds = ((await lessons(twoLessons, member)).items as L[]).map((l) => l.id);
    assert.equal(lessonIds.length, 2);
    const beat = (lesson: string, seconds: number, position?: number) =>
      post(`/learn-items/${twoLessons}/lessons/${lesson}/progress`, member, { seconds, position });

    // Lesson 1 (1 minute: complete at 48 s). A forged hour earns only the time that passed.
    assert.equal((await beat(lessonIds[0]!, 0)).status, 200);
    const at = now().getTime();
    later(10_000);
    const forged = await beat(lessonIds[0]!, 3600, 50); // lesson 1 is text: read half way down
    assert.equal(forged.status, 200, forged.raw);
    assert.match(forged.body.note, /实际经过的时间/);
    assert.equal(forged.body.completed, false);
    let list = (await lessons(twoLessons, member)).items as L[];
    const credited = (
      await queryRows<{ s: number }>(
        t.services.db,
        sql`select seconds as s from learn_lesson_record where lesson_id = ${lessonIds[0]!}`,
      )
    )[0]!.s;
    assert.ok(
      credited >= 10 && credited <= Math.ceil((now().getTime() - at) / 1000) + 1,
      `a claim of an hour credited ${credited}s`,
    );
    assert.ok(list[0]!.progress! > 0 && list[0]!.progress! < 100);
    later(40_000);
    // The time is there, but the text was not read to its end: not counted until it is.
    const unread = await beat(lessonIds[0]!, 40);
    assert.deepEqual([unread.body.completed, unread.body.readTo], [false, 50], unread.raw);
    const one = await beat(lessonIds[0]!, 0, 100);
    assert.equal(one.body.completed, true, one.raw);
    assert.deepEqual(
      [one.body.course.lessons, one.body.course.done, one.body.course.completed, one.body.points],
      [2, 1, false, 0],
    );
    assert.equal(one.body.course.progress, 50);
    const item = (await get(`/learn-items/${twoLessons}`, member)).body;
    assert.deepEqual([item.progress, item.completed], [50, false], "the course's own record follows its lessons");

    // Lesson 2 through the course's own heartbeat: it goes to the first lesson not completed.
    assert.equal((await post(`/learn-items/${twoLessons}/progress`, member, { seconds: 0 })).status, 200);
    later(50_000);
    const done = await post(`/learn-items/${twoLessons}/progress`, member, { seconds: 50 });
    assert.deepEqual([done.body.progress, done.body.completed, done.body.points], [100, true, 2], done.raw);
    list = (await lessons(twoLessons, member)).items as L[];
    assert.ok(list.every((l) => l.completed));
    // More heartbeats earn no second award.
    later(30_000);
    assert.equal((await beat(lessonIds[1]!, 30)).body.points, 0);
    const [pts] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from learn_point where ref_id = ${twoLessons}`,
    );
    assert.equal(pts!.n, 1, 'the course earns its points once');
    // The completion view reads the course's record.
    const c = await get(`/learn-items/${twoLessons}/completion`, secretary);
    assert.equal(c.status, 200, c.raw);
    assert.equal(c.body.total.completed, 1);
    const mine = (
      (await get('/learn/me/records?pageSize=100', member)).body.items as {
        itemId: string;
        completedAt: string | null;
      }[]
    ).find((r) => r.itemId === twoLessons);
    assert.ok(mine?.completedAt, 'in my records as learned');
  });

  it('counts a text lesson read only once scrolled to its end and read for the time its length needs', async () => {
    // 3,000 characters (spaces not counted): at 600 a minute, 300 s at least (TEXT_READ_RULE).
    const body = Array.from(
      { length: 100 },
      (_, i) => `第${String(i).padStart(3, '0')}段：党员要按时参加组织生活，认真学习党章和党内法规。`,
    ).join('\n');
    assert.equal([...body.replace(/\s+/g, '')].length, 3000);
    const id = await course('课时测试：图文读到末尾', 10);
    const [text] = (await lessons(id, member)).items as (L & { readTo: number | null; readSeconds: number })[];
    assert.equal((await patch(`/learn-items/${id}/lessons/${text!.id}`, secretary, { body })).status, 200);
    const read = (position: number | undefined, seconds: number, token = member) =>
      post(
        `/learn-items/${id}/lessons/${text!.id}/progress`,
        token,
        position === undefined ? { seconds } : { seconds, position },
      );

    // Opened a second ago and posting 100 %: kept as the furthest position, not counted — the reply says why.
    const eager = await read(100, 0);
    assert.equal(eager.status, 200, eager.raw);
    assert.deepEqual([eager.body.completed, eager.body.readTo, eager.body.points], [false, 100, 0]);
    assert.match(eager.body.note, /已读到末尾；按字数至少要读 300 秒，还差 300 秒/);
    // The furthest position is kept: scrolling back up does not lower it; past 100 % is a Chinese 400.
    assert.equal((await read(40, 0)).body.readTo, 100);
    const over = await read(101, 0);
    assert.equal(over.status, 400);
    // 100 s later: still short of the reading time.
    later(100_000);
    const early = await read(undefined, 100);
    assert.equal(early.body.completed, false);
    assert.match(early.body.note, /还差 200 秒/);
    let mine = ((await lessons(id, member)).items as (L & { readTo: number; readSeconds: number })[])[0]!;
    assert.deepEqual([mine.readTo, mine.readSeconds, mine.completed], [100, 300, false]);
    assert.ok(mine.progress! > 0 && mine.progress! < 100, `progress ${mine.progress}`);
    // A forged claim of an hour earns only what passed.
    later(150_000);
    assert.equal((await read(100, 3600)).body.completed, false, 'only 250 s credited');
    later(60_000);
    const done = await read(100, 60);
    assert.deepEqual([done.body.completed, done.body.course.completed, done.body.points], [true, true, 2], done.raw);
    // The course's completion follows as for any lesson: the points once, the audit, the completion view.
    later(30_000);
    assert.equal((await read(100, 30)).body.points, 0);
    const [pts] = await queryRows<{ n: number }>(
      t.services.db,
      sql`select count(*)::int as n from learn_point where ref_id = ${id}`,
    );
    assert.equal(pts!.n, 1);
    assert.equal((await get(`/learn-items/${id}/completion`, secretary)).body.total.completed, 1);

    // Another member reads for 6 minutes but stops at 60 %: not read; progress no more than how far they read.
    assert.equal((await read(0, 0, member2)).status, 200);
    later(360_000);
    const half = await read(60, 360, member2);
    assert.deepEqual([half.body.completed, half.body.readTo, half.body.note], [false, 60, null], half.raw);
    assert.ok(half.body.progress <= 60);
    mine = ((await lessons(id, member2)).items as (L & { readTo: number; readSeconds: number })[])[0]!;
    assert.deepEqual([mine.readTo, mine.completed], [60, false]);
    // The course's own heartbeat (older pages) carries the position to its text lesson: now at the end, read.
    const end = await post(`/learn-items/${id}/progress`, member2, { seconds: 0, position: 100 });
    assert.deepEqual([end.body.completed, end.body.progress], [true, 100], end.raw);
    const kept = await queryRows<{ read_to: number }>(
      t.services.db,
      sql`select read_to from learn_lesson_record where lesson_id = ${text!.id} order by read_to`,
    );
    assert.deepEqual(
      kept.map((k) => k.read_to),
      [100, 100],
    );
    // How far they read is theirs: in the copy of their personal data.
    const copy = JSON.parse((await post('/me/personal-data', member2)).raw);
    assert.deepEqual(
      (copy.learning.lessons as { course: string; readTo: number | null }[])
        .filter((l) => l.course === '课时测试：图文读到末尾')
        .map((l) => l.readTo),
      [100],
    );
  });

  it("lets a member reach no other member's lesson progress", async () => {
    // 陈志远 completed both lessons; the other member sees only their own (none).
    const theirs = await lessons(twoLessons, member2);
    assert.ok(
      (theirs.items as L[]).every((l) => l.progress === null && !l.completed),
      JSON.stringify(theirs),
    );
    assert.deepEqual([theirs.course.done, theirs.course.completed], [0, false]);
    // No route names another learner: a body naming one is refused, and their records stay as they were.
    const before = await queryRows<{ s: number }>(
      t.services.db,
      sql`select seconds as s from learn_lesson_record where lesson_id = ${lessonIds[0]!} order by user_id`,
    );
    const forged = await post(`/learn-items/${twoLessons}/lessons/${lessonIds[0]!}/progress`, member2, {
      seconds: 30,
      userId: memberId,
    });
    assert.equal(forged.status, 400);
    assert.equal(
      (await post(`/learn-items/${twoLessons}/lessons/${lessonIds[0]!}/progress`, member2, { seconds: 0 })).status,
      200,
    );
    const own = await queryRows<{ s: number }>(
      t.services.db,
      sql`select r.seconds as s from learn_lesson_record r join member m on m.user_id = r.user_id where r.lesson_id = ${lessonIds[0]!} and m.id = ${memberId}`,
    );
    assert.ok(
      before.some((b) => b.s === own[0]!.s),
      "陈志远's record is untouched",
    );
    // Nor their learning through the member's page, which the secretary reads (lessons included) and they do in their copy.
    assert.equal((await get(`/members/${memberId}/learning`, member2)).status, 403);
    const learning = await get(`/members/${memberId}/learning`, secretary);
    assert.ok(
      (learning.body.lessons as { course: string; completedAt: string | null }[]).some(
        (l) => l.course === '课时测试：两课时的必修课' && l.completedAt,
      ),
    );
    const copy = JSON.parse((await post('/me/personal-data', member)).raw);
    assert.equal(
      (copy.learning.lessons as { course: string }[]).filter((l) => l.course === '课时测试：两课时的必修课').length,
      2,
    );
  });

  it('completes the course for those who did every other lesson when the last one left is retired', async () => {
    // The other member completes lesson 1 only; the keepers retire lesson 2.
    later(60_000);
    const r = await post(`/learn-items/${twoLessons}/lessons/${lessonIds[0]!}/progress`, member2, {
      seconds: 60,
      position: 100,
    });
    assert.equal(r.body.completed, true, r.raw);
    assert.equal(r.body.course.completed, false);
    assert.equal(
      (await patch(`/learn-items/${twoLessons}/lessons/${lessonIds[1]!}`, secretary, { retired: true })).status,
      200,
    );
    assert.equal((await get(`/learn-items/${twoLessons}`, member2)).body.completed, true);
    assert.equal((await get(`/learn-items/${twoLessons}/completion`, secretary)).body.total.completed, 2);
    // A retired lesson takes no more heartbeats.
    assert.equal(
      (await post(`/learn-items/${twoLessons}/lessons/${lessonIds[1]!}/progress`, member2, { seconds: 0 })).status,
      404,
    );
  });
});
