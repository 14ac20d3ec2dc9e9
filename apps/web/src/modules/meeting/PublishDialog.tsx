/**
 * 发布通知 (and 按计划发起): the secretary sees who the meeting's kind invites — 支委会 the current
 * committee, 党小组会 the group, 党员大会 / 党课 / 主题党日 the whole branch with its groups — and
 * may add or leave out people, each with a reason, before the notice goes out. From the yearly
 * plan the date and place come filled in and can be changed in the same step.
 */
import { UserAddOutlined } from '@ant-design/icons';
import type { InviteesReply, Invitee, Member } from '@xianfeng/shared';
import { Alert, App as AntApp, Button, Checkbox, Input, Modal, Select, Spin, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { api, errorText, fieldProblems, type Page } from '../../platform/api';
import { MinutePicker } from '../../platform/MinutePicker';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import { KindTag, type Meeting } from './labels';
import { useSubmit } from '../../platform/useSubmit';

type Row = Invitee & { inDefault: boolean };

export function PublishDialog({
  m,
  open,
  onClose,
  schedule = false,
}: {
  m: Meeting;
  open: boolean;
  onClose: (saved?: Meeting) => void;
  /** 按计划发起: also show the planned date and place, to confirm or change them. */
  schedule?: boolean;
}) {
  const { message } = AntApp.useApp();
  const data = useAsync(
    () => (open ? api.get<InviteesReply>(`/meetings/${m.id}/invitees`) : Promise.resolve(undefined)),
    [m.id, open],
  );
  const d = data.data;
  const [extra, setExtra] = useState<Invitee[]>([]);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [missing, setMissing] = useState<Set<string>>(new Set());
  const { busy, error, setError, run } = useSubmit();
  const [start, setStart] = useState<Dayjs>(dayjs(m.startsAt));
  const [end, setEnd] = useState<Dayjs>(dayjs(m.endsAt));
  const [location, setLocation] = useState(m.location);

  // A fresh start each time the dialog opens: the default list, or who is invited now after a notice.
  useEffect(() => {
    if (!d) return;
    const leftOut = new Set(d.changes.filter((c) => c.change === 'removed').map((c) => c.memberId));
    const start = m.status === 'planned' ? d.defaults.map((x) => x.memberId).filter((x) => !leftOut.has(x)) : [];
    setChosen(new Set([...start, ...d.invited.map((i) => i.memberId)]));
    setReasons(Object.fromEntries(d.changes.map((c) => [c.memberId, c.reason])));
    setExtra([]);
    setMissing(new Set());
    setError(null);
    setStart(dayjs(m.startsAt));
    setEnd(dayjs(m.endsAt));
    setLocation(m.location);
  }, [d]);

  const rows = useMemo<Row[]>(() => {
    if (!d) return [];
    const inDefault = new Set(d.defaults.map((x) => x.memberId));
    const seen = new Set<string>();
    const out: Row[] = [];
    for (const p of [...d.defaults, ...d.invited, ...extra])
      if (!seen.has(p.memberId)) {
        seen.add(p.memberId);
        out.push({ ...p, inDefault: inDefault.has(p.memberId) });
      }
    return out;
  }, [d, extra]);
  const differs = (r: Row) => chosen.has(r.memberId) !== r.inDefault;
  const count = rows.filter((r) => chosen.has(r.memberId)).length;

  const toggle = (id: string, on: boolean) =>
    setChosen((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const publish = async () => {
    const need = rows.filter((r) => differs(r) && (reasons[r.memberId]?.trim().length ?? 0) < 2).map((r) => r.memberId);
    setMissing(new Set(need));
    if (need.length) {
      setError('增加或不通知的人员，请写明原因（至少 2 个字）');
      return;
    }
    if (count === 0) {
      setError('通知名单不能为空，请勾选或添加参会人员');
      return;
    }
    await run(
      async () => {
        if (
          schedule &&
          (!start.isSame(dayjs(m.startsAt)) || !end.isSame(dayjs(m.endsAt)) || location.trim() !== m.location)
        )
          await api.patch<Meeting>(`/meetings/${m.id}`, {
            startsAt: start.second(0).millisecond(0).format(),
            endsAt: end.second(0).millisecond(0).format(),
            location: location.trim(),
          });
        const memberIds = rows.filter((r) => chosen.has(r.memberId)).map((r) => r.memberId);
        const saved = await api.post<Meeting>(`/meetings/${m.id}/publish`, {
          memberIds,
          reasons: Object.fromEntries(rows.filter(differs).map((r) => [r.memberId, reasons[r.memberId]!.trim()])),
        });
        message.success(`通知已发布，共通知 ${saved.counts.invited} 人`);
        onClose(saved);
      },
      {
        onError: (e) => {
          const ids = fieldProblems(e).flatMap((p) =>
            'memberId' in p ? [String((p as { memberId: string }).memberId)] : [],
          );
          if (ids.length) setMissing(new Set(ids));
          setError(errorText(e));
        },
      },
    );
  };

  return (
    <Modal
      title={
        <span>
          {schedule ? '按计划发起' : m.status === 'planned' ? '发布会议通知' : '补发通知'} <KindTag kind={m.kind} />
        </span>
      }
      open={open}
      onCancel={() => onClose()}
      width={760}
      destroyOnHidden
      className="xf-publish"
      footer={[
        <Button key="cancel" onClick={() => onClose()}>
          取消
        </Button>,
        <Button key="ok" type="primary" loading={busy} disabled={!d} onClick={() => void publish()}>
          发布通知（{count} 人）
        </Button>,
      ]}
    >
      <Typography.Paragraph strong className="xf-wrap" style={{ marginBottom: 4 }}>
        {m.title}
      </Typography.Paragraph>
      {schedule && (
        <div className="xf-publish-schedule">
          <label>
            <span>开始时间</span>
            <MinutePicker
              aria-label="开始时间"
              value={start}
              allowClear={false}
              onChange={(v) => {
                if (!v) return;
                setEnd(v.add(end.diff(start, 'minute'), 'minute'));
                setStart(v);
              }}
            />
          </label>
          <label>
            <span>结束时间</span>
            <MinutePicker aria-label="结束时间" value={end} allowClear={false} onChange={(v) => v && setEnd(v)} />
          </label>
          <label className="xf-publish-place">
            <span>地点</span>
            <Input aria-label="地点" value={location} maxLength={200} onChange={(e) => setLocation(e.target.value)} />
          </label>
        </div>
      )}
      <LoadError error={data.error} onRetry={data.reload} />
      {!d && !data.error && <Spin />}
      {d && (
        <>
          <Alert
            type="info"
            showIcon
            className="xf-publish-rule"
            message={d.rule}
            description={<span className="xf-hint">依据：{d.citation}</span>}
          />
          {d.notes.map((n) => (
            <Alert key={n} type="warning" showIcon message={n} className="xf-publish-note" />
          ))}
          <div className="xf-publish-head">
            <span>
              通知名单：<strong>{count}</strong> 人{rows.length > count ? `（不通知 ${rows.length - count} 人）` : ''}
            </span>
            <AddPerson
              orgId={m.orgId}
              onPick={(p) => {
                if (!rows.some((r) => r.memberId === p.memberId)) setExtra((x) => [...x, p]);
                toggle(p.memberId, true);
              }}
            />
          </div>
          <div className="xf-publish-list" role="list" aria-label="通知名单">
            {rows.length === 0 && (
              <Typography.Text type="secondary">名单为空，请用「添加人员」加入参会人员</Typography.Text>
            )}
            {rows.map((r) => {
              const on = chosen.has(r.memberId);
              return (
                <div
                  key={r.memberId}
                  role="listitem"
                  className={`xf-publish-row${on ? '' : ' xf-off'}`}
                  data-member={r.name}
                >
                  <Checkbox
                    checked={on}
                    onChange={(e) => toggle(r.memberId, e.target.checked)}
                    aria-label={`通知${r.name}`}
                  >
                    <span className="xf-publish-name">{r.name}</span>
                  </Checkbox>
                  <span className="xf-publish-why">
                    {r.inDefault ? <Tag>{r.why}</Tag> : <Tag color="blue">手动添加</Tag>}
                    {r.orgName && r.why !== r.orgName && <span className="xf-hint">{r.orgName}</span>}
                  </span>
                  {differs(r) && (
                    <Input
                      size="small"
                      className="xf-publish-reason"
                      status={missing.has(r.memberId) ? 'error' : undefined}
                      aria-label={on ? `增加${r.name}的原因` : `不通知${r.name}的原因`}
                      placeholder={on ? '增加的原因，如：列席汇报工作' : '不通知的原因，如：外出培训'}
                      maxLength={200}
                      value={reasons[r.memberId] ?? ''}
                      onChange={(e) => setReasons((x) => ({ ...x, [r.memberId]: e.target.value }))}
                    />
                  )}
                </div>
              );
            })}
          </div>
          {error && <Alert type="error" showIcon message={error} style={{ marginTop: 12 }} />}
        </>
      )}
    </Modal>
  );
}

/** Finds a member of the meeting's org (name or pinyin initials) to add to the list. */
function AddPerson({ orgId, onPick }: { orgId: string; onPick: (p: Invitee) => void }) {
  const [q, setQ] = useState('');
  const [options, setOptions] = useState<Member[]>([]);
  useEffect(() => {
    if (!q.trim()) {
      setOptions([]);
      return;
    }
    let alive = true;
    const timer = setTimeout(() => {
      void api
        .get<Page<Member>>('/members', { orgId, q: q.trim(), pageSize: 20 })
        .then((r) => alive && setOptions(r.items))
        .catch(() => alive && setOptions([]));
    }, 200);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [q, orgId]);
  return (
    <Select
      showSearch
      className="xf-publish-add"
      value={null}
      placeholder={
        <span>
          <UserAddOutlined /> 添加人员（姓名或拼音首字母）
        </span>
      }
      aria-label="添加人员"
      filterOption={false}
      searchValue={q}
      onSearch={setQ}
      notFoundContent={q.trim() ? '没有找到' : '输入姓名查找本组织党员'}
      options={options.map((p) => ({ value: p.id, label: `${p.name}（${p.orgName}）` }))}
      onChange={(id: string) => {
        const p = options.find((o) => o.id === id);
        setQ('');
        if (p)
          onPick({
            memberId: p.id,
            name: p.name,
            orgId: p.orgId,
            orgName: p.orgName,
            status: p.status,
            why: '手动添加',
          });
      }}
    />
  );
}
