/**
 * 撰写/修改文章: a block editor (paragraph, heading, list, image, link) over the shared ArticleDoc — no HTML
 * anywhere. A new article is saved as a draft first; images (cover, body) are uploaded to the saved draft.
 */
import {
  ARTICLE_KIND_LABELS,
  now,
  type ArticleDetail,
  type ArticleDoc,
  type ArticleKind,
  type Block,
  type ChannelView,
  type Inline,
  type MediaFile,
} from '@xianfeng/shared';
import { App, Button, Card, Checkbox, Form, Input, Select, Space, Switch, Typography, Upload } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api, type Page } from '../../platform/api';
import { MinutePicker } from '../../platform/MinutePicker';
import { useAuth } from '../../platform/auth';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import { MemberSelect } from '../member/MemberSelect';
import { ArticleBody } from './ArticleBody';
import './media.css';
import { uploadRequest, useSubmit } from '../../platform/useSubmit';

type Marks = { bold: boolean; italic: boolean };
type EBlock =
  | ({ kind: 'paragraph'; text: string } & Marks)
  | ({ kind: 'heading'; text: string; level: 2 | 3 } & Marks)
  | { kind: 'list'; text: string; ordered: boolean }
  | { kind: 'image'; fileId: string | null; caption: string }
  | { kind: 'link'; text: string; href: string }
  /** A paragraph of mixed runs written through the API: kept as it is (shown, movable, removable). */
  | { kind: 'raw'; block: Block };

const KIND_LABELS: Record<EBlock['kind'], string> = {
  paragraph: '段落',
  heading: '小标题',
  list: '列表',
  image: '图片',
  link: '链接',
  raw: '段落（含格式）',
};

const marksOf = (m: Marks): Inline['marks'] => {
  const out: ('bold' | 'italic')[] = [];
  if (m.bold) out.push('bold');
  if (m.italic) out.push('italic');
  return out.length ? out : undefined;
};
const hasMark = (x: Inline | undefined, m: 'bold' | 'italic') => Boolean(x?.marks?.includes(m));

export function toDoc(blocks: EBlock[]): ArticleDoc {
  const out: Block[] = [];
  for (const b of blocks) {
    if (b.kind === 'paragraph' && b.text.trim())
      out.push({ type: 'paragraph', content: [{ type: 'text', text: b.text, marks: marksOf(b) }] });
    if (b.kind === 'heading' && b.text.trim())
      out.push({ type: 'heading', level: b.level, content: [{ type: 'text', text: b.text, marks: marksOf(b) }] });
    if (b.kind === 'list') {
      const items = b.text
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean);
      if (items.length)
        out.push({ type: 'list', ordered: b.ordered, items: items.map((text) => [{ type: 'text', text }]) });
    }
    if (b.kind === 'image' && b.fileId)
      out.push({ type: 'image', fileId: b.fileId, ...(b.caption.trim() ? { caption: b.caption.trim() } : {}) });
    if (b.kind === 'link' && b.href.trim())
      out.push({
        type: 'paragraph',
        content: [{ type: 'link', text: b.text.trim() || b.href.trim(), href: b.href.trim() }],
      });
    if (b.kind === 'raw') out.push(b.block);
  }
  return { version: 1, blocks: out };
}

function fromDoc(doc: ArticleDoc): EBlock[] {
  return doc.blocks.map((b): EBlock => {
    const single = (xs: Inline[]) => xs.length <= 1 && xs.every((x) => x.type === 'text');
    if (b.type === 'paragraph' && b.content.length === 1 && b.content[0]!.type === 'link')
      return { kind: 'link', text: b.content[0]!.text, href: b.content[0]!.href };
    if (b.type === 'paragraph' && single(b.content))
      return {
        kind: 'paragraph',
        text: b.content[0]?.text ?? '',
        bold: hasMark(b.content[0], 'bold'),
        italic: hasMark(b.content[0], 'italic'),
      };
    if (b.type === 'heading' && single(b.content))
      return {
        kind: 'heading',
        level: b.level,
        text: b.content[0]?.text ?? '',
        bold: hasMark(b.content[0], 'bold'),
        italic: hasMark(b.content[0], 'italic'),
      };
    if (b.type === 'list' && b.items.every(single))
      return { kind: 'list', ordered: b.ordered, text: b.items.map((i) => i[0]?.text ?? '').join('\n') };
    if (b.type === 'image') return { kind: 'image', fileId: b.fileId, caption: b.caption ?? '' };
    return { kind: 'raw', block: b };
  });
}

