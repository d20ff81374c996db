/** The path of a PostgreSQL server program (initdb, pg_ctl), or undefined. */
export function findBin(name: string): string | undefined;
/** Why PostgreSQL tests cannot run here, or undefined when they can. */
export function postgresUnavailable(): string | undefined;
