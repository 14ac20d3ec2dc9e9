/** 我的档案: a member's own record, with their full ID and phone numbers. */
import { Alert, Card, Statistic } from 'antd';
import type { Member } from '@xianfeng/shared';
import { api } from '../../platform/api';
import { useAsync } from '../../platform/useAsync';
import { MemberProfile } from './MemberDetailPage';

export function MyProfilePage() {
  const me = useAsync(() => api.get<Member>('/members/me'), []);
  if (me.error) return <Alert type="info" showIcon message={me.error} description="如有疑问，请联系所在党支部书记。" />;
  const m = me.data;
  return (
    <Card title="我的党员档案" loading={me.loading}>
      {m && (
        <>
          <div className="xf-stat-grid" style={{ marginBottom: 16 }}>
            <Statistic
              title="党龄"
              value={m.partyYears ?? '预备期'}
              suffix={m.partyYears === null ? undefined : '年'}
            />
            <Statistic title="政治生日" value={m.politicalBirthday.replace('-', '月') + '日'} />
            <Statistic title="入党时间" value={m.joinedAt} />
          </div>
          <MemberProfile m={m} />
          <Alert
            style={{ marginTop: 16 }}
            type="info"
            showIcon
            message="信息有误？请联系所在党支部书记修改。身份证号和手机号仅您本人可见完整号码。"
          />
        </>
      )}
    </Card>
  );
}
