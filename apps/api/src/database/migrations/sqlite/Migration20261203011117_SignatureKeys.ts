import { Migration } from '@mikro-orm/migrations';

export class Migration20261203011117_SignatureKeys extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`users\` add column \`signature_key\` text null;`);

    this.addSql(`alter table \`report_versions\` add column \`signature_key\` text null;`);
  }

}
