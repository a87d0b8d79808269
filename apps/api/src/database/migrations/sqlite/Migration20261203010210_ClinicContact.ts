import { Migration } from '@mikro-orm/migrations';

export class Migration20261203010210_ClinicContact extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`clinics\` add column \`address\` text null;`);
    this.addSql(`alter table \`clinics\` add column \`phone\` text null;`);
  }

}
