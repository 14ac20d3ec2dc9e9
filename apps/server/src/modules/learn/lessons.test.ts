/**
 * 课时 (issue #18): a course is ordered lessons. Courses that existed before lessons (one piece of content per
 * course) become one-lesson courses by migration 0056, and each learner's record of the course becomes their
 * record of that lesson.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { startTestApp, type TestApp } from '../../testing/harness';

describe('learn: lessons of a course', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t.close());

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
    const migration = fs.readFileSync(path.join(import.meta.dirname, '../../../migrations/0057_learn_audience_lessons.sql'), 'utf8');
    const data = migration.slice(migration.indexOf('-- Every existing course')).split('--> statement-breakpoint');
    assert.equal(data.length, 2);
    for (const stmt of data) await db.execute(sql.raw(stmt));

    const courses = await queryRows<{ id: string; lessons: number; first_kind: string; first_file: string | null; title_ok: boolean }>(
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
    const [others] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from learn_lesson l join learn_item i on i.id = l.item_id where i.kind <> 'course'`);
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
});
