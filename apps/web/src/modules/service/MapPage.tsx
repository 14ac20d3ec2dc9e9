/**
 * 云地图 (phone first): the places of my org, its subtree and the orgs above — 党组织, 党群服务中心, 党员驿站, activity
 * places — on a map with no outside tile server (PlaceMap), and as a list, which is also the fallback when the map
 * cannot be drawn. 「离我最近」 asks the browser for the position (the user grants it), converts it from WGS-84 to
 * GCJ-02 and lists the places nearest first; without a position, 「从某地点出发」 sorts from one of the places instead.
 * Details show the contact as a tap-to-call link. The record keepers add, edit and delete the places of their orgs,
 * entering coordinates as GCJ-02, WGS-84 or BD-09 (百度); the server converts them to GCJ-02 on save (shared toGcj02).
 */
import { AimOutlined, EnvironmentOutlined, PhoneOutlined, PlusOutlined } from '@ant-design/icons';
import {
  COORD_DATUM_LABELS,
  COORD_DATUMS,
  distanceText,
  GEOCODE_RELIABLE,
  greatCircleMetres,
  toGcj02,
  RECORD_KEEPERS,
  SERVICE_PLACE_KIND_LABELS,
  SERVICE_PLACE_KINDS,
  wgs84ToGcj02,
  type CoordDatum,
  type GeocodeResult,
  type MapConfig,
  type ServicePlace,
  type ServicePlaceKind,
} from '@xianfeng/shared';
import {
  Alert,
  App as AntApp,
  Button,
  Card,
  Drawer,
  Empty,
  Form,
  Grid,
  Input,
  InputNumber,
  List,
  Pagination,
  Popconfirm,
  Segmented,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { Component, useState, type ReactNode } from 'react';
import { api, errorText, type Page } from '../../platform/api';
import { useAuth } from '../../platform/auth';
import { FormDialog } from '../../platform/FormDialog';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import { OrgPicker } from '../org/OrgPicker';
import { KIND_COLORS, PlaceMap } from './PlaceMap';
import { useSubmit } from '../../platform/useSubmit';

type Origin = { lng: number; lat: number; label: string; mine: boolean };

const PLACES_PER_BATCH = 200;

/** The browser's position (WGS-84), converted to GCJ-02; the user is asked for permission by the browser. */
function myPosition(): Promise<{ lng: number; lat: number }> {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) return reject(new Error('本机浏览器不支持定位，请在列表中查找，或选择出发地点'));
    navigator.geolocation.getCurrentPosition(
      (p) => resolve(wgs84ToGcj02(p.coords.longitude, p.coords.latitude)),
      (e) =>
        reject(
          new Error(
            e.code === e.PERMISSION_DENIED
              ? '未获得定位权限：可在手机设置中允许浏览器使用定位后重试，或在列表中查找、选择出发地点'
              : '暂时无法获取位置，请到开阔处重试，或在列表中查找',
          ),
        ),
      { enableHighAccuracy: false, timeout: 15_000, maximumAge: 60_000 },
    );
  });
}

/** If the map cannot be drawn (an old browser, no canvas), the list below still works. */
class MapBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? (
      <Alert type="info" showIcon message="地图无法显示，请使用下面的列表" />
    ) : (
      this.props.children
    );
  }
}

function KindTag({ kind }: { kind: ServicePlaceKind }) {
  return <Tag color={KIND_COLORS[kind]}>{SERVICE_PLACE_KIND_LABELS[kind]}</Tag>;
}

const telHref = (phone: string) => `tel:${phone.replace(/[^\d]/g, '')}`;

type FormValues = {
  orgId: string;
  kind: ServicePlaceKind;
  name: string;
  address: string;
  phone?: string;
  hours?: string;
  description?: string;
  lng: number;
  lat: number;
  datum: CoordDatum;
};

const DATUM_SHORT: Record<CoordDatum, string> = { gcj02: 'GCJ-02', wgs84: 'WGS-84', bd09: 'BD-09' };

