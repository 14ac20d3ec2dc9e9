/**
 * 支部在线: authors edit or withdraw their own thread or reply within VOICE_RULES.editMinutes; an edit
 * shows 「已编辑」 and the audit log keeps the text before and after; a withdrawn reply's text is gone for
 * members and kept for moderators; another member is refused (403), another branch reaches nothing
 * (404), the window's end, a hidden or withdrawn post and bad input are refused in Chinese.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { nowMs, setClock, VOICE_RULES } from '@xianfeng/shared';
import { api, multipartFile, startTestApp, type TestApp, signIn } from '../../testing/harness';
import { download, memberAccounts } from './test-helpers';

describe('支部在线: editing and withdrawing one’s own posts', () => {
  let t: TestApp;
  const { get, post, put } = api(() => t);
  let admin: string, shuji: string, shuji2: string, dangyuan: string, branch: string;
  let voter: { token: string; name: string };
  const shift = (ms: number) => setClock(new Date(nowMs() + ms));
  let threadId: string, postId: string;

  before(async () => {
    t = await startTestApp();
    [admin, shuji, shuji2, dangyuan] = await signIn(t, 'admin', 'shuji', 'shuji2', 'dangyuan');
    branch = await t.orgId('第一发电厂党支部');
    voter = (await memberAccounts(t, '第一发电厂党支部', 'editor', ['编辑人甲']))[0]!;
  });
  after(() => t.close());

  it('lets the author correct a reply within the window: 「已编辑」, the audit log keeps before and after', async () => {
    assert.equal(VOICE_RULES.editMinutes.value, 30);
    const made = await post('/voice/threads', dangyuan, {
      orgId: branch,
      title: '党课心得',
      body: '今天的党课很有收获。',
    });
    assert.equal(made.status, 201, made.raw);
    threadId = made.body.id;
    assert.ok(made.body.editableUntil, 'the author is told until when they may edit');
    const replied = await post(`/voice-threads/${threadId}/posts`, voter.token, {
      body: '我也有同感，尤其是第二部份。',
    });
    assert.equal(replied.status, 200, replied.raw);
    const mine = replied.body.posts.at(-1);
    postId = mine.id;
    assert.equal(mine.edited, false);
    assert.ok(mine.editableUntil, 'own reply: editable');
    assert.equal(
      (await get(`/voice-threads/${threadId}`, dangyuan)).body.posts.at(-1).editableUntil,
      null,
      'not someone else’s',
    );

    const edited = await put(`/voice-posts/${postId}`, voter.token, { body: '我也有同感，尤其是第二部分。' });
    assert.equal(edited.status, 200, edited.raw);
    const seen = (await get(`/voice-threads/${threadId}`, dangyuan)).body.posts.at(-1);
    assert.equal(seen.body, '我也有同感，尤其是第二部分。');
    assert.equal(seen.edited, true, 'the branch sees 「已编辑」');
    assert.ok(seen.editedAt);
    const same = await put(`/voice-posts/${postId}`, voter.token, { body: '我也有同感，尤其是第二部分。' });
    assert.equal(same.status, 422);
    assert.match(same.body.error.message, /内容没有变化/);

    const audit = (await get(`/audit?pageSize=50&q=${postId}`, admin)).body.items.filter(
      (e: { action: string }) => e.action === 'voice.post.edit',
    );
    assert.equal(audit.length, 1, 'one audit entry for the edit');
    assert.equal(audit[0].before.body, '我也有同感，尤其是第二部份。');
    assert.equal(audit[0].after.body, '我也有同感，尤其是第二部分。');

    const thread = await put(`/voice-threads/${threadId}`, dangyuan, {
      title: '党课心得交流',
      body: '今天的党课很有收获，欢迎交流。',
    });
    assert.equal(thread.status, 200, thread.raw);
    assert.equal(thread.body.title, '党课心得交流');
    assert.equal(thread.body.edited, true);
  });

  it('refuses another member (403), another branch (404) and bad input (400) in Chinese', async () => {
    assert.ok(postId, 'needs the reply of the previous test');
    const other = await put(`/voice-posts/${postId}`, dangyuan, { body: '改别人的回复' });
    assert.equal(other.status, 403);
    assert.match(other.body.error.message, /只能修改或撤回自己发的回复/);
    assert.equal((await post(`/voice-posts/${postId}/withdraw`, dangyuan)).status, 403);
    assert.equal(
      (await put(`/voice-threads/${threadId}`, voter.token, { title: '改别人的话题', body: '改' })).status,
      403,
    );
    // The branch's secretary moderates (hides with a reason) but does not rewrite a member's words.
    assert.equal((await put(`/voice-posts/${postId}`, shuji, { body: '书记改写' })).status, 403);
    assert.equal((await put(`/voice-posts/${postId}`, shuji2, { body: '别的支部' })).status, 404);
    assert.equal((await post(`/voice-threads/${threadId}/withdraw`, shuji2)).status, 404);
    const empty = await put(`/voice-posts/${postId}`, voter.token, { body: '' });
    assert.equal(empty.status, 400);
    assert.match(JSON.stringify(empty.body.error), /内容/);
    const extra = await put(`/voice-posts/${postId}`, voter.token, { body: '好', mentions: [] });
    assert.equal(extra.status, 400, 'mentions are not changed by an edit');
    const shortTitle = await put(`/voice-threads/${threadId}`, dangyuan, { title: '短', body: '正文' });
    assert.equal(shortTitle.status, 400);
    assert.match(JSON.stringify(shortTitle.body.error), /标题/);
  });

  it('withdraws a reply: members see that it was withdrawn, the moderator still reads it; nothing more after', async () => {
    const w = await post(`/voice-posts/${postId}/withdraw`, voter.token);
    assert.equal(w.status, 200, w.raw);
    const member = (await get(`/voice-threads/${threadId}`, dangyuan)).body.posts.at(-1);
    assert.equal(member.body, '（该回复已由作者撤回）');
    assert.equal(member.withdrawn, true);
    const mod = (await get(`/voice-threads/${threadId}`, shuji)).body.posts.at(-1);
    assert.equal(mod.body, '我也有同感，尤其是第二部分。', 'the moderator keeps the record');
    const again = await put(`/voice-posts/${postId}`, voter.token, { body: '撤回后再改' });
    assert.equal(again.status, 409);
    assert.match(again.body.error.message, /已撤回/);
    const audit = (await get(`/audit?pageSize=50&q=${postId}`, admin)).body.items.filter(
      (e: { action: string }) => e.action === 'voice.post.withdraw',
    );
    assert.equal(audit.length, 1);
    assert.equal(audit[0].before.body, '我也有同感，尤其是第二部分。');
  });

  it('ends the window after 30 minutes, and refuses a hidden reply', async () => {
    const r1 = await post(`/voice-threads/${threadId}/posts`, voter.token, { body: '第二条回复。' });
    const late = r1.body.posts.at(-1).id as string;
    const r2 = await post(`/voice-threads/${threadId}/posts`, voter.token, { body: '第三条回复。' });
    const hidden = r2.body.posts.at(-1).id as string;
    assert.equal(
      (await post(`/voice-posts/${hidden}/moderate`, shuji, { hidden: true, reason: '含个人信息' })).status,
      200,
    );
    const h = await put(`/voice-posts/${hidden}`, voter.token, { body: '改隐藏的' });
    assert.equal(h.status, 409);
    assert.match(h.body.error.message, /已被管理员隐藏/);
    shift(29 * 60_000);
    try {
      assert.equal(
        (await put(`/voice-posts/${late}`, voter.token, { body: '第二条回复（29 分钟时改）。' })).status,
        200,
        'still inside',
      );
      shift(2 * 60_000);
      const out = await put(`/voice-posts/${late}`, voter.token, { body: '第二条回复（31 分钟时改）。' });
      assert.equal(out.status, 409);
      assert.match(out.body.error.message, /发出已超过 30 分钟，不能再修改或撤回/);
      assert.equal((await post(`/voice-posts/${late}/withdraw`, voter.token)).status, 409);
      assert.equal(
        (await get(`/voice-threads/${threadId}`, voter.token)).body.posts.find((p: { id: string }) => p.id === late)
          .editableUntil,
        null,
      );
      assert.equal(
        (await put(`/voice-threads/${threadId}`, dangyuan, { title: '党课心得交流二', body: '超时' })).status,
        409,
      );
    } finally {
      shift(-31 * 60_000);
    }
  });

  it('withdraws a thread: its title and text are gone for members, and nobody replies to it', async () => {
    const made = await post('/voice/threads', voter.token, {
      orgId: branch,
      title: '发错的话题',
      body: '发错了。',
    });
    const file = multipartFile(
      Buffer.from(
        '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4280000000049454e44ae426082',
        'hex',
      ),
      '发错.png',
    );
    const up = await t.request({
      method: 'POST',
      url: `/api/v1/voice-threads/${made.body.id}/attachments`,
      token: voter.token,
      body: file.body,
      headers: file.headers,
    });
    assert.equal(up.status, 201, up.raw);
    const w = await post(`/voice-threads/${made.body.id}/withdraw`, voter.token);
    assert.equal(w.status, 200, w.raw);
    const seen = await get(`/voice-threads/${made.body.id}`, dangyuan);
    assert.equal(seen.body.title, '（该话题已由作者撤回）');
    assert.equal(seen.body.body, '');
    const listed = await get(`/voice/threads?orgId=${branch}`, dangyuan);
    assert.ok(!listed.raw.includes('发错的话题'), 'the list does not show the withdrawn title');
    assert.deepEqual(seen.body.attachments, [], 'its files are not listed');
    assert.equal(
      (await download(t, `/api/v1/voice-attachments/${up.body.id}`, dangyuan)).status,
      404,
      'nor fetched by id',
    );
    assert.equal(
      (await download(t, `/api/v1/voice-attachments/${up.body.id}`, shuji)).status,
      200,
      'the moderator keeps them',
    );
    const reply = await post(`/voice-threads/${made.body.id}/posts`, dangyuan, { body: '还能回复吗' });
    assert.equal(reply.status, 409);
    assert.match(reply.body.error.message, /已由作者撤回/);
  });
});