const fresh = (kind: EBlock['kind']): EBlock =>
  kind === 'heading'
    ? { kind, text: '', level: 2, bold: false, italic: false }
    : kind === 'list'
      ? { kind, text: '', ordered: false }
      : kind === 'image'
        ? { kind, fileId: null, caption: '' }
        : kind === 'link'
          ? { kind, text: '', href: 'https://' }
          : { kind: 'paragraph', text: '', bold: false, italic: false };

/** A member a 典型/先锋岗 story is about, as the editor holds it. */
type Honoree = { memberId: string; name: string; post: string };

/** 典型人物: members of the writing org's roll, chosen by name; a 先锋岗 gives each one's post. */
function Honorees({
  orgId,
  kind,
  value,
  onChange,
  disabled,
}: {
  orgId: string;
  kind: ArticleKind;
  value: Honoree[];
  onChange: (v: Honoree[]) => void;
  disabled: boolean;
}) {
  return (
    <Form.Item
      label={kind === 'pioneer' ? '先锋岗党员及岗位' : '典型人物（党员）'}
      required
      extra="从本组织党员中选择；只显示姓名、所在组织和岗位，不显示其他个人信息。"
    >
      {value.map((h, i) => (
        <Space.Compact key={h.memberId} style={{ width: '100%', marginBottom: 8 }} className="xf-honoree-row">
          <Input readOnly value={h.name} style={{ maxWidth: 160 }} aria-label={`典型人物 ${i + 1}`} />
          {kind === 'pioneer' && (
            <Input
              aria-label={`岗位名称 ${i + 1}`}
              placeholder="岗位名称，如：检修班安全生产党员先锋岗"
              maxLength={50}
              value={h.post}
              disabled={disabled}
              onChange={(e) => onChange(value.map((x, j) => (j === i ? { ...x, post: e.target.value } : x)))}
            />
          )}
          <Button danger disabled={disabled} onClick={() => onChange(value.filter((_, j) => j !== i))}>
            移除
          </Button>
        </Space.Compact>
      ))}
      <MemberSelect
        orgId={orgId}
        id="honoree-pick"
        value={null}
        placeholder="输入姓名搜索党员，选中即添加"
        onPick={(m) => {
          if (!disabled && !value.some((h) => h.memberId === m.id))
            onChange([...value, { memberId: m.id, name: m.name, post: '' }]);
        }}
      />
    </Form.Item>
  );
}

type Meta = {
  channel: string;
  title: string;
  summary: string;
  byline: string;
  isPublic: boolean;
  pinned: boolean;
  mustRead: boolean;
  coverFileId: string | null;
  publishAt: string | null;
};

