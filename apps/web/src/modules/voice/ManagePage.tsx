/**
 * 互动管理 (desktop): one page with the handling queue of 意见建议, surveys and 测评, votes, the
 * employees' one-time codes (printable slips and the org's public link), and the org's settings
 * (how anonymous identities are kept, the answer period).
 */
import { MessageOutlined, PlusOutlined, PrinterOutlined, UploadOutlined } from '@ant-design/icons';
import {
  ANONYMITY_LABELS,
  ANONYMITY_MODES,
  SURVEY_KIND_LABELS,
  VOTE_KIND_LABELS,
  VOTE_KINDS,
  VOTE_VISIBILITIES,
  VOTE_VISIBILITY_LABELS,
  type AnonymityMode,
  type CodeBatch,
  type CodePurpose,
  type Survey,
  type Vote,
  type VoiceSettings,
  type VoteKind,
} from '@xianfeng/shared';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Tabs,
  Typography,
  Upload,
  type UploadFile,
} from 'antd';
import { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useUrlParams } from '../../platform/useUrlParams';
import { api, errorText, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { FormDialog, useAfterSave } from '../../platform/FormDialog';
import { LoadError } from '../../platform/LoadError';
import { PagedTable } from '../../platform/PagedTable';
import { ORG_ADMINS, RECORD_KEEPERS } from '@xianfeng/shared';
import { useAsync } from '../../platform/useAsync';
import { usePaging } from '../../platform/usePaging';
import { OrgFilter } from '../org/OrgPicker';
import { fmtDay, fmtTime, StateTag } from './labels';
import { OpinionsTab } from './OpinionsTab';
import { PublishClose, SurveysTab } from './SurveyPages';
import { firstWindow, RoundAudienceFields, RoundOrgField } from './RoundFields';
import { useSubmit } from '../../platform/useSubmit';

type VForm = {
  orgId: string;
  kind: VoteKind;
  title: string;
  description?: string;
  maxChoices: number;
  audienceRoles: string[];
  visibility: string;
  window: [Dayjs, Dayjs];
  candidates: { name: string; summary?: string; body?: string; photo?: UploadFile[] }[];
};

function NewVoteDialog({ open, onClose }: { open: boolean; onClose: (made: boolean) => void }) {
  const { current } = useAuth();
  const { message } = AntApp.useApp();
  return (
    <FormDialog<VForm>
      title="新建投票"
      open={open}
      width={720}
      onClose={() => onClose(false)}
      okText="保存草稿"
      initialValues={{
        orgId: current?.orgId,
        kind: 'highlight',
        maxChoices: 1,
        audienceRoles: ['member'],
        visibility: 'after_close',
        window: firstWindow(),
        candidates: [{ name: '' }, { name: '' }, { name: '' }],
      }}
      onSubmit={async (v) => {
        const made = await api.post<Vote>('/voice/votes', {
          orgId: v.orgId,
          kind: v.kind,
          title: v.title,
          description: v.description ?? '',
          maxChoices: v.maxChoices,
          audienceRoles: v.audienceRoles,
          visibility: v.visibility,
          opensAt: v.window[0].toISOString(),
          closesAt: v.window[1].toISOString(),
          candidates: v.candidates.map((c) => ({ name: c.name, summary: c.summary ?? '', body: c.body ?? '' })),
        });
        // The photos go to the candidates just made (same order); a refused one can be redone on the draft's page.
        const failed: string[] = [];
        for (const [i, c] of v.candidates.entries()) {
          const file = c.photo?.[0]?.originFileObj;
          const id = made.candidates[i]?.id;
          if (!file || !id) continue;
          const fd = new FormData();
          fd.append('file', file);
          try {
            await api.post(`/voice-candidates/${id}/photo`, fd);
          } catch (e) {
            failed.push(`${c.name}：${errorText(e)}`);
          }
        }
        if (failed.length) message.error(`投票已保存，但以下照片未上传（可在投票页重新上传）：${failed.join('；')}`);
        onClose(true);
      }}
    >
      <RoundOrgField round="vote" />
      <Space wrap>
        <Form.Item name="kind" label="类型">
          <Select style={{ width: 150 }} options={VOTE_KINDS.map((k) => ({ value: k, label: VOTE_KIND_LABELS[k] }))} />
        </Form.Item>
        <Form.Item name="maxChoices" label="每人最多选">
          <InputNumber min={1} max={50} addonAfter="项" />
        </Form.Item>
        <Form.Item name="visibility" label="结果公布">
          <Select
            style={{ width: 200 }}
            options={VOTE_VISIBILITIES.map((x) => ({ value: x, label: VOTE_VISIBILITY_LABELS[x] }))}
          />
        </Form.Item>
      </Space>
      <Form.Item name="title" label="标题" rules={[{ required: true, message: '请填写标题' }]}>
        <Input maxLength={80} />
      </Form.Item>
      <Form.Item name="description" label="说明">
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={2000} />
      </Form.Item>
      <RoundAudienceFields round="vote" />
      <Form.List name="candidates">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f, i) => (
              <Space key={f.key} align="start" wrap className="xf-voice-candidate-row">
                <Form.Item
                  name={[f.name, 'name']}
                  label={`候选 ${i + 1}`}
                  rules={[{ required: true, message: '请填写名称' }]}
                >
                  <Input maxLength={60} placeholder="名称" />
                </Form.Item>
                <Form.Item name={[f.name, 'summary']} label="简介">
                  <Input maxLength={200} placeholder="一句话简介" />
                </Form.Item>
                <Form.Item name={[f.name, 'body']} label="介绍">
                  <Input.TextArea maxLength={5000} autoSize={{ minRows: 1, maxRows: 4 }} placeholder="事迹或项目介绍" />
                </Form.Item>
                <Form.Item
                  name={[f.name, 'photo']}
                  label="照片"
                  valuePropName="fileList"
                  getValueFromEvent={(e: { fileList: UploadFile[] }) => e.fileList.slice(-1)}
                >
                  <Upload
                    accept="image/jpeg,image/png,image/gif,image/webp"
                    maxCount={1}
                    beforeUpload={() => false}
                    listType="text"
                  >
                    <Button icon={<UploadOutlined />} aria-label={`候选 ${i + 1} 照片`}>
                      选择
                    </Button>
                  </Upload>
                </Form.Item>
                {fields.length > 2 && (
                  <Button type="link" danger onClick={() => remove(f.name)} style={{ marginTop: 30 }}>
                    删除
                  </Button>
                )}
              </Space>
            ))}
            <Button icon={<PlusOutlined />} onClick={() => add({ name: '' })}>
              添加候选
            </Button>
          </>
        )}
      </Form.List>
    </FormDialog>
  );
}

