import { Migration } from '@mikro-orm/migrations';

export class Migration20261203070813_DecadeIndexes extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index \`protocols_received_at_id_index\` on \`protocols\` (\`received_at\`, \`id\`);`);
    this.addSql(`create index \`protocols_owner_name_id_index\` on \`protocols\` (\`owner_name\`, \`id\`);`);
    this.addSql(`create index \`protocols_animal_name_id_index\` on \`protocols\` (\`animal_name\`, \`id\`);`);
    this.addSql(`create index \`protocols_species_id_index\` on \`protocols\` (\`species\`, \`id\`);`);
    this.addSql(`create index \`protocols_status_id_index\` on \`protocols\` (\`status\`, \`id\`);`);
    this.addSql(`create index \`protocols_species_created_at_index\` on \`protocols\` (\`species\`, \`created_at\`);`);
    // Text search: an FTS5 trigram index over search_text (external content, kept by triggers), so
    // a substring of a code, an animal or an owner is found without reading every row. It points at
    // protocols' implicit rowid: a VACUUM may renumber those, so run the FTS 'rebuild' after one.
    this.addSql(`create virtual table \`protocols_fts\` using fts5(\`search_text\`, content='protocols', content_rowid='rowid', tokenize='trigram');`);
    this.addSql(`create trigger \`protocols_fts_insert\` after insert on \`protocols\` begin insert into \`protocols_fts\` (rowid, \`search_text\`) values (new.rowid, new.\`search_text\`); end;`);
    this.addSql(`create trigger \`protocols_fts_delete\` after delete on \`protocols\` begin insert into \`protocols_fts\` (\`protocols_fts\`, rowid, \`search_text\`) values ('delete', old.rowid, old.\`search_text\`); end;`);
    this.addSql(`create trigger \`protocols_fts_update\` after update of \`search_text\` on \`protocols\` begin insert into \`protocols_fts\` (\`protocols_fts\`, rowid, \`search_text\`) values ('delete', old.rowid, old.\`search_text\`); insert into \`protocols_fts\` (rowid, \`search_text\`) values (new.rowid, new.\`search_text\`); end;`);
    this.addSql(`insert into \`protocols_fts\` (\`protocols_fts\`) values ('rebuild');`);
  }

}
