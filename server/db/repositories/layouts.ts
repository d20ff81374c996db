import type { SavedLayout, WallLayoutKind } from '../../contracts/layouts';
import { ConflictError } from '../../errors';
import type { Database } from '../database';

interface Row {
  id: number;
  name: string;
  layout: WallLayoutKind;
  cameraIds: string;
  isDefault: number;
  updatedAt: string;
}

const SELECT = 'SELECT id, name, layout, camera_ids AS cameraIds, is_default AS isDefault, updated_at AS updatedAt FROM saved_layouts';

function toLayout(row: Row): SavedLayout {
  return { ...row, cameraIds: JSON.parse(row.cameraIds) as (number | null)[], isDefault: !!row.isDefault };
}

/** Rolls back save()'s transaction (a cleared default included) when the layout to update is not there. */
class AbsentLayout extends Error {}

function isUniqueViolation(err: unknown): boolean {
  return /UNIQUE constraint failed/.test(String((err as Error)?.message));
}

export interface LayoutFields {
  name: string;
  layout: WallLayoutKind;
  cameraIds: (number | null)[];
  isDefault: boolean;
}

/** Layouts belong to one user: every method takes the owner, so nobody reaches another user's layouts. */
export class LayoutRepository {
  constructor(private readonly db: Database) {}

  async list(userId: number): Promise<SavedLayout[]> {
    return (await this.db.all<Row>(`${SELECT} WHERE user_id = ? ORDER BY is_default DESC, name`, [userId])).map(toLayout);
  }

  async get(userId: number, id: number): Promise<SavedLayout | undefined> {
    const row = await this.db.get<Row>(`${SELECT} WHERE user_id = ? AND id = ?`, [userId, id]);
    return row && toLayout(row);
  }

  /** Inserts (id undefined) or updates; a new default clears the old one in the same transaction. Returns the id,
   * or undefined when the layout to update is not the user's (nothing written). */
  async save(userId: number, fields: LayoutFields, id?: number): Promise<number | undefined> {
    try {
      return await this.db.transaction(async (tx) => {
        if (fields.isDefault) await tx.run('UPDATE saved_layouts SET is_default = 0 WHERE user_id = ?', [userId]);
        const values = [fields.name, fields.layout, JSON.stringify(fields.cameraIds), fields.isDefault ? 1 : 0, new Date().toISOString()];
        if (id === undefined) {
          return (await tx.run(
            'INSERT INTO saved_layouts (name, layout, camera_ids, is_default, updated_at, user_id) VALUES (?, ?, ?, ?, ?, ?)',
            [...values, userId],
          )).lastID;
        }
        const { changes } = await tx.run(
          'UPDATE saved_layouts SET name = ?, layout = ?, camera_ids = ?, is_default = ?, updated_at = ? WHERE user_id = ? AND id = ?',
          [...values, userId, id],
        );
        if (changes === 0) throw new AbsentLayout();
        return id;
      });
    } catch (err) {
      if (err instanceof AbsentLayout) return undefined;
      if (isUniqueViolation(err)) throw new ConflictError(`A layout named "${fields.name}" already exists`, 'name');
      throw err;
    }
  }

  /** False when the user has no such layout. */
  async delete(userId: number, id: number): Promise<boolean> {
    const { changes } = await this.db.run('DELETE FROM saved_layouts WHERE user_id = ? AND id = ?', [userId, id]);
    return changes > 0;
  }
}
