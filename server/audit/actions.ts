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
  'user.create': ['创建用户', 'Created a user'],
  'user.update': ['编辑用户', 'Edited a user'],
  'user.disable': ['停用用户', 'Disabled a user'],
  'user.enable': ['启用用户', 'Enabled a user'],
  'user.delete': ['删除用户', 'Deleted a user'],
  'user.reset-password': ['重置密码', 'Reset a password'],
  'user.unlock': ['解锁用户', 'Unlocked a user'],
  'user.import': ['导入用户', 'Imported users'],
  'user.export': ['导出用户', 'Exported users'],
  'account.change-password': ['修改密码', 'Changed own password'],
  'account.end-session': ['结束会话', 'Ended a session'],
} as const satisfies Record<string, readonly [zh: string, en: string]>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export function actionLabel(action: string, lang: 'zh' | 'en'): string {
  const label = (AUDIT_ACTIONS as Record<string, readonly [string, string]>)[action];
  return label ? label[lang === 'zh' ? 0 : 1] : action;
}
