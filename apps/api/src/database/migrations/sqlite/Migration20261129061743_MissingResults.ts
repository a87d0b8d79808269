import { Migration } from '@mikro-orm/migrations';

export class Migration20261129061743_MissingResults extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "result_rows_missing_index" on "result_rows" ("version_id") where "value" is null or "value" = '';`);
  }

}
