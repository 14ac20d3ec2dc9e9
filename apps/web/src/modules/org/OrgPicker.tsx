/**
 * Choosing an org from the tree, loaded level by level from the acting binding's org, or by
 * typing part of its name or its pinyin initials (OrgSearch). Used wherever a page needs an org:
 * roster filter, new member, transfer, move, merge, meetings, dues.
 */
import { ORG_KIND_LABELS, type Org, type OrgKind } from '@xianfeng/shared';
import { TreeSelect } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { api, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { OrgHitLabel, searchNote, useOrgSearch } from './OrgSearch';

type Node = {
  id: string;
  pId: string | null;
  value: string;
  title: ReactNode;
  isLeaf: boolean;
  disabled: boolean;
  selectable?: boolean;
};

export function OrgPicker({
  value,
  onChange,
  rootId,
  selectable,
  exclude,
  placeholder = '请选择组织（可输入名称或拼音首字母）',
  allowClear,
  style,
  id,
  'aria-label': ariaLabel,
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
  /** What a screen reader calls it when no form label names it (`id` + a Form.Item label does). */
  'aria-label'?: string;
}) {
  const { current } = useAuth();
  const top = rootId ?? current?.orgId;
  const [nodes, setNodes] = useState<Node[]>([]);
  const [orgs, setOrgs] = useState<Map<string, Org>>(new Map());
  const search = useOrgSearch(top, selectable);
  const searching = search.text.trim() !== '';

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

  // While typing, the list is the server's hits (any depth of the subtree), not the loaded tree.
  const note = searchNote(search);
  const excludedPath = exclude ? orgs.get(exclude)?.path : undefined;
  const hitNodes: Node[] = [
    ...search.hits.map((o) => ({
      id: o.id,
      pId: null,
      value: o.id,
      title: <OrgHitLabel o={o} />,
      isLeaf: true,
      disabled: o.id === exclude || Boolean(excludedPath && o.path.startsWith(excludedPath)),
    })),
    ...(note ? [{ id: '__note', pId: null, value: '__note', title: note, isLeaf: true, disabled: true }] : []),
  ];

  return (
    <TreeSelect
      id={id}
      // Outside a form (a filter bar) nothing else names it: say what it picks (axe: label).
      aria-label={ariaLabel ?? (id ? undefined : '选择组织')}
      treeDataSimpleMode
      showSearch
      searchValue={search.text}
      onSearch={search.setText}
      filterTreeNode={false}
      notFoundContent={searching ? (search.loading ? '正在查找…' : note) : undefined}
      value={value ?? undefined}
      onChange={(v: string | undefined) => {
        const hit = v ? search.hits.find((h) => h.id === v) : undefined;
        if (hit) {
          remember([hit]);
          // Keep a plain node for the chosen hit, so its name shows once the search is cleared.
          setNodes((ns) => (ns.some((n) => n.id === hit.id) ? ns : [...ns, { ...toNode(hit), pId: '__hidden' }]));
        }
        search.setText('');
        onChange?.(v, v ? (hit ?? orgs.get(v)) : undefined);
      }}
      treeData={searching ? hitNodes : nodes}
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

/**
 * The org a list page looks at, in the page's toolbar. `onPick` gets the chosen org, or undefined when it is the
 * acting binding's own: the page keeps that one out of the address, so a plain link (and the header's switcher)
 * shows the acting org. Eleven pages wrote this rule and its box inline. The box grows from `minWidth` to 420 px;
 * `className` styles it instead (the pages whose CSS sizes it).
 */
export function OrgFilter({
  value,
  onPick,
  minWidth = 260,
  className,
}: {
  value: string | undefined;
  onPick: (orgId: string | undefined) => void;
  minWidth?: number;
  className?: string;
}) {
  const { current } = useAuth();
  return (
    <div className={className} style={className ? undefined : { minWidth, flex: 1, maxWidth: 420 }}>
      <OrgPicker value={value} onChange={(v) => onPick(v && v !== current?.orgId ? v : undefined)} />
    </div>
  );
}
