// Who may see and do what, by the org tree. Pure: every caller passes the paths it already has.

/** '/1/5/23/' → [1, 5, 23]: the unit and its ancestors, root first. */
export function pathIds(path: string): number[] {
  return path.split('/').filter(Boolean).map(Number);
}

/** A unit is inside a scope when the scope's path is a prefix of the unit's path. */
export function inScope(scopePath: string, unitPath: string): boolean {
  return unitPath.startsWith(scopePath);
}

/** Upper bound for a prefix range scan: every path that starts with `prefix` sorts below prefix + '~'. */
export function prefixUpperBound(prefix: string): string {
  return prefix + '~';
}

/** Editing a camera's catalogue entry: any officer inside its scope; moving it needs the target in scope too. */
export function canEditCamera(scopePath: string, cameraPath: string, targetPath?: string): boolean {
  return inScope(scopePath, cameraPath) && (targetPath === undefined || inScope(scopePath, targetPath));
}