export function EditorPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { current } = useAuth();
  const orgId = current?.orgId ?? '';
  const existing = useAsync(() => (id ? api.get<ArticleDetail>(`/media-articles/${id}`) : Promise.resolve(null)), [id]);
  const channels = useAsync(
    () => api.get<Page<ChannelView>>('/media/channels', { orgId: existing.data?.orgId ?? orgId, pageSize: 200 }),
    [existing.data?.orgId, orgId],
  );
  const [meta, setMeta] = useState<Meta>({
    channel: '基层动态',
    title: '',
    summary: '',
    byline: '',
    isPublic: false,
    pinned: false,
    mustRead: false,
    coverFileId: null,
    publishAt: null,
  });
  const [blocks, setBlocks] = useState<EBlock[]>([fresh('paragraph')]);
  const [params] = useSearchParams();
  const asked = params.get('kind');
  const kind: ArticleKind = existing.data?.kind ?? (asked === 'story' || asked === 'pioneer' ? asked : 'news');
  const [honorees, setHonorees] = useState<Honoree[]>([]);
  const { busy, run } = useSubmit('toast');
  /** Image uploads, apart from saving: the clicked upload button spins (its key). */
  const uploading = useSubmit('toast');
  const [preview, setPreview] = useState(false);

  useEffect(() => {
    const a = existing.data;
    if (!a) return;
    setMeta({
      channel: a.channel,
      title: a.title,
      summary: a.summary,
      byline: a.byline,
      isPublic: a.isPublic,
      pinned: a.pinned,
      mustRead: a.mustRead,
      coverFileId: a.coverFileId,
      publishAt: a.publishAt,
    });
    setBlocks(fromDoc(a.body));
    setHonorees(a.honorees.map((h) => ({ memberId: h.memberId, name: h.name, post: h.post })));
  }, [existing.data]);

  const set = (i: number, b: EBlock) => setBlocks((xs) => xs.map((x, j) => (j === i ? b : x)));
  const move = (i: number, d: -1 | 1) =>
    setBlocks((xs) => {
      const j = i + d;
      if (j < 0 || j >= xs.length) return xs;
      const c = [...xs];
      [c[i], c[j]] = [c[j]!, c[i]!];
      return c;
    });
  const fileUrl = (fileId: string) => `/api/v1/media-articles/${id}/files/${fileId}`;

  async function save(then?: 'submit') {
    await run(async () => {
      const story = kind === 'story' || kind === 'pioneer';
      const body = {
        ...meta,
        body: toDoc(blocks),
        ...(story && { honorees: honorees.map((h) => ({ memberId: h.memberId, post: h.post })) }),
      };
      const a = id
        ? await api.patch<ArticleDetail>(`/media-articles/${id}`, body)
        : await api.post<ArticleDetail>('/media/articles', { ...body, orgId, kind });
      if (then === 'submit') {
        await api.post(`/media-articles/${a.id}/submit`);
        void message.success('已提交审核');
        navigate(`/media/articles/${a.id}`);
      } else {
        void message.success('草稿已保存');
        if (!id) navigate(`/media/edit/${a.id}`, { replace: true });
        else void existing.reload();
      }
    });
  }

  const upload = (key: string, onDone: (f: MediaFile) => void) => ({
    accept: 'image/png,image/jpeg,image/gif,image/webp',
    showUploadList: false,
    disabled: !id,
    customRequest: uploadRequest(
      uploading.run,
      async (fd) => {
        onDone(await api.post<MediaFile>(`/media-articles/${id}/files`, fd));
        void message.success('图片已上传');
      },
      { key },
    ),
  });

  const editable = !existing.data || existing.data.status === 'draft' || existing.data.status === 'rejected';
  return (
    <div className="xf-article">
      <Typography.Title level={3}>
        {id ? '修改' : '撰写'}
        {kind === 'news' ? '文章' : ARTICLE_KIND_LABELS[kind]}
      </Typography.Title>
      <LoadError error={existing.error ?? channels.error} onRetry={existing.reload} />
      {existing.data?.status === 'rejected' && (
        <Typography.Paragraph type="danger">退回理由：{existing.data.rejectReason}</Typography.Paragraph>
      )}
      {!editable && (
        <Typography.Paragraph type="warning">该文章正在审核或已发布，不能修改内容（可先撤回）。</Typography.Paragraph>
      )}
      <Card size="small">
        <Form layout="vertical" disabled={!editable}>
          <Form.Item label="标题" required>
            <Input
              value={meta.title}
              maxLength={100}
              onChange={(e) => setMeta({ ...meta, title: e.target.value })}
              placeholder="文章标题"
            />
          </Form.Item>
          {(kind === 'story' || kind === 'pioneer') && (
            <Honorees
              orgId={existing.data?.orgId ?? orgId}
              kind={kind}
              value={honorees}
              onChange={setHonorees}
              disabled={!editable}
            />
          )}
          <Space wrap>
            <Form.Item label="栏目" hidden={kind !== 'news'}>
              <Select
                style={{ minWidth: 160 }}
                value={meta.channel}
                onChange={(v) => setMeta({ ...meta, channel: v })}
                options={(channels.data?.items ?? []).map((c) => ({ value: c.name, label: c.name }))}
              />
            </Form.Item>
            <Form.Item label="署名（门户上显示）">
              <Input
                value={meta.byline}
                maxLength={50}
                onChange={(e) => setMeta({ ...meta, byline: e.target.value })}
                placeholder="默认为本组织名称"
              />
            </Form.Item>
          </Space>
          <Form.Item label="摘要">
            <Input.TextArea
              value={meta.summary}
              maxLength={300}
              autoSize={{ minRows: 2 }}
              onChange={(e) => setMeta({ ...meta, summary: e.target.value })}
            />
          </Form.Item>
          <Space wrap size="large" style={{ marginBottom: 12 }}>
            <span>
              <Switch
                aria-label="在门户公开"
                checked={meta.isPublic}
                onChange={(v) => setMeta({ ...meta, isPublic: v })}
              />{' '}
              在门户公开
            </span>
            <span>
              <Switch aria-label="置顶" checked={meta.pinned} onChange={(v) => setMeta({ ...meta, pinned: v })} /> 置顶
            </span>
            <span>
              <Switch aria-label="必读" checked={meta.mustRead} onChange={(v) => setMeta({ ...meta, mustRead: v })} />{' '}
              必读（本组织及下级党员）
            </span>
          </Space>
          <Form.Item label="定时发布（可选）" extra="审核通过后到此时间才对党员显示并发出通知；不选则审核通过即发布。">
            <MinutePicker
              aria-label="定时发布时间"
              placeholder="审核通过即发布"
              disabledDate={(d) => d.endOf('day').isBefore(dayjs(now()))}
              value={meta.publishAt ? dayjs(meta.publishAt) : null}
              onChange={(d) => setMeta({ ...meta, publishAt: d ? d.second(0).millisecond(0).format() : null })}
            />
          </Form.Item>
          <Form.Item label="封面图片（可选）">
            <Space wrap>
              {meta.coverFileId && id && <img src={fileUrl(meta.coverFileId)} alt="封面" className="xf-news-cover" />}
              <Upload {...upload('cover', (f) => setMeta((m) => ({ ...m, coverFileId: f.id })))}>
                <Button disabled={!id || !editable} loading={uploading.busyKey === 'cover'}>
                  {meta.coverFileId ? '更换封面' : '上传封面'}
                </Button>
              </Upload>
              {meta.coverFileId && <Button onClick={() => setMeta({ ...meta, coverFileId: null })}>去掉封面</Button>}
              {!id && <Typography.Text type="secondary">先保存草稿，再上传图片</Typography.Text>}
            </Space>
          </Form.Item>
        </Form>
      </Card>

      <Typography.Title level={5} style={{ marginTop: 16 }}>
        正文
      </Typography.Title>
      {blocks.map((b, i) => (
        <div className="xf-block" key={i} data-testid={`block-${i}`}>
          <div className="xf-block-head">
            <strong>{KIND_LABELS[b.kind]}</strong>
            {(b.kind === 'paragraph' || b.kind === 'heading') && (
              <>
                <Checkbox
                  checked={b.bold}
                  disabled={!editable}
                  onChange={(e) => set(i, { ...b, bold: e.target.checked })}
                >
                  加粗
                </Checkbox>
                <Checkbox
                  checked={b.italic}
                  disabled={!editable}
                  onChange={(e) => set(i, { ...b, italic: e.target.checked })}
                >
                  斜体
                </Checkbox>
              </>
            )}
            {b.kind === 'heading' && (
              <Select
                size="small"
                value={b.level}
                disabled={!editable}
                onChange={(v) => set(i, { ...b, level: v })}
                options={[
                  { value: 2, label: '一级小标题' },
                  { value: 3, label: '二级小标题' },
                ]}
              />
            )}
            {b.kind === 'list' && (
              <Checkbox
                checked={b.ordered}
                disabled={!editable}
                onChange={(e) => set(i, { ...b, ordered: e.target.checked })}
              >
                编号
              </Checkbox>
            )}
            <span style={{ flex: 1 }} />
            <Button size="small" disabled={!editable} onClick={() => move(i, -1)} aria-label="上移">
              ↑
            </Button>
            <Button size="small" disabled={!editable} onClick={() => move(i, 1)} aria-label="下移">
              ↓
            </Button>
            <Button
              size="small"
              danger
              disabled={!editable}
              onClick={() => setBlocks((xs) => xs.filter((_, j) => j !== i))}
            >
              删除
            </Button>
          </div>
          {(b.kind === 'paragraph' || b.kind === 'heading') && (
            <Input.TextArea
              aria-label={`${KIND_LABELS[b.kind]} ${i + 1}`}
              value={b.text}
              disabled={!editable}
              autoSize={{ minRows: b.kind === 'heading' ? 1 : 3 }}
              onChange={(e) => set(i, { ...b, text: e.target.value })}
            />
          )}
          {b.kind === 'list' && (
            <Input.TextArea
              aria-label={`列表 ${i + 1}`}
              placeholder="每行一项"
              value={b.text}
              disabled={!editable}
              autoSize={{ minRows: 3 }}
              onChange={(e) => set(i, { ...b, text: e.target.value })}
            />
          )}
          {b.kind === 'link' && (
            <Space.Compact style={{ width: '100%' }}>
              <Input
                aria-label={`链接文字 ${i + 1}`}
                placeholder="链接文字"
                value={b.text}
                disabled={!editable}
                onChange={(e) => set(i, { ...b, text: e.target.value })}
              />
              <Input
                aria-label={`链接地址 ${i + 1}`}
                placeholder="https://…"
                value={b.href}
                disabled={!editable}
                onChange={(e) => set(i, { ...b, href: e.target.value })}
              />
            </Space.Compact>
          )}
          {b.kind === 'image' && (
            <Space wrap>
              {b.fileId && id && <img src={fileUrl(b.fileId)} alt={b.caption} className="xf-news-cover" />}
              <Upload {...upload(`block-${i}`, (f) => set(i, { ...b, fileId: f.id }))}>
                <Button disabled={!id || !editable} loading={uploading.busyKey === `block-${i}`}>
                  {b.fileId ? '更换图片' : '上传图片'}
                </Button>
              </Upload>
              <Input
                placeholder="图片说明"
                value={b.caption}
                disabled={!editable}
                onChange={(e) => set(i, { ...b, caption: e.target.value })}
              />
              {!id && <Typography.Text type="secondary">先保存草稿，再上传图片</Typography.Text>}
            </Space>
          )}
          {b.kind === 'raw' && <ArticleBody doc={{ version: 1, blocks: [b.block] }} fileUrl={fileUrl} />}
        </div>
      ))}
      <div className="xf-block-tools">
        {(['paragraph', 'heading', 'list', 'image', 'link'] as const).map((k) => (
          <Button key={k} disabled={!editable} onClick={() => setBlocks((xs) => [...xs, fresh(k)])}>
            + {KIND_LABELS[k]}
          </Button>
        ))}
      </div>
      <Space wrap>
        <Button onClick={() => setPreview((p) => !p)}>{preview ? '收起预览' : '预览'}</Button>
        <Button loading={busy} disabled={!editable || !orgId} onClick={() => void save()}>
          保存草稿
        </Button>
        <Button type="primary" loading={busy} disabled={!editable || !orgId} onClick={() => void save('submit')}>
          提交审核
        </Button>
      </Space>
      {preview && (
        <Card size="small" title="预览" style={{ marginTop: 16 }}>
          <h1>{meta.title}</h1>
          <ArticleBody doc={toDoc(blocks)} fileUrl={fileUrl} />
        </Card>
      )}
    </div>
  );
}
