// The two CSV files of user management, written with the one CSV writer (server/csv/write.ts: BOM, CRLF, formula
// guard). Headers are the Chinese column names the import reads (import-read.ts), and roles are written in the words
// the console shows, which the import reads as well: an export, edited in Excel, imports again.
import type { Role } from '../contracts/api';
import type { ImportedUser, ManagedUser, UserStatus } from '../contracts/users';
import { toCsv } from '../csv/write';

export const ROLE_LABELS: Record<Role, string> = {
  admin: '系统管理员',
  county_operator: '县级调度员',
  township_officer: '乡镇值班员',
  village_officer: '村级值班员',
};

const STATUS_LABELS: Record<UserStatus, string> = { active: '正常', disabled: '已停用', locked: '已锁定', deleted: '已删除' };

/** Every account given, no secrets: the password hash is not even read for it. */
export function usersCsv(users: readonly ManagedUser[]): string {
  return toCsv(
    ['用户名', '姓名', '角色', '所属单位', '手机', '状态', '需修改密码', '创建时间', '最后登录'],
    users.map((u) => [
      u.username, u.displayName, ROLE_LABELS[u.role], u.orgUnitPath, u.phone ?? '', STATUS_LABELS[u.status], u.mustChangePassword ? '是' : '否',
      u.createdAt, u.lastLoginAt ?? '',
    ]),
  );
}

/** The accounts an import created with their initial passwords, for the administrator to hand out (given once). */
export function initialPasswordsCsv(users: readonly ImportedUser[]): string {
  return toCsv(
    ['用户名', '姓名', '角色', '所属单位', '初始密码'],
    users.map((u) => [u.username, u.displayName, ROLE_LABELS[u.role], u.orgUnitPath, u.initialPassword ?? '']),
  );
}
