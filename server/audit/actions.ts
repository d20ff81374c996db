// Audit actions the server writes, with the words a reader sees (CSV here; the web has the same keys in its
// dictionaries, and a test keeps the two lists equal). An action not listed is shown as its raw key.
export const AUDIT_ACTIONS = {
  'auth.login': ['登录', 'Signed in'],
  'auth.login-failed': ['登录失败', 'Sign-in failed'],
  'auth.logout': ['退出登录', 'Signed out'],
  'live.view': ['查看实时视频', 'Watched live video'],
  'live.snapshot': ['查看快照', 'Viewed a snapshot'],
  'share.open': ['居民打开链接', 'Resident opened a link'],
  'share.create': ['创建居民链接', 'Created a resident link'],
  'share.revoke': ['撤销居民链接', 'Revoked a resident link'],
  'danger.create': ['标注隐患', 'Tagged a hidden danger'],
  'dispatch.dispatch': ['派单', 'Dispatched'],
  'dispatch.redispatch': ['转派', 'Re-dispatched'],
  'dispatch.accept': ['签收', 'Accepted'],
  'dispatch.handle': ['处置', 'Started handling'],
  'dispatch.resolve': ['反馈', 'Sent feedback'],
  'dispatch.close': ['办结', 'Closed'],
  'dispatch.reject': ['驳回', 'Rejected feedback'],
  'dispatch.return': ['退回', 'Returned'],
  'dispatch.escalate': ['上报', 'Escalated'],
  'dispatch.overdue': ['超期', 'Became overdue'],
  'layout.push': ['推送视频', 'Pushed cameras'],
  'layout.accept': ['接收推送', 'Accepted a push'],
  'layout.dismiss': ['忽略推送', 'Dismissed a push'],
  'catalogue.import': ['导入设备目录', 'Imported the catalogue'],
  'catalogue.export': ['导出设备目录', 'Exported the catalogue'],
  'catalogue.credential-profile.save': ['保存凭据模板', 'Saved a credential profile'],
  'catalogue.credential-profile.delete': ['删除凭据模板', 'Deleted a credential profile'],
  'discovery.start': ['开始设备发现', 'Started discovery'],
  'discovery.cancel': ['停止设备发现', 'Cancelled discovery'],
  'discovery.add': ['添加发现的设备', 'Added discovered devices'],
  'camera.add-rtsp': ['添加 RTSP 摄像机', 'Added an RTSP camera'],
  'camera.update': ['编辑摄像机', 'Edited a camera'],
  'camera.delete': ['删除摄像机', 'Deleted a camera'],
  'audit.export': ['导出审计日志', 'Exported the audit log'],
  'org.create': ['新建组织机构', 'Created an org unit'],
  'org.update': ['编辑组织机构', 'Edited an org unit'],
  'org.move': ['移动组织机构', 'Moved an org unit'],
  'org.delete': ['删除组织机构', 'Deleted an org unit'],
  'setup.first-admin': ['创建首个管理员', 'Created the first administrator'],
  'setup.create-admin': ['命令行创建管理员', 'Created an administrator (CLI)'],
  'setup.token-rejected': ['初始化令牌错误', 'Setup token rejected'],
  'backup.create': ['备份数据', 'Backed up the data'],
  'backup.failed': ['备份失败', 'Backup failed'],
  'backup.restore': ['恢复备份', 'Restored a backup'],
} as const satisfies Record<string, readonly [zh: string, en: string]>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export function actionLabel(action: string, lang: 'zh' | 'en'): string {
  const label = (AUDIT_ACTIONS as Record<string, readonly [string, string]>)[action];
  return label ? label[lang === 'zh' ? 0 : 1] : action;
}
