CREATE TABLE "kf_cursors" (
	"open_kfid" text PRIMARY KEY NOT NULL,
	"cursor" text DEFAULT '' NOT NULL,
	"prev_cursor" text DEFAULT '' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kf_failures" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"code" integer NOT NULL,
	"open_kfid" text,
	"external_userid" text,
	"detail" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kf_links" (
	"region" text PRIMARY KEY NOT NULL,
	"open_kfid" text NOT NULL,
	"scene" text NOT NULL,
	"url" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kf_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"open_kfid" text NOT NULL,
	"msgid" text NOT NULL,
	"origin" integer NOT NULL,
	"msgtype" text NOT NULL,
	"event_type" text,
	"external_userid" text,
	"send_time" timestamp with time zone,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'new' NOT NULL,
	"action" text,
	"item_id" text,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "kf_residents" (
	"open_kfid" text NOT NULL,
	"external_userid" text NOT NULL,
	"village" text,
	"mode" text DEFAULT 'bot' NOT NULL,
	"unanswered" integer DEFAULT 0 NOT NULL,
	"replies_since_customer" integer DEFAULT 0 NOT NULL,
	"last_customer_at" timestamp with time zone,
	"last_options" jsonb,
	"servicer" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kf_residents_open_kfid_external_userid_pk" PRIMARY KEY("open_kfid","external_userid")
);
--> statement-breakpoint
CREATE TABLE "kf_servicers" (
	"userid" text PRIMARY KEY NOT NULL,
	"region" text NOT NULL,
	"on_duty" boolean DEFAULT true NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "kf_failures_kind_idx" ON "kf_failures" USING btree ("kind","code");--> statement-breakpoint
CREATE UNIQUE INDEX "kf_messages_msgid_idx" ON "kf_messages" USING btree ("open_kfid","msgid");--> statement-breakpoint
CREATE INDEX "kf_messages_item_idx" ON "kf_messages" USING btree ("item_id","recorded_at");