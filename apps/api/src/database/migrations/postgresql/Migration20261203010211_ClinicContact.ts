import { Migration } from '@mikro-orm/migrations';

export class Migration20261203010211_ClinicContact extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "clinics" add column "address" varchar(300) null, add column "phone" varchar(40) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "clinics" drop column "address", drop column "phone";`);
  }

}
