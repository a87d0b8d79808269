import { Migration } from '@mikro-orm/migrations';

export class Migration20261203070815_DecadeIndexes extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "protocols_received_at_id_index" on "protocols" ("received_at", "id");`);
    this.addSql(`create index "protocols_owner_name_id_index" on "protocols" ("owner_name", "id");`);
    this.addSql(`create index "protocols_animal_name_id_index" on "protocols" ("animal_name", "id");`);
    this.addSql(`create index "protocols_species_id_index" on "protocols" ("species", "id");`);
    this.addSql(`create index "protocols_status_id_index" on "protocols" ("status", "id");`);
    this.addSql(`create index "protocols_species_created_at_index" on "protocols" ("species", "created_at");`);
    // Newest received first with the unreceived last walks this one (a btree reads backwards as nulls first).
    this.addSql(`create index "protocols_received_at_desc_index" on "protocols" ("received_at" desc nulls last, "id" desc);`);
    // Text search: a trigram index serves search_text LIKE '%term%' (a substring of code, animal or owner).
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(`create index "protocols_search_text_trgm_index" on "protocols" using gin ("search_text" gin_trgm_ops);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "protocols_search_text_trgm_index";`);
    this.addSql(`drop index "protocols_received_at_desc_index";`);
    this.addSql(`drop index "protocols_received_at_id_index";`);
    this.addSql(`drop index "protocols_owner_name_id_index";`);
    this.addSql(`drop index "protocols_animal_name_id_index";`);
    this.addSql(`drop index "protocols_species_id_index";`);
    this.addSql(`drop index "protocols_status_id_index";`);
    this.addSql(`drop index "protocols_species_created_at_index";`);
  }

}
