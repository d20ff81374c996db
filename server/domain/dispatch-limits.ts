// Sizes the dispatch API accepts, in one place: the TypeBox contract (server/contracts/dispatch.ts) validates with
// them and the web's text fields stop at them, so an officer never types a note the server will refuse.
// Pure and dependency-free, like everything in server/domain/.

/** A danger's note (tagging) and the instructions that go with a 派单 or 转派. */
export const MAX_NOTE_LENGTH = 1000;
/** Why a task is returned (退回) or its feedback rejected (驳回). */
export const MAX_REASON_LENGTH = 1000;
/** 处置反馈: what was done. */
export const MAX_FEEDBACK_LENGTH = 2000;
/** 视频调度: cameras in one push, in wall order (a 6×6 wall). */
export const MAX_PUSH_CAMERAS = 36;
/** 视频调度: why the receiving wall should look. */
export const MAX_PUSH_NOTE_LENGTH = 500;
