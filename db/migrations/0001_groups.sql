CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"group_id" bigint,
	"suggestion_id" bigint,
	"detail" jsonb,
	"evidence" jsonb
);
--> statement-breakpoint
CREATE TABLE "group_activity" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"group_id" bigint NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" text,
	"kind" text DEFAULT 'message' NOT NULL,
	"source" text NOT NULL,
	"source_msg_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "group_admins" (
	"user_id" text NOT NULL,
	"region" text DEFAULT '*' NOT NULL,
	"name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "group_admins_user_id_region_pk" PRIMARY KEY("user_id","region")
);
--> statement-breakpoint
CREATE TABLE "group_exemptions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"group_id" bigint NOT NULL,
	"reason" text NOT NULL,
	"approver" text NOT NULL,
	"until" timestamp with time zone NOT NULL,
	"suggestion_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "group_members" (
	"group_id" bigint NOT NULL,
	"user_id" text NOT NULL,
	"member_type" integer,
	"joined_at" timestamp with time zone,
	CONSTRAINT "group_members_group_id_user_id_pk" PRIMARY KEY("group_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "group_rules" (
	"region" text PRIMARY KEY NOT NULL,
	"rules" jsonb NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "group_suggestions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"group_id" bigint NOT NULL,
	"cycle" text NOT NULL,
	"region" text NOT NULL,
	"signals" jsonb NOT NULL,
	"snapshot" jsonb NOT NULL,
	"state" text DEFAULT 'queued' NOT NULL,
	"recipients" jsonb,
	"carded_cycle" text,
	"carded_at" timestamp with time zone,
	"response_code" text,
	"decision" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"reason" text,
	"snoozed_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "groups" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"chat_id" text NOT NULL,
	"source" text NOT NULL,
	"name" text,
	"owner" text,
	"org_unit" text,
	"region" text,
	"kind" text DEFAULT 'standing' NOT NULL,
	"task_end" date,
	"created_at" timestamp with time zone,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"dismissed_at" timestamp with time zone,
	"member_count" integer,
	"webhook_key" text,
	"last_notice_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scan_reports" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"dry_run" boolean NOT NULL,
	"report" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_state" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "group_exemptions" ADD CONSTRAINT "group_exemptions_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_members" ADD CONSTRAINT "group_members_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_suggestions" ADD CONSTRAINT "group_suggestions_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_group_idx" ON "audit_log" USING btree ("group_id");--> statement-breakpoint
CREATE UNIQUE INDEX "group_activity_msg_idx" ON "group_activity" USING btree ("group_id","source_msg_id");--> statement-breakpoint
CREATE INDEX "group_activity_group_at_idx" ON "group_activity" USING btree ("group_id","at");--> statement-breakpoint
CREATE INDEX "group_exemptions_group_idx" ON "group_exemptions" USING btree ("group_id");--> statement-breakpoint
CREATE UNIQUE INDEX "group_suggestions_cycle_idx" ON "group_suggestions" USING btree ("group_id","cycle");--> statement-breakpoint
CREATE UNIQUE INDEX "group_suggestions_open_idx" ON "group_suggestions" USING btree ("group_id") WHERE state in ('queued', 'pending', 'approved');--> statement-breakpoint
CREATE INDEX "group_suggestions_state_idx" ON "group_suggestions" USING btree ("state");--> statement-breakpoint
CREATE UNIQUE INDEX "groups_chat_id_idx" ON "groups" USING btree ("chat_id");--> statement-breakpoint
CREATE INDEX "groups_org_unit_idx" ON "groups" USING btree ("org_unit");