function VotesTab({ orgId }: { orgId: string | undefined }) {
  const navigate = useNavigate();
  const { can } = useAuth();
  const afterSave = useAfterSave();
  const { page, pageSize, pagination } = usePaging('项');
  const list = useAsync(() => api.get<Page<Vote>>('/voice/votes', { orgId, page, pageSize }), [orgId, page, pageSize]);
  const [creating, setCreating] = useState(false);
  return (
    <>
      {can(...RECORD_KEEPERS) && (
        <div className="xf-toolbar">
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            新建投票
          </Button>
        </div>
      )}
      <PagedTable<Vote>
        size="middle"
        list={list}
        pagination={pagination}
        scroll={{ x: 900 }}
        locale={{ emptyText: '还没有投票' }}
        columns={[
          { title: '标题', dataIndex: 'title', render: (t: string, v) => `【${VOTE_KIND_LABELS[v.kind]}】${t}` },
          { title: '党组织', dataIndex: 'orgName', width: 170 },
          { title: '状态', width: 90, render: (_: unknown, v) => <StateTag s={v.state} /> },
          { title: '时间', width: 200, render: (_: unknown, v) => `${fmtDay(v.opensAt)} — ${fmtDay(v.closesAt)}` },
          { title: '候选', width: 60, render: (_: unknown, v) => v.candidates.length },
          { title: '已投', dataIndex: 'ballots', width: 60 },
          {
            title: '操作',
            width: 200,
            render: (_: unknown, v) => (
              <Space size={4} wrap>
                {can(...RECORD_KEEPERS) && (
                  <PublishClose path={`/voice-votes/${v.id}`} state={v.state} onDone={list.reload} />
                )}
                <Button size="small" onClick={() => navigate(`/voice/votes/${v.id}`)}>
                  {v.state === 'ended' ? '结果' : '查看'}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <NewVoteDialog
        open={creating}
        onClose={afterSave(() => setCreating(false), '已保存为草稿，发布后即可投票', list.reload)}
      />
    </>
  );
}

type Made = { batch: CodeBatch; codes: string[]; link: string; slips: { code: string; qr: string }[] };

function CodesTab({ orgId }: { orgId: string | undefined }) {
  const { can, current } = useAuth();
  const { page, pageSize, pagination } = usePaging('批');
  const list = useAsync(
    () => api.get<Page<CodeBatch>>('/voice/code-batches', { orgId, page, pageSize }),
    [orgId, page, pageSize],
  );
  const link = useAsync(() => api.get<{ url: string; dataUrl: string }>('/voice/public-link', { orgId }), [orgId]);
  const surveys = useAsync(() => api.get<Page<Survey>>('/voice/surveys', { orgId, pageSize: 100 }), [orgId]);
  const [made, setMade] = useState<Made | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<{
    purpose: CodePurpose;
    surveyId?: string;
    count: number;
    validDays: number;
    note?: string;
  }>();
  const purpose = Form.useWatch('purpose', form);
  const open = (surveys.data?.items ?? []).filter((s) => s.allowCodes && s.state !== 'ended' && s.state !== 'draft');
  if (made)
    return (
      <div className="xf-voice-slips-page">
        <Space className="xf-noprint" style={{ marginBottom: 12 }}>
          <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>
            打印参与码
          </Button>
          <Button onClick={() => setMade(null)}>完成</Button>
        </Space>
        <Alert
          className="xf-noprint"
          type="warning"
          showIcon
          message="参与码只显示这一次，平台只保存其摘要。请立即打印或保存，裁成纸条发放。"
          style={{ marginBottom: 12 }}
        />
        <div className="xf-voice-slips" data-testid="slips">
          {made.slips.map((s) => (
            <div key={s.code} className="xf-voice-slip">
              <img src={s.qr} alt={`参与码 ${s.code} 的二维码`} width={96} height={96} />
              <div>
                <div className="xf-voice-slip-org">{made.batch.orgName}</div>
                <div>{made.batch.purpose === 'survey' ? `问卷：${made.batch.surveyTitle}` : '意见建议'}</div>
                <div className="xf-voice-code">{s.code}</div>
                <div className="xf-voice-slip-hint">
                  扫码或打开 {made.link} 输入参与码；一次有效，{made.batch.validUntil.slice(0, 10)} 前使用
                </div>
              </div>
            </div>
          ))}
        </div>
      </div>
    );
  return (
    <>
      {link.data && (
        <Card size="small" className="xf-voice-link">
          <Space align="start" wrap>
            <img src={link.data.dataUrl} alt="职工参与链接二维码" width={120} height={120} />
            <div>
              <Typography.Text strong>职工参与链接</Typography.Text>
              <Typography.Paragraph copyable>{link.data.url}</Typography.Paragraph>
              <Typography.Text type="secondary">
                可张贴在宣传栏。非党员职工扫码后凭参与码提交意见建议或参加测评，每个参与码只能用一次。
              </Typography.Text>
            </div>
          </Space>
        </Card>
      )}
      {can(...RECORD_KEEPERS) && (
        <Form
          form={form}
          layout="inline"
          className="xf-voice-codeform"
          initialValues={{ purpose: 'opinion', count: 20, validDays: 30 }}
          onFinish={async (v) => {
            setError(null);
            try {
              setMade(
                await api.post<Made>('/voice/code-batches', {
                  orgId: orgId ?? current?.orgId,
                  ...v,
                  note: v.note ?? '',
                }),
              );
              void list.reload();
            } catch (e) {
              setError(errorText(e));
            }
          }}
        >
          <Form.Item name="purpose" label="用途">
            <Radio.Group
              options={[
                { value: 'opinion', label: '意见建议' },
                { value: 'survey', label: '问卷测评' },
              ]}
            />
          </Form.Item>
          {purpose === 'survey' && (
            <Form.Item name="surveyId" label="问卷" rules={[{ required: true, message: '请选择问卷' }]}>
              <Select
                style={{ width: 240 }}
                placeholder="开放职工参与的问卷"
                options={open.map((s) => ({ value: s.id, label: `${SURVEY_KIND_LABELS[s.kind]}：${s.title}` }))}
              />
            </Form.Item>
          )}
          <Form.Item name="count" label="数量">
            <InputNumber min={1} max={500} />
          </Form.Item>
          <Form.Item name="validDays" label="有效天数">
            <InputNumber min={1} max={365} />
          </Form.Item>
          <Form.Item name="note" label="备注">
            <Input maxLength={100} placeholder="如：运行部职工" />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            生成参与码
          </Button>
        </Form>
      )}
      {error && <Alert type="error" showIcon message={error} style={{ margin: '12px 0' }} />}
      <PagedTable<CodeBatch>
        size="middle"
        list={list}
        pagination={pagination}
        scroll={{ x: 800 }}
        style={{ marginTop: 12 }}
        columns={[
          { title: '生成时间', dataIndex: 'createdAt', width: 150, render: fmtTime },
          { title: '党组织', dataIndex: 'orgName', width: 170 },
          {
            title: '用途',
            render: (_: unknown, b) => (b.purpose === 'survey' ? `问卷：${b.surveyTitle ?? ''}` : '意见建议'),
          },
          { title: '已用 / 总数', width: 110, render: (_: unknown, b) => `${b.used} / ${b.count}` },
          { title: '有效期至', dataIndex: 'validUntil', width: 110, render: (v: string) => v.slice(0, 10) },
          { title: '备注', dataIndex: 'note' },
          { title: '生成人', dataIndex: 'createdBy', width: 100 },
        ]}
      />
    </>
  );
}

function SettingsTab({ orgId }: { orgId: string | undefined }) {
  const { can, current } = useAuth();
  const { message } = AntApp.useApp();
  const s = useAsync(() => api.get<VoiceSettings>('/voice/settings', { orgId }), [orgId]);
  const { busy, run } = useSubmit('toast');
  const [anonymity, setAnonymity] = useState<AnonymityMode>();
  const [days, setDays] = useState<number | null>(null);
  if (s.error) return <LoadError error={s.error} onRetry={s.reload} />;
  if (!s.data) return null;
  const a = anonymity ?? s.data.anonymity;
  return (
    <div className="xf-voice-form">
      {s.data.inheritedFrom && (
        <Alert type="info" showIcon message={`当前沿用：${s.data.inheritedFrom}`} style={{ marginBottom: 12 }} />
      )}
      <Typography.Title level={5}>匿名意见建议的身份保存方式</Typography.Title>
      <Radio.Group
        value={a}
        onChange={(e) => setAnonymity(e.target.value as AnonymityMode)}
        disabled={!can(...ORG_ADMINS)}
      >
        <Space direction="vertical">
          {ANONYMITY_MODES.map((m) => (
            <Radio key={m} value={m}>
              {ANONYMITY_LABELS[m]}
            </Radio>
          ))}
        </Space>
      </Radio.Group>
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        答复期限
      </Typography.Title>
      <InputNumber
        aria-label="答复期限"
        min={1}
        max={90}
        value={days ?? s.data.answerDays}
        onChange={(v) => setDays(v)}
        addonAfter="天"
        disabled={!can(...ORG_ADMINS)}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        依据：{s.data.citation}
      </Typography.Paragraph>
      {can(...ORG_ADMINS) && (
        <Button
          type="primary"
          loading={busy}
          onClick={() =>
            run(async () => {
              s.setData(
                await api.put<VoiceSettings>('/voice/settings', {
                  orgId: orgId ?? current?.orgId,
                  anonymity: a,
                  answerDays: days ?? s.data!.answerDays,
                }),
              );
              message.success('已保存');
            })
          }
        >
          保存设置
        </Button>
      )}
    </div>
  );
}

export function ManagePage() {
  const [params, set] = useUrlParams();
  const { current } = useAuth();
  const tab = params.get('tab') ?? 'opinions';
  const orgId = params.get('org') ?? current?.orgId;
  return (
    <Card
      className="xf-voice-page"
      title={
        <span>
          <MessageOutlined /> 互动管理
        </span>
      }
    >
      <div className="xf-toolbar">
        <OrgFilter value={orgId} onPick={(org) => set({ org })} />
      </div>
      <Tabs
        activeKey={tab}
        onChange={(k) => set({ tab: k })}
        destroyOnHidden
        items={[
          { key: 'opinions', label: '意见建议', children: <OpinionsTab orgId={orgId} /> },
          { key: 'surveys', label: '问卷测评', children: <SurveysTab orgId={orgId} /> },
          { key: 'votes', label: '投票', children: <VotesTab orgId={orgId} /> },
          { key: 'codes', label: '职工参与码', children: <CodesTab orgId={orgId} /> },
          { key: 'settings', label: '设置', children: <SettingsTab orgId={orgId} /> },
        ]}
      />
    </Card>
  );
}
