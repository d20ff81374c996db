// Shared by the RTMP bench's processes.
/** The stream key of pushed stream (relay id) i: the bench's server accepts exactly these. */
export const keyOf = (i: number) => `benchpushkey-${String(i).padStart(6, '0')}`;