/** Where a point entered in WGS-84 or BD-09 will be stored (GCJ-02), and how far the conversion moves it. */
function Converted({ form }: { form: ReturnType<typeof Form.useForm<FormValues>>[0] }) {
  const datum = Form.useWatch('datum', form);
  const lng = Form.useWatch('lng', form);
  const lat = Form.useWatch('lat', form);
  if (!datum || datum === 'gcj02' || typeof lng !== 'number' || typeof lat !== 'number') return null;
  const g = toGcj02(datum, lng, lat);
  const moved = greatCircleMetres({ lng, lat }, g);
  return (
    <div className="xf-place-converted" data-testid="place-converted">
      保存时换算为 GCJ-02：{g.lng.toFixed(6)}, {g.lat.toFixed(6)}（
      {moved < 1 ? '境外坐标不换算' : `移动约 ${Math.round(moved)} 米`}）
    </div>
  );
}

function PlaceForm({
  place,
  open,
  geocoder,
  onClose,
  onDone,
}: {
  place: ServicePlace | null;
  open: boolean;
  /** Whether the operator configured address lookup: then 「按地址查坐标」 fills the point from the address. */
  geocoder: boolean;
  onClose: () => void;
  onDone: () => void;
}) {
  const [form] = Form.useForm<FormValues>();
  const [lookup, setLookup] = useState<{ busy: boolean; note: string | null }>({ busy: false, note: null });
  const pointFromAddress = async () => {
    const address = (form.getFieldValue('address') as string | undefined)?.trim();
    if (!address) return setLookup({ busy: false, note: '请先填写地址' });
    setLookup({ busy: true, note: null });
    try {
      const r = await api.post<GeocodeResult>('/service/geocode', { address });
      form.setFieldsValue({ lng: r.lng, lat: r.lat, datum: 'gcj02' });
      setLookup({
        busy: false,
        note:
          r.reliability !== null && r.reliability < GEOCODE_RELIABLE
            ? `找到「${r.title}」，匹配不够精确，请在地图上核对坐标`
            : `已按「${r.title}」填入坐标（GCJ-02）`,
      });
    } catch (e) {
      setLookup({ busy: false, note: errorText(e) });
    }
  };
  const { current } = useAuth();
  const { message } = AntApp.useApp();
  const pasteCoords = (text: string) => {
    const m = /(-?\d+(?:\.\d+)?)\s*[,，\s]\s*(-?\d+(?:\.\d+)?)/.exec(text);
    if (m) form.setFieldsValue({ lng: Number(m[1]), lat: Number(m[2]) });
  };
  return (
    <FormDialog<FormValues>
      title={place ? '修改地点' : '登记地点'}
      open={open}
      onClose={onClose}
      form={form}
      className="xf-place-form"
      initialValues={place ? { ...place, datum: 'gcj02' } : { orgId: current?.orgId, kind: 'station', datum: 'gcj02' }}
      onSubmit={async (v) => {
        const body = {
          kind: v.kind,
          name: v.name,
          address: v.address,
          phone: v.phone ?? '',
          hours: v.hours ?? '',
          description: v.description ?? '',
          lng: v.lng,
          lat: v.lat,
          datum: v.datum,
        };
        if (place) await api.patch(`/service-places/${place.id}`, body);
        else await api.post('/service/places', { orgId: v.orgId, ...body });
        message.success(place ? '已保存' : '已登记');
        onDone();
      }}
    >
      {!place && (
        <Form.Item name="orgId" label="所属组织" rules={[{ required: true, message: '请选择组织' }]}>
          <OrgPicker />
        </Form.Item>
      )}
      <Form.Item name="kind" label="类型">
        <Select options={SERVICE_PLACE_KINDS.map((k) => ({ value: k, label: SERVICE_PLACE_KIND_LABELS[k] }))} />
      </Form.Item>
      <Form.Item name="name" label="名称" rules={[{ required: true, whitespace: true, message: '请填写名称' }]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item
        name="address"
        label="地址"
        rules={[{ required: true, whitespace: true, message: '请填写地址' }]}
        extra={lookup.note && <span data-testid="place-lookup">{lookup.note}</span>}
      >
        <Input
          maxLength={200}
          aria-label="地址"
          addonAfter={
            geocoder && (
              <Button type="link" size="small" loading={lookup.busy} onClick={() => void pointFromAddress()}>
                按地址查坐标
              </Button>
            )
          }
        />
      </Form.Item>
      <Form.Item name="phone" label="联系电话" extra="地点的值班电话（所有能看到该地点的人都能看到），不要填个人手机">
        <Input maxLength={20} inputMode="tel" placeholder="010-12345678" />
      </Form.Item>
      <Form.Item name="hours" label="开放时间">
        <Input maxLength={100} placeholder="工作日 8:30-17:30" />
      </Form.Item>
      <Form.Item
        name="datum"
        label="坐标系"
        extra={
          <span data-testid="datum-hint">
            {COORD_DATUMS.map((d) => COORD_DATUM_LABELS[d]).join('；')}。按拾取坐标的地图选择，保存时统一换算为 GCJ-02。
          </span>
        }
      >
        <Segmented block options={COORD_DATUMS.map((d) => ({ value: d, label: DATUM_SHORT[d] }))} aria-label="坐标系" />
      </Form.Item>
      <Form.Item label="坐标（在地图的坐标拾取工具中拾取后粘贴“经度,纬度”）">
        <Input
          placeholder="粘贴：116.397428,39.90923"
          onChange={(e) => pasteCoords(e.target.value)}
          aria-label="粘贴坐标"
        />
      </Form.Item>
      <Space.Compact block>
        <Form.Item name="lng" label="经度" rules={[{ required: true, message: '请填写经度' }]} style={{ flex: 1 }}>
          <InputNumber style={{ width: '100%' }} step={0.0001} precision={6} />
        </Form.Item>
        <Form.Item name="lat" label="纬度" rules={[{ required: true, message: '请填写纬度' }]} style={{ flex: 1 }}>
          <InputNumber style={{ width: '100%' }} step={0.0001} precision={6} />
        </Form.Item>
      </Space.Compact>
      <Converted form={form} />
      <Form.Item name="description" label="简介">
        <Input.TextArea rows={2} maxLength={500} placeholder="提供的服务、设施" />
      </Form.Item>
    </FormDialog>
  );
}

function PlaceDetail({
  place,
  onClose,
  onEdit,
  onDeleted,
}: {
  place: ServicePlace | null;
  onClose: () => void;
  onEdit: (p: ServicePlace) => void;
  onDeleted: () => void;
}) {
  const { message } = AntApp.useApp();
  const { busy, run } = useSubmit('toast');
  const screens = Grid.useBreakpoint();
  return (
    <Drawer
      open={Boolean(place)}
      onClose={onClose}
      title={place?.name}
      placement={screens.md ? 'right' : 'bottom'}
      height="70%"
      width={420}
      destroyOnHidden
    >
      {place && (
        <div className="xf-place-detail" data-place={place.name}>
          <div>
            <KindTag kind={place.kind} /> {place.orgName}
          </div>
          <div className="xf-vol-line">
            <EnvironmentOutlined /> {place.address}
            {place.distanceM !== null && (
              <Typography.Text type="secondary">（距离 {distanceText(place.distanceM)}）</Typography.Text>
            )}
          </div>
          {place.hours && <div className="xf-vol-line">开放时间：{place.hours}</div>}
          {place.description && <div className="xf-vol-line">{place.description}</div>}
          {place.phone ? (
            <Button
              type="primary"
              size="large"
              block
              icon={<PhoneOutlined />}
              href={telHref(place.phone)}
              style={{ marginTop: 12 }}
            >
              拨打 {place.phone}
            </Button>
          ) : (
            <div className="xf-vol-line">未登记联系电话</div>
          )}
          <Typography.Text type="secondary" style={{ display: 'block', marginTop: 12, fontSize: 12 }}>
            坐标（GCJ-02）：{place.lng.toFixed(6)}, {place.lat.toFixed(6)}
          </Typography.Text>
          {place.canEdit && (
            <Space style={{ marginTop: 16 }}>
              <Button onClick={() => onEdit(place)}>修改</Button>
              <Popconfirm
                title="删除这个地点？"
                okText="删除"
                cancelText="取消"
                onConfirm={() =>
                  run(async () => {
                    await api.delete(`/service-places/${place.id}`);
                    message.success('已删除');
                    onDeleted();
                  })
                }
              >
                <Button danger loading={busy}>
                  删除
                </Button>
              </Popconfirm>
            </Space>
          )}
        </div>
      )}
    </Drawer>
  );
}

export function MapPage() {
  const { current, can } = useAuth();
  const screens = Grid.useBreakpoint();
  const { message } = AntApp.useApp();
  const [view, setView] = useState<'map' | 'list'>('map');
  const [kind, setKind] = useState<ServicePlaceKind | 'all'>('all');
  // The map and its list take 200 places at a time (nearest first when sorted); a larger subtree pages by 200s.
  const [batch, setBatch] = useState(1);
  const [origin, setOrigin] = useState<Origin | null>(null);
  const sortFrom = (o: Origin | null) => {
    setOrigin(o);
    setBatch(1);
  };
  const { busy: locating, error: locError, setError: setLocError, run: runLocating } = useSubmit();
  const [open, setOpen] = useState<ServicePlace | null>(null);
  const [editing, setEditing] = useState<ServicePlace | 'new' | null>(null);
  const config = useAsync(() => api.get<MapConfig>('/service/map-config'), []);
  const places = useAsync(
    () =>
      api.get<Page<ServicePlace>>('/service/places', {
        page: batch,
        pageSize: PLACES_PER_BATCH,
        orgId: current?.orgId,
        ...(kind === 'all' ? {} : { kind }),
        ...(origin ? { lng: origin.lng.toFixed(6), lat: origin.lat.toFixed(6) } : {}),
      }),
    [current?.orgId, kind, origin?.lng, origin?.lat, batch],
  );
  const items = places.data?.items ?? [];

  // 从地址出发: the operator's geocoder (腾讯位置服务) turns an address into a GCJ-02 point; offered only when set up.
  const { busy: finding, run: runFinding } = useSubmit();
  const fromAddress = async (address: string) => {
    if (!address.trim()) return;
    setLocError(null);
    await runFinding(
      async () => {
        const r = await api.post<GeocodeResult>('/service/geocode', { address: address.trim() });
        sortFrom({ lng: r.lng, lat: r.lat, label: r.title || address.trim(), mine: false });
        if (r.reliability !== null && r.reliability < GEOCODE_RELIABLE)
          setLocError(`地址匹配不够精确（找到的是「${r.title}」），请写上城市和区县后再试`);
      },
      { onError: (e) => setLocError(errorText(e)) },
    );
  };

  const nearMe = async () => {
    await runLocating(
      async () => {
        const p = await myPosition();
        sortFrom({ ...p, label: '我的位置', mine: true });
        message.success('已按离您的距离排序');
      },
      { onError: (e) => setLocError((e as Error).message) },
    );
  };

  return (
    <div className="xf-phone-page xf-map-page">
      <Card
        title={
          <span>
            <EnvironmentOutlined /> 云地图
          </span>
        }
        extra={
          can(...RECORD_KEEPERS) && (
            <Button icon={<PlusOutlined />} onClick={() => setEditing('new')}>
              {screens.sm ? '登记地点' : '登记'}
            </Button>
          )
        }
      >
        <div className="xf-map-tools">
          <Segmented
            value={view}
            onChange={(v) => setView(v as 'map' | 'list')}
            options={[
              { value: 'map', label: '地图' },
              { value: 'list', label: '列表' },
            ]}
          />
          <Select
            value={kind}
            onChange={(k) => {
              setKind(k);
              setBatch(1);
            }}
            style={{ minWidth: 140 }}
            aria-label="类型"
            options={[
              { value: 'all', label: '全部类型' },
              ...SERVICE_PLACE_KINDS.map((k) => ({ value: k, label: SERVICE_PLACE_KIND_LABELS[k] })),
            ]}
          />
          <Button type="primary" icon={<AimOutlined />} loading={locating} onClick={() => void nearMe()}>
            离我最近
          </Button>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder="或选择出发地点"
            style={{ minWidth: 180, flex: 1 }}
            value={origin && !origin.mine && items.some((p) => p.name === origin.label) ? origin.label : undefined}
            onChange={(id?: string) => {
              const p = items.find((x) => x.id === id);
              sortFrom(p ? { lng: p.lng, lat: p.lat, label: p.name, mine: false } : null);
              setLocError(null);
            }}
            options={items.map((p) => ({ value: p.id, label: p.name }))}
            aria-label="出发地点"
          />
          {config.data?.geocoder && (
            <Input.Search
              placeholder="或输入地址，找附近的地点"
              enterButton="查找"
              loading={finding}
              maxLength={80}
              onSearch={(v) => void fromAddress(v)}
              aria-label="出发地址"
              className="xf-map-address"
            />
          )}
        </div>
        {locError && (
          <Alert
            type="warning"
            showIcon
            message={locError}
            closable
            onClose={() => setLocError(null)}
            style={{ marginBottom: 12 }}
          />
        )}
        {origin && (
          <div className="xf-vol-line" style={{ marginBottom: 8 }}>
            按离「{origin.label}」的距离由近到远排列{' '}
            <Button type="link" size="small" onClick={() => sortFrom(null)}>
              取消排序
            </Button>
          </div>
        )}
        {places.error ? (
          <LoadError error={places.error} onRetry={places.reload} />
        ) : (
          <>
            {view === 'map' && items.length > 0 && (
              <MapBoundary>
                <PlaceMap
                  places={items}
                  me={origin?.mine ? origin : null}
                  config={config.data ?? null}
                  onPick={setOpen}
                  height={screens.md ? 460 : 340}
                />
              </MapBoundary>
            )}
            {(places.data?.total ?? 0) > PLACES_PER_BATCH && (
              <div className="xf-place-batches">
                <Typography.Text type="secondary">
                  共 {places.data!.total} 个地点，每批 {PLACES_PER_BATCH} 个{origin ? '，由近到远' : ''}：
                </Typography.Text>
                <Pagination
                  simple
                  size="small"
                  current={batch}
                  pageSize={PLACES_PER_BATCH}
                  total={places.data!.total}
                  onChange={setBatch}
                  aria-label="地点批次"
                />
              </div>
            )}
            <List
              className="xf-place-list"
              loading={places.loading}
              dataSource={items}
              locale={{ emptyText: <Empty description="暂无地点" /> }}
              pagination={items.length > 10 ? { pageSize: 10, size: 'small', showSizeChanger: false } : false}
              renderItem={(p) => (
                <List.Item key={p.id} onClick={() => setOpen(p)} className="xf-place-item" data-place={p.name}>
                  <List.Item.Meta
                    title={
                      <span>
                        {p.name} <KindTag kind={p.kind} />
                      </span>
                    }
                    description={
                      <>
                        <div>{p.address}</div>
                        <div>
                          {p.orgName}
                          {p.hours && ` · ${p.hours}`}
                        </div>
                      </>
                    }
                  />
                  <div className="xf-place-side">
                    {p.distanceM !== null && <div className="xf-place-distance">{distanceText(p.distanceM)}</div>}
                    {p.phone && (
                      <a
                        href={telHref(p.phone)}
                        onClick={(e) => e.stopPropagation()}
                        aria-label={`拨打 ${p.name} ${p.phone}`}
                      >
                        <PhoneOutlined /> 电话
                      </a>
                    )}
                  </div>
                </List.Item>
              )}
            />
          </>
        )}
      </Card>
      <PlaceDetail
        place={open}
        onClose={() => setOpen(null)}
        onEdit={(p) => {
          setOpen(null);
          setEditing(p);
        }}
        onDeleted={() => {
          setOpen(null);
          void places.reload();
        }}
      />
      <PlaceForm
        key={editing === 'new' ? 'new' : (editing?.id ?? 'none')}
        place={editing === 'new' ? null : editing}
        open={editing !== null}
        geocoder={config.data?.geocoder ?? false}
        onClose={() => setEditing(null)}
        onDone={() => {
          setEditing(null);
          void places.reload();
        }}
      />
    </div>
  );
}
