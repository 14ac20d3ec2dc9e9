/**
 * 新建会议 / 修改会议: kind, org, title, start and end, place, an optional sign-in geofence and
 * the agenda, started from the kind's template. Server field errors land on their fields.
 */
import {
  MEETING_KIND_LABELS,
  MEETING_MODE_LABELS,
  MEETING_MODES,
  MEETING_TEMPLATES,
  ONLINE_SERVICE_LABELS,
  ONLINE_SERVICES,
  type MeetingKind,
  type MeetingMode,
  type OnlineService,
  now,
} from '@xianfeng/shared';
import { Alert, App as AntApp, Checkbox, Form, Input, InputNumber, Modal, Radio, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useRef } from 'react';
import { api, errorText, fieldProblems } from '../../platform/api';
import { MinutePicker, endAfterStart } from '../../platform/MinutePicker';
import { useAuth } from '../../platform/auth';
import { OrgPicker } from '../org/OrgPicker';
import { kindOptions, type Meeting } from './labels';
import { useSubmit } from '../../platform/useSubmit';

type Values = {
  orgId: string;
  kind: MeetingKind;
  title: string;
  startsAt: Dayjs;
  endsAt: Dayjs;
  location: string;
  agenda?: string;
  speaker?: string;
  topic?: string;
  geofence: boolean;
  mode: MeetingMode;
  onlineService?: OnlineService;
  onlineLink?: string;
  onlineNumber?: string;
  lat?: number;
  lng?: number;
  radiusM?: number;
};

const agendaOf = (kind: MeetingKind) => MEETING_TEMPLATES[kind].agenda.map((a, i) => `${i + 1}. ${a}`).join('\n');
const titleOf = (kind: MeetingKind, start: Dayjs | undefined) =>
  `${(start ?? dayjs(now())).format('M')}月${MEETING_KIND_LABELS[kind]}`;

