// What the segment store needs of its index (RecordingRepository in server/db/repositories/recordings.ts has it).
import type { RecordKind, RecordStream, RecordingFileRow, SegmentRow } from '../../db/repositories/recordings';

export type { RecordKind, RecordStream, RecordingFileRow, SegmentRow };

export interface StreamKey {
  cameraId: number;
  stream: RecordStream;
}

export interface FileUpdate {
  id: number;
  endMs: number;
  bytes: number;
  sealed: boolean;
}

export interface RecordingIndex {
  insertFile(f: Omit<RecordingFileRow, 'id' | 'endMs' | 'bytes' | 'sealed'>): Promise<number>;
  insertSegments(rows: SegmentRow[], files: FileUpdate[]): Promise<void>;
  indexedEnd(fileId: number): Promise<number>;
  unsealed(): Promise<RecordingFileRow[]>;
  deleteFile(id: number): Promise<void>;
  ringExpired(beforeMs: number, limit?: number): Promise<RecordingFileRow[]>;
  /** Ring files of a camera overlapping the range become recordings (pre-roll of an event or evidence clip). */
  markRecorded(cameraId: number, fromMs: number, toMs: number): Promise<number>;
}

/** One line of a file's sidecar journal (`<file>.idx`): a segment as its index row, without the file id. */
export type JournalEntry = Omit<SegmentRow, 'fileId'>;
