/** The member-detail tab 学习: the member's learning records and answered practice and exams (readers of their org). */
import { LEARN_KIND_LABELS, type LearnRecord, type Member } from '@xianfeng/shared';
import { Space, Statistic, Table, Tag } from 'antd';
import { api } from '../../platform/api';
import { LoadError } from '../../platform/LoadError';
import { useAsync } from '../../platform/useAsync';

type AttemptRow = {
  id: string;
  kind: 'exam' | 'daily';
  title: string;
  startedAt: string;
  submittedAt: string | null;
  score: number | null;
  passed: boolean | null;
};
type LessonRow = {
  course: string;
  lesson: string;
  seconds: number;
  progress: number;
  /** A text lesson: how far it was read (%); null for the other kinds. */
  readTo: number | null;
  completedAt: string | null;
};
type Learning = { records: LearnRecord[]; lessons: LessonRow[]; attempts: AttemptRow[] };
const day = (iso: string | null) =>
  iso ? new Date(iso).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' }) : '';

export function MemberLearnTab({ m }: { m: Member }) {
  const r = useAsync(() => api.get<Learning>(`/members/${m.id}/learning`), [m.id]);
  const d = r.data;
  return (
    <div data-testid="member-learning">
      <LoadError error={r.error} onRetry={r.reload} />
      <Space size={48} style={{ marginBottom: 12 }} wrap>
        <Statistic title="学完的内容" value={d ? d.records.filter((x) => x.completedAt).length : '—'} />
        <Statistic
          title="学习时长（分钟）"
          value={d ? Math.round(d.records.reduce((s, x) => s + x.seconds, 0) / 60) : '—'}
        />
        <Statistic
          title="通过的考试"
          value={d ? d.attempts.filter((a) => a.kind === 'exam' && a.passed).length : '—'}
        />
      </Space>
      <Table
        rowKey="itemId"
        size="small"
        loading={r.loading}
        dataSource={d?.records ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true, showTotal: (t) => `共 ${t} 条` }}
        scroll={{ x: 560 }}
        title={() => '学习记录'}
        columns={[
          {
            title: '内容',
            render: (_, x) => (
              <span>
                <Tag>{LEARN_KIND_LABELS[x.kind]}</Tag>
                {x.title}
              </span>
            ),
          },
          { title: '时长（分钟）', render: (_, x) => Math.round(x.seconds / 60) },
          { title: '进度', render: (_, x) => (x.completedAt ? `${day(x.completedAt)} 学完` : `${x.progress}%`) },
          { title: '最近', render: (_, x) => day(x.updatedAt) },
        ]}
      />
      {(d?.lessons.length ?? 0) > 0 && (
        <Table
          rowKey={(x) => `${x.course}/${x.lesson}`}
          size="small"
          dataSource={d!.lessons}
          pagination={{ pageSize: 10, hideOnSinglePage: true, showTotal: (t) => `共 ${t} 个课时` }}
          scroll={{ x: 560 }}
          title={() => '课程的课时'}
          columns={[
            { title: '课程', dataIndex: 'course' },
            { title: '课时', dataIndex: 'lesson' },
            { title: '时长（分钟）', render: (_, x) => Math.round(x.seconds / 60) },
            {
              title: '进度',
              render: (_, x) =>
                x.completedAt
                  ? `${day(x.completedAt)} 学完`
                  : x.readTo !== null
                    ? `已读到 ${x.readTo}%`
                    : `${x.progress}%`,
            },
          ]}
        />
      )}
      <Table
        rowKey="id"
        size="small"
        loading={r.loading}
        dataSource={d?.attempts ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true, showTotal: (t) => `共 ${t} 次` }}
        scroll={{ x: 560 }}
        title={() => '练习与考试'}
        columns={[
          { title: '名称', dataIndex: 'title' },
          { title: '日期', render: (_, a) => day(a.submittedAt ?? a.startedAt) },
          { title: '得分', render: (_, a) => (a.submittedAt ? a.score : '未交卷') },
          {
            title: '结果',
            render: (_, a) => (a.passed === null ? '' : a.passed ? <Tag color="green">通过</Tag> : <Tag>未通过</Tag>),
          },
        ]}
      />
    </div>
  );
}
