/**
 * 决策参考: the branches of an org subtree that need attention now, most serious first; each reason with the page
 * that fixes it and the rule it rests on; what is new (or worse) since the end of the previous month is tagged, and
 * 「新增的在前」 puts those orgs first. 薄弱环节: the reasons ranked by how many orgs they touch, each a filter of the list.
 * The org, order, reason and page are kept in the address (?orgId=&sort=&code=&page=).
 */
import { ReloadOutlined } from '@ant-design/icons';
import { ATTENTION_CODES, type AttentionCode, type AttentionItem, type AttentionList } from '@xianfeng/shared';
import { Button, Card, Checkbox, List, Popover, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useUrlParams } from '../../platform/useUrlParams';
import { api } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import { OrgPicker } from '../org/OrgPicker';

const when = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
const PAGE_SIZE = 20;

function Item({ item, rules }: { item: AttentionItem; rules: AttentionList['rules'] }) {
  const label = (code: string) => rules.find((r) => r.code === code)?.label ?? code;
  return (
    <List.Item data-testid="attention-item">
      <div style={{ width: '100%' }}>
        <Space wrap size={[8, 4]}>
          <Typography.Text strong>{item.orgName}</Typography.Text>
          {item.trail && <Typography.Text type="secondary">{item.trail}</Typography.Text>}
          {item.critical > 0 && <Tag color="red">{item.critical} 项严重</Tag>}
        </Space>
        <ul className="xf-attention-reasons">
          {item.reasons.map((r) => (
            <li key={r.code}>
              <Tag color={r.level === 'critical' ? 'red' : 'orange'}>{label(r.code)}</Tag>
              {r.new ? (
                <Tag color="magenta" data-testid="attention-new">
                  新增
                </Tag>
              ) : (
                r.worse && <Tag color="magenta">加重</Tag>
              )}
              <Link to={r.link}>{r.message}</Link>{' '}
              <Popover
                title="依据"
                content={
                  <div style={{ maxWidth: 360 }}>
                    {r.citation}
                    {!r.confirmed && (
                      <div style={{ marginTop: 4, color: '#595959' }}>（条号据转载文本，未能对照官方原文核实）</div>
                    )}
                  </div>
                }
              >
                <Typography.Link aria-label={`${label(r.code)}的依据`}>依据</Typography.Link>
              </Popover>
            </li>
          ))}
        </ul>
      </div>
    </List.Item>
  );
}

export function AttentionPage() {
  const { current } = useAuth();
  const [params, set] = useUrlParams();
  const orgId = params.get('orgId') ?? current?.orgId ?? '';
  const page = Number(params.get('page') ?? 1);
  const sort = params.get('sort') === 'new' ? 'new' : 'severity';
  const asked = params.get('code');
  const code = ATTENTION_CODES.includes(asked as AttentionCode) ? (asked as AttentionCode) : undefined;
  const r = useAsync(
    () => api.get<AttentionList>('/stats/attention', { orgId, page, pageSize: PAGE_SIZE, sort, code }),
    [orgId, page, sort, code],
  );
  const d = r.data;
  return (
    <div className="xf-dash">
      <Card title="决策参考：需要关注的党组织">
        <Space wrap size={[16, 8]}>
          <span>
            <label htmlFor="xf-attention-org">范围（组织）：</label>
            <OrgPicker
              value={orgId}
              onChange={(id) => id && set({ orgId: id, page: undefined })}
              style={{ minWidth: 220, maxWidth: '100%' }}
              id="xf-attention-org"
            />
          </span>
          <Checkbox
            checked={sort === 'new'}
            onChange={(e) => set({ sort: e.target.checked ? 'new' : undefined, page: undefined })}
          >
            新增的在前
          </Checkbox>
          <Button icon={<ReloadOutlined />} onClick={() => void r.reload()} loading={r.loading}>
            刷新
          </Button>
          {d && (
            <Typography.Text type="secondary" data-testid="attention-summary">
              {d.org.orgName}：{d.total} 个党组织
              {d.code ? `有「${d.rules.find((x) => x.code === d.code)?.label ?? d.code}」问题` : '需要关注'}（{d.today}
              ，计算于 {when(d.computedAt)}）
            </Typography.Text>
          )}
          {d && (
            <Typography.Text type="secondary" data-testid="attention-new-summary">
              与上月末（{d.previous}）相比：{d.newOrgs} 个党组织有新增或加重的问题，新增 {d.newReasons} 项
            </Typography.Text>
          )}
        </Space>
        {d && Object.keys(d.counts).length > 0 && (
          <div style={{ marginTop: 12 }} data-testid="attention-weakest">
            <Typography.Text type="secondary">薄弱环节（涉及的党组织数，点选只看该项）：</Typography.Text>
            <Space wrap size={[8, 8]}>
              <Tag.CheckableTag checked={!code} onChange={() => set({ code: undefined, page: undefined })}>
                全部
              </Tag.CheckableTag>
              {d.rules
                .filter((x) => d.counts[x.code])
                .sort((a, b) => d.counts[b.code]! - d.counts[a.code]!)
                .map((x) => (
                  <Tag.CheckableTag
                    key={x.code}
                    checked={code === x.code}
                    onChange={(on) => set({ code: on ? x.code : undefined, page: undefined })}
                  >
                    {x.label} {d.counts[x.code]}
                  </Tag.CheckableTag>
                ))}
            </Space>
          </div>
        )}
      </Card>
      <LoadError error={r.error} onRetry={r.reload} />
      {!d && !r.error && <Card loading />}
      {d && (
        <Card size="small">
          <List
            dataSource={d.items}
            rowKey="orgId"
            locale={{ emptyText: '暂无需要关注的党组织' }}
            renderItem={(item) => <Item item={item} rules={d.rules} />}
            pagination={
              d.total > PAGE_SIZE
                ? {
                    current: page,
                    pageSize: PAGE_SIZE,
                    total: d.total,
                    showSizeChanger: false,
                    onChange: (p) => set({ page: String(p) }),
                  }
                : false
            }
          />
        </Card>
      )}
      {d && (
        <Card size="small" title="关注规则">
          <ul className="xf-attention-rules">
            {d.rules.map((x) => (
              <li key={x.code}>
                <strong>{x.label}</strong>：{x.text}
                {x.local ? '（本系统口径）' : ''}。依据：{x.citation}
                {!x.confirmed && '（未核实）'}
              </li>
            ))}
          </ul>
        </Card>
      )}
    </div>
  );
}
