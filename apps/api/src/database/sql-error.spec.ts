import { redactSqlError, withoutDetailValues, withoutLiterals } from './sql-error';

describe('withoutLiterals', () => {
  it('replaces every quoted value, with its doubled quotes and PostgreSQL escape strings, and keeps the rest', () => {
    expect(withoutLiterals(`insert into "protocols" ("id", "owner_name", "age_months") values ('b1-2', 'O''Brien - María', 36)`)).toBe(
      `insert into "protocols" ("id", "owner_name", "age_months") values (?, ?, 36)`,
    );
    expect(withoutLiterals(`update users set note = E'a\\'b\\\\' where id = 'x'`)).toBe('update users set note = ? where id = ?');
    expect(withoutLiterals('select 1')).toBe('select 1');
  });
});

describe('redactSqlError', () => {
  const sql = `insert into clinics (name) values ('Zacarías - Secreto')`;

  it("rewrites a message that starts with the statement, keeping the driver's own words", () => {
    const e = new Error(`${sql} - could not extend file "base/1/2": No space left on device`);
    redactSqlError(e, sql);
    expect(e.message).toBe('insert into clinics (name) values (?) - could not extend file "base/1/2": No space left on device');
  });

  it('leaves any other error as it was', () => {
    const e = new Error('Connection terminated unexpectedly');
    redactSqlError(e, sql);
    expect(e.message).toBe('Connection terminated unexpectedly');
    expect(() => redactSqlError('not an error', sql)).not.toThrow();
  });
});

describe('withoutDetailValues', () => {
  it("drops the values PostgreSQL's details quote, and keeps the columns and tables", () => {
    expect(withoutDetailValues('Key (name)=(Clínica (Norte)) already exists.')).toBe('Key (name)=(?) already exists.');
    expect(withoutDetailValues('Key (clinic_id)=(5f0c) is not present in table "clinics".')).toBe('Key (clinic_id)=(?) is not present in table "clinics".');
    expect(withoutDetailValues('Failing row contains (1, María, null).')).toBe('Failing row contains (?).');
    expect(withoutDetailValues('There is 1 other session using the database.')).toBe('There is 1 other session using the database.');
  });

  it('is applied to the error the driver raised', () => {
    const e = Object.assign(new Error('duplicate key value violates unique constraint "users_email_unique"'), { detail: 'Key (email)=(ana@norte.test) already exists.' });
    redactSqlError(e, 'insert into users (email) values ($1)');
    expect(e).toMatchObject({ detail: 'Key (email)=(?) already exists.' });
  });
});