export function MeetingFormModal({
  open,
  meeting,
  onClose,
}: {
  open: boolean;
  /** Editing this meeting; creating when absent. */
  meeting?: Meeting;
  onClose: (saved?: Meeting) => void;
}) {
  const { current } = useAuth();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const { busy, error, setError, run } = useSubmit();
  const kind = Form.useWatch('kind', form);
  const geofence = Form.useWatch('geofence', form);
  const mode = Form.useWatch('mode', form);
  const editing = Boolean(meeting);
  const prevStart = useRef<Dayjs | undefined>(undefined);
  /**
   * The title and agenda the form filled in itself. While the fields still hold them, they follow
   * the kind (and the title the month); once the secretary edits one, it stays as written.
   */
  const autoTitle = useRef<string | undefined>(undefined);
  const autoAgenda = useRef<string | undefined>(undefined);

  useEffect(() => {
    if (!open) return;
    setError(null);
    form.resetFields();
    if (meeting) {
      form.setFieldsValue({
        orgId: meeting.orgId,
        kind: meeting.kind,
        title: meeting.title,
        startsAt: dayjs(meeting.startsAt),
        endsAt: dayjs(meeting.endsAt),
        location: meeting.location,
        agenda: meeting.agenda ?? '',
        speaker: meeting.speaker ?? undefined,
        topic: meeting.topic ?? undefined,
        geofence: Boolean(meeting.venue),
        mode: meeting.mode,
        onlineService: (meeting.online?.service as OnlineService | undefined) ?? 'tencent',
        onlineLink: meeting.online?.link,
        onlineNumber: meeting.online?.number,
        lat: meeting.venue?.lat,
        lng: meeting.venue?.lng,
        radiusM: meeting.venue?.radiusM ?? 300,
      });
      prevStart.current = dayjs(meeting.startsAt);
      autoTitle.current = undefined;
      autoAgenda.current = undefined;
    } else {
      const start = dayjs(now()).add(1, 'day').hour(14).minute(30).second(0).millisecond(0);
      form.setFieldsValue({
        orgId: current?.orgId,
        kind: 'theme_day',
        title: titleOf('theme_day', start),
        startsAt: start,
        endsAt: start.hour(17).minute(0),
        location: '党员活动室',
        agenda: agendaOf('theme_day'),
        geofence: false,
        mode: 'in_person',
        onlineService: 'tencent',
        radiusM: 300,
      });
      prevStart.current = start;
      autoTitle.current = titleOf('theme_day', start);
      autoAgenda.current = agendaOf('theme_day');
    }
  }, [open, meeting]);

  /** Refills the title and agenda for `k` where they are blank or still what the form put there. */
  const refill = (k: MeetingKind, start: Dayjs | undefined) => {
    const v = form.getFieldsValue();
    if (!v.title?.trim() || v.title === autoTitle.current) {
      autoTitle.current = titleOf(k, start);
      form.setFieldValue('title', autoTitle.current);
    }
    if (!v.agenda?.trim() || v.agenda === autoAgenda.current) {
      autoAgenda.current = agendaOf(k);
      form.setFieldValue('agenda', autoAgenda.current);
    }
  };
  const onKind = (k: MeetingKind) => refill(k, form.getFieldValue('startsAt') as Dayjs | undefined);

  const submit = async (v: Values) => {
    await run(
      async () => {
        const venue =
          v.geofence && v.lat !== undefined && v.lng !== undefined
            ? { lat: v.lat, lng: v.lng, radiusM: v.radiusM ?? 300 }
            : null;
        const common = {
          title: v.title.trim(),
          startsAt: v.startsAt.second(0).millisecond(0).format(),
          endsAt: v.endsAt.second(0).millisecond(0).format(),
          location: v.location.trim(),
          agenda: v.agenda ?? '',
          venue,
          mode: v.mode,
          online:
            v.mode === 'in_person'
              ? null
              : {
                  service: v.onlineService ?? 'tencent',
                  link: (v.onlineLink ?? '').trim(),
                  number: (v.onlineNumber ?? '').trim(),
                },
          ...(v.kind === 'lecture' && { speaker: v.speaker?.trim() || undefined, topic: v.topic?.trim() || undefined }),
        };
        const saved = meeting
          ? await api.patch<Meeting>(`/meetings/${meeting.id}`, common)
          : await api.post<Meeting>('/meetings', { orgId: v.orgId, kind: v.kind, ...common });
        message.success(meeting ? '已保存' : `已新建「${saved.title}」`);
        onClose(saved);
      },
      {
        onError: (e) => {
          const known = form.getFieldsValue(true) as Record<string, unknown>;
          const onlineField: Record<string, keyof Values> = {
            'online.link': 'onlineLink',
            'online.number': 'onlineNumber',
            online: 'onlineLink',
          };
          const problems = fieldProblems(e)
            .map((p) => (p.field && onlineField[p.field] ? { ...p, field: onlineField[p.field] } : p))
            .filter((p) => p.field && p.field in known);
          form.setFields(problems.map((p) => ({ name: p.field as keyof Values, errors: [p.message] })));
          setError(errorText(e));
        },
      },
    );
  };

  return (
    <Modal
      title={editing ? '修改会议' : '新建会议'}
      open={open}
      onCancel={() => onClose()}
      okText={editing ? '保存' : '创建'}
      confirmLoading={busy}
      onOk={() => form.submit()}
      width={720}
      destroyOnHidden
      forceRender
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Form<Values> name="meetingForm" form={form} layout="vertical" onFinish={submit} scrollToFirstError>
        <div className="xf-form-grid">
          <Form.Item name="kind" label="会议类型" rules={[{ required: true, message: '请选择会议类型' }]}>
            <Select options={kindOptions} disabled={editing} onChange={onKind} />
          </Form.Item>
          <Form.Item name="orgId" label="召开组织" rules={[{ required: true, message: '请选择组织' }]}>
            {editing ? <Input disabled value={meeting?.orgName} /> : <OrgPicker />}
          </Form.Item>
          <Form.Item
            className="xf-span-2"
            name="title"
            label="会议名称"
            rules={[{ required: true, whitespace: true, message: '请填写会议名称' }, { max: 100 }]}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="startsAt" label="开始时间" rules={[{ required: true, message: '请选择开始时间' }]}>
            <MinutePicker
              style={{ width: '100%' }}
              onChange={(s: Dayjs | null) => {
                // Moving the start moves the end with it, keeping the length of the meeting.
                const end = form.getFieldValue('endsAt') as Dayjs | undefined;
                const before = prevStart.current;
                if (s && end && before) form.setFieldValue('endsAt', s.add(end.diff(before, 'minute'), 'minute'));
                prevStart.current = s ?? undefined;
                if (!editing && s) refill(form.getFieldValue('kind') as MeetingKind, s);
              }}
            />
          </Form.Item>
          <Form.Item name="endsAt" label="结束时间" dependencies={['startsAt']} rules={endAfterStart()}>
            <MinutePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            className="xf-span-2"
            name="location"
            label="地点"
            rules={[{ required: true, whitespace: true, message: '请填写会议地点' }, { max: 200 }]}
          >
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item
            className="xf-span-2"
            name="mode"
            label="会议形式"
            extra="线上参会的党员在签到时间内输入主持人宣读的签到码签到，计为线上到会"
          >
            <Radio.Group
              optionType="button"
              options={MEETING_MODES.map((m) => ({ value: m, label: MEETING_MODE_LABELS[m] }))}
            />
          </Form.Item>
          {mode && mode !== 'in_person' && (
            <>
              <Form.Item name="onlineService" label="视频会议" rules={[{ required: true, message: '请选择视频会议' }]}>
                <Select options={ONLINE_SERVICES.map((s) => ({ value: s, label: ONLINE_SERVICE_LABELS[s] }))} />
              </Form.Item>
              <Form.Item
                name="onlineNumber"
                label="会议号"
                rules={[
                  { required: true, whitespace: true, message: '请填写会议号' },
                  { pattern: /^[0-9A-Za-z][0-9A-Za-z -]*$/, message: '会议号只能包含数字、字母、空格和短横线' },
                  { max: 40 },
                ]}
              >
                <Input maxLength={40} placeholder="如：123 456 789" inputMode="numeric" />
              </Form.Item>
              <Form.Item
                className="xf-span-2"
                name="onlineLink"
                label="入会链接"
                rules={[
                  { required: true, whitespace: true, message: '请填写入会链接' },
                  { pattern: /^https:\/\/\S+$/, message: '入会链接须为 https:// 开头的完整网址' },
                  { max: 500 },
                ]}
              >
                <Input maxLength={500} placeholder="https://meeting.tencent.com/dm/…" inputMode="url" />
              </Form.Item>
            </>
          )}
          {kind === 'lecture' && (
            <>
              <Form.Item name="speaker" label="主讲人">
                <Input maxLength={50} placeholder="如：张建国（党支部书记）" />
              </Form.Item>
              <Form.Item name="topic" label="党课题目">
                <Input maxLength={200} />
              </Form.Item>
            </>
          )}
          <Form.Item className="xf-span-2" name="geofence" valuePropName="checked" style={{ marginBottom: 8 }}>
            <Checkbox>扫码签到时核验位置（在会场附近才能签到）</Checkbox>
          </Form.Item>
          {geofence && (
            <div className="xf-span-2 xf-venue">
              <Form.Item name="lat" label="会场纬度" rules={[{ required: true, message: '请填写纬度' }]}>
                <InputNumber min={-90} max={90} step={0.0001} style={{ width: '100%' }} placeholder="39.9087" />
              </Form.Item>
              <Form.Item name="lng" label="会场经度" rules={[{ required: true, message: '请填写经度' }]}>
                <InputNumber min={-180} max={180} step={0.0001} style={{ width: '100%' }} placeholder="116.3975" />
              </Form.Item>
              <Form.Item name="radiusM" label="签到范围（米）" rules={[{ required: true, message: '请填写范围' }]}>
                <InputNumber min={20} max={5000} step={50} style={{ width: '100%' }} />
              </Form.Item>
            </div>
          )}
          <Form.Item className="xf-span-2" name="agenda" label="议程" extra="已按会议类型填入常用议程，可修改">
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={5000} />
          </Form.Item>
        </div>
      </Form>
    </Modal>
  );
}
