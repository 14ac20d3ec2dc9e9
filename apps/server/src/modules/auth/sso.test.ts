/**
 * Sign-in through 企业微信 / 钉钉 (issue 24): the bindings of external accounts to users.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db';
import { startTestApp, type TestApp } from '../../testing/harness';

describe('sso: WeCom and DingTalk sign-in', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('migration 0059: an external account binds to one user, a user has one binding per provider', async () => {
    const db = t.services.db;
    const [u1, u2] = await queryRows<{ id: string }>(
      db,
      sql`select id from app_user where username in ('dangyuan', 'jijian') order by username`,
    );
    const bind = (userId: string, ext: string) =>
      db.execute(
        sql`insert into sso_binding (tenant_id, user_id, provider, issuer, external_id) values (${t.tenantId}, ${userId}, 'wecom', 'ww1', ${ext})`,
      );
    await bind(u1!.id, 'zhangsan');
    await assert.rejects(bind(u2!.id, 'zhangsan'));
    await assert.rejects(bind(u1!.id, 'lisi'));
    await db.execute(sql`delete from sso_binding`);
  });
});
