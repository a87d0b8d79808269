import { Migration } from '@mikro-orm/migrations';

export class Migration20261203011118_SignatureKeys extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "users" add column "signature_key" varchar(200) null;`);

    this.addSql(`alter table "report_versions" add column "signature_key" varchar(200) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "report_versions" drop column "signature_key";`);

    this.addSql(`alter table "users" drop column "signature_key";`);
  }

}
