import { Migration } from '@mikro-orm/migrations';

export class Migration20261128222642_WorkOrderPdfs extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "work_order_pdfs" ("id" uuid not null, "work_order_id" uuid not null, "content_version" int not null, "job_id" uuid null, "storage_key" varchar(200) null, "sha256" varchar(64) null, "size" int null, "pages" int null, "rendered_at" timestamptz null, "created_at" timestamptz not null, constraint "work_order_pdfs_pkey" primary key ("id"));`);
    this.addSql(`alter table "work_order_pdfs" add constraint "work_order_pdfs_work_order_id_content_version_unique" unique ("work_order_id", "content_version");`);

    this.addSql(`alter table "work_order_pdfs" add constraint "work_order_pdfs_work_order_id_foreign" foreign key ("work_order_id") references "work_orders" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "work_order_pdfs" cascade;`);
  }

}
