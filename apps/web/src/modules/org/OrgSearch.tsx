/**
 * Finding an org by typing, the one way for every org picker and the 组织管理 tree: part of the
 * name (电力) or its pinyin initials (dl, hxdl), within the acting org's subtree, answered by
 * GET /orgs/search as the user types.
 */
import { SearchOutlined } from '@ant-design/icons';
import { ORG_KIND_LABELS, type OrgHit, type OrgKind } from '@xianfeng/shared';
import { AutoComplete, Input } from 'antd';
import { useEffect, useState } from 'react';
import { api, errorText, type Page } from '../../platform/api';

export const ORG_SEARCH_PLACEHOLDER = '输入组织名称或拼音首字母查找';

/** Hits for `text` under `rootId`, fetched a moment after the typing stops; empty text, no hits. */
export function useOrgSearch(rootId: string | undefined, kinds?: readonly OrgKind[]) {
  const [text, setText] = useState('');
  const [hits, setHits] = useState<OrgHit[]>([]);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const kindsKey = kinds?.join(',');
  useEffect(() => {
    const q = text.trim();
    if (!q || !rootId) {
      setHits([]);
      setTotal(0);
      setError(null);
      return;
    }
    let alive = true;
    setLoading(true);
    const timer = setTimeout(() => {
      api
        .get<Page<OrgHit>>('/orgs/search', { q, orgId: rootId, kinds: kindsKey, pageSize: 30 })
        .then((r) => {
          if (!alive) return;
          setHits(r.items);
          setTotal(r.total);
          setError(null);
        })
        .catch((e) => alive && setError(errorText(e)))
        .finally(() => alive && setLoading(false));
    }, 200);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [text, rootId, kindsKey]);
  return { text, setText, hits, total, loading, error };
}

/** One hit as a line: the name, its kind, and where it sits (so two 第一党小组 can be told apart). */
export function OrgHitLabel({ o }: { o: OrgHit }) {
  return (
    <span className="xf-org-hit">
      <span className="xf-org-hit-name">
        {o.name}
        <span className="xf-org-hit-kind">（{ORG_KIND_LABELS[o.kind]}）</span>
      </span>
      {o.trail && <span className="xf-org-hit-trail">{o.trail}</span>}
    </span>
  );
}

/** What the search says when nothing matches or more matched than are shown. */
export function searchNote(s: { text: string; total: number; hits: OrgHit[]; loading: boolean; error: string | null }) {
  if (s.error) return s.error;
  if (!s.text.trim() || s.loading) return null;
  if (s.total === 0) return `没有找到与「${s.text.trim()}」相符的组织`;
  if (s.total > s.hits.length) return `共 ${s.total} 个，只显示前 ${s.hits.length} 个，请输入更多文字`;
  return null;
}

/** A search box above a tree: pick a hit and `onPick` gets its id (the tree then opens down to it). */
export function OrgSearchBox({
  rootId,
  onPick,
  kinds,
}: {
  rootId: string | undefined;
  onPick: (id: string, org: OrgHit) => void;
  kinds?: readonly OrgKind[];
}) {
  const s = useOrgSearch(rootId, kinds);
  const note = searchNote(s);
  return (
    <AutoComplete
      className="xf-org-search"
      value={s.text}
      onChange={(v: string) => s.setText(v)}
      onSelect={(id: string) => {
        const hit = s.hits.find((h) => h.id === id);
        s.setText('');
        if (hit) onPick(id, hit);
      }}
      options={[
        ...s.hits.map((o) => ({ value: o.id, label: <OrgHitLabel o={o} /> })),
        ...(note ? [{ value: '__note', label: note, disabled: true }] : []),
      ]}
      style={{ width: '100%' }}
    >
      <Input allowClear prefix={<SearchOutlined />} placeholder={ORG_SEARCH_PLACEHOLDER} aria-label="查找组织" />
    </AutoComplete>
  );
}
