/**
 * 党建品牌 of the acting org (one per org): name, slogan, idea, practices, results and photos. The server makes the
 * article body from these fields (shared `brandDoc`), so the preview here, the article page and the portal show
 * the same thing. Saved as a draft, then submitted for review by the org above like any article.
 */
import { brandDoc, type ArticleDetail, type BrandFields, type MediaFile } from '@xianfeng/shared';
import { App, Button, Card, Form, Input, Space, Switch, Typography, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { api } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import { ArticleBody } from './ArticleBody';
import './media.css';
import { uploadRequest, useSubmit } from '../../platform/useSubmit';

const lines = (s: string) =>
  s
    .split('\n')
    .map((x) => x.trim())
    .filter(Boolean);

export function BrandEditorPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { current } = useAuth();
  const existing = useAsync(() => (id ? api.get<ArticleDetail>(`/media-articles/${id}`) : Promise.resolve(null)), [id]);
  const [name, setName] = useState('');
  const [slogan, setSlogan] = useState('');
  const [idea, setIdea] = useState('');
  const [practices, setPractices] = useState('');
  const [results, setResults] = useState('');
  const [photos, setPhotos] = useState<string[]>([]);
  const [isPublic, setIsPublic] = useState(false);
  const { busy, run } = useSubmit('toast');
  const uploading = useSubmit('toast');

  useEffect(() => {
    const a = existing.data;
    if (!a?.brand) return;
    setName(a.title);
    setSlogan(a.brand.slogan);
    setIdea(a.brand.idea);
    setPractices(a.brand.practices.join('\n'));
    setResults(a.brand.results.join('\n'));
    // Merged, not replaced: a photo uploaded while the page was still loading (or before a reload after saving)
    // is not saved yet, and replacing the list would silently drop it.
    const saved = a.brand.photoFileIds;
    setPhotos((xs) => [...saved, ...xs.filter((x) => !saved.includes(x))]);
    setIsPublic(a.isPublic);
  }, [existing.data]);

  const brand: BrandFields = {
    slogan,
    idea,
    practices: lines(practices),
    results: lines(results),
    photoFileIds: photos,
  };
  const editable = !existing.data || existing.data.status === 'draft' || existing.data.status === 'rejected';
  const fileUrl = (f: string) => `/api/v1/media-articles/${id}/files/${f}`;

  async function save(then?: 'submit') {
    await run(async () => {
      const a = id
        ? await api.patch<ArticleDetail>(`/media-articles/${id}`, { title: name, isPublic, brand })
        : await api.post<ArticleDetail>('/media/articles', {
            orgId: current?.orgId,
            kind: 'brand',
            channel: '党建品牌',
            title: name,
            isPublic,
            body: { version: 1, blocks: [] },
            brand,
          });
      if (then === 'submit') {
        await api.post(`/media-articles/${a.id}/submit`);
        void message.success('已提交审核');
        navigate(`/media/articles/${a.id}`);
      } else {
        void message.success('草稿已保存');
        if (!id) navigate(`/media/brand/edit/${a.id}`, { replace: true });
        else void existing.reload();
      }
    });
  }

  return (
    <div className="xf-article">
      <Typography.Title level={3}>{id ? '修改党建品牌' : '创建党建品牌'}</Typography.Title>
      <Typography.Paragraph type="secondary">
        每个党组织一个党建品牌。保存后可上传照片；提交后由上一级党组织审核，发布后在“党建品牌”展示给全集团。
      </Typography.Paragraph>
      <LoadError error={existing.error} onRetry={existing.reload} />
      {existing.data?.status === 'rejected' && (
        <Typography.Paragraph type="danger">退回理由：{existing.data.rejectReason}</Typography.Paragraph>
      )}
      {!editable && (
        <Typography.Paragraph type="warning">品牌正在审核或已发布，不能修改（可先撤回）。</Typography.Paragraph>
      )}
      <Card size="small">
        <Form layout="vertical" disabled={!editable}>
          <Form.Item label="品牌名称" required>
            <Input
              aria-label="品牌名称"
              maxLength={100}
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="如：光耀先锋"
            />
          </Form.Item>
          <Form.Item label="品牌口号" required>
            <Input aria-label="品牌口号" maxLength={50} value={slogan} onChange={(e) => setSlogan(e.target.value)} />
          </Form.Item>
          <Form.Item label="品牌理念" required>
            <Input.TextArea
              aria-label="品牌理念"
              maxLength={1000}
              autoSize={{ minRows: 2 }}
              value={idea}
              onChange={(e) => setIdea(e.target.value)}
            />
          </Form.Item>
          <Form.Item label="主要做法（每行一条）" required>
            <Input.TextArea
              aria-label="主要做法"
              autoSize={{ minRows: 3 }}
              value={practices}
              onChange={(e) => setPractices(e.target.value)}
            />
          </Form.Item>
          <Form.Item label="工作成效（每行一条）">
            <Input.TextArea
              aria-label="工作成效"
              autoSize={{ minRows: 2 }}
              value={results}
              onChange={(e) => setResults(e.target.value)}
            />
          </Form.Item>
          <Form.Item label="照片（最多 12 张）">
            <Space wrap>
              {id &&
                photos.map((f) => (
                  <span key={f} className="xf-brand-photo">
                    <img src={fileUrl(f)} alt="品牌照片" className="xf-news-cover" />
                    <Button size="small" danger onClick={() => setPhotos((xs) => xs.filter((x) => x !== f))}>
                      去掉
                    </Button>
                  </span>
                ))}
              <Upload
                accept="image/png,image/jpeg,image/gif,image/webp"
                showUploadList={false}
                disabled={!id || !editable}
                customRequest={uploadRequest(uploading.run, async (fd) => {
                  const f = await api.post<MediaFile>(`/media-articles/${id}/files`, fd);
                  setPhotos((xs) => [...xs, f.id]);
                  void message.success('照片已上传，保存后生效');
                })}
              >
                <Button disabled={!id || !editable} loading={uploading.busy}>
                  上传照片
                </Button>
              </Upload>
              {!id && <Typography.Text type="secondary">先保存草稿，再上传照片</Typography.Text>}
            </Space>
          </Form.Item>
          <span>
            <Switch aria-label="在门户公开" checked={isPublic} onChange={setIsPublic} /> 在门户公开
          </span>
        </Form>
      </Card>
      <Space wrap style={{ margin: '16px 0' }}>
        <Button loading={busy} disabled={!editable || !current} onClick={() => void save()}>
          保存草稿
        </Button>
        <Button type="primary" loading={busy} disabled={!editable || !current} onClick={() => void save('submit')}>
          提交审核
        </Button>
      </Space>
      {slogan && idea && lines(practices).length > 0 && (
        <Card size="small" title="预览">
          <h1>{name}</h1>
          <ArticleBody doc={brandDoc(brand)} fileUrl={fileUrl} />
        </Card>
      )}
    </div>
  );
}
