/**
 * Choosing an org from the tree, loaded level by level from the acting binding's org. Used
 * wherever a page needs an org: roster filter, new member, transfer, move, merge.
 */
import { ORG_KIND_LABELS, type Org, type OrgKind } from '@xianfeng/shared';
import { TreeSelect } from 'antd';
import { useEffect, useState } from 'react';
import { api, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';

type Node = { id: string; pId: string | null; value: string; title: string; isLeaf: boolean; disabled: boolean };

export function OrgPicker({
  value,
  onChange,
  rootId,
  selectable,
  exclude,
  placeholder = '请选择组织',
  allowClear,
  style,
  id,
}: {
  value?: string | null;
  onChange?: (id: string | undefined, org?: Org) => void;
  /** Top of the tree; the acting binding's org when not given. */
  rootId?: string;
  /** Which kinds may be chosen (others are shown but greyed out). */
  selectable?: readonly OrgKind[];
  /** An org (and its subtree) that may not be chosen, e.g. the one being moved. */
  exclude?: string;
  placeholder?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
  id?: string;
}) {
  const { current } = useAuth();
  const top = rootId ?? current?.orgId;
  const [nodes, setNodes] = useState<Node[]>([]);
  const [orgs, setOrgs] = useState<Map<string, Org>>(new Map());

  const toNode = (o: Org): Node => ({
    id: o.id,
    pId: o.parentId,
    value: o.id,
    title: `${o.name}（${ORG_KIND_LABELS[o.kind]}）`,
    isLeaf: o.childCount === 0 || o.id === exclude,
    disabled: (selectable ? !selectable.includes(o.kind) : false) || o.id === exclude,
  });
  const remember = (list: Org[]) =>
    setOrgs((m) => {
      const next = new Map(m);
      for (const o of list) next.set(o.id, o);
      return next;
    });

  useEffect(() => {
    if (!top) return;
    let alive = true;
    void api
      .get<Org>(`/orgs/${top}`)
      .then((o) => {
        if (!alive) return;
        remember([o]);
        setNodes([{ ...toNode(o), pId: null }]);
      })
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [top, exclude]);

  // A value outside the loaded part of the tree (e.g. a member's org) still shows its name.
  useEffect(() => {
    if (!value || orgs.has(value)) return;
    void api
      .get<Org>(`/orgs/${value}`)
      .then((o) => {
        remember([o]);
        setNodes((ns) => (ns.some((n) => n.id === o.id) ? ns : [...ns, { ...toNode(o), pId: '__hidden' }]));
      })
      .catch(() => undefined);
  }, [value]);

  return (
    <TreeSelect
      id={id}
      treeDataSimpleMode
      showSearch
      treeNodeFilterProp="title"
      value={value ?? undefined}
      onChange={(v: string | undefined) => onChange?.(v, v ? orgs.get(v) : undefined)}
      treeData={nodes}
      loadData={async ({ id: parentId }) => {
        const page = await api.get<Page<Org>>('/orgs', { parentId: parentId as string, pageSize: 200 });
        remember(page.items);
        setNodes((ns) => [...ns.filter((n) => !page.items.some((o) => o.id === n.id)), ...page.items.map(toNode)]);
      }}
      placeholder={placeholder}
      allowClear={allowClear}
      style={{ width: '100%', ...style }}
      popupMatchSelectWidth={false}
      listHeight={360}
    />
  );
}
