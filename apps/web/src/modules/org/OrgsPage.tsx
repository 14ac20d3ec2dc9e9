/**
 * 组织管理: the org tree of the acting binding (loaded level by level) beside the selected
 * org's details. On a phone the tree sits above the details.
 */
import { ApartmentOutlined } from '@ant-design/icons';
import { ORG_KIND_LABELS, type Org } from '@xianfeng/shared';
import { Alert, Card, Col, Empty, Grid, Row, Tag, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, errorText, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { OrgDetail } from './OrgDetail';
import { OrgSearchBox } from './OrgSearch';

export const KIND_COLORS = { committee: 'red', general_branch: 'volcano', branch: 'gold', group: 'blue' } as const;

export function KindTag({ kind }: { kind: Org['kind'] }) {
  return (
    <Tag color={KIND_COLORS[kind]} style={{ marginInlineEnd: 0 }}>
      {ORG_KIND_LABELS[kind]}
    </Tag>
  );
}

export function OrgsPage() {
  const { current } = useAuth();
  const screens = Grid.useBreakpoint();
  const [params, setParams] = useSearchParams();
  const [root, setRoot] = useState<Org | null>(null);
  const [children, setChildren] = useState<Record<string, Org[]>>({});
  const [expanded, setExpanded] = useState<string[]>([]);
  const [loaded, setLoaded] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const detailRef = useRef<HTMLDivElement>(null);
  const selected = params.get('org') ?? current?.orgId ?? null;

  const loadChildren = useCallback(async (parentId: string) => {
    const page = await api.get<Page<Org>>('/orgs', { parentId, pageSize: 200 });
    setChildren((c) => ({ ...c, [parentId]: page.items }));
    setLoaded((l) => (l.includes(parentId) ? l : [...l, parentId]));
  }, []);

  useEffect(() => {
    if (!current) return;
    setChildren({});
    setLoaded([]);
    setExpanded([current.orgId]);
    void api
      .get<Org>(`/orgs/${current.orgId}`)
      .then(async (o) => {
        setRoot(o);
        if (o.childCount > 0) await loadChildren(o.id);
      })
      .catch((e) => setError(errorText(e)));
  }, [current, loadChildren]);

  // Deep links (?org=…) and picks from the warnings list: open the tree down to the selected org.
  useEffect(() => {
    if (!root || !selected || selected === root.id) return;
    let alive = true;
    void (async () => {
      const ancestors: string[] = [];
      let id: string | null = selected;
      for (let i = 0; id && id !== root.id && i < 12; i++) {
        const o: Org = await api.get<Org>(`/orgs/${id}`);
        if (!o.parentId) break;
        ancestors.unshift(o.parentId);
        id = o.parentId;
      }
      for (const a of ancestors) if (alive && !loaded.includes(a)) await loadChildren(a);
      if (alive) setExpanded((e) => [...new Set([...e, ...ancestors])]);
    })().catch(() => undefined);
    return () => {
      alive = false;
    };
    // Only when the selection or the tree's top changes, not on every expansion.
  }, [selected, root?.id]);

  /** After a change: reload this org and its children, and its parent's list (names, counts, order). */
  const refresh = useCallback(
    async (changed: Org | null, alsoReload: (string | null)[] = []) => {
      if (!root) return;
      const ids = new Set<string>([...alsoReload.filter((x): x is string => Boolean(x))]);
      if (changed) {
        ids.add(changed.id);
        if (changed.parentId) ids.add(changed.parentId);
      }
      for (const id of ids) {
        if (id === root.id) setRoot(await api.get<Org>(`/orgs/${root.id}`));
        await loadChildren(id).catch(() => undefined);
      }
      setExpanded((e) => [...new Set([...e, ...ids])]);
    },
    [root, loadChildren],
  );

  const toNode = (o: Org): DataNode => ({
    key: o.id,
    isLeaf: o.childCount === 0,
    title: (
      <span className="xf-org-node">
        <span>{o.name}</span>
        <KindTag kind={o.kind} />
      </span>
    ),
    children: children[o.id]?.map(toNode),
  });

  const select = (id: string) => {
    setParams({ org: id }, { replace: true });
    if (!screens.md) setTimeout(() => detailRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }), 50);
  };

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} md={10} xl={8}>
        <Card
          title={
            <span>
              <ApartmentOutlined /> 组织树
            </span>
          }
          size="small"
          className="xf-org-tree-card"
        >
          {error && <Alert type="error" showIcon message={error} />}
          <div className="xf-org-search-row">
            <OrgSearchBox rootId={current?.orgId} onPick={(id) => select(id)} />
          </div>
          {root ? (
            <Tree
              blockNode
              showLine
              treeData={[toNode(root)]}
              expandedKeys={expanded}
              loadedKeys={loaded}
              selectedKeys={selected ? [selected] : []}
              onExpand={(keys) => setExpanded(keys as string[])}
              loadData={async (node) => loadChildren(node.key as string)}
              onSelect={(keys) => keys[0] && select(keys[0] as string)}
            />
          ) : (
            !error && <Typography.Text type="secondary">正在加载…</Typography.Text>
          )}
        </Card>
      </Col>
      <Col xs={24} md={14} xl={16} ref={detailRef}>
        {selected ? (
          <OrgDetail key={selected} orgId={selected} onChanged={(o, more) => void refresh(o, more)} onSelect={select} />
        ) : (
          <Card>
            <Empty description="请在左侧选择组织" />
          </Card>
        )}
      </Col>
    </Row>
  );
}
