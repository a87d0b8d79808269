import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
// The small disk the full-disk tests fill (tools/, in no Nx project).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { mountSmallDisk, SmallDisk } from '../../../../tools/testing/small-disk';
import { withPgAdmin } from './services';

/** Tablespaces the tests make are named so; the global setup drops the ones a killed run left. */
const PREFIX = 'vt_small_';

/** A PostgreSQL tablespace on a small disk of its own: a database made in it fills when the disk does. */
export interface SmallTablespace {
  name: string;
  disk: SmallDisk;
  /** Drops the tablespace (its databases dropped first) and unmounts the disk. */
  drop(): Promise<void>;
}

/**
 * Mounts a `mib` MiB tmpfs owned by the PostgreSQL server's user and makes it a tablespace, so a test
 * can fill the disk a database lives on and meet the server's own "could not extend file: No space
 * left on device" (SQLSTATE 53100). The server must run on this machine (as in this project's CI and
 * on its machines: 127.0.0.1:5432): the test fails at once saying so otherwise.
 */
export async function smallTablespace(mib: number): Promise<SmallTablespace> {
  const dataDir = await withPgAdmin(async (admin) => (await admin.query<{ data_directory: string }>('SHOW data_directory')).rows[0].data_directory);
  if (!existsSync(dataDir)) {
    throw new Error(
      `a full PostgreSQL disk test puts a database on a small disk of this machine, and needs the PostgreSQL server here: its data directory ${dataDir} is not on this machine`,
    );
  }
  const { uid, gid } = statSync(dataDir);
  const disk = mountSmallDisk(mib, { owner: { uid, gid } });
  const name = `${PREFIX}${randomBytes(4).toString('hex')}`;
  try {
    // The identifier is ours (hex), the path a temporary folder's: neither needs more than quoting.
    await withPgAdmin((admin) => admin.query(`CREATE TABLESPACE ${name} LOCATION '${disk.dir.replace(/'/g, "''")}'`));
  } catch (e) {
    disk.unmount();
    throw e;
  }
  return {
    name,
    disk,
    drop: async () => {
      await withPgAdmin((admin) => admin.query(`DROP TABLESPACE IF EXISTS ${name}`));
      disk.unmount();
    },
  };
}

/**
 * Drops the tablespaces of killed runs whose disks are gone (see sweepSmallDisks), and their
 * databases. One still in use (a parallel run's) refuses to drop and stays.
 */
export async function sweepSmallTablespaces(): Promise<void> {
  await withPgAdmin(async (admin) => {
    const { rows } = await admin.query<{ spcname: string; location: string }>(
      `SELECT spcname, pg_tablespace_location(oid) AS location FROM pg_tablespace WHERE spcname LIKE '${PREFIX}%'`,
    );
    for (const { spcname, location } of rows) {
      if (existsSync(location)) continue;
      const dbs = await admin.query<{ datname: string }>(
        'SELECT datname FROM pg_database d JOIN pg_tablespace t ON t.oid = d.dattablespace WHERE t.spcname = $1',
        [spcname],
      );
      for (const { datname } of dbs.rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => undefined);
      await admin.query(`DROP TABLESPACE IF EXISTS ${spcname}`).catch(() => undefined);
    }
  });
}
