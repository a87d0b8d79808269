import { Migration } from '@mikro-orm/migrations';

export class Migration20261203011828_AuditIndexes extends Migration {

  override async up(): Promise<void> {
    this.addSql(`drop index "audit_log_actor_id_index";`);
    this.addSql(`drop index "audit_log_entity_entity_id_index";`);

    this.addSql(`create index "audit_log_at_index" on "audit_log" ("at");`);
    this.addSql(`create index "audit_log_action_at_index" on "audit_log" ("action", "at");`);
    this.addSql(`create index "audit_log_actor_id_at_index" on "audit_log" ("actor_id", "at");`);
    this.addSql(`create index "audit_log_entity_at_index" on "audit_log" ("entity", "at");`);
    this.addSql(`create index "audit_log_entity_entity_id_at_index" on "audit_log" ("entity", "entity_id", "at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "audit_log_at_index";`);
    this.addSql(`drop index "audit_log_action_at_index";`);
    this.addSql(`drop index "audit_log_actor_id_at_index";`);
    this.addSql(`drop index "audit_log_entity_at_index";`);
    this.addSql(`drop index "audit_log_entity_entity_id_at_index";`);

    this.addSql(`create index "audit_log_actor_id_index" on "audit_log" ("actor_id");`);
    this.addSql(`create index "audit_log_entity_entity_id_index" on "audit_log" ("entity", "entity_id");`);
  }

}
