import { Migration } from '@mikro-orm/migrations';

export class Migration20261128222642_WorkOrderPdfs extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`work_order_pdfs\` (\`id\` text not null, \`work_order_id\` text not null, \`content_version\` integer not null, \`job_id\` text null, \`storage_key\` text null, \`sha256\` text null, \`size\` integer null, \`pages\` integer null, \`rendered_at\` datetime null, \`created_at\` datetime not null, constraint \`work_order_pdfs_work_order_id_foreign\` foreign key(\`work_order_id\`) references \`work_orders\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`work_order_pdfs_work_order_id_index\` on \`work_order_pdfs\` (\`work_order_id\`);`);
    this.addSql(`create unique index \`work_order_pdfs_work_order_id_content_version_unique\` on \`work_order_pdfs\` (\`work_order_id\`, \`content_version\`);`);
  }

}
