import { Migration } from '@mikro-orm/migrations';

export class Migration20261202124330_RunTokens extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "report_versions" add column "run_token" uuid null;`);

    this.addSql(`alter table "work_order_pdfs" add column "run_token" uuid null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "report_versions" drop column "run_token";`);

    this.addSql(`alter table "work_order_pdfs" drop column "run_token";`);
  }

}
