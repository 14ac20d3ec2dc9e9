/**
 * 节假日安排: the years of the working-day calendar that 公示 periods are counted on. The 系统管理员 pastes the
 * State Council's yearly notice, checks the dates read from it, and saves the year; the server keeps it per
 * enterprise (apps/server/src/modules/calendar).
 */
import {
  BUILTIN_CALENDAR,
  parseHolidayNotice,
  todayInChina,
  type HolidayYearView,
  type ParsedNotice,
} from '@xianfeng/shared';
import { Alert, App as AntApp, Button, Card, Form, Input, InputNumber, Popconfirm, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, type Page } from '../../platform/api';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';
import { usePaging } from '../../platform/usePaging';
import { useSubmit } from '../../platform/useSubmit';

const noticeTitle = (year: number) => `国务院办公厅关于${year}年部分节假日安排的通知`;

function Dates({ label, dates }: { label: string; dates: readonly string[] }) {
  return (
    <Typography.Paragraph style={{ marginBottom: 8 }}>
      <Typography.Text strong>
        {label}（{dates.length} 天）：
      </Typography.Text>
      {dates.length ? dates.map((d) => d.slice(5)).join('、') : '无'}
    </Typography.Paragraph>
  );
}

function EnterYear({ known, onSaved }: { known: ReadonlySet<number>; onSaved: () => void }) {
  const { message } = AntApp.useApp();
  const nextYear = Number(todayInChina().slice(0, 4)) + 1;
  const [year, setYear] = useState<number>(nextYear);
  const [text, setText] = useState('');
  const [source, setSource] = useState(noticeTitle(nextYear));
  const [parsed, setParsed] = useState<ParsedNotice | null>(null);
  const { busy: saving, run: runSaving } = useSubmit('toast');
  const save = async () => {
    if (!parsed) return;
    await runSaving(async () => {
      await api.put(`/calendar/years/${year}`, { holidays: parsed.holidays, workdays: parsed.workdays, source });
      message.success(`已保存 ${year} 年的节假日安排`);
      setParsed(null);
      setText('');
      onSaved();
    });
  };
  return (
    <Card title="录入一年的节假日安排" style={{ marginTop: 16 }}>
      <Typography.Paragraph type="secondary">
        每年 11
        月前后国务院办公厅发布下一年的节假日安排通知。请把通知正文（“一、元旦：……”起的各条）粘贴到下面，点「识别日期」核对后保存。
        {known.has(year) ? `已有 ${year} 年的数据，保存后以本次录入为准。` : ''}
      </Typography.Paragraph>
      <Form layout="vertical">
        <Form.Item label="年份">
          <InputNumber
            aria-label="年份"
            min={2020}
            max={2100}
            value={year}
            onChange={(v) => {
              if (!v) return;
              setYear(v);
              setSource(noticeTitle(v));
              setParsed(null);
            }}
          />
        </Form.Item>
        <Form.Item label="通知正文">
          <Input.TextArea
            aria-label="通知正文"
            rows={7}
            value={text}
            placeholder="一、元旦：1月1日（周五）至3日（周日）放假调休，共3天。……"
            onChange={(e) => {
              setText(e.target.value);
              setParsed(null);
            }}
          />
        </Form.Item>
        <Form.Item label="来源（通知名称或文号）">
          <Input aria-label="来源" value={source} maxLength={200} onChange={(e) => setSource(e.target.value)} />
        </Form.Item>
        <Button onClick={() => setParsed(parseHolidayNotice(text, year))} disabled={!text.trim()}>
          识别日期
        </Button>
      </Form>
      {parsed && (
        <div className="xf-calendar-preview" style={{ marginTop: 16 }}>
          {parsed.problems.length > 0 && (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 12 }}
              message="以下内容没有读懂，请核对通知正文"
              description={
                <ul style={{ margin: 0, paddingLeft: 20 }}>
                  {parsed.problems.map((p) => (
                    <li key={p}>{p}</li>
                  ))}
                </ul>
              }
            />
          )}
          <Dates label="放假" dates={parsed.holidays} />
          <Dates label="调休上班" dates={parsed.workdays} />
          <Button type="primary" loading={saving} disabled={parsed.problems.length > 0} onClick={() => void save()}>
            保存 {year} 年
          </Button>
        </div>
      )}
    </Card>
  );
}

export function CalendarPage() {
  const { message } = AntApp.useApp();
  const { busyKey, run } = useSubmit('toast');
  const paging = usePaging('年');
  const list = useAsync(
    () => api.get<Page<HolidayYearView>>('/calendar/years', { page: paging.page, pageSize: paging.pageSize }),
    [paging.page, paging.pageSize],
  );
  const known = new Set([...(list.data?.items.map((y) => y.year) ?? []), ...BUILTIN_CALENDAR.years]);
  const nextYear = Number(todayInChina().slice(0, 4)) + 1;
  const remove = (year: number) =>
    run(
      async () => {
        await api.delete(`/calendar/years/${year}`);
        message.success(`已删除 ${year} 年的录入数据`);
        list.reload();
      },
      { key: String(year) },
    );
  return (
    <>
      <Card title="节假日安排">
        <Typography.Paragraph type="secondary">
          发展党员的公示期等按工作日计算的期限，按这里的放假和调休日期计算。没有录入的年份按周末和元旦、劳动节、国庆节估算，相关页面会提示。
        </Typography.Paragraph>
        {list.data && !known.has(nextYear) && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            message={`${nextYear} 年的节假日安排尚未录入：跨年的公示期将按估算计算，请在国务院办公厅发布通知后录入`}
          />
        )}
        <LoadError error={list.error} onRetry={list.reload} />
        <Table<HolidayYearView>
          rowKey="year"
          size="small"
          loading={list.loading}
          dataSource={list.data?.items}
          pagination={list.data && list.data.total > paging.pageSize ? paging.pagination(list.data.total) : false}
          expandable={{
            expandedRowRender: (y) => (
              <>
                <Dates label="放假" dates={y.holidays} />
                <Dates label="调休上班" dates={y.workdays} />
              </>
            ),
          }}
          columns={[
            { title: '年份', dataIndex: 'year' },
            {
              title: '数据',
              dataIndex: 'origin',
              render: (o: HolidayYearView['origin']) =>
                o === 'stored' ? <Tag color="blue">已录入</Tag> : <Tag>内置</Tag>,
            },
            { title: '放假', render: (_, y) => `${y.holidays.length} 天` },
            { title: '调休上班', render: (_, y) => `${y.workdays.length} 天`, responsive: ['sm'] },
            { title: '来源', dataIndex: 'source', responsive: ['md'] },
            {
              title: '操作',
              render: (_, y) =>
                y.origin === 'stored' ? (
                  <Popconfirm
                    title={`删除 ${y.year} 年的录入数据？`}
                    okText="删除"
                    cancelText="取消"
                    onConfirm={() => void remove(y.year)}
                  >
                    <Button size="small" danger loading={busyKey === String(y.year)}>
                      删除
                    </Button>
                  </Popconfirm>
                ) : null,
            },
          ]}
        />
      </Card>
      <EnterYear known={known} onSaved={list.reload} />
    </>
  );
}
